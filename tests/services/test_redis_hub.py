"""RedisHub against the real Redis: two hubs in one loop stand for two processes.

Each test uses a session code of its own, and listens only to it: other runs may share the
Redis and its channel.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from app.services.hub import CHANGED, HubEvent
from app.services.redis_hub import RedisHub
from tests.utils.server import free_port
from tests.utils.services import redis_url

HANG_GUARD_SECONDS = 30  # only so that a broken hub fails instead of hanging the run
PROBE_SECONDS = 0.05  # how long a probe waits to be heard before the next one is sent
StartHub = Callable[["Heard"], Awaitable[RedisHub]]


class Heard:
    """A listener that keeps the changes of one session, in order."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.events: asyncio.Queue[HubEvent] = asyncio.Queue()

    def __call__(self, code: str, event: HubEvent) -> None:
        if code == self.code:
            self.events.put_nowait(event)

    async def next(self) -> HubEvent:
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            return await self.events.get()


def unique_code() -> str:
    return f"T{secrets.token_hex(4).upper()}"


@pytest.fixture
def code() -> str:
    return unique_code()


@pytest.fixture
async def start_hub() -> AsyncIterator[StartHub]:
    """Yield a function that starts a RedisHub on the test Redis; stop them all afterwards."""
    url = redis_url()
    hubs: list[RedisHub] = []

    async def start(listener: Heard) -> RedisHub:
        hub = RedisHub(url)
        hubs.append(hub)
        await hub.start(listener)
        return hub

    yield start
    for hub in hubs:
        await hub.stop()


async def listening(publisher: RedisHub, *listeners: Heard) -> None:
    """Return once every listener hears what ``publisher`` publishes (both have subscribed)."""
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        while any(heard.events.empty() for heard in listeners):
            await publisher.publish(listeners[0].code, CHANGED)
            await asyncio.sleep(PROBE_SECONDS)
    for heard in listeners:  # drop the probes
        while not heard.events.empty():
            heard.events.get_nowait()


@pytest.mark.services
async def test_each_process_sees_the_others_presence(start_hub: StartHub, code: str) -> None:
    first, second = await start_hub(Heard(code)), await start_hub(Heard(code))
    assert await first.connected(code, "anna") is True
    assert await second.connected(code, "bram") is True
    assert await first.online(code) == frozenset({"anna", "bram"})
    assert await second.online(code) == frozenset({"anna", "bram"})
    assert await first.disconnected(code, "anna") is True
    assert await second.online(code) == frozenset({"bram"})


@pytest.mark.services
async def test_presence_counts_sockets_within_a_process(start_hub: StartHub, code: str) -> None:
    first, second = await start_hub(Heard(code)), await start_hub(Heard(code))
    await first.connected(code, "anna")
    assert await first.connected(code, "anna") is False
    assert await first.disconnected(code, "anna") is False
    assert await second.online(code) == frozenset({"anna"})


@pytest.mark.services
async def test_the_same_participant_on_two_processes_stays_online_until_both_leave(
    start_hub: StartHub, code: str
) -> None:
    first, second = await start_hub(Heard(code)), await start_hub(Heard(code))
    await first.connected(code, "anna")
    await second.connected(code, "anna")
    assert await first.disconnected(code, "anna") is True  # offline in the first process
    assert await first.online(code) == frozenset({"anna"})  # but still on the second
    await second.disconnected(code, "anna")
    assert await first.online(code) == frozenset()


@pytest.mark.services
async def test_a_publish_reaches_every_process(start_hub: StartHub, code: str) -> None:
    heard_first, heard_second = Heard(code), Heard(code)
    first, second = await start_hub(heard_first), await start_hub(heard_second)
    await listening(first, heard_first, heard_second)
    await first.publish(code, HubEvent(removed=("anna",)))
    assert await heard_first.next() == HubEvent(removed=("anna",))  # its own process too
    assert await heard_second.next() == HubEvent(removed=("anna",))
    await second.publish(code, CHANGED)
    assert await heard_first.next() == CHANGED
    assert await heard_second.next() == CHANGED
    assert first.healthy and second.healthy


