"""The case pages (issue 3): my cases, opening a case, the case page with its team, journal, consent and
overrides, journal entries with their live audience preview, attachments, "view as" and disclosures.

Every page is tested for who may and who may not, across organisation types (STYLE.md 7), with the
demo world's personas; the sharing engine itself is never mocked.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.accounts.models import Organisation
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.actions import (
    do_add_entry,
    do_add_member,
    do_end_membership,
    do_open_case,
    do_update_case,
)
from continuum.cases.models import Attachment, Case, CaseMember, Entry
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.actions import do_change_policy, do_grant_override, do_record_consent
from continuum.sharing.models import Consent, Disclosure, Override
from continuum.sharing.preview import CaseAudience, preview_audience
from tests.reauth import reauthenticate

pytestmark = pytest.mark.django_db

# The team of the fixture's case (led by probation); prison-north and prison-south stay outside.
MEMBER_SLUGS = [
    "police",
    "exit-ngo",
    "family-counselling",
    "mental-health",
    "child-welfare",
    "mentor-network",
    "municipality-harbour",
    "central-point",
]
# One user of every member organisation type.
MEMBERS = [
    "prob.officer",
    "police.liaison",
    "exit.worker",
    "family.counsellor",
    "mh.clinician",
    "cw.worker",
    "mentor.one",
    "muni.coordinator",
    "cp.coordinator",
]
NON_MEMBERS = ["pn.casemanager", "ps.casemanager"]
NO_CASE_CONTENT = ["dpo", "admin", "evaluator"]
MISSING = "00000000-0000-4000-8000-000000000000"


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def html(response) -> str:
    return response.content.decode()


def main(response) -> str:
    """The page's main content, without the per-response nonce and CSRF token of the page head."""
    page = html(response)
    return page[page.index("<main") : page.index("</main>")]


def consent_part(client, case) -> str:
    """The consent and legal overrides sections, the part of the case page htmx loads after it."""
    response = client.get(f"/cases/{case.pk}/parts/consent/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(persona, django_capture_on_commit_callbacks):
    """A probation case with every member organisation type in its team and one entry per kind of rule."""
    # The test's transaction never commits: the attachments' files move into place as if it had.
    with django_capture_on_commit_callbacks(execute=True):
        return build_world(persona)


def build_world(persona):
    probation = persona("prob.officer")
    person = do_create_person(
        given_name="Samir", family_name="Testperson", birth_date=date(1990, 5, 1), acting_user=probation
    )
    case = do_open_case(
        person=person, lead_organisation=probation.organisation, phase="probation", acting_user=probation
    )
    for slug in MEMBER_SLUGS:
        do_add_member(case, organisation=org(slug), acting_user=probation)
    entries = {
        "plan": do_add_entry(case, category="plan", title="Housing found in the harbour", acting_user=probation),
        "plan_withheld": do_add_entry(
            case,
            category="plan",
            title="Plan detail kept from police",
            withhold_from=["police"],
            acting_user=probation,
        ),
        "legal": do_add_entry(
            case,
            category="legal",
            title="Release conditions",
            body="Curfew from ten.",
            source="Court order",
            reliability="reliable",
            attachments=[SimpleUploadedFile("order.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")],
            acting_user=probation,
        ),
        "counselling": do_add_entry(
            case,
            category="counselling",
            title="Counselling session four",
            statement="assessment",
            attachments=[SimpleUploadedFile("session.txt", b"session notes", content_type="text/plain")],
            acting_user=persona("exit.worker"),
        ),
        "mental_health": do_add_entry(
            case, category="mental_health", title="Trauma screening", acting_user=persona("mh.clinician")
        ),
        "children": do_add_entry(
            case, category="children", title="Visit with the daughter", acting_user=persona("cw.worker")
        ),
        "security": do_add_entry(
            case,
            category="security",
            title="No contact with the old network",
            acting_user=persona("police.liaison"),
        ),
    }
    return SimpleNamespace(case=case, person=person, entries=entries)


def titles_on(page_html: str, world) -> set[str]:
    return {e.title for e in world.entries.values() if e.title in page_html}


# --- My cases -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", MEMBERS)
def test_members_of_every_organisation_type_see_the_case_in_my_cases(world, browser_as, username):
    response = browser_as(username).get("/cases/")
    assert response.status_code == 200
    assert f"Case {world.case.number}" in html(response)
    assert world.person.reference in html(response)


@pytest.mark.parametrize("username", NON_MEMBERS)
def test_organisations_outside_the_team_do_not_see_the_case_in_my_cases(world, browser_as, username):
    response = browser_as(username).get("/cases/")
    assert response.status_code == 200
    assert world.case.number not in html(response)
    assert world.person.reference not in html(response)
    assert "Testperson" not in html(response)


@pytest.mark.parametrize("username", NO_CASE_CONTENT)
def test_my_cases_is_forbidden_to_those_who_see_no_case_content(world, browser_as, username):
    assert browser_as(username).get("/cases/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(world, client):
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get(f"/cases/{world.case.pk}/").status_code == 302


def test_my_cases_shows_phase_lead_and_my_responsible_practitioner(world, browser_as, persona):
    do_add_member(
        world.case,
        organisation=org("police"),
        responsible=persona("police.liaison"),
        acting_user=persona("prob.officer"),
    )
    page = html(browser_as("police.liaison").get("/cases/"))
    assert "Probation" in page and "Probation Service" in page
    assert "Erik Lund" in page and "Samir Testperson" in page


def test_my_cases_hides_the_name_when_identity_is_not_shared(world, browser_as, persona):
    do_change_policy({("police", "identity"): "none"}, note="test", acting_user=persona("dpo"))
    page = html(browser_as("police.liaison").get("/cases/"))
    assert world.person.reference in page and "Testperson" not in page


def test_my_cases_finds_a_case_by_reference_and_by_name_only_for_the_team(world, browser_as):
    # Issue 12: names are searched among the persons whose identity the organisation may read (R12).
    client = browser_as("police.liaison")
    assert world.case.number in html(client.get("/cases/", {"q": world.person.reference}))
    assert world.case.number in html(client.get("/cases/", {"q": world.person.family_name}))
    outside = browser_as("ps.casemanager")
    assert world.case.number not in html(outside.get("/cases/", {"q": world.person.family_name}))


def test_my_cases_costs_the_same_number_of_queries_for_more_cases(world, browser_as, persona):
    client = browser_as("prob.officer")
    client.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    probation = persona("prob.officer")
    for i in range(12):
        person = do_create_person(given_name=f"P{i}", family_name="Extra", acting_user=probation)
        do_open_case(person=person, lead_organisation=probation.organisation, acting_user=probation)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/cases/")
    assert response.status_code == 200 and "P11 Extra" in html(response)
    assert len(few.captured_queries) == len(many.captured_queries)


# --- Opening a case ---------------------------------------------------------------------------------

OPENERS = ["prob.officer", "pn.casemanager", "muni.coordinator", "cp.coordinator"]
NOT_OPENERS = [
    "police.liaison",
    "exit.worker",
    "family.counsellor",
    "mh.clinician",
    "cw.worker",
    "mentor.one",
]


def new_case_data(**overrides):
    data = {
        "given_name": "Amira",
        "family_name": "Newcase",
        "birth_date": "1989-11-02",
        "gender": "female",
        "nationality": "",
        "legal_status": "resident",
        "subject_category": "convicted",
        "lead_organisation": "probation",
        "phase": "custody",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("username", OPENERS)
def test_case_openers_see_the_button_and_open_a_case(world, browser_as, username):
    client = browser_as(username)
    assert "/cases/new/" in html(client.get("/cases/"))
    assert client.get("/cases/new/").status_code == 200
    response = client.post("/cases/new/", new_case_data())
    case = Case.objects.get(person__family_name="Newcase")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.lead_organisation.slug == "probation" and case.phase == "custody"
    assert CaseMember.objects.filter(case=case, organisation__slug="probation", until__isnull=True).exists()
    # Whoever opens a case for another organisation takes part in it, so can open its page.
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("username", NOT_OPENERS + NO_CASE_CONTENT)
def test_others_do_not_see_the_button_and_may_not_open_cases(world, browser_as, username):
    client = browser_as(username)
    if username not in NO_CASE_CONTENT:
        assert "/cases/new/" not in html(client.get("/cases/"))
    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", new_case_data()).status_code == 403
    assert not Person.objects.filter(family_name="Newcase").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "This field is required"),
        ("birth_date", "2999-01-01", "cannot be in the future"),
        ("birth_date", "not a date", "Enter a valid date"),
        ("lead_organisation", "evaluation-institute", "Select a valid choice"),
        ("phase", "closed", "Select a valid choice"),
    ],
)
def test_opening_a_case_with_bad_input_explains_and_saves_nothing(world, browser_as, field, value, message):
    response = browser_as("prob.officer").post("/cases/new/", new_case_data(**{field: value}))
    assert response.status_code == 200
    assert message in html(response)
    assert not Person.objects.filter(family_name="Newcase").exists()
    assert Case.objects.count() == 1


