"""A group programme as the practitioners click it (issue 16, group programmes).

Prison North's case manager opens the demo's disengagement group from the navigation, plans and then
records a session held today with the exit worker as co-facilitator, and records who attended with a
note about each of the three participants. The exit worker, co-facilitator and member of the cases
of Amira and Karim only, opens the same session: Amira and Karim with their notes, nothing of Jonas.
Probation's officer, on Amira's case, reads her attendance and the note about her on her
intervention's page, and cannot open the programme.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from continuum.plans.demo import GROUP_TITLE
from continuum.plans.models import Intervention
from tests.e2e.test_login import log_in, log_out, main_nav

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOPIC = "Keeping calm when the news is about us"
NOTES = {
    "Amira Benali": "Spoke about the news from the camp without anger.",
    "Karim Haddad": "Came, but left early for a visit.",
    "Jonas Weber": "Said he saw himself in Karim's story.",
}


class _Null:
    def write(self, *_args: object) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def demo(demo_world) -> None:
    call_command("seed_demo", stdout=_Null())


def test_the_prison_records_a_group_session_and_each_team_reads_only_its_own(page: Page, demo: None):
    log_in(page, "pn.casemanager")
    main_nav(page).get_by_role("link", name="Group programmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group programmes")
    page.get_by_role("link", name=GROUP_TITLE).click()
    for name in NOTES:
        expect(page.locator("#participants")).to_contain_text(name)

    page.get_by_text("Record or plan a session").click()
    page.get_by_label("Topic").fill(TOPIC)
    page.get_by_label("External experts").fill("A journalist (on how the media work)")
    page.get_by_label("Nadia Rahman").check()
    page.get_by_label("Marta Kowalska").check()
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_role("status")).to_contain_text("The session is recorded.")
    expect(page).to_have_url(re.compile(r"/plans/group-sessions/[0-9a-f-]+/$"))
    session_url = page.url

    for name, note in NOTES.items():
        row = page.get_by_role("group", name=re.compile(name))
        row.get_by_label("Did not attend" if name == "Jonas Weber" else "Attended", exact=True).check()
        row.get_by_label("Note about this person").fill(note)
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_role("status")).to_contain_text("The attendance is recorded.")
    expect(page.get_by_label("Note about this person").first).not_to_be_empty()
    log_out(page)

    # The co-facilitator: the participants of its own cases, never Jonas.
    log_in(page, "exit.worker")
    page.goto(session_url)
    main = page.get_by_role("main")
    expect(main).to_contain_text(TOPIC)
    for name in ("Amira Benali", "Karim Haddad"):
        expect(main).to_contain_text(name)
    expect(main.get_by_label("Note about this person").first).to_have_value(NOTES["Amira Benali"])
    expect(main).not_to_contain_text("Jonas")
    expect(main).not_to_contain_text(NOTES["Jonas Weber"])
    log_out(page)

    # Probation, on Amira's case: her place and the note about her, not the programme's page.
    place = Intervention.objects.get(group__title=GROUP_TITLE, person__given_name="Amira")
    log_in(page, "prob.officer")
    page.goto(f"/plans/interventions/{place.pk}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(TOPIC)
    expect(main).to_contain_text(NOTES["Amira Benali"])
    for other in ("Karim", "Jonas"):
        expect(main).not_to_contain_text(other)
    response = page.goto(f"/plans/groups/{place.group_id}/")
    assert response is not None and response.status == 404
