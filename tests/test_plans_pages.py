"""The plan pages (issue 6): the case page's plan and interventions sections, the plan page and its
forms (with the 409 handling that keeps the user's text), "My plan" for the person, interventions and
sessions, and the home page's overdue milestones. Allow and deny across organisation types.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.cases.models import CaseMember
from continuum.plans import actions
from continuum.plans.models import Goal, Intervention, InterventionSession, Milestone, Plan
from tests.plans_world import PLAN_READERS, PLAN_WRITERS, agree, fill, org, plan_with_goal, today, user

pytestmark = pytest.mark.django_db


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def _text(response) -> str:
    return response.content.decode()


# --- the case page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PLAN_WRITERS + PLAN_READERS)
def test_the_case_page_shows_the_plan_with_progress_and_the_persons_words(world, username):
    _plan, _goal, milestones = plan_with_goal(world.case, milestones=2)
    actions.do_achieve_milestone(milestones[0], achieved_on=today(), acting_user=user("pn.casemanager"))
    page = _text(client_as(username).get(f"/cases/{world.case.pk}/parts/plan/"))
    assert 'id="plan-heading"' in page
    assert "Revision 1: draft." in page
    assert "when the organisations agree it in a case conference (MAR meeting)" in page
    assert "I want my children to know me again." in page
    assert "1 of 2 milestones achieved." in page
    assert "Achieved on" in page
    writes = username in PLAN_WRITERS
    assert ("Open the plan to work on it" in page) is writes


def test_overdue_milestones_are_flagged_in_words(world):
    _plan, goal, _ = plan_with_goal(world.case, milestones=0)
    actions.do_add_milestone(
        goal, description="Call the school", target_on=today() - timedelta(days=2), acting_user=user("pn.casemanager")
    )
    page = _text(client_as("prob.officer").get(f"/cases/{world.case.pk}/parts/plan/"))
    assert "Overdue since" in page and "0 of 1 milestone achieved, 1 overdue." in page


@pytest.mark.parametrize("username", ["mentor.one", "ps.casemanager", "dpo"])
def test_the_plan_is_not_on_the_case_page_of_those_who_may_not_see_it(world, username):
    plan_with_goal(world.case)
    response = client_as(username).get(f"/cases/{world.case.pk}/parts/plan/")
    if username == "mentor.one":
        page = _text(response)
        assert response.status_code == 200
        assert "I want my children" not in page and "Revision 1" not in page
        assert "no plan" not in page.lower()  # and no word about whether there is one
    else:
        assert response.status_code in (403, 404)


def test_mentoring_sees_only_the_steps_assigned_to_it(world):
    plan, goal, milestones = plan_with_goal(world.case)
    actions.do_add_milestone(
        goal,
        description="Library visit with the mentor",
        target_on=today() + timedelta(days=5),
        assigned_organisation=org("mentor-network"),
        acting_user=user("pn.casemanager"),
    )
    page = _text(client_as("mentor.one").get(f"/cases/{world.case.pk}/parts/plan/"))
    assert "Steps your organisation helps with" in page and "Library visit with the mentor" in page
    assert milestones[0].description not in page and goal.description not in page
    assert client_as("mentor.one").get(f"/plans/{plan.pk}/").status_code == 404


def test_a_goal_withheld_from_police_is_not_on_their_pages(world):
    plan, goal, milestones = plan_with_goal(world.case, withhold_from=["police"])
    police = client_as("police.liaison")
    for url in (f"/cases/{world.case.pk}/parts/plan/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/print/"):
        page = _text(police.get(url))
        assert goal.persons_own_words not in page and milestones[0].description not in page, url


def test_the_case_pages_plan_part_costs_the_same_queries_as_the_plan_grows(world):
    plan, _goal, _ = plan_with_goal(world.case)
    client = client_as("prob.officer")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cases/{world.case.pk}/parts/plan/").status_code == 200
        return len(queries)

    def add_intervention() -> None:
        intervention = actions.do_add_intervention(
            world.case,
            type="education",
            provider_organisation=org("probation"),
            starts_on=today() - timedelta(days=10),
            acting_user=user("prob.officer"),
        )
        actions.do_record_session(intervention, held_on=today(), attended=True, acting_user=user("prob.officer"))

    add_intervention()
    cost()
    few = cost()
    fill(plan, goals=8, milestones_each=4)
    for _ in range(5):
        add_intervention()
    assert cost() <= few <= 30


# --- starting plans -------------------------------------------------------------------------------------------------


def test_a_plan_writer_starts_a_plan_from_the_case_page(world):
    client = client_as("prob.officer")
    assert "Start a plan with the person" in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))
    response = client.post(f"/plans/cases/{world.case.pk}/start/")
    plan = Plan.objects.get(case=world.case)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 403), ("ps.casemanager", 404)])
def test_others_cannot_start_a_plan(world, username, status):
    client = client_as(username)
    if username == "police.liaison":
        assert "Start a plan" not in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))
    assert client.post(f"/plans/cases/{world.case.pk}/start/").status_code == status
    assert not Plan.objects.exists()


# --- the plan page and its forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status", "forms"),
    [("pn.casemanager", 200, True), ("police.liaison", 200, False), ("mentor.one", 404, False), ("admin", 404, False)],
)
def test_the_plan_page_for_writers_readers_and_others(world, username, status, forms):
    plan, _goal, _ = plan_with_goal(world.case)
    response = client_as(username).get(f"/plans/{plan.pk}/")
    assert response.status_code == status
    if status == 200:
        page = _text(response)
        assert "Nobody can mark it as agreed here." in page
        assert ("Add a goal" in page) is forms and ("Record the person" in page) is forms
        assert "agreed" not in [v.lower() for v in response.context["agreement_form"].fields] if forms else True


def test_adding_a_goal_and_a_milestone_and_achieving_it(world):
    plan, _goal, _ = plan_with_goal(world.case, milestones=0)
    client = client_as("exit.worker")
    response = client.post(
        f"/plans/{plan.pk}/goals/",
        {
            "focus_area": "ideology",
            "persons_own_words": "I want to talk to someone who knows the texts.",
            "description": "Conversations with an imam.",
            "owner_organisation": "exit-ngo",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan, focus_area="ideology")
    response = client.post(
        f"/plans/goals/{goal.pk}/milestones/",
        {"description": "First talk", "target_on": str(today() + timedelta(days=7)), "assigned_organisation": ""},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(goal=goal)
    response = client.post(
        f"/plans/milestones/{milestone.pk}/achieve/", {"achieved_on": str(today()), "note": "Good talk"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.achieved_on == today()
    page = _text(client.get(f"/plans/{plan.pk}/"))
    assert "I want to talk to someone who knows the texts." in page and "Achieved on" in page


def test_bad_goal_input_shows_errors_and_writes_nothing(world):
    plan, _goal, _ = plan_with_goal(world.case)
    response = client_as("prob.officer").post(
        f"/plans/{plan.pk}/goals/", {"focus_area": "luck", "description": "", "owner_organisation": "prison-south"}
    )
    assert response.status_code == 400
    assert Goal.objects.filter(plan=plan).count() == 1
    assert response.context["goal_form"].errors.keys() >= {"focus_area", "description", "owner_organisation"}


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 403), ("mentor.one", 404)])
def test_others_cannot_use_the_plan_forms(world, username, status):
    plan, goal, milestones = plan_with_goal(world.case)
    client = client_as(username)
    posts = [
        (f"/plans/{plan.pk}/update/", {"summary": "x", "version": 1}),
        (f"/plans/{plan.pk}/goals/", {"focus_area": "family", "description": "x", "owner_organisation": "probation"}),
        (f"/plans/{plan.pk}/agreement/", {"position": "agrees", "persons_words": "x", "recorded_on": str(today())}),
        (f"/plans/milestones/{milestones[0].pk}/achieve/", {"achieved_on": str(today())}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == status, url
    goal_status = 403 if username == "police.liaison" else 404
    assert client.post(f"/plans/goals/{goal.pk}/milestones/", {"description": "x"}).status_code == goal_status
    plan.refresh_from_db()
    assert plan.summary != "x" and not plan.has_agreement


def test_recording_the_persons_agreement_and_could_not_answer_needs_a_reason(world):
    plan, _goal, _ = plan_with_goal(world.case)
    client = client_as("pn.casemanager")
    refused = client.post(f"/plans/{plan.pk}/agreement/", {"position": "could_not_answer", "recorded_on": str(today())})
    assert refused.status_code == 400
    assert "reason" in refused.context["agreement_form"].errors
    ok = client.post(
        f"/plans/{plan.pk}/agreement/",
        {"position": "agrees", "persons_words": "This is my plan.", "recorded_on": str(today())},
    )
    assert ok.status_code == 302
    assert "This is my plan." in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))


def test_the_second_editor_gets_a_409_and_keeps_their_text(world):
    """Two users edit the same version: the second sees the first one's text AND keeps their own."""
    plan, _goal, _ = plan_with_goal(world.case)
    first, second = client_as("pn.casemanager"), client_as("prob.officer")
    version = first.get(f"/plans/{plan.pk}/").context["summary_form"].initial["version"]
    assert second.get(f"/plans/{plan.pk}/").context["summary_form"].initial["version"] == version
    saved = first.post(f"/plans/{plan.pk}/update/", {"summary": "The prison's new summary.", "version": version})
    assert saved.status_code == 302
    stale = second.post(f"/plans/{plan.pk}/update/", {"summary": "Probation's careful wording.", "version": version})
    assert stale.status_code == 409
    page = _text(stale)
    assert "Someone else saved this plan" in page
    assert "The prison&#x27;s new summary." in page  # theirs, shown
    assert "Probation&#x27;s careful wording." in page  # mine, still in the form
    form = stale.context["summary_form"]
    assert form.data["summary"] == "Probation's careful wording." and form.data["version"] == str(version + 1)
    plan.refresh_from_db()
    assert plan.summary == "The prison's new summary."
    # Saving again from that form now works.
    again = second.post(f"/plans/{plan.pk}/update/", dict(form.data.items()))
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.summary == "Probation's careful wording."


