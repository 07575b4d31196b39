"""Per-participant meeting packs (issue 6): the same conference's pack holds, for each reader, only what
the sharing engine lets them see, in JSON, the HTML page and the PDF; nothing betrays what is left out
(R12); reading it is logged (R11) and audited as an export.
"""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader

from continuum.audit.models import AuditEvent
from continuum.sharing.models import Disclosure
from tests.conference_world import acknowledge, schedule, user

pytestmark = pytest.mark.django_db

READERS = ["police.liaison", "exit.worker", "mh.clinician"]
PARTICIPANTS = ["prison-north", "probation", "police", "exit-ngo", "mental-health"]
# Amira's entries (tests/api_world.py) and who of the readers may see them by the matrix and R6.
COUNSELLING, MENTAL_HEALTH, CHILDREN = "Exit session", "Trauma therapy", "Foster placement"
HIDDEN_FROM_POLICE = [COUNSELLING, MENTAL_HEALTH, CHILDREN, "Risk review"]
# Words that would betray a hidden record through a heading, a category label or a count.
BETRAYING = ["Counselling", "counselling", "Mental health", "mental health", "Children", "children"]


@pytest.fixture
def conference(world):
    conference = schedule([world.case, world.other_case], PARTICIPANTS, by="prob.officer", chair="probation")
    acknowledge(conference, *READERS)
    return conference


