"""Duo's pages used as people use them: a host and participants on phones and laptops.

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import (
    LAPTOP,
    LIVENESS_MS,
    PHONE,
    SECOND_TOLERANCE_MS,
    AxeRecorder,
    Device,
    assert_right_second,
    close_all,
    countdown_seconds,
    host_state,
    next_seconds,
    open_device,
    screenshot,
    second_error_ms,
)
from tests.utils.server import ROOT, ServerProcess

pytestmark = pytest.mark.browser

FIVE_MINUTES_MS = 5 * 60 * 1000
NAMES = ["Anna", "Bram", "Carla", "Daan"]
FAST = "Daan"  # this phone's clock runs five minutes fast
REFUSED = r"WebSocket|ERR_CONNECTION_REFUSED"
MEASUREMENTS = ROOT / "test-output" / "browser-measurements.json"


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report.json")
    yield recorder
    recorder.write()


@pytest.fixture(scope="module")
def measurements() -> Iterator[dict[str, object]]:
    figures: dict[str, object] = {}
    yield figures
    MEASUREMENTS.parent.mkdir(parents=True, exist_ok=True)
    MEASUREMENTS.write_text(json.dumps(figures, indent=2))


def join(device: Device, join_url: str, name: str) -> None:
    """Open the join link, type the name in the first text field, press Enter, confirm the
    session's agreements (tests/browser/test_meeting.py looks at that screen)."""
    device.page.goto(join_url)
    field = device.page.get_by_role("textbox").first
    expect(field).to_be_visible()
    expect(field).to_have_attribute("id", "name")
    field.fill(name)
    field.press("Enter")
    agree(device.page)


def agree(page: Page) -> None:
    """Confirm the agreements and land in the lobby."""
    page.locator("#agree").click()
    expect(page.locator("#view-lobby")).to_be_visible()


def wait_phase(devices: list[Device], text: str) -> None:
    for device in devices:
        expect(device.page.locator("#phase-count")).to_have_text(text)


def last_phase_change(device: Device) -> float:
    return device.log()["phase"][-1][1]


def skip(host: Device, devices: list[Device], expected: str, latencies: list[float]) -> None:
    """Press "next phase", wait until every page shows `expected`, note how long each took
    (a figure for test-output/browser-measurements.json, not a bound)."""
    host.page.locator("#skip").click()
    clicked = host.log()["clicks"][-1][1]
    wait_phase(devices, expected)
    latencies.extend(last_phase_change(d) - clicked for d in devices)


def tab_to(device: Device, element_id: str) -> dict[str, Any]:
    """Press Tab until the element with `element_id` has focus; return its focus outline."""
    for _ in range(12):
        device.page.keyboard.press("Tab")
        if device.page.evaluate("document.activeElement.id") == element_id:
            return device.page.evaluate(
                """() => {
                    const s = getComputedStyle(document.activeElement);
                    return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
                }"""
            )
    raise AssertionError(f"Tab never reached #{element_id}")


def text_of(device: Device, selector: str) -> str:
    return device.page.locator(selector).text_content() or ""


def turn_of(device: Device) -> str:
    return text_of(device, "#turn")


