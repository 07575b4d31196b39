"""The release pages (issue 14): a case's release plan with its domains, scenarios, release conditions
and the release itself; the case page's release part; the release calendar (list and month); the
home page's release sections. Allow and deny across organisation types, the forms' 400 and 409 paths,
and query counts that do not grow with the data.

The world is tests/api_world.py's: Amira's case (lead Prison North, every demo organisation but
Prison South on the team, in custody) and Bilal's (lead Harbour Municipality, with probation, in the
community phase). Everything is built through the actions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.cases import actions as case_actions
from continuum.cases.models import Case, CaseMember
from continuum.people import actions as people_actions
from continuum.transition import actions
from continuum.transition.models import ConditionReview, ReleaseItem, ReleasePlan, Scenario
from tests.plans_world import org, user

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30


def today() -> date:
    return timezone.localdate()


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def text(response: Any) -> str:
    return response.content.decode()


def plan_of(case: Case, *, author: str = "pn.casemanager", weeks: int = 10, destination: str = "municipality-harbour"):
    return actions.do_create_release_plan(
        case,
        expected_release_on=today() + timedelta(weeks=weeks),
        release_type="conditional",
        destination_municipality=org(destination) if destination else None,
        acting_user=user(author),
    )


def item(plan: ReleasePlan, domain: str) -> ReleaseItem:
    return ReleaseItem.objects.get(plan=plan, domain=domain)


def page_url(case: Case) -> str:
    return f"/releases/cases/{case.pk}/"


def item_post(plan: ReleasePlan, domain: str, **changes: Any) -> dict[str, Any]:
    """The item's form as its page fills it, with ``changes``."""
    found = item(plan, domain)
    data = {
        "status": found.status,
        "owner_organisation": found.owner_organisation.slug if found.owner_organisation else "",
        "due_on": found.due_on.isoformat() if found.due_on else "",
        "note": found.note,
        "version": found.version,
    }
    data.update(changes)
    return data


def prison_south_case(name: str = "Omar", *, destination_member: bool = False) -> Case:
    """A custody case of Prison South with probation on the team (the municipality only if asked)."""
    ps = user("ps.casemanager")
    person = people_actions.do_create_person(
        given_name=name, family_name="Example", birth_date=date(1990, 1, 1), gender="male", acting_user=ps
    )
    case = case_actions.do_open_case(person=person, lead_organisation=ps.organisation, phase="custody", acting_user=ps)
    case_actions.do_add_member(case, organisation=org("probation"), responsible=user("prob.officer2"), acting_user=ps)
    if destination_member:
        case_actions.do_add_member(case, organisation=org("municipality-harbour"), acting_user=ps)
    return case


# --- who sees the plan page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "forms"),
    [
        ("pn.casemanager", True),
        ("prob.officer", True),
        ("muni.coordinator", True),
        ("cp.coordinator", True),
        ("police.liaison", False),
        ("family.counsellor", False),
    ],
)
def test_members_that_read_the_plan_see_the_release_plan(world, username, forms):
    plan_of(world.case)
    response = client_as(username).get(page_url(world.case))
    assert response.status_code == 200
    page = text(response)
    assert "Release plan" in page and "Expected day of release" in page
    assert "Harbour Municipality" in page
    assert ("Record a scenario discussed with the person" in page) is forms
    assert ("Change the day, the kind of release or the municipality" in page) is forms


@pytest.mark.parametrize("username", ["ps.casemanager", "mentor.one", "evaluator", "dpo", "admin"])
def test_others_get_404_for_the_plan_page_whether_or_not_there_is_one(world, username):
    client = client_as(username)
    before = client.get(page_url(world.case))
    plan_of(world.case)
    after = client.get(page_url(world.case))
    assert before.status_code == after.status_code == 404
    assert "Release plan" not in text(after)


