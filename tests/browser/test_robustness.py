"""What a stray link, a name or a partner who leaves cannot break: the host keeps control of
their page, names never turn a sentence around, and nobody is left alone in a breakout.

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/
(prefix ``robust-``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import LAPTOP, PHONE, AxeRecorder, close_all, open_device, screenshot
from tests.utils.server import ROOT, ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-robustness.json")
    yield recorder
    recorder.write()


def stored_host_token(page: Page, code: str) -> object:
    """Return the host token this browser keeps for session `code` (None: none)."""
    return page.evaluate("(code) => JSON.parse(localStorage.getItem(`duo.host.${code}`))", code)


def test_a_wrong_host_link_does_not_lock_the_host_out(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """Opening /host/{code}#garbage keeps the real token, says so, and goes on with it."""
    created = httpx.post(f"{server.base_url}/api/sessions", json={"language": "nl"}).json()
    code = created["code"]
    host = open_device(browser, "host", viewport=LAPTOP)
    try:
        page = host.page
        page.goto(created["host_url"])
        expect(page.locator("#view-host")).to_be_visible()
        expect(page.locator("#token-note")).to_be_hidden()
        assert stored_host_token(page, code) == created["host_token"]

        page.goto(f"{server.base_url}/host/{code}#garbage")
        note = page.locator("#token-note")
        expect(note).to_have_text(
            "Deze host-link klopt niet. Je gaat verder met de host-link die al op dit apparaat"
            " stond."
        )
        assert stored_host_token(page, code) == created["host_token"]
        # … and the page works with the kept token: someone joins, the host sees them
        expect(page.locator("#view-host")).to_be_visible()
        anna = httpx.post(
            f"{server.base_url}/api/sessions/{code}/participants", json={"name": "Anna"}
        ).json()
        expect(page.locator("#participant-list")).to_contain_text("Anna")
        # a participant's token in the host link works on the socket, but not as the host's
        page.goto(f"{server.base_url}/host/{code}#{anna['token']}")
        expect(note).to_be_visible()
        expect(page.locator("#participant-list")).to_contain_text("Anna")
        assert stored_host_token(page, code) == created["host_token"]
        page.get_by_role("button", name="EN English").click()
        expect(note).to_have_text(
            "That host link doesn't work. You're carrying on with the host link this device"
            " already had."
        )
        screenshot(host, screenshots, "robust-laptop-en-01-wrong-host-link")
        page.set_viewport_size(PHONE)
        host.viewport = PHONE
        screenshot(host, screenshots, "robust-phone-en-02-wrong-host-link")
        axe.check(host, "host page after a wrong host link")
        page.reload()  # the kept token still works after a reload, and the note is gone
        expect(page.locator("#view-host")).to_be_visible()
        expect(note).to_be_hidden()

        # the real link again, this time in the address bar of the open tab: still the host
        page.goto(created["host_url"])
        expect(page.locator("#view-host")).to_be_visible()
        expect(note).to_be_hidden()

        # a device that has no token yet: the wrong link says so and leaves nothing behind
        page.evaluate("(code) => localStorage.removeItem(`duo.host.${code}`)", code)
        page.goto(f"{server.base_url}/host/{code}#garbage")
        expect(page.locator("#view-notoken")).to_be_visible()
        expect(note).to_have_text("That host link doesn't work. Check that you copied all of it.")
        assert stored_host_token(page, code) is None
        axe.check(host, "wrong host link, nothing kept")
    finally:
        close_all([host], server)


@pytest.mark.parametrize("fragment", ["%", "%E0%A4%A"])
def test_a_malformed_host_link_reads_as_a_wrong_one(
    browser: Browser, server: ServerProcess, fragment: str
) -> None:
    """A fragment that is no valid URI escape is a wrong token: the host page and the
    presenter's screen go on with the token the device keeps, or say the link is wrong; a
    reload is not stuck on "Verbinden…" (issue 20)."""
    created = httpx.post(f"{server.base_url}/api/sessions", json={"language": "en"}).json()
    code = created["code"]
    host = open_device(browser, "host", viewport=LAPTOP)
    try:
        page = host.page

        def open_fresh(url: str) -> None:  # a new document, not a jump within the last one
            page.goto("about:blank")
            page.goto(url)

        open_fresh(created["host_url"])
        expect(page.locator("#view-host")).to_be_visible()
        open_fresh(f"{server.base_url}/host/{code}#{fragment}")
        expect(page.locator("#token-note")).to_be_visible()
        expect(page.locator("#view-host")).to_be_visible()
        page.reload()
        expect(page.locator("#view-host")).to_be_visible()
        open_fresh(f"{server.base_url}/present/{code}#{fragment}")
        expect(page.locator("#view-lobby")).to_be_visible()
        page.evaluate("(code) => localStorage.removeItem(`duo.host.${code}`)", code)
        open_fresh(f"{server.base_url}/present/{code}#{fragment}")
        expect(page.locator("#view-notoken")).to_be_visible()
        open_fresh(f"{server.base_url}/host/{code}#{fragment}")
        expect(page.locator("#view-notoken")).to_be_visible()
        assert stored_host_token(page, code) is None
    finally:
        close_all([host], server)


