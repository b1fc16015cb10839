"""The meeting's rules: speaking order, late joiners in a running timeline, the agenda."""

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.meeting import (
    CLOSED_LIFETIME_MS,
    HOST,
    Activity,
    MeetingError,
    RoundKind,
    SpeakingRound,
    activity,
    add_late_duo,
    add_to_group,
    close_meeting,
    expires_at_ms,
    group_done,
    last_started_at_ms,
    require_nothing_running,
    require_open,
    with_enough_slots,
)
from app.domain.timeline import PhaseLengths, Status, Timeline

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
    groups, first_slots, t = add_to_group(
        [["a", "b"], ["c", "d"]], [0, 0], 1, "e", timeline(), NOW, MINUTE
    )
    assert groups == [["a", "b"], ["c", "d", "e"]]
    assert first_slots == [0, 0]
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


# ---- lone members (their partners left) are re-homed --------------------------------------


def test_a_lone_member_moves_into_a_duo_and_the_departed_partner_stays_behind() -> None:
    present = {"a", "c", "d"}  # b left: a is alone
    groups, first_slots, t = add_to_group(
        [["a", "b"], ["c", "d"]], [0, 0], 1, "a", timeline(), NOW + MINUTE, MINUTE, present
    )
    assert groups == [["b"], ["c", "d", "a"]]  # b keeps the row of the departed
    assert first_slots == [0, 0]
    assert len(t.slot_ends_ms) == 12


def test_two_lone_members_make_a_new_duo_from_the_next_slot() -> None:
    groups, first_slots, _ = add_late_duo(
        [["a", "b"], ["c", "d"], ["e", "f"]],
        [0, 0, 0],
        ["a", "c"],
        timeline(),
        NOW + MINUTE,
        MINUTE,
        present={"a", "c", "e", "f"},
    )
    assert groups == [["b"], ["d"], ["e", "f"], ["a", "c"]]
    assert first_slots == [0, 0, 0, 2]


def test_someone_with_a_partner_still_present_is_not_moved() -> None:
    with pytest.raises(MeetingError, match="in a group already"):
        add_to_group(
            [["a", "b"], ["c", "d"]], [0, 0], 1, "a", timeline(), NOW, MINUTE, {"a", "b", "c"}
        )
    with pytest.raises(MeetingError, match="in a group already"):
        add_late_duo([["a", "b"]], [0], ["a", "x"], timeline(), NOW, MINUTE, {"a", "b", "x"})
    with pytest.raises(MeetingError, match="that group already"):
        add_to_group([["a", "b"]], [0], 0, "a", timeline(), NOW, MINUTE, {"a"})


def test_a_group_emptied_by_a_move_is_dropped() -> None:
    # a's partner b left earlier and b's row is gone from the group already: a moves out
    groups, first_slots, _ = add_to_group(
        [["a"], ["c", "d"]], [0, 0], 1, "a", timeline(), NOW, MINUTE, {"a", "c", "d"}
    )
    assert groups == [["c", "d", "a"]]
    assert first_slots == [0]


# ---- leavers leave the speaking order ----------------------------------------------------


def round_of(order: tuple[str, ...], turn: int) -> SpeakingRound:
    return SpeakingRound(RoundKind.CHECKIN, "q", order, turn, NOW)


def test_someone_still_to_speak_leaves_the_order() -> None:
    after = round_of(("host", "a", "b", "c"), 1).without("c", NOW + 5)
    assert after.order == ("host", "a", "b") and after.speaker == "a"
    assert after.turn_started_at_ms == NOW


def test_when_the_speaker_leaves_the_next_one_speaks_from_now() -> None:
    after = round_of(("host", "a", "b"), 1).without("a", NOW + 5)
    assert after.order == ("host", "b") and after.speaker == "b"
    assert after.turn_started_at_ms == NOW + 5


def test_someone_who_spoke_already_leaves_the_order_and_the_turn_stays() -> None:
    after = round_of(("host", "a", "b", "c"), 2).without("a", NOW + 5)
    assert after.order == ("host", "b", "c") and after.speaker == "b"


