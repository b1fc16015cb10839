"""Small helpers for API and WebSocket tests: sessions, participants, sockets, messages."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

Json = dict[str, Any]

READ_TIMEOUT = 10.0
"""Seconds a test waits for a message it expects; only a failing test ever waits that long
(a liveness guard, far above the milliseconds a message takes on a busy machine)."""


def hold_rate_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the wall clock the per-minute limits count by (app.services.ratelimit) in the
    middle of one minute, so that a test's hits never straddle two windows however slowly it
    runs. The per-second token bucket keeps the real monotonic clock."""
    from app.services import ratelimit

    held = (time.time() // 60) * 60 + 30
    monkeypatch.setattr(
        ratelimit, "time", SimpleNamespace(time=lambda: held, monotonic=time.monotonic)
    )


def create_session(client: TestClient, **fields: Any) -> Json:
    """Create a session with ``fields`` and return the 201 answer."""
    response = client.post("/api/sessions", json=fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


def join(client: TestClient, code: str, name: str) -> Json:
    """Join session ``code`` as ``name`` and return the 201 answer (``id``, ``token``)."""
    response = client.post(f"/api/sessions/{code}/participants", json={"name": name})
    assert response.status_code == 201, response.text
    return dict(response.json())


def bearer(token: str) -> dict[str, str]:
    """Return an ``Authorization: Bearer`` header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


def host_headers(session: Json) -> dict[str, str]:
    """Return the host's authorization header for ``session``."""
    return bearer(session["host_token"])


def start_breakout(client: TestClient, session: Json) -> Json:
    """Start a breakout as the host and return the 201 answer."""
    response = client.post(
        f"/api/sessions/{session['code']}/breakouts", headers=host_headers(session)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def control(
    client: TestClient, session: Json, action: str, **body: Any
) -> Any:  # httpx.Response, untyped to keep the helper small
    """Post a breakout control (pause, resume, extend, skip, end) as the host."""
    return client.post(
        f"/api/sessions/{session['code']}/breakouts/current/{action}",
        headers=host_headers(session),
        json=body or None,
    )


# ---- sockets --------------------------------------------------------------------------


def receive(ws: WebSocketTestSession, timeout: float = READ_TIMEOUT) -> Json:
    """Return the next JSON message. Raises WebSocketDisconnect on close, TimeoutError."""
    message = receive_raw(ws, timeout)
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason") or "")
    return dict(json.loads(message["text"]))


# A receive that timed out is still waiting for the socket's next message: the next call
# takes it over, so that no message is lost to a receive nobody waits for any more.
_waiting: WeakKeyDictionary[WebSocketTestSession, Future[Any]] = WeakKeyDictionary()


def receive_raw(ws: WebSocketTestSession, timeout: float = READ_TIMEOUT) -> dict[str, Any]:
    """Return the next ASGI message the app sent to ``ws`` (text or close), waiting at most
    ``timeout`` seconds. Raises TimeoutError."""
    waiting = _waiting.pop(ws, None) or _receive_in_a_thread(ws)
    try:
        return dict(waiting.result(timeout))
    except FutureTimeout:
        _waiting[ws] = waiting
        raise TimeoutError(f"no message within {timeout} s") from None


def _receive_in_a_thread(ws: WebSocketTestSession) -> Future[Any]:
    """Start ``ws.receive()`` (which waits as long as it takes) in a thread of its own."""
    future: Future[Any] = Future()

    def receive_one() -> None:
        try:
            future.set_result(ws.receive())
        except BaseException as problem:  # the socket or the test client went away
            future.set_exception(problem)

    threading.Thread(target=receive_one, daemon=True).start()
    return future


def receive_until(
    ws: WebSocketTestSession,
    predicate: Callable[[Json], bool],
    max_reads: int = 10,
    timeout: float = READ_TIMEOUT,
) -> Json:
    """Read messages until one satisfies ``predicate`` and return it (at most ``max_reads``)."""
    seen: list[Json] = []
    for _ in range(max_reads):
        message = receive(ws, timeout)
        if predicate(message):
            return message
        seen.append(message)
    raise AssertionError(f"no matching message in {max_reads} reads: {seen!r}")


def receive_state(
    ws: WebSocketTestSession, predicate: Callable[[Json], bool] = lambda _s: True
) -> Json:
    """Read until a ``state`` that satisfies ``predicate`` arrives, and return it."""
    return receive_until(ws, lambda m: m["type"] == "state" and predicate(m))


def expect_close(ws: WebSocketTestSession, timeout: float = READ_TIMEOUT) -> int:
    """Read until the server closes ``ws`` (at most 10 messages) and return the close code."""
    for _ in range(10):
        message = receive_raw(ws, timeout)
        if message["type"] == "websocket.close":
            return int(message.get("code", 1000))
    raise AssertionError("the socket was not closed")


def expect_silence(ws: WebSocketTestSession, seconds: float = 0.1) -> None:
    """Assert that the server sends nothing on ``ws`` for ``seconds``."""
    try:
        message = receive_raw(ws, seconds)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected message: {message!r}")


def hello(ws: WebSocketTestSession, token: str | None) -> Json:
    """Say hello with ``token`` and return the first message (the ``state``)."""
    ws.send_json({"type": "hello", "token": token})
    return receive(ws)


@contextmanager
def connected(
    client: TestClient, code: str, token: str, **kwargs: Any
) -> Iterator[tuple[WebSocketTestSession, Json]]:
    """Open ``/ws/{code}``, say hello with ``token`` and yield the socket and its first state."""
    with client.websocket_connect(f"/ws/{code}", **kwargs) as ws:
        state = hello(ws, token)
        assert state["type"] == "state", state
        yield ws, state


def connect_all(
    stack: ExitStack, client: TestClient, code: str, tokens: Iterable[str]
) -> list[WebSocketTestSession]:
    """Open one socket per token (hello said, first state read) kept open by ``stack``."""
    return [stack.enter_context(connected(client, code, token))[0] for token in tokens]


def populate(client: TestClient, session: Json, count: int, prefix: str = "P") -> list[Json]:
    """Join ``count`` participants named ``{prefix}000``, ``{prefix}001``, … and return them."""
    return [
        {**join(client, session["code"], f"{prefix}{i:03d}"), "name": f"{prefix}{i:03d}"}
        for i in range(count)
    ]


def drain(ws: WebSocketTestSession, seconds: float = 0.05) -> list[Json]:
    """Read every message that arrives within ``seconds`` of the previous one."""
    messages = []
    while True:
        try:
            messages.append(receive(ws, seconds))
        except TimeoutError:
            return messages


# ---- database -------------------------------------------------------------------------


def db_dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every Duo table, to check that nothing changed."""
    tables = ("duo_session", "participant", "breakout", "pair_history")
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))),
                key=repr,
            )
            for table in tables
        }