def test_a_breakout_on_five_phones(
    browser: Browser,
    server: ServerProcess,
    screenshots: Path,
    axe: AxeRecorder,
    measurements: dict[str, object],
) -> None:
    """Create, join, start, follow every phase in step, reload, pause, finish; then a trio."""
    host = open_device(browser, "host")
    devices = [host]
    try:
        page = host.page
        # ---- the host creates a session on / -------------------------------------------
        page.goto(server.base_url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(page.locator("#phase")).to_have_value("60")
        screenshot(host, screenshots, "phone-nl-01-create")
        axe.check(host, "create")
        page.locator("#title").fill("Intervisie team B")
        page.locator("#title").press("Enter")  # keyboard only: Enter in the form creates
        expect(page.locator("#view-created")).to_be_visible()
        code = page.locator("#created-code").text_content() or ""
        join_url = page.locator("#join-link").input_value()
        assert join_url.endswith(f"/s/{code}")
        host_link = page.locator("#host-link").input_value()
        assert "#" in host_link
        host_token = host_link.split("#", 1)[1]
        page.wait_for_function("() => document.querySelector('#qr').complete")
        screenshot(host, screenshots, "phone-nl-02-created")
        axe.check(host, "created")
        qr_width = page.evaluate("document.querySelector('#qr').naturalWidth")

        page.locator("#open-host").click()
        expect(page.locator("#view-host")).to_be_visible()
        assert "#" not in page.url, "the host token stays out of the address bar"
        start = page.get_by_role("button", name=re.compile("breakout", re.IGNORECASE))
        expect(start).to_be_disabled()
        expect(page.locator("#start-reason")).to_contain_text("minstens 2")
        screenshot(host, screenshots, "phone-nl-03-host-empty")
        axe.check(host, "host lobby, empty")

        # ---- four people join by the link; one phone's clock is five minutes fast ----------
        people: dict[str, Device] = {}
        for name in NAMES:
            device = open_device(
                browser, name, clock_shift_ms=FIVE_MINUTES_MS if name == FAST else 0
            )
            devices.append(device)
            people[name] = device
            join(device, join_url, name)
            expect(page.locator("#participant-list")).to_contain_text(name)
        before = time.time() * 1000
        fast_now = people[FAST].page.evaluate("Date.now()")
        after = time.time() * 1000
        assert before - 50 <= fast_now - FIVE_MINUTES_MS <= after + 50, (
            "the fast phone's clock really is five minutes fast"
        )
        expect(page.locator("#people-count")).to_have_text("4 van 4 online")
        expect(people["Anna"].page.locator("#lobby-waiting")).to_have_text("Wachten op de host…")
        expect(people["Anna"].page.locator("#lobby-count")).to_have_text("4 deelnemers")
        screenshot(people["Anna"], screenshots, "phone-nl-04-lobby")
        screenshot(host, screenshots, "phone-nl-05-host-lobby")
        axe.check(people["Anna"], "participant lobby")
        focused = tab_to(people["Anna"], "leave")
        assert focused["outline"] == "solid" and focused["width"] >= 2, (
            f"no visible focus: {focused}"
        )
        axe.check(host, "host lobby, four online")

        # ---- the breakout starts; every page names exactly its partner ---------------------
        expect(start).to_be_enabled()
        start.focus()
        page.keyboard.press("Enter")
        phones = list(people.values())
        for device in phones:
            expect(device.page.locator("#view-breakout")).to_be_visible()
        wait_phase(phones, "Fase 1 van 8")
        partner = {name: text_of(people[name], "#partner-names") for name in NAMES}
        for name, other in partner.items():
            assert other in NAMES and other != name
            assert partner[other] == name, f"{name} sees {other}, but {other} sees {partner[other]}"
            text = people[name].page.locator("main").inner_text()
            strangers = [n for n in NAMES if n not in (name, other)]
            assert not any(s in text for s in strangers), f"{name}'s page names someone else"
        duos = {tuple(sorted((a, b))) for a, b in partner.items()}
        for a, b in duos:
            turns = sorted([turn_of(people[a]), turn_of(people[b])])
            assert "Vertel" in turns, turns
            teller = a if turn_of(people[a]) == "Vertel" else b
            assert f"Luister naar {teller}" in turns
        first_tellers = {name for name in NAMES if turn_of(people[name]) == "Vertel"}

        # the same second everywhere, the fast phone's included: each new second every page
        # shows (three each) is the one the server's deadline gives for that moment
        errors = assert_right_second([host, *phones], server, code, host_token, seconds=3)
        measurements["second_error_ms_per_page"] = {k: round(v, 1) for k, v in errors.items()}
        measurements["fast_clock_page_second_error_ms"] = round(errors[FAST], 1)
        screenshot(people[teller], screenshots, "phone-nl-06-tell-teller")
        screenshot(people[partner[teller]], screenshots, "phone-nl-07-tell-listener")
        screenshot(host, screenshots, "phone-nl-08-host-running")
        axe.check(people[teller], "breakout, telling")
        axe.check(host, "host, running")

        # ---- the host skips through; every page follows ------------------------------------
        latencies: list[float] = []
        skip(host, phones, "Fase 2 van 8", latencies)
        for name in NAMES:
            expected = (
                f"Stilte — {partner[name]} bedenkt een vraag"
                if name in first_tellers
                else "Stilte — bedenk één open vraag"
            )
            expect(people[name].page.locator("#turn")).to_have_text(expected)
        expect(people[teller].page.locator("#instruction")).to_contain_text("Stiltes zijn oké")
        expect(people["Anna"].page.locator("#announcer")).to_contain_text("Stilte, fase 2 van 8.")
        cues = people["Anna"].log()
        assert all(cues[cue] >= 1 for cue in ("vibrate", "tones", "wakeLock")), cues
        screenshot(people[partner[teller]], screenshots, "phone-nl-09-silence")
        skip(host, phones, "Fase 3 van 8", latencies)
        expect(people[partner[teller]].page.locator("#turn")).to_have_text("Stel je vraag")
        skip(host, phones, "Fase 4 van 8", latencies)
        expect(people[teller].page.locator("#turn")).to_have_text("Beantwoord de vraag")
        expect(people[teller].page.locator("#next-text")).to_contain_text("Wissel:")
        skip(host, phones, "Fase 5 van 8", latencies)
        for name in NAMES:  # the roles swap
            expected = f"Luister naar {partner[name]}" if name in first_tellers else "Vertel"
            expect(people[name].page.locator("#turn")).to_have_text(expected)
            expect(people[name].page.locator("#swap-banner")).to_be_visible()
        screenshot(people[teller], screenshots, "phone-nl-10-swapped")
        axe.check(people[teller], "breakout, roles swapped")
        assert_right_second([host, *phones], server, code, host_token)

        # ---- a phone reloads mid-breakout and comes back to the same partner and second ----
        reloaded = people["Bram"]
        reloaded.page.reload()
        expect(reloaded.page.locator("#view-breakout")).to_be_visible()
        expect(reloaded.page.locator("#phase-count")).to_have_text("Fase 5 van 8")
        expect(reloaded.page.locator("#partner-names")).to_have_text(partner["Bram"])
        expect(reloaded.page.locator("#countdown")).not_to_have_text("0:00")
        assert_right_second([reloaded, people[partner["Bram"]], host], server, code, host_token)

        # ---- pause, add a minute, resume ---------------------------------------------------
        page.locator("#pause").click()
        for device in phones:
            expect(device.page.locator("#paused-note")).to_be_visible()
        frozen = countdown_seconds(text_of(people["Anna"], "#countdown"))
        page.wait_for_timeout(1100)
        assert countdown_seconds(text_of(people["Anna"], "#countdown")) == frozen
        screenshot(people["Anna"], screenshots, "phone-nl-11-paused")
        screenshot(host, screenshots, "phone-nl-12-host-paused")
        axe.check(people["Anna"], "breakout, paused")
        axe.check(host, "host, paused")
        page.locator("#extend1").click()
        expect(people["Anna"].page.locator("#countdown")).not_to_have_text(
            f"{frozen // 60}:{frozen % 60:02d}"
        )
        assert countdown_seconds(text_of(people["Anna"], "#countdown")) == frozen + 60
        page.locator("#resume").click()
        for device in phones:
            expect(device.page.locator("#paused-note")).to_be_hidden()
        assert_right_second([host, *phones], server, code, host_token)

        for n in (6, 7, 8):
            skip(host, phones, f"Fase {n} van 8", latencies)
        host.page.locator("#skip").click()
        for device in phones:
            expect(device.page.locator("#done-heading")).to_have_text("Klaar! Bedank je partner.")
        screenshot(people["Anna"], screenshots, "phone-nl-13-done")
        axe.check(people["Anna"], "done")
        another = page.get_by_role("button", name="Start nog een breakout")
        expect(another).to_be_enabled()
        screenshot(host, screenshots, "phone-nl-14-host-finished")
        measurements["skip_click_to_page_switch_ms"] = {
            "max": round(max(latencies), 1),
            "median": round(sorted(latencies)[len(latencies) // 2], 1),
            "samples": len(latencies),
        }
        assert len(latencies) == 7 * len(phones)  # every page followed every skip

        # ---- a fifth person arrives, switches to English; a second breakout has a trio -----
        eva = open_device(browser, "Eva", locale="en-GB")
        devices.append(eva)
        join(eva, join_url, "Eva")
        expect(eva.page.locator("#lobby-waiting")).to_have_text("Wachten op de host…")
        eva.page.get_by_role("button", name="EN English").click()
        expect(eva.page.locator("#lobby-waiting")).to_have_text("Waiting for the host…")
        expect(eva.page.locator("html")).to_have_attribute("lang", "en")
        people["Eva"] = eva
        phones.append(eva)
        expect(page.locator("#people-count")).to_have_text("5 van 5 online")
        another.click()
        for device in phones:
            expect(device.page.locator("#view-breakout")).to_be_visible()
        groups: dict[str, list[str]] = {}
        for name, device in people.items():
            label = device.page.locator("#partner-names").text_content() or ""
            groups[name] = sorted(re.split(r", | en | and ", label))
        trio = [n for n, g in groups.items() if len(g) == 2]
        duo = [n for n, g in groups.items() if len(g) == 1]
        assert len(trio) == 3 and len(duo) == 2, groups
        for name, others in groups.items():
            assert partner.get(name) not in others, f"{name} meets {partner.get(name)} again"
        expect(people[trio[0]].page.locator("#phase-count")).to_contain_text("12")
        expect(people[duo[0]].page.locator("#phase-count")).to_contain_text("8")
        for n in range(2, 10):
            host.page.locator("#skip").click()
            expect(people[trio[0]].page.locator("#phase-count")).to_contain_text(f" {n} ")
        for name in duo:
            done = people[name].page
            expect(done.locator("#view-done")).to_be_visible()
            expect(done.locator("#done-waiting")).to_contain_text(
                re.compile(r"(nog (ongeveer \d+ minuten|minder dan een minuut) bezig|need about)")
            )
        screenshot(people[duo[0]], screenshots, "phone-nl-15-duo-waiting-for-trio")
        screenshot(people[trio[0]], screenshots, "phone-nl-16-trio-third-round")
        screenshot(host, screenshots, "phone-nl-17-host-trio")
        axe.check(people[duo[0]], "done, waiting for the trio")
        axe.check(people[trio[0]], "trio, third rotation")
        axe.check(host, "host, duo done and trio running")
        expect(page.locator("#group-list")).to_contain_text("Klaar")

        # ---- the host ends the breakout early ---------------------------------------------
        page.locator("#end").click()
        page.locator("#end-yes").click()
        for name in trio:
            heading = people[name].page.locator("#done-heading")
            expect(heading).to_have_text(
                re.compile("Klaar! Bedank elkaar.|Done! Thank each other.")
            )

        # ---- someone leaves ---------------------------------------------------------------
        eva.page.locator("#leave").focus()
        eva.page.keyboard.press("Enter")
        expect(eva.page.locator("#leave-no")).to_be_focused()
        eva.page.keyboard.press("Shift+Tab")
        expect(eva.page.locator("#leave-yes")).to_be_focused()
        eva.page.keyboard.press("Enter")
        expect(eva.page.locator("#view-left")).to_be_visible()
        expect(page.locator("#participant-list")).not_to_contain_text("Eva")
        screenshot(eva, screenshots, "phone-en-18-left")
        axe.check(eva, "left")

        measurements["qr_natural_width"] = qr_width
        assert qr_width > 0, "the QR code image (GET /api/sessions/{code}/qr.svg) does not render"
    finally:
        close_all(devices, server)


def test_laptop_in_english_and_dark_phone(
    browser: Browser,
    server: ServerProcess,
    screenshots: Path,
    axe: AxeRecorder,
) -> None:
    """An English session on laptops (1280×800), one phone in dark mode, and a switch to Dutch."""
    created = httpx.post(
        f"{server.base_url}/api/sessions",
        json={"title": "Peer group — team B", "language": "en", "phase_seconds": 90},
    ).json()
    host = open_device(browser, "host", viewport=LAPTOP, locale="en-GB")
    anna = open_device(browser, "Anna", viewport=LAPTOP, locale="en-GB")
    bram = open_device(
        browser,
        "Bram",
        viewport=PHONE,
        locale="en-GB",
        color_scheme="dark",
        reduced_motion="reduce",
    )
    devices = [host, anna, bram]
    try:
        host.page.goto(created["host_url"])
        expect(host.page.locator("#view-host")).to_be_visible()
        expect(host.page.locator("html")).to_have_attribute("lang", "en")
        join(anna, created["join_url"], "Anna")
        join(bram, created["join_url"], "Bram Bartholomeus van den Heuvel")
        expect(anna.page.locator("#lobby-waiting")).to_have_text("Waiting for the host…")
        expect(host.page.locator("#people-count")).to_have_text("2 of 2 online")
        screenshot(host, screenshots, "laptop-en-01-host-lobby")
        screenshot(anna, screenshots, "laptop-en-02-lobby")
        axe.check(host, "laptop host lobby")

        host.page.get_by_role("button", name="Start the breakout").click()
        expect(anna.page.locator("#turn")).to_have_text(
            re.compile("^Tell$|Listen to Bram Bartholomeus van den Heuvel")
        )
        # phases of 90 s: the first counts down from 1:30, at the server's second
        expect(anna.page.locator("#countdown")).to_have_text(re.compile(r"1:[0-3]\d"))
        first = host_state(server, created["code"], created["host_token"])["breakout"]["slots"][0]
        assert first["ends_at_ms"] - first["starts_at_ms"] == 90_000
        ((shown, at),) = next_seconds([(anna, "#countdown")])
        assert countdown_seconds(shown) <= 90
        error = second_error_ms(shown, at, first["ends_at_ms"])
        assert error <= SECOND_TOLERANCE_MS, (shown, at, first)
        screenshot(host, screenshots, "laptop-en-03-host-running")
        screenshot(anna, screenshots, "laptop-en-04-breakout")
        screenshot(bram, screenshots, "phone-en-dark-05-breakout")
        axe.check(anna, "laptop breakout")
        axe.check(bram, "dark phone breakout")

        # the host's reload keeps control: the token was kept on the device
        host.page.reload()
        expect(host.page.locator("#view-host")).to_be_visible()
        host.page.locator("#skip").click()
        expect(anna.page.locator("#phase-count")).to_have_text("Phase 2 of 8")

        bram.page.get_by_role("button", name="NL Nederlands").click()
        expect(bram.page.locator("#phase-count")).to_have_text("Fase 2 van 8")
        expect(bram.page.locator("html")).to_have_attribute("lang", "nl")
        screenshot(bram, screenshots, "phone-nl-dark-06-silence")
        axe.check(bram, "dark phone in Dutch")
        bram.page.reload()  # the language choice is kept on the device
        expect(bram.page.locator("#phase-count")).to_have_text("Fase 2 van 8")
        animation = bram.page.evaluate(
            "getComputedStyle(document.querySelector('.pulse')).animationDuration"
        )
        assert float(animation.rstrip("s")) < 0.01, "reduced motion is respected"
    finally:
        close_all(devices, server)


def test_pages_that_cannot_go_on(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """Unknown session, a host link without its token, and a forgotten participant token."""
    created = httpx.post(f"{server.base_url}/api/sessions", json={"language": "nl"}).json()
    code = created["code"]
    visitor = open_device(browser, "visitor", color_scheme="dark")
    try:
        page = visitor.page
        page.goto(f"{server.base_url}/s/ZZZZZZZZ")
        expect(page.locator("#view-gone")).to_be_visible()
        expect(page.locator("#view-gone h1")).to_have_text("Deze sessie bestaat niet (meer)")
        screenshot(visitor, screenshots, "phone-nl-19-unknown-session")
        axe.check(visitor, "unknown session")

        page.goto(f"{server.base_url}/host/{code}")
        expect(page.locator("#view-notoken")).to_be_visible()
        axe.check(visitor, "host link without token")

        page.goto(created["host_url"])  # the host's page in dark mode
        expect(page.locator("#view-host")).to_be_visible()
        expect(page.locator("#start")).to_be_disabled()
        screenshot(visitor, screenshots, "phone-nl-dark-21-host-lobby")
        axe.check(visitor, "host lobby, dark")
        page.evaluate("(code) => localStorage.removeItem(`duo.host.${code}`)", code)

        page.goto(f"{server.base_url}/")
        screenshot(visitor, screenshots, "phone-nl-dark-22-create")
        axe.check(visitor, "create, dark")
        page.goto(f"{server.base_url}/host/{code}#not-the-token")
        expect(page.locator("#view-notoken")).to_be_visible()

        # a participant whose token no longer works gets the name form again, name filled in
        page.goto(f"{server.base_url}/s/{code}")
        expect(page.locator("#view-join")).to_be_visible()
        page.evaluate(
            """(code) => {
                const stale = {id: "p_x", token: "bad", name: "Anna"};
                localStorage.setItem(`duo.participant.${code}`, JSON.stringify(stale));
                localStorage.setItem("duo.name", JSON.stringify("Anna"));
            }""",
            code,
        )
        page.reload()
        expect(page.locator("#view-join")).to_be_visible()
        expect(page.locator("#name")).to_have_value("Anna")
        page.locator("#name").press("Enter")
        agree(page)
    finally:
        visitor.problems = [p for p in visitor.problems if "404" not in p]
        close_all([visitor], server)


def test_clock_and_view_modules_in_the_browser(browser: Browser, server: ServerProcess) -> None:
    """The pure clock and view modules, run where they run: in the page."""
    device = open_device(browser, "modules")
    try:
        device.page.goto(f"{server.base_url}/")
        result = device.page.evaluate(
            """async () => {
                const clock = await import("/static/js/clock.js");
                const view = await import("/static/js/view.js");
                let samples = [];
                samples = clock.addSample(samples, clock.stampSample(1_000_000, 700_000));
                const rough = clock.bestOffset(samples);
                // a ping sent at client 700_000 answered with server 1_000_030, received at 700_100
                samples = clock.addSample(samples, clock.pongSample(700_000, 1_000_030, 700_100));
                samples = clock.addSample(samples, clock.pongSample(701_000, 1_001_200, 701_900));
                samples = clock.addSample(samples, clock.stampSample(1_005_000, 702_000));
                const slots = [0, 1, 2].map((i) => ({
                    starts_at_ms: i * 60_000, ends_at_ms: (i + 1) * 60_000,
                }));
                const running = {
                    status: "running", current_slot: 0, remaining_ms: 60_000, slots,
                };
                const paused = {
                    ...running, status: "paused", current_slot: 1, remaining_ms: 12_345,
                };
                const backoff = (n) => [clock.backoffMs(n, () => 0), clock.backoffMs(n, () => 1)];
                const slotsAt = [0, 59_999, 60_000, 179_999, 180_000];
                return {
                    formats: [60_000, 59_001, 59_000, 1, 0, -5, 600_000].map(clock.formatCountdown),
                    rough,
                    best: clock.bestOffset(samples),
                    kept: samples.length,
                    ticks: [clock.msUntilNextTick(59_001), clock.msUntilNextTick(59_000)],
                    backoff: [0, 1, 2, 10].map(backoff),
                    slotRunning: slotsAt.map((t) => view.slotAt(running, t)),
                    remainingRunning: view.remainingAt(running, 70_000),
                    slotPaused: view.slotAt(paused, 170_000),
                    remainingPaused: view.remainingAt(paused, 170_000),
                    untilEnd: view.remainingUntil(running, 70_000),
                    untilEndPaused: view.remainingUntil(paused, 999_999),
                    swaps: [0, 3, 4, 8].map(view.isSwap),
                };
            }"""
        )
        assert result["formats"] == ["1:00", "1:00", "0:59", "0:01", "0:00", "0:00", "10:00"]
        assert result["rough"] == 300_000
        # the 100 ms round trip wins; the late rough stamp is ignored
        assert result["best"] == 299_980
        assert result["kept"] == 2
        assert result["ticks"] == [1, 1000]
        assert result["backoff"] == [[250, 500], [500, 1000], [1000, 2000], [7500, 15000]]
        assert result["slotRunning"] == [0, 0, 1, 2, 3]
        assert result["remainingRunning"] == 50_000
        assert result["slotPaused"] == 1 and result["remainingPaused"] == 12_345
        assert result["untilEnd"] == 110_000
        assert result["untilEndPaused"] == 72_345
        assert result["swaps"] == [False, False, True, True]
    finally:
        close_all([device], server)


def test_the_participant_count_in_the_browser(browser: Browser, server: ServerProcess) -> None:
    """The participant's count: exact below 20, else the floor the server sent with a plus."""
    device = open_device(browser, "modules")
    try:
        device.page.goto(f"{server.base_url}/")
        result = device.page.evaluate(
            """async () => {
                const view = await import("/static/js/view.js");
                const shown = (count, floor) => ["nl", "en"].map((lang) => view.countText(
                    lang,
                    view.participantCount({
                        participant_count: count, participant_count_floor: floor,
                    }),
                ));
                return [[1, 1], [7, 7], [19, 19], [20, 20], [25, 24], [123, 120]].map(
                    ([count, floor]) => shown(count, floor),
                );
            }"""
        )
        assert result == [
            ["1 deelnemer", "1 participant"],
            ["7 deelnemers", "7 participants"],
            ["19 deelnemers", "19 participants"],
            ["20+ deelnemers", "20+ participants"],
            ["24+ deelnemers", "24+ participants"],
            ["120+ deelnemers", "120+ participants"],
        ]
    finally:
        close_all([device], server)


def test_a_large_lobby_counts_in_steps(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    """A phone in a lobby of 25 shows "24+"; a join to 26 (a new floor) reaches it."""
    with httpx.Client(base_url=server.base_url) as http:
        session = http.post("/api/sessions", json={"title": "Grote groep"}).json()
        for i in range(24):
            joined = http.post(
                f"/api/sessions/{session['code']}/participants", json={"name": f"P{i:02d}"}
            )
            assert joined.status_code == 201, joined.text
        phone = open_device(browser, "phone")
        try:
            join(phone, session["join_url"], "Anna")
            count = phone.page.locator("#lobby-count")
            expect(count).to_have_text("24+ deelnemers")
            http.post(f"/api/sessions/{session['code']}/participants", json={"name": "Bram"})
            expect(count).to_have_text("26+ deelnemers")
            screenshot(phone, screenshots, "phone-nl-lobby-26")
        finally:
            close_all([phone], server)


def test_a_restarted_server_is_followed_without_losing_the_second(
    browser: Browser,
    server: ServerProcess,
    screenshots: Path,
) -> None:
    """Stop the server mid-breakout: pages say so, and come back to the same phase and second."""
    # ten-minute phases: however long the restart takes, no phase ends during it by chance
    created = httpx.post(
        f"{server.base_url}/api/sessions", json={"language": "nl", "phase_seconds": 600}
    ).json()
    anna = open_device(browser, "Anna")
    bram = open_device(browser, "Bram")
    devices = [anna, bram]
    try:
        join(anna, created["join_url"], "Anna")
        join(bram, created["join_url"], "Bram")
        token = {"Authorization": f"Bearer {created['host_token']}"}
        code = created["code"]
        started = httpx.post(f"{server.base_url}/api/sessions/{code}/breakouts", headers=token)
        assert started.status_code == 201
        wait_phase(devices, "Fase 1 van 8")
        server.stop()
        for device in devices:
            expect(device.page.locator("#conn-status")).to_have_text(
                "Verbinding verbroken — opnieuw verbinden…"
            )
        screenshot(anna, screenshots, "phone-nl-20-reconnecting")
        before = countdown_seconds(anna.page.locator("#countdown").text_content() or "")
        server.start()
        for device in devices:
            expect(device.page.locator("#conn-status")).to_be_hidden(timeout=2 * LIVENESS_MS)
            expect(device.page.locator("#partner-names")).to_have_text(
                "Bram" if device is anna else "Anna"
            )
        wait_phase(devices, "Fase 1 van 8")
        after = countdown_seconds(anna.page.locator("#countdown").text_content() or "")
        assert after <= before  # counted on, never back up
        assert_right_second(devices, server, code, created["host_token"])
    finally:
        # the browser reports the refused connections while the server was down
        for device in devices:
            device.problems = [p for p in device.problems if not re.search(REFUSED, p)]
        close_all(devices, server)
