"""Breakouts: pairing everyone online, the host's controls, and the end of the last slot."""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.core.security import new_id, normalise_code
from app.domain.meeting import require_nothing_running, require_open
from app.domain.pairing import pair_key, pair_up, pairs_of
from app.domain.rooms import RoomError, RoomGroups, groups_from_rooms
from app.domain.timeline import Status, Timeline, slot_count
from app.events import BreakoutControl
from app.models import Breakout, DuoSession, PairHistory, Participant
from app.services.changes import Changes, Step
from app.services.errors import NotFound
from app.services.hub import Presence, TimelineChange
from app.services.rooms import give_rooms
from app.services.store import (
    Store,
    breakout_to_change,
    current_activity,
    going_round,
    latest_breakout,
    phase_lengths,
    present_among,
    session_id,
    store_timeline,
    timeline_of,
)
from app.services.wakeups import WakeupKind


@dataclass(frozen=True)
class Controlled:
    id: str
    number: int
    status: str
    current_slot: int
    remaining_ms: int


def pairs_met(db: Session, row: DuoSession) -> Counter[tuple[str, str]]:
    """Return how often each pair of the session was in one group before."""
    history = db.execute(
        select(col(PairHistory.first_id), col(PairHistory.second_id)).where(
            col(PairHistory.session_id) == row.id
        )
    )  # plain rows: no object a pair, since the history grows with every breakout
    return Counter(pair_key(first, second) for first, second in history)


