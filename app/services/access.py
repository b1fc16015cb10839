"""Who may do what: bearer tokens, the host's token, and who a socket speaks for."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.core.security import hash_token, normalise_code, token_matches
from app.models import DuoSession, Participant
from app.services.errors import Forbidden, NotFound, Unauthorized
from app.services.store import Store

# A socket's hello marks its session active at most this often (a write per minute, not
# per hello).
ACTIVITY_GRANULARITY_MS = 60_000
REMEMBERED_HOSTS = 10_000  # sessions whose host token hash is kept (64 bytes each)


@dataclass(frozen=True)
class Identity:
    """Who a socket speaks for: the host (participant_id None) or one participant."""

    code: str
    participant_id: str | None


def bearer_token(authorization: str | None) -> str:
    """Return the token of an ``Authorization: Bearer`` header. Raises Unauthorized."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Missing bearer token.")
    return token.strip()


def require_host(row: DuoSession, authorization: str | None) -> None:
    """Raise Unauthorized without a bearer token, Forbidden unless it is the host's."""
    if not token_matches(bearer_token(authorization), row.host_token_hash):
        raise Forbidden("This needs the host's token.")


def require_self_or_host(row: DuoSession, participant: Participant, token: str) -> None:
    """Raise Forbidden unless ``token`` is the participant's own or the host's."""
    if not token_matches(token, participant.token_hash) and not token_matches(
        token, row.host_token_hash
    ):
        raise Forbidden("Only the participant or the host can do this.")


def mark_active(db: Session, code: str, now_ms: int) -> None:
    """Mark session ``code`` active at ``now_ms`` (unless a change did later)."""
    db.execute(
        update(DuoSession)
        .where(col(DuoSession.code) == code, col(DuoSession.last_active_ms) < now_ms)
        .values(last_active_ms=now_ms)
    )


class Access:
    """Checks tokens against a session."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # A session's host token never changes: its hash, by session code, for the check
        # made before a host request's body is read (the change checks again, locked).
        self._host_hashes: OrderedDict[str, str] = OrderedDict()

    async def identify(self, code: str, token: object) -> Identity:
        """Return who ``token`` speaks for in session ``code``.

        Raises NotFound for an unknown session and Unauthorized for a bad token.
        """
        identity, idle_since = await self.store.read(lambda db: self._identify(db, code, token))
        now = self.store.clock.now_ms()
        if now - idle_since > ACTIVITY_GRANULARITY_MS:
            await self.store.transact(lambda db: mark_active(db, identity.code, now))
        return identity

    def _identify(self, db: Session, code: str, token: object) -> tuple[Identity, int]:
        """Return who ``token`` speaks for, and when the session was last active."""
        row = self.store.load(db, code)
        if not isinstance(token, str) or not token:
            raise Unauthorized("Missing token.")
        return self._identity(db, row, token), row.last_active_ms

    @staticmethod
    def _identity(db: Session, row: DuoSession, token: str) -> Identity:
        if token_matches(token, row.host_token_hash):
            return Identity(row.code, None)
        participant = db.exec(
            select(Participant).where(Participant.token_hash == hash_token(token))
        ).first()
        if participant is None or participant.session_id != row.id:
            raise Unauthorized("Unknown token.")
        return Identity(row.code, participant.id)

    async def holds_token(self, code: str, authorization: str | None) -> bool:
        """Return whether an ``Authorization: Bearer`` header holds the host's token or a
        present participant's of the live session ``code`` (an unknown or expired session,
        no token: False)."""
        try:
            token = bearer_token(authorization)
            await self.store.read(lambda db: self._identify(db, code, token))
        except (NotFound, Unauthorized):
            return False
        return True

    async def authorize_host(self, code: str, authorization: str | None) -> None:
        """Check the host's bearer token: against the hash remembered for the session, else
        the stored one. Raises NotFound, Unauthorized or Forbidden."""
        remembered = self._host_hashes.get(normalise_code(code) or "")
        if remembered is not None and token_matches(bearer_token(authorization), remembered):
            return
        row = await self.store.read(lambda db: self.store.load(db, code))
        self._host_hashes[row.code] = row.host_token_hash
        self._host_hashes.move_to_end(row.code)
        if len(self._host_hashes) > REMEMBERED_HOSTS:
            self._host_hashes.popitem(last=False)
        require_host(row, authorization)
