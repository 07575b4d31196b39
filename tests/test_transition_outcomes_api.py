"""After release (issue 17's outcome indicators), through the API as the demo personas: follow-ups after
release (``ResettlementCheck``, filed under ``plan``) and recalls or re-offending as recorded
(``ReoffendingRecord``, filed under ``legal``), at ``/api/v1/cases/{id}/resettlement-checks/`` and
``/api/v1/cases/{id}/reoffending/``.

The world is tests/api_world.py's: Amira's case (lead Prison North, every demo organisation but Prison
South on the team, her trial not concluded). ``released`` lets her out to probation 200 days ago: Prison
North leaves the team (it keeps only what it wrote). Who reads and writes what follows DESIGN.md
section 5's default matrix: ``plan`` is written by the central point, probation, the municipality and
the exit NGO and read by the police, family counselling, mental health and child welfare; ``legal`` is
written by the central point, probation and the police (and the prison) and read by the municipality,
the exit NGO and mental health; child welfare reads it only once the trial is concluded (R7), family
counselling never; mentoring reads neither (R8), research nothing (R9), admin and DPO no content (R10).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Case
from continuum.sharing.models import Disclosure
from continuum.transition import actions
from continuum.transition.models import ReleasePlan, ReoffendingRecord, ResettlementCheck
from tests.api_world import NOT_FOUND, RANDOM_ID
from tests.plans_world import org, today, user

pytestmark = pytest.mark.django_db

RELEASED_DAYS_AGO = 200
WRITES = ("create", "update", "delete")

# Members after the release, by what they may do with each category (the matrix's columns).
PLAN_WRITERS = ["prob.officer", "muni.coordinator", "exit.worker", "cp.coordinator"]
PLAN_READERS = ["police.liaison", "family.counsellor", "mh.clinician", "cw.worker"]
LEGAL_WRITERS = ["prob.officer", "police.liaison", "cp.coordinator"]
LEGAL_READERS = ["muni.coordinator", "exit.worker", "mh.clinician"]
# Members that see the case but no legal record of it: family counselling (no access), child
# welfare (R7, the trial is not concluded) and mentoring (R8).
LEGAL_BLIND_MEMBERS = ["family.counsellor", "cw.worker", "mentor.one"]
# Who sees nothing of the case: not a member (Prison South), the prison that left at the gate,
# research (R9), DPO and admin (R10).
OUTSIDERS = ["ps.casemanager", "pn.casemanager", "evaluator", "dpo", "admin"]


@pytest.fixture
def api_as(api_as):
    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def release(case: Case, *, days_ago: int = RELEASED_DAYS_AGO) -> ReleasePlan:
    pn = user("pn.casemanager")
    case_actions.do_start_custody_episode(
        case, facility=org("prison-north"), started_on=today() - timedelta(days=days_ago + 400), acting_user=pn
    )
    actions.do_create_release_plan(case, expected_release_on=today() - timedelta(days=days_ago), acting_user=pn)
    return actions.do_release(
        case, released_on=today() - timedelta(days=days_ago), lead_organisation=org("probation"), acting_user=pn
    )


@pytest.fixture
def released(world) -> ReleasePlan:
    return release(world.case)


def path(case: Case, tail: str) -> str:
    return f"/api/v1/cases/{case.pk}/{tail}/"


def writes() -> int:
    return AuditEvent.objects.filter(action__in=WRITES).count()


def check_data(**overrides: Any) -> dict[str, Any]:
    return {
        "checked_on": (today() - timedelta(days=RELEASED_DAYS_AGO - 91)).isoformat(),
        "accommodation": "temporary",
        "work_or_education": "in_education",
        "family_contact": "regular",
        "note": "Supported housing room; bookkeeping course three days a week.",
        **overrides,
    }


def reoffending_data(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "recall",
        "occurred_on": (today() - timedelta(days=10)).isoformat(),
        "source": "probation",
        "source_reference": "REC-2026-117",
        "note": "Missed three appointments; recalled by the public prosecutor.",
        **overrides,
    }


def record_check(case: Case, by: str = "prob.officer", **overrides: Any) -> ResettlementCheck:
    data = check_data(**overrides)
    data["checked_on"] = today() - timedelta(days=RELEASED_DAYS_AGO) + timedelta(days=91)
    if "checked_on" in overrides:
        data["checked_on"] = overrides["checked_on"]
    return actions.do_record_resettlement_check(case, acting_user=user(by), **data)


def record_reoffending(case: Case, by: str = "police.liaison", **overrides: Any) -> ReoffendingRecord:
    data = reoffending_data(**overrides)
    data["occurred_on"] = overrides.get("occurred_on", today() - timedelta(days=10))
    return actions.do_record_reoffending(case, acting_user=user(by), **data)


def not_found_bytes(client: APIClient, tail: str) -> bytes:
    response = client.get(f"/api/v1/cases/{RANDOM_ID}/{tail}/")
    assert response.status_code == 404
    return response.content


# --- follow-ups after release: who writes ----------------------------------------------------------------------


@pytest.mark.parametrize("username", PLAN_WRITERS)
def test_plan_writers_record_a_follow_up_after_release(world, released, api_as, username):
    response = api_as(username).post(path(world.case, "resettlement-checks"), check_data())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["plan"], body["category"], body["author"]) == (str(released.pk), "plan", username)
    assert (body["accommodation"], body["work_or_education"], body["family_contact"]) == (
        "temporary",
        "in_education",
        "regular",
    )
    check = ResettlementCheck.objects.get(pk=body["id"])
    assert (check.case_id, check.person_id, check.plan_id) == (world.case.pk, world.case.person_id, released.pk)
    event = AuditEvent.objects.get(action="create", object_type="resettlement_check", object_id=body["id"])
    assert event.actor == user(username) and str(event.case_id) == str(world.case.pk)
    assert event.detail["months_after_release"] == 2  # 91 days after, whichever months they span
    assert event.detail["family_contact"] == "regular"
    assert "note" not in event.detail  # the log holds codes, never what was written


@pytest.mark.parametrize("username", [*PLAN_READERS, "mentor.one"])
def test_members_who_do_not_write_the_plan_get_403_even_with_bad_input(world, released, api_as, username):
    client = api_as(username)
    before = writes()
    for data in (check_data(), {"accommodation": "castle"}):
        response = client.post(path(world.case, "resettlement-checks"), data)
        assert response.status_code == 403, response.json()
    assert not ResettlementCheck.objects.exists() and writes() == before


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_the_404_of_a_case_that_does_not_exist(world, released, api_as, username):
    record_check(world.case)
    client = api_as(username)
    response = client.post(path(world.case, "resettlement-checks"), check_data())
    assert response.status_code == 404 and response.json() == NOT_FOUND
    listing = client.get(path(world.case, "resettlement-checks"))
    assert listing.content == not_found_bytes(client, "resettlement-checks")
    assert ResettlementCheck.objects.count() == 1


# --- follow-ups after release: who reads -----------------------------------------------------------------------


@pytest.mark.parametrize("username", [*PLAN_WRITERS, *PLAN_READERS])
def test_members_that_read_the_plan_list_the_follow_ups_latest_first(world, released, api_as, username):
    released_on = released.released_on
    assert released_on is not None
    older = record_check(world.case, checked_on=released_on + timedelta(days=91))
    newer = record_check(world.case, checked_on=released_on + timedelta(days=182), accommodation="settled")
    body = api_as(username).get(path(world.case, "resettlement-checks")).json()
    assert body["count"] == 2
    assert [c["id"] for c in body["results"]] == [str(newer.pk), str(older.pk)]
    assert body["results"][0]["accommodation"] == "settled"
    assert body["results"][0]["visibility"]["basis"]


def test_mentoring_is_a_member_and_sees_no_follow_up(world, released, api_as):
    record_check(world.case)
    response = api_as("mentor.one").get(path(world.case, "resettlement-checks"))
    assert response.status_code == 200 and response.json()["count"] == 0


def test_reading_the_follow_ups_is_logged_as_disclosure(world, released, api_as):
    check = record_check(world.case, by="muni.coordinator")
    api_as("police.liaison").get(path(world.case, "resettlement-checks"))
    shown = Disclosure.objects.filter(viewer__username="police.liaison", record_id=check.pk)
    assert shown.count() == 1 and shown.get().record_type == "resettlement_check"


# --- follow-ups after release: bad input ------------------------------------------------------------------------


def _day(days_after_release: int) -> str:
    return (today() - timedelta(days=RELEASED_DAYS_AGO - days_after_release)).isoformat()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (check_data(checked_on=_day(-1)), "checked_on"),
        (check_data(checked_on=(today() + timedelta(days=1)).isoformat()), "checked_on"),
        (check_data(checked_on="2026-02-30"), "checked_on"),
        (check_data(checked_on=""), "checked_on"),
        (check_data(accommodation="castle"), "accommodation"),
        (check_data(work_or_education=""), "work_or_education"),
        (check_data(family_contact="mother"), "family_contact"),
        (check_data(note="x" * 5001), "note"),
        ({"checked_on": _day(10)}, "accommodation"),
    ],
)
def test_a_bad_follow_up_is_400_and_writes_nothing(world, released, api_as, data, field):
    before = writes()
    response = api_as("prob.officer").post(path(world.case, "resettlement-checks"), data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ResettlementCheck.objects.exists() and writes() == before


def test_the_day_of_release_itself_is_a_valid_follow_up_day(world, released, api_as):
    response = api_as("prob.officer").post(path(world.case, "resettlement-checks"), check_data(checked_on=_day(0)))
    assert response.status_code == 201, response.json()


def test_a_follow_up_needs_a_recorded_release(world, api_as):
    client = api_as("pn.casemanager")
    before = writes()
    # No release plan at all, then a plan that is not released yet: a 400 with nothing written.
    response = client.post(path(world.case, "resettlement-checks"), check_data(checked_on=today().isoformat()))
    assert response.status_code == 400 and "release" in response.json()["detail"]
    actions.do_create_release_plan(
        world.case, expected_release_on=today() + timedelta(days=70), acting_user=user("pn.casemanager")
    )
    before = writes()
    response = client.post(path(world.case, "resettlement-checks"), check_data(checked_on=today().isoformat()))
    assert response.status_code == 400 and "release" in response.json()["detail"]
    assert not ResettlementCheck.objects.exists() and writes() == before


def test_without_credentials_it_is_401(world, released):
    assert APIClient().get(path(world.case, "resettlement-checks")).status_code == 401
    assert APIClient().post(path(world.case, "reoffending"), reoffending_data()).status_code == 401


# --- recall and re-offending: who writes ----------------------------------------------------------------------


@pytest.mark.parametrize("username", LEGAL_WRITERS)
def test_legal_writers_record_a_recall_or_reoffending(world, released, api_as, username):
    response = api_as(username).post(path(world.case, "reoffending"), reoffending_data())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["source"], body["source_reference"], body["category"]) == (
        "recall",
        "probation",
        "REC-2026-117",
        "legal",
    )
    event = AuditEvent.objects.get(action="create", object_type="reoffending_record", object_id=body["id"])
    assert event.actor == user(username)
    assert event.detail == {"kind": "recall", "occurred_on": reoffending_data()["occurred_on"], "source": "probation"}


def test_any_case_may_have_one_released_or_not(world, api_as):
    # Amira is still in custody, with no release plan: the prison records a new charge.
    response = api_as("pn.casemanager").post(
        path(world.case, "reoffending"), reoffending_data(kind="new_charge", source="police", source_reference="")
    )
    assert response.status_code == 201, response.json()
    assert not ReleasePlan.objects.filter(case=world.case).exists()
    # Recording it changes nothing else of the case.
    assert Case.objects.get(pk=world.case.pk).phase == world.case.phase


@pytest.mark.parametrize("username", [*LEGAL_READERS, *LEGAL_BLIND_MEMBERS])
def test_members_who_do_not_write_legal_records_get_403_even_with_bad_input(world, released, api_as, username):
    client = api_as(username)
    before = writes()
    for data in (reoffending_data(), {"kind": "verdict"}):
        assert client.post(path(world.case, "reoffending"), data).status_code == 403
    assert not ReoffendingRecord.objects.exists() and writes() == before


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_reoffending(world, released, api_as, username):
    record_reoffending(world.case)
    client = api_as(username)
    response = client.post(path(world.case, "reoffending"), reoffending_data())
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert client.get(path(world.case, "reoffending")).content == not_found_bytes(client, "reoffending")
    assert ReoffendingRecord.objects.count() == 1


# --- recall and re-offending: who reads ------------------------------------------------------------------------


@pytest.mark.parametrize("username", [*LEGAL_WRITERS, *LEGAL_READERS])
def test_members_that_read_legal_records_list_them_latest_first(world, released, api_as, username):
    older = record_reoffending(world.case, kind="new_charge", occurred_on=today() - timedelta(days=40))
    newer = record_reoffending(world.case, kind="recall", occurred_on=today() - timedelta(days=3))
    body = api_as(username).get(path(world.case, "reoffending")).json()
    assert [r["id"] for r in body["results"]] == [str(newer.pk), str(older.pk)]
    assert body["results"][1]["kind"] == "new_charge"


@pytest.mark.parametrize("username", LEGAL_BLIND_MEMBERS)
def test_members_without_legal_access_see_no_record(world, released, api_as, username):
    record_reoffending(world.case)
    response = api_as(username).get(path(world.case, "reoffending"))
    assert response.status_code == 200 and response.json()["count"] == 0


def test_child_welfare_reads_them_once_the_trial_is_concluded(world, released, api_as):
    record = record_reoffending(world.case)
    case = Case.objects.get(pk=world.case.pk)
    case_actions.do_update_case(
        case, version=case.version, trial_concluded_on=today() - timedelta(days=1), acting_user=user("prob.officer")
    )
    body = api_as("cw.worker").get(path(world.case, "reoffending")).json()
    assert [r["id"] for r in body["results"]] == [str(record.pk)]


def test_an_author_may_withhold_a_record_and_the_police_always_see_their_own(world, released, api_as):
    record = record_reoffending(world.case, by="police.liaison")
    ReoffendingRecord.objects.filter(pk=record.pk).update(withhold_from=",type:municipality,")
    assert api_as("muni.coordinator").get(path(world.case, "reoffending")).json()["count"] == 0
    assert api_as("exit.worker").get(path(world.case, "reoffending")).json()["count"] == 1
    assert api_as("police.liaison").get(path(world.case, "reoffending")).json()["count"] == 1


def test_reading_reoffending_is_logged_as_disclosure(world, released, api_as):
    record = record_reoffending(world.case, by="police.liaison")
    api_as("muni.coordinator").get(path(world.case, "reoffending"))
    assert Disclosure.objects.filter(viewer__username="muni.coordinator", record_id=record.pk).count() == 1


# --- recall and re-offending: bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (reoffending_data(kind="verdict"), "kind"),
        (reoffending_data(kind=""), "kind"),
        (reoffending_data(source="newspaper"), "source"),
        (reoffending_data(occurred_on=(today() + timedelta(days=1)).isoformat()), "occurred_on"),
        (reoffending_data(occurred_on="1999-13-01"), "occurred_on"),
        (reoffending_data(occurred_on="1899-01-01"), "occurred_on"),
        (reoffending_data(source_reference="x" * 201), "source_reference"),
        (reoffending_data(note="x" * 5001), "note"),
        ({"kind": "recall"}, "occurred_on"),
    ],
)
def test_a_bad_reoffending_record_is_400_and_writes_nothing(world, released, api_as, data, field):
    before = writes()
    response = api_as("prob.officer").post(path(world.case, "reoffending"), data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ReoffendingRecord.objects.exists() and writes() == before


def test_a_closed_case_takes_no_new_record(world, released, api_as):
    Case.objects.filter(pk=world.case.pk).update(phase="closed")
    client = api_as("prob.officer")
    assert client.post(path(world.case, "reoffending"), reoffending_data()).status_code == 403
    assert client.post(path(world.case, "resettlement-checks"), check_data()).status_code == 403
    assert not ReoffendingRecord.objects.exists() and not ResettlementCheck.objects.exists()


# --- the record's place among the others ---------------------------------------------------------------------------


def test_both_appear_on_the_persons_timeline_by_their_own_day(world, released, api_as):
    check = record_check(world.case)
    record = record_reoffending(world.case)
    assert check.timeline_date() == check.checked_on and record.timeline_date() == record.occurred_on
    assert "as recorded by" in record.timeline_label() and "Follow-up after release" in check.timeline_label()
    assert record.record_text() == record.note and check.record_text() == check.note
