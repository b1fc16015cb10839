"""A group's signal to the host during a breakout: raised by a member, seen by the host.

A peer of the other commands: one transaction each (``Changes``), the rules in
``app/domain/signals.py``, every client told through the ``state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.core.security import token_matches
from app.domain.signals import (
    SignalError,
    SignalKind,
    raise_signal,
    require_group_member,
    require_open_signal,
    require_under_way,
    seen,
)
from app.models import Breakout, DuoSession, GroupSignal
from app.services.access import bearer_token
from app.services.changes import Changes, Step
from app.services.errors import Forbidden
from app.services.store import (
    latest_breakout,
    participant_of,
    session_id,
    signal_of,
    timeline_of,
)


def _rows(db: Session, breakout_id: str, members: Sequence[str]) -> list[GroupSignal]:
    return list(
        db.exec(
            select(GroupSignal).where(
                GroupSignal.breakout_id == breakout_id,
                col(GroupSignal.participant_id).in_(list(members)),
            )
        ).all()
    )


class SignalCommands:
    """A member says their group is done or needs help; the host says they saw it."""

    def __init__(self, changes: Changes) -> None:
        self.changes = changes

    async def raise_signal(
        self, code: str, participant_id: str, authorization: str | None, kind: str
    ) -> dict[str, Any]:
        """Raise ``kind`` for the participant's group (their own token only).

        Raises NotFound, Unauthorized, Forbidden, or Conflict when no breakout is under way
        or they are in none of its groups.
        """

        def change(step: Step) -> dict[str, Any]:
            db, row, now = step.db, step.row, step.now
            token = bearer_token(authorization)
            participant = participant_of(db, row, participant_id)
            if not token_matches(token, participant.token_hash):
                raise Forbidden("Only the participant can raise a signal for their group.")
            breakout = _under_way(db, row, now)
            index = require_group_member(breakout.groups, participant_id)
            stored = db.get(GroupSignal, (breakout.id, participant_id))
            current = signal_of(stored) if stored is not None else None
            signal = raise_signal(current, SignalKind(kind), participant_id, now)
            if stored is None:
                stored = GroupSignal(
                    breakout_id=breakout.id,
                    participant_id=participant_id,
                    session_id=session_id(row),
                    kind=signal.kind.value,
                    raised_at_ms=signal.raised_at_ms,
                )
                db.add(stored)
            stored.kind, stored.raised_at_ms = signal.kind.value, signal.raised_at_ms
            stored.seen_at_ms = signal.seen_at_ms
            return {"group": index, "kind": signal.kind.value, "raised_at_ms": signal.raised_at_ms}

        return await self.changes.apply(code, change)

    async def clear(self, code: str, authorization: str | None, index: int) -> None:
        """Mark group ``index``'s open signals as seen by the host (host token only).

        Raises NotFound, Unauthorized, Forbidden, or Conflict when no breakout is under
        way, there is no such group or it has no open signal.
        """

        def change(step: Step) -> None:
            db, now = step.db, step.now
            breakout = _under_way(db, step.row, now)
            if not 0 <= index < len(breakout.groups):
                raise SignalError("There is no such group.")
            members = breakout.groups[index]
            rows = _rows(db, breakout.id, members)
            require_open_signal({r.participant_id: signal_of(r) for r in rows}, members)
            for stored in rows:
                stored.seen_at_ms = seen(signal_of(stored), now).seen_at_ms

        await self.changes.as_host(code, authorization, change)


def _under_way(db: Session, row: DuoSession, now: int) -> Breakout:
    breakout = latest_breakout(db, row)
    require_under_way(timeline_of(breakout) if breakout else None, now)
    assert breakout is not None
    return breakout
