"""API.md, "Assessments": opening, independent ratings, consensus, finalising, visibility and trends (issue 5)."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import continuum.assessments
from continuum.accounts.models import Organisation, User
from continuum.assessments import actions
from continuum.assessments.models import Assessment, AssessorRating, ConsensusRating, Instrument
from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.sharing.models import Disclosure
from tests.api_world import NOT_FOUND, RANDOM_ID

pytestmark = pytest.mark.django_db

MAR = "continuum-mar-spj"
ASSESSORS = ["pn.psychologist", "prob.officer"]
# Who sees a risk assessment on Amira's case (pre-trial): the matrix readers among its members.
RISK_READERS = ["pn.psychologist", "pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "mh.clinician"]
# Who never sees it: not a member, mentoring (R8), child welfare before the trial (R7), family counselling
# (no risk access), research (R9), DPO and administrator (R10).
RISK_HIDDEN = ["ps.casemanager", "mentor.one", "cw.worker", "family.counsellor", "evaluator", "dpo", "admin"]
FUTURE = (timezone.localdate() + timedelta(days=180)).isoformat()


def _user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def _items(instrument: Instrument, modules: list[str] | None = None) -> dict:
    return instrument.items(modules or [])


def _full_ratings(instrument: Instrument, value=lambda code, item: 1, modules=None) -> list[dict]:
    return [
        {
            "item": code,
            "rating": value(code, item),
            "rationale": f"Seen in the file ({code}).",
            "evidence_for": "Report.",
        }
        for code, item in _items(instrument, modules).items()
    ]


def _open(world, *, instrument: str = MAR, opener: str = "pn.psychologist", assessors=ASSESSORS, modules=()):
    return actions.do_open_assessment(
        world.case,
        instrument=actions.find_instrument(instrument),
        assessors=[_user(u) for u in assessors],
        modules=list(modules),
        acting_user=_user(opener),
    )


def _rated_and_submitted(world, *, values=None, **kwargs) -> Assessment:
    """An assessment every assessor rated (``values``: username -> rating function) and submitted."""
    assessment = _open(world, **kwargs)
    for username in [a.user.username for a in assessment.assessors.select_related("user")]:
        value = (values or {}).get(username, lambda code, item: 1)
        actions.do_save_ratings(
            assessment,
            ratings=_full_ratings(assessment.instrument, value, list(assessment.modules)),
            acting_user=_user(username),
        )
        actions.do_submit_ratings(assessment, acting_user=_user(username))
    assessment.refresh_from_db()
    return assessment


def _agreed(world, *, value=lambda code, item: 1, **kwargs) -> Assessment:
    assessment = _rated_and_submitted(world, **kwargs)
    actions.do_record_consensus(
        assessment,
        ratings=[
            {"item": code, "rating": value(code, item), "rationale": "Agreed in the MAR meeting."}
            for code, item in assessment.items().items()
        ],
        acting_user=_user(ASSESSORS[0] if not kwargs.get("assessors") else kwargs["assessors"][0]),
    )
    return assessment


def _finalised(world, *, level="moderate concern", summary="Written by the psychologist.", **kwargs) -> Assessment:
    assessment = _agreed(world, **kwargs)
    assessors = kwargs.get("assessors") or ASSESSORS
    return actions.do_finalise_assessment(
        assessment,
        judgement_level=level,
        judgement_summary=summary,
        next_review_on=timezone.localdate() + timedelta(days=180),
        acting_user=_user(assessors[0]),
    )


# --- opening -----------------------------------------------------------------------------------------------


class TestOpen:
    @pytest.mark.parametrize("username", ["pn.psychologist", "pn.casemanager", "prob.officer", "cp.coordinator"])
    def test_members_who_write_risk_assessments_open_one(self, api_as, world, username):
        response = api_as(username).post(
            f"/api/v1/cases/{world.case.pk}/assessments/",
            {"instrument": MAR, "assessors": ASSESSORS, "modules": ["gender"]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft" and body["instrument"] == MAR and body["instrument_version"] == "1.0"
        assert body["category"] == "risk_assessment" and body["modules"] == ["gender"]
        assert [a["username"] for a in body["assessors"]] == sorted(ASSESSORS)
        assert body["progress"] == {"submitted": 0, "assessors": 2}
        assert body["judgement"] is None and body["ratings"] == [] and body["author"] == username
        assessment = Assessment.objects.get(pk=body["id"])
        assert assessment.statement == "assessment" and assessment.person_id == world.amira.pk

    @pytest.mark.parametrize("username", ["police.liaison", "exit.worker", "mh.clinician", "cw.worker", "mentor.one"])
    def test_members_who_only_read_or_not_at_all_are_refused_with_403(self, api_as, world, username):
        response = api_as(username).post(
            f"/api/v1/cases/{world.case.pk}/assessments/", {"instrument": MAR, "assessors": [username]}, format="json"
        )
        assert response.status_code == 403
        assert not Assessment.objects.exists()

    @pytest.mark.parametrize("username", ["ps.casemanager", "evaluator", "dpo", "admin"])
    def test_outsiders_get_404_like_a_random_case(self, api_as, world, username):
        client = api_as(username)
        hidden = client.post(f"/api/v1/cases/{world.case.pk}/assessments/", {"instrument": MAR}, format="json")
        random = client.post(f"/api/v1/cases/{RANDOM_ID}/assessments/", {"instrument": MAR}, format="json")
        assert hidden.status_code == random.status_code == 404
        assert hidden.json() == random.json() == NOT_FOUND

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"instrument": "vera-2r"}, "instrument"),
            ({"instrument": MAR, "instrument_version": "9.9"}, "instrument_version"),
            ({"instrument": MAR, "modules": ["astrology"]}, "modules"),
            ({"instrument": MAR, "assessors": ["nobody.here"]}, "assessors"),
            ({"instrument": MAR, "assessors": ["pn.psychologist", "police.liaison"]}, "assessors"),
            ({"instrument": MAR, "assessors": ["ps.casemanager"]}, "assessors"),
        ],
    )
    def test_bad_input_is_400_and_opens_nothing(self, api_as, world, payload, field):
        response = api_as("pn.psychologist").post(f"/api/v1/cases/{world.case.pk}/assessments/", payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert not Assessment.objects.exists()

    def test_without_assessors_the_opener_assesses_alone(self, api_as, world):
        response = api_as("prob.officer").post(
            f"/api/v1/cases/{world.case.pk}/assessments/", {"instrument": MAR}, format="json"
        )
        assert [a["username"] for a in response.json()["assessors"]] == ["prob.officer"]

    def test_a_mental_health_evaluation_is_opened_only_by_mental_health(self, api_as, world):
        payload = {"instrument": "continuum-psychological-evaluation"}
        assert (
            api_as("pn.psychologist")
            .post(f"/api/v1/cases/{world.case.pk}/assessments/", payload, format="json")
            .status_code
            == 403
        )
        response = api_as("mh.clinician").post(f"/api/v1/cases/{world.case.pk}/assessments/", payload, format="json")
        assert response.status_code == 201 and response.json()["category"] == "mental_health"


# --- independent ratings ---------------------------------------------------------------------------------------


class TestRatings:
    def test_an_assessor_saves_a_partial_draft_and_replaces_it(self, api_as, world):
        assessment = _open(world)
        client = api_as("pn.psychologist")
        url = f"/api/v1/assessments/{assessment.pk}/ratings/"
        first = client.put(url, {"ratings": [{"item": "rp.current_intent", "rating": 2}]}, format="json")
        assert first.status_code == 200, first.json()
        again = client.put(
            url,
            {
                "ratings": [
                    {"item": "rp.current_intent", "rating": 1, "rationale": "Old statements only.", "decisive": True},
                    {"item": "dl.housing", "rating": None, "rationale": "No information on housing yet."},
                ]
            },
            format="json",
        )
        assert again.status_code == 200
        ratings = {r["item"]: r for r in again.json()["ratings"]}
        assert ratings["rp.current_intent"]["rating"] == 1 and ratings["rp.current_intent"]["decisive"] is True
        assert ratings["dl.housing"]["rating"] is None
        assert AssessorRating.objects.filter(assessment=assessment).count() == 2

    @pytest.mark.parametrize(
        ("rating", "message"),
        [
            ({"item": "rp.current_intent", "rating": 7, "rationale": "x"}, "not on its scale"),
            ({"item": "rp.current_intent", "rating": None}, "known unknown (no rating) needs a rationale"),
            ({"item": "made.up", "rating": 1, "rationale": "x"}, "not an item"),
            ({"item": "gm.parent_child_bond", "rating": 1, "rationale": "x"}, "not an item"),  # module not chosen
        ],
    )
    def test_bad_ratings_are_400_naming_the_item_and_nothing_is_saved(self, api_as, world, rating, message):
        assessment = _open(world)
        ok = {"item": "dl.housing", "rating": 1, "rationale": "Has a flat."}
        response = api_as("pn.psychologist").put(
            f"/api/v1/assessments/{assessment.pk}/ratings/", {"ratings": [ok, rating]}, format="json"
        )
        assert response.status_code == 400
        assert message in " ".join(response.json()["ratings"]) and rating["item"] in " ".join(
            response.json()["ratings"]
        )
        assert not AssessorRating.objects.exists()

    @pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "exit.worker", "mh.clinician"])
    def test_who_sees_but_is_not_an_assessor_gets_403(self, api_as, world, username):
        assessment = _open(world)
        response = api_as(username).put(
            f"/api/v1/assessments/{assessment.pk}/ratings/",
            {"ratings": [{"item": "dl.housing", "rating": 1, "rationale": "x"}]},
            format="json",
        )
        assert response.status_code == 403
        assert not AssessorRating.objects.exists()

    @pytest.mark.parametrize("username", RISK_HIDDEN)
    def test_who_does_not_see_it_gets_404_on_every_endpoint(self, api_as, world, username):
        assessment = _open(world)
        client = api_as(username)
        base = f"/api/v1/assessments/{assessment.pk}"
        rating = {"ratings": [{"item": "dl.housing", "rating": 1, "rationale": "x"}]}
        responses = [
            client.get(f"{base}/"),
            client.put(f"{base}/ratings/", rating, format="json"),
            client.post(f"{base}/submit/"),
            client.put(f"{base}/consensus/", rating, format="json"),
            client.post(f"{base}/finalise/", {"next_review_on": FUTURE}, format="json"),
            client.get(f"/api/v1/assessments/{RANDOM_ID}/"),
        ]
        assert [r.status_code for r in responses] == [404] * 6
        assert all(r.json() == NOT_FOUND for r in responses)

    def test_submitting_needs_every_item_rated_or_a_known_unknown_with_rationale(self, api_as, world):
        assessment = _open(world)
        client = api_as("pn.psychologist")
        ratings = _full_ratings(assessment.instrument)
        ratings[0]["rationale"] = ""
        client.put(f"/api/v1/assessments/{assessment.pk}/ratings/", {"ratings": ratings[:-1]}, format="json")
        response = client.post(f"/api/v1/assessments/{assessment.pk}/submit/")
        assert response.status_code == 400
        problems = " ".join(response.json()["ratings"])
        assert ratings[-1]["item"] in problems and f"Rationale missing for: {ratings[0]['item']}" in problems
        ratings[0]["rationale"] = "Now written."
        ratings[-1] = {"item": ratings[-1]["item"], "rating": None, "rationale": "Nobody has asked yet."}
        client.put(f"/api/v1/assessments/{assessment.pk}/ratings/", {"ratings": ratings}, format="json")
        response = client.post(f"/api/v1/assessments/{assessment.pk}/submit/")
        assert response.status_code == 200
        assert response.json()["progress"] == {"submitted": 1, "assessors": 2} and response.json()["status"] == "draft"
        # Submitted ratings no longer change.
        changed = client.put(f"/api/v1/assessments/{assessment.pk}/ratings/", {"ratings": ratings[:1]}, format="json")
        assert changed.status_code == 400

    def test_an_assessor_cannot_read_anothers_ratings_before_submitting(self, api_as, world):
        assessment = _open(world)
        psychologist, officer = api_as("pn.psychologist"), api_as("prob.officer")
        url = f"/api/v1/assessments/{assessment.pk}/"
        psych_ratings = _full_ratings(assessment.instrument, lambda code, item: 2 if code == "rp.current_intent" else 1)
        psychologist.put(f"{url}ratings/", {"ratings": psych_ratings}, format="json")
        officer.put(f"{url}ratings/", {"ratings": _full_ratings(assessment.instrument)}, format="json")

        seen = officer.get(url).json()
        assert seen["ratings_hidden"] is True and seen["disagreements"] == []
        assert {r["assessor"] for r in seen["ratings"]} == {"prob.officer"}

        # The psychologist submits: the officer still sees only their own, the psychologist only submitted ones.
        psychologist.post(f"{url}submit/")
        assert {r["assessor"] for r in officer.get(url).json()["ratings"]} == {"prob.officer"}
        mine = psychologist.get(url).json()
        assert mine["ratings_hidden"] is False and {r["assessor"] for r in mine["ratings"]} == {"pn.psychologist"}

        officer.post(f"{url}submit/")
        both = officer.get(url).json()
        assert both["status"] == "consensus" and {r["assessor"] for r in both["ratings"]} == set(ASSESSORS)
        assert both["disagreements"] == [
            {
                "item": "rp.current_intent",
                "domain": "risk_profile",
                "text": both["disagreements"][0]["text"],
                "ratings": [
                    {"assessor": "pn.psychologist", "rating": 2, "decisive": False},
                    {"assessor": "prob.officer", "rating": 1, "decisive": False},
                ],
            }
        ]
        # A reader who is not an assessor sees the submitted ratings too, once they are submitted.
        assert len(api_as("police.liaison").get(url).json()["ratings"]) == 2 * len(assessment.items())


# --- consensus and finalising --------------------------------------------------------------------------------


class TestConsensusAndFinalise:
    def test_consensus_waits_for_every_assessor(self, api_as, world):
        assessment = _open(world)
        response = api_as("pn.psychologist").put(
            f"/api/v1/assessments/{assessment.pk}/consensus/",
            {"ratings": [{"item": "dl.housing", "rating": 1, "rationale": "Agreed."}]},
            format="json",
        )
        assert response.status_code == 400 and "2 still to submit" in response.json()["detail"]
        assert not ConsensusRating.objects.exists()

    def test_consensus_needs_a_rationale_and_only_assessors_record_it(self, api_as, world):
        assessment = _rated_and_submitted(world)
        url = f"/api/v1/assessments/{assessment.pk}/consensus/"
        missing = api_as("prob.officer").put(url, {"ratings": [{"item": "dl.housing", "rating": 1}]}, format="json")
        assert missing.status_code == 400 and "rationale is missing" in " ".join(missing.json()["ratings"])
        other = api_as("pn.casemanager").put(
            url, {"ratings": [{"item": "dl.housing", "rating": 1, "rationale": "x"}]}, format="json"
        )
        assert other.status_code == 403
        ok = api_as("prob.officer").put(
            url,
            {"ratings": [{"item": "dl.housing", "rating": None, "rationale": "Unknown: ask the municipality."}]},
            format="json",
        )
        assert ok.status_code == 200
        assert ok.json()["consensus"][0]["item"] == "dl.housing" and ok.json()["consensus"][0]["rating"] is None
        assert not ConsensusRating.objects.filter(rationale="x").exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"judgement": {"level": "moderate concern", "summary": "Mine."}}, "next_review_on"),
            (
                {"judgement": {"level": "moderate concern", "summary": "Mine."}, "next_review_on": None},
                "next_review_on",
            ),
            (
                {"judgement": {"level": "moderate concern", "summary": "Mine."}, "next_review_on": "2020-01-01"},
                "next_review_on",
            ),
            ({"judgement": {"level": "moderate concern", "summary": ""}, "next_review_on": FUTURE}, "judgement"),
            ({"next_review_on": FUTURE}, "judgement"),
            ({"judgement": {"level": "catastrophic", "summary": "Mine."}, "next_review_on": FUTURE}, "judgement"),
        ],
    )
    def test_finalising_without_judgement_or_next_review_date_is_400(self, api_as, world, payload, field):
        assessment = _agreed(world)
        response = api_as("pn.psychologist").post(
            f"/api/v1/assessments/{assessment.pk}/finalise/", payload, format="json"
        )
        assert response.status_code == 400
        assert field in response.json()
        assessment.refresh_from_db()
        assert assessment.status == "consensus" and assessment.judgement_level == assessment.judgement_summary == ""

    def test_finalising_without_a_consensus_rating_or_its_rationale_is_400(self, api_as, world):
        assessment = _rated_and_submitted(world)
        items = list(assessment.items())
        actions.do_record_consensus(
            assessment,
            ratings=[{"item": code, "rating": 1, "rationale": "Agreed."} for code in items[1:]],
            acting_user=_user("prob.officer"),
        )
        payload = {"judgement": {"level": "low concern", "summary": "Mine."}, "next_review_on": FUTURE}
        response = api_as("pn.psychologist").post(
            f"/api/v1/assessments/{assessment.pk}/finalise/", payload, format="json"
        )
        assert response.status_code == 400
        assert response.json()["consensus"] == [f"No consensus rating for: {items[0]}."]
        assert Assessment.objects.get(pk=assessment.pk).status == "consensus"

    def test_a_draft_cannot_be_finalised(self, api_as, world):
        assessment = _open(world)
        payload = {"judgement": {"level": "low concern", "summary": "Mine."}, "next_review_on": FUTURE}
        response = api_as("pn.psychologist").post(
            f"/api/v1/assessments/{assessment.pk}/finalise/", payload, format="json"
        )
        assert response.status_code == 400

    @pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "exit.worker"])
    def test_only_an_assessor_finalises(self, api_as, world, username):
        assessment = _agreed(world)
        payload = {"judgement": {"level": "low concern", "summary": "Mine."}, "next_review_on": FUTURE}
        response = api_as(username).post(f"/api/v1/assessments/{assessment.pk}/finalise/", payload, format="json")
        assert response.status_code == 403

    def test_finalising_records_the_persons_judgement_and_freezes_the_assessment(self, api_as, world):
        assessment = _agreed(world)
        client = api_as("prob.officer")
        words = "Protective factors grew: stable work, contact with her mother. Intent unclear; review in six months."
        response = client.post(
            f"/api/v1/assessments/{assessment.pk}/finalise/",
            {"judgement": {"level": "moderate concern", "summary": words}, "next_review_on": FUTURE},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == "finalised" and body["judgement"] == {"level": "moderate concern", "summary": words}
        assert body["finalised_by"] == "prob.officer" and body["finalised_on"] == timezone.localdate().isoformat()
        assert body["next_review_on"] == FUTURE
        summaries = {s["domain"]: s for s in body["domain_summaries"]}
        assert summaries["risk_profile"]["rated"] == 4 and summaries["risk_profile"]["risk_mean"] == 1.0
        base = f"/api/v1/assessments/{assessment.pk}"
        rating = {"ratings": [{"item": "dl.housing", "rating": 0, "rationale": "Changed my mind."}]}
        for response in [
            client.put(f"{base}/ratings/", rating, format="json"),
            client.put(f"{base}/consensus/", rating, format="json"),
            client.post(
                f"{base}/finalise/",
                {"judgement": {"level": "low concern", "summary": "x"}, "next_review_on": FUTURE},
                format="json",
            ),
            client.post(f"{base}/submit/"),
        ]:
            assert response.status_code == 400 and "finalised" in response.json()["detail"]
        assessment.refresh_from_db()
        assert assessment.judgement_summary == words and assessment.judgement_level == "moderate concern"

    def test_domain_summaries_count_known_unknowns_and_describe_protective_items(self, api_as, world):
        value = lambda code, item: None if code == "re.coping" else (2 if item["type"] == "protective" else 0)  # noqa: E731
        assessment = _rated_and_submitted(world)
        actions.do_record_consensus(
            assessment,
            ratings=[
                {"item": code, "rating": value(code, item), "rationale": "Agreed."}
                for code, item in assessment.items().items()
            ],
            acting_user=_user("pn.psychologist"),
        )
        body = api_as("pn.psychologist").get(f"/api/v1/assessments/{assessment.pk}/").json()
        resilience = next(s for s in body["domain_summaries"] if s["domain"] == "resilience")
        assert resilience == {
            "domain": "resilience",
            "name": "Resilience",
            "module": None,
            "items": 3,
            "rated": 2,
            "known_unknowns": 1,
            "risk_mean": None,
            "risk_max": None,
            "need_mean": 0.0,
            "need_max": 0,
            "protective_mean": 2.0,
        }


# --- sharing ---------------------------------------------------------------------------------------------------


class TestSharing:
    @pytest.mark.parametrize("username", RISK_READERS)
    def test_risk_assessment_is_read_by_the_matrix_readers(self, api_as, world, username):
        assessment = _finalised(world)
        response = api_as(username).get(f"/api/v1/assessments/{assessment.pk}/")
        assert response.status_code == 200
        listed = api_as(username).get(f"/api/v1/cases/{world.case.pk}/assessments/").json()
        assert [a["id"] for a in listed["results"]] == [str(assessment.pk)]

    @pytest.mark.parametrize("username", RISK_HIDDEN)
    def test_risk_assessment_is_hidden_from_everyone_else(self, api_as, world, username):
        assessment = _finalised(world)
        response = api_as(username).get(f"/api/v1/assessments/{assessment.pk}/")
        assert response.status_code == 404 and response.json() == NOT_FOUND
        listed = api_as(username).get(f"/api/v1/cases/{world.case.pk}/assessments/")
        assert listed.status_code == 404 or listed.json()["count"] == 0

    def test_child_welfare_sees_a_finalised_risk_assessment_only_once_the_trial_is_concluded(self, api_as, world):
        assessment = _finalised(world)
        url = f"/api/v1/assessments/{assessment.pk}/"
        assert api_as("cw.worker").get(url).status_code == 404
        case_actions.do_update_case(
            world.case,
            version=world.case.version,
            trial_concluded_on=timezone.localdate(),
            acting_user=_user("pn.casemanager"),
        )
        assert api_as("cw.worker").get(url).status_code == 200
        assert api_as("mentor.one").get(url).status_code == 404

    def test_prison_south_continues_from_the_assessment_after_a_transfer(self, api_as, world):
        assessment = _finalised(world)
        url = f"/api/v1/assessments/{assessment.pk}/"
        assert api_as("ps.casemanager").get(url).status_code == 404
        pn = _user("pn.casemanager")
        case_actions.do_start_custody_episode(
            world.case, facility=pn.organisation, started_on=timezone.localdate() - timedelta(days=30), acting_user=pn
        )
        case_actions.do_transfer(
            world.case,
            to_facility=Organisation.objects.get(slug="prison-south"),
            transferred_on=timezone.localdate(),
            handover_note="Assessment finalised; review due.",
            acting_user=pn,
        )
        response = api_as("ps.casemanager").get(url)
        assert response.status_code == 200 and response.json()["judgement"]["level"] == "moderate concern"

    def test_a_mental_health_evaluation_is_visible_only_to_mental_health(self, api_as, world):
        assessment = _finalised(
            world,
            instrument="continuum-psychological-evaluation",
            opener="mh.clinician",
            assessors=["mh.clinician"],
            level="needs trauma care",
        )
        url = f"/api/v1/assessments/{assessment.pk}/"
        assert api_as("mh.clinician").get(url).status_code == 200
        for username in [
            "pn.psychologist",
            "pn.casemanager",
            "prob.officer",
            "police.liaison",
            "cw.worker",
            "exit.worker",
        ]:
            assert api_as(username).get(url).status_code == 404, username

    def test_reads_by_other_organisations_are_disclosures(self, api_as, world):
        assessment = _finalised(world)
        api_as("police.liaison").get(f"/api/v1/assessments/{assessment.pk}/")
        disclosure = Disclosure.objects.get(record_type="assessment", viewer__username="police.liaison")
        assert disclosure.record_id == assessment.pk and disclosure.category == "risk_assessment"

    def test_denied_reads_are_audited(self, api_as, world):
        assessment = _open(world)
        api_as("mentor.one").get(f"/api/v1/assessments/{assessment.pk}/")
        assert AuditEvent.objects.filter(
            object_type="assessment", outcome="denied", actor__username="mentor.one"
        ).exists()


# --- list, trend ---------------------------------------------------------------------------------------------


class TestListAndTrend:
    def test_case_list_has_the_contract_fields(self, api_as, world):
        assessment = _finalised(world)
        body = api_as("prob.officer").get(f"/api/v1/cases/{world.case.pk}/assessments/").json()
        item = body["results"][0]
        assert {"id", "instrument", "status", "finalised_on", "judgement", "next_review_on"} <= set(item)
        assert item["id"] == str(assessment.pk) and item["judgement"]["level"] == "moderate concern"

    def test_case_list_query_count_does_not_grow_with_the_assessments(self, api_as, world):
        client = api_as("prob.officer")
        url = f"/api/v1/cases/{world.case.pk}/assessments/"
        _open(world)
        client.get(url)  # the first request of a token does one-off work (last use)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).json()["count"] == 1
        for _ in range(4):
            _open(world, assessors=["pn.psychologist", "prob.officer", "pn.casemanager"])
        with CaptureQueriesContext(connection) as five:
            assert client.get(url).json()["count"] == 5
        assert len(five) == len(one) <= 12

    def test_three_finalised_assessments_give_the_trend_series(self, api_as, world, monkeypatch):
        days = [date(2025, 1, 15), date(2025, 7, 15), date(2026, 1, 15)]
        risk = [2, 1, 0]
        protective = [0, 1, 2]
        ids = []
        for day, r, p in zip(days, risk, protective, strict=True):
            monkeypatch.setattr(timezone, "localdate", lambda *args, _day=day, **kwargs: _day)
            assessment = _agreed(world, value=lambda code, item, _r=r, _p=p: _p if item["type"] == "protective" else _r)
            actions.do_finalise_assessment(
                assessment,
                judgement_level="low concern",
                judgement_summary="Written by the officer.",
                next_review_on=day + timedelta(days=180),
                acting_user=_user("prob.officer"),
            )
            ids.append(str(assessment.pk))
        monkeypatch.undo()
        _open(world)  # a draft is not part of the trend
        response = api_as("police.liaison").get(f"/api/v1/cases/{world.case.pk}/assessment-trend/")
        assert response.status_code == 200
        (instrument,) = response.json()["instruments"]
        assert instrument["instrument"] == MAR
        assert (instrument["scale_min"], instrument["scale_max"]) == (0, 2)  # the chart's axis: the instrument's scale
        domains = {d["domain"]: d for d in instrument["domains"]}
        assert list(domains) == [
            "risk_profile",
            "family",
            "social_network",
            "personal_identity",
            "ideology",
            "daily_life",
            "resilience",
            "responsivity",
        ]
        series = domains["risk_profile"]["series"]
        assert [p["finalised_on"] for p in series] == [d.isoformat() for d in days]
        assert [p["assessment"] for p in series] == ids
        assert [p["risk_mean"] for p in series] == [2.0, 1.0, 0.0]
        assert [p["risk_max"] for p in series] == risk
        assert [p["protective_mean"] for p in domains["resilience"]["series"]] == [0.0, 1.0, 2.0]

    @pytest.mark.parametrize("username", ["mentor.one", "family.counsellor"])
    def test_trend_shows_nothing_to_those_who_may_not_see_the_assessments(self, api_as, world, username):
        _finalised(world)
        response = api_as(username).get(f"/api/v1/cases/{world.case.pk}/assessment-trend/")
        assert response.status_code == 200 and response.json()["instruments"] == []

    @pytest.mark.parametrize("username", ["ps.casemanager", "evaluator", "dpo", "admin"])
    def test_trend_of_an_invisible_case_is_404(self, api_as, world, username):
        assert api_as(username).get(f"/api/v1/cases/{world.case.pk}/assessment-trend/").status_code == 404


# --- no automated verdicts (EU AI Act Art. 5(1)(d)) ------------------------------------------------------------


JUDGEMENT_FIELDS = {"judgement_level", "judgement_summary"}
THE_ONE_WRITER = "do_finalise_assessment"


def _writes_to_judgement(tree: ast.AST, *, strict: bool = True) -> list[tuple[str, int]]:
    """(enclosing function, line) of every assignment to or keyword/setattr of a judgement field.

    ``strict`` (for the assessments package itself) also counts a ``setattr`` with a computed name and
    ``.update(**values)``, which could set anything; other apps use those for their own models.
    """
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr in JUDGEMENT_FIELDS:
                    found.append((function, node.lineno))
        if isinstance(node, ast.Call):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for keyword in node.keywords:
                if keyword.arg in JUDGEMENT_FIELDS and callee != THE_ONE_WRITER:
                    found.append((function, node.lineno))
            if callee == "setattr" and len(node.args) > 1:
                name = node.args[1]
                if (isinstance(name, ast.Constant) and name.value in JUDGEMENT_FIELDS) or (
                    strict and not isinstance(name, ast.Constant)
                ):
                    found.append((function, node.lineno))
            if strict and callee == "update" and any(k.arg is None for k in node.keywords):
                found.append((function, node.lineno))  # .update(**values) could set anything
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


class TestNoAutomatedVerdicts:
    def test_no_code_path_but_do_finalise_assessment_writes_a_judgement(self):
        src = Path(continuum.assessments.__file__).resolve().parent.parent
        writes = {}
        for path in sorted(src.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for function, line in _writes_to_judgement(tree, strict="assessments" in path.parts):
                writes.setdefault(f"{path.relative_to(src)}", []).append((function, line))
        assert set(writes) == {"assessments/actions.py"}, writes
        assert {function for function, _line in writes["assessments/actions.py"]} == {THE_ONE_WRITER}

    def test_the_scanner_finds_a_judgement_written_elsewhere(self):
        sneaky = (
            "def score(a):\n    a.judgement_level = 'high'\n\ndef other(qs):\n    qs.update(judgement_summary='x')\n"
        )
        assert _writes_to_judgement(ast.parse(sneaky)) == [("score", 2), ("other", 5)]

    def test_every_step_before_finalising_leaves_the_judgement_empty_and_finalising_copies_the_persons_words(
        self, api_as, world
    ):
        client = api_as("pn.psychologist")
        created = client.post(
            f"/api/v1/cases/{world.case.pk}/assessments/",
            {"instrument": MAR, "assessors": ["pn.psychologist"], "modules": ["gender", "youth"]},
            format="json",
        ).json()
        base = f"/api/v1/assessments/{created['id']}"
        instrument = Instrument.objects.get(code=MAR)
        high = _full_ratings(instrument, lambda code, item: 2, ["gender", "youth"])
        steps = [
            created,
            client.put(f"{base}/ratings/", {"ratings": high}, format="json").json(),
            client.post(f"{base}/submit/").json(),
            client.put(
                f"{base}/consensus/", {"ratings": [dict(r, rationale="Agreed.") for r in high]}, format="json"
            ).json(),
            client.get(f"{base}/").json(),
        ]
        for body in steps:
            assert body["judgement"] is None
        stored = Assessment.objects.get(pk=created["id"])
        assert stored.judgement_level == stored.judgement_summary == ""
        # Every item at its highest concern, and still the level is the person's choice, in their words.
        words = "Despite the ratings, I judge the concern low: the risks are historical and she has left the group."
        final = client.post(
            f"{base}/finalise/",
            {"judgement": {"level": "low concern", "summary": words}, "next_review_on": FUTURE},
            format="json",
        ).json()
        assert final["judgement"] == {"level": "low concern", "summary": words}
        stored.refresh_from_db()
        assert (stored.judgement_level, stored.judgement_summary, stored.finalised_by.username) == (
            "low concern",
            words,
            "pn.psychologist",
        )