def test_an_agreed_plan_has_no_forms_but_milestones_can_be_achieved(world):
    plan, _goal, milestones = plan_with_goal(world.case)
    plan = agree(plan)
    client = client_as("pn.casemanager")
    page = _text(client.get(f"/plans/{plan.pk}/"))
    assert "Add a goal" not in page and "Change what the plan is about" not in page
    assert "An agreed plan does not change" in page
    assert client.post(f"/plans/{plan.pk}/update/", {"summary": "x", "version": plan.version}).status_code == 400
    assert (
        client.post(f"/plans/milestones/{milestones[0].pk}/achieve/", {"achieved_on": str(today())}).status_code == 302
    )
    assert "Start a new revision of the plan" in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))
    assert client.post(f"/plans/cases/{world.case.pk}/start/").status_code == 302
    assert Plan.objects.filter(case=world.case, status="draft", revision=2).exists()


# --- My plan ----------------------------------------------------------------------------------------------------------


def test_my_plan_prints_in_plain_words_with_the_persons_words_first(world):
    plan, goal, milestones = plan_with_goal(world.case)
    actions.do_record_agreement(
        plan, position="agrees", persons_words="I want this.", acting_user=user("pn.casemanager")
    )
    response = client_as("pn.casemanager").get(f"/plans/{plan.pk}/print/")
    assert response.status_code == 200
    page = _text(response)
    assert "My plan" in page and "@media print" not in page  # print CSS lives in its own file
    assert "plans/my-plan.css" in page
    assert page.index(goal.persons_own_words) < page.index(goal.description)
    assert "Who helps me: Family Counselling Service." in page
    assert "My next steps" in page and milestones[0].description in page
    for jargon in ("risk", "Risk", "focus area", "category", "matrix", "withheld"):
        assert jargon not in page, jargon


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 200), ("mentor.one", 404), ("evaluator", 404)])
def test_my_plan_shows_only_what_the_practitioner_may_see(world, username, status):
    plan, _goal, _ = plan_with_goal(world.case)
    assert client_as(username).get(f"/plans/{plan.pk}/print/").status_code == status


