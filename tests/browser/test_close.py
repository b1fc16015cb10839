"""A meeting that ends (issue 18.2), as people see it: after a breakout, a message and a
check-out the host closes the session; a phone (360x740) and the presenter (1280x720) show a
calm end, the host what happened; then the host erases everything and every page says so.

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/
(prefix ``close-``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.support import (
    LAPTOP,
    PHONE,
    AxeRecorder,
    Device,
    close_all,
    open_device,
    screenshot,
)
from tests.utils.server import ROOT, ServerProcess

pytestmark = pytest.mark.browser

PRESENTER: ViewportSize = {"width": 1280, "height": 720}
TITLE = "Intervisie team B"
MESSAGE = "Nog 5 minuten"


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-close.json")
    yield recorder
    recorder.write()


def shot(device: Device, folder: Path, name: str, viewport: ViewportSize | None = None) -> None:
    """Save `close-{name}.png` (at `viewport`, then back) and check it never scrolls sideways."""
    before = device.viewport
    if viewport is not None:
        device.page.set_viewport_size(viewport)
        device.viewport = viewport
    try:
        screenshot(device, folder, f"close-{name}")
    finally:
        if viewport is not None:
            device.page.set_viewport_size(before)
            device.viewport = before


def assert_laid_out(page: Page, container: str, parts: list[str], *, fits: bool = False) -> None:
    """Assert that the visible `parts` under `container` have room: none overlaps another,
    none sticks out of the container or the window's width, none is cut off (its text fits
    its box); with `fits`, the whole page fits the window's height too (a shared screen never
    scrolls)."""
    report = page.evaluate(
        """([container, parts]) => {
          const outer = document.querySelector(container).getBoundingClientRect();
          const boxes = [];
          for (const selector of parts) {
            const el = document.querySelector(`${container} ${selector}`);
            if (!el || el.closest("[hidden]")) continue;
            const r = el.getBoundingClientRect();
            const cut = el.scrollWidth > el.clientWidth + 1
              || el.scrollHeight > el.clientHeight + 1;
            boxes.push({ selector, x: r.x, y: r.y + window.scrollY, w: r.width, h: r.height, cut });
          }
          return { outer: { x: outer.x, w: outer.width }, boxes, width: window.innerWidth,
                   height: window.innerHeight, scrollWidth: document.documentElement.scrollWidth,
                   scrollHeight: document.documentElement.scrollHeight };
        }""",
        [container, parts],
    )
    assert report["scrollWidth"] <= report["width"], report
    if fits:
        assert report["scrollHeight"] <= report["height"], report
    boxes: list[dict[str, Any]] = report["boxes"]
    assert boxes, (container, parts)
    for box in boxes:
        assert box["w"] > 0 and box["h"] > 0, box
        assert not box["cut"], box
        assert box["x"] >= max(0, report["outer"]["x"]) - 0.5, box
        assert (
            box["x"] + box["w"]
            <= min(report["width"], report["outer"]["x"] + report["outer"]["w"]) + 0.5
        ), box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"] + 0.5
                or b["x"] + b["w"] <= a["x"] + 0.5
                or a["y"] + a["h"] <= b["y"] + 0.5
                or b["y"] + b["h"] <= a["y"] + 0.5
            )
            assert apart, (a, b)


CLOSED_PHONE_PARTS = ["#closed-heading", "#closed-title", "#closed-text", ".closed-mark"]
CLOSED_HOST_PARTS = [
    ".eyebrow",
    "#closed-title",
    ".closed-facts div:nth-child(1)",
    ".closed-facts div:nth-child(2)",
    ".closed-facts div:nth-child(3)",
    ".closed-facts div:nth-child(4)",
    "#closed-again",
    "#closed-again-hint",
    "#closed-deleted",
    "#closed-erase",
    "#closed-erase-hint",
]
CLOSED_PRESENTER_PARTS = [".present-thanks", "#closed-title", ".present-eyebrow"]


def api(server: ServerProcess, session: dict[str, Any], path: str, body: Any = None) -> Any:
    answer = httpx.post(
        f"{server.base_url}/api/sessions/{session['code']}/{path}",
        json=body,
        headers={"Authorization": f"Bearer {session['host_token']}"},
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def join_and_agree(device: Device, join_url: str) -> None:
    page = device.page
    page.goto(join_url)
    field = page.locator("#name")
    expect(field).to_be_visible()
    field.fill(device.name)
    field.press("Enter")
    page.locator("#agree").click()
    expect(page.locator("#view-lobby")).to_be_visible()


def test_the_host_closes_and_then_erases_the_session(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    session = httpx.post(
        f"{server.base_url}/api/sessions", json={"title": TITLE, "language": "nl"}
    ).json()
    join_url = f"{server.base_url}/s/{session['code']}"
    host = open_device(browser, "host", viewport=LAPTOP)
    anna = open_device(browser, "Anna", viewport=PHONE)
    bram = open_device(browser, "Bram", viewport=PHONE)
    presenter = open_device(browser, "presenter", viewport=PRESENTER)
    devices = [host, anna, bram, presenter]
    try:
        hp, ap, pp = host.page, anna.page, presenter.page
        hp.goto(session["host_url"])
        expect(hp.locator("#view-host")).to_be_visible()
        pp.goto(f"{server.base_url}/present/{session['code']}#{session['host_token']}")
        for person in (anna, bram):
            join_and_agree(person, join_url)
        expect(hp.locator("#people-count")).to_have_text("2 van 2 online")

        # ---- a breakout, a message and a check-out: what could be left over ----------------
        api(server, session, "breakouts")
        expect(ap.locator("#group-badge")).to_be_visible()
        api(server, session, "messages", {"text": MESSAGE})
        expect(ap.locator("#message-banner")).to_be_visible()
        api(server, session, "breakouts/current/end")
        api(server, session, "rounds", {"kind": "checkout", "question": "Wat neem je mee?"})
        expect(ap.locator("#view-round")).to_be_visible()
        api(server, session, "rounds/current/end")
        expect(pp.locator("#view-end")).to_be_visible()

        # ---- after the check-out the next step is closing the session, confirmed -----------
        next_go = hp.locator("#next-go")
        expect(next_go).to_have_text("Sessie afsluiten")
        expect(hp.locator("#close-session")).to_be_hidden()  # the next step offers it
        next_go.click()
        confirm = hp.locator("#close-confirm")
        expect(confirm).to_be_visible()
        expect(hp.locator("#close-no")).to_be_focused()
        expect(hp.locator("#close-erase")).to_have_text("Sluiten en alles wissen")
        assert_laid_out(hp, "#close-confirm", ["#close-question", ".button-row", ".erase-choice"])
        shot(host, screenshots, "laptop-nl-01-host-confirm")
        shot(host, screenshots, "phone-nl-01-host-confirm", PHONE)
        axe.check(host, "close confirmation")
        hp.locator("#close-no").click()
        expect(confirm).to_be_hidden()
        expect(next_go).to_be_focused()
        next_go.click()
        hp.locator("#close-yes").click()

        # ---- every device shows the end ------------------------------------------------------
        expect(ap.locator("#view-closed")).to_be_visible()
        expect(ap.locator("#closed-heading")).to_have_text("Bedankt voor het meedoen!")
        expect(ap.locator("#closed-title")).to_have_text(TITLE)
        for leftover in ("#message-banner", "#group-badge", "#signals", "#actions", "#now-chip"):
            expect(ap.locator(leftover)).to_be_hidden()
        expect(bram.page.locator("#view-closed")).to_be_visible()
        assert_laid_out(ap, "#view-closed", CLOSED_PHONE_PARTS)
        shot(anna, screenshots, "phone-nl-02-participant-closed")
        shot(anna, screenshots, "laptop-nl-02-participant-closed", LAPTOP)
        axe.check(anna, "participant closed")

        expect(pp.locator("#view-closed")).to_be_visible()
        expect(pp.locator("#view-closed #closed-title")).to_have_text(TITLE)
        expect(pp.locator("#message-banner")).to_be_hidden()
        expect(pp.locator("#present-now")).to_be_hidden()
        assert_laid_out(pp, "#view-closed", CLOSED_PRESENTER_PARTS, fits=True)
        thanks = pp.locator("#view-closed .present-thanks").bounding_box()
        assert thanks is not None and thanks["height"] >= 60  # big, for a shared screen
        shot(presenter, screenshots, "presenter-nl-03-closed")
        shot(presenter, screenshots, "presenter-phone-nl-03-closed", PHONE)

        closed = hp.locator("#view-closed")
        expect(closed).to_be_visible()
        expect(hp.locator("#view-host")).to_be_hidden()
        expect(hp.locator("#closed-title")).to_have_text(TITLE)
        expect(hp.locator("#closed-people")).to_have_text("2")
        expect(hp.locator("#closed-done")).to_have_text("1 breakout en check-out")
        expect(hp.locator("#closed-again")).to_have_text("Nieuwe sessie met dezelfde instellingen")
        expect(hp.locator("#message-banner")).to_be_hidden()
        assert_laid_out(hp, "#view-closed", CLOSED_HOST_PARTS)
        shot(host, screenshots, "laptop-nl-04-host-closed")
        shot(host, screenshots, "phone-nl-04-host-closed", PHONE)
        assert_laid_out(hp, "#view-closed", CLOSED_HOST_PARTS)
        axe.check(host, "host closed")
        hp.get_by_role("button", name="EN English").click()
        expect(hp.locator("#closed-done")).to_have_text("1 breakout and check-out")
        shot(host, screenshots, "laptop-en-05-host-closed")
        hp.get_by_role("button", name="NL Nederlands").click()

        # ---- a latecomer finds the session ended, not a name form --------------------------
        late = open_device(browser, "Late", viewport=PHONE)
        devices.append(late)
        late.page.goto(join_url)
        expect(late.page.locator("#view-closed")).to_be_visible()
        expect(late.page.locator("#closed-heading")).to_have_text("Deze sessie is afgelopen")
        expect(late.page.locator("#view-join")).to_be_hidden()
        shot(late, screenshots, "phone-nl-06-latecomer-closed")

        # ---- erasing: confirmed, then gone everywhere -----------------------------------------
        hp.locator("#closed-erase").click()
        expect(hp.locator("#closed-erase-no")).to_be_focused()
        shot(host, screenshots, "laptop-nl-07-host-erase-confirm")
        hp.locator("#closed-erase-yes").click()
        expect(hp.locator("#view-erased")).to_be_visible()
        expect(ap.locator("#view-gone")).to_be_visible()
        expect(pp.locator("#view-gone")).to_be_visible()
        gone = httpx.get(f"{server.base_url}/api/sessions/{session['code']}")
        assert gone.status_code == 404
        shot(host, screenshots, "laptop-nl-08-host-erased")
        shot(anna, screenshots, "phone-nl-08-participant-erased")

        # ---- a new session with the same settings -------------------------------------------
        hp.locator("#erased-again").click()
        expect(hp.locator("#remembered")).to_be_visible()
        expect(hp.locator("input[name=language][value=nl]")).to_be_checked()
        assert hp.locator("#title").input_value() == ""  # no title: no names
    finally:
        close_all(devices, server)


def test_close_views_in_the_browser(browser: Browser, server: ServerProcess) -> None:
    """The pages' pure models of a closed session (view.js, close-ui.js)."""
    device = open_device(browser, "modules")
    try:
        device.page.goto(f"{server.base_url}/")
        result = device.page.evaluate(
            """async () => {
                const view = await import("/static/js/view.js");
                const ui = await import("/static/js/close-ui.js");
                const session = (closed) => ({
                    code: "K7PQXR", title: "Team B", language: "en", phase_seconds: 60,
                    phase_seconds_by_kind: { tell: 90, silence: 60, question: 60, answer: 60 },
                    closed, closed_at_ms: closed ? 5_400_000 : null,
                });
                const meeting = {
                    activity: "lobby", started_at_ms: 0, planned_end_ms: 3_600_000,
                    agreements: "Be kind.", done: ["checkin", "breakout", "checkout"],
                    last_activity: "checkout", messages: [{ id: 1, text: "x", sent_at_ms: 0 }],
                    round: null, break: null,
                };
                const state = (closed) => ({
                    session: session(closed), meeting, participant_count: 6,
                    me: { id: "p_a", name: "Anna", host: false, agreed: false },
                    breakout: { id: "b", number: 3, status: "finished", slots: [],
                                my_group: null },
                });
                const summary = view.closedSummary(state(true));
                return {
                    open: [
                        view.closedSummary(state(false)),
                        view.participantModel(state(false), 1).screen,
                    ],
                    closed: view.participantModel(state(true), 1),
                    summary,
                    done: [ui.doneText("nl", summary), ui.doneText("en", summary)],
                    settings: view.settingsOf(state(true)),
                    next: view.nextStep(state(false), { activity: "lobby", suggestBreak: true }),
                };
            }"""
        )
        assert result["open"] == [None, "agreements"]
        assert result["closed"]["screen"] == "closed" and result["closed"]["title"] == "Team B"
        assert result["summary"] == {
            "title": "Team B",
            "closedAtMs": 5_400_000,
            "durationMs": 5_400_000,
            "people": 6,
            "breakouts": 3,
            "done": ["checkin", "checkout"],
            "deletedAtMs": 5_400_000 + 3_600_000,
        }
        assert result["done"] == [
            "check-in, 3 breakouts en check-out",
            "check-in, 3 breakouts and check-out",
        ]
        assert result["settings"] == {
            "language": "en",
            "phase_seconds": 60,
            "phase_seconds_by_kind": {"tell": 90, "silence": 60, "question": 60, "answer": 60},
            "agreements": "Be kind.",
            "planned_minutes": 60,
        }
        assert result["next"] == "end"  # after the check-out: close, not a break
    finally:
        close_all([device], server)
