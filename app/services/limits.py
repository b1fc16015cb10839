"""Per-client limits: request rates per address (shared through Redis when configured) and
the sockets each address and participant may hold open in this process."""

from __future__ import annotations

from collections import Counter

from app.core.config import Settings
from app.core.http import CONNECTIONS
from app.services.errors import TooManyRequests
from app.services.ratelimit import RateLimiter

GUESSING = "Too many unknown session codes from this address; wait a minute."


class Limits:
    """The rate limits and socket caps of this process, read from the settings."""

    def __init__(self, settings: Settings, limiter: RateLimiter) -> None:
        self.settings = settings
        self.limiter = limiter
        self.sockets_per_ip: Counter[str] = Counter()
        self.sockets_per_participant: Counter[str] = Counter()
        CONNECTIONS.sockets.add(self)

    async def check(self, kind: str, key: str, per_minute: int, detail: str) -> None:
        """Count one request of ``kind`` by ``key``. Raises TooManyRequests over the limit."""
        if per_minute <= 0 or key in self.settings.unlimited:
            return
        wait = await self.limiter.hit(f"{kind}:{key}", per_minute, 60)
        if wait is not None:
            raise TooManyRequests(detail, wait)

    async def miss(self, ip: str) -> None:
        """Count a look-up of an unknown code. Raises TooManyRequests when guessing."""
        await self.check("miss", ip, self.settings.misses_per_minute, GUESSING)

    async def refuse_guesser(self, ip: str) -> None:
        """Raise TooManyRequests for any code look-up from an address that asked for too many
        unknown codes this minute: a code that exists then answers as an unknown one does."""
        limit = self.settings.misses_per_minute
        counted = limit > 0 and ip not in self.settings.unlimited
        wait = await self.limiter.reached(f"miss:{ip}", limit, 60) if counted else None
        if wait is not None:
            raise TooManyRequests(GUESSING, wait)

    def open_socket(self, ip: str) -> str | None:
        """Count a new socket of ``ip`` from its first moment (before its hello); return why
        it is refused, or None when it may stay open. The address's heads still being read
        (``CONNECTIONS``) count too."""
        if (
            self.sockets_per_ip[ip] + CONNECTIONS.heads[ip] >= self.settings.max_sockets_per_ip
            and ip not in self.settings.unlimited
        ):
            return "Too many connections from this address."
        self.sockets_per_ip[ip] += 1
        return None

    def claim_for(self, participant_id: str | None) -> str | None:
        """Count an open socket as ``participant_id``'s (after its hello); return why it is
        refused, or None. The host's sockets (None) count only per address."""
        if participant_id is None:
            return None
        if (
            self.sockets_per_participant[participant_id]
            >= self.settings.max_sockets_per_participant
        ):
            return "Too many connections for this participant."
        self.sockets_per_participant[participant_id] += 1
        return None

    def close_socket(self, ip: str, participant_id: str | None) -> None:
        """Forget a socket counted by ``open_socket`` (and ``claim_for`` when it was)."""
        for counter, key in (
            (self.sockets_per_ip, ip),
            (self.sockets_per_participant, participant_id),
        ):
            if key and counter[key] > 0:
                counter[key] -= 1
                if not counter[key]:
                    del counter[key]
