"""Tests for the shared exercise timeline (``app.domain.timeline``).

The unit tests follow the contract's wording for every breakout control (pause, resume,
extend, skip, end) and for the ``state`` fields ``status``, ``current_slot``,
``remaining_ms`` and ``slots``. The state machine at the end drives random sequences of
controls on a monotone clock and checks every step against an independent reference model
that describes the plan as slot *lengths* rather than deadlines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from app.domain.timeline import (
    PHASE_KINDS,
    Phase,
    Status,
    Timeline,
    TimelineError,
    group_phases,
    slot_count,
)

T0 = 1_764_380_000_000
MINUTE = 60_000
SLOTS = 8


def fresh(slots: int = SLOTS, slot_ms: int = MINUTE, now: int = T0) -> Timeline:
    return Timeline.start(now, slots, slot_ms)


def lengths(timeline: Timeline) -> list[int]:
    return [end - start for start, end in timeline.slots()]


def assert_well_formed(timeline: Timeline, slots: int) -> None:
    """Slots are contiguous from ``started_at``, never run backwards, never change count."""
    spans = timeline.slots()
    assert len(spans) == slots == len(timeline.slot_ends_ms)
    assert spans[0][0] == timeline.started_at_ms
    for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        assert next_start == end
    for start, end in spans:
        assert start <= end
    assert [end for _, end in spans] == list(timeline.slot_ends_ms)


# ---- the rules of the exercise ----------------------------------------------------------


def test_phase_kinds_are_in_the_exercise_order() -> None:
    assert PHASE_KINDS == ("tell", "silence", "question", "answer")


def test_status_values_are_the_contract_strings() -> None:
    assert [s.value for s in Status] == ["running", "paused", "finished"]
    assert Status.RUNNING == "running"
    assert Status.PAUSED == "paused"
    assert Status.FINISHED == "finished"


def test_a_duo_has_eight_phases_with_each_member_telling_in_turn() -> None:
    phases = group_phases(["anna", "bram"])
    assert len(phases) == 8
    assert phases == [
        Phase("tell", "anna"),
        Phase("silence", "anna"),
        Phase("question", "anna"),
        Phase("answer", "anna"),
        Phase("tell", "bram"),
        Phase("silence", "bram"),
        Phase("question", "bram"),
        Phase("answer", "bram"),
    ]


def test_a_trio_has_twelve_phases_with_member_r_telling_in_rotation_r() -> None:
    members = ["anna", "bram", "cees"]
    phases = group_phases(members)
    assert len(phases) == 12
    for r, member in enumerate(members):
        rotation = phases[4 * r : 4 * r + 4]
        assert [p.kind for p in rotation] == ["tell", "silence", "question", "answer"]
        assert {p.teller for p in rotation} == {member}


@given(st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=6, unique=True))
@settings(deadline=None)  # no wall-clock bound per example
def test_group_phases_rotate_through_every_member_in_order(members: list[str]) -> None:
    phases = group_phases(members)
    assert len(phases) == 4 * len(members)
    for i, phase in enumerate(phases):
        assert phase.kind == PHASE_KINDS[i % 4]
        assert phase.teller == members[i // 4]


def test_group_phases_keeps_member_ids_as_given() -> None:
    assert [p.teller for p in group_phases(("p_x", "p_y"))][::4] == ["p_x", "p_y"]


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ([2], 8),
        ([2, 2], 8),
        ([2, 2, 2, 2, 2], 8),
        ([3], 12),
        ([2, 3], 12),
        ([3, 2, 2], 12),
        ([2, 2, 2, 3, 2], 12),
        ([], 0),
    ],
)
def test_slot_count_is_the_largest_groups_phase_count(sizes: list[int], expected: int) -> None:
    assert slot_count(sizes) == expected


def test_slot_count_accepts_any_sequence() -> None:
    assert slot_count((2, 3)) == 12


# ---- starting ---------------------------------------------------------------------------


def test_start_plans_contiguous_slots_of_the_phase_length() -> None:
    t = fresh(12, 45_000)
    assert t.status is Status.RUNNING
    assert t.paused_at_ms is None
    assert t.started_at_ms == T0
    assert t.slots() == [(T0 + 45_000 * i, T0 + 45_000 * (i + 1)) for i in range(12)]
    assert t.slot_ends_ms == tuple(T0 + 45_000 * (i + 1) for i in range(12))
    assert_well_formed(t, 12)


def test_a_fresh_breakout_is_in_its_first_slot_with_its_full_length() -> None:
    t = fresh()
    assert t.status_at(T0) is Status.RUNNING
    assert t.current_slot(T0) == 0
    assert t.remaining_ms(T0) == MINUTE
    assert t.next_deadline_ms() == T0 + SLOTS * MINUTE
    assert t.frozen_at(T0 + 5) == T0 + 5


@pytest.mark.parametrize(("slots", "slot_ms"), [(0, MINUTE), (-1, MINUTE), (8, 0), (8, -5)])
def test_start_refuses_an_empty_plan(slots: int, slot_ms: int) -> None:
    with pytest.raises(TimelineError):
        Timeline.start(T0, slots, slot_ms)


def test_timeline_error_is_a_value_error() -> None:
    assert issubclass(TimelineError, ValueError)


def test_a_single_slot_breakout_works() -> None:
    t = fresh(1, 1_000)
    assert t.current_slot(T0 + 999) == 0
    assert t.remaining_ms(T0 + 999) == 1
    assert t.status_at(T0 + 1_000) is Status.FINISHED
    assert t.current_slot(T0 + 1_000) == 1


def test_timeline_is_immutable() -> None:
    t = fresh()
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.status = Status.PAUSED  # type: ignore[misc]


# ---- the clock alone --------------------------------------------------------------------


def test_the_current_slot_changes_exactly_at_each_deadline() -> None:
    t = fresh()
    for i in range(SLOTS):
        start = T0 + i * MINUTE
        assert t.current_slot(start) == i
        assert t.remaining_ms(start) == MINUTE
        assert t.current_slot(start + MINUTE - 1) == i
        assert t.remaining_ms(start + MINUTE - 1) == 1


def test_a_running_breakouts_remaining_time_decreases_one_to_one_with_the_clock() -> None:
    t = fresh()
    for elapsed in (0, 1, 17, 1_000, 30_000, 59_999):
        assert t.remaining_ms(T0 + 2 * MINUTE + elapsed) == MINUTE - elapsed
        assert t.current_slot(T0 + 2 * MINUTE + elapsed) == 2


def test_the_breakout_finishes_by_itself_at_the_last_deadline() -> None:
    t = fresh()
    last = T0 + SLOTS * MINUTE
    assert t.status_at(last - 1) is Status.RUNNING
    assert t.current_slot(last - 1) == SLOTS - 1
    assert t.remaining_ms(last - 1) == 1
    for now in (last, last + 1, last + 10 * MINUTE):
        assert t.status_at(now) is Status.FINISHED
        assert t.current_slot(now) == SLOTS
        assert t.remaining_ms(now) == 0
    # The stored plan does not change by merely reading it.
    assert t.status is Status.RUNNING
    assert t.next_deadline_ms() == last


def test_finish_if_due_marks_the_breakout_finished_only_once_the_last_slot_ran_out() -> None:
    t = fresh()
    last = T0 + SLOTS * MINUTE
    assert t.finish_if_due(last - 1) == t
    done = t.finish_if_due(last)
    assert done.status is Status.FINISHED
    assert done.slot_ends_ms == t.slot_ends_ms
    assert done.next_deadline_ms() is None
    assert done.current_slot(last) == SLOTS
    assert done.remaining_ms(last) == 0
    # Idempotent, and harmless later.
    assert done.finish_if_due(last + 1) == done
    assert t.status is Status.RUNNING  # the original is untouched


def test_finish_if_due_leaves_a_paused_breakout_alone_however_late() -> None:
    t = fresh().pause(T0 + 10)
    assert t.finish_if_due(T0 + 100 * MINUTE) == t
    assert t.status_at(T0 + 100 * MINUTE) is Status.PAUSED


# ---- pause ------------------------------------------------------------------------------


def test_pause_freezes_the_current_slot_and_remaining_time_whatever_now_is() -> None:
    t = fresh()
    paused_at = T0 + 2 * MINUTE + 15_000
    p = t.pause(paused_at)
    assert p.status is Status.PAUSED
    assert p.paused_at_ms == paused_at
    assert p.slot_ends_ms == t.slot_ends_ms
    assert p.next_deadline_ms() is None
    for now in (paused_at, paused_at + 1, paused_at + MINUTE, T0 + 100 * MINUTE, T0, 0):
        assert p.status_at(now) is Status.PAUSED
        assert p.current_slot(now) == 2
        assert p.remaining_ms(now) == 45_000
        assert p.frozen_at(now) == paused_at


def test_pause_at_a_slot_boundary_freezes_the_next_slot_at_full_length() -> None:
    p = fresh().pause(T0 + 3 * MINUTE)
    assert p.current_slot(T0 + 10 * MINUTE) == 3
    assert p.remaining_ms(T0 + 10 * MINUTE) == MINUTE


def test_pause_when_paused_raises() -> None:
    p = fresh().pause(T0 + 1_000)
    with pytest.raises(TimelineError):
        p.pause(T0 + 2_000)


def test_pause_at_the_very_start_works() -> None:
    p = fresh().pause(T0)
    assert p.current_slot(T0 + 5) == 0
    assert p.remaining_ms(T0 + 5) == MINUTE


# ---- resume -----------------------------------------------------------------------------


def test_resume_moves_the_current_and_every_later_slot_by_the_pause_length() -> None:
    t = fresh()
    paused_at = T0 + 2 * MINUTE + 15_000
    pause_ms = 37_123
    r = t.pause(paused_at).resume(paused_at + pause_ms)
    assert r.status is Status.RUNNING
    assert r.paused_at_ms is None
    assert r.started_at_ms == t.started_at_ms
    for i, (old, new) in enumerate(zip(t.slot_ends_ms, r.slot_ends_ms, strict=True)):
        assert new == (old + pause_ms if i >= 2 else old)
    assert r.next_deadline_ms() == T0 + SLOTS * MINUTE + pause_ms
    # The paused slot is longer by the pause; the others keep their length.
    assert lengths(r) == [MINUTE, MINUTE, MINUTE + pause_ms] + [MINUTE] * (SLOTS - 3)
    assert_well_formed(r, SLOTS)


def test_after_resume_the_countdown_continues_where_the_pause_began() -> None:
    paused_at = T0 + 2 * MINUTE + 15_000
    resumed_at = paused_at + 5 * MINUTE
    r = fresh().pause(paused_at).resume(resumed_at)
    assert r.current_slot(resumed_at) == 2
    assert r.remaining_ms(resumed_at) == 45_000
    assert r.remaining_ms(resumed_at + 44_999) == 1
    assert r.current_slot(resumed_at + 45_000) == 3
    assert r.remaining_ms(resumed_at + 45_000) == MINUTE


def test_resume_at_the_pause_moment_changes_nothing_in_the_plan() -> None:
    t = fresh()
    r = t.pause(T0 + 1_234).resume(T0 + 1_234)
    assert r.slot_ends_ms == t.slot_ends_ms
    assert r.status is Status.RUNNING


def test_resume_after_a_pause_at_a_boundary_does_not_move_the_slot_that_ended() -> None:
    t = fresh()
    r = t.pause(T0 + 3 * MINUTE).resume(T0 + 4 * MINUTE)
    assert r.slot_ends_ms[:3] == t.slot_ends_ms[:3]
    assert r.slot_ends_ms[3:] == tuple(end + MINUTE for end in t.slot_ends_ms[3:])
    assert_well_formed(r, SLOTS)


def test_resume_when_running_raises() -> None:
    with pytest.raises(TimelineError):
        fresh().resume(T0 + 1_000)


def test_several_pauses_add_up() -> None:
    t = fresh()
    r = t.pause(T0 + 10_000).resume(T0 + 20_000)  # 10 s in slot 0
    r = r.pause(T0 + 80_000).resume(T0 + 110_000)  # 30 s, in slot 1 (slot 0 ended at 70 s)
    assert r.slot_ends_ms[0] == T0 + MINUTE + 10_000
    assert r.slot_ends_ms[1] == T0 + 2 * MINUTE + 40_000
    assert r.slot_ends_ms[-1] == T0 + SLOTS * MINUTE + 40_000
    assert_well_formed(r, SLOTS)


def test_a_paused_breakout_does_not_finish_by_itself() -> None:
    t = fresh()
    p = t.pause(T0 + SLOTS * MINUTE - 1)
    late = T0 + 1_000 * MINUTE
    assert p.status_at(late) is Status.PAUSED
    assert p.current_slot(late) == SLOTS - 1
    assert p.remaining_ms(late) == 1
    r = p.resume(late)
    assert r.status_at(late) is Status.RUNNING
    assert r.status_at(late + 1) is Status.FINISHED
    assert r.next_deadline_ms() == late + 1


# ---- extend -----------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [1, 1_000, 90_000, 600_000])
def test_extend_while_running_lengthens_the_current_slot_and_moves_later_ones(extra: int) -> None:
    t = fresh()
    now = T0 + 3 * MINUTE + 20_000
    e = t.extend(now, extra)
    assert e.status is Status.RUNNING
    assert e.started_at_ms == t.started_at_ms
    for i, (old, new) in enumerate(zip(t.slot_ends_ms, e.slot_ends_ms, strict=True)):
        assert new == (old + extra if i >= 3 else old)
    assert lengths(e)[3] == MINUTE + extra
    assert lengths(e)[:3] + lengths(e)[4:] == [MINUTE] * (SLOTS - 1)
    assert e.current_slot(now) == 3
    assert e.remaining_ms(now) == t.remaining_ms(now) + extra
    assert e.next_deadline_ms() == T0 + SLOTS * MINUTE + extra
    assert_well_formed(e, SLOTS)


def test_extend_while_paused_stays_paused_and_grows_the_remaining_time() -> None:
    paused_at = T0 + 3 * MINUTE + 20_000
    p = fresh().pause(paused_at)
    now = paused_at + 7 * MINUTE
    e = p.extend(now, 30_000)
    assert e.status is Status.PAUSED
    assert e.paused_at_ms == paused_at
    assert e.current_slot(now) == 3
    assert e.remaining_ms(now) == 40_000 + 30_000
    assert e.remaining_ms(now + 99) == 70_000
    assert e.slot_ends_ms[:3] == p.slot_ends_ms[:3]
    assert e.slot_ends_ms[3:] == tuple(end + 30_000 for end in p.slot_ends_ms[3:])
    # On resume, the extension and the pause both count.
    resumed_at = now + 1_000
    r = e.resume(resumed_at)
    assert r.remaining_ms(resumed_at) == 70_000
    pause_ms = resumed_at - paused_at
    assert r.slot_ends_ms[3:] == tuple(end + 30_000 + pause_ms for end in p.slot_ends_ms[3:])


def test_extend_on_the_last_slot_postpones_the_finish() -> None:
    t = fresh()
    now = T0 + SLOTS * MINUTE - 1
    e = t.extend(now, 5_000)
    assert e.status_at(T0 + SLOTS * MINUTE) is Status.RUNNING
    assert e.current_slot(T0 + SLOTS * MINUTE) == SLOTS - 1
    assert e.status_at(T0 + SLOTS * MINUTE + 5_000) is Status.FINISHED
    assert e.next_deadline_ms() == T0 + SLOTS * MINUTE + 5_000


def test_extend_at_a_slot_boundary_extends_the_slot_that_just_began() -> None:
    t = fresh()
    e = t.extend(T0 + 2 * MINUTE, 10_000)
    assert e.slot_ends_ms[1] == t.slot_ends_ms[1]
    assert e.slot_ends_ms[2] == t.slot_ends_ms[2] + 10_000


@pytest.mark.parametrize("extra", [0, -1, -MINUTE])
def test_extend_refuses_no_or_negative_extra_time(extra: int) -> None:
    with pytest.raises(TimelineError):
        fresh().extend(T0 + 1_000, extra)


# ---- skip -------------------------------------------------------------------------------


def test_skip_while_running_ends_the_current_slot_now_and_starts_the_next_at_full_length() -> None:
    t = fresh()
    now = T0 + 2 * MINUTE + 15_000
    s = t.skip(now)
    assert s.status is Status.RUNNING
    assert s.slot_ends_ms[:2] == t.slot_ends_ms[:2]
    assert s.slot_ends_ms[2] == now
    assert s.slots()[3] == (now, now + MINUTE)
    shortened = t.slot_ends_ms[2] - now
    assert s.slot_ends_ms[3:] == tuple(end - shortened for end in t.slot_ends_ms[3:])
    assert lengths(s)[3:] == [MINUTE] * (SLOTS - 3)
    assert s.current_slot(now) == 3
    assert s.remaining_ms(now) == MINUTE
    assert s.next_deadline_ms() == T0 + SLOTS * MINUTE - shortened
    assert_well_formed(s, SLOTS)


def test_skip_at_the_start_of_a_slot_leaves_it_empty() -> None:
    t = fresh()
    s = t.skip(T0 + MINUTE)  # slot 1 just began
    assert s.slot_ends_ms[1] == T0 + MINUTE
    assert s.current_slot(T0 + MINUTE) == 2
    assert s.remaining_ms(T0 + MINUTE) == MINUTE
    assert_well_formed(s, SLOTS)


def test_skip_gives_the_next_slot_its_own_full_length_not_the_extension() -> None:
    t = fresh()
    now = T0 + 10_000
    s = t.extend(now, 90_000).skip(now + 1_000)
    assert s.slot_ends_ms[0] == now + 1_000
    assert lengths(s)[1:] == [MINUTE] * (SLOTS - 1)
    assert s.remaining_ms(now + 1_000) == MINUTE


def test_skip_after_an_extension_of_the_next_slot_keeps_that_extension() -> None:
    t = fresh()
    e = t.extend(T0 + MINUTE + 1, 5_000)  # slot 1 lasts 65 s
    # Back in time is impossible, so extend slot 1 then skip within slot 1 itself.
    s = e.skip(T0 + MINUTE + 2)
    assert s.slot_ends_ms[1] == T0 + MINUTE + 2
    assert s.slots()[2] == (T0 + MINUTE + 2, T0 + 2 * MINUTE + 2)


def test_skip_twice_moves_two_slots_on() -> None:
    now = T0 + 5_000
    s = fresh().skip(now).skip(now)
    assert s.current_slot(now) == 2
    assert s.slot_ends_ms[0] == now
    assert s.slot_ends_ms[1] == now
    assert s.slots()[2] == (now, now + MINUTE)
    assert_well_formed(s, SLOTS)


def test_skip_while_paused_stays_paused_and_the_next_slot_has_its_full_length() -> None:
    paused_at = T0 + 2 * MINUTE + 15_000
    p = fresh().pause(paused_at)
    now = paused_at + 4 * MINUTE
    s = p.skip(now)
    assert s.status is Status.PAUSED
    assert s.paused_at_ms == paused_at
    # "now" for a paused breakout is the moment the pause began.
    assert s.slot_ends_ms[2] == paused_at
    assert s.slots()[3] == (paused_at, paused_at + MINUTE)
    assert lengths(s)[3:] == [MINUTE] * (SLOTS - 3)
    for read_at in (now, now + 1, now + 10 * MINUTE):
        assert s.status_at(read_at) is Status.PAUSED
        assert s.current_slot(read_at) == 3
        assert s.remaining_ms(read_at) == MINUTE
    # Resuming later starts slot 3 with its full length.
    resumed_at = now + MINUTE
    r = s.resume(resumed_at)
    assert r.current_slot(resumed_at) == 3
    assert r.remaining_ms(resumed_at) == MINUTE
    assert r.slots()[3] == (paused_at, resumed_at + MINUTE)
    assert r.slot_ends_ms[2] == paused_at
    assert_well_formed(r, SLOTS)


def test_skip_on_the_last_slot_finishes_the_breakout() -> None:
    t = fresh()
    now = T0 + (SLOTS - 1) * MINUTE + 1_000
    s = t.skip(now)
    assert s.status is Status.FINISHED
    assert s.status_at(now) is Status.FINISHED
    assert s.current_slot(now) == SLOTS
    assert s.remaining_ms(now) == 0
    assert s.slot_ends_ms[-1] == now
    assert s.slot_ends_ms[:-1] == t.slot_ends_ms[:-1]
    assert s.next_deadline_ms() is None
    assert s.paused_at_ms is None
    assert_well_formed(s, SLOTS)


def test_skip_on_the_last_slot_while_paused_finishes_the_breakout() -> None:
    paused_at = T0 + (SLOTS - 1) * MINUTE + 1_000
    s = fresh().pause(paused_at).skip(paused_at + MINUTE)
    assert s.status is Status.FINISHED
    assert s.current_slot(paused_at + MINUTE) == SLOTS
    assert s.remaining_ms(paused_at + MINUTE) == 0
    assert s.paused_at_ms is None
    assert max(s.slot_ends_ms) <= paused_at + MINUTE
    assert_well_formed(s, SLOTS)


def test_skipping_every_slot_finishes_after_exactly_that_many_skips() -> None:
    t = fresh()
    now = T0 + 1
    for i in range(SLOTS):
        assert t.status_at(now) is Status.RUNNING
        assert t.current_slot(now) == i
        t = t.skip(now)
        now += 7
    assert t.status is Status.FINISHED
    assert t.current_slot(now) == SLOTS


# ---- end --------------------------------------------------------------------------------


def test_end_while_running_finishes_for_everyone() -> None:
    t = fresh()
    now = T0 + 3 * MINUTE + 5_000
    e = t.end(now)
    assert e.status is Status.FINISHED
    assert e.paused_at_ms is None
    assert e.next_deadline_ms() is None
    for read_at in (now, now + 1, now + 100 * MINUTE):
        assert e.status_at(read_at) is Status.FINISHED
        assert e.current_slot(read_at) == SLOTS
        assert e.remaining_ms(read_at) == 0
    # Slots that had run out keep their times; nothing is planned after the end.
    assert e.slot_ends_ms[:3] == t.slot_ends_ms[:3]
    assert e.slot_ends_ms[3:] == (now,) * (SLOTS - 3)
    assert_well_formed(e, SLOTS)


def test_end_while_paused_finishes_for_everyone() -> None:
    t = fresh()
    paused_at = T0 + 3 * MINUTE + 5_000
    now = paused_at + MINUTE
    e = t.pause(paused_at).end(now)
    assert e.status is Status.FINISHED
    assert e.paused_at_ms is None
    assert e.current_slot(now) == SLOTS
    assert e.remaining_ms(now) == 0
    assert e.slot_ends_ms[:3] == t.slot_ends_ms[:3]
    assert max(e.slot_ends_ms) <= now
    assert e.slot_ends_ms[3] >= t.slot_ends_ms[2]
    assert_well_formed(e, SLOTS)


def test_end_at_the_start_finishes_at_once() -> None:
    e = fresh().end(T0)
    assert e.status is Status.FINISHED
    assert e.slot_ends_ms == (T0,) * SLOTS
    assert e.current_slot(T0) == SLOTS


# ---- every control on a finished breakout -----------------------------------------------

LAST = T0 + SLOTS * MINUTE


def _finished_by_itself() -> tuple[Timeline, int]:
    return fresh(), LAST  # stored as running; its last deadline has passed


def _finished_by_finish_if_due() -> tuple[Timeline, int]:
    return fresh().finish_if_due(LAST + 5), LAST + 10


def _finished_by_end() -> tuple[Timeline, int]:
    return fresh().end(T0 + 1_000), T0 + 2_000


def _finished_by_end_while_paused() -> tuple[Timeline, int]:
    return fresh().pause(T0 + 1_000).end(T0 + 2_000), T0 + 3_000


def _finished_by_skipping_the_last_slot() -> tuple[Timeline, int]:
    return fresh().skip(LAST - 10), LAST - 5


def _finished_after_an_extension_ran_out() -> tuple[Timeline, int]:
    return fresh().extend(T0 + 1, 10_000), LAST + 10_000


FINISHERS = [
    _finished_by_itself,
    _finished_by_finish_if_due,
    _finished_by_end,
    _finished_by_end_while_paused,
    _finished_by_skipping_the_last_slot,
    _finished_after_an_extension_ran_out,
]

CONTROLS: dict[str, Callable[[Timeline, int], Timeline]] = {
    "pause": lambda t, now: t.pause(now),
    "resume": lambda t, now: t.resume(now),
    "extend": lambda t, now: t.extend(now, 1_000),
    "skip": lambda t, now: t.skip(now),
    "end": lambda t, now: t.end(now),
}


@pytest.mark.parametrize("finisher", FINISHERS, ids=lambda f: f.__name__.removeprefix("_"))
@pytest.mark.parametrize("control", sorted(CONTROLS))
def test_every_control_on_a_finished_breakout_raises(
    finisher: Callable[[], tuple[Timeline, int]], control: str
) -> None:
    t, now = finisher()
    assert t.status_at(now) is Status.FINISHED
    assert t.current_slot(now) == SLOTS
    assert t.remaining_ms(now) == 0
    assert t.next_deadline_ms() is None or t.next_deadline_ms() <= now
    with pytest.raises(TimelineError):
        CONTROLS[control](t, now)
    with pytest.raises(TimelineError):
        CONTROLS[control](t, now + 10 * MINUTE)


@pytest.mark.parametrize("control", sorted(CONTROLS))
def test_a_control_at_the_exact_last_deadline_raises(control: str) -> None:
    with pytest.raises(TimelineError):
        CONTROLS[control](fresh(), LAST)


@pytest.mark.parametrize("control", ["pause", "extend", "skip", "end"])
def test_controls_one_millisecond_before_the_last_deadline_are_allowed(control: str) -> None:
    CONTROLS[control](fresh(), LAST - 1)


def test_controls_return_a_new_timeline_and_leave_the_original_alone() -> None:
    t = fresh()
    snapshot = dataclasses.replace(t)
    now = T0 + 90_000
    for name in ("pause", "extend", "skip", "end"):
        assert CONTROLS[name](t, now) is not t
    t.pause(now).resume(now + 5)
    assert t == snapshot


# ---- a duo in a session with a trio -----------------------------------------------------


def test_a_duo_alongside_a_trio_is_done_after_slot_eight() -> None:
    n = slot_count([2, 3, 2])
    assert n == 12
    t = fresh(n)
    assert t.group_done_at_ms(8) == t.slot_ends_ms[7] == t.slots()[7][1] == T0 + 8 * MINUTE
    assert t.group_done_at_ms(12) == t.slot_ends_ms[-1] == T0 + 12 * MINUTE
    # While slot 8 runs the duo is done and the trio still tells.
    now = T0 + 8 * MINUTE + 1
    assert t.current_slot(now) == 8
    assert now >= t.group_done_at_ms(8)
    assert t.status_at(now) is Status.RUNNING


def test_the_duos_finish_moves_with_controls_before_it_and_not_after() -> None:
    t = fresh(12)
    before = t.extend(T0 + 3 * MINUTE, 20_000)
    assert before.group_done_at_ms(8) == T0 + 8 * MINUTE + 20_000
    after = t.extend(T0 + 9 * MINUTE, 20_000)
    assert after.group_done_at_ms(8) == T0 + 8 * MINUTE
    assert after.group_done_at_ms(12) == T0 + 12 * MINUTE + 20_000
    paused = t.pause(T0 + MINUTE).resume(T0 + 2 * MINUTE)
    assert paused.group_done_at_ms(8) == T0 + 9 * MINUTE


def test_group_done_at_is_capped_at_the_last_slot() -> None:
    t = fresh(8)
    assert t.group_done_at_ms(12) == t.slot_ends_ms[-1]
    assert t.group_done_at_ms(8) == t.slot_ends_ms[-1]


# ---- random sequences against a reference model -----------------------------------------


class Model:
    """The contract's plan as slot lengths: controls change lengths, never deadlines."""

    def __init__(self, now: int, slots: int, slot_ms: int) -> None:
        self.started_at = now
        self.lengths = [slot_ms] * slots
        self.status = Status.RUNNING
        self.paused_at: int | None = None

    def ends(self) -> tuple[int, ...]:
        return tuple(self.started_at + total for total in accumulate(self.lengths))

    def moment(self, now: int) -> int:
        return self.paused_at if self.paused_at is not None else now

    def status_at(self, now: int) -> Status:
        if self.status is Status.RUNNING and now >= self.ends()[-1]:
            return Status.FINISHED
        return self.status

    def current(self, now: int) -> int:
        if self.status_at(now) is Status.FINISHED:
            return len(self.lengths)
        moment = self.moment(now)
        elapsed = moment - self.started_at
        for i, length in enumerate(self.lengths):
            if elapsed < length:
                return i
            elapsed -= length
        raise AssertionError("an unfinished breakout has a slot under way")

    def remaining(self, now: int) -> int:
        slot = self.current(now)
        if slot == len(self.lengths):
            return 0
        return self.ends()[slot] - self.moment(now)

    def start_of(self, slot: int) -> int:
        return self.started_at + sum(self.lengths[:slot])

    # Each control returns whether the contract allows it, and applies it when it does.

    def pause(self, now: int) -> bool:
        if self.status_at(now) is not Status.RUNNING:
            return False
        self.status, self.paused_at = Status.PAUSED, now
        return True

    def resume(self, now: int) -> bool:
        if self.status is not Status.PAUSED or self.paused_at is None:
            return False
        self.lengths[self.current(now)] += now - self.paused_at
        self.status, self.paused_at = Status.RUNNING, None
        return True

    def extend(self, now: int, extra: int) -> bool:
        if self.status_at(now) is Status.FINISHED:
            return False
        self.lengths[self.current(now)] += extra
        return True

    def skip(self, now: int) -> bool:
        if self.status_at(now) is Status.FINISHED:
            return False
        slot = self.current(now)
        self.lengths[slot] = self.moment(now) - self.start_of(slot)
        if slot == len(self.lengths) - 1:
            self.status, self.paused_at = Status.FINISHED, None
        return True

    def end(self, now: int) -> bool:
        if self.status_at(now) is Status.FINISHED:
            return False
        slot = self.current(now)
        self.lengths[slot] = self.moment(now) - self.start_of(slot)
        for later in range(slot + 1, len(self.lengths)):
            self.lengths[later] = 0
        self.status, self.paused_at = Status.FINISHED, None
        return True

    def finish_if_due(self, now: int) -> None:
        if self.status_at(now) is Status.FINISHED:
            self.status, self.paused_at = Status.FINISHED, None


