"""The snapshot: everything one ``state`` is made of, read at one moment, as plain data;
its types, how it is read, and what it becomes when time passes or a control's change is
applied to it (``app/services/state.py`` encodes it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Row, and_, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.domain.joins import Arrival, Burst, bursts
from app.domain.meeting import (
    Activity,
    RoundKind,
    SpeakingRound,
    activities_done,
    activity,
    last_activity,
    last_started_at_ms,
    on_break,
)
from app.domain.signals import Signal
from app.domain.timeline import Timeline
from app.models import Breakout, DuoSession, HostMessage, Participant, SpeakingRoundRow
from app.services.errors import SESSION_NOT_FOUND, NotFound
from app.services.hub import TimelineChange
from app.services.store import (
    Store,
    canonical_code,
    phase_seconds_by_kind,
    round_of,
    signals_of,
    timeline_of,
)
from app.services.wakeups import Deadlines, WakeupKind

MESSAGES_KEPT_IN_STATE = 5


class Member(NamedTuple):  # a tuple: one is made per person per snapshot read
    id: str
    name: str
    active: bool  # False once they left or were removed
    agreed: bool = False  # confirmed the session's agreements
    address: str | None = None  # the key of the address they joined from
    joined_at_ms: int = 0
    room_answer: int | None = None  # the video tool's room they said they are in


@dataclass(frozen=True)
class BreakoutSnapshot:
    id: str
    number: int
    groups: list[list[str]]
    timeline: Timeline
    first_slots: list[int] = field(default_factory=list)  # where each group starts
    signals: dict[str, Signal] = field(default_factory=dict)  # by the member who raised it
    left_slots: dict[str, int] = field(default_factory=dict)  # who left, in which slot
    rooms: list[int] = field(default_factory=list)  # each group's room number
    room_names: list[str] | None = None  # each group's room name (a link per group)
    from_rooms: bool = False  # formed from the rooms people said they are in

    def first_slot(self, index: int) -> int:
        return self.first_slots[index] if index < len(self.first_slots) else 0

    def room(self, index: int) -> int:
        """Return group ``index``'s room number (index + 1 unless stored otherwise)."""
        return self.rooms[index] if index < len(self.rooms) else index + 1

    def room_name(self, index: int) -> str | None:
        names = self.room_names
        return names[index] if names is not None and index < len(names) else None


@dataclass(frozen=True)
class BreakSnapshot:
    """A break that is going."""

    started_at_ms: int | None
    ends_at_ms: int
    energizer: str | None


@dataclass(frozen=True)
class MessageSnapshot:
    id: int | None
    text: str
    sent_at_ms: int


@dataclass(frozen=True)
class MeetingSnapshot:
    """The meeting around the breakout at the snapshot's moment."""

    activity: Activity
    started_at_ms: int
    planned_end_ms: int | None
    last_break_ended_at_ms: int | None
    agreements: str
    going_break: BreakSnapshot | None
    messages: tuple[MessageSnapshot, ...]  # the newest few, oldest first
    speaking: SpeakingRound | None  # the check-in or check-out going, if any
    done: tuple[Activity, ...] = ()  # the activities the meeting has had, in agenda order
    last: Activity | None = None  # the activity that started last, running or over
    last_started_at_ms: int | None = None  # when that activity started
    last_question: str | None = None  # the question of the latest check-in or check-out

    @property
    def break_ends_at_ms(self) -> int | None:
        """Return when the break that is going ends (None: no break is going)."""
        return self.going_break.ends_at_ms if self.going_break else None


