"""Reading a snapshot: everything one ``state`` is made of, read at one moment."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.domain.meeting import activity, on_break
from app.models import DuoSession, HostMessage, Participant
from app.services.errors import SESSION_NOT_FOUND, NotFound
from app.services.state import (
    BreakoutSnapshot,
    BreakSnapshot,
    MeetingSnapshot,
    Member,
    MessageSnapshot,
    Snapshot,
)
from app.services.store import Store, latest_breakout, latest_round, round_of, timeline_of

MESSAGES_KEPT_IN_STATE = 5


class SnapshotReader:
    """Reads sessions for their clients' states (no writes, no locks)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def read(self, code: str, online: frozenset[str]) -> Snapshot:
        """Return the snapshot of session ``code``, whose ``online`` are given.

        Raises NotFound for an unknown or expired session.
        """
        with Session(self.store.engine) as db:
            row = self.store.find(db, code)
            if self.store.expired(row):
                raise NotFound(SESSION_NOT_FOUND)
            members = _members(db, row)
            breakout = _breakout(db, row)
            now = self.store.clock.now_ms()
            return Snapshot(
                code=row.code,
                title=row.title,
                language=row.language,
                phase_seconds=row.phase_seconds,
                members=members,
                online=frozenset(p for p in online if p in members and members[p].active),
                breakout=breakout,
                now_ms=now,
                meeting=_meeting(db, row, breakout, now),
            )


def _members(db: Session, row: DuoSession) -> dict[str, Member]:
    return {
        pid: Member(pid, name, token_hash is not None, agreed_at is not None)
        for pid, name, token_hash, agreed_at in db.exec(
            select(
                Participant.id,
                Participant.name,
                Participant.token_hash,
                Participant.agreed_at_ms,
            )
            .where(Participant.session_id == row.id)
            .order_by(col(Participant.joined_seq))
        ).all()
    }


def _breakout(db: Session, row: DuoSession) -> BreakoutSnapshot | None:
    latest = latest_breakout(db, row)
    if latest is None:
        return None
    return BreakoutSnapshot(
        latest.id,
        latest.number,
        latest.groups,
        timeline_of(latest),
        latest.first_slots or [0] * len(latest.groups),
    )


def _meeting(
    db: Session, row: DuoSession, breakout: BreakoutSnapshot | None, now_ms: int
) -> MeetingSnapshot:
    current = latest_round(db, row)
    speaking = round_of(current) if current is not None else None
    going = speaking if speaking is not None and not speaking.finished else None
    messages = db.exec(
        select(HostMessage)
        .where(HostMessage.session_id == row.id)
        .order_by(col(HostMessage.id).desc())
        .limit(MESSAGES_KEPT_IN_STATE)
    ).all()
    pausing = on_break(row.break_ends_at_ms, now_ms)
    return MeetingSnapshot(
        activity=activity(
            breakout.timeline if breakout else None,
            going.kind if going else None,
            row.break_ends_at_ms,
            now_ms,
        ),
        started_at_ms=row.created_at_ms,
        planned_end_ms=row.planned_end_ms,
        last_break_ended_at_ms=row.break_ends_at_ms
        if row.break_ends_at_ms and not pausing
        else None,
        agreements=row.agreements,
        going_break=BreakSnapshot(row.break_started_at_ms, row.break_ends_at_ms, row.energizer)
        if pausing and row.break_ends_at_ms is not None
        else None,
        messages=tuple(MessageSnapshot(m.id, m.text, m.sent_at_ms) for m in reversed(messages)),
        speaking=going,
    )
