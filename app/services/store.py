"""The one transaction helper, and the rows every command reads: sessions, breakouts, rounds.

Each command owns one transaction (``Store.transaction``): it reads what it needs (the
session row locked, so that changes reaching several processes at once are applied one
after the other), calls the domain, and writes. Rows become domain values here and back.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, bindparam, case, delete, func, insert, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import SingletonThreadPool, StaticPool
from sqlmodel import Session, col, select

from app.core.clock import Clock
from app.core.db import BUSY_TIMEOUT_MS, WRITES, for_reads, for_writes, forget_deleted
from app.core.security import normalise_code, plausible_id
from app.domain.meeting import (
    Activity,
    RoundKind,
    SpeakingRound,
    activity,
    expires_at_ms,
    require_breakout,
)
from app.domain.signals import Signal, SignalKind
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
from app.services.errors import SESSION_NOT_FOUND, NotFound, SessionExpired

log = logging.getLogger(__name__)
T = TypeVar("T")
Extras = Callable[[ColumnElement[Any]], Sequence[ColumnElement[Any]]]
"""Scalar subqueries read with a session's lock, given an expression of the session's id."""
HEALTH_SECONDS = 0.8  # the health check answers within this, whatever the database does
PROBE_LOCK_MS = 300  # how long the health check's write waits for a lock


def canonical_code(code: str) -> str:
    """Return a session code as stored. Raises NotFound for one Duo could not have made."""
    canonical = normalise_code(code)
    if canonical is None:
        raise NotFound(SESSION_NOT_FOUND)
    return canonical


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


def signal_of(row: GroupSignal) -> Signal:
    """Return the domain signal stored in a row."""
    return Signal(SignalKind(row.kind), row.participant_id, row.raised_at_ms, row.seen_at_ms)


def signals_of(db: Session, breakout_id: str) -> dict[str, Signal]:
    """Return the signals raised in a breakout, by the member who raised each."""
    rows = db.exec(select(GroupSignal).where(GroupSignal.breakout_id == breakout_id)).all()
    return {r.participant_id: signal_of(r) for r in rows}


LATEST_BREAKOUT = (
    select(Breakout)
    .where(col(Breakout.session_id) == bindparam("session_id"))
    .order_by(col(Breakout.number).desc())
    .limit(1)
)


def latest_breakout(db: Session, row: DuoSession) -> Breakout | None:
    """Return the session's latest breakout row, if any."""
    return db.exec(LATEST_BREAKOUT, params={"session_id": row.id}).first()


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