# --- The case page -------------------------------------------------------------------------------------

# What each member organisation type sees of the fixture's entries (DESIGN.md section 5).
EXPECTED = {
    "prob.officer": {"plan", "plan_withheld", "legal", "security"},
    "police.liaison": {"plan", "legal", "security"},
    "exit.worker": {"plan", "plan_withheld", "legal", "counselling"},
    "family.counsellor": {"plan", "plan_withheld", "counselling", "children"},
    "mh.clinician": {"plan", "plan_withheld", "legal", "mental_health", "children"},
    "cw.worker": {"plan", "plan_withheld", "children"},  # legal only after the trial (R7)
    "mentor.one": set(),  # identity only (R8)
    "muni.coordinator": {"plan", "plan_withheld", "legal"},
    "cp.coordinator": {"plan", "plan_withheld", "legal", "security"},
}


@pytest.mark.parametrize("username", MEMBERS)
def test_the_case_page_shows_members_exactly_the_entries_the_rules_allow(world, browser_as, persona, username):
    response = browser_as(username).get(f"/cases/{world.case.pk}/")
    assert response.status_code == 200
    page = html(response)
    expected = {world.entries[k].title for k in EXPECTED[username]}
    assert titles_on(page, world) == expected
    # The page agrees with the one door.
    door = set(Entry.objects.visible_to(persona(username)).filter(case=world.case).values_list("title", flat=True))
    assert door == expected


@pytest.mark.parametrize("username", NON_MEMBERS + NO_CASE_CONTENT)
def test_the_case_page_is_not_found_for_those_outside_the_team(world, browser_as, username):
    client = browser_as(username)
    hidden = client.get(f"/cases/{world.case.pk}/")
    missing = client.get(f"/cases/{MISSING}/")
    assert hidden.status_code == missing.status_code == 404
    assert main(hidden) == main(missing)  # R12: not yours and not there look the same
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="case").exists()


def test_category_headings_and_counts_only_for_what_the_user_sees(world, browser_as):
    page = html(browser_as("police.liaison").get(f"/cases/{world.case.pk}/"))
    for category in ("plan", "legal", "security"):
        assert f'id="group-{category}"' in page
        assert f"?category={category}#journal" in page
    for category in ("counselling", "mental_health", "children", "family"):
        assert f'id="group-{category}"' not in page
        assert f"?category={category}#journal" not in page
    assert "All (3)" in page and "Plan (1)" in page


