"""After release on the release plan page (issue 17's outcome indicators): the "After release" section
(follow-ups, with a form for plan writers once the release is recorded) and the "Recall and
re-offending" section (list, and a form for those who write legal records, with or without a plan).

The world is tests/api_world.py's Amira case; ``released`` lets her out to probation 200 days ago (see
tests/test_transition_outcomes_api.py for who reads and writes what).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.audit.models import AuditEvent
from continuum.cases.models import Case
from continuum.transition import actions
from continuum.transition.models import ReleasePlan, ReoffendingRecord, ResettlementCheck
from tests.plans_world import today, user
from tests.test_transition_outcomes_api import RELEASED_DAYS_AGO, release

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30


@pytest.fixture
def released(world) -> ReleasePlan:
    return release(world.case)


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def page_url(case: Case) -> str:
    return f"/releases/cases/{case.pk}/"


def text(response: Any) -> str:
    return response.content.decode()


def check_form(**overrides: Any) -> dict[str, Any]:
    return {
        "checked_on": (today() - timedelta(days=RELEASED_DAYS_AGO - 91)).isoformat(),
        "accommodation": "temporary",
        "work_or_education": "working",
        "family_contact": "occasional",
        "note": "Room in supported housing; warehouse job on weekdays.",
        **overrides,
    }


def reoffending_form(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "recall",
        "occurred_on": (today() - timedelta(days=4)).isoformat(),
        "source": "court",
        "source_reference": "ZA-2026-0931",
        "note": "",
        **overrides,
    }


def creates() -> int:
    return AuditEvent.objects.filter(action="create").count()


def add_check(case: Case, days_after: int, by: str = "prob.officer", **fields: Any) -> ResettlementCheck:
    data = {"accommodation": "settled", "work_or_education": "working", "family_contact": "regular", **fields}
    return actions.do_record_resettlement_check(
        case,
        checked_on=today() - timedelta(days=RELEASED_DAYS_AGO - days_after),
        acting_user=user(by),
        **data,
    )


def add_reoffending(case: Case, days_ago: int = 5, by: str = "police.liaison") -> ReoffendingRecord:
    return actions.do_record_reoffending(
        case,
        kind="new_charge",
        occurred_on=today() - timedelta(days=days_ago),
        source="police",
        source_reference="PV-77",
        acting_user=user(by),
    )


# --- reading the sections ---------------------------------------------------------------------------------------


def test_a_plan_writer_sees_both_sections_with_their_forms(world, released):
    add_check(world.case, 91, accommodation="temporary", note="Still in the supported room.")
    add_reoffending(world.case)
    page = text(client_as("prob.officer").get(page_url(world.case)))
    assert 'id="after-release"' in page and "After release" in page
    assert "Temporary accommodation" in page and "Still in the supported room." in page
    assert f'action="/releases/cases/{world.case.pk}/follow-ups/"' in page
    assert 'id="reoffending"' in page and "Recall and re-offending" in page
    assert "New charge" in page and "PV-77" in page
    assert f'action="/releases/cases/{world.case.pk}/reoffending/"' in page
    # The dates are shown, machine-readable too.
    check_day = (today() - timedelta(days=RELEASED_DAYS_AGO - 91)).isoformat()
    assert f'datetime="{check_day}"' in page


def test_the_police_read_the_follow_ups_and_record_reoffending_but_no_follow_up(world, released):
    add_check(world.case, 91)
    page = text(client_as("police.liaison").get(page_url(world.case)))
    assert "Settled accommodation" in page
    assert "/follow-ups/" not in page
    assert "/reoffending/" in page


def test_the_municipality_records_follow_ups_and_reads_reoffending_without_a_form(world, released):
    add_reoffending(world.case)
    page = text(client_as("muni.coordinator").get(page_url(world.case)))
    assert "/follow-ups/" in page and "New charge" in page
    assert f'action="/releases/cases/{world.case.pk}/reoffending/"' not in page


def test_family_counselling_sees_the_follow_ups_but_no_reoffending_record(world, released):
    add_check(world.case, 91)
    add_reoffending(world.case)
    page = text(client_as("family.counsellor").get(page_url(world.case)))
    assert "Settled accommodation" in page and "PV-77" not in page
    assert "Nothing is recorded that your organisation may see." in page
    assert "/follow-ups/" not in page and '/reoffending/"' not in page


def test_before_release_there_is_no_follow_up_form(world):
    actions.do_create_release_plan(
        world.case, expected_release_on=today() + timedelta(days=70), acting_user=user("pn.casemanager")
    )
    page = text(client_as("pn.casemanager").get(page_url(world.case)))
    assert "Follow-ups are recorded once the release is recorded on this plan." in page
    assert "/follow-ups/" not in page
    assert "/reoffending/" in page  # any case may have a recall or re-offending record


def test_a_case_without_a_release_plan_still_shows_recall_and_reoffending(world):
    add_reoffending(world.case, by="pn.casemanager")
    page = text(client_as("police.liaison").get(page_url(world.case)))
    assert "No release plan has been made for this case yet." in page
    assert "Recall and re-offending" in page and "PV-77" in page


@pytest.mark.parametrize("username", ["ps.casemanager", "pn.casemanager", "evaluator"])
def test_who_does_not_see_the_case_gets_404(world, released, username):
    add_check(world.case, 91)
    assert client_as(username).get(page_url(world.case)).status_code == 404


def test_the_page_costs_the_same_queries_as_the_records_grow(world, released):
    client = client_as("prob.officer")
    add_check(world.case, 30)
    add_reoffending(world.case, 3)
    client.get(page_url(world.case))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(world.case)).status_code == 200
        return len(queries)

    few = count()
    for days in (60, 90, 120, 150):
        add_check(world.case, days)
        add_reoffending(world.case, days)
    many = count()
    assert many <= few <= MAX_QUERIES


# --- recording through the page's forms ----------------------------------------------------------------------


def test_a_plan_writer_records_a_follow_up_and_returns_to_the_section(world, released):
    response = client_as("muni.coordinator").post(f"{page_url(world.case)}follow-ups/", check_form())
    assert response.status_code == 302 and response["Location"].endswith("#after-release")
    check = ResettlementCheck.objects.get()
    assert (check.author.username, check.family_contact, check.category) == ("muni.coordinator", "occasional", "plan")
    assert AuditEvent.objects.filter(action="create", object_type="resettlement_check").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (check_form(checked_on=(today() + timedelta(days=1)).isoformat()), "once it has taken place"),
        (check_form(checked_on=(today() - timedelta(days=RELEASED_DAYS_AGO + 1)).isoformat()), "on or after"),
        (check_form(accommodation="castle"), "Select a valid choice"),
        (check_form(checked_on="not a date"), "Enter a valid date"),
    ],
)
def test_a_bad_follow_up_on_the_page_is_400_with_the_form_and_writes_nothing(world, released, data, message):
    before = creates()
    response = client_as("prob.officer").post(f"{page_url(world.case)}follow-ups/", data)
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'id="add-check" open' in page
    assert not ResettlementCheck.objects.exists() and creates() == before


def test_a_follow_up_before_the_release_is_400_on_the_page(world):
    actions.do_create_release_plan(
        world.case, expected_release_on=today() + timedelta(days=70), acting_user=user("pn.casemanager")
    )
    response = client_as("pn.casemanager").post(
        f"{page_url(world.case)}follow-ups/", check_form(checked_on=today().isoformat())
    )
    assert response.status_code == 400 and not ResettlementCheck.objects.exists()


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 403), ("ps.casemanager", 404)])
def test_who_may_not_write_a_follow_up_is_refused(world, released, username, status):
    response = client_as(username).post(f"{page_url(world.case)}follow-ups/", check_form())
    assert response.status_code == status and not ResettlementCheck.objects.exists()


def test_a_legal_writer_records_a_recall_on_the_page(world, released):
    response = client_as("police.liaison").post(f"{page_url(world.case)}reoffending/", reoffending_form())
    assert response.status_code == 302 and response["Location"].endswith("#reoffending")
    record = ReoffendingRecord.objects.get()
    assert (record.kind, record.source, record.source_reference, record.category) == (
        "recall",
        "court",
        "ZA-2026-0931",
        "legal",
    )


@pytest.mark.parametrize(
    "data", [reoffending_form(occurred_on=(today() + timedelta(days=2)).isoformat()), reoffending_form(kind="verdict")]
)
def test_a_bad_reoffending_record_on_the_page_is_400_and_writes_nothing(world, released, data):
    before = creates()
    response = client_as("prob.officer").post(f"{page_url(world.case)}reoffending/", data)
    assert response.status_code == 400 and 'id="add-reoffending" open' in text(response)
    assert not ReoffendingRecord.objects.exists() and creates() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [("muni.coordinator", 403), ("mentor.one", 403), ("ps.casemanager", 404), ("evaluator", 404)],
)
def test_who_may_not_write_legal_records_is_refused_on_the_page(world, released, username, status):
    response = client_as(username).post(f"{page_url(world.case)}reoffending/", reoffending_form())
    assert response.status_code == status and not ReoffendingRecord.objects.exists()


# --- the demo ---------------------------------------------------------------------------------------------------


def test_the_demo_gives_sofia_two_follow_ups_and_daniel_a_recorded_charge_once():
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    sofia = ResettlementCheck.objects.filter(case__person__given_name="Sofia").order_by("checked_on")
    assert [(c.accommodation, c.work_or_education) for c in sofia] == [
        ("temporary", "in_education"),
        ("settled", "working"),
    ]
    plan = ReleasePlan.objects.get(case__person__given_name="Sofia")
    assert all(plan.released_on and plan.released_on <= c.checked_on <= today() for c in sofia)
    daniel = ReoffendingRecord.objects.get(case__person__given_name="Daniel")
    assert (daniel.kind, daniel.source, daniel.author.username) == ("new_charge", "police", "police.liaison")
    # The pages of the catalogue show the sections with the demo's data.
    page = text(client_as("muni.coordinator").get(page_url(plan.case)))
    assert "Settled accommodation" in page and "/follow-ups/" in page
    assert daniel.case is not None
    page = text(client_as("police.liaison").get(page_url(daniel.case)))
    assert "PV-2026-HB-0412" in page and "No release plan has been made" in page
