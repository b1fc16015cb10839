"""Joining (``POST …/participants``) and leaving or removal (``DELETE …/participants/{id}``)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.utils.factories import (
    bearer,
    connected,
    create_session,
    db_dump,
    expect_close,
    host_headers,
    join,
    receive_state,
)


def count(client: TestClient, code: str) -> int:
    return int(client.get(f"/api/sessions/{code}").json()["participant_count"])


def test_join_answers_an_id_and_a_token(client: TestClient) -> None:
    session = create_session(client)
    response = client.post(f"/api/sessions/{session['code']}/participants", json={"name": "Anna"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "token"}
    assert isinstance(body["id"], str) and body["id"]
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    assert count(client, session["code"]) == 1


def test_every_participant_gets_their_own_id_and_token(client: TestClient) -> None:
    session = create_session(client)
    joined = [join(client, session["code"], "Same name") for _ in range(5)]
    assert len({j["id"] for j in joined}) == 5
    assert len({j["token"] for j in joined}) == 5
    assert count(client, session["code"]) == 5


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Anna", "Anna"),
        ("  Anna  ", "Anna"),
        ("A", "A"),
        ("x" * 40, "x" * 40),
        ("  " + "y" * 40 + "   ", "y" * 40),
        ("Zoë van der Berg-Ünal", "Zoë van der Berg-Ünal"),
        ("李小龍", "李小龍"),
        ("Anna 🙂", "Anna 🙂"),
    ],
)
def test_the_name_is_trimmed_and_kept(client: TestClient, raw: str, stored: str) -> None:
    session = create_session(client)
    joined = join(client, session["code"], raw)
    with connected(client, session["code"], joined["token"]) as (_ws, state):
        assert state["me"].items() >= {"id": joined["id"], "name": stored, "host": False}.items()


def test_lower_case_code_joins(client: TestClient) -> None:
    session = create_session(client)
    response = client.post(
        f"/api/sessions/{session['code'].lower()}/participants", json={"name": "Anna"}
    )
    assert response.status_code == 201
    assert count(client, session["code"]) == 1


BAD_NAMES: list[Any] = [
    "",
    " ",
    "     ",
    "\u3000",  # ideographic space only
    "x" * 41,
    "  " + "x" * 41 + "  ",
    "x" * 10_000,
    "\x00",
    "An\x00na",
    "An\nna",
    "Anna\n",  # a control character, even where trimming would remove it
    "\tAnna",
    "\x1b[31mAnna",
    "Anna\x7f",
    "Anna\x85",
    5,
    0,
    True,
    None,
    ["Anna"],
    {"first": "Anna"},
    12.5,
]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_bad_name_is_422_and_changes_nothing(client: TestClient, engine: Engine, name: Any) -> None:
    session = create_session(client)
    join(client, session["code"], "Existing")
    before = db_dump(engine)
    response = client.post(f"/api/sessions/{session['code']}/participants", json={"name": name})
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before
    assert count(client, session["code"]) == 1


@pytest.mark.parametrize(
    "body",
    [None, {}, {"nom": "Anna"}, [], ["Anna"], "Anna", 1],
    ids=repr,
)
def test_missing_or_misshapen_body_is_422(client: TestClient, engine: Engine, body: Any) -> None:
    session = create_session(client)
    before = db_dump(engine)
    response = client.post(f"/api/sessions/{session['code']}/participants", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize(
    "content",
    [b"", b"Anna", b'{"name": "Anna"', b'{"name": "\\ud800"}', b'{"name": "An\\u0000na"}'],
)
def test_non_json_body_is_422(client: TestClient, engine: Engine, content: bytes) -> None:
    session = create_session(client)
    before = db_dump(engine)
    response = client.post(
        f"/api/sessions/{session['code']}/participants",
        content=content,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert db_dump(engine) == before


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "O0I1LO0I", "A" * 500, "abc"])
def test_join_unknown_session_is_404(client: TestClient, engine: Engine, code: str) -> None:
    create_session(client)
    before = db_dump(engine)
    response = client.post(f"/api/sessions/{code}/participants", json={"name": "Anna"})
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)
    assert db_dump(engine) == before


def test_a_bad_name_for_an_unknown_session_is_never_a_500(client: TestClient) -> None:
    response = client.post("/api/sessions/ZZZZZZZZ/participants", json={"name": ""})
    assert response.status_code in (404, 422)
    assert response.json()["detail"]


# ---- leaving and removal ------------------------------------------------------------------


def delete(client: TestClient, code: str, pid: str, headers: dict[str, str] | None = None) -> Any:
    return client.delete(f"/api/sessions/{code}/participants/{pid}", headers=headers or {})


def test_a_participant_leaves_with_their_own_token(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    join(client, session["code"], "Bram")
    response = delete(client, session["code"], anna["id"], bearer(anna["token"]))
    assert response.status_code == 204
    assert response.content == b""
    assert count(client, session["code"]) == 1


def test_the_host_removes_a_participant(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    response = delete(client, session["code"], anna["id"], host_headers(session))
    assert response.status_code == 204
    assert count(client, session["code"]) == 0


def test_leaving_with_a_lower_case_code(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    response = delete(client, session["code"].lower(), anna["id"], bearer(anna["token"]))
    assert response.status_code == 204


def test_delete_without_a_token_is_401(client: TestClient, engine: Engine) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    before = db_dump(engine)
    for headers in (
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer  "},
    ):
        response = delete(client, session["code"], anna["id"], headers)
        assert response.status_code == 401, headers
        assert response.json()["detail"]
    assert db_dump(engine) == before


def test_delete_with_a_wrong_token_is_403(client: TestClient, engine: Engine) -> None:
    session = create_session(client)
    other_session = create_session(client)
    anna = join(client, session["code"], "Anna")
    bram = join(client, session["code"], "Bram")
    stranger = join(client, other_session["code"], "Cees")
    before = db_dump(engine)
    for token in ("nonsense", bram["token"], stranger["token"], other_session["host_token"]):
        response = delete(client, session["code"], anna["id"], bearer(token))
        assert response.status_code == 403, token
        assert response.json()["detail"]
    assert db_dump(engine) == before


def test_delete_unknown_participant_is_404(client: TestClient, engine: Engine) -> None:
    session = create_session(client)
    other_session = create_session(client)
    elsewhere = join(client, other_session["code"], "Cees")
    before = db_dump(engine)
    for pid in ("p_nobody", elsewhere["id"], "x" * 500, "p_%00x", "p_%C3%A9", "p_'--"):
        response = delete(client, session["code"], pid, host_headers(session))
        assert response.status_code == 404, pid
        assert response.json()["detail"]
    assert db_dump(engine) == before


def test_delete_in_unknown_session_is_404(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    response = delete(client, "ZZZZZZZZ", anna["id"], host_headers(session))
    assert response.status_code == 404


def test_the_token_stops_working_after_leaving(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    assert delete(client, session["code"], anna["id"], bearer(anna["token"])).status_code == 204
    again = delete(client, session["code"], anna["id"], bearer(anna["token"]))
    assert again.status_code == 403
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        ws.send_json({"type": "hello", "token": anna["token"]})
        assert expect_close(ws) == 4401
    # The host sees nobody to remove any more.
    assert delete(client, session["code"], anna["id"], host_headers(session)).status_code == 404


def test_the_token_stops_working_after_removal(client: TestClient) -> None:
    session = create_session(client)
    anna = join(client, session["code"], "Anna")
    assert delete(client, session["code"], anna["id"], host_headers(session)).status_code == 204
    assert delete(client, session["code"], anna["id"], bearer(anna["token"])).status_code == 403
    with client.websocket_connect(f"/ws/{session['code']}") as ws:
        ws.send_json({"type": "hello", "token": anna["token"]})
        assert expect_close(ws) == 4401


def test_join_and_leave_reach_every_client(client: TestClient) -> None:
    session = create_session(client)
    code = session["code"]
    anna = join(client, code, "Anna")
    with (
        connected(client, code, session["host_token"]) as (host, _),
        connected(client, code, anna["token"]) as (anna_ws, first),
    ):
        assert first["participant_count"] == 1
        bram = join(client, code, "Bram")
        assert receive_state(anna_ws, lambda s: s["participant_count"] == 2)
        state = receive_state(host, lambda s: s["participant_count"] == 2)
        assert [p["name"] for p in state["participants"]] == ["Anna", "Bram"]
        assert delete(client, code, bram["id"], bearer(bram["token"])).status_code == 204
        assert receive_state(anna_ws, lambda s: s["participant_count"] == 1)
        state = receive_state(host, lambda s: s["participant_count"] == 1)
        assert [p["name"] for p in state["participants"]] == ["Anna"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_declared_json_is_refused_with_415(
    client: TestClient, engine: Engine, content_type: str | None
) -> None:
    """A page on another site can post a Blob or ArrayBuffer with no Content-Type at all, or
    text/plain, without asking first; read as JSON, that made visitors join sessions."""
    session = create_session(client)
    before = db_dump(engine)
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(
        f"/api/sessions/{session['code']}/participants",
        content=b'{"name": "Script"}',
        headers=headers,
    )
    assert response.status_code == 415 and "application/json" in response.json()["detail"]
    assert client.post("/api/sessions", content=b"{}", headers=headers).status_code == 415
    assert db_dump(engine) == before


def test_an_empty_body_needs_no_content_type(client: TestClient) -> None:
    assert client.post("/api/sessions").status_code == 201


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"origin": "null"},
    ],
)
def test_browser_posts_from_another_site_are_refused(
    client: TestClient, engine: Engine, headers: dict[str, str]
) -> None:
    session = create_session(client)
    before = db_dump(engine)
    code = session["code"]
    answer = client.post(f"/api/sessions/{code}/participants", json={"name": "X"}, headers=headers)
    assert answer.status_code == 403 and answer.json()["detail"]
    assert client.post("/api/sessions", json={}, headers=headers).status_code == 403
    assert db_dump(engine) == before
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    answer = client.post(f"/api/sessions/{code}/participants", json={"name": "Y"}, headers=same)
    assert answer.status_code == 201


@pytest.mark.parametrize(
    "name", ["Nguy\u1ec5n", "Nguye\u0302\u0303n", "Zoë", "👩\u200d💻 Eva", "a\u20dd b\u20dd"]
)
def test_names_with_a_few_accents_or_joined_emoji_are_taken(client: TestClient, name: str) -> None:
    session = create_session(client)
    answer = client.post(f"/api/sessions/{session['code']}/participants", json={"name": name})
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    "name",
    [
        "\u202eAnna",  # right-to-left override: would reverse the partner's sentences
        "Anna\u2066",
        "\u200fBram",
        "\u3164",  # Hangul filler: shows nothing
        "\u2800\u2800",  # blank Braille
        "\u200b\u200b",  # zero-width spaces only
        "a" + "\u0301" * 6,  # accents stacked over the line above
        "\u1ec7" + "\u0301\u0300\u0303",  # ệ (two marks NFC absorbs) and three more: five
        "a\u0301\u0300\u200d\u0303\u0302",  # marks split by a joiner: four on one letter
        "a\u0301\u200c\u0300\u200c\u0303\u200c\u0302",  # the same with non-joiners
    ],
)
def test_names_that_turn_text_around_or_show_nothing_are_refused(
    client: TestClient, engine: Engine, name: str
) -> None:
    session = create_session(client)
    before = db_dump(engine)
    answer = client.post(f"/api/sessions/{session['code']}/participants", json={"name": name})
    assert answer.status_code == 422, answer.text
    assert db_dump(engine) == before


@pytest.mark.parametrize(
    ("name", "stored"),
    [("Nguye\u0302\u0303n", "Nguyễn"), ("سارة", "سارة"), ("אבי", "אבי"), ("Zoë", "Zoë")],
)
def test_names_are_stored_in_nfc_and_any_script_is_welcome(
    client: TestClient, name: str, stored: str
) -> None:
    session = create_session(client)
    person = join(client, session["code"], name)
    with connected(client, session["code"], person["token"]) as (_ws, state):
        assert state["me"]["name"] == stored
