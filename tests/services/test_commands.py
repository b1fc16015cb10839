"""The command services, called directly (not through HTTP): what each writes, what it
publishes, which wake-ups it arms, and that a refused change leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.core.clock import ManualClock
from app.domain.joins import JoinCaps
from app.events import BreakoutControl, RoundKind
from app.models import DuoSession
from app.services.breakouts import BreakoutCommands
from app.services.changes import Changes
from app.services.errors import Conflict, Forbidden, Locked, NotFound, Unauthorized
from app.services.expiry import Expiry
from app.services.hub import HubEvent
from app.services.meeting import MeetingCommands
from app.services.sessions import SessionCommands
from app.services.snapshots import SnapshotReader
from app.services.store import Store
from app.services.wakeups import Wakeup, WakeupKind, Wakeups


class Recorder:
    """The hub as the commands see it: what was published, and who is online."""

    def __init__(self) -> None:
        self.events: list[tuple[str, HubEvent]] = []
        self.present: set[str] = set()

    async def publish(self, code: str, event: HubEvent) -> None:
        self.events.append((code, event))

    async def online(self, _code: str) -> frozenset[str]:
        return frozenset(self.present)


class Armed:
    """The timers as the wake-ups see them: every arming, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[Wakeup, int | None]] = []

    def arm(self, key: Wakeup, deadline_ms: int | None) -> None:
        self.calls.append((key, deadline_ms))


class World:
    def __init__(self, engine: Engine, clock: ManualClock) -> None:
        self.clock = clock
        self.store = Store(engine, clock, ttl_hours=24)
        self.hub = Recorder()
        self.armed = Armed()
        changes = Changes(self.store, self.hub, Wakeups(self.armed))
        self.sessions = SessionCommands(
            self.store, changes, JoinCaps(present=4, lifetime=6, per_address=5)
        )
        self.breakouts = BreakoutCommands(self.store, changes, self.hub)
        self.meeting = MeetingCommands(changes, self.hub)
        self.snapshots = SnapshotReader(self.store)
        self.expiry = Expiry(self.store, self.hub)

    def version(self, code: str) -> int:
        with Session(self.store.engine) as db:
            return db.exec(select(DuoSession.version).where(DuoSession.code == code)).one()

    async def session_with(self, *names: str) -> tuple[str, str, list[Any]]:
        created = await self.sessions.create_session("Test", "nl", 10)
        people = [
            await self.sessions.join(created.code, name, f"10.0.0.{i}")
            for i, name in enumerate(names)
        ]
        self.hub.present = {p.id for p in people}
        return created.code, f"Bearer {created.host_token}", people


@pytest.fixture
def world(engine: Engine, clock: ManualClock) -> Iterator[World]:
    made = World(engine, clock)
    yield made
    made.store.close()


async def test_a_join_is_published_and_refused_when_full_or_used_up(world: World) -> None:
    code, _host, people = await world.session_with("Anna", "Bram", "Cas", "Dirk")
    assert [event for _code, event in world.hub.events] == [
        HubEvent(version=v) for v in (1, 2, 3, 4)
    ]
    with pytest.raises(Conflict, match="full"):
        await world.sessions.join(code, "Eva", "10.0.1.1")
    for person in people[:3]:
        await world.sessions.remove_participant(code, person.id, f"Bearer {person.token}")
    await world.sessions.join(code, "Eva", "10.0.1.1")
    await world.sessions.join(code, "Fenna", "10.0.1.2")
    with pytest.raises(Conflict, match="joined 6 times"):
        await world.sessions.join(code, "Gijs", "10.0.1.3")


async def test_the_hosts_clean_up_gives_joins_back_but_not_to_one_address(world: World) -> None:
    """Joins the host removed again are not counted against the session's lifetime, but
    still against the address they came from (5 here)."""
    code, host, _people = await world.session_with()
    bursts = [await world.sessions.join(code, f"Bot {i}", "192.0.2.9") for i in range(4)]
    removed = await world.sessions.remove_participants(
        code, [b.id for b in bursts] + ["p_unknown"], host
    )
    assert sorted(removed) == sorted(b.id for b in bursts)
    assert world.hub.events[-1][1].removed is not None
    assert set(world.hub.events[-1][1].removed) >= set(removed)
    await world.sessions.join(code, "Bot 5", "192.0.2.9")
    with pytest.raises(Conflict, match="from this address"):
        await world.sessions.join(code, "Bot 6", "192.0.2.9")
    for i, name in enumerate(["Anna", "Bram", "Cas"]):  # 4 + 1 + 3 joins, 4 undone: 4 count
        await world.sessions.join(code, name, f"10.0.2.{i}")
    with pytest.raises(Conflict, match="full"):
        await world.sessions.join(code, "Dirk", "10.0.2.9")


