"""The docs name only code that exists: every code name written in backticks in README.md
and docs/ (a function, a class, a method, a constant) is found in the code, so that a
rename or a removal cannot leave the docs describing what is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# benchmarks.md is a record of runs of earlier commits: its profiles name the code of then.
DOCS = [
    ROOT / "README.md",
    *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "benchmarks.md"),
]
# Names the docs borrow from others: websockets, nginx, systemd, the browser, a host name.
FOREIGN = {"worker_connections", "LimitNOFILE", "innerHTML", "api.osv.dev"}
CODE_GLOBS = ["app/**/*.py", "web/**/*.js", "bench/**/*.py", "tests/**/*.py", "alembic/**/*.py"]
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A backticked code name: dotted identifiers, maybe called; a plain word counts only when it
# looks like code (an underscore, or CamelCase).
CODE_NAME = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?:\(\))?`")


def _looks_like_code(name: str) -> bool:
    return "." in name or "_" in name.strip("_") or bool(re.search(r"[a-z][A-Z]", name))


def _settings() -> set[str]:
    from app.core.config import Settings

    return {f"DUO_{name.upper()}" for name in Settings.model_fields}


def _code_words() -> set[str]:
    words: set[str] = set()
    for pattern in CODE_GLOBS:
        for path in ROOT.glob(pattern):
            words.update(IDENTIFIER.findall(path.read_text(encoding="utf-8")))
    return words


def test_every_code_name_in_the_docs_exists() -> None:
    words, settings = _code_words(), _settings()
    missing = []
    for doc in DOCS:
        for name in CODE_NAME.findall(doc.read_text(encoding="utf-8")):
            if not _looks_like_code(name) or _is_file_name(name) or name in FOREIGN:
                continue
            if name.startswith("DUO_"):  # a setting: Settings has it
                if name not in settings and not name.startswith("DUO_TEST_"):
                    missing.append(f"{doc.relative_to(ROOT)}: `{name}` (no such setting)")
                continue
            absent = [part for part in name.split(".") if part not in words]
            if absent:
                missing.append(f"{doc.relative_to(ROOT)}: `{name}` ({', '.join(absent)})")
    assert not missing, "names in the docs that the code does not have:\n" + "\n".join(missing)


def _is_file_name(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[-1] in {
        "py",
        "js",
        "md",
        "css",
        "html",
        "json",
        "txt",
        "ini",
        "svg",
    }
