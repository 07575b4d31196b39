"""A MAR meeting as the people involved click it (issue 6).

The municipality's coordinator schedules a MAR meeting with Prison North, Probation and the
municipality about a person in custody whose team they form, and proposes to agree the person's
draft reintegration plan. Each organisation's user acknowledges confidentiality and agrees to the
decision; when the last one agrees, the decision is agreed by all and the plan becomes the agreed
plan. The person's plain-language plan prints, and the coordinator downloads the meeting pack as a PDF.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from continuum.accounts.models import Organisation, User
from continuum.cases.actions import do_add_member, do_open_case
from continuum.cases.models import Case
from continuum.conferences.models import Decision
from continuum.people.actions import do_create_person
from continuum.plans.actions import do_add_goal, do_create_plan
from continuum.plans.models import Plan
from tests.e2e.test_login import log_in, log_out, main_nav

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mar_case(demo_world) -> Case:
    prison = User.objects.get(username="pn.casemanager")
    person = do_create_person(
        given_name="Karim", family_name="Example", birth_date=date(1990, 5, 1), gender="male", acting_user=prison
    )
    case = do_open_case(person=person, lead_organisation=prison.organisation, phase="custody", acting_user=prison)
    for slug in ("probation", "municipality-harbour"):
        do_add_member(case, organisation=Organisation.objects.get(slug=slug), acting_user=prison)
    plan = do_create_plan(case, summary="Karim prepares for work and a home of his own.", acting_user=prison)
    do_add_goal(
        plan,
        focus_area="daily_life",
        description="Vocational training in the prison workshop.",
        persons_own_words="I want to learn a trade I can live from.",
        owner_organisation=prison.organisation,
        acting_user=prison,
    )
    return case


def open_conference(page: Page, title: str) -> None:
    main_nav(page).get_by_role("link", name="Conferences").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def acknowledge(page: Page) -> None:
    page.get_by_label("I am taking part in this meeting").check()
    page.get_by_label(re.compile("I will keep what is discussed confidential")).check()
    page.get_by_role("button", name="Acknowledge and continue").click()
    expect(page.get_by_role("status")).to_contain_text("Your attendance is recorded")


def agree(page: Page) -> None:
    form = page.get_by_role("form", name=re.compile("Position of"))
    form.get_by_role("radio", name="Agree", exact=True).check()
    form.get_by_role("button", name="Give our position").click()
    expect(page.get_by_role("status")).to_contain_text("position is recorded")


def test_a_mar_meeting_agrees_the_plan_with_every_organisation_the_plan_prints_and_the_pack_downloads(
    page: Page, mar_case: Case
):
    title = "MAR meeting North"
    log_in(page, "muni.coordinator")
    main_nav(page).get_by_role("link", name="Conferences").click()
    page.get_by_role("link", name="Schedule a conference").click()
    page.get_by_label("Kind of conference").select_option(label="MAR meeting")
    page.get_by_label("Title").fill(title)
    when = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Location").fill("Probation office")
    page.get_by_label("Chaired by").select_option(label="Harbour Municipality")
    for name in ("Prison North", "Probation Service", "Harbour Municipality"):
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_role("checkbox", name=re.compile(mar_case.number)).check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("status")).to_contain_text("The conference is scheduled")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("main")).not_to_contain_text(mar_case.number)  # not before the acknowledgement

    acknowledge(page)
    page.get_by_label("About case").select_option(label=mar_case.number)
    page.get_by_label("Decision", exact=True).fill("Agree Karim's reintegration plan as drafted with him.")
    page.get_by_label("This decision agrees the case's draft plan").check()
    page.get_by_role("button", name="Propose the decision").click()
    expect(page.get_by_role("main")).to_contain_text("This decision agrees the draft of the case's reintegration plan")
    expect(page.get_by_role("main")).to_contain_text(
        "Waiting for Harbour Municipality, Prison North and Probation Service"
    )
    agree(page)
    log_out(page)

    for username in ("pn.casemanager", "prob.officer"):
        log_in(page, username)
        open_conference(page, title)
        acknowledge(page)
        agree(page)
        log_out(page)

    decision = Decision.objects.get()
    assert decision.status == "agreed"
    plan = Plan.objects.get(case=mar_case)
    assert plan.status == "agreed" and plan.agreed_through_decision == decision.pk
    log_in(page, "muni.coordinator")
    open_conference(page, title)
    expect(page.get_by_role("main")).to_contain_text("Agreed by all")

    # The plan is agreed, and the person's own plan prints in plain language.
    page.get_by_role("link", name="the case's reintegration plan").click()
    expect(page.get_by_role("main")).to_contain_text("Agreed in a case conference")
    page.get_by_role("link", name='Print "My plan" for the person').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(page.get_by_text("“I want to learn a trade I can live from.”")).to_be_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")
    page.emulate_media(media="print")
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")

    page.goto("/")  # "My plan" is a print-out: it has no navigation
    open_conference(page, title)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the pack as PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("meeting-pack-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
