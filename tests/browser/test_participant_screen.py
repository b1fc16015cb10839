"""The participant's screen says what I do now (issue 10): my task per phase and role, a
trio's order of questions, the last seconds, spoken phase changes, my group's number and
colour, and signals to the host — on 360 px phones, in Dutch and English, light and dark.

Phases are 600 s long and the host's "next phase" moves on, so no phase ends by itself while
a page is looked at; the last seconds are looked at in a session of 11 s phases. Screenshots
go to test-output/screenshots/ (screen-*).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import (
    AxeRecorder,
    Device,
    close_all,
    host_state,
    open_device,
    screenshot,
)
from tests.utils.server import ROOT, ServerProcess

pytestmark = pytest.mark.browser

NAMES = ["Anna", "Bram", "Cas", "Daan", "Eva"]
LONG_PHASE = 600

# The browser's speech synthesis replaced by one that records what it is asked to say; its
# voices are those in window.__duoVoices (set before the page loads).
SPEECH_STUB = """
(() => {
  const spoken = [];
  Object.defineProperty(window, "__duoSpoken", { value: spoken });
  const voices = () => (window.__duoVoices || []).map((lang) => ({ lang, name: lang }));
  const stub = {
    speak(u) { spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.lang }); },
    cancel() {},
    getVoices: voices,
    addEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: stub, configurable: true });
})();
"""


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-screen.json")
    yield recorder
    recorder.write()


def api(server: ServerProcess, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.request(method, server.base_url + path, headers=headers, timeout=30, **kw)
    assert answer.status_code < 300, answer.text
    return answer.json() if answer.content else None


def phone(browser: Browser, name: str, voices: tuple[str, ...] = ("nl-NL", "en-GB")) -> Device:
    device = open_device(browser, name)
    device.context.add_init_script(f"window.__duoVoices = {json.dumps(list(voices))};")
    device.context.add_init_script(SPEECH_STUB)
    return device


def join(device: Device, url: str, name: str) -> None:
    device.page.goto(url)
    field = device.page.locator("#name")
    expect(field).to_be_visible()
    field.fill(name)
    field.press("Enter")
    device.page.locator("#agree").click()
    expect(device.page.locator("#view-lobby")).to_be_visible()


def turn(page: Page) -> str:
    return page.locator("#turn").inner_text()


def spoken(device: Device) -> list[dict[str, str]]:
    return list(device.page.evaluate("window.__duoSpoken"))


def set_language(page: Page, lang: str) -> None:
    page.locator(f".lang-button[data-lang='{lang}']").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def shoot(device: Device, folder: Path, name: str, axe: AxeRecorder | None = None) -> None:
    """Screenshot the page in Dutch and English (axe in light and dark when given), and leave
    it in Dutch."""
    page = device.page
    for lang in ("nl", "en"):
        set_language(page, lang)
        screenshot(device, folder, f"screen-{lang}-{name}")
    if axe is not None:
        axe.check(device, f"{name}, light")
        page.emulate_media(color_scheme="dark")
        settle(page)
        screenshot(device, folder, f"screen-en-dark-{name}")
        axe.check(device, f"{name}, dark")
        page.emulate_media(color_scheme="light")
    set_language(page, "nl")


def settle(page: Page) -> None:
    """Wait until the page's colour transitions (after a change of colour scheme) are over."""
    page.evaluate(
        "Promise.all(document.getAnimations()"
        ".filter((a) => a instanceof CSSTransition).map((a) => a.finished))"
    )


def skip(server: ServerProcess, code: str, token: str, pages: list[Page], n: int) -> None:
    api(server, "POST", f"/api/sessions/{code}/breakouts/current/skip", token)
    for page in pages:
        expect(page.locator("#phase-count")).to_have_text(re.compile(f"^(Fase|Phase) {n} "))


