"""The group programme pages (issue 16): the list and its form, a programme with its participants
and sessions, a session's attendance, and a participant's place on the intervention page. Allow and
deny across organisation types, the forms' 400 paths, what a co-facilitator does not see (R12), and
query counts that do not grow with the group.

The group is tests/test_plans_groups_api.py's: Prison North's programme, co-facilitated by the exit
NGO, with Amira (every demo organisation but Prison South on her case), Karim (Prison North, the exit
NGO) and Omar (Prison North only).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.plans import actions
from continuum.plans.models import GroupProgramme, GroupSession, InterventionSession
from tests.plans_world import org, today, user
from tests.test_plans_groups_api import Group, new_case

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30
NOT_RUNNING = ["prob.officer", "police.liaison", "muni.coordinator", "mentor.one", "cw.worker"]
OUTSIDERS = ["ps.casemanager", "evaluator", "dpo", "admin"]


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


@pytest.fixture
def group(world) -> Group:
    return Group(world)


def test_the_list_shows_the_programmes_an_organisation_runs(group):
    page = client_as("exit.worker").get("/plans/groups/")
    assert page.status_code == 200
    assert "Leaving violence behind" in page.content.decode()
    for username in NOT_RUNNING:
        content = client_as(username).get("/plans/groups/").content.decode()
        assert "Leaving violence behind" not in content
    assert 'id="start-programme"' in client_as("pn.casemanager").get("/plans/groups/").content.decode()
    # The police writes no category a programme could be of: no form.
    assert 'id="start-programme"' not in client_as("police.liaison").get("/plans/groups/").content.decode()


def test_the_navigation_links_the_page_for_those_who_run_groups(group):
    assert 'href="/plans/groups/"' in client_as("pn.casemanager").get("/").content.decode()
    for username in ("police.liaison", "mentor.one", "cp.coordinator", "dpo"):
        assert 'href="/plans/groups/"' not in client_as(username).get("/").content.decode()


def test_a_programme_is_started_from_its_page(world):
    response = client_as("pn.casemanager").post(
        "/plans/groups/",
        {
            "title": "Work and meaning",
            "type": "disengagement_group",
            "facilitator_organisations": ["exit-ngo"],
            "voluntary": "true",
            "starts_on": today().isoformat(),
            "frequency": "Every two weeks",
        },
    )
    programme = GroupProgramme.objects.get(title="Work and meaning")
    assert response.status_code == 302 and response["Location"] == f"/plans/groups/{programme.pk}/"
    assert [o.slug for o in programme.facilitator_organisations.all()] == ["exit-ngo"]


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "type": "disengagement_group", "voluntary": "true", "starts_on": "2026-01-01"},
        {"title": "x", "type": "séance", "voluntary": "true", "starts_on": "2026-01-01"},
        {"title": "x", "type": "psychological_support", "voluntary": "true", "starts_on": "2026-01-01"},
        {
            "title": "x",
            "type": "disengagement_group",
            "voluntary": "true",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
        },
        {"title": "x", "type": "disengagement_group", "voluntary": "true", "starts_on": "not a day"},
        {
            "title": "x",
            "type": "disengagement_group",
            "voluntary": "true",
            "starts_on": "2026-01-01",
            "facilitator_organisations": ["nowhere"],
        },
    ],
)
def test_bad_programmes_come_back_with_their_errors(world, data):
    response = client_as("pn.casemanager").post("/plans/groups/", data)
    assert response.status_code == 400
    assert "field-error" in response.content.decode() or "error-summary" in response.content.decode()
    assert not GroupProgramme.objects.exists()


def test_who_may_not_run_a_programme_is_refused(world):
    response = client_as("police.liaison").post(
        "/plans/groups/", {"title": "x", "type": "disengagement_group", "voluntary": "true", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 403 and not GroupProgramme.objects.exists()


def test_the_programme_page_shows_only_the_participants_of_one_s_cases(group):
    url = f"/plans/groups/{group.programme.pk}/"
    everyone = client_as("pn.casemanager").get(url).content.decode()
    assert all(name in everyone for name in ("Amira Example", "Karim Groupson", "Omar Groupson"))
    co = client_as("exit.worker").get(url)
    assert co.status_code == 200
    text = co.content.decode()
    assert "Amira Example" in text and "Karim Groupson" in text
    assert "Omar" not in text and group.omar_case.number not in text
    for username in NOT_RUNNING + OUTSIDERS:
        assert client_as(username).get(url).status_code == 404


def test_a_session_page_shows_and_takes_the_attendance_of_one_s_cases(group):
    url = f"/plans/group-sessions/{group.session.pk}/"
    co = client_as("exit.worker").get(url).content.decode()
    assert "Amira spoke about her doubts." in co and "Karim was in hospital." in co
    assert "Omar" not in co
    for username in NOT_RUNNING + OUTSIDERS:
        assert client_as(username).get(url).status_code == 404
        assert client_as(username).post(url, {}).status_code == 404
    karim = group.karim.pk.hex
    response = client_as("exit.worker").post(
        url, {f"attended_{karim}": "true", f"note_{karim}": "Came late, stayed.", f"attended_{group.amira.pk.hex}": ""}
    )
    assert response.status_code == 302
    row = InterventionSession.objects.get(intervention=group.karim, group_session=group.session)
    assert (row.attended, row.note) == (True, "Came late, stayed.")
    # Amira's row was left "not recorded": her earlier entry stands.
    amira = InterventionSession.objects.get(intervention=group.amira, group_session=group.session)
    assert amira.note == "Amira spoke about her doubts."


def test_attendance_form_errors_change_nothing(group):
    url = f"/plans/group-sessions/{group.session.pk}/"
    stored = list(InterventionSession.objects.order_by("pk").values_list("attended", "note"))
    karim = group.karim.pk.hex
    for data in (
        {f"attended_{karim}": "maybe"},
        {f"attended_{karim}": "", f"note_{karim}": "A note without saying whether he came"},
        {f"attended_{karim}": "true", f"note_{karim}": "x" * 5001},
        {},
    ):
        assert client_as("exit.worker").post(url, data).status_code == 400
    # A participant the exit NGO may not see is not on its form: posting for him changes nothing.
    omar = group.omar.pk.hex
    assert client_as("exit.worker").post(url, {f"attended_{omar}": "false"}).status_code == 400
    assert list(InterventionSession.objects.order_by("pk").values_list("attended", "note")) == stored


def test_a_planned_session_takes_no_attendance(group):
    planned = actions.do_record_group_session(
        group.programme, held_on=today() + timedelta(days=5), topic="Next time", acting_user=user("pn.casemanager")
    )
    page = client_as("pn.casemanager").get(f"/plans/group-sessions/{planned.pk}/").content.decode()
    assert "still to come" in page and "Save the attendance" not in page


def test_participants_and_sessions_are_added_from_the_programme_page(group):
    new = new_case("Yannick")
    url = f"/plans/groups/{group.programme.pk}/"
    page = client_as("pn.casemanager").get(url).content.decode()
    assert str(new.pk) in page  # offered in the participant form
    assert client_as("pn.casemanager").post(f"{url}participants/", {"case": str(new.pk)}).status_code == 302
    assert group.programme.participations.filter(case=new).exists()
    assert client_as("pn.casemanager").post(f"{url}participants/", {"case": str(new.pk)}).status_code == 400
    assert client_as("pn.casemanager").post(f"{url}participants/", {"case": "nonsense"}).status_code == 400
    # The exit NGO does not see Yannick's case: not offered, not accepted.
    assert str(new.pk) not in client_as("exit.worker").get(url).content.decode()
    assert client_as("exit.worker").post(f"{url}participants/", {"case": str(new.pk)}).status_code == 400
    for username in NOT_RUNNING:
        assert client_as(username).post(f"{url}participants/", {"case": str(new.pk)}).status_code == 404
    held = (today() - timedelta(days=1)).isoformat()
    response = client_as("exit.worker").post(
        f"{url}sessions/", {"held_on": held, "topic": "Anger", "facilitators": ["exit.worker"]}
    )
    session = GroupSession.objects.get(topic="Anger")
    assert response.status_code == 302 and response["Location"] == f"/plans/group-sessions/{session.pk}/"
    bad = client_as("exit.worker").post(f"{url}sessions/", {"held_on": held, "topic": "", "facilitators": []})
    assert bad.status_code == 400
    assert (
        client_as("exit.worker")
        .post(f"{url}sessions/", {"held_on": held, "topic": "x", "facilitators": ["prob.officer"]})
        .status_code
        == 400
    )


def test_the_intervention_page_shows_the_person_s_place_only(group):
    page = client_as("prob.officer").get(f"/plans/interventions/{group.amira.pk}/").content.decode()
    assert "Leaving violence behind" in page and "Amira spoke about her doubts." in page
    assert "What I want my children to know" in page  # the session's topic
    assert "Karim" not in page and "Omar" not in page
    assert f"/plans/groups/{group.programme.pk}/" not in page  # probation does not run it: no link
    assert "Record an individual interview" in page
    assert client_as("muni.coordinator").get(f"/plans/interventions/{group.amira.pk}/").status_code == 404


def test_queries_stay_bounded_as_the_group_grows(group):
    pn = user("pn.casemanager")
    client = client_as("pn.casemanager")
    urls = [
        "/plans/groups/",
        f"/plans/groups/{group.programme.pk}/",
        f"/plans/group-sessions/{group.session.pk}/",
        f"/plans/interventions/{group.amira.pk}/",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()
    small = counts()
    more = [
        actions.do_add_group_participant(
            group.programme, case=new_case(f"Extra{n}"), starts_on=group.programme.starts_on, acting_user=pn
        )
        for n in range(5)
    ]
    actions.do_record_attendance(
        group.session, attendance=[{"participant": p.pk, "attended": True} for p in more], acting_user=pn
    )
    for n in range(3):
        actions.do_record_group_session(
            group.programme,
            held_on=today() - timedelta(days=n),
            topic=f"Topic {n}",
            facilitators=[pn],
            acting_user=pn,
        )
    actions.do_create_programme(
        title="Another",
        type="education",
        facilitator_organisations=[org("exit-ngo")],
        starts_on=today(),
        acting_user=pn,
    )
    grown = counts()
    assert grown == small, (small, grown)
    assert max(grown) <= MAX_QUERIES
