"""The participant's count in steps: exact below 20, then steps of at most 10 %."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.counting import EXACT_COUNT_BELOW, count_floor, count_step

counts = st.integers(min_value=0, max_value=10**7)


@pytest.mark.parametrize(
    ("n", "floor"),
    [
        (0, 0),
        (1, 1),
        (7, 7),
        (19, 19),
        (20, 20),
        (21, 20),
        (25, 24),
        (26, 26),
        (49, 48),
        (50, 50),
        (54, 50),
        (99, 95),
        (100, 100),
        (199, 190),
        (200, 200),
        (299, 280),
        (300, 300),
        (499, 480),
        (500, 500),
        (999, 950),
        (1_000, 1_000),
        (1_999, 1_900),
        (2_345, 2_200),
    ],
)
def test_examples(n: int, floor: int) -> None:
    assert count_floor(n) == floor


@pytest.mark.parametrize(
    ("first", "last", "step"),
    [
        (20, 49, 2),
        (50, 99, 5),
        (100, 199, 10),
        (200, 499, 20),
        (500, 999, 50),
        (1_000, 1_999, 100),
    ],
)
def test_the_steps_by_range(first: int, last: int, step: int) -> None:
    assert {count_step(n) for n in range(first, last + 1)} == {step}


def test_the_threshold() -> None:
    assert EXACT_COUNT_BELOW == 20
    assert count_floor(EXACT_COUNT_BELOW - 1) == EXACT_COUNT_BELOW - 1
    assert count_step(EXACT_COUNT_BELOW) > 1


@given(counts)
def test_the_floor_is_at_most_the_count_and_a_whole_number_of_steps(n: int) -> None:
    floor = count_floor(n)
    assert 0 <= n - floor < count_step(n)
    assert floor % count_step(n) == 0


@given(st.integers(min_value=0, max_value=EXACT_COUNT_BELOW - 1))
def test_exact_below_the_threshold(n: int) -> None:
    assert count_floor(n) == n


@given(st.integers(min_value=EXACT_COUNT_BELOW, max_value=10**7))
def test_a_step_is_between_4_and_10_percent_of_the_count(n: int) -> None:
    step = count_step(n)
    assert 10 * step <= n < 25 * step
    assert str(step).strip("0") in {"1", "2", "5"}


@given(counts, counts)
def test_monotone(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert count_floor(low) <= count_floor(high)


@given(counts)
def test_a_floor_is_its_own_floor(n: int) -> None:
    assert count_floor(count_floor(n)) == count_floor(n)


def distinct_floors(last: int) -> int:
    return len({count_floor(n) for n in range(1, last + 1)})


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=20_000))
def test_the_number_of_floors_grows_with_the_logarithm(last: int) -> None:
    # Below the threshold every count is a floor; each tenfold from there adds at most 40.
    decades = math.ceil(math.log10(last / EXACT_COUNT_BELOW)) if last > EXACT_COUNT_BELOW else 0
    assert distinct_floors(last) <= EXACT_COUNT_BELOW + 40 * decades


def test_floors_per_decade() -> None:
    assert distinct_floors(200_000) - distinct_floors(20_000) == 35
    # 1…19 one by one, then 20…48 by 2, 50…95 by 5, 100…190 by 10, 200…480 by 20,
    # 500…950 by 50, and 1,000.
    assert distinct_floors(1_000) == 19 + 15 + 10 + 10 + 15 + 10 + 1
