"""Rate limits per client: fixed windows counted in this process (``RedisRateLimiter``, in
app/services/redis_hub.py, counts them in Redis when processes share them)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: int) -> float | None:
        """Count one hit; return seconds to wait when over ``limit`` in the window, else None."""
        ...

    async def reached(self, key: str, limit: int, window_seconds: int) -> float | None:
        """Without counting: return seconds to wait when ``limit`` hits are in the window."""
        ...


def wall_clock() -> float:
    """Return seconds since the epoch (read at each call, so a test may hold ``time``)."""
    return time.time()


def monotonic() -> float:
    """Return seconds on the monotonic clock (read at each call)."""
    return time.monotonic()


class MemoryRateLimiter:
    """Counts hits per fixed window in this process."""

    MAX_KEYS = 100_000

    def __init__(self, now: Callable[[], float] | None = None) -> None:
        self._now = now or wall_clock  # seconds since the epoch; tests pass a clock they move
        self._counts: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: int, window_seconds: int) -> float | None:
        now = self._now()
        window = int(now // window_seconds)
        start, count = self._counts.get(key, (window, 0))
        count = count + 1 if start == window else 1
        if len(self._counts) >= self.MAX_KEYS:
            self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        self._counts[key] = (window, count)
        if count > limit:
            return (window + 1) * window_seconds - now
        return None

    async def reached(self, key: str, limit: int, window_seconds: int) -> float | None:
        now = self._now()
        window = int(now // window_seconds)
        start, count = self._counts.get(key, (window, 0))
        if start == window and count >= limit:
            return (window + 1) * window_seconds - now
        return None


class TokenBucket:
    """Allows ``rate`` events a second on average, with bursts up to ``burst``."""

    def __init__(self, rate: float, burst: float, now: Callable[[], float] | None = None) -> None:
        self.rate = rate
        self.burst = burst
        self._now = now or monotonic  # seconds; tests pass a clock they move
        self.tokens = burst
        self.updated = self._now()

    def take(self) -> bool:
        """Take one token; return False when none is left."""
        now = self._now()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
