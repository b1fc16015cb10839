"""The shared exercise timeline: slots with absolute deadlines and the host's controls.

A breakout is a row of contiguous slots; slot i is phase i of every group. The plan is
stored as absolute deadlines (the end of every slot, in server milliseconds); the current
slot and the time left are derived from a given ``now``. Controls return a new timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

PHASE_KINDS: tuple[str, ...] = ("tell", "silence", "question", "answer")


class Status(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class TimelineError(ValueError):
    """A control that the breakout's current status does not allow."""


@dataclass(frozen=True)
class Phase:
    kind: str
    teller: str


def group_phases(members: Sequence[str]) -> list[Phase]:
    """Return a group's phases: in rotation r member r tells, through every phase kind."""
    return [Phase(kind, teller) for teller in members for kind in PHASE_KINDS]


@dataclass(frozen=True)
class PhaseLengths:
    """How long each kind of phase lasts, in ms; slot i is phase kind i mod 4 for every
    group that starts at a slot divisible by four (all but late duos of uneven lengths)."""

    tell: int
    silence: int
    question: int
    answer: int

    @classmethod
    def uniform(cls, ms: int) -> PhaseLengths:
        """Return lengths of ``ms`` for every kind (the contract's ``phase_seconds``)."""
        return cls(ms, ms, ms, ms)

    @classmethod
    def of(cls, lengths: int | PhaseLengths) -> PhaseLengths:
        """Return ``lengths``, a single length standing for every kind."""
        return cls.uniform(lengths) if isinstance(lengths, int) else lengths

    @property
    def by_kind(self) -> tuple[int, ...]:
        """Return the lengths in the order of ``PHASE_KINDS``."""
        return (self.tell, self.silence, self.question, self.answer)

    @property
    def is_uniform(self) -> bool:
        return len(set(self.by_kind)) == 1

    def of_slot(self, index: int) -> int:
        """Return the length of slot ``index`` (its phase kind is ``index`` mod 4)."""
        return self.by_kind[index % len(PHASE_KINDS)]


def slot_count(group_sizes: Sequence[int]) -> int:
    """Return how many slots a breakout needs: as many as its largest group has phases."""
    return max(group_sizes, default=0) * len(PHASE_KINDS)


