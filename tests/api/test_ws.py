"""The WebSocket ``/ws/{code}``: hello, state, close codes, bad frames, ping/pong, Origin."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from starlette.websockets import WebSocketDisconnect

from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.factories import (
    Json,
    bearer,
    connect_all,
    connected,
    create_session,
    db_dump,
    drain,
    expect_close,
    expect_silence,
    hello,
    host_headers,
    join,
    populate,
    receive,
    receive_raw,
    receive_state,
    start_breakout,
)

MAX_FRAME = 64 * 1024
STATE_KEYS = {"type", "server_ms", "session", "me", "participant_count", "breakout"}
BREAKOUT_KEYS = {"id", "number", "status", "current_slot", "remaining_ms", "slots", "my_group"}


def online_flags(state: Json) -> dict[str, bool]:
    return {p["name"]: p["online"] for p in state["participants"]}


# ---- hello and state ----------------------------------------------------------------------


def test_a_participant_gets_their_state_at_once(client: TestClient, clock: ManualClock) -> None:
    session = create_session(client, title="Intervisie team B", language="en", phase_seconds=90)
    anna = join(client, session["code"], "Anna")
    join(client, session["code"], "Bram")
    with connected(client, session["code"], anna["token"]) as (_ws, state):
        assert set(state) >= STATE_KEYS
        assert "participants" not in state
        assert state["type"] == "state"
        assert state["server_ms"] == clock.now_ms()
        assert (
            state["session"].items()
            >= {
                "code": session["code"],
                "title": "Intervisie team B",
                "language": "en",
                "phase_seconds": 90,
            }.items()
        )
        assert state["me"].items() >= {"id": anna["id"], "name": "Anna", "host": False}.items()
        assert state["participant_count"] == 2
        assert state["breakout"] is None


def test_the_host_gets_everyone(client: TestClient, stack: ExitStack) -> None:
    session = create_session(client)
    people = populate(client, session, 3)
    connect_all(stack, client, session["code"], [people[0]["token"]])
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        assert set(state) >= STATE_KEYS | {"participants"}
        assert state["me"].items() >= {"id": None, "name": None, "host": True}.items()
        assert state["participant_count"] == 3
        assert [p["id"] for p in state["participants"]] == [p["id"] for p in people]
        assert [p["name"] for p in state["participants"]] == ["P000", "P001", "P002"]
        assert [p["online"] for p in state["participants"]] == [True, False, False]
        assert state["breakout"] is None


def test_the_host_sees_every_group_and_no_group_of_its_own(
    client: TestClient, stack: ExitStack
) -> None:
    session = create_session(client)
    people = populate(client, session, 5)
    connect_all(stack, client, session["code"], [p["token"] for p in people])
    started = start_breakout(client, session)
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        breakout = state["breakout"]
        assert set(breakout) >= BREAKOUT_KEYS | {"groups"}
        assert breakout["my_group"] is None
        assert (breakout["id"], breakout["number"]) == (started["id"], 1)
        assert [g["members"] for g in breakout["groups"]] == started["groups"]
        for group in breakout["groups"]:
            assert group["phases"] == [
                {"kind": kind, "teller": teller}
                for teller in group["members"]
                for kind in ("tell", "silence", "question", "answer")
            ]
        assert len(breakout["slots"]) == 12  # one trio


@pytest.mark.parametrize("online", [4, 5])
def test_a_participant_sees_their_own_group(
    client: TestClient, stack: ExitStack, online: int
) -> None:
    session = create_session(client)
    people = populate(client, session, online)
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    groups = start_breakout(client, session)["groups"]
    names = {p["id"]: p["name"] for p in people}
    for person, socket in zip(people, sockets, strict=True):
        state = receive_state(socket, lambda s: s["breakout"] is not None)
        assert "participants" not in state
        breakout = state["breakout"]
        assert set(breakout) >= BREAKOUT_KEYS
        assert "groups" not in breakout
        assert breakout["status"] == "running"
        group = next(g for g in groups if person["id"] in g)
        mine = breakout["my_group"]
        assert [m["id"] for m in mine["members"]] == group
        assert [m["name"] for m in mine["members"]] == [names[pid] for pid in group]
        assert all(m["online"] for m in mine["members"])
        assert len(mine["phases"]) == 4 * len(group)
        for r, teller in enumerate(group):
            assert [p["teller"] for p in mine["phases"][4 * r : 4 * r + 4]] == [teller] * 4
        assert [p["kind"] for p in mine["phases"][:4]] == ["tell", "silence", "question", "answer"]
        assert len(breakout["slots"]) == (12 if online % 2 else 8)


def test_a_lower_case_code_connects(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"].lower(), anna["token"]) as (_ws, state):
        assert state["session"]["code"] == session["code"]


def test_a_participant_state_never_names_another_group(
    client: TestClient, stack: ExitStack
) -> None:
    session = create_session(client)
    names = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India"]
    people = [{**join(client, session["code"], n), "name": n} for n in names]
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    groups = start_breakout(client, session)["groups"]
    by_id = {p["id"]: p for p in people}
    for person, socket in zip(people, sockets, strict=True):
        for _ in range(10):
            text = receive_raw(socket)["text"]
            if json.loads(text)["breakout"] is not None:
                break
        group = next(g for g in groups if person["id"] in g)
        for other in people:
            if other["id"] in group:
                assert other["name"] in text
            else:
                assert other["name"] not in text
                assert other["id"] not in text
                assert other["token"] not in text
        assert session["host_token"] not in text
        assert set(group) == {pid for pid in by_id if by_id[pid]["name"] in text}


def participant_state_text(client: TestClient, size: int) -> str:
    """Return the raw breakout state of one participant of a session of ``size`` people."""
    with ExitStack() as stack:
        session = create_session(client, title="Same title")
        people = populate(client, session, size)
        sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
        start_breakout(client, session)
        for _ in range(10):
            text = str(receive_raw(sockets[0])["text"])
            if json.loads(text)["breakout"] is not None:
                return text
    raise AssertionError("no breakout state")


def test_a_participant_state_does_not_grow_with_the_session(client: TestClient) -> None:
    small = participant_state_text(client, 4)
    large = participant_state_text(client, 40)
    assert json.loads(small)["participant_count"] == 4
    assert json.loads(large)["participant_count"] == 40
    # Only the digits of the count, of its floor (40 and 4 are their own) and of the group's
    # index and room differ: names and ids have equal lengths, both are in a duo.
    groups = [json.loads(text)["breakout"]["my_group"] for text in (small, large)]
    digits = sum(len(str(groups[1][key])) - len(str(groups[0][key])) for key in ("index", "room"))
    assert len(large.encode()) - len(small.encode()) == 2 * (len("40") - len("4")) + digits


def test_my_group_is_null_for_a_latecomer(client: TestClient, stack: ExitStack) -> None:
    session = create_session(client)
    people = populate(client, session, 2)
    connect_all(stack, client, session["code"], [p["token"] for p in people])
    offline = join(client, session["code"], "Offline")
    start_breakout(client, session)
    late = join(client, session["code"], "Late")
    for person in (late, offline):
        with connected(client, session["code"], person["token"]) as (_ws, state):
            assert state["breakout"]["status"] == "running"
            assert state["breakout"]["my_group"] is None
            assert state["breakout"]["current_slot"] == 0
            assert len(state["breakout"]["slots"]) == 8


def test_online_flags_follow_the_sockets(client: TestClient, stack: ExitStack) -> None:
    session = create_session(client)
    code = session["code"]
    anna, bram = join(client, code, "Anna"), join(client, code, "Bram")
    host = stack.enter_context(connected(client, code, session["host_token"]))[0]
    anna_ws = stack.enter_context(connected(client, code, anna["token"]))[0]
    receive_state(host, lambda s: online_flags(s) == {"Anna": True, "Bram": False})
    with connected(client, code, bram["token"]):
        receive_state(host, lambda s: online_flags(s) == {"Anna": True, "Bram": True})
        start_breakout(client, session)
        state = receive_state(anna_ws, lambda s: s["breakout"] is not None)
        assert {m["name"]: m["online"] for m in state["breakout"]["my_group"]["members"]} == {
            "Anna": True,
            "Bram": True,
        }
    receive_state(host, lambda s: online_flags(s) == {"Anna": True, "Bram": False})
    state = receive_state(
        anna_ws,
        lambda s: not all(m["online"] for m in s["breakout"]["my_group"]["members"]),
    )
    assert {m["name"]: m["online"] for m in state["breakout"]["my_group"]["members"]} == {
        "Anna": True,
        "Bram": False,
    }
    host_state = receive_state(host, lambda s: True) if drain(host) else None
    assert host_state is None or online_flags(host_state)["Bram"] is False
    with connected(client, code, bram["token"]) as (_ws, state):
        assert {m["name"]: m["online"] for m in state["breakout"]["my_group"]["members"]} == {
            "Anna": True,
            "Bram": True,
        }
        receive_state(
            anna_ws, lambda s: all(m["online"] for m in s["breakout"]["my_group"]["members"])
        )


def test_after_a_burst_of_changes_everyone_has_the_newest_state(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session = create_session(client)
    code = session["code"]
    people = populate(client, session, 4)
    sockets = connect_all(stack, client, code, [p["token"] for p in people])
    host = stack.enter_context(connected(client, code, session["host_token"]))[0]
    start_breakout(client, session)
    headers = host_headers(session)
    for action, body in (
        ("pause", None),
        ("extend", {"seconds": 10}),
        ("skip", None),
        ("resume", None),
        ("extend", {"seconds": 5}),
    ):
        clock.advance(1_000)
        response = client.post(
            f"/api/sessions/{code}/breakouts/current/{action}", headers=headers, json=body
        )
        assert response.status_code == 200, action
    populate(client, session, 3, prefix="New")
    with connected(client, code, session["host_token"]) as (_ws, fresh):
        newest = fresh["breakout"]
    for socket in [host, *sockets]:
        states = [m for m in drain(socket) if m["type"] == "state"]
        assert states, "no state after the changes"
        last = states[-1]
        assert last["participant_count"] == 7
        assert last["breakout"]["slots"] == newest["slots"]
        assert last["breakout"]["status"] == newest["status"] == "running"
        assert last["breakout"]["current_slot"] == newest["current_slot"] == 1


def test_two_sockets_of_one_person_keep_them_online(client: TestClient, stack: ExitStack) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    host = stack.enter_context(connected(client, session["code"], session["host_token"]))[0]
    stack.enter_context(connected(client, session["code"], anna["token"]))
    receive_state(host, lambda s: online_flags(s) == {"Anna": True})
    with connected(client, session["code"], anna["token"]):
        pass
    drain(host)
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        assert online_flags(state) == {"Anna": True}


def test_no_ticks_only_changes(client: TestClient, stack: ExitStack, clock: ManualClock) -> None:
    session = create_session(client)
    people = populate(client, session, 2)
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    start_breakout(client, session)
    for socket in sockets:
        receive_state(socket, lambda s: s["breakout"] is not None)
        drain(socket)
    for _ in range(3):
        clock.advance(1_000)
    clock.advance(60_000)  # a slot changes: clients derive that from the deadlines
    for socket in sockets:
        expect_silence(socket, 0.05)


# ---- tokens and sessions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "hello"},
        {"type": "hello", "token": None},
        {"type": "hello", "token": ""},
        {"type": "hello", "token": 123},
        {"type": "hello", "token": ["x"]},
        {"type": "hello", "token": {"t": "x"}},
        {"type": "hello", "token": "nonsense"},
        {"type": "hello", "token": "x" * 10_000},
        {"type": "hello", "token": "other participant"},
        {"type": "hello", "token": "other host"},
        '{"type": "hello", "token": "\\ud800"}',
    ],
    ids=repr,
)
def test_a_bad_token_closes_with_4401(client: TestClient, engine: Engine, frame: Any) -> None:
    session = create_session(client)
    join(client, session["code"], "Anna")
    other = create_session(client)
    stranger = join(client, other["code"], "Stranger")
    if isinstance(frame, dict) and frame.get("token") == "other participant":
        frame = {**frame, "token": stranger["token"]}
    if isinstance(frame, dict) and frame.get("token") == "other host":
        frame = {**frame, "token": other["host_token"]}
    before = db_dump(engine)
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        ws.send_text(frame if isinstance(frame, str) else json.dumps(frame))
        assert expect_close(ws) == 4401
    assert db_dump(engine) == before


def test_no_hello_in_time_closes_with_4401(client: TestClient, settings: Settings) -> None:
    settings.hello_timeout_seconds = 0.2
    session = create_session(client)
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        assert expect_close(ws, timeout=2) == 4401  # a silent socket


@pytest.mark.parametrize("token", ["participant", "host", "nonsense", None])
@pytest.mark.parametrize("code", ["ZZZZZZZZ", "O0O0O0O0", "abc", "A" * 300])
def test_an_unknown_session_closes_with_4404(
    client: TestClient, token: str | None, code: str
) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    value = {"participant": anna["token"], "host": session["host_token"]}.get(token or "", token)
    with client.websocket_connect(f"/ws/{code}") as ws:
        ws.send_json({"type": "hello", "token": value})
        assert expect_close(ws) == 4404


def test_an_unknown_session_without_hello_closes_with_4404(
    client: TestClient, settings: Settings
) -> None:
    settings.hello_timeout_seconds = 0.2
    with client.websocket_connect("/ws/ZZZZZZZZ") as ws:
        assert expect_close(ws) == 4404


@pytest.mark.parametrize("by", ["self", "host"])
def test_delete_closes_every_socket_with_4403(
    client: TestClient, stack: ExitStack, by: str
) -> None:
    session = create_session(client)
    code = session["code"]
    anna, bram = join(client, code, "Anna"), join(client, code, "Bram")
    first = stack.enter_context(connected(client, code, anna["token"]))[0]
    second = stack.enter_context(connected(client, code, anna["token"]))[0]
    bram_ws = stack.enter_context(connected(client, code, bram["token"]))[0]
    headers = bearer(anna["token"]) if by == "self" else host_headers(session)
    response = client.delete(f"/api/sessions/{code}/participants/{anna['id']}", headers=headers)
    assert response.status_code == 204
    assert expect_close(first) == 4403
    assert expect_close(second) == 4403
    assert receive_state(bram_ws, lambda s: s["participant_count"] == 1)
    with client.websocket_connect(f"/ws/{code}") as ws:
        ws.send_json({"type": "hello", "token": anna["token"]})
        assert expect_close(ws) == 4401
    again = client.delete(
        f"/api/sessions/{code}/participants/{anna['id']}", headers=bearer(anna["token"])
    )
    assert again.status_code == 403
    with connected(client, code, session["host_token"]) as (_ws, state):
        assert [p["name"] for p in state["participants"]] == ["Bram"]


def test_removal_during_a_breakout(client: TestClient, stack: ExitStack) -> None:
    session = create_session(client)
    code = session["code"]
    people = populate(client, session, 4)
    sockets = connect_all(stack, client, code, [p["token"] for p in people])
    start_breakout(client, session)
    response = client.delete(
        f"/api/sessions/{code}/participants/{people[0]['id']}", headers=host_headers(session)
    )
    assert response.status_code == 204
    assert expect_close(sockets[0]) == 4403
    for socket in sockets[1:]:
        receive_state(socket, lambda s: s["participant_count"] == 3)


# ---- frames -------------------------------------------------------------------------------


@pytest.mark.parametrize("said_hello", [False, True])
@pytest.mark.parametrize("binary", [False, True])
def test_a_frame_over_64_kib_closes_with_1009(
    client: TestClient, said_hello: bool, binary: bool
) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        if said_hello:
            hello(ws, anna["token"])
        payload = json.dumps({"type": "ping", "client_ms": 1, "pad": "x" * MAX_FRAME})
        if binary:
            ws.send_bytes(payload.encode())
        else:
            ws.send_text(payload)
        assert expect_close(ws) == 1009


def test_a_frame_of_exactly_64_kib_is_read(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"], anna["token"]) as (ws, _state):
        frame = json.dumps({"type": "ping", "client_ms": 7, "pad": ""})
        frame = frame[:-2] + "x" * (MAX_FRAME - len(frame)) + '"}'
        assert len(frame.encode()) == MAX_FRAME
        ws.send_text(frame)
        assert receive(ws) == {"type": "pong", "client_ms": 7, "server_ms": receive_time(client)}


def receive_time(client: TestClient) -> int:
    return int(client.get("/api/time").json()["server_ms"])


def test_a_multibyte_frame_is_measured_in_bytes(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"], anna["token"]) as (ws, _state):
        ws.send_text(
            json.dumps({"type": "ping", "pad": "é" * (MAX_FRAME // 2)}, ensure_ascii=False)
        )
        assert expect_close(ws) == 1009


BAD_FRAMES: list[str | bytes] = [
    b'{"type": "ping", "client_ms": 1}',
    b"\x00\xff",
    "not json",
    "",
    "{",
    "[]",
    '"hello"',
    "42",
    "null",
    "true",
    "{}",
    '{"type": 5}',
    '{"type": null}',
    '{"type": ["ping"]}',
    '{"kind": "ping"}',
    '{"type": "dance"}',
    '{"type": "PING", "client_ms": 1}',
    '{"type": "state"}',
    '{"type": "' + "x" * 1000 + '"}',
    '{"type": "ping"}',
    '{"type": "ping", "client_ms": "5"}',
    '{"type": "ping", "client_ms": true}',
    '{"type": "ping", "client_ms": null}',
    '{"type": "ping", "client_ms": [1]}',
    '{"type": "ping", "client_ms": NaN}',
    '{"type": "ping", "client_ms": Infinity}',
    '{"type": "ping", "client_ms": -Infinity}',
    '{"type": "ping", "client_ms": 1e999}',
    '{"type": "ping", "client_ms": 1' + "0" * 5000 + "}",
    "[" * 30_000 + "]" * 30_000,  # deep, but under 64 KiB
    '{"type": "\\ud800"}',
]


def assert_error_then_alive(ws: Any) -> None:
    message = receive(ws)
    assert message["type"] == "error", message
    assert isinstance(message["detail"], str) and message["detail"]
    ws.send_json({"type": "ping", "client_ms": 42})
    pong = receive_until_pong(ws)
    assert pong["client_ms"] == 42


def receive_until_pong(ws: Any) -> Json:
    for _ in range(10):
        message = receive(ws)
        if message["type"] == "pong":
            return message
    raise AssertionError("no pong")


@pytest.mark.parametrize("frame", BAD_FRAMES, ids=lambda f: repr(f)[:40])
def test_a_frame_the_server_cannot_use_is_an_error_and_the_socket_stays(
    client: TestClient, engine: Engine, frame: str | bytes
) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"], anna["token"]) as (ws, _state):
        before = db_dump(engine)
        if isinstance(frame, bytes):
            ws.send_bytes(frame)
        else:
            ws.send_text(frame)
        assert_error_then_alive(ws)
        assert db_dump(engine) == before


@pytest.mark.parametrize(
    "frame", [*BAD_FRAMES, '{"type": "ping", "client_ms": 1}'], ids=lambda f: repr(f)[:40]
)
def test_a_first_frame_that_is_no_hello_is_answered_and_closes_with_4401(
    client: TestClient, frame: str | bytes
) -> None:
    """Nothing but a hello is taken before hello (issue 11: the time before hello was
    unmetered): the client hears why, the socket closes as for a missing token, and a new
    socket that says hello works."""
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        if isinstance(frame, bytes):
            ws.send_bytes(frame)
        else:
            ws.send_text(frame)
        message = receive(ws)
        assert message["type"] == "error", message
        assert isinstance(message["detail"], str) and message["detail"]
        assert expect_close(ws) == 4401
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        assert hello(ws, anna["token"])["type"] == "state"


def test_a_second_hello_is_an_error(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"], anna["token"]) as (ws, _state):
        ws.send_json({"type": "hello", "token": anna["token"]})
        assert_error_then_alive(ws)


# ---- ping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("client_ms", [0, 1, 1_764_380_000_123, 12.5, -3, 2**53, 10**400])
def test_ping_is_answered_with_pong(
    client: TestClient, clock: ManualClock, client_ms: int | float
) -> None:
    session = create_session(client)
    with connected(client, session["code"], session["host_token"]) as (ws, _state):
        ws.send_json({"type": "ping", "client_ms": client_ms})
        assert receive(ws) == {"type": "pong", "client_ms": client_ms, "server_ms": clock.now_ms()}
        clock.advance(1_234)
        ws.send_json({"type": "ping", "client_ms": client_ms})
        assert receive(ws)["server_ms"] == clock.now_ms()


def test_many_pings_are_all_answered(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    with connected(client, session["code"], anna["token"]) as (ws, _state):
        for i in range(20):
            ws.send_json({"type": "ping", "client_ms": i})
        assert [receive(ws)["client_ms"] for _ in range(20)] == list(range(20))


# ---- Origin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "https://evil.example",
        "null",
        "http://testserver.evil.example",
        "http://testserver:8080",
        "http://evil.example/http://testserver",
        "",
    ],
)
def test_a_foreign_origin_is_refused(client: TestClient, origin: str) -> None:
    session = create_session(client)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/ws/{session['code']}", headers={"origin": origin}) as ws,
    ):
        hello(ws, session["host_token"])


@pytest.mark.parametrize("origin", ["http://testserver", "https://testserver", "HTTP://TESTSERVER"])
def test_the_own_origin_is_accepted(client: TestClient, origin: str) -> None:
    session = create_session(client)
    with connected(client, session["code"], session["host_token"], headers={"origin": origin}) as (
        _ws,
        state,
    ):
        assert state["type"] == "state"


def test_an_allowed_origin_is_accepted(client: TestClient, settings: Settings) -> None:
    settings.allowed_origins = "https://duo.example.org, http://localhost:5173/"
    session = create_session(client)
    for origin in ("https://duo.example.org", "http://localhost:5173"):
        with connected(
            client, session["code"], session["host_token"], headers={"origin": origin}
        ) as (_ws, state):
            assert state["type"] == "state"
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(
            f"/ws/{session['code']}", headers={"origin": "https://other.example.org"}
        ),
    ):
        pass
