"""Case continuity through the API (issue 4; API.md "Persons and cases": transfers).

Custody episodes, transfers between prisons, re-entry, sentences, release conditions, legal status
changes, phase history, hand-overs, gaps and the person's timeline, for who may and who may not,
across organisation types, with the demo world's personas. The sharing engine is never mocked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from continuum.accounts.models import User
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases import actions
from continuum.cases.models import (
    Case,
    CaseMember,
    CustodyEpisode,
    Entry,
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
    ENTRIES,
    LEGAL_READERS,
    MANAGERS,
    MEMBERS,
    MEMBERS_NOT_MANAGING,
    OUTSIDERS,
    PRISON_NORTH_WROTE,
    PRISON_READS,
    ContinuityWorld,
    ago,
    build,
    org,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}
RANDOM_ID = "0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01"


@pytest.fixture
def world(persona) -> ContinuityWorld:
    return build(persona)


def transfer_payload(**changes):
    return {
        "to_facility": "prison-south",
        "date": timezone.localdate().isoformat(),
        "unit_type": "specialised_wing",
        "handover_note": "Engaged in the evaluation; prefers morning appointments.",
        **changes,
    }


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def world_counts() -> tuple[int, ...]:
    return (
        Transfer.objects.count(),
        CustodyEpisode.objects.count(),
        CustodyEpisode.objects.filter(ended_on__isnull=True).count(),
        CaseMember.objects.filter(until__isnull=True).count(),
        Case.objects.count(),
        Sentence.objects.count(),
        ReleaseCondition.objects.count(),
        Handover.objects.count(),
        LegalStatusChange.objects.count(),
        PhaseChange.objects.count(),
    )


# --- The acceptance test: a transfer loses nothing ---------------------------------------------------------


def test_a_transfer_gives_prison_south_the_history_and_leaves_prison_north_only_its_own(api_as, world):
    """Issue 4's acceptance test. Assessments do not exist yet: journal entries of category
    ``risk_assessment`` written by Prison North's psychologist (pn.psychologist) stand in for them."""
    url = f"/api/v1/cases/{world.case.pk}/"
    assert api_as("ps.casemanager").get(url).status_code == 404

    response = api_as("pn.casemanager").post(f"{url}transfers/", transfer_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["from_facility"] == "prison-north" and body["to_facility"] == "prison-south"
    assert body["date"] == timezone.localdate().isoformat() and body["unit_type"] == "specialised_wing"
    assert body["handover_note"].startswith("Engaged") and body["visibility"]["basis"] == "author"

    # Prison South is in the team (nobody responsible yet) and leads; Prison North has left.
    south = api_as("ps.casemanager")
    case = south.get(url).json()
    team = {m["organisation"]: m["responsible"] for m in case["members"]}
    assert team["prison-south"] is None and "prison-north" not in team
    assert case["lead_organisation"] == "prison-south"

    # Prison South reads the earlier assessments and journal per the matrix: nothing starts over.
    entries = {e["title"]: e for e in results(south.get(f"{url}entries/?page_size=100"))}
    assert set(entries) == {title for key, (_a, _c, title) in ENTRIES.items() if key in PRISON_READS}
    assert entries["Risk assessment at intake"]["author"] == "pn.psychologist"
    assert entries["Risk assessment at intake"]["visibility"]["explanation"] == "matrix: prison reads risk assessment"
    assert Disclosure.objects.filter(viewer__username="ps.casemanager", record_id=world.entries["risk_1"].pk).exists()

    # The custody history moved on without losing the first episode.
    episodes = results(south.get(f"{url}custody-episodes/"))
    assert [(e["facility"], e["ended_on"] is None) for e in episodes] == [
        ("prison-south", True),
        ("prison-north", False),
    ]

    # Prison North keeps only what it wrote (R1, R0).
    north = api_as("pn.casemanager")
    assert north.get(url).json() == NOT_FOUND
    assert north.get(f"{url}entries/").status_code == 404
    for key, entry in world.entries.items():
        status = north.get(f"/api/v1/entries/{entry.pk}/").status_code
        assert status == (200 if key in PRISON_NORTH_WROTE else 404), key
    north_timeline = results(north.get(f"/api/v1/persons/{world.person.pk}/timeline/?page_size=200"))
    authors = {e["organisation"] for e in north_timeline}
    assert authors == {"prison-north"}
    assert "Probation plan drafted" not in {e["label"] for e in north_timeline}

    # The timeline shows the whole history to Prison South.
    timeline = results(south.get(f"/api/v1/persons/{world.person.pk}/timeline/?page_size=200"))
    kinds = [e["kind"] for e in timeline]
    for kind in ["case_opened", "custody_episode", "sentence", "transfer", "entry", "member_joined", "member_left"]:
        assert kind in kinds, kind
    labels = [e["label"] for e in timeline]
    assert "Risk assessment at intake" in labels and "Exit conversation" not in labels
    assert "Prison North left the team" in labels and "Prison South joined the team" in labels
    assert labels.index("Risk assessment at intake") < labels.index("Transferred from Prison North to Prison South")


def test_a_transfer_shows_the_receiving_prison_as_a_gap_until_someone_is_named(api_as, persona, world):
    api_as("pn.casemanager").post(f"/api/v1/cases/{world.case.pk}/transfers/", transfer_payload(), format="json")
    gaps = results(api_as("ps.casemanager").get(f"/api/v1/cases/{world.case.pk}/gaps/"))
    assert {"case": str(world.case.pk), "kind": "no_responsible", "organisation": "prison-south"}.items() <= gaps[
        0
    ].items()
    actions.do_add_member(
        world.fresh_case(),
        organisation=org("prison-south"),
        responsible=persona("ps.casemanager"),
        acting_user=persona("ps.casemanager"),
    )
    assert results(api_as("ps.casemanager").get(f"/api/v1/cases/{world.case.pk}/gaps/")) == []


def test_a_move_within_the_same_prison_keeps_the_team(api_as, world):
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/transfers/",
        transfer_payload(to_facility="prison-north", unit_type="specialised_wing"),
        format="json",
    )
    assert response.status_code == 201
    assert CaseMember.objects.filter(case=world.case, organisation__slug="prison-north", until__isnull=True).exists()
    assert not CaseMember.objects.filter(case=world.case, organisation__slug="prison-south").exists()
    current = CustodyEpisode.objects.get(case=world.case, ended_on__isnull=True)
    assert (current.facility.slug, current.unit_type) == ("prison-north", "specialised_wing")


