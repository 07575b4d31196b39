"""API.md, "Transition and release": release plans, their items, the calendar, scenarios, the release
and reviews of release conditions (issue 14), through the API as the demo personas.

The world is tests/api_world.py: Amira's custody case (lead Prison North) has every demo organisation
but Prison South as a member; Bilal's community case (lead Harbour Municipality) has only the
municipality and probation. What each member sees of a release plan follows DESIGN.md section 5:
the gate plan and the police contact are ``security``, family and children ``family``, legal status
``legal``, the other thirteen domains ``plan`` (``transition.choices.DOMAIN_CATEGORY``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from continuum.accounts import actions as account_actions
from continuum.accounts.choices import Role
from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Case, CaseMember, CustodyEpisode, Handover, PhaseChange
from continuum.people import actions as people_actions
from continuum.plans import actions as plan_actions
from continuum.plans.models import Intervention, Milestone, Plan
from continuum.sharing.actions import do_change_policy
from continuum.sharing.models import Disclosure
from continuum.transition import actions
from continuum.transition.choices import Domain
from continuum.transition.models import ConditionReview, ReleaseItem, ReleasePlan, Scenario
from tests.api_world import NOT_FOUND, RANDOM_ID
from tests.plans_world import org, plan_with_goal, today, user

pytestmark = pytest.mark.django_db

ALL = frozenset(Domain.values)
SECURITY = frozenset({"gate_plan", "police_contact"})
# What each member of Amira's case sees of her release plan (the matrix's read columns; R7: child
# welfare reads ``legal`` only once the trial is concluded, and it is not).
SEES = {
    "pn.casemanager": ALL,
    "prob.officer": ALL,
    "cp.coordinator": ALL,
    "police.liaison": ALL - {"family_children"},
    "muni.coordinator": ALL - SECURITY,
    "exit.worker": ALL - SECURITY,
    "mh.clinician": ALL - SECURITY,
    "family.counsellor": ALL - SECURITY - {"legal_status"},
    "cw.worker": ALL - SECURITY - {"legal_status"},
}
# Members whose organisation writes ``plan`` (and so the release plan) on Amira's case, and those
# that only read it.
PLAN_WRITERS = ["pn.casemanager", "prob.officer", "muni.coordinator", "exit.worker", "cp.coordinator"]
PLAN_READERS = ["police.liaison", "family.counsellor", "mh.clinician", "cw.worker"]
# Who sees nothing of a release plan: not a member (Prison South), research (R9), DPO and admin
# (R10), and mentoring (R8: identity and the milestones assigned to it only).
HIDDEN = ["ps.casemanager", "evaluator", "dpo", "admin", "mentor.one"]
OUTSIDERS = ["ps.casemanager", "evaluator", "dpo", "admin"]
WRITES = ("create", "update", "delete")
LEADS = {"ps.casemanager": "prison-south", "pn.casemanager": "prison-north", "muni.coordinator": "municipality-harbour"}


@pytest.fixture
def api_as(api_as):
    """The shared fixture's clients, sending JSON by default."""

    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def begin(case: Case, by: str = "pn.casemanager", **fields: Any) -> ReleasePlan:
    fields.setdefault("expected_release_on", today() + timedelta(days=70))
    fields.setdefault("destination_municipality", org("municipality-harbour"))
    return actions.do_create_release_plan(case, acting_user=user(by), **fields)


def item_of(plan: ReleasePlan, domain: str) -> ReleaseItem:
    return ReleaseItem.objects.get(plan=plan, domain=domain)


def settle(plan: ReleasePlan, domain: str, status: str = "done", *, by: str = "pn.casemanager", note: str = "") -> None:
    item = item_of(plan, domain)
    actions.do_update_release_item(item, version=item.version, status=status, note=note, acting_user=user(by))


def writes() -> int:
    """Audit events of changes (reads and denials are logged too; they change nothing)."""
    return AuditEvent.objects.filter(action__in=WRITES).count()


def new_case(
    given: str, *, lead: str = "ps.casemanager", phase: str = "custody", members: tuple[str, ...] = ()
) -> Case:
    """A case of a new person, led by ``lead``'s organisation, with ``members`` (slugs) in its team."""
    lead_user = user(lead)
    person = people_actions.do_create_person(
        given_name=given, family_name="Example", birth_date=date(1990, 1, 1), gender="male", acting_user=lead_user
    )
    case = case_actions.do_open_case(
        person=person, lead_organisation=org(LEADS[lead]), phase=phase, acting_user=lead_user
    )
    for slug in members:
        case_actions.do_add_member(case, organisation=org(slug), acting_user=lead_user)
    return case


def path(case: Case, tail: str = "release-plan") -> str:
    return f"/api/v1/cases/{case.pk}/{tail}/"


def not_found_bytes(client: APIClient, tail: str = "release-plan") -> bytes:
    """The answer for a case that does not exist: a hidden one must be byte-identical (R12)."""
    response = client.get(f"/api/v1/cases/{RANDOM_ID}/{tail}/")
    assert response.status_code == 404
    return response.content


# --- reading the plan -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(SEES))
def test_each_member_sees_the_items_its_kind_of_organisation_reads(world, api_as, username):
    plan = begin(world.case)
    response = api_as(username).get(path(world.case))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(plan.pk) and body["version"] == 1
    assert body["expected_release_on"] == plan.expected_release_on.isoformat()
    assert body["release_type"] == "end_of_sentence" and body["destination_municipality"] == "municipality-harbour"
    domains = [i["domain"] for i in body["items"]]
    assert set(domains) == SEES[username]
    # In the order of API.md's domains, and readiness over the items shown, not over all sixteen.
    assert domains == [d for d in Domain.values if d in SEES[username]]
    assert body["readiness"] == {"settled": 0, "total": len(SEES[username]), "percent": 0}
    assert set(body["open_domains"]) == SEES[username]
    for shown in body["items"]:
        assert set(shown) >= {"id", "domain", "status", "owner_organisation", "due_on", "note", "version"}


@pytest.mark.parametrize("username", sorted(SEES))
def test_each_item_is_read_by_id_exactly_by_those_who_see_it_in_the_plan(world, api_as, username):
    plan = begin(world.case)
    client = api_as(username)
    missing = client.get(f"/api/v1/release-items/{RANDOM_ID}/").content
    for item in ReleaseItem.objects.filter(plan=plan):
        response = client.get(f"/api/v1/release-items/{item.pk}/")
        if item.domain in SEES[username]:
            assert response.status_code == 200, item.domain
            body = response.json()
            assert (body["domain"], body["plan"], body["category"]) == (item.domain, str(plan.pk), item.category)
        else:
            assert response.status_code == 404 and response.content == missing, item.domain


@pytest.mark.parametrize("username", HIDDEN)
def test_those_who_see_nothing_get_the_404_of_a_case_that_does_not_exist(world, api_as, username):
    plan = begin(world.case)
    client = api_as(username)
    hidden = client.get(path(world.case))
    assert hidden.status_code == 404
    assert hidden.content == not_found_bytes(client)
    for domain in ("accommodation", "gate_plan", "police_contact"):
        response = client.get(f"/api/v1/release-items/{item_of(plan, domain).pk}/")
        assert response.status_code == 404 and response.json() == NOT_FOUND
    scenarios = client.get(path(world.case, "scenarios"))
    if username == "mentor.one":  # a member: the case is there, its scenarios are not
        assert scenarios.status_code == 200 and scenarios.json()["count"] == 0
    else:
        assert scenarios.content == not_found_bytes(client, "scenarios")


