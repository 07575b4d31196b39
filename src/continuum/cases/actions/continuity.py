"""The case's course: custody episodes, sentences, release conditions and legal status."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions._common import (
    _change_case,
    _lock_case,
    _not_in_future,
    _recheck_visible,
    _record_fields,
    _record_phase_change,
    _require_manager,
    _write_record,
)
from continuum.cases.actions.team import _join_team
from continuum.cases.choices import Phase, ReleaseConditionType, UnitType
from continuum.cases.models import Case, CustodyEpisode, LegalStatusChange, ReleaseCondition, Sentence
from continuum.cases.policy import can_record_transfer
from continuum.people.actions import do_update_person
from continuum.people.choices import LegalStatus
from continuum.people.models import Person
from continuum.sharing.choices import Category

# --- Continuity: custody, transfers, sentence, release conditions, legal status, hand-overs --------
#
# Custody episodes, transfers, sentences, release conditions and legal status changes are recorded by
# those who manage the case (``can_manage_case``), whatever the matrix's write column says for
# ``legal``: they describe the case's course, like its phase. Who reads them follows the matrix as
# for every record. They are never withheld (R4), so every organisation whose matrix row reads
# ``legal`` sees the whole custody history, and gaps about it can be shown without leaking anything.


def _check_prison(organisation: Organisation | None, field: str) -> Organisation:
    if organisation is None or organisation.type != OrgType.PRISON or not organisation.is_active:
        raise ValidationError({field: _("Choose an active prison.")})
    return organisation


def _check_unit_type(unit_type: str) -> None:
    if unit_type not in UnitType.values:
        raise ValidationError({"unit_type": _("Unknown kind of unit.")})


def current_custody_episode(case: Case, *, lock: bool = False) -> CustodyEpisode | None:
    """The episode the person is in now (for actions; pages and the API read through ``visible_to``)."""
    episodes = CustodyEpisode.objects.filter(case=case, ended_on__isnull=True).select_related("facility")
    if lock:
        episodes = episodes.select_for_update(of=("self",))
    return episodes.order_by("-started_on", "-created_at").first()


# Phases a re-entry into prison brings the case back from.
_OUTSIDE_PRISON = frozenset({Phase.PROBATION, Phase.COMMUNITY, Phase.CLOSED})


@transaction.atomic
def do_start_custody_episode(
    case: Case,
    *,
    facility: Organisation,
    unit_type: str = UnitType.REGULAR,
    started_on: date,
    ended_on: date | None = None,
    acting_user: User,
) -> CustodyEpisode:
    """Record that the person is held in ``facility`` from ``started_on``.

    Re-entry into prison is a new episode on the existing case, never a new case: the case returns
    to the custody phase (kept in its phase history) and the prison joins the team. An episode with
    ``ended_on`` is history recorded afterwards: it changes neither the phase nor the team.
    """
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    _check_prison(facility, "facility")
    _check_unit_type(unit_type)
    _not_in_future(started_on, "started_on", _("The start of custody cannot be in the future."))
    current = current_custody_episode(locked, lock=True)
    if ended_on is not None:
        _not_in_future(ended_on, "ended_on", _("The end of custody cannot be in the future."))
        if ended_on < started_on:
            raise ValidationError({"ended_on": _("Custody cannot end before it started.")})
        if current is not None and ended_on > current.started_on:
            raise ValidationError(
                {
                    "ended_on": _("The current custody episode started on %(day)s.")
                    % {"day": date_format(current.started_on, "DATE_FORMAT")}
                }
            )
    elif current is not None:
        raise ValidationError(
            {
                "facility": _("The person is in custody at %(prison)s already. Record a transfer instead.")
                % {"prison": current.facility.name}
            }
        )
    last_end = (
        CustodyEpisode.objects.filter(case=locked, ended_on__isnull=False)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
    ).first()
    if ended_on is None and last_end is not None and started_on < last_end:
        raise ValidationError(
            {
                "started_on": _("The previous custody episode ended on %(day)s.")
                % {"day": date_format(last_end, "DATE_FORMAT")}
            }
        )
    episode = CustodyEpisode(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        facility=facility,
        unit_type=unit_type,
        started_on=started_on,
        ended_on=ended_on,
    )
    _write_record(
        episode,
        object_type="custody_episode",
        detail={
            "facility": facility.slug,
            "unit_type": unit_type,
            "started_on": started_on.isoformat(),
            "ended_on": ended_on.isoformat() if ended_on else None,
        },
        acting_user=acting_user,
    )
    if ended_on is not None:
        _recheck_visible(CustodyEpisode, episode.pk, acting_user)
        return episode
    _join_team(locked, facility, acting_user=acting_user, reason="custody episode")
    if locked.phase in _OUTSIDE_PRISON:
        before = _change_case(locked, {"phase": Phase.CUSTODY}, acting_user=acting_user, reason="re-entry into prison")
        _record_phase_change(
            locked, before["phase"], Phase.CUSTODY, note=f"Back in custody at {facility.name}.", acting_user=acting_user
        )
    _recheck_visible(CustodyEpisode, episode.pk, acting_user)
    return episode


@transaction.atomic
def do_end_custody_episode(case: Case, *, episode_id: Any, ended_on: date, acting_user: User) -> CustodyEpisode:
    """Record the end of a custody episode (a release). The phase is changed separately, by the manager."""
    locked = _lock_case(case)
    episode = (
        CustodyEpisode.objects.select_for_update(of=("self",))
        .select_related("facility")
        .filter(case=locked, pk=episode_id, ended_on__isnull=True)
        .first()
    )
    if episode is None:
        raise ValidationError({"episode": _("This custody episode has ended already or is not part of the case.")})
    if not can_record_transfer(acting_user, locked, episode.facility_id):
        raise PermissionDenied(_("Only the case's managers or the prison holding the person end a custody episode."))
    _not_in_future(ended_on, "ended_on", _("The end of custody cannot be in the future."))
    if ended_on < episode.started_on:
        raise ValidationError({"ended_on": _("Custody cannot end before it started.")})
    episode.ended_on = ended_on
    episode.save(update_fields=["ended_on"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="custody_episode",
        object_id=episode.pk,
        person_id=locked.person_id,
        case_id=locked.pk,
        detail={"ended_on": ended_on.isoformat()},
    )
    return episode


def _require_open(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        raise ValidationError(_("The case is closed."))


@transaction.atomic
def do_record_sentence(
    case: Case,
    *,
    imposed_on: date,
    starts_on: date,
    ends_on: date,
    earliest_release_on: date | None = None,
    acting_user: User,
) -> Sentence:
    """Record a sentence's dates (a later sentence is recorded as a new one; the history stays)."""
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    _require_open(locked)
    _not_in_future(imposed_on, "imposed_on", _("The date the sentence was imposed cannot be in the future."))
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The sentence must end after it starts.")})
    if earliest_release_on is not None and not starts_on <= earliest_release_on <= ends_on:
        raise ValidationError({"earliest_release_on": _("The earliest release must fall within the sentence.")})
    sentence = Sentence(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        imposed_on=imposed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        earliest_release_on=earliest_release_on,
    )
    _write_record(sentence, object_type="sentence", detail={"ends_on": ends_on.isoformat()}, acting_user=acting_user)
    _recheck_visible(Sentence, sentence.pk, acting_user)
    return sentence