@dataclass
class Snapshot:
    """Everything a ``state`` is made of, read at one moment (``now_ms``)."""

    code: str
    title: str
    language: str
    phase_seconds: int
    phase_seconds_by_kind: dict[str, int]
    members: dict[str, Member]  # everyone who ever joined, by id, in join order
    online: frozenset[str]
    breakout: BreakoutSnapshot | None
    now_ms: int
    meeting: MeetingSnapshot
    version: int = 0  # the session's version it was read at
    locked: bool = False  # the host lets nobody new join
    closed_at_ms: int | None = None  # when the host closed the session (None: open)
    rooms: str = "breakout_rooms"  # where the groups talk (RoomMode)
    room_link_base: str | None = None
    rooms_asked: int | None = None  # while the host asks which room everyone is in

    @property
    def deadlines(self) -> Deadlines:
        """Return what the session must wake up for: its breakout's and its break's end."""
        return {
            WakeupKind.BREAKOUT_END: self.breakout.timeline.next_deadline_ms()
            if self.breakout
            else None,
            WakeupKind.BREAK_END: self.meeting.break_ends_at_ms,
        }

    def seen_at(self, now_ms: int, online: frozenset[str]) -> Snapshot:
        """Return this snapshot as read at ``now_ms`` with ``online`` (nothing else changed)."""
        members = self.members
        present = frozenset(p for p in online if p in members and members[p].active)
        return replace(self, now_ms=now_ms, online=present)

    def after(self, change: TimelineChange, version: int) -> Snapshot | None:
        """Return this snapshot after ``change`` made it ``version``, or None when it cannot
        tell (it is not of the version before, or of another breakout)."""
        breakout = self.breakout
        if version != self.version + 1 or breakout is None or breakout.id != change.breakout_id:
            return None
        going = self.meeting.speaking
        meeting = replace(
            self.meeting,
            activity=activity(
                change.timeline,
                going.kind if going else None,
                self.meeting.break_ends_at_ms,
                self.now_ms,
            ),
        )
        return replace(
            self,
            breakout=replace(breakout, timeline=change.timeline),
            meeting=meeting,
            version=version,
        )

    @cached_property
    def join_bursts(self) -> list[Burst]:
        """Return the bursts of joins from one address among those present."""
        return bursts(
            Arrival(m.id, m.address, m.joined_at_ms) for m in self.members.values() if m.active
        )

    @cached_property
    def participant_count(self) -> int:
        return sum(1 for m in self.members.values() if m.active)

    @cached_property
    def group_of(self) -> dict[str, int]:
        """Return the index of every grouped member's group in the breakout."""
        if self.breakout is None:
            return {}
        return {pid: i for i, group in enumerate(self.breakout.groups) for pid in group}


