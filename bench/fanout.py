"""Duo's fan-out against the floor, side by side, in one run.

    .venv/bin/python bench/fanout.py [--sizes 1000,3000]      (or: make bench)

Measures, on this machine, with real processes talking over 127.0.0.1:

* fan-out latency: N participants connected by WebSocket, the host starts a breakout
  (``POST /api/sessions/{code}/breakouts``); latency from sending that request to each
  client having received and parsed its ``state`` with ``breakout`` set. The floor is a bare
  ``websockets`` server (``bench/floor_server.py``, same Python, same loop) that on an HTTP
  trigger sends each connection a personal JSON message of the same byte size;
* memory per connection: server RSS growth from before the clients connect to after all are
  connected and have their states, divided by N (``/proc/<pid>/status`` VmRSS);
* joins per second over HTTP on SQLite;
* bytes sent to clients while a lobby fills (participants join and connect one by one);
* the time for every client to reconnect and resync after the server is SIGKILLed and
  started again on the same database and port.

Clients run in several processes (``--workers``), each an asyncio loop with the
``websockets`` client. Timestamps are ``time.time_ns()`` on this one machine. Every phase
has a timeout; the whole run is bounded by ``--max-seconds``. A table is printed and the
figures are written as JSON under ``test-output/bench/``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing as mp
import os
import platform
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.utils.server import ServerProcess, free_port, migrate, sqlite_url  # noqa: E402

OUT_DIR = ROOT / "test-output" / "bench"
# Every client of the benchmark comes from 127.0.0.1 and one session holds thousands: lift
# Duo's abuse limits (per-address rates and caps, participants per session) for the run.
UNLIMITED = {
    "DUO_SESSIONS_PER_MINUTE": "0",
    "DUO_JOINS_PER_MINUTE": "0",
    "DUO_MISSES_PER_MINUTE": "0",
    "DUO_MAX_PARTICIPANTS": "1000000",
    "DUO_MAX_SOCKETS_PER_IP": "1000000",
}
TITLE = "Intervisie team B"
NS = 1_000_000_000

# ======================================================================================
# Client worker processes
# ======================================================================================


def backoff_s(attempt: int) -> float:
    """The browser client's reconnect delay (web/js/clock.js backoffMs): 0.5 s doubling,
    capped at 15 s, with jitter in [1/2, 1]."""
    return min(15.0, 0.5 * 2**attempt) * (0.5 + random.random() / 2)


class Client:
    """One WebSocket client: hello, then read and parse every message, counting bytes."""

    def __init__(self, worker: Worker, key: str, url: str, token: str, host: bool) -> None:
        self.worker = worker
        self.key = key
        self.url = url
        self.hello = json.dumps({"type": "hello", "token": token})
        self.host = host
        self.ws: Any = None
        self.first = asyncio.Event()
        self.first_ns = 0
        self.bytes = 0
        self.msgs = 0
        self.count: int | None = None
        self.has_breakout = False
        self.breakout_id: str | None = None
        self.status: str | None = None
        self.armed_breakout_id: str | None = None
        self.armed = False
        self.hit_ns: int | None = None
        self.hit_len = 0
        self.hit_raw: bytes | None = None
        self.reconnect = False
        self.closing = False
        self.resync_ns: int | None = None
        self.resync_breakout = False
        self.attempts = 0
        self.close_code: int | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    async def open(self, timeout: float) -> None:
        from websockets.asyncio.client import connect

        self.first = asyncio.Event()
        ws = await connect(
            self.url,
            compression="deflate" if self.worker.deflate else None,
            open_timeout=timeout,
            ping_interval=None,
            close_timeout=2,
            max_size=None,
        )
        self.ws = ws
        if self.worker.extensions is None:
            self.worker.extensions = ws.response.headers.get("Sec-WebSocket-Extensions", "")
        await ws.send(self.hello)
        task = asyncio.create_task(self.read(ws))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        await asyncio.wait_for(self.first.wait(), timeout)

    async def read(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        worker = self.worker
        try:
            while True:
                raw = await ws.recv(decode=False)
                msg = json.loads(raw)
                now = time.time_ns()
                size = len(raw)
                self.bytes += size
                self.msgs += 1
                worker.last_rx = now
                if type(msg) is not dict or msg.get("type") != "state":
                    continue
                self.count = msg.get("participant_count")
                breakout = msg.get("breakout")
                self.has_breakout = breakout is not None
                self.breakout_id = breakout.get("id") if breakout else None
                self.status = breakout.get("status") if breakout else None
                if not self.first.is_set():
                    self.first_ns = now
                    self.first.set()
                if (
                    self.armed
                    and self.hit_ns is None
                    and self.breakout_id is not None
                    and self.breakout_id != self.armed_breakout_id
                ):  # the first state of a new breakout
                    self.hit_ns, self.hit_len = now, size
                    if not self.host:
                        worker.hits += 1
                        worker.samples.setdefault(size, raw)
        except ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd else None
        except Exception as exc:  # noqa: BLE001 - counted, not fatal
            worker.errors[type(exc).__name__] += 1
        finally:
            if self.ws is ws:
                self.ws = None
        if self.reconnect and not self.closing:
            await self.reconnect_loop()

    async def reconnect_loop(self) -> None:
        attempt = 0
        while self.reconnect and not self.closing:
            await asyncio.sleep(backoff_s(attempt))
            attempt += 1
            self.attempts += 1
            try:
                await self.open(10.0)
            except Exception:  # noqa: BLE001 - refused while the server is down: retry
                if self.ws is not None:
                    with contextlib.suppress(Exception):
                        await self.ws.close()
                continue
            self.resync_ns = self.first_ns
            self.resync_breakout = self.has_breakout
            self.worker.resynced += 1
            return

    async def close(self) -> None:
        self.closing = True
        self.reconnect = False
        ws = self.ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 3)
        for task in list(self.tasks):
            task.cancel()


class Worker:
    """Runs in a client process: obeys commands from the orchestrator's pipe."""

    def __init__(self, pipe: Connection) -> None:
        self.pipe = pipe
        self.clients: list[Client] = []
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.deflate = True
        self.extensions: str | None = None
        self.last_rx = 0
        self.hits = 0
        self.resynced = 0
        self.samples: dict[int, bytes] = {}
        self.errors: Counter[str] = Counter()
        self.http: httpx.AsyncClient | None = None

    def _read_pipe(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read commands in a thread: a blocking read of a whole message, however large."""
        while True:
            try:
                command = self.pipe.recv()
            except (EOFError, OSError):
                command = {"op": "exit"}
            loop.call_soon_threadsafe(self.queue.put_nowait, command)
            if command["op"] == "exit":
                return

    async def run(self) -> None:
        import threading

        loop = asyncio.get_running_loop()
        threading.Thread(target=self._read_pipe, args=(loop,), daemon=True).start()
        while True:
            command = await self.queue.get()
            op = command.pop("op")
            if op == "exit":
                break
            try:
                result = await getattr(self, f"op_{op}")(**command)
            except Exception as exc:  # noqa: BLE001 - reported to the orchestrator
                result = {"error": f"{type(exc).__name__}: {exc}"}
            self.pipe.send(result)
        await self.op_close_all()
        if self.http is not None:
            await self.http.aclose()

    @property
    def participants(self) -> list[Client]:
        return [c for c in self.clients if not c.host]

    # ---- commands ----------------------------------------------------------------------

    async def op_join(
        self, base: str, code: str, names: list[str], concurrency: int, timeout: float
    ) -> dict[str, Any]:
        """Join ``names`` over HTTP, ``concurrency`` requests at a time."""
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        joined: list[tuple[str, str, str]] = []
        failed = 0
        first_failure = ""
        queue = list(reversed(names))
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as http:

            async def one_by_one() -> None:
                nonlocal failed, first_failure
                while queue:
                    name = queue.pop()
                    r = await http.post(f"/api/sessions/{code}/participants", json={"name": name})
                    if r.status_code == 201:
                        body = r.json()
                        joined.append((name, body["id"], body["token"]))
                    else:
                        failed += 1
                        first_failure = first_failure or f"{r.status_code} {r.text[:200]}"

            await http.get("/api/time")  # open the pool's first connection
            t0 = time.time_ns()
            await asyncio.wait_for(
                asyncio.gather(*(one_by_one() for _ in range(concurrency))), timeout
            )
            t1 = time.time_ns()
        return {
            "joined": joined,
            "failed": failed,
            "first_failure": first_failure,
            "t0": t0,
            "t1": t1,
        }

    async def op_connect(
        self,
        url: str,
        items: list[tuple[str, str, bool]],
        deflate: bool,
        concurrency: int,
        timeout: float,
    ) -> dict[str, Any]:
        """Open a client per (key, token, is_host), hello, and wait for each one's first state."""
        self.deflate = deflate
        gate = asyncio.Semaphore(concurrency)
        failures: Counter[str] = Counter()
        new = [Client(self, key, url, token, host) for key, token, host in items]

        async def open_one(client: Client) -> None:
            async with gate:
                try:
                    await client.open(timeout)
                except Exception as exc:  # noqa: BLE001 - counted
                    failures[type(exc).__name__] += 1

        t0 = time.time_ns()
        await asyncio.gather(*(open_one(c) for c in new))
        t1 = time.time_ns()
        self.clients.extend(new)
        return {
            "ok": len(new) - sum(failures.values()),
            "failures": dict(failures),
            "t0": t0,
            "t1": t1,
            "extensions": self.extensions,
        }

    async def op_lobby_one(
        self, base: str, url: str, code: str, name: str, deflate: bool, timeout: float
    ) -> dict[str, Any]:
        """Join one participant over HTTP, connect it and wait for its first state."""
        self.deflate = deflate
        if self.http is None or str(self.http.base_url).rstrip("/") != base:
            if self.http is not None:
                await self.http.aclose()
            self.http = httpx.AsyncClient(base_url=base, timeout=timeout)
        r = await self.http.post(f"/api/sessions/{code}/participants", json={"name": name})
        r.raise_for_status()
        client = Client(self, name, url, r.json()["token"], False)
        await client.open(timeout)
        self.clients.append(client)
        return {"ok": 1}

    async def op_arm(self) -> dict[str, Any]:
        self.hits = 0
        self.samples = {}
        for c in self.clients:
            c.armed, c.hit_ns, c.hit_len = True, None, 0
            c.armed_breakout_id = c.breakout_id
        return {"armed": len(self.clients)}

    async def op_collect(self, timeout: float) -> dict[str, Any]:
        """Wait until every participant got a state with a breakout; return the times."""
        target = len(self.participants)
        deadline = time.monotonic() + timeout
        while self.hits < target and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        hits = [c.hit_ns for c in self.participants if c.hit_ns is not None]
        sizes = [c.hit_len for c in self.participants if c.hit_ns is not None]
        host = [c.hit_ns for c in self.clients if c.host and c.hit_ns is not None]
        for c in self.clients:
            c.armed = False
        return {
            "hits": hits,
            "sizes": sizes,
            "missing": target - len(hits),
            "host_ns": host[0] if host else None,
            "samples": {size: raw.decode() for size, raw in self.samples.items()},
        }

    async def op_quiet(self, quiet: float, timeout: float) -> dict[str, Any]:
        """Wait until no message arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.time_ns() - self.last_rx >= quiet * NS:
                return {"quiet": True}
            await asyncio.sleep(0.05)
        return {"quiet": False}

    async def op_wait_status(self, status: str, timeout: float) -> dict[str, Any]:
        """Wait until every client's newest state shows the breakout ``status``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(c.status == status for c in self.clients):
                return {"done": True}
            await asyncio.sleep(0.01)
        return {"done": False}

    async def op_wait_count(self, count: int, quiet: float, timeout: float) -> dict[str, Any]:
        """Wait until every client's newest state counts ``count`` participants, then quiet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(c.count == count for c in self.clients):
                break
            await asyncio.sleep(0.05)
        done = all(c.count == count for c in self.clients)
        await self.op_quiet(quiet, max(0.0, deadline - time.monotonic()))
        return {"done": done}

    async def op_counters(self) -> dict[str, Any]:
        out: dict[str, Any] = {"participant_bytes": 0, "participant_msgs": 0}
        out.update(host_bytes=0, host_msgs=0, errors=dict(self.errors))
        for c in self.clients:
            kind = "host" if c.host else "participant"
            out[f"{kind}_bytes"] += c.bytes
            out[f"{kind}_msgs"] += c.msgs
        return out

    async def op_reset_counters(self) -> dict[str, Any]:
        for c in self.clients:
            c.bytes = c.msgs = 0
        return {}

    async def op_set_reconnect(self, on: bool) -> dict[str, Any]:
        self.resynced = 0
        for c in self.clients:
            c.reconnect, c.resync_ns, c.attempts = on, None, 0
        return {}

    async def op_collect_resync(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while self.resynced < len(self.clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return {
            "resync": [(c.host, c.resync_ns, c.attempts, c.resync_breakout) for c in self.clients],
            "missing": sum(1 for c in self.clients if c.resync_ns is None),
        }

    async def op_close_all(self) -> dict[str, Any]:
        clients, self.clients = self.clients, []
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        self.errors.clear()
        return {"closed": len(clients)}


def worker_main(pipe: Connection) -> None:
    """Entry point of a client process."""
    import faulthandler
    import traceback

    faulthandler.enable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator ends us
    try:
        import uvloop
    except ImportError:
        uvloop = None
    try:
        if uvloop is not None:
            uvloop.run(Worker(pipe).run())
        else:
            asyncio.run(Worker(pipe).run())
    except BaseException:
        traceback.print_exc()
        raise


class Pool:
    """The client processes, driven from the orchestrator over pipes."""

    def __init__(self, size: int) -> None:
        ctx = mp.get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs: list[Any] = []
        for _ in range(size):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(child,), daemon=True)
            proc.start()
            child.close()
            self.pipes.append(parent)
            self.procs.append(proc)

    def __len__(self) -> int:
        return len(self.pipes)

    def send(self, index: int, op: str, **args: Any) -> None:
        self.pipes[index].send({"op": op, **args})

    def recv(self, index: int, timeout: float) -> dict[str, Any]:
        try:
            if not self.pipes[index].poll(timeout):
                raise TimeoutError(f"client process {index} did not answer in {timeout:.0f} s")
            result: dict[str, Any] = self.pipes[index].recv()
        except (EOFError, OSError) as exc:
            self.procs[index].join(1)
            code = self.procs[index].exitcode
            raise RuntimeError(f"client process {index} died (exit code {code})") from exc
        if "error" in result:
            raise RuntimeError(f"client process {index}: {result['error']}")
        return result

    def each(
        self, op: str, wait: float, per: list[dict[str, Any]] | None = None, **args: Any
    ) -> list[dict[str, Any]]:
        """Send ``op`` to every process (with its own args from ``per``) and gather answers."""
        for i in range(len(self)):
            self.send(i, op, **args, **(per[i] if per else {}))
        deadline = time.monotonic() + wait + 5
        return [self.recv(i, max(0.1, deadline - time.monotonic())) for i in range(len(self))]

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(Exception):
                pipe.send({"op": "exit"})
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()


# ======================================================================================
# Orchestrator
# ======================================================================================


def rss_kib(pid: int) -> int:
    """Return the resident set size of process ``pid`` in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_busy(seconds: float = 1.0) -> float:
    """Return how busy (percent) all CPUs of the machine were over the next ``seconds``."""

    def snap() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values[:8]), values[3] + values[4]

    total0, idle0 = snap()
    time.sleep(seconds)
    total1, idle1 = snap()
    return round(100 * (1 - (idle1 - idle0) / max(1, total1 - total0)), 1)


