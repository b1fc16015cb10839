"""Pairing: split the people online into duos (one trio when odd) for a breakout.

Rules (see the product's "Rules of the exercise"): everyone is in exactly one group, all
groups are duos except exactly one trio when the count is odd, nobody is ever alone, and a
new breakout never repeats a pair from an earlier breakout of the session while a pairing
without repeats exists. With a constant even group of n people the first n - 1 breakouts
contain no repeat at all.

How, in order:

1. Round robin. People are ordered by a stable per-person random key (sha256 of
   ``"{seed}:{id}"``), so the order survives people joining or leaving. The circle method
   then gives n - 1 rounds (n even; for odd n a dummy joins, and whoever meets the dummy
   joins a duo neither of whose members they have met). The first round, from a
   seed-derived offset, without a pair from the history is taken. Fed its own history,
   this schedule lets everyone meet everyone in n - 1 breakouts, which a plain search does
   not guarantee (it can paint itself into a corner).
2. Exact search. Backtracking, most constrained person first, for a pairing with no
   repeat at all, within a budget of steps.
3. Fewest repeats. When no repeat-free pairing exists (or the budget ran out): randomised
   greedy plus local improvement (re-splitting two groups) over several restarts, then,
   for small groups, a budgeted branch and bound that proves or improves the best found.
   Repeats are weighted by how often the pair met.

The member order of a group is its rotation order (member 0 tells first); it and the
group order are shuffled with a random generator derived from ``(seed, round_seed)``.
Everything is deterministic for equal inputs and independent of the order of ``people``.
"""

from __future__ import annotations

import hashlib
import random
from bisect import insort
from collections.abc import Collection, Iterator, Mapping, Sequence
from itertools import combinations

SEARCH_STEPS = 50_000
"""Steps the exact search for a repeat-free pairing may take before giving up."""

BOUND_WORK = 100_000
"""Work (people scanned) the branch and bound for the fewest repeats may do before giving up."""

BOUND_MAX_PEOPLE = 40
"""Largest group the branch and bound runs for; larger groups keep the heuristic's best."""

RESTARTS = 6
"""Restarts of the greedy-plus-improvement heuristic."""

Weights = list[dict[int, int]]
"""For every person (by index) how often they met each other person (only pairs that met)."""

Group = tuple[int, ...]


class PairingError(ValueError):
    """Pairing cannot be done (fewer than two people)."""


def pair_key(a: str, b: str) -> tuple[str, str]:
    """Return the canonical key of a pair: its two ids in sorted order."""
    return (a, b) if a <= b else (b, a)


def pairs_of(group: Sequence[str]) -> list[tuple[str, str]]:
    """Return the key of every pair inside a group: one for a duo, three for a trio."""
    return [pair_key(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]


def pair_up(
    people: Sequence[str],
    met: Mapping[tuple[str, str], int] | Collection[tuple[str, str]],
    seed: int,
    round_seed: int = 0,
) -> list[list[str]]:
    """Split ``people`` into duos (one trio when odd), repeating no pair of ``met`` if possible.

    ``met`` holds the pairs that were together in earlier breakouts, optionally with how
    often; ``seed`` is the session's random seed and ``round_seed`` varies per breakout.
    Raises PairingError when fewer than two people are given or an id appears twice.
    """
    if len(people) < 2:
        raise PairingError("At least two participants must be online to start a breakout.")
    if len(set(people)) != len(people):
        raise PairingError("Every participant can be paired only once.")
    ids = sorted(people, key=lambda pid: (_digest(f"{seed}:{pid}"), pid))
    weights = _weights(ids, met)
    rng = random.Random(f"{seed}:{round_seed}:search")
    groups = (
        _round_robin(weights, seed)
        or _search_repeat_free(weights, rng, SEARCH_STEPS)
        or _fewest_repeats(weights, rng)
    )
    order_rng = random.Random(f"{seed}:{round_seed}:order")
    result = [[ids[i] for i in group] for group in groups]
    for group in result:
        order_rng.shuffle(group)
    order_rng.shuffle(result)
    return result


# ---- input -------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _weights(
    ids: Sequence[str], met: Mapping[tuple[str, str], int] | Collection[tuple[str, str]]
) -> Weights:
    """Return how often each two present people met, by index; absent people are dropped."""
    index = {pid: i for i, pid in enumerate(ids)}
    items = met.items() if isinstance(met, Mapping) else ((pair, 1) for pair in met)
    weights: Weights = [{} for _ in ids]
    for (a, b), count in items:
        i, j = index.get(a), index.get(b)
        if i is None or j is None or i == j or count <= 0:
            continue
        weights[i][j] = weights[i].get(j, 0) + count
        weights[j][i] = weights[j].get(i, 0) + count
    return weights


def _cost(group: Sequence[int], weights: Weights) -> int:
    return sum(weights[a].get(b, 0) for i, a in enumerate(group) for b in group[i + 1 :])


# ---- 1. round robin ----------------------------------------------------------------------


