"""The host stays in control of who joins (issue 20.4): one address gets a share of a
session's joins, a burst of joins from one address is shown to the host, who can remove
many at once and lock the session; the lifetime cap does not count the host's clean-up."""

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.clock import ManualClock
from app.core.config import Settings
from app.domain.joins import BURST_LEAST
from tests.conftest import unlimited_settings
from tests.utils.app import make_test_app
from tests.utils.factories import (
    Json,
    connected,
    create_session,
    expect_close,
    host_headers,
    receive_until,
)

OFFICE = {"X-Test-Address": "198.51.100.7"}
HOME = {"X-Test-Address": "203.0.113.20"}


def from_test_address(app: ASGIApp) -> ASGIApp:
    """Let a request say which address it comes from (``X-Test-Address``), as a proxy would."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope["headers"])
            if b"x-test-address" in headers:
                scope = {**scope, "client": (headers[b"x-test-address"].decode(), 50000)}
        await app(scope, receive, send)

    return wrapped


@pytest.fixture
def capped(clock: ManualClock, engine: Engine) -> Iterator[TestClient]:
    settings: Settings = unlimited_settings()
    settings.max_joins_per_address = BURST_LEAST + 2
    settings.max_joins_per_session = BURST_LEAST + 4
    app = make_test_app(settings, clock, engine)
    with TestClient(from_test_address(app)) as client:
        yield client


def join_from(client: TestClient, code: str, name: str, address: dict[str, str]) -> Any:
    return client.post(f"/api/sessions/{code}/participants", json={"name": name}, headers=address)


def test_one_address_gets_a_share_of_the_joins_and_a_colleague_still_gets_in(
    capped: TestClient,
) -> None:
    code = create_session(capped)["code"]
    share = BURST_LEAST + 2
    answers = [join_from(capped, code, f"Bot {i}", OFFICE) for i in range(share + 1)]
    assert [a.status_code for a in answers] == [201] * share + [409]
    assert answers[-1].json()["detail"] == (
        f"This session has taken {share} joins from this address, the most it takes from "
        "one address."
    )
    assert join_from(capped, code, "Anna", HOME).status_code == 201


def test_a_burst_is_shown_to_the_host_who_removes_it_and_gets_the_joins_back(
    capped: TestClient, clock: ManualClock
) -> None:
    session = create_session(capped)
    code, host = session["code"], host_headers(session)
    anna = join_from(capped, code, "Anna", HOME).json()
    clock.advance(30_000)
    bots = []
    for i in range(BURST_LEAST + 2):
        bots.append(join_from(capped, code, f"Bot {i}", OFFICE).json())
        clock.advance(400)
    with ExitStack() as stack:
        host_ws, state = stack.enter_context(connected(capped, code, session["host_token"]))
        assert state["session"]["locked"] is False
        [burst] = state["join_bursts"]
        assert burst == {
            "count": len(bots),
            "seconds": 5,  # 11 gaps of 400 ms: 4.4 s, rounded up
            "participant_ids": [b["id"] for b in bots],
        }
        bot_ws, _ = stack.enter_context(connected(capped, code, bots[0]["token"]))
        removed = capped.post(
            f"/api/sessions/{code}/removals",
            json={"ids": [b["id"] for b in bots] + [anna["id"] + "x"]},
            headers=host,
        )
        assert removed.status_code == 200, removed.text
        assert sorted(removed.json()["removed"]) == sorted(b["id"] for b in bots)
        assert expect_close(bot_ws) == 4403
        after = receive_until(host_ws, lambda s: s.get("participant_count") == 1)
        assert after["join_bursts"] == []
        assert [p["name"] for p in after["participants"]] == ["Anna"]
    # 1 + 12 joins, 12 removed by the host: 1 counted of the lifetime's 14.
    for i in range(BURST_LEAST + 3):
        elsewhere = {"X-Test-Address": f"203.0.113.{30 + i}"}
        assert join_from(capped, code, f"Colleague {i}", elsewhere).status_code == 201
    full = join_from(capped, code, "One too many", HOME)
    assert full.status_code == 409
    assert "joined" in full.json()["detail"]


def test_the_host_locks_and_unlocks_the_session(capped: TestClient) -> None:
    session = create_session(capped)
    code, host = session["code"], host_headers(session)
    anna = join_from(capped, code, "Anna", HOME).json()
    path = f"/api/sessions/{code}/lock"
    assert capped.post(path, json={"locked": True}).status_code == 401
    assert (
        capped.post(
            path, json={"locked": True}, headers={"Authorization": f"Bearer {anna['token']}"}
        ).status_code
        == 403
    )
    assert capped.post(path, json={"locked": "yes"}, headers=host).status_code == 422
    locked = capped.post(path, json={"locked": True}, headers=host)
    assert locked.status_code == 200 and locked.json() == {"locked": True}
    refused = join_from(capped, code, "Bram", HOME)
    assert refused.status_code == 423
    assert refused.json()["detail"] == "The host has locked this session: nobody new can join."
    with connected(capped, code, anna["token"]) as (_ws, state):  # who is in stays in
        assert state["session"]["locked"] is True
    unlocked = capped.post(path, json={"locked": False}, headers=host)
    assert unlocked.json() == {"locked": False}
    assert join_from(capped, code, "Bram", HOME).status_code == 201


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": []}, {"ids": ["p"] * 501}, {"ids": "p_1"}, {"ids": [1]}, {"ids": ["p" * 25]}],
)
def test_removing_many_refuses_a_bad_list(capped: TestClient, body: Json) -> None:
    session = create_session(capped)
    answer = capped.post(
        f"/api/sessions/{session['code']}/removals",
        json=body,
        headers=host_headers(session),
    )
    assert answer.status_code == 422


def test_only_the_host_removes_many(capped: TestClient) -> None:
    session = create_session(capped)
    code = session["code"]
    anna = join_from(capped, code, "Anna", HOME).json()
    path = f"/api/sessions/{code}/removals"
    assert capped.post(path, json={"ids": [anna["id"]]}).status_code == 401
    mine = {"Authorization": f"Bearer {anna['token']}"}
    assert capped.post(path, json={"ids": [anna["id"]]}, headers=mine).status_code == 403
