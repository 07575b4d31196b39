"""R8 across every page a mentor reaches (issue 16, acceptance): mentor.one (Mentor Network, matched with
Daniel Kovac in the demo) sees Daniel's identity, the plan's milestones assigned to the mentoring
organisation and what the mentor wrote, and nothing else of Daniel's record: no journal entry, no
goal or other organisation's milestone, no legal or security record, no release condition, no signal,
no conference decision, no refusal. A mentor of another mentoring organisation gets a 404 on every
page of Daniel's.

The world is the demo's (``continuum seed_demo``), built once for the module; the texts asserted
absent are the demo's own.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from continuum.accounts import actions as account_actions
from continuum.accounts.choices import OrgType, Role
from continuum.accounts.models import User
from continuum.cases.models import Case
from continuum.cases.views import CASE_PARTS
from continuum.mentoring import actions
from continuum.mentoring.models import Mentoring, MentorProfile

pytestmark = pytest.mark.django_db

# What R8 lets the mentor see of Daniel: his identity, the milestone assigned to Mentor Network, and
# the sessions the mentor wrote.
IDENTITY = "Daniel Kovac"
ASSIGNED_MILESTONE = "Visit the vocational school with his mentor"
MENTORS_OWN = ("First meeting in a café near his home", "Visited the vocational school together")
# What it must never see: the demo's texts of every other kind of record on Daniel's case.
NEVER = (
    # journal entries: legal (probation), plan (probation), security (police), daily life (municipality)
    "Electronic monitoring for six months",
    "Agreed to look for vocational training",
    "No contact with the old network observed this month",
    "Room in supported housing available from next month",
    # release conditions and their review
    "Ankle tag, six months.",
    "Weekly at the probation office, Mondays.",
    # the plan: its summary, goals, the person's words, other organisations' milestones
    "Daniel finishes his course, finds work",
    "Finish the electrician's course and find an apprenticeship.",
    "I want to finish what I started",
    "It is my plan. I want the apprenticeship most of all.",
    "Apply for the apprenticeship at the harbour",
    "Join the football club",
    # the signal that brought him in
    "shared right-wing extremist material",
    # conference decisions
    "Reduce probation reporting from weekly",
    "Not before he has his own housing",
    # the family part: his refusal, his relatives
    "I am not going to talk with an exit worker",
    "Older brother; sees him every week",
)


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


def daniel() -> Case:
    return Case.objects.select_related("person").get(person__given_name="Daniel", person__family_name="Kovac")


def daniels_match() -> Mentoring:
    return Mentoring.objects.get(case=daniel(), mentor__user__username="mentor.one")


def mentors_pages() -> list[str]:
    """Every page mentor.one reaches that may show anything of Daniel."""
    case = daniel()
    profile = MentorProfile.objects.get(user__username="mentor.one")
    pages = [
        "/",
        reverse("cases:case_list"),
        reverse("cases:case_detail", kwargs={"case_id": case.pk}),
        *(reverse("cases:case_part", kwargs={"case_id": case.pk, "part": part}) for part in CASE_PARTS),
        reverse("person_timeline", kwargs={"person_id": case.person_id}),
        reverse("transition:calendar"),
        f"{reverse('transition:calendar')}?view=month",
        reverse("conferences:conference_list"),
        reverse("mentoring:mentoring_detail", kwargs={"mentoring_id": daniels_match().pk}),
        reverse("mentoring:mentor_detail", kwargs={"mentor_id": profile.pk}),
    ]
    for words in ("Daniel", "Kovac", "vocational", "electrician", "monitoring", "network", "apprenticeship"):
        pages.append(f"{reverse('search')}?q={quote(words)}")
    return pages


def visible(response: Any) -> str:
    return response.content.decode()


def test_the_mentor_sees_identity_the_assigned_milestone_and_what_the_mentor_wrote(demo):
    mentor = client_as("mentor.one")
    case = daniel()
    case_page = visible(mentor.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})))
    assert IDENTITY in case_page
    plan = visible(mentor.get(reverse("cases:case_part", kwargs={"case_id": case.pk, "part": "plan"})))
    assert ASSIGNED_MILESTONE in plan
    part = visible(mentor.get(reverse("cases:case_part", kwargs={"case_id": case.pk, "part": "mentoring"})))
    match = visible(mentor.get(reverse("mentoring:mentoring_detail", kwargs={"mentoring_id": daniels_match().pk})))
    for text in MENTORS_OWN:
        assert text in part and text in match
    assert IDENTITY in visible(mentor.get("/"))
    timeline = visible(mentor.get(reverse("person_timeline", kwargs={"person_id": case.person_id})))
    assert "Matched with the mentor Youssef Amrani" in timeline
    assert "A session with the mentor" in timeline
    assert str(daniels_match().mentor_id) not in timeline


def test_the_demo_holds_what_the_mentor_must_not_see(demo):
    """The absent texts are real: the probation officer, who leads the case, finds each somewhere."""
    officer = client_as("prob.officer")
    case = daniel()
    pages = [
        reverse("cases:case_detail", kwargs={"case_id": case.pk}),
        *(reverse("cases:case_part", kwargs={"case_id": case.pk, "part": part}) for part in CASE_PARTS),
        reverse("person_timeline", kwargs={"person_id": case.person_id}),
        reverse("conferences:conference_list"),
    ]
    pages.append(reverse("transition:release_plan", kwargs={"case_id": case.pk}))
    seen = "".join(visible(officer.get(url)) for url in pages)
    from continuum.signals.models import Signal

    analyst = client_as("cp.analyst")
    for signal in Signal.objects.filter(case=case):
        seen += visible(analyst.get(reverse("signals:signal_detail", kwargs={"signal_id": signal.pk})))
    plan_page = officer.get(reverse("cases:case_part", kwargs={"case_id": case.pk, "part": "plan"}))
    seen += visible(plan_page)
    from continuum.plans.models import Plan

    for plan in Plan.objects.filter(case=case):
        seen += visible(officer.get(reverse("plans:plan_detail", kwargs={"plan_id": plan.pk})))
    for conference in _conferences_of(case):
        seen += visible(officer.get(reverse("conferences:conference_detail", kwargs={"conference_id": conference})))
    missing = [never for never in NEVER if never not in seen and never.replace("'", "&#x27;") not in seen]
    assert not missing


def _conferences_of(case: Case) -> list[Any]:
    from continuum.conferences.models import Conference

    return list(Conference.objects.filter(cases=case).values_list("pk", flat=True).distinct())


def test_nothing_else_of_daniels_record_on_any_page_the_mentor_reaches(demo):
    mentor = client_as("mentor.one")
    for url in mentors_pages():
        response = mentor.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        page = visible(response)
        for never in NEVER:
            assert never not in page and never.replace("'", "&#x27;") not in page, (url, never)


def test_after_a_new_session_the_mentor_still_sees_only_r8(demo):
    actions.do_record_mentoring_session(
        daniels_match(),
        held_on=timezone.localdate(),
        note="Talked about the apprenticeship.",
        acting_user=user("mentor.one"),
    )
    mentor = client_as("mentor.one")
    page = visible(mentor.get(reverse("cases:case_part", kwargs={"case_id": daniel().pk, "part": "mentoring"})))
    assert "Talked about the apprenticeship." in page
    for never in NEVER:
        assert never not in page


@pytest.fixture
def other_mentor(demo) -> User:
    """A mentor of another mentoring organisation, vetted, with a profile."""
    organisation = account_actions.do_create_organisation(
        slug="second-mentors", name="Second Mentors", type=OrgType.MENTORING, acting_user=None
    )
    created = account_actions.do_create_user(
        username="mentor.other", organisation=organisation, role=Role.MENTOR, first_name="Ines", acting_user=None
    )
    actions.do_create_profile(
        user=created, type="volunteer", vetted_on=timezone.localdate(), acting_user=user("cp.coordinator")
    )
    return user("mentor.other")


def test_a_mentor_of_another_mentoring_organisation_gets_404_on_daniels_pages(other_mentor):
    client = Client()
    client.force_login(other_mentor)
    case = daniel()
    for url in (
        reverse("cases:case_detail", kwargs={"case_id": case.pk}),
        *(reverse("cases:case_part", kwargs={"case_id": case.pk, "part": part}) for part in CASE_PARTS),
        reverse("person_timeline", kwargs={"person_id": case.person_id}),
        reverse("mentoring:mentoring_detail", kwargs={"mentoring_id": daniels_match().pk}),
        reverse("mentoring:mentor_detail", kwargs={"mentor_id": daniels_match().mentor_id}),
        reverse("mentoring:suggestions", kwargs={"case_id": case.pk}),
        reverse("transition:release_plan", kwargs={"case_id": case.pk}),
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"{reverse('search')}?q=Daniel", "/", reverse("cases:case_list")):
        response = client.get(url)
        assert response.status_code == 200
        page = visible(response)
        assert IDENTITY not in page, url
        for text in MENTORS_OWN:
            assert text not in page, url
    session_url = reverse("mentoring:session_add", kwargs={"mentoring_id": daniels_match().pk})
    assert client.post(session_url, {"held_on": timezone.localdate().isoformat()}).status_code == 404
