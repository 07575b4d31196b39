"""Leak-freedom at volume (issue 18): the engine against the reference model, on every case record model.

Seeded random worlds (``tests/sharing_world.py``) hold records of every model of ``record_models()``,
with child relationships, family files and their teams, mentors' matches, assigned milestones, group
places, signals, consents, overrides and policy changes. Each (viewer, record) pair is one check:
``visible_to`` gives the record, with its basis, exactly when the reference does.

The bounded run here is part of ``make test``; ``make verify-sharing`` runs the same check to
``CONTINUUM_VERIFY_SHARING_CHECKS`` (1,000,000) checks and prints the figures.
"""

from __future__ import annotations

import os
import time

import pytest

from continuum.sharing.records import record_models
from tests.sharing_world import SHARING, Size, check_worlds, record_model_labels

pytestmark = pytest.mark.django_db

BOUNDED_WORLDS = 2
# Bigger worlds for the volume run: a visibility query costs about the same for 20 records as for 200, so
# more records per world make more checks per second.
VOLUME_SIZE = Size(adults=24, children=8, files=8, per_model=80)
SEED = int(os.environ.get("CONTINUUM_VERIFY_SHARING_SEED", "1800"))


def test_every_record_model_is_generated_and_every_documented_rule_names_a_model(demo_world):
    labels = set(record_model_labels())
    assert len(labels) == len(record_models()) >= 37
    assert set(SHARING) <= labels


def test_visible_to_agrees_with_the_reference_on_every_record_model(demo_world):
    outcome = check_worlds(seed=SEED, worlds=BOUNDED_WORLDS, size=Size(per_model=4))
    print(f"\n{outcome.checks} visibility checks, {len(outcome.disagreements)} disagreements")
    assert not outcome.disagreements, "\n".join(outcome.disagreements[:20])
    assert set(outcome.per_model) == set(record_model_labels())  # every model was checked
    # The worlds reach every basis, and hidden records.
    assert {"author", "matrix", "consent", "override", "triage", "hidden"} <= set(outcome.bases), outcome.bases
    assert outcome.checks >= 10_000


@pytest.mark.skipif("CONTINUUM_VERIFY_SHARING_CHECKS" not in os.environ, reason="make verify-sharing only")
def test_verify_sharing_at_volume(demo_world):
    wanted = int(os.environ["CONTINUUM_VERIFY_SHARING_CHECKS"])
    started = time.monotonic()

    def progress(outcome):
        if outcome.worlds % 2 == 0:
            print(f"  {outcome.worlds} worlds, {outcome.checks} checks, {time.monotonic() - started:.0f} s", flush=True)

    outcome = check_worlds(seed=SEED, checks=wanted, size=VOLUME_SIZE, progress=progress)
    elapsed = time.monotonic() - started
    print(
        f"\n{outcome.checks} visibility checks, {len(outcome.disagreements)} disagreements "
        f"({outcome.worlds} worlds, {outcome.records} records, {outcome.viewers} viewers, {elapsed:.0f} s)"
    )
    print("  by basis: " + ", ".join(f"{k} {v}" for k, v in sorted(outcome.bases.items())))
    assert not outcome.disagreements, "\n".join(outcome.disagreements[:20])
    assert outcome.checks >= wanted


def test_an_override_on_a_parents_case_the_organisation_has_left_opens_nothing_of_the_child(persona):
    """Found by the volume check: a child's record belongs to both parents' cases; the police, still on
    the mother's case, had an override for ``children`` on the father's case, which it has since left.
    R5 grants one organisation one category on one case, and R1 needs current membership of that case:
    the override on the father's case opens nothing, and membership of the mother's case gives no
    ``children`` to the police (R6)."""
    from datetime import timedelta

    from django.utils import timezone

    from continuum.cases.models import Case, CaseMember
    from continuum.families.models import Placement, Relationship
    from continuum.people.models import Person
    from continuum.sharing.models import Override

    worker, police = persona("cw.worker"), persona("police.liaison")
    cases = []
    for name in ("Mother", "Father"):
        parent = Person.objects.create(
            given_name=name, family_name="Two", created_by=worker, created_org=worker.organisation
        )
        case = Case.objects.create(
            number=f"T-{name}", person=parent, lead_organisation=worker.organisation, created_by=worker
        )
        for org in (worker.organisation, police.organisation):
            CaseMember.objects.create(case=case, organisation=org)
        cases.append(case)
    mother_case, father_case = cases
    child = Person.objects.create(
        given_name="Kid",
        family_name="Two",
        subject_category="child",
        created_by=worker,
        created_org=worker.organisation,
    )
    for case in cases:
        Relationship.objects.create(
            person=case.person,
            case=case,
            relative=child,
            kind="child",
            category="children",
            author=worker,
            author_org=worker.organisation,
        )
    placement = Placement.objects.create(
        person=child,
        category="children",
        kind="foster_family",
        starts_on=timezone.localdate(),
        author=worker,
        author_org=worker.organisation,
    )
    now = timezone.now()
    Override.objects.create(
        number=1,
        case=father_case,
        category="children",
        recipient=police.organisation,
        legal_basis="public_safety",
        justification="Imminent risk to the child reported at the visit.",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=2),
        granted_by=persona("cp.coordinator"),
        granted_org=persona("cp.coordinator").organisation,
    )
    seen = Placement.objects.visible_to(police).filter(pk=placement.pk)
    assert seen.get().visibility["basis"] == "override"  # on the father's team, the override holds
    CaseMember.objects.filter(case=father_case, organisation=police.organisation).update(until=timezone.localdate())
    assert not Placement.objects.visible_to(police).filter(pk=placement.pk).exists()
    assert CaseMember.objects.filter(case=mother_case, organisation=police.organisation, until__isnull=True).exists()
