"""What a stray link, a name or a partner who leaves cannot break: the host keeps control of
their page, names never turn a sentence around, and nobody is left alone in a breakout.

Drives Debian's Chromium against a real server. Screenshots go to test-output/screenshots/
(prefix ``robust-``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.support import LAPTOP, PHONE, AxeRecorder, close_all, open_device, screenshot
from tests.utils.server import ROOT, ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeRecorder]:
    recorder = AxeRecorder(ROOT / "test-output" / "axe-report-robustness.json")
    yield recorder
    recorder.write()


def stored_host_token(page: object, code: str) -> object:
    return page.evaluate("(code) => JSON.parse(localStorage.getItem(`duo.host.${code}`))", code)  # type: ignore[attr-defined]


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
            "Deze host-link klopt niet. Je gaat verder met de host-link die al op dit apparaat stond."
        )
        assert stored_host_token(page, code) == created["host_token"]
        # … and the page works with the kept token: someone joins, the host sees them
        expect(page.locator("#view-host")).to_be_visible()
        httpx.post(
            f"{server.base_url}/api/sessions/{code}/participants", json={"name": "Anna"}
        ).raise_for_status()
        expect(page.locator("#participant-list")).to_contain_text("Anna")
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
        expect(note).to_have_text(
            "That host link doesn't work. Check that you copied all of it."
        )
        assert stored_host_token(page, code) is None
        axe.check(host, "wrong host link, nothing kept")
    finally:
        close_all([host], server)
