"""A meeting that ends (issue 18.2): the host closes the session, every client is told, joins
answer 410 and starts 409; with ``erase`` everything of it is deleted at once; a closed
session expires an hour after closing (additive to the contract; see docs/meeting.md)."""

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from app.domain.meeting import SESSION_CLOSED
from app.services.sessions import SESSION_CLOSED_TO_JOINS
from tests.api.test_expiry import assert_purged, rows, session_id
from tests.utils.app import make_test_app, services_of
from tests.utils.factories import (
    bearer,
    connect_all,
    connected,
    create_session,
    db_dump,
    expect_close,
    host_headers,
    join,
    populate,
    receive_state,
    start_breakout,
)

Json = dict[str, Any]
MINUTE = 60_000


def post(client: TestClient, session: Json, path: str, body: Any = None, **headers: str) -> Any:
    sent = headers or host_headers(session)
    return client.post(f"/api/sessions/{session['code']}/{path}", headers=sent, json=body)


def close(client: TestClient, session: Json, erase: bool | None = None) -> Json:
    answer = post(client, session, "close", None if erase is None else {"erase": erase})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def closed(state: Json) -> bool:
    return bool(state["session"]["closed"])


def room(client: TestClient, stack: ExitStack, count: int) -> tuple[Json, list[Json], list[Any]]:
    """A session with ``count`` people online and the host connected (the host's socket last)."""
    session = create_session(client, title="Intervisie")
    people = populate(client, session, count)
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    sockets += connect_all(stack, client, session["code"], [session["host_token"]])
    return session, people, sockets


# ---- closing --------------------------------------------------------------------------------


