"""Run Duo as a real uvicorn process on a free port, and read a process's memory and CPU time.

The one home of these helpers: the tests about processes and browsers use them, and so does
the benchmark (``bench/``), which imports this module. The dependency only ever points from
``bench/`` to here, never back, so the tests run without the benchmark; this module imports
nothing of ``app`` or of the tests (it starts ``python -m app`` as a process) and needs only
``httpx`` beside the standard library.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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


def wait_until_answers(
    process: subprocess.Popen[bytes], url: str, timeout: float, what: str = "Duo"
) -> None:
    """Poll ``url`` until it answers 200 while ``process`` runs. Raises RuntimeError if the
    process exits first or nothing answers within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start in time")


def rss_kib(pid: int) -> int:
    """Return the resident memory (VmRSS) of process ``pid`` in KiB. Raises RuntimeError if
    /proc does not report one."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system) process ``pid`` has used so far, in seconds, from
    ``/proc/<pid>/stat``."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # after "pid (comm)"
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


@dataclass
class ServerProcess:
    """One uvicorn process serving Duo."""

    database_url: str
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    on_stop: list[Callable[[], None]] = field(default_factory=list)  # after it stopped

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
        wait_until_answers(self.process, f"{self.base_url}/api/time", timeout)

    def kill(self) -> None:
        """Kill the process with SIGKILL, as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Stop the process with SIGTERM and wait for it; then what ``on_stop`` says."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()
        while self.on_stop:
            self.on_stop.pop()()


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
