"""The meeting around the breakout over HTTP and WebSocket: agreements, rounds, messages,
breaks and late joiners (additive to the contract; see docs/meeting.md)."""

from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.clock import ManualClock
from tests.utils.factories import (
    bearer,
    connect_all,
    connected,
    create_session,
    db_dump,
    host_headers,
    join,
    populate,
    receive_state,
    start_breakout,
)

Json = dict[str, Any]
MINUTE = 60_000


def room(
    client: TestClient, stack: ExitStack, count: int, **fields: Any
) -> tuple[Json, list[Json], list[Any], Any]:
    session = create_session(client, **fields)
    people = populate(client, session, count)
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    host = stack.enter_context(connected(client, session["code"], session["host_token"]))[0]
    return session, people, sockets, host


def post(
    client: TestClient, session: Json, path: str, body: Any = None, token: str | None = None
) -> Any:
    headers = bearer(token) if token else host_headers(session)
    return client.post(f"/api/sessions/{session['code']}/{path}", headers=headers, json=body)


def meeting(ws: Any, predicate: Any) -> Json:
    return dict(receive_state(ws, lambda s: predicate(s["meeting"]))["meeting"])


def test_agreements_default_to_the_seed_and_can_be_written_by_the_host(client: TestClient) -> None:
    session = create_session(client)
    person = join(client, session["code"], "Anna")
    with connected(client, session["code"], person["token"]) as (_ws, state):
        assert "blijft hier" in state["meeting"]["agreements"]
        assert state["me"]["agreed"] is False
    custom = create_session(client, language="en", agreements="Be kind.\nPhones away.")
    person = join(client, custom["code"], "Bram")
    with connected(client, custom["code"], person["token"]) as (_ws, state):
        assert state["meeting"]["agreements"] == "Be kind.\nPhones away."


def test_only_the_participant_confirms_the_agreements(client: TestClient) -> None:
    session = create_session(client)
    anna, bram = join(client, session["code"], "Anna"), join(client, session["code"], "Bram")
    path = f"participants/{anna['id']}/agreement"
    assert post(client, session, path, token=bram["token"]).status_code == 403
    assert client.post(f"/api/sessions/{session['code']}/{path}").status_code == 401
    assert post(client, session, path, token=anna["token"]).status_code == 204
    with connected(client, session["code"], anna["token"]) as (_ws, state):
        assert state["me"]["agreed"] is True
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        agreed = {p["id"]: p["agreed"] for p in state["participants"]}
        assert agreed == {anna["id"]: True, bram["id"]: False}


