"""Mentoring (issue 16): profiles, supervision, suggestions, matches and sessions.

Every write checks its rule (``policy``) and raises ``PermissionDenied`` (403) or ``ValidationError``
(400, nothing changed).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from continuum.accounts.choices import OrgType
from continuum.accounts.models import User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.actions.team import _join_team, _leave_team, do_add_member
from continuum.cases.models import Case, CaseMember
from continuum.cases.policy import can_manage_case
from continuum.mentoring import policy
from continuum.mentoring.choices import MentorExperience, MentorType, MentorVetting
from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile, Supervision
from continuum.plans.actions._common import _audit, _recheck_visible, _text
from continuum.sharing.choices import Category

VETTING_MONTHS = 24
SUPERVISION_MONTHS = 3
YOUNG_UNDER = 25


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _not_future(value: date | None, field_name: str, today: date) -> date:
    if value is None:
        raise ValidationError({field_name: _("This field is required.")})
    if value > today:
        raise ValidationError({field_name: _("The date cannot be in the future.")})
    return value


def _choices_list(values: Any, allowed: Any, field_name: str) -> list[str]:
    values = list(values or [])
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError({field_name: _("Choose among the listed values.")})
    return sorted(set(values), key=values.index)


@transaction.atomic
def do_create_profile(
    *,
    user: User,
    type: str,
    acting_user: User,
    languages: list[str] | None = None,
    gender: str = "",
    experience: list[str] | None = None,
    capacity: int = 1,
    max_risk_level: str = "medium",
    vetted_on: date | None = None,
    disengagement_reviewed_on: date | None = None,
    disengagement_note: str = "",
) -> MentorProfile:
    if not policy.can_manage_profile_of(acting_user, user):
        raise PermissionDenied(_("A coordinator of the mentor's organisation records the mentor's profile."))
    if user.organisation is None or user.organisation.type != OrgType.MENTORING:
        raise ValidationError({"user": _("Choose a user of a mentoring organisation.")})
    if MentorProfile.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This user has a mentor profile already.")})
    if type not in MentorType.values:
        raise ValidationError({"type": _("Choose among the listed values.")})
    today = timezone.localdate()
    if vetted_on is not None:
        _not_future(vetted_on, "vetted_on", today)
    if type == MentorType.FORMER and disengagement_reviewed_on is None and vetted_on is not None:
        raise ValidationError({"disengagement_reviewed_on": _("A former's disengagement is reviewed before vetting.")})
    profile = MentorProfile.objects.create(
        user=user,
        type=type,
        languages=[str(v).strip() for v in (languages or []) if str(v).strip()],
        gender=gender,
        experience=_choices_list(experience, MentorExperience.values, "experience"),
        capacity=max(int(capacity), 0),
        max_risk_level=max_risk_level,
        vetting=MentorVetting.VETTED if vetted_on else MentorVetting.PENDING,
        vetted_on=vetted_on,
        disengagement_reviewed_on=disengagement_reviewed_on,
        disengagement_note=_text(disengagement_note, "disengagement_note"),
    )
    record(AuditAction.CREATE, actor=acting_user, object_type="mentor_profile", object_id=profile.pk)
    return profile


@transaction.atomic
def do_record_supervision(
    profile: MentorProfile, *, held_on: date, acting_user: User, supervisor: str = "", note: str = ""
) -> Supervision:
    if not policy.can_manage_profile_of(acting_user, profile.user):
        raise PermissionDenied(_("A coordinator of the mentor's organisation records supervision."))
    _not_future(held_on, "held_on", timezone.localdate())
    supervision = Supervision.objects.create(
        profile=profile,
        held_on=held_on,
        supervisor=_text(supervisor, "supervisor", limit=200),
        note=_text(note, "note"),
        recorded_by=acting_user,
    )
    record(AuditAction.CREATE, actor=acting_user, object_type="supervision", object_id=supervision.pk)
    return supervision


def vetting_in_date(profile: MentorProfile, today: date) -> bool:
    return (
        profile.vetting == MentorVetting.VETTED
        and profile.vetted_on is not None
        and profile.vetted_on >= months_before(today, VETTING_MONTHS)
    )


def _supervision_in_date(last: date | None, today: date) -> bool:
    return last is not None and last >= months_before(today, SUPERVISION_MONTHS)


def active_matches(profile: MentorProfile) -> int:
    return Mentoring.objects.filter(mentor=profile, ended_on__isnull=True).count()


def case_ideology(case: Case) -> str:
    """The extremism type of the case's latest signal ('' if none)."""
    from continuum.signals.models import Signal

    signal = Signal.objects.filter(case=case).order_by("-created_at").only("extremism_type").first()
    return signal.extremism_type if signal else ""


