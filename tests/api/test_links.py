"""Links and QR codes come from the configured public URL or an allowed Host, never from a
Host anyone can make up (issue 20): an unknown Host answers 400, however long, and makes
no QR code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.api.routes import qr_svg
from app.core.clock import ManualClock
from app.core.config import Settings
from tests.conftest import unlimited_settings
from tests.utils.app import make_test_app
from tests.utils.factories import create_session, db_dump


def test_links_are_made_for_an_allowed_host_only(client: TestClient, engine: Engine) -> None:
    session = create_session(client)
    assert session["join_url"] == f"http://testserver/s/{session['code']}"
    before, made = db_dump(engine), qr_svg.cache_info().currsize
    for host in ("evil.example", "a" * 1_500 + ".example", "x" * 3_000, "testserver.evil"):
        created = client.post("/api/sessions", json={}, headers={"Host": host})
        assert created.status_code == 400, host[:40]
        assert "DUO_PUBLIC_URL" in created.json()["detail"]
        qr = client.get(f"/api/sessions/{session['code']}/qr.svg", headers={"Host": host})
        assert qr.status_code == 400
    assert db_dump(engine) == before  # no session made for an unknown host
    assert qr_svg.cache_info().currsize == made  # and no QR code
    served = client.get(
        f"/api/sessions/{session['code']}/qr.svg", headers={"Host": "localhost:8000"}
    )
    assert served.status_code == 200


@pytest.fixture
def public(clock: ManualClock, engine: Engine) -> Iterator[TestClient]:
    settings: Settings = unlimited_settings()
    settings.public_url = "https://duo.example.org/"
    with TestClient(make_test_app(settings, clock, engine)) as client:
        yield client


def test_a_public_url_makes_every_link_whatever_the_host(public: TestClient) -> None:
    for host in ("testserver", "evil.example"):
        created = public.post("/api/sessions", json={}, headers={"Host": host}).json()
        code = created["code"]
        assert created["join_url"] == f"https://duo.example.org/s/{code}"
        assert created["host_url"].startswith(f"https://duo.example.org/host/{code}#")
    qr = public.get(f"/api/sessions/{code}/qr.svg", headers={"Host": "evil.example"})
    assert qr.status_code == 200
