"""The meeting's rules: speaking order, late joiners in a running timeline, the agenda."""

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.meeting import (
    HOST,
    Activity,
    MeetingError,
    RoundKind,
    SpeakingRound,
    activity,
    add_late_duo,
    add_to_group,
    group_done,
    with_enough_slots,
)
from app.domain.timeline import Timeline

MINUTE = 60_000
NOW = 1_000_000


def test_round_starts_with_the_host_then_everyone_once() -> None:
    speaking = SpeakingRound.start(RoundKind.CHECKIN, "Q?", ["c", "a", "b"], seed=1, now_ms=NOW)
    assert speaking.order[0] == HOST
    assert sorted(speaking.order[1:]) == ["a", "b", "c"]
    assert speaking.speaker == HOST and speaking.next_speaker == speaking.order[1]


@given(st.lists(st.text(min_size=1, max_size=5), unique=True, max_size=30), st.integers())
@settings(max_examples=100, deadline=None)  # no wall-clock bound per example
def test_order_is_a_permutation_and_reproducible(people: list[str], seed: int) -> None:
    first = SpeakingRound.start(RoundKind.CHECKOUT, "Q", people, seed, NOW)
    again = SpeakingRound.start(RoundKind.CHECKOUT, "Q", list(reversed(people)), seed, NOW)
    assert first.order == again.order
    assert first.order[0] == HOST and sorted(first.order[1:]) == sorted(people)


def test_next_walks_the_order_and_then_refuses() -> None:
    speaking = SpeakingRound.start(RoundKind.CHECKIN, "Q", ["a"], seed=0, now_ms=NOW)
    speaking = speaking.next(NOW + 5)
    assert speaking.speaker == "a" and speaking.next_speaker is None
    assert speaking.turn_started_at_ms == NOW + 5
    speaking = speaking.next(NOW + 6)
    assert speaking.finished and speaking.speaker is None
    with pytest.raises(MeetingError):
        speaking.next(NOW + 7)
    with pytest.raises(MeetingError):
        speaking.end(NOW + 7)


def test_time_per_speaker_gives_a_turn_deadline() -> None:
    speaking = SpeakingRound.start(RoundKind.CHECKIN, "Q", ["a"], 0, NOW, seconds_per_speaker=90)
    assert speaking.turn_ends_at_ms() == NOW + 90_000
    assert speaking.next(NOW + 10).turn_ends_at_ms() == NOW + 90_010
    assert SpeakingRound.start(RoundKind.CHECKIN, "Q", [], 0, NOW).turn_ends_at_ms() is None


def test_late_joiners_speak_last_once() -> None:
    speaking = SpeakingRound.start(RoundKind.CHECKIN, "Q", ["a", "b"], 0, NOW)
    later = speaking.add_late("z").add_late("z").add_late("a")
    assert later.order == (*speaking.order, "z")
    assert speaking.end(NOW).add_late("y").order == speaking.order


def timeline(slots: int = 8) -> Timeline:
    return Timeline.start(NOW, slots, MINUTE)


def test_adding_to_a_duo_makes_a_trio_and_adds_its_slots() -> None:
    groups, t = add_to_group([["a", "b"], ["c", "d"]], [0, 0], 1, "e", timeline(), NOW, MINUTE)
    assert groups == [["a", "b"], ["c", "d", "e"]]
    assert len(t.slot_ends_ms) == 12
    assert t.slots()[8:] == [(NOW + i * MINUTE, NOW + (i + 1) * MINUTE) for i in range(8, 12)]


def test_adding_to_a_trio_or_twice_or_when_finished_is_refused() -> None:
    trio = [["a", "b", "c"], ["d", "e"]]
    with pytest.raises(MeetingError, match="trio"):
        add_to_group(trio, [0, 0], 0, "x", timeline(12), NOW, MINUTE)
    with pytest.raises(MeetingError, match="in a group"):
        add_to_group(trio, [0, 0], 1, "a", timeline(12), NOW, MINUTE)
    with pytest.raises(MeetingError, match="no such group"):
        add_to_group(trio, [0, 0], 5, "x", timeline(12), NOW, MINUTE)
    with pytest.raises(MeetingError, match="finished"):
        add_to_group(trio, [0, 0], 1, "x", timeline(12), NOW + 12 * MINUTE, MINUTE)


def test_a_duo_that_had_all_its_phases_takes_nobody() -> None:
    with pytest.raises(MeetingError, match="group has finished"):
        add_to_group(
            [["a", "b", "c"], ["d", "e"]], [0, 0], 1, "x", timeline(12), NOW + 8 * MINUTE, MINUTE
        )


def test_a_late_duo_starts_at_the_next_slot_boundary() -> None:
    now = NOW + 2 * MINUTE + 500
    groups, first_slots, t = add_late_duo([["a", "b"]], [0], ["x", "y"], timeline(), now, MINUTE)
    assert groups == [["a", "b"], ["x", "y"]] and first_slots == [0, 3]
    assert len(t.slot_ends_ms) == 11
    assert group_done(3, 2, 10) is False and group_done(3, 2, 11) is True
    with pytest.raises(MeetingError):
        add_late_duo(groups, first_slots, ["x", "z"], t, now, MINUTE)
    with pytest.raises(MeetingError):
        add_late_duo(groups, first_slots, ["z", "z"], t, now, MINUTE)


@given(st.integers(1, 30), st.integers(1, 40))
@settings(deadline=None)  # no wall-clock bound per example
def test_enough_slots_keeps_the_plan_contiguous(have: int, want: int) -> None:
    t = with_enough_slots(timeline(have), want, MINUTE)
    slots = t.slots()
    assert len(slots) == max(have, want)
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in pairwise(slots))


def test_activity_prefers_break_then_round_then_breakout() -> None:
    t = timeline()
    assert activity(None, None, None, NOW) is Activity.LOBBY
    assert activity(t, None, None, NOW) is Activity.BREAKOUT
    assert activity(t, None, None, NOW + 8 * MINUTE) is Activity.LOBBY
    assert activity(t, RoundKind.CHECKOUT, None, NOW) is Activity.CHECKOUT
    assert activity(t, RoundKind.CHECKIN, NOW + 1, NOW) is Activity.BREAK
    assert activity(None, None, NOW, NOW) is Activity.LOBBY