def test_a_case_without_a_plan_answers_404_like_a_case_that_does_not_exist(world, api_as):
    client = api_as("prob.officer")
    response = client.get(path(world.case))
    assert response.status_code == 404 and response.content == not_found_bytes(client)
    assert client.get("/api/v1/cases/not-a-uuid/release-plan/").json() == NOT_FOUND
    assert client.get(f"/api/v1/release-items/{RANDOM_ID}/").json() == NOT_FOUND
    assert client.get("/api/v1/release-items/not-a-uuid/").json() == NOT_FOUND


def test_without_credentials_it_is_401(world):
    plan = begin(world.case)
    assert APIClient().get(path(world.case)).status_code == 401
    assert APIClient().get(f"/api/v1/release-items/{item_of(plan, 'accommodation').pk}/").status_code == 401
    assert APIClient().get("/api/v1/releases/").status_code == 401


def test_the_municipality_never_sees_the_gate_plan_or_the_police_contact(world, api_as):
    plan = begin(world.case)
    settle(plan, "gate_plan", note="His sister meets him at the gate; the old group was seen nearby.")
    client = api_as("muni.coordinator")
    body = client.get(path(world.case)).json()
    assert not {i["domain"] for i in body["items"]} & SECURITY
    assert "sister" not in str(body)
    # Its readiness counts only what it sees: the settled gate plan is not among it.
    assert body["readiness"] == {"settled": 0, "total": 14, "percent": 0}
    for domain in SECURITY:
        response = client.get(f"/api/v1/release-items/{item_of(plan, domain).pk}/")
        assert response.status_code == 404 and response.json() == NOT_FOUND
    # Probation, which reads security, counts it.
    assert api_as("prob.officer").get(path(world.case)).json()["readiness"]["settled"] == 1


def test_police_sees_the_police_contact_only_while_the_matrix_lets_it_and_it_is_a_member(world, api_as):
    plan = begin(world.case)
    contact = item_of(plan, "police_contact")
    client = api_as("police.liaison")
    assert client.get(f"/api/v1/release-items/{contact.pk}/").json()["domain"] == "police_contact"
    # The DPO takes security out of the police's column: the item goes, with the gate plan.
    do_change_policy({("police", "security"): "none"}, note="test", acting_user=user("dpo"))
    gone = client.get(f"/api/v1/release-items/{contact.pk}/")
    assert gone.status_code == 404 and gone.json() == NOT_FOUND
    assert not {i["domain"] for i in client.get(path(world.case)).json()["items"]} & SECURITY
    do_change_policy({("police", "security"): "write"}, note="test", acting_user=user("dpo"))
    assert client.get(f"/api/v1/release-items/{contact.pk}/").status_code == 200
    # Once its membership ends, the police sees nothing of the case (R1).
    case_actions.do_end_membership(world.case, organisation=org("police"), acting_user=user("pn.casemanager"))
    assert client.get(f"/api/v1/release-items/{contact.pk}/").json() == NOT_FOUND
    assert client.get(path(world.case)).content == not_found_bytes(client)


def test_child_welfare_reads_the_legal_status_once_the_trial_is_concluded(world, api_as):
    begin(world.case)
    client = api_as("cw.worker")
    assert "legal_status" not in {i["domain"] for i in client.get(path(world.case)).json()["items"]}
    case = Case.objects.get(pk=world.case.pk)
    case_actions.do_update_case(
        case, version=case.version, trial_concluded_on=today() - timedelta(days=1), acting_user=user("pn.casemanager")
    )
    body = client.get(path(world.case)).json()
    assert {i["domain"] for i in body["items"]} == SEES["cw.worker"] | {"legal_status"}
    assert body["readiness"]["total"] == 14


def test_reading_the_plan_is_logged_as_disclosure_of_what_was_shown(world, api_as):
    plan = begin(world.case)
    api_as("muni.coordinator").get(path(world.case))
    seen = set(Disclosure.objects.filter(viewer__username="muni.coordinator").values_list("record_id", flat=True))
    shown = set(ReleaseItem.objects.filter(plan=plan).exclude(domain__in=SECURITY).values_list("pk", flat=True))
    assert {plan.pk} | shown <= seen
    assert not seen & set(ReleaseItem.objects.filter(plan=plan, domain__in=SECURITY).values_list("pk", flat=True))


