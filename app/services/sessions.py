"""Sessions, participants and breakouts: every change goes through here.

Each method owns one transaction: it reads what it needs (the session row locked, so that
changes reaching several processes at once are applied one after the other), calls the
domain, writes, and then publishes the change so that every client gets a fresh state.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, func, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.core.clock import Clock
from app.core.security import (
    hash_token,
    new_code,
    new_id,
    new_token,
    normalise_code,
    plausible_id,
    token_matches,
)
from app.domain.pairing import PairingError, pair_key, pair_up, pairs_of
from app.domain.timeline import Status, Timeline, TimelineError, slot_count
from app.models import (
    Breakout,
    DuoSession,
    HostMessage,
    PairHistory,
    Participant,
    SpeakingRoundRow,
)
from app.services.errors import (
    SESSION_NOT_FOUND,
    Conflict,
    Forbidden,
    NotFound,
    Unauthorized,
)
from app.services.state import BreakoutSnapshot, MeetingSnapshot, Member, Snapshot

ACTIVITY_GRANULARITY_MS = 60_000


class Publisher(Protocol):
    async def publish(self, code: str, event: dict[str, object]) -> None: ...


class Presence(Protocol):
    async def online(self, code: str) -> frozenset[str]: ...


class DeadlineArmer(Protocol):
    def arm(self, key: str, deadline_ms: int | None) -> None: ...


@dataclass(frozen=True)
class CreatedSession:
    code: str
    host_token: str


@dataclass(frozen=True)
class Joined:
    id: str
    token: str


@dataclass(frozen=True)
class Identity:
    """Who a socket speaks for: the host (participant_id None) or one participant."""

    code: str
    participant_id: str | None

    @property
    def is_host(self) -> bool:
        return self.participant_id is None


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


def _id(row: DuoSession) -> int:
    assert row.id is not None, "a stored session has an id"
    return row.id


def bearer_token(authorization: str | None) -> str:
    """Return the token of an ``Authorization: Bearer`` header. Raises Unauthorized."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Missing bearer token.")
    return token.strip()


