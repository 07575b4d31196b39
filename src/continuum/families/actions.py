"""Every state change of families and children: relationships, children and their records, contact
orders and visits, family files, family days, refusals and re-offers.

Each action is atomic, checks the rule (``PermissionDenied``), validates (``ValidationError``), writes
and appends its audit event in the same transaction (docs/architecture.md). Updates of versioned rows
go through ``audit.changes``: a stale ``version`` is a 409, the old and new values are audited, never
the words of a note.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes, audited_diff, check_version
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.families.choices import (
    ContactForm,
    Influence,
    OfferResponse,
    PlacementKind,
    RelationKind,
    Urgency,
    VisitSetting,
)
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
from continuum.families.policy import (
    can_add_participant,
    can_hold_file,
    can_open_family_file,
    can_plan_family_day,
    can_record_refusal,
    can_record_relationship,
    can_work_on_file,
    can_write_child,
    can_write_children,
    child_cases,
    relationship_category,
)
from continuum.lib.dates import birth_date_error
from continuum.people.actions import do_create_person
from continuum.people.choices import Gender, SubjectCategory
from continuum.people.models import Person

# The case-record helpers every domain app's actions share (plans is a layer below).
from continuum.plans.actions._common import _audit, _recheck_visible, _text
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category

MAX_PER_MONTH = 31


# --- shared checks ------------------------------------------------------------------------------------


def _choice(value: Any, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {field: _("Unknown value; choose one of %(values)s.") % {"values": ", ".join(choices.values)}}
        )
    return str(value)


def _real_day(value: Any, field: str, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if isinstance(value, datetime):
        value = value.date()
    if value.year < 1900 or value.year > 2200:
        raise ValidationError({field: _("Give a real date.")})
    return value


def _required_day(value: Any, field: str) -> date:
    day = _real_day(value, field)
    if day is None:  # _real_day has already refused it
        raise ValidationError({field: _("This field is required.")})
    return day


def _real_moment(value: Any, field: str) -> datetime:
    if value is None:
        raise ValidationError({field: _("This field is required.")})
    if value.year < 2000 or value.year > 2200:
        raise ValidationError({field: _("Give a real date.")})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _organisation(user: User) -> Organisation:
    if user.organisation is None:
        raise PermissionDenied(_("Only members of an organisation record case information."))
    return user.organisation


def _record_fields(person: Any, case: Case | None, acting_user: User, category: str) -> dict[str, Any]:
    return {
        "person_id": person.pk,
        "case": case,
        "category": category,
        "author": acting_user,
        "author_org": _organisation(acting_user),
    }


def _new_person(details: dict[str, Any], *, subject: str, rule: str, acting_user: User) -> Person:
    """A child or relative registered by the practitioner working with them (a rule of the practice:
    child welfare registers the children, a family counsellor its clients), on behalf of their organisation."""
    errors: dict[str, str] = {}
    given = _text(details.get("given_name", ""), "given_name", limit=100)
    family = _text(details.get("family_name", ""), "family_name", limit=100)
    if not given:
        errors["given_name"] = _("This field is required.")
    if not family:
        errors["family_name"] = _("This field is required.")
    gender = details.get("gender") or Gender.UNKNOWN
    if gender not in Gender.values:
        errors["gender"] = _("Unknown value; choose one of %(values)s.") % {"values": ", ".join(Gender.values)}
    birth_date = details.get("birth_date")
    born_error = birth_date_error(birth_date)
    if born_error:
        errors["birth_date"] = born_error
    if errors:
        raise ValidationError(errors)
    return do_create_person(
        given_name=given,
        family_name=family,
        birth_date=birth_date,
        gender=gender,
        subject_category=subject,
        acting_user=acting_user,
        by_rule=rule,
        on_behalf_of=_organisation(acting_user),
    )


# --- relationships ---------------------------------------------------------------------------------------


def _sees_person(user: User, person: Person) -> bool:
    """Whether the user already sees the person: its identity (``Person.visible_to``) or as the
    relative of a relationship it sees (a child on another parent's case). Naming anyone else as a
    relative would open a stranger's records (R1)."""
    return (
        Person.objects.visible_to(user).filter(pk=person.pk).exists()
        or Relationship.objects.visible_to(user).filter(relative=person, ended_on__isnull=True).exists()
    )


@transaction.atomic
def do_record_relationship(
    case: Case,
    *,
    kind: str,
    influence: str = Influence.UNKNOWN,
    note: str = "",
    relative: Person | None = None,
    new_relative: dict[str, Any] | None = None,
    acting_user: User,
) -> Relationship:
    """Record a relative or contact of the case's person: an existing person, or a new one."""
    kind = _choice(kind, RelationKind, "kind")
    if not can_record_relationship(acting_user, case, kind):
        raise PermissionDenied(_("Your organisation may not record this kind of relationship on this case."))
    influence = _choice(influence or Influence.UNKNOWN, Influence, "influence")
    note = _text(note, "note")
    if (relative is None) == (new_relative is None):
        raise ValidationError({"relative": _("Name an existing person or give the new person's details.")})
    if relative is not None and not _sees_person(acting_user, relative):
        raise ValidationError({"relative": _("Choose a person your organisation works with.")})
    if relative is not None and relative.pk == case.person_id:
        raise ValidationError({"relative": _("A person cannot be their own relative.")})
    if (
        relative is not None
        and Relationship.objects.filter(case=case, relative=relative, ended_on__isnull=True).exists()
    ):
        raise ValidationError({"relative": _("This person is already recorded as a relative on this case.")})
    if relative is None:
        subject = SubjectCategory.CHILD if kind == RelationKind.CHILD else SubjectCategory.RELATIVE
        relative = _new_person(new_relative or {}, subject=subject, rule=f"{kind}_of_case", acting_user=acting_user)
    relationship = Relationship.objects.create(
        **_record_fields(case.person, case, acting_user, relationship_category(kind)),
        relative=relative,
        kind=kind,
        influence=influence,
        note=note,
    )
    _recheck_visible(Relationship, relationship.pk, acting_user)
    _audit(AuditAction.CREATE, relationship, acting_user, {"kind": kind, "influence": influence})
    return relationship


RELATIONSHIP_FIELDS = ("influence", "note", "ended_on")


@transaction.atomic
def do_update_relationship(
    relationship: Relationship, *, version: int | None, changes: dict[str, Any], acting_user: User
) -> Relationship:
    unknown = set(changes) - set(RELATIONSHIP_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = Relationship.objects.select_for_update(of=("self",)).select_related("case").get(pk=relationship.pk)
    if locked.case is None or not can_record_relationship(acting_user, locked.case, locked.kind):
        raise PermissionDenied(_("Your organisation may not change this relationship."))
    check_version(locked, version)
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "influence":
            cleaned[field] = _choice(value, Influence, "influence")
        elif field == "note":
            cleaned[field] = _text(value, "note")
        else:
            day = _real_day(value, "ended_on", required=False)
            if day is not None and day > timezone.localdate():
                raise ValidationError({"ended_on": _("A relationship is ended on a day that has come.")})
            cleaned[field] = day
    before = apply_changes(locked, cleaned, version=version)
    if before:
        shown = {f: v for f, v in before.items() if f != "note"}
        _audit(AuditAction.UPDATE, locked, acting_user, {"changes": audited_diff(shown, cleaned, type(locked))})
    return locked


# --- children ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_add_child(
    case: Case,
    *,
    given_name: str,
    family_name: str,
    birth_date: date | None = None,
    gender: str = Gender.UNKNOWN,
    acting_user: User,
) -> Relationship:
    """Register a child of the case's person (a person of category ``child``) and link it to the case."""
    if not can_write_children(acting_user, case):
        raise PermissionDenied(_("Children are recorded by child welfare, a member of the case."))
    details = {"given_name": given_name, "family_name": family_name, "birth_date": birth_date, "gender": gender}
    return do_record_relationship(case, kind=RelationKind.CHILD, new_relative=details, acting_user=acting_user)


@transaction.atomic
def do_link_child(case: Case, *, child: Person, acting_user: User) -> Relationship:
    """Link a child already recorded (on the other parent's case) to this case as well."""
    if not can_write_children(acting_user, case):
        raise PermissionDenied(_("Children are recorded by child welfare, a member of the case."))
    if not _sees_person(acting_user, child) or child.subject_category != SubjectCategory.CHILD:
        raise ValidationError({"child": _("Choose a child recorded on another case you take part in.")})
    return do_record_relationship(case, kind=RelationKind.CHILD, relative=child, acting_user=acting_user)


def _child_case(child: Person, acting_user: User) -> Case:
    case = can_write_child(acting_user, child)
    if case is None:
        raise PermissionDenied(_("Only child welfare, a member of a parent's case, records this about a child."))
    return case


@transaction.atomic
def do_record_placement(
    child: Person, *, kind: str, starts_on: date, carer: str = "", note: str = "", acting_user: User
) -> Placement:
    """Where the child lives from ``starts_on``; the placement before it ends that day."""
    _child_case(child, acting_user)
    kind = _choice(kind, PlacementKind, "kind")
    day = _required_day(starts_on, "starts_on")
    current = (
        Placement.objects.select_for_update().filter(person=child, ends_on__isnull=True).order_by("-starts_on").first()
    )
    if current is not None and day <= current.starts_on:
        raise ValidationError({"starts_on": _("The new placement must start after the current one began.")})
    if current is not None:
        current.ends_on = day
        current.save(update_fields=["ends_on"])
    placement = Placement.objects.create(
        **_record_fields(child, None, acting_user, Category.CHILDREN),
        kind=kind,
        starts_on=day,
        carer=_text(carer, "carer", limit=200),
        note=_text(note, "note"),
    )
    _recheck_visible(Placement, placement.pk, acting_user)
    _audit(AuditAction.CREATE, placement, acting_user, {"kind": kind, "starts_on": day.isoformat()})
    return placement


PROFILE_FIELDS = ("guardian", "school", "health", "documents_from_abroad")


@transaction.atomic
def do_update_child_profile(
    child: Person, *, version: int | None, changes: dict[str, Any], acting_user: User
) -> ChildProfile:
    """The child's guardian, school, health and documents from abroad; the first write creates them."""
    _child_case(child, acting_user)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    cleaned = {
        field: _text(value, field, limit=200 if field == "guardian" else 5000) for field, value in changes.items()
    }
    profile = ChildProfile.objects.select_for_update().filter(person=child).first()
    if profile is None:
        if version not in (None, 0):
            raise ValidationError({"version": _("The child has no details yet; send version 0 or none.")})
        profile = ChildProfile.objects.create(**_record_fields(child, None, acting_user, Category.CHILDREN), **cleaned)
        _recheck_visible(ChildProfile, profile.pk, acting_user)
        _audit(AuditAction.CREATE, profile, acting_user, {"fields": sorted(cleaned)})
        return profile
    before = apply_changes(profile, cleaned, version=version)
    if before:
        _audit(AuditAction.UPDATE, profile, acting_user, {"fields": list(before)})
    return profile


@transaction.atomic
def do_record_best_interest(
    child: Person, *, assessed_on: date, judgement: str, next_review_on: date | None = None, acting_user: User
) -> BestInterestAssessment:
    """Child welfare's judgement of the child's best interest, in its own words (never a score)."""
    _child_case(child, acting_user)
    day = _required_day(assessed_on, "assessed_on")
    if day > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment is recorded on or after the day it was made.")})
    review = _real_day(next_review_on, "next_review_on", required=False)
    if review is not None and review <= day:
        raise ValidationError({"next_review_on": _("The next review comes after the assessment.")})
    assessment = BestInterestAssessment.objects.create(
        **_record_fields(child, None, acting_user, Category.CHILDREN),
        statement="assessment",
        assessed_on=day,
        judgement=_text(judgement, "judgement", required=True),
        next_review_on=review,
    )
    _recheck_visible(BestInterestAssessment, assessment.pk, acting_user)
    _audit(AuditAction.CREATE, assessment, acting_user, {"assessed_on": day.isoformat()})
    return assessment


# --- contact orders and visits ------------------------------------------------------------------------------


@transaction.atomic
def do_record_contact_order(
    child: Person,
    *,
    issued_by: str,
    issued_on: date,
    form: str,
    per_month: int,
    supervised: bool,
    valid_from: date,
    valid_until: date | None = None,
    note: str = "",
    parent_case: Case | None = None,
    acting_user: User,
) -> ContactOrder:
    """Contact between the child and the parent of ``parent_case`` (by default the child's one case)."""
    cases = child_cases(child)
    if parent_case is None:
        if len(cases) != 1:
            raise ValidationError({"case": _("The child belongs to several cases: say whose contact this order is.")})
        parent_case = cases[0]
    elif parent_case.pk not in {c.pk for c in cases}:
        raise ValidationError({"case": _("Choose the case of one of the child's parents.")})
    if can_write_child(acting_user, child, [parent_case]) is None:
        raise PermissionDenied(_("Only child welfare, a member of the parent's case, records contact orders."))
    errors: dict[str, str] = {}
    form = _choice(form, ContactForm, "form")
    if not isinstance(per_month, int) or isinstance(per_month, bool) or not 1 <= per_month <= MAX_PER_MONTH:
        errors["per_month"] = _("Give how many contacts a month, from 1 to %(max)s.") % {"max": MAX_PER_MONTH}
    issued = _required_day(issued_on, "issued_on")
    start = _required_day(valid_from, "valid_from")
    end = _real_day(valid_until, "valid_until", required=False)
    if end is not None and end < start:
        errors["valid_until"] = _("The order ends on or after the day it starts.")
    if errors:
        raise ValidationError(errors)
    order = ContactOrder.objects.create(
        **_record_fields(child, None, acting_user, Category.CHILDREN),
        parent_case=parent_case,
        issued_by=_text(issued_by, "issued_by", required=True, limit=200),
        issued_on=issued,
        form=form,
        per_month=per_month,
        supervised=bool(supervised),
        valid_from=start,
        valid_until=end,
        note=_text(note, "note"),
    )
    _recheck_visible(ContactOrder, order.pk, acting_user)
    _audit(AuditAction.CREATE, order, acting_user, {"form": form, "per_month": per_month})
    return order


def _months_between(start: date, end: date) -> float:
    """Calendar months from ``start`` to ``end`` (fractions by the days of each month)."""
    months = 0.0
    day = start
    while day < end:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        month_end = date(day.year, day.month, days_in_month) + timedelta(days=1)
        stop = min(month_end, end)
        months += (stop - day).days / days_in_month
        day = stop
    return months


def compliance(order: ContactOrder, visits: list[Visit], today: date | None = None) -> dict[str, Any]:
    """Visits due under the order so far (whole contacts, counted pro rata over the months since it
    started, until today or its end) against those that took place and those that did not."""
    today = today or timezone.localdate()
    end = min(today, order.valid_until) if order.valid_until else today
    start = order.valid_from
    due = int(order.per_month * _months_between(start, end + timedelta(days=1))) if end >= start else 0
    counted = [v for v in visits if start <= timezone.localtime(v.scheduled_for).date() <= end]
    return {
        "due": due,
        "held": sum(1 for v in counted if v.took_place is True),
        "missed": sum(1 for v in counted if v.took_place is False),
        "from": start,
        "to": end,
    }


def _check_visit_fields(cleaned: dict[str, Any], changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        if field == "scheduled_for":
            cleaned[field] = _real_moment(value, "scheduled_for")
        elif field == "form":
            cleaned[field] = _choice(value, ContactForm, "form")
        elif field == "setting":
            cleaned[field] = _choice(value, VisitSetting, "setting")
        elif field == "accompanied_by":
            cleaned[field] = _text(value, field, limit=200)
        elif field == "took_place":
            if value not in (None, True, False):
                raise ValidationError({"took_place": _("Say yes, no, or leave it open.")})
            cleaned[field] = value
        else:
            cleaned[field] = _text(value, field)


def _check_took_place(cleaned: dict[str, Any], visit: Visit | None) -> None:
    took_place = cleaned.get("took_place", visit.took_place if visit else None)
    when = cleaned.get("scheduled_for", visit.scheduled_for if visit else None)
    if took_place is not None and when is not None and when > timezone.now() + timedelta(hours=1):
        raise ValidationError({"took_place": _("Whether a visit took place is recorded once its time has come.")})
    if cleaned.get("outcome_for_child") and took_place is None:
        raise ValidationError({"outcome_for_child": _("Say whether the visit took place.")})


VISIT_FIELDS = ("scheduled_for", "form", "setting", "accompanied_by", "took_place", "outcome_for_child")


@transaction.atomic
def do_schedule_visit(
    order: ContactOrder,
    *,
    scheduled_for: datetime,
    form: str,
    setting: str,
    accompanied_by: str = "",
    took_place: bool | None = None,
    outcome_for_child: str = "",
    acting_user: User,
) -> Visit:
    """A visit under the order, and its time on the parent's case for the prison (``family``)."""
    parent_case = order.parent_case
    child = order.person
    if can_write_child(acting_user, child, [parent_case]) is None:
        raise PermissionDenied(_("Only child welfare, a member of the parent's case, records visits."))
    cleaned: dict[str, Any] = {}
    _check_visit_fields(
        cleaned,
        {
            "scheduled_for": scheduled_for,
            "form": form,
            "setting": setting,
            "accompanied_by": accompanied_by,
            "took_place": took_place,
            "outcome_for_child": outcome_for_child,
        },
    )
    _check_took_place(cleaned, None)
    if not order.in_force_on(timezone.localtime(cleaned["scheduled_for"]).date()):
        raise ValidationError({"scheduled_for": _("The contact order is not in force on that day.")})
    visit = Visit.objects.create(
        **_record_fields(child, None, acting_user, Category.CHILDREN), contact_order=order, **cleaned
    )
    slot = VisitSlot.objects.create(
        **_record_fields(parent_case.person, parent_case, acting_user, Category.FAMILY),
        visit=visit,
        scheduled_for=visit.scheduled_for,
        form=visit.form,
        setting=visit.setting,
    )
    _recheck_visible(Visit, visit.pk, acting_user)
    _audit(AuditAction.CREATE, visit, acting_user, {"form": visit.form, "setting": visit.setting})
    _audit(AuditAction.CREATE, slot, acting_user, {"form": slot.form, "setting": slot.setting})
    return visit


@transaction.atomic
def do_update_visit(visit: Visit, *, version: int | None, changes: dict[str, Any], acting_user: User) -> Visit:
    """Record what happened, or move the visit; its time on the parent's case moves with it."""
    unknown = set(changes) - set(VISIT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, _("This field cannot be changed here.")))
    locked = Visit.objects.select_for_update(of=("self",)).select_related("contact_order").get(pk=visit.pk)
    order = ContactOrder.objects.select_related("parent_case", "person").get(pk=locked.contact_order_id)
    if can_write_child(acting_user, order.person, [order.parent_case]) is None:
        raise PermissionDenied(_("Only child welfare, a member of the parent's case, records visits."))
    check_version(locked, version)
    cleaned: dict[str, Any] = {}
    _check_visit_fields(cleaned, changes)
    _check_took_place(cleaned, locked)
    if "scheduled_for" in cleaned and not order.in_force_on(timezone.localtime(cleaned["scheduled_for"]).date()):
        raise ValidationError({"scheduled_for": _("The contact order is not in force on that day.")})
    before = apply_changes(locked, cleaned, version=version)
    if not before:
        return locked
    slot_changes = {f: cleaned[f] for f in ("scheduled_for", "form", "setting") if f in before}
    if slot_changes:
        VisitSlot.objects.filter(visit=locked).update(**slot_changes)
    shown = {f: v for f, v in before.items() if f not in ("outcome_for_child", "accompanied_by")}
    detail: dict[str, Any] = {"changes": audited_diff(shown, cleaned, type(locked))}
    if "outcome_for_child" in before:
        detail["outcome_changed"] = True
    _audit(AuditAction.UPDATE, locked, acting_user, detail)
    return locked


# --- family files -------------------------------------------------------------------------------------------------


def _require_file_work(family_file: FamilyFile, acting_user: User) -> None:
    if not can_work_on_file(acting_user, family_file):
        raise PermissionDenied(_("Only the counsellors of this family, while the file is open, record in it."))


def _client_person(person: Person | None, new_client: dict[str, Any] | None, acting_user: User) -> Person:
    if person is not None:
        if not Person.objects.visible_to(acting_user).filter(pk=person.pk).exists():
            raise ValidationError({"clients": _("Choose persons your organisation works with.")})
        return person
    return _new_person(
        new_client or {}, subject=SubjectCategory.RELATIVE, rule="family_client", acting_user=acting_user
    )


@transaction.atomic
def do_open_family_file(
    *,
    title: str,
    counselling_organisation: Organisation,
    clients: list[Person] | None = None,
    new_clients: list[dict[str, Any]] | None = None,
    case: Case | None = None,
    opened_on: date | None = None,
    acting_user: User,
) -> FamilyFile:
    """Open a family file with its first clients: relatives, with or without the offender. ``opened_on``
    (today by default) is when the counselling began, for a file recorded afterwards."""
    if not can_open_family_file(acting_user) or counselling_organisation.pk != acting_user.organisation_id:
        raise PermissionDenied(_("A family file is opened by a counsellor of the counselling organisation."))
    title = _text(title, "title", required=True, limit=200)
    chosen: list[tuple[Person, str]] = []
    for person in clients or []:
        chosen.append((_client_person(person, None, acting_user), ""))
    for details in new_clients or []:
        chosen.append(
            (_client_person(None, details, acting_user), _text(details.get("relation", ""), "relation", limit=100))
        )
    if not chosen:
        raise ValidationError({"clients": _("Name at least one client.")})
    if len({p.pk for p, _relation in chosen}) != len(chosen):
        raise ValidationError({"clients": _("Each client is named once.")})
    if case is not None and not engine.is_current_member(acting_user.organisation_id, case.pk):
        raise ValidationError({"case": _("Choose a case your organisation takes part in.")})
    opened = _real_day(opened_on, "opened_on", required=False) or timezone.localdate()
    if opened > timezone.localdate():
        raise ValidationError({"opened_on": _("A file is opened on a day that has come.")})
    first = chosen[0][0]
    family_file = FamilyFile.objects.create(
        **_record_fields(first, case, acting_user, Category.COUNSELLING),
        title=title,
        counselling_organisation=counselling_organisation,
        opened_on=opened,
    )
    FamilyCounsellor.objects.create(
        family_file=family_file, organisation=counselling_organisation, added_by=acting_user, since=opened
    )
    FamilyClient.objects.bulk_create(
        [
            FamilyClient(family_file=family_file, person=person, relation=relation, since=opened)
            for person, relation in chosen
        ]
    )
    _recheck_visible(FamilyFile, family_file.pk, acting_user)
    _audit(AuditAction.CREATE, family_file, acting_user, {"clients": [str(p.pk) for p, _r in chosen]})
    return family_file


@transaction.atomic
def do_add_client(
    family_file: FamilyFile,
    *,
    person: Person | None = None,
    new_client: dict[str, Any] | None = None,
    relation: str = "",
    acting_user: User,
) -> FamilyClient:
    _require_file_work(family_file, acting_user)
    if (person is None) == (new_client is None):
        raise ValidationError({"person": _("Name an existing person or give the new client's details.")})
    client_person = _client_person(person, new_client, acting_user)
    if FamilyClient.objects.filter(family_file=family_file, person=client_person).exists():
        raise ValidationError({"person": _("This person is already a client of the file.")})
    client = FamilyClient.objects.create(
        family_file=family_file, person=client_person, relation=_text(relation, "relation", limit=100)
    )
    _audit(AuditAction.UPDATE, family_file, acting_user, {"client_added": str(client_person.pk)})
    return client


@transaction.atomic
def do_add_counsellor(family_file: FamilyFile, *, organisation: Organisation, acting_user: User) -> FamilyCounsellor:
    """Another organisation counselling the same family joins the file's team (it sees the file, and
    a session only with that client's consent)."""
    if not can_hold_file(acting_user, family_file):
        raise PermissionDenied(_("The organisation holding the file decides who else counsels the family."))
    if not organisation.is_active or engine.matrix_for(organisation.type).get(Category.COUNSELLING) not in (
        Access.READ,
        Access.WRITE,
    ):
        raise ValidationError({"organisation": _("Choose an organisation that counsels (exit or family counselling).")})
    if FamilyCounsellor.objects.filter(family_file=family_file, organisation=organisation, until__isnull=True).exists():
        raise ValidationError({"organisation": _("This organisation already counsels the family.")})
    counsellor = FamilyCounsellor.objects.create(
        family_file=family_file, organisation=organisation, added_by=acting_user
    )
    _audit(AuditAction.UPDATE, family_file, acting_user, {"counsellor_added": organisation.slug})
    return counsellor


@transaction.atomic
def do_end_counsellor(family_file: FamilyFile, *, organisation: Organisation, acting_user: User) -> None:
    if not can_hold_file(acting_user, family_file):
        raise PermissionDenied(_("The organisation holding the file decides who else counsels the family."))
    if organisation.pk == family_file.counselling_organisation_id:
        raise ValidationError({"organisation": _("The organisation holding the file stays on it.")})
    ended = FamilyCounsellor.objects.filter(family_file=family_file, organisation=organisation, until__isnull=True)
    if not ended.update(until=timezone.localdate()):
        raise ValidationError({"organisation": _("This organisation does not counsel the family.")})
    _audit(AuditAction.UPDATE, family_file, acting_user, {"counsellor_ended": organisation.slug})


@transaction.atomic
def do_record_clearing(
    family_file: FamilyFile,
    *,
    worries: str,
    warning_signs: str = "",
    urgency: str,
    cleared_on: date | None = None,
    acting_user: User,
) -> Clearing:
    """The clearing: what the family worries about, the warning signs seen, and how urgent it is."""
    _require_file_work(family_file, acting_user)
    urgency = _choice(urgency, Urgency, "urgency")
    day = _real_day(cleared_on, "cleared_on", required=False) or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"cleared_on": _("A clearing is recorded on or after the day it was made.")})
    if day < family_file.opened_on:
        raise ValidationError({"cleared_on": _("The clearing comes after the file was opened.")})
    clearing = Clearing.objects.create(
        **_record_fields(family_file.person, family_file.case, acting_user, Category.COUNSELLING),
        family_file=family_file,
        worries=_text(worries, "worries", required=True),
        warning_signs=_text(warning_signs, "warning_signs"),
        urgency=urgency,
        cleared_on=day,
        statement="assessment",
    )
    _recheck_visible(Clearing, clearing.pk, acting_user)
    _audit(AuditAction.CREATE, clearing, acting_user, {"urgency": urgency})
    return clearing


