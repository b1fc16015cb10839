"""Three Duo processes on one PostgreSQL database and one Redis, clients spread over them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import create_engine, text

from tests.utils.server import ServerProcess, migrate
from tests.utils.services import fresh_postgres_database, redis_url

pytestmark = pytest.mark.services
Predicate = Callable[[dict[str, Any]], bool]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    """Yield three migrated processes sharing a fresh PostgreSQL database and Redis."""
    redis = redis_url()
    with fresh_postgres_database() as database, ExitStack() as stack:
        migrate(database)
        servers = []
        for index in range(3):
            server = ServerProcess(
                database,
                extra_env={
                    "DUO_REDIS_URL": redis,
                    "DUO_PRESENCE_TTL_SECONDS": "3",
                    "DUO_PRESENCE_HEARTBEAT_SECONDS": "0.5",
                },
                log_path=tmp_path / f"server{index}.log",
            )
            server.start()
            stack.callback(server.stop)
            servers.append(server)
        yield servers


class Client:
    """One WebSocket client that keeps the newest state it was sent."""

    def __init__(self, socket: Any, first: dict[str, Any]) -> None:
        self.socket = socket
        self.state = first

    @classmethod
    async def open(cls, server: ServerProcess, code: str, token: str) -> Client:
        socket = await websockets.connect(f"{server.ws_url}/ws/{code}")
        await socket.send(json.dumps({"type": "hello", "token": token}))
        return cls(socket, json.loads(await socket.recv()))

    async def until(self, predicate: Predicate, timeout: float = 5.0) -> dict[str, Any]:
        """Return the first state (the current one included) for which ``predicate`` holds."""
        async with asyncio.timeout(timeout):
            while not predicate(self.state):
                message = json.loads(await self.socket.recv())
                if message["type"] == "state":
                    self.state = message
        return self.state


async def _session(http: httpx.AsyncClient, server: ServerProcess) -> dict[str, Any]:
    response = await http.post(f"{server.base_url}/api/sessions", json={"title": "Hall"})
    return dict(response.json())


async def _join(http: httpx.AsyncClient, server: ServerProcess, code: str, name: str) -> Any:
    response = await http.post(
        f"{server.base_url}/api/sessions/{code}/participants", json={"name": name}
    )
    return response.json()


def _online(state: dict[str, Any]) -> set[str]:
    return {p["id"] for p in state["participants"] if p["online"]}


def test_presence_pairing_and_fanout_across_processes(cluster: list[ServerProcess]) -> None:
    asyncio.run(_presence_pairing_and_fanout(cluster))


async def _presence_pairing_and_fanout(cluster: list[ServerProcess]) -> None:
    a, b, c = cluster
    async with httpx.AsyncClient() as http:
        session = await _session(http, a)
        code, host_token = session["code"], session["host_token"]
        homes = [a, a, b, c, c]
        people = [await _join(http, s, code, f"P{i}") for i, s in enumerate(homes)]
        clients = [
            await Client.open(s, code, p["token"]) for s, p in zip(homes, people, strict=True)
        ]
        host = await Client.open(b, code, host_token)
        everyone = {p["id"] for p in people}
        await host.until(lambda s: _online(s) == everyone)

        headers = {"Authorization": f"Bearer {host_token}"}
        started = await http.post(f"{c.base_url}/api/sessions/{code}/breakouts", headers=headers)
        assert started.status_code == 201
        groups = started.json()["groups"]
        assert sorted(pid for g in groups for pid in g) == sorted(everyone)
        assert sorted(len(g) for g in groups) == [2, 3]
        for client, person in zip(clients, people, strict=True):
            state = await client.until(lambda s: s["breakout"] is not None, timeout=1.0)
            members = {m["id"] for m in state["breakout"]["my_group"]["members"]}
            assert person["id"] in members and members in [set(g) for g in groups]
            assert all(m["online"] for m in state["breakout"]["my_group"]["members"])
        for client in [*clients, host]:
            await client.socket.close()


def test_concurrent_controls_from_different_processes(cluster: list[ServerProcess]) -> None:
    asyncio.run(_concurrent_controls(cluster))


async def _concurrent_controls(cluster: list[ServerProcess]) -> None:
    a, b, c = cluster
    async with httpx.AsyncClient(timeout=10) as http:
        session = await _session(http, a)
        code = session["code"]
        headers = {"Authorization": f"Bearer {session['host_token']}"}
        people = [await _join(http, a, code, n) for n in ("Anna", "Bram")]
        clients = [
            await Client.open(s, code, p["token"]) for s, p in zip((b, c), people, strict=True)
        ]
        host = await Client.open(a, code, session["host_token"])
        await host.until(lambda s: len(_online(s)) == 2)
        await http.post(f"{a.base_url}/api/sessions/{code}/breakouts", headers=headers)
        first = await host.until(lambda s: s["breakout"] is not None)
        planned_end = first["breakout"]["slots"][-1]["ends_at_ms"]

        extends = [
            http.post(
                f"{server.base_url}/api/sessions/{code}/breakouts/current/extend",
                headers=headers,
                json={"seconds": 1},
            )
            for server in (a, b, c) * 4
        ]
        answers = await asyncio.gather(*extends)
        assert [r.status_code for r in answers] == [200] * 12
        final = await host.until(
            lambda s: s["breakout"]["slots"][-1]["ends_at_ms"] == planned_end + 12_000
        )
        assert final["breakout"]["status"] == "running"

        pauses = await asyncio.gather(
            *[
                http.post(
                    f"{s.base_url}/api/sessions/{code}/breakouts/current/pause", headers=headers
                )
                for s in (a, b, c)
            ]
        )
        assert sorted(r.status_code for r in pauses) == [200, 409, 409]
        for client in clients:
            state = await client.until(
                lambda s: bool(s["breakout"]) and s["breakout"]["status"] == "paused"
            )
            assert state["breakout"]["slots"][-1]["ends_at_ms"] == planned_end + 12_000
        for client in [*clients, host]:
            await client.socket.close()


def test_killed_process_shows_its_participants_offline(cluster: list[ServerProcess]) -> None:
    asyncio.run(_killed_process(cluster))


async def _killed_process(cluster: list[ServerProcess]) -> None:
    a, b, c = cluster
    async with httpx.AsyncClient() as http:
        session = await _session(http, a)
        code = session["code"]
        stays, goes = [await _join(http, a, code, n) for n in ("Stays", "Goes")]
        kept = await Client.open(a, code, stays["token"])
        await Client.open(c, code, goes["token"])
        host = await Client.open(b, code, session["host_token"])
        await host.until(lambda s: _online(s) == {stays["id"], goes["id"]})
        c.kill()  # SIGKILL: no goodbye reaches Redis
        loop = asyncio.get_running_loop()
        started = loop.time()
        await host.until(lambda s: _online(s) == {stays["id"]}, timeout=30)
        assert loop.time() - started < 30
        await kept.socket.close()
        await host.socket.close()


def test_migrations_run_on_postgres(cluster: list[ServerProcess]) -> None:
    engine = create_engine(cluster[0].database_url)
    with engine.connect() as conn:
        tables = set(
            conn.execute(
                text("select tablename from pg_tables where schemaname = 'public'")
            ).scalars()
        )
    engine.dispose()
    assert {"duo_session", "participant", "breakout", "pair_history", "alembic_version"} <= tables


def test_a_close_and_an_erase_reach_every_process(cluster: list[ServerProcess]) -> None:
    asyncio.run(_close_and_erase(cluster))


async def _close_and_erase(cluster: list[ServerProcess]) -> None:
    a, b, c = cluster
    async with httpx.AsyncClient(timeout=10) as http:
        session = await _session(http, a)
        code = session["code"]
        headers = {"Authorization": f"Bearer {session['host_token']}"}
        people = [await _join(http, s, code, n) for s, n in ((a, "Anna"), (c, "Bram"))]
        clients = [
            await Client.open(s, code, p["token"]) for s, p in zip((a, c), people, strict=True)
        ]
        host = await Client.open(b, code, session["host_token"])
        closed = await http.post(f"{b.base_url}/api/sessions/{code}/close", headers=headers)
        assert closed.status_code == 200
        for client in [*clients, host]:
            state = await client.until(lambda s: s["session"]["closed"])
            assert state["session"]["closed_at_ms"] == closed.json()["closed_at_ms"]
        late = await http.post(f"{c.base_url}/api/sessions/{code}/participants", json={"name": "L"})
        assert late.status_code == 410

        erased = await http.post(
            f"{c.base_url}/api/sessions/{code}/close", headers=headers, json={"erase": True}
        )
        assert erased.status_code == 200 and erased.json()["erased"] is True
        for client in [*clients, host]:
            with pytest.raises(websockets.ConnectionClosed) as ended:
                async with asyncio.timeout(5):
                    while True:
                        await client.socket.recv()
            assert ended.value.rcvd is not None and ended.value.rcvd.code == 4404
        for server in (a, b, c):
            gone = await http.get(f"{server.base_url}/api/sessions/{code}")
            assert gone.status_code == 404
