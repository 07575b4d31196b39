"""Subject access (issue 18; API.md "Data protection"; docs/data-protection.md, "Subject access").

The data protection officer exports everything held about a person and every disclosure, as JSON and PDF;
items restricted under LED Art. 15(1) are listed with their reason instead of their content; everyone
else is refused whatever the id; every export is audited. On the demo world, seeded once per module.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from continuum.accounts import actions as account_actions
from continuum.accounts.models import User
from continuum.accounts.reauth import SESSION_KEY
from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Case, Entry
from continuum.dataprotection.models import AccessRestriction
from continuum.families.models import CounsellingSession
from continuum.people.models import Person

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30
NOT_DPO = [
    "pn.casemanager",
    "prob.officer",
    "cp.coordinator",
    "muni.coordinator",
    "police.liaison",
    "exit.worker",
    "cw.worker",
    "evaluator",
    "admin",
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo world, once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db) -> None:
    return None


def user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def api(username: str) -> APIClient:
    _token, key = account_actions.do_create_api_token(user(username), acting_user=None, label="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.default_format = "json"
    return client


def browser(username: str, *, recent: bool = True) -> Client:
    client = Client()
    client.force_login(user(username))
    if recent:
        session = client.session
        session[SESSION_KEY] = int(time.time())
        session.save()
    return client


def person(given: str) -> Person:
    return Person.objects.get(given_name=given)


def case_of(given: str) -> Case:
    return Case.objects.select_related("person").get(person__given_name=given)


def url(subject: Person | str) -> str:
    return f"/api/v1/persons/{getattr(subject, 'pk', subject)}/subject-access/"


def entry(given: str, author: str, category: str, title: str, body: str, **extra: Any) -> Entry:
    return case_actions.do_add_entry(
        case_of(given), category=category, title=title, body=body, acting_user=user(author), **extra
    )


def export(subject: Person, **query: str) -> Any:
    response = api("dpo").get(url(subject), query)
    assert response.status_code == 200, response.content
    return response


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- who may --------------------------------------------------------------------------------------------


def test_the_dpo_exports_a_persons_subject_access_in_the_contracts_shape(demo):
    data = export(person("Amira")).json()
    assert {"person", "records", "disclosures", "restricted"} <= set(data)
    assert data["person"]["reference"] == person("Amira").reference
    assert data["person"]["given_name"] == "Amira"
    for item in data["restricted"]:
        assert set(item) == {"record", "reason"}
        assert set(item["record"]) == {"record_type", "id", "category", "date"}
        assert item["reason"]
    for record in data["records"]:
        assert {"record_type", "id", "category", "date", "author_organisation", "statement", "source"} <= set(record)
        assert {"reliability", "text", "label", "fields"} <= set(record)


@pytest.mark.parametrize("username", NOT_DPO)
def test_everyone_but_the_dpo_is_refused_whatever_the_id(demo, username):
    client = api(username)
    existing = client.get(url(person("Amira")))
    unknown = client.get(url(uuid.uuid4()))
    malformed = client.get(url("not-an-id"))
    assert existing.status_code == unknown.status_code == malformed.status_code == 403
    assert existing.json() == unknown.json() == malformed.json()
    assert existing.json()["detail"]


@pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "admin"])
def test_a_refusal_is_audited_as_denied(demo, username):
    api(username).get(url(person("Amira")))
    assert AuditEvent.objects.filter(
        action="denied", object_type="subject_access", actor_username=username, object_id=str(person("Amira").pk)
    ).exists()


def test_without_credentials_the_export_is_401(demo):
    assert APIClient().get(url(person("Amira"))).status_code == 401
    assert APIClient().get(url(person("Amira")) + "restrictions/").status_code == 401


def test_an_unknown_or_malformed_id_is_a_json_404_for_the_dpo(demo):
    for bad in (uuid.uuid4(), "not-an-id", "1"):
        response = api("dpo").get(url(bad))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_an_unknown_format_is_a_400(demo):
    response = api("dpo").get(url(person("Amira")), {"format": "xml"})
    assert response.status_code == 400
    assert "format" in response.json()


def test_the_export_needs_a_recent_login_or_a_fresh_token(demo, settings):
    token, key = account_actions.do_create_api_token(user("dpo"), acting_user=None, label="old")
    type(token).objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(hours=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(url(person("Amira")))
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"


# --- what is in it --------------------------------------------------------------------------------------


def test_records_of_every_kind_about_the_person_are_in_it(demo):
    written = entry("Amira", "pn.casemanager", "plan", "Work in the kitchen", "She starts in the prison kitchen.")
    records = export(person("Amira")).json()["records"]
    kinds = {record["record_type"] for record in records}
    assert {"entry", "assessment", "plan_goal", "plan_milestone", "custody_episode", "sentence"} <= kinds
    mine = next(record for record in records if record["id"] == str(written.pk))
    assert mine["text"] == "She starts in the prison kitchen."
    assert mine["category"] == "plan"
    assert mine["author_organisation"] == "prison-north"
    assert mine["case"] == case_of("Amira").number
    assert mine["fields"]["title"] == "Work in the kitchen"


def test_a_record_withheld_from_an_organisation_is_not_withheld_from_the_person(demo):
    written = entry(
        "Amira", "pn.casemanager", "plan", "Not for the police", "Kept from the police only.", withhold_from=["police"]
    )
    data = export(person("Amira")).json()
    assert str(written.pk) in {record["id"] for record in data["records"]}
    assert str(written.pk) not in {item["record"]["id"] for item in data["restricted"]}


def test_a_relatives_own_records_are_not_in_the_persons_export(demo):
    amira = person("Amira")
    relatives_sessions = CounsellingSession.objects.filter(case__person=amira).exclude(person=amira)
    assert relatives_sessions.exists()
    body = export(amira).content.decode()
    for session in relatives_sessions:
        assert session.note not in body
        assert str(session.pk) not in body


def test_a_childs_records_are_in_the_childs_export_and_not_in_the_parents(demo):
    child = person("Ilias")
    childs = {record["record_type"] for record in export(child).json()["records"]}
    assert "placement" in childs
    parents = {record["record_type"] for record in export(person("Amira")).json()["records"]}
    assert "placement" not in parents


def test_cases_relationships_and_consents_are_in_it(demo):
    data = export(person("Amira")).json()
    assert [case["number"] for case in data["cases"]] == [case_of("Amira").number]
    assert "prison-north" in {member["organisation"] for member in data["cases"][0]["members"]}
    assert {link["other_person"] for link in data["relationships"]} >= {person("Ilias").reference}
    assert data["consents"]
    # The child's export names the parent who recorded the link, but not the parent's note.
    links = export(person("Ilias")).json()["relationships"]
    assert [link["other_person"] for link in links] == [person("Amira").reference]
    assert links[0]["direction"] == "names_subject"


def test_every_disclosure_of_the_person_is_listed(demo):
    written = entry("Amira", "pn.casemanager", "plan", "Read by probation", "Probation reads this.")
    assert api("prob.officer").get(f"/api/v1/entries/{written.pk}/").status_code == 200
    disclosures = export(person("Amira")).json()["disclosures"]
    mine = [d for d in disclosures if d["record"] == str(written.pk)]
    assert len(mine) == 1
    assert mine[0]["viewer"] == "prob.officer"
    assert mine[0]["viewer_organisation"] == "probation"
    assert mine[0]["category"] == "plan"
    assert mine[0]["basis"]


def test_the_export_is_audited_with_its_purpose(demo):
    amira = person("Amira")
    export(amira)
    export(amira, format="pdf")
    events = AuditEvent.objects.filter(action="export", object_type="subject_access", person_id=amira.pk)
    assert sorted(event.detail["format"] for event in events) == ["json", "pdf"]
    assert all(event.actor_username == "dpo" and "Art. 15" in event.purpose for event in events)


# --- restrictions ----------------------------------------------------------------------------------------


def test_security_records_are_kept_back_by_default_with_their_reason_and_nowhere_in_json_or_pdf(demo):
    secret = "The wing officers watch her contact with cell 14 closely"
    written = entry("Amira", "pn.casemanager", "security", "Contact watch", secret)
    amira = person("Amira")
    response = export(amira)
    data = response.json()
    assert secret not in response.content.decode()
    assert "Contact watch" not in response.content.decode()
    assert str(written.pk) not in {record["id"] for record in data["records"]}
    kept = next(item for item in data["restricted"] if item["record"]["id"] == str(written.pk))
    assert kept["record"] == {
        "record_type": "entry",
        "id": str(written.pk),
        "category": "security",
        "date": kept["record"]["date"],
    }
    assert "15(1)" in kept["reason"] and "public security" in kept["reason"]
    pdf = export(amira, format="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Information kept back" in text
    assert "public security" in text
    assert "cell 14" not in text and "Contact watch" not in text


def test_a_disclosure_of_a_kept_back_record_is_kept_back_with_it(demo):
    written = entry("Amira", "pn.casemanager", "security", "Search", "Cell searched on a tip.")
    assert api("police.liaison").get(f"/api/v1/entries/{written.pk}/").status_code == 200
    data = export(person("Amira")).json()
    assert str(written.pk) not in {d["record"] for d in data["disclosures"]}


def test_the_dpo_restricts_one_record_and_it_leaves_the_export_with_its_reason(demo):
    written = entry("Amira", "pn.casemanager", "plan", "Housing talk", "A flat near the station is possible.")
    amira = person("Amira")
    response = api("dpo").post(
        url(amira) + "restrictions/",
        {"record_type": "entry", "record_id": str(written.pk), "ground": "a", "note": "Inquiry by the prosecutor."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["ground"] == "a" and response.json()["decided_by"] == "dpo"
    body = export(amira)
    assert "A flat near the station" not in body.content.decode()
    kept = next(item for item in body.json()["restricted"] if item["record"]["id"] == str(written.pk))
    assert "(a)" in kept["reason"]
    assert AuditEvent.objects.filter(
        action="create", object_type="access_restriction", person_id=amira.pk, object_id=response.json()["id"]
    ).exists()
    # The documented reasons are for the supervisory authority, not for the person.
    assert "Inquiry by the prosecutor" not in body.content.decode()


def test_the_dpo_lifts_the_default_for_security_and_the_records_are_given(demo):
    written = entry("Amira", "pn.casemanager", "security", "Visit rules", "Visits behind glass for now.")
    amira = person("Amira")
    response = api("dpo").post(
        url(amira) + "restrictions/",
        {"category": "security", "restricts": False, "note": "Reviewed: nothing here endangers anyone."},
    )
    assert response.status_code == 201, response.content
    data = export(amira).json()
    given = next(record for record in data["records"] if record["id"] == str(written.pk))
    assert given["text"] == "Visits behind glass for now."
    assert str(written.pk) not in {item["record"]["id"] for item in data["restricted"]}


def test_a_whole_category_can_be_restricted_until_a_day(demo):
    amira = person("Amira")
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = api("dpo").post(
        url(amira) + "restrictions/",
        {"category": "risk_assessment", "ground": "b", "note": "Trial pending.", "until": until},
    )
    assert response.status_code == 201, response.content
    data = export(amira).json()
    assert "risk_assessment" not in {record["category"] for record in data["records"]}
    kept = [item for item in data["restricted"] if item["record"]["category"] == "risk_assessment"]
    assert kept and all(until in item["reason"] for item in kept)


def test_an_ended_restriction_no_longer_counts(demo):
    written = entry("Amira", "pn.casemanager", "plan", "Old", "An old plan note.")
    amira = person("Amira")
    AccessRestriction.objects.create(
        person=amira,
        record_type="entry",
        record_id=written.pk,
        ground="a",
        note="Ended.",
        decided_by=user("dpo"),
        until=timezone.localdate() - timedelta(days=1),
    )
    assert str(written.pk) in {record["id"] for record in export(amira).json()["records"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ground": "c", "note": "x"}, "category"),
        (
            {
                "category": "security",
                "record_type": "entry",
                "record_id": str(uuid.uuid4()),
                "ground": "c",
                "note": "x",
            },
            "category",
        ),
        ({"record_type": "nonsense", "record_id": str(uuid.uuid4()), "ground": "c", "note": "x"}, "record_type"),
        ({"record_type": "entry", "record_id": str(uuid.uuid4()), "ground": "c", "note": "x"}, "record_id"),
        ({"category": "security", "note": "x"}, "ground"),
        ({"category": "security", "ground": "z", "note": "x"}, "ground"),
        ({"category": "security", "restricts": False, "ground": "c", "note": "x"}, "ground"),
        ({"category": "security", "ground": "c", "note": "  "}, "note"),
        ({"category": "security", "ground": "c", "note": "x", "until": "2001-01-01"}, "until"),
        ({"category": "unknown", "ground": "c", "note": "x"}, "category"),
        ({"category": "security", "ground": "c", "note": "x", "record_id": "not-a-uuid"}, "record_id"),
    ],
)
def test_a_bad_restriction_is_a_400_naming_the_field_and_records_nothing(demo, body, field):
    amira = person("Amira")
    response = api("dpo").post(url(amira) + "restrictions/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert not AccessRestriction.objects.filter(person=amira).exists()


def test_a_record_of_another_person_cannot_be_restricted_in_this_persons_export(demo):
    daniels = Entry.objects.filter(person=person("Daniel")).first()
    response = api("dpo").post(
        url(person("Amira")) + "restrictions/",
        {"record_type": "entry", "record_id": str(daniels.pk), "ground": "a", "note": "x"},
    )
    assert response.status_code == 400
    assert "record_id" in response.json()


@pytest.mark.parametrize("username", ["pn.casemanager", "cp.coordinator", "police.liaison", "admin"])
def test_only_the_dpo_records_or_reads_restrictions(demo, username):
    client = api(username)
    target = url(person("Amira")) + "restrictions/"
    assert client.post(target, {"category": "security", "ground": "c", "note": "x"}).status_code == 403
    assert client.get(target).status_code == 403
    assert client.post(url(uuid.uuid4()) + "restrictions/", {}).status_code == 403
    assert not AccessRestriction.objects.exists()


def test_the_dpo_lists_the_decisions(demo):
    amira = person("Amira")
    api("dpo").post(url(amira) + "restrictions/", {"category": "ideology", "ground": "e", "note": "A witness."})
    listed = api("dpo").get(url(amira) + "restrictions/").json()
    assert [(d["category"], d["ground"], d["restricts"]) for d in listed] == [("ideology", "e", True)]
    assert api("dpo").get(url(uuid.uuid4()) + "restrictions/").status_code == 404


# --- bounded queries -------------------------------------------------------------------------------------


def test_the_export_takes_a_bounded_number_of_queries_that_does_not_grow_with_records(
    demo, django_assert_max_num_queries
):
    amira = person("Amira")
    client = api("dpo")
    entry("Amira", "pn.casemanager", "plan", "First", "One more entry.")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url(amira)).status_code == 200
    with CaptureQueriesContext(connection) as before:
        client.get(url(amira))
    for n in range(15):
        entry("Amira", "pn.casemanager", "plan", f"More {n}", f"Entry {n}.")
    with CaptureQueriesContext(connection) as after:
        response = client.get(url(amira))
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len([r for r in response.json()["records"] if r["record_type"] == "entry"]) >= 16


def test_records_of_more_record_models_take_no_more_queries(demo):
    amira = person("Amira")
    client = api("dpo")
    client.get(url(amira))  # once before counting: the token's first use is recorded once
    with CaptureQueriesContext(connection) as before:
        client.get(url(amira))
    case = case_of("Amira")
    case_actions.do_change_legal_status(case, legal_status="resident", acting_user=user("pn.casemanager"))
    case_actions.do_add_release_condition(
        case, condition_type="curfew", valid_from=timezone.localdate(), acting_user=user("pn.casemanager")
    )
    with CaptureQueriesContext(connection) as after:
        kinds = {record["record_type"] for record in client.get(url(amira)).json()["records"]}
    assert {"legal_status_change", "release_condition"} <= kinds
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_pdf_takes_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    client = api("dpo")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url(person("Sofia")), {"format": "pdf"}).status_code == 200


# --- pages -----------------------------------------------------------------------------------------------


def test_the_dpo_has_data_protection_in_the_navigation_and_others_do_not(demo):
    assert "/data-protection/subject-access/" in browser("dpo").get("/").content.decode()
    for username in ("pn.casemanager", "admin", "police.liaison"):
        assert "/data-protection/subject-access/" not in browser(username).get("/").content.decode()


def test_the_dpo_finds_a_person_by_reference_and_sees_the_summary(demo):
    amira = person("Amira")
    client = browser("dpo")
    found = client.get("/data-protection/subject-access/", {"reference": amira.reference.lower()})
    assert found.status_code == 302
    assert found["Location"] == f"/data-protection/subject-access/{amira.pk}/"
    secret = "Nothing to report from the cell block today"
    entry("Amira", "pn.casemanager", "security", "Cell block", secret)
    page = client.get(found["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Download PDF" in text and "Download JSON" in text
    assert "Security" in text and "public security" in text
    assert secret not in text  # the summary shows no content
    assert AuditEvent.objects.filter(action="read", object_type="subject_access", person_id=amira.pk).exists()


def test_an_unknown_or_malformed_reference_says_so(demo):
    client = browser("dpo")
    for reference, message in (("P-222222", "No person has the reference"), ("nonsense", "looks like P-7F3K2Q")):
        response = client.get("/data-protection/subject-access/", {"reference": reference})
        assert response.status_code == 200
        assert message in response.content.decode()


@pytest.mark.parametrize("username", ["pn.casemanager", "cp.coordinator", "police.liaison", "evaluator", "admin"])
def test_the_pages_are_for_the_dpo_only(demo, username):
    client = browser(username, recent=False)
    amira = person("Amira")
    assert client.get("/data-protection/subject-access/").status_code == 403
    assert client.get(f"/data-protection/subject-access/{amira.pk}/").status_code == 403
    assert client.get(f"/data-protection/subject-access/{uuid.uuid4()}/").status_code == 403
    assert client.get(f"/data-protection/subject-access/{amira.pk}/download/").status_code == 403
    response = client.post(f"/data-protection/subject-access/{amira.pk}/restrictions/", {"target": "category:plan"})
    assert response.status_code == 403
    assert not AccessRestriction.objects.exists()


def test_the_download_asks_to_confirm_it_is_you_first(demo):
    amira = person("Amira")
    response = browser("dpo", recent=False).get(f"/data-protection/subject-access/{amira.pk}/download/?format=pdf")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert not AuditEvent.objects.filter(action="export", object_type="subject_access").exists()


def test_the_dpo_downloads_the_pdf_and_the_json_from_the_page(demo):
    amira = person("Amira")
    client = browser("dpo")
    pdf = client.get(f"/data-protection/subject-access/{amira.pk}/download/?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f"subject-access-{amira.reference}" in pdf["Content-Disposition"]
    assert "Amira" in pdf_text(pdf.content)
    raw = client.get(f"/data-protection/subject-access/{amira.pk}/download/?format=json")
    assert raw.status_code == 200
    assert json.loads(raw.content)["person"]["reference"] == amira.reference
    assert client.get(f"/data-protection/subject-access/{amira.pk}/download/?format=doc").status_code == 400
    assert client.get(f"/data-protection/subject-access/{uuid.uuid4()}/download/").status_code == 404


def test_the_restriction_form_records_a_decision(demo):
    written = entry("Amira", "pn.casemanager", "plan", "Form", "Restricted through the form.")
    amira = person("Amira")
    client = browser("dpo")
    response = client.post(
        f"/data-protection/subject-access/{amira.pk}/restrictions/",
        {"target": f"entry:{written.pk}", "restricts": "true", "ground": "e", "note": "A third person is named."},
    )
    assert response.status_code == 302
    decision = AccessRestriction.objects.get(person=amira)
    assert (decision.record_id, decision.ground, decision.restricts) == (written.pk, "e", True)


def test_a_bad_restriction_form_shows_the_errors_and_records_nothing(demo):
    amira = person("Amira")
    client = browser("dpo")
    response = client.post(
        f"/data-protection/subject-access/{amira.pk}/restrictions/",
        {"target": "category:security", "restricts": "true", "ground": "", "note": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Document the factual or legal reasons" in text or "This field is required" in text
    assert not AccessRestriction.objects.exists()
    response = client.post(
        f"/data-protection/subject-access/{amira.pk}/restrictions/",
        {"target": "category:security", "restricts": "true", "ground": "", "note": "Reasons."},
    )
    assert response.status_code == 400
    assert "Choose the ground" in response.content.decode()
    assert not AccessRestriction.objects.exists()


def test_the_summary_page_takes_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    client = browser("dpo")
    amira = person("Amira")
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/data-protection/subject-access/{amira.pk}/").status_code == 200
