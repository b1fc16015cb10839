"""The server clock, injected so that tests can move time instead of waiting."""

import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def now_ms(self) -> int: ...


class SystemClock:
    """The real wall clock, in integer milliseconds since the Unix epoch."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000


class ManualClock:
    """A clock that only moves when told to; listeners hear every move."""

    def __init__(self, now_ms: int = 1_764_380_000_000) -> None:
        self._now = now_ms
        self.listeners: list[Callable[[], None]] = []

    def now_ms(self) -> int:
        return self._now

    def advance(self, ms: int) -> None:
        """Move the clock ``ms`` milliseconds forward and tell the listeners."""
        self._now += ms
        for listener in list(self.listeners):
            listener()
