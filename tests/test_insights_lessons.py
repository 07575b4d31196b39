"""The lessons-learned library (issue 17): written for all organisations, shown with the kind of the
author's organisation only, searchable by words, kind, phase, topic and language. API and pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.audit.models import AuditEvent
from continuum.insights import demo
from continuum.insights.models import Lesson
from tests.plans_world import user

pytestmark = pytest.mark.django_db

GOOD = {
    "kind": "good_practice",
    "title": "Ask the person who should meet them at the gate",
    "text": "We asked, and the person chose an aunt nobody had thought of.",
    "phases": ["pre_release"],
    "topics": ["release", "family"],
    "language": "en",
}


@pytest.fixture
def library(demo_world) -> None:
    demo.seed()


@pytest.fixture
def api_as(api_as):
    def make(username: str):
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


@pytest.mark.parametrize("username", ["prob.officer", "exit.worker", "cw.worker", "cp.coordinator", "mentor.one"])
def test_practitioners_write_lessons_shown_with_their_kind_of_organisation_only(library, api_as, username):
    response = api_as(username).post("/api/v1/lessons/", GOOD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author_organisation_type"] == user(username).organisation.type
    text = response.content.decode()
    author = user(username)
    assert username not in text and author.last_name not in text and author.organisation.name not in text
    assert author.organisation.slug == author.organisation.type or author.organisation.slug not in text
    event = AuditEvent.objects.filter(object_type="lesson").latest("seq")
    assert event.action == "create" and event.object_id == body["id"]


@pytest.mark.parametrize("username", ["evaluator", "dpo", "admin"])
def test_research_the_dpo_and_the_administrator_do_not_write_lessons(library, api_as, username):
    assert api_as(username).post("/api/v1/lessons/", GOOD).status_code == 403
    assert not Lesson.objects.filter(title=GOOD["title"]).exists()


@pytest.mark.parametrize("username", ["evaluator", "prob.officer", "police.liaison", "dpo"])
def test_every_organisation_reads_the_library(library, api_as, username):
    listed = api_as(username).get("/api/v1/lessons/").json()["results"]
    assert len(listed) == len(demo.LESSONS)
    one = api_as(username).get(f"/api/v1/lessons/{listed[0]['id']}/")
    assert one.status_code == 200 and "written_by" not in one.json()


def test_the_library_is_searched_by_words_and_tags(library, api_as):
    client = api_as("prob.officer")

    def titles(**params: str) -> set[str]:
        return {lesson["title"] for lesson in client.get("/api/v1/lessons/", params).json()["results"]}

    assert titles(q="friday") == {"A release on a Friday afternoon"}
    assert titles(kind="failure") == {"A release on a Friday afternoon"}
    assert titles(topic="family") == {"Kinder nie als Druckmittel"}
    assert titles(language="nl") == {"Eerst kleine doelen, dan de grote vragen"}
    assert titles(phase="pre_release", topic="release") == {
        "A release on a Friday afternoon",
        "Invite the municipality from the first day in prison",
    }
    assert client.get("/api/v1/lessons/", {"kind": "rumour"}).status_code == 400


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "rumour"},
        {"title": ""},
        {"text": " "},
        {"language": "xx"},
        {"phases": ["heaven"]},
        {"topics": ["gossip"]},
    ],
)
def test_bad_lessons_get_a_400_and_nothing_is_written(library, api_as, change):
    assert api_as("prob.officer").post("/api/v1/lessons/", {**GOOD, **change}).status_code == 400
    assert not Lesson.objects.filter(title=GOOD["title"]).exists()


def test_an_unknown_lesson_is_a_404(library, api_as):
    assert api_as("prob.officer").get("/api/v1/lessons/0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/").status_code == 404
    assert client_as("prob.officer").get("/insights/lessons/0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/").status_code == 404


def test_the_pages_search_show_and_take_a_lesson(library):
    client = client_as("exit.worker")
    page = client.get("/insights/lessons/", {"q": "friday"}).content.decode()
    assert "A release on a Friday afternoon" in page and "Kinder nie" not in page
    assert "Probation service" in page and "prob.officer" not in page and "Sanne" not in page
    posted = client.post(
        "/insights/lessons/",
        {**GOOD, "phases": GOOD["phases"], "topics": GOOD["topics"]},
    )
    lesson = Lesson.objects.get(title=GOOD["title"])
    assert posted.status_code == 302 and posted["Location"] == f"/insights/lessons/{lesson.pk}/"
    detail = client.get(f"/insights/lessons/{lesson.pk}/").content.decode()
    assert "Exit NGO" in detail and "nobody had thought of" in detail
    assert client.post("/insights/lessons/", {**GOOD, "title": ""}).status_code == 400
    assert client_as("evaluator").post("/insights/lessons/", GOOD).status_code == 403
    assert "Share a lesson" not in client_as("evaluator").get("/insights/lessons/").content.decode()
    assert client.get("/insights/lessons/", {"kind": "rumour"}).status_code == 400


def test_queries_do_not_grow_with_the_library(library):
    client = client_as("prob.officer")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/insights/lessons/").status_code == 200
        return len(queries)

    count()
    before = count()
    for n in range(8):
        Lesson.objects.create(
            kind="failure",
            title=f"Lesson {n}",
            text="x",
            language="en",
            author_org_type="prison",
            written_by=user("pn.casemanager"),
        )
    assert count() == before <= 30
