"""How many people a participant is told are in the session: exact when few, in steps when many.

A step grows with the room (at most 10 % of the count), so the number of different
figures a participant sees while a room fills grows with the logarithm of its size, not
with the size itself (``docs/meeting.md``, "The participant's count in steps").
"""

from __future__ import annotations

EXACT_COUNT_BELOW = 20  # counts below this are shown exactly (a step of 1)
STEP_MANTISSAS = (5, 2, 1)  # steps are 1, 2 or 5 times a power of ten


def count_step(n: int) -> int:
    """Return the step of count ``n``: 1 below EXACT_COUNT_BELOW, else the largest
    1, 2 or 5 times a power of ten that is at most a tenth of ``n``."""
    if n < EXACT_COUNT_BELOW:
        return 1
    tenth = n // 10  # a whole step s is at most n / 10 exactly when s <= n // 10
    power = 1
    while power * 10 <= tenth:
        power *= 10
    return next(m * power for m in STEP_MANTISSAS if m * power <= tenth)


def count_floor(n: int) -> int:
    """Return ``n`` rounded down to its step (exact below EXACT_COUNT_BELOW)."""
    step = count_step(n)
    return n - n % step
