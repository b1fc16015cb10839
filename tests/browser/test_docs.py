"""The API's documentation page runs in a browser: operations listed, nothing blocked, no
request leaving Duo."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.support import LAPTOP, close_all, open_device
from tests.utils.server import ServerProcess

pytestmark = pytest.mark.browser


def test_docs_page_shows_the_operations(browser: Browser, server: ServerProcess) -> None:
    operator = open_device(browser, "operator", viewport=LAPTOP, locale="en-GB")
    try:
        operator.page.goto(f"{server.base_url}/docs")
        operations = operator.page.locator(".opblock-summary-path")
        expect(operations.first).to_be_visible()
        paths = operations.all_inner_texts()
        assert any("/api/sessions" in path for path in paths), paths
        expect(operator.page.locator(".info .title")).to_contain_text("Duo")
        requested = [url.removeprefix(server.base_url) for url in operator.requests]
        assert "/docs/assets/swagger-ui-bundle.js" in requested, requested
        assert "/openapi.json" in requested, requested
    finally:
        close_all([operator], server)  # no request left Duo, no console error (CSP included)