@pytest.mark.parametrize("username", MANAGERS)
def test_managers_record_transfers(api_as, world, username):
    response = api_as(username).post(f"/api/v1/cases/{world.case.pk}/transfers/", transfer_payload(), format="json")
    assert response.status_code == 201
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="transfer").exists()


def test_the_prison_holding_the_person_transfers_out_of_a_case_it_does_not_lead(api_as, persona):
    probation = persona("prob.officer")
    person = Person.objects.create(
        given_name="Held",
        family_name="Elsewhere",
        created_by=probation,
        created_org=probation.organisation,
    )
    case = actions.do_open_case(
        person=person, lead_organisation=probation.organisation, phase="custody", acting_user=probation
    )
    actions.do_start_custody_episode(
        case, facility=org("prison-north"), started_on=ago(30), acting_user=probation
    )  # the prison joins the team
    police = persona("police.liaison")
    actions.do_add_member(case, organisation=police.organisation, acting_user=probation)
    assert (
        api_as("police.liaison")
        .post(f"/api/v1/cases/{case.pk}/transfers/", transfer_payload(), format="json")
        .status_code
        == 403
    )
    assert (
        api_as("pn.psychologist")
        .post(f"/api/v1/cases/{case.pk}/transfers/", transfer_payload(), format="json")
        .status_code
        == 403
    )  # a member of the holding prison, but not its case manager
    response = api_as("pn.casemanager").post(f"/api/v1/cases/{case.pk}/transfers/", transfer_payload(), format="json")
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.lead_organisation.slug == "probation"  # the lead stays with probation
    team = set(CaseMember.objects.filter(case=case, until__isnull=True).values_list("organisation__slug", flat=True))
    assert team == {"probation", "prison-south", "police"}


