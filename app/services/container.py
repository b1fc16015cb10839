"""The app's long-lived objects, built once in the lifespan and typed for every handler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from app.core.clock import Clock
from app.core.config import Settings
from app.services.access import Access
from app.services.breakouts import BreakoutCommands
from app.services.changes import Changes
from app.services.hub import CHANGED, Hub, MemoryHub
from app.services.limits import Limits
from app.services.meeting import MeetingCommands
from app.services.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from app.services.realtime import Realtime
from app.services.redis_hub import RedisHub
from app.services.sessions import SessionCommands
from app.services.signals import SignalCommands
from app.services.snapshots import SnapshotReader
from app.services.store import Store
from app.services.timers import DeadlineTimers
from app.services.wakeups import Wakeups

log = logging.getLogger("duo")

EXPIRY_SWEEP_SECONDS = 600


def make_hub(settings: Settings) -> Hub:
    """Return the hub the settings ask for: Redis when DUO_REDIS_URL is set."""
    if settings.redis_url:
        return RedisHub(
            settings.redis_url, settings.presence_ttl_seconds, settings.presence_heartbeat_seconds
        )
    return MemoryHub()


def make_rate_limiter(hub: Hub) -> RateLimiter:
    """Return a rate limiter shared through Redis when the hub is Redis's, else this process's."""
    if isinstance(hub, RedisHub):
        return RedisRateLimiter(hub.redis)
    return MemoryRateLimiter()


@dataclass
class Services:
    """Everything the handlers use, wired together."""

    settings: Settings
    clock: Clock
    store: Store
    hub: Hub
    timers: DeadlineTimers
    access: Access
    sessions: SessionCommands
    breakouts: BreakoutCommands
    meeting: MeetingCommands
    signals: SignalCommands
    snapshots: SnapshotReader
    wakeups: Wakeups
    realtime: Realtime
    limits: Limits
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _telling: set[asyncio.Task[None]] = field(default_factory=set)

    @classmethod
    def build(cls, settings: Settings, clock: Clock, engine: Engine, hub: Hub) -> Services:
        """Wire every service to the engine, clock and hub given."""
        store = Store(engine, clock, settings.session_ttl_hours)
        changes = Changes(store, hub)
        timers = DeadlineTimers(clock)
        breakouts = BreakoutCommands(store, changes, hub, timers)
        snapshots = SnapshotReader(store)
        wakeups = Wakeups(timers, breakouts.finish_if_due, hub)
        return cls(
            settings=settings,
            clock=clock,
            store=store,
            hub=hub,
            timers=timers,
            access=Access(store),
            sessions=SessionCommands(
                store, changes, settings.max_participants, settings.max_joins_per_session
            ),
            breakouts=breakouts,
            meeting=MeetingCommands(changes, hub, timers),
            signals=SignalCommands(changes),
            snapshots=snapshots,
            wakeups=wakeups,
            realtime=Realtime(snapshots, wakeups, hub, clock, settings.fold_ms),
            limits=Limits(settings, make_rate_limiter(hub)),
        )

    async def start(self) -> None:
        """Start the timers, the fan-out and the expiry sweep; re-arm running breakouts."""
        self.timers.bind(asyncio.get_running_loop(), self.wakeups.deadline_reached)
        self.store.on_purged = self._tell_purged
        await self.realtime.start()
        for key, deadline in self.breakouts.running_deadlines():
            self.timers.arm(key, deadline)
        self._tasks.append(asyncio.create_task(self._sweep_expired()))

    async def stop(self) -> None:
        """Tell every client to reconnect elsewhere and stop every timer and task."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.timers.close()
        await self.realtime.stop()

    def _tell_purged(self, code: str) -> None:
        """Tell the clients of a session purged on first access (they close with 4404)."""
        task = asyncio.get_running_loop().create_task(self.hub.publish(code, CHANGED))
        self._telling.add(task)
        task.add_done_callback(self._telling.discard)

    async def purge_expired(self) -> list[str]:
        """Delete every expired session and tell its clients, on every process (4404)."""
        codes = self.sessions.purge_expired()
        for code in codes:
            await self.hub.publish(code, CHANGED)
        return codes

    async def _sweep_expired(self) -> None:
        while True:
            try:
                purged = await self.purge_expired()
                if purged:
                    log.info("purged %d expired sessions", len(purged))
            except Exception:
                log.exception("expiry sweep failed")
            await asyncio.sleep(EXPIRY_SWEEP_SECONDS)
