"""Staff training (issue 16): the catalogue, completions with expiry, requirements and gaps.

Every change is audited; ``PermissionDenied`` is a 403, ``ValidationError`` a 400 with nothing changed.

**Requirements.** A requirement applies to a user when every criterion it gives matches: ``role``
the user's role, ``org_type`` the type of the user's organisation, ``instrument`` an instrument the
user assesses with (an open assessment of the case, or the one being opened), ``case_gender`` the
gender of the case's person. A criterion about a case or an instrument never matches without one.

**Gaps.** The team of a case, for training, is the responsible practitioner of each current member
organisation (``CaseMember.responsible``) and the assessors of the case's open (not finalised)
assessments. A gap is a required course with no completion valid today: never completed, or expired. Across
an organisation (``organisation_gaps``), a user's work is every open assessment they assess and every
case where they are an organisation's responsible practitioner (``users_gaps``).

**Sessions.** Attending a held session completes its course on the session's day
(``do_record_attendance``); recording afterwards that the user did not attend takes that completion back.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from continuum.accounts.choices import ORG_TYPE_SHORT, OrgType, Role
from continuum.accounts.models import User
from continuum.assessments.choices import AssessmentStatus
from continuum.assessments.models import Assessment, Assessor, Instrument
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case, CaseMember
from continuum.people.choices import Gender
from continuum.training.models import Attendance, Completion, Course, CourseSession, Requirement
from continuum.training.policy import can_manage_catalogue, can_record_completion, is_coordinator


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, on the last day of the month when it has fewer days."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(course: Course, completed_on: date) -> date | None:
    return None if course.validity_months is None else add_months(completed_on, course.validity_months)


def is_expired(completion: Completion, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return completion.valid_until is not None and completion.valid_until < today


def _known_instrument(code: str) -> bool:
    return Instrument.objects.filter(code=code).exists()


@transaction.atomic
def do_create_course(
    *,
    code: str,
    name: str,
    topic: str,
    validity_months: int | None = None,
    instrument: str = "",
    acting_user: Any,
) -> Course:
    if not can_manage_catalogue(acting_user):
        raise PermissionDenied(_("Coordinators manage the training catalogue."))
    if Course.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("A course with this code exists already.")]})
    if instrument and not _known_instrument(instrument):
        raise ValidationError({"instrument": [_("No instrument has this code.")]})
    if validity_months is not None and not 1 <= validity_months <= 600:
        raise ValidationError({"validity_months": [_("Between 1 and 600 months, or empty (never expires).")]})
    course = Course.objects.create(
        code=code, name=name, topic=topic, validity_months=validity_months, instrument=instrument
    )
    record(AuditAction.CREATE, actor=acting_user, object_type="course", object_id=course.pk, detail={"code": code})
    return course


@transaction.atomic
def do_record_completion(
    course: Course, *, user: Any, completed_on: date, acting_user: Any, today: date | None = None
) -> Completion:
    """Record that ``user`` completed ``course``; valid for the course's months (calendar months)."""
    if not can_record_completion(acting_user, user):
        raise PermissionDenied(_("A coordinator of the user's organisation records their training."))
    today = today or timezone.localdate()
    if completed_on > today:
        raise ValidationError({"completed_on": [_("A course is recorded once it has been completed.")]})
    if completed_on.year < 1900:
        raise ValidationError({"completed_on": [_("Give a date from 1900 on.")]})
    completion = Completion.objects.create(
        course=course,
        user=user,
        completed_on=completed_on,
        valid_until=valid_until(course, completed_on),
        recorded_by=acting_user,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="course_completion",
        object_id=completion.pk,
        detail={"course": course.code, "user": user.username},
    )
    return completion


