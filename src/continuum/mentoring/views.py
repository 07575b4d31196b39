"""The mentoring pages (issue 16): mentor profiles and their supervision, suggestions and matching
from a case, and a match's page with the mentor's session log.

Views parse input, call an access helper or an action, and render (STYLE.md 6). A match, a case or a
profile the user may not see is a 404 (R12); one they see but may not change a 403; bad input the
page again with the form's errors (400) and nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.accounts.choices import OrgType
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.lib.forms import form_action
from continuum.mentoring import actions, policy
from continuum.mentoring.access import access_mentoring, access_profile, profiles_for, sessions_of
from continuum.mentoring.forms import (
    EndForm,
    MatchForm,
    ProfileForm,
    SessionForm,
    SuggestionFilterForm,
    SupervisionForm,
)
from continuum.mentoring.models import Mentoring, MentorProfile
from continuum.mentoring.presentation import describe_profile
from continuum.sharing import engine
from continuum.sharing.access import access_case
from continuum.sharing.disclosure import batched_reads

PAGE_SIZE = 50

# --- mentor profiles ------------------------------------------------------------------------------------


def _with_counts(profiles: Any) -> Any:
    return profiles.annotate(active_count=Count("matches", filter=Q(matches__ended_on__isnull=True)))


@login_required
@require_GET
def mentor_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_read_all_profiles(user):
        raise PermissionDenied
    profiles = list(_with_counts(profiles_for(user)).order_by("user__last_name", "user__first_name", "pk")[:PAGE_SIZE])
    record(AuditAction.READ, actor=user, object_type="mentor_profiles")
    context = {
        "profiles": [describe_profile(p) for p in profiles],
        "creates": policy.can_manage_profiles(user),
    }
    return render(request, "mentoring/mentor_list.html", context)


def _mentor_users(user: Any) -> list[User]:
    """Users of mentoring organisations without a profile, whose profile the user may record."""
    candidates = (
        User.objects.select_related("organisation")
        .filter(is_active=True, organisation__type=OrgType.MENTORING, mentor_profile__isnull=True)
        .order_by("last_name", "first_name", "username")
    )
    if not policy.is_central_coordinator(user):
        candidates = candidates.filter(organisation_id=user.organisation_id)
    return list(candidates[:200])


@login_required
@require_http_methods(["GET", "POST"])
def mentor_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can_manage_profiles(user):
        raise PermissionDenied
    mentor_users = _mentor_users(user)
    if request.method == "GET":
        form = ProfileForm(mentor_users=mentor_users, initial={"capacity": 1})
        return render(request, "mentoring/mentor_new.html", {"form": form, "mentor_users": mentor_users})
    form = ProfileForm(request.POST, mentor_users=mentor_users)
    profile = form_action(
        form,
        lambda data: actions.do_create_profile(
            user=data["user"],
            type=data["type"],
            languages=data["languages"],
            gender=data["gender"],
            experience=data["experience"],
            capacity=data["capacity"],
            max_risk_level=data["max_risk_level"],
            vetted_on=data["vetted_on"],
            disengagement_reviewed_on=data["disengagement_reviewed_on"],
            disengagement_note=data["disengagement_note"],
            acting_user=user,
        ),
    )
    if profile is not None:
        messages.success(request, _("The mentor's profile is recorded."))
        return redirect("mentoring:mentor_detail", mentor_id=profile.pk)
    return render(request, "mentoring/mentor_new.html", {"form": form, "mentor_users": mentor_users}, status=400)


def _profile_page(
    request: AuthenticatedHttpRequest, profile: MentorProfile, *, form: SupervisionForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    counted = _with_counts(MentorProfile.objects.filter(pk=profile.pk)).select_related("user__organisation").get()
    supervisions = list(profile.supervisions.order_by("-held_on", "-recorded_at")[:20])
    record(AuditAction.READ, actor=user, object_type="mentor_profile", object_id=profile.pk)
    context: dict[str, Any] = {
        "profile": describe_profile(counted, today=timezone.localdate()),
        "supervisions": supervisions,
        "own": profile.user_id == user.pk,
        "reads_all": policy.can_read_all_profiles(user),
        # What supervision and the disengagement review found is about the mentor (and may name a
        # mentee): for the coordinators who record it and the mentor, not for every case manager.
        "reads_notes": profile.user_id == user.pk or policy.can_manage_profile_of(user, profile.user),
    }
    if policy.can_manage_profile_of(user, profile.user):
        context["supervision_form"] = form or SupervisionForm(initial={"held_on": timezone.localdate()})
    return render(request, "mentoring/mentor_detail.html", context, status=status)


@login_required
@require_GET
def mentor_detail(request: AuthenticatedHttpRequest, mentor_id: str) -> HttpResponse:
    return _profile_page(request, access_profile(request.user, mentor_id))


@login_required
@require_GET
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "My mentor profile": the user's own profile, or a 404 for a user who has none."""
    profile = MentorProfile.objects.filter(user_id=request.user.pk).only("pk").first()
    if profile is None:
        raise Http404
    return redirect("mentoring:mentor_detail", mentor_id=profile.pk)


