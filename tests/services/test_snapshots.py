"""What a snapshot reads: bounded by the people present, however many came and went; and
a snapshot made from a control's event equals one read."""

import json
from contextlib import ExitStack

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.services.state import States
from tests.utils.app import services_of
from tests.utils.factories import (
    bearer,
    connect_all,
    connected,
    control,
    create_session,
    drain,
    join,
    receive_state,
    start_breakout,
)
from tests.utils.round_trips import RoundTrips


def leave(client: TestClient, code: str, person: dict[str, str]) -> None:
    answer = client.delete(
        f"/api/sessions/{code}/participants/{person['id']}", headers=bearer(person["token"])
    )
    assert answer.status_code == 204


def test_people_who_left_are_not_read(client: TestClient) -> None:
    session = create_session(client)
    code = session["code"]
    staying = [join(client, code, name) for name in ("Anna", "Bram")]
    for i in range(30):
        leave(client, code, join(client, code, f"Weg{i}"))
    snapshot = services_of(client).snapshots.read_now(code, frozenset())
    assert list(snapshot.members) == [p["id"] for p in staying]
    assert snapshot.participant_count == 2


def test_a_group_member_who_left_is_still_named_in_the_group(client: TestClient) -> None:
    session = create_session(client)
    code = session["code"]
    people = [join(client, code, name) for name in ("Anna", "Bram", "Cas")]
    hub = services_of(client).hub
    for person in people:
        hub.presence.add(code, person["id"])  # type: ignore[attr-defined]
    start_breakout(client, session)
    leave(client, code, people[0])
    leave(client, code, join(client, code, "Passant"))
    snapshot = services_of(client).snapshots.read_now(code, frozenset())
    assert set(snapshot.members) == {p["id"] for p in people}
    assert snapshot.members[people[0]["id"]].name == "Anna"
    assert not snapshot.members[people[0]["id"]].active


def test_a_controls_state_is_what_a_read_would_give(client: TestClient, engine: Engine) -> None:
    """After a control the fan-out applies the control's timeline to the last snapshot
    instead of reading; every control gives the host exactly the state a read gives."""
    session = create_session(client)
    code = session["code"]
    people = [join(client, code, name) for name in ("Anna", "Bram", "Cas")]
    with ExitStack() as stack:
        connect_all(stack, client, code, [p["token"] for p in people])
        host_ws = stack.enter_context(connected(client, code, session["host_token"]))[0]
        start_breakout(client, session)
        receive_state(host_ws, lambda s: s["breakout"] is not None)
        drain(host_ws)
        online = frozenset(p["id"] for p in people)
        for action, body in [
            ("pause", {}),
            ("resume", {}),
            ("extend", {"seconds": 20}),
            ("skip", {}),
            ("pause", {}),
            ("end", {}),
        ]:
            with RoundTrips(engine).counting() as trips:
                assert control(client, session, action, **body).status_code == 200
                sent = receive_state(host_ws)
            assert not [s for s in trips.statements if "FROM participant" in s], action
            read = services_of(client).snapshots.read_now(code, online)
            assert sent == json.loads(States(read).for_host()[0]), action
