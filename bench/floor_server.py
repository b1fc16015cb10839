"""The floor: a bare ``websockets`` server that does the least a Duo-like fan-out can do.

Run by ``bench/fanout.py`` as a subprocess of the same Python::

    python bench/floor_server.py --port P --template state.json [--no-deflate]

A client connects, sends ``{"type": "hello", "token": "<id>|<name>"}`` and at once gets a
small personal ``state`` (breakout null). ``GET /trigger`` answers 200 and then sends every
connection a personal ``state`` built from the template (a real Duo participant state, so
the byte size is the same): the shared part is encoded once, each connection's ``me`` is
encoded for it, and the pieces are joined. ``GET /health`` answers 200.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
from http import HTTPStatus
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

MARK = "@@ME@@"
BREAKOUT_MARK = "@@B@@"


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Floor:
    def __init__(self, template_path: Path) -> None:
        state = json.loads(template_path.read_text())
        self.me_fields = dict(state["me"])  # every field Duo's ``me`` has, same lengths
        state["me"] = MARK
        state["breakout"]["id"] = BREAKOUT_MARK
        self.template = dumps(state)
        self.triggers = 0
        state["breakout"] = None
        before, after = dumps(state).split(f'"{MARK}"')
        self.initial = (before, after)
        self.clients: dict[ServerConnection, tuple[str, str]] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    def me(self, ident: tuple[str, str]) -> str:
        return dumps({**self.me_fields, "id": ident[0], "name": ident[1]})

    async def handler(self, ws: ServerConnection) -> None:
        try:
            hello = json.loads(await ws.recv())
            pid, _, name = str(hello["token"]).partition("|")
        except (ConnectionClosed, ValueError, KeyError, TypeError):
            return
        ident = (pid, name)
        self.clients[ws] = ident
        try:
            await ws.send(self.initial[0] + self.me(ident) + self.initial[1])
            await ws.wait_closed()
        except ConnectionClosed:
            pass
        finally:
            self.clients.pop(ws, None)

    async def fanout(self) -> None:
        self.triggers += 1  # a fresh breakout id (as long as Duo's) tells the clients apart
        text = self.template.replace(BREAKOUT_MARK, f"b_{self.triggers:012d}")
        prefix, suffix = text.split(f'"{MARK}"')
        for ws, ident in list(self.clients.items()):
            try:  # noqa: SIM105 - cheaper than contextlib.suppress in the hot loop
                await ws.send(prefix + self.me(ident) + suffix)
            except ConnectionClosed:
                pass

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.startswith("/trigger"):
            task = asyncio.get_running_loop().create_task(self.fanout())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            return connection.respond(HTTPStatus.OK, f"{len(self.clients)}\n")
        if request.path.startswith("/health"):
            return connection.respond(HTTPStatus.OK, "ok\n")
        return None


async def main(port: int, template: Path, deflate: bool) -> None:
    floor = Floor(template)
    async with serve(
        floor.handler,
        "127.0.0.1",
        port,
        process_request=floor.process_request,
        compression="deflate" if deflate else None,
        max_size=64 * 1024,
        ping_interval=None,
        backlog=4096,
    ) as server:
        gc.collect()
        gc.freeze()
        await server.serve_forever()


def run() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--no-deflate", action="store_true")
    args = parser.parse_args()
    coro = main(args.port, args.template, not args.no_deflate)
    try:
        import uvloop  # the loop uvicorn[standard] gives Duo

        uvloop.run(coro)
    except ImportError:
        asyncio.run(coro)


if __name__ == "__main__":
    run()
