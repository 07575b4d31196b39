"""Children and their contact with a parent in prison, as the practitioners click it (issue 15, acceptance).

Child welfare opens Yasmin, a child of Amira Benali, from Amira's case page, records a new contact
order and two visits under it (one to come, one that took place, with how it went for her). The
prison's case manager sees the visits coming on the case page, when and how and where, and nothing of
the child: her page is a 404. The police liaison, a member of Amira's case, finds no trace of the
children anywhere: not in the search, on the case page, in the person's timeline, in the meeting pack
of the case's conference or on the release calendar.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from continuum.accounts.models import User
from continuum.cases.models import Case
from continuum.conferences.actions import do_record_attendance
from continuum.conferences.demo import CUSTODY_UNIT_TITLE
from continuum.conferences.models import Conference
from continuum.families.models import ContactOrder, Relationship, Visit
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COURT = "Family court of appeal, Harbour"
CHILDREN = ("Yasmin Benali", "Ilias Benali")
OUTCOME = "She played with her mother and did not want to leave."


@pytest.fixture
def amira(demo_world) -> Case:
    call_command("seed_demo", stdout=_Null())
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


class _Null:
    def write(self, *_args: object) -> None:
        pass

    def flush(self) -> None:
        pass


def _no_child_in(page: Page, *, nor_visits: bool = True) -> None:
    """Nothing of the children on the page: their names, their order, how a visit went for them; and,
    for those who do not read ``family``, not even when visits take place."""
    main = page.get_by_role("main")
    traces = [*CHILDREN, "Contact order", COURT, OUTCOME]
    if nor_visits:
        traces += ["Child-friendly", "Family visits", "Visits with the children"]
    for trace in traces:
        expect(main).not_to_contain_text(trace)


def test_child_welfare_records_contact_the_prison_sees_the_times_and_the_police_nothing(page: Page, amira: Case):
    today = timezone.localdate()
    yasmin = Relationship.objects.get(case=amira, kind="child", relative__given_name="Yasmin").relative
    coming = timezone.localtime(timezone.now() + timedelta(days=5)).replace(hour=10, minute=30)
    held = timezone.localtime(timezone.now() - timedelta(days=2)).replace(hour=14, minute=0)

    # Child welfare opens Yasmin from Amira's case page and records a new contact order.
    log_in(page, "cw.worker")
    page.goto(f"/cases/{amira.pk}/")
    family = page.locator("#family")
    expect(family.get_by_role("heading", name="Family and children")).to_be_visible()
    family.get_by_role("link", name="Yasmin Benali").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yasmin Benali")
    panel = page.locator("#record-order")
    panel.get_by_text("Record a contact order").click()
    panel.get_by_label("Issued by").fill(COURT)
    panel.get_by_label("Issued on").fill((today - timedelta(days=10)).isoformat())
    panel.get_by_label("Form of contact").select_option(label="In person")
    panel.get_by_label("Contacts a month").fill("1")
    panel.get_by_label("Supervised contact").check()
    panel.get_by_label("In force from").fill((today - timedelta(days=7)).isoformat())
    panel.get_by_label("In force until").fill((today + timedelta(days=180)).isoformat())
    panel.get_by_role("button", name="Record the contact order").click()
    expect(page.get_by_role("status")).to_contain_text("The contact order is recorded.")
    order = ContactOrder.objects.get(person=yasmin, issued_by=COURT)
    article = page.locator(f"#order-{order.pk}")
    expect(article).to_contain_text("In person, 1 time a month, supervised")

    # Two visits under it: one to come, one that took place two days ago.
    for when, accompanied in ((coming, "Foster mother"), (held, "Child welfare worker")):
        schedule = page.locator(f"#schedule-visit-{order.pk}")
        schedule.get_by_text("Schedule a visit under this order").click()
        schedule.get_by_label("Day and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
        schedule.get_by_label("Form of contact").select_option(label="In person")
        schedule.get_by_label("Where").select_option(label="Child-friendly visiting room")
        schedule.get_by_label("Accompanied by").fill(accompanied)
        schedule.get_by_role("button", name="Schedule the visit").click()
        expect(page.get_by_role("status")).to_contain_text("The visit is scheduled.")
    past = Visit.objects.get(contact_order=order, accompanied_by="Child welfare worker")
    record = page.locator(f"#record-visit-{past.pk}")
    record.locator("summary").click()
    record.get_by_label("Yes, it took place").check()
    record.get_by_label("How it went for the child").fill(OUTCOME)
    record.get_by_role("button", name="Save what happened").click()
    expect(page.get_by_role("status")).to_contain_text("What happened at the visit is recorded.")
    article = page.locator(f"#order-{order.pk}")
    expect(article).to_contain_text("She played with her mother")
    expect(article).to_contain_text("1 of")
    expect(article).to_contain_text("due visits took place, 0 missed")
    log_out(page)
    assert Visit.objects.filter(contact_order=order).count() == 2
    past.refresh_from_db()
    assert past.took_place is True

    # The prison sees when, how and where the visits are, and nothing of the child.
    log_in(page, "pn.casemanager")
    page.goto(f"/cases/{amira.pk}/")
    visits = page.get_by_role("region", name="Family visits coming up", exact=True)
    expect(visits).to_contain_text("In person")
    expect(visits).to_contain_text("Child-friendly visiting room")
    expect(visits.locator(f'time[datetime^="{coming.date().isoformat()}"]')).to_have_count(1)
    _no_child_in(page, nor_visits=False)
    response = page.goto(f"/families/children/{yasmin.pk}/")
    assert response is not None and response.status == 404
    log_out(page)

    # The police liaison, a member of the case, finds no trace of the children anywhere.
    police = User.objects.get(username="police.liaison")
    conference = Conference.objects.get(title=CUSTODY_UNIT_TITLE)
    do_record_attendance(conference, present=True, acknowledge_confidentiality=True, acting_user=police)
    log_in(page, "police.liaison")
    for query in ("Yasmin", "Ilias", "Benali"):
        page.goto(f"/search/?q={query}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if query != "Benali":
            expect(page.get_by_role("main")).to_contain_text(f"No person found for “{query}”")
        expect(page.locator('a[href*="/families/"]')).to_have_count(0)
        _no_child_in(page)
    page.goto(f"/cases/{amira.pk}/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amira Benali")
    expect(page.locator("#family")).to_have_count(0)
    _no_child_in(page)
    page.goto(f"/persons/{amira.person_id}/timeline/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _no_child_in(page)
    page.goto(f"/conferences/{conference.pk}/pack/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting pack")
    _no_child_in(page)
    page.goto("/releases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Release calendar")
    _no_child_in(page)
