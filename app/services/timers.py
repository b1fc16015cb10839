"""One scheduled wake-up per key at its deadline; never a ticking loop."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, Protocol, TypeVar

from app.core.clock import Clock

log = logging.getLogger(__name__)
RETRY_MS = 1000  # after a wake-up that failed (the database away): try again this much later


K = TypeVar("K", bound=Hashable)
K_contra = TypeVar("K_contra", bound=Hashable, contravariant=True)


class DeadlineArmer(Protocol[K_contra]):
    def arm(self, key: K_contra, deadline_ms: int | None) -> None: ...


async def _nothing_due(_key: object) -> None:
    return None


class DeadlineTimers(Generic[K]):
    """Call ``on_due(key)`` once the clock reaches the deadline armed for ``key``."""

    def __init__(self, clock: Clock, on_due: Callable[[K], Awaitable[None]] = _nothing_due) -> None:
        self._clock = clock
        self._on_due = on_due
        self._deadlines: dict[K, int] = {}
        self._handles: dict[K, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(
        self, loop: asyncio.AbstractEventLoop, on_due: Callable[[K], Awaitable[None]] | None = None
    ) -> None:
        """Use ``loop`` for the wake-ups (the running loop of the app), and ``on_due`` for
        what they do when given (the app's commands exist only after the timers)."""
        self._loop = loop
        if on_due is not None:
            self._on_due = on_due

    def arm(self, key: K, deadline_ms: int | None) -> None:
        """Wake up for ``key`` at ``deadline_ms``; None cancels its wake-up."""
        self.cancel(key)
        if deadline_ms is None or self._loop is None:
            return
        self._deadlines[key] = deadline_ms
        delay = max(0.0, (deadline_ms - self._clock.now_ms()) / 1000)
        self._handles[key] = self._loop.call_later(delay, self._wake, key)

    def cancel(self, key: K) -> None:
        """Forget the wake-up for ``key``."""
        self._deadlines.pop(key, None)
        handle = self._handles.pop(key, None)
        if handle:
            handle.cancel()

    def check_due(self) -> None:
        """Act on every deadline the clock has reached (a moved test clock calls this)."""
        now = self._clock.now_ms()
        for key, deadline in list(self._deadlines.items()):
            if deadline <= now:
                self._wake(key)

    def check_due_threadsafe(self) -> None:
        """Schedule ``check_due`` on the app's loop from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.check_due)

    def _wake(self, key: K) -> None:
        deadline = self._deadlines.get(key)
        if deadline is None:
            return
        if deadline > self._clock.now_ms():  # woke early (clock adjusted): sleep again
            self.arm(key, deadline)
            return
        self.cancel(key)
        task = asyncio.ensure_future(self._run(key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: K) -> None:
        try:
            await self._on_due(key)
        except Exception:
            log.exception("deadline handler failed for %s; retrying", key)
            if key not in self._deadlines:  # nothing newer armed meanwhile
                self.arm(key, self._clock.now_ms() + RETRY_MS)

    def close(self) -> None:
        """Cancel every wake-up."""
        for key in list(self._deadlines):
            self.cancel(key)
