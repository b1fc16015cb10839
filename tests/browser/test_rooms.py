"""Where the groups talk (issue 19), in the browser: a Teams session of 7 (one trio) from the
host page with a late joiner, a video link per group, groups in one room by colour, and
groups formed from the video tool's rooms; phones at 360 px, the host at 1280 px and the
presenter at 1280x720, in Dutch and English.

Screenshots go to test-output/screenshots/ (prefix ``rooms-``).
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.support import (
    LAPTOP,
    AxeRecorder,
    Device,
    close_all,
    host_state,
    open_device,
    screenshot,
)
from tests.browser.test_flow import assert_layout, assert_screen
from tests.utils.server import ROOT, ServerProcess

PRESENTER = {"width": 1280, "height": 720}
NAMES = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fatima", "Gijs", "Hanna"]


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-rooms.json")
    yield recorder
    recorder.write()


AXE: list[AxeRecorder] = []  # the module's recorder, for shot()


def post(server: ServerProcess, path: str, body: Any = None, token: str | None = None) -> Any:
    """Call Duo's API as a script would; return the JSON answer (None for 204)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base_url + path, data=data, method="POST")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own server)
        text = response.read()
    return json.loads(text) if text else None


def new_session(server: ServerProcess, **fields: Any) -> tuple[str, str]:
    created = post(server, "/api/sessions", {"agreements": "", **fields})
    return created["code"], created["host_token"]


def phone(browser: Browser, server: ServerProcess, code: str, name: str, lang: str) -> Device:
    """Open a phone at 360 px, join as `name` and wait in the lobby (in `lang`)."""
    device = open_device(browser, name, locale="en-GB" if lang == "en" else "nl-NL")
    page = device.page
    page.goto(f"{server.base_url}/s/{code}")
    field = page.locator("#name")
    expect(field).to_be_visible()
    page.locator(f".lang-button[data-lang={lang}]").click()
    field.fill(name)
    field.press("Enter")
    expect(page.locator("#view-lobby")).to_be_visible()
    return device


def shot(device: Device, folder: Path, name: str) -> None:
    """Check the layout (element boxes) and, with axe, the accessibility; save the screenshot."""
    assert_layout(device, name)
    for recorder in AXE:
        recorder.check(device, name)
    screenshot(device, folder, f"rooms-{name}")


@pytest.fixture(autouse=True)
def _axe_for_shots(axe: AxeRecorder) -> Iterator[None]:
    AXE.append(axe)
    yield
    AXE.remove(axe)


def set_language(device: Device, lang: str) -> None:
    device.page.locator(f".lang-button[data-lang={lang}]").click()


def by_name(state: dict[str, Any]) -> dict[str, str]:
    return {p["id"]: p["name"] for p in state["participants"]}


def room_list_of(state: dict[str, Any], word: str) -> str:
    """Return the room list the host's video tool needs, from the host's state: rooms in
    order, names in group order."""
    names = by_name(state)
    rooms: dict[int, list[str]] = {}
    for group in state["breakout"]["groups"]:
        rooms.setdefault(group["room"], []).extend(names[m] for m in group["members"])
    return " · ".join(f"{word} {room}: {', '.join(rooms[room])}" for room in sorted(rooms))


def partners_of(state: dict[str, Any], name: str) -> tuple[int, list[str]]:
    """Return the room and partners of the person called `name`."""
    names = by_name(state)
    for group in state["breakout"]["groups"]:
        members = [names[m] for m in group["members"]]
        if name in members:
            return group["room"], [m for m in members if m != name]
    raise AssertionError(f"{name} is in no group")


def and_join(names: list[str], lang: str) -> str:
    word = " en " if lang == "nl" else " and "
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + word + names[-1]


