"""A plan built with the person, as a practitioner clicks it (issue 6).

Prison North's case manager starts Amira Benali's plan on her case page, adds a goal in her own
words with a small dated milestone, records that she agrees, marks the milestone achieved, and
opens "My plan", the plain-language print-out for her. Nowhere can the plan be marked as agreed:
that takes a case conference.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from continuum.cases import demo as case_demo
from continuum.cases.models import Case
from continuum.plans.models import Milestone, Plan
from tests.e2e.test_login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OWN_WORDS = "I want my children to know me again."


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def test_a_practitioner_builds_the_plan_with_the_person_and_prints_it(page: Page, amira: Case):
    log_in(page, "pn.casemanager")
    page.goto(f"/cases/{amira.pk}/")
    plan_section = page.locator("#plan")
    plan_section.get_by_role("button", name="Start a plan with the person").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan, revision 1")
    expect(
        page.get_by_text("It becomes the agreed plan when the organisations agree it in a case conference")
    ).to_be_visible()

    # A goal in her own words.
    page.get_by_text("Add a goal").click()
    page.get_by_label("Focus area").select_option(label="Family")
    page.get_by_label("The goal in the person's own words").fill(OWN_WORDS)
    page.get_by_label("The goal as the team describes it").fill("Regular contact with her two children.")
    page.get_by_label("Organisation that owns this goal").select_option(
        label="Family Counselling Service (family counselling)"
    )
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_role("status")).to_contain_text("The goal is added")
    expect(page.get_by_role("blockquote").first).to_contain_text(OWN_WORDS)

    # A small, dated milestone.
    page.get_by_text("Add a milestone").click()
    page.get_by_label("Next small step").fill("Video call with the children")
    page.get_by_label("To be reached by").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.get_by_role("status")).to_contain_text("The milestone is added")
    expect(page.get_by_text("0 of 1 milestone achieved.")).to_be_visible()

    # Her position on the plan, in her words.
    page.get_by_text("Record the person's view of the plan").click()
    page.get_by_label("Agrees with the plan").check()
    page.get_by_label("What the person said, as they said it").fill("Yes. This is what I want.")
    page.get_by_role("button", name="Record the person's view").click()
    expect(page.get_by_role("status")).to_contain_text("position on the plan is recorded")
    expect(page.get_by_text("Yes. This is what I want.")).to_be_visible()

    # The milestone is reached.
    page.get_by_text("Mark “Video call with the children” as achieved").click()
    page.get_by_role("button", name="Mark as achieved").click()
    expect(page.get_by_role("status")).to_contain_text("the milestone is marked as achieved")
    expect(page.get_by_text("1 of 1 milestone achieved.")).to_be_visible()
    assert Milestone.objects.get().achieved_on == timezone.localdate()
    assert Plan.objects.get().status == "draft"  # only a conference agrees it

    # "My plan" for her.
    page.get_by_role("link", name='Print "My plan" for the person').click()
    expect(page).to_have_url(re.compile(r"/print/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(page.get_by_text(f"“{OWN_WORDS}”")).to_be_visible()
    expect(page.get_by_text("Who helps me: Family Counselling Service.")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
