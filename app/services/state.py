"""The ``state`` message: one snapshot of a session, encoded once and cut per client.

A snapshot is plain data read at one moment (``app/services/snapshots.py`` holds it and
reads it); this module only encodes: it is the one place that turns a snapshot into the
``state`` message, the meeting part included. The parts every client shares (session,
breakout timing, meeting) and the parts a group shares are encoded once per snapshot
(``States``); a participant's message is those pieces joined, so its size does not grow
with the session. Only the host's message lists everyone.
"""

from __future__ import annotations

import json
from functools import cached_property
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from app.domain.counting import count_floor
from app.domain.meeting import HOST, phases_of
from app.domain.rooms import RoomMode, room_url
from app.domain.signals import group_signal
from app.domain.timeline import PHASE_KINDS, PhaseLengths
from app.events import ServerMessage
from app.services.snapshots import BreakoutSnapshot, Member, Snapshot

ORDER_SHOWN_TO_PARTICIPANTS = 40  # a round's speaking order, as far as participants see it


def dumps(value: Any) -> str:
    """Encode ``value`` as compact JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _signal(breakout: BreakoutSnapshot, index: int) -> dict[str, Any] | None:
    """Return group ``index``'s signal as the state has it (docs/meeting.md), or None."""
    shown = group_signal(breakout.signals, breakout.groups[index])
    if shown is None:
        return None
    return {
        "kind": shown.kind.value,
        "by": shown.by,
        "raised_at_ms": shown.raised_at_ms,
        "seen_at_ms": shown.seen_at_ms,
    }


