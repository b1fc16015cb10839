"""A participant's state: the exact count in the text, its floor in the change key."""

from __future__ import annotations

import json

from app.domain.meeting import Activity
from app.services.snapshots import MeetingSnapshot, Member, Snapshot
from app.services.state import States

PHASES = {"tell": 60, "silence": 60, "question": 60, "answer": 60}


def lobby(count: int, *, left: int = 0) -> States:
    """Return the states of a lobby with ``count`` people present, then ``left`` who left."""
    members = {
        f"p{i:04d}": Member(id=f"p{i:04d}", name=f"P{i:04d}", active=i < count)
        for i in range(count + left)
    }
    meeting = MeetingSnapshot(
        activity=Activity.LOBBY,
        started_at_ms=0,
        planned_end_ms=None,
        last_break_ended_at_ms=None,
        agreements="",
        going_break=None,
        messages=(),
        speaking=None,
    )
    return States(
        Snapshot(
            code="ABC123",
            title="",
            language="nl",
            phase_seconds=60,
            phase_seconds_by_kind=PHASES,
            members=members,
            online=frozenset(members),
            breakout=None,
            now_ms=1_000,
            meeting=meeting,
        )
    )


def key(count: int, **kwargs: int) -> tuple[str, ...]:
    """Return the change key of the first participant's state in a lobby of ``count``."""
    return lobby(count, **kwargs).for_participant("p0000")[1]


def state(count: int) -> dict[str, object]:
    snapshot = lobby(count)
    return dict(json.loads(snapshot.for_participant("p0000")[0]))


def test_the_text_has_the_exact_count_and_its_floor() -> None:
    assert (state(7)["participant_count"], state(7)["participant_count_floor"]) == (7, 7)
    assert (state(25)["participant_count"], state(25)["participant_count_floor"]) == (25, 24)
    assert (state(123)["participant_count"], state(123)["participant_count_floor"]) == (123, 120)


def test_below_20_every_change_of_the_count_changes_the_key() -> None:
    keys = [key(n) for n in range(1, 21)]
    assert len(set(keys)) == len(keys)


def test_a_join_within_a_step_keeps_the_key() -> None:
    assert key(24) == key(25)
    assert key(120) == key(129)


def test_a_join_across_a_step_changes_the_key() -> None:
    assert key(19) != key(20)  # the threshold: 19 is exact, 20 the first floor of step 2
    assert key(25) != key(26)  # 24 -> 26
    assert key(49) != key(50)  # 48 -> 50
    assert key(129) != key(130)


def test_a_leave_that_crosses_a_step_changes_the_key() -> None:
    assert key(120) != key(119)  # floor 120 -> 110
    assert key(125) == key(120, left=5)  # those who left do not count


def test_the_host_still_gets_every_change() -> None:
    assert lobby(25).for_host()[1] != lobby(24).for_host()[1]
    host = json.loads(lobby(25).for_host()[0])
    assert host["participant_count"] == 25
    assert "participant_count_floor" not in host


def test_me_is_written_as_json_would_write_it_whatever_the_name() -> None:
    names = ['Anna "Ann" de Vries', "back\\slash", "Zoë 😊", "שרה", "tab\there", "\u2028line"]
    for agreed in (False, True):
        snapshot = lobby(1)
        for name in names:
            snapshot.snapshot.members["p0000"] = Member("p0000", name, active=True, agreed=agreed)
            text, _key = snapshot.for_participant("p0000")
            expected = {"id": "p0000", "name": name, "host": False, "agreed": agreed}
            assert json.loads(text)["me"] == expected


def test_a_flush_cuts_no_text_for_a_participant_whose_key_did_not_change() -> None:
    from app.services.access import Identity
    from app.services.realtime import Connection, Realtime

    cut: list[tuple[str, ...]] = []

    def offer(snapshot: Snapshot, connection: Connection) -> None:
        plain = snapshot.participant_text

        def counted(key: tuple[str, ...]) -> str:
            cut.append(key)
            return plain(key)

        snapshot.participant_text = counted  # type: ignore[method-assign]
        Realtime.offer(connection, snapshot)

    connection = Connection(None, Identity(code="ABC123", participant_id="p0000"), 10)  # type: ignore[arg-type]
    offer(lobby(24), connection)
    offer(lobby(25), connection)  # same floor (24): nothing new, no text cut
    assert len(cut) == 1
    offer(lobby(26), connection)  # a new floor: cut and offered
    assert len(cut) == 2
    assert json.loads(connection.queued_state or "")["participant_count"] == 26


def test_the_hosts_state_is_cut_once_per_snapshot_however_many_host_sockets() -> None:
    snapshot = lobby(30)
    first = snapshot.for_host()
    assert snapshot.for_host() is first  # the presenter view gets the very same text
    assert json.loads(first[0])["participant_count"] == 30
    later = States(snapshot.snapshot.seen_at(2_000, frozenset()))  # a new moment: cut anew
    assert later.for_host() is not first
    assert json.loads(later.for_host()[0])["server_ms"] == 2_000
