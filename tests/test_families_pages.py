"""The family pages (issue 15): the case page's "Family and children" part and its forms, a child's
page, family files, family days, and the navigation. Allow and deny across organisation types, the
forms' 400 and 409 paths, 404 for what may not be seen, and query counts that do not grow with the
data.

The world is tests/api_world.py's: Amira's custody case (lead Prison North) with every demo
organisation but Prison South as a member, and Bilal's (lead Harbour Municipality, with probation).
Everything is built through the actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.cases import actions as case_actions
from continuum.cases.models import Case
from continuum.families import actions
from continuum.families.models import (
    BestInterestAssessment,
    ChildProfile,
    Clearing,
    ContactOrder,
    CounsellingSession,
    FamilyClient,
    FamilyCounsellor,
    FamilyDay,
    FamilyDayParticipant,
    FamilyFile,
    HelpPlan,
    Placement,
    Refusal,
    Relationship,
    ReOffer,
    Visit,
)
from continuum.people.models import Person
from tests.plans_world import org, today, user

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30
CHILD_READERS = ["cw.worker", "family.counsellor", "mh.clinician"]
# Members of Amira's case who do not see children (R6), and users who see no case of hers at all.
NOT_CHILD_READERS = ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "cp.coordinator", "mentor.one"]
OUTSIDERS = ["ps.casemanager", "evaluator", "dpo", "admin"]


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def text(response: Any) -> str:
    return response.content.decode()


def at(day: date, hour: int = 15) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Family:
    case: Case
    child: Person
    order: ContactOrder
    visit: Visit


def family_of(case: Case, *, visits: int = 1, placements: int = 1, given: str = "Lina") -> Family:
    """A child of the case's person with placements, details, an assessment, an order and past visits."""
    cw = user("cw.worker")
    child = actions.do_add_child(
        case, given_name=given, family_name="Example", birth_date=date(2016, 5, 1), gender="female", acting_user=cw
    ).relative
    for n in range(placements):
        actions.do_record_placement(
            child,
            kind="foster_family" if n % 2 else "extended_family",
            starts_on=today() - timedelta(days=400 - n * 10),
            carer=f"Carer {n}",
            acting_user=cw,
        )
    actions.do_update_child_profile(
        child, version=0, changes={"guardian": "Child welfare", "school": "Primary school"}, acting_user=cw
    )
    actions.do_record_best_interest(
        child, assessed_on=today() - timedelta(days=5), judgement="Short, regular calls help her.", acting_user=cw
    )
    order = actions.do_record_contact_order(
        child,
        issued_by="Juvenile court",
        issued_on=today() - timedelta(days=100),
        form="video",
        per_month=2,
        supervised=True,
        valid_from=today() - timedelta(days=90),
        acting_user=cw,
    )
    first = None
    for n in range(visits):
        visit = actions.do_schedule_visit(
            order,
            scheduled_for=at(today() - timedelta(days=80 - n)),
            form="video",
            setting="child_friendly_room",
            took_place=n % 3 != 1,
            outcome_for_child="Calm and happy." if n % 3 != 1 else "",
            acting_user=cw,
        )
        first = first or visit
    return Family(case=case, child=child, order=order, visit=first)  # type: ignore[arg-type]


def child_url(child: Person) -> str:
    return f"/families/children/{child.pk}/"


def part_url(case: Case) -> str:
    return f"/cases/{case.pk}/parts/family/"


# --- the case page's part -----------------------------------------------------------------------------


