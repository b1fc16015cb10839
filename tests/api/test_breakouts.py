"""Breakouts over HTTP: start, numbering, pairing of the online, controls, 401/403/409."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from starlette.testclient import WebSocketTestSession

from app.core.clock import ManualClock
from tests.utils.app import services_of
from tests.utils.factories import (
    Json,
    bearer,
    connect_all,
    connected,
    control,
    create_session,
    db_dump,
    drain,
    expect_close,
    expect_silence,
    host_headers,
    join,
    populate,
    receive_state,
    start_breakout,
)

MINUTE = 60_000
CONTROLS = ("pause", "resume", "extend", "skip", "end")


@dataclass
class Room:
    """A session with participants online and the host's socket open."""

    session: Json
    people: list[Json]
    sockets: list[WebSocketTestSession]
    host: WebSocketTestSession

    @property
    def code(self) -> str:
        return str(self.session["code"])

    @property
    def ids(self) -> set[str]:
        return {p["id"] for p in self.people}


def open_room(client: TestClient, stack: ExitStack, online: int, **fields: Any) -> Room:
    session = create_session(client, **fields)
    people = populate(client, session, online)
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    host = stack.enter_context(connected(client, session["code"], session["host_token"]))[0]
    return Room(session, people, sockets, host)


def current(client: TestClient, session: Json) -> Json:
    """Return the breakout as a fresh host socket sees it now."""
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        return dict(state["breakout"])


def ends(breakout: Json) -> list[int]:
    return [slot["ends_at_ms"] for slot in breakout["slots"]]


def post_control(client: TestClient, session: Json, action: str, seconds: int = 30) -> Any:
    if action == "extend":
        return control(client, session, action, seconds=seconds)
    return control(client, session, action)


# ---- start --------------------------------------------------------------------------------


def test_start_answers_201_with_id_number_and_groups(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 4)
    response = client.post(
        f"/api/sessions/{room.code}/breakouts", headers=host_headers(room.session)
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "number", "groups"}
    assert isinstance(body["id"], str) and body["id"]
    assert body["number"] == 1
    assert sorted(len(g) for g in body["groups"]) == [2, 2]
    assert {pid for g in body["groups"] for pid in g} == room.ids


def test_start_with_a_lower_case_code(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 2)
    response = client.post(
        f"/api/sessions/{room.code.lower()}/breakouts", headers=host_headers(room.session)
    )
    assert response.status_code == 201


def test_breakouts_are_numbered_within_a_session(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 4)
    other = open_room(client, stack, 2)
    numbers = []
    for _ in range(3):
        numbers.append(start_breakout(client, room.session)["number"])
        assert control(client, room.session, "end").status_code == 200
    assert numbers == [1, 2, 3]
    assert start_breakout(client, other.session)["number"] == 1
    # One that finished by itself counts as well.
    clock.advance(10 * MINUTE)
    breakout = start_breakout(client, room.session)
    assert breakout["number"] == 4
    clock.advance(8 * MINUTE)
    receive_state(room.host, lambda s: s["breakout"]["status"] == "finished")
    assert start_breakout(client, room.session)["number"] == 5
    ids = {current(client, room.session)["id"], breakout["id"]}
    assert len(ids) == 2


