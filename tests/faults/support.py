"""What the fault tests share: clients that keep their newest state and reconnect, the view
of a state that must survive a fault, a breakout set up mid-way, and the pieces the tests
break on purpose (a Redis server of their own, a TCP proxy in front of PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from tests.utils.server import ServerProcess, free_port, migrate
from tests.utils.services import fresh_postgres_database, redis_url

Json = dict[str, Any]
Predicate = Callable[[Json], bool]
PHASE_SECONDS = 600  # long slots: no slot boundary falls inside a test by accident
# How long a test waits for something it expects before calling the server stuck: a liveness
# guard, far above any latency, so a busy machine never trips it. How long things took is
# printed as a figure (``record``), never asserted.
LIVENESS_SECONDS = 30.0
FIGURES: dict[str, Any] = {}  # measured figures, printed at the end (pytest -s) for the docs


def record(name: str, value: Any) -> None:
    FIGURES[name] = value
    print(f"\n[figure] {name}: {value}")


# ---- states -------------------------------------------------------------------------------


def view(state: Json) -> Json:
    """What a client must get back after a fault: who it is, its group and phases (or, for
    the host, every group), the timeline and where in it the breakout is."""
    breakout = state["breakout"]
    group = breakout["my_group"]
    return {
        "me": state["me"],
        "members": [(m["id"], m["name"]) for m in group["members"]] if group else None,
        "phases": group["phases"] if group else None,
        "groups": [g["members"] for g in breakout.get("groups") or []],
        "slots": breakout["slots"],
        "current_slot": breakout["current_slot"],
        "status": breakout["status"],
    }


def assert_right_second(state: Json) -> None:
    """The countdown is right at the state's own ``server_ms``: the current slot holds that
    moment and ``remaining_ms`` is what is left of it."""
    breakout, now = state["breakout"], state["server_ms"]
    if breakout["status"] != "running":
        return
    slot = breakout["slots"][breakout["current_slot"]]
    assert slot["starts_at_ms"] <= now < slot["ends_at_ms"], (slot, now)
    assert breakout["remaining_ms"] == slot["ends_at_ms"] - now


def online(state: Json) -> set[str]:
    """The participants the host's state shows online."""
    return {p["id"] for p in state["participants"] if p["online"]}


# ---- clients ------------------------------------------------------------------------------


class Client:
    """One WebSocket client (a participant or the host) that keeps its newest state."""

    def __init__(self, code: str, token: str, name: str = "host") -> None:
        self.code = code
        self.token = token
        self.name = name
        self.socket: ClientConnection | None = None
        self.server: ServerProcess | None = None
        self.state: Json = {}

    async def connect(self, server: ServerProcess, timeout: float = LIVENESS_SECONDS) -> Json:
        """Open a socket to ``server``, say hello and return the first state."""
        self.server = server
        async with asyncio.timeout(timeout):
            self.socket = await websockets.connect(
                f"{server.ws_url}/ws/{self.code}", max_size=None, open_timeout=timeout
            )
            await self.socket.send(json.dumps({"type": "hello", "token": self.token}))
            first = json.loads(await self.socket.recv())
        assert first["type"] == "state", first
        self.state = first
        return first

    async def until(self, predicate: Predicate, timeout: float = LIVENESS_SECONDS) -> Json:
        """Return the first state (the newest held included) for which ``predicate`` holds."""
        assert self.socket is not None
        async with asyncio.timeout(timeout):
            while not predicate(self.state):
                message = json.loads(await self.socket.recv())
                assert message["type"] != "error", message
                if message["type"] == "state":
                    self.state = message
        return self.state

    async def close_code(self, timeout: float = LIVENESS_SECONDS) -> int | None:
        """Read until the server closes the socket; return the close code it sent."""
        assert self.socket is not None
        try:
            async with asyncio.timeout(timeout):
                while True:
                    message = json.loads(await self.socket.recv())
                    if message["type"] == "state":
                        self.state = message
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    async def ping(self, timeout: float = LIVENESS_SECONDS) -> float:
        """Send a ping; return the seconds until its pong (states met meanwhile are kept): a
        figure to print, not to bound."""
        assert self.socket is not None
        sent = time.monotonic()
        await self.socket.send(json.dumps({"type": "ping", "client_ms": 1}))
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await self.socket.recv())
                assert message["type"] != "error", message
                if message["type"] == "pong":
                    return time.monotonic() - sent
                self.state = message

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