@pytest.mark.parametrize("username", MEMBERS_NOT_MANAGING)
def test_members_who_do_not_manage_the_case_may_not_transfer(api_as, world, username):
    before = world_counts()
    response = api_as(username).post(
        f"/api/v1/cases/{world.case.pk}/transfers/", transfer_payload(to_facility="nowhere"), format="json"
    )
    assert response.status_code == 403  # refused before the input is looked at
    assert world_counts() == before


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_cannot_transfer_or_learn_that_the_case_exists(api_as, world, username):
    client = api_as(username)
    hidden = client.post(f"/api/v1/cases/{world.case.pk}/transfers/", transfer_payload(), format="json")
    random = client.post(f"/api/v1/cases/{RANDOM_ID}/transfers/", transfer_payload(), format="json")
    assert hidden.status_code == random.status_code == 404
    assert hidden.json() == random.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_facility": "probation"}, "to_facility"),
        ({"to_facility": "no-such-prison"}, "to_facility"),
        ({"date": "yesterday"}, "date"),
        ({"date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "date"),
        ({"date": ago(300).isoformat()}, "date"),  # before the current custody episode began
        ({"unit_type": "penthouse"}, "unit_type"),
        ({"to_facility": "prison-north", "unit_type": "evaluation_unit"}, "to_facility"),  # where she is
    ],
)
def test_bad_transfers_are_400_and_change_nothing(api_as, world, payload, field):
    before = world_counts()
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/transfers/", transfer_payload(**payload), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert world_counts() == before
    assert world.fresh_case().lead_organisation.slug == "prison-north"


def test_a_person_not_in_custody_cannot_be_transferred(api_as, persona, world):
    actions.do_update_case(
        world.case, version=world.case.version, phase="community", acting_user=persona("pn.casemanager")
    )
    before = world_counts()
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/transfers/", transfer_payload(), format="json"
    )
    assert response.status_code == 400 and "custody" in response.json()["detail"]
    assert world_counts() == before


@pytest.mark.parametrize("username", MEMBERS)
def test_members_list_transfers_per_the_matrix(api_as, persona, world, username):
    actions.do_transfer(
        world.case,
        to_facility=org("prison-north"),
        transferred_on=timezone.localdate(),
        unit_type="regular",
        acting_user=persona("pn.casemanager"),
    )
    rows = results(api_as(username).get(f"/api/v1/cases/{world.case.pk}/transfers/"))
    assert len(rows) == (1 if username in LEGAL_READERS else 0)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_list_nothing_of_the_continuity(api_as, world, username):
    client = api_as(username)
    for path in [
        "transfers",
        "custody-episodes",
        "sentences",
        "release-conditions",
        "legal-status-changes",
        "handovers",
        "phase-changes",
        "gaps",
    ]:
        response = client.get(f"/api/v1/cases/{world.case.pk}/{path}/")
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND
    assert client.get(f"/api/v1/persons/{world.person.pk}/timeline/").status_code == 404


def test_no_credentials_is_401(world):
    assert APIClient().get(f"/api/v1/cases/{world.case.pk}/transfers/").status_code == 401
    assert APIClient().get(f"/api/v1/persons/{world.person.pk}/timeline/").status_code == 401


# --- Custody episodes and re-entry --------------------------------------------------------------------------


@pytest.mark.parametrize("username", MEMBERS)
def test_custody_episodes_are_read_by_those_who_read_legal_records(api_as, world, username):
    rows = results(api_as(username).get(f"/api/v1/cases/{world.case.pk}/custody-episodes/"))
    if username in LEGAL_READERS:
        assert [(r["facility"], r["unit_type"]) for r in rows] == [("prison-north", "evaluation_unit")]
        assert rows[0]["visibility"]["basis"] in {"author", "matrix"}
    else:
        assert rows == []


