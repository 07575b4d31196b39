"""Matching a mentor and the mentor's narrow view, as the practitioners click it (issue 16, acceptance).

The probation officer opens Sofia Lindqvist's case (no mentor in the demo), asks for suggestions,
reads that a suggestion is not a match and why Youssef Amrani is suggested, records both consents and
matches. Then mentor.one logs in, finds Sofia under "My mentees", logs a session, and on Sofia's case
page sees her name, the mentoring and the session, and nothing else of her record (R8): not the
journal, not the plan's goals or her words, not the hand-over, not the signal.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from continuum.cases.models import Case, CaseMember
from continuum.mentoring.models import Mentoring, MentoringSession
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SESSION_NOTE = "Coffee near the bakery before her shift; she wants to take a driving licence."
# Sofia's record as the demo writes it, none of which R8 lets the mentor see.
NOT_FOR_THE_MENTOR = (
    "Has a job at a bakery and her own flat",  # journal (daily life, municipality)
    "Sofia keeps her job, her flat",  # the plan's summary
    "Keep her job and her own flat.",  # a goal
    "I like the bakery.",  # her own words on the goal
    "Permanent contract at the bakery",  # a milestone of the municipality
    "Sofia is doing well",  # the hand-over between probation officers
    "Returned from Syria after three years",  # the signal
)


class _Null:
    def write(self, *_args: object) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def sofia(demo_world) -> Case:
    call_command("seed_demo", stdout=_Null())
    case = Case.objects.select_related("person").get(person__given_name="Sofia", person__family_name="Lindqvist")
    assert not Mentoring.objects.filter(case=case).exists()
    return case


def test_the_officer_matches_a_mentor_with_both_consents_and_the_mentor_sees_only_r8(page: Page, sofia: Case):
    today = timezone.localdate()

    # The probation officer asks for suggestions from Sofia's case page.
    log_in(page, "prob.officer")
    page.goto(f"/cases/{sofia.pk}/")
    mentoring = page.locator("#mentoring")
    expect(mentoring.get_by_role("heading", name="Mentoring")).to_be_visible()
    expect(mentoring).to_contain_text("No mentor is matched with the person at the moment.")
    mentoring.get_by_role("link", name="Find a mentor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find a mentor")
    expect(page.get_by_role("main")).to_contain_text("A suggestion is not a match.")
    suggestion = page.get_by_role("article").filter(has=page.get_by_role("heading", name=re.compile("Youssef Amrani")))
    expect(suggestion).to_contain_text("Met: Vetting is in date.")
    expect(suggestion).to_contain_text("Not met: Has no experience with women.")
    expect(suggestion.locator(".score")).to_contain_text("Score:")

    # Without the mentor's consent there is no match: the page says so and nothing is saved.
    suggestion.get_by_text("Match with this mentor").click()
    expect(suggestion).to_contain_text("Both must have been asked and have agreed")
    suggestion.get_by_label("The person agreed on").fill((today - timedelta(days=2)).isoformat())
    suggestion.get_by_role("button", name="Both agreed: match").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved: the mentor is not matched.")
    assert not Mentoring.objects.filter(case=sofia).exists()

    # With both consents the mentor is matched.
    suggestion = page.get_by_role("article").filter(has=page.get_by_role("heading", name=re.compile("Youssef Amrani")))
    suggestion.get_by_label("The person agreed on").fill((today - timedelta(days=2)).isoformat())
    suggestion.get_by_label("The mentor agreed on").fill((today - timedelta(days=1)).isoformat())
    suggestion.get_by_role("button", name="Both agreed: match").click()
    expect(page.get_by_role("status")).to_contain_text("The mentor is matched.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mentoring")
    match = Mentoring.objects.get(case=sofia)
    assert match.mentee_consent_on == today - timedelta(days=2)
    assert match.mentor_consent_on == today - timedelta(days=1)
    assert CaseMember.objects.filter(case=sofia, organisation__slug="mentor-network", until__isnull=True).exists()
    log_out(page)

    # The mentor finds Sofia under "My mentees" and logs a session.
    log_in(page, "mentor.one")
    mentees = page.locator("#my-mentees")
    expect(mentees).to_contain_text("Sofia Lindqvist")
    mentees.get_by_role("row", name=re.compile("Sofia Lindqvist")).get_by_role("link", name="Record a session").click()
    panel = page.locator("#record-session")
    expect(panel.get_by_label("Held on")).to_be_visible()
    panel.get_by_label("Held on").fill(today.isoformat())
    panel.get_by_label("Note").fill(SESSION_NOTE)
    panel.get_by_role("button", name="Record the session").click()
    expect(page.get_by_role("status")).to_contain_text("The session is recorded.")
    expect(page.locator("#sessions")).to_contain_text(SESSION_NOTE)
    assert MentoringSession.objects.filter(mentoring=match, note=SESSION_NOTE).exists()

    # On Sofia's case page: her name, the mentoring and the session; nothing else of her record.
    page.goto(f"/cases/{sofia.pk}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Sofia Lindqvist")
    expect(page.locator("#mentoring")).to_contain_text(SESSION_NOTE)
    expect(page.locator("#mentoring")).not_to_contain_text("Find a mentor")
    page.wait_for_load_state("networkidle")
    for text in NOT_FOR_THE_MENTOR:
        expect(main).not_to_contain_text(text)
    page.goto(f"/persons/{sofia.person_id}/timeline/")
    for text in NOT_FOR_THE_MENTOR:
        expect(page.get_by_role("main")).not_to_contain_text(text)
    page.goto("/search/?q=bakery")
    for text in NOT_FOR_THE_MENTOR:
        expect(page.get_by_role("main")).not_to_contain_text(text)