def test_the_journal_filters_by_category(world, browser_as):
    page = html(browser_as("prob.officer").get(f"/cases/{world.case.pk}/", {"category": "legal"}))
    assert titles_on(page, world) == {"Release conditions"}
    # A category the user cannot see is ignored, not an error and not a hint.
    page = html(browser_as("police.liaison").get(f"/cases/{world.case.pk}/", {"category": "counselling"}))
    assert titles_on(page, world) == {
        "Housing found in the harbour",
        "Release conditions",
        "No contact with the old network",
    }


def test_entries_show_their_facts_attachments_and_why_they_are_visible(world, browser_as):
    page = html(browser_as("police.liaison").get(f"/cases/{world.case.pk}/"))
    legal = world.entries["legal"]
    attachment = legal.attachments.get()
    assert "Court order" in page and "Reliable source" in page and "Curfew from ten." in page
    assert f"/cases/entries/{legal.pk}/attachments/{attachment.pk}/" in page
    assert "Why can I see this?" in page
    assert "The sharing policy lets your kind of organisation (police) read legal records" in page
    assert "Your organisation wrote it (Police Liaison Unit)" in page
    assert "Sanne Jacobs" in page  # the author


def test_the_case_page_shows_person_phase_lead_and_team(world, browser_as, persona):
    do_add_member(
        world.case,
        organisation=org("police"),
        responsible=persona("police.liaison"),
        acting_user=persona("prob.officer"),
    )
    do_end_membership(world.case, organisation=org("mentor-network"), acting_user=persona("prob.officer"))
    page = html(browser_as("exit.worker").get(f"/cases/{world.case.pk}/"))
    assert world.person.reference in page and "Samir Testperson" in page and "1 May 1990" in page
    assert "Citizen" in page  # legal status
    assert "Probation Service" in page and "Lead" in page
    assert "Erik Lund" in page
    assert "Nobody named yet" in page
    assert "Former members" in page and re.search(r"Mentor Network <span class=\"muted\">\(former member", page)


def test_reading_the_case_page_logs_a_disclosure_per_record_of_another_organisation(world, browser_as):
    browser_as("police.liaison").get(f"/cases/{world.case.pk}/")
    disclosed = set(Disclosure.objects.filter(viewer__username="police.liaison").values_list("record_id", flat=True))
    assert disclosed == {world.entries["plan"].pk, world.entries["legal"].pk}  # not its own, not hidden ones
    row = Disclosure.objects.get(viewer__username="police.liaison", record_id=world.entries["plan"].pk)
    assert row.basis == "matrix" and row.explanation == "matrix: police reads plan"
    assert AuditEvent.objects.filter(action=AuditAction.DISCLOSE, actor_username="police.liaison").exists()


