"""The WebSocket ``/ws/{code}``: hello, then state pushed on every change, ping/pong.

Served straight from ASGI (``app.main.DuoApp``), not through FastAPI's router and
middleware: a socket lives for an hour, and every layer would keep its frame, its exit
stack and its wrapper of ``send`` for as long, and run on every message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import re
from typing import Any

from sqlalchemy.exc import DBAPIError
from starlette.types import Scope
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.api.guards import origin_allowed
from app.api.limits import client_ip
from app.events import ClientMessage, CloseCode, ServerMessage
from app.services.access import Identity
from app.services.container import Services
from app.services.errors import NotFound, SessionExpired, TooManyRequests, Unauthorized
from app.services.ratelimit import TokenBucket
from app.services.realtime import Connection
from app.services.state import dumps

log = logging.getLogger(__name__)

SOCKET_PATH = re.compile(r"/ws/([^/]+)")  # the contract's /ws/{code}
UNKNOWN_SESSION_GRACE_SECONDS = 1.0
SAY_HELLO_FIRST = 'Say hello first: {"type": "hello", "token": ...}.'
MAX_EXCESS_MESSAGES = 100  # messages over the rate limit before the socket is closed


class FrameError(Exception):
    """A frame the server cannot use; ``close_code`` set when the socket must close."""

    def __init__(self, detail: str, close_code: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.close_code = close_code


def parse_frame(message: dict[str, Any], max_bytes: int) -> dict[str, Any]:
    """Return the JSON object a received frame carries. Raises FrameError."""
    text, data = message.get("text"), message.get("bytes")
    size = len(text.encode("utf-8", "surrogatepass")) if text is not None else len(data or b"")
    if size > max_bytes:
        raise FrameError("Frame too large.", CloseCode.TOO_BIG)
    if text is None:
        raise FrameError("Binary frames are not understood; send JSON text.")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise FrameError("Not valid JSON.") from None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise FrameError('Every message is a JSON object with a "type".')
    return value


def error(detail: str) -> str:
    return dumps({"type": ServerMessage.ERROR, "detail": detail})


async def _receive(websocket: WebSocket, timeout: float | None = None) -> dict[str, Any] | None:
    """Return the next message, or None when the client went away."""
    message = await asyncio.wait_for(websocket.receive(), timeout)
    if message["type"] == "websocket.disconnect":
        return None
    return dict(message)


def _reply(frame: dict[str, Any], server_ms: int) -> str:
    """Return the answer to a frame after hello."""
    match frame["type"]:
        case ClientMessage.PING:
            client_ms = frame.get("client_ms")
            if isinstance(client_ms, bool) or not (
                isinstance(client_ms, int)
                or (isinstance(client_ms, float) and math.isfinite(client_ms))
            ):  # NaN and Infinity would make the pong invalid JSON
                return error('A ping needs a numeric "client_ms".')
            return dumps(
                {"type": ServerMessage.PONG, "client_ms": client_ms, "server_ms": server_ms}
            )
        case ClientMessage.HELLO:
            return error("Hello was said already on this connection.")
        case other:
            return error(f"Unknown message type {other[:40]!r}.")


def socket_code(scope: Scope) -> str | None:
    """Return the session code of a WebSocket to ``/ws/{code}``, or None for another path."""
    match = SOCKET_PATH.fullmatch(scope["path"])
    return match[1] if match else None


async def session_socket(websocket: WebSocket, code: str, services: Services) -> None:
    if not origin_allowed(websocket.headers, services.settings):
        await websocket.close(CloseCode.POLICY)  # before accept: the handshake is refused
        return
    ip = client_ip(websocket)
    await websocket.accept()
    refusal = services.limits.open_socket(ip)  # counted from the start, hello or not
    if refusal is not None:
        await websocket.close(CloseCode.POLICY, refusal)
        return
    identity: Identity | None = None
    try:
        identity = await admit(websocket, code, ip, services)
        if identity is not None:
            await serve(websocket, identity, services)
    finally:
        services.limits.close_socket(ip, identity.participant_id if identity else None)


async def admit(websocket: WebSocket, code: str, ip: str, services: Services) -> Identity | None:
    """Refuse a guesser or an unknown code; take the hello; count the socket as its
    participant's. Return who it speaks for, or None once it is closed."""
    try:
        await services.limits.refuse_guesser(ip)
    except TooManyRequests as refused:  # only a valid token of this session gets in
        identity = await _hello(websocket, code, services, refused)
        return await _claimed(websocket, identity, services)
    try:
        await services.sessions.describe(code)
    except NotFound as unknown:
        if isinstance(unknown, SessionExpired):
            await services.expiry.purge(unknown.code)
        await _refuse_unknown_session(websocket, ip, services)
        return None
    return await _claimed(websocket, await _hello(websocket, code, services), services)


async def _claimed(
    websocket: WebSocket, identity: Identity | None, services: Services
) -> Identity | None:
    """Count the socket as its participant's; return who it speaks for, or None once it is
    closed (too many sockets of that participant)."""
    if identity is None:
        return None
    refusal = services.limits.claim_for(identity.participant_id)
    if refusal is not None:
        await websocket.close(CloseCode.POLICY, refusal)
        return None
    return identity


