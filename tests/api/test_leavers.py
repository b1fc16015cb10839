"""Someone who leaves a trio during a breakout (issue 18.3): from the slot under way on, no
member's state and not the host's names her in a phase, her group goes on as a duo, and
the slots nobody needs go (docs/meeting.md, "Leavers")."""

from contextlib import ExitStack
from typing import Any

from fastapi.testclient import TestClient

from app.core.clock import ManualClock
from tests.utils.factories import (
    bearer,
    connect_all,
    connected,
    create_session,
    host_headers,
    populate,
    receive_state,
    start_breakout,
)

Json = dict[str, Any]
MINUTE = 60_000


def trio_room(
    client: TestClient, stack: ExitStack, count: int = 5, **fields: Any
) -> tuple[Json, dict[str, Json], dict[str, Any], Any, list[str], Json]:
    """A session of ``count`` (odd) online, a breakout started: its trio, everyone by id."""
    session = create_session(client, **fields)
    people = populate(client, session, count)
    sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
    host = stack.enter_context(connected(client, session["code"], session["host_token"]))[0]
    started = start_breakout(client, session)
    trio = next(g for g in started["groups"] if len(g) == 3)
    by_id = {p["id"]: p for p in people}
    ws_by_id = {p["id"]: ws for p, ws in zip(people, sockets, strict=True)}
    return session, by_id, ws_by_id, host, trio, started


def leave(client: TestClient, session: Json, person: Json, token: str | None = None) -> None:
    answer = client.delete(
        f"/api/sessions/{session['code']}/participants/{person['id']}",
        headers=bearer(token or person["token"]),
    )
    assert answer.status_code == 204, answer.text


def left_flag(state: Json, pid: str) -> bool:
    group = state["breakout"]["my_group"]
    return any(m["id"] == pid and m["left"] for m in group["members"])


def test_a_listener_who_leaves_a_trio_is_nobodys_task_and_the_trio_goes_on_as_a_duo(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, by_id, ws_by_id, host, trio, _ = trio_room(client, stack)
    first = receive_state(host)  # the breakout as it started
    slots_before = first["breakout"]["slots"]
    assert len(slots_before) == 12
    anna, bram, chloe = trio
    clock.advance(2 * MINUTE + 5_000)  # slot 2: Anna's question phase, Chloe listens
    leave(client, session, by_id[chloe])
    for pid in (anna, bram):
        state = receive_state(ws_by_id[pid], lambda s: left_flag(s, chloe))
        breakout = state["breakout"]
        current = breakout["current_slot"]
        phases = breakout["my_group"]["phases"]
        assert current == 2
        assert all(p["teller"] != chloe for p in phases[current:])
        assert [p["teller"] for p in phases] == [anna] * 4 + [bram] * 4  # a duo's rest
        # The breakout needs no slot for the rotation that went: the same deadlines, fewer.
        assert breakout["slots"] == slots_before[:8]
    seen = receive_state(host, lambda s: any(g["left"] for g in s["breakout"]["groups"]))
    group = next(g for g in seen["breakout"]["groups"] if g["members"] == trio)
    assert group["left"] == [chloe]
    assert all(p["teller"] != chloe for p in group["phases"][2:])
    assert {"id": chloe, "name": by_id[chloe]["name"]} in seen["departed"]
    # Later, in the next rotation, she is still nobody's task (no "Eerst jij, dan Chloe").
    clock.advance(4 * MINUTE)
    with connected(client, session["code"], by_id[bram]["token"]) as (_ws, later):
        assert later["breakout"]["current_slot"] == 6
        assert later["breakout"]["my_group"]["phases"][6]["teller"] == bram


def test_a_teller_who_leaves_leaves_a_wait_and_the_next_turn_starts_at_the_next_slot(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, by_id, ws_by_id, host, trio, _ = trio_room(client, stack, 3)
    anna, bram, chloe = trio
    clock.advance(MINUTE + 10_000)  # slot 1: silence of Anna's rotation
    leave(client, session, by_id[anna], session["host_token"])  # removed by the host
    state = receive_state(ws_by_id[bram], lambda s: left_flag(s, anna))
    phases = state["breakout"]["my_group"]["phases"]
    assert phases[1] == {"kind": "silence", "teller": None}  # a wait: nobody tells
    assert [p["teller"] for p in phases[2:]] == [bram] * 4 + [chloe] * 4
    assert [p["kind"] for p in phases[2:6]] == ["tell", "silence", "question", "answer"]
    assert len(state["breakout"]["slots"]) == 10


def test_when_the_last_teller_leaves_the_others_are_done_and_the_breakout_ends(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, by_id, ws_by_id, _host, trio, _ = trio_room(client, stack, 5)
    anna, bram, chloe = trio
    # Slot 9: Chloe tells; the duos are done. (The leave reads the clock itself: waiting for
    # a state of slot 9 first raced the wake-up that sends it.)
    clock.advance(9 * MINUTE + 1_000)
    leave(client, session, by_id[chloe])
    state = receive_state(ws_by_id[anna], lambda s: left_flag(s, chloe))
    assert state["breakout"]["status"] == "finished"
    assert len(state["breakout"]["my_group"]["phases"]) == 9
    assert all(p["teller"] != chloe for p in state["breakout"]["my_group"]["phases"][9:])


def test_uneven_lengths_make_the_next_turn_wait_for_its_own_kind_of_slot(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    lengths = {"tell": 90, "silence": 20, "question": 60, "answer": 90}
    session, by_id, ws_by_id, _host, trio, _ = trio_room(
        client, stack, 3, phase_seconds_by_kind=lengths
    )
    anna, bram, chloe = trio
    clock.advance(95_000)  # slot 1: silence of Anna's rotation
    leave(client, session, by_id[anna])
    state = receive_state(ws_by_id[chloe], lambda s: left_flag(s, anna))
    phases = state["breakout"]["my_group"]["phases"]
    assert [p["teller"] for p in phases] == [anna, None, None, None] + [bram] * 4 + [chloe] * 4
    assert [p["kind"] for p in phases] == ["tell", "silence", "question", "answer"] * 3


def test_a_group_someone_left_takes_no_newcomer(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, by_id, _ws, host, trio, started = trio_room(client, stack, 5)
    duo_index = next(i for i, g in enumerate(started["groups"]) if len(g) == 2)
    leaver = started["groups"][duo_index][0]
    leave(client, session, by_id[leaver])
    newcomer = populate(client, session, 1, prefix="Laat")[0]
    with connected(client, session["code"], newcomer["token"]):
        answer = client.post(
            f"/api/sessions/{session['code']}/breakouts/current/groups/{duo_index}/members",
            headers=host_headers(session),
            json={"participant_id": newcomer["id"]},
        )
    assert answer.status_code == 409
    assert "lone member" in answer.json()["detail"]


def test_removing_many_at_once_takes_each_out_of_their_group(
    client: TestClient, stack: ExitStack, clock: ManualClock
) -> None:
    session, by_id, ws_by_id, host, trio, _ = trio_room(client, stack, 5)
    anna, bram, chloe = trio
    clock.advance(MINUTE + 1_000)  # slot 1: silence of Anna's rotation
    answer = client.post(
        f"/api/sessions/{session['code']}/removals",
        headers=host_headers(session),
        json={"ids": [anna]},
    )
    assert answer.status_code == 200, answer.text
    state = receive_state(ws_by_id[chloe], lambda s: left_flag(s, anna))
    phases = state["breakout"]["my_group"]["phases"]
    assert phases[1]["teller"] is None
    assert all(p["teller"] != anna for p in phases[1:])
