"""Guards at the edge, before any handler: who may open a socket or send a request from a
browser, what a body must be, and the host's token checked before the body is read."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.deps import services_of
from app.core.config import Settings

UNSAFE_METHODS = frozenset({b"POST", b"PUT", b"PATCH", b"DELETE"})
CROSS_SITE = "Requests from another site's pages are refused."
JSON_ONLY = "Send the body as JSON, with Content-Type: application/json."


def origin_allowed(headers: Headers, settings: Settings) -> bool:
    """Return whether a request's ``Origin`` is the service's own or an allowed one (a
    request without one does not come from a browser page on another origin)."""
    origin = headers.get("origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    if origin in settings.origin_allowlist:
        return True
    host = headers.get("host", "").lower()
    return origin in (f"http://{host}", f"https://{host}")


def cross_site(headers: Headers, settings: Settings) -> bool:
    """Return whether a browser sent this request for a page of another site or origin."""
    if headers.get("origin") is not None:
        return not origin_allowed(headers, settings)
    return headers.get("sec-fetch-site") in ("cross-site", "same-site")


def is_json(content_type: str) -> bool:
    """Return whether a Content-Type names JSON (``application/json``, ``…+json``)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class BrowserGuard:
    """Refuse, for the API's unsafe methods: a request a browser sends for another site's
    page (403), and a body that is not declared JSON (415) — a Blob or ArrayBuffer body
    carries no Content-Type, and must not be read as JSON."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"].encode() not in UNSAFE_METHODS
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if cross_site(headers, self.settings):
            await _refuse(send, 403, CROSS_SITE)
            return
        has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
        if has_body and not is_json(headers.get("content-type", "")):
            await _refuse(send, 415, JSON_ONLY)
            return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HostFirstRoute(APIRoute):
    """A route only the host may call: the token is checked before the body is parsed, so
    that a stranger learns nothing about bodies (401/403 come before any 422)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def host_first(request: Request) -> Response:
            code = request.path_params.get("code", "")
            await services_of(request).access.authorize_host(
                code, request.headers.get("authorization")
            )
            return await handle(request)

        return host_first
