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
