"""API.md, "Mentoring" (issue 16, DESIGN.md R8) through the API as the demo personas: mentor profiles
and supervision, suggestions with their reasons, matches (both consents), sessions and ending.

The world is tests/api_world.py: Amira's case (a woman born 1994, lead Prison North) has every demo
organisation but Prison South as a member, Mentor Network among them (mentor.one responsible).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from continuum.accounts.models import User
from continuum.cases.models import CaseMember
from continuum.mentoring import actions
from continuum.mentoring.models import MentoringSession, MentorProfile, Supervision
from continuum.plans import actions as plan_actions
from tests.api_world import NOT_FOUND, OUTSIDERS, RANDOM_ID
from tests.plans_world import org, plan_with_goal, user

pytestmark = pytest.mark.django_db

MATCHERS = ["pn.casemanager", "prob.officer"]  # the lead's case manager; probation's case manager
NOT_MATCHERS = ["police.liaison", "exit.worker", "mentor.one", "cw.worker", "mh.clinician"]


@pytest.fixture
def api_as(api_as):
    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def today() -> date:
    return timezone.localdate()


def mentor_user(username: str, first: str = "Test", last: str = "Mentor") -> User:
    return User.objects.create(
        username=username, first_name=first, last_name=last, organisation=org("mentor-network"), role="mentor"
    )


def profile(username: str = "mentor.one", **fields: Any) -> MentorProfile:
    target = User.objects.select_related("organisation").get(username=username)
    defaults: dict[str, Any] = {
        "type": "volunteer",
        "languages": ["nl"],
        "gender": "male",
        "experience": [],
        "capacity": 2,
        "vetted_on": today() - timedelta(days=30),
    }
    defaults.update(fields)
    return actions.do_create_profile(user=target, acting_user=user("cp.coordinator"), **defaults)


def supervised(p: MentorProfile, days_ago: int = 10) -> Supervision:
    return actions.do_record_supervision(
        p, held_on=today() - timedelta(days=days_ago), acting_user=user("cp.coordinator")
    )


def matched(world: Any, p: MentorProfile, by: str = "pn.casemanager") -> Any:
    return actions.do_match(
        world.case, mentor=p, mentee_consent_on=today(), mentor_consent_on=today(), acting_user=user(by)
    )


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


# --- profiles ---------------------------------------------------------------------------------------------


class TestProfiles:
    def test_the_central_coordinator_creates_a_profile(self, api_as, world):
        payload = {"user": "mentor.one", "type": "former", "languages": ["nl", "ar"], "gender": "male",
                   "experience": ["right_wing"], "capacity": 2, "vetted_on": str(today()),
                   "disengagement_reviewed_on": str(today())}  # fmt: skip
        response = api_as("cp.coordinator").post("/api/v1/mentors/", payload)
        assert response.status_code == 201, response.json()
        assert response.json()["vetting"] == "vetted" and response.json()["user"] == "mentor.one"

    def test_a_mentoring_coordinator_creates_for_its_own_organisation(self, api_as, world):
        User.objects.create(username="mn.coordinator", organisation=org("mentor-network"), role="coordinator")
        mentor_user("mentor.two")
        response = api_as("mn.coordinator").post("/api/v1/mentors/", {"user": "mentor.two", "type": "volunteer"})
        assert response.status_code == 201, response.json()
        assert response.json()["vetting"] == "pending"

    @pytest.mark.parametrize("username", ["muni.coordinator", "pn.casemanager", "mentor.one", "police.liaison"])
    def test_others_may_not_create(self, api_as, world, username):
        response = api_as(username).post("/api/v1/mentors/", {"user": "mentor.one", "type": "volunteer"})
        assert response.status_code == 403

    def test_bad_input_is_a_400(self, api_as, world):
        response = api_as("cp.coordinator").post("/api/v1/mentors/", {"user": "pn.casemanager", "type": "volunteer"})
        assert response.status_code == 400
        response = api_as("cp.coordinator").post("/api/v1/mentors/", {"user": "mentor.one", "type": "nonsense"})
        assert response.status_code == 400
        assert not MentorProfile.objects.exists()

    def test_who_reads_profiles(self, api_as, world):
        profile()
        mentor_user("mentor.two")
        profile("mentor.two")
        assert len(results(api_as("cp.coordinator").get("/api/v1/mentors/"))) == 2
        assert len(results(api_as("prob.officer").get("/api/v1/mentors/"))) == 2
        own = results(api_as("mentor.one").get("/api/v1/mentors/"))
        assert [p["user"] for p in own] == ["mentor.one"]
        assert results(api_as("police.liaison").get("/api/v1/mentors/")) == []

    def test_supervision(self, api_as, world):
        p = profile()
        url = f"/api/v1/mentors/{p.pk}/supervision/"
        response = api_as("cp.coordinator").post(url, {"held_on": str(today()), "supervisor": "S", "note": "ok"})
        assert response.status_code == 201, response.json()
        assert api_as("prob.officer").post(url, {"held_on": str(today())}).status_code == 403
        assert api_as("mentor.one").post(url, {"held_on": str(today())}).status_code == 403
        assert api_as("police.liaison").post(url, {"held_on": str(today())}).status_code == 404
        assert api_as("cp.coordinator").post(f"/api/v1/mentors/{RANDOM_ID}/supervision/", {}).status_code == 404
        future = str(today() + timedelta(days=3))
        assert api_as("cp.coordinator").post(url, {"held_on": future}).status_code == 400


# --- suggestions ------------------------------------------------------------------------------------------


class TestSuggestions:
    def test_reasons_and_order(self, api_as, world):
        world.amira.languages = ["ar", "nl"]
        world.amira.save()
        best = profile("mentor.one", languages=["ar"], gender="female", experience=["women"])
        supervised(best)
        mentor_user("mentor.b", "Bea", "Aalders")
        second = profile("mentor.b", languages=["nl"], gender="female", experience=[])
        supervised(second)
        mentor_user("mentor.c", "Carl", "Aalders")
        third = profile("mentor.c", languages=["fr"], gender="male", experience=[])
        mentor_user("mentor.d", "Dirk", "Stale")
        profile("mentor.d", languages=["ar"], vetted_on=today() - timedelta(days=900))
        found = api_as("pn.casemanager").get(f"/api/v1/cases/{world.case.pk}/mentor-suggestions/?gender=female")
        assert found.status_code == 200, found.json()
        data = found.json()
        assert [d["mentor"] for d in data][:3] == [str(best.pk), str(second.pk), str(third.pk)]
        assert len(data) == 4
        reasons = " ".join(data[0]["reasons"])
        assert "Speaks a language of the person (ar)" in reasons
        assert "Matches the gender preference." in reasons and "Has experience with women." in reasons
        assert "Supervision is in date." in reasons and "Vetting is in date." in reasons
        third_reasons = data[2]["reasons"]
        assert "Speaks none of the person's languages." in third_reasons
        assert "No supervision in the last three months." in third_reasons
        assert "Vetting is out of date." in data[3]["reasons"]
        assert data[0]["score"] > data[1]["score"] > data[2]["score"] > data[3]["score"]
        assert not world.case.pk or not actions.Mentoring.objects.exists()  # a suggestion is never a match

    def test_query_count_is_bounded(self, api_as, world):
        client = api_as("pn.casemanager")
        for i in range(2):
            mentor_user(f"mentor.q{i}")
            supervised(profile(f"mentor.q{i}"))
        url = f"/api/v1/cases/{world.case.pk}/mentor-suggestions/"
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for i in range(2, 8):
            mentor_user(f"mentor.q{i}")
            supervised(profile(f"mentor.q{i}"))
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(url).json()) == 8
        assert len(many) <= len(few)

    @pytest.mark.parametrize("username", NOT_MATCHERS)
    def test_who_may_not_read(self, api_as, world, username):
        assert api_as(username).get(f"/api/v1/cases/{world.case.pk}/mentor-suggestions/").status_code == 403

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_get_404(self, api_as, world, username):
        response = api_as(username).get(f"/api/v1/cases/{world.case.pk}/mentor-suggestions/")
        assert response.status_code == 404


# --- matching ---------------------------------------------------------------------------------------------


class TestMatch:
    @pytest.mark.parametrize("username", MATCHERS)
    def test_matchers_match(self, api_as, world, username):
        p = profile()
        payload = {"mentor": str(p.pk), "mentee_consent_on": str(today()), "mentor_consent_on": str(today())}
        response = api_as(username).post(f"/api/v1/cases/{world.case.pk}/mentoring/", payload)
        assert response.status_code == 201, response.json()
        assert response.json()["mentor"] == str(p.pk) and response.json()["id"]

    @pytest.mark.parametrize("username", NOT_MATCHERS)
    def test_others_may_not(self, api_as, world, username):
        p = profile()
        payload = {"mentor": str(p.pk), "mentee_consent_on": str(today()), "mentor_consent_on": str(today())}
        assert api_as(username).post(f"/api/v1/cases/{world.case.pk}/mentoring/", payload).status_code == 403

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_404(self, api_as, world, username):
        assert api_as(username).post(f"/api/v1/cases/{world.case.pk}/mentoring/", {}).status_code == 404

    @pytest.mark.parametrize("missing", ["mentee_consent_on", "mentor_consent_on"])
    def test_no_match_without_both_consents(self, api_as, world, missing):
        p = profile()
        payload = {"mentor": str(p.pk), "mentee_consent_on": str(today()), "mentor_consent_on": str(today())}
        del payload[missing]
        response = api_as("pn.casemanager").post(f"/api/v1/cases/{world.case.pk}/mentoring/", payload)
        assert response.status_code == 400 and missing in response.json()
        payload[missing] = str(today() + timedelta(days=1))
        response = api_as("pn.casemanager").post(f"/api/v1/cases/{world.case.pk}/mentoring/", payload)
        assert response.status_code == 400
        assert not actions.Mentoring.objects.exists()

    def test_full_capacity_and_stale_vetting_refused(self, api_as, world):
        p = profile(capacity=1)
        matched(world, p)
        payload = {"mentor": str(p.pk), "mentee_consent_on": str(today()), "mentor_consent_on": str(today())}
        assert (
            api_as("muni.coordinator").post(f"/api/v1/cases/{world.other_case.pk}/mentoring/", payload).status_code
            == 400
        )
        mentor_user("mentor.old")
        old = profile("mentor.old", vetted_on=today() - timedelta(days=800))
        payload["mentor"] = str(old.pk)
        assert api_as("pn.casemanager").post(f"/api/v1/cases/{world.case.pk}/mentoring/", payload).status_code == 400

    def test_the_mentoring_organisation_joins_the_case(self, api_as, world):
        p = profile()
        payload = {"mentor": str(p.pk), "mentee_consent_on": str(today()), "mentor_consent_on": str(today())}
        response = api_as("muni.coordinator").post(f"/api/v1/cases/{world.other_case.pk}/mentoring/", payload)
        assert response.status_code == 201, response.json()
        member = CaseMember.objects.get(case=world.other_case, organisation=org("mentor-network"), until__isnull=True)
        assert member.responsible.username == "mentor.one"


# --- sessions and ending ----------------------------------------------------------------------------------


class TestSessionsAndEnd:
    def test_only_the_mentor_records_sessions(self, api_as, world):
        m = matched(world, profile())
        url = f"/api/v1/mentoring/{m.pk}/sessions/"
        response = api_as("mentor.one").post(url, {"held_on": str(today()), "note": "Walked in the park."})
        assert response.status_code == 201, response.json()
        assert api_as("pn.casemanager").post(url, {"held_on": str(today())}).status_code == 403
        assert api_as("ps.casemanager").post(url, {"held_on": str(today())}).status_code == 404
        assert api_as("mentor.one").post(url, {"held_on": "soon"}).status_code == 400

    def test_end_requires_a_reason_and_leaves_the_team(self, api_as, world):
        p = profile()
        response = api_as("muni.coordinator").post(
            f"/api/v1/cases/{world.other_case.pk}/mentoring/",
            {"mentor": str(p.pk), "mentee_consent_on": str(today()), "mentor_consent_on": str(today())},
        )
        mid = response.json()["id"]
        url = f"/api/v1/mentoring/{mid}/end/"
        assert api_as("mentor.one").post(url, {"reason": "x"}).status_code == 403
        assert api_as("muni.coordinator").post(url, {}).status_code == 400
        assert api_as("muni.coordinator").post(url, {"reason": "Goals reached."}).status_code == 200
        assert not CaseMember.objects.filter(
            case=world.other_case, organisation=org("mentor-network"), until__isnull=True
        ).exists()
        assert (
            api_as("mentor.one").post(f"/api/v1/mentoring/{mid}/sessions/", {"held_on": str(today())}).status_code
            == 404
        )

    def test_ended_match_takes_no_sessions(self, api_as, world):
        from django.core.exceptions import ValidationError

        m = matched(world, profile())
        actions.do_end_mentoring(m, reason="Moved away.", acting_user=user("pn.casemanager"))
        m.refresh_from_db()
        with pytest.raises(ValidationError):
            actions.do_record_mentoring_session(m, held_on=today(), acting_user=user("mentor.one"))
        # Mentor Network had no other match on the case: it left the team, so the match is now a 404.
        response = api_as("mentor.one").post(f"/api/v1/mentoring/{m.pk}/sessions/", {"held_on": str(today())})
        assert response.status_code == 404


# --- R8 ---------------------------------------------------------------------------------------------------


class TestR8:
    def test_the_mentor_sees_identity_assigned_milestones_and_its_own_sessions_only(self, api_as, world):
        m = matched(world, profile())
        actions.do_record_mentoring_session(m, held_on=today(), note="Mine.", acting_user=user("mentor.one"))
        _plan, goal, steps = plan_with_goal(world.case)
        mine = plan_actions.do_add_milestone(
            goal, description="Visit the school with the mentor", target_on=today() + timedelta(days=7),
            assigned_organisation=org("mentor-network"), acting_user=user("pn.casemanager"),
        )  # fmt: skip
        client = api_as("mentor.one")
        case = client.get(f"/api/v1/cases/{world.case.pk}/")
        assert case.status_code == 200
        listing = results(client.get(f"/api/v1/cases/{world.case.pk}/mentoring/"))
        assert [x["id"] for x in listing] == [str(m.pk)]
        detail = client.get(f"/api/v1/mentoring/{m.pk}/").json()
        assert [s["note"] for s in detail["sessions"]] == ["Mine."]
        for path in ("entries", "assessments", "interventions", "plans"):
            assert results(client.get(f"/api/v1/cases/{world.case.pk}/{path}/")) == [], path
        assert client.get(f"/api/v1/cases/{world.case.pk}/plan/").status_code == 404
        assert client.get(f"/api/v1/goals/{goal.pk}/").status_code == 404
        assert client.get(f"/api/v1/milestones/{steps[0].pk}/").status_code == 404
        assigned = client.get(f"/api/v1/milestones/{mine.pk}/")
        assert assigned.status_code == 200 and assigned.json()["description"] == "Visit the school with the mentor"
        # The team still reads what the mentor cannot (the lead's case manager, for one).
        assert len(results(api_as("pn.casemanager").get(f"/api/v1/cases/{world.case.pk}/entries/"))) > 0

    def test_r0_is_per_organisation_and_outsiders_never_read_sessions(self, api_as, world):
        """R0 is the organisation's: a colleague's session is Mentor Network's too; Prison South (not
        a member) never reads it."""
        mentor_user("mentor.two")
        other = matched(world, profile("mentor.two"))
        actions.do_record_mentoring_session(other, held_on=today(), note="Theirs.", acting_user=user("mentor.two"))
        detail = api_as("mentor.one").get(f"/api/v1/mentoring/{other.pk}/").json()
        assert [s["note"] for s in detail["sessions"]] == ["Theirs."]
        assert api_as("ps.casemanager").get(f"/api/v1/mentoring/{other.pk}/").status_code == 404
        assert MentoringSession.objects.count() == 1

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_outsiders_see_nothing(self, api_as, world, username):
        m = matched(world, profile())
        client = api_as(username)
        assert client.get(f"/api/v1/mentoring/{m.pk}/").status_code == 404
        assert client.get(f"/api/v1/cases/{world.case.pk}/mentoring/").status_code == 404
        assert client.post(f"/api/v1/mentoring/{m.pk}/end/", {"reason": "x"}).status_code == 404
        assert client.get(f"/api/v1/mentoring/{RANDOM_ID}/").json() == NOT_FOUND