def test_child_welfare_sees_the_children_the_relatives_and_the_visits_on_the_case(world):
    fam = family_of(world.case)
    actions.do_schedule_visit(
        fam.order,
        scheduled_for=at(today() + timedelta(days=3)),
        form="video",
        setting="visiting_hall",
        acting_user=user("cw.worker"),
    )
    actions.do_record_relationship(
        world.case,
        kind="parent",
        influence="protective",
        new_relative={"given_name": "Mona", "family_name": "X"},
        acting_user=user("pn.casemanager"),
    )
    page = text(client_as("cw.worker").get(part_url(world.case), HTTP_HX_REQUEST="true"))
    assert 'id="family"' in page and "Family and children" in page
    assert f'href="{child_url(fam.child)}"' in page and "Lina Example" in page
    assert "Mona X" in page and "Protective" in page
    assert "Family visits coming up" in page and "Ordinary visiting hall" in page
    assert "Add a child of the person" in page and "Add a relative or someone in their circle" in page
    # Child welfare reads the plan but does not write it: no refusal form.
    assert "Record that the person refuses to take part" not in page


def test_the_prison_sees_the_visit_schedule_but_not_the_children(world):
    fam = family_of(world.case)
    actions.do_schedule_visit(
        fam.order,
        scheduled_for=at(today() + timedelta(days=3)),
        form="video",
        setting="child_friendly_room",
        acting_user=user("cw.worker"),
    )
    page = text(client_as("pn.casemanager").get(part_url(world.case), HTTP_HX_REQUEST="true"))
    assert "Family visits coming up" in page and "Child-friendly visiting room" in page and "Video call" in page
    assert "Lina" not in page and str(fam.child.pk) not in page and "Add a child" not in page
    assert "Record that the person refuses to take part" in page  # the prison writes the plan
    assert client_as("pn.casemanager").get(child_url(fam.child)).status_code == 404


@pytest.mark.parametrize("username", ["police.liaison", "mentor.one"])
def test_police_and_mentoring_see_nothing_of_the_family_on_the_case(world, username):
    fam = family_of(world.case)
    actions.do_record_relationship(
        world.case,
        kind="sibling",
        new_relative={"given_name": "Mona", "family_name": "X"},
        acting_user=user("pn.casemanager"),
    )
    client = client_as(username)
    part = client.get(part_url(world.case), HTTP_HX_REQUEST="true")
    assert part.status_code == 200
    page = text(part)
    assert "Lina" not in page and "Mona" not in page and "visits" not in page
    assert "Nothing about the family" in text(client.get(part_url(world.case)))
    assert client.get(child_url(fam.child)).status_code == 404
    case_page = text(client.get(f"/cases/{world.case.pk}/"))
    assert "Lina" not in case_page


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_for_the_part(world, username):
    assert client_as(username).get(part_url(world.case), HTTP_HX_REQUEST="true").status_code in (403, 404)


