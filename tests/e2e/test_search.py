"""Finding a person by name, as a practitioner types it (issue 12, item 1), and reading her meeting pack
(issue 12, item 3).

The probation officer types "amira ben" in the search, finds Amira Benali with her case, its phase
and its lead organisation, and opens the case. From the case she goes to the coordination unit's
meeting about it and reads her pack: the municipality's note on Amira's daily life is there in its own
words. The police liaison's pack of the same meeting holds none of the exit programme's counselling,
and nothing that says there is any.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from continuum.cases import demo as case_demo
from continuum.cases.models import Case
from continuum.conferences.demo import CUSTODY_UNIT_TITLE
from tests.e2e.test_conferences import acknowledge, open_conference
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def demo_entry(title: str) -> str:
    """The body of Amira's demo journal entry ``title`` (cases/demo.py)."""
    amira = next(case for case in case_demo.DEMO_CASES if case[0] == "Amira")
    return next(body for _user, _category, _kind, entry, body, _withhold in amira[-1] if entry == title)


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


@pytest.fixture
def amira_in_the_whole_demo(demo_world) -> Case:
    call_command("seed_demo")
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def find_amira(page: Page, amira: Case) -> None:
    """Type part of her name in the search and open her case."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Name, date of birth or words to find").fill("amira ben")
    page.get_by_role("button", name="Search").click()
    persons = page.get_by_role("region", name="Persons")
    expect(persons.get_by_role("heading", name="Amira Benali")).to_be_visible()
    expect(persons).to_contain_text("led by Prison North")
    persons.get_by_role("link", name=f"Case {amira.number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amira Benali")


def test_the_probation_officer_finds_amira_by_typing_part_of_her_name(page: Page, amira: Case):
    log_in(page, "prob.officer")
    find_amira(page, amira)

    page.goto("/cases/?q=ameera+ben+ali")
    expect(page.get_by_role("link", name=f"Case {amira.number}")).to_be_visible()


def test_from_her_case_the_meeting_pack_gives_each_reader_the_words_it_may_read_and_no_trace_of_the_rest(
    page: Page, amira_in_the_whole_demo: Case
):
    amira = amira_in_the_whole_demo
    daily_life = demo_entry("Housing and income after release")  # the municipality's note
    counselling = demo_entry("Second conversation")  # the exit programme's, withheld from the police
    custody = demo_entry("Sentence and custody")  # Prison North's legal note: the police read it

    log_in(page, "prob.officer")
    find_amira(page, amira)
    page.get_by_role("region", name="Conferences").get_by_role("link", name=CUSTODY_UNIT_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CUSTODY_UNIT_TITLE)
    acknowledge(page)
    page.get_by_role("link", name="My meeting pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Meeting pack: {CUSTODY_UNIT_TITLE}")
    pack = page.get_by_role("region", name=f"Case {amira.number} — person {amira.person.reference}")
    expect(pack.get_by_role("heading", name="Housing and income after release")).to_be_visible()
    expect(pack).to_contain_text(daily_life)
    expect(pack).to_contain_text(counselling)  # probation reads it with Amira's consent
    log_out(page)

    log_in(page, "police.liaison")
    open_conference(page, CUSTODY_UNIT_TITLE)
    acknowledge(page)
    page.get_by_role("link", name="My meeting pack").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=2)).to_have_text(f"Case {amira.number} — person {amira.person.reference}")
    expect(main).to_contain_text(custody)
    expect(main).not_to_contain_text(counselling)
    expect(main).not_to_contain_text("Second conversation")
    # No "Counselling" anywhere: no label, heading or count (the Family Counselling Service, which owns a
    # goal of her plan that the police may read, is a name, not a category).
    expect(main).not_to_contain_text(re.compile(r"Counselling(?! Service)", re.IGNORECASE))
    expect(main).not_to_contain_text(daily_life)  # the police read nothing of her daily life either
