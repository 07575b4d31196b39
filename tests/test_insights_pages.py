"""The statistics pages (issue 17): a table, the reports and the builder, one report and its PDF.
Allow and deny across roles, the forms' 400 paths, and query counts that do not grow with the cases.
The cohort is tests/test_insights_api.py's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.insights.actions import do_publish
from continuum.insights.models import Publication
from tests.plans_world import user
from tests.reauth import reauthenticate
from tests.test_insights_api import add_cases

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


@pytest.fixture
def cohort(world) -> None:
    add_cases(30, "male")
    add_cases(12, "female")


@pytest.fixture
def report(cohort) -> Publication:
    return do_publish(
        title="Numbers",
        tables_asked=[{"measure": "cases", "by": ["gender"], "title": "Cases by gender"}],
        acting_user=user("cp.coordinator"),
    )


def test_the_evaluator_sees_tables_of_every_case_protected(cohort):
    page = client_as("evaluator").get("/insights/", {"measure": "cases", "by1": "gender", "scope": "all"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "stats-table" in text and ">30<" in text  # 30 men (31 with Bilal), rounded
    assert "Amira" not in text and "Cohortm" not in text  # no names (tests/test_insights_api.py's cohort)
    # Research sees no case of its own: no choice of scope.
    assert 'value="mine"' not in text


def test_a_case_team_chooses_its_own_cases_or_every_case(cohort):
    text = client_as("muni.coordinator").get("/insights/").content.decode()
    assert 'value="mine"' in text and 'value="all"' in text
    mine = client_as("prob.officer").get("/insights/", {"measure": "cases", "by1": "gender", "scope": "mine"})
    assert mine.status_code == 200 and "nothing is hidden or rounded" in mine.content.decode()
    assert 'value="all"' not in mine.content.decode()
    # A case manager may not have a table of every case.
    assert (
        client_as("prob.officer").get("/insights/", {"measure": "cases", "by1": "gender", "scope": "all"}).status_code
        == 400
    )


@pytest.mark.parametrize("username", ["dpo", "admin"])
def test_the_dpo_and_the_administrator_get_no_statistics(world, username):
    assert client_as(username).get("/insights/").status_code == 403
    assert 'href="/insights/"' not in client_as(username).get("/").content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"measure": "souls", "by1": "gender", "scope": "all"},
        {"measure": "cases", "by1": "", "scope": "all"},
        {"measure": "cases", "by1": "gender", "by2": "gender", "scope": "all"},
        {"measure": "cases", "by1": "shoe_size", "scope": "all"},
    ],
)
def test_bad_tables_come_back_with_their_errors(cohort, params):
    assert client_as("evaluator").get("/insights/", params).status_code == 400


def test_the_builder_refuses_a_table_names_it_and_publishes_nothing(cohort):
    data = {
        "title": "Annual",
        "t1-measure": "cases",
        "t1-by1": "gender",
        "t2-measure": "released",
        "t2-by1": "gender",
        "t3-measure": "",
    }
    response = client_as("cp.coordinator").post("/insights/publications/", data)
    assert response.status_code == 400
    assert "Table 2" in response.content.decode() and not Publication.objects.exists()
    data["t2-measure"] = ""
    response = client_as("cp.coordinator").post("/insights/publications/", data)
    publication = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/insights/publications/{publication.pk}/"


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "t1-measure": "cases", "t1-by1": "gender"},
        {"title": "x"},
        {"title": "x", "t1-measure": "cases", "t1-by1": ""},
        {"title": "x", "t1-measure": "cases", "t1-by1": "gender", "t1-by2": "gender"},
    ],
)
def test_bad_reports_come_back_with_their_errors(cohort, data):
    assert client_as("cp.coordinator").post("/insights/publications/", data).status_code == 400
    assert not Publication.objects.exists()


@pytest.mark.parametrize("username", ["prob.officer", "mentor.one", "dpo"])
def test_who_does_not_publish_sees_no_builder_and_is_refused(cohort, username):
    assert "Publish the report" not in client_as(username).get("/insights/publications/").content.decode()
    assert client_as(username).post("/insights/publications/", {"title": "x"}).status_code == 403


def test_everyone_reads_a_report_and_its_pdf(report):
    for username in ("evaluator", "prob.officer", "mentor.one", "police.liaison"):
        page = client_as(username).get(f"/insights/publications/{report.pk}/")
        assert page.status_code == 200 and "Cases by gender" in page.content.decode()
    pdf = client_as("evaluator").get(f"/insights/publications/{report.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_as("evaluator").get("/insights/publications/0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/").status_code == 404


def test_queries_do_not_grow_with_the_cases(report):
    client = client_as("cp.coordinator")
    urls = [
        ("/insights/", {"measure": "milestones_achieved", "by1": "gender", "by2": "phase", "scope": "all"}),
        ("/insights/", {"measure": "cases", "by1": "gender", "scope": "mine"}),
        ("/insights/publications/", {}),
        (f"/insights/publications/{report.pk}/", {}),
    ]

    def counts() -> list[int]:
        found = []
        for url, params in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            found.append(len(queries))
        return found

    counts()
    small = counts()
    add_cases(12, "male", phase="probation")
    assert counts() == small and max(small) <= MAX_QUERIES


def test_the_research_export_is_for_research_only(cohort):
    # The cohort has no signals: one extremism type, so it cannot be released (a page says why).
    evaluator = client_as("evaluator")
    reauthenticate(evaluator)
    refused = evaluator.get("/insights/research-export.csv")
    assert refused.status_code == 400 and "cannot be released" in refused.content.decode()
    assert "Download the research export" in client_as("evaluator").get("/insights/").content.decode()
    for username in ("cp.coordinator", "prob.officer", "dpo"):
        assert client_as(username).get("/insights/research-export.csv").status_code == 403
    assert "Download the research export" not in client_as("cp.coordinator").get("/insights/").content.decode()