# --- beginning the plan -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PLAN_WRITERS)
def test_plan_writers_begin_the_plan_with_sixteen_items_not_started(world, api_as, username):
    response = api_as(username).post(
        path(world.case),
        {
            "expected_release_on": "2027-03-01",
            "release_type": "parole",
            "destination_municipality": "municipality-harbour",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["version"] == 1 and body["release_type"] == "parole" and body["expected_release_on"] == "2027-03-01"
    plan = ReleasePlan.objects.get(case=world.case)
    assert body["id"] == str(plan.pk) and plan.author.username == username
    assert sorted(ReleaseItem.objects.filter(plan=plan).values_list("domain", flat=True)) == sorted(Domain.values)
    assert set(ReleaseItem.objects.filter(plan=plan).values_list("status", flat=True)) == {"not_started"}
    assert {i["status"] for i in body["items"]} == {"not_started"}
    event = AuditEvent.objects.get(action="create", object_type="release_plan", actor__username=username)
    assert event.case_id == world.case.pk and event.detail["items"] == 16


def test_owners_are_proposed_from_the_team(world, api_as):
    body = api_as("pn.casemanager").post(path(world.case), {"expected_release_on": "2027-03-01"}).json()
    owners = {i["domain"]: i["owner_organisation"] for i in body["items"]}
    assert owners["accommodation"] == "municipality-harbour"
    assert owners["probation_appointment"] == "probation"
    assert owners["police_contact"] == "police"
    assert owners["gate_plan"] == "prison-north"
    assert owners["mental_health"] == "mental-health"
    assert owners["family_children"] == "family-counselling"
    assert owners["mentor"] == "mentor-network"
    # A team without a prison or the police: those domains have no owner until one is chosen.
    other = api_as("muni.coordinator").post(path(world.other_case), {"expected_release_on": "2027-03-01"}).json()
    owners = {i["domain"]: i["owner_organisation"] for i in other["items"]}
    assert owners["accommodation"] == "municipality-harbour" and owners["drugs_alcohol"] == "probation"
    assert owners["gate_plan"] is None and owners["police_contact"] is None
    assert other["destination_municipality"] is None


def test_a_second_plan_is_refused_and_changes_nothing(world, api_as):
    plan = begin(world.case)
    before = writes()
    response = api_as("prob.officer").post(path(world.case), {"expected_release_on": "2027-05-01"})
    assert response.status_code == 400 and "already" in response.json()["detail"]
    assert ReleasePlan.objects.filter(case=world.case).count() == 1
    assert ReleasePlan.objects.get(pk=plan.pk).expected_release_on == plan.expected_release_on
    assert writes() == before


@pytest.mark.parametrize("username", [*PLAN_READERS, "mentor.one"])
def test_members_who_only_read_the_plan_get_403_even_with_bad_input(world, api_as, username):
    client = api_as(username)
    for data in ({"expected_release_on": "2027-03-01"}, {"release_type": "escape", "destination_municipality": "nope"}):
        response = client.post(path(world.case), data)
        assert response.status_code == 403, (data, response.json())
    assert not ReleasePlan.objects.filter(case=world.case).exists()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_the_404_of_a_case_that_does_not_exist_when_they_post(world, api_as, username):
    client = api_as(username)
    response = client.post(path(world.case), {"expected_release_on": "2027-03-01"})
    assert response.status_code == 404
    assert response.content == client.post(f"/api/v1/cases/{RANDOM_ID}/release-plan/", {}).content
    assert not ReleasePlan.objects.filter(case=world.case).exists()


def test_the_expected_day_is_proposed_from_the_sentence(world, api_as):
    pn = user("pn.casemanager")
    case_actions.do_record_sentence(
        world.case,
        imposed_on=today() - timedelta(days=700),
        starts_on=today() - timedelta(days=690),
        ends_on=today() + timedelta(days=400),
        earliest_release_on=today() + timedelta(days=120),
        acting_user=pn,
    )
    body = api_as("pn.casemanager").post(path(world.case), {}).json()
    assert body["expected_release_on"] == (today() + timedelta(days=120)).isoformat()
    assert body["release_type"] == "end_of_sentence" and body["destination_municipality"] is None
    # Without an earliest release, the sentence's end.
    case = new_case("Karim")
    case_actions.do_record_sentence(
        case,
        imposed_on=today() - timedelta(days=100),
        starts_on=today() - timedelta(days=90),
        ends_on=today() + timedelta(days=300),
        acting_user=user("ps.casemanager"),
    )
    body = api_as("ps.casemanager").post(path(case), {}).json()
    assert body["expected_release_on"] == (today() + timedelta(days=300)).isoformat()


def test_no_expected_day_and_no_sentence_is_400(world, api_as):
    before = writes()
    response = api_as("pn.casemanager").post(path(world.case), {"release_type": "conditional"})
    assert response.status_code == 400 and "expected_release_on" in response.json()
    assert not ReleasePlan.objects.filter(case=world.case).exists() and writes() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"expected_release_on": "2027-02-30"}, "expected_release_on"),
        ({"expected_release_on": "1999-12-31"}, "expected_release_on"),
        ({"expected_release_on": "2027-03-01", "release_type": "escape"}, "release_type"),
        ({"expected_release_on": "2027-03-01", "destination_municipality": "atlantis"}, "destination_municipality"),
        ({"expected_release_on": "2027-03-01", "destination_municipality": "probation"}, "destination_municipality"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(world, api_as, data, field):
    before = (writes(), ReleaseItem.objects.count())
    response = api_as("pn.casemanager").post(path(world.case), data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ReleasePlan.objects.filter(case=world.case).exists()
    assert (writes(), ReleaseItem.objects.count()) == before


def test_a_plan_is_not_begun_before_the_trial(world, api_as):
    case = new_case("Omar", phase="pre_trial")
    response = api_as("ps.casemanager").post(path(case), {"expected_release_on": "2027-03-01"})
    assert response.status_code == 400 and not ReleasePlan.objects.filter(case=case).exists()


# --- changing the plan ----------------------------------------------------------------------------------------------


def test_a_plan_writer_changes_the_plan_and_a_stale_version_is_409(world, api_as):
    plan = begin(world.case)
    first, second = api_as("pn.casemanager"), api_as("prob.officer")
    ok = first.patch(path(world.case), {"version": 1, "expected_release_on": "2027-04-15", "release_type": "parole"})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == 2 and ok.json()["expected_release_on"] == "2027-04-15"
    stale = second.patch(path(world.case), {"version": 1, "release_type": "deportation"})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    plan.refresh_from_db()
    assert (plan.release_type, plan.version, plan.expected_release_on) == ("parole", 2, date(2027, 4, 15))
    event = AuditEvent.objects.get(action="update", object_type="release_plan")
    assert event.detail["changes"]["release_type"] == {"old": "end_of_sentence", "new": "parole"}
    assert event.detail["changes"]["expected_release_on"]["new"] == "2027-04-15"
    assert not AuditEvent.objects.filter(action="update", object_type="release_plan", actor__username="prob.officer")


def test_patching_the_plan_needs_a_version_and_a_writer(world, api_as):
    begin(world.case)
    missing = api_as("prob.officer").patch(path(world.case), {"release_type": "parole"})
    assert missing.status_code == 400 and "version" in missing.json()
    for username in PLAN_READERS:
        refused = api_as(username).patch(path(world.case), {"version": 1, "release_type": "bogus"})
        assert refused.status_code == 403, username
    for username in HIDDEN:
        client = api_as(username)
        hidden = client.patch(path(world.case), {"version": 1, "release_type": "parole"})
        assert hidden.status_code == 404 and hidden.json() == NOT_FOUND
    bad = api_as("prob.officer").patch(path(world.case), {"version": 1, "destination_municipality": "police"})
    assert bad.status_code == 400 and "destination_municipality" in bad.json()
    assert ReleasePlan.objects.get(case=world.case).version == 1


# --- items ------------------------------------------------------------------------------------------------------------


def item_url(item: ReleaseItem) -> str:
    return f"/api/v1/release-items/{item.pk}/"


def test_an_item_changes_status_and_the_change_is_audited_with_old_and_new_values(world, api_as):
    plan = begin(world.case)
    accommodation = item_of(plan, "accommodation")
    client = api_as("muni.coordinator")
    assert client.get(item_url(accommodation)).json()["version"] == 1
    response = client.patch(
        item_url(accommodation),
        {"version": 1, "status": "in_progress", "due_on": "2027-01-15", "note": "A room in supported housing."},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["version"], body["due_on"]) == ("in_progress", 2, "2027-01-15")
    assert body["updated_by"] == "muni.coordinator" and body["settled"] is False
    accommodation.refresh_from_db()
    assert accommodation.status == "in_progress" and accommodation.note == "A room in supported housing."
    event = AuditEvent.objects.get(action="update", object_type="release_item", object_id=str(accommodation.pk))
    assert event.actor_username == "muni.coordinator" and event.case_id == world.case.pk
    assert event.detail["domain"] == "accommodation"
    assert event.detail["changes"]["status"] == {"old": "not_started", "new": "in_progress"}
    assert event.detail["changes"]["due_on"] == {"old": None, "new": "2027-01-15"}
    # That the note changed, never what it says.
    assert event.detail["note_changed"] is True
    assert "supported housing" not in str(event.detail)
    # The plan's readiness follows.
    settled = client.patch(item_url(accommodation), {"version": 2, "status": "done"}).json()
    assert settled["settled"] is True
    assert client.get(path(world.case)).json()["readiness"] == {"settled": 1, "total": 14, "percent": 7}


@pytest.mark.parametrize("status", ["support_declined", "support_not_required"])
def test_declining_or_not_needed_without_a_note_in_the_same_request_is_400_and_changes_nothing(world, api_as, status):
    plan = begin(world.case)
    faith = item_of(plan, "faith_community")
    client = api_as("pn.casemanager")
    # A note written for another status is no reason for this one.
    noted = client.patch(item_url(faith), {"version": 1, "note": "Asked about the prison imam."})
    assert noted.status_code == 200 and noted.json()["version"] == 2
    before = writes()
    for data in ({"version": 2, "status": status}, {"version": 2, "status": status, "note": "   "}):
        response = client.patch(item_url(faith), data)
        assert response.status_code == 400 and "note" in response.json(), response.json()
    faith.refresh_from_db()
    assert (faith.status, faith.version, faith.note) == ("not_started", 2, "Asked about the prison imam.")
    assert writes() == before
    ok = client.patch(item_url(faith), {"version": 2, "status": status, "note": "He will find his own mosque."})
    assert ok.status_code == 200 and ok.json()["status"] == status and ok.json()["settled"] is True
    # Once declined with a reason, its due date may change without repeating the reason.
    assert client.patch(item_url(faith), {"version": 3, "due_on": "2027-02-01"}).status_code == 200
    # ... but emptying the reason of a declined item is refused.
    emptied = client.patch(item_url(faith), {"version": 4, "note": ""})
    assert emptied.status_code == 400 and ReleaseItem.objects.get(pk=faith.pk).version == 4


def test_a_stale_item_is_409_and_the_first_change_stays(world, api_as):
    plan = begin(world.case)
    accommodation = item_of(plan, "accommodation")
    first, second = api_as("muni.coordinator"), api_as("pn.casemanager")
    read = second.get(item_url(accommodation)).json()["version"]
    assert first.patch(item_url(accommodation), {"version": read, "status": "in_progress"}).status_code == 200
    stale = second.patch(item_url(accommodation), {"version": read, "status": "done"})
    assert stale.status_code == 409 and stale.json()["version"] == read + 1
    accommodation.refresh_from_db()
    assert (accommodation.status, accommodation.version) == ("in_progress", read + 1)
    assert AuditEvent.objects.filter(object_type="release_item", action="update").count() == 1
    missing = second.patch(item_url(accommodation), {"status": "done"})
    assert missing.status_code == 400 and "version" in missing.json()


@pytest.mark.parametrize("owner", ["prison-south", "atlantis", "evaluation-institute"])
def test_the_owner_must_be_a_current_member(world, api_as, owner):
    plan = begin(world.case)
    accommodation = item_of(plan, "accommodation")
    response = api_as("pn.casemanager").patch(item_url(accommodation), {"version": 1, "owner_organisation": owner})
    assert response.status_code == 400 and "owner_organisation" in response.json()
    accommodation.refresh_from_db()
    assert accommodation.owner_organisation == org("municipality-harbour") and accommodation.version == 1


def test_a_former_member_cannot_be_made_owner(world, api_as):
    plan = begin(world.case)
    case_actions.do_end_membership(world.case, organisation=org("exit-ngo"), acting_user=user("pn.casemanager"))
    response = api_as("pn.casemanager").patch(
        item_url(item_of(plan, "mentor")), {"version": 1, "owner_organisation": "exit-ngo"}
    )
    assert response.status_code == 400 and "owner_organisation" in response.json()


def test_the_owner_organisation_updates_its_item_though_it_only_reads_plans(world, api_as):
    plan = begin(world.case)
    mental_health = item_of(plan, "mental_health")  # owned by the mental health service, which reads ``plan``
    client = api_as("mh.clinician")
    response = client.patch(item_url(mental_health), {"version": 1, "status": "in_progress"})
    assert response.status_code == 200 and response.json()["updated_by"] == "mh.clinician"
    # Not an item it does not own: 403, even with bad input.
    accommodation = item_of(plan, "accommodation")
    for data in ({"version": 1, "status": "done"}, {"version": 99, "status": "bogus", "owner_organisation": "x"}):
        refused = client.patch(item_url(accommodation), data)
        assert refused.status_code == 403, (data, refused.json())
    assert ReleaseItem.objects.get(pk=accommodation.pk).version == 1
    # Made the owner, it may.
    api_as("pn.casemanager").patch(item_url(accommodation), {"version": 1, "owner_organisation": "mental-health"})
    assert client.patch(item_url(accommodation), {"version": 2, "status": "support_required"}).status_code == 200


@pytest.mark.parametrize("username", ["police.liaison", "family.counsellor", "cw.worker"])
def test_neither_owner_nor_writer_gets_403_before_the_input_is_looked_at(world, api_as, username):
    plan = begin(world.case)
    accommodation = item_of(plan, "accommodation")
    client = api_as(username)
    for data in ({"version": 1, "status": "done"}, {"version": 1, "status": "bogus"}, {"status": "done"}):
        response = client.patch(item_url(accommodation), data)
        assert response.status_code == 403, (data, response.json())
    accommodation.refresh_from_db()
    assert (accommodation.status, accommodation.version) == ("not_started", 1)
    assert not AuditEvent.objects.filter(action="update", object_type="release_item")


def test_security_items_are_written_by_security_writers_and_hidden_from_the_rest(world, api_as):
    plan = begin(world.case)
    contact, gate = item_of(plan, "police_contact"), item_of(plan, "gate_plan")
    police = api_as("police.liaison")
    assert police.patch(item_url(contact), {"version": 1, "status": "in_progress"}).status_code == 200
    assert police.patch(item_url(gate), {"version": 1, "note": "Two known men seen near the gate."}).status_code == 200
    # Probation reads security but does not write it, and owns neither: 403.
    assert api_as("prob.officer").patch(item_url(gate), {"version": 2, "status": "done"}).status_code == 403
    # The municipality does not see them: 404, the answer for an item that does not exist.
    muni = api_as("muni.coordinator")
    for item in (contact, gate):
        hidden = muni.patch(item_url(item), {"version": 2, "status": "done"})
        assert hidden.status_code == 404
        assert hidden.content == muni.patch(f"/api/v1/release-items/{RANDOM_ID}/", {"version": 2}).content
    assert ReleaseItem.objects.get(pk=gate.pk).status == "not_started"


@pytest.mark.parametrize("username", HIDDEN)
def test_those_who_see_nothing_cannot_patch_an_item(world, api_as, username):
    plan = begin(world.case)
    response = api_as(username).patch(item_url(item_of(plan, "accommodation")), {"version": 1, "status": "done"})
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert item_of(plan, "accommodation").status == "not_started"


# --- readiness --------------------------------------------------------------------------------------------------------


def test_readiness_counts_settled_items_over_what_the_reader_sees(world, api_as):
    plan = begin(world.case)
    settle(plan, "accommodation", "done")
    settle(plan, "drugs_alcohol", "support_not_required", note="No use known.")
    settle(plan, "faith_community", "support_declined", note="He declines.")
    settle(plan, "gate_plan", "done")
    settle(plan, "education_work", "in_progress")  # open
    settle(plan, "health", "support_required")  # open
    expected = {
        "pn.casemanager": {"settled": 4, "total": 16, "percent": 25},
        "police.liaison": {"settled": 4, "total": 15, "percent": 27},
        "muni.coordinator": {"settled": 3, "total": 14, "percent": 21},
        "family.counsellor": {"settled": 3, "total": 13, "percent": 23},
    }
    for username, readiness in expected.items():
        body = api_as(username).get(path(world.case)).json()
        assert body["readiness"] == readiness, username
        assert {"education_work", "health"} <= set(body["open_domains"])
        assert not {"accommodation", "drugs_alcohol", "faith_community", "gate_plan"} & set(body["open_domains"])


def test_readiness_rounds_halves_up(world, api_as):
    plan = begin(world.case)
    settle(plan, "accommodation")
    settle(plan, "bank_account")
    # 2 of 16 is 12.5 %: shown as 13, as people round.
    assert api_as("prob.officer").get(path(world.case)).json()["readiness"] == {
        "settled": 2,
        "total": 16,
        "percent": 13,
    }
    for domain in ALL - {"accommodation", "bank_account"}:
        settle(plan, domain)
    assert api_as("prob.officer").get(path(world.case)).json()["readiness"]["percent"] == 100


# --- alerts on the plan -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "alert"),
    [(-3, "2_weeks"), (0, "2_weeks"), (10, "2_weeks"), (14, "2_weeks"), (15, "3_months"), (400, None)],
)
def test_the_plan_shows_the_nearest_threshold_passed(world, api_as, days, alert):
    begin(world.case, expected_release_on=today() + timedelta(days=days))
    assert api_as("prob.officer").get(path(world.case)).json()["alert"] == alert


def test_no_alert_once_everything_the_reader_sees_is_settled(world, api_as):
    plan = begin(world.case, expected_release_on=today() + timedelta(days=10))
    for domain in ALL - SECURITY:
        settle(plan, domain)
    # The municipality sees no open domain: no alert. Probation still sees the open gate plan.
    assert api_as("muni.coordinator").get(path(world.case)).json()["alert"] is None
    probation = api_as("prob.officer").get(path(world.case)).json()
    assert probation["alert"] == "2_weeks" and probation["open_domains"] == ["police_contact", "gate_plan"]


# --- the release calendar ---------------------------------------------------------------------------------------------


def releases(client: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/releases/", params)
    assert response.status_code == 200, response.json()
    return list(response.json()["results"])


@pytest.fixture
def calendar(world):
    """Three releases: Amira's in 30 days (Prison North's team), Bilal's in 200 (the municipality's
    and probation's), and Karim's in 100 from Prison South with probation, to the municipality."""
    karim = new_case("Karim", members=("probation",))
    plans = {
        "amira": begin(world.case, expected_release_on=today() + timedelta(days=30)),
        "bilal": begin(world.other_case, by="muni.coordinator", expected_release_on=today() + timedelta(days=200)),
        "karim": begin(karim, by="ps.casemanager", expected_release_on=today() + timedelta(days=100)),
    }
    return plans


def test_the_calendar_lists_the_members_cases_soonest_first(calendar, api_as):
    rows = releases(api_as("prob.officer"))
    assert [r["case"] for r in rows] == [str(calendar[k].case_id) for k in ("amira", "karim", "bilal")]
    assert all(r["member"] for r in rows)
    first = rows[0]
    assert first["expected_release_on"] == calendar["amira"].expected_release_on.isoformat()
    assert first["destination_municipality"] == "municipality-harbour"
    assert first["readiness"] == {"settled": 0, "total": 16, "percent": 0}
    assert first["open_domains"] == list(Domain.values) and first["alert"] == "3_months"
    assert rows[1]["alert"] == "6_months" and rows[2]["alert"] == "12_months"


def test_within_days_limits_the_calendar_and_overdue_releases_stay(calendar, api_as):
    client = api_as("prob.officer")
    assert [r["case"] for r in releases(client, within_days=60)] == [str(calendar["amira"].case_id)]
    assert len(releases(client, within_days=100)) == 2
    assert releases(client, within_days=0) == []
    late = calendar["amira"]
    actions.do_update_release_plan(
        late, version=late.version, expected_release_on=today() - timedelta(days=2), acting_user=user("pn.casemanager")
    )
    overdue = releases(client, within_days=0)
    assert [r["case"] for r in overdue] == [str(late.case_id)] and overdue[0]["alert"] == "2_weeks"


@pytest.mark.parametrize("value", ["-1", "abc", "99999", "1.5"])
def test_a_bad_within_days_is_400(calendar, api_as, value):
    response = api_as("prob.officer").get("/api/v1/releases/", {"within_days": value})
    assert response.status_code == 400 and "within_days" in response.json()


def test_other_organisations_see_only_their_cases(calendar, api_as):
    amira = str(calendar["amira"].case_id)
    assert [r["case"] for r in releases(api_as("police.liaison"))] == [amira]
    assert [r["case"] for r in releases(api_as("exit.worker"))] == [amira]
    assert [r["case"] for r in releases(api_as("ps.casemanager"))] == [str(calendar["karim"].case_id)]
    police = releases(api_as("police.liaison"))[0]
    assert police["readiness"]["total"] == 15 and "family_children" not in police["open_domains"]
    for username in ("mentor.one", "evaluator", "dpo", "admin"):
        assert releases(api_as(username)) == [], username


def test_the_central_point_sees_every_release_and_of_others_only_an_announcement(calendar, api_as):
    before = AuditEvent.objects.filter(object_type="release_calendar").count()
    rows = {r["case"]: r for r in releases(api_as("cp.coordinator"))}
    amira, bilal, karim = (str(calendar[k].case_id) for k in ("amira", "bilal", "karim"))
    assert list(rows) == [amira, karim, bilal]
    assert rows[amira]["member"] is True
    for case_id in (bilal, karim):
        row = rows[case_id]
        assert row["member"] is False
        # The case number, the day, the destination, readiness and open domains; never the person.
        assert set(row) == {
            "case",
            "case_number",
            "member",
            "expected_release_on",
            "release_type",
            "destination_municipality",
            "readiness",
            "open_domains",
            "alert",
        }
        assert "Example" not in str(row) and "Bilal" not in str(row) and "Karim" not in str(row)
        # Counted over what the central point reads as a member: all sixteen.
        assert row["readiness"]["total"] == 16
    assert rows[karim]["case_number"] == Case.objects.get(pk=karim).number
    # Announcements are audited, with the cases named.
    events = AuditEvent.objects.filter(object_type="release_calendar").order_by("-seq")
    assert events.count() == before + 1
    latest = events[0]
    assert sorted(latest.detail["announced_cases"]) == sorted([bilal, karim])
    assert latest.actor_username == "cp.coordinator"
    # An announcement is not membership: the case and its plan stay a 404.
    cp = api_as("cp.coordinator")
    assert cp.get(f"/api/v1/cases/{karim}/release-plan/").status_code == 404


def test_a_municipality_also_sees_the_releases_naming_it_as_destination(calendar, api_as, persona):
    elsewhere = account_actions.do_create_organisation(
        slug="municipality-hill", name="Hill Municipality", type="municipality", acting_user=None
    )
    account_actions.do_create_user(
        username="hill.coordinator", organisation=elsewhere, role=Role.COORDINATOR, acting_user=None
    )
    yara = new_case("Yara")
    begin(
        yara, by="ps.casemanager", destination_municipality=elsewhere, expected_release_on=today() + timedelta(days=50)
    )
    rows = {r["case"]: r for r in releases(api_as("muni.coordinator"))}
    amira, bilal, karim = (str(calendar[k].case_id) for k in ("amira", "bilal", "karim"))
    assert set(rows) == {amira, bilal, karim}
    assert rows[amira]["member"] is True and rows[bilal]["member"] is True
    announced = rows[karim]
    assert announced["member"] is False and announced["destination_municipality"] == "municipality-harbour"
    # Counted over what a municipality reads: no gate plan, no police contact.
    assert announced["readiness"]["total"] == 14 and not set(announced["open_domains"]) & SECURITY
    assert [r["case"] for r in releases(api_as("hill.coordinator"))] == [str(yara.pk)]
    # The central point sees all four.
    assert len(releases(api_as("cp.coordinator"))) == 4
    event = AuditEvent.objects.filter(object_type="release_calendar", actor__username="muni.coordinator").get()
    assert event.detail["announced_cases"] == [karim]


def test_released_plans_leave_the_calendar(calendar, api_as):
    amira = calendar["amira"]
    actions.do_release(
        Case.objects.get(pk=amira.case_id),
        released_on=today(),
        lead_organisation=org("probation"),
        acting_user=user("pn.casemanager"),
    )
    assert str(amira.case_id) not in {r["case"] for r in releases(api_as("prob.officer"))}
    assert str(amira.case_id) not in {r["case"] for r in releases(api_as("cp.coordinator"))}


def test_reading_the_calendar_is_logged_as_disclosure(calendar, api_as):
    releases(api_as("police.liaison"))
    seen = set(Disclosure.objects.filter(viewer__username="police.liaison").values_list("record_id", flat=True))
    assert calendar["amira"].pk in seen
    assert item_of(calendar["amira"], "police_contact").pk in seen
    assert item_of(calendar["amira"], "family_children").pk not in seen


# --- scenarios --------------------------------------------------------------------------------------------------------


def scenario_data(**overrides: Any) -> dict[str, Any]:
    return {
        "scenario": "A journalist recognises him outside the supermarket.",
        "persons_expected_reaction": "I would get angry and walk away.",
        "coping_strategy": "One sentence, no comment, walk on.",
        "support_contact": "Probation officer",
        "discussed_on": (today() - timedelta(days=3)).isoformat(),
        **overrides,
    }


@pytest.mark.parametrize("username", PLAN_WRITERS)
def test_plan_writers_record_a_scenario_and_members_list_it(world, api_as, username):
    begin(world.case)
    response = api_as(username).post(path(world.case, "scenarios"), scenario_data())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["persons_expected_reaction"] == "I would get angry and walk away." and body["author"] == username
    assert AuditEvent.objects.filter(action="create", object_type="release_scenario", actor__username=username)
    for reader in ("police.liaison", "mh.clinician", "pn.casemanager"):
        listing = api_as(reader).get(path(world.case, "scenarios")).json()
        assert [s["id"] for s in listing["results"]] == [body["id"]]
    assert api_as("prob.officer").get(path(world.case)).json()["scenarios_discussed"] == 1


def test_scenarios_are_listed_newest_discussed_first(world, api_as):
    begin(world.case)
    client = api_as("pn.casemanager")
    for days in (10, 2, 5):
        client.post(
            path(world.case, "scenarios"), scenario_data(discussed_on=(today() - timedelta(days=days)).isoformat())
        )
    listed = [s["discussed_on"] for s in client.get(path(world.case, "scenarios")).json()["results"]]
    assert listed == sorted(listed, reverse=True) and len(listed) == 3


@pytest.mark.parametrize("username", [*PLAN_READERS, "mentor.one"])
def test_members_who_do_not_write_the_plan_get_403_on_scenarios(world, api_as, username):
    begin(world.case)
    for data in (scenario_data(), {"scenario": ""}):
        assert api_as(username).post(path(world.case, "scenarios"), data).status_code == 403
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_scenarios(world, api_as, username):
    begin(world.case)
    client = api_as(username)
    response = client.post(path(world.case, "scenarios"), scenario_data())
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert client.get(path(world.case, "scenarios")).content == not_found_bytes(client, "scenarios")
    assert not Scenario.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (scenario_data(discussed_on=(today() + timedelta(days=1)).isoformat()), "discussed_on"),
        (scenario_data(discussed_on="2026-13-01"), "discussed_on"),
        (scenario_data(scenario=""), "scenario"),
        (scenario_data(persons_expected_reaction=""), "persons_expected_reaction"),
        (scenario_data(support_contact="x" * 201), "support_contact"),
    ],
)
def test_bad_scenarios_are_400_and_written_nowhere(world, api_as, data, field):
    begin(world.case)
    before = writes()
    response = api_as("pn.casemanager").post(path(world.case, "scenarios"), data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Scenario.objects.exists() and writes() == before


def test_a_scenario_needs_a_release_plan(world, api_as):
    response = api_as("pn.casemanager").post(path(world.case, "scenarios"), scenario_data())
    assert response.status_code == 400 and "release plan" in response.json()["detail"]
    assert not Scenario.objects.exists()


# --- the release ------------------------------------------------------------------------------------------------------


@pytest.fixture
def inside(world):
    """Amira in custody at Prison North with a plan (a goal, two open milestones, an intervention)
    and a release plan: what the release must carry over."""
    pn = user("pn.casemanager")
    case_actions.do_start_custody_episode(
        world.case, facility=org("prison-north"), started_on=today() - timedelta(days=400), acting_user=pn
    )
    plan, _goal, milestones = plan_with_goal(world.case, milestones=2)
    intervention = plan_actions.do_add_intervention(
        world.case,
        type="mentoring",
        provider_organisation=org("exit-ngo"),
        starts_on=today() - timedelta(days=30),
        frequency="weekly",
        acting_user=pn,
    )
    release_plan = begin(world.case)
    settle(release_plan, "accommodation")
    return {"plan": plan, "milestones": milestones, "intervention": intervention, "release_plan": release_plan}


def release(client: APIClient, case: Case, **data: Any) -> Any:
    data.setdefault("released_on", today().isoformat())
    return client.post(path(case, "release"), data)


def current_members(case: Case) -> set[str]:
    return set(CaseMember.objects.filter(case=case, until__isnull=True).values_list("organisation__slug", flat=True))


def test_the_release_to_probation_moves_the_whole_case_in_one_step(world, inside, api_as):
    case = world.case
    team_before = current_members(case)
    milestones = Milestone.objects.filter(goal__plan=inside["plan"]).order_by("pk")
    milestones_before = list(milestones.values_list("pk", "achieved_on", "target_on"))
    pn = api_as("pn.casemanager")
    response = release(pn, case, lead_organisation="probation", handover_note="Sister meets her at the gate.")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["released_on"] == today().isoformat() and body["released_to"] == "probation"
    case.refresh_from_db()
    assert (case.phase, case.lead_organisation.slug) == ("probation", "probation")
    # Prison North leaves; every other member stays (the exit worker among them).
    assert current_members(case) == team_before - {"prison-north"}
    assert "exit-ngo" in current_members(case)
    assert CaseMember.objects.get(case=case, organisation__slug="prison-north").until == today()
    # The plan carries on unchanged, with its open milestones and its intervention.
    assert Plan.objects.get(pk=inside["plan"].pk).status == inside["plan"].status
    assert list(milestones.values_list("pk", "achieved_on", "target_on")) == milestones_before
    assert len(milestones_before) == 2 and all(achieved is None for _pk, achieved, _on in milestones_before)
    assert Plan.objects.filter(case=case).count() == 1  # no new plan, no revision
    intervention = Intervention.objects.get(pk=inside["intervention"].pk)
    assert (intervention.status, intervention.ends_on) == (inside["intervention"].status, None)
    # The custody episode ends on the day, the phase change and the hand-over are recorded.
    assert CustodyEpisode.objects.get(case=case).ended_on == today()
    change = PhaseChange.objects.filter(case=case).order_by("-changed_at")[0]
    assert (change.from_phase, change.to_phase, change.changed_by) == ("custody", "probation", user("pn.casemanager"))
    handover = Handover.objects.get(case=case)
    assert (handover.organisation.slug, handover.to_user.username) == ("probation", "prob.officer")
    assert handover.note == "Sister meets her at the gate."
    # The release plan says when and to whom.
    release_plan = ReleasePlan.objects.get(pk=inside["release_plan"].pk)
    assert (release_plan.released_on, release_plan.released_to, release_plan.version) == (
        today(),
        org("probation"),
        inside["release_plan"].version + 1,
    )
    event = AuditEvent.objects.get(action="update", object_type="release_plan", object_id=str(release_plan.pk))
    assert event.detail["lead_organisation"] == "probation" and "gate_plan" in event.detail["open_domains"]
    assert "accommodation" not in event.detail["open_domains"]


def test_after_the_release_the_prison_keeps_what_it_wrote_but_not_the_case(world, inside, api_as):
    assert release(api_as("pn.casemanager"), world.case, lead_organisation="probation").status_code == 200
    pn = api_as("pn.casemanager")
    assert pn.get(f"/api/v1/cases/{world.case.pk}/").content == pn.get(f"/api/v1/cases/{RANDOM_ID}/").content
    assert pn.get(path(world.case)).content == not_found_bytes(pn)
    # The items it wrote (R0), and no longer may change them (R1).
    gate = item_of(inside["release_plan"], "gate_plan")
    assert pn.get(item_url(gate)).status_code == 200
    assert pn.patch(item_url(gate), {"version": gate.version, "status": "done"}).status_code == 403
    # Probation leads now: it sees the released plan and settles what is still open.
    probation = api_as("prob.officer")
    body = probation.get(path(world.case)).json()
    assert body["released_on"] == today().isoformat() and body["alert"] is None
    assert probation.patch(item_url(gate), {"version": gate.version, "status": "done"}).status_code == 403
    appointment = item_of(inside["release_plan"], "probation_appointment")
    assert probation.patch(item_url(appointment), {"version": 1, "status": "done"}).status_code == 200
    # The plan's day and type no longer change.
    assert probation.patch(path(world.case), {"version": body["version"], "release_type": "parole"}).status_code == 400


def test_the_release_to_the_municipality_moves_the_case_to_the_community(world, inside, api_as):
    response = release(api_as("pn.casemanager"), world.case, lead_organisation="municipality-harbour")
    assert response.status_code == 200, response.json()
    case = Case.objects.get(pk=world.case.pk)
    assert (case.phase, case.lead_organisation.slug) == ("community", "municipality-harbour")
    assert Handover.objects.get(case=case).to_user.username == "muni.coordinator"
    assert "prison-north" not in current_members(case)


def test_a_new_lead_that_was_not_a_member_joins_with_its_responsible_practitioner(world, api_as):
    karim = new_case("Karim", members=("probation", "exit-ngo"))
    case_actions.do_start_custody_episode(
        karim, facility=org("prison-south"), started_on=today() - timedelta(days=90), acting_user=user("ps.casemanager")
    )
    begin(karim, by="ps.casemanager")
    assert "municipality-harbour" not in current_members(karim)
    response = release(
        api_as("ps.casemanager"), karim, lead_organisation="municipality-harbour", responsible="muni.coordinator"
    )
    assert response.status_code == 200, response.json()
    assert current_members(karim) == {"municipality-harbour", "probation", "exit-ngo"}
    member = CaseMember.objects.get(case=karim, organisation__slug="municipality-harbour", until__isnull=True)
    assert member.responsible == user("muni.coordinator")
    handover = Handover.objects.get(case=karim)
    assert handover.to_user == user("muni.coordinator") and handover.from_user is None
    # Without a note of its own, the hand-over says the day and what is still open.
    assert "Gate plan".lower() in handover.note.lower() and "still open" in handover.note.lower()
    # The municipality leads now: it sees the case and the plan, the prison no longer does.
    assert api_as("muni.coordinator").get(path(karim)).json()["released_to"] == "municipality-harbour"
    ps = api_as("ps.casemanager")
    assert ps.get(path(karim)).content == not_found_bytes(ps)


def test_the_central_points_coordinator_may_record_the_release(world, inside, api_as):
    response = release(api_as("cp.coordinator"), world.case, lead_organisation="probation")
    assert response.status_code == 200
    assert Case.objects.get(pk=world.case.pk).phase == "probation"


def _unchanged(case: Case, team: set[str], before: int) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.phase, fresh.lead_organisation.slug) == ("custody", "prison-north")
    assert current_members(case) == team
    assert not ReleasePlan.objects.filter(case=case, released_on__isnull=False).exists()
    assert not Handover.objects.filter(case=case).exists()
    assert CustodyEpisode.objects.filter(case=case, ended_on__isnull=True).count() == 1
    assert writes() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"lead_organisation": "police"}, "lead_organisation"),
        ({"lead_organisation": "prison-south"}, "lead_organisation"),
        ({"lead_organisation": "exit-ngo"}, "lead_organisation"),
        ({"lead_organisation": "atlantis"}, "lead_organisation"),
        ({"lead_organisation": "probation", "released_on": (today() + timedelta(days=1)).isoformat()}, "released_on"),
        ({"lead_organisation": "probation", "released_on": "2026-02-30"}, "released_on"),
        ({"lead_organisation": "probation", "responsible": "muni.coordinator"}, "responsible"),
    ],
)
def test_a_bad_release_is_400_and_changes_nothing(world, inside, api_as, data, field):
    team, before = current_members(world.case), writes()
    response = release(api_as("pn.casemanager"), world.case, **data)
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    _unchanged(world.case, team, before)


