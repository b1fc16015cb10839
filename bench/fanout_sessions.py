"""Many small sessions: S sessions of 8 clients each (the host and 7 participants) on one
Duo process, every session in a running breakout, the hosts pausing and resuming it in turn
every few seconds, their controls spread evenly between them.

Figures: from a host's control (just before its HTTP request) to each client of that session
having the new status, and to the last of them; the server's CPU (``/proc/<pid>/stat``)
while the controls run and while all sit connected and idle; its memory (VmRSS).
"""

from __future__ import annotations

import time
from typing import Any

from fanout_clients import span_s
from fanout_report import latency_summary, ms
from fanout_scenarios import Bench, distribute

from tests.utils.server import cpu_seconds, rss_kib


def cpu_pct(pid: int, seconds: float) -> float:
    """Return how much of one CPU (percent) process ``pid`` used over the next ``seconds``."""
    used0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return round(100 * (cpu_seconds(pid) - used0) / (time.monotonic() - t0), 1)


def many_sessions(
    bench: Bench, count: int, deflate: bool, database: str = "sqlite"
) -> dict[str, Any]:
    """Run ``count`` small sessions on one Duo process with the bench's client pool, on a
    database of the kind ``database`` names."""
    args, pool = bench.args, bench.pool
    size, seconds, interval = args.session_size, args.sessions_seconds, args.control_interval
    bench.log(
        f"many small sessions on {database}: {count} x {size} clients ({count * size} "
        f"sockets), a control every {interval} s per host for {seconds} s, clients {pool.label}"
    )
    server = bench.duo_server(f"sessions-{count}-{pool.label}-{database}", deflate, database)
    assert server.process is not None
    pid = server.process.pid
    out: dict[str, Any] = {
        "sessions": count,
        "session_size": size,
        "clients": pool.label,
        "database": database,
    }
    out.update(sockets=count * size, seconds=seconds, control_interval_s=interval)
    try:
        rss0 = rss_kib(pid)
        counts = [len(part) for part in distribute(list(range(count)), len(pool))]
        answers = pool.each(
            "sessions_setup",
            args.connect_timeout,
            per=[{"count": c, "prefix": f"W{w}S"} for w, c in enumerate(counts)],
            base=server.base_url,
            ws_base=server.ws_url,
            size=size,
            deflate=deflate,
            concurrency=args.sessions_concurrency,
            timeout=bench.timeout,
        )
        setup_s = span_s(answers, "sessions not set up")
        out["setup_s"] = round(setup_s, 1)
        bench.log(f"  {count} sessions created, joined, connected and started in {setup_s:.1f} s")
        bench.quiet()
        out["background_cpu_pct"] = bench.background()
        out["idle_cpu_pct"] = cpu_pct(pid, 2.0)  # all connected, nobody doing anything
        rss1 = rss_kib(pid)
        used0, wall0 = cpu_seconds(pid), time.monotonic()
        answers = pool.each(
            "sessions_run",
            seconds + bench.timeout,
            seconds=seconds,
            interval=interval,
            concurrency=args.sessions_concurrency,
            timeout=bench.timeout,
        )
        used1, wall1 = cpu_seconds(pid), time.monotonic()
        rss2 = rss_kib(pid)
    except Exception:
        bench.log_tail(server.log_path)
        raise
    finally:
        server.stop()
        bench.close_clients()
    all_ns = [v for a in answers for v in a["all_ns"]]
    each_ns = [v for a in answers for v in a["each_ns"]]
    if not all_ns:
        raise RuntimeError("no control reached its session's clients")
    out["controls"] = sum(a["controls"] for a in answers)
    out["controls_per_s"] = round(out["controls"] / (wall1 - wall0), 1)
    for key in ("missing", "failed", "late"):
        out[key] = sum(a[key] for a in answers)
    out["to_all"] = latency_summary([all_ns])
    out["to_each"] = latency_summary([each_ns])
    out["cpu_pct"] = round(100 * (used1 - used0) / (wall1 - wall0), 1)
    out["cpu_ms_per_control"] = round(1000 * (used1 - used0) / max(1, out["controls"]), 2)
    out["rss_kib"] = {"start": rss0, "connected": rss1, "after_controls": rss2}
    out["kib_per_socket"] = round((rss2 - rss0) / (count * size), 1)
    bench.log(
        f"  {out['controls']} controls ({out['controls_per_s']}/s): to all {size} clients "
        f"p50 {out['to_all']['p50_ms']} ms, p99 {out['to_all']['p99_ms']} ms, max "
        f"{ms(max(all_ns))} ms; missing {out['missing']}, failed {out['failed']}, "
        f"late {out['late']}"
    )
    bench.log(
        f"  server CPU {out['cpu_pct']} % ({out['cpu_ms_per_control']} ms a control; idle "
        f"{out['idle_cpu_pct']} %), RSS "
        f"{rss0 // 1024} -> {rss2 // 1024} MiB ({out['kib_per_socket']} KiB per socket)"
    )
    return out