class Session:
    """A session on Duo with a host and participants (not yet connected)."""

    def __init__(self, code: str, host_token: str, people: list[Json]) -> None:
        self.code = code
        self.host_token = host_token
        self.people = people
        self.host = Client(code, host_token, "host")
        self.participants = [Client(code, p["token"], p["name"]) for p in people]

    @property
    def everyone(self) -> list[Client]:
        return [self.host, *self.participants]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.host_token}"}

    @classmethod
    async def create(
        cls, server: ServerProcess, count: int, phase_seconds: int = PHASE_SECONDS, **body: Any
    ) -> Session:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=LIVENESS_SECONDS) as http:
            created = await http.post(
                "/api/sessions", json={"title": "Faults", "phase_seconds": phase_seconds, **body}
            )
            assert created.status_code == 201, created.text
            code = created.json()["code"]
            people = []
            for i in range(count):
                name = f"P{i:04d}"
                joined = await http.post(f"/api/sessions/{code}/participants", json={"name": name})
                assert joined.status_code == 201, joined.text
                people.append({**joined.json(), "name": name})
        return cls(code, created.json()["host_token"], people)

    async def post(self, server: ServerProcess, path: str, **kwargs: Any) -> httpx.Response:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=LIVENESS_SECONDS) as http:
            return await http.post(
                f"/api/sessions/{self.code}{path}", headers=self.headers, **kwargs
            )

    async def start_mid_breakout(self, server: ServerProcess, skips: int = 2) -> dict[str, Json]:
        """Start a breakout with everyone (connected already), skip to slot ``skips``, and
        return every client's view once all have it, by name."""
        ids = {p["id"] for p in self.people}
        await self.host.until(lambda s: online(s) == ids)
        started = await self.post(server, "/breakouts")
        assert started.status_code == 201, started.text
        for _ in range(skips):
            skipped = await self.post(server, "/breakouts/current/skip")
            assert skipped.status_code == 200, skipped.text
        return await self.views(lambda s: s["breakout"]["current_slot"] == skips)

    async def views(
        self, predicate: Predicate, timeout: float = LIVENESS_SECONDS
    ) -> dict[str, Json]:
        """Wait until every client's state has a breakout satisfying ``predicate``; return
        every client's view by name, each checked to be at the right second."""

        def ready(state: Json) -> bool:
            return bool(state.get("breakout")) and predicate(state)

        states = await asyncio.gather(*[c.until(ready, timeout) for c in self.everyone])
        for state in states:
            assert_right_second(state)
        return {c.name: view(s) for c, s in zip(self.everyone, states, strict=True)}


# ---- processes ----------------------------------------------------------------------------


@contextmanager
def processes(
    tmp_path: Path, database_url: str, count: int, **env: str
) -> Iterator[list[ServerProcess]]:
    """Migrate ``database_url`` and run ``count`` Duo processes on it while in the block."""
    migrate(database_url)
    with ExitStack() as stack:
        servers = []
        for index in range(count):
            server = ServerProcess(
                database_url, extra_env=env, log_path=tmp_path / f"server{index}.log"
            )
            server.start()
            stack.callback(server.stop)
            servers.append(server)
        yield servers


@contextmanager
def shared_cluster(tmp_path: Path, count: int, **env: str) -> Iterator[list[ServerProcess]]:
    """Run ``count`` Duo processes on a fresh PostgreSQL database and the test Redis (skipped
    with the reason when either is absent) while in the block."""
    redis = redis_url()
    with (
        fresh_postgres_database() as database,
        processes(tmp_path, database, count, DUO_REDIS_URL=redis, **env) as servers,
    ):
        yield servers


def rss_kib(pid: int) -> int:
    """Return a process's resident memory in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def raise_open_files(wanted: int) -> None:
    """Raise this process's (and its children's) limit of open files to ``wanted`` if allowed."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def require_binary(name: str) -> str:
    """Return the path of ``name``; skip without it (fail with DUO_REQUIRE_SERVICES=1)."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed"
        if os.environ.get("DUO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (DUO_REQUIRE_SERVICES=1: CI must run this test)")
        pytest.skip(reason)
    return path


class RedisServer:
    """A redis-server of the test's own on a free port, to kill and start again."""

    def __init__(self, directory: Path) -> None:
        self.binary = require_binary("redis-server")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + LIVENESS_SECONDS
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


class Proxy:
    """A TCP proxy (asyncio, in a thread) to ``target``; ``cut`` drops every connection and
    refuses new ones (accepted, then closed at once) until ``restore``."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.cut_off = False
        self.loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(LIVENESS_SECONDS)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())
        self.loop.run_forever()

    async def _serve(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self._ready.set()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.cut_off:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    def cut(self) -> None:
        """Drop every open connection and refuse new ones."""

        def drop() -> None:
            self.cut_off = True
            for writer in list(self._writers):
                writer.transport.abort()

        self.loop.call_soon_threadsafe(drop)

    def restore(self) -> None:
        self.loop.call_soon_threadsafe(setattr, self, "cut_off", False)

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
