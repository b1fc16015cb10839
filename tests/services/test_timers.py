"""One wake-up per key at its deadline, on a real loop with a clock the tests move."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.core.clock import ManualClock
from app.services.timers import RETRY_MS, DeadlineTimers


class Woken:
    """The ``on_due`` handler: records every wake-up; raises while told to fail."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.calls: list[tuple[str, int]] = []
        self.failures = 0

    async def __call__(self, key: str) -> None:
        self.calls.append((key, self.clock.now_ms()))
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the database is away")


@pytest.fixture
def woken(clock: ManualClock) -> Woken:
    return Woken(clock)


@pytest.fixture
async def timers(clock: ManualClock, woken: Woken) -> AsyncIterator[DeadlineTimers]:
    timers = DeadlineTimers(clock, woken)
    timers.bind(asyncio.get_running_loop())
    yield timers
    timers.close()


async def settle() -> None:
    """Let the handler tasks that a wake-up started run (no time passes)."""
    for _ in range(5):
        await asyncio.sleep(0)


async def advance(clock: ManualClock, timers: DeadlineTimers, ms: int) -> None:
    clock.advance(ms)
    timers.check_due()
    await settle()


async def test_fires_once_at_the_deadline(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken
) -> None:
    deadline = clock.now_ms() + 60_000
    timers.arm("ABC123", deadline)
    await advance(clock, timers, 59_999)
    assert woken.calls == []
    await advance(clock, timers, 1)
    assert woken.calls == [("ABC123", deadline)]
    await advance(clock, timers, 60_000)
    assert woken.calls == [("ABC123", deadline)]


async def test_a_deadline_already_reached_fires_without_being_asked(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken
) -> None:
    timers.arm("ABC123", clock.now_ms() - 5)
    await settle()
    assert woken.calls == [("ABC123", clock.now_ms())]


async def test_re_arming_replaces_the_deadline(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken
) -> None:
    start = clock.now_ms()
    timers.arm("ABC123", start + 1_000)
    timers.arm("ABC123", start + 5_000)
    await advance(clock, timers, 1_000)
    assert woken.calls == []
    await advance(clock, timers, 4_000)
    assert woken.calls == [("ABC123", start + 5_000)]


async def test_re_arming_earlier_replaces_too(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken
) -> None:
    start = clock.now_ms()
    timers.arm("ABC123", start + 5_000)
    timers.arm("ABC123", start + 1_000)
    await advance(clock, timers, 1_000)
    await advance(clock, timers, 4_000)
    assert woken.calls == [("ABC123", start + 1_000)]


async def test_none_cancels(clock: ManualClock, timers: DeadlineTimers, woken: Woken) -> None:
    timers.arm("ABC123", clock.now_ms() + 1_000)
    timers.arm("ABC123", None)
    await advance(clock, timers, 10_000)
    assert woken.calls == []


async def test_keys_are_independent(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken
) -> None:
    start = clock.now_ms()
    timers.arm("ABC123", start + 1_000)
    timers.arm("XYZ789", start + 2_000)
    timers.arm("XYZ789", None)
    await advance(clock, timers, 1_000)
    await advance(clock, timers, 1_000)
    assert woken.calls == [("ABC123", start + 1_000)]


async def test_a_handler_that_raises_is_retried_later(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken, caplog: pytest.LogCaptureFixture
) -> None:
    start = clock.now_ms()
    woken.failures = 2
    timers.arm("ABC123", start + 1_000)
    await advance(clock, timers, 1_000)
    assert woken.calls == [("ABC123", start + 1_000)]
    assert "retrying" in caplog.text
    await advance(clock, timers, RETRY_MS - 1)
    assert len(woken.calls) == 1
    await advance(clock, timers, 1)
    assert woken.calls[-1] == ("ABC123", start + 1_000 + RETRY_MS)
    await advance(clock, timers, RETRY_MS)
    assert woken.calls[-1] == ("ABC123", start + 1_000 + 2 * RETRY_MS)  # succeeded
    await advance(clock, timers, 10 * RETRY_MS)
    assert len(woken.calls) == 3


async def test_a_deadline_armed_by_a_failing_handler_is_not_replaced_by_the_retry(
    clock: ManualClock, woken: Woken
) -> None:
    start = clock.now_ms()
    later = start + 1_000 + 10 * RETRY_MS

    async def rearm_then_fail(key: str) -> None:
        await woken(key)
        if len(woken.calls) == 1:
            timers.arm(key, later)
            raise RuntimeError("the database is away")

    timers = DeadlineTimers(clock, rearm_then_fail)
    timers.bind(asyncio.get_running_loop())
    try:
        timers.arm("ABC123", start + 1_000)
        await advance(clock, timers, 1_000)
        await advance(clock, timers, RETRY_MS)
        assert len(woken.calls) == 1
        await advance(clock, timers, later - clock.now_ms())
        assert woken.calls == [("ABC123", start + 1_000), ("ABC123", later)]
    finally:
        timers.close()


async def test_close_cancels_every_wake_up(
    clock: ManualClock, timers: DeadlineTimers, woken: Woken
) -> None:
    timers.arm("ABC123", clock.now_ms() + 1_000)
    timers.arm("XYZ789", clock.now_ms() + 2_000)
    timers.close()
    await advance(clock, timers, 10_000)
    assert woken.calls == []