@dataclass
class Suggestion:
    mentor: MentorProfile
    score: int
    reasons: list[str] = field(default_factory=list)
    # Each reason with whether its criterion is met (the pages show met / not met), in the same order.
    checks: list[tuple[str, bool]] = field(default_factory=list)
    # Whether a match can be made now (room left and vetting in date; ``do_match`` checks it again).
    matchable: bool = False


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def suggestions(case: Case, *, gender: str = "", today: date | None = None) -> list[Suggestion]:
    """Mentors who fit the case's person, best first (score, then name); never makes a match."""
    today = today or timezone.localdate()
    person = case.person
    wanted_languages = {str(v).split("-")[0].lower() for v in (person.languages or [])}
    ideology = case_ideology(case)
    ideology_wanted = ideology if ideology in MentorExperience.values else ""
    age = _age(person.birth_date, today)
    profiles = (
        MentorProfile.objects.filter(is_active=True, vetting=MentorVetting.VETTED, user__is_active=True)
        .select_related("user__organisation")
        .annotate(
            active_count=Count("matches", filter=Q(matches__ended_on__isnull=True)),
            last_supervision=Max("supervisions__held_on"),
        )
    )
    result = []
    for p in profiles:
        score = 0
        checks: list[tuple[str, bool]] = []
        name = p.user.get_full_name() or p.user.username
        languages = {str(v).split("-")[0].lower() for v in p.languages or []}
        if wanted_languages and languages & wanted_languages:
            score += 3
            shared = ", ".join(sorted(languages & wanted_languages))
            checks.append((_("Speaks a language of the person (%(languages)s).") % {"languages": shared}, True))
        elif wanted_languages:
            checks.append((_("Speaks none of the person's languages."), False))
        if gender:
            if p.gender == gender:
                score += 2
                checks.append((_("Matches the gender preference."), True))
            else:
                checks.append((_("Does not match the gender preference."), False))
        if ideology_wanted:
            kind = {"kind": MentorExperience(ideology_wanted).label}
            if ideology_wanted in p.experience:
                score += 2
                checks.append((_("Has experience with the person's kind of extremism (%(kind)s).") % kind, True))
            else:
                checks.append((_("Has no experience with the person's kind of extremism (%(kind)s).") % kind, False))
        if person.gender == "female":
            if MentorExperience.WOMEN in p.experience:
                score += 1
                checks.append((_("Has experience with women."), True))
            else:
                checks.append((_("Has no experience with women."), False))
        if age is not None and age < YOUNG_UNDER:
            if MentorExperience.YOUNG_PEOPLE in p.experience:
                score += 1
                checks.append((_("Has experience with young people."), True))
            else:
                checks.append((_("Has no experience with young people."), False))
        left = p.capacity - p.active_count
        if left > 0:
            score += 1
            room = ngettext("Has room for %(count)s more mentee.", "Has room for %(count)s more mentees.", left)
            checks.append((room % {"count": left}, True))
        else:
            score -= 10
            checks.append((_("Has no room for another mentee."), False))
        vetted = vetting_in_date(p, today)
        if vetted:
            checks.append((_("Vetting is in date."), True))
        else:
            score -= 10
            checks.append((_("Vetting is out of date."), False))
        if _supervision_in_date(p.last_supervision, today):
            score += 1
            checks.append((_("Supervision is in date."), True))
        else:
            score -= 1
            checks.append((_("No supervision in the last three months."), False))
        suggestion = Suggestion(
            mentor=p,
            score=score,
            reasons=[text for text, _met in checks],
            checks=checks,
            matchable=left > 0 and vetted,
        )
        result.append((name, suggestion))
    result.sort(key=lambda item: (-item[1].score, item[0], str(item[1].mentor.pk)))
    return [s for _n, s in result]


