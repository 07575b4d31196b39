"""Group programmes (issue 16): an intervention delivered to a group, with each participant's place,
attendance and the facilitators' notes about that participant on the participant's own case.

The programme and its sessions (when, the topic, who facilitated, the external experts) are no one's
information and are seen by the organisations that run it. Everything about a participant is an
``Intervention`` (with ``group``) or an ``InterventionSession`` of it, which the sharing engine shows
to that participant's case team only: a member of one participant's case learns nothing of another.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.plans.actions._common import _text
from continuum.plans.actions.interventions import do_add_intervention, intervention_category
from continuum.plans.choices import InterventionStatus, SessionKind
from continuum.plans.models import GroupProgramme, GroupSession, Intervention, InterventionSession
from continuum.plans.policy import can_add_group_participant, can_run_programme, can_write_intervention, runs_programme
from continuum.sharing import engine
from continuum.sharing.choices import Category

MAX_FACILITATOR_ORGANISATIONS = 10
MAX_FACILITATORS = 20
MAX_ATTENDANCE = 100


def _audit_programme(action: str, obj: Any, acting_user: User, object_type: str, detail: dict[str, Any]) -> None:
    record(action, actor=acting_user, object_type=object_type, object_id=obj.pk, detail=detail)


def _facilitating(organisations: list[Organisation], provider: Organisation) -> list[Organisation]:
    if len(organisations) > MAX_FACILITATOR_ORGANISATIONS:
        raise ValidationError(
            {"facilitator_organisations": _("Name at most %(n)s organisations.") % {"n": MAX_FACILITATOR_ORGANISATIONS}}
        )
    if any(not organisation.is_active for organisation in organisations):
        raise ValidationError({"facilitator_organisations": _("Choose active organisations.")})
    return [organisation for organisation in dict.fromkeys(organisations) if organisation.pk != provider.pk]


@transaction.atomic
def do_create_programme(
    *,
    title: str,
    type: str,
    category: str = "",
    description: str = "",
    facilitator_organisations: list[Organisation] | None = None,
    voluntary: bool = True,
    starts_on: date,
    ends_on: date | None = None,
    frequency: str = "",
    place: str = "",
    acting_user: User,
) -> GroupProgramme:
    """A group programme the user's organisation provides, with the organisations that co-facilitate it."""
    chosen = intervention_category(type, category)
    if not can_run_programme(acting_user, chosen):
        raise PermissionDenied(
            _("Your organisation may not run programmes of this kind: %(category)s.")
            % {"category": Category(chosen).label}
        )
    provider = acting_user.organisation
    if provider is None:  # can_run_programme already says no; kept for the type checker
        raise PermissionDenied(_("Only members of an organisation run programmes."))
    if not isinstance(starts_on, date):
        raise ValidationError({"starts_on": _("Give the date it starts.")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("It cannot end before it starts.")})
    facilitators = _facilitating(list(facilitator_organisations or []), provider)
    programme = GroupProgramme.objects.create(
        title=_text(title, "title", required=True, limit=200),
        type=type,
        category=chosen,
        description=_text(description, "description"),
        provider_organisation=provider,
        voluntary=bool(voluntary),
        starts_on=starts_on,
        ends_on=ends_on,
        frequency=_text(frequency, "frequency", limit=100),
        place=_text(place, "place", limit=200),
        created_by=acting_user,
    )
    programme.facilitator_organisations.set(facilitators)
    _audit_programme(
        AuditAction.CREATE,
        programme,
        acting_user,
        "group_programme",
        {"type": type, "category": chosen, "facilitators": sorted(o.slug for o in facilitators)},
    )
    return programme


def _lock_programme(programme: GroupProgramme) -> GroupProgramme:
    return (
        GroupProgramme.objects.select_for_update(of=("self",))
        .select_related("provider_organisation")
        .get(pk=programme.pk)
    )


@transaction.atomic
def do_add_group_participant(
    programme: GroupProgramme, *, case: Case, starts_on: date | None = None, acting_user: User
) -> Intervention:
    """The case's person joins the group: an intervention of the programme's type on their own case."""
    locked = _lock_programme(programme)
    if not can_add_group_participant(acting_user, locked, case):
        raise PermissionDenied(_("Your organisation may not add this person to the programme."))
    if locked.ends_on is not None and locked.ends_on < timezone.localdate():
        raise ValidationError(_("The programme has ended."))
    if not engine.is_current_member(locked.provider_organisation_id, case.pk):
        raise ValidationError(
            {
                "case": _("%(provider)s, which provides the programme, does not take part in this case.")
                % {"provider": locked.provider_organisation.name}
            }
        )
    if Intervention.objects.filter(group=locked, case=case).exists():
        raise ValidationError({"case": _("This person takes part in the programme already.")})
    starts_on = starts_on or max(locked.starts_on, timezone.localdate())
    if not isinstance(starts_on, date):
        raise ValidationError({"starts_on": _("Give the date it starts.")})
    if starts_on < locked.starts_on:
        raise ValidationError({"starts_on": _("The programme starts later.")})
    return do_add_intervention(
        case,
        type=locked.type,
        category=locked.category,
        provider_organisation=locked.provider_organisation,
        voluntary=locked.voluntary,
        starts_on=starts_on,
        frequency=locked.frequency,
        group=locked,
        acting_user=acting_user,
    )