def _round_robin(weights: Weights, seed: int) -> list[Group] | None:
    """Return the first circle-method round without a repeat, or None when every round has one."""
    n = len(weights)
    size = n + n % 2  # index n is the dummy when n is odd
    rounds = size - 1
    offset = int(_digest(f"{seed}:round-robin"), 16) % rounds
    others = list(range(1, size))
    for step in range(rounds):
        r = (offset + step) % rounds
        circle = [0, *others[r:], *others[:r]]
        groups = _circle_round(circle, weights, n, random.Random(f"{seed}:trio:{r}"))
        if groups is not None:
            return groups
    return None


def _circle_round(
    circle: Sequence[int], weights: Weights, dummy: int, rng: random.Random
) -> list[Group] | None:
    """Return one circle round as groups, or None when it repeats a pair."""
    size = len(circle)
    duos: list[Group] = []
    spare = None
    for i in range(size // 2):
        a, b = circle[i], circle[size - 1 - i]
        if dummy in (a, b):
            spare = b if a == dummy else a
        elif b in weights[a]:
            return None
        else:
            duos.append((a, b))
    if spare is None:
        return duos
    start = rng.randrange(len(duos))
    for k in range(len(duos)):
        at = (start + k) % len(duos)
        a, b = duos[at]
        if a not in weights[spare] and b not in weights[spare]:
            duos[at] = (a, b, spare)
            return duos
    return None


# ---- 2. exact search for a repeat-free pairing --------------------------------------------


def _search_repeat_free(weights: Weights, rng: random.Random, budget: int) -> list[Group] | None:
    """Return a pairing without repeats, or None when none exists or the budget runs out."""
    if _odd_parts(weights) != len(weights) % 2:
        return None  # an odd part of who-may-meet-whom can never be covered by duos
    return _RepeatFreeSearch(weights, rng).run(budget)


class _RepeatFreeSearch:
    """Depth-first search over groups of people who have not met, most constrained first."""

    def __init__(self, weights: Weights, rng: random.Random) -> None:
        n = len(weights)
        self.weights = weights
        self.alive = list(range(n))  # the free people, in index order
        self.conflicts = [len(w) for w in weights]  # how many free people each has met
        self.tie = list(range(n))
        rng.shuffle(self.tie)
        self.groups: list[Group] = []

    def take(self, group: Group) -> None:
        for x in group:
            self.alive.remove(x)
            for other in self.weights[x]:
                self.conflicts[other] -= 1
        self.groups.append(group)

    def give_back(self) -> None:
        for x in self.groups.pop():
            insort(self.alive, x)
            for other in self.weights[x]:
                self.conflicts[other] += 1

    def options(self) -> Iterator[Group]:
        """Yield the groups the most constrained free person can join, best first."""
        alive, conflicts, tie = self.alive, self.conflicts, self.tie
        remaining = len(alive)
        p = max(alive, key=lambda i: (conflicts[i], tie[i]))
        if remaining - 1 - conflicts[p] <= 0:
            return
        met_p = self.weights[p]
        partners = [q for q in alive if q != p and q not in met_p]
        partners.sort(key=lambda q: (-conflicts[q], tie[q]))
        needs_trio = remaining % 2 == 1
        if not needs_trio or remaining > 3:
            for q in partners:
                yield (p, q)
        if needs_trio:
            for k, q in enumerate(partners):
                met_q = self.weights[q]
                for r in partners[k + 1 :]:
                    if r not in met_q:
                        yield (p, q, r)

    def run(self, budget: int) -> list[Group] | None:
        """Return the first complete pairing found within ``budget`` steps, else None."""
        steps = 0
        frames: list[Iterator[Group]] = [self.options()]
        while frames:
            if len(self.groups) == len(frames):  # the top frame's last option is still applied
                self.give_back()
            option = next(frames[-1], None)
            if option is None:
                frames.pop()
                continue
            steps += 1
            if steps > budget:
                return None
            self.take(option)
            if not self.alive:
                return self.groups
            frames.append(self.options())
        return None


def _odd_parts(weights: Weights) -> int:
    """Return how many parts of odd size the graph of who may still meet whom falls into."""
    unvisited = list(range(len(weights)))
    odd = 0
    while unvisited:
        stack = [unvisited.pop()]
        size = 1
        while stack:
            met_x = weights[stack.pop()]
            reached = [y for y in unvisited if y not in met_x]
            if reached:
                unvisited = [y for y in unvisited if y in met_x]
                stack.extend(reached)
                size += len(reached)
        odd += size % 2
    return odd


# ---- 3. fewest repeats --------------------------------------------------------------------


def _fewest_repeats(weights: Weights, rng: random.Random) -> list[Group]:
    """Return a pairing with as few (weighted) repeats as found by heuristic and bounded search."""
    floor = _lower_bound(weights)
    best: list[Group] = []
    best_cost = -1
    for _ in range(RESTARTS):
        groups = _greedy(weights, rng)
        _improve(groups, weights, rng)
        cost = sum(_cost(g, weights) for g in groups)
        if best_cost < 0 or cost < best_cost:
            best, best_cost = groups, cost
        if best_cost <= floor:
            return best
    if len(weights) <= BOUND_MAX_PEOPLE:
        better = _branch_and_bound(weights, best_cost, BOUND_WORK)
        if better is not None:
            return better
    return best


def _least_weights(weights: Weights) -> list[int]:
    """Return for every person the least weight to anyone else (0 unless they met everyone)."""
    n = len(weights)
    return [min(w.values()) if len(w) == n - 1 and w else 0 for w in weights]


def _lower_bound(weights: Weights) -> int:
    """Return a bound no pairing's repeats can beat: every group costs half its members' least."""
    return (sum(_least_weights(weights)) + 1) // 2


def _greedy(weights: Weights, rng: random.Random) -> list[Group]:
    """Pair the most-met people first, each with a randomly picked least-met free partner."""
    n = len(weights)
    pool = list(range(n))
    rng.shuffle(pool)
    order = sorted(pool, key=lambda i: -sum(weights[i].values()))
    free = [True] * n
    groups: list[Group] = []
    spare = None
    for p in order:
        if not free[p]:
            continue
        free[p] = False
        partner, least = None, 0
        for q in pool:
            if free[q]:
                w = weights[p].get(q, 0)
                if partner is None or w < least:
                    partner, least = q, w
                    if w == 0:
                        break
        if partner is None:
            spare = p
            break
        free[partner] = False
        groups.append((p, partner))
    if spare is not None:
        picks = list(range(len(groups)))
        rng.shuffle(picks)
        at = min(picks, key=lambda k: _cost((*groups[k], spare), weights))
        groups[at] = (*groups[at], spare)
    return groups


def _improve(groups: list[Group], weights: Weights, rng: random.Random) -> None:
    """Re-split two groups at a time while that lowers the repeats, in place."""
    costs = [_cost(g, weights) for g in groups]
    others = list(range(len(groups)))
    improved = True
    while improved:
        improved = False
        rng.shuffle(others)
        for i in range(len(groups)):
            for j in others:
                if costs[i] == 0:
                    break
                if j == i:
                    continue
                first, second, cost = _best_split(groups[i], groups[j], weights)
                if cost < costs[i] + costs[j]:
                    groups[i], groups[j] = first, second
                    costs[i], costs[j] = _cost(first, weights), _cost(second, weights)
                    improved = True


def _best_split(one: Group, two: Group, weights: Weights) -> tuple[Group, Group, int]:
    """Return the cheapest way to split two groups' members into groups of the same sizes."""
    members = (*one, *two)
    best = (one, two, _cost(one, weights) + _cost(two, weights))
    for first in combinations(members, len(one)):
        second = tuple(x for x in members if x not in first)
        cost = _cost(first, weights) + _cost(second, weights)
        if cost < best[2]:
            best = (first, second, cost)
    return best


def _branch_and_bound(weights: Weights, bound: int, budget: int) -> list[Group] | None:
    """Return a pairing with fewer repeats than ``bound``, or None when none is found in budget."""
    search = _Search(weights, bound, budget)
    search.descend(0, len(weights), sum(search.least))
    return search.best


class _Search:
    """One branch-and-bound search: the groups on the path, the best pairing found so far
    and the work done, against a budget."""

    def __init__(self, weights: Weights, bound: int, budget: int) -> None:
        n = len(weights)
        self.weights = weights
        self.budget = budget
        self.least = _least_weights(weights)
        self.order = sorted(range(n), key=lambda i: (-sum(weights[i].values()), i))
        self.free = [True] * n
        self.path: list[Group] = []
        self.best: list[Group] | None = None
        self.best_cost = bound
        self.work = 0

    def below(self, cost: int, least_left: int) -> bool:
        return cost + (least_left + 1) // 2 < self.best_cost

    def visit(self, group: Group, cost: int, remaining: int, least_left: int) -> None:
        for x in group:
            self.free[x] = False
        self.path.append(group)
        self.descend(cost, remaining - len(group), least_left - sum(self.least[x] for x in group))
        self.path.pop()
        for x in group:
            self.free[x] = True

    def descend(self, cost: int, remaining: int, least_left: int) -> None:
        if remaining == 0:
            if cost < self.best_cost:
                self.best, self.best_cost = list(self.path), cost
            return
        if self.work > self.budget or not self.below(cost, least_left):
            return
        weights, least, n = self.weights, self.least, len(self.weights)
        p = next(i for i in self.order if self.free[i])
        partners = sorted((weights[p].get(q, 0), q) for q in range(n) if self.free[q] and q != p)
        needs_trio = remaining % 2 == 1
        self.work += remaining + (len(partners) ** 2 // 2 if needs_trio else 0)
        if not needs_trio or remaining > 3:
            for w, q in partners:
                if self.below(cost + w, least_left - least[p] - least[q]) and self.within_budget:
                    self.visit((p, q), cost + w, remaining, least_left)
        if needs_trio:
            for k, (wq, q) in enumerate(partners):
                for wr, r in partners[k + 1 :]:
                    w = wq + wr + weights[q].get(r, 0)
                    left = least_left - least[p] - least[q] - least[r]
                    if self.below(cost + w, left) and self.within_budget:
                        self.visit((p, q, r), cost + w, remaining, least_left)

    @property
    def within_budget(self) -> bool:
        return self.work <= self.budget
