"""The doors to families and children (``visible_to`` underneath, on ``sharing.access``).

Each ``access_*`` helper answers 404 for what is not there or not visible, the same answer, and
logs the read (R11). A child is reached only through a child relationship the user may see: the
child's identity is itself ``children`` information (R6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from continuum.cases.models import Case
from continuum.families.choices import RelationKind
from continuum.families.models import (
    BestInterestAssessment,
    ChildProfile,
    Clearing,
    ContactOrder,
    CounsellingSession,
    FamilyClient,
    FamilyCounsellor,
    FamilyDay,
    FamilyDayParticipant,
    FamilyFile,
    HelpPlan,
    Placement,
    Refusal,
    Relationship,
    ReOffer,
    Visit,
    VisitSlot,
)
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.access import access_visible, parse_id, read_records
from continuum.sharing.disclosure import log_denied, log_reads


def relationships_of(user: Any, case: Case) -> list[Relationship]:
    """The case's current relationships the user may see (children only for R6's readers), logged."""
    found = list(
        Relationship.objects.visible_to(user)
        .filter(case=case, ended_on__isnull=True)
        .select_related("relative")
        .order_by("kind", "relative__family_name", "relative__given_name", "pk")
    )
    read_records(user, found)
    return found


def children_of(user: Any, case: Case) -> list[Relationship]:
    return [r for r in relationships_of(user, case) if r.kind == RelationKind.CHILD]


@dataclass
class ChildView:
    """A child as the user may see it: the person and the child relationships that show it."""

    child: Person
    links: list[Relationship] = field(default_factory=list)

    @property
    def cases(self) -> list[Case]:
        return [link.case for link in self.links if link.case is not None]


def access_child(user: Any, child_id: Any) -> ChildView:
    """A child the user may see through a current child relationship, or 404."""
    pk = parse_id(child_id)
    links = (
        list(
            Relationship.objects.visible_to(user)
            .filter(relative_id=pk, kind=RelationKind.CHILD, ended_on__isnull=True)
            .select_related("relative", "case", "case__person")
        )
        if pk
        else []
    )
    if not links:
        log_denied(user, "child", child_id)
        raise Http404
    read_records(user, links)
    return ChildView(child=links[0].relative, links=links)


def child_file(user: Any, child: Person) -> dict[str, Any]:
    """Everything about the child the user may see, logged as read: four queries and the reads."""
    placements = list(Placement.objects.visible_to(user).filter(person=child).order_by("-starts_on", "-created_at"))
    profile = ChildProfile.objects.visible_to(user).filter(person=child).first()
    best_interest = list(
        BestInterestAssessment.objects.visible_to(user).filter(person=child).order_by("-assessed_on", "-created_at")
    )
    orders = list(
        ContactOrder.objects.visible_to(user)
        .filter(person=child)
        .select_related("parent_case", "parent_case__person")
        .order_by("-valid_from", "-created_at")
    )
    read_records(user, [*placements, *([profile] if profile else []), *best_interest, *orders])
    return {"placements": placements, "profile": profile, "best_interest": best_interest, "contact_orders": orders}


def access_contact_order(user: Any, order_id: Any) -> ContactOrder:
    order: ContactOrder = access_visible(
        ContactOrder.objects.visible_to(user).select_related("person", "parent_case", "parent_case__person"),
        user,
        order_id,
        object_type="contact_order",
        on_found=lambda found: log_reads(user, [found]),
    )
    return order


def visits_of(user: Any, order: ContactOrder) -> list[Visit]:
    visits = list(Visit.objects.visible_to(user).filter(contact_order=order).order_by("-scheduled_for", "pk"))
    for visit in visits:
        visit.contact_order = order
    read_records(user, visits)
    return visits


def access_visit(user: Any, visit_id: Any) -> Visit:
    visit: Visit = access_visible(
        Visit.objects.visible_to(user).select_related("contact_order", "contact_order__parent_case"),
        user,
        visit_id,
        object_type="visit",
        on_found=lambda found: log_reads(user, [found]),
    )
    return visit


def visit_schedule(user: Any, case: Case, *, since: Any = None) -> list[VisitSlot]:
    """When and how the case's family contact happens, as the user may see it (``family``), logged.

    Visits of several children at the same time, in the same form and setting, are one contact for
    the prison and appear once: the schedule does not tell how many children there are.
    """
    slots = VisitSlot.objects.visible_to(user).filter(case=case)
    if since is not None:
        slots = slots.filter(scheduled_for__gte=since)
    found = list(slots.order_by("scheduled_for", "form", "setting", "pk"))
    read_records(user, found)
    shown: dict[tuple[Any, str, str], VisitSlot] = {}
    for slot in found:
        shown.setdefault((slot.scheduled_for, slot.form, slot.setting), slot)
    return list(shown.values())


# --- family files ---------------------------------------------------------------------------------------


def family_files_for(user: Any) -> QuerySet[FamilyFile]:
    """The family files the user's organisation counsels (or wrote), newest first."""
    return (
        FamilyFile.objects.visible_to(user)
        .select_related("person", "counselling_organisation", "case")
        .order_by("closed_on", "-opened_on", "-created_at", "pk")
    )