@login_required
@require_POST
def supervision_add(request: AuthenticatedHttpRequest, mentor_id: str) -> HttpResponse:
    user = request.user
    profile = access_profile(user, mentor_id)
    if not policy.can_manage_profile_of(user, profile.user):
        raise PermissionDenied
    form = SupervisionForm(request.POST)
    if form_action(form, lambda data: actions.do_record_supervision(profile, acting_user=user, **data)) is not None:
        messages.success(request, _("The supervision is recorded."))
        return redirect(f"{reverse('mentoring:mentor_detail', kwargs={'mentor_id': profile.pk})}#supervision")
    return _profile_page(request, profile, form=form, status=400)


# --- suggestions and matching ---------------------------------------------------------------------------


def _matching_case(request: AuthenticatedHttpRequest, case_id: str) -> Case:
    case = access_case(request.user, case_id)
    if not policy.can_match(request.user, case):
        raise PermissionDenied
    return case


def _suggestions_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    gender: str = "",
    bound: MatchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    found = actions.suggestions(case, gender=gender)
    record(AuditAction.READ, actor=user, object_type="mentor_suggestions", object_id=case.pk, case_id=case.pk)
    target = bound.data.get("mentor") if bound is not None else None
    today = timezone.localdate()
    matched = set(
        Mentoring.objects.visible_to(user).filter(case=case, ended_on__isnull=True).values_list("mentor_id", flat=True)
    )
    for suggestion in found:
        mentor = suggestion.mentor
        suggestion.profile = describe_profile(mentor, today=today)  # type: ignore[attr-defined]
        suggestion.matched = mentor.pk in matched  # type: ignore[attr-defined]
        if suggestion.matchable and not suggestion.matched:  # type: ignore[attr-defined]
            suggestion.form = (  # type: ignore[attr-defined]
                bound
                if bound is not None and str(target) == str(mentor.pk)
                else MatchForm(initial={"mentor": mentor.pk}, auto_id=f"id_match{mentor.pk.hex[:12]}_%s")
            )
    context = {
        "case": case,
        "person": case.person,
        "suggestions": found,
        "filter_form": SuggestionFilterForm(initial={"gender": gender}),
        "gender": gender,
        "failed": bound is not None,
        "bound": bound,
    }
    return render(request, "mentoring/suggestions.html", context, status=status)


