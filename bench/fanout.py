"""Duo's fan-out against the floor, side by side, in one run.

    .venv/bin/python bench/fanout.py [--sizes 1000,3000]      (or: make bench)
    .venv/bin/python bench/fanout.py --quick                  (a smoke run: small N, minutes)

Measures, on this machine, with real processes talking over 127.0.0.1:

* fan-out latency: N participants connected by WebSocket, the host starts a breakout
  (``POST /api/sessions/{code}/breakouts``); latency from sending that request to each
  client having received and parsed its ``state`` with ``breakout`` set. The floor is a bare
  ``websockets`` server (``bench/floor_server.py``, same Python, same loop) that on an HTTP
  trigger sends each connection a personal JSON message of the same byte size;
* memory per connection: server RSS growth from before the clients connect to after all are
  connected and have their states, divided by N (``/proc/<pid>/status`` VmRSS);
* joins per second over HTTP on SQLite;
* bytes sent to clients while a lobby fills (participants join and connect one by one), and
  the bytes per participant at 300 over those at 100 (issue 12's goal: at most 1.5);
* the time for every client to reconnect and resync after the server is SIGKILLed and
  started again on the same database and port;
* many small sessions (``--sessions``): S sessions of 8 clients on one Duo process, each in
  a breakout, the hosts pausing and resuming every few seconds; from a control to all 8
  clients of its session, the server's CPU and memory.

Clients run in client processes (``--clients``: ``4xuvloop`` is four processes on uvloop,
``1xasyncio`` all clients in one plain-asyncio process; ``4xuvloop,1xasyncio`` measures
with both, one after the other). Timestamps are ``time.time_ns()`` on this one machine.
Every phase has a timeout; the whole run is bounded by ``--max-seconds``. A table is printed
and the figures are written as JSON under ``test-output/bench/``.

The parts: ``fanout_clients.py`` (client processes), ``fanout_scenarios.py`` (fan-out, floor,
lobby, restart, profile), ``fanout_sessions.py`` (many small sessions), ``fanout_report.py``
(arithmetic and the table); Duo's server process comes from ``tests/utils/server.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # for tests/utils/server.py, the home of the server helper
    sys.path.insert(0, str(ROOT))

from databases import postgres_reachable, round_trip_us  # noqa: E402
from fanout_clients import Pool, parse_setup  # noqa: E402
from fanout_report import code_version, exponent, lobby_ratio, machine, report  # noqa: E402
from fanout_scenarios import OUT_DIR, Bench  # noqa: E402
from fanout_sessions import many_sessions  # noqa: E402

# --quick: every scenario once, small, in a few minutes; for checking that the code works,
# not for figures. Options given explicitly still win.
QUICK = {
    "sizes": "50",
    "lobby_sizes": "10,30",
    "restart_size": 50,
    "repeat": 2,
    "sessions": 20,
    "sessions_seconds": 10.0,
    "wait_idle": 3.0,
}


def parse_ints(text: str) -> list[int]:
    """Parse ``1000,3000`` into ``[1000, 3000]``."""
    return [int(x) for x in text.split(",") if x.strip()]


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line (``--quick`` changes the defaults, not what is given)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (see QUICK)")
    parser.add_argument("--sizes", default="1000,3000", help="participants per fan-out run")
    parser.add_argument(
        "--lobby-sizes",
        default="100,300,1000",
        help="lobbies to fill ('' skips); N and 3N give the ratio of bytes per participant",
    )
    parser.add_argument("--restart-size", type=int, default=1000, help="0 skips the restart")
    parser.add_argument(
        "--deflate",
        default="off",
        help="per-message deflate on both sides: off (as `make run` serves), on, or off,on",
    )
    parser.add_argument(
        "--clients",
        default=None,
        help="client set-ups, PROCESSESxLOOP[,...]: e.g. 4xuvloop (default), 1xasyncio",
    )
    parser.add_argument("--workers", type=int, default=4, help="uvloop client processes")
    parser.add_argument("--repeat", type=int, default=3, help="fan-outs per size")
    parser.add_argument("--join-concurrency", type=int, default=32)
    parser.add_argument("--connect-concurrency", type=int, default=50, help="per process")
    parser.add_argument("--sessions", type=int, default=500, help="small sessions (0 skips)")
    parser.add_argument("--session-size", type=int, default=8, help="clients per small session")
    parser.add_argument("--sessions-seconds", type=float, default=60.0, help="s of controls")
    parser.add_argument(
        "--control-interval", type=float, default=5.0, help="s between one host's controls"
    )
    parser.add_argument(
        "--sessions-concurrency", type=int, default=16, help="HTTP calls at once per process"
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgres,postgres-2ms",
        help="what the many small sessions run on, one after the other (bench/databases.py)",
    )
    parser.add_argument(
        "--db-delay-ms", type=float, default=1.0, help="postgres-2ms: added each way"
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the largest Duo run")
    parser.add_argument("--profile-cycles", type=int, default=10)
    parser.add_argument("--wait-idle", type=float, default=120.0, help="s to wait for quiet")
    parser.add_argument("--idle-threshold", type=float, default=10.0, help="busy %% allowed")
    parser.add_argument("--phase-timeout", type=float, default=120.0, help="s per phase")
    parser.add_argument(
        "--connect-timeout", type=float, default=900.0, help="s for N clients to (re)connect"
    )
    parser.add_argument("--max-seconds", type=int, default=3600, help="bound on the whole run")
    parser.add_argument(
        "--instrument",
        action="store_true",
        help="time Duo's GC, start_breakout, flush and sends (bench/instrument)",
    )
    parser.add_argument(
        "--server-env", action="append", default=[], help="KEY=VALUE for Duo (repeatable)"
    )
    parser.add_argument(
        "--redis-hop", type=Path, help="bench/redis_hop.py's JSON, for the table of goals"
    )
    parser.add_argument("--note", default="", help="what code was measured, for the record")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-duo", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    if args.quick:
        parser.set_defaults(**QUICK)
        args = parser.parse_args(argv)
    args.clients = args.clients or f"{args.workers}xuvloop"
    return args


def raise_open_files(sockets: int) -> None:
    """Allow this process and its children enough open files for ``sockets`` connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4 * sockets + 1024
    if soft < want:
        target = want if hard == resource.RLIM_INFINITY else min(hard, max(want, soft))
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def fanout_pair(bench: Bench, n: int, deflate: bool, first: bool) -> dict[str, Any]:
    """Measure Duo and the floor at ``n`` clients; with ``first``, the restart and profile
    too (once a run, not once per client set-up)."""
    args, result = bench.args, bench.result
    pair: dict[str, Any] = {"n": n, "deflate": deflate, "clients": bench.pool.label}
    sample = None
    if not args.skip_duo:
        duo = bench.duo_fanout(
            n,
            deflate,
            restart=first and n == args.restart_size,
            profile=first and args.profile and n == max(parse_ints(args.sizes)),
        )
        sample = duo.pop("sample_state")
        pair["duo"] = duo
        result["joins"].append({"n": n, "joins_per_s": duo["joins_per_s"]})
        if "restart" in duo:
            result["restart"].append({"n": n, **duo.pop("restart")})
    if not args.skip_floor:
        pair["floor"] = bench.floor_fanout(n, deflate, sample)
    if "duo" in pair and "floor" in pair:
        d, f = pair["duo"]["latency"], pair["floor"]["latency"]
        pair["ratio_p50"] = round(d["p50_ms"] / f["p50_ms"], 2)
        pair["ratio_p99"] = round(d["p99_ms"] / f["p99_ms"], 2)
        pair["ratio_median_run_p99"] = round(d["median_run_p99_ms"] / f["median_run_p99_ms"], 2)
    return pair


