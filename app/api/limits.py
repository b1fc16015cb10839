"""Per-client limits at the edge: request rates, body size, sockets per client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import LimitsDep, services_of


def client_ip(connection: HTTPConnection) -> str:
    """Return the client's address (the proxy's forwarded one when uvicorn trusts it)."""
    return connection.client.host if connection.client else "unknown"


def per_minute_limit(kind: str, setting: str, detail: str) -> Callable[[Request], Awaitable[None]]:
    """Return a dependency that counts a request of ``kind`` against the limit ``setting``."""

    async def limit(request: Request) -> None:
        limits = services_of(request).limits
        per_minute = getattr(limits.settings, setting)
        await limits.check(kind, client_ip(request), per_minute, detail)

    return limit


limit_session_creation = per_minute_limit(
    "create", "sessions_per_minute", "Too many sessions created from this address; wait a minute."
)
limit_joins = per_minute_limit(
    "join", "joins_per_minute", "Too many joins from this address; wait a minute."
)

limit_signals = per_minute_limit(
    "signal", "signals_per_minute", "Too many signals from this address; wait a minute."
)


async def refuse_guessers(request: Request, limits: LimitsDep) -> None:
    """Router dependency: every call naming a session code is refused to a guesser."""
    if "code" in request.path_params:
        await limits.refuse_guesser(client_ip(request))


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
