"""Room links follow groups, not room numbers (app/services/rooms.py: carry_room_names):
groups formed from the video tool's rooms may share a number, never a link."""

from app.models import DuoSession
from app.services.rooms import carry_room_names

LINKS = DuoSession(rooms="link_per_group")


def test_two_groups_of_one_room_keep_their_own_links_when_a_late_joiner_is_placed() -> None:
    old = [["a", "b"], ["c", "d"], ["e", "f"]]
    names = carry_room_names(
        LINKS,
        old,
        [2, 2, 3],
        ["A", "B", "E"],
        [["a", "b"], ["c", "d", "late"], ["e", "f"]],
        [2, 2, 3],
    )
    assert names == ["A", "B", "E"]


def test_a_new_group_gets_a_new_link_and_no_link_is_given_twice() -> None:
    names = carry_room_names(LINKS, [["a", "b", "c"]], [1], ["A"], [["a", "b"], ["c", "x"]], [1, 2])
    assert names is not None
    assert names[0] == "A"
    assert names[1] not in {"A", ""}
    assert len(set(names)) == 2


def test_without_links_no_names_are_made() -> None:
    plain = DuoSession(rooms="breakout_rooms")
    assert carry_room_names(plain, [["a", "b"]], [1], None, [["a", "b"]], [1]) is None