def test_child_welfare_reads_the_custody_history_only_after_the_trial(api_as, persona, world):
    assert results(api_as("cw.worker").get(f"/api/v1/cases/{world.case.pk}/custody-episodes/")) == []
    actions.do_update_case(
        world.case, version=world.case.version, trial_concluded_on=ago(1), acting_user=persona("pn.casemanager")
    )
    assert len(results(api_as("cw.worker").get(f"/api/v1/cases/{world.case.pk}/custody-episodes/"))) == 1


def test_re_entry_into_prison_joins_the_existing_case(api_as, persona, world):
    pn = persona("pn.casemanager")
    actions.do_end_custody_episode(world.case, episode_id=world.episode.pk, ended_on=ago(10), acting_user=pn)
    case = actions.do_update_case(world.case, version=world.case.version, phase="probation", acting_user=pn)
    cases_before = Case.objects.filter(person=world.person).count()

    response = api_as("cp.coordinator").post(
        f"/api/v1/cases/{case.pk}/custody-episodes/",
        {"facility": "prison-south", "unit_type": "regular", "started_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Case.objects.filter(person=world.person).count() == cases_before
    case.refresh_from_db()
    assert case.phase == "custody"
    last = PhaseChange.objects.filter(case=case).latest("changed_at")
    assert (last.from_phase, last.to_phase, last.changed_by.username) == ("probation", "custody", "cp.coordinator")
    assert "Prison South" in last.note
    assert CaseMember.objects.filter(case=case, organisation__slug="prison-south", until__isnull=True).exists()
    episodes = results(api_as("pn.casemanager").get(f"/api/v1/cases/{case.pk}/custody-episodes/"))
    assert [e["facility"] for e in episodes] == ["prison-south", "prison-north"]


def test_a_second_current_episode_is_refused(api_as, world):
    before = world_counts()
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/custody-episodes/",
        {"facility": "prison-south", "started_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "transfer" in response.json()["facility"][0]
    assert world_counts() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"facility": "police"}, "facility"),
        ({"facility": "nowhere"}, "facility"),
        ({"started_on": "soon"}, "started_on"),
        ({"unit_type": "attic"}, "unit_type"),
    ],
)
def test_bad_custody_episodes_are_400(api_as, persona, world, payload, field):
    actions.do_end_custody_episode(
        world.case, episode_id=world.episode.pk, ended_on=ago(1), acting_user=persona("pn.casemanager")
    )
    before = world_counts()
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/custody-episodes/",
        {"facility": "prison-south", "started_on": timezone.localdate().isoformat(), **payload},
        format="json",
    )
    assert response.status_code == 400 and field in response.json()
    assert world_counts() == before


def test_ending_custody_by_the_holding_prison_and_not_by_others(api_as, world):
    url = f"/api/v1/cases/{world.case.pk}/custody-episodes/{world.episode.pk}/end/"
    today = timezone.localdate().isoformat()
    assert api_as("police.liaison").post(url, {"ended_on": today}, format="json").status_code == 403
    assert api_as("ps.casemanager").post(url, {"ended_on": today}, format="json").status_code == 404
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert api_as("pn.casemanager").post(url, {"ended_on": future}, format="json").status_code == 400
    response = api_as("pn.casemanager").post(url, {"ended_on": today}, format="json")
    assert response.status_code == 200 and response.json()["ended_on"] == today
    again = api_as("pn.casemanager").post(url, {"ended_on": today}, format="json")
    assert again.status_code == 400 and "ended already" in again.json()["episode"][0]