@transaction.atomic
def do_create_requirement(
    *,
    course: Course,
    role: str = "",
    org_type: str = "",
    instrument: str = "",
    case_gender: str = "",
    acting_user: Any,
) -> Requirement:
    if not can_manage_catalogue(acting_user):
        raise PermissionDenied(_("Coordinators manage the training catalogue."))
    errors: dict[str, list[str]] = {}
    if role and role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    if org_type and org_type not in OrgType.values:
        errors["org_type"] = [_("Unknown organisation type.")]
    if case_gender and case_gender not in Gender.values:
        errors["case_gender"] = [_("Unknown gender.")]
    if instrument and not _known_instrument(instrument):
        errors["instrument"] = [_("No instrument has this code.")]
    if not (role or org_type or instrument or case_gender):
        errors["course"] = [_("Say who needs the course: a role, an organisation type, an instrument or a gender.")]
    if errors:
        raise ValidationError(errors)
    requirement = Requirement.objects.create(
        course=course,
        role=role,
        org_type=org_type,
        instrument=instrument,
        case_gender=case_gender,
        created_by=acting_user,
    )
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="training_requirement",
        object_id=requirement.pk,
        detail={"course": course.code},
    )
    return requirement


@transaction.atomic
def do_create_session(
    course: Course, *, held_on: date, trainers: list[Any], place: str = "", acting_user: Any
) -> CourseSession:
    """Record a session of ``course`` (held, or planned), with its trainers (users of Continuum)."""
    if not is_coordinator(acting_user):
        raise PermissionDenied(_("Coordinators record the sessions of courses."))
    errors: dict[str, list[str]] = {}
    if held_on.year < 1900:
        errors["held_on"] = [_("Give a date from 1900 on.")]
    if not trainers:
        errors["trainers"] = [_("Name at least one trainer.")]
    elif any(not t.is_active for t in trainers):
        errors["trainers"] = [_("Every trainer must be an active user.")]
    if errors:
        raise ValidationError(errors)
    session = CourseSession.objects.create(course=course, held_on=held_on, place=place, created_by=acting_user)
    session.trainers.set(trainers)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="course_session",
        object_id=session.pk,
        detail={
            "course": course.code,
            "held_on": held_on.isoformat(),
            "trainers": sorted(t.username for t in trainers),
        },
    )
    return session


@transaction.atomic
def do_record_attendance(
    session: CourseSession, *, user: Any, attended: bool, acting_user: Any, today: date | None = None
) -> Attendance:
    """Record whether ``user`` attended ``session``; the same rules as a completion.

    Attending completes the course on the day of the session (a completion naming the session, so
    it expires like any other); recording afterwards that the user did not attend removes that
    completion (it was recorded in error). A session is attended once it has been held.
    """
    if not can_record_completion(acting_user, user):
        raise PermissionDenied(_("A coordinator of the user's organisation records their training."))
    today = today or timezone.localdate()
    if session.held_on > today:
        raise ValidationError({"attended": [_("Attendance is recorded once the session has been held.")]})
    attendance = Attendance.objects.filter(session=session, user=user).first()
    if attendance is None:
        attendance = Attendance.objects.create(session=session, user=user, attended=attended, recorded_by=acting_user)
    else:
        attendance.attended, attendance.recorded_by, attendance.recorded_at = attended, acting_user, timezone.now()
        attendance.save(update_fields=["attended", "recorded_by", "recorded_at"])
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="course_attendance",
        object_id=attendance.pk,
        detail={"course": session.course.code, "session": str(session.pk), "user": user.username, "attended": attended},
    )
    existing = Completion.objects.filter(session=session, user=user).first()
    if attended and existing is None:
        completion = Completion.objects.create(
            course=session.course,
            user=user,
            session=session,
            completed_on=session.held_on,
            valid_until=valid_until(session.course, session.held_on),
            recorded_by=acting_user,
        )
        record(
            AuditAction.CREATE,
            actor=acting_user,
            object_type="course_completion",
            object_id=completion.pk,
            detail={"course": session.course.code, "user": user.username, "session": str(session.pk)},
        )
    elif not attended and existing is not None:
        record(
            AuditAction.DELETE,
            actor=acting_user,
            object_type="course_completion",
            object_id=existing.pk,
            detail={"course": session.course.code, "user": user.username, "session": str(session.pk)},
        )
        existing.delete()
    return attendance


# --- requirements and gaps -----------------------------------------------------------------------------