def going_round_kind(session_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """A scalar subquery (for ``Store.lock``'s extras): the kind of the session's check-in or
    check-out if one is going, else NULL."""
    going = func.json_array_length(SpeakingRoundRow.speakers) > SpeakingRoundRow.turn
    return (
        select(case((going, SpeakingRoundRow.kind), else_=None))
        .where(col(SpeakingRoundRow.session_id) == session_id)
        .order_by(col(SpeakingRoundRow.id).desc())
        .limit(1)
        .scalar_subquery()
    )


def going_round(session_id: ColumnElement[Any]) -> Sequence[ColumnElement[Any]]:
    """``Store.lock``'s extras for a change that starts an activity: ``going_round_kind``."""
    return (going_round_kind(session_id),)


def current_activity(
    db: Session, row: DuoSession, now_ms: int, going_round: str | None
) -> tuple[Activity, Breakout | None]:
    """Return what the meeting is doing at ``now_ms``, and its latest breakout;
    ``going_round`` is what ``going_round_kind`` read."""
    breakout = latest_breakout(db, row)
    return activity(
        timeline_of(breakout) if breakout else None,
        RoundKind(going_round) if going_round else None,
        row.break_ends_at_ms,
        now_ms,
    ), breakout


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


@lru_cache(maxsize=32)
def _lock_statement(renew: bool, extras: Extras | None) -> Any:
    """``Store.lock``'s statement, built once per kind (the values are bound at each use:
    ``locked_code``, ``locked_at``, ``idle_cutoff``)."""
    active = col(DuoSession.last_active_ms)
    values: dict[str, Any] = {"version": col(DuoSession.version) + 1}
    if renew:  # an expired session keeps its time, so that it shows as expired
        values["last_active_ms"] = case(
            (active > bindparam("idle_cutoff"), bindparam("locked_at")), else_=active
        )
    # The id as a subquery, not the updated row's column: SQLite's RETURNING names columns
    # without their table, and a subquery on another table would read its own ``id``.
    session_id = select(DuoSession.id).where(col(DuoSession.code) == bindparam("locked_code"))
    read = extras(session_id.scalar_subquery()) if extras else ()
    return (
        update(DuoSession)
        .where(col(DuoSession.code) == bindparam("locked_code"))
        .values(**values)
        .returning(DuoSession, *read)
    )


class Store:
    """The database, reached only through a bounded pool of worker threads, and the rules
    of a session's lifetime (expiry, activity).

    Every query runs in one of the pool's threads (``run``), never on the event loop: while
    one session waits for its database, every other session's sockets, pings and timers go
    on. docs/architecture.md says why threads and not an async driver.
    """

    def __init__(self, engine: Engine, clock: Clock, ttl_hours: float, threads: int = 8) -> None:
        self.engine = engine
        self.writer = for_writes(engine)
        self.reader = for_reads(engine)
        self.clock = clock
        self.ttl_ms = int(ttl_hours * 3_600_000)
        # One connection shared by every caller (an in-memory test database): one thread.
        shared = isinstance(engine.pool, StaticPool | SingletonThreadPool)
        self._pool = ThreadPoolExecutor(1 if shared else threads, thread_name_prefix="duo-db")
        # SQLite takes one writer at a time: this process's writers queue here, handed on at
        # once, instead of in SQLite's busy handler, which sleeps up to 100 ms between tries.
        sqlite = engine.dialect.name == "sqlite"
        self._one_writer: AbstractContextManager[object] = (
            threading.RLock() if sqlite else nullcontext()
        )
        # The health check has a thread of its own, so that it never queues behind commands
        # waiting for a lock.
        self._probe = (
            self._pool if shared else ThreadPoolExecutor(1, thread_name_prefix="duo-db-probe")
        )

    async def run(self, work: Callable[[], T]) -> T:
        """Return ``work()``, run in one of the database's threads."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    async def transact(self, work: Callable[[Session], T]) -> T:
        """Return ``work(db)`` run in one transaction that writes, in one of the database's
        threads."""

        def in_transaction() -> T:
            with self.transaction() as db:
                return work(db)

        return await self.run(in_transaction)

    async def read(self, work: Callable[[Session], T]) -> T:
        """Return ``work(db)`` run in one transaction that only reads (it waits for no
        writer), in one of the database's threads."""

        def reading() -> T:
            with Session(self.reader) as db:
                return work(db)

        return await self.run(reading)

    def close(self) -> None:
        """Let the database's threads finish what they run, then stop them."""
        self._pool.shutdown(wait=True)
        self._probe.shutdown(wait=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a database session that commits at the end, or rolls back on an error."""
        with self._one_writer, Session(self.writer, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    def load(self, db: Session, code: str) -> DuoSession:
        """Return the live session with ``code``. Raises NotFound, and SessionExpired (a
        NotFound) for one idle past its lifetime (``Expiry`` deletes it)."""
        row = self.find(db, code)
        if self.expired(row):
            raise SessionExpired(row.code)
        return row

    @staticmethod
    def find(db: Session, code: str) -> DuoSession:
        """Return the session with ``code``, expired or not. Raises NotFound."""
        canonical = canonical_code(code)
        row = db.exec(select(DuoSession).where(DuoSession.code == canonical)).first()
        if row is None:
            raise NotFound(SESSION_NOT_FOUND)
        return row

    def expired(self, row: DuoSession, now_ms: int | None = None) -> bool:
        """Return whether the session has been idle for longer than its lifetime, or closed
        for longer than a closed session lives (at ``now_ms``, by default the clock's now)."""
        now = self.clock.now_ms() if now_ms is None else now_ms
        return expires_at_ms(row.last_active_ms, self.ttl_ms, row.closed_at_ms) <= now

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
            db.execute(delete(table).where(col(table.session_id) == id_))
        db.execute(delete(DuoSession).where(col(DuoSession.id) == id_))

    def forget_deleted(self) -> None:
        """Make deleted rows unreadable on disk too (SQLite's log emptied)."""
        if not forget_deleted(self.engine):
            log.warning("the database log could not be emptied now; it will be at the next purge")

    def lock(
        self,
        db: Session,
        code: str,
        now_ms: int,
        *,
        renew: bool = True,
        extras: Extras | None = None,
        bound: Mapping[str, Any] | None = None,
    ) -> tuple[DuoSession, Sequence[Any]]:
        """Lock the live session ``code`` for a change, in one statement: its version bumped
        (every change bumps it; a rolled back change undoes that), its activity renewed
        unless ``renew`` is False, and the row returned with ``extras`` (scalar subqueries
        on the session, given its id, read under the same lock; ``bound`` gives the values
        of their own bind parameters).

        Raises NotFound, or SessionExpired for a session idle past its lifetime.
        """
        canonical = canonical_code(code)
        found = db.execute(
            _lock_statement(renew, extras),
            {
                "locked_code": canonical,
                "locked_at": now_ms,
                "idle_cutoff": now_ms - self.ttl_ms,
                **(bound or {}),
            },
        ).first()
        if found is None:
            raise NotFound(SESSION_NOT_FOUND)
        row = found[0]
        if self.expired(row, now_ms):
            raise SessionExpired(row.code)
        return row, tuple(found[1:])

    async def health(self) -> str:
        """Return "ok", "not writable" (a full disk, a lock held elsewhere) or "unreachable",
        within about HEALTH_SECONDS whatever the database is doing."""
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._probe, self._probe_database), HEALTH_SECONDS
            )
        except TimeoutError:
            return "unreachable"

    def _probe_database(self) -> str:
        try:
            with Session(self.engine) as db:
                db.exec(select(1)).one()
        except Exception:
            return "unreachable"
        try:
            with (
                self.engine.connect() as connection,
                impatient(connection),
                connection.execution_options(**{WRITES: True}).begin(),
            ):
                now = self.clock.now_ms()
                probe = update(HealthProbe).where(col(HealthProbe.id) == 1)
                if not connection.execute(probe.values(checked_at_ms=now)).rowcount:
                    connection.execute(insert(HealthProbe).values(id=1, checked_at_ms=now))
            return "ok"
        except Exception:
            return "not writable"


@contextmanager
def impatient(connection: Connection) -> Iterator[None]:
    """Within, a transaction waits for a lock at most PROBE_LOCK_MS (then fails)."""
    sqlite = connection.dialect.name == "sqlite"
    with connection.begin():
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={PROBE_LOCK_MS}")
        else:
            connection.exec_driver_sql(f"SET lock_timeout = {PROBE_LOCK_MS}")
    try:
        yield
    finally:
        with connection.begin():
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            else:
                connection.exec_driver_sql("RESET lock_timeout")


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
