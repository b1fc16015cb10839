"""Tests for app.domain.pairing: group shapes, determinism, no repeats, round robin, and that
large groups are paired at all. How fast pairing is, is a figure of bench/pairing.py
(docs/benchmarks.md); the tests only guard against a pairing that hangs."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.pairing import PairingError, pair_key, pair_up, pairs_of

# A pairing that takes longer than this hangs: 20x the 0.5 s these tests once asserted, far
# above what bench/pairing.py measures (docs/benchmarks.md), so a busy machine never trips it.
HANGS_SECONDS = 10.0

# ---- helpers ------------------------------------------------------------------------------


def names(n: int, prefix: str = "p") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def repeats(groups: Sequence[Sequence[str]], met: Mapping[tuple[str, str], int]) -> int:
    """Return the weighted number of pairs in ``groups`` that already met."""
    return sum(met.get(pair, 0) for group in groups for pair in pairs_of(group))


def assert_valid(groups: list[list[str]], people: Sequence[str]) -> None:
    members = [p for group in groups for p in group]
    assert sorted(members) == sorted(people), "everyone is in exactly one group"
    sizes = sorted(len(group) for group in groups)
    if len(people) % 2 == 0:
        assert sizes == [2] * (len(people) // 2)
    else:
        assert sizes == [2] * (len(people) // 2 - 1) + [3]


def pairings(people: Sequence[str]) -> Iterator[list[tuple[str, ...]]]:
    """Yield every split of ``people`` into duos plus one trio when odd (brute force)."""

    def matchings(rest: Sequence[str]) -> Iterator[list[tuple[str, ...]]]:
        if not rest:
            yield []
            return
        first = rest[0]
        for k in range(1, len(rest)):
            others = [*rest[1:k], *rest[k + 1 :]]
            for tail in matchings(others):
                yield [(first, rest[k]), *tail]

    if len(people) % 2 == 0:
        yield from matchings(list(people))
        return
    for trio in itertools.combinations(people, 3):
        rest = [p for p in people if p not in trio]
        for tail in matchings(rest):
            yield [trio, *tail]


def fewest_repeats(people: Sequence[str], met: Mapping[tuple[str, str], int]) -> int:
    return min(repeats(groups, met) for groups in pairings(people))


def run_session(
    people: Sequence[str], breakouts: int, seed: int
) -> tuple[Counter[tuple[str, str]], list[int]]:
    """Run breakouts in a row, feeding the history; return it and each breakout's repeats."""
    met: Counter[tuple[str, str]] = Counter()
    found = []
    for number in range(breakouts):
        groups = pair_up(people, met, seed, number)
        assert_valid(groups, people)
        found.append(repeats(groups, met))
        met.update(pair for group in groups for pair in pairs_of(group))
    return met, found


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
seeds = st.integers(min_value=0, max_value=2**32)


# ---- pair_key and pairs_of ----------------------------------------------------------------


def test_pair_key_is_sorted_and_symmetric() -> None:
    assert pair_key("b", "a") == ("a", "b")
    assert pair_key("a", "b") == ("a", "b")


def test_pairs_of_duo_and_trio() -> None:
    assert pairs_of(["b", "a"]) == [("a", "b")]
    assert sorted(pairs_of(["c", "a", "b"])) == [("a", "b"), ("a", "c"), ("b", "c")]


# ---- shape ----------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [[], ["solo"]])
def test_fewer_than_two_people_raises(people: list[str]) -> None:
    with pytest.raises(PairingError, match="At least two participants"):
        pair_up(people, set(), seed=1)


def test_pairing_error_is_a_value_error() -> None:
    assert issubclass(PairingError, ValueError)


def test_duplicate_ids_raise() -> None:
    with pytest.raises(PairingError):
        pair_up(["a", "b", "a"], set(), seed=1)


def test_two_people_make_a_duo_and_three_a_trio() -> None:
    assert sorted(map(sorted, pair_up(["a", "b"], set(), seed=3))) == [["a", "b"]]
    assert sorted(map(sorted, pair_up(["a", "b", "c"], set(), seed=3))) == [["a", "b", "c"]]


def test_two_people_who_met_still_make_a_duo() -> None:
    groups = pair_up(["a", "b"], {("a", "b"): 5}, seed=3)
    assert sorted(map(sorted, groups)) == [["a", "b"]]


@settings(deadline=None, max_examples=150)
@given(
    people=st.lists(ids, min_size=2, max_size=60, unique=True),
    density=st.floats(min_value=0, max_value=1),
    seed=seeds,
    round_seed=st.integers(min_value=0, max_value=1000),
    data=st.data(),
)
def test_everyone_in_exactly_one_group_of_two_or_three(
    people: list[str], density: float, seed: int, round_seed: int, data: st.DataObject
) -> None:
    rnd = random.Random(data.draw(seeds))
    met = {
        pair_key(a, b): rnd.randint(1, 3)
        for a, b in itertools.combinations(people, 2)
        if rnd.random() < density
    }
    groups = pair_up(people, met, seed, round_seed)
    assert_valid(groups, people)
    assert all(len(group) >= 2 for group in groups)