def pct(values: list[float], p: float) -> float:
    """Return the ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(ns: float) -> float:
    return round(ns / 1e6, 2)


def latency_summary(runs: list[list[int]]) -> dict[str, Any]:
    """Summarise latencies (ns) of several repetitions: pooled p50/p99/max and per run."""
    pooled = [v for run in runs for v in run]
    return {
        "p50_ms": ms(pct(pooled, 50)),
        "p99_ms": ms(pct(pooled, 99)),
        "max_ms": ms(max(pooled)),
        "min_ms": ms(min(pooled)),
        "runs_p50_ms": [ms(pct(r, 50)) for r in runs],
        "runs_p99_ms": [ms(pct(r, 99)) for r in runs],
        "median_run_p99_ms": ms(statistics.median(pct(r, 99) for r in runs)),
        "samples": len(pooled),
    }


def size_summary(sizes: list[int]) -> dict[str, int]:
    return {"min": min(sizes), "median": statistics.median_low(sizes), "max": max(sizes)}


def distribute(items: list[Any], k: int) -> list[list[Any]]:
    return [items[i::k] for i in range(k)]


@dataclass
class Bench:
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

    def duo_server(self, name: str, deflate: bool) -> ServerProcess:
        directory = self.workdir / name
        directory.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(directory)
        migrate(url)
        env = dict(UNLIMITED)
        self.instrument_path = None
        if self.args.instrument:
            self.instrument_path = directory / "instrument.json"
            env["PYTHONPATH"] = str(ROOT / "bench" / "instrument")
            env["DUO_BENCH_INSTRUMENT"] = str(self.instrument_path)
        env.update(item.split("=", 1) for item in self.args.server_env)
        if not deflate:
            env["UVICORN_WS_PER_MESSAGE_DEFLATE"] = "false"
        server = ServerProcess(url, extra_env=env, log_path=directory / "server.log")
        server.start()
        assert server.process is not None
        self.children.append(server.process)
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
        failures: Counter[str] = Counter()
        for a in answers:
            failures.update(a["failures"])
        if failures:
            raise RuntimeError(f"connections failed: {dict(failures)}")
        seconds = (max(a["t1"] for a in answers) - min(a["t0"] for a in answers)) / NS
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
            deadline = time.monotonic() + 20
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the floor server did not start")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                time.sleep(0.05)
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
                "wait_count", self.timeout, count=n, quiet=0.5, timeout=self.timeout
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


def describe_breakdown(b: dict[str, Any]) -> str:
    parts = []
    if "start_breakout" in b:
        parts.append(f"start_breakout {b['start_breakout']['took_ms']} ms")
    if "flush" in b:
        parts.append(f"flush at +{b['flush']['at_ms']} ms took {b['flush']['took_ms']} ms")
    if "sends" in b:
        s = b["sends"]
        parts.append(
            f"{s['count']} sends +{s['first_ms']}..+{s['last_ms']} ms ({s['us_per_send']} us each)"
        )
    if b["gen2_pauses_ms"]:
        parts.append(f"full GC pauses {b['gen2_pauses_ms']} ms")
    if b.get("loop_stalls"):
        stalls = ", ".join(f"+{at}: {ms}" for at, ms in b["loop_stalls"])
        parts.append(f"event loop late by >20 ms at [{stalls}] ms")
    return "; ".join(parts)


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


def summarise_profile(collapsed: str, top: int = 25) -> dict[str, Any]:
    """Return the hottest functions of a py-spy ``raw`` (collapsed stacks) profile."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [f.strip() for f in stack.split(";") if f.strip()]
        frames = [f for f in frames if not f.startswith("process ") and not f.startswith("thread ")]
        if not frames:
            continue
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count

    def table(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * c / total, 1)) for name, c in counter.most_common(top)]

    return {"samples": total, "self_pct": table(own), "inclusive_pct": table(inclusive)}