@transaction.atomic
def do_record_help_plan(
    family_file: FamilyFile,
    *,
    aims: str,
    next_review_on: date | None = None,
    version: int | None = None,
    acting_user: User,
) -> HelpPlan:
    """The file's help plan: written once, then changed with the version read."""
    _require_file_work(family_file, acting_user)
    aims = _text(aims, "aims", required=True)
    review = _real_day(next_review_on, "next_review_on", required=False)
    if review is not None and review < timezone.localdate():
        raise ValidationError({"next_review_on": _("The next review is today or later.")})
    plan = HelpPlan.objects.select_for_update().filter(family_file=family_file).first()
    if plan is None:
        plan = HelpPlan.objects.create(
            **_record_fields(family_file.person, family_file.case, acting_user, Category.COUNSELLING),
            family_file=family_file,
            aims=aims,
            next_review_on=review,
        )
        _recheck_visible(HelpPlan, plan.pk, acting_user)
        _audit(AuditAction.CREATE, plan, acting_user, {})
        return plan
    if not HelpPlan.objects.visible_to(acting_user).filter(pk=plan.pk).exists():
        raise PermissionDenied(_("Only the counsellors who see the help plan change it."))
    before = apply_changes(plan, {"aims": aims, "next_review_on": review}, version=version)
    if before:
        _audit(AuditAction.UPDATE, plan, acting_user, {"fields": list(before)})
    return plan


