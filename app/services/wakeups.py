"""The wake-ups a session needs (the end of its breakout, the end of its break), and what
each does when it comes. One timer per deadline, never a ticking loop."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.services.hub import CHANGED, Publisher
from app.services.state import Snapshot
from app.services.timers import DeadlineArmer

BREAK_SUFFIX = "#break"


def breakout_key(code: str) -> str:
    """Return the wake-up key of a session's breakout (its last slot's end)."""
    return code


def break_key(code: str) -> str:
    """Return the wake-up key of a session's break (its end)."""
    return code + BREAK_SUFFIX


class Wakeups:
    """Arms a session's wake-ups from its snapshot, and acts on them."""

    def __init__(
        self,
        timers: DeadlineArmer,
        finish_breakout_if_due: Callable[[str], Awaitable[None]],
        publisher: Publisher,
    ) -> None:
        self.timers = timers
        self.finish_breakout_if_due = finish_breakout_if_due
        self.publisher = publisher

    def arm_for(self, snapshot: Snapshot) -> None:
        """Arm what the session of ``snapshot`` needs (every process with clients does)."""
        breakout = snapshot.breakout
        self.timers.arm(
            breakout_key(snapshot.code), breakout.timeline.next_deadline_ms() if breakout else None
        )
        self.timers.arm(break_key(snapshot.code), snapshot.meeting.break_ends_at_ms)

    async def deadline_reached(self, key: str) -> None:
        """Act on the wake-up ``key``: finish a breakout, or tell everyone a break is over
        (the state derives that from the clock)."""
        if key.endswith(BREAK_SUFFIX):
            await self.publisher.publish(key.removesuffix(BREAK_SUFFIX), CHANGED)
        else:
            await self.finish_breakout_if_due(key)
