"""The pages' words (web/js/i18n.js, read as text) and the texts their HTML carries before
any script runs."""

from __future__ import annotations

import re

import pytest

from tests.utils.texts import DEFAULT_LANGUAGE, PAGES, WEB, dictionaries, filled, keys_in

TEXTS = dictionaries()

# Said as a native speaker says them (issue 18.8): the key, and the words it must hold.
SAID = {
    "nl": {
        "voice.label": "Fasewissels voorlezen",
        "round.timeLeft": "Resterende spreektijd",
        "host.meeting.elapsed": "Al {time} bezig",
        "host.round.end": "Stop de ronde",
        "host.break.end": "Stop de pauze",
        "host.blocked.checkin": "Er loopt een check-in; stop die eerst.",
        "host.blocked.checkout": "Er loopt een check-out; stop die eerst.",
        "host.blocked.breakout": "Er loopt een breakout; stop die eerst.",
        "host.blocked.break": "Het is pauze; stop die eerst.",
        "create.step.silence": "Stilte – de ander bedenkt een vraag",
        "round.youreNext": "Jij bent hierna aan de beurt",
        "left.heading": "Je doet niet meer mee aan deze sessie",
        "host.start": "Start de breakout",
    },
    "en": {
        "question.checkout.feeling": "What feeling are you leaving with?",
        "host.meeting.elapsed": "Running for {time}",
        "voice.label": "Read the phase changes aloud",
    },
}
# What they said before, and must say nowhere any more.
UNSAID = {
    "nl": [
        "hardop",
        "Spreektijd over",
        "Beëindig",
        "rond die eerst af",
        "beëindig die eerst",
        "Stil – ander",
        "Je bent niet meer in deze sessie",
        "Start breakout",
        "Start pauze",
        "Tijd voor een korte break",
    ],
    "en": ["Speak from yourself", "With which feeling", "With which thought", "Speak the phase"],
}


def test_both_languages_have_every_text() -> None:
    assert set(TEXTS["nl"]) == set(TEXTS["en"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_texts_say_it_as_people_do(lang: str) -> None:
    for key, words in SAID[lang].items():
        assert TEXTS[lang][key] == words, key
    agreements = TEXTS["en"]["agreements.default"].splitlines()
    assert "Speak from your own experience and keep it positive." in agreements
    for old in UNSAID[lang]:
        saying = [key for key, text in TEXTS[lang].items() if old.lower() in text.lower()]
        assert saying == [], f"{old!r} still in {saying}"


def test_no_placeholder_goes_missing_between_languages() -> None:
    for key, text in TEXTS["nl"].items():
        mine = set(re.findall(r"\{(\w+)\}", text))
        assert mine == set(re.findall(r"\{(\w+)\}", TEXTS["en"][key])), key


@pytest.mark.parametrize("name", PAGES)
def test_pages_carry_their_default_texts(name: str) -> None:
    """Every text a page names is in its HTML already, in the default language, so filling
    them in after load shifts nothing (Lighthouse's layout shift; `make texts` writes them)."""
    page = (WEB / name).read_text(encoding="utf-8")
    keys = keys_in(page)
    assert keys, name
    assert keys <= set(TEXTS[DEFAULT_LANGUAGE]), keys - set(TEXTS[DEFAULT_LANGUAGE])
    assert filled(page, TEXTS[DEFAULT_LANGUAGE]) == page, f"{name}: run `make texts`"
    empty = re.findall(r'<(\w+)\b[^<>]*\bdata-i18n="([\w.]+)"[^<>]*></\1>', page)
    assert empty == [], empty


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_a_title_and_a_description(name: str) -> None:
    page = (WEB / name).read_text(encoding="utf-8")
    assert re.search(r'<html lang="nl">', page)
    assert re.search(r"<title>[^<]+</title>", page)
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description, f"{name} has no meta description"
    assert 50 <= len(description.group(1)) <= 160, description.group(1)
