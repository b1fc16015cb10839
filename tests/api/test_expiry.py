"""Expiry: a session inactive for longer than DUO_SESSION_TTL_HOURS is gone, data and all."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from tests.utils.app import make_test_app, services_of
from tests.utils.factories import (
    bearer,
    connect_all,
    connected,
    control,
    create_session,
    expect_close,
    host_headers,
    join,
    populate,
    start_breakout,
)

HOUR = 3_600_000


def rows(engine: Engine, sql: str, **params: object) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def session_id(engine: Engine, code: str) -> int:
    return int(rows(engine, "SELECT id FROM duo_session WHERE code = :code", code=code)[0][0])


def assert_purged(engine: Engine, sid: int, names: list[str]) -> None:
    assert rows(engine, "SELECT id FROM duo_session WHERE id = :sid", sid=sid) == []
    for table in ("participant", "breakout", "pair_history"):
        assert rows(engine, f"SELECT * FROM {table} WHERE session_id = :sid", sid=sid) == []
    stored = {row[0] for row in rows(engine, "SELECT name FROM participant")}
    assert not stored & set(names)


def test_an_expired_session_is_404_and_its_people_are_deleted(
    client: TestClient, engine: Engine, clock: ManualClock
) -> None:
    session = create_session(client, title="Old")
    code = session["code"]
    people = populate(client, session, 3, prefix="Gone")
    with ExitStack() as stack:
        connect_all(stack, client, code, [p["token"] for p in people])
        start_breakout(client, session)
        control(client, session, "end")
    sid = session_id(engine, code)
    hashes = rows(engine, "SELECT token_hash FROM participant WHERE session_id = :sid", sid=sid)
    assert len(hashes) == 3 and all(h[0] for h in hashes)
    assert rows(engine, "SELECT * FROM pair_history WHERE session_id = :sid", sid=sid)

    clock.advance(24 * HOUR + 1)
    response = client.get(f"/api/sessions/{code}")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert_purged(engine, sid, [p["name"] for p in people])
    stored_hashes = {row[0] for row in rows(engine, "SELECT token_hash FROM participant")}
    assert not stored_hashes & {h[0] for h in hashes}


def test_every_call_on_an_expired_session_is_404(
    client: TestClient, engine: Engine, clock: ManualClock
) -> None:
    session = create_session(client)
    code = session["code"]
    anna = join(client, code, "Anna")
    clock.advance(25 * HOUR)
    headers = host_headers(session)
    assert client.post(f"/api/sessions/{code}/participants", json={"name": "B"}).status_code == 404
    assert client.post(f"/api/sessions/{code}/breakouts", headers=headers).status_code == 404
    for action in ("pause", "resume", "extend", "skip", "end"):
        response = client.post(
            f"/api/sessions/{code}/breakouts/current/{action}", headers=headers, json={"seconds": 5}
        )
        assert response.status_code == 404, action
    response = client.delete(
        f"/api/sessions/{code}/participants/{anna['id']}", headers=bearer(anna["token"])
    )
    assert response.status_code == 404
    for token in (anna["token"], session["host_token"]):
        with client.websocket_connect(f"/ws/{code}") as ws:
            ws.send_json({"type": "hello", "token": token})
            assert expect_close(ws) == 4404
    assert rows(engine, "SELECT * FROM participant") == []


def test_activity_keeps_a_session_alive(client: TestClient, clock: ManualClock) -> None:
    session = create_session(client)
    code = session["code"]
    clock.advance(23 * HOUR)
    join(client, code, "Anna")
    clock.advance(23 * HOUR)
    assert client.get(f"/api/sessions/{code}").status_code == 200
    clock.advance(2 * HOUR)
    assert client.get(f"/api/sessions/{code}").status_code == 404


def test_the_sweep_deletes_without_a_request(
    client: TestClient, engine: Engine, clock: ManualClock
) -> None:
    old = create_session(client)
    people = populate(client, old, 2, prefix="Old")
    clock.advance(20 * HOUR)
    fresh = create_session(client)
    join(client, fresh["code"], "Fresh")
    sid = session_id(engine, old["code"])
    clock.advance(5 * HOUR)
    assert client.portal.call(services_of(client).expiry.purge_expired)  # type: ignore[union-attr] == [old["code"]]
    assert_purged(engine, sid, [p["name"] for p in people])
    assert [r[0] for r in rows(engine, "SELECT name FROM participant")] == ["Fresh"]
    assert client.get(f"/api/sessions/{fresh['code']}").status_code == 200


def test_the_ttl_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUO_SESSION_TTL_HOURS", "2")
    assert Settings(_env_file=None).session_ttl_hours == 2  # type: ignore[call-arg]


def test_a_short_ttl_is_honoured(engine: Engine, clock: ManualClock) -> None:
    settings = Settings(database_url="sqlite://", session_ttl_hours=1, fold_ms=1, _env_file=None)  # type: ignore[call-arg]
    with TestClient(make_test_app(settings=settings, clock=clock, engine=engine)) as client:
        session = create_session(client)
        clock.advance(HOUR - 60_000)
        assert client.get(f"/api/sessions/{session['code']}").status_code == 200
        clock.advance(2 * 60_000)
        assert client.get(f"/api/sessions/{session['code']}").status_code == 404


# ---- issue 11: names gone from disk, sockets told ---------------------------------------


def test_an_expired_session_leaves_no_name_on_disk(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    """Planted text is in none of SQLite's files after the purge, the log (-wal) included,
    even after later sessions were written."""
    engine = make_engine(f"sqlite:///{tmp_path / 'duo.db'}")
    SQLModel.metadata.create_all(engine)
    planted = "Qzplanted"
    with TestClient(make_test_app(settings, clock, engine)) as client:
        session = create_session(client, title=f"{planted} titel", agreements=f"{planted} regels")
        code = session["code"]
        person = join(client, code, f"{planted} Anna")
        for path, body in (
            ("messages", {"text": f"{planted} bericht"}),
            ("rounds", {"kind": "checkin", "question": f"{planted} vraag?"}),
        ):
            answer = client.post(
                f"/api/sessions/{code}/{path}", json=body, headers=host_headers(session)
            )
            assert answer.status_code == 201, answer.text
        assert person["id"]
        on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert planted.encode() in on_disk  # it was written
        clock.advance(25 * HOUR)
        assert client.portal.call(services_of(client).expiry.purge_expired) == [code]  # type: ignore[union-attr]
        for i in range(20):
            join(client, create_session(client, title=f"Later {i}")["code"], f"Later {i}")
    engine.dispose()
    for path in tmp_path.iterdir():
        assert planted.encode() not in path.read_bytes(), path.name


def test_the_sockets_of_an_expired_session_are_closed_with_4404(
    client: TestClient, clock: ManualClock
) -> None:
    for purge_by_sweep in (True, False):
        session = create_session(client)
        person = join(client, session["code"], "Anna")
        with connected(client, session["code"], person["token"]) as (ws, _state):
            clock.advance(25 * HOUR)
            if purge_by_sweep:
                client.portal.call(services_of(client).expiry.purge_expired)  # type: ignore[union-attr]
            else:  # purged on first access
                assert client.get(f"/api/sessions/{session['code']}").status_code == 404
            assert expect_close(ws) == 4404
