"""Accessibility as a gate (issue 13): axe-core on every page of Continuum, in Chromium.

Every page of the catalogue (``tests/page_catalogue.py``: every GET page of the URLconf, as a persona
who may see it, in the demo world) is opened once its htmx parts have loaded (the network idle), and
axe-core (shipped inside ``axe-playwright-python``, nothing is fetched) checks it against its default
rules (WCAG 2.0, 2.1 and 2.2 A and AA, and best practices). A violation of impact "serious" or
"critical" fails the test, with the rule, the page and the elements; "moderate" and "minor" ones are
printed (``pytest -rA`` shows them) and listed in pytest's warnings summary (``AccessibilityWarning``),
and do not fail it.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import TIMEOUT_MS, wait_for_the_server
from tests.e2e.test_login import log_in
from tests.page_catalogue import ENROLLED_PERSONA, CataloguePage, catalogue, prepare_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FAILING_IMPACTS = ("serious", "critical")


class AccessibilityWarning(UserWarning):
    """A moderate or minor axe-core finding: in pytest's warnings summary, never a failure."""


AXE_OPTIONS = {"resultTypes": ["violations"]}


def _violations(axe: Axe, page: Page) -> list[dict[str, Any]]:
    return list(axe.run(page, options=AXE_OPTIONS).response["violations"])


def _describe(violation: dict[str, Any], where: CataloguePage) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    shown = ", ".join(targets[:8]) + (f" and {len(targets) - 8} more" if len(targets) > 8 else "")
    return (
        f"[{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"    page: {where.title} ({where.url}) as {where.persona or 'a visitor'}\n"
        f"    elements: {shown}"
    )


def _open(page: Page, where: CataloguePage) -> None:
    response = page.goto(where.url, wait_until="networkidle")
    assert response is not None and response.status == 200, (
        f"{where.url} as {where.persona}: {response and response.status}"
    )
    if "redoc" in where.url:
        page.wait_for_selector(".api-content", timeout=TIMEOUT_MS)
    if "/api/docs/" in where.url:
        page.wait_for_selector(".swagger-ui .info", timeout=TIMEOUT_MS)


def test_every_page_passes_axe(browser: Browser, live_server):
    prepare_world()
    pages = list(catalogue())
    by_persona: dict[str | None, list[CataloguePage]] = defaultdict(list)
    for where in pages:
        by_persona[where.persona].append(where)
    axe = Axe()
    failing: list[str] = []
    reported: list[str] = []
    checked = 0
    for persona, wheres in by_persona.items():
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            if persona is not None:
                log_in(page, persona)
                if persona == ENROLLED_PERSONA:
                    page.wait_for_url("**/login/verify/**")
                else:
                    page.wait_for_url(live_server.url + "/")
            for where in wheres:
                _open(page, where)
                for violation in _violations(axe, page):
                    target = failing if violation["impact"] in FAILING_IMPACTS else reported
                    target.append(_describe(violation, where))
                checked += 1
        finally:
            context.close()
            wait_for_the_server()
    print(f"\naxe-core on {checked} pages: {len(failing)} serious or critical, {len(reported)} other violations")
    for line in reported:
        print(line)
    if reported:
        warnings.warn(
            f"{len(reported)} moderate or minor accessibility findings:\n" + "\n".join(reported),
            AccessibilityWarning,
            stacklevel=1,
        )
    assert checked == len(pages)
    assert not failing, f"{len(failing)} serious or critical accessibility violations:\n" + "\n".join(failing)