def test_the_last_speaker_leaving_ends_the_round() -> None:
    after = round_of(("host", "a"), 1).without("a", NOW + 5)
    assert after.finished


@given(
    st.lists(st.sampled_from("abcdefgh"), unique=True, min_size=1, max_size=8),
    st.data(),
)
def test_leaving_keeps_the_order_and_the_current_speaker_unless_it_was_them(
    people: list[str], data: st.DataObject
) -> None:
    order = ("host", *people)
    turn = data.draw(st.integers(0, len(order) - 1))
    leaver = data.draw(st.sampled_from(people))
    before = round_of(order, turn)
    after = before.without(leaver, NOW + 1)
    assert after.order == tuple(p for p in order if p != leaver)
    assert leaver not in after.order
    if before.speaker != leaver:
        assert after.speaker == before.speaker
    else:
        assert after.speaker == before.next_speaker


# ---- one activity at a time ---------------------------------------------------------------


@pytest.mark.parametrize("running", [a for a in Activity if a is not Activity.LOBBY])
def test_nothing_starts_while_another_activity_runs(running: Activity) -> None:
    with pytest.raises(MeetingError, match="end it first") as refused:
        require_nothing_running(running)
    name = {"checkin": "check-in", "checkout": "check-out"}.get(running.value, running.value)
    assert name in str(refused.value)


def test_anything_starts_from_the_lobby() -> None:
    require_nothing_running(Activity.LOBBY)


@given(
    st.sampled_from([None, "running", "paused", "finished"]),
    st.sampled_from([None, RoundKind.CHECKIN, RoundKind.CHECKOUT]),
    st.sampled_from([None, NOW - 1, NOW + MINUTE]),
)
def test_the_meeting_is_in_exactly_one_activity(
    breakout: str | None, round_kind: RoundKind | None, break_ends: int | None
) -> None:
    """Whatever the rows say, one activity; only the lobby lets another start."""
    t = None
    if breakout is not None:
        t = timeline()
        t = {"running": t, "paused": t.pause(NOW), "finished": t.end(NOW)}[breakout]
    now = activity(t, round_kind, break_ends, NOW)
    running = [
        breakout in ("running", "paused"),
        round_kind is not None,
        break_ends is not None and break_ends > NOW,
    ]
    assert (now is Activity.LOBBY) == (not any(running))


# ---- lengths per phase kind ----------------------------------------------------------------

LENGTHS = PhaseLengths(tell=120_000, silence=30_000, question=60_000, answer=90_000)


def test_each_slot_lasts_as_long_as_its_phase_kind() -> None:
    t = Timeline.start(NOW, 8, LENGTHS)
    lengths = [end - start for start, end in t.slots()]
    assert lengths == [120_000, 30_000, 60_000, 90_000] * 2
    assert t.slot_ends_ms[-1] == NOW + 2 * 300_000


def test_a_trio_gets_its_third_round_with_the_same_lengths() -> None:
    groups, _slots, t = add_to_group(
        [["a", "b"], ["c", "d"]], [0, 0], 0, "e", Timeline.start(NOW, 8, LENGTHS), NOW, LENGTHS
    )
    assert groups[0] == ["a", "b", "e"]
    assert [end - start for start, end in t.slots()] == [120_000, 30_000, 60_000, 90_000] * 3


def test_a_late_duo_waits_for_the_next_round_when_the_lengths_differ() -> None:
    start = Timeline.start(NOW, 8, LENGTHS)
    during_silence = NOW + 120_000 + 10_000  # slot 1
    _groups, first_slots, t = add_late_duo(
        [["a", "b"]], [0], ["x", "y"], start, during_silence, LENGTHS
    )
    assert first_slots == [0, 4]  # its "tell" runs in a tell slot
    assert len(t.slot_ends_ms) == 12
    assert [end - start for start, end in t.slots()][4:8] == [120_000, 30_000, 60_000, 90_000]
    # with one length for every kind it starts at the very next slot, as before
    _g, uniform_slots, _t = add_late_duo(
        [["a", "b"]], [0], ["x", "y"], timeline(), NOW + MINUTE + 1, MINUTE
    )
    assert uniform_slots == [0, 2]


