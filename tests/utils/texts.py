"""The pages' texts as web/js/i18n.js holds them, read as text (no JavaScript run), and the
default language's texts written into the pages' HTML, so a page's first paint is its final one.

`python -m tests.utils.texts` (`make texts`) fills every `data-i18n` element and
`data-i18n-attr` attribute of web/*.html with its Dutch text; tests/test_texts.py checks
that the HTML and i18n.js agree.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
I18N = WEB / "js" / "i18n.js"
PAGES = ("index.html", "participant.html", "host.html", "present.html")
DEFAULT_LANGUAGE = "nl"

_ENTRY = re.compile(r'^\s*"([\w.]+)": ("(?:[^"\\]|\\.)*"),\s*$')
# A leaf element with a text key: its opening tag, its name, the key, its text, its end tag.
_TEXT_ELEMENT = re.compile(r'(<(\w+)\b[^<>]*\bdata-i18n="([\w.]+)"[^<>]*>)([^<]*)(</\2>)')
_ATTR_TAG = re.compile(r'<\w+\b[^<>]*\bdata-i18n-attr="([^"]+)"[^<>]*>')


def dictionaries(source: str | None = None) -> dict[str, dict[str, str]]:
    """Return every text of i18n.js by language and key. Raises ValueError when a
    dictionary is missing or a key appears twice in one."""
    text = I18N.read_text(encoding="utf-8") if source is None else source
    found: dict[str, dict[str, str]] = {}
    for lang in ("nl", "en"):
        match = re.search(r"^const " + lang + r" = \{$(.*?)^\};$", text, re.M | re.S)
        if match is None:
            raise ValueError(f"i18n.js has no dictionary for {lang}")
        texts: dict[str, str] = {}
        for line in match.group(1).splitlines():
            entry = _ENTRY.match(line)
            if entry is None:
                continue
            key, literal = entry.groups()
            if key in texts:
                raise ValueError(f"{lang}: {key} appears twice")
            texts[key] = json.loads(literal)
        found[lang] = texts
    return found


def filled(page: str, texts: dict[str, str]) -> str:
    """Return the HTML `page` with every `data-i18n` element's text and every
    `data-i18n-attr` attribute set from `texts`. Raises KeyError for a key `texts` lacks."""

    def text(match: re.Match[str]) -> str:
        opening, _name, key, _old, closing = match.groups()
        return f"{opening}{html.escape(texts[key], quote=False)}{closing}"

    def attrs(match: re.Match[str]) -> str:
        tag = match.group(0)
        for pair in match.group(1).split(","):
            attr, key = (part.strip() for part in pair.split(":"))
            value = html.escape(texts[key], quote=True)
            present = re.search(r"\s" + re.escape(attr) + r'="[^"]*"', tag)
            if present:
                tag = f'{tag[: present.start()]} {attr}="{value}"{tag[present.end() :]}'
            else:
                tag = tag.replace(" data-i18n-attr=", f' {attr}="{value}" data-i18n-attr=', 1)
        return tag

    return _ATTR_TAG.sub(attrs, _TEXT_ELEMENT.sub(text, page))


def keys_in(page: str) -> set[str]:
    """Return every text key `page` names (in `data-i18n` and `data-i18n-attr`)."""
    keys = set(re.findall(r'\bdata-i18n="([\w.]+)"', page))
    for spec in re.findall(r'\bdata-i18n-attr="([^"]+)"', page):
        keys.update(pair.split(":")[1].strip() for pair in spec.split(","))
    return keys


def main() -> None:
    """Write the default language's texts into every page."""
    texts = dictionaries()[DEFAULT_LANGUAGE]
    for name in PAGES:
        path = WEB / name
        before = path.read_text(encoding="utf-8")
        after = filled(before, texts)
        if after != before:
            path.write_text(after, encoding="utf-8")
            print(f"filled {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
