"""The case page's "Family and children" part (``cases/parts/family.html``, the ``{% family_on_case %}``
tag), and the same section drawn as a page when one of its forms comes back with errors.

``cases`` never imports ``families``: the case page loads this part by its template. What the user
may see comes through the doors of ``families.access`` (``visible_to`` underneath), in a fixed number
of queries whatever the number of relatives, visits and refusals, each logged as read (R11).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from continuum.cases.access import cases_reading_category
from continuum.cases.models import Case
from continuum.families.access import family_files_for, refusals_of, relationships_of, visit_schedule
from continuum.families.choices import RelationKind
from continuum.families.forms import ChildForm, RefusalForm, RelationshipForm, ReOfferForm
from continuum.families.policy import can_record_refusal, can_record_relationship, can_write_children
from continuum.sharing.access import read_records
from continuum.sharing.choices import Category

# The forms of the part, by name (a bound one comes back with its errors).
CASE_FORMS = ("relationship_form", "child_form", "refusal_form", "re_offer_form")
SLOTS_SHOWN = 10


def relationship_kinds(user: Any, case: Case) -> list[str]:
    """The kinds of relatives and contacts (not children) the user may record on the case."""
    return [k for k in RelationKind.values if k != RelationKind.CHILD and can_record_relationship(user, case, k)]


def re_offer_auto_id(refusal: Any) -> str:
    return f"id_offer{refusal.pk.hex[:12]}_%s"


def case_family_context(user: Any, case: Case, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the user may see and do of the case's family, with blank forms or the ``bound`` ones
    (``re_offer_form`` with ``re_offer_target``, the refusal's id)."""
    bound = bound or {}
    today = timezone.localdate()
    relationships = relationships_of(user, case)
    children = [r for r in relationships if r.kind == RelationKind.CHILD]
    relatives = [r for r in relationships if r.kind != RelationKind.CHILD]
    reads_family = case.pk in cases_reading_category(user, [case], Category.FAMILY)
    slots = visit_schedule(user, case, since=timezone.now())
    refusals = refusals_of(user, case)
    files = list(family_files_for(user).filter(case=case, closed_on__isnull=True))
    read_records(user, files, purpose="case page")
    kinds = relationship_kinds(user, case)
    shown: dict[str, Any] = {
        "case": case,
        "today": today,
        "children": children,
        "relatives": relatives,
        "reads_family": reads_family,
        "slots": slots[:SLOTS_SHOWN],
        "slots_more": len(slots) > SLOTS_SHOWN,
        "refusals": refusals,
        "family_files": files,
        "open_form": next((k for k in CASE_FORMS if k in bound), ""),
    }
    if kinds:
        shown["relationship_form"] = bound.get("relationship_form") or RelationshipForm(
            kinds=kinds, auto_id="id_relative_%s"
        )
    if can_write_children(user, case):
        shown["child_form"] = bound.get("child_form") or ChildForm(auto_id="id_child_%s")
    if can_record_refusal(user, case):
        shown["records_refusals"] = True
        if not any(r.ended_on is None for r in refusals):
            shown["refusal_form"] = bound.get("refusal_form") or RefusalForm(
                initial={"refused_on": today}, auto_id="id_refusal_%s"
            )
        target = bound.get("re_offer_target")
        for refusal in refusals:
            if refusal.ended_on is None:
                refusal.offer_form = (  # type: ignore[attr-defined]
                    bound["re_offer_form"]
                    if refusal.pk == target
                    else ReOfferForm(initial={"offered_on": today}, auto_id=re_offer_auto_id(refusal))
                )
    shown["anything"] = bool(
        relationships
        or reads_family
        or slots
        or refusals
        or files
        or kinds
        or "child_form" in shown
        or "records_refusals" in shown
    )
    return shown