@transaction.atomic
def do_record_session(
    family_file: FamilyFile,
    *,
    client: Person,
    held_on: date,
    note: str,
    never_share: bool = False,
    acting_user: User,
) -> CounsellingSession:
    """A session with one client; other counsellors of the family see it only with that client's
    consent, never when it is marked "never share"."""
    _require_file_work(family_file, acting_user)
    if not FamilyClient.objects.filter(family_file=family_file, person=client).exists():
        raise ValidationError({"client": _("Choose a client of this family file.")})
    day = _required_day(held_on, "held_on")
    if day > timezone.localdate():
        raise ValidationError({"held_on": _("A session is recorded once it has been held.")})
    if day < family_file.opened_on:
        raise ValidationError({"held_on": _("The session comes after the file was opened.")})
    session = CounsellingSession.objects.create(
        **_record_fields(client, family_file.case, acting_user, Category.COUNSELLING),
        family_file=family_file,
        held_on=day,
        note=_text(note, "note", required=True),
        never_share=bool(never_share),
    )
    _recheck_visible(CounsellingSession, session.pk, acting_user)
    _audit(AuditAction.CREATE, session, acting_user, {"never_share": session.never_share})
    return session


# --- family days -------------------------------------------------------------------------------------------


@transaction.atomic
def do_plan_family_day(
    *, held_on: date, title: str, place: str = "", programme: str = "", acting_user: User
) -> FamilyDay:
    if not can_plan_family_day(acting_user):
        raise PermissionDenied(_("Family days are organised by a prison."))
    day = _required_day(held_on, "held_on")
    family_day = FamilyDay.objects.create(
        organiser=_organisation(acting_user),
        held_on=day,
        title=_text(title, "title", required=True, limit=200),
        place=_text(place, "place", limit=200),
        programme=_text(programme, "programme"),
        created_by=acting_user,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="family_day",
        object_id=family_day.pk,
        detail={"held_on": family_day.held_on.isoformat()},
    )
    return family_day


