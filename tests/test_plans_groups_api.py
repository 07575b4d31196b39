"""Group programmes (issue 16) through the API as the demo personas.

Prison North runs a group disengagement programme (category ``ideology``) with the exit NGO as
co-facilitator. Three persons take part: Amira (tests/api_world.py: every demo organisation but
Prison South is a member), Karim (Prison North and the exit NGO) and Omar (Prison North only). A
member of one participant's case learns nothing of another: not the name, not the note, not how many
others there are (R12).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Case
from continuum.people import actions as people_actions
from continuum.plans import actions
from continuum.plans.models import GroupProgramme, Intervention, InterventionSession
from tests.api_world import NOT_FOUND, OUTSIDERS, RANDOM_ID
from tests.plans_world import org, today, user

pytestmark = pytest.mark.django_db

WRITES = ("create", "update", "delete")


@pytest.fixture
def api_as(api_as):
    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def writes() -> int:
    return AuditEvent.objects.filter(action__in=WRITES).count()


def new_case(given: str, *, members: tuple[str, ...] = ()) -> Case:
    pn = user("pn.casemanager")
    person = people_actions.do_create_person(
        given_name=given, family_name="Groupson", birth_date=date(1991, 5, 6), gender="male", acting_user=pn
    )
    case = case_actions.do_open_case(
        person=person, lead_organisation=org("prison-north"), phase="custody", acting_user=pn
    )
    for slug in members:
        case_actions.do_add_member(case, organisation=org(slug), acting_user=pn)
    return case


class Group:
    def __init__(self, world: Any) -> None:
        pn = user("pn.casemanager")
        self.amira_case = world.case
        self.karim_case = new_case("Karim", members=("exit-ngo",))
        self.omar_case = new_case("Omar")
        self.programme = actions.do_create_programme(
            title="Leaving violence behind",
            type="disengagement_group",
            description="Twice a month, two hours; small objectives first.",
            facilitator_organisations=[org("exit-ngo")],
            starts_on=today() - timedelta(days=30),
            frequency="Twice a month",
            place="High-security section",
            acting_user=pn,
        )
        self.amira, self.karim, self.omar = (
            actions.do_add_group_participant(
                self.programme, case=case, starts_on=self.programme.starts_on, acting_user=pn
            )
            for case in (self.amira_case, self.karim_case, self.omar_case)
        )
        self.session = actions.do_record_group_session(
            self.programme,
            held_on=today() - timedelta(days=2),
            topic="What I want my children to know",
            external_experts="A theologian (on the sources)",
            facilitators=[pn, user("exit.worker")],
            acting_user=pn,
        )
        actions.do_record_attendance(
            self.session,
            attendance=[
                {"participant": self.amira.pk, "attended": True, "note": "Amira spoke about her doubts."},
                {"participant": self.karim.pk, "attended": False, "note": "Karim was in hospital."},
                {"participant": self.omar.pk, "attended": True, "note": "Omar asked for an interview."},
            ],
            acting_user=pn,
        )


@pytest.fixture
def group(world) -> Group:
    return Group(world)


# --- a programme and who runs it --------------------------------------------------------------------------------


def test_the_prison_starts_a_programme_with_a_co_facilitator(world, api_as):
    created = api_as("pn.casemanager").post(
        "/api/v1/group-programmes/",
        {
            "title": "Leaving violence behind",
            "type": "disengagement_group",
            "facilitator_organisations": ["exit-ngo"],
            "voluntary": True,
            "starts_on": today().isoformat(),
            "frequency": "Twice a month",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["provider_organisation"] == "prison-north" and body["facilitator_organisations"] == ["exit-ngo"]
    assert body["category"] == "ideology" and body["participants"] == [] and body["sessions"] == []
    for username in ("pn.casemanager", "exit.worker"):
        listed = api_as(username).get("/api/v1/group-programmes/").json()["results"]
        assert [p["id"] for p in listed] == [body["id"]]
    for username in ("prob.officer", "police.liaison", "mentor.one", *OUTSIDERS):
        assert api_as(username).get("/api/v1/group-programmes/").json()["results"] == []
        assert api_as(username).get(f"/api/v1/group-programmes/{body['id']}/").json() == NOT_FOUND


@pytest.mark.parametrize(
    ("username", "kind"),
    [
        ("police.liaison", "disengagement_group"),  # police reads ideology, does not write it
        ("muni.coordinator", "disengagement_group"),
        ("mentor.one", "employment_support"),
        ("cw.worker", "psychological_support"),  # only mental health writes mental_health
        ("evaluator", "education"),
        ("dpo", "education"),
        ("admin", "education"),
    ],
)
def test_only_organisations_that_write_the_category_run_such_a_programme(world, api_as, username, kind):
    before = writes()
    response = api_as(username).post(
        "/api/v1/group-programmes/",
        {"title": "A group", "type": kind, "voluntary": True, "starts_on": today().isoformat()},
    )
    assert response.status_code == 403
    assert writes() == before and not GroupProgramme.objects.exists()


def test_a_municipality_runs_a_group_of_its_own_kind(world, api_as):
    response = api_as("muni.coordinator").post(
        "/api/v1/group-programmes/",
        {"title": "Work club", "type": "employment_support", "voluntary": True, "starts_on": today().isoformat()},
    )
    assert response.status_code == 201 and response.json()["category"] == "daily_life"


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "disengagement_group", "voluntary": True, "starts_on": "2026-01-01"},
        {"title": " ", "type": "disengagement_group", "voluntary": True, "starts_on": "2026-01-01"},
        {"title": "x", "type": "séance", "voluntary": True, "starts_on": "2026-01-01"},
        {
            "title": "x",
            "type": "disengagement_group",
            "voluntary": True,
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
        },
        {"title": "x", "type": "disengagement_group", "voluntary": True, "starts_on": "0001-01-01x"},
        {"title": "x", "type": "other", "voluntary": True, "starts_on": "2026-01-01"},
        {
            "title": "x",
            "type": "disengagement_group",
            "voluntary": True,
            "starts_on": "2026-01-01",
            "facilitator_organisations": ["nowhere"],
        },
        {"title": "x" * 201, "type": "disengagement_group", "voluntary": True, "starts_on": "2026-01-01"},
    ],
)
def test_bad_programmes_are_refused_and_change_nothing(world, api_as, payload):
    before = writes()
    response = api_as("pn.casemanager").post("/api/v1/group-programmes/", payload)
    assert response.status_code == 400, response.content
    assert writes() == before and not GroupProgramme.objects.exists()


# --- participants: each on their own case ----------------------------------------------------------------------


def test_who_runs_the_programme_sees_the_participants_it_may_see(group, api_as):
    url = f"/api/v1/group-programmes/{group.programme.pk}/"
    everyone = api_as("pn.casemanager").get(url).json()
    assert {p["person_name"] for p in everyone["participants"]} == {
        "Amira Example",
        "Karim Groupson",
        "Omar Groupson",
    }
    # The exit NGO co-facilitates but is not on Omar's case: it sees Amira and Karim only, and
    # nothing in the answer tells that there is a third.
    exit_view = api_as("exit.worker").get(url)
    assert {p["person_name"] for p in exit_view.json()["participants"]} == {"Amira Example", "Karim Groupson"}
    assert b"Omar" not in exit_view.content and str(group.omar_case.pk).encode() not in exit_view.content


def test_the_participation_is_on_the_participant_s_own_case(group, api_as):
    amira = api_as("prob.officer").get(f"/api/v1/cases/{group.amira_case.pk}/interventions/").json()["results"]
    assert [(i["type"], i["group"]) for i in amira] == [("disengagement_group", str(group.programme.pk))]
    # Probation is on Amira's case only: not the programme, not the other participants.
    assert api_as("prob.officer").get(f"/api/v1/group-programmes/{group.programme.pk}/").json() == NOT_FOUND
    for other in (group.karim, group.omar):
        assert api_as("prob.officer").get(f"/api/v1/interventions/{other.pk}/").json() == NOT_FOUND


def test_a_participant_is_added_once_from_a_case_the_provider_is_on(group, world, api_as):
    client = api_as("pn.casemanager")
    url = f"/api/v1/group-programmes/{group.programme.pk}/participants/"
    elsewhere = case_actions.do_open_case(
        person=people_actions.do_create_person(
            given_name="Tarik",
            family_name="Groupson",
            birth_date=date(1990, 1, 1),
            gender="male",
            acting_user=user("ps.casemanager"),
        ),
        lead_organisation=org("prison-south"),
        phase="custody",
        acting_user=user("ps.casemanager"),
    )
    before = writes()
    assert client.post(url, {"case": str(group.omar_case.pk)}).status_code == 400  # already takes part
    assert client.post(url, {"case": str(elsewhere.pk)}).status_code == 400  # a case it does not see
    assert client.post(url, {"case": "not-a-uuid"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert writes() == before
    # The exit NGO co-facilitates and writes ideology on Karim's case; Prison North, the provider, is
    # on it, so the exit NGO may add him (he is there already: 400), but not to someone else's group.
    assert api_as("exit.worker").post(url, {"case": str(group.karim_case.pk)}).status_code == 400
    assert api_as("prob.officer").post(url, {"case": str(world.case.pk)}).json() == NOT_FOUND


def test_a_case_the_provider_is_not_on_cannot_join(world, api_as):
    exit_user = user("exit.worker")
    programme = actions.do_create_programme(
        title="Exit group", type="ideological_dialogue", starts_on=today(), acting_user=exit_user
    )
    omar = new_case("Omar")  # the exit NGO is not on it, and does not see it
    karim = new_case("Karim", members=("exit-ngo",))
    url = f"/api/v1/group-programmes/{programme.pk}/participants/"
    assert api_as("exit.worker").post(url, {"case": str(omar.pk)}).status_code == 400
    assert api_as("exit.worker").post(url, {"case": str(karim.pk)}).status_code == 201


# --- sessions and attendance --------------------------------------------------------------------------------------


def test_a_session_names_facilitators_of_the_organisations_that_run_it(group, api_as):
    client = api_as("pn.casemanager")
    url = f"/api/v1/group-programmes/{group.programme.pk}/sessions/"
    planned = client.post(
        url,
        {
            "held_on": (today() + timedelta(days=12)).isoformat(),
            "topic": "Small steps",
            "facilitators": ["pn.casemanager", "exit.worker"],
        },
    )
    assert planned.status_code == 201, planned.content
    assert sorted(planned.json()["facilitators"]) == ["exit.worker", "pn.casemanager"]
    before = writes()
    assert (
        client.post(url, {"held_on": today().isoformat(), "topic": "x", "facilitators": ["prob.officer"]}).status_code
        == 400
    )
    assert client.post(url, {"held_on": "2000-01-01", "topic": "x"}).status_code == 400  # before the programme
    assert client.post(url, {"held_on": today().isoformat(), "topic": ""}).status_code == 400
    assert writes() == before
    # Attendance waits for the day.
    early = client.post(
        f"/api/v1/group-sessions/{planned.json()['id']}/attendance/",
        {"attendance": [{"participant": str(group.amira.pk), "attended": True}]},
    )
    assert early.status_code == 400 and writes() == before
    for username in ("prob.officer", "police.liaison", "mentor.one", *OUTSIDERS):
        assert api_as(username).post(url, {"held_on": today().isoformat(), "topic": "x"}).json() == NOT_FOUND


def test_each_team_reads_only_its_participant_s_attendance_and_notes(group, api_as):
    url = f"/api/v1/group-sessions/{group.session.pk}/"
    everyone = api_as("pn.casemanager").get(url).json()
    assert sorted(a["note"] for a in everyone["attendance"]) == [
        "Amira spoke about her doubts.",
        "Karim was in hospital.",
        "Omar asked for an interview.",
    ]
    exit_view = api_as("exit.worker").get(url)
    assert sorted(a["note"] for a in exit_view.json()["attendance"]) == [
        "Amira spoke about her doubts.",
        "Karim was in hospital.",
    ]
    assert b"Omar" not in exit_view.content
    # Probation reads Amira's attendance on her intervention, with the group session's topic.
    amira = api_as("prob.officer").get(f"/api/v1/interventions/{group.amira.pk}/").json()
    assert [(s["kind"], s["topic"], s["note"]) for s in amira["sessions"]] == [
        ("group_session", "What I want my children to know", "Amira spoke about her doubts.")
    ]
    assert amira["sessions_held"] == 1 and amira["sessions_attended"] == 1
    assert api_as("prob.officer").get(url).json() == NOT_FOUND
    # The municipality is on Amira's case but does not read ideology: not even her place in the group.
    assert api_as("muni.coordinator").get(f"/api/v1/interventions/{group.amira.pk}/").json() == NOT_FOUND
    assert api_as("mentor.one").get(f"/api/v1/interventions/{group.amira.pk}/").json() == NOT_FOUND


def test_attendance_is_corrected_not_doubled(group, api_as):
    url = f"/api/v1/group-sessions/{group.session.pk}/attendance/"
    response = api_as("exit.worker").post(
        url, {"attendance": [{"participant": str(group.karim.pk), "attended": True, "note": "Came after all."}]}
    )
    assert response.status_code == 200, response.content
    rows = InterventionSession.objects.filter(intervention=group.karim, group_session=group.session)
    assert [(r.attended, r.note) for r in rows] == [(True, "Came after all.")]


def test_a_participant_out_of_sight_is_unknown_and_nothing_is_written(group, world, api_as):
    url = f"/api/v1/group-sessions/{group.session.pk}/attendance/"
    stored = list(InterventionSession.objects.order_by("pk").values_list("pk", "attended", "note"))
    hidden = {"attendance": [{"participant": str(group.omar.pk), "attended": False, "note": "x"}]}
    mixed = {
        "attendance": [
            {"participant": str(group.amira.pk), "attended": False, "note": "changed"},
            {"participant": str(group.omar.pk), "attended": False},
        ]
    }
    foreign = actions.do_add_intervention(
        world.case,
        type="education",
        provider_organisation=org("prison-north"),
        starts_on=today(),
        acting_user=user("pn.casemanager"),
    )
    before = writes()
    for payload in (
        hidden,
        mixed,
        {"attendance": [{"participant": RANDOM_ID, "attended": True}]},
        {"attendance": [{"participant": str(foreign.pk), "attended": True}]},  # not in the group
        {"attendance": [{"participant": str(group.amira.pk), "attended": True}] * 2},
        {"attendance": []},
        {"attendance": [{"participant": "x", "attended": True}]},
        {},
    ):
        response = api_as("exit.worker").post(url, payload)
        assert response.status_code == 400, (payload, response.content)
        assert b"Omar" not in response.content
    assert writes() == before
    assert list(InterventionSession.objects.order_by("pk").values_list("pk", "attended", "note")) == stored


def test_only_who_runs_the_programme_records_attendance(group, api_as):
    url = f"/api/v1/group-sessions/{group.session.pk}/attendance/"
    payload = {"attendance": [{"participant": str(group.amira.pk), "attended": False}]}
    before = writes()
    for username in ("prob.officer", "police.liaison", "muni.coordinator", "mentor.one", *OUTSIDERS):
        assert api_as(username).post(url, payload).json() == NOT_FOUND
    assert writes() == before


def test_an_individual_interview_on_request_is_not_attendance(group, api_as):
    response = api_as("pn.casemanager").post(
        f"/api/v1/interventions/{group.omar.pk}/sessions/",
        {"held_on": today().isoformat(), "attended": True, "note": "Talked alone about his brother."},
    )
    assert response.status_code == 201, response.content
    omar = api_as("pn.casemanager").get(f"/api/v1/interventions/{group.omar.pk}/").json()
    assert {s["kind"] for s in omar["sessions"]} == {"group_session", "individual_interview"}
    assert omar["sessions_held"] == 1 and omar["sessions_attended"] == 1
    # The interview stays on Omar's case: the co-facilitator does not see it.
    assert api_as("exit.worker").get(f"/api/v1/interventions/{group.omar.pk}/").json() == NOT_FOUND


def test_an_ordinary_intervention_s_sessions_stay_sessions(world, api_as):
    intervention = actions.do_add_intervention(
        world.case,
        type="education",
        provider_organisation=org("prison-north"),
        starts_on=today(),
        acting_user=user("pn.casemanager"),
    )
    response = api_as("pn.casemanager").post(
        f"/api/v1/interventions/{intervention.pk}/sessions/", {"held_on": today().isoformat(), "attended": True}
    )
    assert response.status_code == 201
    assert Intervention.objects.get(pk=intervention.pk).sessions.get().kind == "session"


# --- the number of queries does not grow with the group ----------------------------------------------------------


def test_queries_stay_bounded_as_the_group_grows(group, api_as):
    client = api_as("pn.casemanager")
    urls = [f"/api/v1/group-programmes/{group.programme.pk}/", f"/api/v1/group-sessions/{group.session.pk}/"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()  # the first requests fill what the engine remembers per request cycle
    small = counts()
    pn = user("pn.casemanager")
    more = [
        actions.do_add_group_participant(
            group.programme, case=new_case(f"Extra{n}"), starts_on=group.programme.starts_on, acting_user=pn
        )
        for n in range(6)
    ]
    actions.do_record_attendance(
        group.session, attendance=[{"participant": p.pk, "attended": True} for p in more], acting_user=pn
    )
    assert counts() == small
    assert max(small) <= 20