@dataclass(frozen=True)
class Timeline:
    """A breakout's plan: when it started, when every slot ends, and whether it runs."""

    started_at_ms: int
    slot_ends_ms: tuple[int, ...]
    status: Status = Status.RUNNING
    paused_at_ms: int | None = None

    @classmethod
    def start(cls, now_ms: int, slots: int, slot_ms: int | PhaseLengths) -> Timeline:
        """Plan ``slots`` slots, the first starting at ``now_ms``, each as long as its phase
        kind lasts (``slot_ms``: one length for every kind, or a length per kind).

        Raises TimelineError when there is no slot or a slot has no length.
        """
        lengths = PhaseLengths.of(slot_ms)
        if slots < 1:
            raise TimelineError("A breakout needs at least one slot.")
        if min(lengths.by_kind) < 1:
            raise TimelineError("A slot must last at least one millisecond.")
        ends: list[int] = []
        for i in range(slots):
            ends.append((ends[-1] if ends else now_ms) + lengths.of_slot(i))
        return cls(started_at_ms=now_ms, slot_ends_ms=tuple(ends))

    # ---- derived -----------------------------------------------------------------------

    def status_at(self, now_ms: int) -> Status:
        """Return the status at ``now_ms``: running past the last deadline is finished."""
        if self.status is Status.RUNNING and now_ms >= self.slot_ends_ms[-1]:
            return Status.FINISHED
        return self.status

    def frozen_at(self, now_ms: int) -> int:
        """Return the moment the plan is read at: the start of a pause, or ``now_ms``."""
        if self.status is Status.PAUSED and self.paused_at_ms is not None:
            return self.paused_at_ms
        return now_ms

    def current_slot(self, now_ms: int) -> int:
        """Return the index of the slot under way (the number of slots once finished)."""
        if self.status_at(now_ms) is Status.FINISHED:
            return len(self.slot_ends_ms)
        moment = self.frozen_at(now_ms)
        for index, end in enumerate(self.slot_ends_ms):
            if end > moment:
                return index
        return len(self.slot_ends_ms)

    def remaining_ms(self, now_ms: int) -> int:
        """Return the time left in the current slot (0 once finished), never negative."""
        slot = self.current_slot(now_ms)
        if slot >= len(self.slot_ends_ms):
            return 0
        return max(0, self.slot_ends_ms[slot] - self.frozen_at(now_ms))

    def slots(self) -> list[tuple[int, int]]:
        """Return every slot as (starts_at_ms, ends_at_ms); the slots are contiguous."""
        starts = (self.started_at_ms, *self.slot_ends_ms[:-1])
        return list(zip(starts, self.slot_ends_ms, strict=True))

    def group_done_at_ms(self, phases: int) -> int:
        """Return when a group with ``phases`` phases is done (a duo before a trio)."""
        return self.slot_ends_ms[min(phases, len(self.slot_ends_ms)) - 1]

    def next_deadline_ms(self) -> int | None:
        """Return when the breakout will finish by itself, or None while it cannot."""
        return self.slot_ends_ms[-1] if self.status is Status.RUNNING else None

    # ---- controls ----------------------------------------------------------------------

    def _require_active(self, now_ms: int) -> None:
        if self.status_at(now_ms) is Status.FINISHED:
            raise TimelineError("The breakout has finished.")

    def _shift_from(self, slot: int, delta_ms: int) -> tuple[int, ...]:
        return tuple(
            end + delta_ms if i >= slot else end for i, end in enumerate(self.slot_ends_ms)
        )

    def pause(self, now_ms: int) -> Timeline:
        """Freeze the breakout at ``now_ms``. Raises TimelineError unless it is running."""
        if self.status_at(now_ms) is not Status.RUNNING:
            raise TimelineError("The breakout is not running.")
        return replace(self, status=Status.PAUSED, paused_at_ms=now_ms)

    def resume(self, now_ms: int) -> Timeline:
        """Continue a paused breakout: the current and later slots move by the pause's length.

        Raises TimelineError unless it is paused.
        """
        if self.status is not Status.PAUSED or self.paused_at_ms is None:
            raise TimelineError("The breakout is not paused.")
        paused_at = self.paused_at_ms
        delta = max(0, now_ms - paused_at)
        ends = tuple(end + delta if end > paused_at else end for end in self.slot_ends_ms)
        return replace(self, slot_ends_ms=ends, status=Status.RUNNING, paused_at_ms=None)

    def extend(self, now_ms: int, extra_ms: int) -> Timeline:
        """Make the current slot last ``extra_ms`` longer; later slots move by as much.

        Raises TimelineError when the breakout has finished or ``extra_ms`` is not positive.
        """
        self._require_active(now_ms)
        if extra_ms < 1:
            raise TimelineError("Extra time must be positive.")
        return replace(self, slot_ends_ms=self._shift_from(self.current_slot(now_ms), extra_ms))

    def skip(self, now_ms: int) -> Timeline:
        """End the current slot now; the next starts now with its full length.

        While paused, "now" is the moment the pause began, and the breakout stays paused.
        Skipping the last slot finishes the breakout. Raises TimelineError when finished.
        """
        self._require_active(now_ms)
        slot = self.current_slot(now_ms)
        moment = self.frozen_at(now_ms)
        if slot == len(self.slot_ends_ms) - 1:
            return self.end(now_ms)
        shortened = self.slot_ends_ms[slot] - moment
        return replace(self, slot_ends_ms=self._shift_from(slot, -shortened))

    def end(self, now_ms: int) -> Timeline:
        """Finish the breakout for everyone; slots that had not run out end now.

        Raises TimelineError when it has finished already.
        """
        self._require_active(now_ms)
        moment = self.frozen_at(now_ms)
        ends = tuple(min(end, moment) for end in self.slot_ends_ms)
        return replace(self, slot_ends_ms=ends, status=Status.FINISHED, paused_at_ms=None)

    def finish_if_due(self, now_ms: int) -> Timeline:
        """Return the timeline marked finished when its last slot has run out."""
        if self.status is Status.RUNNING and now_ms >= self.slot_ends_ms[-1]:
            return replace(self, status=Status.FINISHED)
        return self
