"""The origin Duo's links are made with (join, host, QR): the configured public URL, or the
request's ``Host`` when it is one Duo answers to. Never a ``Host`` anyone can make up: a
link or a QR code made from it would send people elsewhere, and every new one cost the
server a QR code."""

from __future__ import annotations

from fastapi import Request

from app.core.config import Settings
from app.services.errors import ServiceError

MAX_HOST_CHARS = 255
UNKNOWN_HOST = (
    "This server does not answer to that host name; set DUO_PUBLIC_URL (or DUO_ALLOWED_HOSTS)."
)


def host_name(host: str) -> str:
    """Return the name part of a ``Host`` header ("127.0.0.1:8000" -> "127.0.0.1",
    "[::1]:8000" -> "[::1]"), lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def public_origin(request: Request, settings: Settings) -> str:
    """Return the origin for links. Raises ServiceError (400) for a host Duo does not answer
    to."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = request.headers.get("host", "")
    if not host or len(host) > MAX_HOST_CHARS or host_name(host) not in settings.host_allowlist:
        raise ServiceError(UNKNOWN_HOST)
    return f"{request.url.scheme}://{host}"