# Every text node under `root` that holds one of `names` must hold it in an isolate of its
# own: the nearest element with unicode-bidi isolate (a <bdi>, or an element holding a name
# alone) holds that name and at most its tag. Returns the places where that is not so.
NOT_ISOLATED = r"""([root, names]) => {
  const TAG = / \([A-Z0-9]{2,4}\)$/;
  const isolating = (el) => ["isolate", "isolate-override", "plaintext"].includes(
    getComputedStyle(el).unicodeBidi);
  const bad = [];
  for (const top of document.querySelectorAll(root)) {
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (el.closest("select, script, style")) continue;
      for (const name of names) {
        if (!node.data.includes(name)) continue;
        let box = el;
        while (box && box !== top && !isolating(box)) box = box.parentElement;
        const inside = box && isolating(box) ? box.textContent.trim().replace(TAG, "") : null;
        if (inside !== name) bad.push(`${el.id || el.className || el.tagName}: ${el.textContent}`);
      }
    }
  }
  return bad;
}"""

ABI = "אבי"  # Avi, in Hebrew: a right-to-left name
SARA = "سارة"  # Sara, in Arabic
OVERRIDE = "\u202eBram"  # RIGHT-TO-LEFT OVERRIDE first: turns what follows around
NOA = "נועה"  # Noa, in Hebrew


def assert_apart_and_inside(page: Page, container: str, parts: list[str]) -> None:
    """Assert that the `parts` (selectors under `container`) do not overlap one another and
    stay inside the container."""
    outer = page.locator(container).bounding_box()
    boxes = [page.locator(f"{container} {part}").first.bounding_box() for part in parts]
    assert outer is not None and all(boxes), (container, parts)
    for part, box in zip(parts, boxes, strict=True):
        assert box is not None
        assert box["x"] >= outer["x"] - 0.5, (part, box, outer)
        assert box["x"] + box["width"] <= outer["x"] + outer["width"] + 0.5, (part, box, outer)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a is not None and b is not None
            apart = (
                a["x"] + a["width"] <= b["x"] + 0.5
                or b["x"] + b["width"] <= a["x"] + 0.5
                or a["y"] + a["height"] <= b["y"] + 0.5
                or b["y"] + b["height"] <= a["y"] + 0.5
            )
            assert apart, (container, parts, boxes)


def labels(page: Page, selector: str) -> list[str]:
    """Return the texts of the elements `selector` finds, as shown."""
    return page.locator(selector).all_inner_texts()


