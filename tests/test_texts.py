"""The pages' words (web/js/i18n.js, read as text)."""

from __future__ import annotations

import re

import pytest

from tests.utils.texts import dictionaries

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