@transaction.atomic
def do_add_participant(
    family_day: FamilyDay, *, case: Case, visitors: str = "", acting_user: User
) -> FamilyDayParticipant:
    if not can_add_participant(acting_user, family_day, case):
        raise PermissionDenied(_("The organising prison adds the persons of its own cases."))
    if FamilyDayParticipant.objects.filter(family_day=family_day, case=case).exists():
        raise ValidationError({"case": _("This person already takes part in the family day.")})
    participant = FamilyDayParticipant.objects.create(
        **_record_fields(case.person, case, acting_user, Category.FAMILY),
        family_day=family_day,
        visitors=_text(visitors, "visitors", limit=300),
    )
    _recheck_visible(FamilyDayParticipant, participant.pk, acting_user)
    _audit(AuditAction.CREATE, participant, acting_user, {"family_day": str(family_day.pk)})
    return participant


@transaction.atomic
def do_record_participation(participant: FamilyDayParticipant, *, attended: bool, acting_user: User) -> None:
    locked = (
        FamilyDayParticipant.objects.select_for_update(of=("self",))
        .select_related("family_day", "case")
        .get(pk=participant.pk)
    )
    if locked.case is None or not can_add_participant(acting_user, locked.family_day, locked.case):
        raise PermissionDenied(_("The organising prison records who took part."))
    if locked.family_day.held_on > timezone.localdate():
        raise ValidationError({"attended": _("Who took part is recorded once the day has come.")})
    if locked.attended != attended:
        old = locked.attended
        locked.attended = bool(attended)
        locked.save(update_fields=["attended"])
        _audit(AuditAction.UPDATE, locked, acting_user, {"changes": {"attended": {"old": old, "new": locked.attended}}})


