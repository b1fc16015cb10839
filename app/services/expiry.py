"""Session expiry, in one home: a session idle past its lifetime, or closed an hour ago, is
deleted with everything in it (from disk too), on its first access or by the sweep, and its
clients are told."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.domain.meeting import CLOSED_LIFETIME_MS
from app.models import DuoSession
from app.services.hub import CHANGED, Publisher
from app.services.store import Store

log = logging.getLogger(__name__)

SWEEP_SECONDS = 600


class Expiry:
    """Deletes expired sessions and tells their clients, on every process (4404)."""

    def __init__(self, store: Store, publisher: Publisher) -> None:
        self.store = store
        self.publisher = publisher

    async def purge_expired(self) -> list[str]:
        """Delete every expired session; return their codes."""
        codes = await self.store.run(self._purge_expired)
        for code in codes:
            await self.publisher.publish(code, CHANGED)
        return codes

    async def purge(self, code: str) -> None:
        """Delete session ``code`` if it is expired (found so on access)."""
        if await self.store.run(lambda: self._purge_expired(code)):
            await self.publisher.publish(code, CHANGED)

    async def delete(self, code: str) -> None:
        """Delete session ``code`` now, expired or not (the warm-up's own)."""
        await self.store.run(lambda: self._delete(code))

    def _delete(self, code: str) -> None:
        with self.store.transaction() as db:
            self.store.purge(db, self.store.find(db, code).id)
        self.store.forget_deleted()

    def _purge_expired(self, code: str | None = None) -> list[str]:
        now = self.store.clock.now_ms()
        with self.store.transaction() as db:
            expired = _expired(db, now, self.store.ttl_ms, code)
            for id_, _code in expired:
                self.store.purge(db, id_)
        if expired:
            self.store.forget_deleted()
        return [code for _id, code in expired]

    async def sweep_forever(self) -> None:
        """Purge every SWEEP_SECONDS, whatever fails meanwhile."""
        while True:
            try:
                purged = await self.purge_expired()
                if purged:
                    log.info("purged %d expired sessions", len(purged))
            except Exception:
                log.exception("expiry sweep failed")
            await asyncio.sleep(SWEEP_SECONDS)


def _expired(db: Session, now_ms: int, ttl_ms: int, code: str | None) -> list[tuple[int, str]]:
    """Return (id, code) of the sessions expired at ``now_ms`` (``expires_at_ms``): idle for
    ``ttl_ms``, or closed for CLOSED_LIFETIME_MS."""
    closed_at = col(DuoSession.closed_at_ms)
    query = select(DuoSession.id, DuoSession.code).where(
        or_(
            col(DuoSession.last_active_ms) <= now_ms - ttl_ms,
            and_(closed_at.is_not(None), closed_at <= now_ms - CLOSED_LIFETIME_MS),
        )
    )
    if code is not None:
        query = query.where(DuoSession.code == code)
    return [(id_, code) for id_, code in db.exec(query).all() if id_ is not None]
