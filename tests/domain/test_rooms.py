"""Rooms (issue 19): link bases, room links, rooms kept through late joiners, and groups
formed from the rooms people said they are in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.meeting import add_late_duo, add_to_group
from app.domain.rooms import (
    LINK_BASE_PATTERN,
    RoomError,
    carry_rooms,
    group_count,
    groups_from_rooms,
    require_link_base,
    require_room,
    room_url,
    split_room,
)
from app.domain.timeline import Timeline


@pytest.mark.parametrize(
    "base", ["https://meet.jit.si/", "https://meet.jit.si", "https://jitsi.example.org:8443/team/"]
)
def test_good_link_bases(base: str) -> None:
    assert require_link_base(base) == base


@pytest.mark.parametrize(
    "base",
    [
        "http://meet.jit.si/",
        "https://",
        "https:///x",
        "//meet.jit.si",
        "meet.jit.si",
        "https://a b",
        "https://x.nl/?q",
        "https://x.nl/#f",
        "https://x.nl/\n",
        "https://" + "a" * 193,
    ],
)
def test_bad_link_bases(base: str) -> None:
    with pytest.raises(RoomError):
        require_link_base(base)


def test_room_url_joins_with_one_slash() -> None:
    assert room_url("https://meet.jit.si/", "abc") == "https://meet.jit.si/abc"
    assert room_url("https://meet.jit.si/team", "abc") == "https://meet.jit.si/team/abc"


def test_group_count_counts_a_trio_once() -> None:
    assert [group_count(n) for n in (0, 1, 2, 3, 7, 12, 13)] == [0, 0, 1, 1, 3, 6, 6]


def test_require_room() -> None:
    assert require_room(3, 4) == 3
    with pytest.raises(RoomError):
        require_room(1, None)
    with pytest.raises(RoomError):
        require_room(5, 4)


@given(st.integers(min_value=1, max_value=40))
def test_split_room_makes_duos_and_one_trio_when_odd(n: int) -> None:
    people = [f"p{i}" for i in range(n)]
    groups = split_room(people)
    assert sorted(m for g in groups for m in g) == sorted(people)
    sizes = sorted(len(g) for g in groups)
    if n == 1:
        assert sizes == [1]
    else:
        assert set(sizes) <= {2, 3} and sizes.count(3) == n % 2


answers_strategy = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=4), st.integers(1, 8), max_size=40
)


@given(answers_strategy, st.integers(0, 2**62))
def test_groups_from_rooms(answers: dict[str, int], seed: int) -> None:
    formed = groups_from_rooms(answers, seed)
    grouped = [m for g in formed.groups for m in g]
    # Everyone who answered is in exactly one group, or alone in their room.
    assert len(grouped) == len(set(grouped))
    assert sorted([*grouped, *formed.alone]) == sorted(answers)
    assert len(formed.rooms) == len(formed.groups)
    assert formed.rooms == sorted(formed.rooms)
    for group, room in zip(formed.groups, formed.rooms, strict=True):
        assert len(group) in (2, 3)
        assert {answers[m] for m in group} == {room}
    for pid, room in formed.alone.items():
        assert answers[pid] == room
        assert [p for p, r in answers.items() if r == room] == [pid]
    # At most one trio a room, and only when the room's count is odd.
    for room in set(answers.values()):
        count = sum(1 for r in answers.values() if r == room)
        trios = sum(
            1 for g, r in zip(formed.groups, formed.rooms, strict=True) if r == room and len(g) == 3
        )
        assert trios == (count % 2 if count > 1 else 0)
    assert groups_from_rooms(dict(reversed(list(answers.items()))), seed) == formed


def test_groups_from_rooms_by_example() -> None:
    formed = groups_from_rooms({"a": 1, "b": 1, "c": 2, "d": 3, "e": 3, "f": 3}, seed=7)
    assert formed.rooms == [1, 3]
    assert [sorted(g) for g in formed.groups] == [["a", "b"], ["d", "e", "f"]]
    assert formed.alone == {"c": 2}


timeline = Timeline.start(0, 8, 60_000)


@given(st.integers(2, 12), st.integers(0, 5), st.booleans())
def test_rooms_carry_through_late_joiners(size: int, pick: int, duo: bool) -> None:
    people = [f"p{i}" for i in range(size)]
    groups = [people[i : i + 2] for i in range(0, size - size % 2, 2)]
    if size % 2:
        groups[-1].append(people[-1])
    rooms = list(range(1, len(groups) + 1))
    if duo:
        new, _slots, _t = add_late_duo(groups, [0] * len(groups), ["x", "y"], timeline, 1, 60_000)
        carried = carry_rooms(groups, rooms, new)
        assert carried == [*rooms, len(groups) + 1]
    else:
        index = next((i for i, g in enumerate(groups) if len(g) == 2), None)
        if index is None:
            return
        new, _slots, _t = add_to_group(groups, [0] * len(groups), index, "x", timeline, 1, 60_000)
        assert carry_rooms(groups, rooms, new) == rooms


def test_a_lone_member_moved_keeps_everyone_elses_room() -> None:
    groups = [["a", "b"], ["c", "d"], ["e", "f"]]
    # b left: a is lone and joins the duo in room 3; a's old group keeps b (who left).
    new, _slots, _t = add_to_group(
        groups, [0, 0, 0], 2, "a", timeline, 1, 60_000, {"a", "c", "d", "e", "f"}
    )
    assert new == [["b"], ["c", "d"], ["e", "f", "a"]]
    assert carry_rooms(groups, [1, 2, 3], new) == [1, 2, 3]
    # Rooms that are not 1…n (from the video tool's rooms) stay too; a new duo gets the next.
    assert carry_rooms(groups, [2, 5, 7], [*groups, ["x", "y"]]) == [2, 5, 7, 8]
    # A group dropped altogether takes its room with it; the others keep theirs.
    assert carry_rooms(groups, [1, 2, 3], [["a", "b"], ["e", "f"]]) == [1, 3]


@given(st.from_regex(LINK_BASE_PATTERN, fullmatch=True))
def test_every_base_the_schema_allows_is_taken(base: str) -> None:
    if len(base) <= 200:
        assert require_link_base(base) == base
    else:
        with pytest.raises(RoomError):
            require_link_base(base)
