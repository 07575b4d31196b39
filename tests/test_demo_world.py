"""The demo world (DESIGN.md section 6) of assessments, plans and conferences: idempotent, and as
consistent as real work: every agreed plan was agreed through an agreed conference decision."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from continuum.assessments.models import Assessment
from continuum.conferences.models import Conference, Decision
from continuum.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_the_demo_world_is_idempotent_and_agrees_plans_only_through_conference_decisions():
    call_command("seed_demo")
    counts = (Assessment.objects.count(), Plan.objects.count(), Conference.objects.count(), Decision.objects.count())
    call_command("seed_demo")
    assert counts == (
        Assessment.objects.count(),
        Plan.objects.count(),
        Conference.objects.count(),
        Decision.objects.count(),
    )
    agreed = list(Plan.objects.filter(status="agreed"))
    assert len(agreed) == 2
    for plan in agreed:
        decision = Decision.objects.get(pk=plan.agreed_through_decision)
        assert decision.status == "agreed" and decision.plan_id == plan.pk and decision.case_id == plan.case_id
    # Daniel's revision 2 and Amira's first plan wait for their conferences.
    waiting = Plan.objects.filter(status="draft")
    assert waiting.count() == 2
    for plan in waiting:
        assert Decision.objects.filter(plan=plan, status="proposed").count() == 1


def test_the_demo_families_are_there_once_and_as_the_issue_describes_them():
    """Issue 15: Amira's two children in foster care with a contact order (video twice a month), three
    visits of which one was missed (and the next one planned), parenting support, and a family file
    for her mother and sister held by the family counsellor."""
    from continuum.families.actions import compliance
    from continuum.families.models import (
        ContactOrder,
        CounsellingSession,
        FamilyClient,
        FamilyFile,
        Placement,
        Relationship,
        Visit,
        VisitSlot,
    )
    from continuum.plans.models import Intervention

    call_command("seed_demo")
    call_command("seed_demo")
    children = Relationship.objects.filter(case__person__given_name="Amira", kind="child", ended_on__isnull=True)
    assert sorted(r.relative.given_name for r in children) == ["Ilias", "Yasmin"]
    for link in children:
        child = link.relative
        assert child.subject_category == "child"
        current = Placement.objects.get(person=child, ends_on__isnull=True)
        assert current.kind == "foster_family"
        order = ContactOrder.objects.get(person=child)
        assert (order.form, order.per_month, order.supervised) == ("video", 2, True)
        visits = list(Visit.objects.filter(contact_order=order))
        assert sorted(str(v.took_place) for v in visits) == ["False", "None", "True", "True"]
        held = compliance(order, visits)
        assert (held["held"], held["missed"]) == (2, 1)
        assert held["due"] >= 5  # about three months at twice a month
        assert VisitSlot.objects.filter(visit__in=visits, case=link.case).count() == 4
    assert Intervention.objects.filter(case__person__given_name="Amira", type="parenting_support").count() == 1
    family_file = FamilyFile.objects.get(case__person__given_name="Amira")
    assert family_file.counselling_organisation.slug == "family-counselling"
    assert sorted(c.person.given_name for c in FamilyClient.objects.filter(family_file=family_file)) == [
        "Fatima",
        "Samira",
    ]
    assert CounsellingSession.objects.filter(family_file=family_file, never_share=True).count() == 1


def test_the_demo_training_is_there_once_with_one_expired_certification():
    """Issue 16: a small catalogue, who needs what, completions; the Prison North psychologist's MAR
    certification has expired, so Amira's open review shows the gap."""
    from continuum.cases.models import Case
    from continuum.training.actions import is_expired, training_gaps
    from continuum.training.models import Completion, Course, Requirement

    call_command("seed_demo")
    call_command("seed_demo")
    assert Course.objects.count() == 7 and Requirement.objects.count() == 2
    assert Course.objects.get(code="media-handling").validity_months is None
    mar = Completion.objects.get(user__username="pn.psychologist", course__code="mar-certification")
    assert is_expired(mar)
    assert not is_expired(Completion.objects.get(user__username="prob.officer", course__code="mar-certification"))
    amira = Case.objects.get(person__given_name="Amira", person__family_name="Benali")
    gaps = {(g.user.username, g.course.code): g.reason for g in training_gaps(amira)}
    assert "expired on" in gaps[("pn.psychologist", "mar-certification")]
    assert ("prob.officer", "gender-awareness") not in gaps


def test_the_demo_mentoring_is_there_once():
    """Issue 16: mentor.one's profile and a supervision last month, matched with Daniel Kovac by the
    probation officer (both consents), and two sessions written by mentor.one."""
    from continuum.cases.models import Case, CaseMember
    from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile, Supervision

    call_command("seed_demo")
    call_command("seed_demo")
    profile = MentorProfile.objects.get(user__username="mentor.one")
    assert {"right_wing", "young_people"} <= set(profile.experience) and profile.vetting == "vetted"
    assert Supervision.objects.filter(profile=profile).count() == 1
    daniel = Case.objects.get(person__given_name="Daniel", person__family_name="Kovac")
    match = Mentoring.objects.get(case=daniel, mentor=profile)
    assert match.author.username == "prob.officer" and match.ended_on is None
    assert match.mentee_consent_on and match.mentor_consent_on
    sessions = MentoringSession.objects.filter(mentoring=match)
    assert sessions.count() == 2 and {s.author.username for s in sessions} == {"mentor.one"}
    assert CaseMember.objects.filter(case=daniel, organisation__slug="mentor-network", until__isnull=True).count() == 1
