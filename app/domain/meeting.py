"""The intervision around the breakout: speaking rounds, late groups, breaks, the agenda.

Pure rules, no I/O. A speaking round (check-in or check-out) gives everyone a turn, the host
first; people who arrive late speak last. Late joiners of a breakout become a third member
of a duo or a new duo that starts at the next slot boundary; either may need more slots.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.timeline import (
    PHASE_KINDS,
    Phase,
    PhaseLengths,
    Status,
    Timeline,
    TimelineError,
    group_phases,
)

HOST = "host"
"""The host's place in a speaking order (the host is no participant and has no id)."""

CHECKIN_QUESTIONS: tuple[str, ...] = (
    "looking_forward",
    "dread",
    "proud",
    "grateful",
    "laughed",
)
CHECKOUT_QUESTIONS: tuple[str, ...] = ("thought", "take_away", "feeling")


class Energizer(StrEnum):
    """What a break can offer to do together."""

    COLOUR_RACE = "colour_race"
    YOGA = "yoga"
    PICTIONARY = "pictionary"


ENERGIZERS: tuple[str, ...] = tuple(e.value for e in Energizer)
BREAK_SUGGESTED_AFTER_MS = 55 * 60_000
MAX_GROUP_SIZE = 3


class RoundKind(StrEnum):
    CHECKIN = "checkin"
    CHECKOUT = "checkout"


class Activity(StrEnum):
    """What the whole meeting is doing now, for the agenda."""

    LOBBY = "lobby"
    CHECKIN = "checkin"
    BREAKOUT = "breakout"
    BREAK = "break"
    CHECKOUT = "checkout"


class MeetingError(ValueError):
    """A meeting step that cannot be taken now."""


@dataclass(frozen=True)
class SpeakingRound:
    """A check-in or check-out: a question and the order in which everybody answers it."""

    kind: RoundKind
    question: str
    order: tuple[str, ...]
    turn: int
    turn_started_at_ms: int
    seconds_per_speaker: int | None = None

    @classmethod
    def start(
        cls,
        kind: RoundKind,
        question: str,
        participants: Sequence[str],
        seed: int,
        now_ms: int,
        seconds_per_speaker: int | None = None,
    ) -> SpeakingRound:
        """Start a round: the host speaks first, then the participants in a shuffled order."""
        others = sorted(set(participants))
        random.Random(seed).shuffle(others)
        return cls(kind, question, (HOST, *others), 0, now_ms, seconds_per_speaker)

    @property
    def finished(self) -> bool:
        return self.turn >= len(self.order)

    @property
    def speaker(self) -> str | None:
        """Return whose turn it is (None once everybody spoke)."""
        return None if self.finished else self.order[self.turn]

    @property
    def next_speaker(self) -> str | None:
        """Return who speaks after the current speaker, if anybody."""
        return self.order[self.turn + 1] if self.turn + 1 < len(self.order) else None

    def turn_ends_at_ms(self) -> int | None:
        """Return when the current speaker's time is up, when the round has a time per speaker."""
        if self.finished or self.seconds_per_speaker is None:
            return None
        return self.turn_started_at_ms + self.seconds_per_speaker * 1000

    def next(self, now_ms: int) -> SpeakingRound:
        """Give the turn to the next speaker. Raises MeetingError once everybody spoke."""
        if self.finished:
            raise MeetingError("Everybody has spoken in this round.")
        return replace(self, turn=self.turn + 1, turn_started_at_ms=now_ms)

    def end(self, now_ms: int) -> SpeakingRound:
        """Close the round. Raises MeetingError when it was closed already."""
        if self.finished:
            raise MeetingError("The round has ended already.")
        return replace(self, turn=len(self.order), turn_started_at_ms=now_ms)

    def add_late(self, participant_id: str) -> SpeakingRound:
        """Put someone who arrived late at the end of the order (once)."""
        if self.finished or participant_id in self.order:
            return self
        return replace(self, order=(*self.order, participant_id))

    def without(self, participant_id: str, now_ms: int) -> SpeakingRound:
        """Take someone who left out of the order. If it was their turn, the next speaker's
        turn starts now; if they had spoken, the turn stays with whoever has it."""
        if self.finished or participant_id not in self.order:
            return self
        at = self.order.index(participant_id)
        order = self.order[:at] + self.order[at + 1 :]
        if at < self.turn:
            return replace(self, order=order, turn=self.turn - 1)
        if at == self.turn:
            return replace(self, order=order, turn_started_at_ms=now_ms)
        return replace(self, order=order)


# ---- late joiners of a breakout ----------------------------------------------------------


def group_slots(size: int) -> int:
    """Return how many slots a group of ``size`` runs for."""
    return size * len(PHASE_KINDS)


