"""A request's head is bounded, on a real ``python -m app`` (issue 20): headers past 16 KiB
answer 431 before the rest is read, on plain HTTP and WebSocket upgrades alike; a header
line sent on and on is cut off at the bound instead of being gathered whole."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.utils.server import ServerProcess, running_server

TIMEOUT = 10.0  # a liveness bound: every answer here comes in milliseconds


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(tmp_path_factory.mktemp("heads")) as running:
        yield running


def exchange(server: ServerProcess, head: bytes) -> bytes:
    """Send ``head`` (and nothing more) and return all the server answers until it closes
    or stays quiet."""
    with socket.create_connection(("127.0.0.1", server.port), TIMEOUT) as conn:
        conn.sendall(head)
        return read_answer(conn)


def read_answer(conn: socket.socket) -> bytes:
    answer = b""
    conn.settimeout(TIMEOUT)
    while b"\r\n\r\n" not in answer or (b"431" in answer[:20] and not answer.endswith(b"}")):
        chunk = conn.recv(65536)
        if not chunk:
            break
        answer += chunk
    return answer


def request(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
    return "\r\n".join(lines).encode()


def test_headers_up_to_the_bound_are_served(server: ServerProcess) -> None:
    answer = exchange(server, request("/api/time", "Cookie: " + "c" * 10_000))
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_headers_past_the_bound_answer_431(server: ServerProcess) -> None:
    for headers in (["Cookie: " + "c" * 20_000], [f"X-{i}: {'v' * 200}" for i in range(100)]):
        answer = exchange(server, request("/api/time", *headers))
        assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
        assert b"Request headers too large" in answer


def test_a_websocket_upgrade_with_huge_headers_answers_431(server: ServerProcess) -> None:
    upgrade = request(
        "/ws/ABCDEFGH",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        *[f"X-Padding-{i}: {'p' * 700}" for i in range(30)],  # each line short, 21 KiB in all
    )
    assert exchange(server, upgrade).startswith(b"HTTP/1.1 431")


def test_a_header_sent_on_and_on_is_cut_off_at_the_bound(server: ServerProcess) -> None:
    """1 MiB of one header line, in 4 KiB pieces: the server answers 431 and closes once it
    has read past the bound, long before the line would end."""
    sent = 0
    with socket.create_connection(("127.0.0.1", server.port), TIMEOUT) as conn:
        conn.sendall(b"GET /api/time HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ")
        try:
            while sent < 1024 * 1024:
                conn.sendall(b"a" * 4096)
                sent += 4096
                conn.settimeout(0.001)
                try:
                    if conn.recv(1, socket.MSG_PEEK):
                        break
                except (TimeoutError, BlockingIOError):
                    pass
                conn.settimeout(TIMEOUT)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed on us: what we want
        answer = read_answer(conn)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert sent < 256 * 1024, sent


def test_half_sent_requests_and_upgrades_are_closed(tmp_path: Path) -> None:
    """50 requests and 50 WebSocket upgrades sent half (their heads never end) are closed
    by the server once DUO_HEAD_TIMEOUT_SECONDS has passed; a whole request is still served."""
    with running_server(tmp_path, DUO_HEAD_TIMEOUT_SECONDS="1") as server:
        halves = [
            b"GET /api/time HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n",
            b"GET /ws/ABCDEFGH HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n",
        ]
        conns = []
        for i in range(100):
            conn = socket.create_connection(("127.0.0.1", server.port), TIMEOUT)
            conn.sendall(halves[i % 2])
            conns.append(conn)
        try:
            for conn in conns:  # each read ends when the server closes (TIMEOUT: a liveness bound)
                conn.settimeout(TIMEOUT)
                assert conn.recv(1024) == b""
            assert exchange(server, request("/api/time")).startswith(b"HTTP/1.1 200")
        finally:
            for conn in conns:
                conn.close()


def test_connections_count_against_their_address_from_the_first_byte(tmp_path: Path) -> None:
    """300 half-sent WebSocket upgrades from one address: only as many as the address's cap
    are held (the rest answer 429 or are reset, at once, before anything is read), and a
    colleague on another address is served meanwhile. Before, all 300 were held."""
    cap = 20
    env = {"DUO_MAX_SOCKETS_PER_IP": str(cap), "DUO_UNLIMITED_ADDRESSES": ""}
    with running_server(tmp_path, **env) as server:
        half = b"GET /ws/ABCDEFGH HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        conns = []
        try:
            for _ in range(300):
                conn = socket.create_connection(("127.0.0.1", server.port), TIMEOUT)
                conn.sendall(half)
                conns.append(conn)
            # Served after every one of the 300 was taken in (the server accepts in order).
            colleague = socket.create_connection(
                ("127.0.0.1", server.port), TIMEOUT, source_address=("127.0.0.2", 0)
            )
            with colleague:
                colleague.sendall(request("/api/time"))
                assert read_answer(colleague).startswith(b"HTTP/1.1 200")
            answers = [first_answer(conn) for conn in conns]
        finally:
            for conn in conns:
                conn.close()
    assert answers.count(None) == cap  # held: the address's cap
    refused = [answer for answer in answers if answer is not None]
    assert all(answer.startswith(b"HTTP/1.1 429") or answer == b"" for answer in refused)
    assert any(b"Too many connections from this address." in answer for answer in refused)


def first_answer(conn: socket.socket) -> bytes | None:
    """Return what the server sent before closing (b"" if it reset the connection), or None
    while it holds the connection open."""
    conn.settimeout(0.2)
    try:
        answer = conn.recv(65536)
    except TimeoutError:
        return None
    except ConnectionResetError:
        return b""
    return answer
