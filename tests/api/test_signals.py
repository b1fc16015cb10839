"""A group's signal to the host (done early, help needed) over HTTP and WebSocket."""

from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app
from tests.utils.factories import (
    bearer,
    connect_all,
    connected,
    control,
    create_session,
    hold_rate_windows,
    host_headers,
    join,
    populate,
    receive_state,
    start_breakout,
)

Json = dict[str, Any]


def raise_(client: TestClient, session: Json, person: Json, kind: Any, token: Any = None) -> Any:
    headers = bearer(token if token is not None else person["token"]) if token != "" else {}
    return client.post(
        f"/api/sessions/{session['code']}/participants/{person['id']}/signal",
        headers=headers,
        json={"kind": kind},
    )


def clear(client: TestClient, session: Json, index: int, headers: Any = None) -> Any:
    return client.delete(
        f"/api/sessions/{session['code']}/breakouts/current/groups/{index}/signal",
        headers=host_headers(session) if headers is None else headers,
    )


def running(client: TestClient, stack: ExitStack, count: int) -> tuple[Json, list[Json], Any]:
    session = create_session(client)
    people = populate(client, session, count)
    connect_all(stack, client, session["code"], [p["token"] for p in people])
    host = stack.enter_context(connected(client, session["code"], session["host_token"]))[0]
    start_breakout(client, session)
    return session, people, host


def group_index(state: Json, person_id: str) -> int:
    groups = state["breakout"]["groups"]
    return next(i for i, g in enumerate(groups) if person_id in g["members"])


def test_a_signal_reaches_the_host_and_the_group_and_the_host_clears_it(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, people, host = running(client, stack, 4)
    anna = people[0]
    answer = raise_(client, session, anna, "help")
    assert answer.status_code == 201, answer.text
    raised = answer.json()
    assert raised["kind"] == "help" and raised["raised_at_ms"] == clock.now_ms()
    state = receive_state(host, lambda s: any(g["signal"] for g in s["breakout"]["groups"]))
    index = group_index(state, anna["id"])
    assert raised["group"] == index
    signal = state["breakout"]["groups"][index]["signal"]
    assert signal == {
        "kind": "help",
        "by": anna["id"],
        "raised_at_ms": clock.now_ms(),
        "seen_at_ms": None,
    }
    others = [g["signal"] for i, g in enumerate(state["breakout"]["groups"]) if i != index]
    assert others == [None]
    partner = next(m for m in state["breakout"]["groups"][index]["members"] if m != anna["id"])
    token = next(p["token"] for p in people if p["id"] == partner)
    with connected(client, session["code"], token) as (_ws, mine):
        assert mine["breakout"]["my_group"]["signal"]["kind"] == "help"

    clock.advance(5_000)
    assert clear(client, session, index).json() == {"status": "ok"}
    state = receive_state(host, lambda s: s["breakout"]["groups"][index]["signal"]["seen_at_ms"])
    assert state["breakout"]["groups"][index]["signal"]["seen_at_ms"] == clock.now_ms()
    # Seen already: nothing left to clear.
    assert clear(client, session, index).status_code == 409


def test_done_then_help_shows_the_newest_and_a_second_tap_keeps_the_time(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, (anna, *_rest), host = running(client, stack, 2)
    first = raise_(client, session, anna, "done").json()
    clock.advance(1_000)
    assert raise_(client, session, anna, "done").json() == first
    clock.advance(1_000)
    assert raise_(client, session, anna, "help").json()["raised_at_ms"] == clock.now_ms()
    state = receive_state(
        host, lambda s: (s["breakout"]["groups"][0]["signal"] or {}).get("kind") == "help"
    )
    assert state["breakout"]["groups"][0]["signal"]["raised_at_ms"] == clock.now_ms()


def test_who_may_raise_a_signal_and_when(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session = create_session(client)
    anna, bram, cas = (join(client, session["code"], n) for n in ("Anna", "Bram", "Cas"))
    connect_all(stack, client, session["code"], [anna["token"], bram["token"]])
    # No breakout yet.
    assert raise_(client, session, anna, "done").status_code == 409
    start_breakout(client, session)
    assert raise_(client, session, anna, "help", token="").status_code == 401
    assert raise_(client, session, anna, "help", token=bram["token"]).status_code == 403
    assert raise_(client, session, anna, "help", token=session["host_token"]).status_code == 403
    # Cas was offline at the start: in no group.
    assert raise_(client, session, cas, "help").status_code == 409
    assert raise_(client, session, anna, "shout").status_code == 422
    assert raise_(client, session, {**anna, "id": "p_nobody"}, "help").status_code == 404
    assert raise_(client, {"code": "ZZZZZZ"}, anna, "help").status_code == 404
    assert raise_(client, session, anna, "help").status_code == 201
    # Paused: still a breakout under way.
    assert control(client, session, "pause").status_code == 200
    assert raise_(client, session, anna, "done").status_code == 201
    assert control(client, session, "end").status_code == 200
    assert raise_(client, session, anna, "done").status_code == 409
    assert clear(client, session, 0).status_code == 409


def test_only_the_host_clears_and_only_a_group_that_exists(
    client: TestClient, stack: ExitStack
) -> None:
    session, (anna, bram), _host = running(client, stack, 2)
    assert clear(client, session, 0).status_code == 409  # nothing raised yet
    raise_(client, session, anna, "help")
    assert clear(client, session, 0, headers={}).status_code == 401
    assert clear(client, session, 0, headers=bearer(bram["token"])).status_code == 403
    assert clear(client, session, 5).status_code == 409
    assert clear(client, session, 0).status_code == 200


def test_a_new_breakout_starts_without_signals(client: TestClient, stack: ExitStack) -> None:
    session, (anna, _bram), host = running(client, stack, 2)
    raise_(client, session, anna, "done")
    control(client, session, "end")
    start_breakout(client, session)
    state = receive_state(host, lambda s: s["breakout"]["number"] == 2)
    assert [g["signal"] for g in state["breakout"]["groups"]] == [None]


def test_signals_are_rate_limited(
    clock: ManualClock, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_rate_windows(monkeypatch)
    settings = Settings(fold_ms=1, signals_per_minute=3, _env_file=None)
    with TestClient(make_test_app(settings, clock, engine)) as strict, ExitStack() as sockets:
        session, (anna, _bram), _host = running(strict, sockets, 2)
        answers = [raise_(strict, session, anna, "help").status_code for _ in range(4)]
        assert answers == [201, 201, 201, 429]