# --- the social-environment route --------------------------------------------------------------------------


@transaction.atomic
def do_record_refusal(
    case: Case, *, refused_on: date, persons_words: str, offer_again_on: date, acting_user: User
) -> Refusal:
    """The person refuses to take part; the team goes on through relatives and the person's circle."""
    if not can_record_refusal(acting_user, case):
        raise PermissionDenied(_("Whoever writes the plan of this case records a refusal."))
    refused = _required_day(refused_on, "refused_on")
    again = _required_day(offer_again_on, "offer_again_on")
    errors: dict[str, str] = {}
    if refused > timezone.localdate():
        errors["refused_on"] = _("A refusal is recorded on or after the day it was said.")
    if again <= refused:
        errors["offer_again_on"] = _("Offer again after the day of the refusal.")
    if errors:
        raise ValidationError(errors)
    if Refusal.objects.filter(case=case, ended_on__isnull=True).exists():
        raise ValidationError({"refused_on": _("A refusal is already open: record a new offer on it instead.")})
    refusal = Refusal.objects.create(
        **_record_fields(case.person, case, acting_user, Category.PLAN),
        refused_on=refused,
        persons_words=_text(persons_words, "persons_words", required=True),
        offer_again_on=again,
    )
    _recheck_visible(Refusal, refusal.pk, acting_user)
    _audit(AuditAction.CREATE, refusal, acting_user, {"offer_again_on": again.isoformat()})
    return refusal


