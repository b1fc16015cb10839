"""A whole intervision meeting in Duo, as people run it: agreements, check-in, a breakout with
a late joiner, a message, a break and a check-out, on phones and laptops in Dutch and English.

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/
(prefix ``meeting-``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.domain.meeting import CHECKIN_QUESTIONS, CHECKOUT_QUESTIONS, ENERGIZERS
from tests.browser.support import (
    LAPTOP,
    PHONE,
    SECOND_TOLERANCE_MS,
    AxeRecorder,
    Device,
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

AGREEMENTS_NL = "Wat hier gezegd wordt, blijft hier."
MARKUP = '<b>Nog 5 minuten</b> & <img src="x">'
YOUR_TURN = {"nl": "Jouw beurt", "en": "Your turn"}
YOU_RE_NEXT = {"nl": "Jij bent hierna aan de beurt", "en": "You're next"}


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-meeting.json")
    yield recorder
    recorder.write()


class Person:
    """A participant's device and the language its page is in."""

    def __init__(self, device: Device, lang: str) -> None:
        self.device = device
        self.lang = lang

    @property
    def page(self) -> Page:
        return self.device.page

    @property
    def name(self) -> str:
        return self.device.name

    @property
    def label(self) -> str:
        """Return "phone-nl", "laptop-en", … for screenshot names."""
        size = "laptop" if self.device.viewport["width"] > PHONE["width"] else "phone"
        return f"{size}-{self.lang}"


def shot(device: Device, folder: Path, name: str, *, viewport: Any = None) -> None:
    """Save `meeting-{name}.png`; with `viewport`, at that size (then back)."""
    if viewport is None:
        screenshot(device, folder, f"meeting-{name}")
        return
    before = device.viewport
    device.page.set_viewport_size(viewport)
    device.viewport = viewport
    try:
        screenshot(device, folder, f"meeting-{name}")
    finally:
        device.page.set_viewport_size(before)
        device.viewport = before


def join_and_agree(
    person: Person, join_url: str, *, keyboard: bool = False, running: bool = False
) -> None:
    """Join by the link, read the agreements, confirm them, and land in the lobby (joining
    while something runs: the lobby's late-joiner note shows below the agreements at once)."""
    page = person.page
    page.goto(join_url)
    if person.lang == "en":
        page.get_by_role("button", name="EN English").click()
    field = page.locator("#name")
    expect(field).to_be_visible()
    field.fill(person.name)
    field.press("Enter")
    expect(page.locator("#view-agreements")).to_be_visible()
    expect(page.locator("#agreements-text")).to_contain_text(AGREEMENTS_NL)
    if running:
        expect(page.locator("#view-lobby")).to_be_visible()
        expect(page.locator("#agreements-hint")).to_have_text(
            re.compile(
                "^(Hieronder zie je wat er nu gebeurt|Below you can see what's happening now)"
            )
        )
    else:
        expect(page.locator("#view-lobby")).to_be_hidden()
    if keyboard:
        page.locator("#agree").focus()
        page.keyboard.press("Enter")
    else:
        page.locator("#agree").click()
    expect(page.locator("#view-lobby")).to_be_visible()


def speaker_names(host: Page) -> list[str]:
    return host.locator("#host-round-order .speaker-name").all_text_contents()


def expect_turns(people: dict[str, Person], speaker: str | None, following: str | None) -> None:
    """The speaker's page says "your turn", the next one's "you're next", nobody else's either."""
    for name, person in people.items():
        turn = person.page.locator("#round-turn")
        position = person.page.locator("#round-position")
        if name == speaker:
            expect(turn).to_have_text(YOUR_TURN[person.lang])
        else:
            expect(turn).not_to_have_text(YOUR_TURN[person.lang])
        if name == following:
            expect(position).to_have_text(YOU_RE_NEXT[person.lang])
        else:
            expect(position).not_to_have_text(YOU_RE_NEXT[person.lang])


def current_step(host: Page) -> str:
    return host.locator("#agenda [aria-current=step] .agenda-name").text_content() or ""


