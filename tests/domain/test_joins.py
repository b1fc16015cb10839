"""The rules of joining: caps and bursts of joins from one address (app/domain/joins.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.joins import (
    BURST_GAP_MS,
    BURST_LEAST,
    Arrival,
    JoinCaps,
    JoinCounts,
    JoinRefused,
    bursts,
    check_join,
)

CAPS = JoinCaps(present=10, lifetime=20, per_address=5)


def counts(**changed: int | bool) -> JoinCounts:
    fields: dict[str, int | bool] = {
        "present": 0,
        "joins": 0,
        "undone": 0,
        "from_address": 0,
        "locked": False,
    }
    return JoinCounts(**{**fields, **changed})  # type: ignore[arg-type]


def test_a_join_within_every_cap_passes() -> None:
    check_join(counts(present=9, joins=19, from_address=4), CAPS)


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"locked": True}, "locked"),
        ({"present": 10}, "full"),
        ({"joins": 20}, "joined 20 times"),
        ({"from_address": 5}, "from this address"),
    ],
)
def test_each_cap_refuses_with_its_reason(changed: dict[str, int | bool], words: str) -> None:
    with pytest.raises(JoinRefused, match=words) as refused:
        check_join(counts(**changed), CAPS)
    assert refused.value.locked == ("locked" in changed)


def test_joins_the_host_undid_are_not_counted() -> None:
    check_join(counts(joins=30, undone=11), CAPS)
    with pytest.raises(JoinRefused):
        check_join(counts(joins=30, undone=10), CAPS)


def test_ten_joins_two_seconds_apart_are_a_burst_and_a_slower_run_is_not() -> None:
    fast = [Arrival(f"p{i}", "a", 1_000 + i * BURST_GAP_MS) for i in range(BURST_LEAST)]
    slow = [Arrival(f"q{i}", "b", i * (BURST_GAP_MS + 1)) for i in range(BURST_LEAST * 2)]
    few = [Arrival(f"r{i}", "c", i) for i in range(BURST_LEAST - 1)]
    unknown = [Arrival(f"s{i}", None, i) for i in range(BURST_LEAST)]
    [burst] = bursts(fast + slow + few + unknown)
    assert burst.address == "a"
    assert burst.count == BURST_LEAST
    assert burst.seconds == (BURST_LEAST - 1) * BURST_GAP_MS // 1000


arrivals = st.lists(
    st.builds(
        Arrival,
        participant_id=st.uuids().map(str),
        address=st.sampled_from(["a", "b", "c", None]),
        joined_at_ms=st.integers(0, 60_000),
    ),
    max_size=80,
)


@given(arrivals)
def test_bursts_are_runs_of_one_address_each_join_close_to_the_last(
    given_arrivals: list[Arrival],
) -> None:
    found = bursts(given_arrivals)
    by_id = {a.participant_id: a for a in given_arrivals}
    seen: set[str] = set()
    for burst in found:
        members = [by_id[pid] for pid in burst.participant_ids]
        assert len(members) >= BURST_LEAST
        assert {m.address for m in members} == {burst.address}
        times = [m.joined_at_ms for m in members]
        assert times == sorted(times)
        assert all(b - a <= BURST_GAP_MS for a, b in zip(times, times[1:], strict=False))
        assert burst.seconds >= 1 and burst.seconds * 1000 >= times[-1] - times[0]
        assert not seen & set(burst.participant_ids)  # no one in two bursts
        seen |= set(burst.participant_ids)
    assert [b.count for b in found] == sorted((b.count for b in found), reverse=True)
