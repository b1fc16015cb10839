"""The WebSocket against a real uvicorn process: handshake, hello, ping, fan-out, close codes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.utils.server import ServerProcess, running_server

Json = dict[str, Any]
# How long a test waits for what it expects before calling the server stuck: a liveness
# guard, far above any latency. How fast a change reaches everyone is a benchmark figure
# (bench/fanout.py, docs/benchmarks.md); here it is printed, not asserted.
LIVENESS_SECONDS = 30.0
# Short enough that the no-hello test is quick, long enough that a busy machine never
# closes a client that says hello at once.
HELLO_TIMEOUT_SECONDS = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(
        tmp_path_factory.mktemp("live"), DUO_HELLO_TIMEOUT_SECONDS=str(HELLO_TIMEOUT_SECONDS)
    ) as process:
        yield process


@pytest.fixture
async def http(server: ServerProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=LIVENESS_SECONDS) as client:
        yield client


async def new_session(http: httpx.AsyncClient, people: int = 0) -> tuple[Json, list[Json]]:
    response = await http.post("/api/sessions", json={"title": "Live"})
    assert response.status_code == 201
    session = response.json()
    joined = []
    for i in range(people):
        answer = await http.post(
            f"/api/sessions/{session['code']}/participants", json={"name": f"Live {i}"}
        )
        assert answer.status_code == 201
        joined.append(answer.json())
    return session, joined


async def recv_json(ws: ClientConnection, timeout: float = LIVENESS_SECONDS) -> Json:
    async with asyncio.timeout(timeout):
        return dict(json.loads(await ws.recv()))


async def wait_state(
    ws: ClientConnection, predicate: Any, timeout: float = LIVENESS_SECONDS
) -> Json:
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "state" and predicate(message):
                return dict(message)


async def close_code(ws: ClientConnection, timeout: float = LIVENESS_SECONDS) -> int | None:
    """Read until the server closes ``ws`` and return the close code it sent."""
    async with asyncio.timeout(timeout):
        try:
            while True:
                await ws.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


@asynccontextmanager
async def said_hello(
    server: ServerProcess, code: str, token: str
) -> AsyncIterator[tuple[ClientConnection, Json]]:
    async with connect(f"{server.ws_url}/ws/{code}") as ws:
        await ws.send(json.dumps({"type": "hello", "token": token}))
        state = await recv_json(ws)
        assert state["type"] == "state"
        yield ws, state


async def test_hello_state_and_ping(server: ServerProcess, http: httpx.AsyncClient) -> None:
    session, (anna,) = await new_session(http, 1)
    async with said_hello(server, session["code"], anna["token"]) as (ws, state):
        assert state["me"]["id"] == anna["id"]
        assert state["me"]["host"] is False
        assert state["participant_count"] == 1
        assert state["breakout"] is None
        before = time.time_ns() // 1_000_000
        await ws.send(json.dumps({"type": "ping", "client_ms": before}))
        pong = await recv_json(ws)
        after = time.time_ns() // 1_000_000
        assert pong["type"] == "pong"
        assert pong["client_ms"] == before
        assert before - 1000 <= pong["server_ms"] <= after + 1000  # same machine, same clock
        await ws.send("not json")
        assert (await recv_json(ws))["type"] == "error"
        await ws.send(b"\x00binary")
        assert (await recv_json(ws))["type"] == "error"
        await ws.send(json.dumps({"type": "ping", "client_ms": 1}))
        assert (await recv_json(ws))["type"] == "pong"


async def test_a_breakout_reaches_everyone(server: ServerProcess, http: httpx.AsyncClient) -> None:
    """Every socket, the host's included, gets the breakout with its own group; how long
    that took is printed."""
    session, people = await new_session(http, 7)
    code = session["code"]
    async with AsyncExitStack() as stack:
        host, _ = await stack.enter_async_context(said_hello(server, code, session["host_token"]))
        sockets = [
            (await stack.enter_async_context(said_hello(server, code, p["token"])))[0]
            for p in people
        ]
        await wait_state(host, lambda s: all(p["online"] for p in s["participants"]))
        started_at = time.monotonic()
        response = await http.post(
            f"/api/sessions/{code}/breakouts",
            headers={"Authorization": f"Bearer {session['host_token']}"},
        )
        assert response.status_code == 201
        groups = response.json()["groups"]
        states = await asyncio.gather(
            *(wait_state(ws, lambda s: s["breakout"] is not None) for ws in [host, *sockets])
        )
        elapsed = time.monotonic() - started_at
        print(f"\n[figure] breakout to 8 sockets of a real server: {elapsed * 1000:.0f} ms")
        assert [g["members"] for g in states[0]["breakout"]["groups"]] == groups
        assert sorted(len(g) for g in groups) == [2, 2, 3]
        for person, state in zip(people, states[1:], strict=True):
            members = [m["id"] for m in state["breakout"]["my_group"]["members"]]
            assert person["id"] in members
            assert members in groups
            assert state["breakout"]["status"] == "running"


async def test_controls_reach_everyone(server: ServerProcess, http: httpx.AsyncClient) -> None:
    session, people = await new_session(http, 2)
    code, headers = session["code"], {"Authorization": f"Bearer {session['host_token']}"}
    async with AsyncExitStack() as stack:
        sockets = [
            (await stack.enter_async_context(said_hello(server, code, p["token"])))[0]
            for p in people
        ]
        assert (
            await http.post(f"/api/sessions/{code}/breakouts", headers=headers)
        ).status_code == 201
        for action, status in (("pause", "paused"), ("resume", "running"), ("end", "finished")):
            answer = await http.post(
                f"/api/sessions/{code}/breakouts/current/{action}", headers=headers
            )
            assert answer.status_code == 200
            await asyncio.gather(
                *(
                    wait_state(
                        ws,
                        lambda s, status=status: (
                            s["breakout"] and s["breakout"]["status"] == status
                        ),
                    )
                    for ws in sockets
                )
            )


async def test_a_bad_token_closes_with_4401(server: ServerProcess, http: httpx.AsyncClient) -> None:
    session, _ = await new_session(http)
    async with connect(f"{server.ws_url}/ws/{session['code']}") as ws:
        await ws.send(json.dumps({"type": "hello", "token": "nonsense"}))
        assert await close_code(ws) == 4401


async def test_no_hello_closes_with_4401(server: ServerProcess, http: httpx.AsyncClient) -> None:
    session, _ = await new_session(http)
    async with connect(f"{server.ws_url}/ws/{session['code']}") as ws:
        assert await close_code(ws) == 4401


async def test_an_unknown_session_closes_with_4404(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    session, _ = await new_session(http)
    for _ in range(5):  # the hello must always be sent before the close comes
        async with connect(f"{server.ws_url}/ws/ZZZZZZZZ") as ws:
            await ws.send(json.dumps({"type": "hello", "token": session["host_token"]}))
            assert await close_code(ws) == 4404
    async with connect(f"{server.ws_url}/ws/ZZZZZZZZ") as ws:  # no hello at all
        assert await close_code(ws) == 4404


async def test_removal_closes_with_4403(server: ServerProcess, http: httpx.AsyncClient) -> None:
    session, (anna,) = await new_session(http, 1)
    async with said_hello(server, session["code"], anna["token"]) as (ws, _state):
        response = await http.delete(
            f"/api/sessions/{session['code']}/participants/{anna['id']}",
            headers={"Authorization": f"Bearer {anna['token']}"},
        )
        assert response.status_code == 204
        assert await close_code(ws) == 4403


async def test_a_frame_over_64_kib_closes_with_1009(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    session, (anna,) = await new_session(http, 1)
    async with said_hello(server, session["code"], anna["token"]) as (ws, _state):
        await ws.send(json.dumps({"type": "ping", "client_ms": 1, "pad": "x" * 64 * 1024}))
        assert await close_code(ws) == 1009


async def test_a_foreign_origin_is_refused(server: ServerProcess, http: httpx.AsyncClient) -> None:
    session, _ = await new_session(http)
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            f"{server.ws_url}/ws/{session['code']}",
            origin="http://evil.example",  # type: ignore[arg-type]
        ):
            pass
    assert refused.value.response.status_code == 403
    async with said_hello(server, session["code"], session["host_token"]) as (_ws, state):
        assert state["me"]["host"] is True
    async with connect(
        f"{server.ws_url}/ws/{session['code']}",
        origin=server.base_url,  # type: ignore[arg-type]
    ) as ws:
        await ws.send(json.dumps({"type": "hello", "token": session["host_token"]}))
        assert (await recv_json(ws))["type"] == "state"