def test_the_municipality_does_not_see_the_gate_plan_or_the_police_contact(world):
    plan = plan_of(world.case)
    page = text(client_as("muni.coordinator").get(page_url(world.case)))
    assert 'id="item-accommodation"' in page
    assert 'id="item-gate_plan"' not in page and 'id="item-police_contact"' not in page
    assert "Gate plan" not in page and "Police contact" not in page
    assert "You see 14 of the sixteen domains" in page
    # Nor can it reach them by their address.
    response = client_as("muni.coordinator").post(
        f"/releases/items/{item(plan, 'gate_plan').pk}/", item_post(plan, "gate_plan", status="done")
    )
    assert response.status_code == 404
    assert item(plan, "gate_plan").status == "not_started"


def test_police_sees_the_police_contact_only_where_it_is_a_member(world):
    plan_of(world.case)
    police = client_as("police.liaison")
    page = text(police.get(page_url(world.case)))
    assert 'id="item-police_contact"' in page and 'id="item-gate_plan"' in page
    # Police writes security: it updates its own domains, not the municipality's.
    assert f'action="/releases/items/{item(ReleasePlan.objects.get(case=world.case), "police_contact").pk}/"' in page
    assert "Update “Somewhere to live”" not in page
    plan_of(world.other_case, author="muni.coordinator")  # Bilal's case: police is not on the team
    assert police.get(page_url(world.other_case)).status_code == 404
    rows = police.get("/releases/").context["rows"]
    assert [r.plan.case_id for r in rows] == [world.case.pk]
    assert "police_contact" in rows[0].open_domains


def test_mentoring_sees_nothing_of_the_release_plan(world):
    plan = plan_of(world.case)
    mentor = client_as("mentor.one")
    assert mentor.get(page_url(world.case)).status_code == 404
    part = mentor.get(f"/cases/{world.case.pk}/parts/release/", HTTP_HX_REQUEST="true")
    assert part.status_code == 200 and text(part).strip() == ""
    calendar = text(mentor.get("/releases/"))
    assert world.case.number not in calendar
    response = mentor.post(f"/releases/items/{item(plan, 'mentor').pk}/", item_post(plan, "mentor", status="done"))
    assert response.status_code == 404


# --- beginning a plan --------------------------------------------------------------------------------------


def test_a_writer_begins_the_plan_with_the_day_proposed_from_the_sentence(world):
    pn = user("pn.casemanager")
    earliest = today() + timedelta(days=200)
    case_actions.do_record_sentence(
        world.case,
        imposed_on=today() - timedelta(days=400),
        starts_on=today() - timedelta(days=400),
        ends_on=today() + timedelta(days=600),
        earliest_release_on=earliest,
        acting_user=pn,
    )
    client = client_as("pn.casemanager")
    response = client.get(page_url(world.case))
    page = text(response)
    assert "No release plan has been made for this case yet." in page
    assert response.context["plan_form"].initial["expected_release_on"] == earliest
    assert f'value="{earliest.isoformat()}"' in page
    response = client.post(
        f"/releases/cases/{world.case.pk}/begin/",
        {"expected_release_on": earliest.isoformat(), "release_type": "parole", "destination_municipality": ""},
    )
    assert response.status_code == 302 and response["Location"] == page_url(world.case)
    plan = ReleasePlan.objects.get(case=world.case)
    assert plan.release_type == "parole" and plan.expected_release_on == earliest
    assert ReleaseItem.objects.filter(plan=plan).count() == 16


def test_a_reader_is_told_there_is_no_plan_and_cannot_begin_one(world):
    police = client_as("police.liaison")
    page = text(police.get(page_url(world.case)))
    assert "No release plan has been made for this case yet." in page and "Begin the release plan" not in page
    response = police.post(
        f"/releases/cases/{world.case.pk}/begin/",
        {"expected_release_on": today().isoformat(), "release_type": "parole"},
    )
    assert response.status_code == 403
    assert client_as("ps.casemanager").post(f"/releases/cases/{world.case.pk}/begin/", {}).status_code == 404
    assert not ReleasePlan.objects.exists()


