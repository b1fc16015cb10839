"""Live clients: one writer per socket with a newest-state slot, and folded fan-out.

A change marks its session for a flush; changes close together fold into one flush, which
reads one snapshot and offers every client of the session its state. A client whose state
did not change (times aside) is not sent one. A slow or dead client only ever holds up
its own writer; the newest state replaces an unsent older one, so memory stays bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from starlette.websockets import WebSocket, WebSocketState

from app.core.clock import Clock
from app.events import CloseCode
from app.services.access import Identity
from app.services.errors import NotFound
from app.services.hub import PRESENCE_CHANGED, Hub, HubEvent
from app.services.snapshots import Snapshot, SnapshotReader
from app.services.state import States
from app.services.wakeups import Wakeups

log = logging.getLogger(__name__)

MAX_QUEUED_REPLIES = 32
RETRY_SECONDS = 1.0  # after the database failed to answer a flush
SHARED_SNAPSHOT_SECONDS = 1.0  # clients arriving within this share one snapshot read
MAX_FOLD_SECONDS = 0.25  # a flush and its sends must still fit in the contract's 0.5 s
FOLD_SECONDS_PER_CLIENT = 0.0001
WATCH_SECONDS = 1.0  # how often stuck writers are looked for: a drop comes up to this late


class Connection:
    """One open socket after a successful hello, with its own bounded outbox.

    Thousands are open at once, so each holds little: no lock or event of its own (a bare
    future wakes its writer), replies' queue made on the first reply, and no timer per
    send (Realtime's watchdog finds a writer stuck in a send).
    """

    __slots__ = (
        "websocket",
        "identity",
        "send_timeout",
        "dropped",
        "sending_since",
        "_state",
        "_state_key",
        "_replies",
        "_close",
        "_woken",
        "_waiter",
        "_writer",
    )

    def __init__(self, websocket: WebSocket, identity: Identity, send_timeout: float) -> None:
        self.websocket = websocket
        self.identity = identity
        self.send_timeout = send_timeout
        self.dropped = False  # the writer gave up on a client that stopped reading
        self.sending_since: float | None = None  # loop time a send began, while it lasts
        self._state: str | None = None
        self._state_key: tuple[str, ...] | None = None
        self._replies: deque[str] | None = None
        self._close: tuple[int, str] | None = None
        self._woken = False
        self._waiter: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None

    def _wake(self) -> None:
        self._woken = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def wants(self, key: tuple[str, ...]) -> bool:
        """Return whether a state with ``key`` would say something new to this client."""
        return key != self._state_key

    def offer_state(self, text: str, key: tuple[str, ...], *, force: bool = False) -> None:
        """Queue ``text`` as the newest state, unless it says nothing new."""
        if not force and key == self._state_key:
            return
        self._state_key = key
        self._state = text
        self._wake()

    def offer_reply(self, text: str) -> None:
        """Queue a reply to this client (pong, error); the oldest go when too many wait."""
        if self._replies is None:
            self._replies = deque(maxlen=MAX_QUEUED_REPLIES)
        self._replies.append(text)
        self._wake()

    @property
    def queued_state(self) -> str | None:
        """Return the state waiting to be sent, if any."""
        return self._state

    @property
    def closing(self) -> bool:
        return self._close is not None

    def close(self, code: int, reason: str = "") -> None:
        """Close the socket with ``code`` once what is queued has been sent."""
        if self._close is None:
            self._close = (code, reason)
        self._wake()

    def give_up_if_stalled(self, now: float) -> bool:
        """Drop the client if a send has lasted ``send_timeout`` at loop time ``now``."""
        since = self.sending_since
        if since is None or now - since < self.send_timeout or self._writer is None:
            return False
        self.dropped = True
        self._writer.cancel()
        return True

    async def run_writer(self) -> None:
        """Send what is queued, newest state last, until closed; drop a client that stalls."""
        ws = self.websocket
        loop = asyncio.get_running_loop()
        self._writer = asyncio.current_task()
        try:
            while True:
                if not self._woken:
                    self._waiter = loop.create_future()
                    await self._waiter
                    self._waiter = None
                self._woken = False
                self.sending_since = loop.time()
                while self._replies:
                    await ws.send_text(self._replies.popleft())
                if self._state is not None:
                    text, self._state = self._state, None
                    await ws.send_text(text)
                    del text  # not kept for the hour this frame may wait
                self.sending_since = None
                if self._close is not None:
                    if ws.application_state == WebSocketState.CONNECTED:
                        await ws.close(*self._close)
                    return
        except asyncio.CancelledError:
            if not self.dropped:
                raise
            log.info("dropping a client that stopped reading (%s)", self.identity.code)
            await self._abort()
        except Exception:  # the socket went away under us
            await self._abort()
        finally:
            self.sending_since = None

    async def _abort(self) -> None:
        try:
            if self.websocket.application_state == WebSocketState.CONNECTED:
                await asyncio.wait_for(self.websocket.close(CloseCode.POLICY), 1)
        except Exception:
            pass


class Realtime:
    """Every live client of this process, by session, and the fan-out of changes to them."""

    def __init__(
        self, snapshots: SnapshotReader, wakeups: Wakeups, hub: Hub, clock: Clock, fold_ms: int
    ) -> None:
        self.snapshots = snapshots
        self.wakeups = wakeups
        self.hub = hub
        self.clock = clock
        self.fold_seconds = fold_ms / 1000
        self.rooms: dict[str, set[Connection]] = {}
        self._pending: set[str] = set()
        self._flushing: set[str] = set()  # one flush of a session at a time, in order
        self._again: set[str] = set()  # changed while flushing: flush once more after
        self._last_flush: dict[str, float] = {}
        self._recent: dict[str, tuple[float, Snapshot]] = {}  # last snapshot read, and when
        self._changed: dict[str, Snapshot] = {}  # a change's event applied to the last one
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watchdog: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.hub.start(self.on_event)
        self._watch()

    def _watch(self) -> None:
        """Every WATCH_SECONDS, drop the clients whose writer is stuck in a send."""
        assert self._loop is not None
        now = self._loop.time()
        for connections in self.rooms.values():
            for connection in connections:
                connection.give_up_if_stalled(now)
        self._watchdog = self._loop.call_later(WATCH_SECONDS, self._watch)

    async def stop(self, close_code: int = CloseCode.RESTARTING) -> None:
        """Tell every client to reconnect elsewhere, and stop listening."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        for connections in self.rooms.values():
            for connection in connections:
                connection.close(close_code, "Server restarting")
        await self.hub.stop()

    # ---- changes -----------------------------------------------------------------------

    def on_event(self, code: str, event: HubEvent) -> None:
        """Handle a published change of session ``code`` (from any process)."""
        if not event.presence_only:
            self._note_change(code, event)
        removed = set(event.removed)
        if removed:
            for connection in self.rooms.get(code, ()):
                if connection.identity.participant_id in removed:
                    connection.close(CloseCode.REMOVED, "Removed from the session")
        self.schedule_flush(code)

    def _note_change(self, code: str, event: HubEvent) -> None:
        """Forget the session's last snapshot, unless the event says all that changed and
        the snapshot is of the version before: then the change is applied to it, and the
        next flush reads nothing."""
        recent = self._recent.pop(code, None)
        known = self._changed.pop(code, None) or (recent[1] if recent else None)
        if known is None or event.timeline is None or event.version is None:
            return
        after = known.after(event.timeline, event.version)
        if after is not None:
            self._changed[code] = after

    def fold_window(self, code: str) -> float:
        """Return the shortest time between two flushes of ``code``.

        A large room folds over a longer window (at most MAX_FOLD_SECONDS), so that a lobby
        filling up sends each client a bounded number of states a second.
        """
        clients = len(self.rooms.get(code, ()))
        return max(self.fold_seconds, min(MAX_FOLD_SECONDS, clients * FOLD_SECONDS_PER_CLIENT))

    def schedule_flush(self, code: str, delay: float | None = None) -> None:
        """Flush ``code`` now if it was not flushed within its fold window, else at its end.

        Every change until then folds into that one flush. While a flush of ``code`` reads,
        the next waits for it: a later read may answer first (Redis through another pooled
        connection), and the older state must not be offered after the newer one.
        """
        if code in self._pending or code not in self.rooms or self._loop is None:
            return
        if code in self._flushing:
            self._again.add(code)
            return
        self._pending.add(code)
        if delay is None:
            since = self._loop.time() - self._last_flush.get(code, float("-inf"))
            delay = max(0.0, self.fold_window(code) - since)
        self._loop.call_later(delay, self._spawn_flush, code)

    def _spawn_flush(self, code: str) -> None:
        task = asyncio.ensure_future(self.flush(code))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def flush(self, code: str) -> None:
        """Offer every client of ``code`` its newest state (then flush again if it changed
        meanwhile)."""
        self._pending.discard(code)
        if self._loop is not None:
            self._last_flush[code] = self._loop.time()
        connections = self.rooms.get(code)
        if not connections:
            return
        self._flushing.add(code)
        try:
            snapshot = await self._snapshot(code)
            await self._offer_all(list(connections), snapshot)
        except NotFound:
            for connection in connections:
                connection.close(CloseCode.UNKNOWN_SESSION, "Session not found")
        except Exception as problem:
            log.warning("could not read session %s (%s); retrying", code, problem)
            self._flushing.discard(code)
            self._again.discard(code)  # the retry reads the newest
            self.schedule_flush(code, RETRY_SECONDS)
            return
        finally:
            self._flushing.discard(code)
        if code in self._again:  # changed while this flush read: once more
            self._again.discard(code)
            self.schedule_flush(code)

    async def _offer_all(self, connections: list[Connection], snapshot: Snapshot) -> None:
        """Offer the participants their states, then the host: the participants' writers
        send while the host's larger state (everyone, every group) is being cut."""
        states = States(snapshot)
        hosts = []
        for connection in connections:
            if connection.identity.participant_id is None:
                hosts.append(connection)
            else:
                self.offer(connection, states)
        if hosts:
            await asyncio.sleep(0)
            for connection in hosts:
                self.offer(connection, states)

    async def _snapshot(self, code: str) -> Snapshot:
        changed = self._changed.pop(code, None)
        online = await self.hub.online(code)
        if changed is not None:
            snapshot = changed.seen_at(self.clock.now_ms(), online)
        else:
            snapshot = await self.snapshots.read(code, online)
        self.wakeups.arm(code, snapshot.deadlines)  # every process with clients wakes up
        if self._loop is not None:
            self._recent[code] = (self._loop.time(), snapshot)
        return snapshot

    async def _first_snapshot(self, code: str, participant_id: str | None) -> Snapshot:
        """Return a snapshot for a client's first state.

        Clients that arrive together (a reconnect storm) share the snapshot read for the
        first of them, if nothing but presence changed since: read at their own moment,
        with themselves online. The flush their arrival causes brings everyone's
        presence up to date.
        """
        recent = self._recent.get(code)
        if (
            recent is None
            or self._loop is None
            or (self._loop.time() - recent[0] > SHARED_SNAPSHOT_SECONDS)
        ):
            return await self._snapshot(code)
        snapshot = recent[1]
        if participant_id is not None and participant_id not in snapshot.members:
            return await self._snapshot(code)  # joined after it was read
        online = snapshot.online | ({participant_id} if participant_id else set())
        return snapshot.seen_at(self.clock.now_ms(), frozenset(online))

    @staticmethod
    def offer(connection: Connection, states: States, *, force: bool = False) -> None:
        """Queue the client's state from ``states``, unless it says nothing new (or close a
        participant's socket who is no longer in the session)."""
        pid = connection.identity.participant_id
        members = states.snapshot.members
        if pid is None:
            text, key = states.for_host()
        elif pid in members and members[pid].active:
            key = states.participant_key(pid)
            if not (force or connection.wants(key)):
                return  # nothing new: its text is not even cut
            text = states.participant_text(key)
        else:
            connection.close(CloseCode.REMOVED, "Removed from the session")
            return
        connection.offer_state(text, key, force=force)

    # ---- clients -----------------------------------------------------------------------

    async def attach(self, connection: Connection) -> None:
        """Register a client, send it its state at once, and mark its participant online."""
        code = connection.identity.code
        self.rooms.setdefault(code, set()).add(connection)
        pid = connection.identity.participant_id
        came_online = pid is not None and await self.hub.connected(code, pid)
        self.offer(connection, States(await self._first_snapshot(code, pid)), force=True)
        if came_online:
            await self.hub.publish(code, PRESENCE_CHANGED)

    async def detach(self, connection: Connection) -> None:
        """Forget a client; mark its participant offline when it was their last socket."""
        code = connection.identity.code
        connections = self.rooms.get(code)
        if connections is not None:
            connections.discard(connection)
            if not connections:
                del self.rooms[code]
                self._last_flush.pop(code, None)
                self._recent.pop(code, None)
                self._changed.pop(code, None)
                self.hub.forget(code)
        pid = connection.identity.participant_id
        if pid is not None and await self.hub.disconnected(code, pid):
            await self.hub.publish(code, PRESENCE_CHANGED)
