"""The hub for several processes: Redis pub/sub for changes, Redis sets for presence.

Every change is published once on one channel; every process hears it and flushes the
sessions it has clients of. Each process keeps, per session, a set of its online
participants that expires unless refreshed, so a process that dies without a goodbye
drops out of everyone's presence within ``PRESENCE_TTL_SECONDS``. While Redis is away the
process serves its own clients alone, says so on /api/health, and resyncs on return.

A process writes its set of a session whole, one write at a time, each with its newest
local state: writes through different pooled connections could otherwise reach Redis out
of order (one that must open or health-check its connection first comes late), and an
older set would overwrite a newer one until the next heartbeat, or for a whole TTL once
the process has nobody left in the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from app.services.hub import CHANGED, HubEvent, Listener, LocalPresence
from app.services.ratelimit import MemoryRateLimiter, RateLimiter, wall_clock

log = logging.getLogger(__name__)

CHANNEL = "duo:changes"
PRESENCE_TTL_SECONDS = 20
HEARTBEAT_SECONDS = 5.0
RETRY_SECONDS = 1.0


def _presence_key(code: str, process: str) -> str:
    return f"duo:online:{code}:{process}"


def _processes_key(code: str) -> str:
    return f"duo:processes:{code}"


@dataclass
class _PresenceWrites:
    """This process's presence writes for one session: one at a time, in order."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    changes: int = 0  # local comings and goings so far
    covered: int = 0  # the changes the last write (done or failed) was made after
    pending: int = 0  # callers waiting for a write


