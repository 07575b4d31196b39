"""Data protection as the data protection officer clicks it (issue 18).

Subject access: the officer opens "Data protection", finds Sofia by her reference, sees the summary of
what is held about her and what is kept back, keeps one more category back with the form, and downloads
the PDF, which is for Sofia and names her, and the JSON.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from continuum.audit.models import AuditEvent
from continuum.dataprotection.models import AccessRestriction
from continuum.people.models import Person
from tests.e2e.test_login import log_in, main_nav

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _Null:
    def write(self, *_args: object) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def world(demo_world) -> None:
    call_command("seed_demo", stdout=_Null())


def test_the_dpo_finds_sofia_opens_her_subject_access_and_downloads_the_pdf(page: Page, world: None):
    sofia = Person.objects.get(given_name="Sofia", family_name="Lindqvist")
    log_in(page, "dpo")
    main_nav(page).get_by_role("link", name="Data protection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access")
    page.get_by_label("Person reference").fill(sofia.reference)
    page.get_by_role("button", name="Open subject access").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(sofia.reference)
    expect(page.get_by_role("heading", name="Records by category")).to_be_visible()
    expect(page.get_by_role("heading", name="Kept back")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Security")

    page.get_by_label("Which item").select_option(label="Every Ideology record")
    page.get_by_label("Keep it back from the person").check()
    page.get_by_label("Ground (Article 15(1))").select_option("e")
    page.get_by_label("Reasons (documented for the supervisory authority)").fill("A witness is named.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("The decision is recorded")
    assert AccessRestriction.objects.filter(person=sofia, category="ideology", ground="e").exists()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    with open(download.value.path(), "rb") as pdf:
        content = pdf.read()
    assert content[:4] == b"%PDF"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Sofia" in text and sofia.reference in text
    assert "Information kept back" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="Download JSON").click()
    with open(download.value.path(), "rb") as raw:
        data = json.load(raw)
    assert data["person"]["reference"] == sofia.reference
    assert {"person", "records", "disclosures", "restricted"} <= set(data)

    formats = AuditEvent.objects.filter(action="export", object_type="subject_access", person_id=sofia.pk)
    assert sorted(event.detail["format"] for event in formats) == ["json", "pdf"]