# ---- determinism ----------------------------------------------------------------------------


@settings(deadline=None, max_examples=60)
@given(
    people=st.lists(ids, min_size=2, max_size=30, unique=True),
    seed=seeds,
    round_seed=st.integers(min_value=0, max_value=50),
    data=st.data(),
)
def test_deterministic_for_equal_inputs(
    people: list[str], seed: int, round_seed: int, data: st.DataObject
) -> None:
    pairs = list(itertools.combinations(people, 2))
    met = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    met = [pair_key(a, b) for a, b in met]
    first = pair_up(people, set(met), seed, round_seed)
    assert pair_up(people, set(met), seed, round_seed) == first
    # The same input in another shape or order gives the same result.
    assert pair_up(list(reversed(people)), list(reversed(met)), seed, round_seed) == first
    assert pair_up(tuple(people), dict.fromkeys(met, 1), seed, round_seed) == first


def test_member_order_varies_with_round_seed() -> None:
    people = names(2)
    orders = {tuple(pair_up(people, set(), 11, r)[0]) for r in range(20)}
    assert orders == {("p0", "p1"), ("p1", "p0")}


def test_seed_changes_the_pairing() -> None:
    people = names(12)
    results = {
        tuple(sorted(tuple(sorted(g)) for g in pair_up(people, set(), s))) for s in range(10)
    }
    assert len(results) > 1


# ---- the history: met ------------------------------------------------------------------------


def test_met_keys_in_any_order_and_strangers_are_honoured() -> None:
    people = ["a", "b", "c", "d"]
    met = {("b", "a"): 1, ("d", "c"): 1, ("x", "a"): 4}
    for seed in range(20):
        groups = pair_up(people, met, seed)
        assert {"a", "b"} not in map(set, groups)
        assert {"c", "d"} not in map(set, groups)


def test_counts_of_zero_do_not_count_as_met() -> None:
    people = ["a", "b"]
    assert sorted(map(sorted, pair_up(people, {("a", "b"): 0}, seed=1))) == [["a", "b"]]


def test_fewest_repeats_weighs_counts() -> None:
    # Everyone met everyone once, except a-b (often) and c-d (often): avoid those.
    people = ["a", "b", "c", "d"]
    met = {pair_key(x, y): 1 for x, y in itertools.combinations(people, 2)}
    met[("a", "b")] = 5
    met[("c", "d")] = 5
    for seed in range(10):
        groups = pair_up(people, met, seed)
        assert repeats(groups, met) == 2


# ---- no repeats while possible ------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 21, 2))
@pytest.mark.parametrize("seed", [0, 1, 987654321])
def test_round_robin_even_group_meets_everyone_without_repeats(n: int, seed: int) -> None:
    people = names(n)
    met, found = run_session(people, n - 1, seed)
    assert found == [0] * (n - 1)
    assert set(met) == {pair_key(a, b) for a, b in itertools.combinations(people, 2)}
    assert set(met.values()) == {1}


@settings(deadline=None, max_examples=30)
@given(n=st.integers(min_value=1, max_value=15).map(lambda k: 2 * k), seed=seeds)
def test_round_robin_any_seed_and_ids(n: int, seed: int) -> None:
    people = names(n, prefix=f"s{seed}-")
    met, found = run_session(people, n - 1, seed)
    assert found == [0] * (n - 1)
    assert len(met) == n * (n - 1) // 2


def test_round_robin_holds_when_people_arrive_in_another_order() -> None:
    people = names(16)
    rnd = random.Random(5)
    met: Counter[tuple[str, str]] = Counter()
    for number in range(15):
        shuffled = rnd.sample(people, len(people))
        groups = pair_up(shuffled, met, 42, number)
        assert repeats(groups, met) == 0
        met.update(pair for group in groups for pair in pairs_of(group))
    assert len(met) == 16 * 15 // 2


def test_after_the_round_robin_repeats_are_spread() -> None:
    people = names(10)
    met, _ = run_session(people, 9, 3)
    groups = pair_up(people, met, 3, 9)
    assert repeats(groups, met) == 5  # unavoidable: one per duo, nobody twice


@pytest.mark.parametrize("n", [3, 5, 7, 9, 11])
def test_odd_group_has_no_repeat_while_one_is_possible(n: int) -> None:
    people = names(n)
    met: Counter[tuple[str, str]] = Counter()
    for number in range(n + 2):
        groups = pair_up(people, met, 8, number)
        assert_valid(groups, people)
        if n <= 7:
            assert repeats(groups, met) == fewest_repeats(people, met)
        met.update(pair for group in groups for pair in pairs_of(group))
    if n >= 5:
        assert len(met) > n  # more than the first breakout's pairs: it kept mixing