class States:
    """The ``state`` messages of one snapshot: the shared pieces encoded once, each client's
    cut from them (one ``States`` per flush)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._group_json: dict[int, str] = {}
        self._phases_cache: dict[int, str] = {}

    # ---- shared pieces -----------------------------------------------------------------

    @cached_property
    def session_json(self) -> str:
        return dumps(
            {
                "code": self.snapshot.code,
                "title": self.snapshot.title,
                "language": self.snapshot.language,
                "phase_seconds": self.snapshot.phase_seconds,
                "phase_seconds_by_kind": self.snapshot.phase_seconds_by_kind,
                "locked": self.snapshot.locked,
                "closed": self.snapshot.closed_at_ms is not None,
                "closed_at_ms": self.snapshot.closed_at_ms,
                "rooms": self.snapshot.rooms,
                "room_link_base": self.snapshot.room_link_base,
            }
        )

    @cached_property
    def _breakout_static(self) -> str:
        """Encode the breakout's fields that only change when someone changes them."""
        assert self.snapshot.breakout is not None
        b = self.snapshot.breakout
        slots = [{"starts_at_ms": s, "ends_at_ms": e} for s, e in b.timeline.slots()]
        status = b.timeline.status_at(self.snapshot.now_ms).value
        return dumps(
            {"id": b.id, "number": b.number, "status": status, "from_rooms": b.from_rooms}
        )[:-1] + (',"slots":' + dumps(slots))

    @cached_property
    def _breakout_timing(self) -> str:
        assert self.snapshot.breakout is not None
        t = self.snapshot.breakout.timeline
        return (
            f',"current_slot":{t.current_slot(self.snapshot.now_ms)}'
            f',"remaining_ms":{t.remaining_ms(self.snapshot.now_ms)}'
        )

    def _phases_json(self, index: int) -> str:
        """Encode group ``index``'s phases (once per snapshot: host and members share it),
        without those who left from the slot they left in on."""
        cached = self._phases_cache.get(index)
        if cached is None:
            breakout = self.snapshot.breakout
            assert breakout is not None
            phases = phases_of(
                breakout.groups[index],
                breakout.first_slot(index),
                breakout.left_slots,
                self._lengths,
            )
            cached = dumps([{"kind": p.kind, "teller": p.teller} for p in phases])
            self._phases_cache[index] = cached
        return cached

    @cached_property
    def _lengths(self) -> PhaseLengths:
        """The session's phase lengths in ms (a group's phases after a leave depend on them)."""
        by_kind = self.snapshot.phase_seconds_by_kind
        return PhaseLengths(*(by_kind[kind] * 1000 for kind in PHASE_KINDS))

    def _left(self, participant_id: str) -> bool:
        """Return whether a group member has left the session."""
        member = self.snapshot.members.get(participant_id)
        return member is None or not member.active

    def group_json(self, index: int) -> str:
        """Encode group ``index`` as a participant sees it (members with names, phases)."""
        cached = self._group_json.get(index)
        if cached is None:
            assert self.snapshot.breakout is not None
            group = self.snapshot.breakout.groups[index]
            members = [
                {
                    "id": pid,
                    "name": self.snapshot.members[pid].name if pid in self.snapshot.members else "",
                    "online": pid in self.snapshot.online,
                    "left": self._left(pid),
                }
                for pid in group
            ]
            cached = (
                f'{{"members":{dumps(members)},"phases":{self._phases_json(index)}'
                f',"first_slot":{self.snapshot.breakout.first_slot(index)},"index":{index}'
                f',"signal":{dumps(_signal(self.snapshot.breakout, index))}'
                f"{self._room_json(index)}}}"
            )
            self._group_json[index] = cached
        return cached

    def _room_json(self, index: int) -> str:
        """Encode group ``index``'s room: its number, and its link when the session gives a
        link per group (only its members and the host are sent it)."""
        assert self.snapshot.breakout is not None
        b = self.snapshot.breakout
        text = f',"room":{b.room(index)}'
        name = b.room_name(index)
        base = self.snapshot.room_link_base
        if self.snapshot.rooms == RoomMode.LINK_PER_GROUP and name and base:
            text += f',"room_url":{dumps(room_url(base, name))}'
        return text

    @cached_property
    def room_question_for_host(self) -> str:
        asked = self.snapshot.rooms_asked
        return "null" if asked is None else f'{{"rooms":{asked}}}'

    def room_question_for(self, member: Member) -> str:
        asked = self.snapshot.rooms_asked
        if asked is None:
            return "null"
        return f'{{"rooms":{asked},"answer":{dumps(member.room_answer)}}}'

    # ---- the meeting ------------------------------------------------------------------

    def _speaker(self, pid: str | None) -> dict[str, Any] | None:
        if pid is None:
            return None
        if pid == HOST:
            return {"id": HOST, "name": None, "host": True}
        member = self.snapshot.members.get(pid)
        return {"id": pid, "name": member.name if member else "", "host": False}

    def _round(self, order_limit: int | None) -> dict[str, Any] | None:
        speaking = self.snapshot.meeting.speaking
        if speaking is None:
            return None
        order = speaking.order if order_limit is None else speaking.order[:order_limit]
        return {
            "kind": speaking.kind.value,
            "question": speaking.question,
            "turn": speaking.turn,
            "size": len(speaking.order),
            "speaker": self._speaker(speaking.speaker),
            "next": self._speaker(speaking.next_speaker),
            "turn_started_at_ms": speaking.turn_started_at_ms,
            "turn_ends_at_ms": speaking.turn_ends_at_ms(),
            "seconds_per_speaker": speaking.seconds_per_speaker,
            "order": [self._speaker(pid) for pid in order],
        }

    def _meeting(self, order_limit: int | None) -> str:
        m = self.snapshot.meeting
        going = m.going_break
        return dumps(
            {
                "activity": m.activity.value,
                "started_at_ms": m.started_at_ms,
                "planned_end_ms": m.planned_end_ms,
                "last_break_ended_at_ms": m.last_break_ended_at_ms,
                "agreements": m.agreements,
                "break": None
                if going is None
                else {
                    "started_at_ms": going.started_at_ms,
                    "ends_at_ms": going.ends_at_ms,
                    "energizer": going.energizer,
                },
                "messages": [
                    {"id": x.id, "text": x.text, "sent_at_ms": x.sent_at_ms} for x in m.messages
                ],
                "round": self._round(order_limit),
                "done": [a.value for a in m.done],
                "last_activity": m.last.value if m.last else None,
                "last_activity_started_at_ms": m.last_started_at_ms,
                "last_question": m.last_question,
            }
        )

    @cached_property
    def meeting_for_participants(self) -> str:
        return self._meeting(ORDER_SHOWN_TO_PARTICIPANTS)

    @cached_property
    def meeting_for_host(self) -> str:
        return self._meeting(None)

    @cached_property
    def _head(self) -> str:
        head = f'{{"type":"{ServerMessage.STATE}","server_ms":{self.snapshot.now_ms}'
        return f'{head},"session":{self.session_json}'

    # ---- per client --------------------------------------------------------------------

    @cached_property
    def participant_count_floor(self) -> int:
        """The count rounded down to its step: what a participant's count changes by."""
        return count_floor(self.snapshot.participant_count)

    def for_participant(self, participant_id: str) -> tuple[str, tuple[str, ...]]:
        """Return a participant's state and the key that changes only when it really does."""
        key = self.participant_key(participant_id)
        return self.participant_text(key), key

    def participant_key(self, participant_id: str) -> tuple[str, ...]:
        """Return the key of a participant's state: what it says, times and count aside.

        The key holds the count's floor, not the count: a join or leave that keeps the floor
        is not sent to participants (docs/meeting.md), though every state has the exact count.
        A flush compares keys first and cuts the text only for those it will send.
        """
        member = self.snapshot.members[participant_id]
        me = (  # as dumps() would write it, without its encoder's set-up a person
            f'{{"id":{encode_basestring(member.id)},"name":{encode_basestring(member.name)}'
            f',"host":false,"agreed":{"true" if member.agreed else "false"}}}'
        )
        if self.snapshot.breakout is None:
            breakout_static, group = "null", "null"
        else:
            index = self.snapshot.group_of.get(participant_id)
            group = "null" if index is None else self.group_json(index)
            breakout_static = self._breakout_static
        count = str(self.participant_count_floor)
        return (
            me,
            count,
            breakout_static,
            group,
            self.session_json,
            self.meeting_for_participants,
            self.room_question_for(member),
        )

    def participant_text(self, key: tuple[str, ...]) -> str:
        """Return the state of the participant whose ``participant_key`` is ``key``."""
        me, _floor, breakout_static, group, _session, meeting, room_question = key
        breakout = (
            "null"
            if self.snapshot.breakout is None
            else f'{breakout_static}{self._breakout_timing},"my_group":{group}}}'
        )
        return (
            f'{self._head},"me":{me},"participant_count":{self.snapshot.participant_count}'
            f',"participant_count_floor":{self.participant_count_floor}'
            f',"breakout":{breakout},"meeting":{meeting},"room_question":{room_question}}}'
        )

    def _host_group(self, index: int) -> str:
        """Encode group ``index`` as the host sees it (ids, phases, who left, its signal)."""
        assert self.snapshot.breakout is not None
        group = self.snapshot.breakout.groups[index]
        return (
            f'{{"members":{dumps(group)},"phases":{self._phases_json(index)}'
            f',"first_slot":{self.snapshot.breakout.first_slot(index)}'
            f',"left":{dumps([pid for pid in group if self._left(pid)])}'
            f',"signal":{dumps(_signal(self.snapshot.breakout, index))}'
            f"{self._room_json(index)}}}"
        )

    def for_host(self) -> tuple[str, tuple[str, ...]]:
        """Return the host's state (everyone, every group) and its change key."""
        return self._host_state

    @cached_property
    def _host_state(self) -> tuple[str, tuple[str, ...]]:
        """The host's state, cut once per snapshot: the host page and the presenter view
        are two sockets of one host, and it is the largest state there is."""
        participants = dumps(
            [
                {
                    "id": m.id,
                    "name": m.name,
                    "online": m.id in self.snapshot.online,
                    "agreed": m.agreed,
                    "room_answer": m.room_answer,
                }
                for m in self.snapshot.members.values()
                if m.active
            ]
        )
        departed = dumps(
            [{"id": m.id, "name": m.name} for m in self.snapshot.members.values() if not m.active]
        )
        b = self.snapshot.breakout
        if b is None:
            breakout = groups = "null"
            static = "null"
        else:
            groups = "[" + ",".join(self._host_group(i) for i in range(len(b.groups))) + "]"
            static = self._breakout_static
            breakout = f'{static}{self._breakout_timing},"groups":{groups},"my_group":null}}'
        meeting = self.meeting_for_host
        bursts = dumps(
            [
                {
                    "count": burst.count,
                    "seconds": burst.seconds,
                    "participant_ids": burst.participant_ids,
                }
                for burst in self.snapshot.join_bursts
            ]
        )
        text = (
            f'{self._head},"me":{{"id":null,"name":null,"host":true}}'
            f',"participant_count":{self.snapshot.participant_count},"participants":{participants}'
            f',"departed":{departed},"join_bursts":{bursts},"breakout":{breakout}'
            f',"meeting":{meeting},"room_question":{self.room_question_for_host}}}'
        )
        key = (
            participants,
            departed,
            bursts,
            static,
            groups,
            self.session_json,
            meeting,
            self.room_question_for_host,
        )
        return text, key
