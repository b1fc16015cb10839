"""Presence across three processes stays exact while crowds come and go on every process at
once: every breakout pairs exactly those the host sees online, who are exactly the clients
that are connected.

Three real uvicorn processes share a fresh PostgreSQL database and Redis. The host watches
from the third process; each round, on every process at once, dozens of participants leave,
join, or move to another process; once the host's page shows who is connected, a breakout is
started through another process and must pair exactly them; it is ended before the next round.
Meanwhile the host's page may lag, but never goes back: nobody who stays is ever shown
offline, nobody who stays away online, and a joiner once shown online (a leaver once shown
offline) stays so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
import websockets

from tests.faults.support import Client, Json, Predicate, Session, online, shared_cluster
from tests.utils.server import ServerProcess

pytestmark = pytest.mark.services

PEOPLE_PER_PROCESS = 24  # at the start each process has this many; later they mix
ROUNDS = 16
SEED = 20_260_427  # the same comings and goings every run (the timing is the machine's)
SETTLE_SECONDS = 30  # only a liveness cap: presence settles in well under a second


def test_every_breakout_pairs_exactly_who_the_host_sees_online(tmp_path: Path) -> None:
    # The defaults: a wrong set in Redis would stand until the next heartbeat, 5 s, long
    # enough for a breakout to pair it.
    with shared_cluster(
        tmp_path, 3, DUO_PRESENCE_TTL_SECONDS="20", DUO_PRESENCE_HEARTBEAT_SECONDS="5"
    ) as servers:
        asyncio.run(_rounds(servers))


@dataclass
class Participant:
    """A participant's client, drained in the background while connected (their states
    are not looked at: reading them keeps the server's writer from stalling)."""

    id: str
    client: Client
    reader: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        return self.reader is not None

    async def join(self, server: ServerProcess) -> None:
        await self.client.connect(server, timeout=SETTLE_SECONDS)
        self.reader = asyncio.create_task(self._drain())

    async def leave(self) -> None:
        assert self.reader is not None and self.client.socket is not None
        await self.client.socket.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        self.reader = None

    async def move(self, server: ServerProcess) -> None:
        await self.leave()
        await self.join(server)

    async def _drain(self) -> None:
        assert self.client.socket is not None
        with contextlib.suppress(websockets.ConnectionClosed):
            async for message in self.client.socket:
                self.client.state = json.loads(message)


class HostPage:
    """The host's client, read in the background: every state it is sent, in order."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.states: list[Json] = []
        self._new = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def open(self, server: ServerProcess) -> None:
        self.states.append(await self.client.connect(server, timeout=SETTLE_SECONDS))
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.client.socket is not None
        with contextlib.suppress(websockets.ConnectionClosed):
            async for message in self.client.socket:
                state = json.loads(message)
                assert state["type"] == "state", state
                self.states.append(state)
                self._new.set()

    async def until(self, predicate: Predicate, timeout: float = SETTLE_SECONDS) -> Json:
        """Return the newest state once ``predicate`` holds for it."""
        async with asyncio.timeout(timeout):
            while not predicate(self.states[-1]):
                self._new.clear()
                await self._new.wait()
        return self.states[-1]

    async def close(self) -> None:
        await self.client.close()
        if self._reader is not None:
            await self._reader


async def _rounds(servers: list[ServerProcess]) -> None:
    host_process, controls = servers[2], servers[:2]
    session = await Session.create(servers[0], 3 * PEOPLE_PER_PROCESS)
    people = [
        Participant(p["id"], client)
        for p, client in zip(session.people, session.participants, strict=True)
    ]
    host = HostPage(session.host)
    await host.open(host_process)
    rng = random.Random(SEED)
    for number in range(1, ROUNDS + 1):
        before = {p.id for p in people if p.connected}
        first = len(host.states)
        if number == 1:
            movers: set[str] = set()
            await asyncio.gather(*[p.join(servers[i % 3]) for i, p in enumerate(people)])
        else:
            movers = await _churn(people, servers, rng)
        connected = {p.id for p in people if p.connected}
        seen = await _settled(host, connected)
        assert seen == connected
        _never_went_back(number, host.states[first:], before, connected, movers)

        started = await session.post(controls[number % 2], "/breakouts")
        assert started.status_code == 201, (number, started.text)
        paired = [pid for group in started.json()["groups"] for pid in group]
        assert len(paired) == len(set(paired)), f"round {number}: someone paired twice"
        missing, extra = seen - set(paired), set(paired) - seen
        assert not missing and not extra, (
            f"round {number}: the host saw {len(seen)} online, {len(paired)} were paired; "
            f"left out {sorted(missing)}, paired though offline {sorted(extra)}"
        )

        ended = await session.post(controls[(number + 1) % 2], "/breakouts/current/end")
        assert ended.status_code == 200, (number, ended.text)
        await host.until(_no_running_breakout)
    for person in people:
        if person.connected:
            await person.leave()
    await host.close()


async def _churn(
    people: list[Participant], servers: list[ServerProcess], rng: random.Random
) -> set[str]:
    """On every process at once: about a third of those connected leave, a fifth move to a
    (possibly the same) process, and half of those away join one. Nobody both arrives and
    leaves within a round, so the host's page showing who is connected means every leave
    has been written, not merely the socket closed. At least two stay connected. Return who
    moved."""
    moves = []
    movers = set()
    leaving = 0
    for person in people:
        draw, server = rng.random(), rng.choice(servers)
        if not person.connected:
            if draw < 0.5:
                moves.append(person.join(server))
        elif draw < 0.35 and sum(p.connected for p in people) - leaving > 2:
            leaving += 1
            moves.append(person.leave())
        elif draw < 0.55:
            movers.add(person.id)
            moves.append(person.move(server))
    await asyncio.gather(*moves)
    return movers


async def _settled(host: HostPage, connected: set[str]) -> set[str]:
    """Wait until the host's page shows exactly ``connected`` online; return what it shows."""
    try:
        state = await host.until(lambda s: online(s) == connected)
    except TimeoutError:
        shown = online(host.states[-1])
        raise AssertionError(
            f"the host's page never showed who is connected: missing "
            f"{sorted(connected - shown)}, offline but shown {sorted(shown - connected)}"
        ) from None
    return online(state)


def _never_went_back(
    number: int, states: list[Json], before: set[str], after: set[str], movers: set[str]
) -> None:
    """Check the host's states of one round: it may lag behind the comings and goings, but
    never contradicts what it showed already (movers may be shown offline in between)."""
    shown_online: set[str] = set()
    shown_offline: set[str] = set()
    for index, state in enumerate(states):
        now = online(state)
        stayed_away = (now - before - after) | ((now - after) & shown_offline - movers)
        went_back = (shown_online - now) & after - movers
        dropped = (before & after) - movers - now
        assert not (stayed_away or went_back or dropped), (
            f"round {number}, host state {index}: shown online though away {sorted(stayed_away)}, "
            f"offline again after shown online {sorted(went_back)}, staying but shown offline "
            f"{sorted(dropped)}"
        )
        shown_online |= now
        shown_offline |= set(p["id"] for p in state["participants"]) - now


def _no_running_breakout(state: Json) -> bool:
    return state["breakout"] is None or state["breakout"]["status"] == "finished"
