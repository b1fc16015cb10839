"""Per-client limits at the edge: request rates, body size, sockets per client."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import Settings
from app.services.errors import ServiceError
from app.services.ratelimit import RateLimiter


class TooManyRequests(ServiceError):
    status_code = 429

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after + 0.999))


def client_ip(scope_or_request: Request | Scope) -> str:
    """Return the client's address (the proxy's forwarded one when uvicorn trusts it)."""
    client = (
        scope_or_request.client
        if isinstance(scope_or_request, Request)
        else (scope_or_request.get("client"))
    )
    return client[0] if client else "unknown"


GUESSING = "Too many unknown session codes from this address; wait a minute."


class Limits:
    """The rate limits and socket caps of this process, read from the settings."""

    def __init__(self, settings: Settings, limiter: RateLimiter) -> None:
        self.settings = settings
        self.limiter = limiter
        self.sockets_per_ip: Counter[str] = Counter()
        self.sockets_per_participant: Counter[str] = Counter()

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

    def open_socket(self, ip: str, participant_id: str | None) -> str | None:
        """Count a new socket; return why it is refused, or None when it may stay open."""
        if (
            self.sockets_per_ip[ip] >= self.settings.max_sockets_per_ip
            and ip not in self.settings.unlimited
        ):
            return "Too many connections from this address."
        if participant_id and (
            self.sockets_per_participant[participant_id]
            >= self.settings.max_sockets_per_participant
        ):
            return "Too many connections for this participant."
        self.sockets_per_ip[ip] += 1
        if participant_id:
            self.sockets_per_participant[participant_id] += 1
        return None

    def close_socket(self, ip: str, participant_id: str | None) -> None:
        """Forget a socket counted by ``open_socket``."""
        for counter, key in (
            (self.sockets_per_ip, ip),
            (self.sockets_per_participant, participant_id),
        ):
            if key and counter[key] > 0:
                counter[key] -= 1
                if not counter[key]:
                    del counter[key]


def get_limits(request: Request) -> Limits:
    return request.app.state.limits  # type: ignore[no-any-return]


def per_minute_limit(kind: str, setting: str, detail: str) -> Callable[[Request], Awaitable[None]]:
    """Return a dependency that counts a request of ``kind`` against the limit ``setting``."""

    async def limit(request: Request) -> None:
        limits = get_limits(request)
        per_minute = getattr(limits.settings, setting)
        await limits.check(kind, client_ip(request), per_minute, detail)

    return limit


limit_session_creation = per_minute_limit(
    "create", "sessions_per_minute", "Too many sessions created from this address; wait a minute."
)
limit_joins = per_minute_limit(
    "join", "joins_per_minute", "Too many joins from this address; wait a minute."
)


async def refuse_guessers(request: Request) -> None:
    """Router dependency: every call naming a session code is refused to a guesser."""
    if "code" in request.path_params:
        await get_limits(request).refuse_guesser(client_ip(request))


SessionCreationLimit = Annotated[None, Depends(limit_session_creation)]
JoinLimit = Annotated[None, Depends(limit_joins)]


class BodySizeLimit:
    """Answer 413 to a request whose body is larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(send)

    @staticmethod
    async def _refuse(send: Send) -> None:
        body = b'{"detail":"Request body too large."}'
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(HTTPException):
    """Raised while reading a body that grew past the limit (FastAPI passes it through)."""

    def __init__(self) -> None:
        super().__init__(413, "Request body too large.")