class RedisHub:
    """Publishes changes to, and shares presence with, every process through Redis."""

    def __init__(
        self,
        url: str,
        ttl_seconds: float = PRESENCE_TTL_SECONDS,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.url = url
        self.ttl_ms = int(ttl_seconds * 1000)
        self.heartbeat_seconds = heartbeat_seconds
        self.process = secrets.token_hex(6)
        self.redis: redis.Redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=2,
            socket_timeout=None,
            health_check_interval=10,
            decode_responses=True,
            # A pooled connection from before a Redis restart fails once: reconnect, try again.
            retry=Retry(NoBackoff(), 1),
        )
        self.local = LocalPresence()
        self.healthy = False
        self._listener: Listener | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._seen_online: dict[str, frozenset[str]] = {}
        self._subscribed = False
        self._unpublished: set[str] = set()  # changes Redis missed: published on its return
        self._writes: dict[str, _PresenceWrites] = {}
        self._unwritten: set[str] = set()  # sessions whose last presence write failed
        self._stopped = False

    def rate_limiter(self) -> RateLimiter:
        """Return a rate limiter every process shares through this Redis."""
        return RedisRateLimiter(self.redis)

    async def start(self, listener: Listener) -> None:
        self._listener = listener
        self._tasks = [
            asyncio.create_task(self._listen()),
            asyncio.create_task(self._heartbeat()),
        ]

    async def stop(self) -> None:
        self._stopped = True  # no presence write starts any more
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(RedisError, OSError):
            for code in {*self.local.codes(), *self._writes}:
                writes = self._writes.get(code)
                async with writes.lock if writes else contextlib.nullcontext():
                    # after the write in flight, if any: it must not land after the goodbye
                    await self.redis.delete(_presence_key(code, self.process))
        with contextlib.suppress(Exception):
            await self.redis.aclose()

    # ---- changes -----------------------------------------------------------------------

    def _deliver(self, code: str, event: HubEvent) -> None:
        if self._listener is not None:
            self._listener(code, event)

    async def publish(self, code: str, event: HubEvent) -> None:
        """Publish a change; while Redis is away, at least this process's clients hear it."""
        try:
            change = {"code": code, "event": event.to_wire()}
            await self.redis.publish(CHANNEL, json.dumps(change))
        except (RedisError, OSError) as problem:
            self._mark_unhealthy(problem)
            self._unpublished.add(code)
            self._deliver(code, event)

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(CHANNEL)
                self._subscribed = True
                await self._recover()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        change = json.loads(message["data"])
                        self._deliver(str(change["code"]), HubEvent.from_wire(change.get("event")))
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignoring a malformed change on %s", CHANNEL)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as problem:
                self._subscribed = False
                self._mark_unhealthy(problem)
                await asyncio.sleep(RETRY_SECONDS)

    def _mark_unhealthy(self, problem: Exception) -> None:
        if self.healthy:
            log.warning("Redis is unreachable (%s); serving this process's clients alone", problem)
        self.healthy = False

    async def _recover(self) -> None:
        """Once Redis answers and this process listens again, write its presence again
        (a restarted Redis has none), resync its clients and tell every process of the
        changes Redis missed meanwhile."""
        if self.healthy or not self._subscribed:
            return
        for code in {*self.local.codes(), *self._unwritten}:
            problem = await self._write_presence(code, refresh=True)
            if problem is not None:
                raise problem
        self._mark_healthy()
        for code in list(self._unpublished):
            self._unpublished.discard(code)
            await self.publish(code, CHANGED)

    def _mark_healthy(self) -> None:
        log.info("Redis connected; resyncing every client of this process")
        self.healthy = True
        for code in self.local.codes():  # changes may have been missed meanwhile
            self._deliver(code, CHANGED)

    # ---- presence ----------------------------------------------------------------------

    async def online(self, code: str) -> frozenset[str]:
        """Return who has an open socket on any process (this process's own if Redis is away)."""
        try:
            processes = await self.redis.smembers(_processes_key(code))
            keys = [_presence_key(code, str(process)) for process in processes]
            members = await self.redis.sunion(keys) if keys else set()
            online = frozenset(str(m) for m in members) | self.local.online(code)
        except (RedisError, OSError) as problem:
            self._mark_unhealthy(problem)
            online = self.local.online(code)
        self._seen_online[code] = online
        return online

    async def connected(self, code: str, participant_id: str) -> bool:
        """Count one more socket of a participant; once they came online, return only when
        Redis holds this process's presence as it was then or newer."""
        came_online = self.local.add(code, participant_id)
        if came_online:
            await self._write_presence(code)
        return came_online

    async def disconnected(self, code: str, participant_id: str) -> bool:
        """Count one socket less; once the participant went offline, return only when Redis
        holds this process's presence as it was then or newer."""
        went_offline = self.local.remove(code, participant_id)
        if went_offline:
            await self._write_presence(code)
        return went_offline

    async def _write_presence(self, code: str, *, refresh: bool = False) -> Exception | None:
        """Have Redis hold this process's newest presence of ``code``; return the problem if
        Redis failed (the process is then marked unhealthy, and the heartbeat tries again).

        One write at a time per session, so they land in the order they were made, each
        with the local state of the moment it is made: a write never overwrites a newer
        one. A change made while a write is in flight waits for it and is covered by the
        next, one write for every change that waited (a crowd arriving at once costs two
        writes). ``refresh`` (the heartbeat) writes even if nothing changed, to renew the
        TTL. The write goes on if the caller is cancelled: it holds the order.
        """
        writes = self._writes.setdefault(code, _PresenceWrites())
        if not refresh:
            writes.changes += 1
        writes.pending += 1
        return await asyncio.shield(self._write_in_turn(code, writes, writes.changes, refresh))

    async def _write_in_turn(
        self, code: str, writes: _PresenceWrites, change: int, refresh: bool
    ) -> Exception | None:
        try:
            async with writes.lock:
                if self._stopped or (writes.covered >= change and not refresh):
                    return None  # a write made after this change has been tried already
                writes.covered = writes.changes
                try:
                    await self._write(code, self.local.online(code))
                except (RedisError, OSError) as problem:
                    self._unwritten.add(code)
                    self._mark_unhealthy(problem)
                    return problem
                self._unwritten.discard(code)
                return None
        finally:
            writes.pending -= 1
            idle = not writes.pending and self._writes.get(code) is writes
            if idle and not self.local.online(code) and code not in self._unwritten:
                del self._writes[code]  # nobody here and nothing to retry: nothing to order

    async def _write(self, code: str, members: frozenset[str]) -> None:
        """Replace this process's set of ``code`` with ``members`` (one transaction)."""
        key = _presence_key(code, self.process)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if members:
                pipe.sadd(key, *members)
                pipe.pexpire(key, self.ttl_ms)
                pipe.sadd(_processes_key(code), self.process)
                pipe.expire(_processes_key(code), 86_400)
            await pipe.execute()

    async def _heartbeat(self) -> None:
        """Refresh this process's presence, and notice others' that expired (a dead process)."""
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                for code in {*self.local.codes(), *self._unwritten}:
                    problem = await self._write_presence(code, refresh=True)
                    if problem is not None:
                        raise problem
                for code, seen in list(self._seen_online.items()):
                    if not seen:
                        self.forget(code)
                    elif await self.online(code) != seen:
                        self._deliver(code, CHANGED)
                await self._recover()  # a command failed while the subscription held
            except (RedisError, OSError) as problem:
                self._mark_unhealthy(problem)

    def forget(self, code: str) -> None:
        """Stop watching the presence of a session this process has no clients of any more."""
        self._seen_online.pop(code, None)


class RedisRateLimiter:
    """Counts hits per fixed window in Redis, so every process shares the limit."""

    def __init__(self, client: redis.Redis, now: Callable[[], float] | None = None) -> None:
        self.redis = client
        self._now = now or wall_clock  # seconds since the epoch; tests pass a clock they move
        self.fallback = MemoryRateLimiter(self._now)

    async def hit(self, key: str, limit: int, window_seconds: int) -> float | None:
        now = self._now()
        window = int(now // window_seconds)
        redis_key = f"duo:rate:{key}:{window}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(redis_key)
                pipe.expire(redis_key, window_seconds + 1)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            return await self.fallback.hit(key, limit, window_seconds)
        if int(count) > limit:
            return (window + 1) * window_seconds - now
        return None

    async def reached(self, key: str, limit: int, window_seconds: int) -> float | None:
        now = self._now()
        window = int(now // window_seconds)
        try:
            count = await self.redis.get(f"duo:rate:{key}:{window}")
        except (RedisError, OSError):
            return await self.fallback.reached(key, limit, window_seconds)
        if count is not None and int(count) >= limit:
            return (window + 1) * window_seconds - now
        return None