def test_the_release_is_one_transaction_even_when_it_begins_the_plan(world, api_as):
    """Without a release plan the release begins one; when a later step fails (the custody episode
    started after the day given), neither the plan nor anything else is left behind."""
    pn = user("pn.casemanager")
    case_actions.do_start_custody_episode(
        world.case, facility=org("prison-north"), started_on=today() - timedelta(days=5), acting_user=pn
    )
    team, before = current_members(world.case), writes()
    response = release(
        api_as("pn.casemanager"),
        world.case,
        lead_organisation="probation",
        released_on=(today() - timedelta(days=6)).isoformat(),
    )
    assert response.status_code == 400 and "released_on" in response.json()
    assert not ReleasePlan.objects.filter(case=world.case).exists() and not ReleaseItem.objects.exists()
    _unchanged(world.case, team, before)


def test_a_release_without_a_release_plan_begins_one(world, api_as):
    case_actions.do_start_custody_episode(
        world.case,
        facility=org("prison-north"),
        started_on=today() - timedelta(days=50),
        acting_user=user("pn.casemanager"),
    )
    response = release(api_as("pn.casemanager"), world.case, lead_organisation="probation")
    assert response.status_code == 200, response.json()
    plan = ReleasePlan.objects.get(case=world.case)
    assert plan.expected_release_on == today() and plan.released_on == today()
    assert ReleaseItem.objects.filter(plan=plan).count() == 16


