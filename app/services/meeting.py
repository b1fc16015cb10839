"""The whole intervision around the breakout: agreements, rounds, messages, late joiners, breaks.

Extends the session service: the same transactions, host checks and publishing, and a
``meeting`` part in every state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from app.core.security import normalise_code, token_matches
from app.domain.meeting import (
    ENERGIZERS,
    HOST,
    MeetingError,
    RoundKind,
    SpeakingRound,
    activity,
    add_late_duo,
    add_to_group,
)
from app.domain.pairing import pairs_of
from app.models import Breakout, DuoSession, HostMessage, PairHistory, Participant, SpeakingRoundRow
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.sessions import SessionService, _id, bearer_token, store_timeline, timeline_of
from app.services.state import BreakoutSnapshot, MeetingSnapshot, Snapshot, dumps

T = TypeVar("T")
MESSAGES_KEPT_IN_STATE = 5
BREAK_KEY = "#break"  # a break's wake-up is armed under the session code plus this
ORDER_SHOWN_TO_PARTICIPANTS = 40


def round_of(row: SpeakingRoundRow) -> SpeakingRound:
    """Return the domain round stored in a row."""
    return SpeakingRound(
        kind=RoundKind(row.kind),
        question=row.question,
        order=tuple(row.speakers),
        turn=row.turn,
        turn_started_at_ms=row.turn_started_at_ms,
        seconds_per_speaker=row.seconds_per_speaker,
    )


def store_round(row: SpeakingRoundRow, speaking: SpeakingRound) -> None:
    """Write a domain round into its row."""
    row.speakers = list(speaking.order)
    row.turn = speaking.turn
    row.turn_started_at_ms = speaking.turn_started_at_ms


class MeetingService(SessionService):
    """Sessions and breakouts, plus everything a facilitator does around them."""

    # ---- helpers -----------------------------------------------------------------------

    async def _host_change(
        self,
        code: str,
        authorization: str | None,
        change: Callable[[Session, DuoSession, int], T],
    ) -> T:
        """Run ``change`` in a transaction as the host, then tell every client.

        Raises NotFound, Unauthorized, Forbidden, or Conflict for a step not possible now.
        """
        now = self.clock.now_ms()
        with self._transaction() as db:
            row = self._load(db, code, lock=True)
            self._require_host(row, authorization)
            try:
                result = change(db, row, now)
            except MeetingError as error:
                raise Conflict(str(error)) from error
            self._touch(row)
            canonical = row.code
        await self.publisher.publish(canonical, {})
        return result

    @staticmethod
    def _current_round(db: Session, session_id: int | None) -> SpeakingRoundRow | None:
        return db.exec(
            select(SpeakingRoundRow)
            .where(SpeakingRoundRow.session_id == session_id)
            .order_by(col(SpeakingRoundRow.id).desc())
            .limit(1)
        ).first()

    # ---- agreements --------------------------------------------------------------------

    async def agree(self, code: str, participant_id: str, authorization: str | None) -> None:
        """Record that a participant confirmed the agreements (their own token only).

        Raises NotFound, Unauthorized or Forbidden.
        """
        with self._transaction() as db:
            row = self._load(db, code, lock=True)
            token = bearer_token(authorization)
            participant = self._participant_of(db, row, participant_id)
            if not token_matches(token, participant.token_hash):
                raise Forbidden("Only the participant can confirm the agreements.")
            if participant.agreed_at_ms is None:
                participant.agreed_at_ms = self.clock.now_ms()
            self._touch(row)
            canonical = row.code
        await self.publisher.publish(canonical, {})

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

        def change(db: Session, row: DuoSession, now: int) -> dict[str, Any]:
            current = self._current_round(db, row.id)
            if current is not None and not round_of(current).finished:
                raise MeetingError("A round is still going; end it first.")
            people = db.exec(
                select(Participant.id).where(
                    Participant.session_id == row.id,
                    col(Participant.token_hash).is_not(None),
                    col(Participant.id).in_(online),
                )
            ).all()
            speaking = SpeakingRound.start(
                RoundKind(kind), question, list(people), row.seed ^ now, now, seconds_per_speaker
            )
            db.add(
                SpeakingRoundRow(
                    session_id=_id(row),
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

        return await self._host_change(code, authorization, change)

    async def round_control(self, code: str, authorization: str | None, action: str) -> None:
        """Give the turn to the next speaker, or end the round. Raises Conflict with none."""

        def change(db: Session, row: DuoSession, now: int) -> None:
            current = self._current_round(db, row.id)
            if current is None or round_of(current).finished:
                raise MeetingError("No round is going.")
            speaking = round_of(current)
            store_round(current, speaking.next(now) if action == "next" else speaking.end(now))

        await self._host_change(code, authorization, change)

    def _on_join(self, db: Session, row: DuoSession, participant: Participant) -> None:
        """Put someone who joins during a round at the end of its order."""
        current = self._current_round(db, row.id)
        if current is not None:
            store_round(current, round_of(current).add_late(participant.id))

    # ---- messages ----------------------------------------------------------------------

    async def send_message(self, code: str, authorization: str | None, text: str) -> dict[str, Any]:
        """Send a short text from the host to everyone; it is kept with the session."""

        def change(db: Session, row: DuoSession, now: int) -> dict[str, Any]:
            message = HostMessage(session_id=_id(row), text=text, sent_at_ms=now)
            db.add(message)
            db.flush()
            return {"id": message.id, "text": text, "sent_at_ms": now}

        return await self._host_change(code, authorization, change)

    # ---- breaks ------------------------------------------------------------------------

    async def start_break(
        self, code: str, authorization: str | None, minutes: int, energizer: str | None
    ) -> dict[str, Any]:
        """Start a break of ``minutes`` for everyone. Raises Conflict during a break."""

        def change(db: Session, row: DuoSession, now: int) -> dict[str, Any]:
            if row.break_ends_at_ms is not None and row.break_ends_at_ms > now:
                raise MeetingError("A break is going already.")
            if energizer is not None and energizer not in ENERGIZERS:
                raise MeetingError("Unknown energizer.")
            row.break_started_at_ms, row.break_ends_at_ms = now, now + minutes * 60_000
            row.energizer = energizer
            self.timers.arm(row.code + BREAK_KEY, row.break_ends_at_ms)
            return {
                "started_at_ms": now,
                "ends_at_ms": row.break_ends_at_ms,
                "energizer": energizer,
            }

        return await self._host_change(code, authorization, change)

    async def end_break(self, code: str, authorization: str | None) -> None:
        """End the current break now. Raises Conflict when there is none."""

        def change(db: Session, row: DuoSession, now: int) -> None:
            if row.break_ends_at_ms is None or row.break_ends_at_ms <= now:
                raise MeetingError("No break is going.")
            row.break_ends_at_ms = now
            self.timers.arm(row.code + BREAK_KEY, None)

        await self._host_change(code, authorization, change)

    def deadlines(self, snapshot: Snapshot) -> dict[str, int | None]:
        """Return the breakout's wake-up and, during a break, one at its end."""
        ends = snapshot.meeting.break_ends_at_ms if snapshot.meeting else None
        return {**super().deadlines(snapshot), snapshot.code + BREAK_KEY: ends}

    async def deadline_reached(self, key: str) -> None:
        """At the end of a break tell everyone (the state derives that it is over)."""
        if key.endswith(BREAK_KEY):
            await self.publisher.publish(key.removesuffix(BREAK_KEY), {})
        else:
            await super().deadline_reached(key)

    # ---- late joiners ------------------------------------------------------------------

    def _late_change(
        self, db: Session, row: DuoSession, participant_ids: Sequence[str]
    ) -> Breakout:
        breakout = self._latest_breakout(db, row.id)
        if breakout is None:
            raise MeetingError("There is no breakout in this session.")
        for pid in participant_ids:
            try:
                active = self._participant_of(db, row, pid).token_hash is not None
            except NotFound:
                active = False
            if not active:
                raise MeetingError("That participant is not in this session.")
        return breakout

    def _record_pairs(
        self,
        db: Session,
        row: DuoSession,
        number: int,
        group: list[str],
        known: set[tuple[str, str]],
    ) -> None:
        for first, second in pairs_of(group):
            if (first, second) not in known:
                db.add(
                    PairHistory(
                        session_id=_id(row),
                        breakout_number=number,
                        first_id=first,
                        second_id=second,
                    )
                )

    async def add_to_group(
        self, code: str, authorization: str | None, index: int, participant_id: str
    ) -> None:
        """Add a waiting participant to a duo of the running breakout (it becomes a trio)."""

        def change(db: Session, row: DuoSession, now: int) -> None:
            breakout = self._late_change(db, row, [participant_id])
            first_slots = breakout.first_slots or [0] * len(breakout.groups)
            groups, timeline = add_to_group(
                breakout.groups,
                first_slots,
                index,
                participant_id,
                timeline_of(breakout),
                now,
                row.phase_seconds * 1000,
            )
            breakout.groups, breakout.first_slots = groups, first_slots
            store_timeline(breakout, timeline)
            self._record_pairs(
                db, row, breakout.number, groups[index], set(pairs_of(breakout.groups[index][:-1]))
            )
            self.timers.arm(row.code, timeline.next_deadline_ms())

        await self._host_change(code, authorization, change)

    async def add_duo(self, code: str, authorization: str | None, pair: list[str]) -> None:
        """Pair two waiting participants into a new duo from the next slot boundary on."""

        def change(db: Session, row: DuoSession, now: int) -> None:
            breakout = self._late_change(db, row, pair)
            groups, first_slots, timeline = add_late_duo(
                breakout.groups,
                breakout.first_slots or [0] * len(breakout.groups),
                pair,
                timeline_of(breakout),
                now,
                row.phase_seconds * 1000,
            )
            breakout.groups, breakout.first_slots = groups, first_slots
            store_timeline(breakout, timeline)
            self._record_pairs(db, row, breakout.number, list(pair), set())
            self.timers.arm(row.code, timeline.next_deadline_ms())

        await self._host_change(code, authorization, change)

    # ---- the meeting in every state ----------------------------------------------------

    def _meeting_snapshot(
        self, db: Session, row: DuoSession, breakout: BreakoutSnapshot | None, now_ms: int
    ) -> MeetingSnapshot:
        names = dict(
            db.exec(
                select(Participant.id, Participant.name).where(Participant.session_id == row.id)
            ).all()
        )
        current = self._current_round(db, row.id)
        speaking = round_of(current) if current is not None else None
        running_round = speaking if speaking is not None and not speaking.finished else None
        messages = db.exec(
            select(HostMessage)
            .where(HostMessage.session_id == row.id)
            .order_by(col(HostMessage.id).desc())
            .limit(MESSAGES_KEPT_IN_STATE)
        ).all()
        on_break = row.break_ends_at_ms is not None and row.break_ends_at_ms > now_ms
        last_break_end = row.break_ends_at_ms if row.break_ends_at_ms and not on_break else None
        common = {
            "activity": activity(
                breakout.timeline if breakout else None,
                running_round.kind if running_round else None,
                row.break_ends_at_ms,
                now_ms,
            ).value,
            "started_at_ms": row.created_at_ms,
            "planned_end_ms": row.planned_end_ms,
            "last_break_ended_at_ms": last_break_end,
            "agreements": row.agreements,
            "break": {
                "started_at_ms": row.break_started_at_ms,
                "ends_at_ms": row.break_ends_at_ms,
                "energizer": row.energizer,
            }
            if on_break
            else None,
            "messages": [
                {"id": m.id, "text": m.text, "sent_at_ms": m.sent_at_ms} for m in reversed(messages)
            ],
        }

        def speaker(pid: str | None) -> dict[str, Any] | None:
            if pid is None:
                return None
            if pid == HOST:
                return {"id": HOST, "name": None, "host": True}
            return {"id": pid, "name": names.get(pid, ""), "host": False}

        def round_view(limit: int | None) -> dict[str, Any] | None:
            if running_round is None:
                return None
            order = running_round.order if limit is None else running_round.order[:limit]
            return {
                "kind": running_round.kind.value,
                "question": running_round.question,
                "turn": running_round.turn,
                "size": len(running_round.order),
                "speaker": speaker(running_round.speaker),
                "next": speaker(running_round.next_speaker),
                "turn_started_at_ms": running_round.turn_started_at_ms,
                "turn_ends_at_ms": running_round.turn_ends_at_ms(),
                "seconds_per_speaker": running_round.seconds_per_speaker,
                "order": [speaker(pid) for pid in order],
            }

        return MeetingSnapshot(
            participant_json=dumps({**common, "round": round_view(ORDER_SHOWN_TO_PARTICIPANTS)}),
            host_json=dumps({**common, "round": round_view(None)}),
            break_ends_at_ms=row.break_ends_at_ms if on_break else None,
        )