breakouts = st.lists(
    st.sets(st.sampled_from(names(8)), min_size=2, max_size=8), min_size=1, max_size=10
)


@settings(deadline=None, max_examples=120)
@given(sessions=breakouts, seed=seeds, weighted=st.booleans())
def test_changing_membership_matches_brute_force(
    sessions: list[set[str]], seed: int, weighted: bool
) -> None:
    met: Counter[tuple[str, str]] = Counter()
    for number, present in enumerate(sessions):
        people = sorted(present)
        history = dict(met) if weighted else set(met)
        groups = pair_up(people, history, seed, number)
        assert_valid(groups, people)
        costs = met if weighted else Counter(dict.fromkeys(met, 1))
        best = fewest_repeats(people, costs)
        assert repeats(groups, costs) == best
        if best == 0:
            assert not any(pair in met for group in groups for pair in pairs_of(group))
        met.update(pair for group in groups for pair in pairs_of(group))


@settings(deadline=None, max_examples=60)
@given(
    people=st.lists(st.sampled_from(names(8)), min_size=2, max_size=8, unique=True),
    seed=seeds,
    data=st.data(),
)
def test_random_weighted_history_matches_brute_force(
    people: list[str], seed: int, data: st.DataObject
) -> None:
    pairs = [pair_key(a, b) for a, b in itertools.combinations(people, 2)]
    met = data.draw(st.dictionaries(st.sampled_from(pairs), st.integers(1, 4)))
    groups = pair_up(people, met, seed)
    assert repeats(groups, met) == fewest_repeats(people, met)


@settings(deadline=None, max_examples=25)
@given(seed=seeds, data=st.data())
def test_larger_changing_group_avoids_repeats_while_history_is_thin(
    seed: int, data: st.DataObject
) -> None:
    pool = names(40)
    met: Counter[tuple[str, str]] = Counter()
    for number in range(4):
        people = data.draw(st.lists(st.sampled_from(pool), min_size=24, max_size=40, unique=True))
        groups = pair_up(people, met, seed, number)
        assert_valid(groups, people)
        assert repeats(groups, met) == 0
        met.update(pair for group in groups for pair in pairs_of(group))


# ---- when repeats cannot be avoided -------------------------------------------------------


@pytest.mark.parametrize("n", [4, 9, 30, 31])
def test_everyone_met_everyone_gives_the_fewest_possible_repeats(n: int) -> None:
    people = names(n)
    met = {pair_key(a, b): 1 for a, b in itertools.combinations(people, 2)}
    started = time.perf_counter()
    groups = pair_up(people, met, 4)
    assert time.perf_counter() - started < HANGS_SECONDS
    assert_valid(groups, people)
    assert repeats(groups, met) == len(people) // 2 + (2 if n % 2 else 0)


def test_two_separate_circles_cost_one_repeat() -> None:
    # Two odd circles of people who have only ever met across: one pair must repeat.
    people = names(30)
    left, right = people[:15], people[15:]
    met = {pair_key(a, b): 1 for a in left for b in right}
    groups = pair_up(people, met, 9)
    assert_valid(groups, people)
    assert repeats(groups, met) == 1


# ---- large groups -------------------------------------------------------------------------


def test_large_group_several_rounds_without_repeats() -> None:
    people = names(400, prefix="u")
    started = time.perf_counter()
    _, found = run_session(people, 5, 2024)
    assert found == [0] * 5
    assert time.perf_counter() - started < 4 * HANGS_SECONDS  # five rounds: 20x the old 2 s


def test_large_changing_group_without_repeats() -> None:
    pool = names(520, prefix="u")
    rnd = random.Random(17)
    met: Counter[tuple[str, str]] = Counter()
    for number in range(5):
        people = rnd.sample(pool, rnd.randint(480, 501))
        started = time.perf_counter()
        groups = pair_up(people, met, 77, number)
        assert time.perf_counter() - started < HANGS_SECONDS
        assert_valid(groups, people)
        assert repeats(groups, met) == 0
        met.update(pair for group in groups for pair in pairs_of(group))


def test_large_group_with_sparse_random_history() -> None:
    people = names(500, prefix="u")
    rnd = random.Random(3)
    met = {pair_key(*rnd.sample(people, 2)) for _ in range(2500)}
    started = time.perf_counter()
    groups = pair_up(people, met, 5)
    assert time.perf_counter() - started < HANGS_SECONDS
    assert_valid(groups, people)
    assert repeats(groups, dict.fromkeys(met, 1)) == 0
