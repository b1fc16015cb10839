"""nginx with the documented configuration in front of two Duo processes (PostgreSQL +
Redis): a meeting runs through it, Duo counts the client's own address, and what a client
forges (``Host``, ``X-Forwarded-For``) changes nothing.

The configuration is docs/nginx/duo.conf, the file docs/deploy.md shows, as it stands: only
the listen line (a free port on 127.0.0.1, no TLS), the upstream's ports and the ``ssl_``
lines are changed. nginx runs unprivileged from a prefix of the test's own, never on port 80.
Clients connect from addresses of their own in 127.0.0.0/8 (bound as source addresses), so
Duo can tell them from nginx (127.0.0.1, which ``python -m app`` trusts for the forwarded
address, and which the per-address limits do not count). The addresses are drawn anew each
run: the rate limits live in the shared test Redis for a minute.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.faults.support import LIVENESS_SECONDS, processes, record, require_binary
from tests.utils.server import ROOT, ServerProcess, free_port, wait_until_answers
from tests.utils.services import fresh_postgres_database, redis_url

pytestmark = pytest.mark.services
Json = dict[str, Any]

CONF = ROOT / "docs" / "nginx" / "duo.conf"
DEPLOY = ROOT / "docs" / "deploy.md"
MISSES_PER_MINUTE = 5  # the per-address limit the test reaches (unknown codes)
PEOPLE = 6
UPSTREAM_LINE = re.compile(r"\s*server 127\.0\.0\.1:\d+;")
# What nginx logs of each request: who it came from, where it went, what it forwarded.
LOG_FORMAT = '$remote_addr $remote_port "$request" $status $upstream_addr "$http_x_forwarded_for"'


# ---- the configuration ---------------------------------------------------------------------


def documented_block() -> str:
    """Return the nginx block docs/deploy.md shows."""
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "docs/deploy.md shows one nginx configuration"
    return str(blocks[0])


def adapt(conf: str, listen: str, upstreams: list[int]) -> str:
    """Return ``conf`` with its listen line on ``listen`` (no TLS), its upstream servers on
    ``upstreams`` and without its ``ssl_`` lines; everything else as it stands."""
    lines: list[str] = []
    listens = servers = 0
    for line in conf.splitlines():
        stripped = line.strip()
        if UPSTREAM_LINE.fullmatch(line):
            servers += 1
            if servers == 1:
                lines += [f"    server 127.0.0.1:{port};" for port in upstreams]
        elif stripped.startswith("listen "):
            listens += 1
            lines.append(f"    listen {listen};")
        elif not stripped.startswith("ssl_"):
            lines.append(line)
    assert listens == 1 and servers >= 2, "the documented config changed shape: adapt the test"
    return "\n".join(lines) + "\n"


def test_the_deploy_guide_shows_the_tested_file() -> None:
    assert documented_block() == CONF.read_text(encoding="utf-8")


# ---- nginx ---------------------------------------------------------------------------------


def nginx_binary() -> str:
    """Return nginx's path (Debian puts it in /usr/sbin); skip without it (fail in CI)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    return found or require_binary("nginx")


