"""Insights through the API (issue 17; API.md "Insights"): tables of one's own cases and of every case
through the disclosure control, and publications.

The world is tests/api_world.py's two cases plus a crafted cohort in Prison North: 30 men and 12
women in custody, and one woman on probation (Hana): a naive table by gender and phase would tell
that one woman is on probation.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Case
from continuum.insights.disclosure import THRESHOLD
from continuum.insights.models import Publication
from continuum.people import actions as people_actions
from continuum.people.models import Person
from tests.plans_world import org, user

pytestmark = pytest.mark.django_db

ALL_READERS = ["evaluator", "cp.coordinator", "cp.analyst", "muni.coordinator"]
ONLY_MINE = ["prob.officer", "pn.casemanager", "exit.worker", "police.liaison"]
NO_STATISTICS = ["dpo", "admin"]


@pytest.fixture
def api_as(api_as):
    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def add_cases(
    n: int, gender: str, *, phase: str = "custody", given: str = "Cohort", born: date = date(1995, 1, 1)
) -> list[Case]:
    pn = user("pn.casemanager")
    cases = []
    for i in range(n):
        person = people_actions.do_create_person(
            given_name=f"{given}{gender[0]}{i}", family_name="Statistic", birth_date=born, gender=gender, acting_user=pn
        )
        cases.append(
            case_actions.do_open_case(person=person, lead_organisation=org("prison-north"), phase=phase, acting_user=pn)
        )
    return cases


@pytest.fixture
def cohort(world) -> None:
    add_cases(30, "male")
    add_cases(12, "female")
    add_cases(1, "female", phase="probation", given="Hana")


def table(client: APIClient, **params: str):
    return client.get("/api/v1/insights/table/", params)


def published_values(body: dict) -> list[int]:
    return [c["value"] for c in (*body["cells"], *body["totals"]) if not c["suppressed"]]


def by_key(body: dict, *dims: str) -> dict[tuple, dict]:
    return {tuple(c[d] for d in dims): c for c in (*body["cells"], *body["totals"])}


# --- tables of every case: always through the disclosure control -------------------------------------------


@pytest.mark.parametrize("username", ALL_READERS)
def test_every_case_is_counted_only_through_the_disclosure_control(cohort, api_as, username):
    response = table(api_as(username), measure="cases", by="gender,phase", scope="all")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rules"]["applied"] is True and body["rules"]["threshold"] == 10 and body["rules"]["rounding"] == 5
    cells = by_key(body, "gender", "phase")
    # Hana, the one woman on probation, is hidden, and so is what would give her away.
    assert cells[("female", "probation")]["suppressed"] and cells[("female", "probation")]["value"] is None
    assert cells[("female", "probation")]["reason"] == "below_threshold"
    assert all(v % 5 == 0 and v >= THRESHOLD for v in published_values(body))
    # Probation has Hana only: its total is hidden too; a phase nobody is in is not a column at all.
    assert cells[(None, "probation")]["suppressed"]
    assert {key[1] for key in cells} == {"custody", "probation", "community", None}


def test_research_sees_every_case_by_default_and_no_person_or_case(cohort, api_as):
    response = table(api_as("evaluator"), measure="persons", by="gender")
    body = response.json()
    assert body["scope"] == "all"
    cells = by_key(body, "gender")
    assert cells[("male",)]["value"] == 30  # 30 men (31 with Bilal of the API world), rounded
    text = response.content.decode()
    for case in Case.objects.all()[:20]:
        assert str(case.pk) not in text and case.number not in text
    for person in Person.objects.all()[:20]:
        assert str(person.pk) not in text and person.given_name not in text


def test_a_case_team_sees_its_own_cases_without_suppression(cohort, api_as):
    body = table(api_as("prob.officer"), measure="cases", by="gender").json()
    assert body["scope"] == "mine" and body["rules"]["applied"] is False
    # Probation is on Amira's case and on Bilal's: one woman, one man, shown as they are.
    cells = by_key(body, "gender")
    assert cells[("female",)]["value"] == 1 and cells[("male",)]["value"] == 1
    assert cells[(None,)]["value"] == 2 and not any(c["suppressed"] for c in cells.values())


@pytest.mark.parametrize("username", ONLY_MINE)
def test_case_workers_do_not_get_tables_of_every_case(cohort, api_as, username):
    assert table(api_as(username), measure="cases", by="gender", scope="all").status_code == 403


@pytest.mark.parametrize("username", NO_STATISTICS)
def test_the_dpo_and_the_administrator_see_no_statistics(cohort, api_as, username):
    assert table(api_as(username), measure="cases", by="gender").status_code == 403


def test_research_has_no_cases_of_its_own(world, api_as):
    assert table(api_as("evaluator"), measure="cases", by="gender", scope="mine").status_code == 403


def test_without_credentials_nothing(world):
    assert APIClient().get("/api/v1/insights/table/", {"measure": "cases", "by": "gender"}).status_code in (401, 403)


@pytest.mark.parametrize(
    "params",
    [
        {"measure": "souls", "by": "gender"},
        {"measure": "cases", "by": "shoe_size"},
        {"measure": "cases", "by": ""},
        {"measure": "cases"},
        {"by": "gender"},
        {"measure": "cases", "by": "gender,gender"},
        {"measure": "cases", "by": "gender,phase,age_band,extremism_type"},
        {"measure": "cases", "by": "gender", "scope": "everything"},
    ],
)
def test_bad_questions_get_a_400(world, api_as, params):
    response = table(api_as("evaluator"), **params)
    assert response.status_code == 400, response.content


def test_each_measure_and_breakdown_answers(cohort, api_as):
    client = api_as("cp.coordinator")
    for measure in ("cases", "persons", "milestones_achieved", "released"):
        for by in ("gender", "phase", "age_band", "extremism_type", "release_year", "gender,age_band,phase"):
            response = table(client, measure=measure, by=by, scope="all")
            assert response.status_code == 200, (measure, by, response.content)
            assert all(v >= THRESHOLD for v in published_values(response.json()))


def test_a_table_read_is_audited_without_its_numbers(cohort, api_as):
    table(api_as("evaluator"), measure="cases", by="gender")
    event = AuditEvent.objects.filter(object_type="statistics").latest("seq")
    assert event.detail == {"measure": "cases", "by": ["gender"], "scope": "all"}


def test_queries_do_not_grow_with_the_cases(cohort, api_as):
    client = api_as("cp.coordinator")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert table(client, measure="milestones_achieved", by="gender,phase", scope="all").status_code == 200
        return len(queries)

    count()
    before = count()
    add_cases(15, "male", phase="probation")
    assert count() == before <= 15


# --- publications -------------------------------------------------------------------------------------------


GOOD = {"measure": "cases", "by": ["gender"], "title": "Cases by gender", "commentary": "Most are men."}
FAILING = {"measure": "released", "by": ["gender"], "title": "Nobody released yet"}


def test_a_publication_refuses_a_table_that_cannot_be_published_and_names_it(cohort, api_as):
    before = AuditEvent.objects.filter(action="export").count()
    response = api_as("cp.coordinator").post(
        "/api/v1/publications/", {"title": "Annual report", "tables": [GOOD, FAILING]}
    )
    assert response.status_code == 400, response.content
    problems = response.json()["tables"]
    assert len(problems) == 1 and problems[0].startswith("Table 2")
    assert not Publication.objects.exists()
    assert AuditEvent.objects.filter(action="export").count() == before


def test_a_publication_is_published_audited_and_downloadable(cohort, api_as):
    created = api_as("cp.coordinator").post(
        "/api/v1/publications/", {"title": "Annual report", "commentary": "Synthetic.", "tables": [GOOD]}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    [published] = body["tables"]
    assert published["title"] == "Cases by gender" and "linear-programming audit" in published["method"]
    assert all(c["value"] is None or c["value"] >= THRESHOLD for c in (*published["cells"], *published["totals"]))
    event = AuditEvent.objects.filter(action="export", object_type="publication").latest("seq")
    assert event.object_id == body["id"]
    for username in ("evaluator", "prob.officer", "mentor.one"):
        assert api_as(username).get(f"/api/v1/publications/{body['id']}/").status_code == 200
    pdf = api_as("evaluator").get(f"/api/v1/publications/{body['id']}/?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    listed = api_as("evaluator").get("/api/v1/publications/").json()["results"]
    assert [p["id"] for p in listed] == [body["id"]]


def test_the_same_cell_gets_the_same_value_in_two_periods(cohort, api_as):
    client = api_as("evaluator")
    first = client.post("/api/v1/publications/", {"title": "Spring", "tables": [GOOD]}).json()
    add_cases(11, "other")  # a new group; the men's count does not change
    second = client.post("/api/v1/publications/", {"title": "Autumn", "tables": [GOOD]}).json()

    def men(publication: dict) -> dict:
        return next(c for c in publication["tables"][0]["cells"] if c["key"] == ["male"])

    assert men(first) == men(second)


@pytest.mark.parametrize("username", ["prob.officer", "pn.casemanager", "mentor.one", "dpo", "admin"])
def test_only_coordinators_and_evaluators_publish(cohort, api_as, username):
    response = api_as(username).post("/api/v1/publications/", {"title": "x", "tables": [GOOD]})
    assert response.status_code == 403 and not Publication.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"tables": [GOOD]},
        {"title": "", "tables": [GOOD]},
        {"title": "x", "tables": []},
        {"title": "x", "tables": [{"measure": "cases"}]},
        {"title": "x", "tables": [{"measure": "souls", "by": ["gender"]}]},
        {"title": "x", "tables": [GOOD] * 11},
    ],
)
def test_bad_publications_get_a_400_and_nothing_is_written(cohort, api_as, payload):
    response = api_as("cp.coordinator").post("/api/v1/publications/", payload)
    assert response.status_code == 400, response.content
    assert not Publication.objects.exists()


def test_an_unknown_publication_is_a_404(world, api_as):
    assert api_as("evaluator").get("/api/v1/publications/0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/").status_code == 404
    assert api_as("evaluator").get("/api/v1/publications/nonsense/").status_code == 404