def access_family_file(user: Any, file_id: Any) -> FamilyFile:
    found: FamilyFile = access_visible(
        family_files_for(user), user, file_id, object_type="family_file", on_found=lambda f: log_reads(user, [f])
    )
    return found


def file_parts(user: Any, family_file: FamilyFile) -> dict[str, Any]:
    """The file's clients, counsellors, clearings, help plan and the sessions the user may see, logged."""
    clients = list(FamilyClient.objects.filter(family_file=family_file).select_related("person"))
    counsellors = list(
        FamilyCounsellor.objects.filter(family_file=family_file, until__isnull=True)
        .select_related("organisation")
        .order_by("since", "organisation__name")
    )
    clearings = list(Clearing.objects.visible_to(user).filter(family_file=family_file).order_by("-cleared_on", "-pk"))
    help_plan = HelpPlan.objects.visible_to(user).filter(family_file=family_file).first()
    sessions = list(
        CounsellingSession.objects.visible_to(user)
        .filter(family_file=family_file)
        .select_related("person")
        .order_by("-held_on", "-created_at", "pk")
    )
    read_records(user, [*clearings, *([help_plan] if help_plan else []), *sessions])
    return {
        "clients": clients,
        "counsellors": counsellors,
        "clearings": clearings,
        "help_plan": help_plan,
        "sessions": sessions,
    }


def file_client(family_file: FamilyFile, person_id: Any) -> Person | None:
    """The client of the file (already reached through its door) with that id, or None (a 400 for the caller)."""
    pk = parse_id(person_id)
    if pk is None:
        return None
    client = FamilyClient.objects.filter(family_file=family_file, person_id=pk).select_related("person").first()
    return client.person if client is not None else None


# --- the social-environment route and family days ---------------------------------------------------------


def refusals_of(user: Any, case: Case) -> list[Refusal]:
    """The case's refusals the user may see, newest first, each with ``re_offers`` (oldest first), logged."""
    refusals = list(Refusal.objects.visible_to(user).filter(case=case).order_by("-refused_on", "-created_at"))
    offers = list(
        ReOffer.objects.visible_to(user)
        .filter(refusal__in=[r.pk for r in refusals])
        .order_by("offered_on", "created_at")
    )
    by_refusal: dict[Any, list[ReOffer]] = {r.pk: [] for r in refusals}
    for offer in offers:
        by_refusal[offer.refusal_id].append(offer)
    for refusal in refusals:
        refusal.re_offers = by_refusal[refusal.pk]
        for offer in refusal.re_offers:
            offer.refusal = refusal
    read_records(user, [*refusals, *offers])
    return refusals


def access_refusal(user: Any, refusal_id: Any) -> Refusal:
    found: Refusal = access_visible(
        Refusal.objects.visible_to(user).select_related("case"),
        user,
        refusal_id,
        object_type="refusal",
        on_found=lambda r: log_reads(user, [r]),
    )
    return found


def family_days_for(user: Any) -> QuerySet[FamilyDay]:
    """The family days the user's organisation organises (an event, no one's information)."""
    viewer = engine.viewer_for(user)
    if not viewer.sees_content:
        return FamilyDay.objects.none()
    return FamilyDay.objects.filter(organiser_id=viewer.organisation_id).select_related("organiser")


def access_family_day(user: Any, day_id: Any) -> FamilyDay:
    found: FamilyDay = access_visible(family_days_for(user), user, day_id, object_type="family_day")
    return found


def participants_of(user: Any, day: FamilyDay) -> list[FamilyDayParticipant]:
    """The day's participants the user may see (each on its own case): never the others (R12)."""
    found = list(
        FamilyDayParticipant.objects.visible_to(user)
        .filter(family_day=day)
        .select_related("person", "case")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    for participant in found:
        participant.family_day = day
    read_records(user, found)
    return found


def access_participant(user: Any, participant_id: Any) -> FamilyDayParticipant:
    found: FamilyDayParticipant = access_visible(
        FamilyDayParticipant.objects.visible_to(user).select_related("family_day", "case"),
        user,
        participant_id,
        object_type="family_day_participant",
        on_found=lambda p: log_reads(user, [p]),
    )
    return found
