"""The training pages (issue 16): "My training", the course catalogue and its forms, a course's page
(sessions, attendance, completions), an organisation's training gaps, the case page's "Training" part,
the assessment page's warning, and the navigation. Allow and deny across organisation types, the
forms' 400s with nothing written, 404 for what may not be opened, query counts that do not grow with
the data, and expiry with frozen time (``timezone.localdate`` set to chosen days).

The world is tests/api_world.py's (Amira's case, a woman's, with every demo organisation but Prison
South as a member); the training in it is made here, through the actions.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from continuum.assessments import actions as assessment_actions
from continuum.audit.models import AuditEvent
from continuum.training import actions
from continuum.training.models import Attendance, Completion, Course, CourseSession, Requirement
from tests.plans_world import today, user

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30
MAR = "continuum-mar-spj"
COORDINATORS = ["cp.coordinator", "muni.coordinator"]
NOT_COORDINATORS = ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "mentor.one", "evaluator"]


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def text(response: Any) -> str:
    return response.content.decode()


def course(code: str = "gender-awareness", months: int | None = 24, instrument: str = "") -> Course:
    return actions.do_create_course(
        code=code, name=code.replace("-", " ").capitalize(), topic="other", validity_months=months,
        instrument=instrument, acting_user=user("cp.coordinator"),
    )  # fmt: skip


def completed(username: str, of: Course, on: date) -> Completion:
    return actions.do_record_completion(of, user=user(username), completed_on=on, acting_user=user("cp.coordinator"))


def requirement(of: Course, **criteria: Any) -> Requirement:
    return actions.do_create_requirement(course=of, acting_user=user("cp.coordinator"), **criteria)


def session_of(of: Course, held_on: date, trainers: tuple[str, ...] = ("mh.clinician",)) -> CourseSession:
    return actions.do_create_session(
        of, held_on=held_on, trainers=[user(t) for t in trainers], place="Room 1", acting_user=user("cp.coordinator")
    )


@pytest.fixture
def frozen(monkeypatch):
    """Set the day Continuum takes as today (``timezone.localdate``)."""

    def freeze(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, _day=day, **kwargs: _day)

    return freeze


# --- the navigation ------------------------------------------------------------------------------------------


class TestNavigation:
    @pytest.mark.parametrize(
        "username", ["pn.psychologist", "police.liaison", "mentor.one", "cp.coordinator", "evaluator"]
    )
    def test_every_user_of_an_organisation_has_training(self, world, username):
        assert 'href="/training/"' in text(client_as(username).get("/"))

    def test_a_visitor_is_sent_to_log_in(self, world):
        response = Client().get("/training/")
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- "My training" -------------------------------------------------------------------------------------------


class TestMyTraining:
    def test_valid_expiring_and_expired_on_the_day_they_change(self, world, frozen):
        of = course()
        completed("pn.psychologist", of, date(2024, 1, 10))  # valid until 10 Jan 2026
        client = client_as("pn.psychologist")
        frozen(date(2025, 6, 1))
        page = text(client.get("/training/"))
        assert "Valid until" in page and "Expires soon" not in page and "Expired on" not in page
        frozen(date(2026, 1, 10))
        page = text(client.get("/training/"))
        assert "Expires soon" in page and 'datetime="2026-01-10"' in page and "Expired on" not in page
        frozen(date(2026, 1, 11))
        page = text(client.get("/training/"))
        assert "Expired on" in page and 'datetime="2026-01-10"' in page

    def test_what_the_user_still_needs_with_the_expired_certification(self, world, frozen):
        cert = course("mar", instrument=MAR)
        requirement(cert, instrument=MAR)
        requirement(course(), case_gender="female")
        completed("pn.psychologist", cert, date(2023, 3, 1))  # expired 1 Mar 2025
        assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user("pn.psychologist")], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        frozen(date(2025, 6, 1))
        page = text(client_as("pn.psychologist").get("/training/"))
        needed = page.split('id="needed-heading"')[1].split('id="completed-heading"')[0]
        assert "Mar" in needed and 'datetime="2025-03-01"' in needed and "expired on" in needed
        assert "Gender awareness" in needed and "never completed" in needed
        # Once certified again, the certification is no longer needed.
        completed("pn.psychologist", cert, date(2025, 5, 1))
        needed = text(client_as("pn.psychologist").get("/training/")).split('id="needed-heading"')[1]
        assert "Mar</a>" not in needed.split('id="completed-heading"')[0]

    def test_the_next_session_of_a_course_still_needed_is_shown(self, world):
        of = course()
        requirement(of, role="psychologist")
        session_of(of, today() - timedelta(days=30))  # held: not a next session
        coming = session_of(of, today() + timedelta(days=12))
        page = text(client_as("pn.psychologist").get("/training/"))
        assert "Next session on" in page and f'datetime="{coming.held_on.isoformat()}"' in page
        assert f'datetime="{(today() - timedelta(days=30)).isoformat()}"' not in page
        page = text(client_as("cp.coordinator").get("/training/organisations/prison-north/gaps/"))
        assert "Coming sessions of these courses" in page and f"#session-{coming.pk}" in page

    def test_nothing_to_do(self, world):
        assert "You have every course your work asks for." in text(client_as("exit.worker").get("/training/"))

    def test_only_ones_own_training(self, world):
        completed("exit.worker", course(), today() - timedelta(days=5))
        assert "Gender awareness" not in text(client_as("police.liaison").get("/training/"))

    def test_a_coordinator_is_pointed_to_the_organisations_gaps(self, world):
        assert "/training/organisations/municipality-harbour/gaps/" in text(
            client_as("muni.coordinator").get("/training/")
        )
        assert "/gaps/" not in text(client_as("pn.casemanager").get("/training/"))

    def test_bounded_queries(self, world, django_assert_max_num_queries):
        of = [course(f"course-{n}") for n in range(12)]
        for c in of:
            requirement(c, role="psychologist")
            completed("pn.psychologist", c, today() - timedelta(days=40))
        client = client_as("pn.psychologist")
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get("/training/").status_code == 200


# --- the catalogue -------------------------------------------------------------------------------------------


class TestCatalogue:
    @pytest.mark.parametrize("username", [*COORDINATORS, *NOT_COORDINATORS])
    def test_everyone_reads_it_with_who_needs_what(self, world, username):
        requirement(course(), case_gender="female")
        course("media-handling", months=None)
        page = text(client_as(username).get("/training/courses/"))
        assert "Gender awareness" in page and "Works on a woman&#x27;s case" in page
        assert "Never expires" in page and "Valid for 24 months" in page

    @pytest.mark.parametrize("username", COORDINATORS)
    def test_coordinators_have_the_forms(self, world, username):
        course()
        page = text(client_as(username).get("/training/courses/"))
        assert 'action="/training/new-course/"' in page and 'action="/training/new-requirement/"' in page

    @pytest.mark.parametrize("username", NOT_COORDINATORS)
    def test_others_have_no_forms_and_may_not_post(self, world, username):
        course()
        client = client_as(username)
        assert "/training/new-course/" not in text(client.get("/training/courses/"))
        response = client.post("/training/new-course/", {"name": "X", "code": "x", "topic": "other"})
        assert response.status_code == 403 and Course.objects.count() == 1
        response = client.post("/training/new-requirement/", {"course": "gender-awareness", "role": "practitioner"})
        assert response.status_code == 403 and not Requirement.objects.exists()

    def test_a_coordinator_adds_a_course_and_a_requirement(self, world):
        client = client_as("muni.coordinator")
        payload = {
            "name": "MAR certification",
            "code": "mar",
            "topic": "instrument_certification",
            "validity_months": "24",
            "instrument": MAR,
        }
        response = client.post("/training/new-course/", payload)
        assert response.status_code == 302 and response["Location"] == "/training/courses/mar/"
        assert Course.objects.get(code="mar").instrument == MAR
        response = client.post("/training/new-requirement/", {"course": "mar", "instrument": MAR, "org_type": "prison"})
        assert response.status_code == 302
        assert Requirement.objects.get().org_type == "prison"

    @pytest.mark.parametrize(
        "payload",
        [
            {"name": "X", "code": "not a slug", "topic": "other"},
            {"name": "X", "code": "x", "topic": "astrology"},
            {"name": "X", "code": "x", "topic": "other", "validity_months": "0"},
            {"name": "X", "code": "gender-awareness", "topic": "other"},
            {"code": "x", "topic": "other"},
        ],
    )
    def test_a_bad_course_is_the_page_again(self, world, payload):
        course()
        response = client_as("cp.coordinator").post("/training/new-course/", payload)
        assert response.status_code == 400 and 'id="add-course" open' in text(response)
        assert Course.objects.count() == 1

    @pytest.mark.parametrize(
        "payload",
        [
            {"course": "gender-awareness"},
            {"course": "nope", "role": "practitioner"},
            {"course": "gender-awareness", "role": "king"},
        ],
    )
    def test_a_bad_requirement_is_the_page_again(self, world, payload):
        course()
        response = client_as("cp.coordinator").post("/training/new-requirement/", payload)
        assert response.status_code == 400 and not Requirement.objects.exists()
        assert 'id="add-requirement" open' in text(response)

    def test_bounded_queries(self, world, django_assert_max_num_queries):
        for n in range(15):
            requirement(course(f"course-{n}"), role="practitioner", org_type="prison")
        client = client_as("cp.coordinator")
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get("/training/courses/").status_code == 200


# --- a course ------------------------------------------------------------------------------------------------


class TestCoursePage:
    def url(self, code: str = "gender-awareness") -> str:
        return f"/training/courses/{code}/"

    def test_who_sees_whose_completions(self, world, frozen):
        of = course()
        completed("exit.worker", of, date(2024, 1, 10))
        completed("muni.coordinator", of, date(2025, 5, 1))
        frozen(date(2026, 2, 1))
        # The completions' part of the page (the session form lists every possible trainer).
        shown = {
            username: text(client_as(username).get(self.url())).split('id="completions"')[1].split("</table>")[0]
            for username in ("cp.coordinator", "muni.coordinator", "exit.worker", "police.liaison")
        }
        exit_name, muni_name = user("exit.worker").display_name, user("muni.coordinator").display_name
        assert exit_name in shown["cp.coordinator"] and muni_name in shown["cp.coordinator"]
        assert muni_name in shown["muni.coordinator"] and exit_name not in shown["muni.coordinator"]
        assert exit_name in shown["exit.worker"] and muni_name not in shown["exit.worker"]
        assert exit_name not in shown["police.liaison"] and muni_name not in shown["police.liaison"]
        assert "Expired on" in shown["exit.worker"] and 'datetime="2026-01-10"' in shown["exit.worker"]
        assert AuditEvent.objects.filter(action="read", object_type="course_training").exists()

    def test_an_unknown_course_is_404(self, world):
        assert client_as("exit.worker").get(self.url("nope")).status_code == 404

    def test_a_coordinator_records_a_completion(self, world):
        course()
        client = client_as("muni.coordinator")
        assert 'action="/training/courses/gender-awareness/completions/"' in text(client.get(self.url()))
        day = (today() - timedelta(days=3)).isoformat()
        response = client.post(f"{self.url()}completions/", {"user": "muni.coordinator", "completed_on": day})
        assert response.status_code == 302
        assert Completion.objects.get().user.username == "muni.coordinator"

    @pytest.mark.parametrize(
        "payload",
        [
            {"user": "pn.casemanager", "completed_on": "2025-01-01"},  # not the coordinator's organisation
            {"user": "muni.coordinator", "completed_on": "2999-01-01"},
            {"user": "muni.coordinator", "completed_on": "not a day"},
            {"user": "muni.coordinator"},
        ],
    )
    def test_a_bad_completion_is_the_page_again(self, world, payload):
        course()
        response = client_as("muni.coordinator").post(f"{self.url()}completions/", payload)
        assert response.status_code == 400 and 'id="add-completion" open' in text(response)
        assert not Completion.objects.exists()

    @pytest.mark.parametrize("username", NOT_COORDINATORS)
    def test_others_record_nothing(self, world, username):
        of = course()
        session = session_of(of, today() - timedelta(days=2))
        client = client_as(username)
        page = text(client.get(self.url()))
        assert "/completions/" not in page and "/sessions/" not in page and "/attendance/" not in page
        assert (
            client.post(f"{self.url()}completions/", {"user": username, "completed_on": "2025-01-01"}).status_code
            == 403
        )
        assert (
            client.post(f"{self.url()}sessions/", {"held_on": "2025-01-01", "trainers": ["mh.clinician"]}).status_code
            == 403
        )
        response = client.post(f"/training/sessions/{session.pk}/attendance/", {"user": username, "attended": "yes"})
        assert response.status_code == 403
        assert CourseSession.objects.count() == 1 and not Completion.objects.exists()

    def test_a_session_then_its_attendance_completes_the_course(self, world):
        of = course()
        client = client_as("cp.coordinator")
        held = today() - timedelta(days=7)
        response = client.post(
            f"{self.url()}sessions/",
            {"held_on": held.isoformat(), "place": "Prison North", "trainers": ["mh.clinician", "family.counsellor"]},
        )
        assert response.status_code == 302
        session = CourseSession.objects.get(course=of)
        assert {t.username for t in session.trainers.all()} == {"mh.clinician", "family.counsellor"}
        page = text(client.get(self.url()))
        assert f'action="/training/sessions/{session.pk}/attendance/"' in page
        response = client.post(
            f"/training/sessions/{session.pk}/attendance/", {"user": "exit.worker", "attended": "yes"}
        )
        assert response.status_code == 302
        completion = Completion.objects.get(user__username="exit.worker")
        assert completion.session_id == session.pk and completion.completed_on == held
        page = text(client.get(self.url()))
        assert "attended" in page and user("exit.worker").display_name in page

    def test_a_planned_session_takes_no_attendance(self, world):
        session = session_of(course(), today() + timedelta(days=10))
        client = client_as("cp.coordinator")
        page = text(client.get(self.url()))
        assert "Planned" in page and "/attendance/" not in page
        response = client.post(
            f"/training/sessions/{session.pk}/attendance/", {"user": "exit.worker", "attended": "yes"}
        )
        assert response.status_code == 400 and not Attendance.objects.exists()

    @pytest.mark.parametrize(
        "payload",
        [{"held_on": "2025-01-01"}, {"held_on": "2025-01-01", "trainers": ["nobody"]}, {"trainers": ["mh.clinician"]}],
    )
    def test_a_bad_session_is_the_page_again(self, world, payload):
        course()
        response = client_as("cp.coordinator").post(f"{self.url()}sessions/", payload)
        assert response.status_code == 400 and 'id="add-session" open' in text(response)
        assert not CourseSession.objects.exists()

    def test_an_unknown_session_is_404(self, world):
        response = client_as("cp.coordinator").post(
            "/training/sessions/00000000-0000-0000-0000-000000000000/attendance/",
            {"user": "exit.worker", "attended": "yes"},
        )
        assert response.status_code == 404

    def test_bounded_queries(self, world, django_assert_max_num_queries):
        of = course()
        requirement(of, role="practitioner")
        coordinator = user("cp.coordinator")
        for n in range(10):
            session = session_of(of, today() - timedelta(days=20 + n), trainers=("mh.clinician", "cw.worker"))
            for username in ("exit.worker", "police.liaison", "muni.coordinator"):
                actions.do_record_attendance(session, user=user(username), attended=True, acting_user=coordinator)
        client = client_as("cp.coordinator")
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(self.url()).status_code == 200


# --- an organisation's gaps ----------------------------------------------------------------------------------


class TestOrganisationGapsPage:
    def url(self, slug: str = "prison-north") -> str:
        return f"/training/organisations/{slug}/gaps/"

    def test_the_central_point_sees_the_expired_certification(self, world, frozen):
        cert = course("mar", instrument=MAR)
        requirement(cert, instrument=MAR)
        completed("pn.psychologist", cert, date(2023, 3, 1))
        assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user("pn.psychologist")], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        frozen(date(2025, 6, 1))
        page = text(client_as("cp.coordinator").get(self.url()))
        assert user("pn.psychologist").display_name in page and 'datetime="2025-03-01"' in page
        assert "/training/organisations/probation/gaps/" in page  # the other organisations
        assert AuditEvent.objects.filter(action="read", object_type="training_gaps").exists()

    def test_a_coordinator_reads_their_organisations(self, world):
        requirement(course(), case_gender="female")
        page = text(client_as("muni.coordinator").get(self.url("municipality-harbour")))
        assert user("muni.coordinator").display_name in page and "never completed" in page
        assert "/training/organisations/probation/gaps/" not in page

    @pytest.mark.parametrize(
        ("username", "slug"),
        [
            ("muni.coordinator", "prison-north"),
            ("pn.casemanager", "prison-north"),
            ("police.liaison", "police"),
            ("mentor.one", "mentor-network"),
            ("dpo", "continuum-admin"),
            ("cp.coordinator", "nowhere"),
        ],
    )
    def test_others_get_404(self, world, username, slug):
        assert client_as(username).get(self.url(slug)).status_code == 404

    def test_bounded_queries(self, world, django_assert_max_num_queries):
        for n in range(10):
            requirement(course(f"course-{n}"), org_type="probation")
        client = client_as("cp.coordinator")
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(self.url("probation")).status_code == 200


# --- the case page's part and the assessment page's warning ---------------------------------------------------


class TestCasePart:
    def url(self, world: Any) -> str:
        return f"/cases/{world.case.pk}/parts/training/"

    def test_the_case_page_has_the_part(self, world):
        assert self.url(world) in text(client_as("pn.casemanager").get(f"/cases/{world.case.pk}/"))

    @pytest.mark.parametrize(
        "username", ["pn.casemanager", "prob.officer", "police.liaison", "exit.worker", "mentor.one"]
    )
    def test_the_members_see_the_teams_gaps(self, world, username, frozen):
        of = course()
        requirement(of, case_gender="female")
        completed("prob.officer", of, date(2023, 1, 5))  # expired 5 Jan 2025
        frozen(date(2025, 6, 1))
        page = text(client_as(username).get(self.url(world)))
        assert user("police.liaison").display_name in page and "never completed" in page
        assert user("prob.officer").display_name in page and 'datetime="2025-01-05"' in page
        assert AuditEvent.objects.filter(action="read", object_type="training_gaps", case_id=world.case.pk).exists()

    def test_nothing_missing(self, world):
        assert "Everyone on the case team has the courses" in text(client_as("pn.casemanager").get(self.url(world)))

    @pytest.mark.parametrize("username", ["ps.casemanager", "evaluator", "dpo", "admin"])
    def test_outsiders_get_404(self, world, username):
        assert client_as(username).get(self.url(world)).status_code == 404

    def test_bounded_queries(self, world, django_assert_max_num_queries):
        for n in range(10):
            requirement(course(f"course-{n}"), case_gender="female")
        client = client_as("pn.casemanager")
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(self.url(world)).status_code == 200


class TestAssessmentWarning:
    def test_the_assessment_page_warns_of_a_missing_certification_without_blocking(self, world):
        cert = course("mar", instrument=MAR)
        requirement(cert, instrument=MAR)
        assessment = assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user("pn.psychologist")], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        page = text(client_as("pn.psychologist").get(f"/assessments/{assessment.pk}/"))
        assert 'id="assessor-warnings"' in page and "pn.psychologist lacks the course Mar" in page
        assert 'id="rate"' in page  # rating goes on

    def test_no_warning_when_certified(self, world):
        cert = course("mar", instrument=MAR)
        requirement(cert, instrument=MAR)
        completed("pn.psychologist", cert, today() - timedelta(days=3))
        assessment = assessment_actions.do_open_assessment(
            world.case, instrument=assessment_actions.find_instrument(MAR),
            assessors=[user("pn.psychologist")], acting_user=user("pn.psychologist"),
        )  # fmt: skip
        assert 'id="assessor-warnings"' not in text(client_as("pn.psychologist").get(f"/assessments/{assessment.pk}/"))
