"""Someone guessing session codes learns nothing faster than the miss limit allows: once an
address asked for too many unknown codes, a code that exists answers just as an unknown one
does (429 over HTTP, 1008 on the WebSocket) until the minute is over, unless the call holds a
valid token of that session (whoever holds one knows the code: a colleague behind the same
address, issue 20). The WebSocket counts its misses too, so it is no way around the limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app, services_of
from tests.utils.factories import (
    bearer,
    control,
    create_session,
    expect_close,
    hold_rate_windows,
    host_headers,
    join,
    receive,
)

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
    for code, token in ((known, "not-a-token"), (unknown(9), session["host_token"])):
        with guarded.websocket_connect(f"/ws/{code}") as ws:
            ws.send_json({"type": "hello", "token": token})
            assert expect_close(ws) == 1008
    with guarded.websocket_connect(f"/ws/{known}") as ws:  # the host's own token: in
        ws.send_json({"type": "hello", "token": session["host_token"]})
        assert receive(ws)["type"] == "state"


def test_websocket_misses_count_towards_the_limit(guarded: TestClient) -> None:
    session = create_session(guarded)
    anna = join(guarded, session["code"], "Anna")
    for i in range(LIMIT):
        with guarded.websocket_connect(f"/ws/{unknown(i)}") as ws:
            ws.send_json({"type": "hello", "token": "x"})
            assert expect_close(ws) == 4404
    with guarded.websocket_connect(f"/ws/{unknown(9)}") as ws:
        ws.send_json({"type": "hello", "token": anna["token"]})
        assert expect_close(ws) == 1008
    assert guarded.get(f"/api/sessions/{session['code']}").status_code == 429


def test_everyone_behind_one_address_keeps_going_while_one_of_them_mistypes(
    clock: ManualClock, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An office: 20 participants and the host behind one address. One of them mistypes a
    code more often than the miss limit allows: the others reconnect with their tokens, raise
    their signals (counted per participant), and the host keeps control."""
    hold_rate_windows(monkeypatch)
    settings = Settings(fold_ms=1, misses_per_minute=LIMIT, signals_per_minute=2, _env_file=None)
    with TestClient(make_test_app(settings, clock, engine)) as office:
        session = create_session(office)
        code, host = session["code"], host_headers(session)
        people = [join(office, code, f"Collega {n}") for n in range(20)]
        for person in people:  # online for the breakout
            services_of(office).hub.presence.add(code, person["id"])  # type: ignore[attr-defined]
        assert office.post(f"/api/sessions/{code}/breakouts", headers=host).status_code == 201
        for i in range(LIMIT + 2):  # someone mistypes
            office.get(f"/api/sessions/{unknown(i)}")
        assert office.get(f"/api/sessions/{code}").status_code == 429  # no token: guessing
        for person in people:
            with office.websocket_connect(f"/ws/{code}") as ws:
                ws.send_json({"type": "hello", "token": person["token"]})
                assert receive(ws)["type"] == "state"
            raised = office.post(
                f"/api/sessions/{code}/participants/{person['id']}/signal",
                headers=bearer(person["token"]),
                json={"kind": "help"},
            )
            assert raised.status_code == 201, raised.text
        assert control(office, session, "pause").status_code == 200
        again = [
            office.post(
                f"/api/sessions/{code}/participants/{people[0]['id']}/signal",
                headers=bearer(people[0]["token"]),
                json={"kind": "done"},
            ).status_code
            for _ in range(2)
        ]
        assert again == [201, 429]  # the limit is the participant's own
