"""The scheduled end of a breakout is acted on once, not once per process."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from app.models import DuoSession
from tests.utils.app import make_test_app
from tests.utils.factories import connected, create_session, host_headers, join, receive_state
from tests.utils.server import migrate
from tests.utils.services import fresh_postgres_database, redis_url

pytestmark = pytest.mark.services


@pytest.fixture
def two_processes() -> Iterator[tuple[list[TestClient], ManualClock, str]]:
    """Yield two apps sharing one PostgreSQL database, one Redis and one moved clock."""
    redis = redis_url()
    clock = ManualClock()
    with fresh_postgres_database() as database, ExitStack() as stack:
        migrate(database)
        settings = Settings(
            database_url=database,
            redis_url=redis,
            fold_ms=1,
            sessions_per_minute=0,
            joins_per_minute=0,
            misses_per_minute=0,
            _env_file=None,
        )
        clients = [
            stack.enter_context(TestClient(make_test_app(settings, clock))) for _ in range(2)
        ]
        yield clients, clock, database


def test_the_last_deadline_is_acted_on_once(
    two_processes: tuple[list[TestClient], ManualClock, str],
) -> None:
    (first, second), clock, database = two_processes
    session = create_session(first, phase_seconds=10)
    code = session["code"]
    with ExitStack() as stack:
        for client, name in ((first, "Anna"), (second, "Bram")):
            person = join(client, code, name)
            stack.enter_context(connected(client, code, person["token"]))
        opened = [
            stack.enter_context(connected(c, code, session["host_token"])) for c in (first, second)
        ]
        hosts = [host for host, _state in opened]
        for host, state in opened:
            if sum(p["online"] for p in state["participants"]) < 2:
                receive_state(host, lambda s: sum(p["online"] for p in s["participants"]) == 2)
        answer = second.post(f"/api/sessions/{code}/breakouts", headers=host_headers(session))
        assert answer.status_code == 201
        for host in hosts:
            receive_state(host, lambda s: s["breakout"] is not None)

        engine = make_engine(database)
        with Session(engine) as db:
            before = db.exec(select(DuoSession.version).where(DuoSession.code == code)).one()
        clock.advance(80_000)  # 8 slots of 10 s: both processes' wake-ups are due
        for host in hosts:
            state = receive_state(host, lambda s: s["breakout"]["status"] == "finished")
            assert state["breakout"]["current_slot"] == 8
        with Session(engine) as db:
            after = db.exec(select(DuoSession.version).where(DuoSession.code == code)).one()
        engine.dispose()
        assert after == before + 1
