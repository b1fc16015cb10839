"""Memory probe for a Duo server process; never part of Duo itself.

``bench/socket_memory.py`` puts this folder on the server's PYTHONPATH. It starts
tracemalloc at import (25 frames a block) and answers two signals: SIGUSR2 takes the
baseline snapshot; SIGUSR1 writes what was allocated since, grouped by the first frame
inside Duo, uvicorn, websockets, Starlette or asyncio, as JSON to ``DUO_BENCH_MEMORY``.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import tracemalloc
from collections import Counter
from typing import Any

PATH = os.environ.get("DUO_BENCH_MEMORY")
PACKAGES = ("/app/", "uvicorn/", "websockets/", "starlette/", "fastapi/", "asyncio/", "uvloop/")
_baseline: list[tracemalloc.Snapshot] = []


def _short(frame: tracemalloc.Frame) -> str:
    name = frame.filename.split("site-packages/")[-1].split("/lib/python3")[-1]
    return f"{name.split('/work/main/')[-1]}:{frame.lineno}"


def _where(trace: tracemalloc.Traceback) -> str:
    """Name the allocation by the line that made it and its two callers in the packages
    that hold sockets (innermost first)."""
    frames = list(trace)
    frames.reverse()  # tracemalloc lists the oldest call first
    named = [_short(f) for f in frames if any(p in f.filename for p in PACKAGES)]
    return " < ".join([_short(frames[0]), *named[:2]])


def _take(_signum: int, _frame: Any) -> None:
    gc.collect()
    _baseline[:] = [tracemalloc.take_snapshot()]


def _dump(_signum: int, _frame: Any) -> None:
    gc.collect()
    after = tracemalloc.take_snapshot()
    before = _baseline[0] if _baseline else None
    sizes: Counter[str] = Counter()
    stats = after.compare_to(before, "traceback") if before else after.statistics("traceback")
    for stat in stats:
        grown = stat.size_diff if before else stat.size
        if grown:
            sizes[_where(stat.traceback)] += grown
    total = sum(sizes.values())
    if PATH:
        with open(PATH, "w") as out:
            json.dump({"total": total, "by_place": sizes.most_common(60)}, out)


if PATH:
    tracemalloc.start(25)
    signal.signal(signal.SIGUSR2, _take)
    signal.signal(signal.SIGUSR1, _dump)