def test_a_whole_meeting(
    browser: Browser, server: ServerProcess, screenshots: Path, axe: AxeRecorder
) -> None:
    """Agreements, check-in, breakout with a late joiner, message, break, check-out."""
    host = open_device(browser, "host", viewport=LAPTOP)
    devices = [host]
    try:
        hp = host.page
        # ---- the host creates the session: agreements prefilled, a planned end -------------
        hp.goto(server.base_url + "/")
        agreements = hp.locator("#agreements")
        expect(agreements).to_have_value(re.compile(re.escape(AGREEMENTS_NL)))
        hp.locator("input[name=language][value=en]").check()
        expect(agreements).to_have_value(re.compile("What is said here stays here."))
        hp.locator("input[name=language][value=nl]").check()
        expect(agreements).to_have_value(re.compile(re.escape(AGREEMENTS_NL)))
        # three minutes from now: the breakout will run over it
        planned = hp.evaluate(
            """() => {
                const d = new Date(Date.now() + 180_000);
                const two = (n) => String(n).padStart(2, "0");
                return `${two(d.getHours())}:${two(d.getMinutes())}`;
            }"""
        )
        hp.locator("#planned-end").fill(planned)
        hp.locator("#title").fill("Intervisie team B")
        shot(host, screenshots, "laptop-nl-01-create")
        shot(host, screenshots, "phone-nl-01-create", viewport=PHONE)
        axe.check(host, "create with agreements and planned end")
        hp.locator("#title").press("Enter")
        expect(hp.locator("#view-created")).to_be_visible()
        join_url = hp.locator("#join-link").input_value()
        code = join_url.rsplit("/", 1)[1]
        host_token = hp.locator("#host-link").input_value().split("#", 1)[1]
        hp.locator("#open-host").click()
        expect(hp.locator("#view-host")).to_be_visible()
        expect(hp.locator("#planned-end")).to_have_text(planned)
        expect(hp.locator("#now-lobby")).to_be_visible()

        # ---- four people join and confirm the agreements -----------------------------------
        people = {
            "Anna": Person(open_device(browser, "Anna"), "nl"),
            "Bram": Person(open_device(browser, "Bram", locale="en-GB"), "en"),
            "Carla": Person(open_device(browser, "Carla", viewport=LAPTOP, locale="en-GB"), "en"),
            "Daan": Person(open_device(browser, "Daan", color_scheme="dark"), "nl"),
        }
        devices += [p.device for p in people.values()]
        anna = people["Anna"]
        anna.page.goto(join_url)
        anna.page.locator("#name").fill("Anna")
        anna.page.locator("#name").press("Enter")
        expect(anna.page.locator("#view-agreements")).to_be_visible()
        expect(hp.locator("#participant-list")).to_contain_text("leest de afspraken")
        shot(anna.device, screenshots, "phone-nl-02-agreements")
        axe.check(anna.device, "agreements")
        anna.page.reload()  # the agreements come back until confirmed: it is server state
        expect(anna.page.locator("#view-agreements")).to_be_visible()
        anna.page.locator("#agree").focus()
        anna.page.keyboard.press("Enter")
        expect(anna.page.locator("#view-lobby")).to_be_visible()
        anna.page.reload()
        expect(anna.page.locator("#view-lobby")).to_be_visible()
        for name in ("Bram", "Carla", "Daan"):
            join_and_agree(people[name], join_url)
        expect(hp.locator("#people-count")).to_have_text("4 van 4 online")
        expect(hp.locator("#agenda")).to_contain_text("4 van 4 akkoord")
        expect(hp.locator("#participant-list")).not_to_contain_text("leest de afspraken")
        expect(people["Carla"].page.locator("#now-chip")).to_have_text("Now: Lobby")
        shot(host, screenshots, "laptop-nl-03-host-lobby")
        axe.check(host, "host lobby with agreements confirmed")

        # ---- check-in: the host picks a question and a time; the host speaks first ---------
        expect(hp.locator("input[name=kind][value=checkin]")).to_be_checked()
        hp.locator("#round-question").select_option("proud")
        hp.locator("#round-seconds").select_option("60")
        expect(hp.locator("#round-start")).to_have_text("Start de check-in")
        hp.locator("#round-start").click()
        expect(hp.locator("#round-running")).to_be_visible()
        expect(hp.locator("#round-next")).to_be_focused()
        expect(hp.locator("#host-round-question")).to_have_text("Waar ben je trots op?")
        order = speaker_names(hp)
        assert order[0] == "De host" and sorted(order[1:]) == sorted(people), order
        assert current_step(hp) == "Check-in"
        for person in people.values():
            page = person.page
            expect(page.locator("#view-round")).to_be_visible()
            question = "Waar ben je trots op?" if person.lang == "nl" else "What are you proud of?"
            expect(page.locator("#round-question")).to_have_text(question)
            expect(page.locator("#round-order .speaker").first).to_have_text(
                re.compile("De host|The host")
            )
        expect_turns(people, None, order[1])
        # a minute per speaker, counted down at the server's second
        speaking = host_state(server, code, host_token)["meeting"]["round"]
        assert speaking["turn_ends_at_ms"] - speaking["turn_started_at_ms"] == 60_000, speaking
        ((shown, at),) = next_seconds([(people[order[1]].device, "#round-countdown")])
        assert countdown_seconds(shown) <= 60, shown
        error = second_error_ms(shown, at, speaking["turn_ends_at_ms"])
        assert error <= SECOND_TOLERANCE_MS, (shown, at, speaking)
        shot(people[order[1]].device, screenshots, f"{people[order[1]].label}-03-checkin-next")
        shot(host, screenshots, "laptop-nl-04-host-checkin")
        shot(host, screenshots, "phone-nl-04-host-checkin", viewport=PHONE)
        axe.check(host, "host, check-in")
        axe.check(people[order[1]].device, "check-in, you're next")
        for turn in range(1, len(order)):
            hp.locator("#round-next").click()
            expect(hp.locator("#host-round-count")).to_have_text(
                f"Beurt {turn + 1} van {len(order)}"
            )
            following = order[turn + 1] if turn + 1 < len(order) else None
            expect_turns(people, order[turn], following)
            if turn == 1:
                speaker = people[order[1]]
                shot(speaker.device, screenshots, f"{speaker.label}-05-checkin-your-turn")
                axe.check(speaker.device, "check-in, your turn")
        expect(hp.locator("#round-next")).to_have_text("Rond af")
        hp.locator("#round-next").click()
        for person in people.values():
            expect(person.page.locator("#view-lobby")).to_be_visible()
        expect(hp.locator("#round-form")).to_be_visible()

        # ---- a breakout; Eva arrives late, waits, and is added to a duo (a trio of 12) ------
        hp.locator("#start").click()
        for person in people.values():
            expect(person.page.locator("#view-breakout")).to_be_visible()
        assert current_step(hp) == "Breakout"
        expect(hp.locator("#overrun")).to_be_visible()  # the breakout runs past the planned end
        eva = Person(open_device(browser, "Eva", locale="en-GB"), "en")
        devices.append(eva.device)
        join_and_agree(eva, join_url, keyboard=True, running=True)
        expect(eva.page.locator("#lobby-note")).to_contain_text(
            "otherwise you'll join the next one"
        )
        expect(eva.page.locator("#now-chip")).to_have_text("Now: Breakout")
        waiting = hp.locator("#waiting")
        expect(waiting).to_be_visible()
        expect(waiting).to_contain_text("Waar gaat Eva heen?")
        shot(eva.device, screenshots, "phone-en-06-late-joiner")
        shot(host, screenshots, "laptop-nl-07-host-waiting")
        axe.check(host, "host, a late joiner waiting")
        axe.check(eva.device, "late joiner")
        place = waiting.get_by_label("Waar gaat Eva heen?")
        options = place.locator("option").all_text_contents()
        assert len(options) == 2 and all(o.startswith("Bij groep") for o in options), options
        place.select_option(index=0)
        waiting.get_by_role("button", name="Plaats").click()
        expect(waiting).to_be_hidden()
        expect(eva.page.locator("#view-breakout")).to_be_visible()
        expect(eva.page.locator("#phase-count")).to_have_text("Phase 1 of 12")
        trio = [
            name
            for name, person in people.items()
            if "Eva" in (person.page.locator("#partner-names").text_content() or "")
        ]
        assert len(trio) == 2, trio
        for person in [eva, *(people[name] for name in trio)]:
            expect(person.page.locator("#phase-count")).to_have_text(
                re.compile("(Fase|Phase) 1 (van|of) 12")
            )
            expect(person.page.locator("#progress .rotation")).to_have_count(3)
            expect(person.page.locator("#progress")).to_contain_text(
                re.compile("Eva (vertelt|tells)|You tell")
            )
        shot(eva.device, screenshots, "phone-en-08-trio-joiner")
        axe.check(eva.device, "late joiner in a trio")

        # ---- someone of the other duo drops out and comes back -----------------------------
        duo = [name for name in people if name not in trio]
        gone, stays = people[duo[0]], people[duo[1]]
        gone.page.goto("about:blank")
        broken = hp.locator(".group-card.is-broken")
        expect(broken).to_have_count(1)
        expect(broken).to_contain_text(f"Verbroken: {gone.name} offline")
        dropped = {
            "nl": f"De verbinding van {gone.name} is weg",
            "en": f"{gone.name} lost the connection",
        }[stays.lang]
        expect(stays.page.locator("#partner-note")).to_contain_text(dropped)
        shot(stays.device, screenshots, f"{stays.label}-09-partner-dropped")
        shot(host, screenshots, "laptop-nl-10-host-broken")
        axe.check(host, "host, a broken duo")
        axe.check(stays.device, "partner dropped out")
        gone.page.goto(join_url)
        expect(gone.page.locator("#view-breakout")).to_be_visible()
        back = {"nl": "is terug", "en": "is back"}[stays.lang]
        expect(stays.page.locator("#partner-note")).to_contain_text(f"{gone.name} {back}")
        expect(broken).to_have_count(0)

        # ---- the host sends a message: a banner everywhere, the markup shown as text --------
        message = hp.locator("#message-input")
        message.fill(MARKUP)
        expect(hp.locator("#message-counter")).to_have_text(f"{len(MARKUP)} van 280 tekens")
        hp.locator("#message-send").click()
        expect(hp.locator("#message-status")).to_have_text("Verstuurd.")
        everyone = [host, eva.device, *(p.device for p in people.values())]
        for device in everyone:
            banner = device.page.locator("#message-banner")
            expect(banner).to_be_visible()
            expect(device.page.locator("#message-text")).to_have_text(MARKUP)
            assert device.page.locator("#message-text *").count() == 0, "the message became markup"
            expect(device.page.locator("#message-announcer")).to_contain_text(MARKUP)
        shot(people["Daan"].device, screenshots, "phone-nl-dark-11-message")
        shot(people["Carla"].device, screenshots, "laptop-en-12-message")
        axe.check(people["Daan"].device, "message banner, dark")
        axe.check(host, "host, message banner")
        anna.page.locator("#message-dismiss").click()
        expect(anna.page.locator("#message-banner")).to_be_hidden()
        anna.page.reload()  # dismissed stays dismissed on this device …
        expect(anna.page.locator("#view-breakout")).to_be_visible()
        expect(anna.page.locator("#message-banner")).to_be_hidden()
        bram = people["Bram"]
        bram.page.reload()  # … and comes back to someone who reconnects without dismissing
        expect(bram.page.locator("#message-text")).to_have_text(MARKUP)
        hp.locator("#end").click()
        hp.locator("#end-yes").click()
        for person in [eva, *people.values()]:
            expect(person.page.locator("#view-done")).to_be_visible()

        # ---- a break with an energizer: a countdown on every device, ended early -----------
        hp.locator("#break-minutes").fill("5")
        hp.locator("#break-energizer-choice").select_option("yoga")
        expect(hp.locator("#break-energizer-hint")).to_contain_text("Vijf minuten")
        hp.locator("#break-start").click()
        expect(hp.locator("#break-end")).to_be_focused()
        for person in [eva, *people.values()]:
            page = person.page
            expect(page.locator("#view-break")).to_be_visible()
            yoga = "5-minuten-yoga" if person.lang == "nl" else "5-minute yoga"
            expect(page.locator("#energizer-name")).to_have_text(yoga)
        # five minutes, counted down on every device at the server's second
        pause = host_state(server, code, host_token)["meeting"]["break"]
        assert pause["ends_at_ms"] - pause["started_at_ms"] == 300_000, pause
        watched = [(p.device, "#break-countdown") for p in [eva, *people.values()]]
        for (device, _), (shown, at) in zip(
            [*watched, (host, "#host-break-countdown")],
            next_seconds([*watched, (host, "#host-break-countdown")]),
            strict=True,
        ):
            assert countdown_seconds(shown) <= 300, (device.name, shown)
            error = second_error_ms(shown, at, pause["ends_at_ms"])
            assert error <= SECOND_TOLERANCE_MS, (device.name, shown, at, pause)
        assert current_step(hp) == "Pauze"
        expect(hp.locator("#break-suggestion")).to_be_hidden()
        shot(anna.device, screenshots, "phone-nl-13-break")
        shot(bram.device, screenshots, "phone-en-14-break")
        shot(host, screenshots, "laptop-nl-15-host-break")
        axe.check(anna.device, "break")
        axe.check(host, "host, break")
        hp.get_by_role("button", name="EN English").click()
        shot(host, screenshots, "phone-en-16-host-break", viewport=PHONE)
        hp.get_by_role("button", name="NL Nederlands").click()
        hp.locator("#break-end").click()
        for person in [eva, *people.values()]:
            expect(person.page.locator("#view-break")).to_be_hidden()

        # ---- check-out: the seed's question, no time limit; the host ends it --------------
        expect(hp.locator("input[name=kind][value=checkout]")).to_be_checked()
        hp.locator("#round-question").select_option("take_away")
        hp.locator("#round-seconds").select_option("")
        hp.locator("#round-start").click()
        expect(hp.locator("#host-round-question")).to_have_text("Wat neem je mee?")
        for person in [eva, *people.values()]:
            page = person.page
            expect(page.locator("#view-round")).to_be_visible()
            question = "Wat neem je mee?" if person.lang == "nl" else "What do you take with you?"
            expect(page.locator("#round-question")).to_have_text(question)
            expect(page.locator("#round-timer")).to_be_hidden()
        expect(people["Daan"].page.locator("#now-chip")).to_be_hidden()
        assert current_step(hp) == "Check-out"
        shot(people["Carla"].device, screenshots, "laptop-en-17-checkout")
        shot(people["Daan"].device, screenshots, "phone-nl-dark-18-checkout")
        shot(host, screenshots, "phone-nl-19-host-checkout", viewport=PHONE)
        axe.check(people["Daan"].device, "check-out, dark")
        hp.locator("#round-end").click()
        expect(hp.locator("#round-form")).to_be_visible()
        for person in [eva, *people.values()]:
            expect(person.page.locator("#view-round")).to_be_hidden()
    finally:
        close_all(devices, server)


