"""``GET /api/time``: the server's clock, for clients to measure their offset."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app


def test_time_is_the_server_clock(client: TestClient, clock: ManualClock) -> None:
    response = client.get("/api/time")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"server_ms"}
    assert body["server_ms"] == clock.now_ms()
    assert isinstance(body["server_ms"], int)


def test_time_moves_with_the_clock(client: TestClient, clock: ManualClock) -> None:
    first = client.get("/api/time").json()["server_ms"]
    clock.advance(61_234)
    assert client.get("/api/time").json()["server_ms"] == first + 61_234


def test_time_needs_no_session_or_token(client: TestClient) -> None:
    assert client.get("/api/time", headers={"Authorization": "Bearer nonsense"}).status_code == 200


def test_the_real_clock_is_epoch_milliseconds(settings: Settings, engine: Engine) -> None:
    with TestClient(make_test_app(settings=settings, engine=engine)) as real:
        before = time.time_ns() // 1_000_000
        server_ms = real.get("/api/time").json()["server_ms"]
        after = time.time_ns() // 1_000_000
    assert before <= server_ms <= after
