"""The extra hop Redis adds: from one process publishing a change to another hearing it.

Two RedisHub instances (as two processes would have) on the Redis at DUO_BENCH_REDIS_URL
(default redis://127.0.0.1:6379/0); one publishes, the other's listener stamps the
arrival. Compared with the in-process MemoryHub, which calls the listener directly.

    .venv/bin/python bench/redis_hop.py [--count 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from app.services.hub import HubEvent, MemoryHub
from app.services.redis_hub import RedisHub


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure(publisher: Any, listener_hub: Any, count: int) -> list[float]:
    """Return the milliseconds from each publish to its arrival at the listener."""
    arrived: dict[int, float] = {}
    done = asyncio.Event()

    def listener(code: str, _event: HubEvent) -> None:
        arrived[int(code.removeprefix("BENCH"))] = time.perf_counter()
        if len(arrived) == count:
            done.set()

    await listener_hub.start(listener)
    if publisher is not listener_hub:
        await publisher.start(lambda _c, _e: None)
    await asyncio.sleep(0.5)  # let the subscriptions settle
    sent: dict[int, float] = {}
    for n in range(count):  # changes come one at a time (a person pressing a button)
        sent[n] = time.perf_counter()
        await publisher.publish(f"BENCH{n}", HubEvent())  # the code carries the number
        await asyncio.sleep(0.002)
    await asyncio.wait_for(done.wait(), 30)
    await listener_hub.stop()
    if publisher is not listener_hub:
        await publisher.stop()
    return [(arrived[n] - sent[n]) * 1000 for n in range(count)]


async def main(count: int) -> dict[str, Any]:
    url = os.environ.get("DUO_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    memory = MemoryHub()
    local = await measure(memory, memory, count)
    through_redis = await measure(RedisHub(url), RedisHub(url), count)
    result = {
        "count": count,
        "memory_p50_ms": statistics.median(local),
        "memory_p99_ms": percentile(local, 0.99),
        "redis_p50_ms": statistics.median(through_redis),
        "redis_p99_ms": percentile(through_redis, 0.99),
    }
    result["extra_hop_p99_ms"] = result["redis_p99_ms"] - result["memory_p99_ms"]
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    figures = asyncio.run(main(parser.parse_args().count))
    for key, value in figures.items():
        print(f"{key:>18}: {value:.3f}" if isinstance(value, float) else f"{key:>18}: {value}")
    out = Path("test-output/bench")
    out.mkdir(parents=True, exist_ok=True)
    (out / "redis_hop.json").write_text(json.dumps(figures, indent=2))
