"""The benchmark's clients: WebSocket clients in client processes, driven over pipes.

A client process (``Worker``) runs one event loop, uvloop or plain asyncio, with many
``Client``s (the ``websockets`` client), and obeys commands the orchestrator sends through
a ``Pool``: join over HTTP, connect, arm, collect the times of the first state of a new
breakout, wait for quiet, reconnect with the browser's back-off, and, for the many small
sessions, set sessions up and run their hosts' controls. Timestamps are ``time.time_ns()``
on this one machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing as mp
import random
import signal
import time
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any

import httpx

NS = 1_000_000_000
LOOPS = ("uvloop", "asyncio")


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
        self.count_floor: int | None = None  # a participant's count, rounded down to its step
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
        self.status_ns = 0  # when ``status`` last changed
        self.session: SmallSession | None = None  # told of every change of ``status``

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
                self.count_floor = msg.get("participant_count_floor", self.count)
                breakout = msg.get("breakout")
                self.has_breakout = breakout is not None
                self.breakout_id = breakout.get("id") if breakout else None
                status = breakout.get("status") if breakout else None
                if status != self.status:
                    self.status, self.status_ns = status, now
                    if self.session is not None:
                        self.session.heard()
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
        self.sessions: list[SmallSession] = []

    def _read_pipe(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read commands in a thread: a blocking read of a whole message, however large."""
        while True:
            try:
                command = self.pipe.recv()
            except (EOFError, OSError):
                command = {"op": "exit"}
            last = command["op"] == "exit"  # read before the loop takes the command apart
            loop.call_soon_threadsafe(self.queue.put_nowait, command)
            if last:
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
                    try:
                        r = await http.post(
                            f"/api/sessions/{code}/participants", json={"name": name}
                        )
                    except httpx.TransportError as problem:  # a pooled connection went away
                        failed += 1
                        first_failure = first_failure or f"{type(problem).__name__} {problem}"
                        continue
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

    async def op_wait_count(
        self, count: int, quiet: float, timeout: float, floor: int | None = None
    ) -> dict[str, Any]:
        """Wait until every client's newest state counts ``count`` participants (or, for a
        participant, has the count's ``floor``: they are sent a state only when it changes),
        then quiet."""

        def settled(c: Client) -> bool:
            return c.count == count or (not c.host and floor is not None and c.count_floor == floor)

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(settled(c) for c in self.clients):
                break
            await asyncio.sleep(0.05)
        done = all(settled(c) for c in self.clients)
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
        self.sessions = []
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
        self.errors.clear()
        return {"closed": len(clients)}

    # ---- many small sessions ----------------------------------------------------------

    async def op_sessions_setup(
        self,
        base: str,
        ws_base: str,
        count: int,
        size: int,
        prefix: str,
        deflate: bool,
        concurrency: int,
        timeout: float,
    ) -> dict[str, Any]:
        """Set up ``count`` sessions of ``size`` clients (the host and ``size - 1``
        participants), each connected and in a running breakout, ``concurrency`` at a time."""
        self.deflate = deflate
        gate = asyncio.Semaphore(concurrency)
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        failures: Counter[str] = Counter()
        t0 = time.time_ns()
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as http:

            async def one(index: int) -> None:
                async with gate:
                    try:
                        session = await SmallSession.create(
                            self, http, ws_base, f"{prefix}{index:04d}", size, timeout
                        )
                    except Exception as exc:  # noqa: BLE001 - counted
                        failures[f"{type(exc).__name__}: {exc}"[:120]] += 1
                        return
                    self.sessions.append(session)
                    self.clients.extend(session.clients)

            await asyncio.gather(*(one(i) for i in range(count)))
        return {
            "sessions": len(self.sessions),
            "failures": dict(failures),
            "t0": t0,
            "t1": time.time_ns(),
        }

    async def op_sessions_run(
        self, seconds: float, interval: float, concurrency: int, timeout: float
    ) -> dict[str, Any]:
        """For ``seconds``, have every host pause or resume its breakout every ``interval``
        seconds, the hosts' first controls spread evenly over the first interval; return,
        per control, the time until each client of its session had the new status."""
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        sessions = list(self.sessions)
        random.shuffle(sessions)
        start = time.monotonic()
        async with httpx.AsyncClient(limits=limits, timeout=timeout) as http:
            await asyncio.gather(
                *(
                    s.controls(
                        http,
                        start + i * interval / len(sessions),
                        start + seconds,
                        interval,
                        timeout,
                    )
                    for i, s in enumerate(sessions)
                )
            )
        return {
            "all_ns": [v for s in sessions for v in s.all_ns],
            "each_ns": [v for s in sessions for v in s.each_ns],
            "controls": sum(len(s.all_ns) for s in sessions),
            "missing": sum(s.missing for s in sessions),
            "failed": sum(s.failed for s in sessions),
            "late": sum(s.late for s in sessions),
        }


