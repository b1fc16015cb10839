"""A TCP proxy that puts a database "across the network": every chunk waits ``delay_ms``
each way before it is passed on, in order, and the round trips are counted on the wire.

    .venv/bin/python bench/delay_proxy.py --listen 127.0.0.1:6543 --upstream 127.0.0.1:5432 \
        --delay-ms 1          (PostgreSQL 2 ms away: 1 ms each way)

A round trip is counted each time the client sends after the server last spoke (or
first): what a query costs however many packets it takes. ``--report`` prints the count
when the proxy is stopped (SIGINT or SIGTERM). ``bench/fanout.py`` runs it in its own
process; ``tests/services/test_round_trips.py`` in a thread, at 0 ms, to count.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import threading
from collections import deque

CHUNK = 65536


class DelayProxy:
    """Forwards connections to ``upstream`` with ``delay_ms`` added each way."""

    def __init__(self, upstream: tuple[str, int], delay_ms: float = 0.0) -> None:
        self.upstream = upstream
        self.delay = delay_ms / 1000
        self.round_trips = 0
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen on ``host:port`` (0: any free port) and return the port."""
        self._server = await asyncio.start_server(self._serve, host, port)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.close()
            self._tasks.discard(task)
            return
        turn = {"server_spoke": True}  # the client's first bytes start a round trip
        try:
            await asyncio.gather(
                self._pipe(client_r, server_w, turn, from_client=True),
                self._pipe(server_r, client_w, turn, from_client=False),
            )
        except (OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # one side went away, or the proxy stops
        finally:
            for writer in (client_w, server_w):
                with contextlib.suppress(Exception):
                    writer.close()
            self._tasks.discard(task)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        turn: dict[str, bool],
        *,
        from_client: bool,
    ) -> None:
        loop = asyncio.get_running_loop()
        waiting: deque[tuple[float, bytes]] = deque()
        arrived = asyncio.Event()
        done = False

        async def deliver() -> None:
            while waiting or not done:
                if not waiting:
                    arrived.clear()
                    await arrived.wait()
                    continue
                due, data = waiting.popleft()
                if (wait := due - loop.time()) > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            writer.close()

        sender = asyncio.create_task(deliver())
        try:
            while data := await reader.read(CHUNK):
                if from_client and turn["server_spoke"]:
                    self.round_trips += 1
                turn["server_spoke"] = not from_client
                waiting.append((loop.time() + self.delay, data))
                arrived.set()
        finally:
            done = True
            arrived.set()
            await sender


class ProxyThread:
    """A DelayProxy on a loop of its own in a thread (for tests): ``with ProxyThread(...)
    as proxy: proxy.port``."""

    def __init__(self, upstream: tuple[str, int], delay_ms: float = 0.0) -> None:
        self.proxy = DelayProxy(upstream, delay_ms)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> ProxyThread:
        self._thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self.proxy.start(), self._loop).result(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.proxy.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def round_trips(self) -> int:
        return self.proxy.round_trips


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


async def _main(args: argparse.Namespace) -> None:
    proxy = DelayProxy(_address(args.upstream), args.delay_ms)
    host, port = _address(args.listen)
    await proxy.start(host, port)
    print(
        f"delay proxy on {host}:{port} -> {args.upstream}, {args.delay_ms} ms each way", flush=True
    )
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await proxy.stop()
    if args.report:
        print(f"round trips: {proxy.round_trips}, connections: {proxy.connections}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:6543")
    parser.add_argument("--upstream", default="127.0.0.1:5432")
    parser.add_argument("--delay-ms", type=float, default=1.0, help="added each way")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    try:
        import uvloop  # type: ignore[import-not-found]

        uvloop.run(_main(args))
    except ImportError:
        asyncio.run(_main(args))


if __name__ == "__main__":
    main()