def test_bad_input_to_begin_a_plan_is_a_400_that_writes_nothing(world):
    response = client_as("pn.casemanager").post(
        f"/releases/cases/{world.case.pk}/begin/",
        {"expected_release_on": "someday", "release_type": "escape", "destination_municipality": "police"},
    )
    assert response.status_code == 400
    assert response.context["plan_form"].errors.keys() >= {
        "expected_release_on",
        "release_type",
        "destination_municipality",
    }
    assert not ReleasePlan.objects.exists()


# --- items ----------------------------------------------------------------------------------------------------


def test_the_municipality_settles_accommodation(world):
    plan = plan_of(world.case)
    response = client_as("muni.coordinator").post(
        f"/releases/items/{item(plan, 'accommodation').pk}/",
        item_post(plan, "accommodation", status="done", note="A flat in the harbour district from day one."),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(world.case)}#item-accommodation"
    found = item(plan, "accommodation")
    assert found.status == "done" and found.updated_by == user("muni.coordinator")
    page = text(client_as("prob.officer").get(page_url(world.case)))
    assert "A flat in the harbour district from day one." in page and "1 of 16 settled (6%)" in page


def test_declining_support_without_a_reason_is_a_400_with_the_error_on_the_note(world):
    plan = plan_of(world.case)
    faith = item(plan, "faith_community")
    actions.do_update_release_item(
        faith, version=faith.version, note="Talked about it once.", acting_user=user("pn.casemanager")
    )
    client = client_as("pn.casemanager")
    url = f"/releases/items/{faith.pk}/"
    # The note written before is no reason for this decision: the form sends it unchanged.
    response = client.post(url, item_post(plan, "faith_community", status="support_declined"))
    assert response.status_code == 400
    form = response.context["items"][[i.domain for i in response.context["items"]].index("faith_community")].form
    assert "note" in form.errors
    assert "Say why" in text(response)
    assert item(plan, "faith_community").status == "not_started"
    response = client.post(
        url, item_post(plan, "faith_community", status="support_declined", note="He says he finds his own mosque.")
    )
    assert response.status_code == 302 and item(plan, "faith_community").status == "support_declined"


def test_bad_item_input_is_a_400_that_changes_nothing(world):
    plan = plan_of(world.case)
    response = client_as("pn.casemanager").post(
        f"/releases/items/{item(plan, 'health').pk}/",
        item_post(plan, "health", status="perfect", owner_organisation="prison-south", due_on="tomorrow"),
    )
    assert response.status_code == 400
    target = next(i for i in response.context["items"] if i.domain == "health")
    assert target.form.errors.keys() >= {"status", "owner_organisation", "due_on"}
    assert item(plan, "health").version == 1


def test_a_stale_item_is_a_clear_message_with_the_users_values_kept(world):
    plan = plan_of(world.case)
    data = item_post(plan, "education_work", status="in_progress", note="Interview at the training centre.")
    # Someone else saves first.
    first = item(plan, "education_work")
    actions.do_update_release_item(
        first, version=first.version, status="support_required", acting_user=user("prob.officer")
    )
    response = client_as("muni.coordinator").post(f"/releases/items/{first.pk}/", data)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this item while you were working on it" in page
    assert "Interview at the training centre." in page  # the user's text, kept in the form
    assert item(plan, "education_work").status == "support_required"
    again = next(i for i in response.context["items"] if i.domain == "education_work").form
    assert again.data["version"] == str(item(plan, "education_work").version)
    assert client_as("muni.coordinator").post(f"/releases/items/{first.pk}/", again.data).status_code == 302
    assert item(plan, "education_work").status == "in_progress"


def test_a_member_that_neither_owns_nor_writes_an_item_may_not_change_it(world):
    plan = plan_of(world.case)
    response = client_as("family.counsellor").post(
        f"/releases/items/{item(plan, 'accommodation').pk}/", item_post(plan, "accommodation", status="done")
    )
    assert response.status_code == 403
    assert item(plan, "accommodation").status == "not_started"