@pytest.mark.parametrize(
    "username", ["prob.officer", "muni.coordinator", "police.liaison", "exit.worker", "mentor.one"]
)
def test_members_who_do_not_manage_the_case_get_403_even_with_bad_input(world, inside, api_as, username):
    team, before = current_members(world.case), writes()
    client = api_as(username)
    for data in ({"lead_organisation": "probation"}, {"lead_organisation": "nowhere", "released_on": "soon"}):
        response = release(client, world.case, **data)
        assert response.status_code == 403, (data, response.json())
    _unchanged(world.case, team, before)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_the_release(world, inside, api_as, username):
    team, before = current_members(world.case), writes()
    response = release(api_as(username), world.case, lead_organisation="probation")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    _unchanged(world.case, team, before)


def test_only_a_case_in_custody_or_before_release_is_released(world, inside, api_as):
    # Bilal is in the community already.
    response = release(api_as("muni.coordinator"), world.other_case, lead_organisation="probation")
    assert response.status_code == 400 and "community" in response.json()["detail"].lower()
    assert Case.objects.get(pk=world.other_case.pk).phase == "community"
    # A second release of Amira is refused: she is on probation now.
    assert release(api_as("pn.casemanager"), world.case, lead_organisation="probation").status_code == 200
    again = release(api_as("prob.officer"), world.case, lead_organisation="municipality-harbour")
    assert again.status_code == 400
    assert Case.objects.get(pk=world.case.pk).lead_organisation.slug == "probation"


