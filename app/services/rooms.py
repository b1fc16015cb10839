"""Where the groups talk: the host's choice of rooms in the lobby, asking everyone which of
the video tool's rooms they are in, and their answers (``app/domain/rooms.py`` holds the
rules; a breakout formed from the answers starts in ``breakouts.py``)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import col

from app.core.security import token_matches
from app.domain.meeting import require_nothing_running, require_open
from app.domain.rooms import RoomError, RoomMode, require_room
from app.models import Breakout, DuoSession, Participant
from app.services.access import bearer_token
from app.services.changes import Changes, Step
from app.services.errors import Forbidden, NotFound
from app.services.store import current_activity, going_round, participant_of

ROOM_NAME_BYTES = 16
"""Random bytes in a room's name under the link base: 128 bits, never guessed."""


def new_room_names(count: int) -> list[str]:
    """Return ``count`` new room names (URL-safe, 128 random bits each)."""
    return [secrets.token_urlsafe(ROOM_NAME_BYTES) for _ in range(count)]


def give_rooms(row: DuoSession, breakout: Breakout, rooms: list[int]) -> None:
    """Store ``rooms`` as the breakout's groups' rooms, with a new room name for each group
    when the session gives a link per group."""
    breakout.rooms = rooms
    if row.rooms == RoomMode.LINK_PER_GROUP.value:
        breakout.room_names = new_room_names(len(rooms))


def carry_room_names(
    row: DuoSession,
    old_groups: Sequence[Sequence[str]],
    old_rooms: Sequence[int],
    old_names: Sequence[str] | None,
    new_groups: Sequence[Sequence[str]],
    new_rooms: Sequence[int],
) -> list[str] | None:
    """Return the room names of a breakout whose groups changed into ``new_groups`` with
    ``new_rooms``: a group keeps its own group's name (the old group with its room and
    someone of it still in it), a new group gets a new one. Names follow groups, not room
    numbers: groups formed from the video tool's rooms may share a number, never a link."""
    if old_names is None and row.rooms != RoomMode.LINK_PER_GROUP.value:
        return None
    olds = list(zip(old_groups, old_rooms, old_names or [], strict=False))
    used: set[str] = set()
    names = []
    for group, room in zip(new_groups, new_rooms, strict=True):
        kept = next(
            (
                name
                for old, old_room, name in olds
                if old_room == room and name not in used and set(old) & set(group)
            ),
            None,
        )
        name = kept or new_room_names(1)[0]
        used.add(name)
        names.append(name)
    return names


def clear_answers(step: Step) -> None:
    """Forget everyone's answer to which room they are in."""
    step.db.execute(
        update(Participant)
        .where(
            col(Participant.session_id) == step.row.id, col(Participant.room_answer).is_not(None)
        )
        .values(room_answer=None)
    )


class RoomCommands:
    """The host's choice of rooms, and which of the video tool's rooms everyone is in."""

    def __init__(self, changes: Changes) -> None:
        self.changes = changes

    async def change_settings(
        self,
        code: str,
        authorization: str | None,
        rooms: RoomMode | None,
        room_link_base: str | None,
    ) -> dict[str, object]:
        """Change where the groups talk (in the lobby). Raises Conflict while an activity
        runs. A link per group without a link base gives no links until one is set."""

        def change(step: Step) -> dict[str, object]:
            row = step.row
            require_open(row.closed_at_ms)
            require_nothing_running(current_activity(step.db, row, step.now, step.extras[0])[0])
            base = room_link_base if room_link_base is not None else row.room_link_base
            mode = rooms.value if rooms is not None else row.rooms
            row.rooms, row.room_link_base = mode, base
            return {"rooms": mode, "room_link_base": base}

        return await self.changes.as_host(code, authorization, change, going_round)

    async def ask(self, code: str, authorization: str | None, rooms: int | None) -> None:
        """Ask everyone which of ``rooms`` rooms they are in (earlier answers are forgotten),
        or stop asking (None). Raises Conflict while an activity runs."""

        def change(step: Step) -> None:
            row = step.row
            if rooms is not None:
                require_open(row.closed_at_ms)
                require_nothing_running(current_activity(step.db, row, step.now, step.extras[0])[0])
                clear_answers(step)
            elif row.rooms_asked is None:
                raise RoomError("The host is not asking which room people are in.")
            row.rooms_asked = rooms

        await self.changes.as_host(code, authorization, change, going_round)

    async def answer(
        self, code: str, participant_id: str, authorization: str | None, room: int
    ) -> None:
        """Record which room a participant is in (their own token). Raises Conflict when
        nobody asks or for a room beyond those asked."""

        def change(step: Step) -> None:
            token = bearer_token(authorization)
            participant = participant_of(step.db, step.row, participant_id)
            if participant.token_hash is None:
                raise NotFound("Participant not found.")
            if not token_matches(token, participant.token_hash):
                raise Forbidden("Only the participant can say which room they are in.")
            require_open(step.row.closed_at_ms)
            participant.room_answer = require_room(room, step.row.rooms_asked)

        await self.changes.apply(code, change)
