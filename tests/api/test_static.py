"""Static files and pages: versioned URLs, compression and caching."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.utils.factories import create_session

REF = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")
IMPORT = re.compile(r"""(?:from|import)\s*\(?\s*"(\.{1,2}/[^"]+)\"""")


def page_refs(client: TestClient, path: str) -> list[str]:
    return REF.findall(client.get(path).text)


def test_pages_are_compressed_and_never_cached_without_asking(client: TestClient) -> None:
    code = create_session(client)["code"]
    for path in ("/", f"/s/{code}", f"/host/{code}"):
        answer = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200
        assert answer.headers["content-encoding"] == "gzip"
        assert answer.headers["cache-control"] == "no-cache"
        assert "accept-encoding" in answer.headers["vary"].lower()
        again = client.get(path, headers={"If-None-Match": answer.headers["etag"]})
        assert again.status_code == 304


def test_a_page_refers_to_every_static_file_by_its_version(client: TestClient) -> None:
    code = create_session(client)["code"]
    refs = page_refs(client, f"/s/{code}")
    assert refs and all(re.search(r"\?v=[0-9a-f]{12}$", ref) for ref in refs), refs
    for ref in refs:
        answer = client.get(ref, headers={"Accept-Encoding": "gzip, br"})
        assert answer.status_code == 200
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        if ref.endswith((".js", ".css")) or ".js?" in ref or ".css?" in ref:
            assert answer.headers["content-encoding"] == "gzip"


def test_module_imports_carry_versions_all_the_way_down(client: TestClient) -> None:
    code = create_session(client)["code"]
    html = client.get(f"/s/{code}").text
    script = re.search(r'<script type="module" src="([^"]+)"', html)
    assert script
    todo, seen = [script.group(1)], set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        text = client.get(url).text
        for spec in IMPORT.findall(text):
            assert re.search(r"\?v=[0-9a-f]{12}$", spec), (url, spec)
            todo.append("/static/js/" + spec.removeprefix("./"))
    assert len(seen) > 5
    assert all(client.get(u).headers["cache-control"].endswith("immutable") for u in seen)
    # The page preloads every module its script imports, however deep, by the same URLs.
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)"', html))
    assert preloaded == seen - {script.group(1)}


def test_an_unversioned_or_outdated_url_is_revalidated_and_unknown_files_are_404(
    client: TestClient,
) -> None:
    plain = client.get("/static/js/view.js")
    assert plain.status_code == 200 and plain.headers["cache-control"] == "no-cache"
    assert client.get("/static/js/view.js?v=000000000000").headers["cache-control"] == "no-cache"
    assert client.get("/static/js/nothing.js").status_code == 404
    assert client.get("/static/../app/main.py").status_code == 404
    identity = client.get("/static/css/app.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers
    assert identity.headers["content-type"].startswith("text/css")