class Nginx:
    """nginx from a prefix of its own, in the foreground, with the documented server block."""

    def __init__(self, binary: str, prefix: Path, port: int, upstreams: list[int]) -> None:
        self.binary = binary
        self.prefix = prefix
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "tmp" / name).mkdir(parents=True)
        (prefix / "duo.conf").write_text(
            adapt(CONF.read_text(encoding="utf-8"), f"127.0.0.1:{port}", upstreams)
        )
        temp = "\n".join(
            f"    {name}_temp_path {prefix}/tmp/{name.split('_')[0]};"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (prefix / "nginx.conf").write_text(
            "worker_processes 1;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"    log_format upstreams '{LOG_FORMAT}';\n"
            f"    access_log {prefix}/access.log upstreams;\n"
            f"{temp}\n"
            f"    include {prefix}/duo.conf;\n"
            "}\n"
        )

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def start(self) -> None:
        globals_ = f"daemon off; pid {self.prefix}/nginx.pid; error_log {self.prefix}/error.log;"
        error_log = self.prefix / "error.log"
        command = [self.binary, "-p", f"{self.prefix}/", "-e", str(error_log)]
        command += ["-c", str(self.prefix / "nginx.conf"), "-g", globals_]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{self.port}/api/time"
        wait_until_answers(self.process, url, LIVENESS_SECONDS, "nginx")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(LIVENESS_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def log_lines(self, count: int, pattern: str) -> list[list[str]]:
        """Wait until the access log holds ``count`` requests matching ``pattern`` (nginx logs
        a WebSocket when it closes); return their fields."""
        deadline = time.monotonic() + LIVENESS_SECONDS
        while True:
            text = self.access_log.read_text() if self.access_log.exists() else ""
            lines = [line.split() for line in text.splitlines() if re.search(pattern, line)]
            if len(lines) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.02)


@dataclass
class Stack:
    nginx: Nginx
    servers: list[ServerProcess]

    @property
    def url(self) -> str:
        """The public URL: nginx, as clients reach it (``DUO_PUBLIC_URL``)."""
        return f"http://127.0.0.1:{self.nginx.port}"

    def http(self, address: str, **headers: str) -> httpx.AsyncClient:
        """A client on this page's origin, connecting from ``address``."""
        return httpx.AsyncClient(
            base_url=self.url,
            transport=httpx.AsyncHTTPTransport(local_address=address),
            headers={"origin": self.url, **headers},
            trust_env=False,
            timeout=LIVENESS_SECONDS,
        )

    async def socket(self, code: str, token: str, address: str) -> Socket:
        """Open a WebSocket as the page does (its own origin), from ``address``; say hello."""
        connection = await websockets.connect(
            f"ws://127.0.0.1:{self.nginx.port}/ws/{code}",
            origin=websockets.Origin(self.url),
            local_addr=(address, 0),
            proxy=None,
            open_timeout=LIVENESS_SECONDS,
        )
        await connection.send(json.dumps({"type": "hello", "token": token}))
        async with asyncio.timeout(LIVENESS_SECONDS):
            first = json.loads(await connection.recv())
        assert first["type"] == "state", first
        return Socket(connection, first)


@dataclass
class Socket:
    connection: websockets.ClientConnection
    state: Json

    @property
    def port(self) -> int:
        return int(self.connection.local_address[1])

    async def until(self, predicate: Any) -> Json:
        async with asyncio.timeout(LIVENESS_SECONDS):
            while not predicate(self.state):
                message = json.loads(await self.connection.recv())
                assert message["type"] != "error", message
                if message["type"] == "state":
                    self.state = message
        return self.state


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    binary = nginx_binary()
    redis = redis_url()
    directory = tmp_path_factory.mktemp("nginx")
    port = free_port()
    with ExitStack() as cleanup:
        database = cleanup.enter_context(fresh_postgres_database())
        servers = cleanup.enter_context(
            processes(
                directory,
                database,
                2,
                DUO_REDIS_URL=redis,
                DUO_PUBLIC_URL=f"http://127.0.0.1:{port}",
                DUO_MISSES_PER_MINUTE=str(MISSES_PER_MINUTE),
            )
        )
        nginx = Nginx(binary, directory / "nginx", port, [s.port for s in servers])
        cleanup.callback(nginx.stop)
        nginx.start()
        yield Stack(nginx, servers)


def addresses(count: int) -> list[str]:
    """``count`` distinct loopback addresses, none of them 127.0.0.1, new each run."""
    chosen: set[str] = set()
    rng = random.SystemRandom()
    while len(chosen) < count:
        chosen.add(f"127.{rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
    return sorted(chosen)


def unknown_code() -> str:
    return "".join(random.choices("23456789ABCDEFGHJKMNPQRSTUVWXYZ", k=8))


# ---- the tests -----------------------------------------------------------------------------


def test_a_meeting_runs_through_nginx(stack: Stack) -> None:
    asyncio.run(_meeting(stack))


async def _meeting(stack: Stack) -> None:
    started = time.monotonic()
    host_address, *people_addresses = addresses(PEOPLE + 1)
    async with stack.http(host_address) as http:
        created = await http.post("/api/sessions", json={"title": "Achter nginx"})
        assert created.status_code == 201, created.text
        session = created.json()
        code, host_token = session["code"], session["host_token"]
        assert session["join_url"] == f"{stack.url}/s/{code}"
    people = []
    for address in people_addresses:
        async with stack.http(address) as http:
            joined = await http.post(f"/api/sessions/{code}/participants", json={"name": address})
            assert joined.status_code == 201, joined.text
            people.append(joined.json())

    host = await stack.socket(code, host_token, host_address)
    sockets = [
        await stack.socket(code, person["token"], address)
        for person, address in zip(people, people_addresses, strict=True)
    ]
    ids = {person["id"] for person in people}
    await host.until(lambda s: {p["id"] for p in s["participants"] if p["online"]} == ids)

    async with stack.http(host_address, authorization=f"Bearer {host_token}") as http:
        start = await http.post(f"/api/sessions/{code}/breakouts")
        assert start.status_code == 201, start.text
    groups = [set(group) for group in start.json()["groups"]]
    for socket, person in zip(sockets, people, strict=True):
        state = await socket.until(lambda s: s["breakout"] is not None)
        members = {m["id"] for m in state["breakout"]["my_group"]["members"]}
        assert person["id"] in members and members in groups
    elapsed = time.monotonic() - started
    for socket in [host, *sockets]:
        await socket.connection.close()

    # Where nginx sent each socket and the start: the sockets went to both processes, so the
    # start reached those on the other one through Redis.
    upgrades = stack.nginx.log_lines(PEOPLE + 1, rf'"GET /ws/{code} HTTP/1.1" 101 ')
    upstream_of = {(line[0], int(line[1])): line[-2] for line in upgrades}
    assert len(upstream_of) == PEOPLE + 1
    assert {address for address, _ in upstream_of} == {host_address, *people_addresses}
    assert set(upstream_of.values()) == {f"127.0.0.1:{s.port}" for s in stack.servers}
    [start_line] = stack.nginx.log_lines(1, rf'"POST /api/sessions/{code}/breakouts ')
    elsewhere = [
        s
        for s, a in zip(sockets, people_addresses, strict=True)
        if upstream_of[(a, s.port)] != start_line[-2]
    ]
    assert elsewhere, "some participants' sockets were on the process the start did not reach"
    record(
        "nginx meeting",
        f"{PEOPLE} participants and the host through nginx on 2 processes; "
        f"{len(elsewhere)} of {PEOPLE} got the start through Redis; {elapsed:.2f} s",
    )


def test_duo_counts_the_clients_own_address_whatever_it_forwards(stack: Stack) -> None:
    asyncio.run(_addresses(stack))


async def _misses(
    stack: Stack, address: str, count: int, forwarded: str | None = None
) -> list[int]:
    """Ask for ``count`` unknown codes from ``address`` (saying it forwards for ``forwarded``);
    return the answers' statuses."""
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    async with stack.http(address, **headers) as http:
        return [
            (await http.get(f"/api/sessions/{unknown_code()}")).status_code for _ in range(count)
        ]


async def _socket_misses(
    stack: Stack, address: str, count: int, forwarded: str | None = None
) -> list[int | None]:
    """Open ``count`` WebSockets to unknown codes from ``address`` (saying it forwards for
    ``forwarded``), each saying hello; return the close codes the server sent."""
    codes: list[int | None] = []
    for _ in range(count):
        async with websockets.connect(
            f"ws://127.0.0.1:{stack.nginx.port}/ws/{unknown_code()}",
            origin=websockets.Origin(stack.url),
            additional_headers={"x-forwarded-for": forwarded} if forwarded else None,
            local_addr=(address, 0),
            proxy=None,
            open_timeout=LIVENESS_SECONDS,
        ) as socket:
            await socket.send(json.dumps({"type": "hello", "token": "none"}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                async with asyncio.timeout(LIVENESS_SECONDS):
                    await socket.recv()
            codes.append(closed.value.rcvd.code if closed.value.rcvd else None)
    return codes


async def _addresses(stack: Stack) -> None:
    guesser, colleague, bystander, passer_by = addresses(4)
    over = MISSES_PER_MINUTE + 1
    # The guesser's misses, each claiming to come from a colleague, count on the guesser...
    forged = await _misses(stack, guesser, MISSES_PER_MINUTE, forwarded=colleague)
    assert forged == [404] * MISSES_PER_MINUTE
    assert await _misses(stack, guesser, 1) == [429]
    # ...who escapes the limit neither as the colleague nor as the machine itself (which the
    # limits do not count), over HTTP or WebSocket (1008: policy)...
    for claimed in (colleague, "127.0.0.1", f"127.0.0.1, {colleague}"):
        assert await _misses(stack, guesser, 1, forwarded=claimed) == [429], claimed
        assert await _socket_misses(stack, guesser, 1, forwarded=claimed) == [1008], claimed
    # ...and the colleague's own budget is whole.
    assert await _misses(stack, colleague, MISSES_PER_MINUTE) == [404] * MISSES_PER_MINUTE
    assert await _misses(stack, colleague, 1) == [429]

    # A client on nginx's own machine (not counted) that names someone else puts nothing on
    # their address, over HTTP or WebSocket (4404: no such session).
    assert await _misses(stack, "127.0.0.1", over, forwarded=bystander) == [404] * over
    assert await _misses(stack, bystander, 1) == [404]
    assert await _socket_misses(stack, "127.0.0.1", over, forwarded=passer_by) == [4404] * over
    assert await _misses(stack, passer_by, 1) == [404]


def test_a_forged_host_changes_no_link(stack: Stack) -> None:
    asyncio.run(_forged_host(stack))


async def _forged_host(stack: Stack) -> None:
    [address] = addresses(1)
    async with stack.http(address) as http:
        created = await http.post("/api/sessions", json={"title": "Echt"})
        assert created.status_code == 201, created.text
        code = created.json()["code"]
        qr = await http.get(f"/api/sessions/{code}/qr.svg")
        assert qr.status_code == 200
    # Not from a browser (a browser's Host is the page's): no Origin, a made-up Host.
    for host in ("evil.example.org", "evil.example.org:8443", "x" * 200):
        async with httpx.AsyncClient(
            base_url=stack.url,
            transport=httpx.AsyncHTTPTransport(local_address=address),
            headers={"host": host, "x-forwarded-host": host},
            trust_env=False,
        ) as forged:
            other = await forged.post("/api/sessions", json={"title": "Vals"})
            assert other.status_code == 201, other.text
            links = other.json()
            assert links["join_url"] == f"{stack.url}/s/{links['code']}"
            assert links["host_url"].startswith(f"{stack.url}/host/{links['code']}#")
            same = await forged.get(f"/api/sessions/{code}/qr.svg")
            assert same.status_code == 200 and same.content == qr.content, host

    # Another site's page cannot post or open a socket, through nginx as without it.
    async with stack.http(address, origin="http://evil.example.org") as http:
        refused = await http.post("/api/sessions", json={"title": "Van elders"})
        assert refused.status_code == 403, refused.text
    with pytest.raises(websockets.InvalidStatus) as handshake:
        await websockets.connect(
            f"ws://127.0.0.1:{stack.nginx.port}/ws/{code}",
            origin=websockets.Origin("http://evil.example.org"),
            local_addr=(address, 0),
            proxy=None,
        )
    assert handshake.value.response.status_code == 403
