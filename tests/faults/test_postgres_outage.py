"""PostgreSQL unavailable for a few seconds (a TCP proxy between Duo and the real database,
cut and restored): the API answers 503 with a detail and Retry-After meanwhile, open
sockets stay up, Duo recovers by itself, and no change is half-written or lost: controls
in flight when the line was cut are applied whole or not at all, refused joins and
controls left nothing behind, and a breakout whose end fell in the outage is finished and
told to everyone once the database is back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.faults.support import (
    LIVENESS_SECONDS,
    Client,
    Proxy,
    Session,
    processes,
    record,
    view,
)
from tests.utils.server import ServerProcess
from tests.utils.services import fresh_postgres_database

pytestmark = pytest.mark.services
EXTENDS = 24


def test_postgres_unavailable_for_a_few_seconds(tmp_path: Path) -> None:
    with fresh_postgres_database() as database:
        real = make_url(database)
        proxy = Proxy(real.host or "127.0.0.1", real.port or 5432)
        try:
            proxied = real.set(host="127.0.0.1", port=proxy.port)
            with processes(tmp_path, proxied.render_as_string(hide_password=False), 1) as (server,):
                asyncio.run(_outage(server, proxy, database))
        finally:
            proxy.close()


def rows(database: str, query: str, **params: Any) -> list[Any]:
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(query), params))
    finally:
        engine.dispose()


async def _outage(server: ServerProcess, proxy: Proxy, database: str) -> None:
    # A breakout mid-way, extended by the host just as the line is cut ...
    session = await Session.create(server, 4)
    for client in session.everyone:
        await client.connect(server)
    before = await session.start_mid_breakout(server)
    # ... and a short one whose last slot ends while the database is away.
    short = await Session.create(server, 2, phase_seconds=10)
    for client in short.everyone:
        await client.connect(server)
    await short.start_mid_breakout(server, skips=7)
    short_end = short.host.state["breakout"]["slots"][-1]["ends_at_ms"]
    participants_before = rows(database, "select count(*) from participant")[0][0]

    async with httpx.AsyncClient(base_url=server.base_url, timeout=LIVENESS_SECONDS) as http:
        url = f"/api/sessions/{session.code}"

        async def extend() -> int:
            answer = await http.post(
                f"{url}/breakouts/current/extend", json={"seconds": 1}, headers=session.headers
            )
            return answer.status_code

        extends = [asyncio.create_task(extend()) for _ in range(EXTENDS)]
        await asyncio.wait(extends, return_when=asyncio.FIRST_COMPLETED)
        proxy.cut()  # the others are in flight or waiting for the session's row lock
        cut = time.monotonic()
        statuses = await asyncio.gather(*extends)
        assert set(statuses) <= {200, 503}, statuses

        # Meanwhile: 503 with a detail and Retry-After; nothing written; sockets stay up.
        refused = [
            await http.get(url),
            await http.post(f"{url}/participants", json={"name": "Late"}),
            await http.post(f"{url}/breakouts/current/pause", headers=session.headers),
            await http.post("/api/sessions", json={}),
        ]
        for answer in refused:
            assert answer.status_code == 503, answer.text
            assert isinstance(answer.json()["detail"], str) and answer.json()["detail"]
            assert int(answer.headers["retry-after"]) >= 1
        health = await http.get("/api/health")
        assert (health.status_code, health.json()["database"]) == (503, "unreachable")
        pings = [await client.ping() for client in session.everyone]  # every pong comes
        newcomer = Client(session.code, session.people[0]["token"], "again")
        with pytest.raises((websockets.ConnectionClosed, OSError)) as refused:
            await newcomer.connect(server)  # ends at once: the page retries
        assert not isinstance(refused.value, TimeoutError), "the new socket was left hanging"

        # Hold the outage until the short breakout's end has passed.
        while time.time() * 1000 < short_end + 1000:
            await asyncio.sleep(0.1)
        proxy.restore()
        restored = time.monotonic()
        async with asyncio.timeout(LIVENESS_SECONDS):
            while (await http.get(url)).status_code != 200:
                await asyncio.sleep(0.05)
        recovered = time.monotonic() - restored
        assert (await http.get("/api/health")).status_code == 200

    applied = statuses.count(200)
    after = await session.views(
        lambda s: (
            s["breakout"]["slots"][-1]["ends_at_ms"]
            >= before["host"]["slots"][-1]["ends_at_ms"] + 1000 * applied
        )
    )
    moved = (
        after["host"]["slots"][-1]["ends_at_ms"] - before["host"]["slots"][-1]["ends_at_ms"]
    ) // 1000
    # Whole extends only: every slot from the current one on moved by the same amount, and
    # by one second per extend that said 200 (a commit whose answer was lost in the cut may
    # add one that said 503, never a part of one).
    assert applied <= moved <= applied + statuses.count(503), (statuses, moved)
    current = 2
    for name, got in after.items():
        old = before[name]
        assert got["status"] == "running" and got["current_slot"] == current
        for i, (new_slot, old_slot) in enumerate(zip(got["slots"], old["slots"], strict=True)):
            shift = 0 if i < current else moved * 1000
            start_shift = 0 if i <= current else shift
            assert new_slot["ends_at_ms"] == old_slot["ends_at_ms"] + shift
            assert new_slot["starts_at_ms"] == old_slot["starts_at_ms"] + start_shift
        assert {**got, "slots": old["slots"]} == old
    assert rows(database, "select count(*) from participant")[0][0] == participants_before
    assert view(await newcomer.connect(server)) == after[session.participants[0].name]

    finished = await short.views(lambda s: s["breakout"]["status"] == "finished")
    told = time.monotonic() - restored
    assert all(v["current_slot"] == 8 for v in finished.values())
    record(
        "postgres outage",
        f"cut {time.monotonic() - cut:.1f} s; {applied} of {EXTENDS} extends in flight applied "
        f"(200), {statuses.count(503)} refused (503), slots moved by {moved} s; 4 calls during "
        f"the outage 503 with detail + Retry-After; pings answered meanwhile, worst "
        f"{max(pings) * 1000:.0f} ms; API back {recovered:.2f} s after restore; "
        f"breakout that ended during the outage told finished {told:.2f} s after restore",
    )
    for client in [*session.everyone, *short.everyone, newcomer]:
        await client.close()
