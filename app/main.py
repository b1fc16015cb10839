"""The Duo app: pages, HTTP API and WebSocket from one process.

``uvicorn app.main:app`` serves it; ``create_app`` builds one with injected settings and
clock for tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from app.api import docs, meeting, pages, rooms, routes, signals, ws
from app.api.assets import Assets
from app.api.deps import services_of
from app.api.guards import BrowserGuard
from app.api.limits import BodySizeLimit, client_ip
from app.core.clock import Clock, SystemClock
from app.core.config import Settings, get_settings
from app.core.db import make_engine
from app.services.container import Services, make_hub
from app.services.errors import (
    SESSION_NOT_FOUND,
    NotFound,
    ServiceError,
    SessionExpired,
    TooManyRequests,
)
from app.services.hub import Hub

log = logging.getLogger("duo")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
STATIC_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
# A full collection scans every live object, every socket included: with thousands of
# clients it takes hundreds of milliseconds, and an automatic one would land in the middle
# of a fan-out. Young generations are collected as usual; full ones on a timer instead.
YOUNG_GC_THRESHOLDS = (700, 10)
FULL_GC_ONLY_BY_TIMER = 1_000_000
FULL_GC_SECONDS = 120


class SecurityHeaders:
    """Add the contract's security headers to every HTTP answer that does not set its own
    (the API's documentation page brings a policy of its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # A script, style sheet or image is no document: the policy and framing rules mean
        # nothing there, and leaving them off saves a few hundred bytes on every file.
        static = scope["path"].startswith("/static/")
        headers = STATIC_SECURITY_HEADERS if static else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = message.get("headers", [])
                own = {name.lower() for name, _value in present}
                extra = [header for header in headers if header[0] not in own]
                message["headers"] = [*present, *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _collect_garbage() -> None:
    while True:
        await asyncio.sleep(FULL_GC_SECONDS)
        gc.collect()


@asynccontextmanager
async def full_collections_on_a_timer() -> AsyncIterator[None]:
    """Collect young generations as usual and full ones only on a timer, while inside."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*YOUNG_GC_THRESHOLDS, FULL_GC_ONLY_BY_TIMER)
    collector = asyncio.create_task(_collect_garbage())
    try:
        yield
    finally:
        collector.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collector


async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
    """Answer a service error with its status and ``detail``; count a guessed code, and
    delete a session found expired."""
    if isinstance(exc, SessionExpired):
        await services_of(request).expiry.purge(exc.code)
    if isinstance(exc, NotFound) and exc.detail == SESSION_NOT_FOUND:
        try:  # someone guessing codes is slowed down
            await services_of(request).limits.miss(client_ip(request))
        except TooManyRequests as limited:
            exc = limited
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
    """FastAPI's usual 422, but ASCII-escaped: the echoed input may hold a lone surrogate,
    which cannot be encoded as UTF-8 and would turn the answer into a 500."""
    body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
    return Response(body, status_code=422, media_type="application/json")


async def database_unavailable(_request: Request, exc: DBAPIError) -> JSONResponse:
    """Answer 503 while the database does not answer."""
    log.warning("database error: %s", exc.__class__.__name__)
    return JSONResponse(
        {"detail": "The database is unavailable; try again in a few seconds."},
        status_code=503,
        headers={"Retry-After": "2"},
    )


class DuoApp(FastAPI):
    """FastAPI, with the WebSocket ``/ws/{code}`` answered before its router and middleware
    (app/api/ws.py says why); everything else, other WebSocket paths included, as usual."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        code = ws.socket_code(scope) if scope["type"] == "websocket" else None
        if code is not None:
            socket = WebSocket(scope, receive, send)
            await ws.session_socket(socket, code, self.state.services)
            return
        await super().__call__(scope, receive, send)


ROUTERS = (
    routes.router,
    routes.host_router,
    meeting.router,
    meeting.participant_router,
    signals.participant_router,
    signals.host_router,
    rooms.participant_router,
    rooms.host_router,
    pages.router,
    docs.router,
)


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    engine: Engine | None = None,
    hub: Hub | None = None,
) -> FastAPI:
    """Build the app with its long-lived objects; tests inject settings, clock and engine."""
    settings = settings or get_settings()
    clock = clock or SystemClock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db_engine = engine or make_engine(settings.database_url)
        services = Services.build(settings, clock, db_engine, hub or make_hub(settings))
        app.state.services = services
        await services.start()
        try:
            async with full_collections_on_a_timer():
                yield
        finally:
            await services.stop()
            if engine is None:
                db_engine.dispose()

    # BrowserGuard refuses a body that is not declared JSON (415) before FastAPI reads it.
    # FastAPI's /docs and /redoc load their scripts from a CDN; Duo serves /docs itself.
    app = DuoApp(title="Duo", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)

    app.exception_handler(ServiceError)(service_error)
    app.exception_handler(RequestValidationError)(validation_error)
    app.exception_handler(DBAPIError)(database_unavailable)
    for router in ROUTERS:
        app.include_router(router)
    app.state.assets = Assets(pages.WEB, pages.PAGES)
    app.add_middleware(BrowserGuard, settings=settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


app = create_app()