class SnapshotReader:
    """Reads sessions for their clients' states (no writes, no locks)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def read(self, code: str, online: frozenset[str]) -> Snapshot:
        """Return the snapshot of session ``code``, whose ``online`` are given (read in one
        of the database's threads).

        Raises NotFound for an unknown or expired session.
        """
        return await self.store.run(lambda: self.read_now(code, online))

    def read_now(self, code: str, online: frozenset[str]) -> Snapshot:
        """``read``, in the calling thread."""
        with Session(self.store.reader) as db:
            row, latest = _session_and_latest_breakout(db, code)
            if self.store.expired(row):
                raise NotFound(SESSION_NOT_FOUND)
            breakout = _breakout(db, latest)
            members = _members(db, row, breakout)
            now = self.store.clock.now_ms()
            return Snapshot(
                code=row.code,
                title=row.title,
                language=row.language,
                phase_seconds=row.phase_seconds,
                phase_seconds_by_kind=phase_seconds_by_kind(row),
                members=members,
                online=frozenset(p for p in online if p in members and members[p].active),
                breakout=breakout,
                now_ms=now,
                meeting=_meeting(db, row, breakout, now),
                version=row.version,
                locked=row.locked_at_ms is not None,
                closed_at_ms=row.closed_at_ms,
                rooms=row.rooms,
                room_link_base=row.room_link_base,
                rooms_asked=row.rooms_asked,
            )


def _members(db: Session, row: DuoSession, breakout: BreakoutSnapshot | None) -> dict[str, Member]:
    """Return who is in the session, and who left but is named in the latest breakout's
    groups, in join order. Nobody else who left is read: however many came and went, the
    read is bounded by the people present (found through the session-and-token index)."""
    rows = _member_rows(db, row, col(Participant.token_hash).is_not(None))
    present = {r.id for r in rows}
    grouped = {m for group in breakout.groups for m in group} - present if breakout else set()
    if grouped:
        rows += _member_rows(db, row, col(Participant.id).in_(grouped))
    rows.sort(key=lambda r: r.joined_seq)
    return {
        r.id: Member(
            r.id,
            r.name,
            r.token_hash is not None,
            r.agreed_at_ms is not None,
            r.address_key,
            r.joined_at_ms,
            r.room_answer,
        )
        for r in rows
    }


def _member_rows(db: Session, row: DuoSession, which: ColumnElement[bool]) -> list[Row[Any]]:
    query = sa_select(
        col(Participant.id),
        col(Participant.name),
        col(Participant.token_hash),
        col(Participant.agreed_at_ms),
        col(Participant.joined_seq),
        col(Participant.address_key),
        col(Participant.joined_at_ms),
        col(Participant.room_answer),
    ).where(col(Participant.session_id) == row.id, which)
    return list(db.execute(query).all())


def _session_and_latest_breakout(db: Session, code: str) -> tuple[DuoSession, Breakout | None]:
    """Return the session ``code`` and its latest breakout, in one query. Raises NotFound."""
    canonical = canonical_code(code)
    other = aliased(Breakout)
    latest_number = (
        sa_select(func.max(other.number))
        .where(col(other.session_id) == col(DuoSession.id))
        .correlate(DuoSession)
        .scalar_subquery()
    )
    found = db.execute(
        sa_select(DuoSession, Breakout)
        .outerjoin(
            Breakout,
            and_(
                col(Breakout.session_id) == col(DuoSession.id),
                col(Breakout.number) == latest_number,
            ),
        )
        .where(col(DuoSession.code) == canonical)
    ).first()
    if found is None:
        raise NotFound(SESSION_NOT_FOUND)
    return found[0], found[1]


def _breakout(db: Session, latest: Breakout | None) -> BreakoutSnapshot | None:
    if latest is None:
        return None
    return BreakoutSnapshot(
        latest.id,
        latest.number,
        latest.groups,
        timeline_of(latest),
        latest.first_slots or [0] * len(latest.groups),
        signals_of(db, latest.id),
        latest.left_slots or {},
        latest.rooms or list(range(1, len(latest.groups) + 1)),
        latest.room_names,
        latest.from_rooms,
    )


def _meeting(
    db: Session, row: DuoSession, breakout: BreakoutSnapshot | None, now_ms: int
) -> MeetingSnapshot:
    rounds = _rounds(db, row)
    current = rounds[0] if rounds else None
    breakout_start = breakout.timeline.started_at_ms if breakout else None
    speaking = round_of(current) if current is not None else None
    going = speaking if speaking is not None and not speaking.finished else None
    pausing = on_break(row.break_ends_at_ms, now_ms)
    return MeetingSnapshot(
        activity=activity(
            breakout.timeline if breakout else None,
            going.kind if going else None,
            row.break_ends_at_ms,
            now_ms,
        ),
        started_at_ms=row.created_at_ms,
        planned_end_ms=row.planned_end_ms,
        last_break_ended_at_ms=row.break_ends_at_ms
        if row.break_ends_at_ms and not pausing
        else None,
        agreements=row.agreements,
        going_break=BreakSnapshot(row.break_started_at_ms, row.break_ends_at_ms, row.energizer)
        if pausing and row.break_ends_at_ms is not None
        else None,
        messages=_messages(db, row),
        speaking=going,
        done=tuple(activities_done(_kinds(rounds), breakout_start, row.break_started_at_ms)),
        last=last_activity(
            (RoundKind(current.kind), current.started_at_ms) if current else None,
            breakout_start,
            row.break_started_at_ms,
        ),
        last_started_at_ms=last_started_at_ms(
            current.started_at_ms if current else None,
            breakout_start,
            row.break_started_at_ms,
        ),
        last_question=current.question if current else None,
    )


def _kinds(rounds: list[SpeakingRoundRow]) -> list[RoundKind]:
    return [RoundKind(kind) for kind in {r.kind for r in rounds}]


def _rounds(db: Session, row: DuoSession) -> list[SpeakingRoundRow]:
    """Return the session's check-ins and check-outs (a handful), newest first."""
    return list(
        db.exec(
            select(SpeakingRoundRow)
            .where(SpeakingRoundRow.session_id == row.id)
            .order_by(col(SpeakingRoundRow.id).desc())
        ).all()
    )


def _messages(db: Session, row: DuoSession) -> tuple[MessageSnapshot, ...]:
    """Return the host's newest messages, oldest first."""
    newest = db.exec(
        select(HostMessage)
        .where(HostMessage.session_id == row.id)
        .order_by(col(HostMessage.id).desc())
        .limit(MESSAGES_KEPT_IN_STATE)
    ).all()
    return tuple(MessageSnapshot(m.id, m.text, m.sent_at_ms) for m in reversed(newest))
