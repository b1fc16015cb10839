"""The static files and pages, versioned, compressed and cached, without a build step.

At start-up every file under ``web/`` is read once. Each gets a version: a hash of its own
content and of everything it refers to, however deep (a module's imports, a style sheet's
``url()``), so a change anywhere gives every file that leads to it a new URL. The pages and
the modules refer to each file as ``/static/{path}?v={version}`` (import specifiers are
rewritten in memory; the files on disk stay as they are, and no script is inlined). A file
asked for with its current version is cached for a year; anything else, and every page, is
revalidated (``no-cache`` with an ETag). Text files are sent gzip-compressed to a browser
that accepts it.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, Response

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = frozenset({".js", ".css", ".html", ".svg", ".json", ".txt"})
MIN_COMPRESSED_BYTES = 256
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

# `from "./x.js"`, `import "./x.js"`, `import("./x.js")`: relative specifiers in a module.
JS_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"'?#]+)\2""")
# `url("/static/…")` in a style sheet.
CSS_URL = re.compile(r"""(url\(\s*)(["']?)(/static/[^"')?#]+)\2(\s*\))""")
# `src="/static/…"` and `href="/static/…"` in a page.
HTML_REF = re.compile(r"""(\b(?:src|href)=)(["'])(/static/[^"'?#]+)\2""")
# A page's module: `<script type="module" src="/static/….js"></script>`.
HTML_MODULE = re.compile(r"""<script type="module" src="/static/([^"?#]+)"></script>""")
# Lines that are only a comment (`// …`, `/** … */`) in a module: dropped, they are for readers.
JS_COMMENT_LINE = re.compile(r"^[ \t]*(?://[^\n]*|/\*[\s\S]*?\*/[ \t]*)\n", re.M)
# Comments in a style sheet.
CSS_COMMENT = re.compile(r"/\*.*?\*/\n?", re.S)


@dataclass(frozen=True)
class Asset:
    """One file as it is served: its bytes (and gzipped bytes), type, version and ETag."""

    body: bytes
    gzipped: bytes | None
    media_type: str
    version: str

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def response(self, request: Request, cache_control: str) -> Response:
        """Answer ``request`` with this file: 304 when the browser has it, gzip when it may."""
        headers = {"Cache-Control": cache_control, "ETag": self.etag, "Vary": "Accept-Encoding"}
        if self.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        body = self.body
        if self.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
            body = self.gzipped
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type=self.media_type, headers=headers)


def accepts_gzip(accept_encoding: str) -> bool:
    """Return whether an ``Accept-Encoding`` header allows gzip (``q=0`` refuses it)."""
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _references(path: str, text: str) -> list[str]:
    """Return the files (paths under web/) that the file at ``path`` refers to."""
    if path.endswith(".js"):
        base = Path(path).parent
        return [_join(base, m.group(3)) for m in JS_IMPORT.finditer(text)]
    if path.endswith(".css"):
        return [m.group(3).removeprefix("/static/") for m in CSS_URL.finditer(text)]
    return []


def _join(base: Path, relative: str) -> str:
    parts: list[str] = list(base.parts)
    for piece in relative.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def _reachable(start: str, refs: Mapping[str, list[str]]) -> list[str]:
    seen, todo = {start}, [start]
    while todo:
        for ref in refs.get(todo.pop(), []):
            if ref in refs and ref not in seen:
                seen.add(ref)
                todo.append(ref)
    return sorted(seen)


def _compress(path: str, body: bytes) -> bytes | None:
    if Path(path).suffix not in COMPRESSIBLE or len(body) < MIN_COMPRESSED_BYTES:
        return None
    return gzip.compress(body, compresslevel=9, mtime=0)


def _media_type(path: str) -> str:
    suffix = Path(path).suffix
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


class Assets:
    """The static files and pages of ``root``, read once, as they are served."""

    def __init__(self, root: Path, pages: Iterable[str]) -> None:
        raw = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix != ".html"
        }
        texts = {path: _slim(path, body.decode()) for path, body in raw.items() if _is_text(path)}
        refs = {path: _references(path, texts.get(path, "")) for path in raw}
        versions = {path: self._version(path, raw, refs) for path in raw}
        self.versions = versions
        self.refs = refs
        self.files: dict[str, Asset] = {}
        for path, body in raw.items():
            if path in texts:
                body = self._rewrite(path, texts[path]).encode()
            self.files[path] = Asset(body, _compress(path, body), _media_type(path), versions[path])
        self.pages: dict[str, Asset] = {}
        for name in pages:
            html = self.rewrite_page((root / name).read_text()).encode()
            version = hashlib.sha256(html).hexdigest()[:12]
            self.pages[name] = Asset(
                html, _compress(name, html), "text/html; charset=utf-8", version
            )

    @staticmethod
    def _version(path: str, raw: Mapping[str, bytes], refs: Mapping[str, list[str]]) -> str:
        digest = hashlib.sha256()
        for part in _reachable(path, refs):
            digest.update(part.encode() + b"\0" + raw[part] + b"\0")
        return digest.hexdigest()[:12]

    def url(self, path: str) -> str:
        """Return the versioned URL of the file at ``path`` (under web/)."""
        return f"/static/{path}?v={self.versions[path]}"

    def _rewrite(self, path: str, text: str) -> str:
        if path.endswith(".js"):
            base = Path(path).parent

            def module(m: re.Match[str]) -> str:
                target = _join(base, m.group(3))
                if target not in self.versions:
                    return m.group(0)
                return f"{m.group(1)}{m.group(2)}{m.group(3)}?v={self.versions[target]}{m.group(2)}"

            return JS_IMPORT.sub(module, text)
        if path.endswith(".css"):
            return CSS_URL.sub(lambda m: self._static(m, 3, close=m.group(4)), text)
        return text

    def _static(self, m: re.Match[str], group: int, close: str = "") -> str:
        path = m.group(group).removeprefix("/static/")
        if path not in self.versions:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{self.url(path)}{m.group(2)}{close}"

    def rewrite_page(self, html: str) -> str:
        """Return a page whose ``/static/`` references carry their versions, with every module
        its script imports (however deep) preloaded, so that they load at once instead of
        one level of imports after another."""
        match = HTML_MODULE.search(html)
        if match and match.group(1) in self.versions:
            deps = [d for d in _reachable(match.group(1), self.refs) if d != match.group(1)]
            links = "".join(f'<link rel="modulepreload" href="{self.url(d)}">\n  ' for d in deps)
            html = html[: match.start()] + links + html[match.start() :]
        return HTML_REF.sub(lambda m: self._static(m, 3), html)

    def static(self, request: Request, path: str) -> Response:
        """Answer a request for the static file ``path``: cached for a year when asked for
        with its current version, else revalidated; 404 when there is no such file."""
        asset = self.files.get(path)
        if asset is None:
            return Response('{"detail":"Not Found"}', 404, media_type="application/json")
        current = request.query_params.get("v") == asset.version
        return asset.response(request, IMMUTABLE if current else REVALIDATE)

    def page(self, request: Request, name: str) -> Response:
        """Answer a request for page ``name`` (never cached without asking again)."""
        return self.pages[name].response(request, REVALIDATE)


def _slim(path: str, text: str) -> str:
    """Return a module or style sheet without its comment-only lines (what it does is the
    same; the files on disk keep them)."""
    if path.endswith(".js"):
        return JS_COMMENT_LINE.sub("", text)
    if path.endswith(".css"):
        return CSS_COMMENT.sub("", text)
    return text


def _is_text(path: str) -> bool:
    return Path(path).suffix in (".js", ".css")