@transaction.atomic
def do_record_re_offer(
    refusal: Refusal,
    *,
    offered_on: date,
    response: str,
    persons_words: str = "",
    next_offer_on: date | None = None,
    acting_user: User,
) -> ReOffer:
    """Taking part offered again. Accepted ends the refusal; refused again says when to offer next."""
    locked = Refusal.objects.select_for_update(of=("self",)).select_related("case").get(pk=refusal.pk)
    case = locked.case
    if case is None or not can_record_refusal(acting_user, case):
        raise PermissionDenied(_("Whoever writes the plan of this case records an offer."))
    if locked.ended_on is not None:
        raise ValidationError({"refusal": _("The person already accepted; this refusal is closed.")})
    response = _choice(response, OfferResponse, "response")
    day = _required_day(offered_on, "offered_on")
    nxt = _real_day(next_offer_on, "next_offer_on", required=False)
    errors: dict[str, str] = {}
    if day > timezone.localdate():
        errors["offered_on"] = _("An offer is recorded on or after the day it was made.")
    elif day < locked.refused_on:
        errors["offered_on"] = _("An offer comes after the refusal.")
    if response != OfferResponse.ACCEPTED and nxt is None:
        errors["next_offer_on"] = _("Say when to offer again.")
    elif nxt is not None and nxt <= day:
        errors["next_offer_on"] = _("Offer again after this offer.")
    if errors:
        raise ValidationError(errors)
    offer = ReOffer.objects.create(
        **_record_fields(case.person, case, acting_user, Category.PLAN),
        refusal=locked,
        offered_on=day,
        response=response,
        persons_words=_text(persons_words, "persons_words"),
        next_offer_on=nxt if response != OfferResponse.ACCEPTED else None,
    )
    if response == OfferResponse.ACCEPTED:
        locked.ended_on = day
        locked.save(update_fields=["ended_on"])
    else:
        locked.offer_again_on = nxt
        locked.save(update_fields=["offer_again_on"])
    _recheck_visible(ReOffer, offer.pk, acting_user)
    _audit(AuditAction.CREATE, offer, acting_user, {"response": response})
    return offer