def test_the_case_page_query_count_does_not_grow_with_the_entries(world, browser_as, persona):
    probation = persona("prob.officer")
    case = world.case
    client = browser_as("police.liaison")
    for i in range(3):
        do_add_entry(
            case,
            category="plan",
            title=f"few {i}",
            attachments=[SimpleUploadedFile(f"f{i}.txt", b"text", content_type="text/plain")],
            acting_user=probation,
        )
    client.get(f"/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    for i in range(30):
        do_add_entry(
            case,
            category="legal" if i % 2 else "plan",
            title=f"many {i}",
            attachments=[SimpleUploadedFile(f"m{i}.txt", b"text", content_type="text/plain")],
            acting_user=probation,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200 and "Page 1 of 2" in html(response)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_pages_are_not_cached(world, browser_as):
    response = browser_as("prob.officer").get(f"/cases/{world.case.pk}/")
    assert response["Cache-Control"] == "no-store"


# --- Changing the case: phase, trial date, team ------------------------------------------------------


def test_the_case_manager_sees_the_forms_and_others_do_not(world, browser_as):
    manager = html(browser_as("prob.officer").get(f"/cases/{world.case.pk}/"))
    assert "Change the phase or the trial date" in manager and "Add an organisation" in manager
    for username in ("police.liaison", "exit.worker", "muni.coordinator"):
        page = html(browser_as(username).get(f"/cases/{world.case.pk}/"))
        assert "Change the phase or the trial date" not in page and "Add an organisation" not in page


def test_the_case_manager_changes_phase_and_trial_date(world, browser_as):
    client = browser_as("prob.officer")
    response = client.post(
        f"/cases/{world.case.pk}/update/",
        {"phase": "community", "trial_concluded_on": "2024-02-01", "version": 1},
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.phase == "community" and world.case.trial_concluded_on == date(2024, 2, 1)
    assert world.case.version == 2
    # Once the trial has concluded child welfare sees the parent's legal records (R7).
    assert "Release conditions" in html(browser_as("cw.worker").get(f"/cases/{world.case.pk}/"))


def test_a_stale_version_is_refused_with_a_clear_message(world, browser_as, persona):
    do_update_case(world.case, version=1, phase="custody", acting_user=persona("cp.coordinator"))
    response = browser_as("prob.officer").post(
        f"/cases/{world.case.pk}/update/", {"phase": "community", "trial_concluded_on": "", "version": 1}
    )
    assert response.status_code == 409
    assert "Someone else changed this case" in html(response)
    world.case.refresh_from_db()
    assert world.case.phase == "custody"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phase": "nonsense", "version": 1}, "Select a valid choice"),
        ({"phase": "custody", "trial_concluded_on": "yesterday", "version": 1}, "Enter a valid date"),
        ({"phase": "custody", "version": "x"}, "Reload the page"),
    ],
)
def test_bad_case_changes_are_explained_and_not_saved(world, browser_as, data, message):
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/update/", data)
    assert response.status_code == 200 and message in html(response)
    world.case.refresh_from_db()
    assert world.case.phase == "probation" and world.case.version == 1


@pytest.mark.parametrize("username", ["police.liaison", "exit.worker", "muni.coordinator", "mh.clinician"])
def test_members_who_do_not_manage_the_case_may_not_change_it(world, browser_as, username):
    client = browser_as(username)
    case = world.case
    assert client.post(f"/cases/{case.pk}/update/", {"phase": "closed", "version": 1}).status_code == 403
    assert client.post(f"/cases/{case.pk}/members/", {"organisation": "prison-south"}).status_code == 403
    assert client.post(f"/cases/{case.pk}/members/police/end/").status_code == 403
    case.refresh_from_db()
    assert case.phase == "probation"
    assert not CaseMember.objects.filter(case=case, organisation__slug="prison-south").exists()
    assert CaseMember.objects.filter(case=case, organisation__slug="police", until__isnull=True).exists()


@pytest.mark.parametrize("username", NON_MEMBERS + NO_CASE_CONTENT)
def test_outsiders_cannot_change_the_case_or_learn_that_it_exists(world, browser_as, username):
    client = browser_as(username)
    assert client.post(f"/cases/{world.case.pk}/update/", {"phase": "closed", "version": 1}).status_code == 404
    assert client.post(f"/cases/{world.case.pk}/members/", {"organisation": "prison-south"}).status_code == 404


def test_the_case_manager_adds_a_member_with_a_responsible_practitioner(world, browser_as):
    client = browser_as("prob.officer")
    response = client.post(
        f"/cases/{world.case.pk}/members/", {"organisation": "prison-south", "responsible": "ps.casemanager"}
    )
    assert response.status_code == 302
    member = CaseMember.objects.get(case=world.case, organisation__slug="prison-south", until__isnull=True)
    assert member.responsible.username == "ps.casemanager"
    assert browser_as("ps.casemanager").get(f"/cases/{world.case.pk}/").status_code == 200


def test_naming_someone_of_another_organisation_responsible_is_refused(world, browser_as):
    response = browser_as("prob.officer").post(
        f"/cases/{world.case.pk}/members/", {"organisation": "prison-south", "responsible": "police.liaison"}
    )
    assert response.status_code == 200
    assert "must be an active user of that organisation" in html(response)
    assert not CaseMember.objects.filter(case=world.case, organisation__slug="prison-south").exists()


def test_ending_a_membership_leaves_the_organisation_only_what_it_wrote(world, browser_as):
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/members/police/end/")
    assert response.status_code == 302
    client = browser_as("police.liaison")
    assert client.get(f"/cases/{world.case.pk}/").status_code == 404
    assert client.get(f"/cases/entries/{world.entries['security'].pk}/").status_code == 200
    assert client.get(f"/cases/entries/{world.entries['plan'].pk}/").status_code == 404


def test_the_lead_organisation_cannot_leave_its_own_case(world, browser_as):
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/members/probation/end/", follow=True)
    assert "Hand the lead to another member" in html(response)
    assert CaseMember.objects.filter(case=world.case, organisation__slug="probation", until__isnull=True).exists()


# --- Consent -------------------------------------------------------------------------------------


def consent_data(**overrides):
    data = {
        "category": "counselling",
        "recipient": "probation",
        "purpose": "Coordinate the plan with the exit programme",
        "valid_until": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("username", ["exit.worker", "prob.officer", "family.counsellor", "mentor.one"])
def test_members_record_consent_and_it_takes_effect(world, browser_as, username):
    response = browser_as(username).post(f"/cases/{world.case.pk}/consents/", consent_data())
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.recipient.slug == "probation" and consent.in_force
    page = html(browser_as("prob.officer").get(f"/cases/{world.case.pk}/"))
    assert "Counselling session four" in page
    assert f"The person agreed to share it with your organisation: consent {consent.reference}, until" in page


@pytest.mark.parametrize("username", NON_MEMBERS + NO_CASE_CONTENT)
def test_outsiders_cannot_record_consent(world, browser_as, username):
    assert browser_as(username).post(f"/cases/{world.case.pk}/consents/", consent_data()).status_code == 404
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_until", "2001-01-01", "must be today or later"),
        ("purpose", "   ", "Say what the information will be used for"),
        ("recipient", "evaluation-institute", "Select a valid choice"),
        ("category", "gossip", "Select a valid choice"),
    ],
)
def test_bad_consent_is_explained_and_not_saved(world, browser_as, field, value, message):
    response = browser_as("exit.worker").post(f"/cases/{world.case.pk}/consents/", consent_data(**{field: value}))
    assert response.status_code == 200 and message in html(response)
    assert 'id="record-consent" open' in html(response)
    # The page is shown at the form's address: its links still lead to the case page.
    assert f'href="/cases/{world.case.pk}/?category=plan#journal"' in html(response)
    assert not Consent.objects.exists()


def test_withdrawing_consent_stops_sharing_at_once(world, browser_as, persona):
    consent = do_record_consent(
        world.person,
        category="counselling",
        recipient=org("probation"),
        purpose="plan",
        valid_until=timezone.localdate() + timedelta(days=30),
        acting_user=persona("exit.worker"),
    )
    client = browser_as("exit.worker")
    assert 'hx-get="/cases/' in html(client.get(f"/cases/{world.case.pk}/"))
    page = consent_part(client, world.case)
    assert consent.reference in page and "In force" in page
    assert client.post(f"/cases/{world.case.pk}/consents/{consent.pk}/withdraw/").status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Counselling session four" not in html(browser_as("prob.officer").get(f"/cases/{world.case.pk}/"))


def test_a_consent_cannot_be_withdrawn_through_another_persons_case(world, browser_as, persona):
    probation = persona("prob.officer")
    other = do_create_person(given_name="Other", family_name="Person", acting_user=probation)
    other_case = do_open_case(person=other, lead_organisation=probation.organisation, acting_user=probation)
    consent = do_record_consent(
        world.person,
        category="counselling",
        recipient=org("probation"),
        purpose="plan",
        valid_until=timezone.localdate() + timedelta(days=30),
        acting_user=probation,
    )
    response = browser_as("prob.officer").post(f"/cases/{other_case.pk}/consents/{consent.pk}/withdraw/")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    # And outsiders cannot withdraw it at all.
    assert (
        browser_as("ps.casemanager").post(f"/cases/{world.case.pk}/consents/{consent.pk}/withdraw/").status_code == 404
    )


