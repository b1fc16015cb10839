"""uvicorn's HTTP protocol (httptools) with bounds on a request's head: a request line and
headers past ``MAX_HEAD_BYTES`` are answered ``431`` and the connection closed, before
anything more is read; a head not complete within ``DUO_HEAD_TIMEOUT_SECONDS`` of its first
byte (or of the connection) closes the connection. A WebSocket upgrade is an HTTP request
until its head is read, so both bounds hold for it too. (httptools has no size bound: it
gathers a header of any size, in time that grows with the square of its size; and nothing
closed a request sent half.)

A connection counts against its address's cap (``DUO_MAX_SOCKETS_PER_IP``) from its first
moment: while its head is read here (``CONNECTIONS.heads``), then as an open WebSocket
(``Limits``). One over the cap is answered ``429`` and closed before anything is read."""

from __future__ import annotations

import asyncio
import json
import weakref
from collections import Counter
from collections.abc import Mapping
from typing import Protocol

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


_REFUSED = json.dumps({"detail": "Too many connections from this address."}).encode()
TOO_MANY = (
    b"HTTP/1.1 429 Too Many Requests\r\n"
    b"content-type: application/json\r\n"
    b"content-length: " + str(len(_REFUSED)).encode() + b"\r\n"
    b"connection: close\r\n\r\n" + _REFUSED
)


class CountsSockets(Protocol):
    @property
    def sockets_per_ip(self) -> Mapping[str, int]: ...


class AddressConnections:
    """The connections of each client address in this process: heads being read (counted
    here) and open WebSockets (counted by each ``Limits`` of the process, in ``sockets``)."""

    def __init__(self) -> None:
        self.heads: Counter[str] = Counter()
        self.sockets: weakref.WeakSet[CountsSockets] = weakref.WeakSet()

    def count(self, address: str) -> int:
        """Return how many connections ``address`` holds in this process."""
        open_sockets = sum(limits.sockets_per_ip.get(address, 0) for limits in self.sockets)
        return self.heads[address] + open_sockets

    def full(self, address: str) -> bool:
        """Return whether ``address`` holds as many connections as it may."""
        settings = get_settings()
        return (
            self.count(address) >= settings.max_sockets_per_ip and address not in settings.unlimited
        )

    def forget_head(self, address: str) -> None:
        if self.heads[address] > 1:
            self.heads[address] -= 1
        else:
            self.heads.pop(address, None)


CONNECTIONS = AddressConnections()


class HeadTooLarge(Exception):
    """Raised in a parser callback: the head passed the bound (parsing stops there)."""


class BoundedHeadProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses a head larger than MAX_HEAD_BYTES with 431."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        peer = transport.get_extra_info("peername")
        self._address: str | None = peer[0] if isinstance(peer, tuple) else None
        self._counted = False
        if self._address is not None and CONNECTIONS.full(self._address):
            self._refused = True
            transport.write(TOO_MANY)
            transport.close()
            return
        self._refused = False
        self._count_head()
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
        self._count_head()  # the next head on a kept-alive connection counts again
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
        self._uncount()  # an upgrade is counted by Limits from here; a request is served
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._refused:
            return  # refused in connection_made: nothing was set up
        self._stop_head_timer()
        self._uncount()
        super().connection_lost(exc)

    def _count_head(self) -> None:
        if self._address is not None and not self._counted:
            CONNECTIONS.heads[self._address] += 1
            self._counted = True

    def _uncount(self) -> None:
        if self._counted and self._address is not None:
            CONNECTIONS.forget_head(self._address)
            self._counted = False

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