async def _refuse_unknown_session(websocket: WebSocket, ip: str, services: Services) -> None:
    """Close with 4404, after the client's first frame (its hello), so that a client that
    says hello at once reads 4404 instead of failing to send; a silent one hears it after
    a moment. A guess through the socket counts as one over HTTP."""
    with contextlib.suppress(TooManyRequests):
        await services.limits.miss(ip)
    grace = min(services.settings.hello_timeout_seconds, UNKNOWN_SESSION_GRACE_SECONDS)
    with contextlib.suppress(TimeoutError):
        if await _receive(websocket, grace) is None:
            return
    await websocket.close(CloseCode.UNKNOWN_SESSION, "Session not found")


async def _hello(
    websocket: WebSocket, code: str, services: Services, guessing: TooManyRequests | None = None
) -> Identity | None:
    """Take the first frame, which must be a hello with a good token; otherwise close the
    socket (4401: no token given; 1009: too big; 1013: the database cannot record it). From
    an address ``guessing`` codes, anything but a good token closes with 1008, whether the
    code exists or not."""
    try:
        message = await _receive(websocket, services.settings.hello_timeout_seconds)
    except TimeoutError:
        await websocket.close(CloseCode.BAD_TOKEN, "No hello in time")
        return None
    if message is None:
        return None
    try:
        frame = parse_frame(message, services.settings.max_frame_bytes)
        if frame["type"] != ClientMessage.HELLO:
            raise FrameError(SAY_HELLO_FIRST, CloseCode.BAD_TOKEN)
        return await services.access.identify(code, frame.get("token"))
    except (FrameError, NotFound, Unauthorized) as refused:
        if guessing is not None:
            await websocket.close(CloseCode.POLICY, guessing.detail)
        else:
            await _refuse_hello(websocket, refused)
    except DBAPIError:
        log.warning("hello not recorded: the database is unavailable")
        await websocket.close(CloseCode.TRY_AGAIN_LATER, "Database unavailable")
    return None


async def _refuse_hello(websocket: WebSocket, refused: Exception) -> None:
    if isinstance(refused, FrameError):
        if refused.close_code is None or refused.close_code == CloseCode.BAD_TOKEN:
            await websocket.send_text(error(refused.detail or SAY_HELLO_FIRST))
        await websocket.close(refused.close_code or CloseCode.BAD_TOKEN, refused.detail[:100])
    elif isinstance(refused, NotFound):
        await websocket.close(CloseCode.UNKNOWN_SESSION, "Session not found")
    else:
        await websocket.close(CloseCode.BAD_TOKEN, "Bad token")


async def serve(websocket: WebSocket, identity: Identity, services: Services) -> None:
    """Register the client, answer its frames until it goes, then forget it."""
    settings = services.settings
    connection = Connection(websocket, identity, settings.send_timeout_seconds)
    writer = asyncio.create_task(connection.run_writer())
    reader = asyncio.current_task()
    assert reader is not None
    listening = True

    def stop_listening(_writer: asyncio.Task[None]) -> None:
        """A client dropped for not reading is not waited for either: it goes offline now."""
        if connection.dropped and listening:
            reader.cancel()

    writer.add_done_callback(stop_listening)
    try:
        await services.realtime.attach(connection)
        await _read_frames(websocket, connection, services)
    except (WebSocketDisconnect, RuntimeError):
        pass
    except DBAPIError:
        log.warning("state not read: the database is unavailable")
        connection.close(CloseCode.TRY_AGAIN_LATER, "Database unavailable")
    except asyncio.CancelledError:
        if not connection.dropped:
            raise
        reader.uncancel()
    finally:
        listening = False
        await services.realtime.detach(connection)
        await _finish_writer(connection, writer)


async def _read_frames(websocket: WebSocket, connection: Connection, services: Services) -> None:
    """Answer every frame (pong or error) until the client goes or must be closed."""
    settings = services.settings
    bucket = TokenBucket(settings.messages_per_second, 2 * settings.messages_per_second)
    excess = 0
    while (message := await _receive(websocket)) is not None:
        if not bucket.take():
            excess += 1
            if excess > MAX_EXCESS_MESSAGES:
                connection.close(CloseCode.POLICY, "Too many messages")
                return
            connection.offer_reply(error("Too many messages; slow down."))
            continue
        try:
            frame = parse_frame(message, settings.max_frame_bytes)
        except FrameError as problem:
            if problem.close_code:
                connection.close(problem.close_code, problem.detail)
                return
            connection.offer_reply(error(problem.detail))
            continue
        connection.offer_reply(_reply(frame, services.clock.now_ms()))


async def _finish_writer(connection: Connection, writer: asyncio.Task[None]) -> None:
    """Let the writer send a close frame that is due; otherwise stop it."""
    if not connection.closing:
        writer.cancel()
        return
    try:
        await asyncio.wait_for(writer, 2)
    except (TimeoutError, asyncio.CancelledError):
        writer.cancel()