@given(st.integers(0, 7), st.integers(1, 600_000), st.sampled_from(["pause", "skip", "extend"]))
def test_controls_keep_every_later_slot_its_own_length(slot: int, extra: int, control: str) -> None:
    t = Timeline.start(NOW, 8, LENGTHS)
    moment = t.slots()[slot][0] + 1
    after = {
        "pause": lambda: t.pause(moment).resume(moment + extra),
        "skip": lambda: t.skip(moment),
        "extend": lambda: t.extend(moment, extra),
    }[control]()
    later = [end - start for start, end in after.slots()][slot + 1 :]
    assert (
        later
        == [LENGTHS.of_slot(i) for i in range(slot + 1, len(after.slot_ends_ms))][: len(later)]
    )


def test_the_last_start_is_the_latest_of_any_activity() -> None:
    assert last_started_at_ms(None, None, None) is None
    assert last_started_at_ms(5_000, None, None) == 5_000
    assert last_started_at_ms(5_000, 9_000, 7_000) == 9_000
    assert last_started_at_ms(None, 3_000, 7_000) == 7_000


# ---- the end of the meeting (issue 18.2) -----------------------------------------------------


def test_a_closed_session_starts_nothing() -> None:
    require_open(None)
    with pytest.raises(MeetingError, match="closed"):
        require_open(NOW)


@given(
    st.integers(min_value=0, max_value=12 * MINUTE),  # when the breakout started, before NOW
    st.sampled_from(["running", "paused", "ended", "none"]),
    st.booleans(),  # a round going
    st.integers(min_value=-30 * MINUTE, max_value=30 * MINUTE),  # the break's end, from NOW
)
@settings(max_examples=200, deadline=None)
def test_closing_leaves_nothing_running(
    ago: int, breakout: str, round_going: bool, break_end: int
) -> None:
    timeline = None if breakout == "none" else Timeline.start(NOW - ago, 8, MINUTE)
    if (
        timeline is not None
        and breakout == "paused"
        and timeline.status_at(NOW) is not Status.FINISHED
    ):
        timeline = timeline.pause(NOW - ago // 2)
    if (
        timeline is not None
        and breakout == "ended"
        and timeline.status_at(NOW) is not Status.FINISHED
    ):
        timeline = timeline.end(NOW)
    speaking = SpeakingRound.start(RoundKind.CHECKOUT, "Q", ["a", "b"], 1, NOW - MINUTE)
    if not round_going:
        speaking = speaking.end(NOW - 1)
    closing = close_meeting(timeline, speaking, NOW + break_end, NOW)

    after_timeline = closing.timeline or timeline
    after_round = closing.speaking or speaking
    after_break = NOW + break_end if closing.break_ends_at_ms is None else closing.break_ends_at_ms
    kind = None if after_round.finished else after_round.kind
    assert activity(after_timeline, kind, after_break, NOW) is Activity.LOBBY
    # What was over already is left as it was.
    assert (closing.speaking is None) == (not round_going)
    assert (closing.break_ends_at_ms is None) == (break_end <= 0)
    if timeline is not None and timeline.status_at(NOW) is Status.FINISHED:
        assert closing.timeline is None


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=1, max_value=48 * 60 * MINUTE),
    st.none() | st.integers(min_value=0, max_value=10**12),
)
def test_a_closed_session_expires_an_hour_after_closing_at_the_latest(
    last_active: int, ttl: int, closed_at: int | None
) -> None:
    expires = expires_at_ms(last_active, ttl, closed_at)
    assert expires <= last_active + ttl
    if closed_at is None:
        assert expires == last_active + ttl
    else:
        assert expires <= closed_at + CLOSED_LIFETIME_MS
        assert expires in (last_active + ttl, closed_at + CLOSED_LIFETIME_MS)