# ======================================================================================
# Report
# ======================================================================================


def machine() -> dict[str, Any]:
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import uvicorn
    import websockets

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "uvicorn": uvicorn.__version__,
        "websockets": websockets.__version__,
    }


def code_version(note: str) -> dict[str, Any]:
    """Return which code is measured: the commit and whether the work tree differs from it."""

    def git(*argv: str) -> str:
        try:
            done = subprocess.run(
                ["git", "--no-optional-locks", *argv],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=20,
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "app", "alembic")
    return {
        "root": str(ROOT),
        "commit": git("rev-parse", "HEAD") or None,
        "app_dirty": bool(dirty),
        "note": note,
    }


def goal(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(result: dict[str, Any]) -> str:
    lines = []
    add = lines.append
    add("")
    add("Fan-out: host starts a breakout -> every participant has its state (ms)")
    add(
        f"{'N':>6} {'deflate':>7} {'':>6} {'p50':>8} {'p99':>8} {'max':>8} "
        f"{'KiB/conn':>9} {'bytes':>6}"
    )
    for pair in result["fanout"]:
        for who in ("floor", "duo"):
            r = pair.get(who)
            if not r:
                continue
            lat = r["latency"]
            add(
                f"{r['n']:>6} {'on' if r['deflate'] else 'off':>7} {who:>6} {lat['p50_ms']:>8} "
                f"{lat['p99_ms']:>8} {lat['max_ms']:>8} {r['kib_per_connection']:>9} "
                f"{r['state_bytes']['median']:>6}   p99 per run {lat['runs_p99_ms']}"
            )
        if pair.get("ratio_p99") is not None:
            add(
                f"{'':>6} {'':>7} {'ratio':>6} {pair['ratio_p50']:>8} {pair['ratio_p99']:>8}"
                f"   (median run's p99: {pair['ratio_median_run_p99']}x;"
                f" goal p99 <= 1.1x: {goal(pair['ratio_p99'] <= 1.1)})"
            )
    if result.get("joins"):
        add("")
        add(
            "Joins over HTTP on SQLite (joins/s): "
            + ", ".join(f"N={j['n']}: {j['joins_per_s']}" for j in result["joins"])
        )
    if result.get("lobby"):
        add("")
        add("Lobby filling one by one: bytes received")
        add(
            f"{'N':>6} {'participants B':>15} {'msgs':>9} {'B/participant':>14} "
            f"{'host B':>13} {'s':>6}"
        )
        for r in result["lobby"]:
            add(
                f"{r['n']:>6} {r['participant_bytes']:>15,} {r['participant_msgs']:>9,} "
                f"{r['participant_bytes_per_participant']:>14,} {r['host_bytes']:>13,} "
                f"{r['seconds']:>6}"
            )
        if result.get("lobby_exponent") is not None:
            add(f"growth exponent of participants' total bytes in N: {result['lobby_exponent']}")
    for r in result.get("restart", []):
        add("")
        add(
            f"Restart: {r['clients']} clients; server answering after {r['server_up_s']} s; "
            f"all resynced after {r['all_resynced_s']} s (p50 {r['p50_s']} s, p99 {r['p99_s']} s)"
        )
    return "\n".join(lines)


def exponent(points: list[tuple[int, int]]) -> float | None:
    """Least-squares slope of log(bytes) against log(N)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(b) for _, b in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return round(num / den, 2)


def parse_ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,3000", help="participants per fan-out run")
    parser.add_argument("--lobby-sizes", default="250,500,1000", help="lobbies to fill ('' skips)")
    parser.add_argument("--restart-size", type=int, default=1000, help="0 skips the restart")
    parser.add_argument(
        "--deflate",
        default="off",
        help="per-message deflate on both sides: off (as `make run` serves), on, or off,on",
    )
    parser.add_argument("--workers", type=int, default=4, help="client processes")
    parser.add_argument("--repeat", type=int, default=3, help="fan-outs per size")
    parser.add_argument("--join-concurrency", type=int, default=32)
    parser.add_argument("--connect-concurrency", type=int, default=50, help="per process")
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
    parser.add_argument("--note", default="", help="what code was measured, for the record")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-duo", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4 * max(parse_ints(args.sizes) + [1000]) + 1024
    if soft < want:
        target = want if hard == resource.RLIM_INFINITY else min(hard, max(want, soft))
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))

    def out_of_time(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"the benchmark ran over --max-seconds={args.max_seconds}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.max_seconds)

    sizes = parse_ints(args.sizes)
    deflates = [d.strip() == "on" for d in args.deflate.split(",") if d.strip()]
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
    }
    print(json.dumps(result["machine"]))
    with tempfile.TemporaryDirectory(prefix="duo-bench-") as tmp:
        pool = Pool(args.workers)
        bench = Bench(args, Path(tmp), pool, result)
        try:
            for deflate in deflates:
                for n in sizes:
                    pair: dict[str, Any] = {"n": n, "deflate": deflate}
                    sample = None
                    if not args.skip_duo:
                        duo = bench.duo_fanout(
                            n,
                            deflate,
                            restart=(n == args.restart_size and deflate == deflates[0]),
                            profile=args.profile and n == max(sizes),
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
                        pair["ratio_median_run_p99"] = round(
                            d["median_run_p99_ms"] / f["median_run_p99_ms"], 2
                        )
                    result["fanout"].append(pair)
            if not args.skip_duo:
                for n in parse_ints(args.lobby_sizes):
                    result["lobby"].append(bench.lobby(n, deflates[0]))
                result["lobby_exponent"] = exponent(
                    [(r["n"], r["participant_bytes"]) for r in result["lobby"]]
                )
        finally:
            signal.alarm(0)
            pool.close()
            for child in bench.children:
                if child.poll() is None:
                    child.kill()
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = args.out or OUT_DIR / f"fanout-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2))
    (OUT_DIR / "latest.json").write_text(json.dumps(result, indent=2))
    print(report(result))
    print(f"\nwritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
