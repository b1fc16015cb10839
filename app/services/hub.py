"""The hub: how a change in one place reaches every process that has clients of a session.

A small interface with an in-process implementation for one process; the Redis one lives
in ``app/services/redis_hub.py``. Presence (who has an open socket) sits beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from app.domain.timeline import Status, Timeline
from app.services.ratelimit import RateLimiter


@dataclass(frozen=True)
class TimelineChange:
    """All that a breakout control changed: the breakout's timeline. A process that holds
    the session's snapshot of the version before applies it instead of reading."""

    breakout_id: str
    timeline: Timeline

    def to_wire(self) -> dict[str, Any]:
        t = self.timeline
        return {
            "breakout": self.breakout_id,
            "started": t.started_at_ms,
            "ends": list(t.slot_ends_ms),
            "status": t.status.value,
            "paused": t.paused_at_ms,
        }

    @classmethod
    def from_wire(cls, wire: Any) -> TimelineChange | None:
        """Return the change ``to_wire`` made, or None for anything else."""
        try:
            paused = wire["paused"]
            timeline = Timeline(
                started_at_ms=int(wire["started"]),
                slot_ends_ms=tuple(int(end) for end in wire["ends"]),
                status=Status(wire["status"]),
                paused_at_ms=None if paused is None else int(paused),
            )
            return cls(str(wire["breakout"]), timeline)
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class HubEvent:
    """A change of a session, as every process hears it."""

    presence_only: bool = False  # nothing changed but who is online
    removed: tuple[str, ...] = ()  # participants whose sockets close (4403)
    version: int | None = None  # the session's version after the change
    timeline: TimelineChange | None = None  # all the change changed, when it says so

    def to_wire(self) -> dict[str, Any]:
        """Return the event as JSON-ready data (what goes through Redis)."""
        wire: dict[str, Any] = {}
        if self.presence_only:
            wire["presence"] = True
        if self.removed:
            wire["removed"] = list(self.removed)
        if self.version is not None:
            wire["version"] = self.version
        if self.timeline is not None:
            wire["timeline"] = self.timeline.to_wire()
        return wire

    @classmethod
    def from_wire(cls, wire: Any) -> HubEvent:
        """Return the event ``to_wire`` made; anything unexpected reads as a plain change."""
        if not isinstance(wire, dict):
            return cls()
        removed = wire.get("removed")
        version = wire.get("version")
        return cls(
            presence_only=wire.get("presence") is True,
            removed=tuple(str(r) for r in removed) if isinstance(removed, list) else (),
            version=version if isinstance(version, int) else None,
            timeline=TimelineChange.from_wire(wire["timeline"]) if "timeline" in wire else None,
        )


CHANGED = HubEvent()
PRESENCE_CHANGED = HubEvent(presence_only=True)
Listener = Callable[[str, HubEvent], None]


class Publisher(Protocol):
    """Tells every process that a session changed."""

    async def publish(self, code: str, event: HubEvent) -> None: ...


class Presence(Protocol):
    """Knows who has an open socket, on any process."""

    async def online(self, code: str) -> frozenset[str]: ...


class Hub(Publisher, Presence, Protocol):
    """Publishes session changes to every process and keeps who is online."""

    @property
    def healthy(self) -> bool:
        """Return whether the hub reaches every process (always, for one process)."""
        ...

    async def start(self, listener: Listener) -> None: ...
    async def stop(self) -> None: ...
    async def connected(self, code: str, participant_id: str) -> bool: ...
    async def disconnected(self, code: str, participant_id: str) -> bool: ...
    def forget(self, code: str) -> None: ...


@runtime_checkable
class SharesLimits(Protocol):
    """A hub that also shares rate limits between processes."""

    def rate_limiter(self) -> RateLimiter: ...


class LocalPresence:
    """Counts the open sockets of every participant in this process."""

    def __init__(self) -> None:
        self._sockets: dict[str, Counter[str]] = {}

    def online(self, code: str) -> frozenset[str]:
        return frozenset(self._sockets.get(code, ()))

    def codes(self) -> list[str]:
        """Return the sessions with an online participant in this process."""
        return list(self._sockets)

    def add(self, code: str, participant_id: str) -> bool:
        """Count one more socket; return whether the participant just came online."""
        counts = self._sockets.setdefault(code, Counter())
        counts[participant_id] += 1
        return counts[participant_id] == 1

    def remove(self, code: str, participant_id: str) -> bool:
        """Count one socket less; return whether the participant just went offline."""
        counts = self._sockets.get(code)
        if not counts or counts[participant_id] <= 0:
            return False
        counts[participant_id] -= 1
        if counts[participant_id] > 0:
            return False
        del counts[participant_id]
        if not counts:
            del self._sockets[code]
        return True


class MemoryHub:
    """The hub of a single process: publishing calls the listener directly."""

    def __init__(self) -> None:
        self._listener: Listener | None = None
        self.presence = LocalPresence()

    async def start(self, listener: Listener) -> None:
        self._listener = listener

    async def stop(self) -> None:
        self._listener = None

    async def publish(self, code: str, event: HubEvent) -> None:
        if self._listener is not None:
            self._listener(code, event)

    async def online(self, code: str) -> frozenset[str]:
        return self.presence.online(code)

    async def connected(self, code: str, participant_id: str) -> bool:
        return self.presence.add(code, participant_id)

    async def disconnected(self, code: str, participant_id: str) -> bool:
        return self.presence.remove(code, participant_id)

    def forget(self, code: str) -> None:
        pass

    @property
    def healthy(self) -> bool:
        return True
