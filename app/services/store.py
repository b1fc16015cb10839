"""The one transaction helper, and the rows every command reads: sessions, breakouts, rounds.

Each command owns one transaction (``Store.transaction``): it reads what it needs (the
session row locked, so that changes reaching several processes at once are applied one
after the other), calls the domain, and writes. Rows become domain values here and back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.clock import Clock
from app.core.db import forget_deleted
from app.core.security import normalise_code, plausible_id
from app.domain.meeting import Activity, RoundKind, SpeakingRound, activity, require_breakout
from app.domain.timeline import PHASE_KINDS, PhaseLengths, Status, Timeline
from app.models import (
    Breakout,
    DuoSession,
    GroupSignal,
    HealthProbe,
    HostMessage,
    PairHistory,
    Participant,
    SpeakingRoundRow,
)
from app.services.errors import SESSION_NOT_FOUND, NotFound

log = logging.getLogger(__name__)


def phase_seconds_by_kind(row: DuoSession) -> dict[str, int]:
    """Return how many seconds each phase kind lasts in the session, every kind named."""
    chosen = row.phase_seconds_by_kind or {}
    return {kind: int(chosen.get(kind, row.phase_seconds)) for kind in PHASE_KINDS}


def phase_lengths(row: DuoSession) -> PhaseLengths:
    """Return the session's phase lengths in ms, for the domain."""
    return PhaseLengths(*(seconds * 1000 for seconds in phase_seconds_by_kind(row).values()))


def session_id(row: DuoSession) -> int:
    """Return a stored session's id."""
    assert row.id is not None, "a stored session has an id"
    return row.id


def timeline_of(breakout: Breakout) -> Timeline:
    """Return the domain timeline stored in a breakout row."""
    return Timeline(
        started_at_ms=breakout.started_at_ms,
        slot_ends_ms=tuple(breakout.slot_ends_ms),
        status=Status(breakout.status),
        paused_at_ms=breakout.paused_at_ms,
    )


def store_timeline(breakout: Breakout, timeline: Timeline) -> None:
    """Write a domain timeline into a breakout row."""
    breakout.slot_ends_ms = list(timeline.slot_ends_ms)
    breakout.status = timeline.status.value
    breakout.paused_at_ms = timeline.paused_at_ms


def round_of(row: SpeakingRoundRow) -> SpeakingRound:
    """Return the domain round stored in a row."""
    return SpeakingRound(
        kind=RoundKind(row.kind),
        question=row.question,
        order=tuple(row.speakers),
        turn=row.turn,
        turn_started_at_ms=row.turn_started_at_ms,
        seconds_per_speaker=row.seconds_per_speaker,
    )


def store_round(row: SpeakingRoundRow, speaking: SpeakingRound) -> None:
    """Write a domain round into its row."""
    row.speakers = list(speaking.order)
    row.turn = speaking.turn
    row.turn_started_at_ms = speaking.turn_started_at_ms


def latest_breakout(db: Session, row: DuoSession) -> Breakout | None:
    """Return the session's latest breakout row, if any."""
    return db.exec(
        select(Breakout)
        .where(Breakout.session_id == row.id)
        .order_by(col(Breakout.number).desc())
        .limit(1)
    ).first()


def breakout_to_change(db: Session, row: DuoSession) -> Breakout:
    """Return the latest breakout row. Raises MeetingError when the session has none."""
    breakout = latest_breakout(db, row)
    require_breakout(timeline_of(breakout) if breakout else None)
    assert breakout is not None  # require_breakout raised otherwise
    return breakout


def latest_round(db: Session, row: DuoSession) -> SpeakingRoundRow | None:
    """Return the session's latest check-in or check-out row, if any."""
    return db.exec(
        select(SpeakingRoundRow)
        .where(SpeakingRoundRow.session_id == row.id)
        .order_by(col(SpeakingRoundRow.id).desc())
        .limit(1)
    ).first()


def current_activity(db: Session, row: DuoSession, now_ms: int) -> Activity:
    """Return what the meeting is doing at ``now_ms``, read from its rows."""
    breakout = latest_breakout(db, row)
    current = latest_round(db, row)
    speaking = round_of(current) if current is not None else None
    return activity(
        timeline_of(breakout) if breakout else None,
        speaking.kind if speaking is not None and not speaking.finished else None,
        row.break_ends_at_ms,
        now_ms,
    )


