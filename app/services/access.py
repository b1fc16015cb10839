"""Who may do what: bearer tokens, the host's token, and who a socket speaks for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from app.core.security import hash_token, token_matches
from app.models import DuoSession, Participant
from app.services.errors import Forbidden, Unauthorized
from app.services.store import Store

# A socket's hello marks its session active at most this often (a write per minute, not
# per hello).
ACTIVITY_GRANULARITY_MS = 60_000


@dataclass(frozen=True)
class Identity:
    """Who a socket speaks for: the host (participant_id None) or one participant."""

    code: str
    participant_id: str | None

    @property
    def is_host(self) -> bool:
        return self.participant_id is None


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


class Access:
    """Checks tokens against a session."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def identify(self, code: str, token: object) -> Identity:
        """Return who ``token`` speaks for in session ``code``.

        Raises NotFound for an unknown session and Unauthorized for a bad token.
        """
        with self.store.transaction() as db:
            row = self.store.load(db, code)
            if not isinstance(token, str) or not token:
                raise Unauthorized("Missing token.")
            now = self.store.clock.now_ms()
            if now - row.last_active_ms > ACTIVITY_GRANULARITY_MS:
                row.last_active_ms = now
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
        with self.store.transaction() as db:
            require_host(self.store.load(db, code), authorization)
