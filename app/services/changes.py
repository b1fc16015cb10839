"""One change of a session: one transaction, the domain's verdict, then every client told."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from app.domain.meeting import MeetingError
from app.domain.pairing import PairingError
from app.domain.timeline import TimelineError
from app.models import DuoSession
from app.services.access import require_host
from app.services.errors import Conflict
from app.services.hub import CHANGED, HubEvent, Publisher
from app.services.store import Store

T = TypeVar("T")
Change = Callable[[Session, DuoSession, int], T]
"""A step taken inside the transaction: (database, locked session row, now in ms)."""

DOMAIN_ERRORS = (MeetingError, TimelineError, PairingError)


class Changes:
    """Applies changes to sessions and publishes each once it is committed."""

    def __init__(self, store: Store, publisher: Publisher) -> None:
        self.store = store
        self.publisher = publisher

    async def apply(self, code: str, change: Change[T], event: HubEvent = CHANGED) -> T:
        """Run ``change`` on the locked session ``code``, commit, then publish ``event``.

        Raises NotFound, or Conflict when the domain refuses the step.
        """
        now = self.store.clock.now_ms()
        with self.store.transaction() as db:
            row = self.store.load(db, code, lock=True)
            try:
                result = change(db, row, now)
            except DOMAIN_ERRORS as error:
                raise Conflict(str(error)) from error
            self.store.touch(row)
            canonical = row.code
        await self.publisher.publish(canonical, event)
        return result

    async def as_host(self, code: str, authorization: str | None, change: Change[T]) -> T:
        """Run ``change`` as ``apply`` does, after checking the host's token.

        Raises NotFound, Unauthorized, Forbidden, or Conflict.
        """

        def checked(db: Session, row: DuoSession, now: int) -> T:
            require_host(row, authorization)
            return change(db, row, now)

        return await self.apply(code, checked)
