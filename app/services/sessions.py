"""Sessions and participants: create, describe, join, leave, close (and erase)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func
from sqlmodel import Session, col, select

from app.core.security import hash_token, new_code, new_id, new_token, token_matches
from app.domain.joins import JoinCaps, JoinCounts, JoinRefused, check_join
from app.domain.meeting import close_meeting, leave_breakout
from app.models import DuoSession, Participant
from app.services.access import bearer_token, require_self_or_host
from app.services.changes import Changes, Step
from app.services.errors import Conflict, Gone, Locked, NotFound
from app.services.hub import HubEvent
from app.services.store import (
    Store,
    append_to_round,
    canonical_code,
    going_round_kind,
    latest_breakout,
    latest_round,
    participant_of,
    phase_lengths,
    remove_from_round,
    round_of,
    session_id,
    store_round,
    store_timeline,
    timeline_of,
)
from app.services.wakeups import WakeupKind

SESSION_CLOSED_TO_JOINS = "This session is closed: it takes no one any more."


@dataclass(frozen=True)
class CreatedSession:
    code: str
    host_token: str


@dataclass(frozen=True)
class Joined:
    id: str
    token: str


@dataclass(frozen=True)
class Closed:
    closed_at_ms: int
    erased: bool


def _present_count(db: Session, row: DuoSession) -> int:
    """Return how many joined the session and have not left (read from an index)."""
    return db.exec(PRESENT_COUNT.where(col(Participant.session_id) == row.id)).one()


PRESENT_COUNT = (
    select(func.count()).select_from(Participant).where(col(Participant.token_hash).is_not(None))
)


def join_reads(session_id: ColumnElement[Any]) -> Sequence[ColumnElement[Any]]:
    """What a join reads with the session's lock (``session_id`` names it): the last
    join's number, how many are present, whether a check-in or check-out is going (its
    order then gets the newcomer), and how many joined from the address (``join_address``)."""
    return (
        select(func.max(Participant.joined_seq))
        .where(col(Participant.session_id) == session_id)
        .scalar_subquery(),
        PRESENT_COUNT.where(col(Participant.session_id) == session_id).scalar_subquery(),
        going_round_kind(session_id),
        select(func.count())
        .select_from(Participant)
        .where(
            col(Participant.session_id) == session_id,
            col(Participant.address_key) == bindparam("join_address"),
        )
        .scalar_subquery(),
    )


def address_key(code: str, address: str) -> str:
    """Return the key a join's address is kept as: the address hashed with the session's
    code, so that joins from one address can be told apart without keeping the address."""
    return hashlib.blake2b(address.encode(), key=code.encode(), digest_size=12).hexdigest()


class SessionCommands:
    """Creating sessions, joining and leaving them, and purging expired ones."""

    def __init__(
        self,
        store: Store,
        changes: Changes,
        caps: JoinCaps,
        uncounted: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        self.changes = changes
        self.caps = caps
        self.uncounted = uncounted  # addresses whose joins no address's share counts

    async def create_session(
        self,
        title: str,
        language: str,
        phase_seconds: int,
        agreements: str = "",
        planned_end_ms: int | None = None,
        phase_seconds_by_kind: dict[str, int] | None = None,
        rooms: str = "breakout_rooms",
        room_link_base: str | None = None,
    ) -> CreatedSession:
        """Create a session and return its code and the host's token."""
        token = new_token()
        now = self.store.clock.now_ms()

        def create(db: Session) -> str:
            code = self._unused_code(db)
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
                    phase_seconds_by_kind=phase_seconds_by_kind,
                    rooms=rooms,
                    room_link_base=room_link_base,
                )
            )
            return code

        return CreatedSession(code=await self.store.transact(create), host_token=token)

    @staticmethod
    def _unused_code(db: Session) -> str:
        while True:
            code = new_code()
            if db.exec(select(DuoSession.id).where(DuoSession.code == code)).first() is None:
                return code

    async def describe(self, code: str) -> dict[str, object]:
        """Return a session's public description. Raises NotFound."""

        def read(db: Session) -> dict[str, object]:
            row = self.store.load(db, code)
            return {
                "code": row.code,
                "title": row.title,
                "language": row.language,
                "phase_seconds": row.phase_seconds,
                "participant_count": _present_count(db, row),
                "closed": row.closed_at_ms is not None,
            }

        return await self.store.read(read)

    async def join(self, code: str, name: str, address: str) -> Joined:
        """Add a participant named ``name``, joining from ``address``.

        Raises NotFound, Gone once the session is closed, Locked, or Conflict when a cap is
        reached (``check_join``).
        """
        token = new_token()
        key = address_key(canonical_code(code), address)

        def change(step: Step) -> Joined:
            db, row, now = step.db, step.row, step.now
            if row.closed_at_ms is not None:
                raise Gone(SESSION_CLOSED_TO_JOINS)
            last_seq, present, round_going, from_address = step.extras
            counts = JoinCounts(
                present=present,
                joins=last_seq or 0,
                undone=row.joins_undone,
                from_address=0 if address in self.uncounted else from_address,
                locked=row.locked_at_ms is not None,
            )
            try:
                check_join(counts, self.caps)
            except JoinRefused as refused:
                raise (Locked if refused.locked else Conflict)(refused.detail) from None
            participant = Participant(
                id=new_id("p"),
                session_id=session_id(row),
                name=name,
                token_hash=hash_token(token),
                joined_seq=(last_seq or 0) + 1,
                joined_at_ms=now,
                address_key=key,
            )
            db.add(participant)
            if round_going:  # else nobody's order changes, and the round is not read
                append_to_round(db, row, participant.id)
            return Joined(id=participant.id, token=token)

        return await self.changes.apply(
            code, change, extras=join_reads, bound={"join_address": key}
        )

    async def remove_participant(
        self, code: str, participant_id: str, authorization: str | None
    ) -> None:
        """Let a participant leave (their token) or remove them (the host's token).

        Raises NotFound, Unauthorized or Forbidden.
        """

        def change(step: Step) -> None:
            db, row = step.db, step.row
            token = bearer_token(authorization)
            participant = participant_of(db, row, participant_id)
            require_self_or_host(row, participant, token)
            if participant.token_hash is None:
                raise NotFound("Participant not found.")
            _remove(step, participant, by_host=token_matches(token, row.host_token_hash))

        await self.changes.apply(code, change, HubEvent(removed=(participant_id,)))

    async def remove_participants(
        self, code: str, participant_ids: Collection[str], authorization: str | None
    ) -> list[str]:
        """Remove many participants at once (the host's token); return who was removed
        (ids of nobody present are passed over).

        Raises NotFound, Unauthorized or Forbidden.
        """
        wanted = set(participant_ids)

        def change(step: Step) -> list[str]:
            db, row = step.db, step.row
            present = db.exec(
                select(Participant).where(
                    col(Participant.session_id) == row.id,
                    col(Participant.id).in_(wanted),
                    col(Participant.token_hash).is_not(None),
                )
            ).all()
            for participant in present:
                _remove(step, participant, by_host=True)
            step.changed = bool(present)
            return [p.id for p in present]

        event = HubEvent(removed=tuple(wanted))
        return await self.changes.apply(code, change, event, by_host=authorization or "")

    async def lock(self, code: str, locked: bool, authorization: str | None) -> bool:
        """Let nobody new join (``locked``) or let them again (the host's token); return
        whether the session is locked.

        Raises NotFound, Unauthorized or Forbidden.
        """

        def change(step: Step) -> bool:
            if locked != (step.row.locked_at_ms is not None):
                step.row.locked_at_ms = step.now if locked else None
            else:
                step.changed = False
            return locked

        return await self.changes.as_host(code, authorization, change)

    async def close(self, code: str, authorization: str | None, erase: bool = False) -> Closed:
        """Close the session for everyone (the host's token): whatever runs ends now, nothing
        starts any more, joins are refused, and it expires an hour later. Closing a closed
        session changes nothing. ``erase``: delete everything of it now, as on expiry
        (names out of every database file), and its clients are told it is gone (4404).

        Raises NotFound, Unauthorized or Forbidden.
        """

        def change(step: Step) -> Closed:
            db, row, now = step.db, step.row, step.now
            step.wake_at(WakeupKind.BREAKOUT_END, None)
            step.wake_at(WakeupKind.BREAK_END, None)
            if erase:
                self.store.purge(db, session_id(row))
                return Closed(row.closed_at_ms or now, erased=True)
            if row.closed_at_ms is not None:
                step.changed = False  # closed already: the first close stands
                return Closed(row.closed_at_ms, erased=False)
            breakout, speaking = latest_breakout(db, row), latest_round(db, row)
            closing = close_meeting(
                timeline_of(breakout) if breakout else None,
                round_of(speaking) if speaking else None,
                row.break_ends_at_ms,
                now,
            )
            if breakout is not None and closing.timeline is not None:
                store_timeline(breakout, closing.timeline)
            if speaking is not None and closing.speaking is not None:
                store_round(speaking, closing.speaking)
            if closing.break_ends_at_ms is not None:
                row.break_ends_at_ms = closing.break_ends_at_ms
            row.closed_at_ms = now
            row.rooms_asked = None  # nobody is asked which room they are in any more
            return Closed(now, erased=False)

        closed = await self.changes.as_host(code, authorization, change)
        if erase:  # as Expiry does after a purge: the rows gone from SQLite's log too
            await self.store.run(self.store.forget_deleted)
        return closed


def _remove(step: Step, participant: Participant, *, by_host: bool) -> None:
    """Take ``participant`` out of the session: their token stops working, their place in a
    going round is given up, their group in a running breakout goes on without them; the
    host's removal gives their join back to the lifetime cap."""
    participant.token_hash = None
    participant.left_at_ms = step.now
    remove_from_round(step.db, step.row, participant.id, step.now)
    leave_breakout_now(step, participant.id)
    if by_host:
        step.row.joins_undone += 1


def leave_breakout_now(step: Step, participant_id: str) -> None:
    """Record in the running breakout that ``participant_id`` left: their group goes on
    without them from the slot under way, and slots no group needs any more go."""
    breakout = latest_breakout(step.db, step.row)
    if breakout is None:
        return
    left = leave_breakout(
        breakout.groups,
        breakout.first_slots or [0] * len(breakout.groups),
        breakout.left_slots or {},
        participant_id,
        timeline_of(breakout),
        step.now,
        phase_lengths(step.row),
    )
    if left is None:
        return
    breakout.left_slots, timeline = left
    store_timeline(breakout, timeline)
    step.wake_at(WakeupKind.BREAKOUT_END, timeline.next_deadline_ms())