def test_a_stale_plan_form_is_a_409_and_the_plan_is_unchanged(world):
    plan = plan_of(world.case)
    actions.do_update_release_plan(plan, version=1, release_type="parole", acting_user=user("prob.officer"))
    response = client_as("pn.casemanager").post(
        f"/releases/cases/{world.case.pk}/update/",
        {
            "expected_release_on": (today() + timedelta(days=30)).isoformat(),
            "release_type": "end_of_sentence",
            "destination_municipality": "municipality-harbour",
            "version": 1,
        },
    )
    assert response.status_code == 409
    assert "Someone else changed the release plan" in text(response)
    plan.refresh_from_db()
    assert plan.release_type == "parole" and plan.version == 2


# --- scenarios and release conditions ----------------------------------------------------------------------


def test_a_scenario_is_recorded_and_counted(world):
    plan_of(world.case)
    client = client_as("exit.worker")
    response = client.post(
        f"/releases/cases/{world.case.pk}/scenarios/",
        {
            "scenario": "A journalist waits at the gate.",
            "persons_expected_reaction": "I would cover my face and run.",
            "coping_strategy": "Walk to the car with the exit worker; no comment.",
            "support_contact": "Exit worker",
            "discussed_on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    page = text(client_as("prob.officer").get(page_url(world.case)))
    assert "1 scenario discussed." in page and "I would cover my face and run." in page
    bad = client.post(f"/releases/cases/{world.case.pk}/scenarios/", {"scenario": "", "discussed_on": "2999-01-01"})
    assert bad.status_code == 400
    assert bad.context["scenario_form"].errors.keys() >= {"scenario", "persons_expected_reaction"}
    assert Scenario.objects.count() == 1
    assert client_as("police.liaison").post(f"/releases/cases/{world.case.pk}/scenarios/", {}).status_code == 403


def test_release_conditions_are_shown_and_reviewed_by_probation(world):
    plan_of(world.case)
    condition = case_actions.do_add_release_condition(
        world.case,
        condition_type="curfew",
        details="Home between 22:00 and 06:00.",
        valid_from=today() - timedelta(days=10),
        valid_until=today() + timedelta(days=180),
        acting_user=user("pn.casemanager"),
    )
    url = f"/releases/conditions/{condition.pk}/reviews/"
    probation = client_as("prob.officer")
    page = text(probation.get(page_url(world.case)))
    assert "Curfew" in page and "Home between 22:00 and 06:00." in page and "Not reviewed yet." in page
    new_end = today() + timedelta(days=90)
    response = probation.post(
        url,
        {
            "reviewed_on": today().isoformat(),
            "outcome": "relaxed",
            "note": "Kept every night for a month.",
            "new_valid_until": new_end.isoformat(),
            "next_review_on": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = text(probation.get(page_url(world.case)))
    assert "Relaxed" in page and "Kept every night for a month." in page and "(first set until" in page
    bad = probation.post(url, {"reviewed_on": today().isoformat(), "outcome": "forgotten", "note": ""})
    assert bad.status_code == 400 and ConditionReview.objects.count() == 1
    assert client_as("muni.coordinator").post(url, {"outcome": "lifted"}).status_code == 403


# --- the release ---------------------------------------------------------------------------------------------


def test_the_release_needs_the_tick_and_then_moves_the_case_to_probation(world):
    plan_of(world.case)
    client = client_as("pn.casemanager")
    url = f"/releases/cases/{world.case.pk}/release/"
    data = {"released_on": today().isoformat(), "lead_organisation": "probation", "responsible": "prob.officer"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Tick the box to confirm the release." in text(response)
    assert Case.objects.get(pk=world.case.pk).phase == "custody"
    assert client_as("muni.coordinator").post(url, {**data, "confirm": "on"}).status_code == 403
    response = client.post(url, {**data, "confirm": "on"})
    # The prison has left the team: back to its home page.
    assert response.status_code == 302 and response["Location"] == "/"
    case = Case.objects.get(pk=world.case.pk)
    assert case.phase == "probation" and case.lead_organisation == org("probation")
    assert not CaseMember.objects.filter(case=case, organisation=org("prison-north"), until__isnull=True).exists()
    page = text(client_as("prob.officer").get(page_url(case)))
    assert "Released on" in page and "Probation Service" in page and "Record the release" not in page


def test_a_release_sent_again_or_a_plan_changed_after_it_is_a_message_not_an_error(world):
    plan_of(world.case)
    data = {"released_on": today().isoformat(), "lead_organisation": "probation", "confirm": "on"}
    assert client_as("pn.casemanager").post(f"/releases/cases/{world.case.pk}/release/", data).status_code == 302
    central = client_as("cp.coordinator")  # still on the team, and manages the case
    response = central.post(f"/releases/cases/{world.case.pk}/release/", data, follow=True)
    assert response.redirect_chain[-1][0] == page_url(world.case)
    assert "The release is recorded already" in text(response)
    response = central.post(
        f"/releases/cases/{world.case.pk}/update/",
        {"expected_release_on": today().isoformat(), "release_type": "parole", "version": 2},
        follow=True,
    )
    assert "no longer change" in text(response)
    assert ReleasePlan.objects.get(case=world.case).release_type == "conditional"


def test_the_release_form_offers_only_probation_and_municipalities_and_refuses_others(world):
    plan_of(world.case)
    client = client_as("pn.casemanager")
    form = client.get(page_url(world.case)).context["release_form"]
    assert {o.type for o in form.organisations.values()} == {"probation", "municipality"}
    response = client.post(
        f"/releases/cases/{world.case.pk}/release/",
        {"released_on": today().isoformat(), "lead_organisation": "police", "confirm": "on"},
    )
    assert response.status_code == 400 and Case.objects.get(pk=world.case.pk).phase == "custody"


def test_the_pre_release_meeting_is_scheduled_from_the_plan_with_the_case_on_the_agenda(world):
    plan_of(world.case)
    page = text(client_as("pn.casemanager").get(page_url(world.case)))
    link = f"/conferences/new/?kind=pre_release_meeting&amp;case={world.case.pk}"
    assert link in page
    response = client_as("pn.casemanager").get(link.replace("&amp;", "&"))
    initial = response.context["form"].initial
    assert initial["kind"] == "pre_release_meeting" and initial["cases"] == [str(world.case.pk)]
    assert {"probation", "municipality-harbour", "prison-north"} <= set(initial["participants"])


# --- the case page's part ---------------------------------------------------------------------------------------


def test_the_case_part_summarises_the_plan_with_readiness_and_alert(world):
    plan = plan_of(world.case, weeks=8)  # within three months: an alert while domains are open
    first = item(plan, "id_documents")
    actions.do_update_release_item(first, version=1, status="done", acting_user=user("pn.casemanager"))
    page = text(client_as("prob.officer").get(f"/cases/{world.case.pk}/parts/release/", HTTP_HX_REQUEST="true"))
    assert 'id="release-heading"' in page
    assert "Three months to release:" in page and "15 domains are still open." in page
    assert "1 of 16 settled (6%)" in page and f'href="{page_url(world.case)}"' in page


def test_the_case_part_without_a_plan_offers_writers_to_begin_it_and_is_empty_for_others(world):
    writer = text(client_as("pn.casemanager").get(f"/cases/{world.case.pk}/parts/release/", HTTP_HX_REQUEST="true"))
    assert "No release plan has been made for this case yet." in writer and "Begin the release plan" in writer
    reader = text(client_as("police.liaison").get(f"/cases/{world.case.pk}/parts/release/", HTTP_HX_REQUEST="true"))
    assert reader.strip() == ""
    assert client_as("ps.casemanager").get(f"/cases/{world.case.pk}/parts/release/").status_code == 404
    assert f'hx-get="/cases/{world.case.pk}/parts/release/"' in text(
        client_as("pn.casemanager").get(f"/cases/{world.case.pk}/")
    )


# --- the calendar ------------------------------------------------------------------------------------------


def test_the_calendar_lists_members_releases_soonest_first_with_readiness(world):
    plan_of(world.case, weeks=20)
    plan_of(world.other_case, author="muni.coordinator", weeks=3)
    response = client_as("muni.coordinator").get("/releases/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.plan.case_id for r in rows] == [world.other_case.pk, world.case.pk]
    page = text(response)
    assert f'href="{page_url(world.case)}"' in page and "0 of 14 settled (0%)" in page
    # Within two weeks: neither.
    assert not client_as("muni.coordinator").get("/releases/?within=14").context["rows"]


def test_announcements_show_only_the_number_and_no_link(world):
    omar = prison_south_case()
    plan_of(omar, author="ps.casemanager", weeks=4)
    for username in ("cp.coordinator", "muni.coordinator"):
        response = client_as(username).get("/releases/")
        row = next(r for r in response.context["rows"] if r.plan.case_id == omar.pk)
        page = text(response)
        assert row.member is False
        assert omar.number in page and page_url(omar) not in page and "announced" in page
        assert "Omar" not in page
        assert client_as(username).get(page_url(omar)).status_code == 404
    assert omar.pk not in [r.plan.case_id for r in client_as("police.liaison").get("/releases/").context["rows"]]


def test_the_month_view_shows_the_releases_of_that_month_by_day(world):
    plan = plan_of(world.case, weeks=10)
    month = plan.expected_release_on.replace(day=1)
    response = client_as("prob.officer").get(f"/releases/?view=month&month={month:%Y-%m}")
    assert response.status_code == 200
    assert [r.plan.pk for r in response.context["rows"]] == [plan.pk]
    cells = [cell for week in response.context["weeks"] for cell in week if cell["releases"]]
    assert [cell["day"] for cell in cells] == [plan.expected_release_on]
    page = text(response)
    assert f"month={(month - timedelta(days=1)):%Y-%m}" in page  # the previous month's link
    other = plan.expected_release_on.replace(day=1) + timedelta(days=40)
    assert not client_as("prob.officer").get(f"/releases/?view=month&month={other:%Y-%m}").context["rows"]


@pytest.mark.parametrize(
    "query", ["within=abc", "within=9", "view=week", "view=month&month=2026-13", "view=month&month=0001-01"]
)
def test_a_bad_calendar_filter_is_a_400(world, query):
    response = client_as("prob.officer").get(f"/releases/?{query}")
    assert response.status_code == 400
    assert "The calendar cannot show that." in text(response)


@pytest.mark.parametrize("username", ["dpo", "admin", "evaluator"])
def test_those_who_see_no_case_content_have_no_calendar_and_no_link(world, username):
    client = client_as(username)
    assert client.get("/releases/").status_code == 403
    assert 'href="/releases/"' not in text(client.get("/"))


def test_the_navigation_links_the_calendar_for_case_workers(world):
    page = text(client_as("prob.officer").get("/"))
    assert '<a href="/releases/">Releases</a>' in page


# --- the home page ------------------------------------------------------------------------------------------


def test_the_home_page_lists_the_organisations_open_domains_of_plans_with_an_alert(world):
    plan = plan_of(world.case, weeks=10)
    accommodation = item(plan, "accommodation")
    assert accommodation.owner_organisation == org("municipality-harbour")
    far = prison_south_case("Karim", destination_member=True)
    plan_of(far, author="ps.casemanager", weeks=80)  # no alert yet: more than twelve months away
    page = text(client_as("muni.coordinator").get("/"))
    assert "To settle before release" in page
    assert f'href="{page_url(world.case)}#item-accommodation"' in page
    assert "Three months to release" in page
    assert page_url(far) not in page
    # Done, it goes.
    actions.do_update_release_item(accommodation, version=1, status="done", acting_user=user("muni.coordinator"))
    assert f"{page_url(world.case)}#item-accommodation" not in text(client_as("muni.coordinator").get("/"))


def test_a_practitioner_sees_only_the_cases_they_are_responsible_for(world):
    plan_of(world.case, weeks=10)
    omar = prison_south_case()  # probation's responsible there: prob.officer2
    plan_of(omar, author="ps.casemanager", weeks=10)
    page = text(client_as("prob.officer").get("/"))
    assert f"{page_url(world.case)}#item-probation_appointment" in page
    assert page_url(omar) not in page
    other = text(client_as("prob.officer2").get("/"))
    assert f"{page_url(omar)}#item-probation_appointment" in other and page_url(world.case) not in other


def test_after_the_release_probation_sees_the_case_with_its_plan_and_open_milestones(world):
    from tests.plans_world import plan_with_goal

    plan, _goal, _milestones = plan_with_goal(world.case, milestones=2)
    plan_of(world.case)
    actions.do_release(
        world.case,
        released_on=today(),
        lead_organisation=org("probation"),
        acting_user=user("pn.casemanager"),
    )
    page = text(client_as("prob.officer").get("/"))
    assert "Released to your organisation" in page
    assert f'href="/plans/{plan.pk}/"' in page and "2 milestones open" in page
    assert "16 domains still open" in page
    assert "Released to your organisation" not in text(client_as("muni.coordinator").get("/"))


# --- query counts ------------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_data(world: Any, n: int, *, start: int = 0) -> None:
    """More plans elsewhere (of cases with Prison South, probation and the municipality on the team, so
    announcements for the central point), more scenarios and conditions on this case, every item changed."""
    pn = user("pn.casemanager")
    for i in range(start, start + n):
        omar = prison_south_case(f"Omar{i}", destination_member=True)
        plan_of(omar, author="ps.casemanager", weeks=5 + i)
        actions.do_record_scenario(
            world.case,
            scenario=f"Scenario {i}",
            persons_expected_reaction="I do not know.",
            discussed_on=today(),
            acting_user=pn,
        )
        case_actions.do_add_release_condition(
            world.case, condition_type="reporting", valid_from=today(), acting_user=pn
        )
    plan = ReleasePlan.objects.get(case=world.case)
    for found in ReleaseItem.objects.filter(plan=plan):
        actions.do_update_release_item(found, version=found.version, status="in_progress", acting_user=pn)


@pytest.mark.parametrize("username", ["pn.casemanager", "muni.coordinator"])
def test_the_plan_page_costs_the_same_queries_as_the_data_grows(world, username):
    plan_of(world.case)
    _more_data(world, 1)
    client = client_as(username)
    _queries(client, page_url(world.case))
    few = _queries(client, page_url(world.case))
    _more_data(world, 4, start=1)
    many = _queries(client, page_url(world.case))
    assert many <= few <= MAX_QUERIES


@pytest.mark.parametrize("query", ["", "?view=month"])
@pytest.mark.parametrize("username", ["cp.coordinator", "muni.coordinator", "prob.officer2"])
def test_the_calendar_costs_the_same_queries_as_the_data_grows(world, username, query):
    plan_of(world.case, weeks=2)
    _more_data(world, 1)
    client = client_as(username)
    _queries(client, f"/releases/{query}")
    few = _queries(client, f"/releases/{query}")
    _more_data(world, 4, start=1)
    assert len(client.get(f"/releases/{query}").context["rows"]) >= 1
    many = _queries(client, f"/releases/{query}")
    assert many <= few <= MAX_QUERIES


def test_the_home_page_costs_the_same_queries_as_the_data_grows(world):
    plan_of(world.case, weeks=2)
    _more_data(world, 1)
    client = client_as("muni.coordinator")
    _queries(client, "/")
    few = _queries(client, "/")
    _more_data(world, 4, start=1)
    assert _queries(client, "/") <= few
