"""The mentoring pages (issue 16): mentor profiles and supervision, the case page's "Mentoring" part,
suggestions with their reasons, matching with both consents, the match's page with the mentor's
session log, ending a match, "My mentees" on the home page and the navigation. Allow and deny across
organisation types with the demo personas, 400 with nothing written for bad input, 404 for what may
not be seen, and query counts that do not grow with the data.

The world is the demo's (``continuum seed_demo``), built once for the module: mentor.one (Mentor
Network) is matched with Daniel Kovac (probation leads); Sofia Lindqvist (led by Harbour Municipality,
probation and the exit programme take part) has no mentor.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.accounts import actions as account_actions
from continuum.accounts.choices import Role
from continuum.accounts.models import Organisation, User
from continuum.cases.models import Case, CaseMember
from continuum.mentoring import actions
from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile, Supervision

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30
PROFILE_READERS = ["cp.coordinator", "prob.officer", "pn.casemanager", "muni.coordinator"]
NOT_PROFILE_READERS = ["police.liaison", "exit.worker", "cw.worker", "mh.clinician", "dpo", "admin"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo world, once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db) -> None:
    return None


def user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def case_of(given: str) -> Case:
    return Case.objects.select_related("person").get(person__given_name=given)


def mentor_one() -> MentorProfile:
    return MentorProfile.objects.get(user__username="mentor.one")


def daniels_match() -> Mentoring:
    return Mentoring.objects.get(case=case_of("Daniel"), mentor=mentor_one())


def text(response: Any) -> str:
    return response.content.decode()


def new_mentor_user(username: str = "mentor.two", org_slug: str = "mentor-network") -> User:
    return account_actions.do_create_user(
        username=username,
        first_name="Mira",
        last_name="Jansen",
        organisation=Organisation.objects.get(slug=org_slug),
        role=Role.MENTOR,
        acting_user=None,
    )


# --- mentor profiles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PROFILE_READERS)
def test_coordinators_and_case_managers_read_the_mentors(demo, username):
    response = client_as(username).get("/mentoring/mentors/")
    assert response.status_code == 200
    assert "Youssef Amrani" in text(response)


@pytest.mark.parametrize("username", [*NOT_PROFILE_READERS, "mentor.one"])
def test_others_do_not_read_the_list_of_mentors(demo, username):
    assert client_as(username).get("/mentoring/mentors/").status_code == 403


def test_a_profile_shows_vetting_languages_experience_capacity_and_the_disengagement_review(demo):
    response = client_as("cp.coordinator").get(f"/mentoring/mentors/{mentor_one().pk}/")
    page = text(response)
    assert response.status_code == 200
    for fact in (
        "Former (disengaged) mentor",
        "Vetted on",
        "Dutch, English, Croatian",
        "Right-wing extremism, Young people",
        "1 now, room for 2 at once",
        "Medium",
        "Own disengagement reviewed",
        "Left the movement nine years ago",
        "Mentor Network supervisor",
        "Record a supervision",
    ):
        assert fact in page, fact


def test_a_mentor_reads_their_own_profile_and_no_one_elses(demo):
    mentor = client_as("mentor.one")
    response = mentor.get("/mentoring/mentors/me/")
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/mentors/{mentor_one().pk}/"
    page = text(mentor.get(response["Location"]))
    assert "My mentor profile" in page
    assert "Record a supervision" not in page
    other = actions.do_create_profile(
        user=new_mentor_user(), type="volunteer", acting_user=user("cp.coordinator"), vetted_on=timezone.localdate()
    )
    assert mentor.get(f"/mentoring/mentors/{other.pk}/").status_code == 404
    assert "Discussed boundaries and the first weeks with Daniel." in page
    assert client_as("exit.worker").get(f"/mentoring/mentors/{other.pk}/").status_code == 404
    assert client_as("prob.officer").get("/mentoring/mentors/me/").status_code == 404


def test_a_coordinator_records_a_profile_and_bad_input_changes_nothing(demo):
    new_mentor_user()
    coordinator = client_as("cp.coordinator")
    assert "Mira Jansen" in text(coordinator.get("/mentoring/mentors/new/"))
    bad = coordinator.post(
        "/mentoring/mentors/new/",
        {
            "user": "mentor.two",
            "type": "former",
            "capacity": "1",
            "max_risk_level": "medium",
            "vetted_on": "2020-01-01",
        },
    )
    assert bad.status_code == 400
    assert "disengagement is reviewed before vetting" in text(bad)
    assert not MentorProfile.objects.filter(user__username="mentor.two").exists()
    good = coordinator.post(
        "/mentoring/mentors/new/",
        {
            "user": "mentor.two",
            "type": "volunteer",
            "languages": "nl, ar",
            "gender": "female",
            "experience": ["women"],
            "capacity": "2",
            "max_risk_level": "low",
        },
    )
    assert good.status_code == 302
    profile = MentorProfile.objects.get(user__username="mentor.two")
    assert profile.languages == ["nl", "ar"] and profile.experience == ["women"] and profile.vetting == "pending"


@pytest.mark.parametrize("username", ["prob.officer", "mentor.one", "exit.worker"])
def test_only_coordinators_of_mentoring_or_the_central_point_record_profiles(demo, username):
    assert client_as(username).get("/mentoring/mentors/new/").status_code == 403
    assert client_as(username).post("/mentoring/mentors/new/", {"user": "mentor.one"}).status_code == 403


def test_supervision_is_recorded_by_a_coordinator_only(demo):
    url = f"/mentoring/mentors/{mentor_one().pk}/supervisions/"
    before = Supervision.objects.count()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert client_as("cp.coordinator").post(url, {"held_on": future}).status_code == 400
    assert client_as("prob.officer").post(url, {"held_on": timezone.localdate().isoformat()}).status_code == 403
    assert client_as("mentor.one").post(url, {"held_on": timezone.localdate().isoformat()}).status_code == 403
    assert Supervision.objects.count() == before
    done = client_as("cp.coordinator").post(url, {"held_on": timezone.localdate().isoformat(), "note": "Fine."})
    assert done.status_code == 302
    assert Supervision.objects.count() == before + 1


# --- the case part, suggestions and matching -------------------------------------------------------------


def test_the_case_part_shows_the_match_its_consents_and_sessions(demo):
    daniel = case_of("Daniel")
    page = text(client_as("prob.officer").get(f"/cases/{daniel.pk}/parts/mentoring/"))
    assert 'Mentor: <span translate="no">Youssef Amrani</span>' in page
    assert "The person agreed on" in page and "The mentor agreed on" in page
    assert "Visited the vocational school together" in page
    assert "Find a mentor" in page
    mentor_page = text(client_as("mentor.one").get(f"/cases/{daniel.pk}/parts/mentoring/"))
    assert "Visited the vocational school together" in mentor_page
    assert "Find a mentor" not in mentor_page


def test_the_case_page_has_the_mentoring_placeholder(demo):
    daniel = case_of("Daniel")
    page = text(client_as("prob.officer").get(f"/cases/{daniel.pk}/"))
    assert f"/cases/{daniel.pk}/parts/mentoring/" in page


def test_suggestions_say_they_are_not_a_match_and_give_reasons(demo):
    sofia = case_of("Sofia")
    response = client_as("prob.officer").get(f"/mentoring/cases/{sofia.pk}/suggestions/?gender=male")
    page = text(response)
    assert response.status_code == 200
    assert "A suggestion is not a match." in page
    assert "Youssef Amrani" in page
    assert "Met:" in page and "Not met:" in page
    assert "Matches the gender preference." in page
    assert "Has no experience with women." in page
    assert "Both must have been asked and have agreed" in page
    assert not Mentoring.objects.filter(case=sofia).exists()


def test_who_may_not_match_gets_403_and_outsiders_404(demo):
    daniel, sofia = case_of("Daniel"), case_of("Sofia")
    assert client_as("police.liaison").get(f"/mentoring/cases/{daniel.pk}/suggestions/").status_code == 403
    assert client_as("mentor.one").get(f"/mentoring/cases/{daniel.pk}/suggestions/").status_code == 403
    assert client_as("mentor.one").get(f"/mentoring/cases/{sofia.pk}/suggestions/").status_code == 404
    assert client_as("ps.casemanager").get(f"/mentoring/cases/{daniel.pk}/suggestions/").status_code == 404
    assert client_as("police.liaison").post(f"/mentoring/cases/{daniel.pk}/matches/", {}).status_code == 403


def test_no_match_without_both_consents(demo):
    sofia = case_of("Sofia")
    url = f"/mentoring/cases/{sofia.pk}/matches/"
    today = timezone.localdate().isoformat()
    officer = client_as("prob.officer")
    for data in (
        {"mentor": str(mentor_one().pk), "mentee_consent_on": today},
        {"mentor": str(mentor_one().pk), "mentor_consent_on": today},
        {"mentor": str(mentor_one().pk)},
    ):
        response = officer.post(url, data)
        assert response.status_code == 400
        assert "Nothing was saved: the mentor is not matched." in text(response)
        assert "consent there is no match." in text(response).replace("&#x27;", "'")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = officer.post(
        url, {"mentor": str(mentor_one().pk), "mentee_consent_on": today, "mentor_consent_on": future}
    )
    assert response.status_code == 400
    assert "cannot be in the future" in text(response)
    assert not Mentoring.objects.filter(case=sofia).exists()
    assert not CaseMember.objects.filter(case=sofia, organisation__slug="mentor-network").exists()


def test_a_match_with_both_consents_brings_the_mentoring_organisation_in(demo):
    sofia = case_of("Sofia")
    today = timezone.localdate().isoformat()
    response = client_as("prob.officer").post(
        f"/mentoring/cases/{sofia.pk}/matches/",
        {"mentor": str(mentor_one().pk), "mentee_consent_on": today, "mentor_consent_on": today},
    )
    match = Mentoring.objects.get(case=sofia)
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/{match.pk}/"
    assert CaseMember.objects.filter(case=sofia, organisation__slug="mentor-network", until__isnull=True).exists()
    assert "Sofia Lindqvist" in text(client_as("mentor.one").get("/"))


# --- the match's page, sessions, ending ------------------------------------------------------------------


def test_the_mentor_records_a_session_and_no_one_else(demo):
    match = daniels_match()
    url = f"/mentoring/{match.pk}/sessions/"
    today = timezone.localdate().isoformat()
    before = MentoringSession.objects.filter(mentoring=match).count()
    assert client_as("prob.officer").post(url, {"held_on": today, "note": "x"}).status_code == 403
    assert client_as("mentor.one").post(url, {"held_on": "", "note": "x"}).status_code == 400
    assert MentoringSession.objects.filter(mentoring=match).count() == before
    page = text(client_as("mentor.one").get(f"/mentoring/{match.pk}/"))
    assert "Record a session" in page and "End the mentoring" not in page
    done = client_as("mentor.one").post(url, {"held_on": today, "note": "Went to the football club together."})
    assert done.status_code == 302
    assert MentoringSession.objects.filter(mentoring=match).count() == before + 1
    assert "Went to the football club together." in text(client_as("prob.officer").get(f"/mentoring/{match.pk}/"))


def test_ending_needs_a_reason_and_whoever_manages_the_case(demo):
    match = daniels_match()
    url = f"/mentoring/{match.pk}/end/"
    assert client_as("mentor.one").post(url, {"reason": "Done"}).status_code == 403
    assert client_as("police.liaison").post(url, {"reason": "Done"}).status_code in (403, 404)
    bad = client_as("prob.officer").post(url, {"reason": ""})
    assert bad.status_code == 400
    match.refresh_from_db()
    assert match.ended_on is None
    done = client_as("prob.officer").post(url, {"reason": "He found his own way; both agreed to stop."})
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.ended_on == timezone.localdate()
    assert not CaseMember.objects.filter(
        case=match.case, organisation__slug="mentor-network", until__isnull=True
    ).exists()


def test_a_match_not_visible_is_a_404(demo):
    match = daniels_match()
    for username in ("ps.casemanager", "cw.worker", "evaluator", "dpo"):
        assert client_as(username).get(f"/mentoring/{match.pk}/").status_code == 404
    assert client_as("prob.officer").get("/mentoring/00000000-0000-0000-0000-000000000000/").status_code == 404


# --- home and navigation -----------------------------------------------------------------------------------


def test_my_mentees_on_the_mentors_home(demo):
    page = text(client_as("mentor.one").get("/"))
    assert "My mentees" in page
    assert "Daniel Kovac" in page
    last = MentoringSession.objects.filter(mentoring=daniels_match()).order_by("-held_on").first()
    assert last is not None
    assert f'datetime="{last.held_on.isoformat()}"' in page
    assert "My mentees" not in text(client_as("prob.officer").get("/"))


def test_the_navigation_by_role(demo):
    assert "My mentor profile" in text(client_as("mentor.one").get("/"))
    officer = text(client_as("prob.officer").get("/"))
    assert 'href="/mentoring/mentors/"' in officer and "My mentor profile" not in officer
    assert 'href="/mentoring/mentors/"' not in text(client_as("police.liaison").get("/"))


# --- query counts ------------------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_are_bounded_and_do_not_grow(demo):
    match = daniels_match()
    daniel, sofia = case_of("Daniel"), case_of("Sofia")
    mentor, officer, coordinator = client_as("mentor.one"), client_as("prob.officer"), client_as("cp.coordinator")
    pages = [
        (mentor, "/"),
        (mentor, f"/mentoring/{match.pk}/"),
        (mentor, f"/cases/{daniel.pk}/parts/mentoring/"),
        (officer, f"/mentoring/{match.pk}/"),
        (officer, f"/cases/{daniel.pk}/parts/mentoring/"),
        (officer, f"/mentoring/cases/{sofia.pk}/suggestions/"),
        (coordinator, "/mentoring/mentors/"),
        (coordinator, f"/mentoring/mentors/{mentor_one().pk}/"),
    ]
    before = [_count(client, url) for client, url in pages]
    assert max(before) <= MAX_QUERIES, before
    for days in range(3, 9):
        actions.do_record_mentoring_session(
            match, held_on=timezone.localdate() - timedelta(days=days), note="More", acting_user=user("mentor.one")
        )
    for n in range(3):
        other = actions.do_create_profile(
            user=new_mentor_user(f"mentor.extra{n}"),
            type="volunteer",
            acting_user=user("cp.coordinator"),
            vetted_on=timezone.localdate(),
        )
        actions.do_record_supervision(other, held_on=timezone.localdate(), acting_user=user("cp.coordinator"))
    after = [_count(client, url) for client, url in pages]
    assert after == before, list(zip([u for _c, u in pages], before, after, strict=True))


def test_a_mentoring_begins_on_the_day_given_never_before_both_consents(demo):
    match = daniels_match()
    today = timezone.localdate()
    assert match.started_on == today - timedelta(days=22)
    assert match.started_on >= max(match.mentee_consent_on, match.mentor_consent_on)
    with pytest.raises(ValidationError):
        actions.do_match(
            case_of("Sofia"),
            mentor=mentor_one(),
            mentee_consent_on=today - timedelta(days=2),
            mentor_consent_on=today - timedelta(days=1),
            started_on=today - timedelta(days=5),
            acting_user=user("prob.officer"),
        )
    assert not Mentoring.objects.filter(case=case_of("Sofia")).exists()


@pytest.mark.parametrize("username", ["pn.casemanager", "prob.officer", "muni.coordinator"])
def test_case_managers_read_a_profile_without_what_supervision_and_the_review_found(demo, username):
    """A supervision note may name a mentee: only the mentor and the coordinators who record it read it."""
    page = text(client_as(username).get(f"/mentoring/mentors/{mentor_one().pk}/"))
    assert "Youssef Amrani" in page and "Own disengagement reviewed" in page
    assert "Discussed boundaries and the first weeks with Daniel." not in page
    assert "Left the movement nine years ago" not in page
    assert "Record a supervision" not in page


def test_a_mentor_who_cannot_be_matched_is_said_so_above_the_form(demo):
    sofia = case_of("Sofia")
    today = timezone.localdate().isoformat()
    officer = client_as("prob.officer")
    for mentor in ("not-an-id", "00000000-0000-0000-0000-000000000000"):
        response = officer.post(
            f"/mentoring/cases/{sofia.pk}/matches/",
            {"mentor": mentor, "mentee_consent_on": today, "mentor_consent_on": today},
        )
        assert response.status_code == 400
        assert "Nothing was saved: the mentor is not matched." in text(response)
    page = text(officer.get(f"/mentoring/cases/{case_of('Daniel').pk}/suggestions/"))
    assert "Already matched with this person." in page and "Match with this mentor" not in page
    full = officer.post(
        f"/mentoring/cases/{case_of('Daniel').pk}/matches/",
        {"mentor": str(mentor_one().pk), "mentee_consent_on": today, "mentor_consent_on": today},
    )
    assert full.status_code == 400
    assert "This mentor is matched with this case already." in text(full)
    assert not Mentoring.objects.filter(case=sofia).exists()
