"""End-to-end tests in Debian's headless Chromium (SETUP-NOTES.md, "Browser tests").

The browser is pytest-playwright's session-scoped one, launched from ``/usr/bin/chromium``
(``playwright install`` cannot download browsers here and is never called). Pages open on
pytest-django's ``live_server``, so relative URLs such as ``page.goto("/login/")`` work.
Without Chromium the tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import BrowserContext, Error, Page, expect

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


class _InFlight:
    """Counts the live server's requests that have started and not yet finished.

    A test may end while the browser still waits for an htmx part; the server thread then
    still reads the database while pytest-django empties it, and on PostgreSQL the read and
    the TRUNCATE deadlock. The page fixture waits for this count to reach zero first.
    """

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count -= 1

    def wait_until_idle(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.count > 0 and time.monotonic() < deadline:
            time.sleep(0.02)


_in_flight = _InFlight()
request_started.connect(_in_flight.started, dispatch_uid="e2e-in-flight-started")
request_finished.connect(_in_flight.finished, dispatch_uid="e2e-in-flight-finished")


def wait_for_the_server() -> None:
    """Returns when the live server has no request under way (or after the timeout)."""
    _in_flight.wait_until_idle(TIMEOUT_MS / 1000)


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    # Stop the browser from starting more requests, then let the ones under way finish
    # before the database is emptied.
    with contextlib.suppress(Error):
        page.close()
    wait_for_the_server()