def applies(requirement: Requirement, user: Any, *, gender: str = "", instruments: Iterable[str] = ()) -> bool:
    """Whether every criterion the requirement gives matches the user (and case, and instruments)."""
    if requirement.role and requirement.role != user.role:
        return False
    organisation = user.organisation if user.organisation_id else None
    if requirement.org_type and (organisation is None or requirement.org_type != organisation.type):
        return False
    if requirement.instrument and requirement.instrument not in set(instruments):
        return False
    return not (requirement.case_gender and requirement.case_gender != gender)


def _all_requirements() -> list[Requirement]:
    return list(Requirement.objects.select_related("course").order_by("created_at", "pk"))


def _gender(case: Case | None) -> str:
    return case.person.gender if case is not None else ""


def requirements_for(
    user: Any, case: Case | None = None, instrument: str | Iterable[str] | None = None
) -> list[Requirement]:
    """The requirements that apply to ``user``, on ``case`` and assessing with ``instrument``."""
    instruments = [instrument] if isinstance(instrument, str) else list(instrument or [])
    gender = _gender(case)
    return [r for r in _all_requirements() if applies(r, user, gender=gender, instruments=instruments)]


def need(requirement: Requirement) -> str:
    """Why the requirement applies, in words."""
    if requirement.instrument:
        return _("certification for the instrument %(instrument)s") % {"instrument": requirement.instrument}
    if requirement.case_gender == Gender.FEMALE:
        return _("needed for a woman's case")
    if requirement.case_gender == Gender.MALE:
        return _("needed for a man's case")
    if requirement.case_gender:
        return _("needed for a case of this gender")
    if requirement.role:
        return _("needed by every %(role)s") % {"role": str(Role(requirement.role).label).lower()}
    return _("needed in every %(type)s") % {"type": ORG_TYPE_SHORT.get(requirement.org_type, requirement.org_type)}


@dataclass(frozen=True)
class Gap:
    user: Any
    course: Course
    reason: str
    # The day the last completion ran out; ``None``: never completed.
    expired_on: date | None = None
    # Why the course is needed, without the expiry (``reason`` has both).
    need: str = ""


def _latest(completions: Iterable[Completion]) -> dict[tuple[Any, Any], Completion]:
    """Per (user, course): the completion valid the longest (never expiring first)."""
    best: dict[tuple[Any, Any], Completion] = {}
    for c in completions:
        key = (c.user_id, c.course_id)
        held = best.get(key)
        if held is None or (
            held.valid_until is not None and (c.valid_until is None or c.valid_until > held.valid_until)
        ):
            best[key] = c
    return best


def counting(completions: Iterable[Completion]) -> set[Any]:
    """The ids of the completions that count: per user and course, the one valid the longest."""
    return {c.pk for c in _latest(completions).values()}


def gaps_of(people: list[tuple[Any, list[str]]], case: Case | None, *, today: date | None = None) -> list[Gap]:
    """The gaps of ``people`` (each a user and the instruments they assess with) on ``case``."""
    gender = _gender(case)
    return _gaps([(user, [(instruments, gender)]) for user, instruments in people], today=today)


# Where a user works: the instruments they assess with there, and the gender of the case's person.
Work = tuple[list[str], str]


def _gaps(people: list[tuple[Any, list[Work]]], *, today: date | None = None) -> list[Gap]:
    """The gaps of ``people``: each a user and the work they do (a requirement applies when it
    matches one piece of it: an instrument and a gender of the same case); two queries whatever the
    number of people."""
    today = today or timezone.localdate()
    requirements = _all_requirements()
    needed: dict[tuple[Any, Any], tuple[Any, Requirement]] = {}
    for user, work in people:
        for requirement in requirements:
            key = (user.pk, requirement.course_id)
            if key in needed:
                continue
            if any(applies(requirement, user, gender=g, instruments=i) for i, g in work or [([], "")]):
                needed[key] = (user, requirement)
    if not needed:
        return []
    users = {u for u, _c in needed}
    courses = {c for _u, c in needed}
    held = _latest(Completion.objects.filter(user__in=users, course__in=courses))
    gaps = []
    for key, (user, requirement) in needed.items():
        completion = held.get(key)
        if completion is not None and not is_expired(completion, today):
            continue
        why = reason = need(requirement)
        if completion is not None and completion.valid_until is not None:
            reason = _("%(need)s; expired on %(day)s") % {
                "need": reason,
                "day": date_format(completion.valid_until, "DATE_FORMAT"),
            }
        expired_on = completion.valid_until if completion is not None else None
        gaps.append(Gap(user=user, course=requirement.course, reason=reason, expired_on=expired_on, need=why))
    return gaps


