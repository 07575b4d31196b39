"""API.md, "Plans and interventions": plans, goals, milestones, the person's agreement, interventions (issue 6)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.audit.models import AuditEvent
from continuum.plans import actions
from continuum.plans.models import Goal, Intervention, InterventionSession, Milestone, Plan
from tests.api_world import NOT_FOUND, OUTSIDERS, RANDOM_ID
from tests.plans_world import (
    PLAN_HIDDEN,
    PLAN_READERS,
    PLAN_WRITERS,
    agree,
    fill,
    org,
    payload,
    plan_with_goal,
    today,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(api_as):
    """The shared fixture's clients, sending JSON by default."""

    def make(username: str):
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


# --- reading the plan ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PLAN_WRITERS + PLAN_READERS)
def test_members_who_read_the_plan_get_the_current_plan(world, api_as, username):
    plan, _goal, milestones = plan_with_goal(world.case)
    response = api_as(username).get(f"/api/v1/cases/{world.case.pk}/plan/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(plan.pk)
    assert body["status"] == "draft" and body["version"] == 1 and body["revision"] == 1
    assert [g["persons_own_words"] for g in body["goals"]] == ["I want my children to know me again."]
    assert body["goals"][0]["milestones"][0]["id"] == str(milestones[0].pk)
    assert body["agreement"] is None
    assert body["progress"]["sentence"] == "0 of 1 milestone achieved."


@pytest.mark.parametrize("username", PLAN_HIDDEN)
def test_the_plan_is_a_404_for_those_who_may_not_see_it(world, api_as, username):
    plan, goal, milestones = plan_with_goal(world.case)
    client = api_as(username)
    for url in (
        f"/api/v1/cases/{world.case.pk}/plan/",
        f"/api/v1/plans/{plan.pk}/",
        f"/api/v1/goals/{goal.pk}/",
        f"/api/v1/milestones/{milestones[0].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND
    listing = client.get(f"/api/v1/cases/{world.case.pk}/plans/")
    if username == "mentor.one":  # a member: the case is there, its plans are not
        assert listing.status_code == 200 and listing.json()["count"] == 0
    else:
        assert listing.status_code == 404


def test_a_case_without_a_plan_and_an_unknown_plan_are_404(world, api_as):
    client = api_as("prob.officer")
    assert client.get(f"/api/v1/cases/{world.case.pk}/plan/").status_code == 404
    assert client.get(f"/api/v1/plans/{RANDOM_ID}/").json() == NOT_FOUND
    assert client.get("/api/v1/plans/not-a-uuid/").json() == NOT_FOUND


def test_without_credentials_it_is_401(world, client):
    plan, _goal, _ = plan_with_goal(world.case)
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code in (401, 403)
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/plans/{plan.pk}/").status_code == 401


def test_reading_a_plan_is_logged_as_disclosure(world, api_as):
    plan, goal, milestones = plan_with_goal(world.case)
    from continuum.sharing.models import Disclosure

    api_as("police.liaison").get(f"/api/v1/plans/{plan.pk}/")
    seen = set(Disclosure.objects.filter(viewer__username="police.liaison").values_list("record_id", flat=True))
    assert {plan.pk, goal.pk, milestones[0].pk} <= seen


def test_a_goal_withheld_from_police_is_left_out_with_its_milestones(world, api_as):
    plan, _goal, milestones = plan_with_goal(world.case, withhold_from=["police"])
    police = api_as("police.liaison").get(f"/api/v1/plans/{plan.pk}/").json()
    assert police["goals"] == []
    assert police["progress"]["milestones"] == 0
    assert "children" not in str(police)
    assert api_as("police.liaison").get(f"/api/v1/milestones/{milestones[0].pk}/").status_code == 404
    probation = api_as("prob.officer").get(f"/api/v1/plans/{plan.pk}/").json()
    assert len(probation["goals"]) == 1 and len(probation["goals"][0]["milestones"]) == 1


def test_history_lists_every_revision_newest_first(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    agree(plan)
    actions.do_start_plan_revision(world.case, acting_user=user("prob.officer"))
    body = api_as("police.liaison").get(f"/api/v1/cases/{world.case.pk}/plans/").json()
    assert body["count"] == 2
    assert [(p["revision"], p["status"]) for p in body["results"]] == [(2, "draft"), (1, "agreed")]


# --- starting plans and revisions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PLAN_WRITERS)
def test_plan_writers_start_the_first_plan(world, api_as, username):
    response = api_as(username).post(
        f"/api/v1/cases/{world.case.pk}/plan/revisions/", {"summary": "First steps"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft" and response.json()["summary"] == "First steps"
    assert AuditEvent.objects.filter(action="create", object_type="plan", actor__username=username).exists()


@pytest.mark.parametrize("username", [*PLAN_READERS, "mentor.one"])
def test_members_who_only_read_plans_cannot_start_one(world, api_as, username):
    response = api_as(username).post(f"/api/v1/cases/{world.case.pk}/plan/revisions/", {}, format="json")
    assert response.status_code == 403
    assert not Plan.objects.filter(case=world.case).exists()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_cannot_start_a_plan_and_learn_nothing(world, api_as, username):
    response = api_as(username).post(f"/api/v1/cases/{world.case.pk}/plan/revisions/", {}, format="json")
    assert response.status_code == 404


def test_a_revision_copies_goals_and_open_milestones_and_only_one_draft_at_a_time(world, api_as):
    plan, goal, milestones = plan_with_goal(world.case, milestones=2)
    actions.do_achieve_milestone(milestones[0], achieved_on=today(), acting_user=user("pn.casemanager"))
    client = api_as("prob.officer")
    # While revision 1 is a draft, no second draft.
    refused = client.post(f"/api/v1/cases/{world.case.pk}/plan/revisions/", {}, format="json")
    assert refused.status_code == 400 and "draft" in refused.json()["detail"]
    agree(plan)
    response = client.post(f"/api/v1/cases/{world.case.pk}/plan/revisions/", {}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["revision"] == 2 and body["status"] == "draft"
    assert [g["description"] for g in body["goals"]] == [goal.description]
    assert [m["description"] for m in body["goals"][0]["milestones"]] == [milestones[1].description]
    # The copy keeps its author (R0) and the current plan is now the draft.
    assert body["goals"][0]["author"] == "pn.casemanager"
    assert client.get(f"/api/v1/cases/{world.case.pk}/plan/").json()["id"] == body["id"]
    assert client.post(f"/api/v1/cases/{world.case.pk}/plan/revisions/", {}, format="json").status_code == 400


# --- changing a plan: versions, 409, immutability ---------------------------------------------------------------------


def test_two_users_edit_the_same_version_the_second_gets_409_and_the_first_change_stays(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    first, second = api_as("pn.casemanager"), api_as("prob.officer")
    read_version = first.get(f"/api/v1/plans/{plan.pk}/").json()["version"]
    assert second.get(f"/api/v1/plans/{plan.pk}/").json()["version"] == read_version
    ok = first.patch(
        f"/api/v1/plans/{plan.pk}/", {"version": read_version, "summary": "Summary by the prison"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == read_version + 1
    stale = second.patch(
        f"/api/v1/plans/{plan.pk}/", {"version": read_version, "summary": "Summary by probation"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == read_version + 1
    plan.refresh_from_db()
    assert plan.summary == "Summary by the prison" and plan.version == read_version + 1
    assert AuditEvent.objects.filter(object_type="plan", action="update", actor__username="prob.officer").count() == 0


def test_patch_needs_a_version_and_readers_may_not_patch(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    missing = api_as("prob.officer").patch(f"/api/v1/plans/{plan.pk}/", {"summary": "x"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()
    police = api_as("police.liaison").patch(f"/api/v1/plans/{plan.pk}/", {"version": 1, "summary": "x"}, format="json")
    assert police.status_code == 403
    hidden = api_as("mentor.one").patch(f"/api/v1/plans/{plan.pk}/", {"version": 1, "summary": "x"}, format="json")
    assert hidden.status_code == 404


def test_agreed_plans_cannot_be_edited(world, api_as):
    plan, goal, milestones = plan_with_goal(world.case)
    plan = agree(plan)
    client = api_as("pn.casemanager")
    responses = [
        client.patch(f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "summary": "Changed"}, format="json"),
        client.post(f"/api/v1/plans/{plan.pk}/goals/", payload(), format="json"),
        client.patch(f"/api/v1/goals/{goal.pk}/", {"version": goal.version, "description": "Changed"}, format="json"),
        client.delete(f"/api/v1/goals/{goal.pk}/"),
        client.post(f"/api/v1/goals/{goal.pk}/milestones/", {"description": "x", "target_on": "2030-01-01"}),
        client.post(
            f"/api/v1/plans/{plan.pk}/agreement/", {"position": "agrees", "persons_words": "Yes"}, format="json"
        ),
    ]
    assert [r.status_code for r in responses] == [400] * 6
    plan.refresh_from_db()
    assert plan.summary == "Return to family life and finish school."
    assert Goal.objects.filter(plan=plan).count() == 1 and Milestone.objects.filter(goal__plan=plan).count() == 1
    # Progress still counts on the agreed plan: a milestone is achieved, not the plan changed.
    achieved = client.post(f"/api/v1/milestones/{milestones[0].pk}/achieve/", {"achieved_on": str(today())})
    assert achieved.status_code == 200 and achieved.json()["achieved"] is True


def test_no_api_call_sets_a_plan_to_agreed(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    client = api_as("pn.casemanager")
    client.patch(f"/api/v1/plans/{plan.pk}/", {"version": 1, "status": "agreed"}, format="json")
    client.post(f"/api/v1/plans/{plan.pk}/agreement/", {"position": "agrees", "persons_words": "Fine"}, format="json")
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.agreed_at is None


# --- do_agree_plan (the conferences app calls it) --------------------------------------------------------------------


def test_agreeing_a_draft_supersedes_the_previously_agreed_revision(world):
    first, _goal, _ = plan_with_goal(world.case)
    decision = uuid.uuid4()
    first = actions.do_agree_plan(first, decision_id=decision, acting_user=user("prob.officer"))
    assert first.status == "agreed" and first.agreed_through_decision == decision and first.agreed_at is not None
    second = actions.do_start_plan_revision(world.case, acting_user=user("prob.officer"))
    second = agree(second)
    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_at is not None
    assert second.status == "agreed"
    events = AuditEvent.objects.filter(object_type="plan", action="update")
    assert {e.detail.get("status") for e in events} >= {"agreed", "superseded"}
    # A superseded plan is immutable too, and so are its milestones.
    with pytest.raises(ValidationError):
        actions.do_update_plan(first, version=first.version, summary="x", acting_user=user("prob.officer"))


def test_do_agree_plan_refuses_what_is_not_the_current_draft(world):
    plan, _goal, _ = plan_with_goal(world.case)
    plan = agree(plan)
    with pytest.raises(ValidationError):
        agree(plan)  # already agreed
    draft = actions.do_start_plan_revision(world.case, acting_user=user("prob.officer"))
    agree(draft)
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        agree(plan)  # superseded


# --- goals ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PLAN_WRITERS)
def test_plan_writers_add_goals_in_the_persons_words(world, api_as, username):
    plan, _goal, _ = plan_with_goal(world.case)
    response = api_as(username).post(f"/api/v1/plans/{plan.pk}/goals/", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["focus_area"] == "daily_life" and body["persons_own_words"] == "I want a real job."
    assert body["owner_organisation"] == "municipality-harbour" and body["author"] == username


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 403), ("cw.worker", 403), ("mentor.one", 404)])
def test_others_cannot_add_goals(world, api_as, username, status):
    plan, _goal, _ = plan_with_goal(world.case)
    response = api_as(username).post(f"/api/v1/plans/{plan.pk}/goals/", payload(), format="json")
    assert response.status_code == status
    assert Goal.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"focus_area": "happiness"}, "focus_area"),
        ({"description": ""}, "description"),
        ({"owner_organisation": "no-such-org"}, "owner_organisation"),
        ({"owner_organisation": "prison-south"}, "owner_organisation"),  # not a member of the case
        ({"withhold_from": ["no-such-org"]}, "withhold_from"),
    ],
)
def test_bad_goals_are_400_and_nothing_is_written(world, api_as, change, field):
    plan, _goal, _ = plan_with_goal(world.case)
    response = api_as("prob.officer").post(f"/api/v1/plans/{plan.pk}/goals/", payload(**change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Goal.objects.filter(plan=plan).count() == 1


def test_goals_are_edited_with_their_version_and_removed_with_their_milestones(world, api_as):
    _plan, goal, milestones = plan_with_goal(world.case)
    client = api_as("prob.officer")
    ok = client.patch(f"/api/v1/goals/{goal.pk}/", {"version": 1, "description": "Weekly calls"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/goals/{goal.pk}/", {"version": 1, "description": "Other"}, format="json")
    assert stale.status_code == 409
    assert api_as("police.liaison").delete(f"/api/v1/goals/{goal.pk}/").status_code == 403
    assert client.delete(f"/api/v1/goals/{goal.pk}/").status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert not Milestone.objects.filter(pk=milestones[0].pk).exists()
    assert AuditEvent.objects.filter(object_type="plan_goal", action="delete", object_id=str(goal.pk)).exists()


def test_a_goal_patch_without_version_is_refused_and_changes_nothing(world, api_as):
    # Issue 12: without the version it read, an edit could silently overwrite another user's (API.md).
    _plan, goal, _ = plan_with_goal(world.case)
    answer = api_as("prob.officer").patch(f"/api/v1/goals/{goal.pk}/", {"description": "Overwritten"}, format="json")
    assert answer.status_code == 400 and "version" in answer.json()
    goal.refresh_from_db()
    assert goal.description == "Restore contact with her mother and the children." and goal.version == 1


# --- milestones -------------------------------------------------------------------------------------------------------


def test_milestones_are_added_and_achieved_by_plan_writers(world, api_as):
    _plan, goal, _ = plan_with_goal(world.case, milestones=0)
    client = api_as("exit.worker")
    target = str(today() + timedelta(days=30))
    created = client.post(
        f"/api/v1/goals/{goal.pk}/milestones/", {"description": "First visit", "target_on": target}, format="json"
    )
    assert created.status_code == 201, created.json()
    milestone_id = created.json()["id"]
    assert created.json()["target_on"] == target and created.json()["achieved"] is False
    done = client.post(
        f"/api/v1/milestones/{milestone_id}/achieve/", {"achieved_on": str(today()), "note": "Went well"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["achieved_on"] == str(today()) and done.json()["note"] == "Went well"
    again = client.post(f"/api/v1/milestones/{milestone_id}/achieve/", {"achieved_on": str(today())}, format="json")
    assert again.status_code == 400


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 403), ("mh.clinician", 403), ("dpo", 404)])
def test_others_cannot_add_or_achieve_milestones(world, api_as, username, status):
    _plan, goal, milestones = plan_with_goal(world.case)
    client = api_as(username)
    add = client.post(f"/api/v1/goals/{goal.pk}/milestones/", {"description": "x", "target_on": "2030-01-01"})
    achieve = client.post(f"/api/v1/milestones/{milestones[0].pk}/achieve/", {"achieved_on": str(today())})
    assert (add.status_code, achieve.status_code) == (status, status)
    milestones[0].refresh_from_db()
    assert milestones[0].achieved_on is None


def test_bad_milestones_are_400(world, api_as):
    _plan, goal, milestones = plan_with_goal(world.case)
    client = api_as("prob.officer")
    assert client.post(f"/api/v1/goals/{goal.pk}/milestones/", {"description": "x"}).status_code == 400
    future = client.post(
        f"/api/v1/milestones/{milestones[0].pk}/achieve/", {"achieved_on": str(today() + timedelta(days=3))}
    )
    assert future.status_code == 400 and "achieved_on" in future.json()


def test_mentoring_sees_the_milestone_assigned_to_it_and_nothing_else_of_the_plan(world, api_as):
    """R8: mentor.one sees the milestone assigned to mentor-network, not the plan, the goal or other milestones."""
    plan, goal, milestones = plan_with_goal(world.case, milestones=1)
    assigned = actions.do_add_milestone(
        goal,
        description="Meet the mentor at the library",
        target_on=today() + timedelta(days=7),
        assigned_organisation=org("mentor-network"),
        acting_user=user("pn.casemanager"),
    )
    mentor = api_as("mentor.one")
    seen = mentor.get(f"/api/v1/milestones/{assigned.pk}/")
    assert seen.status_code == 200
    assert seen.json()["description"] == "Meet the mentor at the library"
    assert seen.json()["assigned_organisation"] == "mentor-network"
    for url in (
        f"/api/v1/milestones/{milestones[0].pk}/",
        f"/api/v1/goals/{goal.pk}/",
        f"/api/v1/plans/{plan.pk}/",
        f"/api/v1/cases/{world.case.pk}/plan/",
    ):
        assert mentor.get(url).status_code == 404, url
    # And mentoring cannot achieve it: it reads, the plan's writers write.
    assert mentor.post(f"/api/v1/milestones/{assigned.pk}/achieve/", {"achieved_on": str(today())}).status_code == 403
    # Assigning to an organisation outside the case is refused.
    with pytest.raises(ValidationError):
        actions.do_add_milestone(
            goal,
            description="x",
            target_on=today(),
            assigned_organisation=org("prison-south"),
            acting_user=user("pn.casemanager"),
        )


# --- the person's agreement -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["agrees", "partly_agrees", "disagrees"])
def test_a_practitioner_records_the_persons_position_in_their_words(world, api_as, position):
    plan, _goal, _ = plan_with_goal(world.case)
    response = api_as("exit.worker").post(
        f"/api/v1/plans/{plan.pk}/agreement/",
        {"position": position, "persons_words": "I want this, but not the imam part."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    agreement = response.json()["agreement"]
    assert agreement["position"] == position and agreement["recorded_by"] == "exit.worker"
    assert agreement["persons_words"] == "I want this, but not the imam part."


def test_could_not_answer_without_a_reason_is_400(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    client = api_as("prob.officer")
    response = client.post(f"/api/v1/plans/{plan.pk}/agreement/", {"position": "could_not_answer"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    plan.refresh_from_db()
    assert plan.agreement_position == ""
    ok = client.post(
        f"/api/v1/plans/{plan.pk}/agreement/",
        {"position": "could_not_answer", "reason": "In hospital after surgery; asked again next month."},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["agreement"]["reason"].startswith("In hospital")


@pytest.mark.parametrize(
    ("username", "status"), [("police.liaison", 403), ("family.counsellor", 403), ("mentor.one", 404), ("admin", 404)]
)
def test_only_plan_writers_record_the_agreement(world, api_as, username, status):
    plan, _goal, _ = plan_with_goal(world.case)
    response = api_as(username).post(
        f"/api/v1/plans/{plan.pk}/agreement/", {"position": "agrees", "persons_words": "Yes"}, format="json"
    )
    assert response.status_code == status


def test_an_unknown_position_is_400(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    response = api_as("prob.officer").post(
        f"/api/v1/plans/{plan.pk}/agreement/", {"position": "maybe", "persons_words": "Yes"}, format="json"
    )
    assert response.status_code == 400 and "position" in response.json()


# --- interventions ---------------------------------------------------------------------------------------------------


def _intervention(world, **overrides):
    data = {
        "type": "trauma_therapy",
        "provider_organisation": "mental-health",
        "practitioner": "mh.clinician",
        "voluntary": True,
        "starts_on": str(today() - timedelta(days=60)),
        "frequency": "weekly",
        **overrides,
    }
    return data


def test_trauma_therapy_is_health_information_invisible_to_police_and_probation(world, api_as):
    response = api_as("mh.clinician").post(
        f"/api/v1/cases/{world.case.pk}/interventions/", _intervention(world), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["category"] == "mental_health" and body["type_label"] == "Trauma therapy"
    for username in ("police.liaison", "prob.officer", "pn.casemanager"):
        client = api_as(username)
        assert client.get(f"/api/v1/interventions/{body['id']}/").json() == NOT_FOUND
        assert client.get(f"/api/v1/cases/{world.case.pk}/interventions/").json()["count"] == 0
    assert api_as("mh.clinician").get(f"/api/v1/cases/{world.case.pk}/interventions/").json()["count"] == 1


@pytest.mark.parametrize(
    ("intervention_type", "category"),
    [
        ("psychological_support", "mental_health"),
        ("ideological_dialogue", "ideology"),
        ("religious_counselling", "ideology"),
        ("family_counselling", "family"),
        ("parenting_support", "family"),
        ("mentoring", "daily_life"),
        ("education", "daily_life"),
        ("vocational_training", "daily_life"),
        ("employment_support", "daily_life"),
        ("housing_support", "daily_life"),
    ],
)
def test_an_interventions_category_follows_its_type(intervention_type, category):
    assert actions.intervention_category(intervention_type) == category


def test_other_interventions_need_a_category_the_author_may_write(world, api_as):
    client = api_as("prob.officer")
    base = _intervention(world, type="other", provider_organisation="probation", practitioner="prob.officer")
    assert client.post(f"/api/v1/cases/{world.case.pk}/interventions/", base, format="json").status_code == 400
    refused = client.post(
        f"/api/v1/cases/{world.case.pk}/interventions/", {**base, "category": "mental_health"}, format="json"
    )
    assert refused.status_code == 403
    ok = client.post(f"/api/v1/cases/{world.case.pk}/interventions/", {**base, "category": "plan"}, format="json")
    assert ok.status_code == 201 and ok.json()["category"] == "plan"


@pytest.mark.parametrize(
    ("username", "status"),
    [("prob.officer", 201), ("exit.worker", 201), ("police.liaison", 403), ("mentor.one", 403), ("dpo", 404)],
)
def test_who_may_add_a_mentoring_intervention(world, api_as, username, status):
    data = _intervention(
        world, type="mentoring", provider_organisation="mentor-network", practitioner="mentor.one", voluntary=False
    )
    response = api_as(username).post(f"/api/v1/cases/{world.case.pk}/interventions/", data, format="json")
    assert response.status_code == status
    if status == 201:
        assert response.json()["voluntary"] is False and response.json()["category"] == "daily_life"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "yoga"}, "type"),
        ({"provider_organisation": "prison-south"}, "provider_organisation"),
        ({"practitioner": "prob.officer"}, "practitioner"),  # not of the provider
        ({"starts_on": "soon"}, "starts_on"),
    ],
)
def test_bad_interventions_are_400(world, api_as, change, field):
    response = api_as("mh.clinician").post(
        f"/api/v1/cases/{world.case.pk}/interventions/", _intervention(world, **change), format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not Intervention.objects.exists()


def test_sessions_are_recorded_with_attendance_and_the_intervention_ends(world, api_as):
    client = api_as("exit.worker")
    created = client.post(
        f"/api/v1/cases/{world.case.pk}/interventions/",
        _intervention(world, type="ideological_dialogue", provider_organisation="exit-ngo", practitioner=None),
        format="json",
    ).json()
    url = f"/api/v1/interventions/{created['id']}/"
    for days, attended in ((30, True), (20, False), (10, True)):
        response = client.post(
            url + "sessions/", {"held_on": str(today() - timedelta(days=days)), "attended": attended}, format="json"
        )
        assert response.status_code == 201
    body = client.get(url).json()
    assert (body["sessions_held"], body["sessions_attended"]) == (3, 2)
    assert body["last_session_on"] == str(today() - timedelta(days=10))
    assert len(body["sessions"]) == 3
    # Police read ideology: they see the intervention, but do not record its sessions.
    assert api_as("police.liaison").get(url).status_code == 200
    assert (
        api_as("police.liaison").post(url + "sessions/", {"held_on": str(today()), "attended": True}).status_code == 403
    )
    # Family counselling does not read ideology: the intervention is not there for them.
    assert (
        api_as("family.counsellor").post(url + "sessions/", {"held_on": str(today()), "attended": True}).status_code
        == 404
    )
    future = client.post(url + "sessions/", {"held_on": str(today() + timedelta(days=2)), "attended": True})
    assert future.status_code == 400
    ended = client.post(url + "end/", {"ends_on": str(today()), "outcome_note": "Completed"}, format="json")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert client.post(url + "end/", {"ends_on": str(today())}).status_code == 400
    assert InterventionSession.objects.count() == 3


# --- query counts -----------------------------------------------------------------------------------------------------


def test_reading_a_plan_costs_the_same_queries_as_goals_and_milestones_grow(world, api_as):
    plan, _goal, _ = plan_with_goal(world.case)
    client = api_as("prob.officer")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/cases/{world.case.pk}/plan/").status_code == 200
        return len(queries)

    cost()  # the first request of a token also records its first use
    few = cost()
    fill(plan, goals=8, milestones_each=4)
    assert cost() <= few


def test_listing_interventions_costs_the_same_queries_as_they_grow(world, api_as):
    client = api_as("exit.worker")
    data = _intervention(world, type="education", provider_organisation="exit-ngo", practitioner="exit.worker")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/cases/{world.case.pk}/interventions/").status_code == 200
        return len(queries)

    client.post(f"/api/v1/cases/{world.case.pk}/interventions/", data, format="json")
    cost()
    few = cost()
    for _ in range(6):
        created = client.post(f"/api/v1/cases/{world.case.pk}/interventions/", data, format="json").json()
        client.post(
            f"/api/v1/interventions/{created['id']}/sessions/",
            {"held_on": str(today()), "attended": True},
            format="json",
        )
    assert cost() <= few
