"""Case continuity in the web pages (issue 4): the case page's custody, transfer, sentence, release,
legal status, phase history, hand-over and gap sections, the hand-over banner, the home page's
dashboard, and the person's timeline. Allow and deny for every page and form, across organisation
types, with the demo world's personas.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.cases import actions
from continuum.cases.models import (
    Case,
    CaseMember,
    CustodyEpisode,
    Handover,
    LegalStatusChange,
    PhaseChange,
    ReleaseCondition,
    Sentence,
    Transfer,
)
from continuum.people.models import Person
from continuum.sharing.models import Disclosure
from tests.continuity_world import (
    LEGAL_READERS,
    MANAGERS,
    MEMBERS,
    MEMBERS_NOT_MANAGING,
    OUTSIDERS,
    ContinuityWorld,
    ago,
    build,
    org,
)

pytestmark = pytest.mark.django_db

NO_CASE_CONTENT = ["evaluator", "dpo", "admin"]


@pytest.fixture
def world(persona) -> ContinuityWorld:
    return build(persona)


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def case_url(world: ContinuityWorld, suffix: str = "") -> str:
    return f"/cases/{world.case.pk}/{suffix}"


def part(client, world: ContinuityWorld, name: str) -> str:
    """A part of the case page, as htmx loads it after the page."""
    response = client.get(case_url(world, f"parts/{name}/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def custody(client, world: ContinuityWorld) -> str:
    """The custody, sentence, phase and hand-over history sections."""
    return part(client, world, "custody")


def counts() -> tuple[int, ...]:
    return (
        Transfer.objects.count(),
        CustodyEpisode.objects.count(),
        CaseMember.objects.filter(until__isnull=True).count(),
        Sentence.objects.count(),
        ReleaseCondition.objects.count(),
        Handover.objects.count(),
        LegalStatusChange.objects.count(),
        PhaseChange.objects.count(),
    )


TODAY = timezone.localdate


# --- The case page's sections ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", MEMBERS)
def test_the_custody_and_sentence_sections_show_what_the_matrix_allows(world, browser_as, username):
    page = custody(browser_as(username), world)
    if username in LEGAL_READERS:
        assert 'id="custody"' in page and "Now held at <strong>Prison North</strong>" in page
        assert "Evaluation unit" in page and 'id="sentence"' in page
    else:
        # Nothing legal is shared: no section, not even "nothing recorded" (R12).
        assert 'id="custody"' not in page and 'id="sentence"' not in page
        assert "No custody episode" not in page and "Prison North</strong>" not in page
    assert 'id="phases"' in page  # the phase history is the case's own, every member sees it


@pytest.mark.parametrize("username", MANAGERS)
def test_managers_see_the_continuity_forms(world, browser_as, username):
    page = custody(browser_as(username), world)
    for form in ["Record a transfer", "Record the end of custody", "Record a sentence", "Record a release condition"]:
        assert form in page
    assert "Record a change of legal status" in page
    assert "Record a custody episode" not in page  # she is held already: a transfer is what fits


@pytest.mark.parametrize("username", MEMBERS_NOT_MANAGING)
def test_other_members_see_no_continuity_forms(world, browser_as, username):
    client = browser_as(username)
    page = main(client.get(case_url(world))) + custody(client, world)
    for form in ["Record a transfer", "Record a sentence", "Record a release condition", "legal status</summary>"]:
        assert form not in page


def test_the_case_page_logs_the_continuity_records_it_shows(world, browser_as):
    client = browser_as("prob.officer")
    client.get(case_url(world))
    custody(client, world)
    shown = set(Disclosure.objects.filter(viewer__username="prob.officer").values_list("record_type", flat=True))
    assert {"custody_episode", "sentence", "entry"} <= shown


def test_the_case_page_links_the_persons_timeline(world, browser_as):
    page = main(browser_as("police.liaison").get(case_url(world)))
    assert f'href="/persons/{world.person.pk}/timeline/"' in page


# --- Transfers in the browser --------------------------------------------------------------------------


def test_a_transfer_through_the_page_moves_the_case_to_prison_south(world, browser_as):
    client = browser_as("pn.casemanager")
    response = client.post(
        case_url(world, "transfers/"),
        {
            "to_facility": "prison-south",
            "unit_type": "specialised_wing",
            "date": TODAY().isoformat(),
            "handover_note": "Engaged in the evaluation.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/cases/"  # Prison North no longer sees the case
    assert "Prison South is now in the team" in main(response)
    assert client.get(case_url(world)).status_code == 404

    prison_south = browser_as("ps.casemanager")
    page = main(prison_south.get(case_url(world))) + custody(prison_south, world) + part(prison_south, world, "gaps")
    assert "Risk assessment at intake" in page and "Jonas Berg, Prison North" in page
    assert "Prison South has no responsible practitioner." in page
    assert "Transferred from Prison North to Prison South" in page and "Engaged in the evaluation." in page
    assert "Now held at <strong>Prison South</strong>, specialised wing" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_facility": ""}, "Choose the prison the person is transferred to."),
        ({"to_facility": "probation"}, "Select a valid choice."),
        ({"date": ""}, "Give the date of the transfer."),
        ({"date": (TODAY() + timedelta(days=2)).isoformat()}, "before it happens"),
        ({"to_facility": "prison-north", "unit_type": "evaluation_unit"}, "on this unit of this prison already"),
    ],
)
def test_bad_transfers_are_explained_and_change_nothing(world, browser_as, data, message):
    before = counts()
    response = browser_as("pn.casemanager").post(
        case_url(world, "transfers/"),
        {"to_facility": "prison-south", "unit_type": "regular", "date": TODAY().isoformat(), **data},
    )
    assert response.status_code == 200
    page = main(response)
    assert message in page and 'id="record-transfer" open' in page
    assert counts() == before


@pytest.mark.parametrize("username", MEMBERS_NOT_MANAGING)
def test_members_who_do_not_manage_may_not_post_continuity_forms(world, browser_as, username):
    client = browser_as(username)
    before = counts()
    for suffix in ["transfers/", "custody/", "sentences/", "release-conditions/", "legal-status/"]:
        assert client.post(case_url(world, suffix), {}).status_code == 403, suffix
    assert client.post(case_url(world, f"custody/{world.episode.pk}/end/"), {}).status_code == 403
    assert counts() == before


@pytest.mark.parametrize("username", ["ps.casemanager", *NO_CASE_CONTENT])
def test_outsiders_get_not_found_for_every_continuity_page(world, browser_as, username):
    client = browser_as(username)
    for suffix in [
        "",
        "transfers/",
        "custody/",
        "sentences/",
        "release-conditions/",
        "legal-status/",
        "handovers/",
        f"custody/{world.episode.pk}/end/",
    ]:
        method = client.get if suffix == "" else client.post
        assert method(case_url(world, suffix)).status_code == 404, suffix


# --- Custody episodes, re-entry, sentence, release conditions, legal status ---------------------------------


def test_re_entry_through_the_page_returns_the_same_case_to_custody(world, browser_as, persona):
    pn = persona("pn.casemanager")
    actions.do_end_custody_episode(world.case, episode_id=world.episode.pk, ended_on=ago(20), acting_user=pn)
    actions.do_update_case(world.case, version=1, phase="community", acting_user=pn)
    client = browser_as("pn.casemanager")
    assert "Record a custody episode" in custody(client, world)
    response = client.post(
        case_url(world, "custody/"),
        {"facility": "prison-north", "unit_type": "regular", "started_on": TODAY().isoformat()},
        follow=True,
    )
    page = main(response)
    assert "The custody episode at Prison North is recorded." in page
    assert Case.objects.filter(person=world.person).count() == 1
    assert Case.objects.get(pk=world.case.pk).phase == "custody"
    assert "from community to custody" in custody(client, world)
    assert "Back in custody at Prison North." in custody(client, world)


def test_the_holding_prison_records_the_end_of_custody(world, browser_as):
    response = browser_as("pn.casemanager").post(
        case_url(world, f"custody/{world.episode.pk}/end/"), {"ended_on": TODAY().isoformat()}, follow=True
    )
    assert "The end of the custody episode is recorded." in main(response)
    assert CustodyEpisode.objects.get(pk=world.episode.pk).ended_on == TODAY()


def test_sentence_conditions_and_legal_status_through_the_page(world, browser_as):
    client = browser_as("cp.coordinator")
    response = client.post(
        case_url(world, "sentences/"),
        {"imposed_on": "2025-01-10", "starts_on": "2024-12-01", "ends_on": "2030-12-01", "earliest_release_on": ""},
        follow=True,
    )
    assert "The sentence is recorded." in main(response)
    response = client.post(
        case_url(world, "release-conditions/"),
        {"condition_type": "electronic_monitoring", "details": "Ankle tag.", "valid_from": "2030-12-01"},
        follow=True,
    )
    assert "Electronic monitoring" in custody(client, world)
    response = client.post(
        case_url(world, "legal-status/"),
        {"legal_status": "citizenship_revoked", "changed_on": TODAY().isoformat(), "note": "Decision of the minister."},
        follow=True,
    )
    assert "The legal status is now “Citizenship revoked”." in main(response)
    page = custody(client, world)
    assert "from citizen to citizenship revoked" in page and "Decision of the minister." in page
    assert Person.objects.get(pk=world.person.pk).legal_status == "citizenship_revoked"


@pytest.mark.parametrize(
    ("suffix", "data", "message"),
    [
        ("sentences/", {"imposed_on": "2025-01-10", "starts_on": "2025-01-10", "ends_on": "2024-01-01"}, "must end"),
        ("release-conditions/", {"condition_type": "", "valid_from": "2025-01-01"}, "Choose the kind of condition."),
        (
            "release-conditions/",
            {"condition_type": "curfew", "valid_from": "2025-02-01", "valid_until": "2025-01-01"},
            "cannot end before",
        ),
        ("legal-status/", {"legal_status": "citizen", "changed_on": "2025-01-01"}, "has this legal status already"),
    ],
)
def test_bad_sentence_condition_or_status_is_explained_and_saves_nothing(world, browser_as, suffix, data, message):
    before = counts()
    response = browser_as("pn.casemanager").post(case_url(world, suffix), data)
    assert response.status_code == 200 and message in main(response)
    assert counts() == before


# --- Phase history -------------------------------------------------------------------------------------


def test_the_phase_history_shows_who_changed_the_phase_and_why(world, browser_as):
    client = browser_as("pn.casemanager")
    client.post(
        case_url(world, "update/"),
        {"phase": "pre_release", "trial_concluded_on": "", "version": 1, "phase_note": "Release is near."},
    )
    page = custody(browser_as("exit.worker"), world)
    assert "from custody to pre-release, by Marta Kowalska (Prison North)" in page
    assert "Release is near." in page


# --- Hand-overs and the banner -------------------------------------------------------------------------


def hand_over(world, browser_as, note="Reporting on Mondays. She trusts the exit worker."):
    return browser_as("prob.officer").post(
        case_url(world, "handovers/"), {"to_user": "prob.officer2", "category": "plan", "note": note}, follow=True
    )


def test_the_hand_over_banner_is_shown_to_the_new_practitioner_only_until_read(world, browser_as, client):
    response = hand_over(world, browser_as)
    assert "The case is handed over to Tomas Novak" in main(response)
    assert "This case was handed over to you" not in main(response)  # not to the one who handed over

    for username in ["police.liaison", "pn.casemanager", "exit.worker"]:
        assert "This case was handed over to you" not in main(browser_as(username).get(case_url(world)))

    new = browser_as("prob.officer2")
    page = main(new.get(case_url(world)))
    assert "This case was handed over to you" in page
    assert "Sanne Jacobs handed the case over to you" in page
    assert "Reporting on Mondays." in page
    assert "What happened recently on this case" in page and "Probation plan drafted" in page
    assert "Exit conversation" not in page  # the summary holds only what the reader may see
    # Shown again on the next visit, until acknowledged.
    assert "This case was handed over to you" in main(new.get(case_url(world)))

    handover = Handover.objects.get(case=world.case)
    response = new.post(case_url(world, f"handovers/{handover.pk}/acknowledge/"), follow=True)
    assert "This case was handed over to you" not in main(response)
    assert Handover.objects.get(pk=handover.pk).acknowledged_at is not None
    assert "read on" in custody(new, world)


def test_only_the_new_practitioner_acknowledges_the_hand_over(world, browser_as):
    hand_over(world, browser_as)
    handover = Handover.objects.get(case=world.case)
    url = case_url(world, f"handovers/{handover.pk}/acknowledge/")
    assert browser_as("prob.officer").post(url).status_code == 403  # sees it, may not
    assert browser_as("mentor.one").post(url).status_code == 404  # does not see the note
    assert browser_as("ps.casemanager").post(url).status_code == 404  # not in the team
    assert Handover.objects.get(pk=handover.pk).acknowledged_at is None


def test_the_hand_over_form_is_for_the_responsible_practitioner_and_case_managers(world, browser_as):
    assert "Hand the case over to a colleague" in main(browser_as("prob.officer").get(case_url(world)))
    assert "Hand the case over to a colleague" in main(browser_as("prob.officer2").get(case_url(world)))
    for username in ["pn.psychologist", "mentor.one"]:
        client = browser_as(username)
        assert "Hand the case over to a colleague" not in main(client.get(case_url(world)))
        assert client.post(case_url(world, "handovers/"), {"to_user": "x", "note": "y"}).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_user": ""}, "Choose the colleague who takes the case over."),
        ({"to_user": "pn.psychologist"}, "Select a valid choice."),
        ({"note": ""}, "Write what your colleague needs to know."),
        ({"category": "counselling"}, "Select a valid choice."),
    ],
)
def test_bad_hand_overs_are_explained_and_change_nothing(world, browser_as, data, message):
    before = counts()
    response = browser_as("prob.officer").post(
        case_url(world, "handovers/"), {"to_user": "prob.officer2", "category": "plan", "note": "Over.", **data}
    )
    assert response.status_code == 200 and message in main(response)
    assert counts() == before


# --- Gaps ----------------------------------------------------------------------------------------------


def test_the_case_page_lists_gaps(world, browser_as, persona):
    pn = persona("pn.casemanager")
    case = actions.do_update_case(world.case, version=1, phase="pre_release", acting_user=pn)
    actions.do_end_membership(case, organisation=org("municipality-harbour"), acting_user=pn)
    actions.do_add_member(case, organisation=org("mental-health"), responsible=None, acting_user=pn)
    actions.do_end_custody_episode(case, episode_id=world.episode.pk, ended_on=TODAY(), acting_user=pn)
    client = browser_as("pn.casemanager")
    assert f'hx-get="/cases/{world.case.pk}/parts/gaps/"' in main(client.get(case_url(world)))
    page = part(client, world, "gaps")
    assert "Gaps to fill" in page
    assert "Forensic Mental Health Service has no responsible practitioner." in page
    assert "No municipality in the team" in page
    assert "No current custody episode is recorded" in page
    page = part(browser_as("mentor.one"), world, "gaps")
    assert "No municipality in the team" in page and "No current custody episode" not in page


# --- The home page -------------------------------------------------------------------------------------


def test_the_home_page_shows_my_cases_deadlines_and_hand_overs_waiting(world, browser_as, persona):
    pn = persona("pn.casemanager")
    actions.do_add_release_condition(
        world.case, condition_type="curfew", valid_from=ago(10), valid_until=ago(-20), acting_user=pn
    )
    hand_over(world, browser_as)
    page = main(browser_as("prob.officer2").get("/"))
    assert "My cases" in page and world.case.number in page
    assert "Hand-overs waiting for you" in page and "handed over by Sanne Jacobs" in page
    assert "Earliest release" in page  # within six months
    assert "Curfew ends" in page
    page = main(browser_as("prob.officer").get("/"))
    assert world.case.number not in page.split("Deadlines")[0]  # no longer responsible
    assert "Hand-overs waiting for you" not in page


def test_the_coordinator_dashboard_lists_gaps_across_the_organisations_cases(world, browser_as, persona):
    pn = persona("pn.casemanager")
    actions.do_add_member(world.case, organisation=org("municipality-harbour"), responsible=None, acting_user=pn)
    page = main(browser_as("muni.coordinator").get("/"))
    assert "Gaps across your organisation's cases" in page
    assert "Harbour Municipality has no responsible practitioner." in page
    # A practitioner of another organisation sees the gaps about its own organisation and its own cases.
    page = main(browser_as("police.liaison").get("/"))
    assert "Gaps for my organisation and my cases" in page
    assert "Harbour Municipality has no responsible practitioner." in page  # police.liaison is responsible
    page = main(browser_as("mh.clinician").get("/"))
    assert "Harbour Municipality has no responsible practitioner." in page  # ... and so is mh.clinician


def test_practitioners_see_only_their_own_organisations_gaps_on_cases_they_do_not_hold(world, browser_as, persona):
    pn = persona("pn.casemanager")
    actions.do_add_member(world.case, organisation=org("probation"), responsible=None, acting_user=pn)
    page = main(browser_as("prob.officer2").get("/"))
    assert "Probation Service has no responsible practitioner." in page
    actions.do_add_member(
        world.case, organisation=org("probation"), responsible=persona("prob.officer"), acting_user=pn
    )
    actions.do_add_member(world.case, organisation=org("exit-ngo"), responsible=None, acting_user=pn)
    page = main(browser_as("prob.officer2").get("/"))
    assert "Exit Programme has no responsible practitioner." not in page


@pytest.mark.parametrize("username", NO_CASE_CONTENT)
def test_those_who_see_no_case_content_get_no_dashboard(world, browser_as, username):
    page = main(browser_as(username).get("/"))
    assert "My cases" not in page and "Gaps" not in page and "Deadlines" not in page


def test_the_home_page_query_count_does_not_grow_with_the_cases(world, browser_as, persona):
    client = browser_as("pn.casemanager")
    pn = persona("pn.casemanager")

    def another_case(i):
        person = Person.objects.create(
            given_name=f"Other{i}", family_name="Person", created_by=pn, created_org=pn.organisation
        )
        other = actions.do_open_case(
            person=person, lead_organisation=pn.organisation, phase="pre_release", acting_user=pn
        )
        actions.do_record_sentence(other, imposed_on=ago(100), starts_on=ago(100), ends_on=ago(-30 - i), acting_user=pn)
        actions.do_add_member(other, organisation=org("police"), responsible=None, acting_user=pn)

    # One case of each kind first, so that every section asks its questions in both measurements.
    another_case(0)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(1, 5):
        another_case(i)
    with CaptureQueriesContext(connection) as many:
        page = main(client.get("/"))
    assert page.count("Police Liaison Unit has no responsible practitioner.") == 5
    assert len(many) == len(few)


# --- The person's timeline ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", MEMBERS)
def test_members_read_the_timeline_of_what_they_may_see(world, browser_as, username):
    response = browser_as(username).get(f"/persons/{world.person.pk}/timeline/")
    assert response.status_code == 200
    page = main(response)
    assert "Case " in page and "opened" in page
    # In this world the organisations that read risk assessments are those that read legal records.
    assert ("Risk assessment at intake" in page) == (username in LEGAL_READERS)
    assert ("Sentence imposed" in page) == (username in LEGAL_READERS)
    assert ("Exit conversation" in page) == (username in ("exit.worker", "family.counsellor"))  # counselling


def test_the_timeline_after_a_transfer_shows_the_whole_history_to_prison_south(world, browser_as, persona):
    actions.do_transfer(
        world.case,
        to_facility=org("prison-south"),
        transferred_on=TODAY(),
        unit_type="regular",
        acting_user=persona("pn.casemanager"),
    )
    page = main(browser_as("ps.casemanager").get(f"/persons/{world.person.pk}/timeline/"))
    order = [
        "Custody started at Prison North, evaluation unit",
        "Risk assessment at intake",
        "Transferred from Prison North to Prison South",
        "Prison North left the team",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    newest = main(browser_as("ps.casemanager").get(f"/persons/{world.person.pk}/timeline/?order=newest"))
    assert newest.index("Prison North left the team") < newest.index("Risk assessment at intake")
    # Prison North, no longer a member, sees only what it wrote.
    page = main(browser_as("pn.casemanager").get(f"/persons/{world.person.pk}/timeline/"))
    assert "Risk assessment at intake" in page and "Probation plan drafted" not in page
    assert "only what it wrote itself" in page


@pytest.mark.parametrize("username", ["ps.casemanager"])
def test_the_timeline_of_a_person_without_a_shared_case_is_not_found(world, browser_as, username):
    assert browser_as(username).get(f"/persons/{world.person.pk}/timeline/").status_code == 404


@pytest.mark.parametrize("username", NO_CASE_CONTENT)
def test_the_timeline_is_forbidden_to_those_who_see_no_case_content(world, browser_as, username):
    assert browser_as(username).get(f"/persons/{world.person.pk}/timeline/").status_code == 403


def test_the_timeline_page_and_case_page_query_counts_do_not_grow(world, browser_as, persona):
    client = browser_as("prob.officer")
    timeline = f"/persons/{world.person.pk}/timeline/"
    client.get(timeline)
    client.get(case_url(world))
    custody(client, world)
    with CaptureQueriesContext(connection) as few_timeline:
        client.get(timeline)
    with CaptureQueriesContext(connection) as few_case:
        client.get(case_url(world))
    with CaptureQueriesContext(connection) as few_custody:
        custody(client, world)
    pn = persona("pn.casemanager")
    for i in range(12):
        actions.do_add_release_condition(world.case, condition_type="reporting", valid_from=ago(i), acting_user=pn)
        actions.do_record_sentence(world.case, imposed_on=ago(i), starts_on=ago(i), ends_on=ago(-10), acting_user=pn)
    for unit in ["regular", "dispersal", "specialised_wing"]:
        actions.do_transfer(
            Case.objects.get(pk=world.case.pk),
            to_facility=org("prison-north"),
            transferred_on=TODAY(),
            unit_type=unit,
            acting_user=pn,
        )
    actions.do_update_case(Case.objects.get(pk=world.case.pk), version=1, phase="pre_release", acting_user=pn)
    actions.do_handover(world.case, to_user=persona("prob.officer2"), note="Over.", acting_user=persona("prob.officer"))
    with CaptureQueriesContext(connection) as many_timeline:
        client.get(timeline)
    with CaptureQueriesContext(connection) as many_case:
        client.get(case_url(world))
    with CaptureQueriesContext(connection) as many_custody:
        page = custody(client, world)
    assert page.count("Reporting") == 12  # the conditions are all there
    assert len(many_timeline) == len(few_timeline)
    assert len(many_case) <= len(few_case)  # one fewer: prob.officer is no longer the responsible one
    assert len(many_custody) == len(few_custody)
    assert len(many_case) <= 30 and len(many_custody) <= 30


def test_the_case_page_loads_its_custody_assessments_plan_and_conferences_as_parts(world, browser_as):
    """The domain sections load after the page (htmx), each a bounded request of its own; without
    JavaScript each link opens the part as a page. A part is the case's: 404 for a case one may not see."""
    client = browser_as("prob.officer")
    page = client.get(case_url(world)).content.decode()
    parts = [
        ("custody", "Custody"),
        ("consent", "Consent"),
        ("assessments", "Assessments"),
        ("plan", "Plan"),
        ("conferences", "Conferences"),
    ]
    for part, heading in parts:
        url = f"/cases/{world.case.pk}/parts/{part}/"
        assert f'hx-get="{url}"' in page and f'<a href="{url}">' in page
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            fragment = client.get(url, HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200 and len(queries) <= 30
        assert "<html" not in fragment.content.decode() and "<h2" in fragment.content.decode()
        whole = client.get(url).content.decode()
        assert "<html" in whole and f"Back to case {world.case.number}" in whole and heading in whole
    assert client.get(f"/cases/{world.case.pk}/parts/journal/").status_code == 404
    for outsider in OUTSIDERS:
        for part in [*(name for name, _ in parts), "gaps"]:
            assert browser_as(outsider).get(f"/cases/{world.case.pk}/parts/{part}/").status_code == 404


def test_the_dashboard_timeline_and_case_pages_are_not_cached(world, browser_as):
    client = browser_as("prob.officer")
    for url in ["/", f"/persons/{world.person.pk}/timeline/", case_url(world)]:
        assert "no-store" in client.get(url)["Cache-Control"]


# --- The demo world ---------------------------------------------------------------------------------


def test_the_demo_shows_custody_a_move_a_sentence_release_conditions_and_a_hand_over(demo_world):
    from continuum.cases import demo as case_demo

    case_demo.seed()
    before = counts()
    case_demo.seed()  # idempotent
    assert counts() == before

    amira = Case.objects.get(person__given_name="Amira", person__family_name="Benali")
    episodes = list(CustodyEpisode.objects.filter(case=amira).order_by("started_on"))
    assert [(e.facility.slug, e.unit_type, e.ended_on is None) for e in episodes] == [
        ("prison-north", "maternity_unit", False),
        ("prison-north", "specialised_wing", True),
    ]
    assert Transfer.objects.get(case=amira).within_facility

    yusuf = Case.objects.get(person__given_name="Yusuf", person__family_name="Demir")
    assert CustodyEpisode.objects.get(case=yusuf, ended_on__isnull=True).facility.slug == "prison-south"
    release = Sentence.objects.get(case=yusuf).release_on
    assert TODAY() < release <= TODAY() + timedelta(days=153)  # within five months

    daniel = Case.objects.get(person__given_name="Daniel", person__family_name="Kovac")
    assert set(ReleaseCondition.objects.filter(case=daniel).values_list("condition_type", flat=True)) == {
        "electronic_monitoring",
        "curfew",
        "reporting",
    }
    assert daniel.phase == "probation"  # a past custody episode does not bring him back to custody

    handover = Handover.objects.get(case__person__given_name="Sofia")
    assert (handover.from_user.username, handover.to_user.username) == ("prob.officer", "prob.officer2")
