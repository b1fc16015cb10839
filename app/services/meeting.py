"""The whole intervision around the breakout: agreements, rounds, messages, late joiners, breaks.

Peers of the session and breakout commands: the same transactions (``Changes``), host
checks and publishing; the rules are the domain's (``app/domain/meeting.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from app.core.security import normalise_code, token_matches
from app.domain.meeting import (
    MeetingError,
    RoundKind,
    SpeakingRound,
    add_late_duo,
    add_to_group,
    require_break,
    require_energizer,
    require_nothing_running,
    require_open,
    require_round,
)
from app.domain.pairing import pairs_of
from app.domain.rooms import carry_rooms
from app.events import RoundControl
from app.models import Breakout, DuoSession, HostMessage, SpeakingRoundRow
from app.services.access import bearer_token
from app.services.breakouts import record_pairs
from app.services.changes import Changes, Step
from app.services.errors import Forbidden, NotFound
from app.services.hub import Presence
from app.services.rooms import carry_room_names
from app.services.store import (
    active_among,
    breakout_to_change,
    current_activity,
    going_round,
    latest_round,
    participant_of,
    phase_lengths,
    present_among,
    round_of,
    session_id,
    store_round,
    store_timeline,
    timeline_of,
)
from app.services.wakeups import WakeupKind


class MeetingCommands:
    """Everything a facilitator does around the breakouts."""

    def __init__(self, changes: Changes, presence: Presence) -> None:
        self.changes = changes
        self.presence = presence

    # ---- agreements --------------------------------------------------------------------

    async def agree(self, code: str, participant_id: str, authorization: str | None) -> None:
        """Record that a participant confirmed the agreements (their own token only).

        Raises NotFound, Unauthorized or Forbidden.
        """

        def change(step: Step) -> None:
            token = bearer_token(authorization)
            participant = participant_of(step.db, step.row, participant_id)
            if not token_matches(token, participant.token_hash):
                raise Forbidden("Only the participant can confirm the agreements.")
            if participant.agreed_at_ms is None:
                participant.agreed_at_ms = step.now

        await self.changes.apply(code, change)

    # ---- speaking rounds ---------------------------------------------------------------

    async def start_round(
        self,
        code: str,
        authorization: str | None,
        kind: str,
        question: str,
        seconds_per_speaker: int | None,
    ) -> dict[str, Any]:
        """Start a check-in or check-out: the host first, then everyone online, shuffled."""
        online = await self.presence.online(normalise_code(code) or code)

        def change(step: Step) -> dict[str, Any]:
            db, row, now = step.db, step.row, step.now
            require_open(row.closed_at_ms)
            require_nothing_running(current_activity(db, row, now, step.extras[0])[0])
            speaking = SpeakingRound.start(
                RoundKind(kind),
                question,
                present_among(db, row, online),
                row.seed ^ now,
                now,
                seconds_per_speaker,
            )
            db.add(
                SpeakingRoundRow(
                    session_id=session_id(row),
                    kind=kind,
                    question=question,
                    speakers=list(speaking.order),
                    turn=0,
                    turn_started_at_ms=now,
                    seconds_per_speaker=seconds_per_speaker,
                    started_at_ms=now,
                )
            )
            return {"kind": kind, "question": question, "speakers": len(speaking.order)}

        return await self.changes.as_host(code, authorization, change, going_round)

    async def round_control(
        self, code: str, authorization: str | None, action: RoundControl
    ) -> None:
        """Give the turn to the next speaker, or end the round. Raises Conflict with none."""

        def change(step: Step) -> None:
            current = latest_round(step.db, step.row)
            speaking = require_round(round_of(current) if current else None)
            assert current is not None
            now = step.now
            store_round(
                current, speaking.next(now) if action == RoundControl.NEXT else speaking.end(now)
            )

        await self.changes.as_host(code, authorization, change)

    # ---- messages ----------------------------------------------------------------------

    async def send_message(self, code: str, authorization: str | None, text: str) -> dict[str, Any]:
        """Send a short text from the host to everyone; it is kept with the session.

        Raises Conflict once the session is closed.
        """

        def change(step: Step) -> dict[str, Any]:
            now = step.now
            require_open(step.row.closed_at_ms)  # nobody would read it: every screen ends
            message = HostMessage(session_id=session_id(step.row), text=text, sent_at_ms=now)
            step.db.add(message)
            step.db.flush()
            return {"id": message.id, "text": text, "sent_at_ms": now}

        return await self.changes.as_host(code, authorization, change)

    # ---- breaks ------------------------------------------------------------------------

    async def start_break(
        self, code: str, authorization: str | None, minutes: int, energizer: str | None
    ) -> dict[str, Any]:
        """Start a break of ``minutes`` for everyone. Raises Conflict during a break."""

        def change(step: Step) -> dict[str, Any]:
            row, now = step.row, step.now
            require_open(row.closed_at_ms)
            require_nothing_running(current_activity(step.db, row, now, step.extras[0])[0])
            require_energizer(energizer)
            row.break_started_at_ms, row.break_ends_at_ms = now, now + minutes * 60_000
            row.energizer = energizer
            step.wake_at(WakeupKind.BREAK_END, row.break_ends_at_ms)
            return {
                "started_at_ms": now,
                "ends_at_ms": row.break_ends_at_ms,
                "energizer": energizer,
            }

        return await self.changes.as_host(code, authorization, change, going_round)

    async def end_break(self, code: str, authorization: str | None) -> None:
        """End the current break now. Raises Conflict when there is none."""

        def change(step: Step) -> None:
            row = step.row
            require_break(row.break_ends_at_ms, step.now)
            row.break_ends_at_ms = step.now
            step.wake_at(WakeupKind.BREAK_END, None)

        await self.changes.as_host(code, authorization, change)

    # ---- late joiners ------------------------------------------------------------------

    async def add_to_group(
        self, code: str, authorization: str | None, index: int, participant_id: str
    ) -> None:
        """Add a waiting participant to a duo of the running breakout (it becomes a trio)."""

        def change(step: Step) -> None:
            db, row, now = step.db, step.row, step.now
            breakout = _late_breakout(db, row, [participant_id])
            groups, first_slots, timeline = add_to_group(
                breakout.groups,
                breakout.first_slots or [0] * len(breakout.groups),
                index,
                participant_id,
                timeline_of(breakout),
                now,
                phase_lengths(row),
                _present(db, row, breakout),
            )
            target = breakout.groups[index]
            keep_rooms(row, breakout, groups)
            breakout.groups, breakout.first_slots = groups, first_slots
            store_timeline(breakout, timeline)
            new_group = next(g for g in groups if g[: len(target)] == target)
            record_pairs(db, row, breakout.number, [new_group], frozenset(pairs_of(target)))
            step.wake_at(WakeupKind.BREAKOUT_END, timeline.next_deadline_ms())

        await self.changes.as_host(code, authorization, change)

    async def add_duo(self, code: str, authorization: str | None, pair: list[str]) -> None:
        """Pair two waiting participants into a new duo from the next slot boundary on."""

        def change(step: Step) -> None:
            db, row, now = step.db, step.row, step.now
            breakout = _late_breakout(db, row, pair)
            groups, first_slots, timeline = add_late_duo(
                breakout.groups,
                breakout.first_slots or [0] * len(breakout.groups),
                pair,
                timeline_of(breakout),
                now,
                phase_lengths(row),
                _present(db, row, breakout),
            )
            keep_rooms(row, breakout, groups)
            breakout.groups, breakout.first_slots = groups, first_slots
            store_timeline(breakout, timeline)
            record_pairs(db, row, breakout.number, [list(pair)])
            step.wake_at(WakeupKind.BREAKOUT_END, timeline.next_deadline_ms())

        await self.changes.as_host(code, authorization, change)


def keep_rooms(row: DuoSession, breakout: Breakout, groups: list[list[str]]) -> None:
    """Give the breakout's new ``groups`` their rooms: every group keeps its own, a new one
    gets the next (``app/domain/rooms.py: carry_rooms``), with its room name."""
    old_rooms = breakout.rooms or list(range(1, len(breakout.groups) + 1))
    rooms = carry_rooms(breakout.groups, old_rooms, groups)
    breakout.room_names = carry_room_names(
        row, breakout.groups, old_rooms, breakout.room_names, groups, rooms
    )
    breakout.rooms = rooms


def _present(db: Session, row: DuoSession, breakout: Breakout) -> set[str]:
    """Return the members of the breakout's groups who are still in the session."""
    return active_among(db, row, [m for group in breakout.groups for m in group])


def _late_breakout(db: Session, row: DuoSession, participant_ids: Sequence[str]) -> Breakout:
    """Return the latest breakout, to add ``participant_ids`` to. Raises MeetingError when
    there is none or one of them is not (or no longer) in the session."""
    breakout = breakout_to_change(db, row)
    for pid in participant_ids:
        try:
            active = participant_of(db, row, pid).token_hash is not None
        except NotFound:
            active = False
        if not active:
            raise MeetingError("That participant is not in this session.")
    return breakout
