"""The data protection officer's pages (issue 3): the policy matrix editor, the override review queue
and a person's disclosure report. The DPO sees policy, logs and disclosures, never case content (R10);
everyone else gets a 403.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.actions import do_add_entry, do_add_member, do_open_case
from continuum.cases.models import Entry
from continuum.people.actions import do_create_person
from continuum.sharing.actions import do_grant_override
from continuum.sharing.choices import MEMBER_TYPES, Category
from continuum.sharing.disclosure import group_disclosures, log_reads, record_kind_label
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
    matrix = page[page.index("<main") : page.index("</main>")]  # the header has the language switcher
    assert matrix.count("<select ") == len(MEMBER_TYPES) * len(Category.values)
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


def disclose(world, *, viewer: str, at, record_type: str = "entry", category: str = "plan", count: int = 1):
    """``count`` disclosures of ``world.person``'s records to ``viewer`` at ``at``: the rows ``log_reads``
    writes, put straight in so that a test can spread them over days and grow them cheaply."""
    user = User.objects.select_related("organisation").get(username=viewer)
    author = org("probation")
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                record_type=record_type,
                record_id=uuid.uuid4(),
                person=world.person,
                case=world.case,
                category=category,
                author_org=author,
                viewer=user,
                viewer_org=user.organisation,
                at=at,
                basis="matrix",
                explanation=f"matrix: {user.organisation.type} reads {category}",
            )
            for _ in range(count)
        ]
    )


def local(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def report(client, **params):
    return client.get("/sharing/disclosures/", {"person": params.pop("person", None), **params})


def test_the_report_has_one_row_per_day_reader_basis_kind_and_category_with_a_count(world, browser_as, persona):
    police = persona("police.liaison")
    for _ in range(4):  # four page views reading the same two entries: eight disclosures, two rows
        log_reads(police, list(Entry.objects.visible_to(police).filter(case=world.case)))
    assert Disclosure.objects.filter(person=world.person).count() == 8
    response = report(browser_as("dpo"), person=world.person.reference)
    page = html(response)
    assert "8 disclosures logged, in 2 rows" in page
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</tr>", page, re.S)
    assert len(rows) == 2
    for row in rows:
        assert "Journal entry" in row and "Police Liaison Unit" in row and "Erik Lund" in row
        assert "<td>4</td>" in row
    assert "Legal override" in page and "Sharing policy" in page
    # Neither record ids nor model paths nor content.
    for entry in (world.counselling, world.plan):
        assert str(entry.pk) not in page and str(entry.pk)[:8] not in page
    for raw in ("cases.entry", "continuum.cases", "record_type", "Confidential counselling notes", "Plan with secret"):
        assert raw not in page


@pytest.mark.parametrize(
    ("record_type", "label"),
    [
        ("entry", "Journal entry"),
        ("plan_goal", "Plan goal"),
        ("plan_milestone", "Milestone"),
        ("assessment", "Assessment"),
        ("handover", "Hand-over"),
        ("signal_note", "Signal note"),
        ("no_such_kind", "No such kind"),
    ],
)
def test_record_kinds_have_names_for_people(record_type, label):
    assert record_kind_label(record_type) == label


def test_goals_and_milestones_read_on_one_day_are_two_rows_not_one_per_object(world, browser_as):
    today = timezone.localdate()
    disclose(world, viewer="exit.worker", at=local(today, 9), record_type="plan_goal", count=37)
    disclose(world, viewer="exit.worker", at=local(today, 11), record_type="plan_milestone", count=334)
    page = html(report(browser_as("dpo"), person=world.person.reference))
    assert "371 disclosures logged, in 2 rows" in page
    assert "Plan goal" in page and "Milestone" in page and "<td>334</td>" in page
    assert '<td class="nowrap">09:00</td>' in page  # one time, not "09:00\u201309:00"
    assert "plan_goal" not in page and "plan_milestone" not in page


def test_the_date_filter_keeps_the_days_chosen_both_included(world, browser_as):
    today = timezone.localdate()
    for days_ago in (0, 3, 5, 9):
        disclose(world, viewer="police.liaison", at=local(today - timedelta(days=days_ago)), count=days_ago + 1)
    since, until = today - timedelta(days=5), today - timedelta(days=3)
    page = html(report(browser_as("dpo"), person=world.person.reference, **{"from": since, "to": until}))
    assert "10 disclosures logged from" in page and "in 2 rows" in page
    assert f"{since:%-d %b %Y}" in page and f"{until:%-d %b %Y}" in page
    only_from = html(report(browser_as("dpo"), person=world.person.reference, **{"from": today - timedelta(days=3)}))
    assert "5 disclosures logged" in only_from
    only_to = html(report(browser_as("dpo"), person=world.person.reference, to=today - timedelta(days=9)))
    assert "10 disclosures logged" in only_to
    event = AuditEvent.objects.filter(object_type="disclosure_report", actor_username="dpo").order_by("seq").first()
    assert event.action == AuditAction.READ and event.detail == {"from": str(since), "to": str(until)}


def test_the_legacy_reference_parameter_shows_the_report_too(world, browser_as):
    disclose(world, viewer="police.liaison", at=timezone.now())
    page = html(browser_as("dpo").get("/sharing/disclosures/", {"reference": world.person.reference}))
    assert "1 disclosure logged, in 1 row" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "yesterday"}, "Enter a day as year-month-day"),
        ({"from": "2026-13-45"}, "Enter a day as year-month-day"),
        ({"to": "<script>"}, "Enter a day as year-month-day"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "The last day comes before the first"),
    ],
)
def test_a_bad_date_is_a_form_error_never_a_500(world, browser_as, params, message):
    for fmt in ({}, {"format": "csv"}):
        response = report(browser_as("dpo"), person=world.person.reference, **params, **fmt)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        page = html(response)
        assert message in page and "disclosures logged" not in page and "<script>" not in page
    assert not AuditEvent.objects.filter(object_type="disclosure_report").exists()


def test_pagination_links_keep_the_person_and_the_days(world, browser_as):
    today = timezone.localdate()
    for days_ago in range(60):  # sixty days, one row each: two pages
        disclose(world, viewer="police.liaison", at=local(today - timedelta(days=days_ago)))
    since, until = today - timedelta(days=59), today
    client = browser_as("dpo")
    page = html(report(client, person=world.person.reference, **{"from": since, "to": until}))
    assert "60 disclosures logged" in page and "Page 1 of 2" in page
    assert f'href="?person={world.person.reference}&amp;from={since}&amp;to={until}&amp;page=2"' in page
    second = html(report(client, person=world.person.reference, **{"from": since, "to": until, "page": 2}))
    assert "Page 2 of 2" in second and second.count('<td class="nowrap">') == 10 * 2


def test_the_dpo_downloads_the_grouped_rows_as_csv_and_the_export_is_audited(world, browser_as):
    today = timezone.localdate()
    disclose(world, viewer="police.liaison", at=local(today, 9), record_type="plan_goal", count=3)
    disclose(world, viewer="police.liaison", at=local(today, 10), record_type="plan_milestone", count=5)
    disclose(world, viewer="exit.worker", at=local(today - timedelta(days=8)), category="counselling", count=2)
    since = today - timedelta(days=1)
    page = html(report(browser_as("dpo"), person=world.person.reference, **{"from": since}))
    assert f'href="?person={world.person.reference}&amp;from={since}&amp;format=csv"' in page
    response = report(browser_as("dpo"), person=world.person.reference, **{"from": since, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="disclosures-{world.person.reference}-from-{since}-to-{today}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:9] == [
        "Day",
        "Organisation",
        "User",
        "Username",
        "Basis",
        "Explanation",
        "Record kind",
        "Category",
        "Records read",
    ]
    assert [(r[6], r[7], r[8]) for r in rows[1:]] == [("Plan goal", "Plan", "3"), ("Milestone", "Plan", "5")]
    assert {r[0] for r in rows[1:]} == {str(today)} and {r[3] for r in rows[1:]} == {"police.liaison"}
    body = response.content.decode()
    assert "plan_goal" not in body and "Policytest" not in body
    for disclosure in Disclosure.objects.all():
        assert str(disclosure.record_id) not in body
    event = AuditEvent.objects.filter(object_type="disclosure_report", actor_username="dpo").order_by("-seq").first()
    assert event.action == AuditAction.EXPORT and event.person_id == world.person.pk
    assert event.detail == {"from": str(since), "format": "csv"}


def test_the_csv_without_dates_is_named_after_the_person_and_today(world, browser_as):
    response = report(browser_as("dpo"), person=world.person.reference, format="csv")
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="disclosures-{world.person.reference}-to-{today}.csv"'
    )
    assert len(response.content.decode().splitlines()) == 1  # the header: nobody saw anything yet


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(world, browser_as, persona):
    police = persona("police.liaison")
    police.first_name, police.last_name = "=HYPERLINK(1)", ""
    police.save(update_fields=["first_name", "last_name"])
    disclose(world, viewer="police.liaison", at=timezone.now())
    rows = list(
        csv.reader(io.StringIO(report(browser_as("dpo"), person=world.person.reference, format="csv").content.decode()))
    )
    assert rows[1][2] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("username", NOT_DPO)
def test_the_csv_export_is_forbidden_to_everyone_else(world, browser_as, username):
    disclose(world, viewer="police.liaison", at=timezone.now())
    response = report(browser_as(username), person=world.person.reference, format="csv")
    assert response.status_code == 403 and "text/csv" not in response["Content-Type"]
    assert not AuditEvent.objects.filter(object_type="disclosure_report", action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("fmt", [{}, {"format": "csv"}])
def test_the_lead_organisations_coordinator_is_refused_the_dpo_report_of_its_own_case(persona, browser_as, fmt):
    """The lead's coordinator reads its case's disclosures on the case page (and the API), never here."""
    coordinator = persona("muni.coordinator")
    person = do_create_person(given_name="Noor", family_name="Leadtest", acting_user=coordinator)
    case = do_open_case(person=person, lead_organisation=coordinator.organisation, acting_user=coordinator)
    assert case.lead_organisation_id == coordinator.organisation_id
    response = browser_as("muni.coordinator").get("/sharing/disclosures/", {"person": person.reference, **fmt})
    assert response.status_code == 403


def test_the_report_costs_the_same_queries_whatever_the_number_of_reads(world, browser_as):
    client = browser_as("dpo")
    today = timezone.localdate()
    params = {"from": today - timedelta(days=200), "to": today}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = report(client, person=world.person.reference, **params)
        assert response.status_code == 200
        return len(captured)

    disclose(world, viewer="police.liaison", at=local(today))
    few = queries()
    viewers = ["police.liaison", "exit.worker", "cp.coordinator", "mh.clinician"]
    kinds = ["entry", "plan_goal", "plan_milestone", "assessment"]
    for days_ago in range(0, 120, 3):
        for viewer, kind in zip(viewers, kinds, strict=True):
            disclose(world, viewer=viewer, at=local(today - timedelta(days=days_ago)), record_type=kind, count=5)
    assert Disclosure.objects.count() > 800
    many = queries()
    assert many == few and many <= 30
    with CaptureQueriesContext(connection) as captured:
        report(client, person=world.person.reference, format="csv", **params)
    assert len(captured) <= 30


def test_the_report_for_one_person_and_period_is_served_by_the_person_and_time_index(world):
    if connection.vendor != "sqlite":
        pytest.skip("the plan is read from SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans small tables by cost")
    index = next(i.name for i in Disclosure._meta.indexes if i.fields == ["person", "at"])
    today = timezone.localdate()
    disclosures = Disclosure.objects.filter(
        person=world.person, at__gte=local(today - timedelta(days=7), 0), at__lt=local(today, 0)
    )
    plan = group_disclosures(disclosures).explain()
    assert f"USING INDEX {index}" in plan, plan


# --- Navigation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "shown"), [("dpo", True), ("admin", False), ("cp.coordinator", False)])
def test_the_dpo_pages_are_in_the_navigation_only_for_the_dpo(world, browser_as, username, shown):
    page = html(browser_as(username).get("/"))
    for url in ("/sharing/policy/", "/sharing/overrides/", "/sharing/disclosures/"):
        assert (f'href="{url}"' in page) is shown
