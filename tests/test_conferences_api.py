"""Conferences through the API (issue 6, API.md "Conferences"): who may schedule, see, decide, give
positions, add and complete actions; the consensus rule; the calendar feed.

Every endpoint is tested for who may and who may not, across organisation types (STYLE.md 7).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from continuum.audit.models import AuditEvent
from continuum.conferences import actions
from continuum.conferences.models import ConferenceAction, Decision, Position
from tests.api_world import NOT_FOUND, RANDOM_ID
from tests.conference_world import MAR_PARTICIPANTS, schedule, user

pytestmark = pytest.mark.django_db


def conference_body(world, **overrides):
    body = {
        "kind": "mar_meeting",
        "title": "MAR meeting",
        "scheduled_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "chair_organisation": "prison-north",
        "cases": [str(world.case.pk)],
        "participants": MAR_PARTICIPANTS,
    }
    body.update(overrides)
    return body


# --- scheduling -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pn.casemanager", "prob.officer", "muni.coordinator", "cp.coordinator"])
def test_coordinators_and_case_managers_of_conference_writers_schedule_a_conference(world, api_as, username):
    response = api_as(username).post("/api/v1/conferences/", conference_body(world), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "mar_meeting"
    assert data["cases"] == [str(world.case.pk)]
    assert set(MAR_PARTICIPANTS) <= set(data["participants"])
    assert AuditEvent.objects.filter(action="create", object_type="conference", object_id=data["id"]).exists()


@pytest.mark.parametrize(
    "username",
    ["police.liaison", "exit.worker", "mh.clinician", "cw.worker", "pn.psychologist", "mentor.one", "evaluator"],
)
def test_others_may_not_schedule_a_conference(world, api_as, username):
    response = api_as(username).post("/api/v1/conferences/", conference_body(world), format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["dpo", "admin"])
def test_administrators_and_dpo_have_no_conferences(world, api_as, username):
    client = api_as(username)
    assert client.post("/api/v1/conferences/", conference_body(world), format="json").status_code == 403
    assert client.get("/api/v1/conferences/").status_code == 403


def test_a_case_the_scheduler_cannot_see_is_unknown(world, api_as):
    # Prison South is not in Amira's team: her case is answered like one that does not exist (R12).
    response = api_as("ps.casemanager").post(
        "/api/v1/conferences/", conference_body(world, chair_organisation="prison-south"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"cases": ["Unknown case."]}
    missing = api_as("ps.casemanager").post(
        "/api/v1/conferences/",
        conference_body(world, cases=[RANDOM_ID], chair_organisation="prison-south"),
        format="json",
    )
    assert missing.json() == response.json()


def test_participants_must_be_members_of_a_case_on_the_agenda(world, api_as):
    response = api_as("pn.casemanager").post(
        "/api/v1/conferences/", conference_body(world, participants=["probation", "prison-south"]), format="json"
    )
    assert response.status_code == 400
    assert "Prison South" in response.json()["participants"][0]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"cases": []}, "cases"),
        ({"participants": ["no-such-org"]}, "participants"),
        ({"kind": "picnic"}, "kind"),
        ({"recurrence": "daily"}, "recurrence"),
        ({"title": ""}, "title"),
        ({"duration_minutes": 5}, "duration_minutes"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(world, api_as, override, field):
    response = api_as("pn.casemanager").post("/api/v1/conferences/", conference_body(world, **override), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not AuditEvent.objects.filter(object_type="conference", action="create").exists()


# --- reading ----------------------------------------------------------------------------------------------


def test_participants_read_the_conference_and_see_only_the_agenda_cases_they_are_members_of(world, api_as):
    conference = schedule([world.case, world.other_case], by="prob.officer", chair="probation")
    prison = api_as("pn.casemanager").get(f"/api/v1/conferences/{conference.pk}/").json()
    assert prison["cases"] == [str(world.case.pk)]  # Bilal's case: no id, no count (R12)
    muni = api_as("muni.coordinator").get(f"/api/v1/conferences/{conference.pk}/").json()
    assert set(muni["cases"]) == {str(world.case.pk), str(world.other_case.pk)}


@pytest.mark.parametrize("username", ["exit.worker", "police.liaison", "ps.casemanager", "mh.clinician"])
def test_organisations_that_do_not_take_part_do_not_see_the_conference(world, api_as, username):
    conference = schedule([world.case])
    client = api_as(username)
    assert client.get(f"/api/v1/conferences/{conference.pk}/").json() == NOT_FOUND
    assert client.get(f"/api/v1/conferences/{conference.pk}/pack/").status_code == 404
    assert client.get("/api/v1/conferences/").json()["count"] == 0
    assert client.get(f"/api/v1/conferences/{RANDOM_ID}/").json() == NOT_FOUND
    assert client.get("/api/v1/conferences/not-an-id/").json() == NOT_FOUND


def test_the_conference_list_is_paginated_with_bounded_queries(world, api_as):
    client = api_as("prob.officer")
    schedule([world.case])
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/conferences/").json()["count"] == 1
    for _ in range(6):
        schedule([world.case, world.other_case], by="prob.officer", chair="probation")
    with CaptureQueriesContext(connection) as seven:
        data = client.get("/api/v1/conferences/").json()
    assert data["count"] == 7
    assert {"count", "next", "previous", "results"} <= set(data)
    assert len(seven) <= len(one) <= 15


# --- decisions and the consensus rule ------------------------------------------------------------------


def propose(client, conference, case, text="Start the housing application."):
    return client.post(
        f"/api/v1/conferences/{conference.pk}/decisions/", {"case": str(case.pk), "text": text}, format="json"
    )


def position(client, decision_id, value, comment="", **extra):
    return client.post(
        f"/api/v1/decisions/{decision_id}/positions/", {"position": value, "comment": comment, **extra}, format="json"
    )


def test_a_participating_member_that_writes_conference_proposes_a_decision(world, api_as):
    conference = schedule([world.case])
    response = propose(api_as("prob.officer"), conference, world.case)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "proposed"
    assert data["positions"] == []
    assert set(data["involved"]) == set(MAR_PARTICIPANTS)
    assert data["status_text"].startswith("Waiting for ")


def test_decisions_are_refused_to_readers_outsiders_and_cases_off_the_agenda(world, api_as):
    conference = schedule([world.case], [*MAR_PARTICIPANTS, "police"])
    # Police takes part but only reads conference records (matrix): 403.
    assert propose(api_as("police.liaison"), conference, world.case).status_code == 403
    # Exit NGO does not take part: the conference is not there for it.
    assert propose(api_as("exit.worker"), conference, world.case).status_code == 404
    # Bilal's case is not on the agenda; a case the user cannot see is unknown.
    off_agenda = propose(api_as("prob.officer"), conference, world.other_case)
    assert off_agenda.status_code == 400 and "case" in off_agenda.json()
    unknown = propose(api_as("pn.casemanager"), conference, world.other_case)
    assert unknown.json() == {"case": ["Unknown case."]}
    empty = api_as("prob.officer").post(
        f"/api/v1/conferences/{conference.pk}/decisions/", {"case": str(world.case.pk), "text": " "}, format="json"
    )
    assert empty.status_code == 400
    assert not Decision.objects.exists()


def test_consensus_stays_proposed_until_every_member_participant_has_a_position(world, api_as):
    conference = schedule([world.case], [*MAR_PARTICIPANTS, "police"])
    decision_id = propose(api_as("prob.officer"), conference, world.case).json()["id"]
    assert position(api_as("pn.casemanager"), decision_id, "agree").json()["status"] == "proposed"
    assert position(api_as("prob.officer"), decision_id, "agree").json()["status"] == "proposed"
    data = position(api_as("muni.coordinator"), decision_id, "abstain").json()
    assert data["status"] == "proposed"
    assert data["status_text"] == "Waiting for Police Liaison Unit"
    # A disagreement needs its reason.
    no_reason = position(api_as("police.liaison"), decision_id, "disagree")
    assert no_reason.status_code == 400 and "comment" in no_reason.json()
    blocked = position(api_as("police.liaison"), decision_id, "disagree", "Wait for the risk review.").json()
    assert blocked["status"] == "blocked"
    assert blocked["status_text"] == "Blocked: Police Liaison Unit disagrees — Wait for the risk review."
    # A later call replaces the earlier position; the abstention stands aside.
    agreed = position(api_as("police.liaison"), decision_id, "agree").json()
    assert agreed["status"] == "agreed"
    assert agreed["status_text"] == "Agreed by all (Harbour Municipality abstained)"
    assert Position.objects.filter(decision_id=decision_id).count() == 4
    history = AuditEvent.objects.filter(object_type="position", object_id=decision_id, actor_username="police.liaison")
    assert [e.detail["position"] for e in history.order_by("seq")] == ["disagree", "agree"]
    # The log says that a reason was given, never the reason itself (erasure never touches the log).
    assert [e.detail["with_comment"] for e in history.order_by("seq")] == [True, False]
    assert not any("Wait for the risk review" in str(e.detail) for e in AuditEvent.objects.all())
    assert AuditEvent.objects.filter(
        object_type="decision", object_id=decision_id, detail__event="decision_agreed"
    ).exists()
    # An agreed decision is settled.
    assert position(api_as("police.liaison"), decision_id, "disagree", "Changed our mind.").status_code == 400


def test_blocked_while_any_disagrees_even_when_all_have_spoken(world, api_as):
    conference = schedule([world.case])
    decision_id = propose(api_as("prob.officer"), conference, world.case).json()["id"]
    position(api_as("pn.casemanager"), decision_id, "disagree", "Too early.")
    position(api_as("prob.officer"), decision_id, "agree")
    assert position(api_as("muni.coordinator"), decision_id, "agree").json()["status"] == "blocked"
    assert position(api_as("pn.casemanager"), decision_id, "abstain").json()["status"] == "agreed"


# --- a decision that agrees a plan ------------------------------------------------------------------------


def draft_plan(case, username="pn.casemanager"):
    from continuum.plans.actions import do_create_plan

    return do_create_plan(case, summary="Work and a home of her own.", acting_user=user(username))


def test_a_plan_becomes_agreed_only_when_every_involved_organisation_agrees_its_decision(world, api_as):
    from continuum.plans.models import Plan

    conference = schedule([world.case])
    plan = draft_plan(world.case)
    response = api_as("prob.officer").post(
        f"/api/v1/conferences/{conference.pk}/decisions/",
        {"case": str(world.case.pk), "text": "Agree the plan.", "plan": str(plan.pk)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    decision_id = response.json()["id"]
    assert response.json()["plan"] == str(plan.pk)
    position(api_as("pn.casemanager"), decision_id, "agree")
    position(api_as("muni.coordinator"), decision_id, "disagree", "The housing goal is missing.")
    assert position(api_as("prob.officer"), decision_id, "agree").json()["status"] == "blocked"
    assert Plan.objects.get(pk=plan.pk).status == "draft"
    assert position(api_as("muni.coordinator"), decision_id, "agree").json()["status"] == "agreed"
    plan.refresh_from_db()
    assert plan.status == "agreed" and str(plan.agreed_through_decision) == decision_id
    assert api_as("prob.officer").get(f"/api/v1/cases/{world.case.pk}/plan/").json()["status"] == "agreed"


def test_a_decision_agrees_only_the_current_draft_plan_of_its_own_case(world, api_as):
    from continuum.plans.actions import do_agree_plan

    conference = schedule([world.case, world.other_case], by="prob.officer", chair="probation")
    other_plan = draft_plan(world.other_case, "prob.officer")
    url = f"/api/v1/conferences/{conference.pk}/decisions/"
    wrong_case = api_as("prob.officer").post(
        url, {"case": str(world.case.pk), "text": "Agree.", "plan": str(other_plan.pk)}, format="json"
    )
    assert wrong_case.status_code == 400 and wrong_case.json() == {"plan": ["Unknown plan of this case."]}
    unknown = api_as("prob.officer").post(
        url, {"case": str(world.case.pk), "text": "Agree.", "plan": RANDOM_ID}, format="json"
    )
    assert unknown.json() == {"plan": ["Unknown plan of this case."]}
    do_agree_plan(other_plan, decision_id=other_plan.pk, acting_user=None)
    agreed_already = api_as("prob.officer").post(
        url, {"case": str(world.other_case.pk), "text": "Agree.", "plan": str(other_plan.pk)}, format="json"
    )
    assert agreed_already.status_code == 400 and "plan" in agreed_already.json()
    assert not Decision.objects.exists()


def test_the_last_agreement_changes_nothing_when_the_plan_was_agreed_meanwhile(world, api_as):
    # Two decisions about one draft: once the first agrees it, the second cannot agree it again. The
    # last position of the second is refused whole (400), and its decision stays as it was.
    conference = schedule([world.case])
    plan = draft_plan(world.case)
    first, second = (
        actions.do_propose_decision(conference, case=world.case, text=text, plan=plan, acting_user=user("prob.officer"))
        for text in ("Agree the plan.", "Agree the plan (again).")
    )
    for username in ("pn.casemanager", "prob.officer"):
        position(api_as(username), second.pk, "agree")
    for username in ("pn.casemanager", "prob.officer", "muni.coordinator"):
        position(api_as(username), first.pk, "agree")
    refused = position(api_as("muni.coordinator"), second.pk, "agree")
    assert refused.status_code == 400
    second.refresh_from_db()
    assert second.status == "proposed"
    assert not Position.objects.filter(decision=second, organisation__slug="municipality-harbour").exists()


def test_only_participants_that_are_members_of_the_case_are_involved(world, api_as):
    # Prison North takes part but is not in Bilal's team: not involved, and does not see the decision.
    conference = schedule([world.case, world.other_case], by="prob.officer", chair="probation")
    decision = propose(api_as("prob.officer"), conference, world.other_case).json()
    assert set(decision["involved"]) == {"probation", "municipality-harbour"}
    assert position(api_as("pn.casemanager"), decision["id"], "agree").json() == NOT_FOUND
    position(api_as("prob.officer"), decision["id"], "agree")
    assert position(api_as("muni.coordinator"), decision["id"], "agree").json()["status"] == "agreed"


def test_a_position_from_a_member_that_does_not_take_part_is_a_403(world, api_as):
    conference = schedule([world.case])
    decision_id = propose(api_as("prob.officer"), conference, world.case).json()["id"]
    # Exit NGO and the central point are in the team and read conference records, but do not take part.
    for username in ("exit.worker", "cp.coordinator"):
        assert position(api_as(username), decision_id, "agree").status_code == 403
    # Mentoring reads no conference records; Prison South is not in the team: for them it is not there.
    for username in ("mentor.one", "ps.casemanager"):
        assert position(api_as(username), decision_id, "agree").json() == NOT_FOUND
    assert not Position.objects.exists()


def test_a_user_of_one_organisation_cannot_give_another_organisations_position(world, api_as):
    conference = schedule([world.case])
    decision_id = propose(api_as("prob.officer"), conference, world.case).json()["id"]
    response = position(api_as("prob.officer"), decision_id, "agree", organisation="prison-north")
    assert response.status_code == 403
    assert not Position.objects.exists()
    own = position(api_as("prob.officer"), decision_id, "agree", organisation="probation")
    assert own.status_code == 200


def test_decision_detail_for_members_who_see_it_and_404_for_others(world, api_as):
    conference = schedule([world.case])
    decision_id = propose(api_as("prob.officer"), conference, world.case).json()["id"]
    assert api_as("exit.worker").get(f"/api/v1/decisions/{decision_id}/").json()["id"] == decision_id
    for username in ("mentor.one", "ps.casemanager"):
        assert api_as(username).get(f"/api/v1/decisions/{decision_id}/").json() == NOT_FOUND
    assert api_as("dpo").get(f"/api/v1/decisions/{decision_id}/").status_code == 403
    listed = api_as("muni.coordinator").get(f"/api/v1/conferences/{conference.pk}/decisions/").json()
    assert [d["id"] for d in listed["results"]] == [decision_id]


# --- actions ----------------------------------------------------------------------------------------------


def add_action(client, decision_id, **overrides):
    body = {
        "description": "Arrange a viewing of the flat.",
        "owner_organisation": "municipality-harbour",
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    body.update(overrides)
    return client.post(f"/api/v1/decisions/{decision_id}/actions/", body, format="json")


def test_actions_are_owned_by_a_member_organisation_and_completed_by_it(world, api_as):
    conference = schedule([world.case], [*MAR_PARTICIPANTS, "police"])
    decision_id = propose(api_as("prob.officer"), conference, world.case).json()["id"]
    response = add_action(api_as("prob.officer"), decision_id, owner="muni.coordinator")
    assert response.status_code == 201, response.json()
    action_id = response.json()["id"]
    assert response.json()["owner"] == "muni.coordinator"
    # Not in the team; a user of another organisation; police only reads conference records.
    assert add_action(api_as("prob.officer"), decision_id, owner_organisation="prison-south").status_code == 400
    assert add_action(api_as("prob.officer"), decision_id, owner="pn.casemanager").status_code == 400
    assert add_action(api_as("prob.officer"), decision_id, due_on="").status_code == 400
    assert add_action(api_as("police.liaison"), decision_id).status_code == 403
    assert add_action(api_as("mentor.one"), decision_id).json() == NOT_FOUND
    # Someone who sees the action but does not own it may not complete it.
    assert api_as("exit.worker").post(f"/api/v1/actions/{action_id}/complete/").status_code == 403
    assert api_as("mentor.one").post(f"/api/v1/actions/{action_id}/complete/").json() == NOT_FOUND
    done = api_as("muni.coordinator").post(f"/api/v1/actions/{action_id}/complete/")
    assert done.status_code == 200
    assert done.json()["completed_by"] == "muni.coordinator"
    assert api_as("muni.coordinator").post(f"/api/v1/actions/{action_id}/complete/").status_code == 400
    assert ConferenceAction.objects.count() == 1


def test_open_actions_of_my_organisation_and_the_overdue_filter(world, api_as):
    conference = schedule([world.case])
    decision = Decision.objects.get(pk=propose(api_as("prob.officer"), conference, world.case).json()["id"])
    today = timezone.localdate()
    muni = user("muni.coordinator").organisation
    late = actions.do_add_conference_action(
        decision,
        description="Late",
        owner_organisation=muni,
        due_on=today - timedelta(days=2),
        acting_user=user("prob.officer"),
    )
    actions.do_add_conference_action(
        decision,
        description="Soon",
        owner_organisation=muni,
        due_on=today + timedelta(days=2),
        acting_user=user("prob.officer"),
    )
    client = api_as("muni.coordinator")
    data = client.get("/api/v1/actions/").json()
    assert [a["description"] for a in data["results"]] == ["Late", "Soon"]
    assert data["results"][0]["overdue"] is True
    overdue = client.get("/api/v1/actions/?overdue=1").json()
    assert [a["id"] for a in overdue["results"]] == [str(late.pk)]
    assert api_as("prob.officer").get("/api/v1/actions/").json()["count"] == 0
    assert api_as("dpo").get("/api/v1/actions/").status_code == 403


# --- attendance and minutes -------------------------------------------------------------------------------


def test_attendance_is_recorded_by_each_participant_for_themselves(world, api_as):
    conference = schedule([world.case])
    url = f"/api/v1/conferences/{conference.pk}/attendance/"
    response = api_as("muni.coordinator").post(
        url, {"present": True, "acknowledge_confidentiality": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["acknowledged_at"]
    users = {a["user"] for a in api_as("prob.officer").get(url).json()["results"]}
    assert users == {"pn.casemanager", "muni.coordinator"}
    assert api_as("exit.worker").post(url, {"present": True}, format="json").json() == NOT_FOUND


def test_minutes_of_a_case_are_written_by_members_who_write_conference_and_read_per_the_matrix(world, api_as):
    conference = schedule([world.case], [*MAR_PARTICIPANTS, "police"])
    url = f"/api/v1/conferences/{conference.pk}/minutes/"
    body = {"case": str(world.case.pk), "text": "Discussed the housing application."}
    assert api_as("prob.officer").post(url, body, format="json").status_code == 201
    assert api_as("police.liaison").post(url, body, format="json").status_code == 403
    assert api_as("exit.worker").post(url, body, format="json").json() == NOT_FOUND
    assert api_as("police.liaison").get(url).json()["count"] == 1


# --- calendar ---------------------------------------------------------------------------------------------


def test_the_calendar_feed_lists_my_conferences_without_case_content(world, api_as, browser_as):
    conference = schedule(
        [world.case, world.other_case], by="prob.officer", chair="probation", recurrence="weekly", title="Weekly MAR"
    )
    response = api_as("muni.coordinator").get("/api/v1/conferences.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "MAR meeting · Probation Service"
    assert event["rrule"]["FREQ"] == ["WEEKLY"]
    assert str(event["description"]) == f"http://testserver/conferences/{conference.pk}/"
    text = response.content.decode()
    for secret in ("Weekly MAR", world.case.number, world.other_case.number, world.amira.reference, "Amira", "Bilal"):
        assert secret not in text
    # Session authentication works too (a browser link); others get an empty calendar.
    assert browser_as("prob.officer").get("/api/v1/conferences.ics").status_code == 200
    other = api_as("exit.worker").get("/api/v1/conferences.ics")
    assert list(Calendar.from_ical(other.content).walk("VEVENT")) == []
    assert api_as("dpo").get("/api/v1/conferences.ics").status_code == 403
