"""A report of statistics as a coordinator builds it (issue 17, acceptance).

On the demo world with a synthetic cohort of 60 earlier cases, the central point's coordinator opens
"Statistics", then "Published reports", and builds a report of two tables: cases by gender, and
releases by gender. The second is refused with its reason (so few women were released that every
cell would be hidden) and nothing is published. Without it the report is published, its table shows
counts rounded to 5, and the PDF downloads.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from continuum.insights import cohort
from continuum.insights.models import Publication
from tests.e2e.test_login import log_in, main_nav

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _Null:
    def write(self, *_args: object) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def world(demo_world) -> None:
    call_command("seed_demo", stdout=_Null())
    cohort.seed(60)


def test_a_coordinator_publishes_a_report_one_table_is_refused_and_the_pdf_downloads(page: Page, world: None):
    log_in(page, "cp.coordinator")
    main_nav(page).get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics")
    page.get_by_role("link", name="Published reports").click()

    page.get_by_label("Title of the report").fill("Continuum in numbers")
    first = page.get_by_role("group", name="Table 1")
    first.get_by_label("What to count").select_option("cases")
    first.get_by_label("Break down by").select_option("gender")
    first.get_by_label("Title of the table").fill("Cases by gender")
    second = page.get_by_role("group", name="Table 2")
    second.get_by_label("What to count").select_option("released")
    second.get_by_label("Break down by").select_option("gender")
    page.get_by_role("button", name="Publish the report").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The report is not published")
    expect(alert).to_contain_text("Table 2")
    expect(alert).to_contain_text("Every cell would be hidden")
    assert not Publication.objects.exists()

    page.get_by_role("group", name="Table 2").get_by_label("What to count").select_option("")
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_role("status")).to_contain_text("The report is published.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Continuum in numbers")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Cases by gender")
    for cell in table.locator("td.num").all_inner_texts():
        assert cell.strip().startswith("\u2013") or int(cell) % 5 == 0  # an en dash: hidden

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_a_coordinator_reads_the_outcomes_of_every_case_and_a_team_its_own(page: Page, world: None):
    log_in(page, "cp.coordinator")
    page.get_by_role("link", name="Outcomes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes")
    page.get_by_label("Every case (small numbers hidden, counts rounded to 5)").check()
    page.get_by_label("Columns by").select_option("gender")
    page.get_by_role("button", name="Show").click()
    gate = page.get_by_role("region", name="At the gate").first
    expect(gate.get_by_role("columnheader", name="Female")).to_be_visible()
    for cell in page.locator("td.num").all_inner_texts():
        value = cell.split("(")[0].strip()
        assert value.startswith("\u2013") or int(value) % 5 == 0, cell  # hidden, or rounded to 5
    expect(page.get_by_role("heading", name="Each of your cases")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    log_in(page, "ps.casemanager")
    main_nav(page).get_by_role("link", name="Statistics").click()
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Each of your cases")).to_be_visible()
    page.get_by_role("table").last.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case")
