"""The data protection officer's pages (issue 3): the policy matrix editor, the override review queue
and a person's disclosure report. The DPO sees policy, logs and disclosures, never case content (R10);
everyone else gets a 403.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from continuum.accounts.models import Organisation
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.actions import do_add_entry, do_add_member, do_open_case
from continuum.cases.models import Entry
from continuum.people.actions import do_create_person
from continuum.sharing.actions import do_grant_override
from continuum.sharing.choices import MEMBER_TYPES, Category
from continuum.sharing.models import Disclosure, PolicyRule, PolicyVersion

pytestmark = pytest.mark.django_db

# Everyone but the DPO, one of every organisation type and role that matters here.
NOT_DPO = [
    "admin",
    "cp.coordinator",
    "cp.analyst",
    "pn.casemanager",
    "prob.officer",
    "muni.coordinator",
    "police.liaison",
    "exit.worker",
    "family.counsellor",
    "mh.clinician",
    "cw.worker",
    "mentor.one",
    "evaluator",
]


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def world(persona):
    """A probation case with police and the central point in the team, an entry and an override."""
    probation = persona("prob.officer")
    person = do_create_person(given_name="Yara", family_name="Policytest", acting_user=probation)
    case = do_open_case(person=person, lead_organisation=probation.organisation, acting_user=probation)
    for slug in ("police", "central-point", "exit-ngo"):
        do_add_member(case, organisation=org(slug), acting_user=probation)
    counselling = do_add_entry(
        case,
        category="counselling",
        title="Confidential counselling notes",
        body="Talked about the brother.",
        acting_user=persona("exit.worker"),
    )
    plan = do_add_entry(case, category="plan", title="Plan with secret detail", acting_user=probation)
    override = do_grant_override(
        case,
        category="counselling",
        recipient=org("police"),
        legal_basis="public_safety",
        justification="Specific threat reported by the prison; needed for two days.",
        valid_until=timezone.now() + timedelta(days=2),
        acting_user=persona("cp.coordinator"),
    )
    return SimpleNamespace(case=case, person=person, counselling=counselling, plan=plan, override=override)


def current_cells() -> dict[str, str]:
    version = PolicyVersion.objects.order_by("-number").first()
    return {
        f"{r.org_type}__{r.category}": r.access
        for r in PolicyRule.objects.filter(version=version)
        if r.org_type in MEMBER_TYPES
    }


# --- The policy matrix editor ---------------------------------------------------------------------


def test_the_dpo_sees_the_matrix_with_one_select_per_cell(world, browser_as):
    response = browser_as("dpo").get("/sharing/policy/")
    assert response.status_code == 200
    page = html(response)
    assert page.count("<select ") == len(MEMBER_TYPES) * len(Category.values)
    assert 'name="police__counselling"' in page and 'name="research__plan"' not in page
    assert '<label class="visually-hidden" for="cell-police__counselling">Counselling, police</label>' in page
    assert "Version 1" in page and "Default matrix of DESIGN.md section 5." in page


@pytest.mark.parametrize("username", NOT_DPO)
def test_the_policy_editor_is_forbidden_to_everyone_else(world, browser_as, username):
    client = browser_as(username)
    assert client.get("/sharing/policy/").status_code == 403
    data = {**current_cells(), "police__counselling": "read", "note": "sneaky"}
    assert client.post("/sharing/policy/", data).status_code == 403
    assert PolicyVersion.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in ("/sharing/policy/", "/sharing/overrides/", "/sharing/disclosures/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_changing_the_policy_makes_a_new_version_that_takes_effect(world, browser_as, persona):
    police = persona("police.liaison")
    daily = do_add_entry(world.case, category="daily_life", title="Curfew kept", acting_user=persona("prob.officer"))
    assert not Entry.objects.visible_to(police).filter(pk=daily.pk).exists()
    data = {**current_cells(), "police__daily_life": "read", "note": "Police need daily life for the curfew."}
    response = browser_as("dpo").post("/sharing/policy/", data)
    assert response.status_code == 302
    version = PolicyVersion.objects.order_by("-number").first()
    assert version.number == 2 and version.created_by.username == "dpo"
    assert PolicyRule.objects.get(version=version, org_type="police", category="daily_life").access == "read"
    event = AuditEvent.objects.get(action=AuditAction.POLICY_CHANGE)
    assert event.detail["changes"] == [{"org_type": "police", "category": "daily_life", "old": "none", "new": "read"}]
    page = html(browser_as("dpo").get("/sharing/policy/"))
    assert "Version 2" in page and "Police need daily life for the curfew." in page
    assert "police · Daily life: none → <strong>read</strong>" in page
    assert "Data Protection Officer (dpo)" in page
    assert Entry.objects.visible_to(police).filter(pk=daily.pk).exists()


def test_the_dpo_can_take_access_away(world, browser_as, persona):
    data = {**current_cells(), "police__plan": "none", "note": "Police no longer need the plan."}
    assert browser_as("dpo").post("/sharing/policy/", data).status_code == 302
    assert not Entry.objects.visible_to(persona("police.liaison")).filter(pk=world.plan.pk).exists()


def test_a_policy_change_without_a_note_is_refused(world, browser_as):
    data = {**current_cells(), "police__daily_life": "read", "note": "  "}
    response = browser_as("dpo").post("/sharing/policy/", data)
    assert response.status_code == 200
    page = html(response)
    assert "Nothing was saved" in page and "Say why the policy changes" in page
    # What the DPO chose is still on the form.
    assert '<option value="read" selected>read</option>' in page.split('name="police__daily_life"')[1][:300]
    assert PolicyVersion.objects.count() == 1


def test_an_invalid_access_value_is_refused(world, browser_as):
    data = {**current_cells(), "police__counselling": "everything", "note": "typo"}
    response = browser_as("dpo").post("/sharing/policy/", data)
    assert response.status_code == 200 and "choose none, read or write" in html(response)
    assert PolicyVersion.objects.count() == 1


def test_research_cannot_be_given_access_through_the_form(world, browser_as):
    data = {**current_cells(), "research__plan": "read", "note": "should be ignored"}
    response = browser_as("dpo").post("/sharing/policy/", data, follow=True)
    assert "Nothing was changed" in html(response)
    assert PolicyVersion.objects.count() == 1


def test_saving_an_unchanged_matrix_makes_no_version(world, browser_as):
    response = browser_as("dpo").post("/sharing/policy/", {**current_cells(), "note": "just looking"}, follow=True)
    assert "Nothing was changed" in html(response)
    assert PolicyVersion.objects.count() == 1


# --- The override review queue ---------------------------------------------------------------------


def test_the_dpo_sees_unreviewed_overrides_with_their_justification(world, browser_as):
    response = browser_as("dpo").get("/sharing/overrides/")
    assert response.status_code == 200
    page = html(response)
    assert world.override.reference in page
    assert "Specific threat reported by the prison" in page
    assert "Public safety" in page and "cp.coordinator" in page and "Police Liaison Unit" in page
    assert world.case.number in page and world.person.reference in page
    # No case content: neither the titles nor the text of records, nor the person's name.
    assert "Confidential counselling notes" not in page and "Policytest" not in page


@pytest.mark.parametrize("username", NOT_DPO)
def test_the_review_queue_is_forbidden_to_everyone_else(world, browser_as, username):
    client = browser_as(username)
    assert client.get("/sharing/overrides/").status_code == 403
    response = client.post(f"/sharing/overrides/{world.override.pk}/review/", {"note": "fine", "revoke": "on"})
    assert response.status_code == 403
    world.override.refresh_from_db()
    assert world.override.reviewed_at is None and world.override.revoked_at is None


def test_the_dpo_reviews_and_keeps_an_override(world, browser_as, persona):
    client = browser_as("dpo")
    response = client.post(f"/sharing/overrides/{world.override.pk}/review/", {"note": "Proportionate."})
    assert response.status_code == 302
    world.override.refresh_from_db()
    assert world.override.review_note == "Proportionate." and world.override.revoked_at is None
    page = html(client.get("/sharing/overrides/"))
    assert "There is nothing to review" in page and "Reviewed recently" in page and "Kept" in page
    assert Entry.objects.visible_to(persona("police.liaison")).filter(pk=world.counselling.pk).exists()


def test_the_dpo_ends_an_unjustified_override_at_once(world, browser_as, persona):
    police = persona("police.liaison")
    assert Entry.objects.visible_to(police).filter(pk=world.counselling.pk).exists()
    response = browser_as("dpo").post(
        f"/sharing/overrides/{world.override.pk}/review/", {"note": "Not necessary.", "revoke": "on"}
    )
    assert response.status_code == 302
    world.override.refresh_from_db()
    assert world.override.revoked_at is not None
    assert not Entry.objects.visible_to(police).filter(pk=world.counselling.pk).exists()


def test_a_review_without_a_note_is_refused(world, browser_as):
    response = browser_as("dpo").post(f"/sharing/overrides/{world.override.pk}/review/", {"note": "", "revoke": "on"})
    assert response.status_code == 200
    assert "Write down the outcome of the review." in html(response)
    world.override.refresh_from_db()
    assert world.override.reviewed_at is None and world.override.revoked_at is None


def test_reviewing_an_unknown_override_is_not_found(world, browser_as):
    response = browser_as("dpo").post("/sharing/overrides/00000000-0000-4000-8000-000000000000/review/", {"note": "x"})
    assert response.status_code == 404


# --- Disclosure reports ------------------------------------------------------------------------------


def test_the_dpo_reads_who_saw_which_records_of_a_person(world, browser_as):
    browser_as("police.liaison").get(f"/cases/{world.case.pk}/")
    response = browser_as("dpo").get("/sharing/disclosures/", {"person": world.person.reference.lower()})
    assert response.status_code == 200
    page = html(response)
    assert "police.liaison" in page and "Police Liaison Unit" in page
    assert "Counselling" in page and "Plan" in page
    assert "override O-" in page and "matrix: police reads plan" in page
    assert f"{Disclosure.objects.count()} disclosures logged" in page
    # Never any record content, nor the person's name.
    for secret in (
        "Confidential counselling notes",
        "Talked about the brother",
        "Plan with secret detail",
        "Policytest",
    ):
        assert secret not in page
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_type="disclosure_report",
        actor_username="dpo",
        person_id=world.person.pk,
    ).exists()


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("hello", "A person reference looks like P-7F3K2Q"),
        ("P-ZZZZZZ", "No person has the reference P-ZZZZZZ"),
    ],
)
def test_a_bad_or_unknown_reference_is_explained(world, browser_as, reference, message):
    response = browser_as("dpo").get("/sharing/disclosures/", {"person": reference})
    assert response.status_code == 200 and message in html(response)


def test_the_empty_disclosure_page_asks_for_a_reference(world, browser_as):
    page = html(browser_as("dpo").get("/sharing/disclosures/"))
    assert "Person reference" in page and "disclosures logged" not in page


@pytest.mark.parametrize("username", NOT_DPO)
def test_the_disclosure_page_is_forbidden_to_everyone_else(world, browser_as, username):
    response = browser_as(username).get("/sharing/disclosures/", {"person": world.person.reference})
    assert response.status_code == 403


# --- Navigation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "shown"), [("dpo", True), ("admin", False), ("cp.coordinator", False)])
def test_the_dpo_pages_are_in_the_navigation_only_for_the_dpo(world, browser_as, username, shown):
    page = html(browser_as(username).get("/"))
    for url in ("/sharing/policy/", "/sharing/overrides/", "/sharing/disclosures/"):
        assert (f'href="{url}"' in page) is shown