def test_the_participant_screen_duo_and_trio(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    session = api(server, "POST", "/api/sessions", json={"phase_seconds": LONG_PHASE})
    code, token = session["code"], session["host_token"]
    host = open_device(browser, "host", viewport={"width": 1280, "height": 900})
    people = {
        name: phone(browser, name, () if name == "Eva" else ("nl-NL", "en-GB")) for name in NAMES
    }
    devices = [host, *people.values()]
    try:
        for name, device in people.items():
            join(device, session["join_url"], name)
        host.page.goto(session["host_url"])
        expect(host.page.locator("#people-count")).to_have_text("5 van 5 online")
        # Anna has her phase changes spoken; Eva's browser has no voice at all.
        people["Anna"].page.locator("label:has(#voice)").click()
        expect(people["Anna"].page.locator("#voice")).to_be_checked()
        expect(people["Eva"].page.locator("#voice-note")).to_have_text(
            "Deze browser heeft geen Nederlandse stem; je hoort dus niets."
        )
        api(server, "POST", f"/api/sessions/{code}/breakouts", token)
        state = host_state(server, code, token)
        ids = {p["id"]: p["name"] for p in state["participants"]}
        groups = [[ids[m] for m in g["members"]] for g in state["breakout"]["groups"]]
        duo = next(g for g in groups if len(g) == 2)
        trio = next(g for g in groups if len(g) == 3)
        pages = {name: people[name].page for name in NAMES}
        for page in pages.values():
            expect(page.locator("#view-breakout")).to_be_visible()

        # ---- my group: the same number and colour as the host's card ---------------------
        cards = host.page.locator("#group-list .group-card")
        expect(cards).to_have_count(2)
        for index, group in enumerate(groups):
            card_badge = cards.nth(index).locator(".group-badge")
            expect(card_badge).to_have_text(f"Groep {index + 1}")
            colour = card_badge.evaluate("el => getComputedStyle(el).backgroundColor")
            for name in group:
                badge = pages[name].locator("#group-badge")
                expect(badge).to_have_text(f"Groep {index + 1}")
                assert badge.evaluate("el => getComputedStyle(el).backgroundColor") == colour

        # ---- tell ---------------------------------------------------------------------------
        d_teller, d_listener = duo
        t_teller, t_first, t_second = trio
        expect(pages[d_teller].locator("#turn")).to_have_text("Vertel")
        expect(pages[d_teller].locator("#role-label")).to_have_text("Jij vertelt")
        expect(pages[d_listener].locator("#turn")).to_have_text(f"Luister naar {d_teller}")
        expect(pages[d_listener].locator("#role-label")).to_have_text("Jij luistert")
        expect(pages[t_second].locator("#turn")).to_have_text(f"Luister naar {t_teller}")
        teller_colour = role_colour(pages[d_teller])
        listener_colour = role_colour(pages[d_listener])
        assert teller_colour != listener_colour
        shoot(people[d_teller], screenshots, "01-tell-teller", axe)
        shoot(people[d_listener], screenshots, "02-tell-listener", axe)

        # ---- silence --------------------------------------------------------------------------
        skip(server, code, token, list(pages.values()), 2)
        expect(pages[d_teller].locator("#turn")).to_have_text(
            f"Stilte — {d_listener} bedenkt een vraag"
        )
        expect(pages[t_teller].locator("#turn")).to_have_text(
            f"Stilte — {t_first} en {t_second} bedenken een vraag"
        )
        for name in (d_listener, t_first, t_second):
            expect(pages[name].locator("#turn")).to_have_text("Stilte — bedenk één open vraag")
        # The screen reader hears the same task.
        expect(pages[d_listener].locator("#announcer")).to_have_text(
            "Stilte — bedenk één open vraag. Stilte, fase 2 van 8."
        )
        assert role_colour(pages[d_teller]) == teller_colour, "a role keeps its colour"
        shoot(people[d_teller], screenshots, "03-silence-teller", axe)
        shoot(people[d_listener], screenshots, "04-silence-listener", axe)

        # ---- question: a trio's order, on all three pages and the host's card ------------------
        skip(server, code, token, list(pages.values()), 3)
        expect(pages[d_teller].locator("#turn")).to_have_text(
            f"Luister naar de vraag van {d_listener}"
        )
        expect(pages[d_listener].locator("#turn")).to_have_text("Stel je vraag")
        expect(pages[d_listener].locator("#task-order")).to_be_hidden()
        expect(pages[t_teller].locator("#turn")).to_have_text(
            f"Luister naar de vragen van {t_first} en {t_second}"
        )
        expect(pages[t_teller].locator("#task-order")).to_have_text(
            f"Eerst {t_first}, dan {t_second}."
        )
        expect(pages[t_first].locator("#task-order")).to_have_text(f"Eerst jij, dan {t_second}.")
        expect(pages[t_second].locator("#task-order")).to_have_text(f"Eerst {t_first}, dan jij.")

        # A card by its group's number: groups asking for help come first in the list.
        def card(group: list[str]) -> Any:
            badge = host.page.locator(".group-badge", has_text=f"Groep {groups.index(group) + 1}")
            return cards.filter(has=badge)

        trio_card = card(trio)
        expect(trio_card.locator(".group-order")).to_have_text(f"Eerst {t_first}, dan {t_second}")
        expect(card(duo).locator(".group-order")).to_have_count(0)
        shoot(people[t_teller], screenshots, "05-question-trio-teller", axe)
        shoot(people[t_first], screenshots, "06-question-trio-first", axe)
        shoot(people[t_second], screenshots, "07-question-trio-second")
        screenshot(host, screenshots, "screen-nl-08-host-trio-order")
        axe.check(host, "host card with a trio's order")

        # ---- answer ----------------------------------------------------------------------------
        skip(server, code, token, list(pages.values()), 4)
        expect(pages[d_teller].locator("#turn")).to_have_text("Beantwoord de vraag")
        expect(pages[d_listener].locator("#turn")).to_have_text("Luister naar het antwoord")
        expect(pages[t_teller].locator("#turn")).to_have_text("Beantwoord de vragen")
        expect(pages[t_teller].locator("#task-order")).to_have_text(
            f"Eerst de vraag van {t_first}, dan die van {t_second}."
        )
        expect(pages[t_first].locator("#task-order")).to_have_text(
            f"Eerst jouw vraag, dan die van {t_second}."
        )
        expect(pages[t_second].locator("#task-order")).to_have_text(
            f"Eerst de vraag van {t_first}, dan jouw vraag."
        )
        expect(trio_card.locator(".group-order")).to_have_text(
            f"Eerst de vraag van {t_first}, dan die van {t_second}"
        )
        shoot(people[t_teller], screenshots, "09-answer-trio-teller", axe)
        shoot(people[d_listener], screenshots, "10-answer-listener", axe)

        # ---- the roles swap: the voice says so, in the page's language -------------------------
        skip(server, code, token, list(pages.values()), 5)
        expect(pages[d_listener].locator("#turn")).to_have_text("Vertel")
        expect(pages[d_teller].locator("#turn")).to_have_text(f"Luister naar {d_listener}")
        assert role_colour(pages[d_listener]) == teller_colour
        anna = people["Anna"]
        said = spoken(anna)
        assert [s["lang"] for s in said] == ["nl-NL"] * 5, said  # the start and four changes
        swap_text = anna_swap_text(anna.page, groups)
        assert said[-1]["text"] == swap_text, said
        assert spoken(people["Bram"]) == [], "the voice is off unless turned on"
        assert spoken(people["Eva"]) == []
        shoot(people[d_listener], screenshots, "11-swapped-teller", axe)
        set_language(anna.page, "en")
        skip(server, code, token, list(pages.values()), 6)
        said = spoken(anna)
        assert said[-1]["lang"] == "en-GB" and said[-1]["text"].startswith("Silence."), said
        set_language(anna.page, "nl")
        set_language(people["Eva"].page, "en")
        expect(people["Eva"].page.locator("#voice-note")).to_have_text(
            "This browser has no English voice, so you won't hear anything."
        )
        set_language(people["Eva"].page, "nl")

        # ---- help and done: on the host's card at once, cleared, and seen ------------------------
        pages[d_teller].locator("#signal-help").click()
        duo_card = card(duo)
        expect(duo_card.locator(".group-signal")).to_contain_text("Hulp nodig sinds")
        expect(pages[d_teller].locator("#signal-status")).to_contain_text("om hulp gevraagd")
        expect(pages[d_listener].locator("#signal-status")).to_contain_text("om hulp gevraagd")
        shoot(people[d_teller], screenshots, "12-help-asked", axe)
        screenshot(host, screenshots, "screen-nl-13-host-help")
        axe.check(host, "host card with a call for help")
        pages[t_second].locator("#signal-done").click()
        expect(trio_card.locator(".group-signal")).to_contain_text("Klaar sinds")
        duo_card.get_by_role("button", name=re.compile("Gezien")).click()
        expect(duo_card.locator(".group-signal")).to_have_count(0)
        expect(pages[d_teller].locator("#signal-status")).to_have_text(
            "De host heeft je vraag gezien."
        )
        expect(trio_card.locator(".group-signal")).to_contain_text("Klaar sinds")
        shoot(people[d_teller], screenshots, "14-help-seen", axe)

        # ---- the duo is done while the trio goes on: something to do meanwhile -----------------
        skip(server, code, token, [pages[n] for n in trio], 7)
        skip(server, code, token, [pages[n] for n in trio], 8)
        skip(server, code, token, [pages[n] for n in trio], 9)
        done = pages[d_teller]
        expect(done.locator("#view-done")).to_be_visible()
        expect(done.locator("#done-reflect")).to_be_visible()
        expect(done.locator("#done-reflect h2")).to_have_text("Wat neem je mee uit dit gesprek?")
        expect(done.locator("#done-waiting")).to_have_text(
            re.compile(r"^De anderen zijn nog ongeveer \d+ minuten bezig\.$")
        )
        expect(done.locator("#group-badge")).to_be_visible()
        shoot(people[d_teller], screenshots, "15-done-reflect", axe)
        expect(pages[t_second].locator("#turn")).to_have_text("Vertel")  # the trio's third round
        close_all(devices, server)
    except BaseException:
        for device in devices:
            device.context.close()
        raise


def role_colour(page: Page) -> str:
    return str(
        page.locator("#task .role-icon").evaluate("el => getComputedStyle(el).backgroundColor")
    )


def anna_swap_text(page: Page, groups: list[list[str]]) -> str:
    """Return what Anna's voice says at the swap: who tells now."""
    group = next(g for g in groups if "Anna" in g)
    teller = group[1]
    return "Wissel. Jij vertelt nu." if teller == "Anna" else f"Wissel. {teller} vertelt nu."


def test_the_last_seconds_of_a_phase(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    session = api(server, "POST", "/api/sessions", json={"phase_seconds": 11, "language": "en"})
    code, token = session["code"], session["host_token"]
    calm = open_device(browser, "Calm", reduced_motion="reduce")
    lively = phone(browser, "Lively")
    devices = [calm, lively]
    try:
        join(calm, session["join_url"], "Calm")
        join(lively, session["join_url"], "Lively")
        lively.page.locator("#lobby-you").click()  # a tap: the chime may sound from now on
        api(server, "POST", f"/api/sessions/{code}/breakouts", token)
        for device in devices:
            page = device.page
            expect(page.locator("#view-breakout")).to_have_attribute("data-wrap-up", "true")
            expect(page.locator("#wrap-up")).to_have_text("Wrap up")
            expect(page.locator("#wrap-up")).to_be_visible()
        # The countdown turns the wrap-up colour; a soft chime sounded (sound is on).
        page = lively.page
        countdown = page.locator("#countdown")
        wrap_colour = page.locator("#wrap-up").evaluate("el => getComputedStyle(el).color")
        assert countdown.evaluate("el => getComputedStyle(el).color") == wrap_colour
        # The phase's start chimed two notes, its last seconds one more.
        page.wait_for_function("window.__duoLog.tones >= 3")
        expect(page.locator("#announcer")).to_have_text("Wrap up")
        # Reduced motion: the countdown does not pulse.
        assert (
            calm.page.locator("#countdown").evaluate("el => getComputedStyle(el).animationName")
            == "none"
        )
        assert countdown.evaluate("el => getComputedStyle(el).animationName") == "wrap-up"
        api(server, "POST", f"/api/sessions/{code}/breakouts/current/pause", token)
        expect(page.locator("#paused-note")).to_be_visible()
        shoot(lively, screenshots, "16-wrap-up", axe)
        api(server, "POST", f"/api/sessions/{code}/breakouts/current/end", token)
        close_all(devices, server)
    except BaseException:
        for device in devices:
            device.context.close()
        raise
