"""API.md, "Training" (issue 16) through the API as the demo personas: the course catalogue,
completions with their expiry, a user's training, requirements, a case team's gaps and the warning
when an assessor lacks a required course.

The world is tests/api_world.py: Amira's case (a woman, lead Prison North) has every demo
organisation but Prison South as a member, each with a responsible practitioner. Training is about
staff, not about the persons of cases: a user reads their own, a coordinator their organisation's,
the central point's coordinator everyone's; reads are audited. Dates are explicit (``today=``), so
expiry does not depend on the day the tests run.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from continuum.assessments import actions as assessment_actions
from continuum.assessments.models import Assessment
from continuum.audit.models import AuditEvent
from continuum.training import actions
from continuum.training.models import Completion, Course, CourseSession, Requirement
from tests.api_world import NOT_FOUND, OUTSIDERS
from tests.plans_world import user

pytestmark = pytest.mark.django_db

MAR = "continuum-mar-spj"
COORDINATORS = ["cp.coordinator", "muni.coordinator"]
NOT_COORDINATORS = ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "evaluator", "dpo"]
ASSESSORS = ["pn.psychologist", "prob.officer"]


@pytest.fixture
def api_as(api_as):
    def make(username: str) -> APIClient:
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def today() -> date:
    return timezone.localdate()


def course(code: str = "gender-awareness", months: int | None = 24, instrument: str = "") -> Course:
    return actions.do_create_course(
        code=code, name=code.replace("-", " ").capitalize(), topic="other", validity_months=months,
        instrument=instrument, acting_user=user("cp.coordinator"),
    )  # fmt: skip


def completed(username: str, of: Course, on: date) -> Completion:
    return actions.do_record_completion(of, user=user(username), completed_on=on, acting_user=user("cp.coordinator"))


def requirement(of: Course, **criteria: Any) -> Requirement:
    return actions.do_create_requirement(course=of, acting_user=user("cp.coordinator"), **criteria)


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


# --- the catalogue ---------------------------------------------------------------------------------------


class TestCourses:
    @pytest.mark.parametrize("username", COORDINATORS)
    def test_coordinators_add_courses(self, api_as, world, username):
        payload = {"code": "media-handling", "name": "Handling media", "topic": "media_handling"}
        response = api_as(username).post("/api/v1/courses/", payload)
        assert response.status_code == 201, response.json()
        assert response.json() == {**payload, "validity_months": None, "instrument": ""}
        assert AuditEvent.objects.filter(action="create", object_type="course").exists()

    @pytest.mark.parametrize("username", NOT_COORDINATORS)
    def test_others_may_not(self, api_as, world, username):
        response = api_as(username).post("/api/v1/courses/", {"code": "x", "name": "X", "topic": "other"})
        assert response.status_code == 403
        assert not Course.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"code": "not a slug", "name": "X", "topic": "other"}, "code"),
            ({"code": "x", "name": "X", "topic": "astrology"}, "topic"),
            ({"code": "x", "name": "X", "topic": "other", "validity_months": 0}, "validity_months"),
            ({"code": "x", "name": "X", "topic": "other", "instrument": "no-such-tool"}, "instrument"),
            ({"code": "existing", "name": "X", "topic": "other"}, "code"),
            ({"name": "X", "topic": "other"}, "code"),
        ],
    )
    def test_bad_input_is_400(self, api_as, world, payload, field):
        course("existing")
        response = api_as("cp.coordinator").post("/api/v1/courses/", payload)
        assert response.status_code == 400 and field in response.json(), response.json()
        assert Course.objects.count() == 1

    def test_a_certification_names_a_known_instrument(self, api_as, world):
        payload = {"code": "mar", "name": "MAR", "topic": "instrument_certification", "instrument": MAR}
        assert api_as("muni.coordinator").post("/api/v1/courses/", payload).status_code == 201

    @pytest.mark.parametrize("username", [*COORDINATORS, *NOT_COORDINATORS])
    def test_everyone_reads_the_catalogue(self, api_as, world, username):
        course("b-course")
        course("a-course", months=None)
        assert [c["code"] for c in results(api_as(username).get("/api/v1/courses/"))] == ["a-course", "b-course"]


# --- completions -------------------------------------------------------------------------------------------


class TestCompletions:
    def url(self, code: str = "gender-awareness") -> str:
        return f"/api/v1/courses/{code}/completions/"

    @pytest.mark.parametrize(
        ("coordinator", "trainee"),
        [
            ("cp.coordinator", "pn.psychologist"),
            ("cp.coordinator", "police.liaison"),
            ("muni.coordinator", "muni.coordinator"),
        ],
    )
    def test_a_coordinator_records_a_completion_with_its_expiry(self, api_as, world, coordinator, trainee):
        course()
        on = today() - timedelta(days=10)
        response = api_as(coordinator).post(self.url(), {"user": trainee, "completed_on": on.isoformat()})
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["user"] == trainee and body["course"] == "gender-awareness" and body["recorded_by"] == coordinator
        assert body["valid_until"] == actions.add_months(on, 24).isoformat()
        assert AuditEvent.objects.filter(action="create", object_type="course_completion").exists()

    def test_a_course_that_never_expires(self, api_as, world):
        course(months=None)
        body = api_as("cp.coordinator").post(self.url(), {"user": "exit.worker", "completed_on": "2020-05-01"}).json()
        assert body["valid_until"] is None

    @pytest.mark.parametrize(
        "username", ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "evaluator", "dpo"]
    )
    def test_who_is_not_a_coordinator_may_not(self, api_as, world, username):
        course()
        response = api_as(username).post(self.url(), {"user": username, "completed_on": "2025-01-01"})
        assert response.status_code == 403 and not Completion.objects.exists()

    def test_a_coordinator_records_only_for_their_organisation(self, api_as, world):
        course()
        response = api_as("muni.coordinator").post(self.url(), {"user": "pn.casemanager", "completed_on": "2025-01-01"})
        assert response.status_code == 400 and "user" in response.json()
        assert not Completion.objects.exists()

    def test_an_unknown_course_is_404(self, api_as, world):
        response = api_as("cp.coordinator").post(
            self.url("nope"), {"user": "exit.worker", "completed_on": "2025-01-01"}
        )
        assert response.status_code == 404 and response.json() == NOT_FOUND

    @pytest.mark.parametrize(
        "payload",
        [
            {"user": "nobody", "completed_on": "2025-01-01"},
            {"user": "exit.worker", "completed_on": "1899-12-31"},
            {"user": "exit.worker", "completed_on": "0001-01-01"},
            {"user": "exit.worker", "completed_on": "not a day"},
            {"user": "exit.worker"},
            {"completed_on": "2025-01-01"},
        ],
    )
    def test_bad_input_is_400(self, api_as, world, payload):
        course()
        response = api_as("cp.coordinator").post(self.url(), payload)
        assert response.status_code == 400, response.json()
        assert not Completion.objects.exists()

    def test_a_day_in_the_future_is_400(self, api_as, world):
        course()
        tomorrow = (today() + timedelta(days=1)).isoformat()
        response = api_as("cp.coordinator").post(self.url(), {"user": "exit.worker", "completed_on": tomorrow})
        assert response.status_code == 400 and "completed_on" in response.json()


class TestExpiry:
    @pytest.mark.parametrize(
        ("on", "months", "until"),
        [
            (date(2024, 1, 31), 1, date(2024, 2, 29)),  # a leap year's February
            (date(2023, 1, 31), 1, date(2023, 2, 28)),
            (date(2024, 2, 29), 12, date(2025, 2, 28)),
            (date(2024, 11, 15), 3, date(2025, 2, 15)),
            (date(2024, 5, 31), 24, date(2026, 5, 31)),
        ],
    )
    def test_validity_is_in_calendar_months(self, on, months, until):
        assert actions.add_months(on, months) == until

    def test_a_completion_is_valid_through_its_last_day(self, world):
        c = completed("exit.worker", course(months=12), date(2024, 3, 10))
        assert c.valid_until == date(2025, 3, 10)
        assert not actions.is_expired(c, date(2025, 3, 10))
        assert actions.is_expired(c, date(2025, 3, 11))

    def test_a_gap_opens_the_day_after_expiry(self, world):
        requirement(course(months=12), case_gender="female")
        completed("exit.worker", Course.objects.get(), date(2024, 3, 10))
        on_time = [
            g for g in actions.training_gaps(world.case, today=date(2025, 3, 10)) if g.user.username == "exit.worker"
        ]
        late = [
            g for g in actions.training_gaps(world.case, today=date(2025, 3, 11)) if g.user.username == "exit.worker"
        ]
        assert on_time == [] and len(late) == 1
        assert "expired on" in late[0].reason and "woman's case" in late[0].reason

    def test_the_longest_valid_completion_counts(self, world):
        requirement(course(months=12), case_gender="female")
        completed("exit.worker", Course.objects.get(), date(2024, 3, 10))
        completed("exit.worker", Course.objects.get(), date(2023, 3, 10))
        gaps = actions.training_gaps(world.case, today=date(2025, 1, 1))
        assert "exit.worker" not in {g.user.username for g in gaps}


# --- a user's training -----------------------------------------------------------------------------------


class TestUserTraining:
    def url(self, username: str) -> str:
        return f"/api/v1/users/{username}/training/"

    @pytest.mark.parametrize(
        ("reader", "trainee"),
        [
            ("pn.psychologist", "pn.psychologist"),
            ("exit.worker", "exit.worker"),
            ("dpo", "dpo"),
            ("cp.coordinator", "pn.psychologist"),
            ("cp.coordinator", "exit.worker"),
            ("muni.coordinator", "muni.coordinator"),
        ],
    )
    def test_the_user_and_their_coordinators_read_it(self, api_as, world, reader, trainee):
        c = course(months=12)
        completed(trainee, c, today() - timedelta(days=800))
        completed(trainee, course("media", months=None), today() - timedelta(days=5))
        rows = results(api_as(reader).get(self.url(trainee)))
        assert [(r["course"], r["expired"]) for r in rows] == [("media", False), ("gender-awareness", True)]
        assert rows[0]["valid_until"] is None and rows[1]["valid_until"] == c.completions.get().valid_until.isoformat()
        assert AuditEvent.objects.filter(action="read", object_type="training", actor__username=reader).exists()

    @pytest.mark.parametrize(
        ("reader", "trainee"),
        [
            ("muni.coordinator", "pn.casemanager"),  # another organisation's user: "not there"
            ("pn.casemanager", "pn.psychologist"),  # a colleague who is not a coordinator
            ("prob.officer", "prob.officer2"),
            ("police.liaison", "exit.worker"),
            ("evaluator", "exit.worker"),
            ("dpo", "exit.worker"),
            ("cp.coordinator", "no-such-user"),
        ],
    )
    def test_anyone_else_gets_404(self, api_as, world, reader, trainee):
        if trainee != "no-such-user":
            completed(trainee, course(), today() - timedelta(days=5))
        response = api_as(reader).get(self.url(trainee))
        assert response.status_code == 404 and response.json() == NOT_FOUND


# --- requirements ------------------------------------------------------------------------------------------


class TestRequirements:
    url = "/api/v1/training-requirements/"

    @pytest.mark.parametrize(
        "criteria",
        [{"role": "case_manager"}, {"org_type": "prison"}, {"instrument": MAR}, {"case_gender": "female"},
         {"role": "psychologist", "instrument": MAR}],
    )  # fmt: skip
    @pytest.mark.parametrize("username", COORDINATORS)
    def test_coordinators_say_who_needs_a_course(self, api_as, world, username, criteria):
        course()
        response = api_as(username).post(self.url, {"course": "gender-awareness", **criteria})
        assert response.status_code == 201, response.json()
        assert {k: response.json()[k] for k in criteria} == criteria and response.json()["course"] == "gender-awareness"
        assert [r["id"] for r in results(api_as("exit.worker").get(self.url))] == [response.json()["id"]]

    @pytest.mark.parametrize("username", NOT_COORDINATORS)
    def test_others_may_not(self, api_as, world, username):
        course()
        response = api_as(username).post(self.url, {"course": "gender-awareness", "role": "case_manager"})
        assert response.status_code == 403 and not Requirement.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"course": "gender-awareness", "role": "wizard"}, "role"),
            ({"course": "gender-awareness", "org_type": "castle"}, "org_type"),
            ({"course": "gender-awareness", "instrument": "no-such-tool"}, "instrument"),
            ({"course": "gender-awareness", "case_gender": "plural"}, "case_gender"),
            ({"course": "no-such-course", "role": "case_manager"}, "course"),
            ({"course": "gender-awareness"}, "course"),
            ({"role": "case_manager"}, "course"),
        ],
    )
    def test_bad_input_is_400(self, api_as, world, payload, field):
        course()
        response = api_as("cp.coordinator").post(self.url, payload)
        assert response.status_code == 400 and field in response.json(), response.json()
        assert not Requirement.objects.exists()

    def test_every_criterion_given_must_match(self, world):
        c = course()
        by_role = requirement(c, role="case_manager")
        by_type = requirement(c, org_type="prison")
        by_instrument = requirement(c, instrument=MAR)
        by_gender = requirement(c, case_gender="female")
        both = requirement(c, org_type="probation", instrument=MAR)
        ids = lambda found: {r.pk for r in found}  # noqa: E731
        assert ids(actions.requirements_for(user("pn.casemanager"))) == {by_role.pk, by_type.pk}
        assert ids(actions.requirements_for(user("pn.psychologist"))) == {by_type.pk}
        assert ids(actions.requirements_for(user("pn.psychologist"), instrument=MAR)) == {by_type.pk, by_instrument.pk}
        assert ids(actions.requirements_for(user("prob.officer"), instrument=MAR)) == {
            by_role.pk, by_instrument.pk, both.pk,
        }  # fmt: skip
        assert ids(actions.requirements_for(user("exit.worker"), world.case)) == {by_gender.pk}  # Amira: a woman
        assert ids(actions.requirements_for(user("exit.worker"), world.other_case)) == set()  # Bilal: a man
        assert ids(actions.requirements_for(user("exit.worker"))) == set()  # no case: no gender to match


# --- a case team's gaps ------------------------------------------------------------------------------------


class TestGaps:
    def url(self, world: Any) -> str:
        return f"/api/v1/cases/{world.case.pk}/training-gaps/"

    @pytest.mark.parametrize(
        "username",
        ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "cp.coordinator", "muni.coordinator"],
    )
    def test_the_members_of_the_case_read_them(self, api_as, world, username):
        requirement(course(), case_gender="female")
        completed("exit.worker", Course.objects.get(), today() - timedelta(days=30))
        rows = results(api_as(username).get(self.url(world)))
        gapped = {r["user"] for r in rows}
        assert "exit.worker" not in gapped and {"prob.officer", "police.liaison", "cw.worker"} <= gapped
        assert {r["reason"] for r in rows} == {"needed for a woman's case"}
        assert {r["course"] for r in rows} == {"gender-awareness"}
        assert AuditEvent.objects.filter(action="read", object_type="training_gaps", case_id=world.case.pk).exists()

    @pytest.mark.parametrize("username", OUTSIDERS)
    def test_who_is_not_on_the_case_gets_404(self, api_as, world, username):
        response = api_as(username).get(self.url(world))
        assert response.status_code == 404 and response.json() == NOT_FOUND

    def test_an_unknown_case_is_404(self, api_as, world):
        response = api_as("cp.coordinator").get("/api/v1/cases/not-a-case/training-gaps/")
        assert response.status_code == 404 and response.json() == NOT_FOUND

    def test_the_assessors_of_open_assessments_need_the_instrument_certification(self, api_as, world):
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR)
        completed("prob.officer", cert, today() - timedelta(days=30))
        completed("pn.psychologist", cert, today() - timedelta(days=800))
        assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user(u) for u in ASSESSORS], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        rows = results(api_as("pn.casemanager").get(self.url(world)))
        assert [(r["user"], r["course"]) for r in rows] == [("pn.psychologist", "mar")]
        assert rows[0]["reason"].startswith(f"certification for the instrument {MAR}; expired on")

    def test_query_count_is_bounded(self, api_as, world, django_assert_max_num_queries):
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR)
        requirement(course(), case_gender="female")
        requirement(course("cases", months=None), role="case_manager")
        assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user(u) for u in ASSESSORS], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        client = api_as("pn.casemanager")
        with django_assert_max_num_queries(20):
            rows = results(client.get(self.url(world)))
        assert len(rows) > 10


# --- the assessment warning --------------------------------------------------------------------------------


class TestAssessmentWarning:
    def open(self, api_as: Any, world: Any) -> Any:
        return api_as("pn.psychologist").post(
            f"/api/v1/cases/{world.case.pk}/assessments/", {"instrument": MAR, "assessors": ASSESSORS}
        )

    def test_an_assessor_without_the_certification_is_named_but_not_refused(self, api_as, world):
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR)
        completed("prob.officer", cert, today() - timedelta(days=30))
        response = self.open(api_as, world)
        assert response.status_code == 201, response.json()
        warnings = response.json()["warnings"]
        assert len(warnings) == 1 and "pn.psychologist" in warnings[0] and "Mar" in warnings[0]
        assert Assessment.objects.filter(pk=response.json()["id"]).exists()

    def test_an_expired_certification_is_named_with_its_day(self, api_as, world):
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR)
        completed("prob.officer", cert, today() - timedelta(days=30))
        completed("pn.psychologist", cert, today() - timedelta(days=800))
        warnings = self.open(api_as, world).json()["warnings"]
        assert len(warnings) == 1 and "pn.psychologist" in warnings[0] and "expired on" in warnings[0]

    def test_no_warnings_when_every_assessor_is_certified(self, api_as, world):
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR)
        for username in ASSESSORS:
            completed(username, cert, today() - timedelta(days=30))
        response = self.open(api_as, world)
        assert response.status_code == 201 and response.json()["warnings"] == []

    def test_no_warnings_without_requirements(self, api_as, world):
        response = self.open(api_as, world)
        assert response.status_code == 201 and response.json()["warnings"] == []


# --- sessions and attendance -------------------------------------------------------------------------------


def session_of(of: Course, held_on: date, trainers: tuple[str, ...] = ("mh.clinician",)) -> Any:
    return actions.do_create_session(
        of, held_on=held_on, trainers=[user(t) for t in trainers], place="Room 1", acting_user=user("cp.coordinator")
    )


class TestSessions:
    def url(self, code: str = "gender-awareness") -> str:
        return f"/api/v1/courses/{code}/sessions/"

    @pytest.mark.parametrize("username", COORDINATORS)
    def test_coordinators_record_a_session_with_its_trainers(self, api_as, world, username):
        course()
        held = (today() - timedelta(days=3)).isoformat()
        payload = {"held_on": held, "trainers": ["mh.clinician", "family.counsellor"], "place": "Prison North"}
        response = api_as(username).post(self.url(), payload)
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["course"] == "gender-awareness" and body["held_on"] == held and body["place"] == "Prison North"
        assert body["trainers"] == ["family.counsellor", "mh.clinician"] and body["attendance"] == []
        assert AuditEvent.objects.filter(action="create", object_type="course_session").exists()

    def test_a_session_may_be_planned_ahead(self, api_as, world):
        course()
        ahead = (today() + timedelta(days=30)).isoformat()
        response = api_as("cp.coordinator").post(self.url(), {"held_on": ahead, "trainers": ["mh.clinician"]})
        assert response.status_code == 201 and response.json()["place"] == ""

    @pytest.mark.parametrize("username", NOT_COORDINATORS)
    def test_who_is_not_a_coordinator_may_not(self, api_as, world, username):
        course()
        response = api_as(username).post(self.url(), {"held_on": "2025-01-01", "trainers": ["mh.clinician"]})
        assert response.status_code == 403
        assert not CourseSession.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"held_on": "2025-01-01", "trainers": []}, "trainers"),
            ({"held_on": "2025-01-01", "trainers": ["nobody"]}, "trainers"),
            ({"held_on": "2025-01-01"}, "trainers"),
            ({"held_on": "1899-12-31", "trainers": ["mh.clinician"]}, "held_on"),
            ({"held_on": "not a day", "trainers": ["mh.clinician"]}, "held_on"),
            ({"trainers": ["mh.clinician"]}, "held_on"),
        ],
    )
    def test_bad_input_is_400(self, api_as, world, payload, field):
        course()
        response = api_as("cp.coordinator").post(self.url(), payload)
        assert response.status_code == 400 and field in response.json(), response.json()
        assert not CourseSession.objects.exists()

    def test_an_unknown_course_is_404(self, api_as, world):
        response = api_as("cp.coordinator").post(self.url("nope"), {"held_on": "2025-01-01", "trainers": ["dpo"]})
        assert response.status_code == 404 and response.json() == NOT_FOUND
        assert api_as("exit.worker").get(self.url("nope")).status_code == 404

    def test_everyone_reads_the_sessions_but_only_the_attendance_they_may(self, api_as, world):
        of = course()
        session = session_of(of, today() - timedelta(days=5))
        for username in ("exit.worker", "muni.coordinator"):
            actions.do_record_attendance(
                session, user=user(username), attended=True, acting_user=user("cp.coordinator")
            )
        seen = {
            username: [a["user"] for a in results(api_as(username).get(self.url()))[0]["attendance"]]
            for username in ("cp.coordinator", "muni.coordinator", "exit.worker", "police.liaison")
        }
        assert sorted(seen["cp.coordinator"]) == ["exit.worker", "muni.coordinator"]
        assert seen["muni.coordinator"] == ["muni.coordinator"]
        assert seen["exit.worker"] == ["exit.worker"]
        assert seen["police.liaison"] == []

    def test_the_sessions_are_read_in_bounded_queries(self, api_as, world, django_assert_max_num_queries):
        of = course()
        for n in range(8):
            session = session_of(of, today() - timedelta(days=10 + n), trainers=("mh.clinician", "cw.worker"))
            actions.do_record_attendance(
                session, user=user("exit.worker"), attended=True, acting_user=user("cp.coordinator")
            )
        client = api_as("cp.coordinator")
        with django_assert_max_num_queries(15):
            assert len(results(client.get(self.url()))) == 8


class TestAttendance:
    def url(self, session: Any) -> str:
        return f"/api/v1/course-sessions/{session.pk}/attendance/"

    @pytest.mark.parametrize(
        ("coordinator", "trainee"),
        [
            ("cp.coordinator", "pn.psychologist"),
            ("cp.coordinator", "police.liaison"),
            ("muni.coordinator", "muni.coordinator"),
        ],
    )
    def test_attending_a_held_session_completes_the_course(self, api_as, world, coordinator, trainee):
        held = today() - timedelta(days=20)
        session = session_of(course(), held)
        response = api_as(coordinator).post(self.url(session), {"user": trainee, "attended": True})
        assert response.status_code == 201, response.json()
        completion = Completion.objects.get(user__username=trainee)
        assert response.json() == {
            "session": str(session.pk), "user": trainee, "attended": True, "completion": str(completion.pk),
        }  # fmt: skip
        assert completion.session_id == session.pk and completion.completed_on == held
        assert completion.valid_until == actions.add_months(held, 24)
        assert AuditEvent.objects.filter(action="create", object_type="course_attendance").exists()

    def test_not_attending_records_no_completion_and_takes_back_one_recorded(self, api_as, world):
        session = session_of(course(), today() - timedelta(days=20))
        client = api_as("cp.coordinator")
        assert client.post(self.url(session), {"user": "exit.worker", "attended": True}).status_code == 201
        response = client.post(self.url(session), {"user": "exit.worker", "attended": False})
        assert response.status_code == 201 and response.json()["completion"] is None
        assert not Completion.objects.exists()
        assert AuditEvent.objects.filter(action="delete", object_type="course_completion").exists()
        # Attending again (or twice) gives one completion.
        client.post(self.url(session), {"user": "exit.worker", "attended": True})
        client.post(self.url(session), {"user": "exit.worker", "attended": True})
        assert Completion.objects.count() == 1

    def test_a_session_still_to_come_cannot_be_attended(self, api_as, world):
        session = session_of(course(), today() + timedelta(days=2))
        response = api_as("cp.coordinator").post(self.url(session), {"user": "exit.worker", "attended": True})
        assert response.status_code == 400 and "attended" in response.json()
        assert not Completion.objects.exists()

    @pytest.mark.parametrize("username", NOT_COORDINATORS)
    def test_who_is_not_a_coordinator_may_not(self, api_as, world, username):
        session = session_of(course(), today() - timedelta(days=2))
        response = api_as(username).post(self.url(session), {"user": username, "attended": True})
        assert response.status_code == 403 and not Completion.objects.exists()

    def test_a_coordinator_records_only_for_their_organisation(self, api_as, world):
        session = session_of(course(), today() - timedelta(days=2))
        response = api_as("muni.coordinator").post(self.url(session), {"user": "pn.casemanager", "attended": True})
        assert response.status_code == 400 and "user" in response.json()
        assert not Completion.objects.exists()

    @pytest.mark.parametrize("session_id", ["not-a-session", "00000000-0000-0000-0000-000000000000"])
    def test_an_unknown_session_is_404(self, api_as, world, session_id):
        response = api_as("cp.coordinator").post(
            f"/api/v1/course-sessions/{session_id}/attendance/", {"user": "exit.worker", "attended": True}
        )
        assert response.status_code == 404 and response.json() == NOT_FOUND

    @pytest.mark.parametrize(
        "payload", [{"user": "nobody", "attended": True}, {"user": "exit.worker"}, {"attended": True}]
    )
    def test_bad_input_is_400(self, api_as, world, payload):
        session = session_of(course(), today() - timedelta(days=2))
        assert api_as("cp.coordinator").post(self.url(session), payload).status_code == 400
        assert not Completion.objects.exists()


# --- an organisation's gaps --------------------------------------------------------------------------------


class TestOrganisationGaps:
    def url(self, slug: str = "prison-north") -> str:
        return f"/api/v1/organisations/{slug}/training-gaps/"

    def setup_gaps(self, world: Any) -> None:
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR)
        requirement(course(), case_gender="female")
        requirement(course("prison-security", months=None), org_type="prison", role="security_officer")
        completed("pn.psychologist", cert, today() - timedelta(days=800))
        completed("pn.casemanager", Course.objects.get(code="gender-awareness"), today() - timedelta(days=30))
        assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user("pn.psychologist")], acting_user=user("pn.psychologist"),
        )  # fmt: skip

    @pytest.mark.parametrize("username", ["cp.coordinator"])
    def test_the_central_point_coordinator_reads_every_organisation(self, api_as, world, username):
        self.setup_gaps(world)
        rows = {r["user"]: r for r in results(api_as(username).get(self.url()))}
        assert set(rows) == {"pn.casemanager", "pn.psychologist", "pn.security"}
        assert rows["pn.casemanager"]["gaps"] == []
        psych = {g["course"]: g for g in rows["pn.psychologist"]["gaps"]}
        # An assessor of a woman's case works on it too.
        assert set(psych) == {"mar", "gender-awareness"} and psych["gender-awareness"]["expired_on"] is None
        assert psych["mar"]["expired_on"] == actions.add_months(today() - timedelta(days=800), 24).isoformat()
        assert [g["course"] for g in rows["pn.security"]["gaps"]] == ["prison-security"]
        assert rows["pn.security"]["gaps"][0]["expired_on"] is None
        assert AuditEvent.objects.filter(action="read", object_type="training_gaps").exists()

    def test_an_organisations_coordinator_reads_its_own(self, api_as, world):
        requirement(course(), case_gender="female")
        rows = results(api_as("muni.coordinator").get(self.url("municipality-harbour")))
        # The municipality's coordinator is responsible on Amira's case (a woman).
        assert [(r["user"], [g["course"] for g in r["gaps"]]) for r in rows] == [
            ("muni.coordinator", ["gender-awareness"])
        ]

    @pytest.mark.parametrize(
        ("username", "slug"),
        [
            ("muni.coordinator", "prison-north"),
            ("pn.casemanager", "prison-north"),
            ("pn.psychologist", "prison-north"),
            ("police.liaison", "police"),
            ("evaluator", "evaluation-institute"),
            ("dpo", "continuum-admin"),
            ("cp.coordinator", "no-such-organisation"),
        ],
    )
    def test_others_get_404(self, api_as, world, username, slug):
        response = api_as(username).get(self.url(slug))
        assert response.status_code == 404 and response.json() == NOT_FOUND

    def test_query_count_is_bounded(self, api_as, world, django_assert_max_num_queries):
        self.setup_gaps(world)
        client = api_as("cp.coordinator")
        with django_assert_max_num_queries(15):
            rows = results(client.get(self.url("probation")))
        assert rows

    def test_a_requirements_criteria_match_on_one_and_the_same_case(self, api_as, world):
        # Certification for a man's case only: the psychologist assesses with the instrument on
        # Amira's case (a woman's), so it is not needed.
        cert = course("mar", months=24, instrument=MAR)
        requirement(cert, instrument=MAR, case_gender="male")
        assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user("pn.psychologist")], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        rows = {r["user"]: r["gaps"] for r in results(api_as("cp.coordinator").get(self.url()))}
        assert rows["pn.psychologist"] == []
        requirement(cert, instrument=MAR, case_gender="female")
        rows = {r["user"]: r["gaps"] for r in results(api_as("cp.coordinator").get(self.url()))}
        assert [g["course"] for g in rows["pn.psychologist"]] == ["mar"]
