"""Run Duo as a real uvicorn process on a free port, for tests about processes and browsers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# How long starting or stopping a process may take before it counts as stuck: liveness
# guards, far above the second or two either takes on a busy machine.
START_SECONDS = 60.0
STOP_SECONDS = 30.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sqlite_url(directory: Path) -> str:
    """Return a SQLite URL for a fresh database file in ``directory``."""
    return f"sqlite:///{directory / 'duo.db'}"


def migrate(database_url: str) -> None:
    """Bring the database at ``database_url`` to the newest schema with Alembic."""
    env = {**os.environ, "DUO_DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@dataclass
class ServerProcess:
    """One uvicorn process serving Duo."""

    database_url: str
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_SECONDS) -> None:
        """Start the process and wait until it answers. Raises RuntimeError if it does not."""
        env = {**os.environ, "DUO_DATABASE_URL": self.database_url, **self.extra_env}
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "--no-migrate",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Duo exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base_url}/api/time", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("Duo did not start in time")

    def kill(self) -> None:
        """Kill the process with SIGKILL, as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Stop the process with SIGTERM and wait for it."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running_server(directory: Path, **extra_env: str) -> Iterator[ServerProcess]:
    """Migrate a fresh SQLite database in ``directory`` and serve Duo on it while in the block."""
    url = sqlite_url(directory)
    migrate(url)
    server = ServerProcess(url, extra_env=extra_env, log_path=directory / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
