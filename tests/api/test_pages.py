"""The pages (the contract's three and the presenter's screen): HTML with the contract's
security headers, no inline script."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from tests.utils.factories import create_session


class Refs(HTMLParser):
    """Collect scripts, URLs and inline handlers of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script = False
        self.urls: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("src", "href", "action", "poster", "data") and value is not None:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


def page_paths(client: TestClient) -> list[str]:
    code = create_session(client)["code"]
    return ["/", f"/s/{code}", f"/host/{code}", f"/present/{code}"]


def script_src(csp: str) -> list[str]:
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    return directives.get("script-src", directives.get("default-src", []))


@pytest.mark.parametrize("which", [0, 1, 2, 3])
def test_page_is_html_with_the_security_headers(client: TestClient, which: int) -> None:
    path = page_paths(client)[which]
    response = client.get(path)  # no Authorization, no token: the host's page too
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()
    csp = response.headers["content-security-policy"]
    sources = script_src(csp)
    assert sources, csp
    assert "'unsafe-inline'" not in sources
    assert "'unsafe-eval'" not in sources
    assert "*" not in sources
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("which", [0, 1, 2, 3])
def test_page_has_no_inline_script_and_loads_nothing_from_elsewhere(
    client: TestClient, which: int
) -> None:
    path = page_paths(client)[which]
    refs = Refs()
    refs.feed(client.get(path).text)
    assert refs.scripts, "a page without a script"
    assert all(s.get("src") for s in refs.scripts)
    assert not refs.inline_script
    assert not refs.handlers
    for url in refs.urls:
        assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", url, re.I), url
    for url in refs.urls:
        if url.startswith("/"):
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert asset.headers["x-content-type-options"] == "nosniff"


def test_a_lower_case_code_gets_its_page(client: TestClient) -> None:
    code = create_session(client)["code"]
    for path in (f"/s/{code.lower()}", f"/host/{code.lower()}"):
        assert client.get(path).status_code == 200


def test_the_host_page_works_without_the_token(client: TestClient) -> None:
    session = create_session(client)
    assert session["host_url"].endswith(f"/host/{session['code']}#{session['host_token']}")
    response = client.get(f"/host/{session['code']}")
    assert response.status_code == 200
    assert session["host_token"] not in response.text


def test_the_presenter_page_is_served_like_the_host_page(client: TestClient) -> None:
    """/present/{code} is the same page for any code, any case, and never holds the token."""
    session = create_session(client)
    for path in (f"/present/{session['code']}", f"/present/{session['code'].lower()}"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-cache"
        assert session["host_token"] not in response.text
        assert "present.js" in response.text


def test_api_answers_carry_the_headers_too(client: TestClient) -> None:
    response = client.get("/api/time")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
