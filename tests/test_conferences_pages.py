"""The conference pages (issue 6): the list, scheduling, the meeting page with attendance and the
confidentiality acknowledgement, positions, actions, minutes, open actions, the case page's section,
the home page and the navigation. Allow and deny across organisation types; bounded queries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.conferences import actions
from continuum.conferences.demo import meeting_day
from continuum.conferences.models import Conference, ConferenceAction, Decision, Position
from continuum.conferences.views import coming_days
from tests.conference_world import MAR_PARTICIPANTS, acknowledge, schedule, user

pytestmark = pytest.mark.django_db


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def nav(response) -> str:
    page = response.content.decode()
    start = page.index('<nav aria-label="Main">')
    return page[start : page.index("</nav>", start)]


def propose(conference, case, by="prob.officer", text="Start the housing application."):
    return actions.do_propose_decision(conference, case=case, text=text, acting_user=user(by))


# --- list and navigation --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["prob.officer", "pn.casemanager", "muni.coordinator"])
def test_participants_find_the_conference_in_this_weeks_list(world, browser_as, username):
    schedule([world.case], title="Thursday MAR")
    response = browser_as(username).get("/conferences/")
    assert response.status_code == 200
    assert "Thursday MAR" in main(response)
    assert "Conferences" in nav(response)


def test_other_organisations_do_not_see_it_and_administrators_have_no_conference_pages(world, browser_as):
    schedule([world.case], title="Thursday MAR")
    assert "Thursday MAR" not in main(browser_as("exit.worker").get("/conferences/"))
    for username in ("admin", "dpo", "evaluator"):
        client = browser_as(username)
        assert client.get("/conferences/").status_code == 403
        assert client.get("/conferences/actions/").status_code == 403
        assert "Conferences" not in nav(client.get("/"))


def test_the_list_costs_the_same_queries_as_conferences_grow(world, browser_as):
    client = browser_as("prob.officer")
    schedule([world.case])
    with CaptureQueriesContext(connection) as one:
        client.get("/conferences/")
    for days in range(1, 8):
        schedule(
            [world.case, world.other_case],
            by="prob.officer",
            chair="probation",
            scheduled_at=timezone.now() - timedelta(days=days * 10),
            recurrence="weekly" if days % 2 else "none",
        )
    with CaptureQueriesContext(connection) as eight:
        client.get("/conferences/")
    assert len(eight) <= len(one)


# --- scheduling -----------------------------------------------------------------------------------------


def test_a_case_manager_schedules_a_mar_meeting_from_the_form(world, browser_as):
    client = browser_as("pn.casemanager")
    assert client.get("/conferences/new/").status_code == 200
    response = client.post(
        "/conferences/new/",
        {
            "kind": "mar_meeting",
            "title": "MAR meeting",
            "scheduled_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "location": "Room 1",
            "recurrence": "every_two_weeks",
            "chair_organisation": "prison-north",
            "participants": MAR_PARTICIPANTS,
            "cases": [str(world.case.pk)],
        },
    )
    conference = Conference.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/conferences/{conference.pk}/"
    assert conference.recurrence == "every_two_weeks"
    assert len(conference.occurrences(count=3)) == 3


def test_the_form_shows_the_actions_errors_and_writes_nothing(world, browser_as):
    response = browser_as("pn.casemanager").post(
        "/conferences/new/",
        {
            "kind": "mar_meeting",
            "title": "MAR",
            "scheduled_at": "2030-01-01T10:00",
            "duration_minutes": "60",
            "recurrence": "none",
            "chair_organisation": "prison-north",
            "participants": ["police"],
            "cases": [],
        },
    )
    assert response.status_code == 200
    assert "This field is required" in main(response)
    assert not Conference.objects.exists()


@pytest.mark.parametrize("username", ["police.liaison", "exit.worker", "pn.psychologist", "admin"])
def test_others_may_not_open_the_scheduling_form(world, browser_as, username):
    assert browser_as(username).get("/conferences/new/").status_code == 403


# --- the meeting page -----------------------------------------------------------------------------------


def test_case_content_is_shown_only_after_acknowledging_confidentiality(world, browser_as):
    conference = schedule([world.case])
    propose(conference, world.case, text="Start the housing application.")
    client = browser_as("muni.coordinator")
    before = main(client.get(f"/conferences/{conference.pk}/"))
    assert world.case.number not in before and "housing application" not in before
    assert "acknowledge" in before
    response = client.post(f"/conferences/{conference.pk}/attendance/", {"present": "on", "acknowledge": "on"})
    assert response.status_code == 302
    after = main(client.get(f"/conferences/{conference.pk}/"))
    assert world.case.number in after
    assert "Start the housing application." in after
    assert "Waiting for Harbour Municipality, Prison North and Probation Service" in after


def test_a_participant_sees_only_the_agenda_cases_it_is_a_member_of(world, browser_as):
    conference = schedule([world.case, world.other_case], by="prob.officer", chair="probation")
    acknowledge(conference, "pn.casemanager")
    page = main(browser_as("pn.casemanager").get(f"/conferences/{conference.pk}/"))
    assert world.case.number in page
    assert world.other_case.number not in page and world.bilal.reference not in page


@pytest.mark.parametrize("username", ["exit.worker", "ps.casemanager", "mentor.one"])
def test_the_meeting_page_is_not_there_for_non_participants(world, browser_as, username):
    conference = schedule([world.case])
    client = browser_as(username)
    assert client.get(f"/conferences/{conference.pk}/").status_code == 404
    assert client.post(f"/conferences/{conference.pk}/attendance/", {"acknowledge": "on"}).status_code == 404


def test_organisations_give_positions_from_the_page_and_see_the_status_in_plain_words(world, browser_as):
    conference = schedule([world.case])
    decision = propose(conference, world.case)
    acknowledge(conference, "pn.casemanager", "prob.officer", "muni.coordinator")
    browser_as("pn.casemanager").post(f"/conferences/decisions/{decision.pk}/position/", {"position": "agree"})
    client = browser_as("muni.coordinator")
    client.post(f"/conferences/decisions/{decision.pk}/position/", {"position": "disagree", "comment": ""})
    assert not Position.objects.filter(organisation__slug="municipality-harbour").exists()  # a reason is needed
    client.post(f"/conferences/decisions/{decision.pk}/position/", {"position": "disagree", "comment": "No flat yet."})
    page = main(client.get(f"/conferences/{conference.pk}/"))
    assert "Blocked: Harbour Municipality disagrees — No flat yet." in page
    client.post(f"/conferences/decisions/{decision.pk}/position/", {"position": "agree"})
    browser_as("prob.officer").post(f"/conferences/decisions/{decision.pk}/position/", {"position": "agree"})
    decision.refresh_from_db()
    assert decision.status == "agreed"
    assert "Agreed by all" in main(client.get(f"/conferences/{conference.pk}/"))
    # Exit NGO sees the decision (matrix) but does not take part: refused.
    assert (
        browser_as("exit.worker")
        .post(f"/conferences/decisions/{decision.pk}/position/", {"position": "agree"})
        .status_code
        == 403
    )


def test_decisions_actions_and_minutes_from_the_page(world, browser_as):
    conference = schedule([world.case])
    acknowledge(conference, "prob.officer")
    client = browser_as("prob.officer")
    client.post(f"/conferences/{conference.pk}/decisions/", {"case": str(world.case.pk), "text": "Weekly reporting."})
    decision = Decision.objects.get()
    prefix = f"a{decision.pk.hex[:8]}"
    due = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.post(
        f"/conferences/decisions/{decision.pk}/actions/",
        {
            f"{prefix}-description": "Fix the days.",
            f"{prefix}-owner_organisation": "probation",
            f"{prefix}-due_on": due,
        },
    )
    action = ConferenceAction.objects.get()
    client.post(f"/conferences/{conference.pk}/minutes/", {"case": str(world.case.pk), "text": "Discussed reporting."})
    page = main(client.get(f"/conferences/{conference.pk}/"))
    assert "Fix the days." in page and "overdue" in page and "Discussed reporting." in page
    actions_page = main(client.get("/conferences/actions/"))
    assert "Fix the days." in actions_page and "Overdue" in actions_page
    client.post(f"/conferences/actions/{action.pk}/complete/", {"next": "actions"})
    action.refresh_from_db()
    assert action.completed_at is not None
    # Police takes no part here; its users get a 404 for the conference's forms.
    police = browser_as("police.liaison")
    assert (
        police.post(f"/conferences/{conference.pk}/minutes/", {"case": str(world.case.pk), "text": "x"}).status_code
        == 404
    )


def test_the_meeting_page_costs_the_same_queries_as_decisions_and_actions_grow(world, browser_as):
    conference = schedule([world.case])
    acknowledge(conference, "prob.officer")
    client = browser_as("prob.officer")
    propose(conference, world.case)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/conferences/{conference.pk}/").status_code == 200
    for n in range(5):
        decision = propose(conference, world.case, text=f"Decision {n}")
        actions.do_add_conference_action(
            decision,
            description=f"Action {n}",
            owner_organisation=user("prob.officer").organisation,
            due_on=timezone.localdate(),
            acting_user=user("prob.officer"),
        )
        actions.do_record_minutes(conference, case=world.case, text=f"Minutes {n}", acting_user=user("prob.officer"))
    with CaptureQueriesContext(connection) as six:
        assert client.get(f"/conferences/{conference.pk}/").status_code == 200
    assert len(six) <= len(one) + 2  # a disclosure insert once there are others' records


def test_general_minutes_are_kept_by_the_chair(world, browser_as):
    conference = schedule([world.case])
    browser_as("pn.casemanager").post(
        f"/conferences/{conference.pk}/general-minutes/", {"general_minutes": "Next time at 10."}
    )
    conference.refresh_from_db()
    assert conference.general_minutes == "Next time at 10."
    assert (
        browser_as("prob.officer")
        .post(f"/conferences/{conference.pk}/general-minutes/", {"general_minutes": "x"})
        .status_code
        == 403
    )


# --- case page and home ---------------------------------------------------------------------------------


def test_the_case_page_lists_upcoming_conferences_and_open_decisions(world, browser_as):
    conference = schedule([world.case], title="Thursday MAR")
    propose(conference, world.case, text="Start the housing application.")
    page = main(browser_as("prob.officer").get(f"/cases/{world.case.pk}/parts/conferences/"))
    assert "Thursday MAR" in page and "Start the housing application." in page
    # Exit NGO is in the team but not in the conference: it sees the decision (matrix), not the meeting.
    exit_page = main(browser_as("exit.worker").get(f"/cases/{world.case.pk}/parts/conferences/"))
    assert "Thursday MAR" not in exit_page
    assert "Start the housing application." in exit_page
    assert f"/conferences/{conference.pk}/" not in exit_page  # no link to a meeting it cannot open


def test_a_recurring_conference_is_one_record_whose_next_meetings_are_computed(world):
    from datetime import datetime

    start = timezone.make_aware(datetime(2031, 1, 31, 10, 0))
    monthly = schedule([world.case], scheduled_at=start, recurrence="monthly")
    meetings = monthly.occurrences(after=start - timedelta(days=1), count=3)
    assert [(m.month, m.day, m.hour) for m in meetings] == [(1, 31, 10), (2, 28, 10), (3, 31, 10)]
    fortnightly = schedule([world.case], scheduled_at=start, recurrence="every_two_weeks")
    later = fortnightly.occurrences(after=start + timedelta(days=20), count=2)
    assert [m.date().isoformat() for m in later] == ["2031-02-28", "2031-03-14"]
    once = schedule([world.case], scheduled_at=start)
    assert once.occurrences(after=start + timedelta(hours=2)) == []
    assert Conference.objects.count() == 3


def test_home_shows_conferences_this_week_and_overdue_actions(world, browser_as):
    conference = schedule([world.case], title="Thursday MAR", scheduled_at=timezone.now() + timedelta(minutes=30))
    decision = propose(conference, world.case)
    actions.do_add_conference_action(
        decision,
        description="Late",
        owner_organisation=user("muni.coordinator").organisation,
        due_on=timezone.localdate() - timedelta(days=3),
        acting_user=user("prob.officer"),
    )
    page = main(browser_as("muni.coordinator").get("/"))
    assert "Thursday MAR" in page
    assert "Open actions of my organisation: 1" in page and "1 overdue" in page


# --- the plan page: decisions about the plan ------------------------------------------------------------------


def test_the_plan_page_shows_where_its_conference_decision_stands(world, browser_as):
    from continuum.plans.actions import do_create_plan

    conference = schedule([world.case])
    plan = do_create_plan(world.case, summary="Work and a home.", acting_user=user("pn.casemanager"))
    decision = actions.do_propose_decision(
        conference, case=world.case, text="Agree the plan as drafted.", plan=plan, acting_user=user("prob.officer")
    )
    actions.do_give_position(decision, position="agree", acting_user=user("prob.officer"))
    page = main(browser_as("prob.officer").get(f"/plans/{plan.pk}/"))
    assert "In case conferences" in page and "Agree the plan as drafted." in page
    assert "Waiting for Harbour Municipality and Prison North" in page
    assert f'href="/conferences/{conference.pk}/#decision-{decision.pk}"' in page
    # Child welfare reads the decision (matrix) but does not take part in the conference: no link to it.
    child_welfare = main(browser_as("cw.worker").get(f"/plans/{plan.pk}/"))
    assert "Agree the plan as drafted." in child_welfare
    assert f"/conferences/{conference.pk}/" not in child_welfare
    # Mentoring sees neither the plan page nor the decision (R8).
    assert browser_as("mentor.one").get(f"/plans/{plan.pk}/").status_code == 404


@pytest.mark.parametrize("offset", range(7))
def test_the_demo_meeting_falls_on_a_working_day_of_the_next_seven_days(offset):
    # Issue 12: the demo's MAR meeting fell on a Sunday when the demo was made on a Friday.
    today = date(2026, 11, 30) + timedelta(days=offset)  # a Monday, then each day of the week
    day = meeting_day(today)
    assert day.weekday() < 5 and today < day <= today + timedelta(days=7)


def test_the_next_seven_days_include_monday_when_it_is_friday():
    friday = timezone.make_aware(datetime(2026, 12, 4, 16, 0))
    start, end = coming_days(friday)
    monday = timezone.make_aware(datetime(2026, 12, 7, 10, 0))
    assert start == friday and start < monday < end and end == timezone.make_aware(datetime(2026, 12, 12))
