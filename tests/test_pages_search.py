"""The journal search page: only visible entries, bounded queries, no sideways leaks (issue 3)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.accounts.models import Organisation
from continuum.cases.actions import do_add_entry, do_add_member, do_open_case
from continuum.people.actions import do_create_person
from continuum.sharing.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(persona):
    lead = persona("prob.officer")
    person = do_create_person(given_name="Search", family_name="Test", acting_user=lead)
    case = do_open_case(person=person, lead_organisation=lead.organisation, phase="probation", acting_user=lead)
    for slug in ("police", "exit-ngo"):
        do_add_member(case, organisation=Organisation.objects.get(slug=slug), acting_user=lead)
    do_add_entry(case, category="plan", title="Brother offers a room", acting_user=lead)
    do_add_entry(case, category="counselling", title="Talked about his brother", acting_user=persona("exit.worker"))
    return case


def test_search_shows_only_entries_shared_with_the_user(browser_as, case):
    police = browser_as("police.liaison").get("/search/", {"q": "brother"}).content.decode()
    assert "Brother offers a room" in police and "Talked about his brother" not in police
    assert "1 entry found" in police


def test_search_logs_disclosures_of_other_organisations_records(browser_as, case):
    browser_as("police.liaison").get("/search/", {"q": "brother"})
    assert Disclosure.objects.filter(viewer__username="police.liaison").count() == 1


def test_nothing_found_says_so_without_hinting_at_hidden_entries(browser_as, case):
    page = browser_as("police.liaison").get("/search/", {"q": "Talked"}).content.decode()
    assert "Nothing found" in page and "Talked about his brother" not in page


@pytest.mark.parametrize("username", ["dpo", "admin", "evaluator"])
def test_search_is_not_for_roles_without_case_content(browser_as, case, username):
    assert browser_as(username).get("/search/", {"q": "brother"}).status_code == 403


def test_search_query_count_does_not_grow_with_results(browser_as, case, persona):
    client = browser_as("prob.officer")
    client.get("/search/", {"q": "brother"})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/search/", {"q": "room"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(20):
        do_add_entry(case, category="plan", title=f"Room number {i}", acting_user=persona("prob.officer"))
    assert count() == few