@pytest.mark.parametrize("username", MEMBERS_NOT_MANAGING)
def test_members_who_do_not_manage_the_case_record_no_custody_sentence_conditions_or_status(api_as, world, username):
    client = api_as(username)
    base = f"/api/v1/cases/{world.case.pk}"
    before = world_counts()
    assert client.post(f"{base}/custody-episodes/", {}, format="json").status_code == 403
    assert client.post(f"{base}/sentences/", {}, format="json").status_code == 403
    assert client.post(f"{base}/release-conditions/", {}, format="json").status_code == 403
    assert client.post(f"{base}/legal-status-changes/", {}, format="json").status_code == 403
    assert world_counts() == before


# --- Sentence and release conditions ---------------------------------------------------------------------


@pytest.mark.parametrize("username", MANAGERS)
def test_managers_record_sentences_and_release_conditions(api_as, world, username):
    client = api_as(username)
    sentence = client.post(
        f"/api/v1/cases/{world.case.pk}/sentences/",
        {
            "imposed_on": "2024-01-10",
            "starts_on": "2023-11-01",
            "ends_on": "2029-11-01",
            "earliest_release_on": "2027-07-01",
        },
        format="json",
    )
    assert sentence.status_code == 201, sentence.json()
    assert sentence.json()["earliest_release_on"] == "2027-07-01" and sentence.json()["category"] == "legal"
    condition = client.post(
        f"/api/v1/cases/{world.case.pk}/release-conditions/",
        {"type": "curfew", "details": "22:00 to 06:00", "valid_from": "2027-07-01", "valid_until": "2028-01-01"},
        format="json",
    )
    assert condition.status_code == 201, condition.json()
    assert condition.json()["type"] == "curfew" and condition.json()["author"] == username


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"ends_on": "2023-01-01"}, "ends_on"),
        ({"earliest_release_on": "2031-01-01"}, "earliest_release_on"),
        ({"imposed_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "imposed_on"),
        ({"starts_on": "first of May"}, "starts_on"),
    ],
)
def test_bad_sentences_are_400(api_as, world, payload, field):
    before = world_counts()
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/sentences/",
        {"imposed_on": "2024-01-10", "starts_on": "2024-01-10", "ends_on": "2029-11-01", **payload},
        format="json",
    )
    assert response.status_code == 400 and field in response.json()
    assert world_counts() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "house_arrest"}, "type"),
        ({"valid_until": "2020-01-01"}, "valid_until"),
        ({"valid_from": ""}, "valid_from"),
    ],
)
def test_bad_release_conditions_are_400(api_as, world, payload, field):
    before = world_counts()
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/release-conditions/",
        {"type": "reporting", "valid_from": "2027-01-01", **payload},
        format="json",
    )
    assert response.status_code == 400 and field in response.json()
    assert world_counts() == before


@pytest.mark.parametrize("username", MEMBERS)
def test_sentences_are_read_per_the_matrix(api_as, world, username):
    rows = results(api_as(username).get(f"/api/v1/cases/{world.case.pk}/sentences/"))
    assert len(rows) == (1 if username in LEGAL_READERS else 0)


# --- Legal status ------------------------------------------------------------------------------------------


def test_a_deportation_order_changes_the_status_and_is_kept_in_the_history(api_as, world):
    response = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/legal-status-changes/",
        {"legal_status": "deportation_order", "note": "Order served; appeal pending."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["from_status"], body["to_status"]) == ("citizen", "deportation_order")
    assert Person.objects.get(pk=world.person.pk).legal_status == "deportation_order"
    assert api_as("prob.officer").get(f"/api/v1/persons/{world.person.pk}/").json()["legal_status"] == (
        "deportation_order"
    )
    assert len(results(api_as("prob.officer").get(f"/api/v1/cases/{world.case.pk}/legal-status-changes/"))) == 1
    assert results(api_as("mentor.one").get(f"/api/v1/cases/{world.case.pk}/legal-status-changes/")) == []
    again = api_as("pn.casemanager").post(
        f"/api/v1/cases/{world.case.pk}/legal-status-changes/", {"legal_status": "deportation_order"}, format="json"
    )
    assert again.status_code == 400 and "legal_status" in again.json()
    assert LegalStatusChange.objects.count() == 1


# --- Phase history ----------------------------------------------------------------------------------------