# --- Legal overrides ------------------------------------------------------------------------------


def override_data(**overrides):
    data = {
        "category": "counselling",
        "recipient": "police",
        "legal_basis": "public_safety",
        "justification": "A credible threat assessment requires it for the next two weeks.",
        "valid_until": (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def test_the_central_point_coordinator_grants_an_override_and_it_is_shown(world, browser_as):
    client = browser_as("cp.coordinator")
    assert "Grant a legal override" in consent_part(client, world.case)
    reauthenticate(client)
    assert client.post(f"/cases/{world.case.pk}/overrides/", override_data()).status_code == 302
    override = Override.objects.get()
    assert override.recipient.slug == "police" and override.in_force
    police_client = browser_as("police.liaison")
    police = html(police_client.get(f"/cases/{world.case.pk}/"))
    assert "Counselling session four" in police
    overrides = consent_part(police_client, world.case)
    assert override.reference in overrides and "A credible threat assessment" in overrides


@pytest.mark.parametrize("username", ["prob.officer", "muni.coordinator", "police.liaison", "exit.worker"])
def test_only_coordinators_of_the_lead_or_central_point_grant_overrides(world, browser_as, username):
    client = browser_as(username)
    assert "Legal overrides in force" in consent_part(client, world.case)
    assert "Grant a legal override" not in consent_part(client, world.case)
    assert client.post(f"/cases/{world.case.pk}/overrides/", override_data()).status_code == 403
    assert not Override.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("justification", "because", "at least 20 characters"),
        ("valid_until", "2001-01-01T10:00", "lasts at most"),
        ("recipient", "prison-south", "Select a valid choice"),
        ("legal_basis", "curiosity", "Select a valid choice"),
    ],
)
def test_bad_overrides_are_explained_and_not_saved(world, browser_as, field, value, message):
    client = browser_as("cp.coordinator")
    reauthenticate(client)
    response = client.post(f"/cases/{world.case.pk}/overrides/", override_data(**{field: value}))
    assert response.status_code == 200 and message in html(response)
    assert not Override.objects.exists()


# --- Journal entries: the form and its live audience ------------------------------------------------


def entry_data(**overrides):
    data = {
        "category": "plan",
        "kind": "contact",
        "title": "Weekly meeting",
        "body": "Came on time.",
        "statement": "fact",
        "source": "Own observation",
        "reliability": "reliable",
    }
    data.update(overrides)
    return data


def category_options(page: str) -> set[str]:
    select = re.search(r'<select name="category".*?</select>', page, re.S)
    assert select is not None
    return set(re.findall(r'<option value="([a-z_]+)"', select.group(0)))


@pytest.mark.parametrize(
    ("username", "categories"),
    [
        (
            "prob.officer",
            {
                "identity",
                "legal",
                "risk_assessment",
                "ideology",
                "family",
                "daily_life",
                "plan",
                "conference",
            },
        ),
        ("police.liaison", {"identity", "legal", "security"}),
        ("exit.worker", {"ideology", "counselling", "family", "daily_life", "plan"}),
        ("cw.worker", {"family", "children"}),
        ("mh.clinician", {"mental_health"}),
    ],
)
def test_the_entry_form_offers_only_the_categories_the_organisation_may_write(
    world, browser_as, persona, username, categories
):
    response = browser_as(username).get(f"/cases/{world.case.pk}/entries/new/")
    assert response.status_code == 200
    assert category_options(html(response)) == categories
    assert set(engine.writable_categories(persona(username), world.case)) == categories


def test_members_who_write_nothing_get_no_button_and_a_403(world, browser_as):
    client = browser_as("mentor.one")
    assert "Add a journal entry" not in html(client.get(f"/cases/{world.case.pk}/"))
    assert client.get(f"/cases/{world.case.pk}/entries/new/").status_code == 403
    assert client.post(f"/cases/{world.case.pk}/entries/new/", entry_data()).status_code == 403
    assert client.get(f"/cases/{world.case.pk}/entries/audience/", {"category": "plan"}).status_code == 403


@pytest.mark.parametrize("username", NON_MEMBERS + NO_CASE_CONTENT)
def test_outsiders_cannot_write_or_preview_entries(world, browser_as, username):
    client = browser_as(username)
    before = Entry.objects.count()
    assert client.get(f"/cases/{world.case.pk}/entries/new/").status_code == 404
    assert client.post(f"/cases/{world.case.pk}/entries/new/", entry_data()).status_code == 404
    assert client.get(f"/cases/{world.case.pk}/entries/audience/", {"category": "plan"}).status_code == 404
    assert Entry.objects.count() == before


def test_writing_an_entry_with_withholding_and_attachments(world, browser_as):
    files = [
        SimpleUploadedFile("notes.txt", b"plain notes", content_type="text/plain"),
        SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png"),
    ]
    data = entry_data(withhold_types=["police"], withhold_orgs=["exit-ngo"], attachments=files)
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/entries/new/", data, follow=True)
    assert response.redirect_chain == [(f"/cases/{world.case.pk}/", 302)]
    assert "“Weekly meeting” is saved in the journal." in html(response)
    entry = Entry.objects.get(title="Weekly meeting")
    assert entry.kind == "contact" and entry.source == "Own observation" and entry.reliability == "reliable"
    assert sorted(entry.withheld_from) == ["exit-ngo", "police"]
    assert sorted(entry.attachments.values_list("content_type", flat=True)) == ["image/png", "text/plain"]
    assert "Weekly meeting" not in html(browser_as("police.liaison").get(f"/cases/{world.case.pk}/"))
    assert "Weekly meeting" not in html(browser_as("exit.worker").get(f"/cases/{world.case.pk}/"))
    assert "Weekly meeting" in html(browser_as("muni.coordinator").get(f"/cases/{world.case.pk}/"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give the entry a short title"),
        ({"category": ""}, "Choose the category"),
        ({"category": "counselling"}, "Select a valid choice"),  # probation may not write counselling
        ({"category": "children"}, "Select a valid choice"),
        ({"kind": "rumour"}, "Select a valid choice"),
        ({"reliability": "very"}, "Select a valid choice"),
        ({"withhold_orgs": ["prison-south"]}, "Select a valid choice"),  # not a member of the case
    ],
)
def test_bad_entries_are_explained_and_not_saved(world, browser_as, overrides, message):
    before = Entry.objects.count()
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/entries/new/", entry_data(**overrides))
    assert response.status_code == 200 and message in html(response)
    assert Entry.objects.count() == before