def test_a_teams_session_of_seven_from_the_host_page(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    """Breakout rooms: the host creates, sees "make 3 rooms", starts, copies the room list,
    places a late joiner and sees whom to move; phones say which room and with whom."""
    host = open_device(browser, "host", viewport=LAPTOP)
    devices = [host]
    try:
        hp = host.page
        hp.goto(server.base_url + "/")
        expect(hp.locator("input[name=rooms][value=breakout_rooms]")).to_be_checked()
        hp.locator("#title").fill("Intervisie team B")
        hp.locator("#agreements").fill("")
        shot(host, screenshots, "host-1280-nl-01-create")
        hp.locator("#create-submit").click()
        expect(hp.locator("#view-created")).to_be_visible()
        join_url = hp.locator("#join-link").input_value()
        code = join_url.rsplit("/", 1)[1]
        token = hp.locator("#host-link").input_value().split("#", 1)[1]
        hp.locator("#open-host").click()
        expect(hp.locator("#view-host")).to_be_visible()
        expect(hp.locator("#rooms-mode")).to_have_value("breakout_rooms")

        people = {
            name: phone(browser, server, code, name, "en" if i in (1, 4) else "nl")
            for i, name in enumerate(NAMES[:7])
        }
        devices += people.values()
        expect(hp.locator("#rooms-make")).to_have_text("Maak 3 ruimtes in je videotool")
        shot(host, screenshots, "host-1280-nl-02-lobby")

        hp.get_by_role("button", name=re.compile("breakout", re.I)).first.click()
        expect(hp.locator("#room-list")).to_be_visible()
        state = host_state(server, code, token)
        assert sorted(len(g["members"]) for g in state["breakout"]["groups"]) == [2, 2, 3]
        # The room list for the video tool is the groups, room by room.
        expect(hp.locator("#room-list-text")).to_have_text(room_list_of(state, "Ruimte"))
        for group in state["breakout"]["groups"]:
            card = hp.locator(".group-card").nth(group["room"] - 1)
            expect(card.locator(".group-room")).to_have_text(f"Breakoutroom {group['room']}")
        host.context.grant_permissions(["clipboard-read", "clipboard-write"])
        hp.locator("#room-list-copy").click()
        expect(hp.locator("#room-list-status")).not_to_be_empty()
        copied = hp.evaluate("navigator.clipboard.readText()")
        assert copied == room_list_of(state, "Ruimte")
        shot(host, screenshots, "host-1280-nl-03-running")

        for name, device in people.items():
            room, partners = partners_of(state, name)
            lang = "en" if name in ("Bram", "Eva") else "nl"
            text = (
                f"Ga naar breakoutroom {room} — met {and_join(partners, 'nl')}"
                if lang == "nl"
                else f"Go to breakout room {room} — with {and_join(partners, 'en')}"
            )
            expect(device.page.locator("#where-text")).to_have_text(text)
            if name in ("Anna", "Bram"):
                shot(device, screenshots, f"phone-360-{lang}-breakout-rooms")

        # A late joiner: placed in a duo from the host page; the host sees where to move them.
        hanna = phone(browser, server, code, "Hanna", "nl")
        devices.append(hanna)
        expect(hp.locator("#waiting-list select")).to_be_visible()
        target = hp.locator("#waiting-list select option").first.get_attribute("value")
        assert target and target.startswith("group:")
        hp.locator("#waiting-list button[data-place]").click()
        expect(hp.locator("#waiting")).to_be_hidden()
        state = host_state(server, code, token)
        room, partners = partners_of(state, "Hanna")
        expect(hp.locator(".room-move-text")).to_have_text(f"Hanna → ruimte {room}")
        expect(hanna.page.locator("#where-text")).to_have_text(
            f"Ga naar breakoutroom {room} — met {and_join(partners, 'nl')}"
        )
        expect(hp.locator("#room-list-text")).to_have_text(room_list_of(state, "Ruimte"))
        shot(host, screenshots, "host-1280-nl-04-late-joiner")
        set_language(host, "en")
        expect(hp.locator("#room-list-text")).to_have_text(room_list_of(state, "Room"))
        expect(hp.locator(".room-move-text")).to_have_text(f"Hanna → room {room}")
        shot(host, screenshots, "host-1280-en-04-late-joiner")
        hp.locator(".room-move button").click()
        expect(hp.locator("#room-moves")).to_be_hidden()

        presenter = open_device(browser, "presenter", viewport=PRESENTER)
        devices.append(presenter)
        presenter.page.goto(f"{server.base_url}/present/{code}#{token}")
        expect(presenter.page.locator(".present-group-title").first).to_be_visible()
        titles = presenter.page.locator(".present-group-title").all_inner_texts()
        assert titles == [f"Breakoutroom {g['room']}" for g in state["breakout"]["groups"]]
        assert_screen(presenter, "rooms breakout rooms")
        screenshot(presenter, screenshots, "rooms-present-1280x720-nl-breakout-rooms")
    finally:
        close_all(devices, server)


def test_a_link_per_group(browser: Browser, server: ServerProcess, screenshots: Path) -> None:
    """Every phone has one large button to its group's own video room; the host's cards link
    to every room; nobody sees another group's link."""
    code, token = new_session(
        server, rooms="link_per_group", room_link_base="https://meet.jit.si/", language="en"
    )
    host = open_device(browser, "host", viewport=LAPTOP)
    devices = [host]
    try:
        people = [
            phone(browser, server, code, n, "nl" if i % 2 else "en")
            for i, n in enumerate(NAMES[:5])
        ]
        devices += people
        host.page.goto(f"{server.base_url}/host/{code}#{token}")
        expect(host.page.locator("#rooms-mode")).to_have_value("link_per_group")
        expect(host.page.locator("#rooms-base")).to_have_value("https://meet.jit.si/")
        shot(host, screenshots, "host-1280-en-link-lobby")
        post(server, f"/api/sessions/{code}/breakouts", token=token)
        state = host_state(server, code, token)
        urls = {g["room"]: g["room_url"] for g in state["breakout"]["groups"]}
        for device in people:
            room, _partners = partners_of(state, device.name)
            link = device.page.locator("#where-link")
            expect(link).to_be_visible()
            assert link.get_attribute("href") == urls[room]
            assert link.get_attribute("target") == "_blank"
            assert "noopener" in (link.get_attribute("rel") or "")
            html = device.page.content()
            assert [u for r, u in urls.items() if r != room and u in html] == []
        expect(people[0].page.locator("#where-link")).to_have_text("Open your video room")
        expect(people[1].page.locator("#where-link")).to_have_text("Open jullie videoruimte")
        shot(people[0], screenshots, "phone-360-en-link")
        shot(people[1], screenshots, "phone-360-nl-link")
        links = host.page.locator(".group-room-link")
        expect(links).to_have_count(len(urls))
        assert sorted(links.evaluate_all("els => els.map(e => e.href)")) == sorted(urls.values())
        shot(host, screenshots, "host-1280-en-link-running")
    finally:
        close_all(devices, server)


def test_the_same_room_by_colour(
    browser: Browser, server: ServerProcess, screenshots: Path
) -> None:
    """In one room: a large colour per group with its name in words, on phones and presenter."""
    code, token = new_session(server, rooms="same_room")
    host = open_device(browser, "host", viewport=LAPTOP)
    devices = [host]
    colours_nl = ["rood", "blauw", "geel", "groen", "paars", "oranje"]
    try:
        people = [
            phone(browser, server, code, n, "en" if i == 1 else "nl")
            for i, n in enumerate(NAMES[:6])
        ]
        devices += people
        host.page.goto(f"{server.base_url}/host/{code}#{token}")
        expect(host.page.locator("#rooms-mode")).to_have_value("same_room")
        post(server, f"/api/sessions/{code}/breakouts", token=token)
        state = host_state(server, code, token)
        for device in people:
            room, partners = partners_of(state, device.name)
            where = device.page.locator("#where")
            expect(where).to_have_attribute("data-mode", "same_room")
            if device.name == "Bram":
                expect(device.page.locator("#where-text")).to_have_text(
                    f"Find {and_join(partners, 'en')} — group {room}"
                )
            else:
                expect(device.page.locator("#where-text")).to_have_text(
                    f"Zoek {and_join(partners, 'nl')} op — groep {room}"
                )
                expect(device.page.locator("#where-colour")).to_have_text(
                    f"groep {room} · {colours_nl[room - 1]}"
                )
        shot(people[0], screenshots, "phone-360-nl-same-room")
        shot(people[1], screenshots, "phone-360-en-same-room")
        expect(host.page.locator(".group-room.room-colour")).to_have_count(3)
        shot(host, screenshots, "host-1280-nl-same-room")
        presenter = open_device(browser, "presenter", viewport=PRESENTER)
        devices.append(presenter)
        presenter.page.goto(f"{server.base_url}/present/{code}#{token}")
        titles = presenter.page.locator(".present-group-title")
        expect(titles).to_have_count(3)
        assert titles.all_inner_texts() == [
            f"groep {g['room']} · {colours_nl[g['room'] - 1]}" for g in state["breakout"]["groups"]
        ]
        assert_screen(presenter, "rooms same room")
        screenshot(presenter, screenshots, "rooms-present-1280x720-nl-same-room")
    finally:
        close_all(devices, server)


def test_groups_from_the_rooms(browser: Browser, server: ServerProcess, screenshots: Path) -> None:
    """The host asks which of 3 rooms everyone is in: two pairs answer, one sits alone, one
    does not answer; the groups come from the answers, and the host moves the one alone."""
    code, token = new_session(server)
    host = open_device(browser, "host", viewport=LAPTOP)
    devices = [host]
    try:
        people = {
            n: phone(browser, server, code, n, "en" if n == "Bram" else "nl") for n in NAMES[:6]
        }
        devices += people.values()
        hp = host.page
        hp.goto(f"{server.base_url}/host/{code}#{token}")
        hp.locator("#rooms-from > summary").click()
        hp.locator("#rooms-count").fill("3")
        hp.locator("#rooms-ask-form button").click()
        expect(hp.locator("#rooms-asking")).to_be_visible()
        anna, bram = people["Anna"].page, people["Bram"].page
        expect(anna.locator("#view-rooms h1")).to_have_text("In welke breakoutroom zit je?")
        expect(bram.locator("#view-rooms h1")).to_have_text("Which breakout room are you in?")
        expect(anna.locator(".room-button")).to_have_count(3)
        shot(people["Anna"], screenshots, "phone-360-nl-which-room")
        shot(people["Bram"], screenshots, "phone-360-en-which-room")
        answers = {"Anna": 1, "Bram": 1, "Carla": 3, "Daan": 3, "Fatima": 2}
        for name, room in answers.items():
            page = people[name].page
            page.get_by_role("button", name=re.compile(f"^(Ruimte|Room) {room}$")).click()
            expect(page.locator("#room-chosen")).to_contain_text(str(room))
        expect(anna.locator(".room-button[aria-pressed=true]")).to_have_text("1")
        shot(people["Anna"], screenshots, "phone-360-nl-which-room-chosen")
        expect(hp.locator("#rooms-unanswered")).to_have_text("Nog niet gekozen: Eva")
        shot(host, screenshots, "host-1280-nl-which-room")
        set_language(host, "en")
        expect(hp.locator("#rooms-unanswered")).to_have_text("Not answered yet: Eva")
        shot(host, screenshots, "host-1280-en-which-room")
        set_language(host, "nl")
        hp.locator("#rooms-start").click()
        expect(hp.locator("#room-list")).to_be_visible()
        state = host_state(server, code, token)
        assert state["breakout"]["from_rooms"] is True
        names = by_name(state)
        rooms = {
            g["room"]: sorted(names[m] for m in g["members"]) for g in state["breakout"]["groups"]
        }
        assert rooms == {1: ["Anna", "Bram"], 3: ["Carla", "Daan"]}
        expect(people["Carla"].page.locator("#where-text")).to_have_text(
            "Ga naar breakoutroom 3 — met Daan"
        )
        expect(bram.locator("#where-text")).to_have_text("Go to breakout room 1 — with Anna")
        expect(hp.locator("#room-list-text")).to_have_text(room_list_of(state, "Ruimte"))
        expect(hp.locator("#room-alone")).to_have_text(
            "Fatima zit alleen in ruimte 2: zet die persoon hieronder bij een groep."
        )
        expect(hp.locator("#room-list-from")).to_be_visible()
        expect(people["Eva"].page.locator("#view-lobby")).to_be_visible()
        shot(host, screenshots, "host-1280-nl-from-rooms-running")
        # Fatima joins the duo in room 3; the host sees that she must move there.
        select = hp.get_by_label("Waar gaat Fatima heen?")
        value = select.locator("option", has_text="groep 3").get_attribute("value")
        select.select_option(value)
        hp.locator("#waiting-list li", has=select).locator("button[data-place]").click()
        expect(hp.locator(".room-move-text")).to_have_text("Fatima → ruimte 3")
        expect(hp.locator("#room-alone")).to_be_empty()
        state = host_state(server, code, token)
        room, partners = partners_of(state, "Fatima")
        assert room == 3
        expect(people["Fatima"].page.locator("#where-text")).to_have_text(
            f"Ga naar breakoutroom 3 — met {and_join(partners, 'nl')}"
        )
        shot(host, screenshots, "host-1280-nl-from-rooms-moved")
        shot(people["Fatima"], screenshots, "phone-360-nl-from-rooms-moved")
    finally:
        close_all(devices, server)
