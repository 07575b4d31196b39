"""API.md, "Families and children" (issue 15) through the API as the demo personas: children and their
records, contact orders and visits, the prison's visit schedule, relationships, family files and
their sessions, refusals and re-offers, family days.

The world is tests/api_world.py: Amira's custody case (lead Prison North) has every demo organisation
but Prison South as a member. Child welfare registers Amira's child Lina and keeps her records; who
sees them follows DESIGN.md section 5 (R6: child welfare writes ``children``, family counselling and
mental health read it; nobody else, not even the police). A family file is shared within its own team
of counselling organisations, and a session with a client only by that client's consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Case
from continuum.families import actions
from continuum.families.models import (
    ChildProfile,
    ContactOrder,
    CounsellingSession,
    FamilyCounsellor,
    FamilyDayParticipant,
    FamilyFile,
    Placement,
    Refusal,
    Relationship,
    ReOffer,
    Visit,
    VisitSlot,
)
from continuum.people import actions as people_actions
from continuum.people.models import Person
from tests.api_world import NOT_FOUND, OUTSIDERS, RANDOM_ID
from tests.plans_world import org, today, user

pytestmark = pytest.mark.django_db

# R6 on Amira's case: who reads a child's records, and who of the case team does not.
CHILD_WRITER = "cw.worker"
CHILD_READERS = ["cw.worker", "family.counsellor", "mh.clinician"]
NOT_CHILD_READERS = ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "cp.coordinator"]
HIDDEN = [*NOT_CHILD_READERS, *OUTSIDERS]
WRITES = ("create", "update", "delete")
LEADS = {"pn.casemanager": "prison-north", "ps.casemanager": "prison-south"}


@pytest.fixture
def api_as(api_as):
    """The shared fixture's clients, sending JSON by default."""

    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def writes() -> int:
    """Audit events of changes (reads and denials are logged too; they change nothing)."""
    return AuditEvent.objects.filter(action__in=WRITES).count()


def now() -> datetime:
    return timezone.now()


@dataclass
class Family:
    case: Case
    child: Person
    link: Relationship
    order: ContactOrder
    visit: Visit


def add_child(case: Case, given: str = "Lina") -> Relationship:
    return actions.do_add_child(
        case,
        given_name=given,
        family_name="Example",
        birth_date=date(2016, 5, 1),
        gender="female",
        acting_user=user(CHILD_WRITER),
    )


def fill_child(child: Person, *, orders: int = 1, visits: int = 1, placed: int = 200) -> tuple[ContactOrder, Visit]:
    cw = user(CHILD_WRITER)
    actions.do_record_placement(
        child,
        kind="foster_family",
        starts_on=today() - timedelta(days=placed),
        carer="The Jansen family",
        acting_user=cw,
    )
    actions.do_record_best_interest(
        child, assessed_on=today() - timedelta(days=10), judgement="Contact with her mother helps her.", acting_user=cw
    )
    order = visit = None
    for i in range(orders):
        order = actions.do_record_contact_order(
            child,
            issued_by="Family court",
            issued_on=today() - timedelta(days=90),
            form="in_person",
            per_month=2,
            supervised=True,
            valid_from=today() - timedelta(days=60 + i),
            acting_user=cw,
        )
        for j in range(visits):
            visit = actions.do_schedule_visit(
                order,
                scheduled_for=now() - timedelta(days=10 + j),
                form="in_person",
                setting="child_friendly_room",
                accompanied_by="Foster mother",
                took_place=True,
                outcome_for_child="Lina laughed and drew a picture for her mother.",
                acting_user=cw,
            )
    assert order is not None and visit is not None
    return order, visit


@pytest.fixture
def family(world) -> Family:
    link = add_child(world.case)
    order, visit = fill_child(link.relative)
    return Family(case=world.case, child=link.relative, link=link, order=order, visit=visit)


def new_case(given: str, *, members: tuple[str, ...] = ("child-welfare",), lead: str = "pn.casemanager") -> Case:
    lead_user = user(lead)
    person = people_actions.do_create_person(
        given_name=given, family_name="Example", birth_date=date(1990, 1, 1), gender="male", acting_user=lead_user
    )
    case = case_actions.do_open_case(
        person=person, lead_organisation=org(LEADS[lead]), phase="custody", acting_user=lead_user
    )
    for slug in members:
        case_actions.do_add_member(case, organisation=org(slug), acting_user=lead_user)
    return case