class SessionService:
    """Every change to a session, and the snapshots its clients are sent."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        publisher: Publisher,
        presence: Presence,
        timers: DeadlineArmer,
        ttl_hours: float,
        max_participants: int = 500,
    ) -> None:
        self.max_participants = max_participants
        self.engine = engine
        self.clock = clock
        self.publisher = publisher
        self.presence = presence
        self.timers = timers
        self.ttl_ms = int(ttl_hours * 3_600_000)

    # ---- transactions ------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    def _load(self, db: Session, code: str, *, lock: bool = False) -> DuoSession:
        """Return the live session with ``code``. Raises NotFound (an expired one is purged)."""
        canonical = normalise_code(code)
        if canonical is None:
            raise NotFound(SESSION_NOT_FOUND)
        query = select(DuoSession).where(DuoSession.code == canonical)
        if lock:
            query = query.with_for_update()
        row = db.exec(query).first()
        if row is None:
            raise NotFound(SESSION_NOT_FOUND)
        if self._expired(row):
            self._purge(db, row.id)
            db.commit()
            raise NotFound(SESSION_NOT_FOUND)
        return row

    def _expired(self, row: DuoSession) -> bool:
        return row.last_active_ms + self.ttl_ms <= self.clock.now_ms()

    def _purge(self, db: Session, session_id: int | None) -> None:
        for table in (HostMessage, SpeakingRoundRow, PairHistory, Breakout, Participant):
            db.exec(delete(table).where(table.session_id == session_id))  # type: ignore[arg-type]
        db.exec(delete(DuoSession).where(DuoSession.id == session_id))  # type: ignore[arg-type]

    def _touch(self, row: DuoSession) -> None:
        row.last_active_ms = self.clock.now_ms()
        row.version += 1

    def _require_host(self, row: DuoSession, authorization: str | None) -> None:
        if not token_matches(bearer_token(authorization), row.host_token_hash):
            raise Forbidden("This needs the host's token.")

    @staticmethod
    def _latest_breakout(db: Session, session_id: int | None) -> Breakout | None:
        return db.exec(
            select(Breakout)
            .where(Breakout.session_id == session_id)
            .order_by(col(Breakout.number).desc())
            .limit(1)
        ).first()

    # ---- sessions and participants -----------------------------------------------------

    def create_session(
        self,
        title: str,
        language: str,
        phase_seconds: int,
        agreements: str = "",
        planned_end_ms: int | None = None,
    ) -> CreatedSession:
        """Create a session and return its code and the host's token."""
        token = new_token()
        now = self.clock.now_ms()
        with self._transaction() as db:
            while True:
                code = new_code()
                if db.exec(select(DuoSession.id).where(DuoSession.code == code)).first() is None:
                    break
            db.add(
                DuoSession(
                    code=code,
                    title=title,
                    language=language,
                    phase_seconds=phase_seconds,
                    host_token_hash=hash_token(token),
                    seed=secrets.randbits(62),
                    created_at_ms=now,
                    last_active_ms=now,
                    agreements=agreements,
                    planned_end_ms=planned_end_ms,
                )
            )
        return CreatedSession(code=code, host_token=token)

    def describe(self, code: str) -> dict[str, object]:
        """Return a session's public description. Raises NotFound."""
        with self._transaction() as db:
            row = self._load(db, code)
            count = db.exec(
                select(func.count())
                .select_from(Participant)
                .where(Participant.session_id == row.id, col(Participant.token_hash).is_not(None))
            ).one()
            return {
                "code": row.code,
                "title": row.title,
                "language": row.language,
                "phase_seconds": row.phase_seconds,
                "participant_count": count,
            }

    async def join(self, code: str, name: str) -> Joined:
        """Add a participant named ``name``. Raises NotFound."""
        token = new_token()
        with self._transaction() as db:
            row = self._load(db, code, lock=True)
            last_seq, active = db.exec(
                select(
                    func.max(Participant.joined_seq),
                    func.count(col(Participant.token_hash)),
                ).where(Participant.session_id == row.id)
            ).one()
            if active >= self.max_participants:
                raise Conflict(f"This session is full ({self.max_participants} participants).")
            participant = Participant(
                id=new_id("p"),
                session_id=_id(row),
                name=name,
                token_hash=hash_token(token),
                joined_seq=(last_seq or 0) + 1,
                joined_at_ms=self.clock.now_ms(),
            )
            db.add(participant)
            self._on_join(db, row, participant)
            self._touch(row)
            canonical = row.code
        await self.publisher.publish(canonical, {})
        return Joined(id=participant.id, token=token)

    @staticmethod
    def _participant_of(db: Session, row: DuoSession, participant_id: str) -> Participant:
        """Return a participant of the session ``row``. Raises NotFound.

        Only ids Duo could have made are looked up (PostgreSQL refuses a NUL in a string).
        """
        participant = db.get(Participant, participant_id) if plausible_id(participant_id) else None
        if participant is None or participant.session_id != row.id:
            raise NotFound("Participant not found.")
        return participant

    def _on_join(self, db: Session, row: DuoSession, participant: Participant) -> None:
        """Let the rest of the meeting know someone joined (no-op here)."""

    async def remove_participant(
        self, code: str, participant_id: str, authorization: str | None
    ) -> None:
        """Let a participant leave (their token) or remove them (the host's token).

        Raises NotFound, Unauthorized or Forbidden.
        """
        with self._transaction() as db:
            row = self._load(db, code, lock=True)
            token = bearer_token(authorization)
            participant = self._participant_of(db, row, participant_id)
            is_self = token_matches(token, participant.token_hash)
            if not is_self and not token_matches(token, row.host_token_hash):
                raise Forbidden("Only the participant or the host can do this.")
            if participant.token_hash is None:
                raise NotFound("Participant not found.")
            participant.token_hash = None
            participant.left_at_ms = self.clock.now_ms()
            self._touch(row)
            canonical = row.code
        await self.publisher.publish(canonical, {"removed": [participant_id]})

    def identify(self, code: str, token: object) -> Identity:
        """Return who ``token`` speaks for in session ``code``.

        Raises NotFound for an unknown session and Unauthorized for a bad token.
        """
        with self._transaction() as db:
            row = self._load(db, code)
            if not isinstance(token, str) or not token:
                raise Unauthorized("Missing token.")
            if self.clock.now_ms() - row.last_active_ms > ACTIVITY_GRANULARITY_MS:
                row.last_active_ms = self.clock.now_ms()
            if token_matches(token, row.host_token_hash):
                return Identity(row.code, None)
            participant = db.exec(
                select(Participant).where(Participant.token_hash == hash_token(token))
            ).first()
            if participant is None or participant.session_id != row.id:
                raise Unauthorized("Unknown token.")
            return Identity(row.code, participant.id)

    def authorize_host(self, code: str, authorization: str | None) -> None:
        """Check the host's bearer token. Raises NotFound, Unauthorized or Forbidden."""
        with self._transaction() as db:
            self._require_host(self._load(db, code), authorization)

    # ---- breakouts ---------------------------------------------------------------------

    async def start_breakout(self, code: str, authorization: str | None) -> Breakout:
        """Pair everyone online and start a breakout.

        Raises NotFound, Unauthorized, Forbidden, or Conflict (fewer than two online, or a
        breakout still running).
        """
        canonical = normalise_code(code) or code
        online = await self.presence.online(canonical)
        now = self.clock.now_ms()
        with self._transaction() as db:
            row = self._load(db, code, lock=True)
            self._require_host(row, authorization)
            latest = self._latest_breakout(db, row.id)
            if latest is not None:
                timeline = timeline_of(latest)
                if timeline.status_at(now) is not Status.FINISHED:
                    raise Conflict("A breakout is still running; end it first.")
                store_timeline(latest, timeline.finish_if_due(now))
            people = db.exec(
                select(Participant.id)
                .where(
                    Participant.session_id == row.id,
                    col(Participant.token_hash).is_not(None),
                    col(Participant.id).in_(online),
                )
                .order_by(col(Participant.joined_seq))
            ).all()
            history = db.exec(select(PairHistory).where(PairHistory.session_id == row.id)).all()
            met = Counter(pair_key(h.first_id, h.second_id) for h in history)
            number = (latest.number if latest else 0) + 1
            try:
                groups = pair_up(list(people), met, seed=row.seed, round_seed=number)
            except PairingError as error:
                raise Conflict(str(error)) from error
            timeline = Timeline.start(
                now, slot_count([len(g) for g in groups]), row.phase_seconds * 1000
            )
            breakout = Breakout(
                id=new_id("b"),
                session_id=_id(row),
                number=number,
                groups=groups,
                status=timeline.status.value,
                started_at_ms=now,
                slot_ends_ms=list(timeline.slot_ends_ms),
            )
            db.add(breakout)
            pairs = [
                {
                    "session_id": _id(row),
                    "breakout_number": number,
                    "first_id": first,
                    "second_id": second,
                }
                for group in groups
                for first, second in pairs_of(group)
            ]
            db.execute(insert(PairHistory), pairs)  # one statement, not an object a pair
            self._touch(row)
            canonical = row.code
        self.timers.arm(canonical, timeline.next_deadline_ms())
        await self.publisher.publish(canonical, {})
        return breakout

    async def control(
        self, code: str, authorization: str | None, action: str, extra_seconds: int = 0
    ) -> dict[str, object]:
        """Apply a host control (pause, resume, extend, skip, end) to the current breakout.

        Raises NotFound, Unauthorized, Forbidden, or Conflict when the breakout's status
        does not allow it.
        """
        now = self.clock.now_ms()
        with self._transaction() as db:
            row = self._load(db, code, lock=True)
            self._require_host(row, authorization)
            breakout = self._latest_breakout(db, row.id)
            if breakout is None:
                raise Conflict("There is no breakout in this session.")
            timeline = timeline_of(breakout)
            try:
                match action:
                    case "pause":
                        timeline = timeline.pause(now)
                    case "resume":
                        timeline = timeline.resume(now)
                    case "extend":
                        timeline = timeline.extend(now, extra_seconds * 1000)
                    case "skip":
                        timeline = timeline.skip(now)
                    case "end":
                        timeline = timeline.end(now)
                    case _:
                        raise Conflict(f"Unknown control {action!r}.")
            except TimelineError as error:
                raise Conflict(str(error)) from error
            store_timeline(breakout, timeline.finish_if_due(now))
            self._touch(row)
            canonical = row.code
        self.timers.arm(canonical, timeline.next_deadline_ms())
        await self.publisher.publish(canonical, {})
        return {
            "id": breakout.id,
            "number": breakout.number,
            "status": timeline.status_at(now).value,
            "current_slot": timeline.current_slot(now),
            "remaining_ms": timeline.remaining_ms(now),
        }

    def deadlines(self, snapshot: Snapshot) -> dict[str, int | None]:
        """Return the wake-ups a session needs (timer key: deadline, None to cancel)."""
        breakout = snapshot.breakout
        return {snapshot.code: breakout.timeline.next_deadline_ms() if breakout else None}

    async def deadline_reached(self, key: str) -> None:
        """Act on a wake-up armed under ``key``."""
        await self.finish_if_due(key)

    async def finish_if_due(self, code: str) -> None:
        """Mark the current breakout finished once its last slot ran out, and tell everyone."""
        now = self.clock.now_ms()
        try:
            with self._transaction() as db:
                row = self._load(db, code, lock=True)
                breakout = self._latest_breakout(db, row.id)
                if breakout is None:
                    return
                timeline = timeline_of(breakout)
                finished = timeline.finish_if_due(now)
                if finished == timeline:
                    self.timers.arm(row.code, timeline.next_deadline_ms())
                    return
                store_timeline(breakout, finished)
                row.version += 1
        except NotFound:
            return
        await self.publisher.publish(row.code, {})

    def running_deadlines(self) -> list[tuple[str, int]]:
        """Return (code, deadline) of every breakout stored as running (to re-arm at start)."""
        with self._transaction() as db:
            rows = db.exec(
                select(DuoSession.code, Breakout.slot_ends_ms)
                .join(Breakout, col(Breakout.session_id) == col(DuoSession.id))
                .where(Breakout.status == Status.RUNNING.value)
            ).all()
            return [(code, ends[-1]) for code, ends in rows]

    def purge_expired(self) -> int:
        """Delete every expired session with its participants; return how many."""
        cutoff = self.clock.now_ms() - self.ttl_ms
        with self._transaction() as db:
            ids = db.exec(
                select(DuoSession.id).where(col(DuoSession.last_active_ms) <= cutoff)
            ).all()
            for session_id in ids:
                self._purge(db, session_id)
            return len(ids)

    def database_ok(self) -> bool:
        """Return whether the database answers."""
        try:
            with Session(self.engine) as db:
                db.exec(select(1)).one()
            return True
        except Exception:
            return False

    # ---- snapshots ---------------------------------------------------------------------

    def snapshot(self, code: str, online: frozenset[str]) -> Snapshot:
        """Read everything a ``state`` needs for session ``code``, whose ``online`` are given.

        Raises NotFound.
        """
        with Session(self.engine) as db:
            canonical = normalise_code(code)
            row = db.exec(select(DuoSession).where(DuoSession.code == canonical)).first()
            if row is None or self._expired(row):
                raise NotFound(SESSION_NOT_FOUND)
            members = {
                pid: Member(pid, name, token_hash is not None, agreed_at is not None)
                for pid, name, token_hash, agreed_at in db.exec(
                    select(
                        Participant.id,
                        Participant.name,
                        Participant.token_hash,
                        Participant.agreed_at_ms,
                    )
                    .where(Participant.session_id == row.id)
                    .order_by(col(Participant.joined_seq))
                ).all()
            }
            latest = self._latest_breakout(db, row.id)
            breakout = (
                None
                if latest is None
                else BreakoutSnapshot(
                    latest.id,
                    latest.number,
                    latest.groups,
                    timeline_of(latest),
                    latest.first_slots or [0] * len(latest.groups),
                )
            )
            now = self.clock.now_ms()
            online = frozenset(pid for pid in online if pid in members and members[pid].active)
            return Snapshot(
                code=row.code,
                title=row.title,
                language=row.language,
                phase_seconds=row.phase_seconds,
                members=members,
                online=online,
                breakout=breakout,
                now_ms=now,
                meeting=self._meeting_snapshot(db, row, breakout, now),
            )

    def _meeting_snapshot(
        self, db: Session, row: DuoSession, breakout: BreakoutSnapshot | None, now_ms: int
    ) -> MeetingSnapshot | None:
        """Read the meeting around the breakout (None here; the meeting service adds it)."""
        return None
