"""What a person types that others see is shown as text, never run as HTML."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.support import LAPTOP, close_all, open_device
from tests.utils.server import ServerProcess

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=__pwned=1>"
SCRIPT = "<script>__pwned=2</script>"


def test_markup_in_names_and_messages_is_text(browser: Browser, server: ServerProcess) -> None:
    session = httpx.post(
        f"{server.base_url}/api/sessions", json={"title": "<b>Team</b>", "language": "en"}
    ).json()
    host = open_device(browser, "host", viewport=LAPTOP, locale="en-GB")
    people = [open_device(browser, name) for name in ("img", "script")]
    devices = [host, *people]
    try:
        host.page.goto(session["host_url"])
        for device, name in zip(people, (IMG, SCRIPT), strict=True):
            device.page.goto(session["join_url"])
            field = device.page.get_by_role("textbox").first
            field.fill(name)
            field.press("Enter")
            device.page.locator("#agree").click()
        for name in (IMG, SCRIPT):
            expect(host.page.get_by_text(name).first).to_be_visible()
        host.page.get_by_role("button", name="breakout").first.click()
        expect(people[0].page.get_by_text(SCRIPT).first).to_be_visible()
        expect(people[1].page.get_by_text(IMG).first).to_be_visible()
        httpx.post(
            f"{server.base_url}/api/sessions/{session['code']}/messages",
            headers={"Authorization": f"Bearer {session['host_token']}"},
            json={"text": f"{IMG} {SCRIPT}"},
        ).raise_for_status()
        for device in devices:
            expect(device.page.get_by_text(f"{IMG} {SCRIPT}").first).to_be_visible()
            assert device.page.locator("img[src='x']").count() == 0
            assert device.page.evaluate("typeof window.__pwned") == "undefined"
        expect(host.page.get_by_text("<b>Team</b>").first).to_be_visible()
    finally:
        close_all(devices, server)