def missing(client: APIClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 404
    return response.content


# --- children of a case ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CHILD_READERS)
def test_child_readers_see_the_case_s_children(family, api_as, username):
    response = api_as(username).get(f"/api/v1/cases/{family.case.pk}/children/")
    assert response.status_code == 200
    (child,) = response.json()["results"]
    assert child["id"] == str(family.child.pk) and child["given_name"] == "Lina"
    assert child["relationship"] == str(family.link.pk) and child["subject_category"] == "child"
    assert child["visibility"]["basis"] in {"author", "matrix"} and child["visibility"]["explanation"]


@pytest.mark.parametrize("username", NOT_CHILD_READERS)
def test_other_members_see_no_child_of_the_case(family, api_as, username):
    response = api_as(username).get(f"/api/v1/cases/{family.case.pk}/children/")
    assert response.status_code == 200 and response.json()["count"] == 0
    assert "Lina" not in response.content.decode()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_the_404_of_a_case_that_does_not_exist(family, api_as, username):
    client = api_as(username)
    for tail in ("children", "relationships", "visit-schedule", "refusals"):
        assert client.get(f"/api/v1/cases/{family.case.pk}/{tail}/").content == missing(
            client, f"/api/v1/cases/{RANDOM_ID}/{tail}/"
        )


def test_child_welfare_registers_a_child(world, api_as):
    response = api_as(CHILD_WRITER).post(
        f"/api/v1/cases/{world.case.pk}/children/",
        {"given_name": "Noor", "family_name": "Example", "birth_date": "2019-02-03", "gender": "female"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    child = Person.objects.get(pk=body["id"])
    assert body["reference"] == child.reference and child.subject_category == "child"
    assert body["case"] == str(world.case.pk) and body["category"] == "children"
    assert body["visibility"]["basis"] == "author"


@pytest.mark.parametrize("username", ["pn.casemanager", "family.counsellor", "mh.clinician", "police.liaison"])
def test_other_members_may_not_register_a_child(world, api_as, username):
    before = writes()
    response = api_as(username).post(
        f"/api/v1/cases/{world.case.pk}/children/", {"given_name": "Noor", "family_name": "Example"}
    )
    assert response.status_code == 403
    # The rule is checked before the input: bad input from them is a 403 too.
    assert api_as(username).post(f"/api/v1/cases/{world.case.pk}/children/", {"gender": "x"}).status_code == 403
    assert writes() == before


def test_a_child_known_on_the_other_parent_s_case_is_linked(family, api_as):
    other = new_case("Karim")
    client = api_as(CHILD_WRITER)
    response = client.post(f"/api/v1/cases/{other.pk}/children/", {"child": str(family.child.pk)})
    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(family.child.pk) and response.json()["case"] == str(other.pk)
    links = client.get(f"/api/v1/children/{family.child.pk}/").json()["links"]
    assert {link["case"] for link in links} == {str(family.case.pk), str(other.pk)}
    # Twice is refused, and only a child can be linked as one.
    assert client.post(f"/api/v1/cases/{other.pk}/children/", {"child": str(family.child.pk)}).status_code == 400
    adult = client.post(f"/api/v1/cases/{other.pk}/children/", {"child": str(world_person(family.case))})
    assert adult.status_code == 400
    # With two parents' cases, a contact order names whose contact it is.
    order = {
        "issued_by": "Family court",
        "issued_on": today().isoformat(),
        "form": "video",
        "per_month": 4,
        "valid_from": today().isoformat(),
    }
    ambiguous = client.post(f"/api/v1/children/{family.child.pk}/contact-orders/", order)
    assert ambiguous.status_code == 400 and "case" in ambiguous.json()
    named = client.post(f"/api/v1/children/{family.child.pk}/contact-orders/", {**order, "case": str(other.pk)})
    assert named.status_code == 201 and named.json()["case"] == str(other.pk)


def world_person(case: Case) -> Any:
    return case.person_id


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"family_name": "Example"}, "given_name"),
        ({"given_name": "Noor", "family_name": "Example", "gender": "dragon"}, "gender"),
        ({"given_name": "Noor", "family_name": "Example", "birth_date": "0001-01-01"}, "birth_date"),
        ({"given_name": "Noor", "family_name": "Example", "birth_date": "yesterday"}, "birth_date"),
        ({"given_name": ["Noor"], "family_name": "Example"}, "given_name"),
        ({"child": "not-a-uuid"}, "child"),
        ({"child": RANDOM_ID}, "child"),
        ({"child": RANDOM_ID, "given_name": "Noor"}, "child"),
    ],
)
def test_bad_children_are_400_and_nothing_is_written(world, api_as, data, field):
    before = writes()
    response = api_as(CHILD_WRITER).post(f"/api/v1/cases/{world.case.pk}/children/", data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert writes() == before


# --- a child and its records -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CHILD_READERS)
def test_child_readers_see_the_child_with_its_records(family, api_as, username):
    response = api_as(username).get(f"/api/v1/children/{family.child.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(family.child.pk) and body["given_name"] == "Lina"
    assert [link["case"] for link in body["links"]] == [str(family.case.pk)]
    (placement,) = body["placements"]
    assert placement["kind"] == "foster_family" and placement["ends_on"] is None
    assert body["profile"] is None
    (assessment,) = body["best_interest"]
    assert assessment["judgement"] == "Contact with her mother helps her."
    (order,) = body["contact_orders"]
    assert order["id"] == str(family.order.pk) and order["per_month"] == 2
    assert order["compliance"]["held"] == 1 and order["compliance"]["missed"] == 0
    assert order["compliance"]["due"] >= 3  # two a month, pro rata over some two months
    for record in (placement, assessment, order):
        assert record["category"] == "children" and record["visibility"]["basis"] in {"author", "matrix"}


@pytest.mark.parametrize("username", HIDDEN)
def test_everyone_else_gets_the_404_of_a_child_that_does_not_exist(family, api_as, username):
    client = api_as(username)
    assert client.get(f"/api/v1/children/{family.child.pk}/").content == missing(
        client, f"/api/v1/children/{RANDOM_ID}/"
    )
    assert client.get("/api/v1/children/not-a-uuid/").json() == NOT_FOUND
    assert client.get(f"/api/v1/contact-orders/{family.order.pk}/").json() == NOT_FOUND
    assert client.get(f"/api/v1/contact-orders/{family.order.pk}/visits/").json() == NOT_FOUND
    assert client.get(f"/api/v1/visits/{family.visit.pk}/").json() == NOT_FOUND
    # Nor can they write about the child: the child is not there for them.
    before = writes()
    for tail, data in [
        ("placements/", {"kind": "institution", "starts_on": today().isoformat()}),
        ("best-interest/", {"assessed_on": today().isoformat(), "judgement": "x"}),
        ("contact-orders/", {"issued_by": "x"}),
    ]:
        assert client.post(f"/api/v1/children/{family.child.pk}/{tail}", data).json() == NOT_FOUND
    assert client.patch(f"/api/v1/children/{family.child.pk}/profile/", {"version": 0}).json() == NOT_FOUND
    assert client.patch(f"/api/v1/visits/{family.visit.pk}/", {"version": 1}).json() == NOT_FOUND
    assert writes() == before


def test_the_police_sees_nothing_of_the_family(family, api_as):
    actions.do_record_relationship(
        family.case,
        kind="parent",
        new_relative={"given_name": "Samira", "family_name": "Example"},
        acting_user=user("pn.casemanager"),
    )
    client = api_as("police.liaison")
    case = f"/api/v1/cases/{family.case.pk}"
    assert client.get(f"{case}/children/").json()["count"] == 0
    assert client.get(f"{case}/relationships/").json()["count"] == 0
    assert client.get(f"{case}/visit-schedule/").json() == []
    assert client.get(f"/api/v1/children/{family.child.pk}/").status_code == 404
    assert client.get("/api/v1/family-files/").json()["count"] == 0
    assert client.get("/api/v1/family-days/").json()["count"] == 0


@pytest.mark.parametrize("username", ["family.counsellor", "mh.clinician"])
def test_readers_of_a_child_may_not_write_about_it(family, api_as, username):
    client = api_as(username)
    before = writes()
    base = f"/api/v1/children/{family.child.pk}"
    assert client.post(f"{base}/placements/", {"kind": "institution"}).status_code == 403
    assert client.patch(f"{base}/profile/", {"version": 0, "school": "x"}).status_code == 403
    assert client.post(f"{base}/best-interest/", {}).status_code == 403
    assert client.post(f"{base}/contact-orders/", {}).status_code == 403
    assert client.post(f"/api/v1/contact-orders/{family.order.pk}/visits/", {}).status_code == 403
    assert client.patch(f"/api/v1/visits/{family.visit.pk}/", {"version": 1}).status_code == 403
    assert writes() == before


def test_child_welfare_records_a_placement_and_the_one_before_ends(family, api_as):
    client = api_as(CHILD_WRITER)
    response = client.post(
        f"/api/v1/children/{family.child.pk}/placements/",
        {"kind": "extended_family", "starts_on": today().isoformat(), "carer": "Her aunt"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "extended_family" and response.json()["visibility"]["basis"] == "author"
    history = client.get(f"/api/v1/children/{family.child.pk}/").json()["placements"]
    assert [p["kind"] for p in history] == ["extended_family", "foster_family"]
    assert history[1]["ends_on"] == today().isoformat()


def test_the_profile_is_created_with_version_0_and_then_versioned(family, api_as):
    client = api_as(CHILD_WRITER)
    url = f"/api/v1/children/{family.child.pk}/profile/"
    created = client.patch(url, {"version": 0, "guardian": "Child welfare office", "school": "Primary school"})
    assert created.status_code == 200, created.content
    assert created.json()["version"] == 1 and created.json()["school"] == "Primary school"
    updated = client.patch(url, {"version": 1, "health": "Asthma; an inhaler at school."})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    assert updated.json()["school"] == "Primary school"
    before = writes()
    stale = client.patch(url, {"version": 1, "health": "Nothing"})
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert client.patch(url, {"health": "Nothing"}).status_code == 400  # no version
    assert client.patch(url, {"version": "two"}).status_code == 400
    assert writes() == before
    assert ChildProfile.objects.get(person=family.child).health == "Asthma; an inhaler at school."
    assert api_as("mh.clinician").get(f"/api/v1/children/{family.child.pk}/").json()["profile"]["version"] == 2


def test_child_welfare_records_a_best_interest_assessment(family, api_as):
    response = api_as(CHILD_WRITER).post(
        f"/api/v1/children/{family.child.pk}/best-interest/",
        {
            "assessed_on": today().isoformat(),
            "judgement": "Regular video calls, in person monthly.",
            "next_review_on": (today() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["next_review_on"] == (today() + timedelta(days=90)).isoformat()


@pytest.mark.parametrize(
    ("tail", "data", "field"),
    [
        ("placements/", {"kind": "orphanage", "starts_on": "2024-01-01"}, "kind"),
        ("placements/", {"kind": "institution", "starts_on": "0001-01-01"}, "starts_on"),
        ("placements/", {"kind": "institution"}, "starts_on"),
        ("placements/", {"kind": "institution", "starts_on": "2000-01-01"}, "starts_on"),  # before the current one
        ("best-interest/", {"assessed_on": "0001-01-01", "judgement": "x"}, "assessed_on"),
        ("best-interest/", {"assessed_on": "2024-02-30", "judgement": "x"}, "assessed_on"),
        ("best-interest/", {"assessed_on": "2024-02-01", "judgement": ""}, "judgement"),
        ("best-interest/", {"assessed_on": "2024-02-01", "judgement": "x", "next_review_on": "2024-01-01"},
         "next_review_on"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "2024-01-01", "form": "telepathy", "per_month": 1,
                             "valid_from": "2024-01-01"}, "form"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "2024-01-01", "form": "video", "per_month": 0,
                             "valid_from": "2024-01-01"}, "per_month"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "2024-01-01", "form": "video", "per_month": "many",
                             "valid_from": "2024-01-01"}, "per_month"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "0001-01-01", "form": "video", "per_month": 1,
                             "valid_from": "2024-01-01"}, "issued_on"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "2024-01-01", "form": "video", "per_month": 1,
                             "valid_from": "2024-01-01", "valid_until": "2023-01-01"}, "valid_until"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "2024-01-01", "form": "video", "per_month": 1,
                             "valid_from": "2024-01-01", "case": "not-a-uuid"}, "case"),
        ("contact-orders/", {"issued_by": "Court", "issued_on": "2024-01-01", "form": "video", "per_month": 1,
                             "valid_from": "2024-01-01", "case": RANDOM_ID}, "case"),
    ],
)  # fmt: skip
def test_bad_child_records_are_400_and_nothing_is_written(family, api_as, tail, data, field):
    before = writes()
    counts = (Placement.objects.count(), ContactOrder.objects.count())
    response = api_as(CHILD_WRITER).post(f"/api/v1/children/{family.child.pk}/{tail}", data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert writes() == before and (Placement.objects.count(), ContactOrder.objects.count()) == counts


# --- contact orders and visits ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CHILD_READERS)
def test_a_contact_order_has_its_visits_and_compliance(family, api_as, username):
    response = api_as(username).get(f"/api/v1/contact-orders/{family.order.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body["compliance"]) == {"due", "held", "missed", "period_from", "period_to"}
    assert body["compliance"]["held"] == 1 and body["compliance"]["period_to"] == today().isoformat()
    (visit,) = body["visits"]
    assert visit["id"] == str(family.visit.pk) and visit["outcome_for_child"].startswith("Lina laughed")
    assert visit["visibility"]["basis"] in {"author", "matrix"}
    listed = api_as(username).get(f"/api/v1/contact-orders/{family.order.pk}/visits/").json()
    assert [v["id"] for v in listed["results"]] == [str(family.visit.pk)]


def test_compliance_counts_what_did_and_did_not_take_place(family, api_as):
    client = api_as(CHILD_WRITER)
    response = client.post(
        f"/api/v1/contact-orders/{family.order.pk}/visits/",
        {
            "scheduled_for": (now() - timedelta(days=3)).isoformat(),
            "form": "video",
            "setting": "remote",
            "took_place": False,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["took_place"] is False and response.json()["version"] == 1
    compliance = client.get(f"/api/v1/contact-orders/{family.order.pk}/").json()["compliance"]
    assert (compliance["held"], compliance["missed"]) == (1, 1)


def test_a_visit_is_scheduled_then_recorded_with_its_version(family, api_as):
    client = api_as(CHILD_WRITER)
    when = now() + timedelta(days=7)
    created = client.post(
        f"/api/v1/contact-orders/{family.order.pk}/visits/",
        {"scheduled_for": when.isoformat(), "form": "in_person", "setting": "visiting_hall"},
    )
    assert created.status_code == 201, created.content
    visit = created.json()
    assert visit["took_place"] is None
    url = f"/api/v1/visits/{visit['id']}/"
    assert client.get(url).json()["setting"] == "visiting_hall"
    # Too early to say it took place; nothing changes.
    early = client.patch(url, {"version": 1, "took_place": True})
    assert early.status_code == 400 and "took_place" in early.json()
    moved = client.patch(
        url, {"version": 1, "scheduled_for": (now() - timedelta(hours=2)).isoformat(), "setting": "child_friendly_room"}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["version"] == 2
    # The prison's slot moves with it.
    slot = VisitSlot.objects.get(visit_id=visit["id"])
    assert slot.setting == "child_friendly_room"
    done = client.patch(url, {"version": 2, "took_place": True, "outcome_for_child": "Calm and happy."})
    assert done.status_code == 200 and done.json()["took_place"] is True
    stale = client.patch(url, {"version": 2, "outcome_for_child": "Overwritten"})
    assert stale.status_code == 409
    assert Visit.objects.get(pk=visit["id"]).outcome_for_child == "Calm and happy."


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scheduled_for": "0001-01-01T10:00:00Z", "form": "video", "setting": "remote"}, "scheduled_for"),
        ({"scheduled_for": "tomorrow", "form": "video", "setting": "remote"}, "scheduled_for"),
        ({"scheduled_for": "0001-01-01T00:00:00", "form": "video", "setting": "remote"}, "scheduled_for"),
        ({"scheduled_for": "2030-01-01T10:00:00Z", "form": "hologram", "setting": "remote"}, "form"),
        ({"scheduled_for": "2030-01-01T10:00:00Z", "form": "video", "setting": "beach"}, "setting"),
        ({"scheduled_for": "2030-01-01T10:00:00Z", "form": "video", "setting": "remote", "took_place": "perhaps"},
         "took_place"),
        ({"scheduled_for": "2030-01-01T10:00:00Z", "form": "video", "setting": "remote", "took_place": True},
         "took_place"),
        ({"scheduled_for": "2030-01-01T10:00:00Z", "form": "video", "setting": "remote", "outcome_for_child": "x"},
         "outcome_for_child"),
        ({"scheduled_for": "2001-01-01T10:00:00Z", "form": "video", "setting": "remote"}, "scheduled_for"),
    ],
)  # fmt: skip
def test_bad_visits_are_400_and_nothing_is_written(family, api_as, data, field):
    before = (writes(), Visit.objects.count(), VisitSlot.objects.count())
    response = api_as(CHILD_WRITER).post(f"/api/v1/contact-orders/{family.order.pk}/visits/", data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (writes(), Visit.objects.count(), VisitSlot.objects.count()) == before


def test_bad_visit_changes_are_400(family, api_as):
    client = api_as(CHILD_WRITER)
    url = f"/api/v1/visits/{family.visit.pk}/"
    before = writes()
    for data in (
        {"version": 1, "form": "smoke signals"},
        {"version": 1, "scheduled_for": "0001-01-01T00:00:00"},
        {"version": 1, "scheduled_for": "0001-01-01T00:00:00+05:00"},
        {"version": 1, "scheduled_for": "9999-12-31T23:59:59-05:00"},
        {"version": "one"},
        {"form": "video"},
        ["version", 1],
    ):
        assert client.patch(url, data).status_code == 400, data
    assert writes() == before


# --- the prison's visit schedule -------------------------------------------------------------------------------


SLOT_FIELDS = {"scheduled_for", "form", "setting"}


@pytest.mark.parametrize("username", ["pn.casemanager", "prob.officer", "exit.worker", "cp.coordinator"])
def test_the_visit_schedule_says_when_and_how_and_nothing_about_the_child(family, api_as, username):
    response = api_as(username).get(f"/api/v1/cases/{family.case.pk}/visit-schedule/")
    assert response.status_code == 200
    (slot,) = response.json()
    assert set(slot) == SLOT_FIELDS
    assert (slot["form"], slot["setting"]) == ("in_person", "child_friendly_room")
    text = response.content.decode()
    for secret in ("Lina", str(family.child.pk), str(family.visit.pk), str(family.order.pk), "Foster", "laughed"):
        assert secret not in text


def test_the_visit_schedule_goes_back_30_days_unless_all_are_asked(family, api_as):
    actions.do_schedule_visit(
        family.order,
        scheduled_for=now() - timedelta(days=45),
        form="video",
        setting="remote",
        acting_user=user(CHILD_WRITER),
    )
    client = api_as("pn.casemanager")
    url = f"/api/v1/cases/{family.case.pk}/visit-schedule/"
    assert len(client.get(url).json()) == 1
    every = client.get(url, {"all": "1"}).json()
    assert [s["form"] for s in every] == ["video", "in_person"]  # oldest first
    assert all(set(s) == SLOT_FIELDS for s in every)
    assert client.get(url, {"all": "perhaps"}).status_code == 400
    assert client.get("/api/v1/cases/not-a-uuid/visit-schedule/").json() == NOT_FOUND


def test_a_joint_visit_of_two_children_is_one_contact_in_the_schedule(family, api_as):
    """The schedule does not tell how many children there are: a second child's visit at the same
    time, in the same form and setting, is the same contact for the prison."""
    sibling = add_child(family.case, "Noor").relative
    order = actions.do_record_contact_order(
        sibling,
        issued_by="Family court",
        issued_on=today() - timedelta(days=90),
        form="in_person",
        per_month=2,
        supervised=True,
        valid_from=today() - timedelta(days=60),
        acting_user=user(CHILD_WRITER),
    )
    actions.do_schedule_visit(
        order,
        scheduled_for=family.visit.scheduled_for,
        form="in_person",
        setting="child_friendly_room",
        acting_user=user(CHILD_WRITER),
    )
    assert len(api_as("pn.casemanager").get(f"/api/v1/cases/{family.case.pk}/visit-schedule/").json()) == 1
    actions.do_schedule_visit(
        order,
        scheduled_for=family.visit.scheduled_for + timedelta(days=1),
        form="in_person",
        setting="child_friendly_room",
        acting_user=user(CHILD_WRITER),
    )
    assert len(api_as("pn.casemanager").get(f"/api/v1/cases/{family.case.pk}/visit-schedule/").json()) == 2


# --- relationships --------------------------------------------------------------------------------------------


def test_the_prison_records_a_relative_and_only_child_readers_see_the_child(family, api_as):
    client = api_as("pn.casemanager")
    url = f"/api/v1/cases/{family.case.pk}/relationships/"
    response = client.post(
        url,
        {
            "kind": "parent",
            "influence": "protective",
            "note": "Visits every week.",
            "new_relative": {"given_name": "Samira", "family_name": "Example", "gender": "female"},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "parent" and body["relative"]["given_name"] == "Samira"
    assert body["category"] == "family" and body["visibility"]["basis"] == "author" and body["version"] == 1
    assert [r["kind"] for r in client.get(url).json()["results"]] == ["parent"]
    assert {r["kind"] for r in api_as(CHILD_WRITER).get(url).json()["results"]} == {"child", "parent"}
    assert [r["kind"] for r in api_as("cp.coordinator").get(url).json()["results"]] == ["parent"]
    # An existing person can be named too; a second open link to the same person is refused.
    samira = body["relative"]["id"]
    again = client.post(url, {"kind": "other_family", "relative": samira})
    assert again.status_code == 400 and "relative" in again.json()


def test_only_child_welfare_records_a_child_relationship(family, api_as):
    url = f"/api/v1/cases/{family.case.pk}/relationships/"
    data = {"kind": "child", "new_relative": {"given_name": "Yara", "family_name": "Example"}}
    assert api_as("pn.casemanager").post(url, data).status_code == 403
    assert api_as("police.liaison").post(url, {"kind": "partner"}).status_code == 403
    assert api_as(CHILD_WRITER).post(url, data).status_code == 201


def test_a_relationship_is_changed_with_its_version(family, api_as):
    relationship = actions.do_record_relationship(
        family.case,
        kind="partner",
        new_relative={"given_name": "Omar", "family_name": "Example"},
        acting_user=user("pn.casemanager"),
    )
    client = api_as("prob.officer")
    url = f"/api/v1/relationships/{relationship.pk}/"
    assert client.get(url).json()["influence"] == "unknown"
    changed = client.patch(url, {"version": 1, "influence": "risk", "note": "Still in contact with the group."})
    assert changed.status_code == 200, changed.content
    assert changed.json()["influence"] == "risk" and changed.json()["version"] == 2
    assert client.patch(url, {"version": 1, "influence": "protective"}).status_code == 409
    assert client.patch(url, {"version": 2, "influence": "extreme"}).status_code == 400
    assert client.patch(url, {"version": 2, "ended_on": "0001-01-01"}).status_code == 400
    assert client.patch(url, {"version": 2, "ended_on": (today() + timedelta(days=3)).isoformat()}).status_code == 400
    ended = client.patch(url, {"version": 2, "ended_on": today().isoformat()})
    assert ended.status_code == 200 and ended.json()["ended_on"] == today().isoformat()
    assert Relationship.objects.get(pk=relationship.pk).influence == "risk"
    # Those who do not see it, and those who see but do not write family.
    assert api_as("police.liaison").get(url).json() == NOT_FOUND
    assert api_as("ps.casemanager").patch(url, {"version": 3}).json() == NOT_FOUND
    assert api_as("mh.clinician").patch(url, {"version": 3, "note": "x"}).status_code == 403
    assert api_as("cp.coordinator").patch(url, {"version": 3, "note": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "cousin", "new_relative": {"given_name": "A", "family_name": "B"}}, "kind"),
        ({"kind": "partner", "influence": "huge", "new_relative": {"given_name": "A", "family_name": "B"}},
         "influence"),
        ({"kind": "partner"}, "relative"),
        ({"kind": "partner", "relative": RANDOM_ID, "new_relative": {"given_name": "A", "family_name": "B"}},
         "relative"),
        ({"kind": "partner", "relative": "not-a-uuid"}, "relative"),
        ({"kind": "partner", "relative": RANDOM_ID}, "relative"),
        ({"kind": "partner", "new_relative": "Omar"}, "new_relative"),
        ({"kind": "partner", "new_relative": {"given_name": "A"}}, "new_relative"),
        # The date field itself refuses a year 1 (lib.dates, issue 18): the error is nested under new_relative.
        ({"kind": "partner", "new_relative": {"given_name": "A", "family_name": "B", "birth_date": "0001-01-01"}},
         "new_relative"),
        ({"kind": 7, "new_relative": {"given_name": "A", "family_name": "B"}}, "kind"),
    ],
)  # fmt: skip
def test_bad_relationships_are_400_and_nothing_is_written(world, api_as, data, field):
    before = (writes(), Relationship.objects.count(), Person.objects.count())
    response = api_as("pn.casemanager").post(f"/api/v1/cases/{world.case.pk}/relationships/", data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (writes(), Relationship.objects.count(), Person.objects.count()) == before


def test_the_case_s_own_person_is_not_their_own_relative(world, api_as):
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/relationships/", {"kind": "partner", "relative": str(world.case.person_id)}
    )
    assert response.status_code == 400 and "relative" in response.json()


# --- family files ----------------------------------------------------------------------------------------------


def open_file(api_as: Any, *, case: Case | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "The Example family",
        "counselling_organisation": "family-counselling",
        "opened_on": (today() - timedelta(days=365)).isoformat(),
        "new_clients": [
            {"given_name": "Samira", "family_name": "Example", "relation": "mother"},
            {"given_name": "Dina", "family_name": "Example", "relation": "sister", "birth_date": "1998-04-04"},
        ],
    }
    if case is not None:
        data["case"] = str(case.pk)
    response = api_as("family.counsellor").post("/api/v1/family-files/", data)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_family_counsellor_opens_a_family_file_of_relatives_without_the_offender(world, api_as):
    body = open_file(api_as)
    assert body["title"] == "The Example family" and body["counselling_organisation"] == "family-counselling"
    # Clients of the same day come in no particular order (FamilyClient orders by since, id).
    assert sorted((c["given_name"], c["relation"]) for c in body["clients"]) == [
        ("Dina", "sister"),
        ("Samira", "mother"),
    ]
    assert body["counsellors"] == ["family-counselling"] and body["case"] is None
    assert body["category"] == "counselling" and body["visibility"]["basis"] == "author"
    assert (body["clearings"], body["help_plan"], body["sessions"]) == ([], None, [])
    client = api_as("family.counsellor")
    assert [f["id"] for f in client.get("/api/v1/family-files/").json()["results"]] == [body["id"]]
    assert client.get(f"/api/v1/family-files/{body['id']}/").json()["clients"] == body["clients"]


def test_a_family_file_may_name_the_case_and_existing_clients(world, api_as):
    samira = open_file(api_as)["clients"][0]["person"]
    response = api_as("family.counsellor").post(
        "/api/v1/family-files/",
        {
            "title": "Amira and her mother",
            "counselling_organisation": "family-counselling",
            "clients": [str(world.case.person_id), samira],
            "case": str(world.case.pk),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["case"] == str(world.case.pk) and len(response.json()["clients"]) == 2


@pytest.mark.parametrize("username", [*NOT_CHILD_READERS, CHILD_WRITER, "mh.clinician", *OUTSIDERS])
def test_only_the_file_s_team_sees_it(world, api_as, username):
    body = open_file(api_as, case=world.case)
    client = api_as(username)
    if username != "exit.worker":  # exit writes counselling, but is not on this file's team
        assert client.post("/api/v1/family-files/", {"title": "x"}).status_code == 403
    assert client.get("/api/v1/family-files/").json()["count"] == 0
    url = f"/api/v1/family-files/{body['id']}/"
    assert client.get(url).content == missing(client, f"/api/v1/family-files/{RANDOM_ID}/")
    before = writes()
    for tail, method, data in [
        ("clearing/", "post", {"worries": "x", "urgency": "low"}),
        ("help-plan/", "put", {"aims": "x"}),
        ("sessions/", "post", {}),
        ("clients/", "post", {}),
        ("counsellors/", "post", {"organisation": "exit-ngo"}),
    ]:
        assert getattr(client, method)(f"{url}{tail}", data).json() == NOT_FOUND
    assert client.get(f"{url}sessions/").json() == NOT_FOUND
    assert client.delete(f"{url}counsellors/family-counselling/").json() == NOT_FOUND
    assert writes() == before


def test_the_file_s_team_records_the_clearing_and_the_help_plan(world, api_as):
    body = open_file(api_as)
    client = api_as("family.counsellor")
    url = f"/api/v1/family-files/{body['id']}/"
    clearing = client.post(
        f"{url}clearing/",
        {"worries": "Her brother changed; he talks about the group.", "warning_signs": "Cut off old friends.",
         "urgency": "high"},
    )  # fmt: skip
    assert clearing.status_code == 201, clearing.content
    assert clearing.json()["urgency"] == "high" and clearing.json()["cleared_on"] == today().isoformat()
    plan = client.put(f"{url}help-plan/", {"aims": "Talk with him without arguing."})
    assert plan.status_code == 200, plan.content
    assert plan.json()["version"] == 1 and plan.json()["category"] == "counselling"
    review = (today() + timedelta(days=30)).isoformat()
    changed = client.put(f"{url}help-plan/", {"aims": "Talk; meet his mentor.", "next_review_on": review, "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    before = writes()
    assert client.put(f"{url}help-plan/", {"aims": "Stale", "version": 1}).status_code == 409
    assert client.put(f"{url}help-plan/", {"aims": ""}).status_code == 400
    assert (
        client.put(f"{url}help-plan/", {"aims": "x", "next_review_on": "0001-01-01", "version": 2}).status_code == 400
    )
    assert client.post(f"{url}clearing/", {"worries": "x", "urgency": "extreme"}).status_code == 400
    assert (
        client.post(f"{url}clearing/", {"worries": "x", "urgency": "low", "cleared_on": "0001-01-01"}).status_code
        == 400
    )
    assert writes() == before
    detail = client.get(url).json()
    assert detail["help_plan"]["aims"] == "Talk; meet his mentor." and len(detail["clearings"]) == 1


def test_clients_are_added_and_bad_clients_refused(world, api_as):
    body = open_file(api_as)
    client = api_as("family.counsellor")
    url = f"/api/v1/family-files/{body['id']}/clients/"
    added = client.post(url, {"new_client": {"given_name": "Yusuf", "family_name": "Example"}, "relation": "uncle"})
    assert added.status_code == 201, added.content
    assert sorted(c["relation"] for c in added.json()["clients"]) == ["mother", "sister", "uncle"]
    before = writes()
    for data in (
        {},
        {"person": "not-a-uuid"},
        {"person": RANDOM_ID},
        {"person": body["clients"][0]["person"]},  # already a client
        {"person": body["clients"][0]["person"], "new_client": {"given_name": "A", "family_name": "B"}},
        {"new_client": {"given_name": "A", "family_name": "B", "gender": "robot"}},
    ):
        assert client.post(url, data).status_code == 400, data
    assert writes() == before


NEW = [{"given_name": "A", "family_name": "B"}]
FILE = {"title": "x", "counselling_organisation": "family-counselling"}


@pytest.mark.parametrize(
    "data",
    [
        FILE,
        {**FILE, "counselling_organisation": "no-such-org", "new_clients": NEW},
        {**FILE, "title": "", "new_clients": NEW},
        {**FILE, "clients": ["not-a-uuid"]},
        {**FILE, "clients": [RANDOM_ID]},
        {**FILE, "clients": "everyone"},
        {**FILE, "new_clients": [{"given_name": "A"}]},
        {**FILE, "new_clients": [{**NEW[0], "birth_date": "0001-01-01"}]},
        {**FILE, "new_clients": [{**NEW[0], "gender": "robot"}]},
        {**FILE, "new_clients": "A B"},
        {**FILE, "case": "not-a-uuid", "new_clients": NEW},
        {**FILE, "case": RANDOM_ID, "new_clients": NEW},
        ["title", "x"],
    ],
)
def test_bad_family_files_are_400_and_nothing_is_written(world, api_as, data):
    before = (writes(), FamilyFile.objects.count(), Person.objects.count())
    response = api_as("family.counsellor").post("/api/v1/family-files/", data)
    assert response.status_code == 400, response.content
    assert (writes(), FamilyFile.objects.count(), Person.objects.count()) == before


def test_a_file_is_opened_only_for_the_counsellor_s_own_organisation(world, api_as):
    response = api_as("exit.worker").post(
        "/api/v1/family-files/",
        {"title": "x", "counselling_organisation": "family-counselling",
         "new_clients": [{"given_name": "A", "family_name": "B"}]},
    )  # fmt: skip
    assert response.status_code == 403


def consent(api_as: Any, person: str, *, by: str = "family.counsellor") -> dict[str, Any]:
    response = api_as(by).post(
        f"/api/v1/persons/{person}/consents/",
        {
            "category": "counselling",
            "recipient_organisation": "exit-ngo",
            "purpose": "Both services counsel the family together.",
            "valid_until": (today() + timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_second_counsellor_sees_a_session_only_with_the_client_s_consent_and_never_a_never_share_one(world, api_as):
    body = open_file(api_as)
    url = f"/api/v1/family-files/{body['id']}/"
    holder, second = api_as("family.counsellor"), api_as("exit.worker")
    by_relation = {c["relation"]: c["person"] for c in body["clients"]}
    mother, sister = by_relation["mother"], by_relation["sister"]
    for client_id, note, never in [
        (mother, "The mother's fears for her son.", False),
        (mother, "What she will tell no one else.", True),
        (sister, "The sister's own session.", False),
    ]:
        response = holder.post(
            f"{url}sessions/", {"held_on": today().isoformat(), "client": client_id, "note": note, "never_share": never}
        )
        assert response.status_code == 201, response.content
        assert response.json()["visibility"]["basis"] == "author"
    assert len(holder.get(f"{url}sessions/").json()["results"]) == 3

    # Exit joins the file's team: it sees the file, and no session yet.
    joined = holder.post(f"{url}counsellors/", {"organisation": "exit-ngo"})
    assert joined.status_code == 201, joined.content
    assert sorted(joined.json()["counsellors"]) == ["exit-ngo", "family-counselling"]
    seen = second.get(url)
    assert seen.status_code == 200 and seen.json()["sessions"] == []
    assert second.get(f"{url}sessions/").json()["count"] == 0
    assert [f["id"] for f in second.get("/api/v1/family-files/").json()["results"]] == [body["id"]]

    # The mother consents: exit sees her shared session, never the one marked "never share", nor the sister's.
    given = consent(api_as, mother)
    sessions = second.get(f"{url}sessions/").json()["results"]
    assert [s["note"] for s in sessions] == ["The mother's fears for her son."]
    assert sessions[0]["visibility"]["basis"] == "consent"
    assert [s["note"] for s in second.get(url).json()["sessions"]] == ["The mother's fears for her son."]
    assert "tell no one" not in second.get(url).content.decode()

    # A counsellor on the file may record the consent too (the engine counts the file's team).
    consent(api_as, sister, by="exit.worker")
    assert {s["note"] for s in second.get(f"{url}sessions/").json()["results"]} == {
        "The mother's fears for her son.",
        "The sister's own session.",
    }

    # The mother withdraws: her session is hidden again.
    assert holder.post(f"/api/v1/consents/{given['id']}/withdraw/").status_code == 200
    assert [s["note"] for s in second.get(f"{url}sessions/").json()["results"]] == ["The sister's own session."]

    # The holder ends exit's part in the file: it no longer sees the file.
    assert holder.delete(f"{url}counsellors/exit-ngo/").status_code == 204
    assert second.get(url).json() == NOT_FOUND
    assert not FamilyCounsellor.objects.filter(family_file_id=body["id"], organisation__slug="exit-ngo",
                                               until__isnull=True).exists()  # fmt: skip


def test_only_the_holder_decides_the_team(world, api_as):
    body = open_file(api_as)
    url = f"/api/v1/family-files/{body['id']}/counsellors/"
    holder = api_as("family.counsellor")
    assert holder.post(url, {"organisation": "exit-ngo"}).status_code == 201
    second = api_as("exit.worker")
    assert second.post(url, {"organisation": "mental-health"}).status_code == 403
    assert second.delete(f"{url}exit-ngo/").status_code == 403
    before = writes()
    assert holder.post(url, {"organisation": "exit-ngo"}).status_code == 400  # already on it
    assert holder.post(url, {"organisation": "police"}).status_code == 400  # does not counsel
    assert holder.post(url, {"organisation": "no-such-org"}).status_code == 400
    assert holder.post(url, {"organisation": 7}).status_code == 400
    assert holder.delete(f"{url}family-counselling/").status_code == 400  # the holder stays
    assert holder.delete(f"{url}police/").status_code == 400  # not on the file
    assert holder.delete(f"{url}no-such-org/").status_code == 404
    assert writes() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"held_on": "2024-01-01", "note": "x"}, "client"),
        ({"held_on": "2024-01-01", "note": "x", "client": "not-a-uuid"}, "client"),
        ({"held_on": "2024-01-01", "note": "x", "client": RANDOM_ID}, "client"),
        ({"held_on": "0001-01-01", "note": "x", "client": "CLIENT"}, "held_on"),
        ({"held_on": (date.today() + timedelta(days=5)).isoformat(), "note": "x", "client": "CLIENT"}, "held_on"),
        ({"held_on": "2024-01-01", "note": "", "client": "CLIENT"}, "note"),
        ({"held_on": "2024-01-01", "note": "x", "client": "CLIENT", "never_share": "sometimes"}, "never_share"),
    ],
)
def test_bad_sessions_are_400_and_nothing_is_written(world, api_as, data, field):
    body = open_file(api_as)
    data = {k: body["clients"][0]["person"] if v == "CLIENT" else v for k, v in data.items()}
    before = (writes(), CounsellingSession.objects.count())
    response = api_as("family.counsellor").post(f"/api/v1/family-files/{body['id']}/sessions/", data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (writes(), CounsellingSession.objects.count()) == before


def test_a_session_for_the_offender_of_another_file_is_refused(world, api_as):
    body = open_file(api_as)
    response = api_as("family.counsellor").post(
        f"/api/v1/family-files/{body['id']}/sessions/",
        {"held_on": today().isoformat(), "client": str(world.case.person_id), "note": "x"},
    )
    assert response.status_code == 400 and "client" in response.json()


# --- refusals and re-offers ----------------------------------------------------------------------------------


def test_a_refusal_and_offers_made_again(world, api_as):
    client = api_as("pn.casemanager")
    url = f"/api/v1/cases/{world.case.pk}/refusals/"
    refused = client.post(
        url,
        {
            "refused_on": today().isoformat(),
            "persons_words": "I do not need your programme.",
            "offer_again_on": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert refused.status_code == 201, refused.content
    refusal = refused.json()
    assert refusal["category"] == "plan" and refusal["re_offers"] == [] and refusal["ended_on"] is None
    offers = f"/api/v1/refusals/{refusal['id']}/re-offers/"
    again = client.post(
        offers,
        {"offered_on": today().isoformat(), "response": "refused",
         "next_offer_on": (today() + timedelta(days=60)).isoformat()},
    )  # fmt: skip
    assert again.status_code == 201, again.content
    assert again.json()["offer_again_on"] == (today() + timedelta(days=60)).isoformat()
    accepted = client.post(offers, {"offered_on": today().isoformat(), "response": "accepted", "persons_words": "OK."})
    assert accepted.status_code == 201 and accepted.json()["ended_on"] == today().isoformat()
    assert [o["response"] for o in accepted.json()["re_offers"]] == ["refused", "accepted"]
    listed = api_as("prob.officer").get(url).json()["results"]
    assert [len(r["re_offers"]) for r in listed] == [2]
    assert api_as("prob.officer").get(f"/api/v1/refusals/{refusal['id']}/").json()["ended_on"] == today().isoformat()
    # Closed: no more offers on it.
    assert client.post(offers, {"offered_on": today().isoformat(), "response": "accepted"}).status_code == 400
    # Who reads the plan but does not write it, and who sees nothing.
    assert api_as("cw.worker").post(offers, {}).status_code == 403
    assert api_as("ps.casemanager").post(offers, {}).json() == NOT_FOUND
    assert api_as("ps.casemanager").get(f"/api/v1/refusals/{refusal['id']}/").json() == NOT_FOUND


@pytest.mark.parametrize(
    "data",
    [
        {"refused_on": "0001-01-01", "persons_words": "No.", "offer_again_on": "2030-01-01"},
        {"refused_on": "2024-01-01", "persons_words": "No.", "offer_again_on": "2023-01-01"},
        {"refused_on": "2024-01-01", "persons_words": "", "offer_again_on": "2030-01-01"},
        {"refused_on": "2024-13-01", "persons_words": "No.", "offer_again_on": "2030-01-01"},
        {"refused_on": "2024-01-01", "persons_words": "No."},
    ],
)
def test_bad_refusals_are_400_and_nothing_is_written(world, api_as, data):
    before = (writes(), Refusal.objects.count())
    response = api_as("pn.casemanager").post(f"/api/v1/cases/{world.case.pk}/refusals/", data)
    assert response.status_code == 400, response.content
    assert (writes(), Refusal.objects.count()) == before


def test_bad_re_offers_are_400(world, api_as):
    refusal = actions.do_record_refusal(
        world.case,
        refused_on=today(),
        persons_words="No.",
        offer_again_on=today() + timedelta(days=10),
        acting_user=user("pn.casemanager"),
    )
    client = api_as("pn.casemanager")
    url = f"/api/v1/refusals/{refusal.pk}/re-offers/"
    before = (writes(), ReOffer.objects.count())
    for data in (
        {"offered_on": today().isoformat(), "response": "maybe"},
        {"offered_on": today().isoformat(), "response": "refused"},  # when to offer next?
        {"offered_on": "0001-01-01", "response": "accepted"},
        {"offered_on": today().isoformat(), "response": "refused", "next_offer_on": "0001-01-01"},
    ):
        assert client.post(url, data).status_code == 400, data
    assert (writes(), ReOffer.objects.count()) == before
    assert client.post("/api/v1/refusals/not-a-uuid/re-offers/", {}).json() == NOT_FOUND


def test_refusals_are_only_recorded_by_plan_writers(world, api_as):
    data = {"refused_on": today().isoformat(), "persons_words": "No.", "offer_again_on": "2099-01-01"}
    for username in ("cw.worker", "family.counsellor", "mh.clinician", "police.liaison"):
        assert api_as(username).post(f"/api/v1/cases/{world.case.pk}/refusals/", data).status_code == 403


# --- family days ----------------------------------------------------------------------------------------------


def test_the_prison_plans_a_family_day_and_its_participants(world, api_as):
    client = api_as("pn.casemanager")
    created = client.post(
        "/api/v1/family-days/",
        {"held_on": (today() + timedelta(days=14)).isoformat(), "title": "Summer family day", "place": "Gym"},
    )
    assert created.status_code == 201, created.content
    day = created.json()
    assert day["organiser"] == "prison-north" and day["participants"] == []
    added = client.post(
        f"/api/v1/family-days/{day['id']}/participants/", {"case": str(world.case.pk), "visitors": "Mother"}
    )
    assert added.status_code == 201, added.content
    participant = added.json()
    assert participant["category"] == "family" and participant["attended"] is None
    detail = client.get(f"/api/v1/family-days/{day['id']}/").json()
    assert [p["id"] for p in detail["participants"]] == [participant["id"]]
    assert [d["id"] for d in client.get("/api/v1/family-days/").json()["results"]] == [day["id"]]
    # Twice is refused; attendance waits for the day.
    again = client.post(f"/api/v1/family-days/{day['id']}/participants/", {"case": str(world.case.pk)})
    assert again.status_code == 400
    url = f"/api/v1/family-day-participants/{participant['id']}/"
    early = client.patch(url, {"attended": True})
    assert early.status_code == 400 and "attended" in early.json()
    # Other members see the participation on the case's record, not the day; others nothing.
    assert api_as("cw.worker").get(url).json()["visitors"] == "Mother"
    assert api_as("cw.worker").get(f"/api/v1/family-days/{day['id']}/").json() == NOT_FOUND
    assert api_as("cw.worker").patch(url, {"attended": True}).status_code == 403
    assert api_as("police.liaison").get(url).json() == NOT_FOUND
    assert api_as("ps.casemanager").get(f"/api/v1/family-days/{day['id']}/").json() == NOT_FOUND


def test_attendance_is_recorded_once_the_day_has_come(world, api_as):
    pn = user("pn.casemanager")
    day = actions.do_plan_family_day(held_on=today(), title="Family day", acting_user=pn)
    participant = actions.do_add_participant(day, case=world.case, acting_user=pn)
    client = api_as("pn.casemanager")
    url = f"/api/v1/family-day-participants/{participant.pk}/"
    assert client.patch(url, {"attended": "sort of"}).status_code == 400
    assert client.patch(url, {}).status_code == 400
    response = client.patch(url, {"attended": True})
    assert response.status_code == 200 and response.json()["attended"] is True
    assert FamilyDayParticipant.objects.get(pk=participant.pk).attended is True


def test_a_prison_adds_only_its_own_cases_and_only_prisons_plan_days(world, api_as):
    pn = user("pn.casemanager")
    day = actions.do_plan_family_day(held_on=today() + timedelta(days=3), title="Family day", acting_user=pn)
    elsewhere = new_case("Tarik", members=(), lead="ps.casemanager")
    client = api_as("pn.casemanager")
    url = f"/api/v1/family-days/{day.pk}/participants/"
    before = writes()
    assert client.post(url, {"case": str(elsewhere.pk)}).status_code == 400  # a case it does not see
    assert client.post(url, {"case": "not-a-uuid"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    for username in ("cw.worker", "prob.officer", "police.liaison", "family.counsellor"):
        assert api_as(username).post("/api/v1/family-days/", {"held_on": "2030-01-01", "title": "x"}).status_code == 403
        assert api_as(username).post(url, {"case": str(world.case.pk)}).json() == NOT_FOUND
    assert client.post("/api/v1/family-days/", {"held_on": "0001-01-01", "title": "x"}).status_code == 400
    assert client.post("/api/v1/family-days/", {"held_on": "2030-01-01", "title": ""}).status_code == 400
    assert writes() == before


# --- without credentials, and the number of queries ----------------------------------------------------------------


def test_without_credentials_it_is_401(family):
    anonymous = APIClient()
    for url in (
        f"/api/v1/cases/{family.case.pk}/children/",
        f"/api/v1/children/{family.child.pk}/",
        f"/api/v1/cases/{family.case.pk}/visit-schedule/",
        "/api/v1/family-files/",
        "/api/v1/family-days/",
    ):
        assert anonymous.get(url).status_code == 401


def test_the_child_takes_a_bounded_number_of_queries(family, api_as, django_assert_max_num_queries):
    client = api_as("mh.clinician")
    url = f"/api/v1/children/{family.child.pk}/"
    client.get(url)  # warm the per-process caches (matrix, translations)
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    once = len(captured)
    # More orders, visits, placements and assessments: the count does not grow.
    fill_child(family.child, orders=3, visits=3, placed=100)
    with django_assert_max_num_queries(once) as captured:
        body = client.get(url).json()
    assert len(body["contact_orders"]) == 4 and len(body["placements"]) == 2


def test_the_family_file_takes_a_bounded_number_of_queries(world, api_as, django_assert_max_num_queries):
    body = open_file(api_as)
    holder = api_as("family.counsellor")
    url = f"/api/v1/family-files/{body['id']}/"
    family_file = FamilyFile.objects.get(pk=body["id"])
    fc = user("family.counsellor")
    first = Person.objects.get(pk=body["clients"][0]["person"])
    actions.do_record_clearing(family_file, worries="Worry", urgency="low", acting_user=fc)
    actions.do_record_session(family_file, client=first, held_on=today(), note="First", acting_user=fc)
    actions.do_record_help_plan(family_file, aims="Aims", acting_user=fc)
    holder.get(url)
    with django_assert_max_num_queries(40) as captured:
        assert holder.get(url).status_code == 200
    once = len(captured)
    actions.do_add_counsellor(family_file, organisation=org("exit-ngo"), acting_user=fc)
    for i in range(3):
        actions.do_add_client(family_file, new_client={"given_name": f"C{i}", "family_name": "E"}, acting_user=fc)
        actions.do_record_clearing(family_file, worries=f"Worry {i}", urgency="low", acting_user=fc)
    for client_person in Person.objects.filter(pk__in=[c["person"] for c in body["clients"]]):
        for i in range(3):
            actions.do_record_session(
                family_file, client=client_person, held_on=today(), note=f"Note {i}", acting_user=fc
            )
    with django_assert_max_num_queries(once, info="family file") as captured:
        detail = holder.get(url).json()
    assert len(detail["sessions"]) == 7 and len(detail["clients"]) == 5 and len(detail["counsellors"]) == 2
