"""The ``state`` message: one snapshot of a session, encoded once and cut per client.

The parts every client shares (session, breakout timing) and the parts a group shares are
encoded once per snapshot; a participant's message is those pieces joined, so its size
does not grow with the session. Only the host's message lists everyone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.domain.timeline import Timeline, group_phases
from app.events import ServerMessage


def dumps(value: Any) -> str:
    """Encode ``value`` as compact JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    active: bool  # False once they left or were removed
    agreed: bool = False  # confirmed the session's agreements


@dataclass(frozen=True)
class BreakoutSnapshot:
    id: str
    number: int
    groups: list[list[str]]
    timeline: Timeline
    first_slots: list[int] = field(default_factory=list)  # where each group starts

    def first_slot(self, index: int) -> int:
        return self.first_slots[index] if index < len(self.first_slots) else 0


@dataclass(frozen=True)
class MeetingSnapshot:
    """The meeting around the breakout, encoded once for participants and once for the host."""

    participant_json: str
    host_json: str
    break_ends_at_ms: int | None = None  # of a break that is going


@dataclass
class Snapshot:
    """Everything a ``state`` is made of, read at one moment (``now_ms``)."""

    code: str
    title: str
    language: str
    phase_seconds: int
    members: dict[str, Member]  # everyone who ever joined, by id, in join order
    online: frozenset[str]
    breakout: BreakoutSnapshot | None
    now_ms: int
    meeting: MeetingSnapshot | None = None
    _group_json: dict[int, str] = field(default_factory=dict)

    # ---- shared pieces -----------------------------------------------------------------

    @cached_property
    def participant_count(self) -> int:
        return sum(1 for m in self.members.values() if m.active)

    @cached_property
    def session_json(self) -> str:
        return dumps(
            {
                "code": self.code,
                "title": self.title,
                "language": self.language,
                "phase_seconds": self.phase_seconds,
            }
        )

    @cached_property
    def group_of(self) -> dict[str, int]:
        if self.breakout is None:
            return {}
        return {pid: i for i, group in enumerate(self.breakout.groups) for pid in group}

    @cached_property
    def _breakout_static(self) -> str:
        """Encode the breakout's fields that only change when someone changes them."""
        assert self.breakout is not None
        b = self.breakout
        slots = [{"starts_at_ms": s, "ends_at_ms": e} for s, e in b.timeline.slots()]
        status = b.timeline.status_at(self.now_ms).value
        return dumps({"id": b.id, "number": b.number, "status": status})[:-1] + (
            ',"slots":' + dumps(slots)
        )

    @cached_property
    def _breakout_timing(self) -> str:
        assert self.breakout is not None
        t = self.breakout.timeline
        return (
            f',"current_slot":{t.current_slot(self.now_ms)}'
            f',"remaining_ms":{t.remaining_ms(self.now_ms)}'
        )

    def _phases(self, group: list[str]) -> list[dict[str, str]]:
        return [{"kind": p.kind, "teller": p.teller} for p in group_phases(group)]

    def group_json(self, index: int) -> str:
        """Encode group ``index`` as a participant sees it (members with names, phases)."""
        cached = self._group_json.get(index)
        if cached is None:
            assert self.breakout is not None
            group = self.breakout.groups[index]
            members = [
                {
                    "id": pid,
                    "name": self.members[pid].name if pid in self.members else "",
                    "online": pid in self.online,
                }
                for pid in group
            ]
            cached = dumps(
                {
                    "members": members,
                    "phases": self._phases(group),
                    "first_slot": self.breakout.first_slot(index),
                }
            )
            self._group_json[index] = cached
        return cached

    def _head(self) -> str:
        head = f'{{"type":"{ServerMessage.STATE}","server_ms":{self.now_ms}'
        return f'{head},"session":{self.session_json}'

    # ---- per client --------------------------------------------------------------------

    def for_participant(self, participant_id: str) -> tuple[str, tuple[str, ...]]:
        """Return a participant's state and the key that changes only when it really does."""
        member = self.members[participant_id]
        me = dumps({"id": member.id, "name": member.name, "host": False, "agreed": member.agreed})
        if self.breakout is None:
            breakout_static, timing, group = "null", "", "null"
        else:
            index = self.group_of.get(participant_id)
            group = "null" if index is None else self.group_json(index)
            breakout_static, timing = self._breakout_static, self._breakout_timing
        breakout = (
            "null" if self.breakout is None else f'{breakout_static}{timing},"my_group":{group}}}'
        )
        meeting = self.meeting.participant_json if self.meeting else "null"
        text = (
            f'{self._head()},"me":{me},"participant_count":{self.participant_count}'
            f',"breakout":{breakout},"meeting":{meeting}}}'
        )
        key = (me, str(self.participant_count), breakout_static, group, self.session_json, meeting)
        return text, key

    def for_host(self) -> tuple[str, tuple[str, ...]]:
        """Return the host's state (everyone, every group) and its change key."""
        participants = dumps(
            [
                {"id": m.id, "name": m.name, "online": m.id in self.online, "agreed": m.agreed}
                for m in self.members.values()
                if m.active
            ]
        )
        if self.breakout is None:
            breakout = groups = "null"
            static = "null"
        else:
            groups = dumps(
                [
                    {
                        "members": g,
                        "phases": self._phases(g),
                        "first_slot": self.breakout.first_slot(i),
                    }
                    for i, g in enumerate(self.breakout.groups)
                ]
            )
            static = self._breakout_static
            breakout = f'{static}{self._breakout_timing},"groups":{groups},"my_group":null}}'
        meeting = self.meeting.host_json if self.meeting else "null"
        text = (
            f'{self._head()},"me":{{"id":null,"name":null,"host":true}}'
            f',"participant_count":{self.participant_count},"participants":{participants}'
            f',"breakout":{breakout},"meeting":{meeting}}}'
        )
        return text, (participants, static, groups, self.session_json, meeting)
