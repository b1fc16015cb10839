"""The benchmark's scenarios, run from the orchestrator: Duo's fan-out and the floor's, the
restart, the lobby filling one by one, the py-spy profile, and many small sessions.

Each scenario starts its server (``tests/utils/server.py`` for Duo, ``bench/floor_server.py``
for the floor), drives the client processes of a ``Pool`` and returns its figures as a dict.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from databases import BenchDatabase
from fanout_clients import NS, Pool, span_s
from fanout_report import (
    describe_breakdown,
    latency_summary,
    ms,
    pct,
    size_summary,
    summarise_profile,
)

from app.domain.counting import count_floor
from tests.utils.server import (
    ROOT,
    ServerProcess,
    free_port,
    rss_kib,
    wait_until_answers,
)

OUT_DIR = ROOT / "test-output" / "bench"
# Every client of the benchmark comes from 127.0.0.1 and one session holds thousands: lift
# Duo's abuse limits (per-address rates and caps, participants per session) for the run.
UNLIMITED = {
    "DUO_SESSIONS_PER_MINUTE": "0",
    "DUO_JOINS_PER_MINUTE": "0",
    "DUO_MISSES_PER_MINUTE": "0",
    "DUO_MAX_PARTICIPANTS": "1000000",
    "DUO_MAX_JOINS_PER_SESSION": "1000000",
    "DUO_MAX_JOINS_PER_ADDRESS": "1000000",
    "DUO_MAX_SOCKETS_PER_IP": "1000000",
}
TITLE = "Intervisie team B"


def cpu_busy(seconds: float = 1.0) -> float:
    """Return how busy (percent) all CPUs of the machine were over the next ``seconds``."""

    def snap() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values[:8]), values[3] + values[4]

    total0, idle0 = snap()
    time.sleep(seconds)
    total1, idle1 = snap()
    return round(100 * (1 - (idle1 - idle0) / max(1, total1 - total0)), 1)


def distribute(items: list[Any], k: int) -> list[list[Any]]:
    """Deal ``items`` out to ``k`` hands, round robin."""
    return [items[i::k] for i in range(k)]


@dataclass
class Bench:
    """The orchestrator's side of one run: its settings, working folder and client pool."""

    args: argparse.Namespace
    workdir: Path
    pool: Pool
    result: dict[str, Any] = field(default_factory=dict)
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    instrument_path: Path | None = None

    def instrumented(self, t0_ns: int, last_ns: int) -> dict[str, Any] | None:
        """Break one fan-out down with the server's own timestamps (``--instrument``)."""
        if self.instrument_path is None:
            return None
        time.sleep(0.6)  # the server writes its figures twice a second
        try:
            stats = json.loads(self.instrument_path.read_text())
        except (OSError, ValueError):
            return None
        t0, last = t0_ns / NS, last_ns / NS

        def at(t: float) -> float:
            return round((t - t0) * 1000, 1)

        out: dict[str, Any] = {"wrapped": stats["wrapped"]}
        start = next((row for row in stats["starts"] if row[0] >= t0 - 0.001), None)
        if start:
            out["start_breakout"] = {"at_ms": at(start[0]), "took_ms": start[1]}
        flush = next((row for row in stats["flushes"] if start and row[0] >= start[0]), None)
        if flush:
            out["flush"] = {"at_ms": at(flush[0]), "took_ms": flush[2], "clients": flush[1]}
            end = flush[0] + flush[2] / 1000
            bursts = [b for b in stats["sends"] if b[1] >= flush[0] and b[0] <= end + 1]
            if bursts:
                burst = max(bursts, key=lambda b: b[2])
                out["sends"] = {
                    "first_ms": at(burst[0]),
                    "last_ms": at(burst[1]),
                    "count": burst[2],
                    "us_per_send": round((burst[1] - burst[0]) * 1e6 / max(1, burst[2] - 1)),
                }
        out["gen2_pauses_ms"] = [ms for t, ms in stats["gen2"] if t0 <= t <= last]
        out["loop_stalls"] = [(at(t), ms) for t, ms in stats.get("lags", []) if t0 <= t <= last]
        out["flushes"] = [(at(t), n, ms) for t, n, ms in stats["flushes"] if t0 - 2 <= t <= last]
        out["gc_totals"] = {
            "count": stats["gc_count"],
            "seconds": [round(x, 2) for x in stats["gc_seconds"]],
            "max_ms": [round(x, 1) for x in stats["gc_max_ms"]],
        }
        return out

    @property
    def timeout(self) -> float:
        return float(self.args.phase_timeout)

    def log(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    def background(self) -> float:
        """Wait (up to --wait-idle s) for the machine to be quiet; return its busy percent.

        Every process of the benchmark is idle here, so this is what others use.
        """
        deadline = time.monotonic() + self.args.wait_idle
        busy = cpu_busy()
        while busy > self.args.idle_threshold and time.monotonic() < deadline:
            busy = cpu_busy(2.0)
        if busy > self.args.idle_threshold:
            self.log(f"  WARNING: other processes keep the CPUs {busy}% busy; figures suffer")
        return busy

    def log_tail(self, path: Path | None, lines: int = 30) -> None:
        if path is not None and path.exists():
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            self.log("  server log, last lines:\n    " + "\n    ".join(tail))

    def close_clients(self) -> None:
        try:
            self.pool.each("close_all", self.timeout)
        except Exception as exc:  # noqa: BLE001 - keep the first error
            self.log(f"  closing the clients failed: {exc}")

    # ---- Duo ---------------------------------------------------------------------------

    def duo_server(self, name: str, deflate: bool, database: str = "sqlite") -> ServerProcess:
        """Start a Duo server on a fresh database of the kind ``database`` names
        (``databases.KINDS``); it is removed when the server stops."""
        directory = self.workdir / name
        directory.mkdir(parents=True, exist_ok=True)
        db = BenchDatabase(database, directory, self.args.db_delay_ms)
        env = dict(UNLIMITED)
        self.instrument_path = None
        if self.args.instrument:
            self.instrument_path = directory / "instrument.json"
            env["PYTHONPATH"] = str(ROOT / "bench" / "instrument")
            env["DUO_BENCH_INSTRUMENT"] = str(self.instrument_path)
        env.update(item.split("=", 1) for item in self.args.server_env)
        if not deflate:
            env["UVICORN_WS_PER_MESSAGE_DEFLATE"] = "false"
        server = ServerProcess(db.url, extra_env=env, log_path=directory / "server.log")
        server.on_stop.append(db.close)
        server.start()
        assert server.process is not None
        self.children.append(server.process)
        if db.proxy is not None:
            self.children.append(db.proxy)
        return server

    def create_session(self, http: httpx.Client) -> tuple[str, str]:
        r = http.post("/api/sessions", json={"title": TITLE, "phase_seconds": 60})
        r.raise_for_status()
        body = r.json()
        return body["code"], body["host_token"]

    def join_all(self, base: str, code: str, n: int) -> tuple[list[tuple[str, str, str]], float]:
        """Join n participants over HTTP from every client process; return them and joins/s."""
        names = [f"P{i:05d}" for i in range(n)]
        per_proc = max(1, self.args.join_concurrency // len(self.pool))
        answers = self.pool.each(
            "join",
            self.timeout,
            per=[{"names": part} for part in distribute(names, len(self.pool))],
            base=base,
            code=code,
            concurrency=per_proc,
            timeout=self.timeout,
        )
        joined = sorted(p for a in answers for p in a["joined"])
        failed = sum(a["failed"] for a in answers)
        if failed or len(joined) != n:
            why = next((a["first_failure"] for a in answers if a["first_failure"]), "")
            raise RuntimeError(f"{failed} joins failed, e.g. {why}")
        seconds = (max(a["t1"] for a in answers) - min(a["t0"] for a in answers)) / NS
        return joined, n / seconds

    def connect_all(
        self, url: str, people: list[tuple[str, str, bool]], deflate: bool
    ) -> dict[str, Any]:
        parts = distribute(people, len(self.pool))
        answers = self.pool.each(
            "connect",
            self.args.connect_timeout,
            per=[{"items": part} for part in parts],
            url=url,
            deflate=deflate,
            concurrency=self.args.connect_concurrency,
            timeout=self.timeout,
        )
        seconds = span_s(answers, "connections failed")
        return {
            "connects_per_s": round(len(people) / seconds, 1),
            "connect_s": round(seconds, 2),
            "extensions": answers[0]["extensions"] or "none",
        }

    def end_breakout(self, http: httpx.Client, code: str, host_token: str) -> None:
        """End the running breakout and wait until every client was told, then quiet."""
        r = http.post(
            f"/api/sessions/{code}/breakouts/current/end",
            headers={"Authorization": f"Bearer {host_token}"},
        )
        r.raise_for_status()
        answers = self.pool.each(
            "wait_status", self.timeout, status="finished", timeout=self.timeout
        )
        if not all(a["done"] for a in answers):
            raise RuntimeError("not every client heard that the breakout ended")
        self.quiet()

    def quiet(self, quiet: float = 0.5) -> None:
        self.pool.each("quiet", self.timeout, quiet=quiet, timeout=self.timeout)

    def collect(self) -> tuple[list[int], list[int], str | None, int | None]:
        answers = self.pool.each("collect", self.timeout, timeout=self.timeout)
        missing = sum(a["missing"] for a in answers)
        if missing:
            raise RuntimeError(f"{missing} clients got no state with a breakout in time")
        hits = [t for a in answers for t in a["hits"]]
        sizes = [s for a in answers for s in a["sizes"]]
        samples: dict[int, str] = {}
        for a in answers:
            samples.update(a["samples"])
        median = statistics.median_low(sizes) if sizes else 0
        sample = samples.get(median)
        host = next((a["host_ns"] for a in answers if a["host_ns"]), None)
        return hits, sizes, sample, host

    def duo_fanout(self, n: int, deflate: bool, restart: bool, profile: bool) -> dict[str, Any]:
        label = f"duo-{n}-{'deflate' if deflate else 'plain'}"
        self.log(f"Duo, N={n}, per-message deflate {'on' if deflate else 'off'}")
        server = self.duo_server(label, deflate)
        assert server.process is not None
        pid = server.process.pid
        out: dict[str, Any] = {"n": n, "deflate": deflate}
        try:
            with httpx.Client(base_url=server.base_url, timeout=self.timeout) as http:
                code, host_token = self.create_session(http)
                out["background_cpu_pct_joins"] = self.background()
                rss_start = rss_kib(pid)
                people, joins_per_s = self.join_all(server.base_url, code, n)
                out["joins_per_s"] = round(joins_per_s, 1)
                self.log(f"  {n} joins over HTTP: {joins_per_s:.0f}/s")
                out["background_cpu_pct"] = self.background()
                rss0 = rss_kib(pid)
                clients = [(name, token, False) for name, _id, token in people]
                clients.append(("host", host_token, True))
                out.update(self.connect_all(f"{server.ws_url}/ws/{code}", clients, deflate))
                self.log(
                    f"  {n} + host connected in {out['connect_s']} s "
                    f"({out['connects_per_s']}/s), extensions: {out['extensions']}"
                )
                if deflate and "deflate" not in out["extensions"]:
                    self.log(
                        "  WARNING: deflate was asked for but not agreed: `python -m app` "
                        "always serves without it, so this run is of Duo without deflate"
                    )
                self.quiet()
                rss1 = rss_kib(pid)
                runs: list[list[int]] = []
                sizes: list[int] = []
                host_ms: list[float] = []
                answer_ms: list[float] = []
                sample = None
                for rep in range(self.args.repeat):
                    if rep:
                        self.end_breakout(http, code, host_token)
                    self.pool.each("arm", self.timeout)
                    with httpx.Client(base_url=server.base_url, timeout=self.timeout) as trig:
                        t0 = time.time_ns()
                        r = trig.post(
                            f"/api/sessions/{code}/breakouts",
                            headers={"Authorization": f"Bearer {host_token}"},
                        )
                        t_answer = time.time_ns()
                    if r.status_code != 201:
                        raise RuntimeError(f"breakout not started: {r.status_code} {r.text[:200]}")
                    hits, sizes, sample, host_ns = self.collect()
                    runs.append([t - t0 for t in hits])
                    answer_ms.append(ms(t_answer - t0))
                    breakdown = self.instrumented(t0, max(hits))
                    if breakdown is not None:
                        out.setdefault("timeline", []).append(breakdown)
                        self.log(f"    server side: {describe_breakdown(breakdown)}")
                    if host_ns:
                        host_ms.append(ms(host_ns - t0))
                    self.log(
                        f"  fan-out {rep + 1}: p50 {ms(pct(runs[-1], 50))} ms, "
                        f"p99 {ms(pct(runs[-1], 99))} ms, max {ms(max(runs[-1]))} ms, "
                        f"HTTP answer {ms(t_answer - t0)} ms"
                    )
                    self.quiet()
                rss2 = rss_kib(pid)
                out["latency"] = latency_summary(runs)
                out["host_state_ms"] = host_ms
                out["http_answer_ms"] = answer_ms
                out["state_bytes"] = size_summary(sizes)
                out["sample_state"] = sample
                out["rss_kib"] = {"start": rss_start, "before_connect": rss0}
                out["rss_kib"].update(connected=rss1, after_fanout=rss2)
                out["kib_per_connection"] = round((rss2 - rss0) / n, 1)
                out["kib_per_connection_connected"] = round((rss1 - rss0) / n, 1)
                self.log(
                    f"  RSS {rss0 // 1024} MiB -> {rss2 // 1024} MiB: "
                    f"{out['kib_per_connection']} KiB per connection"
                )
                if profile:
                    out["profile"] = self.profile_duo(server, code, host_token, http)
                if restart:
                    out["restart"] = self.restart(server, n)
        except Exception:
            self.log_tail(server.log_path)
            raise
        finally:
            server.stop()
            self.close_clients()
        return out

    def restart(self, server: ServerProcess, n: int) -> dict[str, Any]:
        self.log(f"  restart: SIGKILL, start again, {n} + host reconnect with backoff")
        background = self.background()
        self.pool.each("set_reconnect", self.timeout, on=True)
        server.kill()
        t0 = time.time_ns()
        server.start(timeout=120)
        t_up = time.time_ns()
        assert server.process is not None
        self.children.append(server.process)
        wait = self.args.connect_timeout
        answers = self.pool.each("collect_resync", wait, timeout=wait)
        missing = sum(a["missing"] for a in answers)
        rows = [row for a in answers for row in a["resync"]]
        done = [t - t0 for _host, t, _a, _b in rows if t is not None]
        attempts = Counter(a for _h, _t, a, _b in rows)
        wrong = sum(1 for _h, t, _a, b in rows if t is not None and not b)
        self.pool.each("set_reconnect", self.timeout, on=False)
        result = {
            "background_cpu_pct": background,
            "clients": len(rows),
            "missing": missing,
            "server_up_s": round((t_up - t0) / NS, 2),
            "all_resynced_s": round(max(done) / NS, 2) if done and not missing else None,
            "p50_s": round(pct(done, 50) / NS, 2) if done else None,
            "p99_s": round(pct(done, 99) / NS, 2) if done else None,
            "attempts": dict(sorted(attempts.items())),
            "state_without_breakout": wrong,
        }
        self.log(
            f"  server answering after {result['server_up_s']} s; all {len(rows)} resynced "
            f"after {result['all_resynced_s']} s (p50 {result['p50_s']} s), missing {missing}"
        )
        return result

    def profile_duo(
        self, server: ServerProcess, code: str, host_token: str, http: httpx.Client
    ) -> dict[str, Any]:
        """Sample the server with py-spy over repeated breakout start/end fan-outs."""
        py_spy = Path(sys.executable).with_name("py-spy")
        if not py_spy.exists():
            return {"error": "py-spy is not installed in the venv (pip install py-spy)"}
        assert server.process is not None
        raw = self.workdir / f"profile-{code}.txt"
        auth = {"Authorization": f"Bearer {host_token}"}
        spy = subprocess.Popen(
            [str(py_spy), "record", "--pid", str(server.process.pid), "--rate", "250"]
            + ["--format", "raw", "--output", str(raw), "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.0)
        cycles = self.args.profile_cycles
        t_start = time.monotonic()
        for _ in range(cycles):
            self.end_breakout(http, code, host_token)
            self.pool.each("arm", self.timeout)
            http.post(f"/api/sessions/{code}/breakouts", headers=auth).raise_for_status()
            self.collect()
            self.quiet(0.3)
        busy = time.monotonic() - t_start
        spy.send_signal(signal.SIGINT)
        try:
            _, err = spy.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
            _, err = spy.communicate()
        if not raw.exists():
            return {"error": err.decode(errors="replace")[-500:]}
        saved = OUT_DIR / f"profile-duo-{code}.collapsed.txt"
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        saved.write_text(raw.read_text())
        summary = summarise_profile(raw.read_text())
        summary.update(
            cycles=cycles, seconds=round(busy, 1), collapsed=str(saved.relative_to(ROOT))
        )
        return summary

    # ---- the floor ---------------------------------------------------------------------

    def floor_fanout(self, n: int, deflate: bool, sample: str | None) -> dict[str, Any]:
        self.log(f"floor, N={n}, per-message deflate {'on' if deflate else 'off'}")
        template = self.workdir / f"floor-template-{n}.json"
        state = json.loads(sample) if sample else synthetic_state()
        template.write_text(json.dumps(state, separators=(",", ":"), ensure_ascii=False))
        out_template = state
        port = free_port()
        command = [sys.executable, str(ROOT / "bench" / "floor_server.py"), "--port", str(port)]
        command += ["--template", str(template)] + ([] if deflate else ["--no-deflate"])
        log = open(self.workdir / f"floor-{n}.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
        self.children.append(proc)
        base = f"http://127.0.0.1:{port}"
        out: dict[str, Any] = {"n": n, "deflate": deflate}
        try:
            wait_until_answers(proc, f"{base}/health", 20, what="the floor server")
            out["background_cpu_pct"] = self.background()
            rss0 = rss_kib(proc.pid)
            clients = [(f"P{i:05d}", f"p_{i:012d}|P{i:05d}", False) for i in range(n)]
            out.update(self.connect_all(f"ws://127.0.0.1:{port}/ws", clients, deflate))
            self.quiet()
            rss1 = rss_kib(proc.pid)
            runs: list[list[int]] = []
            sizes: list[int] = []
            for rep in range(self.args.repeat):
                self.pool.each("arm", self.timeout)
                with httpx.Client(base_url=base, timeout=self.timeout) as trig:
                    t0 = time.time_ns()
                    r = trig.get("/trigger")
                if r.status_code != 200:
                    raise RuntimeError(f"floor trigger failed: {r.status_code}")
                hits, sizes, _sample, _host = self.collect()
                runs.append([t - t0 for t in hits])
                self.log(
                    f"  fan-out {rep + 1}: p50 {ms(pct(runs[-1], 50))} ms, "
                    f"p99 {ms(pct(runs[-1], 99))} ms, max {ms(max(runs[-1]))} ms"
                )
                self.quiet()
            rss2 = rss_kib(proc.pid)
            out["latency"] = latency_summary(runs)
            out["state_bytes"] = size_summary(sizes)
            out["template"] = out_template
            out["rss_kib"] = {"before_connect": rss0, "connected": rss1, "after_fanout": rss2}
            out["kib_per_connection"] = round((rss2 - rss0) / n, 1)
            out["kib_per_connection_connected"] = round((rss1 - rss0) / n, 1)
            self.log(
                f"  RSS {rss0 // 1024} MiB -> {rss2 // 1024} MiB: "
                f"{out['kib_per_connection']} KiB per connection"
            )
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
            self.close_clients()
        return out

    # ---- the lobby ---------------------------------------------------------------------

    def lobby(self, n: int, deflate: bool) -> dict[str, Any]:
        self.log(f"lobby: {n} participants join and connect one after another")
        server = self.duo_server(f"lobby-{n}", deflate)
        try:
            with httpx.Client(base_url=server.base_url, timeout=self.timeout) as http:
                code, host_token = self.create_session(http)
            url = f"{server.ws_url}/ws/{code}"
            self.pool.send(
                0,
                "connect",
                items=[("host", host_token, True)],
                url=url,
                deflate=deflate,
                concurrency=1,
                timeout=self.timeout,
            )
            self.pool.recv(0, self.timeout + 5)
            background = self.background()
            t0 = time.monotonic()
            for i in range(n):
                w = i % len(self.pool)
                self.pool.send(
                    w,
                    "lobby_one",
                    base=server.base_url,
                    url=url,
                    code=code,
                    name=f"P{i:05d}",
                    deflate=deflate,
                    timeout=self.timeout,
                )
                self.pool.recv(w, self.timeout + 5)
            answers = self.pool.each(
                "wait_count",
                self.timeout,
                count=n,
                floor=count_floor(n),
                quiet=0.5,
                timeout=self.timeout,
            )
            seconds = time.monotonic() - t0
            if not all(a["done"] for a in answers):
                raise RuntimeError("the lobby did not settle on the full count")
            counters = self.pool.each("counters", self.timeout)
        finally:
            server.stop()
            self.close_clients()
        total: dict[str, int] = defaultdict(int)
        for c in counters:
            for key in ("participant_bytes", "participant_msgs", "host_bytes", "host_msgs"):
                total[key] += c[key]
        out = {"n": n, "seconds": round(seconds, 1), "background_cpu_pct": background, **total}
        out["participant_bytes_per_participant"] = round(total["participant_bytes"] / n)
        out["participant_msgs_per_participant"] = round(total["participant_msgs"] / n, 1)
        self.log(
            f"  {seconds:.1f} s; participants received {total['participant_bytes']:,} B in "
            f"{total['participant_msgs']:,} messages; host {total['host_bytes']:,} B in "
            f"{total['host_msgs']:,}"
        )
        return out


def synthetic_state() -> dict[str, Any]:
    """A participant ``state`` shaped like the contract's, for a floor without a Duo sample."""
    now = int(time.time() * 1000)
    slots = [
        {"starts_at_ms": now + i * 60_000, "ends_at_ms": now + (i + 1) * 60_000} for i in range(8)
    ]
    phases = [
        {"kind": k, "teller": t}
        for t in ("p_000000000000", "p_000000000001")
        for k in ("tell", "silence", "question", "answer")
    ]
    members = [
        {"id": "p_000000000000", "name": "P00000", "online": True},
        {"id": "p_000000000001", "name": "P00001", "online": True},
    ]
    return {
        "type": "state",
        "server_ms": now,
        "session": {"code": "K7PQXRAB", "title": TITLE, "language": "nl", "phase_seconds": 60},
        "me": {"id": "p_000000000000", "name": "P00000", "host": False},
        "participant_count": 1000,
        "breakout": {
            "id": "b_000000000000",
            "number": 1,
            "status": "running",
            "slots": slots,
            "current_slot": 0,
            "remaining_ms": 60000,
            "my_group": {"members": members, "phases": phases},
        },
    }