@pytest.mark.parametrize("online", range(2, 12))
def test_groups_are_duos_and_one_trio_when_odd(
    client: TestClient, stack: ExitStack, online: int
) -> None:
    room = open_room(client, stack, online)
    groups = start_breakout(client, room.session)["groups"]
    sizes = sorted(len(g) for g in groups)
    assert sizes == [2] * (online // 2 - online % 2) + [3] * (online % 2)
    members = [pid for g in groups for pid in g]
    assert len(members) == len(set(members)) == online
    assert set(members) == room.ids


def test_only_online_participants_are_paired(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 4)
    offline = populate(client, room.session, 3, prefix="Off")
    groups = start_breakout(client, room.session)["groups"]
    paired = {pid for g in groups for pid in g}
    assert paired == room.ids
    assert not paired & {p["id"] for p in offline}


def test_a_closed_socket_is_not_online(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 3)
    leaver = join(client, room.code, "Leaver")
    with connected(client, room.code, leaver["token"]):
        receive_state(room.host, lambda s: len([p for p in s["participants"] if p["online"]]) == 4)
    receive_state(room.host, lambda s: len([p for p in s["participants"] if p["online"]]) == 3)
    groups = start_breakout(client, room.session)["groups"]
    assert {pid for g in groups for pid in g} == room.ids


def test_one_of_two_sockets_closed_is_still_online(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 1)
    second = room.people[0]
    with connected(client, room.code, second["token"]):
        pass  # a second tab of the same person, closed again
    other = join(client, room.code, "Other")
    stack.enter_context(connected(client, room.code, other["token"]))
    groups = start_breakout(client, room.session)["groups"]
    assert {pid for g in groups for pid in g} == {second["id"], other["id"]}


def test_a_hello_is_needed_to_be_online(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 1)
    silent = join(client, room.code, "Silent")
    stack.enter_context(client.websocket_connect(f"/ws/{room.code}"))  # no hello
    response = client.post(
        f"/api/sessions/{room.code}/breakouts", headers=host_headers(room.session)
    )
    assert response.status_code == 409
    assert silent["id"] not in response.text


def test_removed_participants_are_not_paired(client: TestClient, stack: ExitStack) -> None:
    room = open_room(client, stack, 3)
    removed = room.people[0]
    client.delete(
        f"/api/sessions/{room.code}/participants/{removed['id']}",
        headers=host_headers(room.session),
    )
    assert expect_close(room.sockets[0]) == 4403
    groups = start_breakout(client, room.session)["groups"]
    assert {pid for g in groups for pid in g} == room.ids - {removed["id"]}


@pytest.mark.parametrize(("joined", "online"), [(0, 0), (1, 1), (2, 1), (5, 0), (5, 1)])
def test_fewer_than_two_online_is_409(
    client: TestClient, engine: Engine, stack: ExitStack, joined: int, online: int
) -> None:
    session = create_session(client)
    people = populate(client, session, joined)
    connect_all(stack, client, session["code"], [p["token"] for p in people[:online]])
    stack.enter_context(connected(client, session["code"], session["host_token"]))
    before = db_dump(engine)
    response = client.post(
        f"/api/sessions/{session['code']}/breakouts", headers=host_headers(session)
    )
    assert response.status_code == 409
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize("paused", [False, True])
def test_start_while_one_runs_is_409(
    client: TestClient, engine: Engine, stack: ExitStack, paused: bool
) -> None:
    room = open_room(client, stack, 4)
    start_breakout(client, room.session)
    if paused:
        assert control(client, room.session, "pause").status_code == 200
    before = db_dump(engine)
    response = client.post(
        f"/api/sessions/{room.code}/breakouts", headers=host_headers(room.session)
    )
    assert response.status_code == 409
    assert response.json()["detail"]
    assert db_dump(engine) == before


def test_start_in_unknown_session_is_404(client: TestClient) -> None:
    session = create_session(client)
    response = client.post("/api/sessions/ZZZZZZZZ/breakouts", headers=host_headers(session))
    assert response.status_code == 404


# ---- authorization ----------------------------------------------------------------------

ENDPOINTS = ("breakouts", *(f"breakouts/current/{action}" for action in CONTROLS))


def _post(client: TestClient, code: str, endpoint: str, headers: dict[str, str]) -> Any:
    body = {"seconds": 30} if endpoint.endswith("extend") else None
    return client.post(f"/api/sessions/{code}/{endpoint}", headers=headers, json=body)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "bearer"],
)
def test_no_host_token_is_401(
    client: TestClient,
    engine: Engine,
    stack: ExitStack,
    endpoint: str,
    authorization: str | None,
) -> None:
    room = open_room(client, stack, 2)
    if endpoint != "breakouts":
        start_breakout(client, room.session)
    before = db_dump(engine)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = _post(client, room.code, endpoint, headers)
    assert response.status_code == 401, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["nonsense", "participant", "other host", "other participant"])
def test_a_wrong_token_is_403(
    client: TestClient, engine: Engine, stack: ExitStack, endpoint: str, who: str
) -> None:
    room = open_room(client, stack, 2)
    other = create_session(client)
    stranger = join(client, other["code"], "Stranger")
    if endpoint != "breakouts":
        start_breakout(client, room.session)
    token = {
        "nonsense": "x" * 43,
        "participant": room.people[0]["token"],
        "other host": other["host_token"],
        "other participant": stranger["token"],
    }[who]
    before = db_dump(engine)
    response = _post(client, room.code, endpoint, bearer(token))
    assert response.status_code == 403, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


# ---- 409 for controls ---------------------------------------------------------------------


