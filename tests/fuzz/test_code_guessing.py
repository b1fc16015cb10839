"""Someone guessing session codes learns nothing faster than the miss limit allows: once an
address asked for too many unknown codes, a code that exists answers just as an unknown one
does (429 over HTTP, 1008 on the WebSocket) until the minute is over. The WebSocket counts
its misses too, so it is no way around the limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app
from tests.utils.factories import create_session, expect_close, hold_rate_windows, join

LIMIT = 4


@pytest.fixture
def guarded(
    clock: ManualClock, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    hold_rate_windows(monkeypatch)
    settings = Settings(fold_ms=1, misses_per_minute=LIMIT, _env_file=None)
    with TestClient(make_test_app(settings, clock, engine)) as client:
        yield client


def unknown(i: int) -> str:
    return f"ABCDEF{i:02d}".replace("0", "Z").replace("1", "Y")


def test_over_the_limit_a_known_code_answers_as_an_unknown_one(guarded: TestClient) -> None:
    session = create_session(guarded)
    known = session["code"]
    assert [guarded.get(f"/api/sessions/{unknown(i)}").status_code for i in range(LIMIT)] == [
        404
    ] * LIMIT
    for path in (f"/api/sessions/{known}", f"/api/sessions/{unknown(9)}"):
        answer = guarded.get(path)
        assert answer.status_code == 429, path
        assert int(answer.headers["retry-after"]) >= 1
    joined = guarded.post(f"/api/sessions/{known}/participants", json={"name": "Eve"})
    assert joined.status_code == 429
    with guarded.websocket_connect(f"/ws/{known}") as ws:
        ws.send_json({"type": "hello", "token": session["host_token"]})
        assert expect_close(ws) == 1008


def test_websocket_misses_count_towards_the_limit(guarded: TestClient) -> None:
    session = create_session(guarded)
    anna = join(guarded, session["code"], "Anna")
    for i in range(LIMIT):
        with guarded.websocket_connect(f"/ws/{unknown(i)}") as ws:
            ws.send_json({"type": "hello", "token": "x"})
            assert expect_close(ws) == 4404
    for code in (session["code"], unknown(9)):
        with guarded.websocket_connect(f"/ws/{code}") as ws:
            ws.send_json({"type": "hello", "token": anna["token"]})
            assert expect_close(ws) == 1008
    assert guarded.get(f"/api/sessions/{session['code']}").status_code == 429
