"""Live clients: one socket's writer (newest-state slot, replies, close, a stalled client)
and the folded fan-out, with a fake socket and a stub service instead of a database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.websockets import WebSocketState

from app.core.clock import ManualClock
from app.events import CloseCode
from app.services import realtime as realtime_module
from app.services.access import Identity
from app.services.hub import CHANGED, PRESENCE_CHANGED, MemoryHub
from app.services.realtime import MAX_FOLD_SECONDS, MAX_QUEUED_REPLIES, Connection, Realtime

HANG_GUARD_SECONDS = 30  # only so that a broken writer fails instead of hanging the run
HOST = Identity(code="ABC123", participant_id=None)


class FakeSocket:
    """The part of a starlette WebSocket a writer uses; keeps what was sent, in order."""

    def __init__(self, *, stall: bool = False, fail: bool = False) -> None:
        self.application_state = WebSocketState.CONNECTED
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None
        self.stall = stall  # a client that stopped reading: a send never completes
        self.fail = fail  # a socket that went away: a send raises
        self._sent = asyncio.Event()

    async def send_text(self, text: str) -> None:
        if self.stall:
            await asyncio.Event().wait()
        if self.fail:
            raise RuntimeError("the socket went away")
        self.sent.append(text)
        self._sent.set()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed = (code, reason)
        self.application_state = WebSocketState.DISCONNECTED

    async def until_sent(self, count: int) -> list[str]:
        """Return what was sent once it is ``count`` messages."""
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            while len(self.sent) < count:
                self._sent.clear()
                await self._sent.wait()
        return self.sent


def connection(socket: FakeSocket, send_timeout: float = 10) -> Connection:
    return Connection(socket, HOST, send_timeout)  # type: ignore[arg-type]


async def write_all(conn: Connection) -> None:
    """Run the writer until it ends: closed after what was queued, or given up."""
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        await conn.run_writer()


async def finish(writer: asyncio.Task[None]) -> None:
    """Wait for a writer task to end (its connection must be closing)."""
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        await writer


# ---- one socket's writer ---------------------------------------------------------------


async def test_only_the_newest_state_is_sent() -> None:
    socket = FakeSocket()
    conn = connection(socket)
    conn.offer_state("state 1", ("1",))
    conn.offer_state("state 2", ("2",))
    conn.offer_state("state 3", ("3",))
    conn.close(CloseCode.NORMAL)
    await write_all(conn)
    assert socket.sent == ["state 3"]


async def test_an_unchanged_state_is_not_sent_again_unless_forced() -> None:
    socket = FakeSocket()
    conn = connection(socket)
    writer = asyncio.create_task(conn.run_writer())
    conn.offer_state("state at 10:00:00", ("same",))
    await socket.until_sent(1)
    conn.offer_state("state at 10:00:01", ("same",))  # only the times differ
    conn.offer_state("state at 10:00:02", ("same",), force=True)
    await socket.until_sent(2)
    conn.offer_state("state at 10:00:03", ("same",))
    conn.close(CloseCode.NORMAL)
    await finish(writer)
    assert socket.sent == ["state at 10:00:00", "state at 10:00:02"]


async def test_replies_are_sent_before_the_state() -> None:
    socket = FakeSocket()
    conn = connection(socket)
    conn.offer_state("state", ("1",))
    conn.offer_reply("pong 1")
    conn.offer_reply("error")
    conn.close(CloseCode.NORMAL)
    await write_all(conn)
    assert socket.sent == ["pong 1", "error", "state"]


async def test_replies_are_bounded_the_oldest_go() -> None:
    socket = FakeSocket()
    conn = connection(socket)
    replies = [f"pong {n}" for n in range(MAX_QUEUED_REPLIES + 5)]
    for reply in replies:
        conn.offer_reply(reply)
    conn.close(CloseCode.NORMAL)
    await write_all(conn)
    assert socket.sent == replies[5:]


async def test_close_comes_after_what_is_queued() -> None:
    socket = FakeSocket()
    conn = connection(socket)
    conn.offer_reply("pong")
    conn.offer_state("state", ("1",))
    conn.close(CloseCode.REMOVED, "Removed from the session")
    conn.close(CloseCode.NORMAL)  # the first close stands
    assert conn.closing
    await write_all(conn)
    assert socket.sent == ["pong", "state"]
    assert socket.closed == (CloseCode.REMOVED, "Removed from the session")
    assert not conn.dropped


async def test_a_client_that_stops_reading_is_dropped() -> None:
    socket = FakeSocket(stall=True)
    conn = connection(socket, send_timeout=5)
    writer = asyncio.create_task(conn.run_writer())
    conn.offer_state("state", ("1",))
    while conn.sending_since is None:  # the writer is now stuck in its send
        await asyncio.sleep(0)
    started = conn.sending_since
    assert not conn.give_up_if_stalled(started + 4.9)  # the watchdog's look, times given
    assert not conn.dropped
    assert conn.give_up_if_stalled(started + 5)
    await finish(writer)
    assert conn.dropped
    assert socket.sent == []
    assert socket.closed == (CloseCode.POLICY, "")


async def test_an_idle_or_quick_client_is_never_given_up() -> None:
    socket = FakeSocket()
    conn = connection(socket, send_timeout=0)
    writer = asyncio.create_task(conn.run_writer())
    assert not conn.give_up_if_stalled(1e9)  # not started
    conn.offer_state("state", ("1",))
    await socket.until_sent(1)
    assert not conn.give_up_if_stalled(1e9)  # sent, waiting for more
    conn.close(CloseCode.NORMAL)
    await finish(writer)
    assert not conn.dropped


async def test_the_watchdog_drops_a_stuck_writer() -> None:
    async with started() as (realtime, _service):
        socket = FakeSocket(stall=True)
        conn = connection(socket, send_timeout=0)
        realtime.rooms["ABC123"] = {conn}
        writer = asyncio.create_task(conn.run_writer())
        conn.offer_state("state", ("1",))
        await finish(writer)  # the watchdog's next look finds it (within WATCH_SECONDS)
        assert conn.dropped
        assert socket.closed == (CloseCode.POLICY, "")


async def test_a_socket_that_went_away_ends_the_writer_without_a_drop() -> None:
    socket = FakeSocket(fail=True)
    conn = connection(socket)
    conn.offer_state("state", ("1",))
    await write_all(conn)
    assert not conn.dropped
    assert socket.closed == (CloseCode.POLICY, "")


# ---- the folded fan-out ----------------------------------------------------------------
# Realtime needs of its snapshot reader only read(code, online), of its wake-ups only
# arm(code, deadlines), and a clock; of a snapshot only members, deadlines and its states'
# for_host() (the clients here are hosts), and seen_at() for a shared first snapshot. One
# stub service stands for the reader and the wake-ups.


@dataclass
class StubSnapshot:
    reads: int
    online: frozenset[str] = frozenset()
    now_ms: int = 0
    members: dict[str, Any] = field(default_factory=dict)

    def for_host(self) -> tuple[str, tuple[str, ...]]:
        return f"state {self.reads}", (str(self.reads),)

    @property
    def deadlines(self) -> dict[str, int]:
        return {"breakout_end": 1_000 * self.reads}

    def seen_at(self, now_ms: int, online: frozenset[str]) -> StubSnapshot:
        return StubSnapshot(self.reads, online, now_ms, self.members)


class StubTimers:
    def __init__(self) -> None:
        self.armed: list[tuple[str, int | None]] = []

    def arm(self, key: str, deadline_ms: int | None) -> None:
        self.armed.append((key, deadline_ms))


class StubService:
    """The snapshot reader and the wake-ups: counts snapshot reads (one per flush, one per
    first state) and arms one deadline per snapshot."""

    def __init__(self) -> None:
        self.clock = ManualClock()
        self.timers = StubTimers()
        self.reads = 0
        self.onlines: list[frozenset[str]] = []  # who was online, by read ("state N")
        self._read = asyncio.Event()

    async def read(self, code: str, online: frozenset[str]) -> StubSnapshot:
        self.reads += 1
        self.onlines.append(online)
        self._read.set()
        return StubSnapshot(self.reads, online)

    def arm(self, code: str, deadlines: dict[str, int]) -> None:
        self.timers.arm(code, deadlines["breakout_end"])

    async def until_read(self, count: int) -> None:
        """Return once ``count`` snapshots were read."""
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            while self.reads < count:
                self._read.clear()
                await self._read.wait()


class StubStates:
    """States of a stub snapshot: its own text, as the real ones would be cut."""

    def __init__(self, snapshot: StubSnapshot) -> None:
        self.snapshot = snapshot

    def for_host(self) -> tuple[str, tuple[str, ...]]:
        return self.snapshot.for_host()


@pytest.fixture(autouse=True)
def stub_states(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(realtime_module, "States", StubStates)


@asynccontextmanager
async def started(fold_ms: int = 1) -> AsyncIterator[tuple[Realtime, StubService]]:
    """Yield a started Realtime on a MemoryHub and its stub service; stop it afterwards."""
    service = StubService()
    realtime = Realtime(
        service,  # type: ignore[arg-type]
        service,  # type: ignore[arg-type]
        MemoryHub(),
        service.clock,
        fold_ms=fold_ms,
    )
    await realtime.start()
    try:
        yield realtime, service
    finally:
        await realtime.stop()


async def settle() -> None:
    """Let whatever is due now run (no time passes)."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_changes_close_together_fold_into_one_flush() -> None:
    async with started() as (realtime, service):
        await realtime.attach(connection(FakeSocket()))
        assert service.reads == 1  # its first state
        for _ in range(5):
            realtime.on_event("ABC123", CHANGED)
        await service.until_read(2)
        await settle()
        assert service.reads == 2
        for _ in range(5):  # through the hub this time
            await realtime.hub.publish("ABC123", CHANGED)
        await service.until_read(3)
        await settle()
        assert service.reads == 3


