"""End-to-end tests in Debian's headless Chromium (SETUP-NOTES.md, "Browser tests").

The browser is pytest-playwright's session-scoped one, launched from ``/usr/bin/chromium``
(``playwright install`` cannot download browsers here and is never called). Pages open on
pytest-django's ``live_server``, so relative URLs such as ``page.goto("/login/")`` work.
Without Chromium the tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Failures should show up in seconds, not after Playwright's default 30 s.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: end-to-end tests need Debian's chromium (apt-get install chromium)."
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _chromium_available() -> None:
    """Runs before the browser fixtures: skip (locally) or fail (CI) without a browser."""
    _require_chromium()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    _require_chromium()
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page
