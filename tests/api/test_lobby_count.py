"""A filling lobby through the real WebSocket stack: the host hears every join, a participant
only the joins that move the count's floor (docs/meeting.md, "The participant's count in
steps")."""

from __future__ import annotations

from contextlib import ExitStack

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.utils.factories import (
    Json,
    connect_all,
    connected,
    create_session,
    join,
    populate,
    receive,
)


def next_state(ws: WebSocketTestSession, until: int, reads: int = 100) -> Json:
    """Return the first ``state`` on ``ws`` whose count is ``until`` (earlier states skipped)."""
    for _ in range(reads):
        message = receive(ws)
        if message["type"] == "state" and message["participant_count"] == until:
            return message
    raise AssertionError(f"no state with participant_count {until} in {reads} messages")


def pong_is_next(ws: WebSocketTestSession) -> None:
    """Ping and assert that the pong is the next message. The writer sends a state that was
    offered before the ping right after the pong, so a following read would see it."""
    ws.send_json({"type": "ping", "client_ms": 1})
    assert receive(ws)["type"] == "pong"


def test_a_join_within_a_step_reaches_the_host_only(client: TestClient) -> None:
    session = create_session(client)
    code = session["code"]
    people = populate(client, session, 30)
    with ExitStack() as stack:
        sockets = connect_all(stack, client, code, [p["token"] for p in people])
        host, first = stack.enter_context(connected(client, code, session["host_token"]))
        assert first["participant_count"] == 30
        assert "participant_count_floor" not in first  # the host's state is as it was

        join(client, code, "P030")  # 31: floor 30 (steps of 2 from 20), as at 30
        assert next_state(host, 31)["participants"][-1]["name"] == "P030"
        # The flush that sent the host its state offered every participant theirs before.
        for ws in sockets:
            pong_is_next(ws)

        join(client, code, "P031")  # 32: a new floor, sent to everyone
        assert next_state(host, 32)["participants"][-1]["name"] == "P031"
        for ws in sockets:  # the first state since the one at 30
            state = receive(ws)
            assert state["type"] == "state"
            assert (state["participant_count"], state["participant_count_floor"]) == (32, 32)