def test_names_never_turn_sentences_and_same_names_are_told_apart(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """Right-to-left names sit in isolates in every sentence and list; two Annas carry the
    same distinct tags on the host's page and on the participants'."""
    created = httpx.post(
        f"{server.base_url}/api/sessions", json={"language": "nl", "agreements": ""}
    ).json()
    code = created["code"]
    host = open_device(browser, "host", viewport=LAPTOP)
    people = {
        "anna1": open_device(browser, "Anna"),
        "anna2": open_device(browser, "Anna"),
        "abi": open_device(browser, ABI, viewport=LAPTOP),
    }
    devices = [host, *people.values()]
    try:
        hp = host.page
        hp.goto(created["host_url"])
        for key, name in (("anna1", "Anna"), ("anna2", "Anna"), ("abi", ABI)):
            page = people[key].page
            page.goto(created["join_url"])
            page.locator("#name").fill(name)
            page.locator("#name").press("Enter")
            expect(page.locator("#view-lobby")).to_be_visible()
        expect(hp.locator("#people-count")).to_have_text("3 van 3 online")
        expect(people["abi"].page.locator("#lobby-you")).to_have_text(f"Je doet mee als {ABI}.")

        # the host's list: both Annas with a tag, each different; Avi's name as it is
        listed = sorted(labels(hp, "#participant-list .person-name"))
        annas = [name for name in listed if name.startswith("Anna (")]
        assert len(annas) == 2 and annas[0] != annas[1], listed
        assert ABI in listed, listed

        # a check-in: the host's order and a participant's order show the same tags
        hp.locator("#round-start").click()
        expect(hp.locator("#round-running")).to_be_visible()
        host_order = labels(hp, "#host-round-order .speaker-name")
        assert sorted(n for n in host_order if n.startswith("Anna")) == annas, host_order
        abi_order = labels(people["abi"].page, "#round-order .speaker-name")
        assert sorted(n for n in abi_order if n.startswith("Anna")) == annas, abi_order
        anna_order = labels(people["anna1"].page, "#round-order .speaker-name")
        assert any(n.endswith("(jij)") and n.startswith("Anna (") for n in anna_order)
        spoken = 1
        while hp.locator("#host-round-speaker").inner_text() != ABI:
            hp.locator("#round-next").click()
            spoken += 1
            expect(hp.locator("#host-round-count")).to_have_text(f"Beurt {spoken} van 4")
        expect(people["anna1"].page.locator("#round-turn")).to_have_text(f"{ABI} is aan het woord")
        for device in devices:
            bad = device.page.evaluate(NOT_ISOLATED, ["main", [ABI, "Anna"]])
            assert bad == [], (device.name, bad)
        screenshot(people["anna1"], screenshots, "robust-phone-nl-03-round-rtl-name")
        hp.locator("#round-end").click()

        # a breakout: three people, one trio; the tags are the same as on the host's list
        hp.locator("#start").click()
        for device in people.values():
            expect(device.page.locator("#view-breakout")).to_be_visible()
        partners = people["abi"].page.locator("#partner-names")
        expect(partners).to_have_text(
            re.compile(
                f"{re.escape(annas[0])} en {re.escape(annas[1])}|"
                f"{re.escape(annas[1])} en {re.escape(annas[0])}"
            )
        )
        cards = sorted(labels(hp, "#group-list .person-name"))
        assert cards == sorted([*annas, ABI]), cards
        mine = people["anna1"].page.locator("#partner-names").inner_text()
        assert ABI in mine and (annas[0] in mine) != (annas[1] in mine), mine
        # until it is Avi's turn to tell, skip phases; the sentences about Avi stay isolated
        turn = people["anna1"].page.locator("#turn")
        phase = 1
        while (turn.text_content() or "") != f"Luister naar {ABI}":
            hp.locator("#skip").click()
            phase += 1
            for device in (host, people["anna1"]):
                expect(device.page.locator("#host-phase-count, #phase-count")).to_have_text(
                    f"Fase {phase} van 12"
                )
        expect(people["anna1"].page.locator("#instruction")).to_contain_text(f"{ABI} vertelt")

        # late joiners with an Arabic name and, if the server takes it, an override character
        late = {"sara": open_device(browser, SARA)}
        devices += late.values()
        late["sara"].page.goto(created["join_url"])
        late["sara"].page.locator("#name").fill(SARA)
        late["sara"].page.locator("#name").press("Enter")
        expect(late["sara"].page.locator("#view-lobby")).to_be_visible()
        names = [ABI, SARA, "Anna"]
        # the server refuses a name that turns text around (422); a second late joiner with
        # a right-to-left name of its own gives Sara someone to be paired with
        refused = httpx.post(
            f"{server.base_url}/api/sessions/{code}/participants", json={"name": OVERRIDE}
        )
        assert refused.status_code == 422, refused.text
        late["noa"] = open_device(browser, NOA)
        devices.append(late["noa"])
        late["noa"].page.goto(created["join_url"])
        late["noa"].page.locator("#name").fill(NOA)
        late["noa"].page.locator("#name").press("Enter")
        expect(late["noa"].page.locator("#view-lobby")).to_be_visible()
        names.append(NOA)
        waiting = hp.locator("#waiting")
        expect(waiting.get_by_label(f"Waar gaat {SARA} heen?")).to_be_visible()
        option = waiting.locator("option").first.text_content() or ""
        assert "\u2068" in option and "\u2069" in option, option
        for device in devices:
            bad = device.page.evaluate(NOT_ISOLATED, ["main", names])
            assert bad == [], (device.name, bad)
        screenshot(host, screenshots, "robust-laptop-nl-04-host-names")
        screenshot(people["abi"], screenshots, "robust-laptop-nl-05-trio-two-annas")
        screenshot(people["anna1"], screenshots, "robust-phone-nl-06-rtl-partner")
        for item in hp.locator("#participant-list .person").all():
            box = item.locator(".person-name").bounding_box()
            assert box is not None and box["width"] > 40, item.inner_text()
        hp.set_viewport_size(PHONE)
        host.viewport = PHONE
        screenshot(host, screenshots, "robust-phone-nl-07-host-names")
        axe.check(host, "host with right-to-left and same names")
        axe.check(people["anna1"], "breakout with a right-to-left partner")
    finally:
        close_all(devices, server)


def test_a_partner_leaves_and_the_host_moves_the_other_into_a_duo(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """Four people in two duos; one leaves: their partner is told so, the host sees who left
    and moves the lone partner into the other duo, which becomes a trio."""
    created = httpx.post(
        f"{server.base_url}/api/sessions", json={"language": "nl", "agreements": ""}
    ).json()
    host = open_device(browser, "host", viewport=LAPTOP)
    names = ("Anna", "Bram", "Carla", "Daan")
    people = {name: open_device(browser, name) for name in names}
    devices = [host, *people.values()]
    try:
        hp = host.page
        hp.goto(created["host_url"])
        for name, device in people.items():
            device.page.goto(created["join_url"])
            device.page.locator("#name").fill(name)
            device.page.locator("#name").press("Enter")
            expect(device.page.locator("#view-lobby")).to_be_visible()
        expect(hp.locator("#people-count")).to_have_text("4 van 4 online")
        hp.locator("#start").click()
        for device in people.values():
            expect(device.page.locator("#view-breakout")).to_be_visible()
        cards = hp.locator("#group-list .group-card")
        expect(cards).to_have_count(2)
        duos = [card.locator(".person-name").all_inner_texts() for card in cards.all()]
        (leaver, lone), other = duos[0], duos[1]

        # the leaver leaves; their partner is told so, plainly, instead of counting down alone
        lp = people[leaver].page
        lp.locator("#leave").click()
        lp.locator("#leave-yes").click()
        expect(lp.locator("#view-left")).to_be_visible()
        page = people[lone].page
        expect(page.locator("#view-alone")).to_be_visible()
        expect(page.locator("#alone-heading")).to_have_text(f"{leaver} heeft de sessie verlaten.")
        expect(page.locator("#view-alone")).to_contain_text(
            "De host kan je bij een ander duo zetten."
        )
        expect(page.locator("#alone-waiting")).to_contain_text("over ongeveer")
        expect(page.locator("#announcer")).to_contain_text(f"{leaver} heeft de sessie verlaten.")
        screenshot(people[lone], screenshots, "robust-phone-nl-08-partner-left")
        axe.check(people[lone], "partner left, alone")
        page.get_by_role("button", name="EN English").click()
        expect(page.locator("#alone-heading")).to_have_text(f"{leaver} has left the session.")
        expect(page.locator("#view-alone")).to_contain_text(
            "The host can put you with another duo."
        )
        screenshot(people[lone], screenshots, "robust-phone-en-09-partner-left")

        # the host's card shows who left and offers the lone partner a place
        card = hp.locator(".group-card.is-lone")
        expect(card).to_have_count(1)
        expect(card.locator(".is-left")).to_have_text(f"{leaver}vertrokken")
        choice = card.get_by_label(f"Waar gaat {lone} heen?")
        expect(choice).to_be_visible()
        options = choice.locator("option").all_text_contents()
        assert len(options) == 1 and options[0].startswith("Bij groep"), options
        assert all(name in options[0] for name in other), options
        expect(hp.locator("#waiting")).to_be_hidden()
        lone_parts = [".is-left .person-name", ".left-tag", "label", "select", "button"]
        assert_apart_and_inside(hp, ".group-card.is-lone", lone_parts)
        screenshot(host, screenshots, "robust-laptop-nl-10-host-partner-left")
        axe.check(host, "host, a lone member to place")
        hp.set_viewport_size(PHONE)
        host.viewport = PHONE
        assert_apart_and_inside(hp, ".group-card.is-lone", lone_parts)
        screenshot(host, screenshots, "robust-phone-nl-11-host-partner-left")
        hp.set_viewport_size(LAPTOP)
        host.viewport = LAPTOP

        card.get_by_role("button", name="Plaats").click()
        expect(hp.locator(".group-card.is-lone")).to_have_count(0)
        expect(page.locator("#view-breakout")).to_be_visible()
        partners = page.locator("#partner-names")
        for name in other:
            expect(partners).to_contain_text(name)
        expect(page.locator("#phase-count")).to_have_text(re.compile(r"Phase \d+ of 12"))
        expect(page.locator("#progress .rotation")).to_have_count(3)
        for name in other:
            expect(people[name].page.locator("#partner-names")).to_contain_text(lone)
        screenshot(people[lone], screenshots, "robust-phone-en-12-lone-now-in-a-trio")
        axe.check(people[lone], "moved into a trio")
        trio = hp.locator(".group-card[data-size='3']")
        expect(trio).to_have_count(1)
        for name in [*other, lone]:
            expect(trio).to_contain_text(name)
        screenshot(host, screenshots, "robust-laptop-nl-13-host-trio")
    finally:
        people_devices = [d for d in devices if d.name != "host"]
        for device in people_devices:
            # the leaver's socket closes with 4403 on purpose; nothing else may go wrong
            device.problems = [p for p in device.problems if "4403" not in p]
        close_all(devices, server)


def test_the_host_sees_a_burst_of_joins_removes_it_and_locks_the_session(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """12 joins from one address in a few seconds: the host page says so above its list
    ("12 mensen in … s van één adres"), removes them in one go and locks the session; a
    phone that tries to join then reads why it cannot. Laptop at 1280, phone at 360."""
    from tests.browser.test_flow import assert_layout

    created = httpx.post(f"{server.base_url}/api/sessions", json={"language": "nl"}).json()
    code = created["code"]
    join = f"{server.base_url}/api/sessions/{code}/participants"
    bots = [httpx.post(join, json={"name": f"Bot {i}"}).json()["id"] for i in range(12)]
    host = open_device(browser, "host", viewport=LAPTOP)
    phone = open_device(browser, "phone", viewport=PHONE)
    try:
        page = host.page
        page.goto(created["host_url"])
        alert = page.locator("#burst-alert")
        expect(alert).to_be_visible()
        expect(page.locator("#burst-text")).to_have_text(
            re.compile(r"^12 mensen in \d+ s van één adres$")
        )
        assert_apart_and_inside(
            page, "#burst-alert", ["#burst-text", "#burst-remove", "#burst-keep"]
        )
        assert_layout(host, "a burst of joins")
        screenshot(host, screenshots, "robust-laptop-nl-03-burst-of-joins")
        axe.check(host, "host page with a burst of joins")
        page.locator("#burst-remove").click()
        expect(alert).to_be_hidden()
        expect(page.locator("#participant-list .person")).to_have_count(0)
        expect(page.locator("#people-empty")).to_be_visible()
        state = httpx.get(f"{server.base_url}/api/sessions/{code}").json()
        assert state["participant_count"] == 0
        assert len(bots) == 12

        lock = page.locator("#lock-toggle")
        expect(lock).to_have_text("Zet de sessie op slot")
        lock.click()
        expect(lock).to_have_text("Weer openzetten")
        expect(lock).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#lock-note")).to_have_text(
            "Op slot: er kan niemand meer bij. Wie er al is, blijft."
        )
        assert_apart_and_inside(page, ".lock-row", ["#lock-toggle", "#lock-note"])
        screenshot(host, screenshots, "robust-laptop-nl-04-locked")

        phone.page.goto(created["join_url"])
        phone.page.locator("#name").fill("Bram")
        phone.page.get_by_role("button", name="Meedoen").click()
        refused = phone.page.get_by_text("De host heeft de sessie op slot gezet")
        expect(refused).to_be_visible()
        box = refused.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
        assert_layout(phone, "joining a locked session")
        screenshot(phone, screenshots, "robust-phone-nl-05-locked-session")
        # The refused join is the one problem the browser reports: expected here.
        assert [p for p in phone.problems if "status of 423" not in p] == []
        phone.problems.clear()

        lock.click()
        expect(lock).to_have_text("Zet de sessie op slot")
        phone.page.get_by_role("button", name="Meedoen").click()
        expect(phone.page.locator("#view-join")).to_be_hidden()
    finally:
        close_all([host, phone], server)
