"""Finding a person by name, as a practitioner types it (issue 12, item 1).

The probation officer types "amira ben" in the search, finds Amira Benali with her case, its phase
and its lead organisation, and opens the case.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from continuum.cases import demo as case_demo
from continuum.cases.models import Case
from tests.e2e.test_login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def test_the_probation_officer_finds_amira_by_typing_part_of_her_name(page: Page, amira: Case):
    log_in(page, "prob.officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Name, date of birth or words to find").fill("amira ben")
    page.get_by_role("button", name="Search").click()
    persons = page.get_by_role("region", name="Persons")
    expect(persons.get_by_role("heading", name="Amira Benali")).to_be_visible()
    expect(persons).to_contain_text("led by Prison North")
    persons.get_by_role("link", name=f"Case {amira.number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amira Benali")

    page.goto("/cases/?q=ameera+ben+ali")
    expect(page.get_by_role("link", name=f"Case {amira.number}")).to_be_visible()
