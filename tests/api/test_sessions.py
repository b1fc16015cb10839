"""``POST /api/sessions`` and ``GET /api/sessions/{code}``: creation, codes, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.core.security import CODE_ALPHABET
from tests.utils.factories import create_session, db_dump, join

UNAMBIGUOUS = set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")


def test_create_with_defaults(client: TestClient) -> None:
    response = client.post("/api/sessions", json={})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "host_token", "join_url", "host_url"}
    code, token = body["code"], body["host_token"]
    assert body["join_url"] == f"http://testserver/s/{code}"
    assert body["host_url"] == f"http://testserver/host/{code}#{token}"
    info = client.get(f"/api/sessions/{code}")
    assert info.status_code == 200
    assert info.json() == {
        "code": code,
        "title": "",
        "language": "nl",
        "phase_seconds": 60,
        "participant_count": 0,
        "closed": False,  # an addition (docs/meeting.md)
    }


def test_create_without_a_body_uses_the_defaults(client: TestClient) -> None:
    response = client.post("/api/sessions")
    assert response.status_code == 201
    info = client.get(f"/api/sessions/{response.json()['code']}").json()
    assert (info["title"], info["language"], info["phase_seconds"]) == ("", "nl", 60)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": "Intervisie team B", "language": "en", "phase_seconds": 90}, None),
        ({"title": "x" * 100}, None),
        ({"phase_seconds": 10}, None),
        ({"phase_seconds": 600}, None),
        ({"language": "nl"}, None),
        ({"title": "Café ☕ 日本"}, None),
        ({"title": "  padded  "}, {"title": "padded"}),
    ],
)
def test_create_keeps_what_was_asked(
    client: TestClient, fields: dict[str, Any], expected: dict[str, Any] | None
) -> None:
    session = create_session(client, **fields)
    info = client.get(f"/api/sessions/{session['code']}").json()
    for key, value in (expected or fields).items():
        assert info[key] == value


def test_codes_are_short_unambiguous_and_distinct(client: TestClient) -> None:
    codes = {create_session(client)["code"] for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert 6 <= len(code) <= 10
        assert set(code) <= UNAMBIGUOUS
    assert set(CODE_ALPHABET) == UNAMBIGUOUS


def test_tokens_are_long_secrets(client: TestClient) -> None:
    tokens = {create_session(client)["host_token"] for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 32 for t in tokens)


def test_participant_count_counts_everyone_who_joined(client: TestClient) -> None:
    session = create_session(client)
    for name in ("Anna", "Bram", "Cees"):
        join(client, session["code"], name)
    assert client.get(f"/api/sessions/{session['code']}").json()["participant_count"] == 3


def test_lower_case_code_works(client: TestClient) -> None:
    session = create_session(client, title="Lower")
    response = client.get(f"/api/sessions/{session['code'].lower()}")
    assert response.status_code == 200
    assert response.json()["code"] == session["code"]
    assert response.json()["title"] == "Lower"


@pytest.mark.parametrize(
    "code",
    [
        "ZZZZZZZZ",  # well formed, never made
        "23456789",
        "O0O0O0O0",  # ambiguous characters
        "IIIIIIII",
        "11111111",
        "LLLLLLLL",
        "ABC",  # too short
        "A" * 11,  # too long
        "A" * 2000,
        "ab cd ef",
        "Ærøskøbing",
        "%00%00%00%00",
        "..%2F..%2Fetc",
    ],
)
def test_unknown_code_is_404(client: TestClient, code: str) -> None:
    create_session(client)
    response = client.get(f"/api/sessions/{code}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("lookalike", ["O", "0", "I", "1", "L", "l", "o"])
def test_an_ambiguous_letter_never_finds_a_session(client: TestClient, lookalike: str) -> None:
    session = create_session(client)
    code = lookalike + session["code"][1:]
    assert client.get(f"/api/sessions/{code}").status_code == 404
    assert client.post(f"/api/sessions/{code}/participants", json={"name": "A"}).status_code == 404


BAD_SESSION_BODIES: list[Any] = [
    {"title": "x" * 101},
    {"title": "a\x00b"},
    {"title": "two\nlines"},
    {"title": "tab\there"},
    {"title": "\x1b[31mred"},
    {"title": "del\x7f"},
    {"title": "next line\x85"},
    {"title": 5},
    {"title": True},
    {"title": None},
    {"title": ["a"]},
    {"title": {"a": 1}},
    {"language": "de"},
    {"language": "NL"},
    {"language": ""},
    {"language": "english"},
    {"language": 1},
    {"language": None},
    {"language": ["nl"]},
    {"phase_seconds": 9},
    {"phase_seconds": 601},
    {"phase_seconds": 0},
    {"phase_seconds": -60},
    {"phase_seconds": 10**30},
    {"phase_seconds": "60"},
    {"phase_seconds": 60.5},
    {"phase_seconds": True},
    {"phase_seconds": None},
    {"phase_seconds": [60]},
    [],
    ["title"],
    "a title",
    42,
]


@pytest.mark.parametrize("body", BAD_SESSION_BODIES, ids=repr)
def test_bad_session_body_is_422_and_creates_nothing(
    client: TestClient, engine: Engine, body: Any
) -> None:
    create_session(client, title="existing")
    before = db_dump(engine)
    response = client.post("/api/sessions", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"not json", "application/json"),
        (b'{"title": "x"', "application/json"),
        (b'{"title": "\\ud800"}', "application/json"),  # a lone surrogate
        (b'{"title": "x"}', "text/plain"),
        (b"title=x", "application/x-www-form-urlencoded"),
    ],
)
def test_non_json_session_body_is_a_client_error(
    client: TestClient, engine: Engine, content: bytes, content_type: str
) -> None:
    """Malformed JSON: 422; a body not declared JSON: 415 (not read at all)."""
    before = db_dump(engine)
    response = client.post("/api/sessions", content=content, headers={"Content-Type": content_type})
    wanted = 422 if content_type == "application/json" else 415
    assert response.status_code == wanted, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


def test_undecodable_session_body_is_a_client_error(client: TestClient, engine: Engine) -> None:
    before = db_dump(engine)
    response = client.post(
        "/api/sessions", content=b"\xff\xfe\x00", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


def test_a_json_body_without_a_content_type_is_refused(client: TestClient) -> None:
    """Issue 11: a browser sends a Blob without a Content-Type cross-site, unasked."""
    response = client.post("/api/sessions", content=b'{"title": "Script", "language": "en"}')
    assert response.status_code == 415, response.text
    response = client.post(
        "/api/sessions",
        content=b'{"title": "Script", "language": "en"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201, response.text


def test_a_qr_code_is_made_once_per_link(client: TestClient) -> None:
    from app.api.routes import qr_svg

    session = create_session(client)
    url = f"/api/sessions/{session['code']}/qr.svg"
    first = client.get(url)
    misses = qr_svg.cache_info().misses
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["content-type"] == "image/svg+xml"
    assert qr_svg.cache_info().misses == misses  # served from the cache, not made again