async def test_a_change_soon_after_a_flush_waits_for_the_end_of_the_fold_window() -> None:
    async with started(fold_ms=60_000) as (realtime, service):
        await realtime.attach(connection(FakeSocket()))
        realtime.on_event("ABC123", CHANGED)  # never flushed: at once
        await service.until_read(2)
        realtime.on_event("ABC123", CHANGED)  # flushed just now: in a minute
        await settle()
        assert service.reads == 2


async def test_the_fold_window_grows_with_the_room_to_a_bound() -> None:
    async with started(fold_ms=25) as (realtime, _service):
        assert realtime.fold_window("ABC123") == pytest.approx(0.025)
        realtime.rooms["ABC123"] = {connection(FakeSocket()) for _ in range(1_000)}
        assert realtime.fold_window("ABC123") == pytest.approx(0.1)
        realtime.rooms["ABC123"] = {connection(FakeSocket()) for _ in range(3_000)}
        assert realtime.fold_window("ABC123") == pytest.approx(MAX_FOLD_SECONDS)


async def test_a_flush_offers_the_new_state_and_arms_the_deadlines() -> None:
    async with started() as (realtime, service):
        socket = FakeSocket()
        conn = connection(socket)
        writer = asyncio.create_task(conn.run_writer())
        await realtime.attach(conn)
        assert await socket.until_sent(1) == ["state 1"]
        realtime.on_event("ABC123", CHANGED)
        assert await socket.until_sent(2) == ["state 1", "state 2"]
        assert service.timers.armed == [("ABC123", 1_000), ("ABC123", 2_000)]
        conn.close(CloseCode.NORMAL)
        await finish(writer)


