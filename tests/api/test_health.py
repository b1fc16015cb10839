"""/api/health and a database that takes no writes (a full disk): reported, and a socket's
hello that cannot be recorded closes with 1013 and no traceback (issue 11, item 8)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from tests.utils.app import make_test_app
from tests.utils.factories import create_session, expect_close, join

MINUTE = 60_000


def test_health_is_ok_when_the_database_reads_and_writes(client: TestClient) -> None:
    answer = client.get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_a_database_that_takes_no_writes_is_reported_and_hellos_close_with_1013(
    tmp_path: Path, settings: Settings, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "duo.db"
    writable = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(writable)
    with TestClient(make_test_app(settings, clock, writable)) as client:
        session = create_session(client)
        person = join(client, session["code"], "Anna")
    writable.dispose()
    # The same file, opened read-only: every read works, every write fails (as on a full disk).
    frozen = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with TestClient(make_test_app(settings, clock, frozen)) as client:
        answer = client.get("/api/health")
        assert answer.status_code == 503
        assert answer.json()["database"] == "not writable"
        clock.advance(2 * MINUTE)  # idle for over a minute: the hello marks it active
        with (
            caplog.at_level(logging.ERROR),
            client.websocket_connect(f"/ws/{session['code']}") as ws,
        ):
            ws.send_json({"type": "hello", "token": person["token"]})
            assert expect_close(ws) == 1013
        assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    frozen.dispose()