def session_databases(args: argparse.Namespace, first: bool) -> list[str]:
    """The databases the many small sessions run on with a client set-up: every one asked
    for with the first set-up, SQLite alone with the others (PostgreSQL left out, with a
    line saying so, where it does not answer)."""
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    if not first:
        return kinds[:1]
    if any(k.startswith("postgres") for k in kinds) and not postgres_reachable():
        print("PostgreSQL does not answer (DUO_BENCH_POSTGRES_URL): its runs are left out")
        kinds = [k for k in kinds if not k.startswith("postgres")]
    return kinds


def run(
    args: argparse.Namespace, result: dict[str, Any], workdir: Path, children: list[Any]
) -> None:
    """Run every scenario with every client set-up; note each process started in
    ``children``."""
    sizes = parse_ints(args.sizes)
    deflates = [d.strip() == "on" for d in args.deflate.split(",") if d.strip()]
    for index, setup in enumerate(args.clients.split(",")):
        first = index == 0
        pool = Pool(*parse_setup(setup))
        bench = Bench(args, workdir, pool, result, children)
        try:
            for deflate in deflates:
                for n in sizes:
                    restart = first and deflate == deflates[0]
                    result["fanout"].append(fanout_pair(bench, n, deflate, restart))
            if not args.skip_duo and first:
                for n in parse_ints(args.lobby_sizes):
                    result["lobby"].append(bench.lobby(n, deflates[0]))
                result["lobby_exponent"] = exponent(
                    [(r["n"], r["participant_bytes"]) for r in result["lobby"]]
                )
                result["lobby_ratio"] = lobby_ratio(result["lobby"])
            if not args.skip_duo and args.sessions:
                for database in session_databases(args, first):
                    result["sessions"].append(
                        many_sessions(bench, args.sessions, deflates[0], database)
                    )
        finally:
            pool.close()


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    raise_open_files(max(parse_ints(args.sizes) + [1000, args.sessions * args.session_size]))

    def out_of_time(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"the benchmark ran over --max-seconds={args.max_seconds}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.max_seconds)
    result: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join([".venv/bin/python", "bench/fanout.py", *sys.argv[1:]]),
        "code": code_version(args.note),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "fanout": [],
        "joins": [],
        "lobby": [],
        "restart": [],
        "sessions": [],
    }
    print(json.dumps(result["machine"]))
    children: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="duo-bench-") as tmp:
        try:
            run(args, result, Path(tmp), children)
        finally:
            signal.alarm(0)
            for child in children:
                if child.poll() is None:
                    child.kill()
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    if any(r["database"] != "sqlite" for r in result["sessions"]):
        result["database_round_trip_us"] = {
            "direct": round_trip_us(None),
            "proxy at 0 ms": round_trip_us(0.0),
            f"proxy at {args.db_delay_ms} ms each way": round_trip_us(args.db_delay_ms, 500),
        }
    if args.redis_hop is not None and args.redis_hop.exists():
        result["redis_hop"] = json.loads(args.redis_hop.read_text())
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = args.out or OUT_DIR / f"fanout-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2))
    (OUT_DIR / "latest.json").write_text(json.dumps(result, indent=2))
    print(report(result))
    print(f"\nwritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