def test_check_in_round_host_first_then_online_people_then_late_joiners(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, people, sockets, host = room(client, stack, 3)
    offline = join(client, session["code"], "Offline")
    started = post(
        client,
        session,
        "rounds",
        {"kind": "checkin", "question": "Waar ben je trots op?", "seconds_per_speaker": 60},
    )
    assert started.status_code == 201 and started.json()["speakers"] == 4
    view = meeting(host, lambda m: m["round"] is not None)
    assert view["activity"] == "checkin"
    order = [s["id"] for s in view["round"]["order"]]
    assert order[0] == "host" and sorted(order[1:]) == sorted(p["id"] for p in people)
    assert offline["id"] not in order
    assert view["round"]["turn_ends_at_ms"] == clock.now_ms() + 60_000

    late = join(client, session["code"], "Late")
    view = meeting(host, lambda m: m["round"]["size"] == 5)
    assert view["round"]["order"][-1]["id"] == late["id"]

    assert post(client, session, "rounds", {"kind": "checkout", "question": "Q"}).status_code == 409
    clock.advance(10_000)
    assert post(client, session, "rounds/current/next").status_code == 200
    first = order[1]
    speaker_socket = sockets[[p["id"] for p in people].index(first)]
    mine = meeting(speaker_socket, lambda m: m["round"] and m["round"]["speaker"]["id"] == first)
    assert mine["round"]["turn_started_at_ms"] == clock.now_ms()
    assert mine["round"]["next"]["id"] == order[2]
    for _ in range(4):
        assert post(client, session, "rounds/current/next").status_code == 200
    assert post(client, session, "rounds/current/next").status_code == 409
    assert meeting(host, lambda m: m["round"] is None)["activity"] == "lobby"


def test_round_input_is_checked(client: TestClient) -> None:
    session = create_session(client)
    for body in (
        {"kind": "other", "question": "Q"},
        {"kind": "checkin", "question": ""},
        {"kind": "checkin", "question": "x" * 201},
        {"kind": "checkin", "question": "a\x00"},
        {"kind": "checkin", "question": "Q", "seconds_per_speaker": 5},
    ):
        answer = post(client, session, "rounds", body)
        assert answer.status_code == 422 and answer.json()["detail"]
    assert post(client, session, "rounds/current/next").status_code == 409
    assert post(client, session, "rounds/current/end").status_code == 409
    other = join(client, session["code"], "Anna")
    assert (
        post(
            client, session, "rounds", {"kind": "checkin", "question": "Q"}, token=other["token"]
        ).status_code
        == 403
    )


def test_messages_reach_everyone_and_are_kept(client: TestClient, stack: ExitStack) -> None:
    session, people, sockets, host = room(client, stack, 2)
    sent = post(client, session, "messages", {"text": "  Nog 5 minuten <b>!</b>  "})
    assert sent.status_code == 201 and sent.json()["text"] == "Nog 5 minuten <b>!</b>"
    for ws in [*sockets, host]:
        assert (
            meeting(ws, lambda m: m["messages"])["messages"][-1]["text"] == "Nog 5 minuten <b>!</b>"
        )
    with connected(client, session["code"], people[0]["token"]) as (_ws, state):
        assert [m["text"] for m in state["meeting"]["messages"]] == ["Nog 5 minuten <b>!</b>"]
    for text in ("", " ", "x" * 281, "bell\x07"):
        assert post(client, session, "messages", {"text": text}).status_code == 422
    assert (
        post(client, session, "messages", {"text": "hi"}, token=people[0]["token"]).status_code
        == 403
    )


def test_break_counts_down_everywhere_and_can_end_early(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, _people, sockets, _host = room(client, stack, 2)
    started = post(client, session, "breaks", {"minutes": 5, "energizer": "yoga"})
    assert started.status_code == 201
    view = meeting(sockets[0], lambda m: m["break"] is not None)
    assert view["activity"] == "break"
    assert view["break"] == {
        "started_at_ms": clock.now_ms(),
        "ends_at_ms": clock.now_ms() + 5 * MINUTE,
        "energizer": "yoga",
    }
    assert post(client, session, "breaks", {"minutes": 5}).status_code == 409
    assert post(client, session, "breaks", {"minutes": 0}).status_code == 422
    assert post(client, session, "breaks", {"minutes": 5, "energizer": "disco"}).status_code == 422
    clock.advance(MINUTE)
    assert post(client, session, "breaks/current/end").status_code == 200
    view = meeting(sockets[1], lambda m: m["break"] is None)
    assert view["last_break_ended_at_ms"] == clock.now_ms()
    assert post(client, session, "breaks/current/end").status_code == 409


def test_late_joiner_waits_then_joins_a_duo(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, people, _sockets, host = room(client, stack, 4)
    start_breakout(client, session)
    late = join(client, session["code"], "Late")
    late_ws, first = stack.enter_context(connected(client, session["code"], late["token"]))
    assert first["breakout"]["status"] == "running" and first["breakout"]["my_group"] is None
    state = receive_state(
        host, lambda s: any(p["id"] == late["id"] and p["online"] for p in s["participants"])
    )
    assert all(late["id"] not in g["members"] for g in state["breakout"]["groups"])

    clock.advance(90_000)
    assert (
        post(
            client, session, "breakouts/current/groups/0/members", {"participant_id": late["id"]}
        ).status_code
        == 200
    )
    mine = receive_state(late_ws, lambda s: s["breakout"]["my_group"] is not None)["breakout"]
    assert (
        len(mine["my_group"]["members"]) == 3
        and mine["my_group"]["members"][-1]["id"] == late["id"]
    )
    assert len(mine["my_group"]["phases"]) == 12 and len(mine["slots"]) == 12
    assert mine["current_slot"] == 1
    again = post(
        client, session, "breakouts/current/groups/1/members", {"participant_id": late["id"]}
    )
    assert again.status_code == 409 and "already" in again.json()["detail"]
    full = post(
        client, session, "breakouts/current/groups/0/members", {"participant_id": people[0]["id"]}
    )
    assert full.status_code == 409


def test_two_late_joiners_form_a_duo_from_the_next_slot(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, _people, _sockets, _host = room(client, stack, 2)
    start_breakout(client, session)
    x, y = join(client, session["code"], "X"), join(client, session["code"], "Y")
    x_ws = stack.enter_context(connected(client, session["code"], x["token"]))[0]
    clock.advance(2 * MINUTE + 500)
    assert (
        post(
            client, session, "breakouts/current/groups", {"participant_ids": [x["id"], y["id"]]}
        ).status_code
        == 201
    )
    mine = receive_state(x_ws, lambda s: s["breakout"]["my_group"] is not None)["breakout"]
    assert mine["my_group"]["first_slot"] == 3 and len(mine["slots"]) == 11
    assert {m["id"] for m in mine["my_group"]["members"]} == {x["id"], y["id"]}
    assert (
        post(
            client, session, "breakouts/current/groups", {"participant_ids": [x["id"], x["id"]]}
        ).status_code
        == 409
    )
    assert (
        post(
            client, session, "breakouts/current/groups", {"participant_ids": [x["id"]]}
        ).status_code
        == 422
    )
    assert (
        post(
            client, session, "breakouts/current/groups", {"participant_ids": ["p_nobody", y["id"]]}
        ).status_code
        == 409
    )


def test_late_controls_without_a_breakout_answer_409(client: TestClient) -> None:
    session = create_session(client)
    person = join(client, session["code"], "A")
    answer = post(
        client, session, "breakouts/current/groups/0/members", {"participant_id": person["id"]}
    )
    assert answer.status_code == 409 and answer.json()["detail"]


def test_planned_end_is_kept(client: TestClient, clock: ManualClock) -> None:
    session = create_session(client, planned_end_ms=clock.now_ms() + 90 * MINUTE)
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        assert state["meeting"]["planned_end_ms"] == clock.now_ms() + 90 * MINUTE
        assert state["meeting"]["started_at_ms"] == clock.now_ms()


def test_a_break_that_runs_out_tells_everyone(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, _people, sockets, host = room(client, stack, 2)
    assert post(client, session, "breaks", {"minutes": 2}).status_code == 201
    for ws in [*sockets, host]:
        meeting(ws, lambda m: m["activity"] == "break")
    clock.advance(2 * MINUTE)
    for ws in [*sockets, host]:
        view = meeting(ws, lambda m: m["break"] is None)
        assert view["activity"] == "lobby"
        assert view["last_break_ended_at_ms"] == clock.now_ms()


# ---- leavers: the speaking order, lone partners, a session's lifetime (issue 11) ----------


def test_someone_who_leaves_during_a_round_leaves_its_order(
    client: TestClient, stack: ExitStack
) -> None:
    session, people, _sockets, host = room(client, stack, 2)
    assert post(client, session, "rounds", {"kind": "checkin", "question": "Hoe?"}).status_code
    comers = [join(client, session["code"], f"Komt{i}") for i in range(3)]
    for person in comers:
        client.delete(
            f"/api/sessions/{session['code']}/participants/{person['id']}",
            headers=bearer(person["token"]),
        )
    view = meeting(host, lambda m: m["round"] is not None and m["round"]["size"] == 3)
    assert {s["id"] for s in view["round"]["order"]} == {"host", *(p["id"] for p in people)}


def test_a_participant_whose_partner_left_is_told_and_can_be_re_homed(
    client: TestClient, stack: ExitStack
) -> None:
    session, people, sockets, host = room(client, stack, 4)
    groups = start_breakout(client, session)["groups"]
    by_id = {p["id"]: (p, ws) for p, ws in zip(people, sockets, strict=True)}
    (leaver, _), (lone, lone_ws) = by_id[groups[0][0]], by_id[groups[0][1]]
    client.delete(
        f"/api/sessions/{session['code']}/participants/{leaver['id']}",
        headers=bearer(leaver["token"]),
    )
    told = receive_state(
        lone_ws, lambda s: any(m["left"] for m in s["breakout"]["my_group"]["members"])
    )
    members = told["breakout"]["my_group"]["members"]
    assert [m["left"] for m in members] == [True, False]
    assert members[0]["name"]  # the partner who left is still named
    seen = receive_state(host, lambda s: s["breakout"]["groups"][0]["left"] == [leaver["id"]])
    assert seen["breakout"]["groups"][1]["left"] == []
    assert seen["departed"] == [{"id": leaver["id"], "name": leaver["name"]}]
    answer = post(
        client, session, "breakouts/current/groups/1/members", {"participant_id": lone["id"]}
    )
    assert answer.status_code == 200, answer.text
    mine = receive_state(lone_ws, lambda s: len(s["breakout"]["my_group"]["members"]) == 3)
    assert [m["id"] for m in mine["breakout"]["my_group"]["members"]] == [*groups[1], lone["id"]]
    after = receive_state(host, lambda s: len(s["breakout"]["groups"][1]["members"]) == 3)
    assert after["breakout"]["groups"][0]["members"] == [leaver["id"]]


def test_someone_whose_partner_is_still_there_is_not_moved(
    client: TestClient, stack: ExitStack
) -> None:
    session, people, _sockets, _host = room(client, stack, 4)
    groups = start_breakout(client, session)["groups"]
    answer = post(
        client, session, "breakouts/current/groups/1/members", {"participant_id": groups[0][0]}
    )
    assert answer.status_code == 409 and "in a group already" in answer.json()["detail"]


def test_a_session_takes_a_bounded_number_of_joins_over_its_life(
    settings: Any, clock: ManualClock, engine: Any
) -> None:
    from tests.utils.app import make_test_app

    settings.max_joins_per_session = 5
    with TestClient(make_test_app(settings, clock, engine)) as client:
        session = create_session(client)
        for i in range(5):
            person = join(client, session["code"], f"P{i}")
            client.delete(
                f"/api/sessions/{session['code']}/participants/{person['id']}",
                headers=bearer(person["token"]),
            )
        answer = client.post(f"/api/sessions/{session['code']}/participants", json={"name": "X"})
        assert answer.status_code == 409 and "joined 5 times" in answer.json()["detail"]


# ---- one activity at a time (issue 9) -----------------------------------------------------

STARTS: dict[str, tuple[str, Json]] = {
    "breakout": ("breakouts", {}),
    "checkin": ("rounds", {"kind": "checkin", "question": "Hoe gaat het?"}),
    "checkout": ("rounds", {"kind": "checkout", "question": "Wat neem je mee?"}),
    "break": ("breaks", {"minutes": 5}),
}
RUNNING_DETAIL = {
    "breakout": "A breakout is running; end it first.",
    "paused breakout": "A breakout is running; end it first.",
    "checkin": "A check-in is going; end it first.",
    "checkout": "A check-out is going; end it first.",
    "break": "A break is going; end it first.",
}
ENDS = {
    "breakout": "breakouts/current/end",
    "paused breakout": "breakouts/current/end",
    "checkin": "rounds/current/end",
    "checkout": "rounds/current/end",
    "break": "breaks/current/end",
}


@pytest.mark.parametrize("starting", list(STARTS))
@pytest.mark.parametrize("running", list(RUNNING_DETAIL))
def test_one_activity_at_a_time(
    client: TestClient, engine: Any, stack: ExitStack, running: str, starting: str
) -> None:
    session, _people, _sockets, host = room(client, stack, 4)
    path, body = STARTS["breakout" if running == "paused breakout" else running]
    assert post(client, session, path, body).status_code == 201
    if running == "paused breakout":
        assert post(client, session, "breakouts/current/pause").status_code == 200
    before = db_dump(engine)
    answer = post(client, session, *STARTS[starting])
    assert answer.status_code == 409
    assert answer.json()["detail"] == RUNNING_DETAIL[running]
    assert db_dump(engine) == before  # nothing changed
    # ended, the next one starts
    assert post(client, session, ENDS[running]).status_code == 200
    assert post(client, session, *STARTS[starting]).status_code == 201


# ---- lengths per phase kind (issue 9) ------------------------------------------------------


def test_each_phase_kind_can_have_its_own_length(client: TestClient, stack: ExitStack) -> None:
    lengths = {"tell": 120, "silence": 30, "question": 60, "answer": 90}
    session, _people, sockets, _host = room(client, stack, 3, phase_seconds_by_kind=lengths)
    _ws, state = stack.enter_context(connected(client, session["code"], session["host_token"]))
    assert state["session"]["phase_seconds"] == 60
    assert state["session"]["phase_seconds_by_kind"] == lengths
    start_breakout(client, session)
    breakout = receive_state(sockets[0], lambda s: s["breakout"] is not None)["breakout"]
    seconds = [(s["ends_at_ms"] - s["starts_at_ms"]) // 1000 for s in breakout["slots"]]
    assert len(seconds) == 12  # three people: one trio
    assert seconds == [120, 30, 60, 90] * 3
    assert breakout["remaining_ms"] == 120_000


def test_lengths_not_given_are_the_phase_length(client: TestClient, stack: ExitStack) -> None:
    session, _people, _sockets, _host = room(
        client, stack, 2, phase_seconds=45, phase_seconds_by_kind={"tell": 90}
    )
    _ws, state = stack.enter_context(connected(client, session["code"], session["host_token"]))
    assert state["session"]["phase_seconds_by_kind"] == {
        "tell": 90,
        "silence": 45,
        "question": 45,
        "answer": 45,
    }


@pytest.mark.parametrize(
    "lengths", [{"tell": 9}, {"answer": 601}, {"tell": "60"}, {"talk": 60}, [60, 60], 60]
)
def test_bad_lengths_are_422(client: TestClient, engine: Any, lengths: Any) -> None:
    before = db_dump(engine)
    answer = client.post("/api/sessions", json={"phase_seconds_by_kind": lengths})
    assert answer.status_code == 422, answer.text
    assert db_dump(engine) == before


def test_the_state_says_what_the_meeting_has_had(client: TestClient, stack: ExitStack) -> None:
    """Every device of the host reads the same history: done, the last activity and its
    question (the next step and the presenter's thank-you come from it)."""
    session, _people, _sockets, host = room(client, stack, 2)
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        assert state["meeting"]["done"] == []
        assert state["meeting"]["last_activity"] is None
        assert state["meeting"]["last_activity_started_at_ms"] is None
    assert post(client, session, "rounds", {"kind": "checkin", "question": "Hoe?"}).status_code
    assert post(client, session, "rounds/current/end").status_code == 200
    start_breakout(client, session)
    assert post(client, session, "breakouts/current/end").status_code == 200
    assert post(client, session, "rounds", {"kind": "checkout", "question": "Wat?"}).status_code
    view = meeting(host, lambda m: m["last_activity"] == "checkout")
    assert view["done"] == ["checkin", "breakout", "checkout"]
    # When the check-out started: a message sent before it belongs to an activity that is over.
    assert view["round"]["turn_started_at_ms"] == view["last_activity_started_at_ms"]
    assert view["last_question"] == "Wat?"
