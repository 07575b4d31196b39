"""A signal from intake to a case, as the people involved click it (issue 4).

A prison case manager reports a signal about "Mohammed Alhasan", born 1994-03-02. The central point
already knows "Muhammad Al-Hassan", born the same day. The analyst finds the signal in the triage
queue with him as the likely duplicate, confirms the match and includes him; the case then appears
in the prison's "My cases" with the central point in its team.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from continuum.accounts.models import User
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.signals.models import Signal
from tests.e2e.test_login import log_in, log_out, main_nav

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def known_person(demo_world) -> Person:
    return do_create_person(
        given_name="Muhammad",
        family_name="Al-Hassan",
        birth_date=date(1994, 3, 2),
        gender="male",
        nationality="NL",
        acting_user=User.objects.get(username="cp.analyst"),
    )


def report_signal(page: Page) -> None:
    main_nav(page).get_by_role("link", name="Report a signal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a signal")
    expect(page.get_by_label("Person")).to_have_count(0)  # reporters type details; no person search
    page.get_by_label("Given name").fill("Mohammed")
    page.get_by_label("Family name").fill("Alhasan")
    page.get_by_label("Date of birth").fill("1994-03-02")
    page.get_by_label("Gender").select_option(label="Male")
    page.get_by_label("Nationality").fill("NL")
    page.get_by_label("What did you see or hear?").fill("Tried to recruit two fellow detainees during yard time.")
    page.get_by_label("Where was this noticed?").select_option(label="Prison")
    page.get_by_label("Kind of extremism").select_option(label="Jihadist")
    page.get_by_label("Offence", exact=True).select_option(label="No offence")
    page.get_by_role("button", name="Send to the central point").click()


def test_a_reported_signal_is_matched_included_and_becomes_the_prisons_case(page: Page, known_person: Person):
    log_in(page, "pn.casemanager")
    report_signal(page)
    expect(page.get_by_role("status")).to_contain_text("is sent to the central point")
    signal = Signal.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(signal.reference)
    expect(page.get_by_role("main")).not_to_contain_text("Al-Hassan")  # a person the prison may not see
    log_out(page)

    log_in(page, "cp.analyst")
    main_nav(page).get_by_role("link", name="Triage queue").click()
    row = page.get_by_role("row").filter(has_text=signal.reference)
    expect(row).to_contain_text("Mohammed Alhasan")
    expect(row).to_contain_text("Prison North")
    expect(row).to_contain_text("Muhammad Al-Hassan")  # the likely duplicate, with its score
    row.get_by_role("link", name=signal.reference).click()

    matches = page.get_by_role("region", name="Likely matches")
    expect(matches.get_by_role("row").nth(1)).to_contain_text(known_person.reference)
    matches.get_by_role("button", name=re.compile("Confirm the match with Muhammad Al-Hassan")).click()
    expect(page.get_by_role("status")).to_contain_text(f"linked to Muhammad Al-Hassan ({known_person.reference})")

    page.get_by_label("Include in the multi-agency approach").check()
    page.get_by_label("Rationale").fill("Recruitment in prison by a person already known to the central point.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("is included: case")
    signal.refresh_from_db()
    assert signal.status == "included" and signal.person_id == known_person.pk and signal.case_id
    log_out(page)

    log_in(page, "pn.casemanager")
    main_nav(page).get_by_role("link", name="My cases").click()
    case_row = page.get_by_role("row").filter(has_text=known_person.reference)
    expect(case_row).to_contain_text("Muhammad Al-Hassan")
    expect(case_row).to_contain_text("Prison North")  # the lead
    case_row.get_by_role("link").first.click()
    team = page.locator("#team")
    expect(team.get_by_role("row").filter(has_text="National Central Point")).to_have_count(1)
    expect(team.get_by_role("row").filter(has_text="Prison North")).to_contain_text("Lead")
