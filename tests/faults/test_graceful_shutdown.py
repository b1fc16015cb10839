"""Graceful shutdown: on SIGTERM every client is told to reconnect (close 1012), and once
the server is back each one reconnects to the same person, group and second."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.faults.support import Session, record
from tests.utils.server import ServerProcess, running_server


def test_sigterm_closes_with_1012_and_everyone_comes_back(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        asyncio.run(_restart(server))


async def _restart(server: ServerProcess) -> None:
    session = await Session.create(server, 5)
    for client in session.everyone:
        await client.connect(server)
    before = await session.start_mid_breakout(server)

    stopping = asyncio.create_task(asyncio.to_thread(server.stop))  # SIGTERM, then wait
    codes = await asyncio.gather(*[client.close_code() for client in session.everyone])
    await stopping
    assert codes == [1012] * len(session.everyone)

    began = time.monotonic()
    await asyncio.to_thread(server.start)
    for client in session.everyone:
        await client.connect(server)
    after = await session.views(lambda s: s["breakout"]["current_slot"] == 2)
    assert after == before
    record(
        "graceful shutdown",
        f"all {len(codes)} clients closed with 1012 on SIGTERM; back in their group at slot 2 "
        f"{time.monotonic() - began:.2f} s after the restart began",
    )
    for client in session.everyone:
        await client.close()