def test_every_change_of_phase_is_kept_with_who_and_why(api_as, world):
    client = api_as("pn.casemanager")
    url = f"/api/v1/cases/{world.case.pk}/"
    client.patch(url, {"version": 1, "phase": "pre_release", "phase_note": "Release in four months."}, format="json")
    client.patch(url, {"version": 2, "trial_concluded_on": "2024-01-01"}, format="json")  # not a phase change
    response = api_as("cp.coordinator").patch(url, {"version": 3, "phase": "probation"}, format="json")
    assert response.status_code == 200
    rows = results(api_as("police.liaison").get(f"{url}phase-changes/"))
    assert [(r["from_phase"], r["to_phase"], r["changed_by"], r["changed_organisation"]) for r in rows] == [
        ("custody", "pre_release", "pn.casemanager", "prison-north"),
        ("pre_release", "probation", "cp.coordinator", "central-point"),
    ]
    assert rows[0]["note"] == "Release in four months." and rows[0]["changed_at"]


def test_a_stale_phase_change_writes_no_history(api_as, world):
    response = api_as("pn.casemanager").patch(
        f"/api/v1/cases/{world.case.pk}/", {"version": 7, "phase": "pre_release"}, format="json"
    )
    assert response.status_code == 409
    assert not PhaseChange.objects.filter(case=world.case).exists()


@pytest.mark.parametrize("username", MEMBERS)
def test_every_member_reads_the_phase_history(api_as, persona, world, username):
    actions.do_update_case(world.case, version=1, phase="pre_release", acting_user=persona("pn.casemanager"))
    assert len(results(api_as(username).get(f"/api/v1/cases/{world.case.pk}/phase-changes/"))) == 1


# --- Hand-overs -----------------------------------------------------------------------------------------


def test_the_responsible_practitioner_hands_over_to_a_colleague(api_as, persona, world):
    response = api_as("prob.officer").post(
        f"/api/v1/cases/{world.case.pk}/handovers/",
        {"to_user": "prob.officer2", "note": "Reporting on Mondays; she trusts the exit worker."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["organisation"], body["from_user"], body["to_user"], body["category"]) == (
        "probation",
        "prob.officer",
        "prob.officer2",
        "plan",
    )
    assert body["acknowledged_at"] is None
    member = CaseMember.objects.get(case=world.case, organisation__slug="probation", until__isnull=True)
    assert member.responsible.username == "prob.officer2"
    # The note is a plan record, shared like one: the police read plans; mentoring reads identity only (R8).
    assert len(results(api_as("police.liaison").get(f"/api/v1/cases/{world.case.pk}/handovers/"))) == 1
    assert results(api_as("mentor.one").get(f"/api/v1/cases/{world.case.pk}/handovers/")) == []

    # Only the new practitioner acknowledges it.
    ack = f"/api/v1/handovers/{body['id']}/acknowledge/"
    assert api_as("prob.officer").post(ack).status_code == 403
    assert api_as("mentor.one").post(ack).status_code == 404
    assert api_as("ps.casemanager").post(ack).status_code == 404
    response = api_as("prob.officer2").post(ack)
    assert response.status_code == 200 and response.json()["acknowledged_at"]


def test_a_handover_note_may_use_a_category_the_author_writes_and_no_other(api_as, world):
    client = api_as("prob.officer")
    url = f"/api/v1/cases/{world.case.pk}/handovers/"
    refused = client.post(url, {"to_user": "prob.officer2", "note": "x", "category": "counselling"}, format="json")
    assert refused.status_code == 403
    accepted = client.post(
        url, {"to_user": "prob.officer2", "note": "Risk: see review.", "category": "risk_assessment"}, format="json"
    )
    assert accepted.status_code == 201 and accepted.json()["category"] == "risk_assessment"
    # Shared as a risk assessment: the police read it (matrix), family counselling does not.
    assert len(results(api_as("police.liaison").get(url))) == 1
    assert results(api_as("family.counsellor").get(url)) == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_user": "pn.psychologist"}, "to_user"),  # another organisation
        ({"to_user": "prob.officer"}, "to_user"),  # responsible already
        ({"to_user": "nobody"}, "to_user"),
        ({"note": ""}, "note"),
        ({"category": "gossip"}, "category"),
    ],
)
def test_bad_handovers_are_400_and_change_nothing(api_as, world, payload, field):
    before = world_counts()
    response = api_as("prob.officer").post(
        f"/api/v1/cases/{world.case.pk}/handovers/",
        {"to_user": "prob.officer2", "note": "Handing over.", **payload},
        format="json",
    )
    assert response.status_code == 400 and field in response.json()
    assert world_counts() == before
    assert (
        CaseMember.objects.get(case=world.case, organisation__slug="probation", until__isnull=True).responsible.username
        == "prob.officer"
    )