@pytest.mark.services
async def test_a_process_that_stops_drops_out_of_the_others_presence(
    start_hub: StartHub, code: str
) -> None:
    first, second = await start_hub(Heard(code)), await start_hub(Heard(code))
    await first.connected(code, "anna")
    await second.connected(code, "bram")
    await first.stop()
    assert await second.online(code) == frozenset({"bram"})


async def test_without_redis_a_process_serves_its_own_clients(code: str) -> None:
    heard = Heard(code)
    hub = RedisHub(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    await hub.start(heard)
    try:
        assert await hub.connected(code, "anna") is True
        assert await hub.online(code) == frozenset({"anna"})
        await hub.publish(code, HubEvent(removed=("bram",)))
        assert await heard.next() == HubEvent(removed=("bram",))
        assert hub.healthy is False
    finally:
        await hub.stop()


# ---- presence writes that reach Redis out of order ---------------------------------------
# A process's presence writes go through pooled connections: one that must first open (or
# health-check) its connection can reach Redis after a write that started later. A gate
# holds the next presence write of a hub back, after its content was taken, until released.

OVERTAKE_SECONDS = 0.5  # how long a later write is given to overtake the held one


class Gate:
    """Holds back the next pipeline a hub executes until ``release``."""

    def __init__(self, hub: RedisHub) -> None:
        self.entered = asyncio.Event()
        self.released = asyncio.Event()
        self._armed = True
        self._pipeline = hub.redis.pipeline
        hub.redis.pipeline = self._held_pipeline  # type: ignore[method-assign]

    def _held_pipeline(self, *args: Any, **kwargs: Any) -> Any:
        pipe = self._pipeline(*args, **kwargs)
        if self._armed:
            self._armed = False
            execute = pipe.execute

            async def late_execute(*a: Any, **kw: Any) -> Any:
                self.entered.set()
                await self.released.wait()
                return await execute(*a, **kw)

            pipe.execute = late_execute
        return pipe

    async def held(self) -> None:
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            await self.entered.wait()

    def release(self) -> None:
        self.released.set()


async def let_overtake(task: asyncio.Task[Any]) -> None:
    """Give ``task`` its chance to finish while the gate holds an earlier write."""
    await asyncio.wait({task}, timeout=OVERTAKE_SECONDS)


@pytest.mark.services
async def test_an_earlier_presence_write_never_lands_after_a_later_one(
    start_hub: StartHub, code: str
) -> None:
    first, second = await start_hub(Heard(code)), await start_hub(Heard(code))
    gate = Gate(first)
    anna = asyncio.create_task(first.connected(code, "anna"))
    await gate.held()  # anna's write, {anna}, is on its way but late
    bram = asyncio.create_task(first.connected(code, "bram"))  # writes {anna, bram}
    await let_overtake(bram)
    gate.release()
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        assert await anna is True
        assert await bram is True
    # Bram came online after anna; the older write must not have the last word.
    assert await second.online(code) == frozenset({"anna", "bram"})


@pytest.mark.services
async def test_a_late_heartbeat_does_not_bring_back_someone_who_left(code: str) -> None:
    url = redis_url()
    watcher = RedisHub(url)
    hub = RedisHub(url, heartbeat_seconds=0.01)
    await watcher.start(Heard(code))
    try:
        await hub.connected(code, "anna")
        gate = Gate(hub)
        await hub.start(Heard(code))  # its next heartbeat writes {anna}, late
        await gate.held()
        left = asyncio.create_task(hub.disconnected(code, "anna"))
        await let_overtake(left)
        gate.release()
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            assert await left is True
        # No later heartbeat of this hub writes the session: she would stay for a TTL.
        assert await watcher.online(code) == frozenset()
    finally:
        await hub.stop()
        await watcher.stop()