async def test_a_change_of_a_session_without_clients_here_reads_nothing() -> None:
    async with started() as (realtime, service):
        realtime.on_event("XYZ789", CHANGED)
        await settle()
        assert service.reads == 0


async def test_clients_arriving_together_share_one_snapshot_read() -> None:
    async with started() as (realtime, service):
        sockets = [FakeSocket() for _ in range(3)]
        conns = [connection(socket) for socket in sockets]
        for conn in conns:
            await realtime.attach(conn)
        assert service.reads == 1
        writers = [asyncio.create_task(conn.run_writer()) for conn in conns]
        for conn in conns:
            conn.close(CloseCode.NORMAL)
        for writer in writers:
            await finish(writer)
        assert [socket.sent for socket in sockets] == [["state 1"]] * 3


async def test_a_client_that_stops_reading_holds_up_only_itself() -> None:
    async with started() as (realtime, _service):
        frozen, reader = FakeSocket(stall=True), FakeSocket()
        conns = [connection(frozen), connection(reader)]
        writers = [asyncio.create_task(conn.run_writer()) for conn in conns]
        for conn in conns:
            await realtime.attach(conn)
        realtime.on_event("ABC123", CHANGED)
        realtime.on_event("ABC123", CHANGED)
        assert await reader.until_sent(2) == ["state 1", "state 2"]
        assert frozen.sent == []
        for writer in writers:
            writer.cancel()
        await asyncio.gather(*writers, return_exceptions=True)


class LateHub(MemoryHub):
    """A MemoryHub whose next online() answers late (with who was online when asked), as
    Redis does through a connection that must first be opened or health-checked."""

    def __init__(self) -> None:
        super().__init__()
        self.late_next = False
        self.asked = asyncio.Event()
        self.released = asyncio.Event()

    async def online(self, code: str) -> frozenset[str]:
        online = self.presence.online(code)
        if self.late_next:
            self.late_next = False
            self.asked.set()
            await self.released.wait()
        return online


async def test_a_late_flush_never_sends_an_older_state_after_a_newer_one() -> None:
    service, hub = StubService(), LateHub()
    realtime = Realtime(service, service, hub, service.clock, fold_ms=1)  # type: ignore[arg-type]
    await realtime.start()
    socket = FakeSocket()
    conn = connection(socket)
    writer = asyncio.create_task(conn.run_writer())
    try:
        await realtime.attach(conn)
        await socket.until_sent(1)  # state 1: nobody online
        hub.late_next = True
        realtime.on_event("ABC123", PRESENCE_CHANGED)  # its flush reads "nobody", late
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            await hub.asked.wait()
        await hub.connected("ABC123", "anna")
        realtime.on_event("ABC123", PRESENCE_CHANGED)  # a later flush, with anna
        second = asyncio.ensure_future(socket.until_sent(2))
        await asyncio.wait({second}, timeout=0.5)  # its chance to overtake the late one
        hub.released.set()
        await second
        await service.until_read(3)
        await settle()
        conn.close(CloseCode.NORMAL)
        await finish(writer)
        # The host's page ends with the newest presence read, whatever order reads end in.
        last = int(socket.sent[-1].removeprefix("state "))
        assert service.onlines[last - 1] == frozenset({"anna"}), socket.sent
    finally:
        await realtime.stop()