# --- reviews of release conditions ------------------------------------------------------------------------------------


@pytest.fixture
def condition(world):
    return case_actions.do_add_release_condition(
        world.case,
        condition_type="electronic_monitoring",
        details="Tag worn day and night.",
        valid_from=today() - timedelta(days=60),
        valid_until=today() + timedelta(days=300),
        acting_user=user("pn.casemanager"),
    )


def reviews_url(condition: Any) -> str:
    return f"/api/v1/release-conditions/{condition.pk}/reviews/"


def review_data(**overrides: Any) -> dict[str, Any]:
    return {
        "reviewed_on": (today() - timedelta(days=1)).isoformat(),
        "outcome": "relaxed",
        "note": "Kept every appointment: the tag at night only.",
        "next_review_on": (today() + timedelta(days=40)).isoformat(),
        **overrides,
    }


def test_probation_relaxes_a_condition_and_members_who_read_legal_see_the_review(world, condition, api_as):
    response = api_as("prob.officer").post(reviews_url(condition), review_data())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "relaxed" and body["next_review_on"] == (today() + timedelta(days=40)).isoformat()
    assert body["new_valid_until"] is None and body["author"] == "prob.officer"
    event = AuditEvent.objects.get(action="create", object_type="release_condition_review")
    assert event.detail["outcome"] == "relaxed" and event.case_id == world.case.pk
    for reader in ("pn.casemanager", "police.liaison", "muni.coordinator", "cp.coordinator"):
        listing = api_as(reader).get(reviews_url(condition)).json()
        assert [r["id"] for r in listing["results"]] == [body["id"]], reader


