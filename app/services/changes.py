"""One change of a session: one transaction, the domain's verdict, then every client told.

The transaction runs in one of the database's threads (``Store.run``); what must happen on
the event loop (arming the session's wake-ups, publishing) happens after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from sqlmodel import Session

from app.domain.meeting import MeetingError
from app.domain.pairing import PairingError
from app.domain.rooms import RoomError
from app.domain.timeline import TimelineError
from app.models import DuoSession
from app.services.access import require_host
from app.services.errors import Conflict
from app.services.hub import CHANGED, HubEvent, Publisher, TimelineChange
from app.services.store import Extras, Store
from app.services.wakeups import WakeupKind, Wakeups

T = TypeVar("T")
DOMAIN_ERRORS = (MeetingError, TimelineError, PairingError, RoomError)


@dataclass
class Step:
    """A change's view of its transaction: the database, the session's row (locked), the
    moment, and what the change decides beyond its rows."""

    db: Session
    row: DuoSession
    now: int
    extras: Sequence[Any] = ()  # what the change asked to read with the lock, in order
    wakeups: dict[WakeupKind, int | None] = field(default_factory=dict)
    changed: bool = True  # False: nothing was written, nobody is told
    timeline: TimelineChange | None = None  # set when a breakout's timeline is all it changed

    def wake_at(self, kind: WakeupKind, deadline_ms: int | None) -> None:
        """Have the session woken at ``deadline_ms`` for ``kind`` (None: not at all)."""
        self.wakeups[kind] = deadline_ms


Change = Callable[[Step], T]
"""A step taken inside the transaction, in a database thread: no awaiting, no timers."""


@dataclass(frozen=True)
class Applied(Generic[T]):
    code: str
    version: int
    result: T
    step: Step


class Changes:
    """Applies changes to sessions, then arms their wake-ups and publishes each."""

    def __init__(self, store: Store, publisher: Publisher, wakeups: Wakeups) -> None:
        self.store = store
        self.publisher = publisher
        self.wakeups = wakeups

    async def apply(
        self,
        code: str,
        change: Change[T],
        event: HubEvent = CHANGED,
        *,
        by_host: str | None = None,
        by_clock: bool = False,
        extras: Extras | None = None,
        bound: Mapping[str, Any] | None = None,
    ) -> T:
        """Run ``change`` on the locked session ``code`` and commit; then arm the wake-ups
        it asked for and publish ``event``. ``by_host``: the Authorization header, checked
        as the host's first. ``by_clock``: a change the clock made, not a person (the
        session's activity is not renewed). ``extras``: read with the lock (``Store.lock``),
        with ``bound`` for their parameters.

        Raises NotFound, Unauthorized, Forbidden, or Conflict when the domain refuses.
        """
        applied = await self.store.run(
            lambda: self._in_transaction(code, change, by_host, by_clock, extras, bound)
        )
        if applied.step.wakeups:
            self.wakeups.arm(applied.code, applied.step.wakeups)
        if applied.step.changed:
            told = replace(event, version=applied.version, timeline=applied.step.timeline)
            await self.publisher.publish(applied.code, told)
        return applied.result

    def _in_transaction(
        self,
        code: str,
        change: Change[T],
        by_host: str | None,
        by_clock: bool,
        extras: Extras | None,
        bound: Mapping[str, Any] | None = None,
    ) -> Applied[T]:
        now = self.store.clock.now_ms()
        with self.store.transaction() as db:
            row, read = self.store.lock(
                db, code, now, renew=not by_clock, extras=extras, bound=bound
            )
            if by_host is not None:
                require_host(row, by_host)
            step = Step(db, row, now, read)
            try:
                result = change(step)
            except DOMAIN_ERRORS as error:
                raise Conflict(str(error)) from error
            applied = Applied(row.code, row.version, result, step)
            if not step.changed:
                db.rollback()  # not even the version moves
            return applied

    async def as_host(
        self, code: str, authorization: str | None, change: Change[T], extras: Extras | None = None
    ) -> T:
        """Run ``change`` as ``apply`` does, after checking the host's token.

        Raises NotFound, Unauthorized, Forbidden, or Conflict.
        """
        return await self.apply(code, change, by_host=authorization or "", extras=extras)
