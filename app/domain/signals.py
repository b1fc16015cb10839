"""A group's signal to the host during a breakout: "we are done" or "we need help".

Pure rules: who may raise one and when, what the host's clearing does, and which of a
group's signals the pages show. A signal is kept per member who raised it; a group shows the
newest of its members' signals (so a group that changes shape keeps its members' signals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.meeting import MeetingError
from app.domain.timeline import Status, Timeline


class SignalKind(StrEnum):
    """What a group tells the host."""

    DONE = "done"  # finished early
    HELP = "help"  # would like the host to drop by


class SignalError(MeetingError):
    """A signal that cannot be raised or cleared now."""


@dataclass(frozen=True)
class Signal:
    """One member's signal: what, when, and when the host saw it (None: not yet)."""

    kind: SignalKind
    by: str
    raised_at_ms: int
    seen_at_ms: int | None = None

    @property
    def open(self) -> bool:
        """Return whether the host has not seen it yet."""
        return self.seen_at_ms is None


def require_group_member(groups: Sequence[Sequence[str]], participant_id: str) -> int:
    """Return the index of the group ``participant_id`` is in. Raises SignalError."""
    for index, group in enumerate(groups):
        if participant_id in group:
            return index
    raise SignalError("You are in no group of this breakout.")


def require_under_way(timeline: Timeline | None, now_ms: int) -> Timeline:
    """Return the breakout's timeline while it runs or is paused. Raises SignalError."""
    if timeline is None or timeline.status_at(now_ms) is Status.FINISHED:
        raise SignalError("There is no breakout under way.")
    return timeline


def raise_signal(
    current: Signal | None, kind: SignalKind, participant_id: str, now_ms: int
) -> Signal:
    """Return the member's signal after raising ``kind``: the same open one again keeps
    its time (a second tap changes nothing); anything else is new and open."""
    if current is not None and current.open and current.kind is kind:
        return current
    return Signal(kind, participant_id, now_ms)


def seen(signal: Signal, now_ms: int) -> Signal:
    """Return ``signal`` marked as seen by the host at ``now_ms`` (once: the first time)."""
    return signal if not signal.open else replace(signal, seen_at_ms=now_ms)


def group_signal(signals: Mapping[str, Signal], members: Sequence[str]) -> Signal | None:
    """Return the signal a group shows: the newest of its members', or None."""
    mine = [signals[m] for m in members if m in signals]
    return max(mine, key=lambda s: (s.raised_at_ms, s.open), default=None)


def require_open_signal(signals: Mapping[str, Signal], members: Sequence[str]) -> None:
    """Raise SignalError unless one of the group's members has an open signal."""
    if not any(signals[m].open for m in members if m in signals):
        raise SignalError("That group has no signal for the host.")