def test_an_attachment_of_a_forbidden_type_saves_nothing(world, browser_as):
    files = [
        SimpleUploadedFile("ok.txt", b"fine", content_type="text/plain"),
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", content_type="application/pdf"),
    ]
    before = (Entry.objects.count(), Attachment.objects.count())
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/entries/new/", entry_data(attachments=files))
    assert response.status_code == 200
    assert "tool.exe: Only PDF, PNG, JPEG and plain text files can be attached." in html(response)
    assert "Choose your attachments again" in html(response)
    assert (Entry.objects.count(), Attachment.objects.count()) == before


def test_an_attachment_over_the_size_limit_saves_nothing(world, browser_as, settings):
    settings.CONTINUUM_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1), content_type="text/plain")
    before = Entry.objects.count()
    response = browser_as("prob.officer").post(f"/cases/{world.case.pk}/entries/new/", entry_data(attachments=[big]))
    assert response.status_code == 200 and "at most 1 MB" in html(response)
    assert Entry.objects.count() == before


def test_the_entry_form_shows_who_will_see_the_entry(world, browser_as):
    client = browser_as("prob.officer")
    blank = html(client.get(f"/cases/{world.case.pk}/entries/new/"))
    assert "Who will see this entry" in blank and "Choose a category" in blank
    assert 'hx-get="/cases/' in blank and "entries/audience/" in blank
    response = client.get(
        f"/cases/{world.case.pk}/entries/audience/",
        {"category": "plan", "withhold_types": ["police"], "withhold_orgs": ["exit-ngo"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = html(response)
    seen, hidden = page.split("Not visible to")
    assert "Harbour Municipality" in seen and "the sharing policy lets municipality read plan records" in seen
    assert "Probation Service" in seen and "wrote it" in seen
    assert "Police Liaison Unit" in hidden and "Exit Programme" in hidden
    assert hidden.count("withheld by the author") == 2
    assert "mentoring sees identity only" in hidden
    assert "<html" not in page  # a fragment for htmx


def test_the_audience_preview_without_javascript_saves_nothing(world, browser_as):
    before = Entry.objects.count()
    response = browser_as("prob.officer").post(
        f"/cases/{world.case.pk}/entries/new/",
        entry_data(category="family", preview="1", withhold_types=["ngo_exit"]),
    )
    assert response.status_code == 200
    page = html(response)
    assert "Weekly meeting" in page  # what was typed is kept
    _seen, hidden = page.split("Not visible to")
    assert "Exit Programme" in hidden and "withheld by the author" in hidden
    assert "Police Liaison Unit" in hidden and "the sharing policy does not let police read family records" in hidden
    assert Entry.objects.count() == before


def test_an_unknown_category_in_the_audience_preview_asks_for_a_category(world, browser_as):
    response = browser_as("prob.officer").get(f"/cases/{world.case.pk}/entries/audience/", {"category": "children"})
    assert response.status_code == 200 and "Choose a category" in html(response)


# --- preview_audience agrees with the engine --------------------------------------------------------


def test_preview_audience_agrees_with_visible_to_for_every_member_organisation(world, persona):
    """For saved entries of every category, with withholding, consent, an override and both sides of the
    trial date, the preview says exactly what ``visible_to`` does for each member organisation."""
    case = world.case
    probation = persona("prob.officer")
    do_add_member(case, organisation=org("prison-north"), acting_user=probation)
    authors = {
        "identity": "prob.officer",
        "legal": "police.liaison",
        "security": "pn.casemanager",
        "risk_assessment": "prob.officer",
        "ideology": "exit.worker",
        "mental_health": "mh.clinician",
        "counselling": "exit.worker",
        "family": "cw.worker",
        "children": "cw.worker",
        "daily_life": "muni.coordinator",
        "plan": "cp.coordinator",
        "conference": "muni.coordinator",
    }
    withholdings = [[], ["police"], ["child-welfare", "ngo_family"], ["mental_health", "exit-ngo", "prison"]]
    for category, username in authors.items():
        for i, withhold in enumerate(withholdings):
            do_add_entry(
                case,
                category=category,
                title=f"{category} {i}",
                withhold_from=withhold,
                acting_user=persona(username),
            )
    until = timezone.localdate() + timedelta(days=10)
    for category, recipient in [
        ("counselling", "police"),
        ("children", "municipality-harbour"),
        ("plan", "mentor-network"),
        ("mental_health", "family-counselling"),
    ]:
        do_record_consent(
            world.person,
            category=category,
            recipient=org(recipient),
            purpose="t",
            valid_until=until,
            acting_user=probation,
        )
    cp = persona("cp.coordinator")
    for category, recipient in [
        ("children", "police"),
        ("counselling", "municipality-harbour"),
        ("legal", "child-welfare"),
    ]:
        do_grant_override(
            case,
            category=category,
            recipient=org(recipient),
            legal_basis="public_safety",
            justification="Needed for a documented safety concern.",
            valid_until=timezone.now() + timedelta(days=3),
            acting_user=cp,
        )
    do_change_policy(
        {("mentoring", "plan"): "read", ("police", "family"): "read"}, note="t", acting_user=persona("dpo")
    )

    def check():
        audience = CaseAudience(case)
        entries = list(Entry.objects.filter(case=case))
        compared = 0
        for organisation in audience.organisations:
            seen = dict(
                Entry.objects.visible_to(engine.viewer_for_organisation(organisation))
                .filter(case=case)
                .values_list("pk", "_vis_basis")
            )
            for entry in entries:
                decision = audience.decide(
                    organisation,
                    category=entry.category,
                    withhold_from=entry.withhold_from,
                    author_org_id=entry.author_org_id,
                )
                assert decision.visible == (entry.pk in seen), (organisation.slug, entry.title, decision)
                assert decision.basis == seen.get(entry.pk, ""), (organisation.slug, entry.title, decision)
                compared += 1
            rows = preview_audience(case, entries[0].category, entries[0].withhold_from, entries[0].author_org)
            assert [r.organisation for r in rows] == audience.organisations
        return compared

    assert check() == len(CaseAudience(case).organisations) * Entry.objects.filter(case=case).count()
    # After the trial concluded R7 no longer holds back legal and risk records from child welfare.
    case.trial_concluded_on = timezone.localdate() - timedelta(days=1)
    case.save(update_fields=["trial_concluded_on"])
    check()


# --- Entry page and attachments -----------------------------------------------------------------------


def test_the_entry_page_shows_the_entry_and_logs_the_read(world, browser_as):
    legal = world.entries["legal"]
    response = browser_as("police.liaison").get(f"/cases/entries/{legal.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert "Release conditions" in page and "Curfew from ten." in page and "order.pdf" in page
    assert "The sharing policy lets your kind of organisation (police) read legal records" in page
    assert Disclosure.objects.filter(viewer__username="police.liaison", record_id=legal.pk).exists()


@pytest.mark.parametrize(
    ("username", "entry"),
    [
        ("police.liaison", "counselling"),
        ("police.liaison", "children"),
        ("police.liaison", "plan_withheld"),
        ("cw.worker", "legal"),
        ("mentor.one", "plan"),
        ("exit.worker", "mental_health"),
        ("ps.casemanager", "plan"),
        ("dpo", "plan"),
        ("admin", "plan"),
        ("evaluator", "plan"),
    ],
)
def test_entries_the_user_may_not_see_are_not_found(world, browser_as, username, entry):
    client = browser_as(username)
    hidden = client.get(f"/cases/entries/{world.entries[entry].pk}/")
    missing = client.get(f"/cases/entries/{MISSING}/")
    assert hidden.status_code == missing.status_code == 404
    assert main(hidden) == main(missing)


@pytest.mark.parametrize("username", ["exit.worker", "family.counsellor"])
def test_attachments_download_for_those_who_see_the_entry(world, browser_as, username):
    entry = world.entries["counselling"]
    attachment = entry.attachments.get()
    response = browser_as(username).get(f"/cases/entries/{entry.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;") and "session.txt" in response["Content-Disposition"]
    )
    assert response["Content-Type"] == "text/plain"
    assert b"".join(response.streaming_content) == b"session notes"


@pytest.mark.parametrize("username", ["police.liaison", "prob.officer", "mentor.one", "ps.casemanager", "dpo", "admin"])
def test_attachments_are_not_found_for_those_who_may_not_see_the_entry(world, browser_as, username):
    entry = world.entries["counselling"]
    attachment = entry.attachments.get()
    assert browser_as(username).get(f"/cases/entries/{entry.pk}/attachments/{attachment.pk}/").status_code == 404


def test_an_attachment_must_belong_to_the_entry_in_its_address(world, browser_as):
    counselling_file = world.entries["counselling"].attachments.get()
    legal = world.entries["legal"]
    # exit.worker sees the legal entry, but the file belongs to another entry.
    response = browser_as("exit.worker").get(f"/cases/entries/{legal.pk}/attachments/{counselling_file.pk}/")
    assert response.status_code == 404


# --- View as organisation ------------------------------------------------------------------------------


def test_a_coordinator_sees_what_another_member_would_see_and_why(world, browser_as):
    before = Disclosure.objects.filter(viewer_org__slug="police").count()
    response = browser_as("cp.coordinator").get(f"/cases/{world.case.pk}/view-as/police/")
    assert response.status_code == 200
    page = html(response)
    seen, hidden = page.split("does not see these entries")
    assert "Housing found in the harbour" in seen and "the sharing policy lets police read plan records" in seen
    assert "No contact with the old network" in seen and "wrote it" in seen
    assert "Plan detail kept from police" in hidden and "withheld by the author" in hidden
    # Never anything the coordinator cannot see itself.
    for title in ("Counselling session four", "Trauma screening", "Visit with the daughter"):
        assert title not in page
    # Logged as the coordinator's own read, never as a disclosure to the police.
    assert Disclosure.objects.filter(viewer_org__slug="police").count() == before
    assert Disclosure.objects.filter(viewer__username="cp.coordinator").exists()


def test_view_as_explains_the_childrens_rule_for_the_family_counsellor(world, browser_as, persona):
    do_add_entry(world.case, category="family", title="Family network meeting", acting_user=persona("prob.officer"))
    page = html(browser_as("muni.coordinator").get(f"/cases/{world.case.pk}/view-as/mentor-network/"))
    _seen, hidden = page.split("does not see these entries")
    assert "Family network meeting" in hidden and "mentoring sees identity only" in hidden


@pytest.mark.parametrize("username", ["police.liaison", "exit.worker", "mh.clinician"])
def test_view_as_is_for_coordinators_and_the_leads_case_managers_only(world, browser_as, username):
    assert browser_as(username).get(f"/cases/{world.case.pk}/view-as/police/").status_code == 403
    assert "See the journal as another member" not in html(browser_as(username).get(f"/cases/{world.case.pk}/"))


def test_the_lead_organisations_case_manager_views_the_case_as_another_member(world, browser_as):
    """The lead's case manager prepares the meetings too (issue 12): the case page offers view-as."""
    client = browser_as("prob.officer")  # probation leads this case
    assert f'href="/cases/{world.case.pk}/view-as/police/"' in html(client.get(f"/cases/{world.case.pk}/"))
    assert client.get(f"/cases/{world.case.pk}/view-as/police/").status_code == 200


@pytest.mark.parametrize("username", NON_MEMBERS + NO_CASE_CONTENT)
def test_view_as_is_not_found_outside_the_team(world, browser_as, username):
    assert browser_as(username).get(f"/cases/{world.case.pk}/view-as/police/").status_code == 404


def test_view_as_an_organisation_outside_the_team_is_not_found(world, browser_as):
    client = browser_as("cp.coordinator")
    assert client.get(f"/cases/{world.case.pk}/view-as/prison-south/").status_code == 404
    assert client.get(f"/cases/{world.case.pk}/view-as/no-such-org/").status_code == 404


# --- Disclosures of a case, for the lead organisation's coordinator --------------------------------


@pytest.fixture
def municipal_case(persona):
    muni = persona("muni.coordinator")
    person = do_create_person(given_name="Lina", family_name="Municipal", acting_user=muni)
    case = do_open_case(person=person, lead_organisation=muni.organisation, phase="community", acting_user=muni)
    for slug in ("probation", "police", "central-point", "exit-ngo"):
        do_add_member(case, organisation=org(slug), acting_user=muni)
    plan = do_add_entry(case, category="plan", title="Municipal plan", acting_user=persona("prob.officer"))
    counselling = do_add_entry(
        case, category="counselling", title="Exit counselling", acting_user=persona("exit.worker")
    )
    return SimpleNamespace(case=case, person=person, plan=plan, counselling=counselling)


def test_the_lead_coordinator_reads_who_has_seen_the_case(municipal_case, browser_as):
    case = municipal_case.case
    browser_as("police.liaison").get(f"/cases/{case.pk}/")
    client = browser_as("muni.coordinator")
    assert "Who has seen the records of this case" in html(client.get(f"/cases/{case.pk}/"))
    response = client.get(f"/cases/{case.pk}/disclosures/")
    assert response.status_code == 200
    page = html(response)
    assert "police.liaison" in page and "matrix: police reads plan" in page
    assert "Municipal plan" not in page  # no record content
    assert AuditEvent.objects.filter(object_type="disclosure_report", actor_username="muni.coordinator").exists()


def test_the_case_disclosure_report_leaves_out_records_the_coordinator_cannot_see(municipal_case, browser_as, persona):
    case = municipal_case.case
    do_grant_override(
        case,
        category="counselling",
        recipient=org("police"),
        legal_basis="public_safety",
        justification="Documented, specific and urgent safety concern.",
        valid_until=timezone.now() + timedelta(days=2),
        acting_user=persona("muni.coordinator"),
    )
    browser_as("police.liaison").get(f"/cases/{case.pk}/")
    assert Disclosure.objects.filter(record_id=municipal_case.counselling.pk).exists()
    page = html(browser_as("muni.coordinator").get(f"/cases/{case.pk}/disclosures/"))
    assert "Counselling" not in page.split("<tbody>")[1]
    assert str(municipal_case.counselling.pk)[:8] not in page


@pytest.mark.parametrize("username", ["prob.officer", "police.liaison", "cp.coordinator", "exit.worker"])
def test_other_members_may_not_read_the_case_disclosures(municipal_case, browser_as, username):
    client = browser_as(username)
    assert "Who has seen the records" not in html(client.get(f"/cases/{municipal_case.case.pk}/"))
    assert client.get(f"/cases/{municipal_case.case.pk}/disclosures/").status_code == 403


@pytest.mark.parametrize("username", ["ps.casemanager", "dpo", "admin", "evaluator"])
def test_outsiders_do_not_find_the_case_disclosures(municipal_case, browser_as, username):
    assert browser_as(username).get(f"/cases/{municipal_case.case.pk}/disclosures/").status_code == 404


# --- Navigation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "shown"),
    [("prob.officer", True), ("mentor.one", True), ("dpo", False), ("admin", False), ("evaluator", False)],
)
def test_my_cases_is_in_the_navigation_only_for_those_who_work_on_cases(world, browser_as, username, shown):
    page = html(browser_as(username).get("/"))
    assert ('href="/cases/"' in page) is shown


def test_only_organisations_that_work_on_cases_are_offered_as_lead(world, browser_as, persona):
    # Issue 12: the platform operator's own organisation (a DPO and an administrator) coordinates nothing.
    page = html(browser_as("cp.coordinator").get("/cases/new/"))
    assert "Continuum Administration" not in page and "Probation Service" in page
    person = do_create_person(given_name="Lead", family_name="Check", acting_user=persona("cp.coordinator"))
    with pytest.raises(ValidationError):
        do_open_case(
            person=person,
            lead_organisation=Organisation.objects.get(slug="continuum-admin"),
            acting_user=persona("cp.coordinator"),
        )


def test_a_person_has_one_open_case_refused_in_the_action_the_api_and_the_database(world, api_as, persona):
    # Issue 12 (a debt): do_open_case allowed a second open case per person.
    from django.db import IntegrityError, transaction

    lead = persona("prob.officer")
    with pytest.raises(ValidationError, match=f"case {world.case.number} is still open"):
        do_open_case(person=world.person, lead_organisation=lead.organisation, acting_user=lead)
    answer = api_as("prob.officer").post(
        "/api/v1/cases/",
        {"person": str(world.person.pk), "lead_organisation": "probation", "phase": "probation"},
        format="json",
    )
    assert answer.status_code == 400 and "still open" in str(answer.json())
    assert Case.objects.filter(person=world.person).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            number="2099-9999", person=world.person, lead_organisation=lead.organisation, created_by=lead
        )
