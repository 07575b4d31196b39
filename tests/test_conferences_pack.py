"""Per-participant meeting packs (issue 6): the same conference's pack holds, for each reader, only what
the sharing engine lets them see, in JSON, the HTML page and the PDF; nothing betrays what is left out
(R12); reading it is logged (R11) and audited as an export.
"""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader

from continuum.audit.models import AuditEvent
from continuum.cases.actions import do_add_entry
from continuum.sharing.models import Disclosure
from tests.api_world import AMIRA_ENTRIES, build_world
from tests.conference_world import acknowledge, schedule, user
from tests.pages import without_tokens

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


def goal_withheld_from_police(plan):
    """A goal about the person's health, which Prison North withholds from the police (R4)."""
    from continuum.plans.actions import do_add_goal

    prison = user("pn.casemanager")
    return do_add_goal(
        plan,
        focus_area="resilience",
        description="Trauma therapy with the clinic.",
        persons_own_words="I want to sleep again.",
        owner_organisation=prison.organisation,
        withhold_from=["police"],
        acting_user=prison,
    )


def test_the_pack_gives_the_plan_in_the_persons_words_and_the_latest_judgements_each_reader_may_see(
    world, conference, api_as, browser_as
):
    from continuum.plans.actions import do_achieve_milestone, do_add_goal, do_add_milestone, do_create_plan
    from tests.test_assessments_api import _finalised

    prison = user("pn.casemanager")
    plan = do_create_plan(world.case, summary="Home and work.", acting_user=prison)
    family = do_add_goal(
        plan,
        focus_area="family",
        description="Regular contact with her children.",
        persons_own_words="I want my children to know me again.",
        owner_organisation=prison.organisation,
        acting_user=prison,
    )
    first = do_add_milestone(
        family, description="A first video call.", target_on=timezone.localdate(), acting_user=prison
    )
    do_achieve_milestone(first, achieved_on=timezone.localdate(), note="Both children joined.", acting_user=prison)
    do_add_milestone(
        family,
        description="A visit in the family room.",
        target_on=timezone.localdate() + timedelta(days=30),
        acting_user=prison,
    )
    resilience = goal_withheld_from_police(plan)
    do_add_milestone(
        resilience,
        description="Ten sessions of therapy.",
        target_on=timezone.localdate() + timedelta(days=60),
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
            for words in (
                "Home and work.",  # the plan's summary
                "Regular contact with her children.",
                "I want my children to know me again.",
                "A first video call.",  # achieved, with its note
                "Both children joined.",
                "A visit in the family room.",  # the next step
                "moderate concern",  # the judgement and its summary: risk, all three read it
                "Protective factors grew this year.",
            ):
                assert words in text, (username, form, words)
        for words in ("I want to sleep again.", "Ten sessions of therapy."):
            assert words in found["exit.worker"][form]
            assert words not in found["police.liaison"][form]  # the goal withheld from police, and its milestone
        assert "Sleeps better" in found["mh.clinician"][form]
        for username in ("police.liaison", "exit.worker"):
            assert "Sleeps better" not in found[username][form] and "psychological" not in found[username][form]


# --- The records' own words (issue 12, item 3): a pack is what one reads before the meeting ----------

DAILY_LIFE = "Works at the harbour bakery four mornings a week; pays her rent herself."
# Who of five organisation types reads which of Amira's entries (tests/api_world.py, and the
# municipality's daily-life note): the matrix of DESIGN.md section 5, R4 (the risk review is withheld
# from the police) and R6 (children only for mental health here).
READS = {
    "police.liaison": {"security", "legal", "plan", "police_note"},
    "prob.officer": {"security", "legal", "plan", "risk", "police_note", "daily_life"},
    "muni.coordinator": {"legal", "plan", "risk", "daily_life"},
    "exit.worker": {"legal", "plan", "risk", "counselling", "daily_life"},
    "mh.clinician": {"legal", "plan", "risk", "children", "mental_health", "daily_life"},
}
BODIES = {key: body for key, (_author, _category, _title, body, _withhold) in AMIRA_ENTRIES.items()}
EVERY_READER = ["probation", "police", "municipality-harbour", "exit-ngo", "mental-health"]


def pack_of(api_as, browser_as, conference, username: str) -> dict[str, str]:
    """One reader's pack: the JSON text, the whole HTML page and the PDF's text."""
    api = api_as(username)
    as_json = api.get(f"/api/v1/conferences/{conference.pk}/pack/")
    pdf = api.get(f"/api/v1/conferences/{conference.pk}/pack/?format=pdf")
    page = browser_as(username).get(f"/conferences/{conference.pk}/pack/")
    assert as_json.status_code == pdf.status_code == page.status_code == 200
    return {"json": as_json.content.decode(), "html": page.content.decode(), "pdf": pdf_text(pdf.content)}


@pytest.fixture
def daily_life(world):
    return do_add_entry(
        world.case,
        category="daily_life",
        kind="contact",
        title="At work",
        body=DAILY_LIFE,
        acting_user=user("muni.coordinator"),
    )


@pytest.mark.parametrize("username", list(READS))
def test_each_organisation_reads_in_its_pack_the_words_of_the_records_it_may_read_and_no_others(
    world, daily_life, api_as, browser_as, username
):
    conference = schedule([world.case], EVERY_READER, by="prob.officer", chair="probation")
    acknowledge(conference, username)
    found = pack_of(api_as, browser_as, conference, username)
    bodies = {**BODIES, "daily_life": DAILY_LIFE}
    records = json.loads(found["json"])["cases"][0]["records"]
    texts = {record["text"] for record in records}
    for key, body in bodies.items():
        if key in READS[username]:
            assert body in texts, (key, "json")
            for form in ("html", "pdf"):
                assert body in found[form], (key, form)
        else:
            for form in ("json", "html", "pdf"):
                assert body not in found[form], (key, form)


def test_a_records_text_is_escaped_and_keeps_its_line_breaks(world, conference, api_as, browser_as):
    do_add_entry(
        world.case,
        category="plan",
        title="Two lines",
        body="First <b>line</b> & more.\nSecond line.",
        acting_user=user("prob.officer"),
    )
    page = pack_of(api_as, browser_as, conference, "exit.worker")["html"]
    assert "First &lt;b&gt;line&lt;/b&gt; &amp; more.<br>Second line." in page
    assert "<b>line</b>" not in page


def _blanked(found: dict[str, str]) -> dict[str, object]:
    """A pack with what differs between two readings blanked: tokens and the time it was prepared."""
    prepared = re.compile(r"(Confidential — prepared for [^<\"]*?, \d{1,2} \w+ \d{4}) \d{2}:\d{2}")
    data = json.loads(found["json"])
    data["prepared_at"] = ""
    data["confidential"] = prepared.sub(r"\1", data["confidential"])
    return {
        "json": data,
        "html": prepared.sub(r"\1", without_tokens(found["html"])),
        "pdf": prepared.sub(r"\1", found["pdf"]),
    }


def test_records_the_police_may_not_read_leave_its_pack_exactly_as_if_they_did_not_exist(
    world, conference, api_as, browser_as
):
    from continuum.plans.actions import do_add_goal, do_add_intervention, do_create_plan

    prison = user("pn.casemanager")
    plan = do_create_plan(world.case, summary="Home and work.", acting_user=prison)
    do_add_goal(
        plan,
        focus_area="daily_life",
        description="A job after release.",
        owner_organisation=prison.organisation,
        acting_user=prison,
    )
    before = _blanked(pack_of(api_as, browser_as, conference, "police.liaison"))
    hidden = {
        "exit.worker": ("counselling", "Third conversation", "She spoke about leaving the movement."),
        "mh.clinician": ("mental_health", "Sleep diary", "Sleeps five hours a night."),
        "cw.worker": ("children", "School report", "The elder child reads well."),
        "prob.officer": ("risk_assessment", "Second risk review", "Fewer contacts with the old group."),
        "muni.coordinator": ("daily_life", "Housing", "A flat from next month."),
    }
    for author, (category, title, body) in hidden.items():
        withhold = ["police"] if category == "risk_assessment" else []
        do_add_entry(
            world.case, category=category, title=title, body=body, withhold_from=withhold, acting_user=user(author)
        )
    goal_withheld_from_police(plan)
    clinician = user("mh.clinician")
    do_add_intervention(
        world.case,
        type="trauma_therapy",
        provider_organisation=clinician.organisation,
        practitioner=clinician,
        voluntary=True,
        starts_on=timezone.localdate(),
        frequency="weekly",
        acting_user=clinician,
    )
    after = _blanked(pack_of(api_as, browser_as, conference, "police.liaison"))
    assert after == before
    # ...while those who may read them find them in theirs.
    assert "She spoke about leaving the movement." in pack_of(api_as, browser_as, conference, "exit.worker")["html"]


# --- Queries: a bounded number, whatever the size of the agenda (STYLE.md 9) ------------------------------

QUERY_BOUND = 30


def _fill(world, conference) -> None:
    """What a case brings to a meeting: a plan with goals and milestones, a finalised assessment, the
    municipality's note, a decision with a position, an action and minutes."""
    from continuum.conferences.actions import (
        do_add_conference_action,
        do_give_position,
        do_propose_decision,
        do_record_minutes,
    )
    from continuum.plans.actions import do_add_goal, do_add_milestone, do_create_plan
    from tests.test_assessments_api import _finalised

    prison, probation = user("pn.casemanager"), user("prob.officer")
    plan = do_create_plan(world.case, summary="Home and work.", acting_user=prison)
    for area in ("family", "daily_life"):
        goal = do_add_goal(
            plan,
            focus_area=area,
            description=f"A goal about {area}.",
            owner_organisation=prison.organisation,
            acting_user=prison,
        )
        do_add_milestone(goal, description="A first step.", target_on=timezone.localdate(), acting_user=prison)
    _finalised(world, level="moderate concern", summary="Protective factors grew.")
    do_add_entry(
        world.case, category="daily_life", title="At work", body=DAILY_LIFE, acting_user=user("muni.coordinator")
    )
    decision = do_propose_decision(
        conference, case=world.case, text="Start the housing application.", acting_user=probation
    )
    do_give_position(decision, position="agree", acting_user=probation)
    do_add_conference_action(
        decision,
        description="Ask the housing office.",
        owner_organisation=probation.organisation,
        due_on=timezone.localdate() + timedelta(days=7),
        acting_user=probation,
    )
    do_record_minutes(conference, case=world.case, text="Discussed housing.", acting_user=probation)


def _pack_queries(api, browser, conference) -> dict[str, int]:
    counts = {}
    paths = {
        "json": (api, f"/api/v1/conferences/{conference.pk}/pack/"),
        "pdf": (api, f"/api/v1/conferences/{conference.pk}/pack/?format=pdf"),
        "html": (browser, f"/conferences/{conference.pk}/pack/"),
    }
    for form, (client, path) in paths.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[form] = len(queries)
    return counts


@pytest.mark.parametrize("username", ["exit.worker", "police.liaison"])
def test_the_pack_costs_at_most_30_queries_and_no_more_as_the_agenda_and_the_records_grow(
    world, api_as, browser_as, username
):
    api, browser = api_as(username), browser_as(username)
    api.get("/api/v1/cases/")  # the token's first use is recorded once, not by the pack
    small = schedule([world.case], EVERY_READER, by="prob.officer", chair="probation")
    _fill(world, small)
    acknowledge(small, username)
    one = _pack_queries(api, browser, small)

    more = [build_world(user) for _ in range(3)]
    large = schedule([world.case, *(w.case for w in more)], EVERY_READER, by="prob.officer", chair="probation")
    for other in more:
        _fill(other, large)
    # More disclosures than one INSERT of Django's bulk_create takes on SQLite (76 rows of 13 columns).
    for number in range(80):
        do_add_entry(world.case, category="legal", title=f"Hearing {number}", acting_user=user("pn.casemanager"))
    acknowledge(large, username)
    four = _pack_queries(api, browser, large)

    data = api.get(f"/api/v1/conferences/{large.pk}/pack/").json()
    assert len(data["cases"]) == 4 and sum(len(c["records"]) for c in data["cases"]) > 80
    assert four == one, (one, four)
    assert max(four.values()) <= QUERY_BOUND, four