@transaction.atomic
def do_record_group_session(
    programme: GroupProgramme,
    *,
    held_on: date,
    topic: str,
    external_experts: str = "",
    facilitators: list[User] | None = None,
    acting_user: User,
) -> GroupSession:
    """A meeting of the group (planned or held): when, the topic, the facilitators, external experts."""
    locked = _lock_programme(programme)
    running = {locked.provider_organisation_id, *locked.facilitator_organisations.values_list("pk", flat=True)}
    if not runs_programme(acting_user, locked, running):
        raise PermissionDenied(_("Only the organisations that run the programme record its sessions."))
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": _("Give the date of the session.")})
    if held_on < locked.starts_on or (locked.ends_on is not None and held_on > locked.ends_on):
        raise ValidationError({"held_on": _("The date is outside the programme's dates.")})
    people = list(dict.fromkeys(facilitators or []))
    if len(people) > MAX_FACILITATORS:
        raise ValidationError({"facilitators": _("Name at most %(n)s facilitators.") % {"n": MAX_FACILITATORS}})
    if any(not person.is_active or person.organisation_id not in running for person in people):
        raise ValidationError(
            {"facilitators": _("Facilitators are active users of the organisations that run the programme.")}
        )
    session = GroupSession.objects.create(
        programme=locked,
        held_on=held_on,
        topic=_text(topic, "topic", required=True, limit=200),
        external_experts=_text(external_experts, "external_experts", limit=300),
        recorded_by=acting_user,
    )
    session.facilitators.set(people)
    _audit_programme(
        AuditAction.CREATE,
        session,
        acting_user,
        "group_session",
        {"programme": str(locked.pk), "held_on": held_on.isoformat()},
    )
    return session


@transaction.atomic
def do_record_attendance(
    session: GroupSession, *, attendance: list[dict[str, Any]], acting_user: User
) -> list[InterventionSession]:
    """Who attended a held group session, with the facilitators' note about each participant.

    Each entry is ``{"participant": intervention id, "attended": bool, "note": str}`` and is written
    on that participant's own case, so only that case's team reads it; recording again for the same
    participant corrects the earlier entry. A participant the user may not see is unknown (400), one
    it sees but may not write on a 403; nothing is written unless every entry holds.
    """
    programme = _lock_programme(session.programme)
    if not runs_programme(acting_user, programme):
        raise PermissionDenied(_("Only the organisations that run the programme record its attendance."))
    if session.held_on > timezone.localdate():
        raise ValidationError({"attendance": _("Attendance is recorded once the session has been held.")})
    if not attendance:
        raise ValidationError({"attendance": _("Record at least one participant.")})
    if len(attendance) > MAX_ATTENDANCE:
        raise ValidationError({"attendance": _("Record at most %(n)s participants at once.") % {"n": MAX_ATTENDANCE}})
    ids = [entry["participant"] for entry in attendance]
    if len(set(ids)) != len(ids):
        raise ValidationError({"attendance": _("Name each participant once.")})
    visible = list(
        Intervention.objects.visible_to(acting_user).filter(pk__in=ids, group=programme).values_list("pk", flat=True)
    )
    participants = {
        p.pk: p
        for p in Intervention.objects.select_for_update(of=("self",)).filter(pk__in=visible).select_related("case")
    }
    if len(participants) != len(ids):
        raise ValidationError({"attendance": _("A participant is not one of this programme's participants.")})
    recorded = []
    for entry in attendance:
        participant = participants[entry["participant"]]
        if participant.case is None or not can_write_intervention(acting_user, participant.case, participant.category):
            raise PermissionDenied(_("Your organisation may not record attendance on this person's case."))
        if participant.starts_on > session.held_on or (
            participant.status == InterventionStatus.ENDED
            and participant.ends_on is not None
            and participant.ends_on < session.held_on
        ):
            raise ValidationError({"attendance": _("A participant did not take part in the programme on that day.")})
        row, created = InterventionSession.objects.update_or_create(
            intervention=participant,
            group_session=session,
            defaults={
                "held_on": session.held_on,
                "kind": SessionKind.GROUP_SESSION,
                "attended": bool(entry["attended"]),
                "note": _text(entry.get("note", ""), "note"),
                "recorded_by": acting_user,
            },
        )
        record(
            AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=acting_user,
            object_type="intervention_session",
            object_id=row.pk,
            person_id=participant.person_id,
            case_id=participant.case_id,
            detail={
                "intervention": str(participant.pk),
                "group_session": str(session.pk),
                "held_on": session.held_on.isoformat(),
                "attended": row.attended,
            },
        )
        recorded.append(row)
    return recorded
