"""Nobody stuck and nobody unseen (issue 18, points 1, 4 and 6), on 360 px phones and a
1280 px host page: a participant still reading the agreements sees what runs below them and
the host is asked before a start that includes them; a call for help shows where the host
looks (the "Nu" panel, the group list, the tab title) and the phone's confirmation stands
next to its buttons until the next phase; what is over (a breakout's end screen, its group
badge, an old message) is gone once the next activity starts.

Phases are 600 s long and the host's "next phase" moves on, so no phase ends by itself while
a page is looked at. Screenshots go to test-output/screenshots/ (seen-*).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.support import LAPTOP, Device, close_all, host_state, open_device, screenshot
from tests.utils.server import ServerProcess

pytestmark = pytest.mark.browser

AGREEMENTS = "Wat hier gezegd wordt, blijft hier."
LONG_PHASE = 600


def api(server: ServerProcess, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.request(method, server.base_url + path, headers=headers, timeout=30, **kw)
    assert answer.status_code < 300, answer.text
    return answer.json() if answer.content else None


def new_session(server: ServerProcess) -> dict[str, Any]:
    body = {"title": "Intervisie", "language": "nl", "agreements": AGREEMENTS}
    return dict(api(server, "POST", "/api/sessions", json={**body, "phase_seconds": LONG_PHASE}))


def join(device: Device, url: str, name: str, *, agree: bool = True) -> None:
    page = device.page
    page.goto(url)
    field = page.locator("#name")
    expect(field).to_be_visible()
    field.fill(name)
    field.press("Enter")
    expect(page.locator("#view-agreements")).to_be_visible()
    if agree:
        page.locator("#agree").click()
        expect(page.locator("#view-lobby")).to_be_visible()


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} has no box"
    return dict(found)


def assert_in_viewport(page: Page, locator: Locator) -> None:
    """The element is shown whole within the window as it is scrolled now (not below the fold)."""
    b = box(locator)
    size = page.viewport_size
    assert size is not None
    assert b["x"] >= 0 and b["y"] >= 0, b
    assert b["x"] + b["width"] <= size["width"] + 0.5, (b, size)
    assert b["y"] + b["height"] <= size["height"] + 0.5, (b, size)


def assert_above(upper: Locator, lower: Locator) -> None:
    """`upper` ends before `lower` begins: stacked, no overlap."""
    a, b = box(upper), box(lower)
    assert a["y"] + a["height"] <= b["y"] + 0.5, (a, b)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]


def ids_by_name(server: ServerProcess, code: str, token: str) -> dict[str, str]:
    return {p["name"]: p["id"] for p in host_state(server, code, token)["participants"]}


def test_the_agreements_never_hide_what_runs(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    created = new_session(server)
    code, token = created["code"], created["host_token"]
    host = open_device(browser, "host", viewport=LAPTOP)
    people = {name: open_device(browser, name) for name in ("Anna", "Bram", "Cas")}
    devices = [host, *people.values()]
    try:
        hp = host.page
        hp.goto(created["host_url"])
        for name, device in people.items():
            join(device, created["join_url"], name, agree=name != "Cas")
        cas = people["Cas"].page
        expect(cas.locator("#agreements-hint")).to_have_text(
            "Daarna wacht je in de lobby tot de host begint."
        )
        expect(hp.locator("#participant-list .reading-tag")).to_have_count(1)

        # ---- the check-in: the host is asked first, Cas sees the round below the agreements
        hp.locator("#round-question").select_option("proud")
        hp.locator("#round-start").click()
        ask = hp.locator("#round-readers")
        expect(ask).to_be_visible()
        expect(hp.locator("#round-readers-text")).to_have_text(
            "Cas leest nog de afspraken — toch starten?"
        )
        assert_in_viewport(hp, ask)
        expect(hp.locator("#round-readers-no")).to_be_focused()
        screenshot(host, screenshots, "seen-host-nl-01-readers-before-checkin")
        hp.locator("#round-readers-yes").click()
        expect(hp.locator("#round-running")).to_be_visible()
        expect(ask).to_be_hidden()
        order = hp.locator("#host-round-order .speaker", has_text="Cas")
        expect(order.locator(".reading-tag")).to_have_text("leest de afspraken")

        expect(cas.locator("#view-round")).to_be_visible()
        expect(cas.locator("#view-agreements")).to_be_visible()
        expect(cas.locator("#agreements-hint")).to_have_text("Hieronder zie je wat er nu gebeurt.")
        expect(cas.locator("#round-question")).to_have_text("Waar ben je trots op?")
        assert_above(cas.locator("#view-agreements"), cas.locator("#view-round"))
        assert_no_sideways_scroll(cas)
        # Through to Cas's own turn: everyone else reads that Cas speaks, Cas that it is theirs.
        ids = ids_by_name(server, code, token)
        for _ in range(5):
            round_ = host_state(server, code, token)["meeting"]["round"]
            if round_ and round_["speaker"]["id"] == ids["Cas"]:
                break
            api(server, "POST", f"/api/sessions/{code}/rounds/current/next", token)
        expect(cas.locator("#round-turn")).to_have_text("Jouw beurt")
        expect(people["Anna"].page.locator("#round-turn")).to_have_text("Cas is aan het woord")
        expect(cas.locator("#agree")).to_be_visible()
        screenshot(people["Cas"], screenshots, "seen-phone-nl-02-reading-own-turn")
        api(server, "POST", f"/api/sessions/{code}/rounds/current/end", token)

        # ---- the breakout: asked again; Cas sees the task, the partners and the countdown --
        expect(hp.locator("#start")).to_be_enabled()
        hp.locator("#start").click()
        expect(hp.locator("#start-readers-text")).to_have_text(
            "Cas leest nog de afspraken — toch starten?"
        )
        assert_in_viewport(hp, hp.locator("#start-readers"))
        hp.locator("#start-readers-yes").click()
        expect(hp.locator("#running-area")).to_be_visible()
        card = hp.locator("#group-list .group-card", has_text="Cas")
        expect(card.locator(".reading-tag")).to_have_text("leest de afspraken")
        expect(cas.locator("#view-breakout")).to_be_visible()
        expect(cas.locator("#view-agreements")).to_be_visible()
        for part in ("#turn", "#partner-names", "#countdown"):
            expect(cas.locator(part)).to_be_visible()
            assert_above(cas.locator("#view-agreements"), cas.locator(part))
        expect(cas.locator("#partner-names")).to_have_text(re.compile("Anna.*Bram|Bram.*Anna"))
        expect(cas.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
        expect(cas.locator("#group-badge")).to_be_visible()
        assert_no_sideways_scroll(cas)
        screenshot(people["Cas"], screenshots, "seen-phone-nl-03-reading-breakout")
        cas.locator(".lang-button[data-lang='en']").click()
        expect(cas.locator("#agreements-hint")).to_have_text(
            "Below you can see what's happening now."
        )
        assert_no_sideways_scroll(cas)
        screenshot(people["Cas"], screenshots, "seen-phone-en-03-reading-breakout")
        cas.locator(".lang-button[data-lang='nl']").click()
        screenshot(host, screenshots, "seen-host-nl-03-reading-group-card")

        # ---- Cas agrees: the agreements go, the breakout stays -----------------------------
        cas.locator("#agree").click()
        expect(cas.locator("#view-agreements")).to_be_hidden()
        expect(cas.locator("#view-breakout")).to_be_visible()
        expect(card.locator(".reading-tag")).to_have_count(0)
        api(server, "POST", f"/api/sessions/{code}/breakouts/current/end", token)
    finally:
        close_all(devices, server)


def tones(device: Device) -> int:
    return int(device.log()["tones"])


def test_help_is_seen(browser: Browser, server: ServerProcess, screenshots: Path) -> None:
    created = new_session(server)
    code, token = created["code"], created["host_token"]
    host = open_device(browser, "host", viewport=LAPTOP)
    people = {name: open_device(browser, name) for name in ("Anna", "Bram", "Cas", "Daan")}
    devices = [host, *people.values()]
    try:
        hp = host.page
        hp.goto(created["host_url"])
        for name, device in people.items():
            join(device, created["join_url"], name)
        expect(hp.locator("#participant-list .person")).to_have_count(4)
        api(server, "POST", f"/api/sessions/{code}/breakouts", token)
        expect(hp.locator("#group-list .group-card")).to_have_count(2)
        state = host_state(server, code, token)
        names = {p["id"]: p["name"] for p in state["participants"]}
        groups = [[names[i] for i in g["members"]] for g in state["breakout"]["groups"]]
        asker = people[groups[1][0]].page  # a member of the second group asks
        other = people[groups[0][0]].page
        expect(hp).to_have_title(re.compile("^Duo host"))

        # ---- the host looks at the message tool (a click: sound is allowed from now on) ----
        hp.locator("#message-input").click()
        hp.locator("#message-input").scroll_into_view_if_needed()
        hp.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert tones(host) == 0
        help_button = asker.locator("#signal-help")
        help_button.scroll_into_view_if_needed()
        help_button.click()
        status = asker.locator("#signal-status")
        expect(status).to_have_text(re.compile(r"^Om \d\d:\d\d om hulp gevraagd\."))
        assert_in_viewport(asker, status)
        assert_in_viewport(asker, help_button)
        assert_above(help_button, status)
        assert_no_sideways_scroll(asker)
        screenshot(people[groups[1][0]], screenshots, "seen-phone-nl-04-help-sent")

        expect(hp).to_have_title("(1) Hulp nodig — Duo")
        bar = hp.locator("#help-bar")
        expect(bar).to_have_text("1 groep vraagt om hulp")
        assert_in_viewport(hp, bar)
        hp.wait_for_function("window.__duoLog.tones >= 2")  # one short call, two notes
        screenshot(host, screenshots, "seen-host-nl-04-help-while-elsewhere")

        # ---- the bar leads to the group, which stands first in the list -------------------
        bar.click()
        seen = hp.locator("#group-list .group-card").first.locator(".group-signal button")
        expect(seen).to_be_focused()
        expect(hp.locator("#group-list .group-card").first).to_contain_text("Groep 2")
        hp.evaluate("window.scrollTo(0, 0)")
        count = hp.locator("#help-count")
        expect(count).to_have_text("1 groep vraagt om hulp")
        assert_in_viewport(hp, count)
        expect(bar).to_be_hidden()
        count.click()  # the count leads to the group too
        expect(seen).to_be_focused()
        signal = hp.locator("#group-list .group-card").first.locator(".group-signal")
        expect(signal).to_be_in_viewport(ratio=1)  # scrolled there (smoothly)
        assert_in_viewport(hp, signal)
        hp.evaluate("window.scrollTo(0, 0)")
        assert_no_sideways_scroll(hp)
        screenshot(host, screenshots, "seen-host-nl-05-help-in-now-panel")

        # ---- muted: the next call makes no sound; remembered on this device -----------------
        hp.locator("label.help-sound").click()
        expect(hp.locator("#help-sound")).not_to_be_checked()
        assert hp.evaluate("localStorage.getItem('duo.host.muted')") == "true"
        heard = tones(host)
        other.locator("#signal-help").click()
        expect(hp).to_have_title("(2) Hulp nodig — Duo")
        expect(count).to_have_text("2 groepen vragen om hulp")
        order = hp.locator("#group-list .group-card .group-badge").all_text_contents()
        assert order == ["Groep 2", "Groep 1"], "the first to ask stands first"
        assert tones(host) == heard
        hp.locator("label.help-sound").click()

        # ---- seen: the phone says so beside the buttons, without a promise ------------------
        hp.locator("#group-list .group-card", has_text="Groep 2").locator(
            ".group-signal button"
        ).click()
        hp.locator("#group-list .group-card", has_text="Groep 1").locator(
            ".group-signal button"
        ).click()
        expect(status).to_have_text("De host heeft je vraag gezien.")
        assert_in_viewport(asker, status)
        expect(hp).to_have_title(re.compile("^Duo host — \\W?Intervisie\\W?$"))
        expect(hp.locator("#signal-count")).to_be_hidden()
        screenshot(people[groups[1][0]], screenshots, "seen-phone-nl-06-help-seen")

        # ---- the next phase clears the confirmation ----------------------------------------
        api(server, "POST", f"/api/sessions/{code}/breakouts/current/skip", token)
        expect(asker.locator("#phase-count")).to_have_text(re.compile("^Fase 2 "))
        expect(status).to_be_hidden()
        expect(status).to_have_text("")
        api(server, "POST", f"/api/sessions/{code}/breakouts/current/end", token)
    finally:
        close_all(devices, server)


def test_what_is_over_goes_away(browser: Browser, server: ServerProcess, screenshots: Path) -> None:
    created = new_session(server)
    code, token = created["code"], created["host_token"]
    people = {name: open_device(browser, name) for name in ("Anna", "Bram")}
    devices = list(people.values())
    try:
        for name, device in people.items():
            join(device, created["join_url"], name)
        anna = people["Anna"].page
        banner = anna.locator("#message-banner")
        api(server, "POST", f"/api/sessions/{code}/breakouts", token)
        expect(anna.locator("#view-breakout")).to_be_visible()
        expect(anna.locator("#group-badge")).to_have_text("Groep 1")
        api(server, "POST", f"/api/sessions/{code}/messages", token, json={"text": "Nog 5 minuten"})
        expect(banner).to_contain_text("Nog 5 minuten")

        # ---- the breakout runs out: its end screen, and the message sent in it fades -------
        for _ in range(8):
            api(server, "POST", f"/api/sessions/{code}/breakouts/current/skip", token)
        expect(anna.locator("#view-done")).to_be_visible()
        expect(anna.locator("#done-heading")).to_have_text("Klaar! Bedank je partner.")
        expect(anna.locator("#group-badge")).to_be_visible()
        expect(banner).to_be_hidden()
        screenshot(people["Anna"], screenshots, "seen-phone-nl-07-breakout-over")
        api(server, "POST", f"/api/sessions/{code}/messages", token, json={"text": "Zo pauze"})
        expect(banner).to_contain_text("Zo pauze")

        # ---- a break, then a check-out: nothing of the breakout or the old messages --------
        api(server, "POST", f"/api/sessions/{code}/breaks", token, json={"minutes": 5})
        expect(anna.locator("#view-break")).to_be_visible()
        expect(banner).to_be_hidden()
        expect(anna.locator("#group-badge")).to_be_hidden()
        api(server, "POST", f"/api/sessions/{code}/breaks/current/end", token)
        expect(anna.locator("#view-lobby")).to_be_visible()
        expect(anna.locator("#lobby-note")).to_be_hidden()  # no "the breakout is over"
        round_ = {"kind": "checkout", "question": "Wat neem je mee?"}
        api(server, "POST", f"/api/sessions/{code}/rounds", token, json=round_)
        expect(anna.locator("#view-round")).to_be_visible()
        api(server, "POST", f"/api/sessions/{code}/rounds/current/end", token)
        for device in people.values():
            page = device.page
            for reloaded in (False, True):
                if reloaded:
                    page.reload()
                expect(page.locator("#view-lobby")).to_be_visible()
                expect(page.locator("#view-done")).to_be_hidden()
                assert "Bedank" not in page.locator("main").inner_text()  # what is shown
                expect(page.locator("#group-badge")).to_be_hidden()
                expect(page.locator("#message-banner")).to_be_hidden()
                expect(page.locator("#signals")).to_be_hidden()
            assert_no_sideways_scroll(page)
        screenshot(people["Anna"], screenshots, "seen-phone-nl-08-after-checkout")
    finally:
        close_all(devices, server)


def test_the_derivations_in_the_browser(browser: Browser, server: ServerProcess) -> None:
    """The pure derivations behind points 1, 4 and 6 (web/js/view.js), run where they run."""
    device = open_device(browser, "modules")
    try:
        device.page.goto(f"{server.base_url}/")
        result = device.page.evaluate(
            """async () => {
                const view = await import("/static/js/view.js");
                const signal = (kind, raised, seen = null) =>
                    ({ kind, by: "p", raised_at_ms: raised, seen_at_ms: seen });
                const group = (index, s) => ({ index, signal: view.signalModel(s) });
                const groups = [
                    group(0, null), group(1, signal("done", 50)),
                    group(2, signal("help", 90)), group(3, signal("help", 70)),
                    group(4, signal("help", 10, 20)),
                ];
                const open = view.openSignals(groups);
                const finished = {
                    status: "running", current_slot: 0, remaining_ms: 0,
                    slots: [{ starts_at_ms: 0, ends_at_ms: 100 }],
                };
                const message = { id: 1, text: "x", sent_at_ms: 500 };
                return {
                    seenThisPhase: view.currentSignal(signal("help", 100, 150), 120) !== null,
                    seenLastPhase: view.currentSignal(signal("help", 100, 110), 120),
                    openLastPhase: view.currentSignal(signal("help", 100), 120).seen,
                    counts: [open.help, open.done],
                    order: open.ordered.map((g) => g.index),
                    titles: [
                        view.hostPageTitle("nl", "Team", 1), view.hostPageTitle("en", "Team", 2),
                        view.hostPageTitle("en", "Team", 0),
                    ],
                    readers: [
                        view.readersText("nl", ["Cas"]), view.readersText("nl", ["Cas", "Eva"]),
                        view.readersText("en", ["Cas"]), view.readersText("en", ["Cas", "Eva"]),
                        view.readersText("nl", []),
                    ],
                    past: [
                        view.breakoutIsPast(finished, { last_activity: "break" }, 200),
                        view.breakoutIsPast(finished, { last_activity: "breakout" }, 200),
                        view.breakoutIsPast(finished, { last_activity: "break" }, 50),
                    ],
                    current: [
                        [400, "breakout", undefined], [600, "lobby", undefined],
                        [400, "lobby", "breakout"], [null, "lobby", "lobby"],
                    ].map(([start, now, seen]) => view.messageIsCurrent(
                        message, { last_activity_started_at_ms: start }, now, seen)),
                };
            }"""
        )
        assert result["seenThisPhase"] is True
        assert result["seenLastPhase"] is None  # the host's "seen" goes at the next phase
        assert result["openLastPhase"] is False  # an open call stays until the host sees it
        assert result["counts"] == [2, 1]
        assert result["order"] == [3, 2, 1, 0, 4]  # help (longest waiting first), done, the rest
        assert result["titles"][:2] == ["(1) Hulp nodig — Duo", "(2) Help needed — Duo"]
        assert result["titles"][2].startswith("Duo host — ")
        assert [re.sub("[\u2066-\u2069]", "", text) for text in result["readers"]] == [
            "Cas leest nog de afspraken — toch starten?",
            "2 deelnemers lezen nog de afspraken (Cas en Eva) — toch starten?",
            "Cas is still reading the agreements — start anyway?",
            "2 participants are still reading the agreements (Cas and Eva) — start anyway?",
            "",
        ]
        assert result["past"] == [True, False, False]
        assert result["current"] == [True, False, False, True]
    finally:
        close_all([device], server)
