"""The app's long-lived objects, built once in the lifespan and typed for every handler."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from app.core.clock import Clock
from app.core.config import Settings
from app.domain.joins import JoinCaps
from app.services.access import Access
from app.services.breakouts import BreakoutCommands
from app.services.changes import Changes
from app.services.expiry import Expiry
from app.services.hub import CHANGED, Hub, MemoryHub, SharesLimits
from app.services.limits import Limits
from app.services.meeting import MeetingCommands
from app.services.ratelimit import MemoryRateLimiter, RateLimiter
from app.services.realtime import Realtime
from app.services.rooms import RoomCommands
from app.services.sessions import SessionCommands
from app.services.signals import SignalCommands
from app.services.snapshots import SnapshotReader
from app.services.store import Store
from app.services.timers import DeadlineTimers
from app.services.wakeups import Wakeup, WakeupKind, Wakeups
from app.services.warmup import warm_up


def make_hub(settings: Settings) -> Hub:
    """Return the hub the settings ask for: Redis when DUO_REDIS_URL is set (the Redis
    client is imported only then: Duo runs without it installed)."""
    if settings.redis_url:
        from app.services.redis_hub import RedisHub

        return RedisHub(
            settings.redis_url, settings.presence_ttl_seconds, settings.presence_heartbeat_seconds
        )
    return MemoryHub()


def make_rate_limiter(hub: Hub) -> RateLimiter:
    """Return the hub's shared rate limiter (Redis's), else one of this process."""
    if isinstance(hub, SharesLimits):
        return hub.rate_limiter()
    return MemoryRateLimiter()


@dataclass
class Services:
    """Everything the handlers use, wired together."""

    settings: Settings
    clock: Clock
    store: Store
    hub: Hub
    timers: DeadlineTimers[Wakeup]
    access: Access
    sessions: SessionCommands
    breakouts: BreakoutCommands
    meeting: MeetingCommands
    signals: SignalCommands
    rooms: RoomCommands
    snapshots: SnapshotReader
    wakeups: Wakeups
    expiry: Expiry
    realtime: Realtime
    limits: Limits
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, clock: Clock, engine: Engine, hub: Hub) -> Services:
        """Wire every service to the engine, clock and hub given."""
        store = Store(engine, clock, settings.session_ttl_hours, settings.database_threads)
        timers: DeadlineTimers[Wakeup] = DeadlineTimers(clock)
        wakeups = Wakeups(timers)
        changes = Changes(store, hub, wakeups)
        breakouts = BreakoutCommands(store, changes, hub)
        snapshots = SnapshotReader(store)
        return cls(
            settings=settings,
            clock=clock,
            store=store,
            hub=hub,
            timers=timers,
            access=Access(store),
            sessions=SessionCommands(store, changes, join_caps(settings), settings.unlimited),
            breakouts=breakouts,
            meeting=MeetingCommands(changes, hub),
            signals=SignalCommands(changes),
            rooms=RoomCommands(changes),
            snapshots=snapshots,
            wakeups=wakeups,
            expiry=Expiry(store, hub),
            realtime=Realtime(snapshots, wakeups, hub, clock, settings.fold_ms),
            limits=Limits(settings, make_rate_limiter(hub)),
        )

    async def start(self) -> None:
        """Start the timers, the fan-out and the expiry sweep; re-arm running breakouts."""
        self.timers.bind(asyncio.get_running_loop(), self.deadline_reached)
        await self.realtime.start()
        for code, deadline in await self.breakouts.running_deadlines():
            self.wakeups.arm(code, {WakeupKind.BREAKOUT_END: deadline})
        if self.settings.warm_up:
            await warm_up(self)
        self._tasks.append(asyncio.create_task(self.expiry.sweep_forever()))

    async def deadline_reached(self, wakeup: Wakeup) -> None:
        """Act on ``wakeup``: finish a breakout, or tell everyone a break is over (the
        state derives that from the clock)."""
        match wakeup.kind:
            case WakeupKind.BREAKOUT_END:
                await self.breakouts.finish_if_due(wakeup.code)
            case WakeupKind.BREAK_END:
                await self.hub.publish(wakeup.code, CHANGED)

    async def stop(self) -> None:
        """Tell every client to reconnect elsewhere and stop every timer, task and thread."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.timers.close()
        await self.realtime.stop()
        self.store.close()


def join_caps(settings: Settings) -> JoinCaps:
    """Return how many may join a session, from the settings."""
    return JoinCaps(
        present=settings.max_participants,
        lifetime=settings.max_joins_per_session,
        per_address=settings.max_joins_per_address,
    )
