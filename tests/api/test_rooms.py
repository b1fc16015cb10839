"""Where the groups talk (issue 19): the session's choice of rooms, every group's room and
room link in `state`, the host's change in the lobby, and groups formed from the video
tool's rooms."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import (
    Json,
    bearer,
    connect_all,
    connected,
    create_session,
    host_headers,
    populate,
    receive_state,
    start_breakout,
)

BASE = "https://meet.jit.si/"


def online(
    client: TestClient, stack: ExitStack, count: int, **fields: Any
) -> tuple[Json, list[Json]]:
    session = create_session(client, **fields)
    people = populate(client, session, count)
    connect_all(stack, client, session["code"], [p["token"] for p in people])
    return session, people


def host_state(client: TestClient, session: Json) -> Json:
    with connected(client, session["code"], session["host_token"]) as (_ws, state):
        return state


def state_of(client: TestClient, session: Json, person: Json) -> Json:
    with connected(client, session["code"], person["token"]) as (_ws, state):
        return state


# ---- the setting --------------------------------------------------------------------------


def test_breakout_rooms_is_the_default_and_every_group_has_its_room(
    client: TestClient, stack: ExitStack
) -> None:
    session, people = online(client, stack, 7)
    start_breakout(client, session)
    host = host_state(client, session)
    assert host["session"]["rooms"] == "breakout_rooms"
    assert host["session"]["room_link_base"] is None
    groups = host["breakout"]["groups"]
    assert [g["room"] for g in groups] == [1, 2, 3]
    assert host["breakout"]["from_rooms"] is False
    assert sorted(len(g["members"]) for g in groups) == [2, 2, 3]
    assert all("room_url" not in g for g in groups)
    for person in people:
        mine = state_of(client, session, person)["breakout"]["my_group"]
        assert mine["room"] == mine["index"] + 1
        assert "room_url" not in mine
        assert person["id"] in [m["id"] for m in mine["members"]]


def test_same_room_is_stored_and_sent(client: TestClient, stack: ExitStack) -> None:
    session, people = online(client, stack, 4, rooms="same_room")
    start_breakout(client, session)
    state = state_of(client, session, people[0])
    assert state["session"]["rooms"] == "same_room"
    assert state["breakout"]["my_group"]["room"] in (1, 2)
    assert "room_url" not in state["breakout"]["my_group"]


@pytest.mark.parametrize(
    "fields",
    [
        {"rooms": "zoom"},
        {"rooms": "link_per_group", "room_link_base": "http://meet.jit.si/"},
        {"room_link_base": "https://"},
        {"room_link_base": "https:///path"},
        {"room_link_base": "ftp://meet.jit.si/"},
        {"room_link_base": "javascript:alert(1)"},
        {"room_link_base": "meet.jit.si/"},
        {"room_link_base": "https://meet.jit.si/" + "a" * 181},
        {"room_link_base": "https://meet.jit.si/a b"},
        {"room_link_base": "https://meet.jit.si/?x=1"},
        {"room_link_base": 42},
    ],
)
def test_bad_room_settings_answer_422(client: TestClient, fields: Json) -> None:
    response = client.post("/api/sessions", json=fields)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_a_base_of_200_characters_is_taken(client: TestClient) -> None:
    base = "https://meet.jit.si/" + "a" * 180
    assert len(base) == 200
    session = create_session(client, rooms="link_per_group", room_link_base=base)
    assert host_state(client, session)["session"]["room_link_base"] == base


# ---- a link per group ---------------------------------------------------------------------


def urls_by_person(client: TestClient, session: Json, people: list[Json]) -> dict[str, str]:
    result = {}
    for person in people:
        group = state_of(client, session, person)["breakout"]["my_group"]
        result[person["id"]] = group["room_url"]
    return result


@pytest.mark.parametrize("base", [BASE, "https://video.example.org/duo"])
def test_a_link_per_group_is_secret_new_per_breakout_and_shared_in_a_group(
    client: TestClient, stack: ExitStack, base: str
) -> None:
    session, people = online(client, stack, 7, rooms="link_per_group", room_link_base=base)
    start_breakout(client, session)
    host = host_state(client, session)
    groups = host["breakout"]["groups"]
    host_urls = [g["room_url"] for g in groups]
    assert len(set(host_urls)) == len(groups)
    prefix = base if base.endswith("/") else base + "/"
    for url in host_urls:
        assert url.startswith(prefix)
        name = url[len(prefix) :]
        assert "/" not in name and len(name) >= 22  # 16 random bytes, URL-safe: 128 bits
    first = urls_by_person(client, session, people)
    for group, url in zip(groups, host_urls, strict=True):
        assert {first[m] for m in group["members"]} == {url}
    # Nobody's state holds another group's link.
    for person in people:
        text = str(state_of(client, session, person))
        mine = first[person["id"]]
        assert [u for u in host_urls if u != mine and u in text] == []
    client.post(
        f"/api/sessions/{session['code']}/breakouts/current/end", headers=host_headers(session)
    )
    start_breakout(client, session)
    second = urls_by_person(client, session, people)
    assert not set(first.values()) & set(second.values())


def test_a_late_duo_gets_a_new_room_and_link_and_nobody_else_moves(
    client: TestClient, stack: ExitStack
) -> None:
    session, people = online(client, stack, 4, rooms="link_per_group", room_link_base=BASE)
    start_breakout(client, session)
    before = host_state(client, session)["breakout"]["groups"]
    late = populate(client, session, 3, prefix="L")
    connect_all(stack, client, session["code"], [p["token"] for p in late])
    code = session["code"]
    response = client.post(
        f"/api/sessions/{code}/breakouts/current/groups",
        headers=host_headers(session),
        json={"participant_ids": [late[0]["id"], late[1]["id"]]},
    )
    assert response.status_code == 201, response.text
    response = client.post(
        f"/api/sessions/{code}/breakouts/current/groups/1/members",
        headers=host_headers(session),
        json={"participant_id": late[2]["id"]},
    )
    assert response.status_code == 200, response.text
    after = host_state(client, session)["breakout"]["groups"]
    assert [(g["room"], g["room_url"]) for g in after[:2]] == [
        (g["room"], g["room_url"]) for g in before
    ]
    assert after[2]["room"] == 3 and after[2]["room_url"] not in {g["room_url"] for g in before}
    assert late[2]["id"] in after[1]["members"]
    late_state = state_of(client, session, late[2])["breakout"]["my_group"]
    assert (late_state["room"], late_state["room_url"]) == (after[1]["room"], after[1]["room_url"])


# ---- changing it in the lobby -------------------------------------------------------------


def patch(client: TestClient, session: Json, body: Json, token: str | None = None) -> Any:
    headers = bearer(token) if token else host_headers(session)
    return client.patch(f"/api/sessions/{session['code']}/settings", headers=headers, json=body)


def test_the_host_changes_the_rooms_in_the_lobby(client: TestClient, stack: ExitStack) -> None:
    session, people = online(client, stack, 2)
    with connected(client, session["code"], people[0]["token"]) as (ws, _state):
        response = patch(client, session, {"rooms": "link_per_group", "room_link_base": BASE})
        assert response.status_code == 200, response.text
        assert response.json() == {"rooms": "link_per_group", "room_link_base": BASE}
        state = receive_state(ws, lambda s: s["session"]["rooms"] == "link_per_group")
        assert state["session"]["room_link_base"] == BASE
    assert patch(client, session, {"rooms": "same_room"}).json()["room_link_base"] == BASE
    assert patch(client, session, {"room_link_base": "http://x.nl/"}).status_code == 422
    assert patch(client, session, {"rooms": "nowhere"}).status_code == 422
    assert (
        patch(client, session, {"rooms": "same_room"}, token=people[0]["token"]).status_code == 403
    )
    assert (
        client.patch(
            f"/api/sessions/{session['code']}/settings", json={"rooms": "same_room"}
        ).status_code
        == 401
    )
    start_breakout(client, session)
    assert patch(client, session, {"rooms": "breakout_rooms"}).status_code == 409


def test_a_link_per_group_without_a_base_has_no_links_yet(
    client: TestClient, stack: ExitStack
) -> None:
    session, people = online(client, stack, 2, rooms="link_per_group")
    start_breakout(client, session)
    group = state_of(client, session, people[0])["breakout"]["my_group"]
    assert "room_url" not in group and group["room"] == 1
    client.post(
        f"/api/sessions/{session['code']}/breakouts/current/end", headers=host_headers(session)
    )
    assert patch(client, session, {"room_link_base": BASE}).status_code == 200
    start_breakout(client, session)
    group = state_of(client, session, people[0])["breakout"]["my_group"]
    assert group["room_url"].startswith(BASE)


# ---- groups from the video tool's rooms ---------------------------------------------------


def answer(
    client: TestClient, session: Json, person: Json, room: Any, token: str | None = None
) -> Any:
    return client.put(
        f"/api/sessions/{session['code']}/participants/{person['id']}/room",
        headers=bearer(token or person["token"]),
        json={"room": room},
    )


def ask(client: TestClient, session: Json, rooms: int) -> Any:
    return client.post(
        f"/api/sessions/{session['code']}/room-question",
        headers=host_headers(session),
        json={"rooms": rooms},
    )


def start_from_rooms(client: TestClient, session: Json) -> Any:
    return client.post(
        f"/api/sessions/{session['code']}/breakouts",
        headers=host_headers(session),
        json={"from_rooms": True},
    )


def test_groups_from_the_rooms(client: TestClient, stack: ExitStack) -> None:
    session, people = online(client, stack, 9)
    assert start_from_rooms(client, session).status_code == 409  # nobody was asked
    assert answer(client, session, people[0], 1).status_code == 409
    assert ask(client, session, 4).status_code == 201
    state = state_of(client, session, people[0])
    assert state["room_question"] == {"rooms": 4, "answer": None}
    # Room 1: two (a duo); room 2: three (a trio); room 3: one (alone); room 4: two more
    # and one who does not answer.
    plan = {0: 1, 1: 1, 2: 2, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4}
    for i, room in plan.items():
        assert answer(client, session, people[i], room).status_code == 204
    assert answer(client, session, people[8], 5).status_code == 409  # beyond the rooms asked
    assert answer(client, session, people[8], 0).status_code == 422
    assert answer(client, session, people[8], 1, token=people[0]["token"]).status_code == 403
    assert state_of(client, session, people[2])["room_question"] == {"rooms": 4, "answer": 2}
    host = host_state(client, session)
    assert host["room_question"] == {"rooms": 4}
    answers = {p["id"]: p["room_answer"] for p in host["participants"]}
    assert answers[people[8]["id"]] is None and answers[people[5]["id"]] == 3
    response = start_from_rooms(client, session)
    assert response.status_code == 201, response.text
    host = host_state(client, session)
    assert host["room_question"] is None
    assert host["breakout"]["from_rooms"] is True
    groups = {g["room"]: set(g["members"]) for g in host["breakout"]["groups"]}
    ids = [p["id"] for p in people]
    assert groups == {1: {ids[0], ids[1]}, 2: {ids[2], ids[3], ids[4]}, 4: {ids[6], ids[7]}}
    mine = state_of(client, session, people[2])
    assert mine["breakout"]["my_group"]["room"] == 2
    assert len(mine["breakout"]["slots"]) == 12  # the trio's clock, as usual
    assert state_of(client, session, people[5])["breakout"]["my_group"] is None
    # The one alone in room 3 joins the duo of room 4 by the usual late-joiner call.
    index = next(i for i, g in enumerate(host["breakout"]["groups"]) if g["room"] == 4)
    response = client.post(
        f"/api/sessions/{session['code']}/breakouts/current/groups/{index}/members",
        headers=host_headers(session),
        json={"participant_id": ids[5]},
    )
    assert response.status_code == 200, response.text
    assert state_of(client, session, people[5])["breakout"]["my_group"]["room"] == 4


def test_four_or_more_in_a_room_are_split_and_one_each_is_refused(
    client: TestClient, stack: ExitStack
) -> None:
    session, people = online(client, stack, 5)
    ask(client, session, 3)
    for i, person in enumerate(people[:3]):
        answer(client, session, person, i + 1)
    response = start_from_rooms(client, session)
    assert response.status_code == 409
    assert "two" in response.json()["detail"]
    for person in people:
        answer(client, session, person, 2)
    assert start_from_rooms(client, session).status_code == 201
    groups = host_state(client, session)["breakout"]["groups"]
    assert sorted(len(g["members"]) for g in groups) == [2, 3]
    assert {g["room"] for g in groups} == {2}


def test_asking_again_forgets_answers_and_the_host_can_stop(
    client: TestClient, stack: ExitStack
) -> None:
    session, people = online(client, stack, 2)
    ask(client, session, 2)
    answer(client, session, people[0], 2)
    ask(client, session, 3)
    assert state_of(client, session, people[0])["room_question"] == {"rooms": 3, "answer": None}
    code = session["code"]
    assert (
        client.post(
            f"/api/sessions/{code}/room-question/end", headers=host_headers(session)
        ).status_code
        == 204
    )
    assert (
        client.post(
            f"/api/sessions/{code}/room-question/end", headers=host_headers(session)
        ).status_code
        == 409
    )
    assert state_of(client, session, people[0])["room_question"] is None
    assert ask(client, session, 0).status_code == 422
    assert ask(client, session, 51).status_code == 422
    ask(client, session, 2)
    start_breakout(client, session)  # a usual start ends the question
    assert host_state(client, session)["room_question"] is None
    assert ask(client, session, 2).status_code == 409  # a breakout is running
