"""Benchmark instrumentation for a Duo server process; never part of Duo itself.

``bench/fanout.py --instrument`` puts this folder on the server's PYTHONPATH, so Python
imports it at start-up. It records, in the server process:

* every garbage collection (generation, duration), the full (generation 2) ones with a
  timestamp;
* each ``BreakoutCommands.start_breakout`` (start, duration), each ``Realtime.flush``
  (start, connections, duration) and the windows in which uvicorn sent WebSocket
  messages (first, last, count),

and writes them as JSON to the file ``DUO_BENCH_INSTRUMENT`` names, twice a second.
``DUO_BENCH_GC_THRESHOLD=a,b,c`` calls ``gc.set_threshold(a, b, c)`` once the app is
imported, to try other collector settings without editing Duo.

It wraps methods by name: when Duo renames them, the wrapping is skipped, not fatal.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from typing import Any

PATH = os.environ.get("DUO_BENCH_INSTRUMENT")
STATS: dict[str, Any] = {
    "gc_count": [0, 0, 0],
    "gc_seconds": [0.0, 0.0, 0.0],
    "gc_max_ms": [0.0, 0.0, 0.0],
    "gen2": [],
    "starts": [],
    "flushes": [],
    "sends": [],
    "wrapped": [],
    "lags": [],
}
KEEP = 200
_gc_started = [0.0]


def _on_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _gc_started[0] = time.perf_counter()
        return
    generation = info["generation"]
    seconds = time.perf_counter() - _gc_started[0]
    STATS["gc_count"][generation] += 1
    STATS["gc_seconds"][generation] += seconds
    STATS["gc_max_ms"][generation] = max(STATS["gc_max_ms"][generation], seconds * 1000)
    if generation == 2:
        STATS["gen2"].append((time.time() - seconds, round(seconds * 1000, 2)))
        del STATS["gen2"][:-KEEP]


def _record(key: str, row: tuple[Any, ...]) -> None:
    STATS[key].append(row)
    del STATS[key][:-KEEP]


async def _watch_loop() -> None:
    """Record every time the event loop was late by more than 20 ms (start, lateness)."""
    import asyncio

    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(0.005)
        late = loop.time() - before - 0.005
        if late > 0.02:
            _record("lags", (time.time() - late, round(late * 1000, 1)))


def _wrap() -> None:
    """Wrap Duo's and uvicorn's methods once the app is imported."""
    while "app.services.realtime" not in sys.modules or "app.main" not in sys.modules:
        time.sleep(0.02)
    time.sleep(0.2)
    threshold = os.environ.get("DUO_BENCH_GC_THRESHOLD")
    if threshold:
        gc.set_threshold(*(int(x) for x in threshold.split(",")))
    realtime = sys.modules["app.services.realtime"]
    breakouts = sys.modules.get("app.services.breakouts")

    flush = getattr(getattr(realtime, "Realtime", None), "flush", None)
    if flush is not None:
        watching: list[Any] = []

        async def timed_flush(self: Any, code: str, *args: Any, **kwargs: Any) -> Any:
            if not watching:
                import asyncio

                watching.append(asyncio.ensure_future(_watch_loop()))
            started, t0 = time.time(), time.perf_counter()
            size = len(self.rooms.get(code, ()))
            try:
                return await flush(self, code, *args, **kwargs)
            finally:
                _record("flushes", (started, size, round((time.perf_counter() - t0) * 1000, 2)))

        realtime.Realtime.flush = timed_flush
        STATS["wrapped"].append("Realtime.flush")

    start = getattr(getattr(breakouts, "BreakoutCommands", None), "start_breakout", None)
    if start is not None:

        async def timed_start(self: Any, *args: Any, **kwargs: Any) -> Any:
            started, t0 = time.time(), time.perf_counter()
            try:
                return await start(self, *args, **kwargs)
            finally:
                _record("starts", (started, round((time.perf_counter() - t0) * 1000, 2)))

        breakouts.BreakoutCommands.start_breakout = timed_start  # type: ignore[union-attr]
        STATS["wrapped"].append("BreakoutCommands.start_breakout")

    try:
        from uvicorn.protocols.websockets import websockets_sansio_impl as impl
    except ImportError:
        return
    send = impl.WebSocketsSansIOProtocol.send
    sends: list[list[float]] = STATS["sends"]

    async def timed_send(self: Any, message: Any) -> None:
        await send(self, message)
        if message.get("type") == "websocket.send":
            now = time.time()
            if sends and now - sends[-1][1] < 0.05:  # the same burst
                sends[-1][1] = now
                sends[-1][2] += 1
            else:
                sends.append([now, now, 1])
                del sends[:-KEEP]

    impl.WebSocketsSansIOProtocol.send = timed_send
    STATS["wrapped"].append("WebSocketsSansIOProtocol.send")


def _dump() -> None:
    assert PATH is not None
    while True:
        time.sleep(0.5)
        tmp = f"{PATH}.tmp"
        with open(tmp, "w") as out:
            json.dump(STATS, out)
        os.replace(tmp, PATH)


if PATH:
    gc.callbacks.append(_on_gc)
    threading.Thread(target=_wrap, daemon=True).start()
    threading.Thread(target=_dump, daemon=True).start()


def _tracemalloc() -> None:
    """With DUO_BENCH_TRACEMALLOC set: trace allocations, dump a snapshot on SIGUSR1."""
    import signal
    import tracemalloc

    tracemalloc.start(int(os.environ.get("DUO_BENCH_TRACEMALLOC") or 1))
    count = [0]

    def dump(_signum: int, _frame: Any) -> None:
        count[0] += 1
        tracemalloc.take_snapshot().dump(f"{PATH}.mem{count[0]}")

    signal.signal(signal.SIGUSR1, dump)


if PATH and os.environ.get("DUO_BENCH_TRACEMALLOC"):
    _tracemalloc()
