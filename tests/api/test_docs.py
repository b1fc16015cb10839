"""The API's documentation page: Swagger UI from Duo itself, under a policy that lets it run."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.testclient import TestClient

from tests.api.test_pages import Refs


def directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


def test_docs_page_allows_exactly_its_own_inline_script(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers.get_list("content-security-policy") == [
        response.headers["content-security-policy"]
    ], "one policy, not Duo's default on top of the page's own"
    policy = directives(response.headers["content-security-policy"])
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    for directive in ("default-src", "style-src", "connect-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


def test_docs_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    refs = Refs()
    refs.feed(client.get("/docs").text)
    assert refs.urls
    for url in refs.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["x-content-type-options"] == "nosniff"
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text


def test_docs_assets_are_only_swagger_uis(client: TestClient) -> None:
    for name in ("redoc.standalone.js", "..%2F__init__.py", "missing.js"):
        assert client.get(f"/docs/assets/{name}").status_code == 404, name


def test_other_pages_keep_duos_policy_and_redoc_is_gone(client: TestClient) -> None:
    assert "'sha256-" not in client.get("/").headers["content-security-policy"]
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200
