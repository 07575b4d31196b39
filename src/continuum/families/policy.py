"""Who may work on families and children (the rules; the actions enforce them). Reading follows the engine."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import OrgType
from continuum.cases.choices import Phase
from continuum.cases.models import Case
from continuum.families.choices import RelationKind
from continuum.families.models import FamilyCounsellor, FamilyFile, cases_of_child
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category

# Who runs family days: the prison's staff who take part in cases.
FAMILY_DAY_TYPES = frozenset({OrgType.PRISON})


def relationship_category(kind: str) -> str:
    """A child relationship is ``children`` (R6); every other relationship ``family``."""
    return Category.CHILDREN if kind == RelationKind.CHILD else Category.FAMILY


def can_write_children(user: Any, case: Any) -> bool:
    """A current member whose matrix row writes ``children`` (child welfare, R6)."""
    return engine.can_write(user, case, Category.CHILDREN)


def can_record_relationship(user: Any, case: Any, kind: str) -> bool:
    return engine.can_write(user, case, relationship_category(kind))


def child_cases(child: Any) -> list[Case]:
    """The cases a child belongs to (its parents' cases with a current child relationship)."""
    return list(Case.objects.filter(pk__in=cases_of_child(child)).select_related("person"))


def can_write_child(user: Any, child: Any, cases: list[Case] | None = None) -> Case | None:
    """The first of the child's cases on which the user writes ``children``, or None."""
    for case in cases if cases is not None else child_cases(child):
        if can_write_children(user, case):
            return case
    return None


def writes_counselling(user: Any) -> bool:
    """The user's organisation type writes ``counselling`` by the matrix (exit and family counselling)."""
    viewer = engine.viewer_for(user)
    return viewer.sees_content and engine.matrix_for(viewer.org_type).get(Category.COUNSELLING) == Access.WRITE


def can_open_family_file(user: Any) -> bool:
    return writes_counselling(user)


def on_file_team(user: Any, family_file: FamilyFile) -> bool:
    viewer = engine.viewer_for(user)
    return (
        viewer.sees_content
        and viewer.organisation_id is not None
        and FamilyCounsellor.objects.filter(
            family_file=family_file, organisation_id=viewer.organisation_id, until__isnull=True
        ).exists()
    )


def can_work_on_file(user: Any, family_file: FamilyFile) -> bool:
    """A counsellor of the file's team whose organisation writes counselling, while the file is open."""
    return family_file.closed_on is None and writes_counselling(user) and on_file_team(user, family_file)


def can_hold_file(user: Any, family_file: FamilyFile) -> bool:
    """The organisation holding the file decides who else counsels the family."""
    viewer = engine.viewer_for(user)
    return can_work_on_file(user, family_file) and viewer.organisation_id == family_file.counselling_organisation_id


def can_record_refusal(user: Any, case: Any) -> bool:
    """Whoever writes the case's plan records that the person refuses to take part, and re-offers."""
    return engine.can_write(user, case, Category.PLAN)


def can_plan_family_day(user: Any) -> bool:
    viewer = engine.viewer_for(user)
    return viewer.sees_content and viewer.org_type in FAMILY_DAY_TYPES


def can_add_participant(user: Any, day: Any, case: Any) -> bool:
    """The organising prison adds the persons of cases it is on and writes ``family`` on."""
    viewer = engine.viewer_for(user)
    return (
        viewer.sees_content
        and viewer.organisation_id == day.organiser_id
        and case.phase != Phase.CLOSED
        and engine.can_write(user, case, Category.FAMILY)
    )
