"""The facilitator's flow: a meeting led from the host page at 1280 and 360 px, one activity
at a time; the presenter's screen shared in a video call; lengths per step and the settings
a device offers for the next session.

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/
(prefix ``flow-``), in Dutch and in English.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from websockets.sync.client import connect

from tests.browser.support import (
    LAPTOP,
    LIVENESS_MS,
    PHONE,
    SECOND_TOLERANCE_MS,
    AxeRecorder,
    Device,
    close_all,
    host_state,
    next_seconds,
    open_device,
    screenshot,
    second_error_ms,
    slot_end,
)
from tests.utils.server import ROOT, ServerProcess

pytestmark = pytest.mark.browser

FIVE_MINUTES_MS = 5 * 60 * 1000
HD: ViewportSize = {"width": 1280, "height": 720}
FULL_HD: ViewportSize = {"width": 1920, "height": 1080}
LONG_NAME = "Bram Bartholomeus van den Heuvel"
LONG_MESSAGE = (
    "Na deze ronde gaan we samen verder in de grote zaal op de eerste verdieping. Neem je "
    "koffie mee, en je aantekeningen: we beginnen met wat jullie in de duo's hebben gehoord "
    "en daarna kiezen we samen het onderwerp voor de volgende keer."
)
FIRST_NAMES = ("Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ivo", "Joost")
LAST_NAMES = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Mulder")
LANGUAGE_BUTTON = {"nl": "NL Nederlands", "en": "EN English"}
BLOCKED = {
    "checkin": "Er loopt een check-in; stop die eerst.",
    "breakout": "Er loopt een breakout; stop die eerst.",
    "break": "Het is pauze; stop die eerst.",
    "checkout": "Er loopt een check-out; stop die eerst.",
}
# The start buttons of the host page's tools, with the element that says why one is disabled.
STARTS = {
    "#round-start": "#round-reason",
    "#start": "#start-reason",
    "#break-start": "#break-reason",
}


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-flow.json")
    yield recorder
    recorder.write()


# ---- layout, measured on element boxes -------------------------------------------------------

# Returns what is wrong with the page's layout: text squeezed to a letter or two a line, names
# broken inside a word, overlapping controls, tags or panels, and a page wider than the window.
LAYOUT_PROBLEMS = """() => {
  const bad = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    bad.push(`page ${root.scrollWidth}px wide in ${root.clientWidth}px`);
  }
  const visible = (el) => {
    if (el.closest("[hidden]") || el.closest(".visually-hidden")) return false;
    // Inside a folded <details> only its summary shows, and only if every <details> around
    // that one is open too (Chromium gives hidden content boxes all the same).
    const FOLDED = "details:not([open])";
    for (let shut = el.closest(FOLDED); shut; shut = shut.parentElement.closest(FOLDED)) {
      if (!shut.querySelector(":scope > summary").contains(el)) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const name = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const text = el.textContent.trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${id}.${[...el.classList].join(".")} "${text}"`;
  };
  // Text a letter or two a line: a text node of some length on many short lines.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text.length < 4 || !visible(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    if (lines > 1 && text.length / lines < 4) {
      bad.push(`squeezed (${lines} lines): ${name(node.parentElement)}`);
    }
  }
  // A name reads whole: never narrower than its longest word (unless the row is).
  const canvas = document.createElement("canvas").getContext("2d");
  for (const el of document.querySelectorAll(".person-name, .speaker-name, .present-chip")) {
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const words = el.textContent.split(/\\s+/);
    const widest = Math.max(...words.map((w) => canvas.measureText(w).width));
    const row = el.parentElement.getBoundingClientRect().width;
    if (el.getBoundingClientRect().width + 1 < Math.min(widest, row)) {
      bad.push(`name broken: ${name(el)}`);
    }
  }
  // Things side by side never overlap.
  const apart = (a, b) =>
    a.right <= b.left + 0.5 || b.right <= a.left + 0.5
    || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
  const groups = [
    [...document.querySelectorAll("button, a.button, summary, select, input, textarea")],
    [...document.querySelectorAll(".panel")],
    ...[...document.querySelectorAll(".person, .present-member, .present-steps, .present-speakers")]
      .map((row) => [...row.querySelectorAll(
        ".dot, .person-name, .role-tag, .reading-tag, .left-tag, li, .present-speaker-box",
      )]),
  ];
  for (const group of groups) {
    const shown = group.filter(visible);
    for (let i = 0; i < shown.length; i += 1) {
      for (let j = i + 1; j < shown.length; j += 1) {
        const [a, b] = [shown[i], shown[j]];
        if (a.contains(b) || b.contains(a)) continue;
        if (!apart(a.getBoundingClientRect(), b.getBoundingClientRect())) {
          bad.push(`overlap: ${name(a)} / ${name(b)}`);
        }
      }
    }
  }
  return bad;
}"""


def assert_layout(device: Device, state: str) -> None:
    problems = device.page.evaluate(LAYOUT_PROBLEMS)
    assert problems == [], f"{device.name} ({state}, {device.viewport['width']}px): {problems}"


def look(host: Device, folder: Path, axe: AxeRecorder, name: str, state: str) -> None:
    """Check the host page's layout and accessibility in `state`; save it as `name`, nl and en."""
    width = host.viewport["width"]
    assert_layout(host, state)
    shots(host, folder, f"host-{width}-{name}")
    axe.check(host, f"host {state} {width}")


def shots(device: Device, folder: Path, name: str) -> None:
    """Save `flow-{name}-{nl,en}.png`: the page in Dutch, then in English, then back."""
    page = device.page
    for lang in ("en", "nl"):
        page.get_by_role("button", name=LANGUAGE_BUTTON[lang]).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        screenshot(device, folder, f"flow-{name}-{lang}")


def expect_now_in_view(page: Page) -> None:
    """The now panel's top is in the window (scrolled there after a start)."""
    expect(page.locator("#now-panel")).to_be_in_viewport()
    page.wait_for_function(
        """() => {
            const top = document.querySelector("#now-panel").getBoundingClientRect().top;
            return top >= -1 && top < window.innerHeight / 3;
        }"""
    )


def expect_one_at_a_time(page: Page, activity: str) -> None:
    """While `activity` runs, every start is disabled and says why."""
    for button, reason in STARTS.items():
        expect(page.locator(button)).to_be_disabled()
        expect(page.locator(reason)).to_have_text(BLOCKED[activity])


def press_anyway(page: Page, button: str) -> None:
    """Press a start the page disabled (as a page whose state lags would): the server decides."""
    page.evaluate(
        """(selector) => {
            const button = document.querySelector(selector);
            button.disabled = false;
            button.click();
        }""",
        button,
    )


def open_tool(page: Page, tool: str) -> None:
    """Unfold a tool of the host page when it is folded (a narrow screen while something runs)."""
    details = page.locator(tool)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def join(device: Device, join_url: str, name: str) -> None:
    """Open the join link, type the name and press Enter (the session has no agreements)."""
    device.page.goto(join_url)
    field = device.page.locator("#name")
    field.fill(name)
    field.press("Enter")


def new_session(server: ServerProcess, **fields: Any) -> dict[str, Any]:
    body = {"title": "Intervisie team B", "language": "nl", "agreements": "", **fields}
    created = httpx.post(f"{server.base_url}/api/sessions", json=body)
    assert created.status_code == 201, created.text
    return dict(created.json())


# ---- a whole meeting, led from the host page --------------------------------------------------


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_a_meeting_led_from_the_host_page(
    browser: Browser,
    server: ServerProcess,
    screenshots: Path,
    axe: AxeRecorder,
    viewport: ViewportSize,
) -> None:
    """Check-in, breakout, message, break and check-out, one at a time, each start bringing
    the now panel into view; the other starts disabled with the reason; a 409 shown plainly."""
    width = viewport["width"]
    created = new_session(server, agreements="Wat hier gezegd wordt, blijft hier.")
    code, token = created["code"], created["host_token"]
    host = open_device(browser, "host", viewport=viewport)
    people = [open_device(browser, name) for name in ("Anna", LONG_NAME, "Carla", "Daan")]
    devices = [host, *people]
    try:
        hp = host.page
        hp.goto(created["host_url"])
        expect(hp.locator("#view-host")).to_be_visible()
        for person in people:
            join(person, created["join_url"], person.name)
            if person.name != LONG_NAME:
                person.page.locator("#agree").click()
        expect(hp.locator("#people-count")).to_have_text("4 van 4 online")
        # A long name with a badge beside it still reads whole (the badge goes below).
        reading = hp.locator("#participant-list .person", has_text=LONG_NAME)
        expect(reading.locator(".reading-tag")).to_have_text("leest de afspraken")
        assert_layout(host, "lobby, someone reading the agreements")
        shots(host, screenshots, f"host-{width}-00-lobby-reading")
        people[1].page.locator("#agree").click()
        expect(hp.locator("#participant-list .reading-tag")).to_have_count(0)
        expect(hp.locator("#now-heading")).to_have_text("Nu: Lobby")
        expect(hp.locator("#next-step")).to_have_text("Check-in")
        for button in STARTS:
            expect(hp.locator(button)).to_be_enabled()
        expect(hp.locator("#present-link")).to_have_attribute("href", f"/present/{code}#{token}")
        look(host, screenshots, axe, "01-lobby", "lobby")

        # ---- check-in: the next step's button gets its tool ready -------------------------
        hp.locator("#next-go").click()
        expect(hp.locator("#round-question")).to_be_focused()
        hp.locator("#round-question").select_option("proud")
        hp.locator("#round-start").click()
        expect(hp.locator("#round-running")).to_be_visible()
        expect(hp.locator("#round-next")).to_be_focused()
        expect_now_in_view(hp)
        expect(hp.locator("#now-heading")).to_have_text("Nu: Check-in")
        expect(hp.locator("#next-step")).to_have_text("Breakout in duo’s")
        expect_one_at_a_time(hp, "checkin")
        look(host, screenshots, axe, "02-checkin", "check-in")
        for _ in range(5):
            hp.locator("#round-next").click()
        expect(hp.locator("#now-heading")).to_have_text("Nu: Lobby")
        expect(hp.locator("#start")).to_be_enabled()

        # ---- breakout: roles per member, time left as a duration and a clock time ---------
        hp.locator("#start").click()
        expect(hp.locator("#running-area")).to_be_visible()
        expect_now_in_view(hp)
        expect_one_at_a_time(hp, "breakout")
        roles = hp.locator("#group-list .role-tag")
        expect(roles).to_have_count(4)
        assert sorted(roles.all_text_contents()) == ["luistert", "luistert", "vertelt", "vertelt"]
        expect(hp.locator("#host-everyone")).to_have_text(
            re.compile(r"^Nog ongeveer 8 min, klaar om \d\d:\d\d$")
        )
        hp.locator("#skip").click()
        expect(hp.locator("#host-phase-count")).to_have_text("Fase 2 van 8")
        assert sorted(roles.all_text_contents()) == [
            "bedenkt een vraag",
            "bedenkt een vraag",
            "stil",
            "stil",
        ]
        if viewport == PHONE:
            # A running breakout fits in about two screens: the tools are folded.
            for tool in hp.locator("details.tool").all():
                expect(tool).not_to_have_attribute("open", "")
            # The breakout (countdown, controls, groups) ends within two screens; with the
            # folded rest, the page stays around two and a half.
            now_end = hp.evaluate(
                "document.querySelector('#now-panel').getBoundingClientRect().bottom + scrollY"
            )
            assert now_end <= 2 * PHONE["height"], f"the running breakout ends at {now_end}px"
            height = hp.evaluate("document.documentElement.scrollHeight")
            assert height <= 2.5 * PHONE["height"], f"{height}px for a running breakout"
        look(host, screenshots, axe, "03-breakout", "breakout")

        # ---- a start pressed anyway: the server's 409, said plainly -----------------------
        # (needs the one-activity rule on the server: main, issue 9)
        press_anyway(hp, "#round-start")
        open_tool(hp, "#round-panel")
        expect(hp.locator("#round-error")).to_have_text(
            "Dat kan nu niet. Er loopt een breakout; stop die eerst."
        )
        assert host_state(server, code, token)["meeting"]["round"] is None

        # ---- a message: a banner, then a line once the activity changes; the sent list ----
        open_tool(hp, "#message-panel")
        hp.locator("#message-input").fill("Nog 5 minuten")
        hp.locator("#message-send").click()
        expect(hp.locator("#message-banner")).to_be_visible()
        expect(hp.locator("#message-strip")).to_be_hidden()
        expect(hp.locator("#sent-list li")).to_have_count(1)
        expect(hp.locator("#sent-list")).to_contain_text("Nog 5 minuten")
        hp.locator("#end").click()
        hp.locator("#end-yes").click()
        expect(hp.locator("#now-heading")).to_have_text("Nu: Lobby")
        expect(hp.locator("#round-error")).to_be_hidden()  # the refusal was about the breakout
        expect(hp.locator("input[name=kind][value=checkout]")).to_be_checked()
        expect(hp.locator("#message-banner")).to_be_hidden()
        expect(hp.locator("#message-strip")).to_have_text(
            re.compile(r"^Bericht van \d\d:\d\d: Nog 5 minuten$")
        )
        assert_layout(host, "after the breakout")
        shots(host, screenshots, f"host-{width}-04-message-strip")

        # ---- a break with an energizer ---------------------------------------------------
        hp.locator("#break-minutes").fill("5")
        hp.locator("#break-energizer-choice").select_option("colour_race")
        hp.locator("#break-start").click()
        expect(hp.locator("#break-running")).to_be_visible()
        expect(hp.locator("#break-end")).to_be_focused()
        expect_now_in_view(hp)
        expect_one_at_a_time(hp, "break")
        look(host, screenshots, axe, "05-break", "break")
        # A second break pressed anyway: 409 (one break at a time, on the server already).
        press_anyway(hp, "#break-start")
        open_tool(hp, "#break-panel")
        expect(hp.locator("#break-error")).to_have_text(
            "Dat kan nu niet. Het is pauze; stop die eerst."
        )
        hp.locator("#break-end").click()
        expect(hp.locator("#now-heading")).to_have_text("Nu: Lobby")

        # ---- check-out: the next step; the host ends it ---------------------------------
        expect(hp.locator("#next-step")).to_have_text("Check-out")
        hp.locator("#next-go").click()
        expect(hp.locator("input[name=kind][value=checkout]")).to_be_checked()
        hp.locator("#round-start").click()
        expect_now_in_view(hp)
        expect_one_at_a_time(hp, "checkout")
        expect(hp.locator("#next-step")).to_have_text("Afronden")
        look(host, screenshots, axe, "06-checkout", "check-out")
        hp.locator("#round-end").click()
        expect(hp.locator("#now-heading")).to_have_text("Nu: Lobby")
        expect(hp.locator("#next-step")).to_have_text("Afronden")
        hp.emulate_media(color_scheme="dark")
        look(host, screenshots, axe, "07-end-dark", "the end, dark")
        # The two starts pressed anyway were refused on purpose: the browser logs their 409s.
        refused = [p for p in host.problems if "status of 409" in p]
        assert len(refused) == 2, host.problems
        host.problems = [p for p in host.problems if p not in refused]
    finally:
        close_all(devices, server)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_the_host_page_at_a_glance(
    browser: Browser,
    server: ServerProcess,
    screenshots: Path,
    axe: AxeRecorder,
    viewport: ViewportSize,
) -> None:
    """At 1280 px the tools start right under "Nu: Lobby" ("Start de check-in" above the
    fold, no empty row beside it); at 360 px what runs, then the next step, then the tools.
    The agenda ticks off what the meeting had, and with 90 minutes planned the next step after
    the check-in and the breakout is the break."""
    planned = int(time.time() * 1000) + 90 * 60_000
    created = new_session(server, planned_end_ms=planned)
    code, token = created["code"], created["host_token"]
    headers = {"Authorization": f"Bearer {token}"}
    host = open_device(browser, "host", viewport=viewport)
    width = viewport["width"]
    with ExitStack() as sockets:
        try:
            hp = host.page
            hp.goto(created["host_url"])
            expect(hp.locator("#round-start")).to_have_text("Start de check-in")
            expect(hp.locator("#elapsed")).to_have_text("Net begonnen")
            box = {
                name: hp.locator(selector).bounding_box()
                for name, selector in {
                    "now": "#now-panel",
                    "next": "#meeting-panel",
                    "round": "#round-panel",
                    "start": "#round-start",
                }.items()
            }
            assert all(box.values()), box
            now, nxt, tools, start = box["now"], box["next"], box["round"], box["start"]
            assert hp.evaluate("window.scrollY") == 0
            if viewport == LAPTOP:
                # the next step beside what runs; the tools right under it, no row between
                assert nxt["x"] >= now["x"] + now["width"]
                assert 0 <= tools["y"] - (now["y"] + now["height"]) <= 24, box
                assert start["y"] + start["height"] <= viewport["height"], box
            else:
                assert now["y"] + now["height"] <= nxt["y"] < nxt["y"] + nxt["height"] <= tools["y"]
            assert_layout(host, "lobby at a glance")
            screenshot(host, screenshots, f"flow-host-{width}-at-a-glance-nl")

            # two people online (sockets of the test's own), a check-in and a breakout had
            for name in ("Anna", "Bram"):
                joined = httpx.post(
                    f"{server.base_url}/api/sessions/{code}/participants", json={"name": name}
                )
                ws = sockets.enter_context(
                    connect(f"{server.ws_url}/ws/{code}", max_queue=None, ping_interval=None)
                )
                ws.send(json.dumps({"type": "hello", "token": joined.json()["token"]}))
                ws.recv(timeout=LIVENESS_MS / 1000)
            for path, body in (
                ("rounds", {"kind": "checkin", "question": "Hoe gaat het?"}),
                ("rounds/current/end", None),
                ("breakouts", None),
                ("breakouts/current/end", None),
            ):
                answer = httpx.post(
                    f"{server.base_url}/api/sessions/{code}/{path}", headers=headers, json=body
                )
                assert answer.status_code in (200, 201), answer.text
            done = hp.locator("#agenda .agenda-step.is-done .agenda-name")
            expect(done).to_have_text(["Afspraken", "Check-in", "Breakout"])
            expect(hp.locator("#agenda .is-done").first).to_contain_text("gedaan")
            expect(hp.locator("#next-step")).to_have_text("Pauze")
            expect(hp.locator("#next-text")).to_have_text(
                re.compile(r"^Je sessie loopt tot \d\d:\d\d: met een pauze ertussen")
            )
            if viewport == LAPTOP:
                expect(hp.locator("#round-start")).to_be_in_viewport()
            assert_layout(host, "lobby after a check-in and a breakout")
            shots(host, screenshots, f"host-{width}-agenda-ticked")
            axe.check(host, f"host agenda ticked off {width}")
        finally:
            close_all([host], server)


# ---- the presenter's screen ------------------------------------------------------------------

# The visible text elements of the page, each with its font size and box: the countdown must
# be the largest of them.
TEXT_SIZES = """() => [...document.querySelectorAll("body *")]
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .filter((el) => !el.closest("[hidden]") && !el.closest(".visually-hidden"))
  .map((el) => {
    const r = el.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(el).fontSize);
    const text = el.textContent.trim().slice(0, 20);
    return { id: el.id, text, size, height: r.height, width: r.width };
  })
  .filter((t) => t.width > 0 && t.height > 0)"""

# What the screen shows outside the window (it must never scroll), and the form controls it shows.
SCREEN_PROBLEMS = """() => {
  const bad = [];
  const root = document.documentElement;
  if (root.scrollHeight > innerHeight || root.scrollWidth > innerWidth) {
    bad.push(`scrolls: ${root.scrollWidth}x${root.scrollHeight}`);
  }
  for (const el of document.querySelectorAll("main *, header *")) {
    if (el.closest("[hidden]") || el.closest(".visually-hidden")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const what = `${el.tagName} ${el.id} ${el.className}`;
    if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) bad.push(`outside: ${what}`);
    if (el.matches("input, select, textarea, button")) bad.push(`a control: ${what}`);
  }
  return bad;
}"""


def assert_screen(device: Device, state: str) -> None:
    problems = device.page.evaluate(SCREEN_PROBLEMS)
    assert problems == [], f"presenter {state} at {device.viewport}: {problems}"
    assert_layout(device, state)


def present_shots(
    presenter: Device, host: Device, folder: Path, name: str, axe: AxeRecorder
) -> None:
    """Check and save the presenter's screen in Dutch and English (the host switches: the
    screen follows), light, then dark."""
    size = f"{presenter.viewport['width']}x{presenter.viewport['height']}"
    for lang in ("en", "nl"):
        host.page.get_by_role("button", name=LANGUAGE_BUTTON[lang]).click()
        expect(presenter.page.locator("html")).to_have_attribute("lang", lang)
        assert_screen(presenter, f"{name} {lang}")
        screenshot(presenter, folder, f"flow-present-{size}-{name}-{lang}")
    axe.check(presenter, f"presenter {name} {size}")
    presenter.page.emulate_media(color_scheme="dark")
    screenshot(presenter, folder, f"flow-present-{size}-{name}-nl-dark")
    axe.check(presenter, f"presenter {name} {size}, dark")
    presenter.page.emulate_media(color_scheme="light")


@pytest.mark.parametrize("viewport", [HD, FULL_HD], ids=["720p", "1080p"])
def test_the_presenter_screen(
    browser: Browser,
    server: ServerProcess,
    screenshots: Path,
    axe: AxeRecorder,
    viewport: ViewportSize,
) -> None:
    """Opened from the host page, the screen follows the meeting: the way in, the check-in,
    the breakout (the countdown the largest text, the same second as a phone five minutes
    fast), the break and the thank-you; no scrolling, no controls."""
    created = new_session(server)
    code, token = created["code"], created["host_token"]
    host = open_device(browser, "host", viewport=LAPTOP)
    fast = open_device(browser, "Daan", clock_shift_ms=FIVE_MINUTES_MS)
    people = [fast, *(open_device(browser, name) for name in ("Anna", LONG_NAME))]
    devices = [host, *people]
    try:
        hp = host.page
        hp.goto(created["host_url"])
        expect(hp.locator("#view-host")).to_be_visible()
        # "Share this screen" opens the presenter's view in a new tab of this device.
        with host.context.expect_page() as opened:
            hp.locator("#present-link").click()
        page = opened.value
        page.set_viewport_size(viewport)
        presenter = Device("presenter", host.context, page, viewport)
        page.on("pageerror", lambda error: presenter.problems.append(f"page error: {error}"))
        devices.append(presenter)
        expect(page.locator("#view-lobby")).to_be_visible()
        assert "#" not in page.url, "the host token leaves the address bar"

        # ---- the way in: the code very large, the QR code, the link, who is here ---------
        for person in people:
            join(person, created["join_url"], person.name)
        expect(page.locator("#joined-count")).to_have_text("3 deelnemers binnen")
        expect(page.locator("#present-code")).to_have_text(code)
        expect(page.locator("#present-url")).to_have_text(re.compile(rf"/s/{code}$"))
        page.wait_for_function("() => document.querySelector('#present-qr').naturalWidth > 0")
        code_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#present-code')).fontSize)"
        )
        assert code_size >= 0.1 * viewport["height"], code_size
        expect(page.locator("#joined-list")).to_contain_text(LONG_NAME)
        present_shots(presenter, host, screenshots, "01-lobby", axe)

        # ---- check-in: the question, who speaks now and who is next, the order ------------
        hp.locator("#round-question").select_option("grateful")
        hp.locator("#round-start").click()
        expect(page.locator("#view-round")).to_be_visible()
        expect(page.locator("#round-question")).to_have_text("Waar ben je dankbaar voor?")
        expect(page.locator("#round-speaker")).to_have_text("De host")
        expect(page.locator("#round-order li")).to_have_count(4)
        hp.locator("#round-next").click()
        expect(page.locator("#round-kind")).to_have_text("Check-in · Beurt 2 van 4")
        speaker = page.locator("#round-speaker").text_content() or ""
        assert speaker in ("Anna", "Daan", LONG_NAME), speaker
        expect(page.locator("#round-order [aria-current=true]")).to_have_text(speaker)
        present_shots(presenter, host, screenshots, "02-checkin", axe)
        hp.locator("#round-end").click()
        expect(page.locator("#view-lobby")).to_be_visible()

        # ---- the breakout: the countdown is the largest text, at the server's second -------
        hp.locator("#start").click()
        expect(page.locator("#view-breakout")).to_be_visible()
        expect(fast.page.locator("#countdown")).to_be_visible()
        expect(page.locator("#breakout-round")).to_have_text(
            re.compile("^Ronde 1 van (2|3) · en dan andersom$")
        )
        expect(page.locator("#breakout-steps [aria-current=step]")).to_have_attribute(
            "data-kind", "tell"
        )
        expect(page.locator("#present-groups > li")).to_have_count(1)  # three people: a trio
        sizes = page.evaluate(TEXT_SIZES)
        countdown = next(t for t in sizes if t["id"] == "breakout-countdown")
        others = [t for t in sizes if t["id"] != "breakout-countdown"]
        assert countdown["size"] > max(t["size"] for t in others), sizes
        assert countdown["height"] > max(t["height"] for t in others), sizes
        seen = next_seconds([(presenter, "#breakout-countdown"), (fast, "#countdown")])
        breakout = host_state(server, code, token)["breakout"]
        for who, (shown, at) in zip(("presenter", "fast phone"), seen, strict=True):
            end = slot_end(breakout, at)
            if end is not None:  # next to a slot boundary either second may be right
                assert second_error_ms(shown, at, end) <= SECOND_TOLERANCE_MS, (who, shown)
        present_shots(presenter, host, screenshots, "03-breakout", axe)
        for _ in range(4):
            hp.locator("#skip").click()
        expect(page.locator("#breakout-round")).to_have_text(re.compile("^Ronde 2 van 3"))
        hp.locator("#pause").click()
        expect(page.locator("#breakout-paused")).to_be_visible()
        present_shots(presenter, host, screenshots, "04-breakout-paused", axe)
        hp.locator("#end").click()
        hp.locator("#end-yes").click()
        expect(page.locator("#view-lobby")).to_be_visible()

        # ---- the break: countdown and the energizer's instruction --------------------------
        hp.locator("#break-energizer-choice").select_option("yoga")
        hp.locator("#break-start").click()
        expect(page.locator("#view-break")).to_be_visible()
        expect(page.locator("#energizer-text")).to_have_text(
            "Vijf minuten rustig rekken en diep ademhalen, ieder voor zich."
        )
        expect(page.locator("#break-countdown")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
        present_shots(presenter, host, screenshots, "05-break", axe)
        hp.locator("#break-end").click()

        # ---- the end: thank-you and the check-out's question ------------------------------
        hp.locator("#next-go").click()
        hp.locator("#round-question").select_option("feeling")
        hp.locator("#round-start").click()
        expect(page.locator("#round-question")).to_have_text(
            "Met welk gevoel verlaat je de sessie?"
        )
        hp.locator("#round-end").click()
        expect(page.locator("#view-end")).to_be_visible()
        expect(page.locator("#end-question")).to_have_text("Met welk gevoel verlaat je de sessie?")
        present_shots(presenter, host, screenshots, "06-end", axe)
        page.reload()  # the screen remembers the end on this device
        expect(page.locator("#view-end")).to_be_visible()
    finally:
        close_all(devices, server)


# Every group card the presenter shows, and its names: whole, inside the list and the window;
# the ones it hides, counted in "en nog N groepen".
GROUPS_FIT = """() => {
  const list = document.querySelector("#present-groups");
  const box = list.getBoundingClientRect();
  const inside = (el) => {
    const r = el.getBoundingClientRect();
    return r.top >= box.top - 0.5 && r.bottom <= Math.min(box.bottom, innerHeight) + 0.5
      && r.left >= box.left - 0.5 && r.right <= Math.min(box.right, innerWidth) + 0.5;
  };
  const cards = [...list.querySelectorAll(":scope > li.present-group")];
  const shown = cards.filter((card) => !card.hidden);
  const cut = [...shown, ...shown.flatMap((c) => [...c.querySelectorAll(".person-name")])]
    .filter((el) => !inside(el)).map((el) => el.textContent);
  const more = list.querySelector(".is-more");
  return {
    cards: cards.length, shown: shown.length, cut,
    more: more && !more.hidden ? more.textContent : null,
    moreInside: more ? inside(more) : true,
  };
}"""


SHOWN_GROUPS = (
    "document.querySelectorAll('#present-groups > li.present-group:not([hidden])').length"
)


def assert_groups_fit(presenter: Device, groups: int) -> int:
    """Every shown group card and name is whole on the screen, the rest are counted; return
    how many are shown."""
    fit = presenter.page.evaluate(GROUPS_FIT)
    assert fit["cards"] == groups, fit
    assert fit["cut"] == [], f"cut off: {fit['cut']}"
    assert fit["moreInside"], fit
    hidden = groups - fit["shown"]
    assert fit["more"] == (f"en nog {hidden} groepen" if hidden else None), fit
    return int(fit["shown"])


def test_the_presenter_fits_a_crowd_and_a_message(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """41 people (19 duos and a trio) at 1280x720: the groups that fit are whole, the rest
    counted; a long message pushes some off and they are counted too, at once, not cut
    mid-name; a short one after it gives some back. The round says each kind's own count."""
    created = new_session(server)
    code, token = created["code"], created["host_token"]
    host = {"Authorization": f"Bearer {token}"}
    presenter = open_device(browser, "presenter", viewport=HD)
    with ExitStack() as sockets:
        for i in range(41):
            name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i % len(LAST_NAMES)]} {i}"
            joined = httpx.post(
                f"{server.base_url}/api/sessions/{code}/participants", json={"name": name}
            )
            assert joined.status_code == 201, joined.text
            # online: a socket of the test's own (read nothing more: no queue limit, no pings)
            ws = sockets.enter_context(
                connect(f"{server.ws_url}/ws/{code}", max_queue=None, ping_interval=None)
            )
            ws.send(json.dumps({"type": "hello", "token": joined.json()["token"]}))
            ws.recv(timeout=LIVENESS_MS / 1000)
        started = httpx.post(f"{server.base_url}/api/sessions/{code}/breakouts", headers=host)
        assert started.status_code == 201, started.text
        # Paused: the phase (and with it every card's role tags) stays as it is throughout.
        paused = httpx.post(
            f"{server.base_url}/api/sessions/{code}/breakouts/current/pause", headers=host
        )
        assert paused.status_code == 200, paused.text
        try:
            page = presenter.page
            page.goto(f"{server.base_url}/present/{code}#{token}")
            expect(page.locator("#view-breakout")).to_be_visible()
            expect(page.locator("#breakout-round")).to_have_text(
                "Ronde 1 · duo’s 2 rondes, het trio 3"
            )
            expect(page.locator("#present-groups .is-more")).to_be_visible()
            alone = assert_groups_fit(presenter, 20)
            assert_screen(presenter, "a crowd")
            screenshot(presenter, screenshots, "flow-present-1280x720-crowd-nl")

            # A long message pushes groups off; a short one after it gives room back: the
            # list fits itself each time, at once (no window resize).
            shown = alone
            for text, fewer in ((LONG_MESSAGE, True), ("Nog vijf minuten.", False)):
                sent = httpx.post(
                    f"{server.base_url}/api/sessions/{code}/messages",
                    headers=host,
                    json={"text": text},
                )
                assert sent.status_code == 201, sent.text
                expect(page.locator("#message-text")).to_have_text(text)
                page.wait_for_function(
                    f"([n, fewer]) => fewer ? {SHOWN_GROUPS} < n : {SHOWN_GROUPS} > n",
                    arg=[shown, fewer],
                )
                shown = assert_groups_fit(presenter, 20)
                assert 0 < shown < alone
                assert_screen(presenter, f"a crowd and a message of {len(text)} characters")
                kind = "long" if fewer else "short"
                screenshot(presenter, screenshots, f"flow-present-1280x720-crowd-{kind}-message-nl")
            axe.check(presenter, "presenter, a crowd and a message")
        finally:
            close_all([presenter], server)


def test_a_presenter_link_without_a_token_says_so(browser: Browser, server: ServerProcess) -> None:
    created = new_session(server)
    device = open_device(browser, "presenter", viewport=HD)
    try:
        device.page.goto(f"{server.base_url}/present/{created['code']}")
        expect(device.page.locator("#view-notoken")).to_be_visible()
        device.page.goto(f"{server.base_url}/present/{created['code']}#not-the-token")
        expect(device.page.locator("#view-notoken")).to_be_visible()
        device.problems = [p for p in device.problems if "WebSocket" not in p]
    finally:
        close_all([device], server)


# ---- the create form: lengths per step, and the last settings --------------------------------


def test_lengths_per_step_and_the_last_settings(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """Tell 90 s, the rest 60 s: the session carries them, the slots last that long and the
    host page counts from the slots; the next session on this device starts from them."""
    host = open_device(browser, "host", viewport=LAPTOP)
    anna, bram = open_device(browser, "Anna"), open_device(browser, "Bram")
    devices = [host, anna, bram]
    try:
        hp = host.page
        hp.goto(server.base_url + "/")
        expect(hp.locator("#remembered")).to_be_hidden()
        hp.locator("#step-lengths summary").click()
        expect(hp.locator("#step-tell")).to_have_value("60")
        hp.locator("#step-tell").fill("5")
        hp.locator("#create-submit").click()
        expect(hp.locator("#step-error")).to_have_text("Kies voor elke stap 10 tot 600 seconden.")
        expect(hp.locator("#step-tell")).to_be_focused()
        hp.locator("#step-tell").fill("90")
        expect(hp.locator("[data-step-time=tell]")).to_have_text("90 seconden")
        # One length control: steps that differ make it say so, never "1 minuut" beside 90 s.
        expect(hp.locator("#phase")).to_have_value("custom")
        expect(hp.locator("#phase option:checked")).to_have_text("Verschillend per stap")
        hp.locator("#phase").select_option("120")
        for kind in ("tell", "silence", "question", "answer"):
            expect(hp.locator(f"#step-{kind}")).to_have_value("120")
            expect(hp.locator(f"[data-step-time={kind}]")).to_have_text("2 minuten")
        hp.locator("#phase").select_option("60")
        hp.locator("#step-tell").fill("90")
        expect(hp.locator("#phase")).to_have_value("custom")
        hp.locator("input[name=language][value=en]").check()
        hp.locator("#agreements").fill("Be kind.")
        hp.locator("#planned-end").fill(
            hp.evaluate(
                """() => {
                    const d = new Date(Date.now() + 95 * 60_000);
                    const two = (n) => String(n).padStart(2, "0");
                    return `${two(d.getHours())}:${two(d.getMinutes())}`;
                }"""
            )
        )
        screenshot(host, screenshots, "flow-create-1280-lengths-nl")
        axe.check(host, "create with lengths per step")
        hp.locator("#create-submit").click()
        expect(hp.locator("#view-created")).to_be_visible()
        code = hp.locator("#created-code").text_content() or ""
        token = hp.locator("#host-link").input_value().split("#", 1)[1]
        # (needs phase_seconds_by_kind on the server: main, issue 9)
        session = host_state(server, code, token)["session"]
        assert session["phase_seconds_by_kind"] == {
            "tell": 90,
            "silence": 60,
            "question": 60,
            "answer": 60,
        }

        # the host page: the steps' own lengths, the slots' own times
        hp.locator("#open-host").click()
        expect(hp.locator("[data-step-time=tell]")).to_have_text("90 seconds")
        expect(hp.locator("[data-step-time=silence]")).to_have_text("1 minute")
        join_url = f"{server.base_url}/s/{code}"
        for person in (anna, bram):
            person.page.goto(join_url)
            person.page.locator("#name").fill(person.name)
            person.page.locator("#name").press("Enter")
            person.page.locator("#agree").click()
        expect(hp.locator("#people-count")).to_have_text("2 of 2 online")
        hp.locator("#start").click()
        expect(hp.locator("#running-area")).to_be_visible()
        slots = host_state(server, code, token)["breakout"]["slots"]
        lengths = [s["ends_at_ms"] - s["starts_at_ms"] for s in slots]
        assert lengths == [90_000, 60_000, 60_000, 60_000] * 2, lengths
        # 9 minutes in all (not 8 × 60 s): "about 9 min left"
        expect(hp.locator("#host-everyone")).to_have_text(
            re.compile(r"^About 9 min left, done at \d\d:\d\d$")
        )

        # ---- the next session on this device starts from these settings ------------------
        hp.goto(server.base_url + "/")
        expect(hp.locator("#remembered")).to_be_visible()
        expect(hp.locator("input[name=language][value=en]")).to_be_checked()
        expect(hp.locator("#step-tell")).to_have_value("90")
        expect(hp.locator("#step-silence")).to_have_value("60")
        expect(hp.locator("#phase")).to_have_value("custom")
        expect(hp.locator("#agreements")).to_have_value("Be kind.")
        expect(hp.locator("#planned-end")).to_have_value(re.compile(r"^\d\d:\d[05]$"))
        expect(hp.locator("#title")).to_have_value("")  # no names kept
        stored = hp.evaluate("JSON.parse(localStorage.getItem('duo.settings'))")
        assert set(stored) == {
            "language",
            "phase_seconds",
            "phase_seconds_by_kind",
            "agreements",
            "planned_minutes",
        }, stored
        screenshot(host, screenshots, "flow-create-1280-remembered-nl")
        axe.check(host, "create with the last settings")
        hp.locator("#use-defaults").click()
        expect(hp.locator("#remembered")).to_be_hidden()
        expect(hp.locator("#step-tell")).to_have_value("60")
        expect(hp.locator("#agreements")).to_have_value(
            re.compile("Wat hier gezegd wordt|What is said here")
        )
        assert hp.evaluate("localStorage.getItem('duo.settings')") is None
    finally:
        close_all(devices, server)


# ---- the derivations behind the flow, run where they run ---------------------------------


def test_flow_views_in_the_browser(browser: Browser, server: ServerProcess) -> None:
    device = open_device(browser, "modules")
    try:
        device.page.goto(f"{server.base_url}/")
        result = device.page.evaluate(
            """async () => {
                const view = await import("/static/js/view.js");
                const ui = await import("/static/js/host-ui.js");
                const kinds = ["tell", "silence", "question", "answer"];
                const roles = kinds.map((k) => [true, false].map((t) => view.memberRole(k, t)));
                const meeting = (activity, suggestBreak = false) => ({ activity, suggestBreak });
                const plan = (activity) => ({ activity, suggestBreak: false, breakPlanned: true });
                const MIN = 60_000;
                // the host's meeting at `now` (min): planned to end at `end` (min)
                const hostMeeting = (now, end, done, last, agreed = [true, true]) =>
                    view.meetingModel({
                        participants: agreed.map((a, i) => ({ id: `p${i}`, agreed: a })),
                        breakout: null,
                        meeting: {
                            started_at_ms: 0, planned_end_ms: end === null ? null : end * MIN,
                            last_break_ended_at_ms: done.includes("break") ? 40 * MIN : null,
                            agreements: "Wees lief.", break: null, round: null,
                            done, last_activity: last,
                        },
                    }, now * MIN);
                const hosted = () => {
                    const ticked = hostMeeting(30, 90, ["checkin", "breakout"], "breakout");
                    return {
                        agenda: ticked.agenda.map((s) => [s.step, s.done]),
                        reading: hostMeeting(5, 90, [], null, [true, false]).agenda[0].done,
                        breakPlanned: [
                            ticked.breakPlanned,
                            hostMeeting(30, 50, ["checkin", "breakout"], "breakout").breakPlanned,
                            hostMeeting(75, 90, ["checkin", "breakout"], "breakout").breakPlanned,
                            hostMeeting(45, 90, ["checkin", "breakout", "break"], "break")
                                .breakPlanned,
                            hostMeeting(30, null, ["checkin", "breakout"], "breakout").breakPlanned,
                        ],
                    };
                };
                // what the meeting has had, as the server says (meeting.done)
                const state = (done = []) => ({ meeting: { done } });
                const slots = [90, 60, 60, 60]
                    .map((s) => ({ starts_at_ms: 0, ends_at_ms: s * 1000 }));
                const message = { id: 1, text: "x", sent_at_ms: 0 };
                return {
                    roles,
                    next: [
                        view.nextStep(state(), meeting("lobby")),
                        view.nextStep(state(["checkin"]), meeting("lobby")),
                        view.nextStep(state(["checkin", "breakout"]), meeting("lobby")),
                        view.nextStep(state(["checkin", "breakout"]), meeting("lobby", true)),
                        view.nextStep(
                            state(["checkin", "breakout", "checkout"]), meeting("lobby")
                        ),
                        view.nextStep(state(), meeting("checkin")),
                        view.nextStep(state(), meeting("breakout")),
                        view.nextStep(state(), meeting("breakout", true)),
                        view.nextStep(state(), meeting("checkout")),
                    ],
                    // the plan asks for a break: offered after the check-in and the breakout
                    planned: [
                        view.nextStep(state(), plan("lobby")),
                        view.nextStep(state(["checkin", "breakout"]), plan("lobby")),
                        view.nextStep(state(["checkin"]), plan("breakout")),
                        view.nextStep(state(["checkin", "breakout", "break"]), plan("break")),
                    ],
                    ...hosted(),
                    blocked: ["lobby", "breakout"].map(view.blockedBy),
                    messages: [
                        view.messageMode(null, 0, "lobby"),
                        view.messageMode(message, 59_999, "breakout", "breakout"),
                        view.messageMode(message, 60_000, "breakout", "breakout"),
                        view.messageMode(message, 1_000, "lobby", "breakout"),
                    ],
                    steps: [
                        view.stepSeconds({ phase_seconds: 45 }),
                        view.stepSeconds({
                            phase_seconds: 60,
                            phase_seconds_by_kind: {
                                tell: 90, silence: 60, question: 60, answer: 60,
                            },
                        }),
                    ],
                    rounds: [0, 3, 4, 7, 8].map((slot) => view.roundOfSlot(
                        { slots: [...slots, ...slots] }, slot, [{ members: [1, 2] }],
                    )),
                    mixed: view.roundOfSlot(
                        { slots }, 0, [{ members: [1, 2] }, { members: [1, 2, 3] }],
                    ),
                    roundTexts: [
                        view.roundText("nl", { n: 1, total: 2, mixed: false, trios: 0 }),
                        view.roundText("nl", { n: 2, total: 2, mixed: false, trios: 0 }),
                        view.roundText("nl", { n: 1, total: 3, mixed: true, trios: 1 }),
                        view.roundText("nl", { n: 3, total: 3, mixed: true, trios: 1 }),
                        view.roundText("en", { n: 2, total: 3, mixed: true, trios: 2 }),
                        view.roundText("nl", null),
                    ],
                    left: [
                        ui.timeLeftText("en", {
                            everyoneDoneMs: 11 * 60_000 + 1, doneAtMs: Date.UTC(2030, 0, 1, 10, 56),
                        }),
                        ui.timeLeftText("nl", { everyoneDoneMs: 59_000, doneAtMs: 0 }),
                        ui.timeLeftText("nl", { everyoneDoneMs: 5 * 60_000, doneAtMs: null }),
                    ],
                };
            }"""
        )
        assert result["roles"] == [
            ["tell", "listen"],
            ["silent", "think"],
            ["listen", "ask"],
            ["answer", "listen"],
        ]
        assert result["next"] == [
            "checkin",
            "breakout",
            "checkout",
            "break",
            "end",
            "breakout",
            "checkout",
            "break",
            "end",
        ]
        assert result["planned"] == ["checkin", "break", "break", "checkout"]
        # the agenda ticks off what the meeting has had (and the agreements once all agreed)
        assert result["agenda"] == [
            ["agreements", True],
            ["checkin", True],
            ["breakout", True],
            ["break", False],
            ["checkout", False],
        ]
        assert result["reading"] is False
        # 90 min planned, 30 in: a break; 50 planned: none needed; 15 min left: no room;
        # a break was the last thing: not again; no planned end: the hour's rule only
        assert result["breakPlanned"] == [True, False, False, False, False]
        assert result["blocked"] == [None, "host.blocked.breakout"]
        assert result["messages"] == [None, "banner", "strip", "strip"]
        assert result["steps"] == [
            {"tell": 45, "silence": 45, "question": 45, "answer": 45},
            {"tell": 90, "silence": 60, "question": 60, "answer": 60},
        ]
        duos = {"total": 2, "mixed": False, "trios": 0}
        assert result["rounds"] == [
            {"n": 1, **duos},
            {"n": 1, **duos},
            {"n": 2, **duos},
            {"n": 2, **duos},
            None,
        ]
        # duos beside a trio: each kind's own number of rounds, never "1 van 3" to a duo
        assert result["mixed"] == {"n": 1, "total": 3, "mixed": True, "trios": 1}
        assert result["roundTexts"] == [
            "Ronde 1 van 2 · en dan andersom",
            "Ronde 2 van 2",
            "Ronde 1 · duo’s 2 rondes, het trio 3",
            "Ronde 3 van 3 voor het trio; de duo’s zijn klaar",
            "Round 2 · duos 2 rounds, the trios 3",
            "",
        ]
        assert re.fullmatch(r"About 12 min left, done at \d\d:56", result["left"][0])
        assert re.fullmatch(r"Nog minder dan een minuut, klaar om \d\d:\d\d", result["left"][1])
        assert result["left"][2] == "Nog ongeveer 5 min zodra de klok weer loopt"
    finally:
        close_all([device], server)
