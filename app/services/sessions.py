"""Sessions and participants: create, describe, join, leave, expire."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from app.core.security import hash_token, new_code, new_id, new_token
from app.models import DuoSession, Participant
from app.services.access import bearer_token, require_self_or_host
from app.services.changes import Changes, Step
from app.services.errors import Conflict, NotFound
from app.services.hub import HubEvent
from app.services.store import (
    Store,
    append_to_round,
    going_round_kind,
    participant_of,
    remove_from_round,
    session_id,
)


@dataclass(frozen=True)
class CreatedSession:
    code: str
    host_token: str


@dataclass(frozen=True)
class Joined:
    id: str
    token: str


def _present_count(db: Session, row: DuoSession) -> int:
    """Return how many joined the session and have not left (read from an index)."""
    return db.exec(PRESENT_COUNT.where(col(Participant.session_id) == row.id)).one()


PRESENT_COUNT = (
    select(func.count()).select_from(Participant).where(col(Participant.token_hash).is_not(None))
)


def join_reads(session_id: ColumnElement[Any]) -> Sequence[ColumnElement[Any]]:
    """What a join reads with the session's lock (``session_id`` names it): the last
    join's number, how many are present, and whether a check-in or check-out is going (its
    order then gets the newcomer)."""
    return (
        select(func.max(Participant.joined_seq))
        .where(col(Participant.session_id) == session_id)
        .scalar_subquery(),
        PRESENT_COUNT.where(col(Participant.session_id) == session_id).scalar_subquery(),
        going_round_kind(session_id),
    )


class SessionCommands:
    """Creating sessions, joining and leaving them, and purging expired ones."""

    def __init__(
        self, store: Store, changes: Changes, max_participants: int = 500, max_joins: int = 2000
    ) -> None:
        self.store = store
        self.changes = changes
        self.max_participants = max_participants
        self.max_joins = max_joins

    async def create_session(
        self,
        title: str,
        language: str,
        phase_seconds: int,
        agreements: str = "",
        planned_end_ms: int | None = None,
        phase_seconds_by_kind: dict[str, int] | None = None,
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
            }

        return await self.store.read(read)

    async def join(self, code: str, name: str) -> Joined:
        """Add a participant named ``name``. Raises NotFound, or Conflict when full."""
        token = new_token()

        def change(step: Step) -> Joined:
            db, row, now = step.db, step.row, step.now
            last_seq, present, round_going = step.extras
            if present >= self.max_participants:
                raise Conflict(f"This session is full ({self.max_participants} participants).")
            if (last_seq or 0) >= self.max_joins:
                raise Conflict(
                    f"This session has been joined {self.max_joins} times, the most it takes; "
                    "the host can start a new one."
                )
            participant = Participant(
                id=new_id("p"),
                session_id=session_id(row),
                name=name,
                token_hash=hash_token(token),
                joined_seq=(last_seq or 0) + 1,
                joined_at_ms=now,
            )
            db.add(participant)
            if round_going:  # else nobody's order changes, and the round is not read
                append_to_round(db, row, participant.id)
            return Joined(id=participant.id, token=token)

        return await self.changes.apply(code, change, extras=join_reads)

    async def remove_participant(
        self, code: str, participant_id: str, authorization: str | None
    ) -> None:
        """Let a participant leave (their token) or remove them (the host's token).

        Raises NotFound, Unauthorized or Forbidden.
        """

        def change(step: Step) -> None:
            db, row, now = step.db, step.row, step.now
            token = bearer_token(authorization)
            participant = participant_of(db, row, participant_id)
            require_self_or_host(row, participant, token)
            if participant.token_hash is None:
                raise NotFound("Participant not found.")
            participant.token_hash = None
            participant.left_at_ms = now
            remove_from_round(db, row, participant_id, now)

        await self.changes.apply(code, change, HubEvent(removed=(participant_id,)))
