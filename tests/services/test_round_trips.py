"""What each request costs the database, in round trips, so that a later change cannot
quietly add one (issue 17's budgets): a control of a small session at most 5, the snapshot
read that feeds its fan-out included; a join at most 4; a breakout start of 8 at most 8
(the pair history read once); the snapshot read after a start or a join at most 7.

Counted twice: on SQLite by a listener on the engine (every statement, BEGIN and COMMIT
included), and on PostgreSQL on the wire, through bench/delay_proxy.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.db import make_engine
from app.services.hub import MemoryHub
from tests.conftest import unlimited_settings
from tests.utils.app import make_test_app, services_of
from tests.utils.factories import (
    Json,
    connect_all,
    connected,
    control,
    create_session,
    drain,
    join,
    populate,
    receive_state,
    start_breakout,
)
from tests.utils.round_trips import RoundTrips
from tests.utils.services import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
CONTROL_BUDGET = 5  # the snapshot read for the fan-out included
JOIN_BUDGET = 4
START_BUDGET = 8  # a session of 8
SNAPSHOT_BUDGET = 7  # a full snapshot read, BEGIN and ROLLBACK included where sent


class Counter(Protocol):
    @contextmanager
    def counting(self) -> Iterator[Any]: ...

    @property
    def count(self) -> int: ...


def _load_proxy() -> Any:
    spec = importlib.util.spec_from_file_location("delay_proxy", ROOT / "bench" / "delay_proxy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["delay_proxy"] = module
    spec.loader.exec_module(module)
    return module


class WireCounter:
    """Counts round trips on the wire (the proxy between Duo and PostgreSQL)."""

    def __init__(self, proxy: Any) -> None:
        self.proxy = proxy
        self._start = 0
        self._end: int | None = None

    @contextmanager
    def counting(self) -> Iterator[WireCounter]:
        self._start, self._end = self.proxy.round_trips, None
        try:
            yield self
        finally:
            self._end = self.proxy.round_trips

    @property
    def count(self) -> int:
        end = self.proxy.round_trips if self._end is None else self._end
        return int(end - self._start)


@pytest.fixture(params=["sqlite", "postgresql"])
def counted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, Counter]]:
    """A client of Duo on a real database, and what counts its round trips."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'duo.db'}"
            engine = make_engine(url)
            counter: Counter = RoundTrips(engine)
        else:
            url = stack.enter_context(fresh_postgres_database())
            proxy = stack.enter_context(_load_proxy().ProxyThread(_upstream(url)))
            through = make_url(url).set(host="127.0.0.1", port=proxy.port)
            # One connection, never pinged: the count is the requests' alone. psycopg prepares
            # a statement on its fifth use, one round trip once per connection: not counted.
            engine = make_engine(
                through.render_as_string(hide_password=False),
                pool_size=1,
                max_overflow=0,
                ping_after_idle_seconds=1e9,
                connect_args={"prepare_threshold": None},
            )
            counter = WireCounter(proxy)
        SQLModel.metadata.create_all(engine)
        stack.callback(engine.dispose)
        app = make_test_app(unlimited_settings(url), ManualClock(), engine)
        client = stack.enter_context(TestClient(app))
        yield client, counter


def _upstream(url: str) -> tuple[str, int]:
    parsed = make_url(url)
    return parsed.host or "127.0.0.1", parsed.port or 5432


def _settle(sockets: list[Any]) -> None:
    for ws in sockets:
        drain(ws, 0.1)


def _counted(counter: Counter, action: Callable[[], object]) -> int:
    with counter.counting():
        action()
    return counter.count


@pytest.mark.services
def test_a_join_costs_at_most_four_round_trips(counted: tuple[TestClient, Counter]) -> None:
    client, counter = counted
    session = create_session(client)
    join(client, session["code"], "Warm")  # the pool's connection is made
    costs = [
        _counted(counter, lambda n=n: join(client, session["code"], f"P{n}")) for n in range(3)
    ]
    assert max(costs) <= JOIN_BUDGET, costs


@pytest.mark.services
def test_a_start_of_eight_costs_at_most_eight_round_trips(
    counted: tuple[TestClient, Counter],
) -> None:
    client, counter = counted
    session = create_session(client)
    people = populate(client, session, 8)
    hub = services_of(client).hub
    assert isinstance(hub, MemoryHub)
    for person in people:  # online without a socket: no fan-out, the start's own cost
        hub.presence.add(session["code"], person["id"])
    control(client, session, "end")  # the host's token remembered (a 409: nothing runs)
    for _round in range(2):  # the second start reads a pair history
        assert _counted(counter, lambda: start_breakout(client, session)) <= START_BUDGET
        control(client, session, "end")


@pytest.mark.services
def test_a_control_with_its_fan_out_costs_at_most_five_round_trips(
    counted: tuple[TestClient, Counter],
) -> None:
    client, counter = counted
    session = create_session(client)
    people = populate(client, session, 7)
    with ExitStack() as stack:
        sockets = connect_all(stack, client, session["code"], [p["token"] for p in people])
        sockets.append(
            stack.enter_context(connected(client, session["code"], session["host_token"]))[0]
        )
        start_breakout(client, session)
        _settle(sockets)
        for action, body in [
            ("pause", {}),
            ("resume", {}),
            ("extend", {"seconds": 30}),
            ("skip", {}),
            ("end", {}),
        ]:

            def act(action: str = action, body: Json = body) -> None:
                assert control(client, session, action, **body).status_code == 200
                for ws in sockets:  # every client has the state the control made
                    receive_state(ws, lambda s: s.get("breakout") is not None)
                _settle(sockets)

            assert _counted(counter, act) <= CONTROL_BUDGET, action


@pytest.mark.services
def test_a_snapshot_read_costs_at_most_seven_round_trips(
    counted: tuple[TestClient, Counter],
) -> None:
    client, counter = counted
    session = create_session(client)
    people = populate(client, session, 3)
    with connected(client, session["code"], people[0]["token"]) as (ws, _state):
        _settle([ws])

        def joined() -> None:
            join(client, session["code"], "Later")
            receive_state(ws, lambda s: s["participant_count"] == 4)

        assert _counted(counter, joined) <= JOIN_BUDGET + SNAPSHOT_BUDGET
