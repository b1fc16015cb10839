"""Helpers for the browser tests: devices (one browser context each), logs, axe, screenshots."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize
from websockets.sync.client import connect

from tests.utils.server import ServerProcess

PHONE: ViewportSize = {"width": 360, "height": 740}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
SERIOUS = ("serious", "critical")
# How long a browser test waits for what it expects before calling a page stuck: a liveness
# guard, far above any latency, so a busy machine never trips it.
LIVENESS_MS = 30_000
# How far (ms) the second a page shows may be from the right one at the moment it shows it:
# the right one is what the server's deadline minus the machine's wall clock gives. Pages on
# one machine share that clock, so every page within this of the server shows the same second
# as every other; a page that ignored the server's clock (Daan's is five minutes fast), used
# the wrong rounding or no round-trip correction would be off by far more.
SECOND_TOLERANCE_MS = 250
# Resolves, with the machine's wall clock, when the element's text next changes: the moment a
# countdown shows a new second (a shifted Date does not touch performance.timeOrigin).
ARM_NEXT_TEXT = """([sel, limit]) => {
  const el = document.querySelector(sel);
  const was = el.textContent;
  window.__duoNextText = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (el.textContent === was) return;
      observer.disconnect();
      resolve([el.textContent, performance.timeOrigin + performance.now()]);
    });
    observer.observe(el, { subtree: true, childList: true, characterData: true });
    setTimeout(() => reject(new Error(`${sel} did not change in ${limit} ms`)), limit);
  });
}"""

# Records, with the wall clock of the machine (performance.timeOrigin + now, which a shifted
# Date does not touch), when each page's countdown text and phase changed and when buttons
# were clicked. Observing the DOM changes nothing in the page.
LOG_SCRIPT = """
(() => {
  const wall = () => performance.timeOrigin + performance.now();
  const log = { countdown: [], phase: [], clicks: [], vibrate: 0, wakeLock: 0, tones: 0 };
  Object.defineProperty(window, "__duoLog", { value: log });
  let lastCountdown = null;
  let lastPhase = null;
  const check = () => {
    const t = wall();
    const countdown = document.querySelector("#countdown, #host-countdown");
    if (countdown && countdown.textContent !== lastCountdown) {
      lastCountdown = countdown.textContent;
      log.countdown.push([lastCountdown, t]);
    }
    const screen = document.body ? document.body.dataset.screen : "";
    const slot = document.querySelector("#view-breakout, #running-area");
    const phase = `${screen}|${slot ? slot.dataset.slot || "" : ""}`;
    if (phase !== lastPhase) {
      lastPhase = phase;
      log.phase.push([phase, t]);
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["data-slot", "data-screen"],
  });
  // Count the cues a person would feel, hear or see: vibration, chime tones, the wake lock.
  if (navigator.vibrate) {
    const vibrate = navigator.vibrate.bind(navigator);
    navigator.vibrate = (pattern) => { log.vibrate += 1; return vibrate(pattern); };
  }
  if (navigator.wakeLock) {
    const request = navigator.wakeLock.request.bind(navigator.wakeLock);
    navigator.wakeLock.request = (type) => { log.wakeLock += 1; return request(type); };
  }
  if (window.AudioContext) {
    const createOscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
      log.tones += 1;
      return createOscillator.call(this);
    };
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button");
    if (button && button.id) log.clicks.push([button.id, wall()]);
  }, true);
})();
"""


def shifted_clock_script(shift_ms: int) -> str:
    """Return an init script that makes Date (Date.now and new Date()) run `shift_ms` ahead."""
    return f"""
(() => {{
  const shift = {int(shift_ms)};
  const RealDate = Date;
  class ShiftedDate extends RealDate {{
    constructor(...args) {{
      if (args.length === 0) super(RealDate.now() + shift);
      else super(...args);
    }}
    static now() {{
      return RealDate.now() + shift;
    }}
  }}
  globalThis.Date = ShiftedDate;
}})();
"""


@dataclass
class Device:
    """One person's browser: its own context (storage), page, and what it requested."""

    name: str
    context: BrowserContext
    page: Page
    viewport: ViewportSize
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def log(self) -> dict[str, Any]:
        return self.page.evaluate("window.__duoLog")

    def wall_ms(self) -> float:
        return self.page.evaluate("performance.timeOrigin + performance.now()")


