"""Per-client limits at the edge: request rates, body size, sockets per client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import LimitsDep, services_of
from app.services.errors import TooManyRequests


def client_ip(connection: HTTPConnection) -> str:
    """Return the client's address (the proxy's forwarded one when uvicorn trusts it)."""
    return connection.client.host if connection.client else "unknown"


def per_minute_limit(
    kind: str, setting: str, detail: str, key: Callable[[Request], str] = client_ip
) -> Callable[[Request], Awaitable[None]]:
    """Return a dependency that counts a request of ``kind`` against the limit ``setting``,
    per what ``key`` says is protected (the client's address unless said otherwise)."""

    async def limit(request: Request) -> None:
        limits = services_of(request).limits
        per_minute = getattr(limits.settings, setting)
        await limits.check(kind, key(request), per_minute, detail)

    return limit


def participant_of(request: Request) -> str:
    """Return the participant a request is about (its path's ``participant_id``)."""
    return "participant:" + str(request.path_params.get("participant_id", ""))


limit_session_creation = per_minute_limit(
    "create", "sessions_per_minute", "Too many sessions created from this address; wait a minute."
)
limit_joins = per_minute_limit(
    "join", "joins_per_minute", "Too many joins from this address; wait a minute."
)

# Signals per participant, not per address: everyone behind an office's one address raises
# their own.
limit_signals = per_minute_limit(
    "signal",
    "signals_per_minute",
    "Too many signals from this participant; wait a minute.",
    key=participant_of,
)


async def refuse_guessers(request: Request, limits: LimitsDep) -> None:
    """Router dependency: every call naming a session code is refused to a guesser, but one
    with a valid token of that session (a colleague behind the same address: the limit
    protects codes, and whoever holds a token knows the code)."""
    code = request.path_params.get("code")
    if code is None:
        return
    try:
        await limits.refuse_guesser(client_ip(request))
    except TooManyRequests:
        authorization = request.headers.get("authorization")
        if not await services_of(request).access.holds_token(code, authorization):
            raise


SessionCreationLimit = Annotated[None, Depends(limit_session_creation)]
JoinLimit = Annotated[None, Depends(limit_joins)]
SignalLimit = Annotated[None, Depends(limit_signals)]


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
