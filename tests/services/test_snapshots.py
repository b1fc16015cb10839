"""What a snapshot reads: bounded by the people present, however many came and went."""

from fastapi.testclient import TestClient

from tests.utils.app import services_of
from tests.utils.factories import bearer, create_session, join, start_breakout


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
