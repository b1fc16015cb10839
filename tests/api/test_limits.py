"""Abuse limits: request rates per address, participants per session, body size, sockets."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from starlette.websockets import WebSocketDisconnect

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app
from tests.utils.factories import (
    connected,
    create_session,
    expect_close,
    hello,
    hold_rate_windows,
    join,
    receive,
)


@pytest.fixture
def strict(
    clock: ManualClock, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    hold_rate_windows(monkeypatch)
    settings = Settings(
        fold_ms=1,
        sessions_per_minute=3,
        joins_per_minute=5,
        misses_per_minute=4,
        max_participants=3,
        max_sockets_per_participant=2,
        messages_per_second=2,
        max_body_bytes=1024,
        _env_file=None,
    )
    with TestClient(make_test_app(settings, clock, engine)) as client:
        yield client


def test_creating_sessions_is_rate_limited_with_retry_after(strict: TestClient) -> None:
    answers = [strict.post("/api/sessions", json={}) for _ in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
    assert "wait" in answers[-1].json()["detail"]


def test_joins_are_rate_limited_and_sessions_capped(strict: TestClient) -> None:
    code = strict.post("/api/sessions", json={}).json()["code"]
    answers = [
        strict.post(f"/api/sessions/{code}/participants", json={"name": f"P{i}"}) for i in range(6)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201, 409, 409, 429]
    assert "full" in answers[3].json()["detail"]


def test_guessing_codes_is_slowed_down(strict: TestClient) -> None:
    answers = [strict.get(f"/api/sessions/ABCDEFG{c}") for c in "23456"]
    assert [a.status_code for a in answers] == [404, 404, 404, 404, 429]
    assert "retry-after" in answers[-1].headers


def test_a_large_body_is_refused_with_413(strict: TestClient) -> None:
    answer = strict.post(
        "/api/sessions",
        content=b'{"title": "' + b"x" * 2000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413 and answer.json()["detail"]

    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(10):
            yield b"x" * 200
        yield b'"}'

    streamed = strict.post(
        "/api/sessions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


def test_sockets_per_participant_are_capped(strict: TestClient) -> None:
    session = create_session(strict)
    person = join(strict, session["code"], "Anna")
    with (
        connected(strict, session["code"], person["token"]),
        connected(strict, session["code"], person["token"]),
        strict.websocket_connect(f"/ws/{session['code']}") as third,
    ):
        third.send_json({"type": "hello", "token": person["token"]})
        with pytest.raises(WebSocketDisconnect) as closed:
            receive(third)
        assert closed.value.code == 1008


def test_a_flood_of_messages_gets_errors_then_a_close(strict: TestClient) -> None:
    session = create_session(strict)
    person = join(strict, session["code"], "Anna")
    with connected(strict, session["code"], person["token"]) as (ws, _state):
        for i in range(110):
            ws.send_json({"type": "ping", "client_ms": i})
        kinds = []
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                kinds.append(receive(ws)["type"])
        assert closed.value.code == 1008
        assert "pong" in kinds and "error" in kinds


def test_the_machine_itself_is_not_rate_limited(
    clock: ManualClock, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_rate_windows(monkeypatch)
    settings = Settings(fold_ms=1, sessions_per_minute=1, misses_per_minute=1, _env_file=None)
    app = make_test_app(settings, clock, engine)
    with TestClient(app, client=("127.0.0.1", 50000)) as local:
        assert [local.post("/api/sessions", json={}).status_code for _ in range(3)] == [201] * 3
        assert [local.get("/api/sessions/ABCDEFG2").status_code for _ in range(3)] == [404] * 3
    with TestClient(app, client=("192.0.2.7", 50000)) as remote:
        assert [remote.post("/api/sessions", json={}).status_code for _ in range(2)] == [201, 429]


def test_sockets_count_against_the_address_cap_before_their_hello(
    clock: ManualClock, engine: Engine
) -> None:
    """Silent sockets (no hello yet) take their place under the per-address cap: the one
    over it is closed with 1008, and a place comes free when one of them goes."""
    settings = Settings(fold_ms=1, max_sockets_per_ip=3, misses_per_minute=0, _env_file=None)
    with TestClient(make_test_app(settings, clock, engine)) as client, ExitStack() as stack:
        session = create_session(client)
        person = join(client, session["code"], "Anna")
        with client.websocket_connect(f"/ws/{session['code']}"):
            for _ in range(2):
                stack.enter_context(client.websocket_connect(f"/ws/{session['code']}"))
            with client.websocket_connect(f"/ws/{session['code']}") as fourth:
                fourth.send_json({"type": "hello", "token": person["token"]})
                assert expect_close(fourth) == 1008
        # the first silent one is gone (its handler finished: its place is free)
        with client.websocket_connect(f"/ws/{session['code']}") as again:
            assert hello(again, person["token"])["type"] == "state"