def participant_of(db: Session, row: DuoSession, participant_id: str) -> Participant:
    """Return a participant of the session ``row``. Raises NotFound.

    Only ids Duo could have made are looked up (PostgreSQL refuses a NUL in a string).
    """
    participant = db.get(Participant, participant_id) if plausible_id(participant_id) else None
    if participant is None or participant.session_id != row.id:
        raise NotFound("Participant not found.")
    return participant


def active_among(db: Session, row: DuoSession, ids: Collection[str]) -> set[str]:
    """Return those of ``ids`` who are in the session (joined and not left)."""
    wanted = [i for i in ids if plausible_id(i)]
    return set(
        db.exec(
            select(Participant.id).where(
                Participant.session_id == row.id,
                col(Participant.token_hash).is_not(None),
                col(Participant.id).in_(wanted),
            )
        ).all()
    )


def present_among(db: Session, row: DuoSession, online: Collection[str]) -> list[str]:
    """Return the ids of the participants in ``online`` who have not left, in join order."""
    return list(
        db.exec(
            select(Participant.id)
            .where(
                Participant.session_id == row.id,
                col(Participant.token_hash).is_not(None),
                col(Participant.id).in_(online),
            )
            .order_by(col(Participant.joined_seq))
        ).all()
    )


class Store:
    """The database and the rules of a session's lifetime (expiry, activity)."""

    def __init__(self, engine: Engine, clock: Clock, ttl_hours: float) -> None:
        self.engine = engine
        self.clock = clock
        self.ttl_ms = int(ttl_hours * 3_600_000)
        self.on_purged: Callable[[str], None] = lambda _code: None  # its clients are told

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a database session that commits at the end, or rolls back on an error."""
        with Session(self.engine, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    def load(self, db: Session, code: str, *, lock: bool = False) -> DuoSession:
        """Return the live session with ``code``. Raises NotFound (an expired one is purged)."""
        row = self.find(db, code, lock=lock)
        if self.expired(row):
            self.purge(db, row.id)
            db.commit()
            self.forget_deleted()
            self.on_purged(row.code)
            raise NotFound(SESSION_NOT_FOUND)
        return row

    @staticmethod
    def find(db: Session, code: str, *, lock: bool = False) -> DuoSession:
        """Return the session with ``code``, expired or not. Raises NotFound."""
        canonical = normalise_code(code)
        if canonical is None:
            raise NotFound(SESSION_NOT_FOUND)
        query = select(DuoSession).where(DuoSession.code == canonical)
        if lock:
            query = query.with_for_update()
        row = db.exec(query).first()
        if row is None:
            raise NotFound(SESSION_NOT_FOUND)
        return row

    def expired(self, row: DuoSession) -> bool:
        """Return whether the session has been idle for longer than its lifetime."""
        return row.last_active_ms + self.ttl_ms <= self.clock.now_ms()

    @staticmethod
    def purge(db: Session, id_: int | None) -> None:
        """Delete a session and everything that belongs to it."""
        for table in (
            GroupSignal,
            HostMessage,
            SpeakingRoundRow,
            PairHistory,
            Breakout,
            Participant,
        ):
            db.exec(delete(table).where(table.session_id == id_))  # type: ignore[arg-type]
        db.exec(delete(DuoSession).where(DuoSession.id == id_))  # type: ignore[arg-type]

    def forget_deleted(self) -> None:
        """Make deleted rows unreadable on disk too (SQLite's log emptied)."""
        if not forget_deleted(self.engine):
            log.warning("the database log could not be emptied now; it will be at the next purge")

    def touch(self, row: DuoSession) -> None:
        """Mark the session active now and changed (concurrent writers see each other)."""
        row.last_active_ms = self.clock.now_ms()
        row.version += 1

    def database_ok(self) -> bool:
        """Return whether the database answers."""
        try:
            with Session(self.engine) as db:
                db.exec(select(1)).one()
            return True
        except Exception:
            return False

    def writes_ok(self) -> bool:
        """Return whether the database takes a write (a full disk fails here, not on reads)."""
        try:
            with self.transaction() as db:
                db.merge(HealthProbe(id=1, checked_at_ms=self.clock.now_ms()))
            return True
        except Exception:
            return False


def append_to_round(db: Session, row: DuoSession, participant_id: str) -> None:
    """Put someone who joins during a check-in or check-out at the end of its order."""
    current = latest_round(db, row)
    if current is not None:
        store_round(current, round_of(current).add_late(participant_id))


def remove_from_round(db: Session, row: DuoSession, participant_id: str, now_ms: int) -> None:
    """Take someone who left out of the check-in or check-out going."""
    current = latest_round(db, row)
    if current is not None:
        store_round(current, round_of(current).without(participant_id, now_ms))
