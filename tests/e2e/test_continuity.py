"""A prison transfer as practitioners meet it in the browser (issue 4).

Prison North's case manager transfers Amira Benali (demo world: on Prison North's specialised wing)
to Prison South. Prison South's case manager then finds the case in My cases, with Prison North's
earlier journal entries and the whole history in the timeline, and the gap that nobody at Prison
South is responsible yet; Prison North no longer sees the case.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from continuum.cases import demo as case_demo
from continuum.cases.models import Case
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HANDOVER_NOTE = "Settled on the specialised wing; the evaluation continues. Prefers morning appointments."


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def my_cases_row(page: Page, case: Case):
    """Open My cases from the navigation; the row of ``case`` (absent when the case is not shared)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    return page.get_by_role("row").filter(has_text=case.person.reference)


def test_a_prison_transfer_moves_the_case_and_its_history_to_the_receiving_prison(page: Page, amira: Case):
    case_path = f"/cases/{amira.pk}/"

    # Prison North's case manager records the transfer on the case page.
    log_in(page, "pn.casemanager")
    my_cases_row(page, amira).get_by_role("link").first.click()
    custody = page.locator("#custody")
    expect(custody).to_contain_text("Now held at Prison North, specialised wing")
    custody.get_by_text("Record a transfer").click()
    custody.get_by_label("To prison").select_option(label="Prison South")
    custody.get_by_label("Unit").select_option(label="Specialised wing")
    custody.get_by_label("Hand-over note").fill(HANDOVER_NOTE)
    custody.get_by_role("button", name="Record the transfer").click()

    # Prison North has left the team: it lands on My cases, where the case is gone.
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_role("status")).to_contain_text("The transfer to Prison South is recorded")
    expect(page.get_by_role("row").filter(has_text=amira.person.reference)).to_have_count(0)
    log_out(page)

    # Prison South's case manager finds the case, its earlier journal and the gap to fill.
    log_in(page, "ps.casemanager")
    row = my_cases_row(page, amira)
    expect(row).to_contain_text("Prison South")  # the lead passed to the receiving prison
    expect(row).to_contain_text("Nobody named")
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(amira.number)
    expect(page.locator(".gaps")).to_contain_text("Prison South has no responsible practitioner.")
    journal = page.locator("#journal")
    expect(journal).to_contain_text("Sentence and custody")  # written by Prison North before the transfer
    expect(journal).to_contain_text("Settling on the wing")
    expect(journal).not_to_contain_text("Second conversation")  # the exit worker's counselling note
    custody = page.locator("#custody")
    expect(custody).to_contain_text("Now held at Prison South, specialised wing")
    expect(custody).to_contain_text("Transferred from Prison North to Prison South")
    expect(custody).to_contain_text(HANDOVER_NOTE)

    # The timeline tells the whole story, from the maternity unit on.
    page.get_by_role("link", name=re.compile("^Timeline of")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Timeline")
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text("Custody started at Prison North, maternity unit")
    expect(timeline).to_contain_text("Moved to the specialised wing of Prison North")
    expect(timeline).to_contain_text("Transferred from Prison North to Prison South")
    expect(timeline).to_contain_text("Prison North left the team")
    expect(timeline).to_contain_text("Sentence and custody")
    log_out(page)

    # Prison North no longer sees the case, not even by its address.
    log_in(page, "pn.casemanager")
    expect(my_cases_row(page, amira)).to_have_count(0)
    response = page.goto(case_path)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found.")