def group_done(first_slot: int, size: int, current_slot: int) -> bool:
    """Return whether a group that started at ``first_slot`` has had all its phases."""
    return current_slot >= first_slot + group_slots(size)


def with_enough_slots(timeline: Timeline, slots: int, slot_ms: int | PhaseLengths) -> Timeline:
    """Return ``timeline`` with slots added at the end until it has ``slots``, each as long
    as its phase kind lasts."""
    lengths = PhaseLengths.of(slot_ms)
    ends = list(timeline.slot_ends_ms)
    while len(ends) < slots:
        ends.append(ends[-1] + lengths.of_slot(len(ends)))
    return replace(timeline, slot_ends_ms=tuple(ends))


def late_duo_first_slot(current_slot: int, lengths: PhaseLengths) -> int:
    """Return the slot a late duo's first phase runs in: the next one, or, when the phase
    kinds last differently, the next that starts a round (so each phase gets its length)."""
    following = current_slot + 1
    if lengths.is_uniform:
        return following
    kinds = len(PHASE_KINDS)
    return following + (-following) % kinds


def _require_open(timeline: Timeline, now_ms: int) -> int:
    if timeline.status_at(now_ms) is Status.FINISHED:
        raise MeetingError("The breakout has finished; start a new one instead.")
    return timeline.current_slot(now_ms)


def _require_free(
    groups: list[list[str]], participant_ids: Sequence[str], present: Collection[str] | None
) -> None:
    """Raise MeetingError for anyone in a group with someone still in the session (a lone
    member, whose partners all left, may be re-homed)."""
    for group in groups:
        for pid in participant_ids:
            others = [m for m in group if m != pid]
            if pid in group and (present is None or any(m in present for m in others)):
                raise MeetingError("That participant is in a group already.")


def _move_out(
    groups: list[list[str]], first_slots: list[int], moved: Collection[str], keep: int
) -> tuple[list[list[str]], list[int]]:
    """Return the groups with the ``moved`` taken out of every group but ``keep``; a group
    left with nobody of those moved nor anyone else is dropped."""
    kept_groups: list[list[str]] = []
    kept_slots: list[int] = []
    for i, group in enumerate(groups):
        rest = group if i == keep else [m for m in group if m not in moved]
        if i != keep and len(rest) < len(group) and not rest:
            continue
        kept_groups.append(rest)
        kept_slots.append(first_slots[i])
    return kept_groups, kept_slots


def add_to_group(
    groups: list[list[str]],
    first_slots: list[int],
    index: int,
    participant_id: str,
    timeline: Timeline,
    now_ms: int,
    slot_ms: int | PhaseLengths,
    present: Collection[str] | None = None,
) -> tuple[list[list[str]], list[int], Timeline]:
    """Add a waiting or lone participant to duo ``index``, which becomes a trio.

    ``present`` are those still in the session (None: everyone); a lone participant, whose
    partners all left, moves out of their group. The newcomer tells last. Raises
    MeetingError when the breakout has finished, the group does not exist, is full or has
    finished, or the participant is in a group with someone present.
    """
    current = _require_open(timeline, now_ms)
    if not 0 <= index < len(groups):
        raise MeetingError("There is no such group.")
    if participant_id in groups[index]:
        raise MeetingError("That participant is in that group already.")
    _require_free(groups, [participant_id], present)
    group = groups[index]
    if present is not None and any(m not in present for m in group):
        raise MeetingError("Someone left that group; place its lone member instead.")
    if len(group) >= MAX_GROUP_SIZE:
        raise MeetingError("That group is a trio already.")
    if group_done(first_slots[index], len(group), current):
        raise MeetingError("That group has finished.")
    new_groups = [list(g) for g in groups]
    new_groups[index] = [*group, participant_id]
    needed = first_slots[index] + group_slots(len(group) + 1)
    new_groups, new_slots = _move_out(new_groups, first_slots, {participant_id}, keep=index)
    return new_groups, new_slots, with_enough_slots(timeline, needed, slot_ms)


def add_late_duo(
    groups: list[list[str]],
    first_slots: list[int],
    pair: Sequence[str],
    timeline: Timeline,
    now_ms: int,
    slot_ms: int | PhaseLengths,
    present: Collection[str] | None = None,
) -> tuple[list[list[str]], list[int], Timeline]:
    """Pair two waiting or lone participants into a new duo from the next slot boundary.

    ``present`` as for ``add_to_group``. Raises MeetingError when the breakout has
    finished, the two are not two different people, or either is in a group with someone
    present.
    """
    current = _require_open(timeline, now_ms)
    if len(pair) != 2 or pair[0] == pair[1]:
        raise MeetingError("A new duo needs two different participants.")
    _require_free(groups, pair, present)
    first_slot = late_duo_first_slot(current, PhaseLengths.of(slot_ms))
    timeline = with_enough_slots(timeline, first_slot + group_slots(2), slot_ms)
    new_groups, new_slots = _move_out(
        [*groups, list(pair)], [*first_slots, first_slot], set(pair), keep=len(groups)
    )
    return new_groups, new_slots, timeline


