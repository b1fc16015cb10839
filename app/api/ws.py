"""The WebSocket ``/ws/{code}``: hello, then state pushed on every change, ping/pong."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app.api.limits import Limits, TooManyRequests, client_ip
from app.core.config import Settings
from app.events import ClientMessage, CloseCode, ServerMessage
from app.services.errors import NotFound, Unauthorized
from app.services.ratelimit import TokenBucket
from app.services.realtime import Connection, Realtime
from app.services.sessions import Identity, SessionService
from app.services.state import dumps

router = APIRouter()

UNKNOWN_SESSION_GRACE_SECONDS = 1.0
MAX_EXCESS_MESSAGES = 100  # messages over the rate limit before the socket is closed


class FrameError(Exception):
    """A frame the server cannot use; ``close_code`` set when the socket must close."""

    def __init__(self, detail: str, close_code: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.close_code = close_code


def origin_allowed(websocket: WebSocket, settings: Settings) -> bool:
    """Return whether the handshake's Origin is the service's own or an allowed one."""
    origin = websocket.headers.get("origin")
    if origin is None:  # not a browser: browsers always send Origin on WebSocket handshakes
        return True
    origin = origin.rstrip("/").lower()
    if origin in settings.origin_allowlist:
        return True
    host = websocket.headers.get("host", "").lower()
    return origin in (f"http://{host}", f"https://{host}")


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


async def _await_hello(
    websocket: WebSocket, code: str, service: SessionService, settings: Settings
) -> Identity | None:
    """Wait for a valid hello; close the socket and return None when none comes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.hello_timeout_seconds
    while True:
        try:
            message = await _receive(websocket, max(0.0, deadline - loop.time()))
        except TimeoutError:
            await websocket.close(CloseCode.BAD_TOKEN, "No hello in time")
            return None
        if message is None:
            return None
        try:
            frame = parse_frame(message, settings.max_frame_bytes)
        except FrameError as problem:
            if problem.close_code:
                await websocket.close(problem.close_code, problem.detail)
                return None
            await websocket.send_text(error(problem.detail))
            continue
        if frame["type"] != ClientMessage.HELLO:
            await websocket.send_text(error('Say hello first: {"type": "hello", "token": ...}.'))
            continue
        try:
            return service.identify(code, frame.get("token"))
        except NotFound:
            await websocket.close(CloseCode.UNKNOWN_SESSION, "Session not found")
        except Unauthorized:
            await websocket.close(CloseCode.BAD_TOKEN, "Bad token")
        return None


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


@router.websocket("/ws/{code}")
async def session_socket(websocket: WebSocket, code: str) -> None:
    app = websocket.app
    settings: Settings = app.state.settings
    service: SessionService = app.state.service
    realtime: Realtime = app.state.realtime
    if not origin_allowed(websocket, settings):
        await websocket.close(CloseCode.POLICY)  # before accept: the handshake is refused
        return
    await websocket.accept()
    limits: Limits = app.state.limits
    ip = client_ip(websocket.scope)
    try:
        await limits.refuse_guesser(ip)
        service.describe(code)
    except TooManyRequests as refused:
        await websocket.close(CloseCode.POLICY, refused.detail)
        return
    except NotFound:
        with contextlib.suppress(TooManyRequests):
            await limits.miss(ip)  # a guess through the socket counts as one over HTTP
        # Take the client's first frame (its hello) before closing, so that a client that
        # says hello at once reads 4404 instead of failing to send; a silent one hears it
        # after a moment.
        grace = min(settings.hello_timeout_seconds, UNKNOWN_SESSION_GRACE_SECONDS)
        with contextlib.suppress(TimeoutError):
            if await _receive(websocket, grace) is None:
                return
        await websocket.close(CloseCode.UNKNOWN_SESSION, "Session not found")
        return
    identity = await _await_hello(websocket, code, service, settings)
    if identity is None:
        return
    refusal = limits.open_socket(ip, identity.participant_id)
    if refusal is not None:
        await websocket.close(CloseCode.POLICY, refusal)
        return
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
    bucket = TokenBucket(settings.messages_per_second, 2 * settings.messages_per_second)
    excess = 0
    try:
        await realtime.attach(connection)
        while True:
            message = await _receive(websocket)
            if message is None:
                break
            if not bucket.take():
                excess += 1
                if excess > MAX_EXCESS_MESSAGES:
                    connection.close(CloseCode.POLICY, "Too many messages")
                    break
                connection.offer_reply(error("Too many messages; slow down."))
                continue
            try:
                frame = parse_frame(message, settings.max_frame_bytes)
            except FrameError as problem:
                if problem.close_code:
                    connection.close(problem.close_code, problem.detail)
                    break
                connection.offer_reply(error(problem.detail))
                continue
            connection.offer_reply(_reply(frame, service.clock.now_ms()))
    except (WebSocketDisconnect, RuntimeError):
        pass
    except asyncio.CancelledError:
        if not connection.dropped:
            raise
        reader.uncancel()
    finally:
        listening = False
        limits.close_socket(ip, identity.participant_id)
        await realtime.detach(connection)
        if connection.closing:  # let the writer send the close frame
            try:
                await asyncio.wait_for(writer, 2)
            except (TimeoutError, asyncio.CancelledError):
                writer.cancel()
        else:
            writer.cancel()