@transaction.atomic
def do_add_release_condition(
    case: Case,
    *,
    condition_type: str,
    details: str = "",
    valid_from: date,
    valid_until: date | None = None,
    acting_user: User,
) -> ReleaseCondition:
    """Record a condition of release (electronic monitoring, curfew, reporting, …) and its period."""
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    _require_open(locked)
    if condition_type not in ReleaseConditionType.values:
        raise ValidationError({"type": _("Unknown kind of release condition.")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("A condition cannot end before it starts.")})
    condition = ReleaseCondition(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        condition_type=condition_type,
        details=details.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _write_record(condition, object_type="release_condition", detail={"type": condition_type}, acting_user=acting_user)
    _recheck_visible(ReleaseCondition, condition.pk, acting_user)
    return condition


@transaction.atomic
def do_change_legal_status(
    case: Case, *, legal_status: str, changed_on: date | None = None, note: str = "", acting_user: User
) -> LegalStatusChange:
    """Change the person's legal status (e.g. a deportation order) and keep the change in the history."""
    locked = _lock_case(case)
    _require_manager(locked, acting_user)
    if legal_status not in LegalStatus.values:
        raise ValidationError({"legal_status": _("Unknown legal status.")})
    changed_on = changed_on or timezone.localdate()
    _not_in_future(changed_on, "changed_on", _("The date of the change cannot be in the future."))
    person = Person.objects.get(pk=locked.person_id)
    if person.legal_status == legal_status:
        raise ValidationError({"legal_status": _("The person has this legal status already.")})
    before = person.legal_status
    do_update_person(person, version=person.version, acting_user=acting_user, legal_status=legal_status)
    change = LegalStatusChange(
        **_record_fields(locked, acting_user),
        category=Category.LEGAL,
        from_status=before,
        to_status=legal_status,
        changed_on=changed_on,
        note=note.strip(),
    )
    _write_record(
        change, object_type="legal_status_change", detail={"from": before, "to": legal_status}, acting_user=acting_user
    )
    _recheck_visible(LegalStatusChange, change.pk, acting_user)
    return change