# ---- leavers of a breakout ---------------------------------------------------------------


def groups_phases(
    groups: Sequence[Sequence[str]],
    first_slots: Sequence[int],
    left_slots: Mapping[str, int],
    slot_ms: int | PhaseLengths,
) -> list[list[Phase]]:
    """Return every group's phases (``phases_of``)."""
    return [
        phases_of(group, first, left_slots, slot_ms)
        for group, first in zip(groups, first_slots, strict=True)
    ]


def phases_of(
    group: Sequence[str],
    first_slot: int,
    left_slots: Mapping[str, int],
    slot_ms: int | PhaseLengths,
) -> list[Phase]:
    """Return the phases of a group whose phase 0 runs in ``first_slot``, without those who
    left from the slot they left in on (``left_slots``: who left during the breakout, and
    the slot under way then); when the phase kinds last differently a rotation starts only
    in a slot of its own kind."""
    left = {m: left_slots[m] - first_slot for m in group if m in left_slots}
    return group_phases(group, left, aligned=not PhaseLengths.of(slot_ms).is_uniform)


def slots_needed(
    groups: Sequence[Sequence[str]],
    first_slots: Sequence[int],
    left_slots: Mapping[str, int],
    slot_ms: int | PhaseLengths,
) -> int:
    """Return how many slots the groups need: until the last group's last phase."""
    plans = groups_phases(groups, first_slots, left_slots, slot_ms)
    return max((first + len(p) for first, p in zip(first_slots, plans, strict=True)), default=0)


def leave_breakout(
    groups: Sequence[Sequence[str]],
    first_slots: Sequence[int],
    left_slots: Mapping[str, int],
    leaver: str,
    timeline: Timeline,
    now_ms: int,
    slot_ms: int | PhaseLengths,
) -> tuple[dict[str, int], Timeline] | None:
    """Record that ``leaver`` left the session while the breakout runs: return who left with
    the slot under way when they did, and the plan without the slots at its end that no
    group needs any more (their deadlines kept; when no group needs even the current slot,
    the breakout finishes now). None when the leave changes nothing in the breakout (it
    has finished, or the leaver is in none of its groups).
    """
    if timeline.status_at(now_ms) is Status.FINISHED or leaver in left_slots:
        return None
    if not any(leaver in group for group in groups):
        return None
    recorded = {**left_slots, leaver: timeline.current_slot(now_ms)}
    needed = slots_needed(groups, first_slots, recorded, slot_ms)
    return recorded, timeline.trimmed(needed, now_ms)


# ---- what may start now ------------------------------------------------------------------

RUNNING = {
    Activity.BREAKOUT: "A breakout is running; end it first.",
    Activity.CHECKIN: "A check-in is going; end it first.",
    Activity.CHECKOUT: "A check-out is going; end it first.",
    Activity.BREAK: "A break is going; end it first.",
}


def require_nothing_running(current: Activity) -> None:
    """Raise MeetingError unless the meeting is between activities (in the lobby): one
    activity at a time. The message names the running one and how to end it."""
    if current is not Activity.LOBBY:
        raise MeetingError(RUNNING[current])


def require_breakout(breakout: Timeline | None) -> Timeline:
    """Return the latest breakout's timeline. Raises MeetingError when there is none."""
    if breakout is None:
        raise MeetingError("There is no breakout in this session.")
    return breakout


def require_round(speaking: SpeakingRound | None) -> SpeakingRound:
    """Return the round that is going. Raises MeetingError when none is."""
    if speaking is None or speaking.finished:
        raise MeetingError("No round is going.")
    return speaking


def on_break(break_ends_at_ms: int | None, now_ms: int) -> bool:
    """Return whether a break is going at ``now_ms``."""
    return break_ends_at_ms is not None and break_ends_at_ms > now_ms


def require_break(break_ends_at_ms: int | None, now_ms: int) -> None:
    """Raise MeetingError unless a break is going."""
    if not on_break(break_ends_at_ms, now_ms):
        raise MeetingError("No break is going.")


def require_energizer(energizer: str | None) -> None:
    """Raise MeetingError for an energizer Duo does not know (None: no energizer)."""
    if energizer is not None and energizer not in ENERGIZERS:
        raise MeetingError("Unknown energizer.")


def activities_done(
    round_kinds: Collection[RoundKind],
    breakout_started_at_ms: int | None,
    break_started_at_ms: int | None,
) -> list[Activity]:
    """Return the activities the meeting has had (started at least once), in agenda order."""
    had = {Activity(kind.value) for kind in round_kinds}
    if breakout_started_at_ms is not None:
        had.add(Activity.BREAKOUT)
    if break_started_at_ms is not None:
        had.add(Activity.BREAK)
    return [a for a in Activity if a in had]