def test_lifting_a_condition_ends_it_on_the_day_of_the_review(world, condition, api_as):
    reviewed = today() - timedelta(days=2)
    response = api_as("pn.casemanager").post(
        reviews_url(condition), review_data(outcome="lifted", reviewed_on=reviewed.isoformat())
    )
    assert response.status_code == 201, response.json()
    assert response.json()["new_valid_until"] == reviewed.isoformat() and response.json()["next_review_on"] is None
    review = ConditionReview.objects.get()
    assert review.new_valid_until == reviewed and review.next_review_on is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reviewed_on": (today() - timedelta(days=61)).isoformat()}, "reviewed_on"),
        ({"reviewed_on": (today() + timedelta(days=1)).isoformat()}, "reviewed_on"),
        ({"next_review_on": (today() - timedelta(days=5)).isoformat()}, "next_review_on"),
        ({"new_valid_until": (today() - timedelta(days=90)).isoformat()}, "new_valid_until"),
        ({"outcome": "forgotten"}, "outcome"),
        ({"note": ""}, "note"),
    ],
)
def test_a_bad_review_is_400_and_written_nowhere(world, condition, api_as, overrides, field):
    before = writes()
    response = api_as("prob.officer").post(reviews_url(condition), review_data(**overrides))
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ConditionReview.objects.exists() and writes() == before


