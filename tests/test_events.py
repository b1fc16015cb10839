"""``web/js/events.js`` says exactly what ``app/events.py`` says."""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from app import events

EVENTS_JS = Path(__file__).resolve().parents[1] / "web" / "js" / "events.js"

EXPORT = re.compile(
    r"export\s+const\s+(?P<name>[A-Za-z_$][\w$]*)\s*=\s*Object\.freeze\(\s*"
    r"(?P<body>\{.*?\}|\[.*?\])\s*\)\s*;",
    re.S,
)
SCALAR = re.compile(
    r"export\s+const\s+(?P<name>[A-Za-z_$][\w$]*)\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|-?\d+)\s*;"
)
ENTRY = re.compile(
    r"""^\s*(?P<key>[A-Za-z_$][\w$]*|"[^"]*"|'[^']*')\s*:\s*(?P<value>"[^"]*"|'[^']*'|-?\d+)\s*$"""
)
COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)


def _literal(text: str) -> Any:
    text = text.strip()
    if text[0] == "'" and text[-1] == "'":
        return text[1:-1]
    return json.loads(text)


def _parse(body: str) -> dict[str, Any] | list[Any]:
    inner = body.strip()[1:-1]
    items = [item for item in (part.strip() for part in inner.split(",")) if item]
    if body.strip().startswith("["):
        return [_literal(item) for item in items]
    parsed: dict[str, Any] = {}
    for item in items:
        match = ENTRY.match(item)
        assert match, f"cannot read {item!r} in events.js"
        key = match["key"].strip("\"'")
        assert key not in parsed, f"{key} twice in events.js"
        parsed[key] = _literal(match["value"])
    return parsed


def _read(source: str) -> dict[str, Any]:
    """Return the frozen literals and the plain numbers and strings ``source`` exports."""
    exports: dict[str, Any] = {m["name"]: _parse(m["body"]) for m in EXPORT.finditer(source)}
    for match in SCALAR.finditer(source):
        exports[match["name"]] = _literal(match["value"])
    return exports


def js_exports() -> dict[str, Any]:
    """Return every ``export const NAME = Object.freeze(...)`` (or ``= 20;``, ``= "x";``) of
    events.js, parsed."""
    source = COMMENTS.sub("", EVENTS_JS.read_text(encoding="utf-8"))
    exports = _read(source)
    declared = re.findall(r"export\s+const\s+([A-Za-z_$][\w$]*)", source)
    assert sorted(declared) == sorted(exports), "an export of events.js is not a literal"
    return exports


def python_vocabulary() -> dict[str, Any]:
    """Return the names of ``app.events.__all__`` as plain dicts (enums), lists, numbers and
    strings."""
    result: dict[str, Any] = {}
    for name in events.__all__:
        value = getattr(events, name)
        if isinstance(value, type) and issubclass(value, Enum):
            result[name] = {member.name: member.value for member in value}
        elif isinstance(value, int | str):
            result[name] = value
        else:
            result[name] = list(value)
    return result


def test_the_reader_reads_what_it_should() -> None:
    source = """
    // a comment
    export const A = Object.freeze({
      ONE: "one", // trailing
      TWO: 2,
    });
    export const B = Object.freeze(["x", 'y']);
    export const C = 20; // a plain constant
    export const D = "d";
    """
    exports = _read(COMMENTS.sub("", source))
    assert exports == {"A": {"ONE": "one", "TWO": 2}, "B": ["x", "y"], "C": 20, "D": "d"}


def test_events_js_exports_exactly_the_python_vocabulary() -> None:
    assert set(js_exports()) == set(python_vocabulary())


@pytest.mark.parametrize("name", events.__all__)
def test_each_name_says_the_same(name: str) -> None:
    assert name in events.__all__
    assert js_exports()[name] == python_vocabulary()[name]


def test_the_vocabulary_is_the_contracts() -> None:
    vocabulary = python_vocabulary()
    assert {"hello", "ping"} <= set(vocabulary["ClientMessage"].values())  # type: ignore[union-attr]
    assert {"state", "pong", "error"} <= set(vocabulary["ServerMessage"].values())  # type: ignore[union-attr]
    assert {1009, 4401, 4403, 4404} <= set(vocabulary["CloseCode"].values())  # type: ignore[union-attr]
    assert vocabulary["PHASE_KINDS"] == ["tell", "silence", "question", "answer"]
    assert vocabulary["BREAKOUT_STATUSES"] == ["running", "paused", "finished"]
    assert vocabulary["EXACT_COUNT_BELOW"] == 20