# --- interventions ----------------------------------------------------------------------------------------------------


def test_adding_an_intervention_and_recording_sessions_shows_attendance_on_the_case(world):
    client = client_as("exit.worker")
    assert client.get(f"/plans/cases/{world.case.pk}/interventions/new/").status_code == 200
    response = client.post(
        f"/plans/cases/{world.case.pk}/interventions/new/",
        {
            "type": "religious_counselling",
            "provider_organisation": "exit-ngo",
            "practitioner": "exit.worker",
            "voluntary": "true",
            "starts_on": str(today() - timedelta(days=30)),
            "frequency": "weekly",
        },
    )
    assert response.status_code == 302
    intervention = Intervention.objects.get()
    assert intervention.category == "ideology"
    for days, attended in ((20, "true"), (13, "false"), (6, "true")):
        ok = client.post(
            f"/plans/interventions/{intervention.pk}/sessions/",
            {"held_on": str(today() - timedelta(days=days)), "attended": attended},
        )
        assert ok.status_code == 302
    page = _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))
    assert "Religious counselling" in page and "2 of 3 sessions attended, last on" in page and "Voluntary" in page
    bad = client.post(f"/plans/interventions/{intervention.pk}/sessions/", {"held_on": "", "attended": "true"})
    assert bad.status_code == 400 and InterventionSession.objects.count() == 3
    ended = client.post(f"/plans/interventions/{intervention.pk}/end/", {"ends_on": str(today())})
    assert ended.status_code == 302
    assert "Ended" in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))


