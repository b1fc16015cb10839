"""A group's signal to the host: who may raise one, when, and what a group shows."""

import pytest

from app.domain.signals import (
    Signal,
    SignalError,
    SignalKind,
    group_signal,
    raise_signal,
    require_group_member,
    require_open_signal,
    require_under_way,
    seen,
)
from app.domain.timeline import Timeline

GROUPS = [["a", "b"], ["c", "d", "e"]]


def test_only_a_member_of_a_group_raises_one() -> None:
    assert require_group_member(GROUPS, "d") == 1
    with pytest.raises(SignalError, match="no group"):
        require_group_member(GROUPS, "z")


def test_only_while_a_breakout_is_under_way() -> None:
    timeline = Timeline.start(0, 2, 60_000)
    assert require_under_way(timeline, 1_000) is timeline
    assert require_under_way(timeline.pause(1_000), 500_000).paused_at_ms == 1_000
    with pytest.raises(SignalError, match="no breakout"):
        require_under_way(None, 0)
    with pytest.raises(SignalError, match="no breakout"):
        require_under_way(timeline, 10_000_000)


def test_a_second_tap_keeps_the_first_time_and_another_kind_is_new() -> None:
    first = raise_signal(None, SignalKind.HELP, "a", 100)
    assert first == Signal(SignalKind.HELP, "a", 100) and first.open
    assert raise_signal(first, SignalKind.HELP, "a", 200) is first
    assert raise_signal(first, SignalKind.DONE, "a", 300) == Signal(SignalKind.DONE, "a", 300)
    # Once seen, the same kind again is a new call for the host.
    assert raise_signal(seen(first, 150), SignalKind.HELP, "a", 400).raised_at_ms == 400


def test_seen_once() -> None:
    signal = seen(Signal(SignalKind.DONE, "a", 100), 150)
    assert signal.seen_at_ms == 150 and not signal.open
    assert seen(signal, 999) is signal


def test_a_group_shows_its_members_newest_signal() -> None:
    signals = {
        "c": Signal(SignalKind.DONE, "c", 100),
        "e": Signal(SignalKind.HELP, "e", 200, seen_at_ms=250),
        "a": Signal(SignalKind.HELP, "a", 300),
    }
    assert group_signal(signals, GROUPS[1]) == signals["e"]
    assert group_signal(signals, GROUPS[0]) == signals["a"]
    assert group_signal(signals, ["x", "y"]) is None
    require_open_signal(signals, GROUPS[1])  # c's is still open
    with pytest.raises(SignalError, match="no signal"):
        require_open_signal({"e": signals["e"]}, GROUPS[1])
