"""One of three processes (PostgreSQL + Redis) killed with SIGKILL mid-breakout: its clients
reconnect to the other two and get back the same person, group and second; nobody else
notices more than a presence blip, and the next host control reaches everyone."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.faults.support import Session, online, record, shared_cluster, view
from tests.utils.server import ServerProcess

pytestmark = pytest.mark.services
PEOPLE = 9


def test_one_of_three_processes_killed_mid_breakout(tmp_path: Path) -> None:
    with shared_cluster(
        tmp_path, 3, DUO_PRESENCE_TTL_SECONDS="3", DUO_PRESENCE_HEARTBEAT_SECONDS="0.5"
    ) as servers:
        asyncio.run(_kill_one(servers))


async def _kill_one(servers: list[ServerProcess]) -> None:
    a, b, c = servers
    session = await Session.create(a, PEOPLE)
    homes = {client.name: servers[i % 3] for i, client in enumerate(session.participants)}
    await session.host.connect(a)
    for client in session.participants:
        await client.connect(homes[client.name])
    before = await session.start_mid_breakout(b)

    victims = [client for client in session.participants if homes[client.name] is c]
    c.kill()
    killed = time.monotonic()
    for victim in victims:  # the socket just ends: no close frame from a dead process
        assert await victim.close_code() in (None, 1006)
    for i, victim in enumerate(victims):  # reconnect elsewhere, as the page does
        await victim.connect((a, b)[i % 2])
    after = await session.views(lambda s: s["breakout"]["current_slot"] == 2)
    resynced = time.monotonic() - killed
    assert after == before
    ids = {p["id"] for p in session.people}
    await session.host.until(lambda s: online(s) == ids)

    # The next control, sent to a survivor, reaches everyone, the reconnected included.
    paused = await session.post(a, "/breakouts/current/pause")
    assert paused.status_code == 200, paused.text
    final = await session.views(lambda s: s["breakout"]["status"] == "paused")
    assert final == {name: {**v, "status": "paused"} for name, v in before.items()}
    record(
        "process killed",
        f"{len(victims)} of {PEOPLE} participants on the killed process; all back in their "
        f"group at slot 2 after {resynced:.2f} s; pause afterwards reached all {PEOPLE + 1}",
    )
    for client in session.everyone:
        await client.close()
    assert all(view(c.state)["status"] == "paused" for c in session.everyone)
