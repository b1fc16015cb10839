"""Nothing is lost when the server dies: SIGKILL mid-breakout, restart, everyone resumes."""

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from tests.utils.app import make_test_app, services_of
from tests.utils.server import ServerProcess, migrate, sqlite_url

NAMES = ["Anna", "Bram", "Cas", "Dewi", "Eva"]


async def hello(ws_url: str, code: str, token: str) -> tuple[Any, dict[str, Any]]:
    socket = await websockets.connect(f"{ws_url}/ws/{code}")
    await socket.send(json.dumps({"type": "hello", "token": token}))
    return socket, json.loads(await socket.recv())


async def newest_state(socket: Any, predicate: Any, timeout: float = 5.0) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await socket.recv())
            if message["type"] == "state" and predicate(message):
                return message


def view(state: dict[str, Any]) -> dict[str, Any]:
    """Return what a participant must get back after a restart."""
    breakout = state["breakout"]
    group = breakout["my_group"]
    return {
        "me": state["me"],
        "members": [(m["id"], m["name"]) for m in group["members"]],
        "phases": group["phases"],
        "slots": breakout["slots"],
        "current_slot": breakout["current_slot"],
        "status": breakout["status"],
    }


def test_sigkill_mid_breakout_loses_nothing(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    migrate(url)
    server = ServerProcess(url, log_path=tmp_path / "server.log")
    server.start()
    try:
        asyncio.run(_kill_and_resume(server))
    finally:
        server.stop()


async def _kill_and_resume(server: ServerProcess) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        session = (await http.post("/api/sessions", json={"title": "Team B"})).json()
        code, host = session["code"], {"Authorization": f"Bearer {session['host_token']}"}
        people = [
            (await http.post(f"/api/sessions/{code}/participants", json={"name": n})).json()
            for n in NAMES
        ]
        sockets = [(await hello(server.ws_url, code, p["token"]))[0] for p in people]
        assert (await http.post(f"/api/sessions/{code}/breakouts", headers=host)).status_code == 201
        for _ in range(2):
            await http.post(f"/api/sessions/{code}/breakouts/current/skip", headers=host)
        before = [
            await newest_state(s, lambda m: m["breakout"] and m["breakout"]["current_slot"] == 2)
            for s in sockets
        ]

    server.kill()
    for socket in sockets:
        with pytest.raises(websockets.ConnectionClosed):
            async with asyncio.timeout(5):
                while True:
                    await socket.recv()
    server.start()

    for person, old in zip(people, before, strict=True):
        socket, state = await hello(server.ws_url, code, person["token"])
        await socket.close()
        assert view(state) == view(old)
        breakout = state["breakout"]
        slot = breakout["slots"][breakout["current_slot"]]
        # The countdown agrees with the original deadlines, read at the new server_ms.
        assert breakout["remaining_ms"] == slot["ends_at_ms"] - state["server_ms"]


def test_deadline_is_rearmed_after_restart(tmp_path: Path) -> None:
    """A breakout that runs out while the server is down finishes when it comes back."""
    url = sqlite_url(tmp_path)
    migrate(url)
    engine = make_engine(url)
    clock = ManualClock()
    settings = Settings(database_url=url, fold_ms=1, _env_file=None)
    assert SQLModel.metadata.tables  # the schema came from the migration, not create_all
    with TestClient(make_test_app(settings, clock, engine)) as client:
        session = client.post("/api/sessions", json={"phase_seconds": 10}).json()
        code, host = session["code"], {"Authorization": f"Bearer {session['host_token']}"}
        tokens = [
            client.post(f"/api/sessions/{code}/participants", json={"name": n}).json()["token"]
            for n in NAMES[:2]
        ]
        sockets = [client.websocket_connect(f"/ws/{code}") for _ in tokens]
        for socket, token in zip(sockets, tokens, strict=True):
            socket.__enter__()
            socket.send_json({"type": "hello", "token": token})
            socket.receive_json()
        assert client.post(f"/api/sessions/{code}/breakouts", headers=host).status_code == 201
        for socket in sockets:
            socket.__exit__(None, None, None)

    clock.advance(81_000)  # the whole breakout (8 slots of 10 s) ran out while down
    with TestClient(make_test_app(settings, clock, engine)) as client:
        with client.websocket_connect(f"/ws/{code}") as socket:
            socket.send_json({"type": "hello", "token": session["host_token"]})
            state = socket.receive_json()
            assert state["breakout"]["status"] == "finished"
        stored = client.portal.call(services_of(client).breakouts.running_deadlines)  # type: ignore[union-attr]
        assert stored == []
    engine.dispose()