def record_pairs(
    db: Session,
    row: DuoSession,
    number: int,
    groups: list[list[str]],
    known: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    """Remember every pair of ``groups`` in breakout ``number``, but those ``known`` already."""
    pairs = [
        {"session_id": session_id(row), "breakout_number": number, "first_id": a, "second_id": b}
        for group in groups
        for a, b in pairs_of(group)
        if (a, b) not in known
    ]
    if pairs:
        db.execute(insert(PairHistory), pairs)  # one statement, not an object a pair


def room_groups(db: Session, row: DuoSession, people: list[str], number: int) -> RoomGroups:
    """Return the groups formed from the rooms ``people`` (those online) said they are in.
    Raises RoomError when nobody is asked or no room has two who answered."""
    if row.rooms_asked is None:
        raise RoomError("Ask everyone which room they are in first.")
    rows = db.execute(
        sa_select(col(Participant.id), col(Participant.room_answer)).where(
            col(Participant.session_id) == row.id,
            col(Participant.id).in_(people),
            col(Participant.room_answer).is_not(None),
        )
    )
    answers = {pid: room for pid, room in rows}
    formed = groups_from_rooms(answers, row.seed ^ number)
    if not formed.groups:
        raise RoomError("No room has two people in it who answered yet.")
    return formed


class BreakoutCommands:
    """Starting breakouts, the host's controls on them, and finishing them on time."""

    def __init__(self, store: Store, changes: Changes, presence: Presence) -> None:
        self.store = store
        self.changes = changes
        self.presence = presence

    async def start_breakout(
        self, code: str, authorization: str | None, from_rooms: bool = False
    ) -> Breakout:
        """Pair everyone online and start a breakout; ``from_rooms``: form the groups from
        the rooms everyone online said they are in (``app/domain/rooms.py``).

        Raises NotFound, Unauthorized, Forbidden, or Conflict (the session closed, fewer than
        two online, or a breakout still running; from the rooms: nobody asked, or no room
        with two).
        """
        online = await self.presence.online(normalise_code(code) or code)

        def change(step: Step) -> Breakout:
            db, row, now = step.db, step.row, step.now
            require_open(row.closed_at_ms)
            doing, latest = current_activity(db, row, now, step.extras[0])
            require_nothing_running(doing)
            if latest is not None:
                store_timeline(latest, timeline_of(latest).finish_if_due(now))
            number = (latest.number if latest else 0) + 1
            people = present_among(db, row, online)
            if from_rooms:
                rooms = room_groups(db, row, people, number)
                groups = rooms.groups
            else:
                groups = pair_up(people, pairs_met(db, row), seed=row.seed, round_seed=number)
            row.rooms_asked = None
            timeline = Timeline.start(now, slot_count([len(g) for g in groups]), phase_lengths(row))
            breakout = Breakout(
                id=new_id("b"),
                session_id=session_id(row),
                number=number,
                groups=groups,
                status=timeline.status.value,
                started_at_ms=now,
                slot_ends_ms=list(timeline.slot_ends_ms),
                from_rooms=from_rooms,
            )
            give_rooms(
                row, breakout, rooms.rooms if from_rooms else list(range(1, len(groups) + 1))
            )
            db.add(breakout)
            record_pairs(db, row, number, groups)
            step.wake_at(WakeupKind.BREAKOUT_END, timeline.next_deadline_ms())
            return breakout

        return await self.changes.as_host(code, authorization, change, going_round)

    async def control(
        self, code: str, authorization: str | None, action: BreakoutControl, extra_seconds: int = 0
    ) -> Controlled:
        """Apply a host control (pause, resume, extend, skip, end) to the current breakout.

        Raises NotFound, Unauthorized, Forbidden, or Conflict when the breakout's status
        does not allow it.
        """

        def change(step: Step) -> Controlled:
            now = step.now
            breakout = breakout_to_change(step.db, step.row)
            timeline = apply_control(timeline_of(breakout), action, now, extra_seconds * 1000)
            stored = timeline.finish_if_due(now)
            store_timeline(breakout, stored)
            step.timeline = TimelineChange(breakout.id, stored)
            step.wake_at(WakeupKind.BREAKOUT_END, timeline.next_deadline_ms())
            return Controlled(
                id=breakout.id,
                number=breakout.number,
                status=timeline.status_at(now).value,
                current_slot=timeline.current_slot(now),
                remaining_ms=timeline.remaining_ms(now),
            )

        return await self.changes.as_host(code, authorization, change)

    async def finish_if_due(self, code: str) -> None:
        """Mark the current breakout finished once its last slot ran out, and tell everyone
        (a change the clock makes; a session gone meanwhile has nothing to finish)."""

        def change(step: Step) -> None:
            breakout = latest_breakout(step.db, step.row)
            if breakout is None:
                step.changed = False
                return
            timeline = timeline_of(breakout)
            finished = timeline.finish_if_due(step.now)
            if finished == timeline:  # not due (moved meanwhile): wake up at the new deadline
                step.changed = False
                step.wake_at(WakeupKind.BREAKOUT_END, timeline.next_deadline_ms())
                return
            store_timeline(breakout, finished)

        with contextlib.suppress(NotFound):
            await self.changes.apply(code, change, by_clock=True)

    async def running_deadlines(self) -> list[tuple[str, int]]:
        """Return (code, deadline) of every breakout stored as running (to re-arm at start)."""

        def read(db: Session) -> list[tuple[str, int]]:
            rows = db.exec(
                select(DuoSession.code, Breakout.slot_ends_ms)
                .join(Breakout, col(Breakout.session_id) == col(DuoSession.id))
                .where(Breakout.status == Status.RUNNING.value)
            ).all()
            return [(code, ends[-1]) for code, ends in rows]

        return await self.store.read(read)


def apply_control(
    timeline: Timeline, action: BreakoutControl, now_ms: int, extra_ms: int
) -> Timeline:
    """Return ``timeline`` after the host's control ``action``. Raises TimelineError."""
    match action:
        case BreakoutControl.PAUSE:
            return timeline.pause(now_ms)
        case BreakoutControl.RESUME:
            return timeline.resume(now_ms)
        case BreakoutControl.EXTEND:
            return timeline.extend(now_ms, extra_ms)
        case BreakoutControl.SKIP:
            return timeline.skip(now_ms)
        case BreakoutControl.END:
            return timeline.end(now_ms)
    raise ValueError(f"Unknown control {action!r}.")