def test_a_family_writer_adds_a_relative_and_bad_input_shows_the_form_again(world):
    client = client_as("prob.officer")
    url = f"/families/cases/{world.case.pk}/relatives/"
    bad = client.post(url, {"kind": "sibling", "given_name": "", "family_name": "Example", "influence": "risk"})
    assert bad.status_code == 400 and "This field is required." in text(bad)
    assert not Relationship.objects.filter(case=world.case).exists()
    # A child cannot be added through the relatives' form.
    child = client.post(url, {"kind": "child", "given_name": "A", "family_name": "B", "influence": "unknown"})
    assert child.status_code == 400
    response = client.post(
        url, {"kind": "sibling", "given_name": "Marko", "family_name": "Example", "influence": "risk", "note": "Old"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{world.case.pk}/#family")
    link = Relationship.objects.get(case=world.case)
    assert link.kind == "sibling" and link.influence == "risk" and link.relative.given_name == "Marko"


@pytest.mark.parametrize("username", ["police.liaison", "mentor.one"])
def test_readers_without_family_writing_cannot_add_relatives(world, username):
    response = client_as(username).post(
        f"/families/cases/{world.case.pk}/relatives/",
        {"kind": "sibling", "given_name": "Marko", "family_name": "Example", "influence": "risk"},
    )
    assert response.status_code == 403
    assert not Relationship.objects.exists()


def test_only_child_welfare_adds_a_child(world):
    url = f"/families/cases/{world.case.pk}/children/"
    data = {"given_name": "Noor", "family_name": "Example", "birth_date": "2019-02-03", "gender": "female"}
    for username in ["pn.casemanager", "family.counsellor", "mh.clinician"]:
        assert client_as(username).post(url, data).status_code == 403
    assert client_as("ps.casemanager").post(url, data).status_code == 404
    response = client_as("cw.worker").post(url, data)
    assert response.status_code == 302
    link = Relationship.objects.get(case=world.case, kind="child")
    assert link.relative.given_name == "Noor" and link.relative.subject_category == "child"
    assert client_as("cw.worker").post(url, {**data, "birth_date": "3000-01-01"}).status_code == 400


def test_the_refusal_and_its_re_offers_on_the_case(world):
    client = client_as("prob.officer")
    refused = today() - timedelta(days=10)
    response = client.post(
        f"/families/cases/{world.case.pk}/refusals/",
        {"refused_on": refused.isoformat(), "persons_words": "Not now.", "offer_again_on": refused.isoformat()},
    )
    assert response.status_code == 400 and "Offer again after the day of the refusal." in text(response)
    response = client.post(
        f"/families/cases/{world.case.pk}/refusals/",
        {
            "refused_on": refused.isoformat(),
            "persons_words": "Not now.",
            "offer_again_on": (today() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    refusal = Refusal.objects.get(case=world.case)
    page = text(client.get(part_url(world.case), HTTP_HX_REQUEST="true"))
    assert "Not now." in page and "Record that taking part was offered again" in page
    assert "Record that the person refuses to take part" not in page  # one open refusal at a time
    offer_url = f"/families/refusals/{refusal.pk}/offers/"
    bad = client.post(offer_url, {"offered_on": today().isoformat(), "response": "refused"})
    assert bad.status_code == 400 and "Say when to offer again." in text(bad)
    assert (
        client_as("cw.worker").post(offer_url, {"offered_on": today().isoformat(), "response": "accepted"}).status_code
        == 403
    )
    assert (
        client_as("ps.casemanager")
        .post(offer_url, {"offered_on": today().isoformat(), "response": "accepted"})
        .status_code
        == 404
    )
    response = client.post(
        offer_url, {"offered_on": today().isoformat(), "response": "accepted", "persons_words": "OK"}
    )
    assert response.status_code == 302
    refusal.refresh_from_db()
    assert refusal.ended_on == today() and ReOffer.objects.filter(refusal=refusal).count() == 1
    page = text(client.get(part_url(world.case), HTTP_HX_REQUEST="true"))
    assert "Accepted on" in page and "Record that the person refuses to take part" in page
    # The police reads the plan: it sees the refusal, and records nothing.
    police = text(client_as("police.liaison").get(part_url(world.case), HTTP_HX_REQUEST="true"))
    assert "Not now." in police and "offered again</summary>" not in police


def test_the_family_file_is_linked_from_the_case_for_its_counsellors_only(world):
    counsellor = user("family.counsellor")
    family_file = actions.do_open_family_file(
        opened_on=timezone.localdate() - timedelta(days=365),
        title="Example family",
        counselling_organisation=org("family-counselling"),
        new_clients=[{"given_name": "Mona", "family_name": "Example", "relation": "mother"}],
        case=world.case,
        acting_user=counsellor,
    )
    url = f"/families/files/{family_file.pk}/"
    assert url in text(client_as("family.counsellor").get(part_url(world.case), HTTP_HX_REQUEST="true"))
    for username in ["exit.worker", "pn.casemanager", "cw.worker"]:
        assert url not in text(client_as(username).get(part_url(world.case), HTTP_HX_REQUEST="true"))


def test_the_part_asks_a_bounded_number_of_queries(world):
    family_of(world.case, visits=2)
    actions.do_record_relationship(  # read by another organisation: a disclosure (one insert for all)
        world.case,
        kind="parent",
        new_relative={"given_name": "P", "family_name": "X"},
        acting_user=user("pn.casemanager"),
    )
    client = client_as("cw.worker")
    with CaptureQueriesContext(connection) as few:
        assert client.get(part_url(world.case), HTTP_HX_REQUEST="true").status_code == 200
    for n in range(4):
        family_of(world.case, visits=4, given=f"Child{n}")
        actions.do_record_relationship(
            world.case,
            kind="other_family",
            new_relative={"given_name": f"R{n}", "family_name": "X"},
            acting_user=user("pn.casemanager"),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(part_url(world.case), HTTP_HX_REQUEST="true").status_code == 200
    assert len(many) <= MAX_QUERIES and len(many) == len(few), "\n".join(
        q["sql"][:120] for q in [*few.captured_queries, {"sql": "-----"}, *many.captured_queries]
    )


# --- the child's page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CHILD_READERS)
def test_child_readers_see_the_childs_page(world, username):
    fam = family_of(world.case, visits=3)
    response = client_as(username).get(child_url(fam.child))
    assert response.status_code == 200
    page = text(response)
    assert "Lina Example" in page and world.case.number in page
    assert "Where the child has lived" in page and "Carer 0" in page
    assert "Primary school" in page and "Short, regular calls help her." in page
    assert "Juvenile court" in page and "Calm and happy." in page
    assert re.search(r"2 of \d+ due visits took place, 1 missed", page)
    forms = username == "cw.worker"
    assert ("Record a contact order" in page) is forms
    assert ("Schedule a visit under this order" in page) is forms
    assert ("Record what happened at the visit" in page) is forms
    assert ("Record a move to a new placement" in page) is forms


@pytest.mark.parametrize("username", NOT_CHILD_READERS + OUTSIDERS)
def test_everyone_else_gets_404_for_the_child(world, username):
    fam = family_of(world.case)
    assert client_as(username).get(child_url(fam.child)).status_code == 404
    assert client_as(username).get("/families/children/0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/").status_code == 404


def test_newest_placement_first(world):
    fam = family_of(world.case, placements=3)
    page = text(client_as("cw.worker").get(child_url(fam.child)))
    assert page.index("Carer 2") < page.index("Carer 1") < page.index("Carer 0")


def test_child_welfare_records_on_the_childs_page(world):
    fam = family_of(world.case, visits=0)
    client = client_as("cw.worker")
    base = child_url(fam.child)
    # A placement
    assert client.post(f"{base}placements/", {"kind": "institution", "starts_on": "1990-01-01"}).status_code == 400
    response = client.post(
        f"{base}placements/", {"kind": "institution", "starts_on": today().isoformat(), "carer": "Home"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#placements")
    assert Placement.objects.filter(person=fam.child, ends_on__isnull=True).get().kind == "institution"
    # Its details, with the version read
    profile = ChildProfile.objects.get(person=fam.child)
    data = {
        "guardian": "Aunt",
        "school": "New school",
        "health": "",
        "documents_from_abroad": "",
        "version": profile.version,
    }
    assert client.post(f"{base}details/", data).status_code == 302
    stale = client.post(f"{base}details/", {**data, "guardian": "Uncle"})
    assert stale.status_code == 409 and "Uncle" in text(stale)
    assert ChildProfile.objects.get(person=fam.child).guardian == "Aunt"
    # A best-interest assessment
    response = client.post(f"{base}best-interest/", {"assessed_on": today().isoformat(), "judgement": "Calm visits."})
    assert response.status_code == 302
    assert BestInterestAssessment.objects.filter(person=fam.child, judgement="Calm visits.").exists()
    # A contact order
    order_data = {
        "parent_case": str(world.case.pk),
        "issued_by": "Court",
        "issued_on": today().isoformat(),
        "form": "in_person",
        "per_month": "1",
        # From yesterday: the visit below, three hours ago, falls on yesterday just after midnight.
        "valid_from": (today() - timedelta(days=1)).isoformat(),
    }
    assert client.post(f"{base}contact-orders/", {**order_data, "per_month": "0"}).status_code == 400
    response = client.post(f"{base}contact-orders/", order_data)
    assert response.status_code == 302
    order = ContactOrder.objects.get(person=fam.child, issued_by="Court")
    assert response["Location"].endswith(f"#order-{order.pk}")
    # A visit under it, then what happened
    visit_url = f"/families/contact-orders/{order.pk}/visits/"
    outside = timezone.localtime(at(today() - timedelta(days=4))).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(visit_url, {"scheduled_for": outside, "form": "in_person", "setting": "visiting_hall"})
    assert bad.status_code == 400 and "not in force on that day" in text(bad)
    when = timezone.localtime(timezone.now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(visit_url, {"scheduled_for": when, "form": "in_person", "setting": "visiting_hall"})
    assert response.status_code == 302
    visit = Visit.objects.get(contact_order=order)
    record_url = f"/families/visits/{visit.pk}/"
    bad = client.post(record_url, {"took_place": "", "outcome_for_child": "Fine", "version": visit.version})
    assert bad.status_code == 400 and "Say whether the visit took place." in text(bad)
    response = client.post(
        record_url, {"took_place": "yes", "outcome_for_child": "She smiled.", "accompanied_by": "Aunt", "version": 1}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#visit-{visit.pk}")
    visit.refresh_from_db()
    assert visit.took_place is True and visit.outcome_for_child == "She smiled." and visit.accompanied_by == "Aunt"
    stale = client.post(record_url, {"took_place": "no", "version": 1})
    assert stale.status_code == 409
    assert "due visits took place, 0 missed" in text(client.get(base))


@pytest.mark.parametrize("username", ["family.counsellor", "mh.clinician"])
def test_child_readers_who_do_not_write_get_403_on_the_childs_forms(world, username):
    fam = family_of(world.case)
    client = client_as(username)
    base = child_url(fam.child)
    assert (
        client.post(f"{base}placements/", {"kind": "institution", "starts_on": today().isoformat()}).status_code == 403
    )
    assert (
        client.post(f"{base}best-interest/", {"assessed_on": today().isoformat(), "judgement": "x"}).status_code == 403
    )
    assert client.post(f"/families/visits/{fam.visit.pk}/", {"took_place": "no", "version": 1}).status_code == 403
    assert Placement.objects.filter(person=fam.child).count() == 1


@pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison"])
def test_others_get_404_on_the_childs_forms(world, username):
    fam = family_of(world.case)
    client = client_as(username)
    assert client.post(f"{child_url(fam.child)}placements/", {"kind": "institution"}).status_code == 404
    assert client.post(f"/families/contact-orders/{fam.order.pk}/visits/", {}).status_code == 404
    assert client.post(f"/families/visits/{fam.visit.pk}/", {"took_place": "no", "version": 1}).status_code == 404
    fam.visit.refresh_from_db()
    assert fam.visit.took_place is True


def test_the_childs_page_asks_a_bounded_number_of_queries(world):
    fam = family_of(world.case, visits=2, placements=1)
    client = client_as("cw.worker")
    with CaptureQueriesContext(connection) as few:
        assert client.get(child_url(fam.child)).status_code == 200
    cw = user("cw.worker")
    for n in range(6):
        actions.do_record_placement(
            fam.child, kind="institution", starts_on=today() - timedelta(days=300 - n * 20), acting_user=cw
        )
        actions.do_schedule_visit(
            fam.order,
            scheduled_for=at(today() - timedelta(days=60 - n)),
            form="video",
            setting="remote",
            took_place=True,
            acting_user=cw,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(child_url(fam.child)).status_code == 200
    assert len(many) <= MAX_QUERIES, len(many)
    assert len(many) == len(few)


def test_a_child_of_two_parents_shows_both_cases_and_its_order_asks_whose(world):
    fam = family_of(world.case)
    cw = user("cw.worker")
    case_actions.do_add_member(
        world.other_case, organisation=org("child-welfare"), acting_user=user("muni.coordinator")
    )
    actions.do_link_child(world.other_case, child=fam.child, acting_user=cw)
    page = text(client_as("cw.worker").get(child_url(fam.child)))
    assert world.case.number in page and world.other_case.number in page
    assert "Contact with the parent of case" in page  # the order form asks which parent


# --- family files ------------------------------------------------------------------------------------------


def open_file(case: Case | None = None, **kwargs: Any) -> FamilyFile:
    counsellor = user("family.counsellor")
    return actions.do_open_family_file(
        opened_on=timezone.localdate() - timedelta(days=365),
        title="Example family",
        counselling_organisation=org("family-counselling"),
        new_clients=[
            {"given_name": "Mona", "family_name": "Example", "relation": "mother"},
            {"given_name": "Sara", "family_name": "Example", "relation": "sister"},
        ],
        case=case,
        acting_user=counsellor,
        **kwargs,
    )


@pytest.mark.parametrize("username", ["family.counsellor", "exit.worker"])
def test_counselling_organisations_have_the_family_files_list(world, username):
    open_file(world.case)
    response = client_as(username).get("/families/files/")
    assert response.status_code == 200
    assert ("Example family" in text(response)) is (username == "family.counsellor")
    assert "Open a family file" in text(response)


@pytest.mark.parametrize("username", ["pn.casemanager", "cw.worker", "police.liaison", "mh.clinician", "dpo"])
def test_others_may_not_use_family_files(world, username):
    family_file = open_file(world.case)
    client = client_as(username)
    assert client.get("/families/files/").status_code == 403
    assert client.get(f"/families/files/{family_file.pk}/").status_code == 404
    assert (
        client.post("/families/files/open/", {"title": "X", "given_name": "A", "family_name": "B"}).status_code == 403
    )


def test_a_counsellor_opens_a_file_with_or_without_a_case(world):
    client = client_as("family.counsellor")
    bad = client.post("/families/files/open/", {"title": "Nowak family", "given_name": "", "family_name": ""})
    assert bad.status_code == 400 and not FamilyFile.objects.exists()
    response = client.post(
        "/families/files/open/",
        {
            "title": "Nowak family",
            "case": str(world.case.pk),
            "given_name": "Ewa",
            "family_name": "Nowak",
            "relation": "aunt",
        },
    )
    assert response.status_code == 302
    family_file = FamilyFile.objects.get(title="Nowak family")
    assert family_file.case_id == world.case.pk
    assert [c.person.given_name for c in FamilyClient.objects.filter(family_file=family_file)] == ["Ewa"]
    assert response["Location"] == f"/families/files/{family_file.pk}/"
    assert (
        client.post(
            "/families/files/open/", {"title": "Solo family", "given_name": "Jan", "family_name": "Solo"}
        ).status_code
        == 302
    )
    assert FamilyFile.objects.get(title="Solo family").case is None


def test_the_file_page_with_its_forms_and_sessions(world):
    family_file = open_file(world.case)
    client = client_as("family.counsellor")
    url = f"/families/files/{family_file.pk}/"
    mona = FamilyClient.objects.get(family_file=family_file, person__given_name="Mona").person
    # The clearing
    bad = client.post(f"{url}clearings/", {"worries": "", "urgency": "high", "cleared_on": today().isoformat()})
    assert bad.status_code == 400
    assert (
        client.post(
            f"{url}clearings/", {"worries": "Old friends.", "urgency": "high", "cleared_on": today().isoformat()}
        ).status_code
        == 302
    )
    assert Clearing.objects.get(family_file=family_file).urgency == "high"
    # The help plan, then a change with the version read, then a stale one
    assert client.post(f"{url}help-plan/", {"aims": "Talk."}).status_code == 302
    assert client.post(f"{url}help-plan/", {"aims": "Talk more.", "version": "1"}).status_code == 302
    stale = client.post(f"{url}help-plan/", {"aims": "Talk less.", "version": "1"})
    assert stale.status_code == 409 and HelpPlan.objects.get(family_file=family_file).aims == "Talk more."
    # Sessions
    bad = client.post(f"{url}sessions/", {"client": str(world.amira.pk), "held_on": today().isoformat(), "note": "x"})
    assert bad.status_code == 400
    assert (
        client.post(
            f"{url}sessions/",
            {"client": str(mona.pk), "held_on": today().isoformat(), "note": "Her fears.", "never_share": "on"},
        ).status_code
        == 302
    )
    session = CounsellingSession.objects.get(family_file=family_file)
    assert session.never_share and session.person_id == mona.pk
    # A client from the case (the person herself), and a new one
    assert client.post(f"{url}clients/", {"person": str(world.amira.pk), "relation": "daughter"}).status_code == 302
    assert client.post(f"{url}clients/", {"given_name": "Omar", "family_name": "Example"}).status_code == 302
    assert client.post(f"{url}clients/", {}).status_code == 400
    assert FamilyClient.objects.filter(family_file=family_file).count() == 4
    page = text(client.get(url))
    for shown in ("Old friends.", "Talk more.", "Her fears.", "Never shared", "Omar Example", "holds the file"):
        assert shown in page


def test_the_holder_adds_and_removes_another_counselling_organisation(world):
    family_file = open_file(world.case)
    url = f"/families/files/{family_file.pk}/"
    mona = FamilyClient.objects.get(family_file=family_file, person__given_name="Mona").person
    actions.do_record_session(
        family_file,
        client=mona,
        held_on=today(),
        note="Never for others.",
        never_share=True,
        acting_user=user("family.counsellor"),
    )
    actions.do_record_session(
        family_file, client=mona, held_on=today(), note="Ordinary.", acting_user=user("family.counsellor")
    )
    assert client_as("exit.worker").get(url).status_code == 404
    assert client_as("family.counsellor").post(f"{url}counsellors/", {"organisation": "police"}).status_code == 400
    assert client_as("family.counsellor").post(f"{url}counsellors/", {"organisation": "exit-ngo"}).status_code == 302
    exit_page = client_as("exit.worker").get(url)
    assert exit_page.status_code == 200
    page = text(exit_page)
    # No consent of Mona's: the exit worker sees neither session, and the "never share" one never.
    assert "Never for others." not in page and "Ordinary." not in page and "Never shared" not in page
    assert "Add another organisation" not in page and "Remove" not in page  # only the holder decides
    assert client_as("exit.worker").post(f"{url}counsellors/", {"organisation": "exit-ngo"}).status_code == 403
    assert client_as("exit.worker").post(f"{url}counsellors/family-counselling/end/").status_code == 403
    assert client_as("family.counsellor").post(f"{url}counsellors/exit-ngo/end/").status_code == 302
    assert not FamilyCounsellor.objects.filter(
        family_file=family_file, organisation__slug="exit-ngo", until__isnull=True
    ).exists()
    assert client_as("exit.worker").get(url).status_code == 404


def test_the_file_page_asks_a_bounded_number_of_queries(world):
    family_file = open_file(world.case)
    counsellor = user("family.counsellor")
    client = client_as("family.counsellor")
    url = f"/families/files/{family_file.pk}/"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    clients = [c.person for c in FamilyClient.objects.filter(family_file=family_file)]
    for n in range(5):
        actions.do_record_session(
            family_file,
            client=clients[n % 2],
            held_on=today() - timedelta(days=n),
            note=f"S{n}",
            acting_user=counsellor,
        )
        actions.do_record_clearing(family_file, worries=f"W{n}", urgency="low", acting_user=counsellor)
        actions.do_add_client(
            family_file, new_client={"given_name": f"C{n}", "family_name": "X"}, acting_user=counsellor
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) <= MAX_QUERIES, len(many)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as listing:
        assert client.get("/families/files/").status_code == 200
    assert len(listing) <= MAX_QUERIES


# --- family days ---------------------------------------------------------------------------------------------


def plan_day(days: int = 10) -> FamilyDay:
    return actions.do_plan_family_day(
        held_on=today() + timedelta(days=days), title="Spring day", place="Garden", acting_user=user("pn.casemanager")
    )


@pytest.mark.parametrize("username", ["cw.worker", "prob.officer", "family.counsellor", "police.liaison", "dpo"])
def test_only_prisons_have_family_days(world, username):
    day = plan_day()
    client = client_as(username)
    assert client.get("/families/family-days/").status_code == 403
    assert client.get(f"/families/family-days/{day.pk}/").status_code == 403
    assert client.post("/families/family-days/new/", {"title": "X", "held_on": today().isoformat()}).status_code == 403


def test_another_prison_does_not_see_the_day(world):
    day = plan_day()
    client = client_as("ps.casemanager")
    assert day.title not in text(client.get("/families/family-days/"))
    assert client.get(f"/families/family-days/{day.pk}/").status_code == 404


def test_the_prison_plans_a_day_adds_a_participant_and_records_attendance(world):
    client = client_as("pn.casemanager")
    assert client.post("/families/family-days/new/", {"title": "", "held_on": today().isoformat()}).status_code == 400
    response = client.post(
        "/families/family-days/new/", {"title": "Summer day", "held_on": today().isoformat(), "place": "Hall"}
    )
    assert response.status_code == 302
    day = FamilyDay.objects.get(title="Summer day")
    url = f"/families/family-days/{day.pk}/"
    page = text(client.get(url))
    assert "Summer day" in page and world.case.number in page and "Add a person who takes part" in page
    assert world.other_case.number not in page  # not a case of the prison
    bad = client.post(f"{url}participants/", {"case": str(world.other_case.pk)})
    assert bad.status_code == 400
    assert client.post(f"{url}participants/", {"case": str(world.case.pk), "visitors": "Mother"}).status_code == 302
    participant = FamilyDayParticipant.objects.get(family_day=day)
    page = text(client.get(url))
    assert "Mother" in page and "Amira Example" in page
    attend = f"/families/participants/{participant.pk}/attendance/"
    assert client.post(attend, {}).status_code == 400
    assert client.post(attend, {"attended": "yes"}).status_code == 302
    participant.refresh_from_db()
    assert participant.attended is True
    assert client_as("ps.casemanager").post(attend, {"attended": "no"}).status_code == 404


def test_attendance_waits_for_the_day(world):
    day = plan_day(5)
    participant = actions.do_add_participant(day, case=world.case, acting_user=user("pn.casemanager"))
    client = client_as("pn.casemanager")
    assert "Record whether case" not in text(client.get(f"/families/family-days/{day.pk}/"))
    response = client.post(f"/families/participants/{participant.pk}/attendance/", {"attended": "yes"})
    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.attended is None


# --- navigation --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "files", "days"),
    [
        ("family.counsellor", True, False),
        ("exit.worker", True, False),
        ("pn.casemanager", False, True),
        ("cw.worker", False, False),
        ("police.liaison", False, False),
    ],
)
def test_the_navigation_shows_family_pages_to_the_organisations_that_use_them(world, username, files, days):
    nav = client_as(username).get("/").context["nav_items"]
    labels = {item["label"] for item in nav}
    assert ("Family files" in labels) is files
    assert ("Family days" in labels) is days


def test_a_new_person_made_by_the_pages_is_a_child_or_a_relative(world):
    client_as("cw.worker").post(
        f"/families/cases/{world.case.pk}/children/",
        {"given_name": "Noor", "family_name": "Example", "gender": "unknown"},
    )
    client_as("prob.officer").post(
        f"/families/cases/{world.case.pk}/relatives/",
        {"kind": "partner", "given_name": "Adam", "family_name": "Example", "influence": "unknown"},
    )
    assert Person.objects.get(given_name="Noor").subject_category == "child"
    assert Person.objects.get(given_name="Adam").subject_category == "relative"