def test_any_case_manager_of_probation_reviews_conditions(world, condition, api_as):
    assert api_as("prob.officer2").post(reviews_url(condition), review_data()).status_code == 201


@pytest.mark.parametrize("username", ["police.liaison", "muni.coordinator", "exit.worker", "mh.clinician"])
def test_others_who_see_the_condition_get_403_even_with_bad_input(world, condition, api_as, username):
    client = api_as(username)
    assert client.get(reviews_url(condition)).status_code == 200
    for data in (review_data(), {"outcome": "forgotten"}):
        assert client.post(reviews_url(condition), data).status_code == 403, data
    assert not ConditionReview.objects.exists()


@pytest.mark.parametrize("username", [*OUTSIDERS, "mentor.one", "family.counsellor", "cw.worker"])
def test_those_who_do_not_see_the_condition_get_404(world, condition, api_as, username):
    client = api_as(username)
    hidden = client.get(reviews_url(condition))
    assert hidden.status_code == 404
    assert hidden.content == client.get(f"/api/v1/release-conditions/{RANDOM_ID}/reviews/").content
    assert client.post(reviews_url(condition), review_data()).json() == NOT_FOUND
    assert not ConditionReview.objects.exists()


# --- query counts -----------------------------------------------------------------------------------------------------


def queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_plan_and_the_calendar_take_a_bounded_number_of_queries(world, api_as):
    plan = begin(world.case)
    client = api_as("prob.officer")
    queries(client, path(world.case))  # warm the per-process caches (matrix, translations)
    plan_once, calendar_once = queries(client, path(world.case)), queries(client, "/api/v1/releases/")
    assert plan_once <= 30 and calendar_once <= 30
    # More plans on more cases, scenarios and settled items: neither count grows.
    for i in range(4):
        begin(new_case(f"Person{i}", members=("probation",)), by="ps.casemanager")
    begin(world.other_case, by="muni.coordinator")
    for domain in ("accommodation", "gate_plan", "legal_status"):
        settle(plan, domain)
    for days in (1, 2, 3):
        actions.do_record_scenario(
            world.case,
            scenario=f"Scenario {days}",
            persons_expected_reaction="In my words.",
            discussed_on=today() - timedelta(days=days),
            acting_user=user("pn.casemanager"),
        )
    assert queries(client, path(world.case)) == plan_once
    assert len(releases(client)) == 6
    assert queries(client, "/api/v1/releases/") == calendar_once
    # The central point, with announcements of the cases it is not a member of.
    cp = api_as("cp.coordinator")
    assert queries(cp, "/api/v1/releases/") <= 30
