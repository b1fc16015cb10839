"""A frozen client that never reads: a raw socket with a tiny receive buffer completes the
WebSocket handshake and the hello and then reads nothing. The server keeps sending to
everyone else on time while a flood of changes piles up for it, its memory stays bounded,
and the frozen one is dropped after the send timeout (shown offline, its socket closed); it
comes back whole when it reconnects."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
import time
from pathlib import Path

from tests.faults.support import LIVENESS_SECONDS, Client, Session, online, record
from tests.utils.server import ServerProcess, rss_kib, running_server

OTHERS = 41  # participants who read, besides the frozen one: a check-in order of 42 names
# A client that takes nothing for this long is dropped. A server that waited for the frozen
# client would hold every other client at least this long; the others' worst latency must
# stay below it (measured with two CPU hogs and other suites beside it: 0.3-2.2 s, so the
# deployed default of 10 s leaves room).
SEND_TIMEOUT_SECONDS = 10.0
# The flood goes on until the frozen participant is dropped (about 20-50 s);
# a liveness guard, far above that.
FLOOD_LIVENESS_SECONDS = 4 * LIVENESS_SECONDS


def masked_text_frame(text: str) -> bytes:
    """Return one client-to-server WebSocket text frame (masked, as RFC 6455 requires)."""
    data, mask = text.encode(), os.urandom(4)
    size = len(data)
    if size < 126:
        head = struct.pack("!BB", 0x81, 0x80 | size)
    elif size < 1 << 16:
        head = struct.pack("!BBH", 0x81, 0x80 | 126, size)
    else:
        head = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def frozen_client(server: ServerProcess, code: str, token: str) -> socket.socket:
    """Open a socket with a tiny receive buffer, upgrade it, say hello, and never read again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /ws/{code} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(1)
    assert answer.startswith(b"HTTP/1.1 101"), answer
    sock.sendall(masked_text_frame(json.dumps({"type": "hello", "token": token})))
    return sock


async def closed_by_server(sock: socket.socket, timeout: float = LIVENESS_SECONDS) -> bool:
    """Read what the server had sent; return whether it then closed the connection."""
    sock.setblocking(False)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if not sock.recv(1 << 16):
                return True
        except BlockingIOError:
            await asyncio.sleep(0.01)
        except ConnectionResetError:
            return True
    return False


def test_a_frozen_client_is_dropped_and_harms_nobody(tmp_path: Path) -> None:
    with running_server(
        tmp_path, DUO_SEND_TIMEOUT_SECONDS=str(SEND_TIMEOUT_SECONDS), DUO_FOLD_MS="1"
    ) as server:
        asyncio.run(_frozen(server))


async def _frozen(server: ServerProcess) -> None:
    assert server.process is not None
    session = await Session.create(server, OTHERS + 1, title="T" * 100, agreements="A" * 1000)
    frozen_person, probe = session.participants[0], session.participants[1]
    frozen_id = session.people[0]["id"]
    frozen_host = frozen_client(server, session.code, session.host_token)
    frozen = frozen_client(server, session.code, frozen_person.token)
    readers = [session.host, *session.participants[1:]]
    for client in readers:
        await client.connect(server)
    ids = {p["id"] for p in session.people}
    await session.host.until(lambda s: online(s) == ids)
    started = await session.post(server, "/rounds", json={"kind": "checkin", "question": "Q" * 200})
    assert started.status_code == 201, started.text
    rss_before = rss_kib(server.process.pid)

    posted: dict[str, float] = {}
    latencies: dict[str, list[float]] = {"host": [], "participant": []}
    seen: dict[str, set[str]] = {"host": set(), "participant": set()}
    stop = asyncio.Event()

    async def watch(client: Client, kind: str) -> None:
        """Note when each message first shows up in this client's newest state (a state
        holds the 5 newest messages, so one that came and went between two folded states
        may be missed)."""
        seen_here = seen[kind]
        while not stop.is_set():
            try:
                state = await client.until(
                    lambda s: (
                        bool(s["meeting"]["messages"])
                        and s["meeting"]["messages"][-1]["text"][:6] not in seen_here
                    ),
                    timeout=0.2,
                )
            except TimeoutError:
                continue
            arrived = time.monotonic()
            for message in state["meeting"]["messages"]:
                key = message["text"][:6]
                if key not in seen_here and key in posted:
                    seen_here.add(key)
                    latencies[kind].append(arrived - posted[key])

    async def drain(client: Client) -> None:
        assert client.socket is not None
        while not stop.is_set():
            try:
                async with asyncio.timeout(0.2):
                    await client.socket.recv()
            except TimeoutError:
                continue

    watchers = [
        asyncio.create_task(watch(session.host, "host")),
        asyncio.create_task(watch(probe, "participant")),
        *[asyncio.create_task(drain(c)) for c in session.participants[2:]],
    ]
    began = time.monotonic()
    count = 0
    dropped_at = None
    while dropped_at is None and time.monotonic() - began < FLOOD_LIVENESS_SECONDS:
        key = f"{count:06d}"
        posted[key] = time.monotonic()
        answer = await session.post(server, "/messages", json={"text": key + "m" * 274})
        assert answer.status_code == 201, answer.text
        count += 1
        if frozen_id not in online(session.host.state):
            dropped_at = time.monotonic() - began
    # The watchers go on until each has the last message posted (not for a fixed while).
    last = f"{count - 1:06d}"
    async with asyncio.timeout(LIVENESS_SECONDS):
        while not all(last in keys for keys in seen.values()):
            await asyncio.sleep(0.01)
    stop.set()
    await asyncio.gather(*watchers)
    growth_mib = (rss_kib(server.process.pid) - rss_before) / 1024

    assert dropped_at is not None, "the frozen participant was never dropped"
    assert await closed_by_server(frozen) and await closed_by_server(frozen_host)
    for kind, values in latencies.items():
        assert len(values) >= count * 0.9, (kind, len(values), count)
        assert max(values) < SEND_TIMEOUT_SECONDS, (kind, sorted(values)[-5:])
    assert growth_mib < 32, growth_mib
    # Back whole: the frozen participant reconnects and is where everyone else is.
    again = Client(session.code, frozen_person.token, "again")
    state = await again.connect(server)
    assert state["meeting"]["round"]["kind"] == "checkin"
    assert state["meeting"]["messages"] == probe.state["meeting"]["messages"]
    assert (state["me"]["id"], state["me"]["name"]) == (frozen_id, frozen_person.name)
    record(
        "frozen client",
        f"{count} changes in {time.monotonic() - began:.1f} s; frozen participant dropped "
        f"(offline) after {dropped_at:.1f} s, both frozen sockets closed by the server; "
        f"{len(readers)} others: worst latency host {max(latencies['host']) * 1000:.0f} ms, "
        f"participant {max(latencies['participant']) * 1000:.0f} ms; RSS growth "
        f"{growth_mib:.1f} MiB",
    )
    for client in [*readers, again]:
        await client.close()
