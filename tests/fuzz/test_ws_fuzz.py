"""WebSocket fuzz with hypothesis: random JSON, wrong types, binary frames, huge and deeply
nested frames, frames before hello, floods.

Every frame gets what the contract says (``error``, a ``pong``, or the right close code),
the server never dies, and another participant of the same session notices nothing: its
next message after a ping is the pong, and its state afterwards is what it was.

In-process (TestClient) for the many generated examples; against a real uvicorn process
for the big ones (MiB frames, floods from several sockets at once), with its memory watched.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from starlette.testclient import WebSocketTestSession

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app
from tests.utils.factories import (
    create_session,
    db_dump,
    hello,
    join,
    receive_raw,
    receive_state,
    start_breakout,
)
from tests.utils.server import rss_kib, running_server

MAX_FRAME = 64 * 1024
FIGURES: Counter[str] = Counter()

# ---- what to send ---------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()  # NaN and ±Infinity included: JSON says no, Python's json says yes
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
message_types = st.sampled_from(
    ["hello", "ping", "pong", "state", "error", "HELLO", "Ping", "", " ping", "ping\x00"]
) | st.text(max_size=60)
objects = st.builds(
    lambda kind, fields, extra: {**extra, **fields, "type": kind},
    message_types | json_values,
    st.fixed_dictionaries(
        {}, optional={"client_ms": json_values, "token": json_values, "server_ms": json_values}
    ),
    st.dictionaries(st.text(max_size=10), json_values, max_size=3),
)


def padded(size: int) -> str:
    """Return a valid ping of exactly ``size`` bytes (its padding makes it big)."""
    head = '{"type": "ping", "client_ms": 7, "pad": "'
    return head + "x" * max(0, size - len(head) - 2) + '"}'


def nested(depth: int, kind: str) -> str:
    return {"list": "[" * depth + "]" * depth, "object": '{"a":' * depth + "1" + "}" * depth}[kind]


frames = st.one_of(
    objects.map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=200),
    st.text(st.characters(categories=["Cs"]) | st.characters(), max_size=20),  # lone surrogates
    st.binary(max_size=300),
    st.builds(padded, st.integers(MAX_FRAME - 64, MAX_FRAME + 64)),
    st.builds(lambda n: b"\x00" * n, st.integers(MAX_FRAME - 4, MAX_FRAME + 4)),
    st.builds(nested, st.integers(1, 30_000), st.sampled_from(["list", "object"])),
    st.builds(lambda n: "[" * n, st.integers(MAX_FRAME - 2, MAX_FRAME + 1000)),
)


def size_of(frame: str | bytes) -> int:
    return len(frame.encode("utf-8", "surrogatepass") if isinstance(frame, str) else frame)


def expected(frame: str | bytes, said_hello: bool) -> tuple[str, Any]:
    """Return what the contract says the server answers: ("close", code), ("pong", client_ms),
    ("error", None) or ("hello", None) for a hello before the first."""
    if size_of(frame) > MAX_FRAME:
        return "close", 1009
    if isinstance(frame, bytes):
        return "error", None
    try:
        value = json.loads(frame)
    except (ValueError, RecursionError):
        return "error", None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return "error", None
    if not said_hello:
        return ("hello", None) if value["type"] == "hello" else ("error", None)
    client_ms = value.get("client_ms")
    numeric = isinstance(client_ms, int) and not isinstance(client_ms, bool)
    numeric = numeric or (isinstance(client_ms, float) and math.isfinite(client_ms))
    if value["type"] == "ping" and numeric:
        return "pong", client_ms
    return "error", None


# ---- in-process -----------------------------------------------------------------------


class Room:
    """A session with a running breakout: Anna (whose extra sockets are fuzzed), Bram (the
    bystander), Cas and the host, all connected."""

    def __init__(self, client: TestClient, stack: ExitStack) -> None:
        self.client = client
        self.session = create_session(client, title="Fuzz")
        self.code = self.session["code"]
        self.people = {n: join(client, self.code, n) for n in ("Anna", "Bram", "Cas", "Dewi")}
        self.sockets = {}
        for name, person in self.people.items():
            ws = stack.enter_context(client.websocket_connect(f"/ws/{self.code}"))
            hello(ws, person["token"])
            self.sockets[name] = ws
        start_breakout(client, self.session)
        self.bram = self.sockets["Bram"]
        for ws in self.sockets.values():  # everyone has the breakout, and nothing else waits
            receive_state(ws, lambda state: state["breakout"] is not None)
            assert self.newest_state(ws) == {}
        with self.open() as ws:
            self.before = hello(ws, self.people["Bram"]["token"])

    @staticmethod
    def newest_state(ws: WebSocketTestSession) -> dict[str, Any]:
        """Read ``ws`` up to the pong of a ping; return the newest state before it."""
        ws.send_json({"type": "ping", "client_ms": 1})
        newest: dict[str, Any] = {}
        while (message := json.loads(receive_raw(ws)["text"]))["type"] != "pong":
            newest = message
        return newest

    def bystander_notices_nothing(self) -> None:
        """Bram's next message after a ping is its pong: no error, no changed state."""
        self.bram.send_json({"type": "ping", "client_ms": 5})
        message = json.loads(receive_raw(self.bram)["text"])
        assert message == {**message, "type": "pong", "client_ms": 5}, message
        FIGURES["bystander pongs"] += 1

    def open(self) -> WebSocketTestSession:
        return self.client.websocket_connect(f"/ws/{self.code}")