def users_gaps(users: list[Any], *, today: date | None = None) -> list[Gap]:
    """The gaps of ``users`` (with their organisations loaded) over all the work they do: the
    instruments of their open assessments and the genders of the persons of the cases where they
    are an organisation's responsible practitioner or an assessor. Five queries, whatever the number
    of users and cases."""
    if not users:
        return []
    # Per user, per case: the instruments of their open assessments and the case's person's gender.
    work: dict[Any, dict[Any, tuple[set[str], str]]] = {u.pk: {None: (set(), "")} for u in users}
    open_assessors = Assessor.objects.filter(user__in=users).exclude(assessment__status=AssessmentStatus.FINALISED)
    for user_id, case_id, code, gender in open_assessors.values_list(
        "user_id", "assessment__case_id", "assessment__instrument__code", "assessment__case__person__gender"
    ):
        work[user_id].setdefault(case_id, (set(), gender or ""))[0].add(code)
    members = CaseMember.objects.filter(responsible__in=users, until__isnull=True)
    for user_id, case_id, gender in members.values_list("responsible_id", "case_id", "case__person__gender"):
        work[user_id].setdefault(case_id, (set(), gender or ""))
    people = [(u, [(sorted(codes), gender) for codes, gender in work[u.pk].values()]) for u in users]
    return _gaps(people, today=today)


def organisation_gaps(organisation: Any, *, today: date | None = None) -> list[tuple[Any, list[Gap]]]:
    """Each active user of ``organisation`` (by username) with their gaps (an empty list: none)."""
    users = list(
        User.objects.filter(organisation=organisation, is_active=True)
        .select_related("organisation")
        .order_by("username")
    )
    by_user: dict[Any, list[Gap]] = {u.pk: [] for u in users}
    for gap in users_gaps(users, today=today):
        by_user[gap.user.pk].append(gap)
    return [(u, by_user[u.pk]) for u in users]


def case_team(case: Case) -> list[tuple[Any, list[str]]]:
    """The case's team for training: responsible practitioners of current members and the assessors
    of open assessments, each with the instruments they assess with (in two queries)."""
    team: dict[Any, tuple[Any, list[str]]] = {}
    members = CaseMember.objects.filter(case=case, until__isnull=True, responsible__isnull=False)
    for member in members.select_related("responsible__organisation").order_by("since", "pk"):
        user = member.responsible
        if user is not None and user.is_active:
            team.setdefault(user.pk, (user, []))
    assessors = Assessor.objects.filter(assessment__case=case).exclude(assessment__status=AssessmentStatus.FINALISED)
    for assessor in assessors.select_related("user__organisation", "assessment__instrument").order_by("pk"):
        user = assessor.user
        if user.is_active:
            team.setdefault(user.pk, (user, []))[1].append(assessor.assessment.instrument.code)
    return list(team.values())


def training_gaps(case: Case, *, today: date | None = None) -> list[Gap]:
    """The training gaps of the case's team (see the module's docstring)."""
    return gaps_of(case_team(case), case, today=today)


def missing_training_of_assessors(assessment: Assessment) -> list[str]:
    """The assessment warning: each assessor who lacks a course required to assess with its instrument."""
    code = assessment.instrument.code
    people = [
        (a.user, [code]) for a in Assessor.objects.filter(assessment=assessment).select_related("user__organisation")
    ]
    return [
        _("%(user)s lacks the course %(course)s (%(reason)s).")
        % {"user": gap.user.username, "course": gap.course.name, "reason": gap.reason}
        for gap in gaps_of(people, assessment.case)
    ]
