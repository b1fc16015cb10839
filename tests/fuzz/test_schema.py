"""Schemathesis against Duo's own OpenAPI schema, in-process: every operation, positive and
negative data. No answer is a 5xx, and every answer (status, content type, headers, body)
matches what the schema declares.

Two runs over every operation: as a stranger (random codes, ids and tokens, as generated),
and inside a live session (the generated code, participant id and Authorization replaced by
a real session's, a participant's or the host's, the clock moving on between calls), so that
bodies reach the rules behind the 404 as well.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

import app.models  # noqa: F401
from app.core.clock import ManualClock
from app.core.config import Settings
from app.services.errors import NotFound
from app.services.hub import MemoryHub
from tests.utils.app import make_test_app, services_of

# Per operation and run (22 operations x 2 runs x 40: about 20 s); more digs deeper.
EXAMPLES = int(os.environ.get("DUO_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

ENGINE = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
SQLModel.metadata.create_all(ENGINE)
CLOCK = ManualClock()
APP = make_test_app(
    Settings(
        database_url="sqlite://",
        fold_ms=1,
        sessions_per_minute=0,
        joins_per_minute=0,
        misses_per_minute=0,
        _env_file=None,
    ),
    CLOCK,
    ENGINE,
)
schema = schemathesis.openapi.from_dict(APP.openapi())

STATUSES: dict[str, Counter[int]] = {"stranger": Counter(), "live": Counter()}


@pytest.fixture(scope="module")
def duo() -> Iterator[TestClient]:
    with TestClient(APP) as client:
        yield client
    for run, seen in STATUSES.items():
        print(f"\nschemathesis {run}: {sum(seen.values())} calls, statuses {sorted(seen.items())}")


class Live:
    """A real session with participants online, its host's token and theirs."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.turn = itertools.count()
        self.begin()

    def begin(self) -> None:
        """Start a new session (the first, or after the fuzzer closed or erased one)."""
        created = self.client.post("/api/sessions", json={"title": "Fuzz", "phase_seconds": 10})
        self.code = created.json()["code"]
        self.host = created.json()["host_token"]
        self.people: list[dict[str, str]] = []

    def top_up(self) -> None:
        """Keep at least three participants who have not left, all online, in an open session."""
        hub = services_of(self.client).hub
        assert isinstance(hub, MemoryHub)
        snapshots = services_of(self.client).snapshots
        try:
            snapshot = snapshots.read_now(self.code, frozenset())
        except NotFound:  # erased
            snapshot = None
        if snapshot is None or snapshot.closed_at_ms is not None:
            self.begin()
            snapshot = snapshots.read_now(self.code, frozenset())
        active = {m for m, member in snapshot.members.items() if member.active}
        self.people = [p for p in self.people if p["id"] in active]
        while len(self.people) < 3:
            joined = self.client.post(
                f"/api/sessions/{self.code}/participants", json={"name": f"P{len(active)}"}
            ).json()
            self.people.append(joined)
            active.add(joined["id"])
            hub.presence.add(self.code, joined["id"])

    def aim(self, case: Any) -> None:
        """Point ``case`` at the live session, as the host, a participant or nobody."""
        self.top_up()
        turn = next(self.turn)
        person = self.people[turn % len(self.people)]
        if "code" in case.path_parameters:
            case.path_parameters["code"] = self.code
        if "participant_id" in case.path_parameters and turn % 4:
            case.path_parameters["participant_id"] = person["id"]
        token = [self.host, self.host, person["token"], None][turn % 4]
        if token is not None:
            case.headers = {**(case.headers or {}), "authorization": f"Bearer {token}"}
        CLOCK.advance(3_000)  # breakouts (8 x 10 s) run out now and then, breaks too


@pytest.fixture(scope="module")
def live(duo: TestClient) -> Live:
    return Live(duo)


def send(client: TestClient, case: Any) -> Any:
    """Send ``case`` through the test client; return the response."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs.pop("cookies", None)  # Duo uses none
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    return client.request(**kwargs)


@schema.parametrize()
@SETTINGS
def test_every_operation_as_a_stranger(case: Any, duo: TestClient) -> None:
    response = send(duo, case)
    STATUSES["stranger"][response.status_code] += 1
    case.validate_response(response)


@schema.parametrize()
@SETTINGS
def test_every_operation_in_a_live_session(case: Any, duo: TestClient, live: Live) -> None:
    live.aim(case)
    response = send(duo, case)
    STATUSES["live"][response.status_code] += 1
    case.validate_response(response)