def view(state: dict[str, Any]) -> Any:
    """A state without its times (what must not change while someone else misbehaves)."""
    breakout = dict(state["breakout"])
    for key in ("remaining_ms", "current_slot"):
        breakout.pop(key)
    return {**state, "server_ms": None, "breakout": breakout}


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Engine]]:
    from sqlalchemy.pool import StaticPool
    from sqlmodel import SQLModel, create_engine

    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    settings = Settings(
        database_url="sqlite://",
        fold_ms=1,
        sessions_per_minute=0,
        joins_per_minute=0,
        misses_per_minute=0,
        messages_per_second=10_000,  # the flood test below uses the real limit
        _env_file=None,
    )
    with TestClient(make_test_app(settings, ManualClock(), engine)) as client:
        yield client, engine
    print(f"\nwebsocket fuzz (in-process): {dict(sorted(FIGURES.items()))}")


@pytest.fixture(scope="module")
def room(fuzz_client: tuple[TestClient, Engine]) -> Iterator[Room]:
    with ExitStack() as stack:
        yield Room(fuzz_client[0], stack)


# Examples per property: 300 in the suite (about 5 s); DUO_WS_FUZZ_EXAMPLES digs deeper.
EXAMPLES = int(os.environ.get("DUO_WS_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def answer(ws: WebSocketTestSession) -> tuple[str, Any]:
    """Return the server's answer to one frame, as ``expected`` names it."""
    message = receive_raw(ws)
    if message["type"] == "websocket.close":
        return "close", message.get("code")
    data = json.loads(message["text"])
    if data["type"] == "pong":
        assert isinstance(data["server_ms"], int)
        return "pong", data["client_ms"]
    assert data["type"] == "error" and isinstance(data["detail"], str) and data["detail"], data
    return "error", None


def send(ws: WebSocketTestSession, frame: str | bytes) -> None:
    if isinstance(frame, bytes):
        ws.send_bytes(frame)
    else:
        ws.send_text(frame)


@given(st.lists(frames, min_size=1, max_size=6))
@FUZZ
def test_any_frame_after_hello(room: Room, fuzz_client: Any, frames: list[str | bytes]) -> None:
    before = db_dump(fuzz_client[1])
    with room.open() as ws:
        hello(ws, room.people["Anna"]["token"])
        for frame in frames:
            FIGURES["frames after hello"] += 1
            send(ws, frame)
            want = expected(frame, said_hello=True)
            got = answer(ws)
            assert got == want, (frame, got)
            if want[0] == "close":
                FIGURES["closed 1009"] += 1
                break
        else:
            ws.send_json({"type": "ping", "client_ms": 42})
            assert answer(ws) == ("pong", 42)
    room.bystander_notices_nothing()
    assert db_dump(fuzz_client[1]) == before


@given(frames, json_values)
@FUZZ
def test_any_first_frame_but_a_hello_closes_the_socket(
    room: Room, fuzz_client: Any, frame: str | bytes, token: Any
) -> None:
    """The first frame must be a hello: anything else is answered with an error and closes
    the socket with 4401 (no token given), a too-big one with 1009; a hello with a made-up
    token with 4401. Nothing lingers unmetered before hello."""
    before = db_dump(fuzz_client[1])
    with room.open() as ws:
        FIGURES["first frames"] += 1
        send(ws, frame)
        want = expected(frame, said_hello=False)
        if want == ("close", 1009):
            assert answer(ws) == want, frame
            FIGURES["closed 1009"] += 1
        else:
            if want[0] != "hello":
                assert answer(ws) == ("error", None), frame
            assert answer(ws) == ("close", 4401), frame
            FIGURES["closed 4401"] += 1
    with room.open() as ws:  # a hello with a made-up token
        ws.send_text(json.dumps({"type": "hello", "token": token}))
        assert answer(ws) == ("close", 4401)
    room.bystander_notices_nothing()
    assert db_dump(fuzz_client[1]) == before


def test_the_bystander_state_is_unchanged_after_the_fuzz(room: Room, fuzz_client: Any) -> None:
    """Run last in this module: Bram reconnects and gets the state he had, times aside."""
    with room.open() as ws:
        state = hello(ws, room.people["Bram"]["token"])
    assert view(state) == view(room.before)
    for name in ("Anna", "Cas", "Dewi"):  # and nobody else was sent anything either
        assert Room.newest_state(room.sockets[name]) == {}


def test_a_flood_is_answered_then_closed_with_1008(clock: ManualClock, engine: Engine) -> None:
    """At the real per-socket limit (20/s, burst 40): errors, then 1008; others unharmed."""
    settings = Settings(fold_ms=1, sessions_per_minute=0, joins_per_minute=0, _env_file=None)
    with TestClient(make_test_app(settings, clock, engine)) as client, ExitStack() as stack:
        session = create_session(client)
        anna, bram = (join(client, session["code"], n) for n in ("Anna", "Bram"))
        calm = stack.enter_context(client.websocket_connect(f"/ws/{session['code']}"))
        hello(calm, bram["token"])
        with client.websocket_connect(f"/ws/{session['code']}") as ws:
            hello(ws, anna["token"])
            for i in range(300):
                ws.send_json({"type": "ping", "client_ms": i})
            kinds: Counter[str] = Counter()
            while True:
                kind, _ = answer(ws)
                kinds[kind] += 1
                if kind == "close":
                    break
            assert kinds["pong"] >= 40 and kinds["error"] >= 1, kinds
        calm.send_json({"type": "ping", "client_ms": 3})
        message = json.loads(receive_raw(calm)["text"])
        while message["type"] == "state":  # Anna went offline: that is a change Bram may see
            message = json.loads(receive_raw(calm)["text"])
        assert message["type"] == "pong"


# ---- a real server --------------------------------------------------------------------


# How long an answer may take before the server counts as stuck: a liveness guard, far
# above any latency (those are measured by bench/, not asserted here).
LIVENESS_SECONDS = 30


def test_abuse_against_a_real_server(tmp_path: Path) -> None:
    """Big frames, floods, deep nesting and chatter without hello get the contract's answers;
    a bystander in the same session gets every pong, in order, throughout; memory comes back."""
    with running_server(tmp_path, DUO_HELLO_TIMEOUT_SECONDS="3") as server:
        assert server.process is not None
        asyncio.run(_abuse(server.base_url, server.ws_url, server.process.pid))


async def _abuse(base_url: str, ws_url: str, pid: int) -> None:
    async with httpx.AsyncClient(base_url=base_url) as http:
        session = (await http.post("/api/sessions", json={"title": "Abuse"})).json()
        code = session["code"]
        people = [
            (await http.post(f"/api/sessions/{code}/participants", json={"name": f"P{i}"})).json()
            for i in range(14)
        ]
    attackers = iter(people[2:])  # one participant per attacking socket (at most 8 each)
    url = f"{ws_url}/ws/{code}"

    async def said_hello(token: str) -> Any:
        ws = await websockets.connect(url, max_size=None)
        await ws.send(json.dumps({"type": "hello", "token": token}))
        assert json.loads(await ws.recv())["type"] == "state"
        return ws

    bystander = await said_hello(people[1]["token"])
    rss_before = rss_kib(pid)
    latencies: list[float] = []
    attack_over = asyncio.Event()
    pongs_after_attack = 0

    async def watch() -> None:
        """Bram pings every 50 ms; every answer must be his own pong, in order, with nothing
        lost, during the attack and after it (until three pongs came after it). How long the
        pongs took is a figure to print, not a bound: on a busy machine it says little."""
        nonlocal pongs_after_attack
        n = 0
        while pongs_after_attack < 3:
            n += 1
            after = attack_over.is_set()
            sent = time.monotonic()
            await bystander.send(json.dumps({"type": "ping", "client_ms": n}))
            message = json.loads(await asyncio.wait_for(bystander.recv(), LIVENESS_SECONDS))
            if message["type"] == "state":  # Eve coming and going is a change he may see
                message = json.loads(await asyncio.wait_for(bystander.recv(), LIVENESS_SECONDS))
            assert message["type"] == "pong" and message["client_ms"] == n, message
            latencies.append(time.monotonic() - sent)
            pongs_after_attack += after
            await asyncio.sleep(0.05)

    async def close_code(ws: Any) -> int | None:
        try:
            async with asyncio.timeout(LIVENESS_SECONDS):
                while True:
                    await ws.recv()
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    async def big(frame: str | bytes) -> int | None:
        ws = await said_hello(next(attackers)["token"])
        await ws.send(frame)
        return await close_code(ws)

    async def flood() -> int | None:
        ws = await said_hello(next(attackers)["token"])
        try:
            for i in range(2_000):
                await ws.send(json.dumps({"type": "ping", "client_ms": i}))
        except websockets.ConnectionClosed:
            pass  # closed before the flood was over, as it should be
        return await close_code(ws)

    async def deep() -> str:
        ws = await said_hello(next(attackers)["token"])
        await ws.send("[" * 32_000 + "]" * 32_000)
        answer = json.loads(await ws.recv())
        await ws.close()
        return str(answer["type"])

    async def chatter_without_hello() -> int | None:
        ws = await websockets.connect(url)
        try:
            for _ in range(30):
                await ws.send("not json")
        except websockets.ConnectionClosed:
            pass  # closed after the first, as it should be
        return await close_code(ws)

    watcher = asyncio.create_task(watch())
    started = time.monotonic()
    results = await asyncio.gather(
        big("x" * (1 << 20)),
        big(b"\x00" * (1 << 20)),
        big("{" * (MAX_FRAME + 1)),
        *[flood() for _ in range(5)],
        deep(),
        deep(),
        chatter_without_hello(),
    )
    elapsed = time.monotonic() - started
    attack_over.set()
    await watcher
    assert results[:3] == [1009, 1009, 1009]
    assert results[3:8] == [1008] * 5
    assert results[8:10] == ["error", "error"]
    assert results[10] == 4401
    assert pongs_after_attack == 3 and len(latencies) >= 3, latencies
    # Still serving, and memory back within bounds after 3 MiB frames and 10,000 pings.
    again = await said_hello(people[0]["token"])
    await again.close()
    await bystander.close()
    growth_mib = (rss_kib(pid) - rss_before) / 1024
    assert growth_mib < 64, growth_mib
    print(
        f"\nreal-server abuse: 3 x 1 MiB frames -> 1009, 5 x 2,000-ping floods -> 1008, "
        f"2 x 32,000-deep nesting -> error, frames without hello -> 4401, in {elapsed:.1f} s; "
        f"bystander {len(latencies)} pings, worst {max(latencies) * 1000:.0f} ms; "
        f"RSS growth {growth_mib:.1f} MiB"
    )


def test_oversized_frames_do_not_reach_memory(tmp_path: Path) -> None:
    """The server's own WebSocket limit is Duo's frame limit (python -m app sets it), so a
    15 MiB frame is refused while it arrives, not assembled first: before and after hello,
    on a real session and on an unknown code, memory stays where it was."""
    with running_server(tmp_path) as server:
        assert server.process is not None
        growth_mib = asyncio.run(_oversized(server.base_url, server.ws_url, server.process.pid))
    assert growth_mib < 32, growth_mib


async def _oversized(base_url: str, ws_url: str, pid: int) -> float:
    async with httpx.AsyncClient(base_url=base_url) as http:
        code = (await http.post("/api/sessions", json={})).json()["code"]
        token = (await http.post(f"/api/sessions/{code}/participants", json={"name": "A"})).json()[
            "token"
        ]
    rss_before = rss_kib(pid)
    frame = "x" * (15 << 20)

    async def send_big(url: str, hello_first: bool) -> int | None:
        async with websockets.connect(url, max_size=None) as ws:
            if hello_first:
                await ws.send(json.dumps({"type": "hello", "token": token}))
                await ws.recv()
            try:
                await ws.send(frame)
                async with asyncio.timeout(LIVENESS_SECONDS):
                    while True:
                        await ws.recv()
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    urls = [f"{ws_url}/ws/{code}", f"{ws_url}/ws/ZZZZZZZZ"]
    codes = await asyncio.gather(
        *[send_big(urls[i % 2], hello_first=i % 4 == 0) for i in range(16)]
    )
    assert set(codes) <= {1009, None}, codes  # None: closed before our close frame was read
    assert codes.count(1009) >= 8, codes
    growth_mib = (rss_kib(pid) - rss_before) / 1024
    print(
        f"\n16 x 15 MiB frames: closed {codes.count(1009)} x 1009; RSS growth {growth_mib:.1f} MiB"
    )
    return growth_mib
