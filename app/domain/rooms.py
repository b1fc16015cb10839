"""Where a group talks: the session's choice of rooms, each group's room number, and groups
formed from the rooms people are already in (pure: no I/O, no randomness of its own).

- ``RoomMode``: a session's choice, made at creation and changeable in the lobby.
- A group's *room* is a number 1, 2, … that stays with the group while the breakout runs
  (``carry_rooms``): a late joiner or a lone member moved keeps every other group's room.
- ``groups_from_rooms``: the groups Duo forms from the rooms people say they are in.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

MAX_ROOM_LINK_BASE = 200
"""The longest link base a host may give (characters)."""

_NOT_IN_LINK = r"\s?#\x00-\x1f\x7f-\x9f"
LINK_BASE_PATTERN = (
    rf"^https://[^{_NOT_IN_LINK}/@\[\]\\:][^{_NOT_IN_LINK}/@\[\]\\]*(?:/[^{_NOT_IN_LINK}]*)?$"
)
"""A link base: ``https://``, a host (maybe with a port), maybe a path; no spaces, control
characters, user name, query or fragment."""

MAX_ROOMS_ASKED = 50
"""The most rooms a host may ask people to choose from."""


class RoomMode(StrEnum):
    """Where the groups of a session talk."""

    BREAKOUT_ROOMS = "breakout_rooms"  # the video call's breakout rooms, numbered as the groups
    LINK_PER_GROUP = "link_per_group"  # a video link of its own per group (``room_link_base``)
    SAME_ROOM = "same_room"  # one physical room: a colour per group to find each other


class RoomError(ValueError):
    """A room answer or a start from the rooms that is not possible."""


def require_link_base(base: str) -> str:
    """Return ``base`` if it is an ``https://`` link with a host (``LINK_BASE_PATTERN``), of
    at most 200 characters. Raises RoomError otherwise."""
    if len(base) > MAX_ROOM_LINK_BASE:
        raise RoomError(f"the link base must have at most {MAX_ROOM_LINK_BASE} characters")
    if not re.fullmatch(LINK_BASE_PATTERN, base):
        raise RoomError(
            "the link base must start with https:// and a host name, without spaces, "
            "control characters, a user name, a query (?) or a fragment (#)"
        )
    return base


def room_url(base: str, name: str) -> str:
    """Return the room link of a group: ``base`` and the room's ``name``, with one ``/``."""
    return f"{base}{name}" if base.endswith("/") else f"{base}/{name}"


def group_count(people: int) -> int:
    """Return how many groups a breakout of ``people`` makes (duos, one trio when odd): the
    rooms the host makes in the video tool beforehand."""
    return people // 2


def carry_rooms(
    old_groups: Sequence[Sequence[str]],
    old_rooms: Sequence[int],
    new_groups: Sequence[Sequence[str]],
) -> list[int]:
    """Return the room of each of ``new_groups``: the groups of a running breakout after a
    late joiner or a lone member was placed (groups may have grown, lost a member who moved,
    been dropped or been added).

    A group keeps its room when the members who stayed in it are together in a new group;
    a member *moved* when they are now in a group with none of their old group-mates and
    with someone from elsewhere (a member who left stays with their old group). A new
    group (a late duo) gets the next room after the highest there was, so nobody else's
    room changes.
    """
    where = {pid: i for i, group in enumerate(new_groups) for pid in group}
    rooms: list[int | None] = [None] * len(new_groups)
    for old, room in zip(old_groups, old_rooms, strict=True):
        stayed = [
            pid
            for pid in old
            if pid in where
            and (
                any(where.get(o) == where[pid] for o in old if o != pid)
                or set(new_groups[where[pid]]) <= set(old)
            )
        ]
        targets = {where[pid] for pid in stayed}
        if len(targets) == 1:
            target = targets.pop()
            if rooms[target] is None:
                rooms[target] = room
    highest = max([*old_rooms, 0])
    result: list[int] = []
    for kept in rooms:
        if kept is None:
            highest += 1
        result.append(highest if kept is None else kept)
    return result


@dataclass(frozen=True)
class RoomGroups:
    """Groups formed from the rooms people said they are in."""

    groups: list[list[str]]  # duos and trios, members in rotation order
    rooms: list[int]  # the room of each group
    alone: dict[str, int]  # who is alone in their room, and that room


def split_room(people: Sequence[str]) -> list[list[str]]:
    """Split the people of one room into duos, one trio when odd (one person: one group of
    one, whom the caller shows to the host)."""
    if len(people) <= 3:
        return [list(people)]
    groups = [
        list(people[i : i + 2])
        for i in range(0, len(people) - 3 if len(people) % 2 else len(people), 2)
    ]
    if len(people) % 2:
        groups.append(list(people[-3:]))
    return groups


def groups_from_rooms(answers: Mapping[str, int], seed: int) -> RoomGroups:
    """Form groups from ``answers`` (participant id → the room they are in): two in a room
    are a duo, three a trio, four or more are split into duos (one trio when odd), and
    one alone is not grouped (the host moves them). Rooms in ascending order; the members'
    order (who tells first) is shuffled from ``seed``, the same for equal inputs.
    """
    by_room: dict[int, list[str]] = {}
    for pid in sorted(answers):
        by_room.setdefault(answers[pid], []).append(pid)
    groups: list[list[str]] = []
    rooms: list[int] = []
    alone: dict[str, int] = {}
    for room in sorted(by_room):
        people = by_room[room]
        random.Random(f"{seed}:room:{room}").shuffle(people)
        if len(people) == 1:
            alone[people[0]] = room
            continue
        for group in split_room(people):
            groups.append(group)
            rooms.append(room)
    return RoomGroups(groups, rooms, alone)


def require_room(room: int, rooms: int | None) -> int:
    """Return ``room`` if the host asked for rooms and it is one of 1…``rooms``. Raises
    RoomError otherwise."""
    if rooms is None:
        raise RoomError("The host is not asking which room you are in.")
    if not 1 <= room <= rooms:
        raise RoomError(f"Choose a room from 1 to {rooms}.")
    return room