def last_activity(
    latest_round: tuple[RoundKind, int] | None,
    breakout_started_at_ms: int | None,
    break_started_at_ms: int | None,
) -> Activity | None:
    """Return the activity that started last (None before the first): what the meeting did
    most recently, running or over."""
    starts: list[tuple[int, Activity]] = []
    if latest_round is not None:
        starts.append((latest_round[1], Activity(latest_round[0].value)))
    if breakout_started_at_ms is not None:
        starts.append((breakout_started_at_ms, Activity.BREAKOUT))
    if break_started_at_ms is not None:
        starts.append((break_started_at_ms, Activity.BREAK))
    return max(starts, key=lambda start: start[0])[1] if starts else None


def last_started_at_ms(
    latest_round_started_at_ms: int | None,
    breakout_started_at_ms: int | None,
    break_started_at_ms: int | None,
) -> int | None:
    """Return when the activity that started last began (None before the first): a message
    sent before it belongs to an activity that is over."""
    starts = [
        start
        for start in (latest_round_started_at_ms, breakout_started_at_ms, break_started_at_ms)
        if start is not None
    ]
    return max(starts) if starts else None


def activity(
    breakout: Timeline | None,
    round_kind: RoundKind | None,
    break_ends_at_ms: int | None,
    now_ms: int,
) -> Activity:
    """Return what the meeting is doing now: a break, a round, a breakout, or nothing."""
    if on_break(break_ends_at_ms, now_ms):
        return Activity.BREAK
    if round_kind is not None:
        return Activity(round_kind.value)
    if breakout is not None and breakout.status_at(now_ms) is not Status.FINISHED:
        return Activity.BREAKOUT
    return Activity.LOBBY


# ---- the end of the meeting ---------------------------------------------------------------

CLOSED_LIFETIME_MS = 60 * 60_000
"""A closed session that was not erased expires this long after it was closed."""
SESSION_CLOSED = "The session is closed; nothing starts in it any more."


def require_open(closed_at_ms: int | None) -> None:
    """Raise MeetingError once the session is closed: nothing starts in it any more."""
    if closed_at_ms is not None:
        raise MeetingError(SESSION_CLOSED)


def expires_at_ms(last_active_ms: int, ttl_ms: int, closed_at_ms: int | None) -> int:
    """Return when a session expires: ``ttl_ms`` after its last activity, or, once closed,
    CLOSED_LIFETIME_MS after the close if that comes first."""
    idle = last_active_ms + ttl_ms
    return idle if closed_at_ms is None else min(idle, closed_at_ms + CLOSED_LIFETIME_MS)


@dataclass(frozen=True)
class Closing:
    """What a meeting that closes at a moment keeps: its breakout finished, its round over,
    its break ended (each None when it had none going, so nothing changes there)."""

    timeline: Timeline | None
    speaking: SpeakingRound | None
    break_ends_at_ms: int | None


def close_meeting(
    breakout: Timeline | None,
    speaking: SpeakingRound | None,
    break_ends_at_ms: int | None,
    now_ms: int,
) -> Closing:
    """Return what the meeting keeps when the host closes it at ``now_ms``: whatever runs
    ends now, so that after the close nothing does (``activity`` is the lobby)."""
    running = breakout is not None and breakout.status_at(now_ms) is not Status.FINISHED
    going = speaking is not None and not speaking.finished
    return Closing(
        timeline=breakout.end(now_ms) if breakout is not None and running else None,
        speaking=speaking.end(now_ms) if speaking is not None and going else None,
        break_ends_at_ms=now_ms if on_break(break_ends_at_ms, now_ms) else None,
    )


__all__ = [
    "BREAK_SUGGESTED_AFTER_MS",
    "CLOSED_LIFETIME_MS",
    "SESSION_CLOSED",
    "Closing",
    "close_meeting",
    "expires_at_ms",
    "require_open",
    "CHECKIN_QUESTIONS",
    "CHECKOUT_QUESTIONS",
    "ENERGIZERS",
    "Energizer",
    "HOST",
    "Activity",
    "MeetingError",
    "RoundKind",
    "SpeakingRound",
    "TimelineError",
    "activities_done",
    "activity",
    "last_activity",
    "last_started_at_ms",
    "add_late_duo",
    "add_to_group",
    "group_done",
    "group_slots",
    "groups_phases",
    "leave_breakout",
    "slots_needed",
    "late_duo_first_slot",
    "on_break",
    "phases_of",
    "require_break",
    "require_breakout",
    "require_energizer",
    "require_nothing_running",
    "require_round",
    "with_enough_slots",
]
