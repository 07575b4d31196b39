"""API.md, "Consent, overrides, disclosures", and the policy matrix (issue 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from continuum.audit.models import AuditAction, AuditEvent
from continuum.sharing.models import Consent, Disclosure, Override, PolicyRule, PolicyVersion
from tests.api_world import NOT_FOUND, OUTSIDERS, RANDOM_ID, World

pytestmark = pytest.mark.django_db


def _in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _entry_status(client, world: World, key: str) -> int:
    return client.get(f"/api/v1/entries/{world.entries[key].pk}/").status_code


# --- consent (R3) -------------------------------------------------------------------------------------------


class TestConsent:
    def url(self, world: World) -> str:
        return f"/api/v1/persons/{world.amira.pk}/consents/"

    def consent(self, **overrides):
        return {
            "category": "counselling",
            "recipient_organisation": "probation",
            "purpose": "Probation plans supervision around the exit programme.",
            "valid_until": _in(90),
            **overrides,
        }

    def test_recorded_consent_shares_a_category_and_withdrawal_stops_it_at_once(self, api_as, world):
        probation = api_as("prob.officer")
        assert _entry_status(probation, world, "counselling") == 404
        response = api_as("exit.worker").post(self.url(world), self.consent(), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["reference"].startswith("C-") and body["in_force"] is True
        assert body["recipient_organisation"] == "probation" and body["recorded_by"] == "exit.worker"
        assert body["person"] == str(world.amira.pk)

        entry = probation.get(f"/api/v1/entries/{world.entries['counselling'].pk}/")
        assert entry.status_code == 200
        assert entry.json()["visibility"] == {
            "basis": "consent",
            "explanation": f"consent {body['reference']} until {_in(90)}",
        }
        assert Disclosure.objects.get(viewer__username="prob.officer").basis == "consent"

        withdrawn = api_as("exit.worker").post(f"/api/v1/consents/{body['id']}/withdraw/")
        assert withdrawn.status_code == 200
        assert withdrawn.json()["in_force"] is False and withdrawn.json()["withdrawn_by"] == "exit.worker"
        assert _entry_status(probation, world, "counselling") == 404

    def test_consent_never_beats_withholding_or_the_childrens_rule(self, api_as, world):
        exit_worker = api_as("exit.worker")
        for category in ("risk_assessment", "children"):
            response = exit_worker.post(
                self.url(world),
                self.consent(category=category, recipient_organisation="police"),
                format="json",
            )
            assert response.status_code == 201
        police = api_as("police.liaison")
        assert _entry_status(police, world, "risk") == 404  # R4: withheld from police
        assert _entry_status(police, world, "children") == 404  # R6: never to police without R5

    @pytest.mark.parametrize(
        "username", ["pn.casemanager", "police.liaison", "mentor.one", "cw.worker", "muni.coordinator"]
    )
    def test_any_member_of_the_persons_case_records_and_lists_consent(self, api_as, world, username):
        client = api_as(username)
        response = client.post(self.url(world), self.consent(category="plan"), format="json")
        assert response.status_code == 201
        listed = client.get(self.url(world))
        assert listed.status_code == 200
        assert [c["id"] for c in listed.json()["results"]] == [response.json()["id"]]

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404_for_the_persons_consents(self, api_as, world, username):
        before = Consent.objects.count()
        client = api_as(username)
        assert client.post(self.url(world), self.consent(), format="json").json() == NOT_FOUND
        assert client.get(self.url(world)).json() == NOT_FOUND
        assert client.get(f"/api/v1/persons/{RANDOM_ID}/consents/").json() == NOT_FOUND
        assert Consent.objects.count() == before

    def test_outsiders_cannot_withdraw_consent_and_get_404(self, api_as, world):
        consent = api_as("exit.worker").post(self.url(world), self.consent(), format="json").json()
        for username in OUTSIDERS:
            response = api_as(username).post(f"/api/v1/consents/{consent['id']}/withdraw/")
            assert response.status_code == 404 and response.json() == NOT_FOUND
        assert api_as("police.liaison").post(f"/api/v1/consents/{RANDOM_ID}/withdraw/").status_code == 404
        assert api_as("police.liaison").post("/api/v1/consents/bogus/withdraw/").status_code == 404
        assert Consent.objects.get(pk=consent["id"]).withdrawn_at is None

    def test_withdrawing_twice_is_harmless(self, api_as, world):
        consent = api_as("exit.worker").post(self.url(world), self.consent(), format="json").json()
        client = api_as("prob.officer")
        first = client.post(f"/api/v1/consents/{consent['id']}/withdraw/")
        second = client.post(f"/api/v1/consents/{consent['id']}/withdraw/")
        assert first.status_code == second.status_code == 200
        assert first.json()["withdrawn_at"] == second.json()["withdrawn_at"]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"category": "gossip"}, "category"),
            ({"recipient_organisation": "no-such-org"}, "recipient_organisation"),
            ({"recipient_organisation": "evaluation-institute"}, "recipient_organisation"),
            ({"purpose": "   "}, "purpose"),
            ({"valid_until": _in(-1)}, "valid_until"),
            ({"valid_until": "soon"}, "valid_until"),
            ({"valid_from": _in(30), "valid_until": _in(10)}, "valid_until"),
        ],
    )
    def test_bad_consent_is_400_and_writes_nothing(self, api_as, world, change, field):
        client = api_as("exit.worker")
        before = (Consent.objects.count(), AuditEvent.objects.exclude(action__in=["read", "denied"]).count())
        response = client.post(self.url(world), self.consent(**change), format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert (Consent.objects.count(), AuditEvent.objects.exclude(action__in=["read", "denied"]).count()) == before


# --- legal overrides (R5) -----------------------------------------------------------------------------------


class TestOverride:
    def url(self, world: World) -> str:
        return f"/api/v1/cases/{world.case.pk}/overrides/"

    def override(self, **overrides):
        return {
            "category": "children",
            "recipient_organisation": "police",
            "legal_basis": "vital_interest",
            "justification": "Credible threat of abduction of the children reported by the school.",
            "valid_until": (timezone.now() + timedelta(days=7)).isoformat(),
            **overrides,
        }

    def test_central_point_coordinator_grants_an_override_that_beats_the_childrens_rule(self, api_as, world):
        police = api_as("police.liaison")
        assert _entry_status(police, world, "children") == 404
        response = api_as("cp.coordinator").post(self.url(world), self.override(), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["reference"].startswith("O-") and body["granted_by"] == "cp.coordinator"
        assert body["recipient_organisation"] == "police" and body["in_force"] is True
        entry = police.get(f"/api/v1/entries/{world.entries['children'].pk}/").json()
        assert entry["visibility"]["basis"] == "override"
        assert entry["visibility"]["explanation"].startswith(f"override {body['reference']} by cp.coordinator")
        event = AuditEvent.objects.get(action=AuditAction.OVERRIDE)
        assert event.detail["dpo_review"] == "pending" and event.case_id == world.case.pk

    def test_an_override_is_the_only_thing_that_beats_withholding(self, api_as, world):
        police = api_as("police.liaison")
        assert _entry_status(police, world, "risk") == 404
        response = api_as("cp.coordinator").post(
            self.url(world),
            self.override(category="risk_assessment", legal_basis="public_safety"),
            format="json",
        )
        assert response.status_code == 201
        assert _entry_status(police, world, "risk") == 200

    def test_lead_organisations_coordinator_grants_overrides(self, api_as, world):
        response = api_as("muni.coordinator").post(
            f"/api/v1/cases/{world.other_case.pk}/overrides/",
            self.override(category="plan", recipient_organisation="probation"),
            format="json",
        )
        assert response.status_code == 201

    @pytest.mark.parametrize(
        "username", ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "muni.coordinator"]
    )
    def test_other_members_cannot_grant_overrides(self, api_as, world, username):
        # The municipality's coordinator leads Bilal's case, not Amira's.
        response = api_as(username).post(self.url(world), self.override(), format="json")
        assert response.status_code == 403
        assert not Override.objects.exists()

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404(self, api_as, world, username):
        response = api_as(username).post(self.url(world), self.override(), format="json")
        assert response.status_code == 404 and response.json() == NOT_FOUND
        assert not Override.objects.exists()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"justification": "Because."}, "justification"),
            ({"justification": ""}, "justification"),
            ({"legal_basis": "curiosity"}, "legal_basis"),
            ({"category": "gossip"}, "category"),
            ({"recipient_organisation": "prison-south"}, "recipient_organisation"),
            ({"recipient_organisation": "no-such-org"}, "recipient_organisation"),
            ({"valid_until": (timezone.now() - timedelta(hours=1)).isoformat()}, "valid_until"),
            ({"valid_until": (timezone.now() + timedelta(days=400)).isoformat()}, "valid_until"),
            ({"valid_until": "next week"}, "valid_until"),
        ],
    )
    def test_bad_override_is_400_with_the_fields_message_and_writes_nothing(self, api_as, world, change, field):
        client = api_as("cp.coordinator")
        events = AuditEvent.objects.exclude(action__in=["read", "denied"]).count()
        response = client.post(self.url(world), self.override(**change), format="json")
        assert response.status_code == 400
        assert field in response.json() and response.json()[field]
        assert not Override.objects.exists()
        assert AuditEvent.objects.exclude(action__in=["read", "denied"]).count() == events


# --- disclosures (R11) --------------------------------------------------------------------------------------


class TestDisclosures:
    def url(self, person_id) -> str:
        return f"/api/v1/persons/{person_id}/disclosures/"

    def test_dpo_sees_who_read_which_record_when_and_why(self, api_as, world):
        api_as("police.liaison").get(f"/api/v1/cases/{world.case.pk}/entries/")
        api_as("pn.casemanager").get(f"/api/v1/entries/{world.entries['security'].pk}/")  # own: no disclosure
        response = api_as("dpo").get(self.url(world.amira.pk))
        assert response.status_code == 200
        rows = response.json()["results"]
        assert {(r["record"], r["viewer"]) for r in rows} == {
            (str(world.entries[k].pk), "police.liaison") for k in ("security", "legal", "plan")
        }
        first = rows[0]
        assert set(first) >= {
            "record",
            "record_type",
            "category",
            "viewer",
            "viewer_organisation",
            "at",
            "basis",
            "explanation",
        }
        assert first["viewer_organisation"] == "police" and first["record_type"] == "entry"
        assert {r["basis"] for r in rows} == {"matrix"}
        assert AuditEvent.objects.filter(
            action=AuditAction.READ, object_type="disclosure_report", actor_username="dpo"
        ).exists()

    def test_dpo_learns_nothing_else_about_the_person(self, api_as, world):
        body = api_as("dpo").get(self.url(world.amira.pk)).json()
        assert "Amira" not in str(body) and world.amira.reference not in str(body)
        assert api_as("dpo").get(f"/api/v1/persons/{world.amira.pk}/").status_code == 404

    @pytest.mark.parametrize("person_id", [RANDOM_ID, "not-a-uuid"])
    def test_dpo_gets_404_for_a_person_that_does_not_exist(self, api_as, world, person_id):
        response = api_as("dpo").get(self.url(person_id))
        assert response.status_code == 404 and response.json() == NOT_FOUND

    def test_lead_organisations_coordinator_reads_the_report(self, api_as, world):
        api_as("prob.officer").get(f"/api/v1/cases/{world.other_case.pk}/entries/")
        response = api_as("muni.coordinator").get(self.url(world.bilal.pk))
        assert response.status_code == 200
        assert [r["viewer"] for r in response.json()["results"]] == ["prob.officer"]

    @pytest.mark.parametrize(
        "username", ["cp.coordinator", "pn.casemanager", "police.liaison", "prob.officer", "muni.coordinator"]
    )
    def test_other_members_may_see_the_person_but_not_the_report(self, api_as, world, username):
        # The municipality's coordinator leads Bilal's case, not Amira's.
        response = api_as(username).get(self.url(world.amira.pk))
        assert response.status_code == 403

    @pytest.mark.parametrize("username", ["ps.casemanager", "evaluator", "admin", "police.liaison"])
    def test_those_who_cannot_see_the_person_get_404(self, api_as, world, username):
        client = api_as(username)
        hidden = client.get(self.url(world.bilal.pk))
        random = client.get(self.url(RANDOM_ID))
        assert hidden.status_code == random.status_code == 404
        assert hidden.content == random.content


# --- the policy matrix (R2) ---------------------------------------------------------------------------------


class TestPolicy:
    url = "/api/v1/policy/"

    @pytest.mark.parametrize("username", ["police.liaison", "evaluator", "admin", "dpo", "mentor.one"])
    def test_everyone_reads_the_matrix(self, api_as, username):
        response = api_as(username).get(self.url)
        assert response.status_code == 200
        body = response.json()
        assert body["version"] == 1 and len(body["rules"]) == 11 * 12
        assert {"org_type": "police", "category": "children", "access": "none"} in body["rules"]
        assert {"org_type": "mental_health", "category": "mental_health", "access": "write"} in body["rules"]

    def test_dpo_changes_the_matrix_and_it_takes_effect_at_once(self, api_as, world):
        probation = api_as("prob.officer")
        assert _entry_status(probation, world, "counselling") == 404
        response = api_as("dpo").put(
            self.url,
            {
                "note": "Probation needs the exit programme's notes for supervision.",
                "changes": [{"org_type": "probation", "category": "counselling", "access": "read"}],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["version"] == 2
        assert {"org_type": "probation", "category": "counselling", "access": "read"} in response.json()["rules"]
        assert _entry_status(probation, world, "counselling") == 200
        event = AuditEvent.objects.get(action=AuditAction.POLICY_CHANGE)
        assert event.detail["changes"] == [
            {"org_type": "probation", "category": "counselling", "old": "none", "new": "read"}
        ]

    def test_a_change_that_changes_nothing_makes_no_new_version(self, api_as):
        response = api_as("dpo").put(
            self.url,
            {"note": "No-op.", "changes": [{"org_type": "police", "category": "plan", "access": "read"}]},
            format="json",
        )
        assert response.status_code == 200 and response.json()["version"] == 1

    @pytest.mark.parametrize("username", ["cp.coordinator", "admin", "police.liaison", "prob.officer", "evaluator"])
    def test_only_the_dpo_changes_the_matrix(self, api_as, username):
        response = api_as(username).put(
            self.url,
            {
                "note": "Let us see more.",
                "changes": [{"org_type": "police", "category": "children", "access": "read"}],
            },
            format="json",
        )
        assert response.status_code == 403
        assert PolicyVersion.objects.count() == 1

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            (
                {"note": "x", "changes": [{"org_type": "aliens", "category": "plan", "access": "read"}]},
                "changes",
            ),
            (
                {"note": "x", "changes": [{"org_type": "police", "category": "plan", "access": "all"}]},
                "changes",
            ),
            (
                {"note": "x", "changes": [{"org_type": "research", "category": "plan", "access": "read"}]},
                "changes",
            ),
            ({"note": "x", "changes": []}, "changes"),
            ({"changes": [{"org_type": "police", "category": "plan", "access": "none"}]}, "note"),
            (
                {"note": " ", "changes": [{"org_type": "police", "category": "plan", "access": "none"}]},
                "note",
            ),
        ],
    )
    def test_bad_change_is_400_and_changes_nothing(self, api_as, payload, field):
        client = api_as("dpo")
        rules = PolicyRule.objects.count()
        response = client.put(self.url, payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert PolicyVersion.objects.count() == 1 and PolicyRule.objects.count() == rules
