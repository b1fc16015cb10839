"""uvicorn's HTTP protocol (httptools) with bounds on a request's head: a request line and
headers past ``MAX_HEAD_BYTES`` are answered ``431`` and the connection closed, before
anything more is read; a head not complete within ``DUO_HEAD_TIMEOUT_SECONDS`` of its first
byte (or of the connection) closes the connection. A WebSocket upgrade is an HTTP request
until its head is read, so both bounds hold for it too. (httptools has no size bound: it
gathers a header of any size, in time that grows with the square of its size; and nothing
closed a request sent half.)"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.config import get_settings

MAX_HEAD_BYTES = 16 * 1024
DETAIL = "Request headers too large (at most 16 KiB)."
_BODY = json.dumps({"detail": DETAIL}).encode()
TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/json\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + _BODY
)


class HeadTooLarge(Exception):
    """Raised in a parser callback: the head passed the bound (parsing stops there)."""


class BoundedHeadProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses a head larger than MAX_HEAD_BYTES with 431."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._raw_head = 0  # bytes received while a head is being read
        self._parsed_head = 0  # the request line and headers parsed so far
        self._in_head = True
        self._too_large = False
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._time_head()

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._raw_head += len(data)
        super().data_received(data)
        if self._in_head and self._raw_head > MAX_HEAD_BYTES and not self._too_large:
            self._too_large = True  # a head still arriving, already too large
            self.send_400_response(DETAIL)

    def on_message_begin(self) -> None:
        self._in_head, self._parsed_head = True, 0
        if self._head_timer is None:  # the connection's first head is timed from its start
            self._time_head()
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head, self._raw_head = False, 0
        self._stop_head_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def _time_head(self) -> None:
        """Close the connection unless the head being read completes in time."""
        self._stop_head_timer()
        seconds = get_settings().head_timeout_seconds
        self._head_timer = self.loop.call_later(seconds, self._head_too_slow)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            self.transport.close()

    def _count(self, size: int) -> None:
        self._parsed_head += size
        if self._parsed_head > MAX_HEAD_BYTES:
            self._too_large = True
            raise HeadTooLarge  # httptools stops; uvicorn answers through send_400_response

    def send_400_response(self, msg: str) -> None:
        if not self._too_large:
            super().send_400_response(msg)
            return
        if not self.transport.is_closing():
            self.transport.write(TOO_LARGE)
            self.transport.close()
