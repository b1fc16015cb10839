"""Fixtures for the browser tests: one real Duo server and one Debian Chromium per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import LIVENESS_MS
from tests.utils.server import ROOT, ServerProcess, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Every page stands for its own device: none of them is a throttled background tab.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def patient_expect() -> None:
    """`expect` waits up to LIVENESS_MS (not Playwright's 5 s) before calling a page stuck:
    a liveness guard that a busy machine never trips; a passing check returns at once."""
    from playwright.sync_api import expect

    expect.set_options(timeout=LIVENESS_MS)


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    """Return Debian's Chromium, or skip (with the reason) where it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package for browser tests")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: Path
) -> Iterator[ServerProcess]:
    """Serve Duo from a real uvicorn process on a fresh SQLite database."""
    with running_server(tmp_path_factory.mktemp("duo-browser")) as process:
        yield process


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[object]:
    """Launch one headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Return the folder the tests save screenshots in (test-output/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
