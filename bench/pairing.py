"""How long pairing takes: ``app.domain.pairing.pair_up`` on the groups the tests use.

The tests (tests/domain/test_pairing.py) check what pairing decides and only guard against
a pairing that hangs; how fast it is, is measured here, on a quiet machine:

- an intervisie of 40 people, 8 breakouts in a row (the history growing each time);
- 30 and 31 people who all met each other (every pairing repeats: the search's worst case);
- 400 people, 5 breakouts in a row; 480–501 of a pool of 520, 5 breakouts; 500 people with
  2,500 random earlier pairs.

    .venv/bin/python bench/pairing.py [--repeat 20]

Prints a table (p50 and worst per case, in ms) and writes the figures as JSON to
``test-output/bench/pairing.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.domain.pairing import pair_key, pair_up, pairs_of


def names(n: int, prefix: str = "p") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def rounds(people_per_round: Callable[[int], list[str]], breakouts: int, seed: int) -> list[float]:
    """Run ``breakouts`` pairings in a row, feeding the history; return each one's ms."""
    met: Counter[tuple[str, str]] = Counter()
    took = []
    for number in range(breakouts):
        people = people_per_round(number)
        started = time.perf_counter()
        groups = pair_up(people, met, seed, number)
        took.append((time.perf_counter() - started) * 1000)
        met.update(pair for group in groups for pair in pairs_of(group))
    return took


def once(people: list[str], met: dict[tuple[str, str], int], seed: int) -> list[float]:
    started = time.perf_counter()
    pair_up(people, met, seed)
    return [(time.perf_counter() - started) * 1000]


def cases() -> dict[str, Callable[[int], list[float]]]:
    """Each case, as a function of a repetition number returning the ms of its pairings."""
    everyone_met = {
        n: {pair_key(a, b): 1 for a, b in itertools.combinations(names(n), 2)} for n in (30, 31)
    }
    pool = names(520, prefix="u")
    sparse_people = names(500, prefix="u")
    rnd = random.Random(3)
    sparse = {pair_key(*rnd.sample(sparse_people, 2)): 1 for _ in range(2500)}

    def changing(rep: int) -> list[float]:
        pick = random.Random(17 + rep)
        return rounds(lambda _n: pick.sample(pool, pick.randint(480, 501)), 5, 77 + rep)

    return {
        "40 people, 8 breakouts": lambda rep: rounds(lambda _n: names(40), 8, rep),
        "30 who all met": lambda rep: once(names(30), everyone_met[30], rep),
        "31 who all met": lambda rep: once(names(31), everyone_met[31], rep),
        "400 people, 5 breakouts": lambda rep: rounds(lambda _n: names(400, "u"), 5, 2024 + rep),
        "480-501 of 520, 5 breakouts": changing,
        "500 people, sparse history": lambda rep: once(sparse_people, sparse, 5 + rep),
    }


def main(repeat: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"repeat": repeat, "cases": {}}
    for name, case in cases().items():
        took = [ms for rep in range(repeat) for ms in case(rep)]
        figures["cases"][name] = {
            "pairings": len(took),
            "p50_ms": statistics.median(took),
            "max_ms": max(took),
        }
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    figures = main(parser.parse_args().repeat)
    print(f"{'case':<30} {'pairings':>8} {'p50 ms':>8} {'max ms':>8}")
    for name, row in figures["cases"].items():
        print(f"{name:<30} {row['pairings']:>8} {row['p50_ms']:>8.1f} {row['max_ms']:>8.1f}")
    out = Path("test-output/bench")
    out.mkdir(parents=True, exist_ok=True)
    (out / "pairing.json").write_text(json.dumps(figures, indent=2))