@login_required
@require_GET
def suggestions(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    with engine.remembered(), batched_reads():
        case = _matching_case(request, case_id)
        filter_form = SuggestionFilterForm(request.GET)
        gender = filter_form.cleaned_data["gender"] if filter_form.is_valid() else ""
        return _suggestions_page(request, case, gender=gender)


@login_required
@require_POST
def match_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    user = request.user
    case = _matching_case(request, case_id)
    mentor_pk = request.POST.get("mentor", "")
    form = MatchForm(request.POST, auto_id=_match_auto_id(mentor_pk))

    def write(data: dict[str, Any]) -> Any:
        mentor = MentorProfile.objects.filter(pk=data["mentor"]).first()
        if mentor is None:
            raise ValidationError({"mentor": _("Choose a mentor.")})
        return actions.do_match(
            case,
            mentor=mentor,
            mentee_consent_on=data["mentee_consent_on"],
            mentor_consent_on=data["mentor_consent_on"],
            acting_user=user,
        )

    # The mentor's field is hidden: what is wrong with the mentor is said above the form.
    match = form_action(form, write, aliases={"mentor": ""})
    if match is not None:
        messages.success(
            request,
            _(
                "The mentor is matched. The mentor's organisation now takes part in the case: it sees the "
                "person's name, the steps of the plan assigned to it and what the mentor writes, nothing else."
            ),
        )
        return redirect("mentoring:mentoring_detail", mentoring_id=match.pk)
    with engine.remembered(), batched_reads():
        return _suggestions_page(request, case, bound=form, status=400)


def _match_auto_id(mentor_pk: str) -> str:
    digits = "".join(ch for ch in str(mentor_pk) if ch in "0123456789abcdef")[:12]
    return f"id_match{digits}_%s"


# --- a match's page: its sessions, recording one, ending it ------------------------------------------------


def _mentoring_page(
    request: AuthenticatedHttpRequest,
    match: Any,
    *,
    session_form: SessionForm | None = None,
    end_form: EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    sessions = sessions_of(user, [match])[match.pk]
    case = match.case
    context: dict[str, Any] = {
        "match": match,
        "case": case,
        "person": case.person if case else None,
        "mentor_name": match.mentor.user.get_full_name() or match.mentor.user.username,
        "sessions": sessions,
        "is_mentor": match.mentor.user_id == user.pk,
        "open_form": "session" if session_form is not None else "end" if end_form is not None else "",
    }
    if match.active and match.mentor.user_id == user.pk:
        context["session_form"] = session_form or SessionForm(initial={"held_on": timezone.localdate()})
    if match.active and case is not None and policy.can_match(user, case):
        context["end_form"] = end_form or EndForm()
    return render(request, "mentoring/mentoring_detail.html", context, status=status)


@login_required
@require_GET
def mentoring_detail(request: AuthenticatedHttpRequest, mentoring_id: str) -> HttpResponse:
    with engine.remembered(), batched_reads():
        return _mentoring_page(request, access_mentoring(request.user, mentoring_id))


@login_required
@require_POST
def session_add(request: AuthenticatedHttpRequest, mentoring_id: str) -> HttpResponse:
    user = request.user
    match = access_mentoring(user, mentoring_id)
    if match.mentor.user_id != user.pk:
        raise PermissionDenied
    form = SessionForm(request.POST)
    if form_action(form, lambda data: actions.do_record_mentoring_session(match, acting_user=user, **data)):
        messages.success(request, _("The session is recorded."))
        return redirect(f"{reverse('mentoring:mentoring_detail', kwargs={'mentoring_id': match.pk})}#sessions")
    with engine.remembered(), batched_reads():
        return _mentoring_page(request, match, session_form=form, status=400)


@login_required
@require_POST
def mentoring_end(request: AuthenticatedHttpRequest, mentoring_id: str) -> HttpResponse:
    user = request.user
    match = access_mentoring(user, mentoring_id)
    if match.case is None or not policy.can_match(user, match.case):
        raise PermissionDenied
    form = EndForm(request.POST)
    ended = form_action(form, lambda data: actions.do_end_mentoring(match, reason=data["reason"], acting_user=user))
    if ended is not None:
        messages.success(request, _("The mentoring has ended."))
        return redirect(f"{reverse('cases:case_detail', kwargs={'case_id': match.case_id})}#mentoring")
    with engine.remembered(), batched_reads():
        return _mentoring_page(request, match, end_form=form, status=400)