def test_meeting_views_in_the_browser(browser: Browser, server: ServerProcess) -> None:
    """The pure meeting derivations, run where they run: late duos, rounds, breaks, overrun."""
    device = open_device(browser, "modules")
    try:
        device.page.goto(f"{server.base_url}/")
        result = device.page.evaluate(
            """async () => {
                const view = await import("/static/js/view.js");
                const i18n = await import("/static/js/i18n.js");
                const clock = await import("/static/js/clock.js");
                const MIN = 60_000;
                const slots = [...Array(11)].map((_, i) => ({
                    starts_at_ms: i * MIN, ends_at_ms: (i + 1) * MIN,
                }));
                const kinds = ["tell", "silence", "question", "answer"];
                const phases = [...Array(8)].map((_, i) => ({
                    kind: kinds[i % 4], teller: i < 4 ? "x" : "y",
                }));
                const meeting = {
                    activity: "breakout", started_at_ms: 0, planned_end_ms: 5 * MIN,
                    last_break_ended_at_ms: null, agreements: "Be kind.", break: null,
                    messages: [{ id: 1, text: "a" }, { id: 2, text: "b" }], round: null,
                };
                const state = {
                    session: { title: "", language: "nl", phase_seconds: 60 },
                    me: { id: "x", name: "X", host: false, agreed: true },
                    participant_count: 2,
                    breakout: {
                        id: "b1", number: 1, status: "running", current_slot: 0,
                        remaining_ms: MIN, slots,
                        my_group: {
                            members: [
                                { id: "x", name: "X", online: true },
                                { id: "y", name: "Y", online: false },
                            ],
                            phases, first_slot: 3,
                        },
                    },
                    meeting,
                };
                const at = (now) => view.participantModel(state, now);
                const round = {
                    kind: "checkin", question: "Waar ben je trots op?", turn: 1, size: 5,
                    speaker: { id: "a", name: "A", host: false },
                    next: { id: "b", name: "B", host: false },
                    turn_started_at_ms: 0, turn_ends_at_ms: 30_000, seconds_per_speaker: 30,
                    order: [
                        { id: "host", name: null, host: true },
                        { id: "a", name: "A", host: false },
                        { id: "b", name: "B", host: false },
                        { id: "c", name: "C", host: false },
                        { id: "x", name: "X", host: false },
                    ],
                };
                const place = (id) => view.roundModel(round, id, 10_000).position;
                const host = { ...state, participants: [], meeting: { ...meeting } };
                const model = view.meetingModel(host, 90_000);
                const afterBreak = { ...meeting, last_break_ended_at_ms: 10 * MIN };
                const rested = view.meetingModel(
                    { ...host, breakout: null, meeting: afterBreak }, 60 * MIN,
                );
                const tired = view.meetingModel({ ...host, breakout: null }, 56 * MIN);
                const ranOut = { ...meeting, break: { started_at_ms: 0, ends_at_ms: 50 * MIN } };
                const afterRanOut = view.meetingModel(
                    { ...host, breakout: null, meeting: ranOut }, 60 * MIN,
                );
                const pause = {
                    ...meeting, break: { started_at_ms: 0, ends_at_ms: 5 * MIN, energizer: "yoga" },
                };
                return {
                    starting: [at(2.5 * MIN).screen, at(2.5 * MIN).startsInMs],
                    firstPhase: [at(3 * MIN).screen, at(3 * MIN).slot, at(3 * MIN).dropped],
                    lastPhase: at(10.5 * MIN).slot,
                    done: at(11 * MIN).screen,
                    // Not yet agreed: what runs is shown, the agreements above it;
                    // with nothing running, the agreements alone.
                    agreements: [
                        view.participantModel(
                            { ...state, me: { ...state.me, agreed: false } }, 0,
                        ),
                        view.participantModel(
                            { ...state, me: { ...state.me, agreed: false }, breakout: null }, 0,
                        ),
                    ].map((m) => [m.screen, m.agreements]),
                    emptyAgreements: view.participantModel(
                        { ...state, me: { ...state.me, agreed: false },
                          meeting: { ...meeting, agreements: " " } }, 3 * MIN,
                    ).screen,
                    onBreak: [
                        view.participantModel({ ...state, meeting: pause }, MIN).screen,
                        view.participantModel({ ...state, meeting: pause }, 5 * MIN).screen,
                        view.activityAt({ ...state, meeting: pause }, MIN),
                    ],
                    places: ["a", "b", "c", "x", "host", "nobody"].map(place),
                    before: view.roundModel(round, "x", 0).before,
                    turnLeft: view.roundModel(round, "x", 10_000).remainingMs,
                    projected: model.projectedEndMs,
                    overrun: model.overrunMs,
                    suggest: [
                        tired.suggestBreak, rested.suggestBreak, model.suggestBreak,
                        afterRanOut.suggestBreak, afterRanOut.activity,
                    ],
                    banner: [
                        view.bannerMessage(meeting, []).id,
                        view.bannerMessage(meeting, [2]),
                    ],
                    questions: i18n.QUESTIONS,
                    energizers: i18n.ENERGIZERS,
                    localized: i18n.localizeQuestion("en", "Wat neem je mee?"),
                    own: i18n.localizeQuestion("en", "Hoe gaat het?"),
                    elapsed: [i18n.elapsedText("nl", 59 * MIN), i18n.elapsedText("en", 125 * MIN)],
                    timeOfDay: [
                        clock.timeOfDayMs("25:00", 0),
                        clock.formatClockTime(clock.timeOfDayMs("09:05", Date.now())),
                        clock.timeOfDayMs("09:05", Date.now()) > Date.now(),
                    ],
                };
            }"""
        )
        assert result["starting"] == ["starting", 30_000]
        assert result["firstPhase"] == ["breakout", 0, ["\u2068Y\u2069"]]  # names come isolated
        assert result["lastPhase"] == 7
        assert result["done"] == "done"
        assert result["agreements"] == [["starting", "Be kind."], ["agreements", "Be kind."]]
        assert result["emptyAgreements"] == "breakout"
        assert result["onBreak"] == ["break", "breakout", "break"]
        assert result["places"] == ["speaker", "next", "later", "later", "spoken", "none"]
        assert result["before"] == 2
        assert result["turnLeft"] == 20_000
        # 1.5 min into an 11-slot breakout: 9.5 min to go, past the planned end at 5 min
        assert result["projected"] == 11 * 60_000
        assert result["overrun"] == 6 * 60_000
        assert result["suggest"] == [True, False, False, False, "lobby"]
        assert result["banner"] == [2, None]
        assert result["questions"] == {
            "checkin": list(CHECKIN_QUESTIONS),
            "checkout": list(CHECKOUT_QUESTIONS),
        }
        assert result["energizers"] == list(ENERGIZERS)
        assert result["localized"] == "What do you take with you?"
        assert result["own"] == "Hoe gaat het?"
        assert result["elapsed"] == ["59 min", "2 h 05 min"]
        assert result["timeOfDay"] == [None, "09:05", True]
    finally:
        close_all([device], server)
