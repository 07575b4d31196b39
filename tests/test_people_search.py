"""Finding a person by name, date of birth or reference (issue 12, item 1): in the case list, on the
search page and in ``GET /api/v1/persons/?q=``; only persons whose identity the user may read (R12)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.accounts.models import Organisation
from continuum.cases.actions import do_add_member, do_open_case
from continuum.people.actions import do_create_person
from continuum.people.search import find_persons
from tests.pages import without_tokens

pytestmark = pytest.mark.django_db

VARIANTS = ["amira ben", "Benali", "ameera ben ali", "Ben Ali", "AMYRA BENALLI", "benali amira"]
DATES = ["1994-03-12", "12-03-1994", "12.03.1994", "12/03/1994"]


def _page(client, path: str, query: str) -> str:
    """The page for ``query`` with the query itself and the per-response tokens (nonce, CSRF) blanked."""
    text = client.get(path, {"q": query}).content.decode().replace(query, "QUERY")
    return without_tokens(text)


@pytest.fixture
def amira(persona):
    lead = persona("prob.officer")
    person = do_create_person(given_name="Amira", family_name="Benali", birth_date=date(1994, 3, 12), acting_user=lead)
    case = do_open_case(person=person, lead_organisation=lead.organisation, phase="probation", acting_user=lead)
    do_add_member(case, organisation=Organisation.objects.get(slug="police"), acting_user=lead)
    other = do_create_person(given_name="Karim", family_name="Haddou", birth_date=date(1990, 1, 5), acting_user=lead)
    do_open_case(person=other, lead_organisation=lead.organisation, phase="probation", acting_user=lead)
    return case


@pytest.mark.parametrize("query", VARIANTS + DATES)
def test_the_case_worker_finds_her_by_name_variants_and_date_of_birth(browser_as, amira, query):
    found = [p.full_name for p in find_persons(amira.lead_organisation.users.get(username="prob.officer"), query)]
    assert found == ["Amira Benali"]
    case_list = browser_as("prob.officer").get("/cases/", {"q": query}).content.decode()
    assert f"Case {amira.number}" in case_list and "Karim Haddou" not in case_list
    search = browser_as("prob.officer").get("/search/", {"q": query}).content.decode()
    assert "Amira Benali" in search and f"Case {amira.number}" in search and "led by Probation Service" in search


def test_the_reference_finds_her(browser_as, amira):
    page = browser_as("prob.officer").get("/search/", {"q": amira.person.reference.lower()}).content.decode()
    assert "Amira Benali" in page


def test_other_names_are_not_found(persona, amira):
    assert find_persons(persona("prob.officer"), "Mohammed Alhasan") == []
    assert find_persons(persona("prob.officer"), "   ") == []


@pytest.mark.parametrize("username", ["muni.coordinator", "ps.casemanager", "exit.worker"])
def test_an_organisation_outside_her_team_finds_nothing_and_learns_nothing(browser_as, amira, username):
    client = browser_as(username)
    for path in ("/cases/", "/search/"):
        hers, nobody = _page(client, path, "amira ben"), _page(client, path, "zzqx wvyt")
        assert "Benali" not in hers
        assert hers == nobody
    api = client.get("/api/v1/persons/", {"q": "amira ben"})
    assert api.status_code == 200 and api.json()["results"] == [] and api.json()["count"] == 0


def test_the_police_member_finds_her_only_if_it_may_read_identity(browser_as, persona, amira):
    found = find_persons(persona("police.liaison"), "amira ben")
    page = browser_as("police.liaison").get("/search/", {"q": "amira ben"}).content.decode()
    assert ("Amira Benali" in page) == bool(found)


def test_the_api_finds_persons_with_their_visible_cases(api_as, amira):
    answer = api_as("prob.officer").get("/api/v1/persons/", {"q": "ameera ben ali"})
    assert answer.status_code == 200
    (person,) = answer.json()["results"]
    assert person["family_name"] == "Benali" and person["birth_date"] == "1994-03-12"
    assert person["cases"] == [str(amira.pk)]
    assert set(person) == {"id", "reference", "given_name", "family_name", "birth_date", "cases"}


def test_the_api_wants_a_query(api_as, amira):
    answer = api_as("prob.officer").get("/api/v1/persons/")
    assert answer.status_code == 400 and "q" in answer.json()


def test_search_queries_stay_bounded_as_persons_are_found(browser_as, persona, amira):
    lead = persona("prob.officer")
    client = browser_as("prob.officer")

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path, {"q": "benali"}).status_code == 200
        return len(ctx.captured_queries)

    few = {path: count(path) for path in ("/cases/", "/search/")}
    for i in range(8):
        person = do_create_person(given_name=f"Amira{i}", family_name="Benali", acting_user=lead)
        do_open_case(person=person, lead_organisation=lead.organisation, phase="probation", acting_user=lead)
    for path, before in few.items():
        assert count(path) == before <= 30
