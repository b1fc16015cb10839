"""The wake-ups a session needs (the end of its breakout's last slot, the end of its
break), keyed by type. One timer per deadline, never a ticking loop.

Armed in one place (``Wakeups.arm``), always after a commit: by the process that made the
change (``Changes``) and by every process that reads the session's snapshot for its
clients (so that another process takes over when the first is gone).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import NamedTuple

from app.services.timers import DeadlineArmer


class WakeupKind(Enum):
    BREAKOUT_END = "breakout_end"  # the running breakout's next deadline
    BREAK_END = "break_end"  # the coffee break's end


class Wakeup(NamedTuple):
    """The key of one session's wake-up of one kind."""

    code: str
    kind: WakeupKind


Deadlines = Mapping[WakeupKind, int | None]
"""What a session should wake up for: a deadline per kind (None: nothing to wake for)."""


class Wakeups:
    """Arms sessions' wake-ups (``Services.deadline_reached`` acts on them)."""

    def __init__(self, timers: DeadlineArmer[Wakeup]) -> None:
        self.timers = timers

    def arm(self, code: str, deadlines: Deadlines) -> None:
        """Arm (or cancel, for None) session ``code``'s wake-up of every kind named."""
        for kind, deadline in deadlines.items():
            self.timers.arm(Wakeup(code, kind), deadline)