def pdf_text(content: bytes) -> str:
    # Lines wrap anywhere in a PDF: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def packs(api_as, browser_as, conference):
    """Each reader's pack as JSON text, as the HTML page's main content and as PDF text."""
    found = {}
    for username in READERS:
        api = api_as(username)
        as_json = api.get(f"/api/v1/conferences/{conference.pk}/pack/")
        assert as_json.status_code == 200
        pdf = api.get(f"/api/v1/conferences/{conference.pk}/pack/?format=pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        page = browser_as(username).get(f"/conferences/{conference.pk}/pack/").content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        found[username] = {"json": as_json.content.decode(), "html": main, "pdf": pdf_text(pdf.content)}
    return found


def test_the_police_pack_has_none_of_the_records_the_exit_worker_and_clinician_see(
    world, conference, api_as, browser_as
):
    found = packs(api_as, browser_as, conference)
    exit_worker, clinician, police = found["exit.worker"], found["mh.clinician"], found["police.liaison"]
    for form in ("json", "html", "pdf"):
        assert COUNSELLING in exit_worker[form]
        assert MENTAL_HEALTH in clinician[form] and CHILDREN in clinician[form]
        for title in HIDDEN_FROM_POLICE:
            assert title not in police[form], (form, title)
        for word in BETRAYING:
            assert word not in police[form], (form, word)
        # What police may see is there: security and legal records of the prison, its own note.
        for title in ("Cell search", "Sentence computed", "Liaison note"):
            assert title in police[form], (form, title)
        assert "Confidential — prepared for" in police[form]


def test_a_case_the_reader_is_not_a_member_of_is_not_in_the_pack_at_all(world, conference, api_as, browser_as):
    found = packs(api_as, browser_as, conference)
    for username in READERS:
        for form in ("json", "html", "pdf"):
            text = found[username][form]
            assert world.case.number in text
            assert world.other_case.number not in text  # Bilal's case: no heading, no count (R12)
            assert world.bilal.reference not in text and "Housing found" not in text
    data = api_as("police.liaison").get(f"/api/v1/conferences/{conference.pk}/pack/").json()
    assert [c["number"] for c in data["cases"]] == [world.case.number]


def test_the_pdf_says_for_whom_it_was_prepared(world, conference, api_as):
    content = api_as("exit.worker").get(f"/api/v1/conferences/{conference.pk}/pack/?format=pdf").content
    text = pdf_text(content)
    exit_worker = user("exit.worker")
    assert f"Confidential — prepared for {exit_worker.display_name}, {exit_worker.organisation.name}," in text


def test_the_pdf_is_named_after_the_meeting_not_a_person(world, conference, api_as, browser_as):
    conference.title = f"About {world.case.person.full_name}"
    conference.save(update_fields=["title"])
    day = timezone.localtime(conference.next_meeting or conference.scheduled_at).date().isoformat()
    expected = f'attachment; filename="meeting-pack-{day}-{slugify(conference.get_kind_display())}-probation.pdf"'
    api = api_as("exit.worker").get(f"/api/v1/conferences/{conference.pk}/pack/?format=pdf")
    page = browser_as("exit.worker").get(f"/conferences/{conference.pk}/pack.pdf")
    assert api["Content-Disposition"] == expected
    assert page.status_code == 200 and page["Content-Disposition"] == expected
    assert world.case.person.family_name.lower() not in expected.lower()


def test_the_pack_is_audited_as_an_export_and_its_records_logged_as_disclosures(world, conference, api_as):
    api_as("exit.worker").get(f"/api/v1/conferences/{conference.pk}/pack/?format=pdf")
    export = AuditEvent.objects.get(action="export", object_type="conference_pack", actor_username="exit.worker")
    assert export.object_id == str(conference.pk)
    assert export.detail["format"] == "pdf"
    disclosed = set(Disclosure.objects.filter(viewer__username="exit.worker").values_list("record_id", flat=True))
    assert world.entries["plan"].pk in disclosed  # probation's plan entry, read by the exit NGO
    assert world.entries["counselling"].pk not in disclosed  # its own record is a read, not a disclosure


def test_the_page_pack_needs_the_confidentiality_acknowledgement(world, api_as, browser_as):
    conference = schedule([world.case], PARTICIPANTS)
    client = browser_as("exit.worker")
    response = client.get(f"/conferences/{conference.pk}/pack/")
    assert response.status_code == 302
    assert client.get(f"/conferences/{conference.pk}/pack.pdf").status_code == 302
    assert not AuditEvent.objects.filter(action="export").exists()
    acknowledge(conference, "exit.worker")
    pdf = client.get(f"/conferences/{conference.pk}/pack.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("username", ["ps.casemanager", "cw.worker", "mentor.one"])
def test_non_participants_get_no_pack(world, conference, api_as, browser_as, username):
    assert api_as(username).get(f"/api/v1/conferences/{conference.pk}/pack/").status_code == 404
    assert browser_as(username).get(f"/conferences/{conference.pk}/pack/").status_code == 404


def test_the_pack_costs_the_same_queries_as_the_agenda_grows(world, api_as):
    from tests.api_world import build_world

    small = schedule([world.case], PARTICIPANTS)
    client = api_as("exit.worker")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/conferences/{small.pk}/pack/")
    more = [build_world(user).case for _ in range(3)]
    large = schedule([world.case, *more], PARTICIPANTS)
    with CaptureQueriesContext(connection) as four:
        data = client.get(f"/api/v1/conferences/{large.pk}/pack/").json()
    assert len(data["cases"]) == 4
    assert len(four) <= len(one)


def test_the_pack_gives_the_plan_in_the_persons_words_and_the_latest_judgements_each_reader_may_see(
    world, conference, api_as, browser_as
):
    from continuum.plans.actions import do_add_goal, do_create_plan
    from tests.test_assessments_api import _finalised

    prison = user("pn.casemanager")
    plan = do_create_plan(world.case, summary="Home and work.", acting_user=prison)
    do_add_goal(
        plan,
        focus_area="family",
        description="Regular contact with her children.",
        persons_own_words="I want my children to know me again.",
        owner_organisation=prison.organisation,
        acting_user=prison,
    )
    do_add_goal(
        plan,
        focus_area="resilience",
        description="Trauma therapy with the clinic.",
        persons_own_words="I want to sleep again.",
        owner_organisation=prison.organisation,
        withhold_from=["police"],
        acting_user=prison,
    )
    _finalised(world, level="moderate concern", summary="Protective factors grew this year.")
    _finalised(
        world,
        instrument="continuum-psychological-evaluation",
        opener="mh.clinician",
        assessors=["mh.clinician"],
        level="stable",
        summary="Sleeps better; flashbacks less often.",
    )
    found = packs(api_as, browser_as, conference)
    for form in ("json", "html", "pdf"):
        for username in READERS:
            text = found[username][form]
            assert "I want my children to know me again." in text, (username, form)
            assert "Protective factors grew this year." in text, (username, form)  # risk: all three read it
        assert "I want to sleep again." in found["exit.worker"][form]
        assert "I want to sleep again." not in found["police.liaison"][form]  # the goal withheld from police
        assert "Sleeps better" in found["mh.clinician"][form]
        for username in ("police.liaison", "exit.worker"):
            assert "Sleeps better" not in found[username][form] and "psychological" not in found[username][form]