@pytest.mark.parametrize("action", CONTROLS)
def test_control_without_a_breakout_is_409(
    client: TestClient, engine: Engine, stack: ExitStack, action: str
) -> None:
    room = open_room(client, stack, 2)
    before = db_dump(engine)
    response = post_control(client, room.session, action)
    assert response.status_code == 409
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize("action", CONTROLS)
@pytest.mark.parametrize("how", ["ended", "ran out", "skipped to the end", "ended while paused"])
def test_control_on_a_finished_breakout_is_409(
    client: TestClient,
    engine: Engine,
    stack: ExitStack,
    clock: ManualClock,
    action: str,
    how: str,
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    if how == "ended":
        assert control(client, room.session, "end").status_code == 200
    elif how == "ran out":
        clock.advance(8 * MINUTE)
        receive_state(room.host, lambda s: s["breakout"]["status"] == "finished")
    elif how == "skipped to the end":
        for _ in range(8):
            assert control(client, room.session, "skip").status_code == 200
    else:
        assert control(client, room.session, "pause").status_code == 200
        assert control(client, room.session, "end").status_code == 200
    assert current(client, room.session)["status"] == "finished"
    before = db_dump(engine)
    response = post_control(client, room.session, action)
    assert response.status_code == 409
    assert response.json()["detail"]
    assert db_dump(engine) == before


def test_a_breakout_past_its_last_slot_is_finished_even_before_the_wake_up(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    # No wake-up: the answers must still follow the clock.
    services_of(client).timers.close()
    clock.advance(8 * MINUTE)
    for action in CONTROLS:
        assert post_control(client, room.session, action).status_code == 409, action
    assert start_breakout(client, room.session)["number"] == 2


def test_pause_while_paused_and_resume_while_running_are_409(
    client: TestClient, engine: Engine, stack: ExitStack
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    before = db_dump(engine)
    assert control(client, room.session, "resume").status_code == 409
    assert db_dump(engine) == before
    assert control(client, room.session, "pause").status_code == 200
    before = db_dump(engine)
    assert control(client, room.session, "pause").status_code == 409
    assert db_dump(engine) == before
    assert control(client, room.session, "resume").status_code == 200


@pytest.mark.parametrize("action", CONTROLS)
def test_control_in_unknown_session_is_404(client: TestClient, action: str) -> None:
    session = create_session(client)
    response = client.post(
        f"/api/sessions/ZZZZZZZZ/breakouts/current/{action}",
        headers=host_headers(session),
        json={"seconds": 30},
    )
    assert response.status_code == 404


# ---- the timeline under controls ------------------------------------------------------------


def test_a_fresh_breakout_plans_every_slot(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 5, phase_seconds=45)
    t0 = clock.now_ms()
    start_breakout(client, room.session)
    breakout = current(client, room.session)
    assert breakout["status"] == "running"
    assert breakout["number"] == 1
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (0, 45_000)
    assert breakout["slots"] == [
        {"starts_at_ms": t0 + i * 45_000, "ends_at_ms": t0 + (i + 1) * 45_000} for i in range(12)
    ]
    clock.advance(100_000)
    breakout = current(client, room.session)
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (2, 35_000)


def test_pause_freezes_and_resume_moves_the_current_and_later_slots(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 2)
    t0 = clock.now_ms()
    start_breakout(client, room.session)
    clock.advance(90_000)  # slot 1, 30 s left
    response = control(client, room.session, "pause")
    assert response.status_code == 200
    paused = receive_state(room.host, lambda s: s["breakout"]["status"] == "paused")["breakout"]
    assert (paused["current_slot"], paused["remaining_ms"]) == (1, 30_000)
    assert ends(paused) == [t0 + (i + 1) * MINUTE for i in range(8)]
    for socket in room.sockets:
        receive_state(socket, lambda s: s["breakout"]["status"] == "paused")
    clock.advance(200_000)  # long past the slot's end: nothing moves while paused
    expect_silence(room.host)
    later = current(client, room.session)
    assert (later["status"], later["current_slot"], later["remaining_ms"]) == ("paused", 1, 30_000)
    assert control(client, room.session, "resume").status_code == 200
    resumed = receive_state(room.host, lambda s: s["breakout"]["status"] == "running")["breakout"]
    assert ends(resumed) == [t0 + MINUTE] + [t0 + (i + 1) * MINUTE + 200_000 for i in range(1, 8)]
    assert (resumed["current_slot"], resumed["remaining_ms"]) == (1, 30_000)


def test_extend_while_running(client: TestClient, stack: ExitStack, clock: ManualClock) -> None:
    room = open_room(client, stack, 2)
    t0 = clock.now_ms()
    start_breakout(client, room.session)
    clock.advance(70_000)  # slot 1, 50 s left
    assert control(client, room.session, "extend", seconds=30).status_code == 200
    breakout = receive_state(room.host, lambda s: ends(s["breakout"])[1] != t0 + 2 * MINUTE)[
        "breakout"
    ]
    assert breakout["status"] == "running"
    assert ends(breakout) == [t0 + MINUTE] + [t0 + (i + 1) * MINUTE + 30_000 for i in range(1, 8)]
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (1, 80_000)
    for socket in room.sockets:
        assert ends(
            receive_state(socket, lambda s: ends(s["breakout"]) == ends(breakout))["breakout"]
        )


@pytest.mark.parametrize("seconds", [1, 600])
def test_extend_limits_are_accepted(client: TestClient, stack: ExitStack, seconds: int) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    before = current(client, room.session)
    assert control(client, room.session, "extend", seconds=seconds).status_code == 200
    after = current(client, room.session)
    assert [b - a for a, b in zip(ends(before), ends(after), strict=True)] == [seconds * 1000] * 8


def test_extend_while_paused_stays_paused(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 2)
    t0 = clock.now_ms()
    start_breakout(client, room.session)
    clock.advance(10_000)
    assert control(client, room.session, "pause").status_code == 200
    clock.advance(50_000)
    assert control(client, room.session, "extend", seconds=30).status_code == 200
    breakout = current(client, room.session)
    assert breakout["status"] == "paused"
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (0, 80_000)
    assert ends(breakout) == [t0 + (i + 1) * MINUTE + 30_000 for i in range(8)]
    clock.advance(20_000)
    assert control(client, room.session, "resume").status_code == 200
    breakout = current(client, room.session)
    assert breakout["status"] == "running"
    assert ends(breakout) == [t0 + (i + 1) * MINUTE + 30_000 + 70_000 for i in range(8)]
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (0, 80_000)


def test_skip_while_running(client: TestClient, stack: ExitStack, clock: ManualClock) -> None:
    room = open_room(client, stack, 2)
    t0 = clock.now_ms()
    start_breakout(client, room.session)
    clock.advance(75_000)  # slot 1, 45 s left
    assert control(client, room.session, "skip").status_code == 200
    breakout = current(client, room.session)
    assert breakout["status"] == "running"
    assert breakout["slots"][1] == {"starts_at_ms": t0 + MINUTE, "ends_at_ms": t0 + 75_000}
    assert breakout["slots"][2] == {"starts_at_ms": t0 + 75_000, "ends_at_ms": t0 + 135_000}
    assert ends(breakout)[3:] == [t0 + (i + 1) * MINUTE - 45_000 for i in range(3, 8)]
    assert ends(breakout)[0] == t0 + MINUTE
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (2, MINUTE)


def test_skip_while_paused_stays_paused(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 2)
    t0 = clock.now_ms()
    start_breakout(client, room.session)
    clock.advance(10_000)
    assert control(client, room.session, "pause").status_code == 200
    clock.advance(100_000)
    assert control(client, room.session, "skip").status_code == 200
    breakout = current(client, room.session)
    assert breakout["status"] == "paused"
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (1, MINUTE)
    assert breakout["slots"][1] == {"starts_at_ms": t0 + 10_000, "ends_at_ms": t0 + 70_000}
    clock.advance(5_000)
    assert control(client, room.session, "resume").status_code == 200
    breakout = current(client, room.session)
    assert breakout["status"] == "running"
    assert (breakout["current_slot"], breakout["remaining_ms"]) == (1, MINUTE)
    assert ends(breakout)[1:] == [t0 + 70_000 + 105_000 + i * MINUTE for i in range(7)]


def test_skipping_the_last_slot_finishes(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    clock.advance(7 * MINUTE + 1_000)
    assert control(client, room.session, "skip").status_code == 200
    breakout = current(client, room.session)
    assert (breakout["status"], breakout["current_slot"], breakout["remaining_ms"]) == (
        "finished",
        8,
        0,
    )
    for socket in room.sockets:
        receive_state(socket, lambda s: s["breakout"]["status"] == "finished")


@pytest.mark.parametrize("paused", [False, True])
def test_end_finishes_for_everyone(
    client: TestClient, stack: ExitStack, clock: ManualClock, paused: bool
) -> None:
    room = open_room(client, stack, 5)
    start_breakout(client, room.session)
    clock.advance(130_000)
    if paused:
        assert control(client, room.session, "pause").status_code == 200
    assert control(client, room.session, "end").status_code == 200
    for socket in [room.host, *room.sockets]:
        state = receive_state(socket, lambda s: s["breakout"]["status"] == "finished")
        assert (state["breakout"]["current_slot"], state["breakout"]["remaining_ms"]) == (12, 0)
        assert len(state["breakout"]["slots"]) == 12


def test_finished_by_itself_and_every_client_is_told(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 4)
    latecomer = join(client, room.code, "Late")
    start_breakout(client, room.session)
    late_ws, late_state = stack.enter_context(connected(client, room.code, latecomer["token"]))
    assert late_state["breakout"]["my_group"] is None
    everyone = [room.host, *room.sockets, late_ws]
    for socket in everyone[:-1]:
        receive_state(socket, lambda s: s["breakout"] is not None and s["participant_count"] == 5)
    for socket in everyone:
        drain(socket)
    clock.advance(MINUTE)
    for socket in everyone:  # no ticks: a slot changing is derived by the clients
        expect_silence(socket, 0.05)
    clock.advance(7 * MINUTE - 1)
    expect_silence(room.host, 0.05)
    clock.advance(1)
    for socket in everyone:
        breakout = receive_state(socket, lambda s: s["breakout"]["status"] == "finished")[
            "breakout"
        ]
        assert (breakout["current_slot"], breakout["remaining_ms"]) == (8, 0)
    assert start_breakout(client, room.session)["number"] == 2


def test_finished_by_itself_after_controls(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    assert control(client, room.session, "extend", seconds=60).status_code == 200
    assert control(client, room.session, "pause").status_code == 200
    receive_state(room.host, lambda s: s["breakout"]["status"] == "paused")
    drain(room.host)
    clock.advance(20 * MINUTE)  # paused: the wake-up must not finish it
    expect_silence(room.host, 0.05)
    assert current(client, room.session)["status"] == "paused"
    assert control(client, room.session, "resume").status_code == 200
    receive_state(room.host, lambda s: s["breakout"]["status"] == "running")
    drain(room.host)
    clock.advance(9 * MINUTE - 1)
    expect_silence(room.host, 0.05)
    clock.advance(1)
    receive_state(room.host, lambda s: s["breakout"]["status"] == "finished")


# ---- extend: bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"seconds": 0},
        {"seconds": -1},
        {"seconds": 601},
        {"seconds": 10**30},
        {"seconds": "30"},
        {"seconds": 30.5},
        {"seconds": True},
        {"seconds": None},
        {"seconds": [30]},
        {},
        {"minutes": 1},
        None,
        [],
        30,
        "30",
    ],
    ids=repr,
)
def test_bad_extend_is_422_and_changes_nothing(
    client: TestClient, engine: Engine, stack: ExitStack, body: Any
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    before = db_dump(engine)
    response = client.post(
        f"/api/sessions/{room.code}/breakouts/current/extend",
        headers=host_headers(room.session),
        json=body,
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize("content", [b"", b"seconds=30", b'{"seconds": 30', b"\xff"])
def test_non_json_extend_is_a_client_error(
    client: TestClient, engine: Engine, stack: ExitStack, content: bytes
) -> None:
    room = open_room(client, stack, 2)
    start_breakout(client, room.session)
    before = db_dump(engine)
    response = client.post(
        f"/api/sessions/{room.code}/breakouts/current/extend",
        headers={**host_headers(room.session), "Content-Type": "application/json"},
        content=content,
    )
    assert response.status_code in ((400, 422) if content == b"\xff" else (422,)), response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize(
    "path", ["breakouts/current/extend", "messages", "rounds", "breaks", "breakouts/current/groups"]
)
def test_the_host_token_is_checked_before_the_body(client: TestClient, path: str) -> None:
    """docs/reliability.md: a stranger learns nothing about bodies (401/403 before 422)."""
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    url = f"/api/sessions/{session['code']}/{path}"
    json_type = {"content-type": "application/json"}
    assert client.post(url, content=b"{", headers=json_type).status_code == 401
    stranger = {**json_type, **bearer(anna["token"])}
    assert client.post(url, content=b"{", headers=stranger).status_code == 403
    host = {**json_type, **host_headers(session)}
    assert client.post(url, content=b"{", headers=host).status_code == 422
