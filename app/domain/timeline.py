"""The shared exercise timeline: slots with absolute deadlines and the host's controls.

A breakout is a row of contiguous slots; slot i is phase i of every group. The plan is
stored as absolute deadlines (the end of every slot, in server milliseconds); the current
slot and the time left are derived from a given ``now``. Controls return a new timeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    teller: str | None  # None: a wait, nobody tells (the teller left the session)


def group_phases(
    members: Sequence[str], left: Mapping[str, int] | None = None, *, aligned: bool = False
) -> list[Phase]:
    """Return a group's phases: in rotation r member r tells, through every phase kind.

    ``left`` maps members who left the session to the phase (index in this group's phases)
    under way when they left; a negative index: before the group's first phase. From that
    phase on the group goes on without them (``without_leaver``), leave after leave in the
    order they left. ``aligned``: a rotation may start only at a multiple of four (the
    phase kinds last differently, so a phase must run in a slot of its own kind).
    """
    phases = [Phase(kind, teller) for teller in members for kind in PHASE_KINDS]
    if not left:
        return phases
    leaves = sorted(
        ((at, members.index(pid), pid) for pid, at in left.items() if pid in members),
    )
    gone: set[str] = set()
    for at, _, pid in leaves:
        gone.add(pid)
        present = [m for m in members if m not in gone]
        phases = without_leaver(phases, present, at, aligned=aligned)
    return phases


def without_leaver(
    phases: Sequence[Phase], present: Sequence[str], at: int, *, aligned: bool = False
) -> list[Phase]:
    """Return a group's ``phases`` after someone left during phase ``at``; ``present`` are
    the members still there, in rotation order.

    The phases before ``at`` stay as they were. From ``at`` on no phase names whoever left:

    - two or more still there: a rotation under way whose teller is still there runs to its
      end; the members still there who have not told yet follow, each a whole rotation, in
      rotation order. When the teller left (or nobody told), phase ``at`` becomes a wait
      and the next rotation starts right after it (``aligned``: at the next multiple of
      four, waiting until then); with nobody left to tell, the group is done at once.
      Before the group's first phase (``at`` negative) it is simply a group of those there.
    - one still there (lone): every phase from ``at`` on becomes a wait, so the plan keeps
      its length while the host places them in another group.
    - nobody still there: the group is done at once.

    The result is never longer than ``phases``: a leave never needs a slot more.
    """
    if at >= len(phases):
        return list(phases)
    if at < 0 and len(present) > 1:  # before the group's first phase: a group of those there
        return [Phase(kind, m) for m in present for kind in PHASE_KINDS]
    at = max(at, 0)
    head = list(phases[:at])
    if not present:
        return head
    if len(present) == 1:
        return head + [Phase(p.kind, None) for p in phases[at:]]
    current = phases[at]
    started = {p.teller for p in phases[: at + 1]}
    to_tell = [m for m in present if m not in started]
    if current.teller in present:
        end = at
        while end < len(phases) and phases[end].teller == current.teller:
            end += 1
        kept = list(phases[:end])
    else:
        if not to_tell:
            return head
        kept = [*head, Phase(current.kind, None)]
        while aligned and len(kept) % len(PHASE_KINDS):
            kept.append(Phase(PHASE_KINDS[len(kept) % len(PHASE_KINDS)], None))
    return kept + [Phase(kind, m) for m in to_tell for kind in PHASE_KINDS]


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

    def trimmed(self, needed: int, now_ms: int) -> Timeline:
        """Return the plan with only the first ``needed`` slots, the rest being needed by no
        group any more (someone left): the kept slots keep their deadlines. The current slot
        and those before it are never dropped: when no group needs the current slot either,
        the breakout finishes now (``end``). A finished breakout is returned unchanged.
        """
        if needed >= len(self.slot_ends_ms) or self.status_at(now_ms) is Status.FINISHED:
            return self
        if needed > self.current_slot(now_ms):
            return replace(self, slot_ends_ms=self.slot_ends_ms[:needed])
        return self.end(now_ms)

    def finish_if_due(self, now_ms: int) -> Timeline:
        """Return the timeline marked finished when its last slot has run out."""
        if self.status is Status.RUNNING and now_ms >= self.slot_ends_ms[-1]:
            return replace(self, status=Status.FINISHED)
        return self