async def test_a_locked_session_takes_nobody_new(world: World) -> None:
    code, host, people = await world.session_with("Anna")
    assert await world.sessions.lock(code, True, host) is True
    with pytest.raises(Locked, match="locked"):
        await world.sessions.join(code, "Bram", "10.0.3.1")
    with pytest.raises(Forbidden):
        await world.sessions.lock(code, False, f"Bearer {people[0].token}")
    versions = world.version(code)
    assert await world.sessions.lock(code, True, host) is True  # already: nothing changes
    assert world.version(code) == versions
    assert await world.sessions.lock(code, False, host) is False
    await world.sessions.join(code, "Bram", "10.0.3.1")


async def test_a_join_during_a_check_in_takes_its_turn_last(world: World) -> None:
    code, host, people = await world.session_with("Anna", "Bram")
    await world.meeting.start_round(code, host, RoundKind.CHECKIN, "Hoe gaat het?", None)
    late = await world.sessions.join(code, "Cas", "10.0.0.9")
    snapshot = world.snapshots.read_now(code, frozenset())
    assert snapshot.meeting.speaking is not None
    assert snapshot.meeting.speaking.order[-1] == late.id
    assert set(snapshot.meeting.speaking.order) >= {p.id for p in people}


async def test_a_control_arms_the_next_deadline_and_says_what_it_changed(world: World) -> None:
    code, host, _people = await world.session_with("Anna", "Bram")
    breakout = await world.breakouts.start_breakout(code, host)
    assert world.armed.calls[-1] == (
        Wakeup(code, WakeupKind.BREAKOUT_END),
        breakout.slot_ends_ms[-1],
    )
    world.clock.advance(3_000)
    paused = await world.breakouts.control(code, host, BreakoutControl.PAUSE)
    assert paused.status == "paused"
    assert world.armed.calls[-1] == (Wakeup(code, WakeupKind.BREAKOUT_END), None)
    _code, event = world.hub.events[-1]
    assert event.version == world.version(code)
    assert event.timeline is not None and event.timeline.breakout_id == breakout.id
    assert event.timeline.timeline.paused_at_ms == world.clock.now_ms()


async def test_a_refused_control_changes_nothing_not_even_the_version(world: World) -> None:
    code, host, _people = await world.session_with("Anna", "Bram")
    await world.breakouts.start_breakout(code, host)
    before, published = world.version(code), len(world.hub.events)
    with pytest.raises(Conflict):
        await world.breakouts.control(code, host, BreakoutControl.RESUME)  # it runs
    with pytest.raises(Forbidden):
        await world.breakouts.control(code, "Bearer not-the-host", BreakoutControl.PAUSE)
    with pytest.raises(Unauthorized):
        await world.breakouts.control(code, None, BreakoutControl.PAUSE)
    assert world.version(code) == before
    assert len(world.hub.events) == published


async def test_the_clock_finishes_a_breakout_once_without_renewing_the_session(
    world: World,
) -> None:
    code, host, _people = await world.session_with("Anna", "Bram")
    breakout = await world.breakouts.start_breakout(code, host)
    published = len(world.hub.events)
    await world.breakouts.finish_if_due(code)  # not due: nothing written, nobody told
    assert len(world.hub.events) == published
    with Session(world.store.engine) as db:
        active = db.exec(select(DuoSession.last_active_ms).where(DuoSession.code == code)).one()
    world.clock.advance(breakout.slot_ends_ms[-1] - world.clock.now_ms())
    await world.breakouts.finish_if_due(code)
    assert len(world.hub.events) == published + 1
    snapshot = world.snapshots.read_now(code, frozenset())
    assert snapshot.breakout is not None and snapshot.breakout.timeline.status.value == "finished"
    with Session(world.store.engine) as db:
        still = db.exec(select(DuoSession.last_active_ms).where(DuoSession.code == code)).one()
    assert still == active
    await world.breakouts.finish_if_due("NOSUCH")  # a session gone: nothing to do


async def test_a_break_arms_its_end_and_ending_it_disarms(world: World) -> None:
    code, host, _people = await world.session_with("Anna", "Bram")
    started = await world.meeting.start_break(code, host, 5, None)
    assert world.armed.calls[-1] == (Wakeup(code, WakeupKind.BREAK_END), started["ends_at_ms"])
    await world.meeting.end_break(code, host)
    assert world.armed.calls[-1] == (Wakeup(code, WakeupKind.BREAK_END), None)
    with pytest.raises(Conflict):
        await world.meeting.end_break(code, host)


async def test_expiry_deletes_only_what_is_expired_and_tells_its_clients(world: World) -> None:
    old, _host, _people = await world.session_with("Anna")
    world.clock.advance(23 * 3_600_000)
    fresh, _host, _people = await world.session_with("Bram")
    await world.expiry.purge(old)  # not expired yet
    world.clock.advance(2 * 3_600_000)
    await world.expiry.purge(fresh)  # still fresh
    assert await world.expiry.purge_expired() == [old]
    assert world.hub.events[-1][0] == old
    with pytest.raises(NotFound):
        await world.sessions.describe(old)
    assert (await world.sessions.describe(fresh))["participant_count"] == 1
