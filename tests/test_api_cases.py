"""API.md, "Persons and cases" and "Case records": persons, cases, teams, journal, search (issue 3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Attachment, Case, CaseMember, Entry
from continuum.people import actions as people_actions
from continuum.people.models import Person
from continuum.sharing.models import Disclosure
from tests.api_world import AMIRA_ENTRIES, ATTACHMENT_TEXT, NOT_FOUND, OUTSIDERS, RANDOM_ID, World

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    return {item["title"] for item in response.json()["results"]}


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# --- persons ---------------------------------------------------------------------------------------------

PERSON = {
    "given_name": "Yusuf",
    "family_name": "Example",
    "birth_date": "1999-01-31",
    "gender": "male",
    "nationality": "NL",
}


class TestPersons:
    @pytest.mark.parametrize("username", ["pn.casemanager", "prob.officer", "cp.analyst", "muni.coordinator"])
    def test_case_openers_register_persons(self, api_as, username):
        response = api_as(username).post("/api/v1/persons/", {**PERSON, "legal_status": "resident"}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["reference"].startswith("P-") and body["legal_status"] == "resident"
        assert Person.objects.get(pk=body["id"]).created_by.username == username

    @pytest.mark.parametrize(
        "username",
        [
            "police.liaison",
            "exit.worker",
            "family.counsellor",
            "mh.clinician",
            "cw.worker",
            "mentor.one",
            "pn.psychologist",
            "evaluator",
            "dpo",
            "admin",
        ],
    )
    def test_other_roles_cannot_register_persons(self, api_as, username):
        before = Person.objects.count()
        response = api_as(username).post("/api/v1/persons/", PERSON, format="json")
        assert response.status_code == 403
        assert Person.objects.count() == before

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"family_name": ""}, "family_name"),
            ({"gender": "robot"}, "gender"),
            ({"birth_date": "31-01-1999"}, "birth_date"),
            ({"legal_status": "alien"}, "legal_status"),
        ],
    )
    def test_bad_person_input_is_400_and_writes_nothing(self, api_as, change, field):
        before = Person.objects.count()
        response = api_as("prob.officer").post("/api/v1/persons/", {**PERSON, **change}, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert Person.objects.count() == before

    @pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "mentor.one", "cw.worker"])
    def test_members_of_the_persons_case_read_the_person(self, api_as, world, username):
        response = api_as(username).get(f"/api/v1/persons/{world.amira.pk}/")
        assert response.status_code == 200
        assert response.json()["reference"] == world.amira.reference

    @pytest.mark.parametrize("username", [*OUTSIDERS, "police.liaison"])
    def test_person_without_a_shared_case_is_404_like_a_random_id(self, api_as, world, username):
        client = api_as(username)
        hidden = client.get(f"/api/v1/persons/{world.bilal.pk}/")
        random = client.get(f"/api/v1/persons/{RANDOM_ID}/")
        assert hidden.status_code == random.status_code == 404
        assert hidden.json() == random.json() == NOT_FOUND


# --- cases ------------------------------------------------------------------------------------------------


class TestOpenCase:
    def test_central_point_opens_a_case_led_by_probation(self, api_as, persona):
        cp = persona("cp.coordinator")
        person_id = api_as("cp.coordinator").post("/api/v1/persons/", PERSON, format="json").json()["id"]
        response = api_as("cp.coordinator").post(
            "/api/v1/cases/",
            {"person": person_id, "lead_organisation": "probation", "phase": "probation"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["version"] == 1 and body["phase"] == "probation" and body["number"]
        assert body["lead_organisation"] == "probation" and body["person"] == person_id
        members = {m["organisation"]: m["responsible"] for m in body["members"]}
        assert members == {"probation": None, "central-point": cp.username}
        # The lead organisation, now a member, sees the case.
        assert api_as("prob.officer").get(f"/api/v1/cases/{body['id']}/").status_code == 200

    @pytest.mark.parametrize(
        ("username", "lead"),
        [
            ("pn.casemanager", "prison-north"),
            ("prob.officer", "probation"),
            ("muni.coordinator", "municipality-harbour"),
            ("cp.analyst", "central-point"),
        ],
    )
    def test_case_openers_of_each_type_open_cases_for_persons_they_registered(self, api_as, username, lead):
        client = api_as(username)
        person_id = client.post("/api/v1/persons/", PERSON, format="json").json()["id"]
        response = client.post(
            "/api/v1/cases/", {"person": person_id, "lead_organisation": lead, "phase": "pre_trial"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["members"] == [
            {"organisation": lead, "responsible": username, "since": timezone.localdate().isoformat()}
        ]
        assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="case").exists()

    @pytest.mark.parametrize(
        "username",
        ["police.liaison", "exit.worker", "mentor.one", "pn.psychologist", "evaluator", "dpo", "admin"],
    )
    def test_other_roles_cannot_open_cases(self, api_as, world, username):
        before = Case.objects.count()
        response = api_as(username).post(
            "/api/v1/cases/",
            {"person": str(world.amira.pk), "lead_organisation": "probation", "phase": "custody"},
            format="json",
        )
        assert response.status_code == 403
        assert Case.objects.count() == before

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"lead_organisation": "no-such-org"}, "lead_organisation"),
            ({"lead_organisation": "evaluation-institute"}, "lead_organisation"),
            ({"phase": "closed"}, "phase"),
            ({"phase": "retired"}, "phase"),
            ({"person": "not-a-uuid"}, "person"),
            ({"person": RANDOM_ID}, "person"),
        ],
    )
    def test_bad_case_input_is_400_and_writes_nothing(self, api_as, world, payload, field):
        before = (Case.objects.count(), CaseMember.objects.count())
        response = api_as("pn.casemanager").post(
            "/api/v1/cases/",
            {
                "person": str(world.amira.pk),
                "lead_organisation": "prison-north",
                "phase": "custody",
                **payload,
            },
            format="json",
        )
        assert response.status_code == 400
        assert field in response.json()
        assert (Case.objects.count(), CaseMember.objects.count()) == before

    def test_a_person_the_user_cannot_see_is_refused_like_a_missing_one(self, api_as, world):
        client = api_as("ps.casemanager")
        hidden = client.post(
            "/api/v1/cases/",
            {"person": str(world.amira.pk), "lead_organisation": "prison-south", "phase": "custody"},
            format="json",
        )
        missing = client.post(
            "/api/v1/cases/",
            {"person": RANDOM_ID, "lead_organisation": "prison-south", "phase": "custody"},
            format="json",
        )
        assert hidden.status_code == missing.status_code == 400
        assert hidden.json()["person"][0].replace(str(world.amira.pk), "X") == missing.json()["person"][0].replace(
            RANDOM_ID, "X"
        )


class TestReadCases:
    def test_list_shows_only_cases_of_the_users_organisation(self, api_as, world):
        def numbers(username):
            response = api_as(username).get("/api/v1/cases/")
            assert response.status_code == 200
            return {c["number"] for c in response.json()["results"]}

        assert numbers("prob.officer") == {world.case.number, world.other_case.number}
        assert numbers("police.liaison") == {world.case.number}
        assert numbers("muni.coordinator") == {world.case.number, world.other_case.number}
        for username in OUTSIDERS:
            assert numbers(username) == set()

    def test_list_is_paginated(self, api_as, world):
        body = api_as("prob.officer").get("/api/v1/cases/?page_size=1").json()
        assert body["count"] == 2 and len(body["results"]) == 1 and body["next"] and body["previous"] is None

    def test_detail_shows_the_current_team_only(self, api_as, persona, world):
        case_actions.do_end_membership(
            world.case, organisation=persona("mentor.one").organisation, acting_user=persona("pn.casemanager")
        )
        response = api_as("police.liaison").get(f"/api/v1/cases/{world.case.pk}/")
        assert response.status_code == 200
        body = response.json()
        assert set(body) >= {
            "id",
            "number",
            "person",
            "phase",
            "lead_organisation",
            "trial_concluded_on",
            "version",
            "members",
        }
        assert body["lead_organisation"] == "prison-north" and body["person"] == str(world.amira.pk)
        team = {m["organisation"]: m["responsible"] for m in body["members"]}
        assert "mentor-network" not in team
        assert team["prison-north"] == "pn.casemanager" and team["police"] == "police.liaison"
        assert all(set(m) == {"organisation", "responsible", "since"} for m in body["members"])

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_case_of_another_organisation_is_404_exactly_like_a_random_id(self, api_as, world, username):
        client = api_as(username)
        hidden = client.get(f"/api/v1/cases/{world.case.pk}/")
        random = client.get(f"/api/v1/cases/{RANDOM_ID}/")
        malformed = client.get("/api/v1/cases/not-a-uuid/")
        assert hidden.status_code == random.status_code == malformed.status_code == 404
        assert hidden.content == random.content == malformed.content
        assert hidden.json() == NOT_FOUND
        denied = AuditEvent.objects.filter(action=AuditAction.DENIED, object_type="case")
        assert denied.filter(object_id=str(world.case.pk)).exists()

    def test_a_very_long_bogus_id_is_still_a_plain_404(self, api_as, world):
        response = api_as("prob.officer").get(f"/api/v1/cases/{'x' * 300}/")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    def test_former_member_no_longer_sees_the_case(self, api_as, persona, world):
        case_actions.do_end_membership(
            world.case,
            organisation=persona("police.liaison").organisation,
            acting_user=persona("pn.casemanager"),
        )
        assert api_as("police.liaison").get(f"/api/v1/cases/{world.case.pk}/").status_code == 404

    def test_no_credentials_is_401(self, world):
        assert APIClient().get(f"/api/v1/cases/{world.case.pk}/").status_code == 401
        assert APIClient().get("/api/v1/cases/").status_code == 401


class TestChangeCase:
    def url(self, world: World) -> str:
        return f"/api/v1/cases/{world.case.pk}/"

    @pytest.mark.parametrize("username", ["pn.casemanager", "cp.coordinator"])
    def test_lead_case_manager_and_central_point_coordinator_change_the_case(self, api_as, world, username):
        response = api_as(username).patch(
            self.url(world),
            {"version": 1, "phase": "pre_release", "trial_concluded_on": "2024-05-01"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["version"] == 2 and body["phase"] == "pre_release" and body["trial_concluded_on"] == "2024-05-01"
        assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="case").exists()

    def test_central_point_coordinator_cannot_change_a_case_the_central_point_is_not_a_member_of(
        self, api_as, persona, world
    ):
        # Bilal's case has only the municipality and probation: the central point coordinator has no say
        # in it, at the action level too (R1), not only through the page's or API's visibility check.
        from django.core.exceptions import PermissionDenied

        from continuum.cases.actions import do_update_case
        from continuum.cases.policy import can_manage_case

        coordinator = persona("cp.coordinator")
        assert can_manage_case(coordinator, world.case)
        assert not can_manage_case(coordinator, world.other_case)
        with pytest.raises(PermissionDenied):
            do_update_case(
                world.other_case, version=world.other_case.version, phase="community", acting_user=coordinator
            )
        response = api_as("cp.coordinator").patch(
            f"/api/v1/cases/{world.other_case.pk}/", {"version": 1, "phase": "community"}, format="json"
        )
        assert response.status_code == 404

    def test_lead_moves_to_another_member(self, api_as, world):
        response = api_as("pn.casemanager").patch(
            self.url(world), {"version": 1, "lead_organisation": "probation"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["lead_organisation"] == "probation"
        # Now probation manages the case and Prison North does not.
        assert (
            api_as("pn.casemanager")
            .patch(self.url(world), {"version": 2, "phase": "probation"}, format="json")
            .status_code
            == 403
        )
        assert (
            api_as("prob.officer")
            .patch(self.url(world), {"version": 2, "phase": "probation"}, format="json")
            .status_code
            == 200
        )

    @pytest.mark.parametrize(
        "username",
        ["prob.officer", "police.liaison", "exit.worker", "muni.coordinator", "pn.psychologist", "cw.worker"],
    )
    def test_other_members_may_read_but_not_change(self, api_as, world, username):
        response = api_as(username).patch(self.url(world), {"version": 1, "phase": "probation"}, format="json")
        assert response.status_code == 403
        world.case.refresh_from_db()
        assert world.case.phase == "custody" and world.case.version == 1

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404(self, api_as, world, username):
        response = api_as(username).patch(self.url(world), {"version": 1, "phase": "probation"}, format="json")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    def test_stale_version_is_409_and_changes_nothing(self, api_as, world):
        client = api_as("pn.casemanager")
        assert client.patch(self.url(world), {"version": 1, "phase": "pre_release"}, format="json").status_code == 200
        stale = client.patch(self.url(world), {"version": 1, "phase": "probation"}, format="json")
        assert stale.status_code == 409
        assert stale.json()["version"] == 2 and "detail" in stale.json()
        world.case.refresh_from_db()
        assert world.case.phase == "pre_release" and world.case.version == 2

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"phase": "probation"}, "version"),
            ({"version": "one", "phase": "probation"}, "version"),
            ({"version": 1, "phase": "retired"}, "phase"),
            ({"version": 1, "lead_organisation": "no-such-org"}, "lead_organisation"),
            ({"version": 1, "lead_organisation": "prison-south"}, "lead_organisation"),
            ({"version": 1, "trial_concluded_on": "yesterday"}, "trial_concluded_on"),
        ],
    )
    def test_bad_input_is_400_and_changes_nothing(self, api_as, world, payload, field):
        client = api_as("pn.casemanager")
        events = AuditEvent.objects.exclude(action__in=["read", "denied"]).count()
        response = client.patch(self.url(world), payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
        world.case.refresh_from_db()
        assert world.case.phase == "custody" and world.case.version == 1
        assert world.case.lead_organisation.slug == "prison-north"
        assert AuditEvent.objects.exclude(action__in=["read", "denied"]).count() == events


class TestMembers:
    def url(self, world: World) -> str:
        return f"/api/v1/cases/{world.case.pk}/members/"

    def test_lead_adds_an_organisation_which_then_sees_the_case(self, api_as, world):
        assert api_as("ps.casemanager").get(f"/api/v1/cases/{world.case.pk}/").status_code == 404
        response = api_as("pn.casemanager").post(
            self.url(world), {"organisation": "prison-south", "responsible": "ps.casemanager"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["organisation"] == "prison-south"
        assert response.json()["responsible"] == "ps.casemanager"
        assert api_as("ps.casemanager").get(f"/api/v1/cases/{world.case.pk}/").status_code == 200

    @pytest.mark.parametrize("username", ["prob.officer", "police.liaison", "exit.worker", "muni.coordinator"])
    def test_members_that_do_not_manage_the_case_cannot_add(self, api_as, world, username):
        response = api_as(username).post(self.url(world), {"organisation": "prison-south"}, format="json")
        assert response.status_code == 403
        assert not CaseMember.objects.filter(organisation__slug="prison-south").exists()

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404(self, api_as, world, username):
        response = api_as(username).post(self.url(world), {"organisation": "prison-south"}, format="json")
        assert response.status_code == 404

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"organisation": "no-such-org"}, "organisation"),
            ({"organisation": "evaluation-institute"}, "organisation"),
            ({"organisation": "prison-south", "responsible": "prob.officer"}, "responsible"),
            ({"organisation": "prison-south", "responsible": "nobody"}, "responsible"),
            ({}, "organisation"),
        ],
    )
    def test_bad_input_is_400_and_writes_nothing(self, api_as, world, payload, field):
        before = CaseMember.objects.count()
        response = api_as("pn.casemanager").post(self.url(world), payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert CaseMember.objects.count() == before

    def test_ending_a_membership_keeps_what_the_former_member_wrote(self, api_as, world):
        response = api_as("pn.casemanager").delete(f"{self.url(world)}police/")
        assert response.status_code == 204
        police = api_as("police.liaison")
        assert police.get(f"/api/v1/cases/{world.case.pk}/").status_code == 404
        # R1: a former member keeps only what it wrote.
        own = police.get(f"/api/v1/entries/{world.entries['police_note'].pk}/")
        assert own.status_code == 200 and own.json()["visibility"]["basis"] == "author"
        assert police.get(f"/api/v1/entries/{world.entries['security'].pk}/").status_code == 404

    @pytest.mark.parametrize(
        ("slug", "field"),
        [("prison-north", "organisation"), ("prison-south", "organisation"), ("no-such-org", "organisation")],
    )
    def test_ending_the_leads_or_a_non_members_membership_is_400(self, api_as, world, slug, field):
        before = CaseMember.objects.filter(until__isnull=True).count()
        response = api_as("pn.casemanager").delete(f"{self.url(world)}{slug}/")
        assert response.status_code == 400
        assert field in response.json()
        assert CaseMember.objects.filter(until__isnull=True).count() == before

    @pytest.mark.parametrize("username", ["prob.officer", "police.liaison"])
    def test_members_that_do_not_manage_the_case_cannot_end_memberships(self, api_as, world, username):
        assert api_as(username).delete(f"{self.url(world)}exit-ngo/").status_code == 403
        assert CaseMember.objects.filter(organisation__slug="exit-ngo", until__isnull=True).exists()

    def test_outsider_ending_a_membership_gets_404(self, api_as, world):
        assert api_as("ps.casemanager").delete(f"{self.url(world)}exit-ngo/").status_code == 404


# --- journal entries --------------------------------------------------------------------------------------

# What each persona sees of Amira's journal under the default matrix (DESIGN.md section 5), trial pending.
VISIBLE = {
    "pn.casemanager": ["security", "legal", "plan", "risk", "police_note"],
    "pn.psychologist": ["security", "legal", "plan", "risk", "police_note"],
    "prob.officer": ["security", "legal", "plan", "risk", "police_note"],
    "cp.coordinator": ["security", "legal", "plan", "risk", "police_note"],
    # R4: the risk review is withheld from police; police never sees counselling, health, children.
    "police.liaison": ["security", "legal", "plan", "police_note"],
    "exit.worker": ["legal", "plan", "risk", "counselling"],
    "family.counsellor": ["plan", "counselling", "children"],
    "mh.clinician": ["legal", "plan", "risk", "children", "mental_health"],
    # R7: no legal or risk records for child welfare before the trial is concluded.
    "cw.worker": ["plan", "children"],
    # R8: mentoring sees identity only.
    "mentor.one": [],
    "muni.coordinator": ["legal", "plan", "risk"],
}


class TestJournalRead:
    def url(self, world: World) -> str:
        return f"/api/v1/cases/{world.case.pk}/entries/"

    @pytest.mark.parametrize(("username", "keys"), sorted(VISIBLE.items()))
    def test_each_organisation_sees_exactly_what_the_rules_allow(self, api_as, world, username, keys):
        response = api_as(username).get(self.url(world))
        assert response.status_code == 200
        assert _titles(response) == world.titles_visible_to(keys)
        assert response.json()["count"] == len(keys)
        for key in AMIRA_ENTRIES:
            single = api_as(username).get(f"/api/v1/entries/{world.entries[key].pk}/")
            assert single.status_code == (200 if key in keys else 404), key

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404_for_the_journal_and_every_entry(self, api_as, world, username):
        client = api_as(username)
        assert client.get(self.url(world)).json() == NOT_FOUND
        for entry in world.entries.values():
            assert client.get(f"/api/v1/entries/{entry.pk}/").json() == NOT_FOUND

    def test_invisible_entry_is_404_exactly_like_a_random_id(self, api_as, world):
        client = api_as("police.liaison")
        hidden = client.get(f"/api/v1/entries/{world.entries['children'].pk}/")
        random = client.get(f"/api/v1/entries/{RANDOM_ID}/")
        malformed = client.get("/api/v1/entries/123/")
        assert hidden.status_code == random.status_code == malformed.status_code == 404
        assert hidden.content == random.content == malformed.content

    def test_entry_shape_and_explanation(self, api_as, world):
        response = api_as("police.liaison").get(self.url(world))
        entries = {e["title"]: e for e in response.json()["results"]}
        plan = entries["Supervision plan"]
        assert set(plan) >= {
            "id",
            "category",
            "kind",
            "title",
            "body",
            "author",
            "author_organisation",
            "created_at",
            "withhold_from",
            "statement",
            "source",
            "reliability",
            "attachments",
            "visibility",
        }
        assert plan["author"] == "prob.officer" and plan["author_organisation"] == "probation"
        assert plan["visibility"] == {"basis": "matrix", "explanation": "matrix: police reads plan"}
        assert entries["Liaison note"]["visibility"]["basis"] == "author"

    def test_withholding_is_shown_to_those_who_see_the_entry(self, api_as, world):
        entry = api_as("prob.officer").get(f"/api/v1/entries/{world.entries['risk'].pk}/").json()
        assert entry["withhold_from"] == ["police"]

    def test_category_filter(self, api_as, world):
        client = api_as("pn.casemanager")
        response = client.get(self.url(world), {"category": "security"})
        assert _titles(response) == {"Cell search", "Liaison note"}
        # Filtering never reveals what is hidden: police asking for children gets an empty page.
        hidden = api_as("police.liaison").get(self.url(world), {"category": "children"})
        assert hidden.status_code == 200 and hidden.json()["count"] == 0
        assert client.get(self.url(world), {"category": "gossip"}).status_code == 400

    def test_responses_with_case_content_are_not_cached(self, api_as, world):
        client = api_as("prob.officer")
        for url in (self.url(world), f"/api/v1/cases/{world.case.pk}/", "/api/v1/search/?q=plan"):
            assert client.get(url)["Cache-Control"] == "no-store"

    def test_reads_by_other_organisations_are_disclosures_own_reads_are_not(self, api_as, world):
        assert api_as("pn.casemanager").get(self.url(world)).status_code == 200
        own_writers = {"pn.casemanager"}
        assert not Disclosure.objects.filter(viewer__username__in=own_writers, author_org__slug="prison-north").exists()
        pn_disclosed = Disclosure.objects.filter(viewer__username="pn.casemanager")
        # Prison North read probation's plan and risk review and the police note: three disclosures.
        assert {d.record_id for d in pn_disclosed} == {world.entries[k].pk for k in ("plan", "risk", "police_note")}
        assert {d.basis for d in pn_disclosed} == {"matrix"}

        api_as("police.liaison").get(self.url(world))
        police = Disclosure.objects.filter(viewer__username="police.liaison")
        assert {d.record_id for d in police} == {world.entries[k].pk for k in ("security", "legal", "plan")}
        assert AuditEvent.objects.filter(action=AuditAction.DISCLOSE, actor_username="police.liaison").exists()

    def test_only_the_rows_of_the_page_are_disclosed(self, api_as, world):
        # Newest first: the police's own note, then probation's plan; the older entries are not sent.
        page = api_as("police.liaison").get(self.url(world), {"page_size": 2})
        assert _titles(page) == {"Liaison note", "Supervision plan"} and page.json()["count"] == 4
        disclosed = Disclosure.objects.filter(viewer__username="police.liaison")
        assert [d.record_id for d in disclosed] == [world.entries["plan"].pk]

    def test_single_entry_read_is_a_disclosure(self, api_as, world):
        entry = world.entries["plan"]
        api_as("exit.worker").get(f"/api/v1/entries/{entry.pk}/")
        disclosure = Disclosure.objects.get(viewer__username="exit.worker")
        assert disclosure.record_id == entry.pk and disclosure.viewer_org.slug == "exit-ngo"


class TestJournalWrite:
    def url(self, world: World) -> str:
        return f"/api/v1/cases/{world.case.pk}/entries/"

    @pytest.mark.parametrize(
        ("username", "category"),
        [
            ("pn.casemanager", "security"),
            ("prob.officer", "risk_assessment"),
            ("police.liaison", "legal"),
            ("exit.worker", "counselling"),
            ("family.counsellor", "family"),
            ("mh.clinician", "mental_health"),
            ("cw.worker", "children"),
            ("muni.coordinator", "daily_life"),
            ("cp.coordinator", "ideology"),
        ],
    )
    def test_members_write_the_categories_the_matrix_lets_them(self, api_as, world, username, category):
        response = api_as(username).post(
            self.url(world),
            {
                "category": category,
                "kind": "observation",
                "title": "New",
                "body": "Text",
                "source": "interview",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["author"] == username and body["visibility"]["basis"] == "author"
        assert body["statement"] == "fact" and body["reliability"] == "unknown" and body["source"] == "interview"
        assert Entry.objects.filter(pk=body["id"], category=category, kind="observation").exists()

    @pytest.mark.parametrize(
        ("username", "category"),
        [
            ("police.liaison", "counselling"),
            ("police.liaison", "children"),
            ("exit.worker", "security"),
            ("mentor.one", "plan"),
            ("muni.coordinator", "security"),
            ("cw.worker", "legal"),
            ("family.counsellor", "children"),
            ("prob.officer", "mental_health"),
            ("cp.coordinator", "family"),
        ],
    )
    def test_members_cannot_write_other_categories(self, api_as, world, username, category):
        before = Entry.objects.count()
        response = api_as(username).post(self.url(world), {"category": category, "title": "New"}, format="json")
        assert response.status_code == 403
        assert Entry.objects.count() == before

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404(self, api_as, world, username):
        before = Entry.objects.count()
        response = api_as(username).post(self.url(world), {"category": "plan", "title": "New"}, format="json")
        assert response.status_code == 404
        assert Entry.objects.count() == before

    def test_nobody_writes_on_a_closed_case(self, api_as, world):
        client = api_as("pn.casemanager")
        assert (
            client.patch(
                f"/api/v1/cases/{world.case.pk}/", {"version": 1, "phase": "closed"}, format="json"
            ).status_code
            == 200
        )
        assert client.post(self.url(world), {"category": "plan", "title": "Late"}, format="json").status_code == 403

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"category": "gossip", "title": "x"}, "category"),
            ({"category": "plan"}, "title"),
            ({"category": "plan", "title": "x" * 201}, "title"),
            ({"category": "plan", "title": "x", "kind": "rumour"}, "kind"),
            ({"category": "plan", "title": "x", "reliability": "sure"}, "reliability"),
            ({"category": "plan", "title": "x", "withhold_from": ["no-such-org"]}, "withhold_from"),
            ({"category": "plan", "title": "x", "withhold_from": "police"}, "withhold_from"),
        ],
    )
    def test_bad_input_is_400_and_writes_nothing(self, api_as, world, payload, field):
        before = Entry.objects.count()
        response = api_as("prob.officer").post(self.url(world), payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert Entry.objects.count() == before

    def test_withholding_from_an_organisation_type_and_a_slug(self, api_as, world):
        response = api_as("prob.officer").post(
            self.url(world),
            {"category": "plan", "title": "Private plan", "withhold_from": ["police", "exit-ngo"]},
            format="json",
        )
        assert response.status_code == 201
        assert sorted(response.json()["withhold_from"]) == ["exit-ngo", "police"]
        assert "Private plan" not in _titles(api_as("police.liaison").get(self.url(world)))
        assert "Private plan" not in _titles(api_as("exit.worker").get(self.url(world)))
        assert "Private plan" in _titles(api_as("muni.coordinator").get(self.url(world)))


class TestAttachments:
    def url(self, world: World) -> str:
        return f"/api/v1/cases/{world.case.pk}/entries/"

    def post(self, client, world, files, **fields):
        data = {"category": "counselling", "title": "With file", **fields, "attachments": files}
        return client.post(self.url(world), data, format="multipart")

    def test_multipart_entry_with_attachments(self, api_as, world):
        pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n synthetic", content_type="application/pdf")
        note = SimpleUploadedFile("note.txt", b"plain words", content_type="application/octet-stream")
        response = self.post(api_as("exit.worker"), world, [pdf, note], withhold_from=["ngo_family"])
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["withhold_from"] == ["ngo_family"]
        files = {a["name"]: a for a in body["attachments"]}
        assert files["report.pdf"]["content_type"] == "application/pdf"
        assert files["note.txt"]["content_type"] == "text/plain"  # judged by content, not the claim
        assert files["note.txt"]["url"] == f"/api/v1/entries/{body['id']}/attachments/{files['note.txt']['id']}/"

    def test_file_over_the_size_limit_is_400_and_writes_nothing(self, api_as, world, settings, upload_dir):
        settings.CONTINUUM_MAX_UPLOAD_MB = 1
        before = (Entry.objects.count(), Attachment.objects.count(), len(_stored_files(upload_dir)))
        big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1), content_type="text/plain")
        response = self.post(api_as("exit.worker"), world, [big])
        assert response.status_code == 400
        assert "attachments" in response.json()
        assert (Entry.objects.count(), Attachment.objects.count(), len(_stored_files(upload_dir))) == before

    def test_disallowed_type_is_400_and_leaves_no_file_behind(self, api_as, world, upload_dir):
        before = (Entry.objects.count(), Attachment.objects.count(), len(_stored_files(upload_dir)))
        good = SimpleUploadedFile("fine.pdf", b"%PDF-1.4 fine", content_type="application/pdf")
        exe = SimpleUploadedFile("notes.pdf.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)))
        response = self.post(api_as("exit.worker"), world, [good, exe])
        assert response.status_code == 400
        assert "attachments" in response.json()
        assert (Entry.objects.count(), Attachment.objects.count(), len(_stored_files(upload_dir))) == before

    def test_empty_file_is_400(self, api_as, world):
        empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
        assert self.post(api_as("exit.worker"), world, [empty]).status_code == 400

    def attachment_url(self, world: World) -> str:
        attachment = world.entries["counselling"].attachments.get()
        return f"/api/v1/entries/{world.entries['counselling'].pk}/attachments/{attachment.pk}/"

    @pytest.mark.parametrize("username", ["exit.worker", "family.counsellor"])
    def test_members_who_see_the_entry_download_its_attachment(self, api_as, world, username):
        response = api_as(username).get(self.attachment_url(world), HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == ATTACHMENT_TEXT
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="session.txt"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"].startswith("text/plain")
        assert response["Cache-Control"] == "no-store"

    @pytest.mark.parametrize("username", ["police.liaison", "mh.clinician", "mentor.one", "prob.officer", *OUTSIDERS])
    def test_those_who_may_not_see_the_entry_get_404(self, api_as, world, username):
        response = api_as(username).get(self.attachment_url(world))
        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    def test_unknown_attachment_of_a_visible_entry_is_404(self, api_as, world):
        base = f"/api/v1/entries/{world.entries['counselling'].pk}/attachments"
        client = api_as("exit.worker")
        assert client.get(f"{base}/{RANDOM_ID}/").status_code == 404
        assert client.get(f"{base}/nonsense/").status_code == 404
        other = world.entries["counselling"].attachments.get()
        assert client.get(f"/api/v1/entries/{world.entries['plan'].pk}/attachments/{other.pk}/").status_code == 404


class TestSearch:
    @pytest.mark.parametrize(("username", "keys"), sorted(VISIBLE.items()))
    def test_search_never_returns_invisible_entries(self, api_as, world, username, keys):
        # "e" is in every title or body: the search returns exactly the visible entries.
        response = api_as(username).get("/api/v1/search/", {"q": "e"})
        assert response.status_code == 200
        titles = _titles(response)
        assert titles - {"Housing found"} == world.titles_visible_to(keys)
        assert ("Housing found" in titles) == (username in {"prob.officer", "muni.coordinator"})

    def test_search_matches_title_and_body(self, api_as, world):
        client = api_as("exit.worker")
        assert _titles(client.get("/api/v1/search/", {"q": "doubts"})) == {"Exit session"}
        assert _titles(client.get("/api/v1/search/", {"q": "exit SESSION"})) == {"Exit session"}
        assert _titles(api_as("police.liaison").get("/api/v1/search/", {"q": "doubts"})) == set()

    @pytest.mark.parametrize("username", ["evaluator", "dpo", "admin"])
    def test_users_without_case_content_find_nothing(self, api_as, world, username):
        response = api_as(username).get("/api/v1/search/", {"q": "e"})
        assert response.status_code == 200 and response.json()["count"] == 0

    @pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 201}])
    def test_missing_or_empty_query_is_400(self, api_as, world, params):
        response = api_as("prob.officer").get("/api/v1/search/", params)
        assert response.status_code == 400
        assert "q" in response.json()

    def test_search_results_are_logged_as_disclosures(self, api_as, world):
        api_as("police.liaison").get("/api/v1/search/", {"q": "Cell"})
        assert [d.record_id for d in Disclosure.objects.filter(viewer__username="police.liaison")] == [
            world.entries["security"].pk
        ]


class TestQueryCounts:
    """Reading a journal page costs the same number of queries for 5 entries as for 40 (STYLE.md 9)."""

    def _count(self, client, url, params) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(queries)

    def test_journal_and_search_query_counts_do_not_grow_with_the_data(self, api_as, persona):
        pn = persona("pn.casemanager")
        person = people_actions.do_create_person(
            given_name="Q", family_name="Count", birth_date=date(1990, 1, 1), acting_user=pn
        )
        case = case_actions.do_open_case(person=person, lead_organisation=pn.organisation, acting_user=pn)
        case_actions.do_add_member(case, organisation=persona("prob.officer").organisation, acting_user=pn)

        def add(n: int) -> None:
            for i in range(n):
                uploads = [SimpleUploadedFile(f"f{i}.txt", b"text", content_type="text/plain")] if i % 3 == 0 else []
                case_actions.do_add_entry(
                    case,
                    category="plan",
                    title=f"Countable {i}",
                    body="b",
                    attachments=uploads,
                    acting_user=pn,
                )

        client = api_as("prob.officer")
        client.get("/api/v1/me/")  # the token's first use records its last use: one query, once
        url = f"/api/v1/cases/{case.pk}/entries/"
        add(5)
        small = (self._count(client, url, {}), self._count(client, "/api/v1/search/", {"q": "Countable"}))
        add(35)
        large = (self._count(client, url, {}), self._count(client, "/api/v1/search/", {"q": "Countable"}))
        assert small == large
        assert max(large) <= 14
        # Every entry sent was disclosed: two reads of 5, two of 40.
        assert Disclosure.objects.filter(viewer__username="prob.officer").count() == 2 * (5 + 40)
        assert client.get(url).json()["count"] == 40