def test_only_the_host_closes(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    code = session["code"]
    assert client.post(f"/api/sessions/{code}/close").status_code == 401
    assert (
        post(client, session, "close", Authorization=f"Bearer {anna['token']}").status_code == 403
    )
    assert post(client, session, "close", Authorization="Bearer not-the-host").status_code == 403
    unknown = client.post("/api/sessions/ZZZZZZ/close", headers=host_headers(session))
    assert unknown.status_code == 404
    assert post(client, session, "close", {"erase": "yes"}).status_code == 422
    assert client.get(f"/api/sessions/{code}").json()["closed"] is False


def test_every_client_is_told_the_session_closed(client: TestClient, stack: ExitStack) -> None:
    session = create_session(client, title="Team B")
    anna = join(client, session["code"], "Anna")
    ws_anna, first = stack.enter_context(connected(client, session["code"], anna["token"]))
    ws_host, host_first = stack.enter_context(
        connected(client, session["code"], session["host_token"])
    )
    assert not closed(first) and not closed(host_first)
    assert first["session"]["closed_at_ms"] is None

    answer = close(client, session)

    assert answer["erased"] is False and answer["closed_at_ms"] > 0
    for ws in (ws_anna, ws_host):
        state = receive_state(ws, closed)
        assert state["session"]["closed_at_ms"] == answer["closed_at_ms"]
        assert state["session"]["title"] == "Team B"
    # Whoever comes back (a phone that slept) is told at once, and the join page can say so.
    with connected(client, session["code"], anna["token"]) as (_ws, state):
        assert closed(state)
    info = client.get(f"/api/sessions/{session['code']}")
    assert info.status_code == 200 and info.json()["closed"] is True


@pytest.mark.parametrize("running", ["breakout", "checkin", "break"])
def test_closing_ends_whatever_runs(client: TestClient, stack: ExitStack, running: str) -> None:
    session, _people, sockets = room(client, stack, 3)
    host = sockets[-1]
    if running == "breakout":
        start_breakout(client, session)
    elif running == "checkin":
        assert post(client, session, "rounds", {"kind": "checkin", "question": "Hoe?"}).status_code
    else:
        assert post(client, session, "breaks", {"minutes": 10}).status_code == 201
    receive_state(host, lambda s: s["meeting"]["activity"] == running)

    close(client, session)

    for ws in sockets:
        state = receive_state(ws, closed)
        assert state["meeting"]["activity"] == "lobby"
        assert state["meeting"]["round"] is None and state["meeting"]["break"] is None
        if running == "breakout":
            assert state["breakout"]["status"] == "finished"
            assert state["breakout"]["remaining_ms"] == 0


def test_after_closing_joins_answer_410_and_starts_409(
    client: TestClient, stack: ExitStack, engine: Engine
) -> None:
    session, people, _sockets = room(client, stack, 2)
    close(client, session)
    before = db_dump(engine)

    joining = client.post(f"/api/sessions/{session['code']}/participants", json={"name": "Late"})
    assert joining.status_code == 410
    assert joining.json()["detail"] == SESSION_CLOSED_TO_JOINS
    starts = {
        "breakouts": None,
        "rounds": {"kind": "checkout", "question": "Wat neem je mee?"},
        "breaks": {"minutes": 5},
        "messages": {"text": "Nog iets"},
    }
    for path, body in starts.items():
        answer = post(client, session, path, body)
        assert answer.status_code == 409, path
        assert answer.json()["detail"] == SESSION_CLOSED, path
    # Nothing runs, so every control has nothing to act on.
    for path in ("breakouts/current/pause", "rounds/current/next", "breaks/current/end"):
        assert post(client, session, path).status_code == 409, path
    signal = post(
        client,
        session,
        f"participants/{people[0]['id']}/signal",
        {"kind": "help"},
        Authorization=f"Bearer {people[0]['token']}",
    )
    assert signal.status_code == 409
    assert db_dump(engine) == before


def test_closing_a_closed_session_keeps_the_first_close(
    client: TestClient, clock: ManualClock
) -> None:
    session = create_session(client)
    first = close(client, session)
    clock.advance(5 * MINUTE)
    assert close(client, session) == first
    assert close(client, session, erase=False) == first


def test_a_participant_may_still_leave_a_closed_session(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    close(client, session)
    answer = client.delete(
        f"/api/sessions/{session['code']}/participants/{anna['id']}", headers=bearer(anna["token"])
    )
    assert answer.status_code == 204


# ---- erasing ------------------------------------------------------------------------------


def test_erase_deletes_everything_at_once(
    client: TestClient, stack: ExitStack, engine: Engine
) -> None:
    session, people, sockets = room(client, stack, 3)
    start_breakout(client, session)
    assert post(client, session, "messages", {"text": "Tot zo"}).status_code == 201
    other = create_session(client)
    join(client, other["code"], "Stays")
    sid = session_id(engine, session["code"])

    answer = close(client, session, erase=True)

    assert answer["erased"] is True
    for ws in sockets:
        assert expect_close(ws) == 4404
    assert client.get(f"/api/sessions/{session['code']}").status_code == 404
    assert_purged(engine, sid, [p["name"] for p in people])
    for table in ("host_message", "speaking_round", "group_signal"):
        assert rows(engine, f"SELECT * FROM {table} WHERE session_id = :sid", sid=sid) == []
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        ws.send_json({"type": "hello", "token": session["host_token"]})
        assert expect_close(ws) == 4404
    assert post(client, session, "close").status_code == 404
    # Only that session: another one goes on.
    assert [r[0] for r in rows(engine, "SELECT name FROM participant")] == ["Stays"]


def test_a_closed_session_can_be_erased_later_but_not_by_a_participant(
    client: TestClient, engine: Engine
) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    close(client, session)
    refused = post(
        client, session, "close", {"erase": True}, Authorization=f"Bearer {anna['token']}"
    )
    assert refused.status_code == 403
    assert client.get(f"/api/sessions/{session['code']}").status_code == 200
    assert close(client, session, erase=True)["erased"] is True
    assert client.get(f"/api/sessions/{session['code']}").status_code == 404
    assert rows(engine, "SELECT * FROM participant") == []


def test_an_erased_session_leaves_no_name_on_disk(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    """As on expiry (issue 11): planted text is in none of SQLite's files, its log included."""
    engine = make_engine(f"sqlite:///{tmp_path / 'duo.db'}")
    SQLModel.metadata.create_all(engine)
    planted = "Qzerased"
    with TestClient(make_test_app(settings, clock, engine)) as client:
        session = create_session(client, title=f"{planted} titel", agreements=f"{planted} regels")
        join(client, session["code"], f"{planted} Anna")
        assert post(client, session, "messages", {"text": f"{planted} bericht"}).status_code == 201
        assert planted.encode() in b"".join(p.read_bytes() for p in tmp_path.iterdir())
        close(client, session, erase=True)
        for i in range(5):
            join(client, create_session(client, title=f"Later {i}")["code"], f"Later {i}")
    engine.dispose()
    for path in tmp_path.iterdir():
        assert planted.encode() not in path.read_bytes(), path.name


# ---- expiry -------------------------------------------------------------------------------


def test_a_closed_session_expires_an_hour_after_closing(
    client: TestClient, engine: Engine, clock: ManualClock
) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    sid = session_id(engine, session["code"])
    close(client, session)
    clock.advance(59 * MINUTE)
    # Activity after the close (a phone coming back, a look at the session) does not extend it.
    with connected(client, session["code"], anna["token"]) as (_ws, state):
        assert closed(state)
    assert client.get(f"/api/sessions/{session['code']}").status_code == 200
    clock.advance(MINUTE)
    assert client.get(f"/api/sessions/{session['code']}").status_code == 404
    assert_purged(engine, sid, ["Anna"])


def test_the_sweep_deletes_closed_sessions_after_an_hour(
    client: TestClient, engine: Engine, clock: ManualClock
) -> None:
    closing, staying = create_session(client), create_session(client)
    join(client, closing["code"], "Closed")
    join(client, staying["code"], "Open")
    close(client, closing)
    sweep = services_of(client).expiry.purge_expired  # type: ignore[union-attr]
    clock.advance(30 * MINUTE)
    assert client.portal.call(sweep) == []  # type: ignore[union-attr]
    clock.advance(30 * MINUTE)
    assert client.portal.call(sweep) == [closing["code"]]  # type: ignore[union-attr]
    assert [r[0] for r in rows(engine, "SELECT name FROM participant")] == ["Open"]


def test_sockets_of_a_closed_session_close_with_4404_when_it_expires(
    client: TestClient, clock: ManualClock
) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"], anna["token"]) as (ws, _state):
        close(client, session)
        receive_state(ws, closed)
        clock.advance(60 * MINUTE)
        client.portal.call(services_of(client).expiry.purge_expired)  # type: ignore[union-attr]
        assert expect_close(ws) == 4404


def test_nobody_is_asked_for_their_room_once_the_session_is_closed(client: TestClient) -> None:
    """The room question (issue 19) starts nothing in a closed session either, and closing
    ends one that was asked."""
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    assert post(client, session, "room-question", {"rooms": 3}).status_code == 201
    close(client, session)
    answer = client.put(
        f"/api/sessions/{session['code']}/participants/{anna['id']}/room",
        json={"room": 1},
        headers=bearer(anna["token"]),
    )
    assert answer.status_code == 409
    refused = post(client, session, "room-question", {"rooms": 2})
    assert refused.status_code == 409
    assert refused.json()["detail"] == SESSION_CLOSED
    settings = client.patch(
        f"/api/sessions/{session['code']}/settings",
        json={"rooms": "same_room"},
        headers=host_headers(session),
    )
    assert settings.status_code == 409