@transaction.atomic
def do_match(
    case: Case,
    *,
    mentor: MentorProfile,
    mentee_consent_on: date | None,
    mentor_consent_on: date | None,
    acting_user: User,
    started_on: date | None = None,
) -> Mentoring:
    """Match a mentor with the case's person. ``started_on`` (today by default) is when the mentoring
    began: never in the future, never before both consents."""
    if not policy.can_match(acting_user, case) or acting_user.organisation_id is None:
        raise PermissionDenied(_("Whoever manages the case matches a mentor."))
    today = timezone.localdate()
    mentee_consent = _not_future(mentee_consent_on, "mentee_consent_on", today)
    mentor_consent = _not_future(mentor_consent_on, "mentor_consent_on", today)
    started = _not_future(started_on or today, "started_on", today)
    if started < max(mentee_consent, mentor_consent):
        raise ValidationError({"started_on": _("The mentoring cannot begin before both have agreed.")})
    mentor = (
        MentorProfile.objects.select_for_update(of=("self",)).select_related("user__organisation").get(pk=mentor.pk)
    )
    if not mentor.is_active or not mentor.user.is_active:
        raise ValidationError({"mentor": _("Choose an active mentor.")})
    if not vetting_in_date(mentor, today):
        raise ValidationError({"mentor": _("The mentor's vetting is out of date.")})
    if active_matches(mentor) >= mentor.capacity:
        raise ValidationError({"mentor": _("The mentor has no room for another mentee.")})
    if Mentoring.objects.filter(case=case, mentor=mentor, ended_on__isnull=True).exists():
        raise ValidationError({"mentor": _("This mentor is matched with this case already.")})
    organisation = mentor.user.organisation
    if organisation is None:
        raise ValidationError({"mentor": _("Choose an active mentor.")})
    member = CaseMember.objects.filter(case=case, organisation=organisation, until__isnull=True).first()
    if can_manage_case(acting_user, case):
        if member is None or member.responsible_id is None:
            do_add_member(case, organisation=organisation, responsible=mentor.user, acting_user=acting_user)
    elif member is None or member.responsible_id is None:
        # A probation or prison case manager of a member (not the lead): the team gains the mentoring
        # organisation, with the mentor as its responsible practitioner.
        _join_team(case, organisation, acting_user=acting_user, reason="mentoring")
        CaseMember.objects.filter(
            case=case, organisation=organisation, until__isnull=True, responsible__isnull=True
        ).update(responsible=mentor.user)
    match = Mentoring.objects.create(
        person_id=case.person_id,
        case=case,
        category=Category.PLAN,
        author=acting_user,
        author_org_id=acting_user.organisation_id,
        mentor=mentor,
        mentee_consent_on=mentee_consent,
        mentor_consent_on=mentor_consent,
        started_on=started,
    )
    _audit(AuditAction.CREATE, match, acting_user, {"mentor": mentor.user.username})
    _recheck_visible(Mentoring, match.pk, acting_user)
    return match


@transaction.atomic
def do_record_mentoring_session(
    match: Mentoring, *, held_on: date, note: str = "", acting_user: User
) -> MentoringSession:
    if match.mentor.user_id != acting_user.pk or acting_user.organisation_id is None:
        raise PermissionDenied(_("Only the mentor records the sessions."))
    if not match.active:
        raise ValidationError({"mentoring": _("This mentoring has ended.")})
    _not_future(held_on, "held_on", timezone.localdate())
    session = MentoringSession.objects.create(
        person_id=match.person_id,
        case_id=match.case_id,
        category=Category.DAILY_LIFE,
        author=acting_user,
        author_org_id=acting_user.organisation_id,
        mentoring=match,
        held_on=held_on,
        note=_text(note, "note"),
    )
    _audit(AuditAction.CREATE, session, acting_user, {"mentoring": str(match.pk)})
    _recheck_visible(MentoringSession, session.pk, acting_user)
    return session


@transaction.atomic
def do_end_mentoring(match: Mentoring, *, reason: str, acting_user: User) -> Mentoring:
    case = match.case
    if case is None:
        raise ValidationError({"mentoring": _("This mentoring belongs to no case.")})
    if not policy.can_match(acting_user, case):
        raise PermissionDenied(_("Whoever manages the case ends a mentoring."))
    reason = _text(reason, "reason", required=True)
    if not match.active:
        raise ValidationError({"mentoring": _("This mentoring has ended.")})
    match.ended_on = timezone.localdate()
    match.end_reason = reason
    match.save(update_fields=["ended_on", "end_reason"])
    organisation = match.mentor.user.organisation
    if organisation is None:
        raise ValidationError({"mentoring": _("The mentor belongs to no organisation.")})
    still = Mentoring.objects.filter(case=case, mentor__user__organisation=organisation, ended_on__isnull=True).exists()
    if not still and organisation.pk != case.lead_organisation_id:
        _leave_team(case, organisation, acting_user=acting_user, reason="mentoring ended")
    _audit(AuditAction.UPDATE, match, acting_user, {"ended": match.ended_on.isoformat()})
    return match
