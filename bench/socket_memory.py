"""What one WebSocket client costs Duo's server, found with tracemalloc.

    python bench/socket_memory.py [--clients 500] [--breakout]

Starts Duo as ``python -m app`` serves it (on a fresh SQLite file) with the probe in
``bench/memory`` on its PYTHONPATH, joins ``--clients`` participants over HTTP, takes the
baseline, connects them all (hello, first state), optionally starts a breakout, and prints
the bytes allocated since per client, by the place that allocated them, beside the RSS
growth per client. tracemalloc sees Python's allocations only (not the kernel's socket
buffers, nor what uvloop keeps in C), so its total is below the RSS figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fanout_scenarios import UNLIMITED  # noqa: E402
from tests.utils.server import ServerProcess, migrate, rss_kib, sqlite_url  # noqa: E402


async def connect_all(url: str, tokens: list[str]) -> list[object]:
    """Open a socket per token, say hello and wait for each one's first state."""
    gate = asyncio.Semaphore(100)

    async def one(token: str) -> object:
        async with gate:
            ws = await connect(
                url, compression=None, ping_interval=None, max_size=None, open_timeout=120
            )
            await ws.send(json.dumps({"type": "hello", "token": token}))
            await ws.recv()
            return ws

    return await asyncio.gather(*(one(t) for t in tokens))


async def drain(sockets: list[object], seconds: float) -> None:
    """Read what the server sends for ``seconds`` (states after a change)."""

    async def read(ws: object) -> None:
        try:
            while True:
                await ws.recv()  # type: ignore[attr-defined]
        except Exception:
            return

    tasks = [asyncio.create_task(read(ws)) for ws in sockets]
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()


def signal_and_wait(server: ServerProcess, signum: int, path: Path | None = None) -> None:
    assert server.process is not None
    if path is not None and path.exists():
        path.unlink()
    server.process.send_signal(signum)
    time.sleep(0.2)
    # The handler runs on the server's loop: once it answers again, the snapshot is taken.
    httpx.get(f"{server.base_url}/api/time", timeout=600).raise_for_status()
    if path is not None and not path.exists():
        raise RuntimeError("the server wrote no memory report")


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="duo-memory-"))
    url = sqlite_url(workdir)
    migrate(url)
    report = workdir / "memory.json"
    env = {
        "PYTHONPATH": str(ROOT / "bench" / "memory"),
        "DUO_BENCH_MEMORY": str(report),
        **UNLIMITED,
    }
    server = ServerProcess(url, extra_env=env, log_path=workdir / "server.log")
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            made = (await http.post("/api/sessions", json={"title": "Geheugen"})).json()
            code, host = made["code"], made["host_token"]
            tokens = []
            for i in range(args.clients):
                answer = await http.post(
                    f"/api/sessions/{code}/participants", json={"name": f"P{i}"}
                )
                answer.raise_for_status()
                tokens.append(answer.json()["token"])
            assert server.process is not None
            signal_and_wait(server, signal.SIGUSR2)
            rss0 = rss_kib(server.process.pid)
            sockets = await connect_all(f"{server.ws_url}/ws/{code}", [host, *tokens])
            await drain(sockets, 2)
            if args.breakout:
                auth = {"Authorization": f"Bearer {host}"}
                (
                    await http.post(f"/api/sessions/{code}/breakouts", headers=auth)
                ).raise_for_status()
                await drain(sockets, 2)
            rss1 = rss_kib(server.process.pid)
            signal_and_wait(server, signal.SIGUSR1, report)
            found = json.loads(report.read_text())
            n = len(sockets)
            print(
                f"{n} clients: RSS +{(rss1 - rss0) / n:.1f} KiB per client (tracemalloc slows"
                f" and inflates it); Python allocations +{found['total'] / n / 1024:.1f} KiB"
            )
            for place, size in found["by_place"][: args.top]:
                print(f"  {size / n:8.0f} B  {place}")
            for ws in sockets:
                await ws.close()  # type: ignore[attr-defined]
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--breakout", action="store_true", help="start a breakout first")
    parser.add_argument("--top", type=int, default=30)
    asyncio.run(main(parser.parse_args()))
