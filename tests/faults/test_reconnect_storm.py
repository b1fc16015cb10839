"""A reconnect storm: 1,000 participants in a running breakout lose their sockets at once
and all reconnect at the same moment. Every one is resynced to the same group, phase and
second, none gets an error, and the storm is over in bounded time."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx

from tests.faults.support import Client, assert_right_second, raise_open_files, record, view
from tests.utils.server import ServerProcess, running_server

CLIENTS = 1000
STORM_SECONDS = 30  # measured about 8 s on two cores


def test_a_thousand_clients_reconnect_at_once(tmp_path: Path) -> None:
    raise_open_files(4 * CLIENTS)  # before the server starts: it inherits the limit
    with running_server(
        tmp_path,
        DUO_JOINS_PER_MINUTE="0",
        DUO_MAX_PARTICIPANTS=str(CLIENTS),
        DUO_MAX_SOCKETS_PER_IP=str(2 * CLIENTS),
    ) as server:
        asyncio.run(_storm(server))


async def _storm(server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        created = await http.post("/api/sessions", json={"title": "Hall", "phase_seconds": 600})
        code, host = created.json()["code"], created.json()["host_token"]
        gate = asyncio.Semaphore(32)

        async def join(i: int) -> Client:
            async with gate:
                answer = await http.post(
                    f"/api/sessions/{code}/participants", json={"name": f"P{i:04d}"}
                )
            assert answer.status_code == 201, answer.text
            return Client(code, answer.json()["token"], f"P{i:04d}")

        clients = await asyncio.gather(*[join(i) for i in range(CLIENTS)])
        gate = asyncio.Semaphore(100)

        async def connect(client: Client) -> None:
            async with gate:
                await client.connect(server, timeout=60)

        await asyncio.gather(*[connect(c) for c in clients])
        started = await http.post(
            f"/api/sessions/{code}/breakouts", headers={"Authorization": f"Bearer {host}"}
        )
        assert started.status_code == 201, started.text
        groups = started.json()["groups"]
        assert sum(len(g) for g in groups) == CLIENTS

    befores = await asyncio.gather(
        *[c.until(lambda s: s["breakout"] is not None, timeout=30) for c in clients]
    )
    before = [view(s) for s in befores]
    for client in clients:  # the network goes: every socket is cut at once
        assert client.socket is not None
        client.socket.transport.abort()

    began = time.monotonic()
    states = await asyncio.gather(*[c.connect(server, timeout=STORM_SECONDS) for c in clients])
    storm = time.monotonic() - began
    errors = 0
    for client, state, old in zip(clients, states, before, strict=True):
        assert view(state) == old, client.name
        assert_right_second(state)
        assert client.socket is not None
        await client.socket.send(json.dumps({"type": "ping", "client_ms": 1}))
    for client in clients:  # each next message is a pong or a fresh state, never an error
        message = json.loads(await client.socket.recv())  # type: ignore[union-attr]
        errors += message["type"] == "error"
    assert errors == 0
    assert storm < STORM_SECONDS
    record(
        "reconnect storm",
        f"{CLIENTS} clients cut at once and reconnected together: all resynced (same group, "
        f"slot and second), 0 errors, in {storm:.1f} s",
    )
    await asyncio.gather(*[c.close() for c in clients])