class SmallSession:
    """One of the many small sessions, on the worker: its host and participants, and the
    times its host's controls took to reach all of them."""

    def __init__(self, base: str, code: str, host_token: str, clients: list[Client]) -> None:
        self.base = base
        self.code = code
        self.auth = {"Authorization": f"Bearer {host_token}"}
        self.clients = clients
        self.expected: str | None = None
        self.arrived = asyncio.Event()
        self.all_ns: list[int] = []  # per control: until the last client had it
        self.each_ns: list[int] = []  # per control and client
        self.missing = self.failed = self.late = 0
        for client in clients:
            client.session = self

    @classmethod
    async def create(
        cls,
        worker: Worker,
        http: httpx.AsyncClient,
        ws_base: str,
        title: str,
        size: int,
        timeout: float,
    ) -> SmallSession:
        """Create a session, join ``size - 1`` participants, connect them and the host, start
        a breakout and wait until every client has it running."""
        r = await http.post("/api/sessions", json={"title": title, "phase_seconds": 600})
        r.raise_for_status()
        code, host_token = r.json()["code"], r.json()["host_token"]
        url = f"{ws_base}/ws/{code}"
        clients = [Client(worker, f"{code}-host", url, host_token, True)]
        for i in range(size - 1):
            r = await http.post(f"/api/sessions/{code}/participants", json={"name": f"P{i}"})
            r.raise_for_status()
            clients.append(Client(worker, f"{code}-{i}", url, r.json()["token"], False))
        session = cls(str(http.base_url).rstrip("/"), code, host_token, clients)
        for client in clients:
            await client.open(timeout)
        session.expected = "running"
        r = await http.post(f"/api/sessions/{code}/breakouts", headers=session.auth)
        r.raise_for_status()
        await asyncio.wait_for(session.arrived.wait(), timeout)
        return session

    def heard(self) -> None:
        """Note that a client's status changed: set ``arrived`` once all have the new one."""
        if self.expected is not None and all(c.status == self.expected for c in self.clients):
            self.arrived.set()

    async def controls(
        self,
        http: httpx.AsyncClient,
        first: float,
        until: float,
        interval: float,
        timeout: float,
    ) -> None:
        """Pause and resume the breakout in turn, one control every ``interval`` seconds
        from ``first`` (monotonic) until ``until``; a control still waiting for its clients
        at the next one's time delays it (counted as ``late``)."""
        at = first
        while at < until:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            action, self.expected = (
                ("pause", "paused")
                if self.clients[0].status == "running"
                else ("resume", "running")
            )
            self.arrived.clear()
            t0 = time.time_ns()
            try:
                r = await http.post(
                    f"{self.base}/api/sessions/{self.code}/breakouts/current/{action}",
                    headers=self.auth,
                )
                r.raise_for_status()
                await asyncio.wait_for(self.arrived.wait(), timeout)
            except TimeoutError:
                self.missing += 1
            except Exception:  # noqa: BLE001 - counted
                self.failed += 1
            else:
                times = [c.status_ns - t0 for c in self.clients]
                self.each_ns.extend(times)
                self.all_ns.append(max(times))
            self.expected = None
            at += interval
            if time.monotonic() > at:
                self.late += 1
                at = time.monotonic()


def worker_main(pipe: Connection, loop: str) -> None:
    """Entry point of a client process: run a ``Worker`` on ``loop`` (uvloop or asyncio)."""
    import faulthandler
    import traceback

    faulthandler.enable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator ends us
    try:
        if loop == "uvloop":
            import uvloop

            uvloop.run(Worker(pipe).run())
        else:
            asyncio.run(Worker(pipe).run())
    except BaseException:
        traceback.print_exc()
        raise


def span_s(answers: list[dict[str, Any]], what: str) -> float:
    """Return the seconds from the first client process's start to the last one's end of
    one command; raise RuntimeError naming ``what`` if any of them saw failures."""
    failures: Counter[str] = Counter()
    for answer in answers:
        failures.update(answer["failures"])
    if failures:
        raise RuntimeError(f"{what}: {dict(failures)}")
    return (max(a["t1"] for a in answers) - min(a["t0"] for a in answers)) / NS


def parse_setup(text: str) -> tuple[int, str]:
    """Parse a client set-up such as ``4xuvloop`` or ``1xasyncio`` into (processes, loop).
    Raises ValueError for anything else."""
    count, _, loop = text.strip().partition("x")
    if not count.isdigit() or int(count) < 1 or loop not in LOOPS:
        raise ValueError(f"a client set-up is PROCESSESxLOOP, LOOP one of {LOOPS}: {text!r}")
    return int(count), loop


class Pool:
    """The client processes, driven from the orchestrator over pipes."""

    def __init__(self, size: int, loop: str = "uvloop") -> None:
        ctx = mp.get_context("spawn")
        self.loop = loop
        self.label = f"{size}x{loop}"
        self.pipes: list[Connection] = []
        self.procs: list[Any] = []
        for _ in range(size):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(child, loop), daemon=True)
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
