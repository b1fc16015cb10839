"""Redis restarted mid-breakout (a redis-server of the test's own, killed and started again
on the same port): both processes go on serving their own clients, /api/health says Redis
is unreachable meanwhile and ok afterwards, both reconnect by themselves, and every client
is resynced, a change made during the outage included."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from tests.faults.support import (
    LIVENESS_SECONDS,
    RedisServer,
    Session,
    online,
    processes,
    record,
)
from tests.utils.server import ServerProcess
from tests.utils.services import fresh_postgres_database

pytestmark = pytest.mark.services


def test_redis_restarted_mid_breakout(tmp_path: Path) -> None:
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        with (
            fresh_postgres_database() as database,
            processes(
                tmp_path,
                database,
                2,
                DUO_REDIS_URL=redis.url,
                DUO_PRESENCE_TTL_SECONDS="3",
                DUO_PRESENCE_HEARTBEAT_SECONDS="0.5",
            ) as servers,
        ):
            asyncio.run(_restart_redis(servers, redis))
    finally:
        redis.kill()


async def health(server: ServerProcess) -> tuple[int, dict[str, str]]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=LIVENESS_SECONDS) as http:
        answer = await http.get("/api/health")
    return answer.status_code, answer.json()


async def until_health(server: ServerProcess, status: int, redis: str) -> float:
    """Poll /api/health until it answers ``status`` with Redis ``redis``; return how long (a
    figure: only a server stuck for LIVENESS_SECONDS fails)."""
    started = time.monotonic()
    async with asyncio.timeout(LIVENESS_SECONDS):
        while (await health(server)) != (
            status,
            {"status": "ok" if status == 200 else "degraded", "database": "ok", "redis": redis},
        ):
            await asyncio.sleep(0.05)
    return time.monotonic() - started


async def _restart_redis(servers: list[ServerProcess], redis: RedisServer) -> None:
    a, b = servers
    session = await Session.create(a, 6)
    await session.host.connect(a)
    for i, client in enumerate(session.participants):
        await client.connect(servers[i % 2])
    before = await session.start_mid_breakout(a)
    for server in servers:
        assert await health(server) == (200, {"status": "ok", "database": "ok", "redis": "ok"})

    redis.kill()
    down = max([await until_health(s, 503, "unreachable") for s in servers])
    # Meanwhile each process still serves its own clients (every ping gets its pong); a
    # control made now is stored, and the process it was made on tells its own clients.
    pings = [await client.ping() for client in session.everyone]
    paused = await session.post(b, "/breakouts/current/pause")
    assert paused.status_code == 200, paused.text
    on_b = [c for c in session.participants if c.server is b]
    assert on_b
    await asyncio.gather(*[c.until(lambda s: s["breakout"]["status"] == "paused") for c in on_b])

    redis.start()
    started = time.monotonic()
    up = max([await until_health(s, 200, "ok") for s in servers])
    after = await session.views(lambda s: s["breakout"]["status"] == "paused")
    resynced = time.monotonic() - started
    assert after == {name: {**v, "status": "paused"} for name, v in before.items()}
    ids = {p["id"] for p in session.people}
    await session.host.until(lambda s: online(s) == ids)

    # And the shared fan-out works again: a resume through the other process reaches all.
    resumed = await session.post(a, "/breakouts/current/resume")
    assert resumed.status_code == 200, resumed.text
    final = await session.views(lambda s: s["breakout"]["status"] == "running")
    assert {view["current_slot"] for view in final.values()} == {2}
    assert len({str(view["slots"]) for view in final.values()}) == 1
    record(
        "redis restarted",
        f"health said unreachable within {down:.2f} s of the kill and ok {up:.2f} s after the "
        f"restart; pings during the outage answered, worst {max(pings) * 1000:.0f} ms; all "
        f"{len(session.everyone)} clients had the pause made during the outage "
        f"{resynced:.2f} s after the restart; presence and fan-out back",
    )
    for client in session.everyone:
        await client.close()
