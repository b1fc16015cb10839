"""Helpers for the browser tests: devices (one browser context each), logs, axe, screenshots."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any, Literal

from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from tests.utils.server import ServerProcess

PHONE: ViewportSize = {"width": 360, "height": 740}
LAPTOP: ViewportSize = {"width": 1280, "height": 800}
SERIOUS = ("serious", "critical")
READ_COUNTDOWN = """(sel) => [
  document.querySelector(sel).textContent, performance.timeOrigin + performance.now(),
]"""

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


def countdown_spread(devices: list[Device], selector: str = "#countdown") -> float:
    """Return how far apart (s) the devices' countdowns are, corrected for reading them in turn."""
    readings = []
    for device in devices:
        sel = "#host-countdown" if device.name == "host" else selector
        text, wall = device.page.evaluate(READ_COUNTDOWN, sel)
        readings.append(countdown_seconds(text) + wall / 1000)
    return max(readings) - min(readings)


def tick_offsets(devices: list[Device], since_ms: float) -> dict[str, float]:
    """Return, per device, the largest gap (ms) between when it showed each new countdown second
    (after wall time `since_ms`) and when the other devices did (their median)."""
    logs = {d.name: [(x, t) for x, t in d.log()["countdown"] if t >= since_ms] for d in devices}
    gaps: dict[str, float] = {}
    for device in devices:
        worst = 0.0
        for text, when in logs[device.name]:
            others = []
            for other, entries in logs.items():
                times = [t for x, t in entries if x == text and abs(t - when) < 5_000]
                if other != device.name and times:
                    others.append(min(times, key=lambda t: abs(t - when)))
            if others:
                worst = max(worst, abs(when - median(others)))
        gaps[device.name] = worst
    return gaps
