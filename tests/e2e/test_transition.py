"""From the release plan to the gate and beyond, as the practitioners click it (issue 14, acceptance).

Prison North's case manager begins Amira Benali's release plan from her case page; the municipality
settles somewhere to live from the release calendar; probation records the first appointment from
its home page and a scenario talked through with her; the prison records the release to probation
(and leaves the team); probation's home page then shows the case released to it, with its plan and
the milestones still open.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from continuum.cases import demo as case_demo
from continuum.cases.models import Case
from continuum.plans import demo as plans_demo
from continuum.plans.models import Plan
from continuum.transition.models import ReleaseItem, ReleasePlan, Scenario
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    plans_demo.seed()  # her draft plan, with milestones
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def _update_item(page: Page, domain: str, label: str, *, status: str, note: str) -> None:
    item = page.locator(f"#item-{domain}")
    item.get_by_text(f"Update “{label}”").click()
    item.get_by_label("Status").select_option(label=status)
    item.get_by_label("Note").fill(note)
    item.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(page.get_by_role("status")).to_contain_text(f"{label} is saved.")
    expect(page.locator(f"#item-{domain}")).to_contain_text(note)


def test_from_the_release_plan_to_the_gate_and_probations_home_page(page: Page, amira: Case):
    expected = timezone.localdate() + timedelta(days=45)

    # The prison's case manager begins the release plan from the case page.
    log_in(page, "pn.casemanager")
    page.goto(f"/cases/{amira.pk}/")
    release = page.locator("#release")
    expect(release).to_contain_text("No release plan has been made for this case yet.")
    release.get_by_role("link", name="Begin the release plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Release plan")
    page.get_by_label("Expected day of release").fill(expected.isoformat())
    page.get_by_label("Kind of release").select_option(label="Conditional release")
    page.get_by_label("Municipality the person goes to").select_option(label="Harbour Municipality (municipality)")
    page.get_by_role("button", name="Begin the release plan").click()
    expect(page.get_by_role("status")).to_contain_text("The release plan is begun")
    expect(page.get_by_text("0 of 16 settled (0%)")).to_be_visible()
    expect(page.get_by_role("link", name="Schedule the pre-release meeting")).to_be_visible()
    log_out(page)

    # The municipality finds it on its release calendar and settles somewhere to live.
    log_in(page, "muni.coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Releases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Release calendar")
    page.get_by_role("link", name=f"Release plan of case {amira.number}").click()
    expect(page.locator("#item-gate_plan")).to_have_count(0)  # security: not the municipality's to read
    _update_item(
        page, "accommodation", "Somewhere to live", status="Done", note="A room in supported housing from day one."
    )
    expect(page.get_by_text("1 of 14 settled (7%)")).to_be_visible()
    log_out(page)

    # Probation sees its open domain on its home page, and records the first appointment.
    log_in(page, "prob.officer")
    settle = page.locator("#release-items")
    expect(settle).to_contain_text(amira.number)
    settle.get_by_role("link", name="First probation appointment").click()
    _update_item(
        page,
        "probation_appointment",
        "First probation appointment",
        status="Done",
        note="The day after release, 10:00, at the probation office.",
    )
    # A scenario talked through with her.
    page.get_by_text("Record a scenario discussed with the person").click()
    page.get_by_label("The situation talked through").fill("Her former friends wait for her outside the prison.")
    page.get_by_label("What the person expects to do, in their own words").fill("I would go with them, I think.")
    page.get_by_label("What they agreed to do instead").fill("Get into the car with the exit worker straight away.")
    page.get_by_label("Who they can call").fill("The exit worker")
    page.get_by_role("button", name="Record the scenario").click()
    expect(page.get_by_role("status")).to_contain_text("The scenario is recorded.")
    expect(page.get_by_text("1 scenario discussed.")).to_be_visible()
    expect(page.get_by_text("I would go with them, I think.")).to_be_visible()
    log_out(page)

    # On the day, the prison records the release to probation: it leaves the team.
    log_in(page, "pn.casemanager")
    page.goto(f"/releases/cases/{amira.pk}/")
    page.get_by_text("Record the release", exact=True).first.click()
    page.get_by_label("Leads the case after release").select_option(label="Probation Service (probation)")
    page.get_by_label("I confirm that the person is released").check()
    page.locator("#record-release").get_by_role("button", name="Record the release").click()
    expect(page.get_by_role("status")).to_contain_text("The release is recorded: Probation Service leads the case now.")
    expect(page).to_have_url(re.compile(r"/$"))
    log_out(page)

    amira.refresh_from_db()
    assert amira.phase == "probation" and amira.lead_organisation.slug == "probation"
    plan = ReleasePlan.objects.get(case=amira)
    assert plan.released_on == timezone.localdate() and plan.released_to.slug == "probation"
    assert ReleaseItem.objects.get(plan=plan, domain="accommodation").status == "done"
    assert ReleaseItem.objects.get(plan=plan, domain="probation_appointment").status == "done"
    assert Scenario.objects.filter(plan=plan).count() == 1

    # Probation's home page: the case released to it, with its plan and the milestones still open.
    log_in(page, "prob.officer")
    released = page.locator("#released")
    expect(released).to_contain_text("Released to your organisation")
    row = released.get_by_role("row").filter(has_text=amira.number)
    expect(row).to_contain_text("milestones open")
    expect(row).to_contain_text("14 domains still open")
    current = Plan.objects.filter(case=amira).exclude(status="superseded").order_by("-revision").first()
    assert current is not None
    row.get_by_role("link", name=re.compile("milestones? open")).click()
    expect(page).to_have_url(re.compile(rf"/plans/{current.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan, revision")
