"""Someone who leaves during a breakout (``without_leaver``, ``group_phases`` with ``left``,
``leave_breakout``, ``Timeline.trimmed``): the rule docs/meeting.md states, checked by
example and, with hypothesis, for any group and any leave time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.meeting import (
    MeetingError,
    add_to_group,
    groups_phases,
    leave_breakout,
    slots_needed,
)
from app.domain.timeline import (
    PHASE_KINDS,
    Phase,
    PhaseLengths,
    Status,
    Timeline,
    group_phases,
    without_leaver,
)

T0 = 1_764_380_000_000
MINUTE = 60_000
UNEVEN = PhaseLengths(90_000, 20_000, 60_000, 90_000)


def tellers(phases: list[Phase]) -> list[str | None]:
    """Return who tells in each rotation-long stretch, one letter per phase."""
    return [p.teller for p in phases]


def rotation(member: str | None) -> list[str | None]:
    return [member] * 4


# ---- by example -------------------------------------------------------------------------


def test_a_listener_who_leaves_in_the_first_rotation_loses_only_her_own_rotation() -> None:
    phases = group_phases(["a", "b", "c"], {"c": 2})
    assert tellers(phases) == rotation("a") + rotation("b")
    assert [p.kind for p in phases] == list(PHASE_KINDS) * 2


def test_a_later_rotation_moves_up_when_the_one_before_it_left() -> None:
    phases = group_phases(["a", "b", "c"], {"b": 1})
    assert tellers(phases) == rotation("a") + rotation("c")


def test_when_the_teller_leaves_her_phase_becomes_a_wait_and_the_next_turn_follows() -> None:
    phases = group_phases(["a", "b", "c"], {"a": 1})
    assert tellers(phases) == ["a", None, *rotation("b"), *rotation("c")]
    assert [p.kind for p in phases[:2]] == ["tell", "silence"]  # the wait keeps its slot's kind
    assert [p.kind for p in phases[2:6]] == list(PHASE_KINDS)  # a whole rotation follows


def test_with_uneven_lengths_the_next_turn_waits_for_a_slot_of_its_kind() -> None:
    phases = group_phases(["a", "b", "c"], {"a": 1}, aligned=True)
    assert tellers(phases) == ["a", None, None, None, *rotation("b"), *rotation("c")]
    assert [p.kind for p in phases] == list(PHASE_KINDS) * 3


def test_when_the_last_teller_leaves_the_others_are_done_at_once() -> None:
    phases = group_phases(["a", "b", "c"], {"c": 9})
    assert tellers(phases) == rotation("a") + rotation("b") + ["c"]
    assert len(phases) == 9  # phase 9, under way, is gone: the others are done now


def test_a_lone_member_waits_for_the_rest_of_the_plan() -> None:
    phases = group_phases(["a", "b"], {"b": 2})
    assert tellers(phases) == ["a", "a", None, None, None, None, None, None]


def test_a_trio_that_loses_two_has_a_lone_member() -> None:
    phases = group_phases(["a", "b", "c"], {"c": 2, "b": 5})
    assert tellers(phases) == rotation("a") + ["b", None, None, None]


def test_a_leave_after_the_group_finished_changes_nothing() -> None:
    assert group_phases(["a", "b"], {"b": 8}) == group_phases(["a", "b"])


def test_a_leave_before_the_group_started_makes_the_rest_a_duo() -> None:
    assert tellers(group_phases(["a", "b", "c"], {"a": -2})) == rotation("b") + rotation("c")


def test_the_breakout_loses_the_slots_nobody_needs_any_more() -> None:
    timeline = Timeline.start(T0, 12, MINUTE)
    groups, first_slots = [["a", "b"], ["c", "d", "e"]], [0, 0]
    now = T0 + 2 * MINUTE + 5_000  # slot 2, "e" listens to "c"
    left, after = leave_breakout(groups, first_slots, {}, "e", timeline, now, MINUTE) or ({}, None)
    assert left == {"e": 2}
    assert after is not None and after.slot_ends_ms == timeline.slot_ends_ms[:8]


def test_the_breakout_finishes_when_nobody_needs_the_current_slot() -> None:
    timeline = Timeline.start(T0, 12, MINUTE)
    now = T0 + 9 * MINUTE + 5_000  # slot 9: the duo is done, "e" tells in the trio
    result = leave_breakout([["a", "b"], ["c", "d", "e"]], [0, 0], {}, "e", timeline, now, MINUTE)
    assert result is not None
    assert result[1].status_at(now) is Status.FINISHED
    assert result[1].slot_ends_ms[:9] == timeline.slot_ends_ms[:9]


def test_a_leave_outside_the_groups_or_after_the_end_changes_nothing() -> None:
    timeline = Timeline.start(T0, 8, MINUTE)
    assert leave_breakout([["a", "b"]], [0], {}, "x", timeline, T0, MINUTE) is None
    assert leave_breakout([["a", "b"]], [0], {}, "a", timeline, T0 + 8 * MINUTE, MINUTE) is None


def test_a_group_someone_left_takes_no_newcomer() -> None:
    timeline = Timeline.start(T0, 8, MINUTE)
    try:
        add_to_group([["a", "b"]], [0], 0, "x", timeline, T0, MINUTE, present={"a", "x"})
    except MeetingError as error:
        assert "lone member" in str(error)
    else:
        raise AssertionError("a group with a leaver took a newcomer")


# ---- for any group and any leave time ---------------------------------------------------

members_st = st.lists(st.sampled_from("abcde"), min_size=2, max_size=3, unique=True)


@st.composite
def leaves(draw: st.DrawFn) -> tuple[list[str], dict[str, int], bool]:
    """A group, who of it left and in which of its phases (-2 … past its end), aligned."""
    members = draw(members_st)
    leavers = draw(st.lists(st.sampled_from(members), unique=True, max_size=len(members)))
    left = {m: draw(st.integers(-2, 4 * len(members) + 1)) for m in leavers}
    return members, left, draw(st.booleans())


@given(leaves())
@settings(deadline=None, max_examples=400)
def test_no_phase_from_a_leave_on_names_the_leaver(
    case: tuple[list[str], dict[str, int], bool],
) -> None:
    members, left, aligned = case
    phases = group_phases(members, left, aligned=aligned)
    for pid, at in left.items():
        assert all(p.teller != pid for p in phases[max(at, 0) :])


@given(leaves())
@settings(deadline=None, max_examples=400)
def test_a_leave_keeps_the_past_and_never_needs_a_slot_more(
    case: tuple[list[str], dict[str, int], bool],
) -> None:
    members, left, aligned = case
    plan = group_phases(members)
    phases = group_phases(members, left, aligned=aligned)
    assert len(phases) <= len(plan)
    first_leave = max(min(left.values(), default=len(plan)), 0)
    assert phases[:first_leave] == plan[:first_leave]


@given(leaves())
@settings(deadline=None, max_examples=400)
def test_everyone_still_there_tells_once_a_whole_rotation(
    case: tuple[list[str], dict[str, int], bool],
) -> None:
    members, left, aligned = case
    phases = group_phases(members, left, aligned=aligned)
    present = [m for m in members if m not in left]
    if len(present) < 2:
        return  # a lone member has nobody to tell: they wait to be placed
    for m in present:
        mine = [i for i, p in enumerate(phases) if p.teller == m]
        assert len(mine) == 4 and mine == list(range(mine[0], mine[0] + 4))
        assert [phases[i].kind for i in mine] == list(PHASE_KINDS)
        if aligned:
            assert mine[0] % 4 == 0  # a rotation after a leave starts in a slot of its kind


@given(leaves())
@settings(deadline=None, max_examples=400)
def test_every_phase_kind_is_its_slots_kind_when_lengths_differ(
    case: tuple[list[str], dict[str, int], bool],
) -> None:
    members, left, _ = case
    phases = group_phases(members, left, aligned=True)
    assert [p.kind for p in phases] == [PHASE_KINDS[i % 4] for i in range(len(phases))]


@given(leaves())
@settings(deadline=None, max_examples=300)
def test_without_leaver_is_what_group_phases_does_leave_after_leave(
    case: tuple[list[str], dict[str, int], bool],
) -> None:
    members, left, aligned = case
    if len(left) != 1:
        return
    ((pid, at),) = left.items()
    present = [m for m in members if m != pid]
    expected = without_leaver(group_phases(members), present, at, aligned=aligned)
    assert group_phases(members, left, aligned=aligned) == expected


@st.composite
def breakouts(draw: st.DrawFn) -> tuple[list[list[str]], Timeline, int, str, bool]:
    """Duos and one trio, a timeline maybe paused or extended, a moment, a leaver."""
    count = draw(st.integers(2, 7))
    people = [f"p{i}" for i in range(count)]
    groups = [people[i : i + 2] for i in range(0, count - count % 2, 2)]
    if count % 2:
        groups[-1].append(people[-1])
    aligned = draw(st.booleans())
    lengths = UNEVEN if aligned else PhaseLengths.uniform(MINUTE)
    timeline = Timeline.start(T0, 4 * max(len(g) for g in groups), lengths)
    now = T0 + draw(st.integers(0, 13 * MINUTE))
    if draw(st.booleans()) and timeline.status_at(now) is Status.RUNNING:
        timeline = timeline.pause(now)
        now += draw(st.integers(0, 5 * MINUTE))
    return groups, timeline, now, draw(st.sampled_from(people)), aligned


@given(breakouts())
@settings(deadline=None, max_examples=400)
def test_a_leave_keeps_every_deadline_and_every_groups_phases_within_the_slots(
    case: tuple[list[list[str]], Timeline, int, str, bool],
) -> None:
    groups, timeline, now, leaver, aligned = case
    lengths = UNEVEN if aligned else PhaseLengths.uniform(MINUTE)
    first_slots = [0] * len(groups)
    result = leave_breakout(groups, first_slots, {}, leaver, timeline, now, lengths)
    if timeline.status_at(now) is Status.FINISHED:
        assert result is None
        return
    assert result is not None
    left, after = result
    current = timeline.current_slot(now)
    assert left == {leaver: current}
    if after.status_at(now) is Status.FINISHED:  # nobody needed even the current slot
        assert slots_needed(groups, first_slots, left, lengths) <= current
        assert after.slot_ends_ms[:current] == timeline.slot_ends_ms[:current]
        return
    # The same seconds for everyone: every slot kept has its deadline, none is added.
    assert after.slot_ends_ms == timeline.slot_ends_ms[: len(after.slot_ends_ms)]
    assert after.status == timeline.status and after.current_slot(now) == current
    assert len(after.slot_ends_ms) == slots_needed(groups, first_slots, left, lengths)
    for phases in groups_phases(groups, first_slots, left, lengths):
        assert len(phases) <= len(after.slot_ends_ms)
        assert all(p.teller != leaver for p in phases[current:])
