"""A trio member who leaves during a breakout (issue 18.3), on three 360 px phones and the
host's 1280 px laptop: before and after, the others' screens (nobody told to listen to,
ask or wait for her), the host's card (who left, what changed), and her own screen ("Je
doet niet meer mee aan deze sessie", a way back in, nothing left of the breakout).

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/
(prefix ``leavers-``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import (
    LAPTOP,
    Device,
    close_all,
    host_state,
    open_device,
    screenshot,
)
from tests.browser.test_flow import LAYOUT_PROBLEMS, join, new_session
from tests.utils.server import ServerProcess

pytestmark = pytest.mark.browser

NAMES = ("Anna", "Bram", "Chloe")

# What is shown is shown whole: nothing sticks out of the window or is cut off in its box.
CUT_OFF = """() => {
  const bad = [];
  const shown = (el) => !el.closest("[hidden]") && el.getClientRects().length > 0
    && !el.closest(".visually-hidden");
  for (const el of document.querySelectorAll("main *")) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.left < -0.5 || r.right > innerWidth + 0.5) {
      bad.push(`outside the window: ${el.tagName} #${el.id} .${el.className} ${r.left}-${r.right}`);
    }
    const style = getComputedStyle(el);
    // A text field scrolls its own text (a link longer than the field is not cut off).
    const field = ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
    const clips = !field && ["hidden", "clip"].includes(style.overflowX)
      && style.textOverflow !== "ellipsis";
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      bad.push(`cut off: ${el.tagName} #${el.id} .${el.className}`);
    }
  }
  return bad;
}"""


def assert_boxes(device: Device, state: str) -> None:
    """No overlap, no sideways scroll, nothing squeezed or cut off (element boxes)."""
    problems = [*device.page.evaluate(LAYOUT_PROBLEMS), *device.page.evaluate(CUT_OFF)]
    assert problems == [], f"{device.name} ({state}, {device.viewport['width']}px): {problems}"


def look(device: Device, folder: Path, name: str, state: str) -> None:
    assert_boxes(device, state)
    screenshot(device, folder, f"leavers-{name}")


def in_english(device: Device, folder: Path, name: str) -> None:
    """Switch the page to English, check its boxes and save `leavers-{name}-en.png`."""
    device.page.get_by_role("button", name="EN English").click()
    expect(device.page.locator("html")).to_have_attribute("lang", "en")
    look(device, folder, f"{name}-en", "in English")


def in_dutch(device: Device) -> None:
    device.page.get_by_role("button", name="NL Nederlands").click()
    expect(device.page.locator("html")).to_have_attribute("lang", "nl")


def trio_devices(
    browser: Browser, server: ServerProcess
) -> tuple[dict[str, Any], Device, dict[str, Device], list[str]]:
    """A session, the host's laptop, three phones in it, a breakout started: its trio's ids
    in rotation order and every phone by participant id."""
    created = new_session(server, phase_seconds=600)
    host = open_device(browser, "host", viewport=LAPTOP)
    host.page.goto(created["host_url"])
    expect(host.page.locator("#view-host")).to_be_visible()
    phones = [open_device(browser, name) for name in NAMES]
    for phone in phones:
        join(phone, created["join_url"], phone.name)
        expect(phone.page.locator("#view-lobby")).to_be_visible()
    expect(host.page.locator("#people-count")).to_have_text("3 van 3 online")
    host.page.locator("#start").click()
    expect(host.page.locator("#running-area")).to_be_visible()
    state = host_state(server, created["code"], created["host_token"])
    names = {p["id"]: p["name"] for p in state["participants"]}
    by_name = {phone.name: phone for phone in phones}
    trio = state["breakout"]["groups"][0]["members"]
    return created, host, {pid: by_name[names[pid]] for pid in trio}, trio


def skip(host: Page, to_phase: int) -> None:
    host.locator("#skip").click()
    expect(host.locator("#host-phase-count")).to_contain_text(f"Fase {to_phase} van")


def test_a_listener_leaves_a_trio(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    created, host, phones, trio = trio_devices(browser, server)
    teller, asker, leaver = (phones[pid] for pid in trio)
    hp = host.page
    try:
        # ---- before: the question phase, two askers in order ------------------------------
        skip(hp, 2)
        skip(hp, 3)
        expect(asker.page.locator("#task-order")).to_have_text(f"Eerst jij, dan {leaver.name}.")
        expect(leaver.page.locator("#task-order")).to_have_text(f"Eerst {asker.name}, dan jij.")
        expect(teller.page.locator("#turn")).to_have_text(
            f"Luister naar de vragen van {asker.name} en {leaver.name}"
        )
        card = hp.locator("#group-list .group-card").first
        expect(card.locator(".group-order")).to_have_text(f"Eerst {asker.name}, dan {leaver.name}")
        expect(card.locator(".group-change")).to_have_count(0)
        for phone, who in ((teller, "teller"), (asker, "asker"), (leaver, "leaver")):
            look(phone, screenshots, f"360-before-{who}", "before the leave")
        look(host, screenshots, "1280-host-before", "before the leave")

        # ---- she leaves from her own phone --------------------------------------------------
        leaver.page.locator("#leave").click()
        leaver.page.locator("#leave-yes").click()
        lp = leaver.page
        expect(lp.locator("#view-left h1")).to_have_text("Je doet niet meer mee aan deze sessie")
        expect(lp.locator("#left-text")).to_have_text(
            "Je hebt de sessie verlaten. Toch weer meedoen? Dat kan gewoon."
        )
        expect(lp.locator("#rejoin")).to_be_visible()
        for gone in ("#group-badge", "#signals", "#signal-done", "#now-chip", "#actions", "#error"):
            expect(lp.locator(gone)).to_be_hidden()
        expect(lp.locator("#conn-status")).to_be_hidden()
        look(leaver, screenshots, "360-after-leaver", "after her leave")
        in_english(leaver, screenshots, "360-after-leaver")
        expect(lp.locator("#view-left h1")).to_have_text(
            "You’re no longer taking part in this session"
        )
        expect(lp.locator("#left-text")).to_have_text(
            "You left the session. Changed your mind? You can join again."
        )
        in_dutch(leaver)

        # ---- the others: nobody's task names her --------------------------------------------
        expect(asker.page.locator("#task-order")).to_be_hidden()
        expect(asker.page.locator("#turn")).to_have_text("Stel je vraag")
        expect(asker.page.locator("#partner-note")).to_have_text(
            f"{leaver.name} heeft de sessie verlaten. Jullie gaan verder als duo."
        )
        expect(teller.page.locator("#turn")).to_have_text(f"Luister naar de vraag van {asker.name}")
        expect(asker.page.locator("#partner-label")).to_have_text("Je partner:")
        expect(asker.page.locator("#partner-names")).to_have_text(teller.name)
        for phone in (teller, asker):
            for part in ("#turn", "#task-order", "#instruction", "#next-text"):
                expect(phone.page.locator(part)).not_to_contain_text(leaver.name)
            expect(phone.page.locator("#phase-count")).to_have_text("Fase 3 van 8")
            expect(phone.page.locator("#progress .rotation")).to_have_count(2)
        look(teller, screenshots, "360-after-teller", "after the leave")
        look(asker, screenshots, "360-after-asker", "after the leave")
        in_english(asker, screenshots, "360-after-asker")
        expect(asker.page.locator("#partner-note")).to_have_text(
            f"{leaver.name} has left the session. You two carry on as a duo."
        )
        expect(asker.page.locator("#task-order")).to_be_hidden()
        in_dutch(asker)

        # ---- the host's card: who left, what changed ----------------------------------------
        expect(card.locator(".group-change")).to_have_text(
            f"{leaver.name} is weg — {teller.name} en {asker.name} gaan verder als duo"
        )
        expect(card.locator(".group-order")).to_have_count(0)
        expect(card.locator(".person.is-left")).to_contain_text(leaver.name)
        expect(card.locator(".role-tag")).to_have_count(2)
        look(host, screenshots, "1280-host-after", "after the leave")

        # ---- later phases: still nobody's task; the trio is a duo of 8 phases -------------
        skip(hp, 4)
        skip(hp, 5)
        expect(teller.page.locator("#turn")).to_have_text(f"Luister naar {asker.name}")
        expect(asker.page.locator("#turn")).to_have_text("Vertel")
        expect(hp.locator("#host-phase-count")).to_have_text("Fase 5 van 8")
        look(teller, screenshots, "360-later-teller", "the next rotation")
        look(host, screenshots, "1280-host-later", "the next rotation")

        # ---- her way back in: the join form, her name filled in ----------------------------
        lp.locator("#rejoin").click()
        expect(lp.locator("#view-join")).to_be_visible()
        expect(lp.locator("#name")).to_have_value(leaver.name)
        lp.locator("#name").press("Enter")
        expect(lp.locator("#view-lobby")).to_be_visible()
        expect(lp.locator("#lobby-note")).to_be_visible()  # a late joiner: the host can place her
        look(leaver, screenshots, "360-rejoined", "back in, late")
        state = host_state(server, created["code"], created["host_token"])
        assert len(state["breakout"]["slots"]) == 8
    finally:
        close_all([host, *phones.values()], server)


def test_the_teller_is_removed_from_a_trio(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    created, host, phones, trio = trio_devices(browser, server)
    teller, first, second = (phones[pid] for pid in trio)
    hp = host.page
    try:
        skip(hp, 2)  # silence: the others think of a question for the teller
        removed = httpx.delete(
            f"{server.base_url}/api/sessions/{created['code']}/participants/{trio[0]}",
            headers={"Authorization": f"Bearer {created['host_token']}"},
        )
        assert removed.status_code == 204
        expect(teller.page.locator("#view-left h1")).to_have_text(
            "Je doet niet meer mee aan deze sessie"
        )
        expect(teller.page.locator("#group-badge")).to_be_hidden()
        expect(teller.page.locator("#signals")).to_be_hidden()
        expect(teller.page.locator("#left-text")).to_have_text(
            "De host heeft je uit de sessie gehaald. Toch weer meedoen? Dat kan gewoon."
        )
        look(teller, screenshots, "360-removed", "removed by the host")
        # The phase she told in is a wait; the next turn follows at the next phase.
        expect(first.page.locator("#turn")).to_have_text("Even wachten")
        expect(first.page.locator("#instruction")).to_have_text(
            "Zo meteen gaan jullie verder als duo, en dan vertel jij."
        )
        expect(first.page.locator("#phase-name")).to_have_text("Wachten")
        expect(first.page.locator("#partner-names")).to_have_text(second.name)
        expect(second.page.locator("#instruction")).to_have_text(
            f"Zo meteen gaan jullie verder als duo, en dan vertelt {first.name}."
        )
        for phone in (first, second):
            for part in ("#turn", "#task-order", "#instruction", "#next-text"):
                expect(phone.page.locator(part)).not_to_contain_text(teller.name)
        look(first, screenshots, "360-wait-next-teller", "a wait where the teller left")
        look(second, screenshots, "360-wait-other", "a wait where the teller left")
        card = hp.locator("#group-list .group-card").first
        expect(card.locator(".group-change")).to_have_text(
            f"{teller.name} is weg — {first.name} en {second.name} gaan verder als duo"
        )
        expect(card.locator(".role-tag")).to_have_text(["wacht", "wacht"])
        look(host, screenshots, "1280-host-wait", "a wait where the teller left")
        in_english(host, screenshots, "1280-host-wait")
        expect(card.locator(".group-change")).to_have_text(
            f"{teller.name} has left — {first.name} and {second.name} carry on as a duo"
        )
        in_dutch(host)
        in_english(first, screenshots, "360-wait-next-teller")
        expect(first.page.locator("#turn")).to_have_text("Wait a moment")
        in_dutch(first)
        skip(hp, 3)
        expect(first.page.locator("#turn")).to_have_text("Vertel")
        expect(second.page.locator("#turn")).to_have_text(f"Luister naar {first.name}")
        expect(second.page.locator("#phase-count")).to_have_text("Fase 3 van 10")
        look(second, screenshots, "360-after-wait", "the next turn after the wait")
    finally:
        close_all([host, *phones.values()], server)
