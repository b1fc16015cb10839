"""A database wait blocks nobody else: every query runs in the database's threads, never on
the event loop, so while one request waits for its database (a slow remote one, a lock
held by another process), other sessions' sockets, pings and health checks go on."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from tests.utils.app import make_test_app
from tests.utils.factories import (
    READ_TIMEOUT,
    connected,
    create_session,
    join,
    receive_until,
)


@pytest.fixture
def file_engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file (a pool of connections, as deployed), not the shared in-memory one."""
    engine = make_engine(f"sqlite:///{tmp_path / 'duo.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def file_client(
    settings: Settings, clock: ManualClock, file_engine: Engine
) -> Iterator[TestClient]:
    with TestClient(make_test_app(settings=settings, clock=clock, engine=file_engine)) as client:
        yield client


def in_background(call: Any, *args: Any, **kwargs: Any) -> Future[httpx.Response]:
    pool = ThreadPoolExecutor(1)
    future = pool.submit(call, *args, **kwargs)
    pool.shutdown(wait=False)
    return future


def ping(ws: Any, client_ms: int) -> dict[str, Any]:
    ws.send_json({"type": "ping", "client_ms": client_ms})
    return receive_until(ws, lambda m: m["type"] == "pong")


def test_a_query_that_hangs_holds_up_only_its_own_request(
    file_client: TestClient, file_engine: Engine
) -> None:
    bystander = create_session(file_client, title="Elders")
    anna = join(file_client, bystander["code"], "Anna")
    waiting = create_session(file_client, title="Hier")
    reached, release = threading.Event(), threading.Event()

    @event.listens_for(file_engine, "before_cursor_execute")
    def hang_on_insert(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("INSERT INTO participant") and not release.is_set():
            reached.set()
            release.wait(READ_TIMEOUT)  # a database far away, or stuck

    with connected(file_client, bystander["code"], anna["token"]) as (ws, _state):
        joining = in_background(
            file_client.post, f"/api/sessions/{waiting['code']}/participants", json={"name": "B"}
        )
        assert reached.wait(READ_TIMEOUT), "the join never reached the database"
        for n in range(3):
            assert ping(ws, n)["client_ms"] == n
        assert file_client.get("/api/time").status_code == 200
        assert file_client.get(f"/api/sessions/{bystander['code']}").status_code == 200
        assert not joining.done(), "the join finished while its database was held"
        release.set()
        assert joining.result(READ_TIMEOUT).status_code == 201
    event.remove(file_engine, "before_cursor_execute", hang_on_insert)


def test_a_write_lock_held_elsewhere_leaves_pings_and_the_health_check_answering(
    file_client: TestClient, file_engine: Engine
) -> None:
    bystander = create_session(file_client, title="Elders")
    anna = join(file_client, bystander["code"], "Anna")
    assert file_client.get("/api/health").json()["database"] == "ok"
    path = file_engine.url.database
    assert path is not None
    other_process = sqlite3.connect(path, timeout=0, isolation_level=None)
    with connected(file_client, bystander["code"], anna["token"]) as (ws, _state):
        other_process.execute("BEGIN IMMEDIATE")  # holds the writer's lock, as another process
        try:
            joining = in_background(
                file_client.post,
                f"/api/sessions/{bystander['code']}/participants",
                json={"name": "Bram"},
            )
            health = file_client.get("/api/health")
            assert health.status_code == 503
            assert health.json()["database"] == "not writable"
            assert ping(ws, 7)["client_ms"] == 7
            assert not joining.done(), "the join wrote while another process held the lock"
        finally:
            other_process.execute("ROLLBACK")
            other_process.close()
        assert joining.result(READ_TIMEOUT).status_code == 201
    assert file_client.get("/api/health").status_code == 200