class TimelineMachine(RuleBasedStateMachine):
    """Random controls on a monotone clock; every step is checked against ``Model``."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0
        self.slots = 0
        self.timeline: Timeline
        self.model: Model

    @initialize(
        now=st.integers(0, 2_000_000_000_000),
        slots=st.sampled_from([1, 2, 4, 8, 12, 16]),
        slot_ms=st.one_of(st.integers(1, 5), st.integers(10_000, 600_000)),
    )
    def start(self, now: int, slots: int, slot_ms: int) -> None:
        self.now = now
        self.slots = slots
        self.timeline = Timeline.start(now, slots, slot_ms)
        self.model = Model(now, slots, slot_ms)

    # ---- the clock ----------------------------------------------------------------------

    @rule(ms=st.one_of(st.integers(0, 3), st.integers(0, 120_000), st.integers(0, 3_600_000)))
    def advance(self, ms: int) -> None:
        before_status = self.timeline.status_at(self.now)
        before_slot = self.timeline.current_slot(self.now)
        before_remaining = self.timeline.remaining_ms(self.now)
        before_ends = self.timeline.slot_ends_ms
        self.now += ms
        t, now = self.timeline, self.now
        if before_status is Status.PAUSED:
            # Whatever now is, a paused breakout reads as when the pause began.
            assert t.status_at(now) is Status.PAUSED
            assert t.current_slot(now) == before_slot
            assert t.remaining_ms(now) == before_remaining
        elif before_status is Status.RUNNING:
            slot = t.current_slot(now)
            assert slot >= before_slot
            if slot == before_slot:
                # The countdown runs 1:1 with the clock within a slot.
                assert t.remaining_ms(now) == before_remaining - ms
            if now >= before_ends[-1]:
                assert t.status_at(now) is Status.FINISHED
        else:
            assert t.status_at(now) is Status.FINISHED

    @rule(short=st.sampled_from([0, 1]))
    def advance_to_a_deadline(self, short: int) -> None:
        """Land exactly on the next deadline (or just before), where off-by-ones live."""
        if self.timeline.status_at(self.now) is not Status.RUNNING:
            return
        remaining = self.timeline.remaining_ms(self.now)
        slot = self.timeline.current_slot(self.now)
        self.now += remaining
        assert self.timeline.current_slot(self.now) > slot
        if short and remaining > 1:
            self.now -= 1
            assert self.timeline.current_slot(self.now) == slot
            assert self.timeline.remaining_ms(self.now) == 1

    # ---- controls -----------------------------------------------------------------------

    def _apply(
        self,
        control: Callable[[Timeline], Timeline],
        allowed: bool,
    ) -> Timeline | None:
        old = self.timeline
        snapshot = dataclasses.replace(old)
        try:
            new = control(old)
        except TimelineError:
            assert not allowed, "the contract allows this control here"
            assert old == snapshot
            return None
        assert allowed, "the contract says this control must raise here"
        assert old == snapshot, "controls must not change the timeline they are called on"
        # The past never changes: slots that ended before the read moment keep their end.
        moment = old.frozen_at(self.now)
        for before, after in zip(old.slot_ends_ms, new.slot_ends_ms, strict=True):
            if before <= moment:
                assert after == before
        assert new.started_at_ms == old.started_at_ms
        self.timeline = new
        return new

    @rule()
    def pause(self) -> None:
        before = (self.timeline.current_slot(self.now), self.timeline.remaining_ms(self.now))
        new = self._apply(lambda t: t.pause(self.now), self.model.pause(self.now))
        if new is not None:
            assert new.status is Status.PAUSED
            assert new.paused_at_ms == self.now
            assert (new.current_slot(self.now), new.remaining_ms(self.now)) == before

    @rule()
    def resume(self) -> None:
        old = self.timeline
        frozen = (old.current_slot(self.now), old.remaining_ms(self.now))
        paused_at = old.paused_at_ms
        new = self._apply(lambda t: t.resume(self.now), self.model.resume(self.now))
        if new is not None:
            assert paused_at is not None
            pause_ms = self.now - paused_at
            slot = frozen[0]
            assert new.status is Status.RUNNING
            assert new.paused_at_ms is None
            assert new.slot_ends_ms[:slot] == old.slot_ends_ms[:slot]
            assert new.slot_ends_ms[slot:] == tuple(e + pause_ms for e in old.slot_ends_ms[slot:])
            assert (new.current_slot(self.now), new.remaining_ms(self.now)) == frozen

    @rule(extra=st.integers(1, 600) | st.integers(1, 600).map(lambda s: s * 1_000))
    def extend(self, extra: int) -> None:
        old = self.timeline
        slot, remaining = old.current_slot(self.now), old.remaining_ms(self.now)
        status = old.status_at(self.now)
        allowed = self.model.extend(self.now, extra)
        new = self._apply(lambda t: t.extend(self.now, extra), allowed)
        if new is not None:
            assert new.status is status
            assert new.paused_at_ms == old.paused_at_ms
            assert new.current_slot(self.now) == slot
            assert new.remaining_ms(self.now) == remaining + extra
            assert new.slot_ends_ms[:slot] == old.slot_ends_ms[:slot]
            assert new.slot_ends_ms[slot:] == tuple(e + extra for e in old.slot_ends_ms[slot:])

    @rule()
    def skip(self) -> None:
        old = self.timeline
        slot = old.current_slot(self.now)
        status = old.status_at(self.now)
        moment = old.frozen_at(self.now)
        old_lengths = lengths(old)
        new = self._apply(lambda t: t.skip(self.now), self.model.skip(self.now))
        if new is None:
            return
        assert new.slot_ends_ms[slot] == moment
        if slot == self.slots - 1:
            assert new.status is Status.FINISHED
            assert new.current_slot(self.now) == self.slots
            assert new.remaining_ms(self.now) == 0
        else:
            assert new.status is status
            assert new.paused_at_ms == old.paused_at_ms
            assert new.current_slot(self.now) == slot + 1
            assert new.remaining_ms(self.now) == old_lengths[slot + 1]
            assert lengths(new)[slot + 1 :] == old_lengths[slot + 1 :]
            shortened = old.slot_ends_ms[slot] - moment
            assert shortened > 0
            assert new.slot_ends_ms[slot + 1 :] == tuple(
                e - shortened for e in old.slot_ends_ms[slot + 1 :]
            )

    @rule()
    def end(self) -> None:
        new = self._apply(lambda t: t.end(self.now), self.model.end(self.now))
        if new is not None:
            assert new.status is Status.FINISHED
            assert new.paused_at_ms is None
            assert max(new.slot_ends_ms) <= self.now

    @rule()
    def finish_if_due(self) -> None:
        old = self.timeline
        self.model.finish_if_due(self.now)
        new = old.finish_if_due(self.now)
        assert new.slot_ends_ms == old.slot_ends_ms
        assert new.status_at(self.now) is old.status_at(self.now)
        self.timeline = new

    @rule(control=st.sampled_from(sorted(CONTROLS)), later=st.integers(0, 10 * MINUTE))
    def controls_after_finishing_raise(self, control: str, later: int) -> None:
        if self.timeline.status_at(self.now) is Status.FINISHED:
            with pytest.raises(TimelineError):
                CONTROLS[control](self.timeline, self.now + later)

    # ---- invariants ---------------------------------------------------------------------

    @invariant()
    def matches_the_model(self) -> None:
        t, m, now = self.timeline, self.model, self.now
        assert t.slot_ends_ms == m.ends()
        assert t.status == m.status
        assert t.paused_at_ms == m.paused_at
        assert t.status_at(now) is m.status_at(now)
        assert t.current_slot(now) == m.current(now)
        assert t.remaining_ms(now) == m.remaining(now)

    @invariant()
    def slots_are_contiguous_and_monotone(self) -> None:
        assert_well_formed(self.timeline, self.slots)

    @invariant()
    def derived_fields_are_consistent(self) -> None:
        t, now, n = self.timeline, self.now, self.slots
        status = t.status_at(now)
        slot = t.current_slot(now)
        remaining = t.remaining_ms(now)
        assert 0 <= slot <= n
        assert remaining >= 0
        if status is Status.FINISHED:
            assert slot == n
            assert remaining == 0
            assert t.next_deadline_ms() is None or t.next_deadline_ms() <= now
            return
        assert slot < n
        start, end = t.slots()[slot]
        moment = t.frozen_at(now)
        assert start <= moment < end
        assert 0 < remaining <= end - start
        assert remaining == end - moment
        if status is Status.RUNNING:
            assert t.status is Status.RUNNING
            assert now < t.slot_ends_ms[-1]
            assert t.next_deadline_ms() == t.slot_ends_ms[-1]
            assert moment == now
        else:
            assert t.status is Status.PAUSED
            assert t.paused_at_ms is not None
            assert t.paused_at_ms <= now
            assert moment == t.paused_at_ms
            assert t.next_deadline_ms() is None

    @invariant()
    def reading_ahead_runs_the_plan_forward(self) -> None:
        """Without controls, slots follow each other and the countdown runs 1:1."""
        t, now = self.timeline, self.now
        if t.status_at(now) is not Status.RUNNING:
            return
        last = t.slot_ends_ms[-1]
        probes = sorted({now, now + 1, *(e - 1 for e in t.slot_ends_ms if e > now), last})
        previous = t.current_slot(now)
        for probe in probes:
            slot = t.current_slot(probe)
            assert slot >= previous
            previous = slot
            if probe >= last:
                assert t.status_at(probe) is Status.FINISHED
                assert slot == self.slots
                continue
            assert t.status_at(probe) is Status.RUNNING
            # Time left until the end == this slot's remainder + every later slot's length.
            later = sum(lengths(t)[slot + 1 :])
            assert t.remaining_ms(probe) + later == last - probe

    @invariant()
    def group_done_times_follow_the_slots(self) -> None:
        t = self.timeline
        for phases in (8, 12):
            assert t.group_done_at_ms(phases) == t.slot_ends_ms[min(phases, self.slots) - 1]


TimelineMachine.TestCase.settings = settings(
    max_examples=300, stateful_step_count=50, deadline=None
)
test_timeline_state_machine = TimelineMachine.TestCase


# ---- a few direct properties ------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    slots=st.integers(1, 16),
    slot_ms=st.integers(1, 600_000),
    paused_after=st.integers(0, 10_000_000),
    pause_ms=st.integers(0, 10_000_000),
)
def test_pause_then_resume_shifts_exactly_the_unfinished_slots(
    slots: int, slot_ms: int, paused_after: int, pause_ms: int
) -> None:
    t = Timeline.start(T0, slots, slot_ms)
    paused_at = T0 + paused_after
    if t.status_at(paused_at) is Status.FINISHED:
        with pytest.raises(TimelineError):
            t.pause(paused_at)
        return
    r = t.pause(paused_at).resume(paused_at + pause_ms)
    for before, after in zip(t.slot_ends_ms, r.slot_ends_ms, strict=True):
        assert after == (before + pause_ms if before > paused_at else before)
    assert r.current_slot(paused_at + pause_ms) == t.current_slot(paused_at)
    assert r.remaining_ms(paused_at + pause_ms) == t.remaining_ms(paused_at)


@settings(max_examples=100, deadline=None)
@given(
    slots=st.integers(1, 16),
    slot_ms=st.integers(1, 600_000),
    at=st.integers(0, 10_000_000),
    paused=st.booleans(),
)
def test_skip_and_end_never_plan_anything_after_the_read_moment_when_finishing(
    slots: int, slot_ms: int, at: int, paused: bool
) -> None:
    t = Timeline.start(T0, slots, slot_ms)
    now = T0 + at
    if t.status_at(now) is Status.FINISHED:
        return
    if paused:
        t = t.pause(now)
        now += at
    e = t.end(now)
    assert e.status is Status.FINISHED
    assert max(e.slot_ends_ms) <= now
    assert e.current_slot(now) == slots
    assert_well_formed(e, slots)
    # Skipping every remaining slot finishes too, after exactly that many skips.
    s = t
    for _ in range(slots - t.current_slot(now)):
        assert s.status_at(now) is not Status.FINISHED
        s = s.skip(now)
    assert s.status is Status.FINISHED
    assert s.current_slot(now) == slots
    assert_well_formed(s, slots)