def test_trauma_therapy_is_not_on_the_pages_of_police_or_probation(world):
    therapy = actions.do_add_intervention(
        world.case,
        type="trauma_therapy",
        provider_organisation=org("mental-health"),
        practitioner=user("mh.clinician"),
        starts_on=today() - timedelta(days=14),
        acting_user=user("mh.clinician"),
    )
    assert "Trauma therapy" in _text(client_as("mh.clinician").get(f"/cases/{world.case.pk}/parts/plan/"))
    for username in ("police.liaison", "prob.officer"):
        client = client_as(username)
        interventions = _text(client.get(f"/cases/{world.case.pk}/parts/plan/")).split('id="interventions-heading"')[1]
        assert "Trauma therapy" not in interventions
        assert client.get(f"/plans/interventions/{therapy.pk}/").status_code == 404
        assert client.post(f"/plans/interventions/{therapy.pk}/sessions/", {}).status_code == 404


def test_police_may_record_only_other_interventions_in_what_they_write(world):
    """Police write identity, legal and security: no listed kind of intervention, only "other" in those."""
    client = client_as("police.liaison")
    form = client.get(f"/plans/cases/{world.case.pk}/interventions/new/").context["form"]
    assert [c for c, _ in form.fields["category"].choices if c] == ["identity", "legal", "security"]
    response = client.post(
        f"/plans/cases/{world.case.pk}/interventions/new/",
        {
            "type": "mentoring",
            "provider_organisation": "mentor-network",
            "voluntary": "true",
            "starts_on": str(today()),
        },
    )
    assert response.status_code == 400
    assert "may not record this kind of intervention" in _text(response)
    assert not Intervention.objects.exists()


@pytest.mark.parametrize(("username", "status"), [("mentor.one", 403), ("dpo", 404), ("ps.casemanager", 404)])
def test_others_cannot_add_interventions(world, username, status):
    client = client_as(username)
    assert client.get(f"/plans/cases/{world.case.pk}/interventions/new/").status_code == status
    assert "Add an intervention" not in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))
    assert not Intervention.objects.exists()


def test_a_mandated_mentoring_intervention_by_probation(world):
    client = client_as("prob.officer")
    response = client.post(
        f"/plans/cases/{world.case.pk}/interventions/new/",
        {
            "type": "mentoring",
            "provider_organisation": "mentor-network",
            "practitioner": "mentor.one",
            "voluntary": "false",
            "starts_on": str(today()),
        },
    )
    assert response.status_code == 302
    assert "Mandated" in _text(client.get(f"/cases/{world.case.pk}/parts/plan/"))


# --- the home page ----------------------------------------------------------------------------------------------------