@pytest.mark.parametrize("username", ["pn.psychologist", "mentor.one"])
def test_members_who_may_not_hand_over_get_403(api_as, world, username):
    """The psychologist is neither responsible nor a case manager; the mentoring organisation writes nothing."""
    colleague = {"pn.psychologist": "pn.security", "mentor.one": "mentor.one"}[username]
    before = world_counts()
    response = api_as(username).post(
        f"/api/v1/cases/{world.case.pk}/handovers/", {"to_user": colleague, "note": "Over to you."}, format="json"
    )
    assert response.status_code == 403
    assert world_counts() == before


def test_a_case_manager_hands_over_for_a_colleague_who_left(api_as, persona, world):
    """Staff turnover: probation's other case manager takes over the case that prob.officer held."""
    response = api_as("prob.officer2").post(
        f"/api/v1/cases/{world.case.pk}/handovers/",
        {"to_user": "prob.officer2", "note": "Sanne has left; I take over."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["from_user"] == "prob.officer" and response.json()["author"] == "prob.officer2"


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_cannot_hand_over(api_as, world, username):
    response = api_as(username).post(
        f"/api/v1/cases/{world.case.pk}/handovers/", {"to_user": "prob.officer2", "note": "x"}, format="json"
    )
    assert response.status_code == 404 and response.json() == NOT_FOUND


# --- Gaps ------------------------------------------------------------------------------------------------


def test_gaps_of_a_pre_release_case_without_probation_and_municipality(api_as, persona, world):
    pn = persona("pn.casemanager")
    case = actions.do_update_case(world.case, version=1, phase="pre_release", acting_user=pn)
    actions.do_end_membership(case, organisation=org("probation"), acting_user=pn)
    actions.do_end_membership(case, organisation=org("municipality-harbour"), acting_user=pn)
    actions.do_add_member(case, organisation=org("exit-ngo"), responsible=None, acting_user=pn)
    actions.do_end_custody_episode(case, episode_id=world.episode.pk, ended_on=ago(0), acting_user=pn)
    gaps = results(api_as("pn.casemanager").get(f"/api/v1/cases/{case.pk}/gaps/"))
    kinds = sorted((g["kind"], g["organisation"]) for g in gaps)
    assert kinds == [
        ("missing_member", None),
        ("missing_member", None),
        ("no_custody_episode", None),
        ("no_release_plan", None),
        ("no_responsible", "exit-ngo"),
    ]
    messages = " ".join(g["message"] for g in gaps)
    assert "probation" in messages and "municipality" in messages
    # The family counsellor reads no legal records: the missing custody episode is not news for them (R12);
    # it reads the plan, so it learns that the release plan is missing.
    theirs = {g["kind"] for g in results(api_as("family.counsellor").get(f"/api/v1/cases/{case.pk}/gaps/"))}
    assert theirs == {"missing_member", "no_release_plan", "no_responsible"}
    # Once the release plan is begun, the gap is gone.
    from continuum.transition.actions import do_create_release_plan

    do_create_release_plan(case, expected_release_on=ago(-60), acting_user=pn)
    kinds_now = {g["kind"] for g in results(api_as("pn.casemanager").get(f"/api/v1/cases/{case.pk}/gaps/"))}
    assert "no_release_plan" not in kinds_now


# --- The timeline ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", [*MEMBERS, "family.counsellor"])
def test_the_timeline_shows_each_member_exactly_what_it_may_see(api_as, world, username):
    rows = results(api_as(username).get(f"/api/v1/persons/{world.person.pk}/timeline/?page_size=200"))
    user_entries = {e.title for e in Entry.objects.visible_to(_user(username)).filter(person=world.person)}
    shown = {r["label"] for r in rows if r["kind"] == "entry"}
    assert shown == user_entries
    sentences = [r for r in rows if r["kind"] == "sentence"]
    assert len(sentences) == (1 if username in LEGAL_READERS else 0)
    assert any(r["kind"] == "case_opened" for r in rows)  # every member sees the case's own events
    for row in rows:
        if row["record"]:
            assert row["visibility"]["basis"] in {"author", "matrix", "consent", "override"}
    whens = [r["when"][:10] for r in rows]
    assert whens == sorted(whens)


def _user(username):
    return User.objects.select_related("organisation").get(username=username)


def test_the_timeline_is_paginated_newest_first_on_request_and_logs_only_the_page(api_as, world):
    client = api_as("prob.officer")
    everything = results(client.get(f"/api/v1/persons/{world.person.pk}/timeline/?page_size=200"))
    before = Disclosure.objects.filter(viewer__username="prob.officer").count()
    body = client.get(f"/api/v1/persons/{world.person.pk}/timeline/?page_size=3&order=newest").json()
    assert body["count"] == len(everything) and len(body["results"]) == 3 and body["next"]
    assert [r["label"] for r in body["results"]] == [r["label"] for r in reversed(everything)][:3]
    logged = Disclosure.objects.filter(viewer__username="prob.officer").count() - before
    page_records = [r for r in body["results"] if r["record"] and r["organisation"] != "probation"]
    assert logged == len(page_records)


def test_the_timeline_query_count_does_not_grow_with_the_history(api_as, persona, world):
    client = api_as("pn.casemanager")
    url = f"/api/v1/persons/{world.person.pk}/timeline/?page_size=200"
    client.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    pn = persona("pn.casemanager")
    for i in range(15):
        actions.do_add_entry(world.case, category="daily_life", title=f"Note {i}", acting_user=pn)
        actions.do_add_release_condition(world.case, condition_type="reporting", valid_from=ago(-i), acting_user=pn)
    for i in range(3):
        actions.do_transfer(
            world.fresh_case(),
            to_facility=org("prison-north"),
            transferred_on=timezone.localdate(),
            unit_type=["regular", "dispersal", "specialised_wing"][i],
            acting_user=pn,
        )
    world.case.refresh_from_db()
    actions.do_update_case(world.case, version=world.case.version, phase="pre_release", acting_user=pn)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_person_without_a_shared_case_has_no_timeline(api_as, world):
    for username in OUTSIDERS:
        response = api_as(username).get(f"/api/v1/persons/{world.person.pk}/timeline/")
        assert response.status_code == 404 and response.json() == NOT_FOUND
    assert api_as("prob.officer").get(f"/api/v1/persons/{RANDOM_ID}/timeline/").status_code == 404


def test_the_schema_lists_the_continuity_endpoints(api_as):
    schema = api_as("prob.officer").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in [
        "/api/v1/cases/{case_id}/transfers/",
        "/api/v1/cases/{case_id}/custody-episodes/",
        "/api/v1/cases/{case_id}/sentences/",
        "/api/v1/cases/{case_id}/release-conditions/",
        "/api/v1/cases/{case_id}/handovers/",
        "/api/v1/handovers/{handover_id}/acknowledge/",
        "/api/v1/cases/{case_id}/phase-changes/",
        "/api/v1/cases/{case_id}/gaps/",
        "/api/v1/persons/{person_id}/timeline/",
    ]:
        assert path in schema["paths"], path
