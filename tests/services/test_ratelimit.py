"""Rate limits: fixed windows in memory and in Redis, and the token bucket, on a moved clock."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from app.services.ratelimit import MemoryRateLimiter, TokenBucket
from app.services.redis_hub import RedisRateLimiter
from tests.utils.server import free_port
from tests.utils.services import redis_url

WINDOW = 60
WINDOW_START = 29_406_333 * WINDOW  # a window boundary in late 2025, in seconds


class Seconds:
    """A time source that only moves when told to."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def now() -> Seconds:
    return Seconds(WINDOW_START + 10.0)


@pytest.fixture
async def redis_client() -> AsyncIterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url(), decode_responses=True)
    yield client
    await client.aclose()


def unique_key() -> str:
    return f"test:{secrets.token_hex(6)}"  # runs on the shared Redis never collide


# ---- the fixed window, in memory and in Redis ----------------------------------------------


async def test_memory_limit_hits_are_allowed_then_refused_until_the_window_ends(
    now: Seconds,
) -> None:
    limiter = MemoryRateLimiter(now)
    assert [await limiter.hit("1.2.3.4", 3, WINDOW) for _ in range(3)] == [None] * 3
    assert await limiter.hit("1.2.3.4", 3, WINDOW) == pytest.approx(50.0)
    now.now += 20
    assert await limiter.hit("1.2.3.4", 3, WINDOW) == pytest.approx(30.0)


async def test_memory_a_new_window_starts_fresh(now: Seconds) -> None:
    limiter = MemoryRateLimiter(now)
    for _ in range(4):
        await limiter.hit("1.2.3.4", 3, WINDOW)
    now.now = WINDOW_START + WINDOW  # the next window's first moment
    assert [await limiter.hit("1.2.3.4", 3, WINDOW) for _ in range(3)] == [None] * 3
    assert await limiter.hit("1.2.3.4", 3, WINDOW) == pytest.approx(WINDOW)


async def test_memory_keys_are_counted_apart(now: Seconds) -> None:
    limiter = MemoryRateLimiter(now)
    assert await limiter.hit("1.2.3.4", 1, WINDOW) is None
    assert await limiter.hit("5.6.7.8", 1, WINDOW) is None
    assert await limiter.hit("1.2.3.4", 1, WINDOW) is not None


async def test_memory_reached_does_not_count(now: Seconds) -> None:
    limiter = MemoryRateLimiter(now)
    for _ in range(10):
        assert await limiter.reached("1.2.3.4", 2, WINDOW) is None
    await limiter.hit("1.2.3.4", 2, WINDOW)
    assert await limiter.reached("1.2.3.4", 2, WINDOW) is None
    await limiter.hit("1.2.3.4", 2, WINDOW)
    assert await limiter.reached("1.2.3.4", 2, WINDOW) == pytest.approx(50.0)
    now.now = WINDOW_START + WINDOW
    assert await limiter.reached("1.2.3.4", 2, WINDOW) is None


async def test_memory_keeps_only_the_current_window_when_full(now: Seconds) -> None:
    limiter = MemoryRateLimiter(now)
    limiter.MAX_KEYS = 3
    await limiter.hit("old", 1, WINDOW)
    now.now = WINDOW_START + WINDOW
    await limiter.hit("a", 1, WINDOW)
    await limiter.hit("b", 1, WINDOW)
    await limiter.hit("c", 1, WINDOW)  # full: the old window's count goes
    assert await limiter.hit("a", 1, WINDOW) is not None  # the current window's stay
    assert await limiter.reached("old", 1, WINDOW) is None


@pytest.mark.services
async def test_redis_limit_hits_are_allowed_then_refused_until_the_window_ends(
    now: Seconds, redis_client: redis.Redis
) -> None:
    limiter, key = RedisRateLimiter(redis_client, now), unique_key()
    assert [await limiter.hit(key, 3, WINDOW) for _ in range(3)] == [None] * 3
    assert await limiter.hit(key, 3, WINDOW) == pytest.approx(50.0)
    now.now += 20
    assert await limiter.hit(key, 3, WINDOW) == pytest.approx(30.0)


@pytest.mark.services
async def test_redis_a_new_window_starts_fresh(now: Seconds, redis_client: redis.Redis) -> None:
    limiter, key = RedisRateLimiter(redis_client, now), unique_key()
    for _ in range(4):
        await limiter.hit(key, 3, WINDOW)
    now.now = WINDOW_START + WINDOW
    assert [await limiter.hit(key, 3, WINDOW) for _ in range(3)] == [None] * 3
    assert await limiter.hit(key, 3, WINDOW) == pytest.approx(WINDOW)


@pytest.mark.services
async def test_redis_reached_does_not_count(now: Seconds, redis_client: redis.Redis) -> None:
    limiter, key = RedisRateLimiter(redis_client, now), unique_key()
    for _ in range(10):
        assert await limiter.reached(key, 2, WINDOW) is None
    await limiter.hit(key, 2, WINDOW)
    assert await limiter.reached(key, 2, WINDOW) is None
    await limiter.hit(key, 2, WINDOW)
    assert await limiter.reached(key, 2, WINDOW) == pytest.approx(50.0)


@pytest.mark.services
async def test_redis_every_process_shares_the_limit(
    now: Seconds, redis_client: redis.Redis
) -> None:
    first, second, key = (
        RedisRateLimiter(redis_client, now),
        RedisRateLimiter(redis_client, now),
        unique_key(),
    )
    assert await first.hit(key, 2, WINDOW) is None
    assert await second.hit(key, 2, WINDOW) is None
    assert await first.hit(key, 2, WINDOW) is not None
    assert await second.reached(key, 2, WINDOW) is not None


async def test_redis_unreachable_falls_back_to_this_process(now: Seconds) -> None:
    # Retried as the hub's client is (once, at once), not with redis-py's default backoff.
    nothing = redis.Redis(port=free_port(), socket_connect_timeout=2, retry=Retry(NoBackoff(), 1))
    try:
        limiter = RedisRateLimiter(nothing, now)
        assert await limiter.reached("1.2.3.4", 2, WINDOW) is None
        assert [await limiter.hit("1.2.3.4", 2, WINDOW) for _ in range(2)] == [None] * 2
        assert await limiter.hit("1.2.3.4", 2, WINDOW) == pytest.approx(50.0)
        assert await limiter.reached("1.2.3.4", 2, WINDOW) == pytest.approx(50.0)
    finally:
        await nothing.aclose()


# ---- the token bucket ------------------------------------------------------------------


def test_the_bucket_allows_a_burst_then_refuses() -> None:
    now = Seconds(1000.0)
    bucket = TokenBucket(rate=2, burst=4, now=now)
    assert [bucket.take() for _ in range(4)] == [True] * 4
    assert bucket.take() is False


def test_the_bucket_refills_at_its_rate() -> None:
    now = Seconds(1000.0)
    bucket = TokenBucket(rate=2, burst=4, now=now)
    for _ in range(4):
        bucket.take()
    now.now += 0.25  # half a token
    assert bucket.take() is False
    now.now += 0.25  # the other half
    assert bucket.take() is True
    assert bucket.take() is False
    now.now += 1.0
    assert [bucket.take() for _ in range(3)] == [True, True, False]


def test_the_bucket_holds_no_more_than_its_burst() -> None:
    now = Seconds(1000.0)
    bucket = TokenBucket(rate=2, burst=4, now=now)
    now.now += 3600
    assert [bucket.take() for _ in range(5)] == [True] * 4 + [False]