def test_the_home_page_lists_overdue_milestones_of_my_cases(world):
    plan, goal, _ = plan_with_goal(world.case, milestones=0)
    actions.do_add_milestone(
        goal, description="Call the school", target_on=today() - timedelta(days=3), acting_user=user("pn.casemanager")
    )
    assert CaseMember.objects.filter(case=world.case, responsible__username="prob.officer").exists()
    page = _text(client_as("prob.officer").get("/"))
    assert "Overdue milestones in my cases" in page and "Call the school" in page
    # Not responsible for the case (Prison South is not even a member): nothing.
    assert "Call the school" not in _text(client_as("ps.casemanager").get("/"))
    # The same step copied into a new draft revision is listed once.
    agree(plan)
    actions.do_start_plan_revision(world.case, acting_user=user("prob.officer"))
    assert _text(client_as("prob.officer").get("/")).count("Call the school") == 1


# --- whose step it is (issue 12, item 7) ------------------------------------------------------------------


def _exit_programme_step(case) -> Milestone:
    plan, _goal, _ = plan_with_goal(case, milestones=0)
    goal = actions.do_add_goal(
        plan,
        focus_area="ideology",
        description="Talks with the exit worker about leaving the movement.",
        owner_organisation=org("exit-ngo"),
        acting_user=user("pn.casemanager"),
    )
    return actions.do_add_milestone(
        goal, description="Third talk", target_on=today() + timedelta(days=7), acting_user=user("pn.casemanager")
    )


def test_probation_cannot_tick_off_the_exit_programmes_step(world, browser_as, api_as):
    step = _exit_programme_step(world.case)
    page = browser_as("prob.officer").get(f"/plans/{step.goal.plan_id}/").content.decode()
    assert "Third talk" in page and f"/plans/milestones/{step.pk}/achieve/" not in page
    assert (
        browser_as("prob.officer").post(f"/plans/milestones/{step.pk}/achieve/", {"achieved_on": today()}).status_code
        == 403
    )
    answer = api_as("prob.officer").post(
        f"/api/v1/milestones/{step.pk}/achieve/", {"achieved_on": str(today())}, format="json"
    )
    assert answer.status_code == 403 and "assigned to" in answer.json()["detail"]
    step.refresh_from_db()
    assert step.achieved_on is None


def test_the_exit_programme_ticks_off_its_own_step(world, browser_as):
    step = _exit_programme_step(world.case)
    client = browser_as("exit.worker")
    assert f"/plans/milestones/{step.pk}/achieve/" in client.get(f"/plans/{step.goal.plan_id}/").content.decode()
    assert client.post(f"/plans/milestones/{step.pk}/achieve/", {"achieved_on": today()}).status_code == 302
    step.refresh_from_db()
    assert step.achieved_on == today()


def test_a_step_of_an_organisation_that_does_not_write_the_plan_is_recorded_for_it(world, browser_as):
    # plan_with_goal's goal is owned by Family Counselling, which reads the plan but does not write it.
    _plan, _goal, (step,) = plan_with_goal(world.case)
    assert (
        browser_as("prob.officer").post(f"/plans/milestones/{step.pk}/achieve/", {"achieved_on": today()}).status_code
        == 302
    )
    step.refresh_from_db()
    assert step.achieved_on == today()


def test_removing_a_goal_asks_for_confirmation(world, browser_as):
    plan, goal, _ = plan_with_goal(world.case)
    client = browser_as("pn.casemanager")
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'name="confirm" value="yes" required' in page
    unconfirmed = client.post(f"/plans/goals/{goal.pk}/remove/", follow=True)
    assert "tick the box to confirm" in unconfirmed.content.decode()
    assert Goal.objects.filter(pk=goal.pk).exists()
    client.post(f"/plans/goals/{goal.pk}/remove/", {"confirm": "yes"})
    assert not Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize("username", PLAN_READERS)
def test_readers_cannot_remove_a_goal_even_when_confirming(world, browser_as, username):
    _plan, goal, _ = plan_with_goal(world.case)
    assert browser_as(username).post(f"/plans/goals/{goal.pk}/remove/", {"confirm": "yes"}).status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()