def open_device(
    browser: Browser,
    name: str,
    *,
    viewport: ViewportSize = PHONE,
    locale: str = "nl-NL",
    clock_shift_ms: int = 0,
    color_scheme: Literal["light", "dark"] = "light",
    reduced_motion: Literal["reduce", "no-preference"] = "no-preference",
) -> Device:
    """Open a fresh browser context and page for one person."""
    context = browser.new_context(
        viewport=viewport,
        locale=locale,
        color_scheme=color_scheme,
        reduced_motion=reduced_motion,
    )
    context.add_init_script(LOG_SCRIPT)
    if clock_shift_ms:
        context.add_init_script(shifted_clock_script(clock_shift_ms))
    page = context.new_page()
    device = Device(name, context, page, viewport)
    page.on("request", lambda request: device.requests.append(request.url))
    page.on("websocket", lambda socket: device.requests.append(socket.url))
    page.on("pageerror", lambda error: device.problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            device.problems.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    return device


def foreign_requests(device: Device, server: ServerProcess) -> list[str]:
    """Return the URLs `device` requested that did not go to Duo itself."""
    own = (server.base_url + "/", server.ws_url + "/")
    return [
        url for url in device.requests if not url.startswith(own) and not url.startswith("data:")
    ]


def close_all(devices: list[Device], server: ServerProcess) -> None:
    """Check that nothing left Duo and nothing went wrong in any page, then close them."""
    try:
        for device in devices:
            assert foreign_requests(device, server) == [], f"{device.name} requested outside Duo"
            assert device.problems == [], f"{device.name}: {device.problems}"
    finally:
        for device in devices:
            device.context.close()


class AxeRecorder:
    """Run axe-core on pages; fail on serious or critical violations, keep the rest for a report."""

    def __init__(self, report: Path) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.report = report
        self.minor: list[dict[str, Any]] = []
        self.runs = 0

    def check(self, device: Device, state: str) -> None:
        results = self.axe.run(device.page)
        self.runs += 1
        violations = results.response["violations"]
        serious = [v for v in violations if v.get("impact") in SERIOUS]
        for v in violations:
            if v.get("impact") not in SERIOUS:
                self.minor.append(
                    {"page": device.name, "state": state, "id": v["id"], "impact": v.get("impact")}
                )
        assert not serious, f"axe on {device.name} ({state}): " + "; ".join(
            f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes']][:4]}"
            for v in serious
        )

    def write(self) -> None:
        self.report.parent.mkdir(parents=True, exist_ok=True)
        self.report.write_text(json.dumps({"runs": self.runs, "not_serious": self.minor}, indent=2))


def screenshot(device: Device, folder: Path, name: str) -> None:
    """Save a full-page screenshot; at phone width also check the page never scrolls sideways."""
    page = device.page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= device.viewport["width"], (
        f"{name}: {width}px wide in a {device.viewport['width']}px viewport"
    )
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def countdown_seconds(text: str) -> int:
    """Return the seconds an "M:SS" countdown shows. Raises AssertionError on another format."""
    match = re.fullmatch(r"(\d+):([0-5]\d)", text.strip())
    assert match, f"not a M:SS countdown: {text!r}"
    return int(match.group(1)) * 60 + int(match.group(2))


def host_state(server: ServerProcess, code: str, host_token: str) -> dict[str, Any]:
    """Return the state the server sends the host now (a socket of the test's own)."""
    with connect(f"{server.ws_url}/ws/{code}", open_timeout=LIVENESS_MS / 1000) as ws:
        ws.send(json.dumps({"type": "hello", "token": host_token}))
        state = json.loads(ws.recv(timeout=LIVENESS_MS / 1000))
    assert state["type"] == "state", state
    return dict(state)


def second_error_ms(text: str, wall_ms: float, deadline_ms: int) -> float:
    """Return how far (ms) a countdown showing `text` at wall time `wall_ms` is from the right
    second for `deadline_ms`: 0 when it shows the whole seconds left, rounded up."""
    shown = countdown_seconds(text) * 1000
    left = deadline_ms - wall_ms
    if shown == 0:
        return max(0.0, left)
    if left > shown:  # shows too few seconds: ahead of the server
        return left - shown
    if left <= shown - 1000:  # shows too many: behind it
        return shown - 1000 - left
    return 0.0


def next_seconds(readings: list[tuple[Device, str]]) -> list[tuple[str, float]]:
    """For each (device, countdown selector), wait until it shows a new second; return what it
    showed and when (wall ms). All pages are watched at once."""
    for device, selector in readings:
        device.page.evaluate(ARM_NEXT_TEXT, [selector, LIVENESS_MS])
    return [tuple(device.page.evaluate("window.__duoNextText")) for device, _ in readings]


def breakout_countdown(device: Device) -> str:
    return "#host-countdown" if device.name == "host" else "#countdown"


def slot_end(breakout: dict[str, Any], wall_ms: float) -> int | None:
    """Return the end of the slot running at `wall_ms`, or None next to a slot boundary (where
    either slot's second may be right) or outside the breakout."""
    margin = SECOND_TOLERANCE_MS
    for slot in breakout["slots"]:
        if slot["starts_at_ms"] + margin <= wall_ms < slot["ends_at_ms"] - margin:
            return int(slot["ends_at_ms"])
    return None


def breakout_second_errors(
    device: Device, breakout: dict[str, Any], since_ms: float
) -> list[float]:
    """Return the errors (ms) of each breakout countdown second `device` showed after wall
    time `since_ms`, against the server's slots (`breakout`)."""
    errors = []
    for text, wall in device.log()["countdown"]:
        if wall < since_ms or not re.fullmatch(r"\d+:[0-5]\d", text.strip()):
            continue
        end = slot_end(breakout, wall)
        if end is not None:
            errors.append(second_error_ms(text, wall, end))
    return errors


def assert_right_second(
    devices: list[Device], server: ServerProcess, code: str, host_token: str, seconds: int = 1
) -> dict[str, float]:
    """Every page's breakout countdown, each time it shows a new second (at least `seconds`
    of them), shows the second the server's deadlines give for that moment. Returns the
    worst error (ms) by page."""
    since = devices[0].wall_ms()
    errors: dict[str, list[float]] = {d.name: [] for d in devices}
    for _ in range(seconds + 3):  # a second next to a slot boundary does not count
        waiting = [d for d in devices if len(errors[d.name]) < seconds]
        if not waiting:
            break
        next_seconds([(d, breakout_countdown(d)) for d in waiting])
        breakout = host_state(server, code, host_token)["breakout"]
        errors = {d.name: breakout_second_errors(d, breakout, since) for d in devices}
    worst = {name: max(found, default=float("inf")) for name, found in errors.items()}
    assert max(worst.values()) <= SECOND_TOLERANCE_MS, worst
    return worst
