"""The databases the benchmark serves Duo on: SQLite (a fresh file), PostgreSQL on this
machine (a fresh database), and PostgreSQL "across the network": the same behind
``delay_proxy.py`` in a process of its own, ``--delay-ms`` each way.

``DUO_BENCH_POSTGRES_URL`` names the server (default: the local one, user postgres).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.utils.server import migrate, sqlite_url

HERE = Path(__file__).resolve().parent
ADMIN_URL = os.environ.get(
    "DUO_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
KINDS = ("sqlite", "postgres", "postgres-2ms")


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proxy_process(
    upstream: tuple[str, int], delay_ms: float
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``delay_proxy.py`` in a process; return it and the port it listens on."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "delay_proxy.py"),
            "--listen",
            f"127.0.0.1:{port}",
            "--upstream",
            f"{upstream[0]}:{upstream[1]}",
            "--delay-ms",
            str(delay_ms),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the delay proxy did not start")


class BenchDatabase:
    """One database of a kind for one Duo server, migrated; ``close`` removes it."""

    def __init__(self, kind: str, directory: Path, delay_ms: float = 1.0) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown database {kind!r}: one of {', '.join(KINDS)}")
        self.kind = kind
        self.proxy: subprocess.Popen[bytes] | None = None
        self._name: str | None = None
        if kind == "sqlite":
            self.url = sqlite_url(directory)
            migrate(self.url)
            return
        import psycopg

        self._name = f"duo_bench_{secrets.token_hex(4)}"
        with psycopg.connect(_dsn(ADMIN_URL), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self._name}"')
        direct = make_url(ADMIN_URL).set(database=self._name)
        migrate(direct.render_as_string(hide_password=False))
        if kind == "postgres-2ms":
            self.proxy, port = proxy_process(
                (direct.host or "127.0.0.1", direct.port or 5432), delay_ms
            )
            direct = direct.set(host="127.0.0.1", port=port)
        self.url = direct.render_as_string(hide_password=False)

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.terminate()
            self.proxy.wait(10)
        if self._name is not None:
            import psycopg

            with psycopg.connect(_dsn(ADMIN_URL), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)')


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(_dsn(ADMIN_URL), connect_timeout=2):
            return True
    except Exception:
        return False


def round_trip_us(delay_ms: float | None, count: int = 2000) -> float:
    """Return the median time of a ``SELECT 1`` to PostgreSQL, in µs: direct (None) or
    through a delay proxy of ``delay_ms`` each way (0: what the proxy adds itself)."""
    import psycopg

    url = make_url(ADMIN_URL)
    proxy = None
    if delay_ms is not None:
        proxy, port = proxy_process((url.host or "127.0.0.1", url.port or 5432), delay_ms)
        url = url.set(host="127.0.0.1", port=port)
    try:
        with psycopg.connect(
            _dsn(url.render_as_string(hide_password=False)), autocommit=True
        ) as conn:
            times = []
            for _ in range(count):
                t0 = time.perf_counter_ns()
                conn.execute("SELECT 1").fetchone()
                times.append(time.perf_counter_ns() - t0)
        times.sort()
        return round(times[len(times) // 2] / 1000, 1)
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(10)
