"""The training pages: the course catalogue, a course's page, "My training", an organisation's
training gaps; the case page's "Training" part is ``case_part``.

Views parse input, call an action or an access helper, and render (STYLE.md 6). Training is about
staff, not case records: the rules are ``policy``'s, put into SQL by ``access``. A page the user may
not open (another organisation's gaps) is a 404, like one that does not exist; a form the user may
not use is a 403; bad input is the page again with the form's errors (400) and nothing written.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.choices import OrgType, Role
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation, User
from continuum.assessments.models import Instrument
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.lib.forms import form_action
from continuum.people.choices import Gender
from continuum.training import actions
from continuum.training.access import audit_read, readable_completions, trainees_of
from continuum.training.forms import AttendanceForm, CompletionForm, CourseForm, RequirementForm, SessionForm
from continuum.training.models import Course, CourseSession, Requirement
from continuum.training.policy import (
    can_manage_catalogue,
    can_read_organisation_gaps,
    can_read_training,
    can_use_training,
    is_central_coordinator,
    is_coordinator,
)

# A completion that runs out within this many days is marked "expires soon".
SOON_DAYS = 60
# The most completions a course's page lists (the newest first).
COMPLETIONS_SHOWN = 100


def _require_training(user: Any) -> None:
    if not can_use_training(user):
        raise PermissionDenied


def _instruments() -> list[tuple[str, str]]:
    """The codes of the loaded instruments, each with its name (one query)."""
    names: dict[str, str] = {}
    for code, name in Instrument.objects.order_by("code", "version").values_list("code", "name"):
        names.setdefault(code, name)
    return [(code, f"{name} ({code})") for code, name in names.items()]


def criteria(requirement: Requirement) -> list[str]:
    """Who the requirement is for, one criterion a line, in words."""
    shown = []
    if requirement.role:
        shown.append(_("Role: %(role)s") % {"role": Role(requirement.role).label})
    if requirement.org_type:
        shown.append(_("Organisation type: %(type)s") % {"type": OrgType(requirement.org_type).label})
    if requirement.instrument:
        shown.append(_("Assesses with: %(instrument)s") % {"instrument": requirement.instrument})
    if requirement.case_gender == Gender.FEMALE:
        shown.append(_("Works on a woman's case"))
    elif requirement.case_gender == Gender.MALE:
        shown.append(_("Works on a man's case"))
    elif requirement.case_gender:
        shown.append(
            _("Works on the case of a person of the gender: %(gender)s")
            % {"gender": Gender(requirement.case_gender).label}
        )
    return shown


def _validity(course: Course) -> str:
    if course.validity_months is None:
        return _("Never expires")
    return _("Valid for %(months)s months") % {"months": course.validity_months}


def next_sessions(gaps: list[Any], today: Any) -> dict[Any, CourseSession]:
    """Per course of the gaps, its next session (today or later): one query."""
    upcoming: dict[Any, CourseSession] = {}
    courses = {g.course.pk for g in gaps}
    if courses:
        for session in (
            CourseSession.objects.filter(course__in=courses, held_on__gte=today)
            .select_related("course")
            .order_by("held_on", "pk")
        ):
            upcoming.setdefault(session.course_id, session)
    return upcoming


# --- "My training" ----------------------------------------------------------------------------------------


def _status(valid_until: Any, today: Any) -> str:
    if valid_until is None:
        return "valid"
    if valid_until < today:
        return "expired"
    return "soon" if valid_until <= today + timedelta(days=SOON_DAYS) else "valid"


@login_required
@require_GET
def my_training(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    _require_training(user)
    today = timezone.localdate()
    completions = list(readable_completions(user).filter(user=user).order_by("-completed_on", "pk"))
    # Of several completions of a course, the one valid the longest counts.
    counting = actions.counting(completions)
    for c in completions:
        c.status = _status(c.valid_until, today)  # type: ignore[attr-defined]
        c.counts = c.pk in counting  # type: ignore[attr-defined]
    me = User.objects.select_related("organisation").get(pk=user.pk)
    gaps = actions.users_gaps([me], today=today)
    upcoming = next_sessions(gaps, today)
    context = {
        "completions": completions,
        "gaps": [(gap, upcoming.get(gap.course.pk)) for gap in gaps],
        "today": today,
        "organisation": user.organisation,
        "reads_gaps": can_read_organisation_gaps(user, user.organisation),
    }
    return render(request, "training/mine.html", context)


# --- the catalogue ----------------------------------------------------------------------------------------


def _catalogue_page(
    request: AuthenticatedHttpRequest,
    *,
    status: int = 200,
    course_form: CourseForm | None = None,
    requirement_form: RequirementForm | None = None,
) -> HttpResponse:
    user = request.user
    courses = list(Course.objects.order_by("name", "code"))
    requirements = list(Requirement.objects.order_by("created_at", "pk"))
    by_course: dict[Any, list[list[str]]] = {}
    for r in requirements:
        by_course.setdefault(r.course_id, []).append(criteria(r))
    for course in courses:
        course.validity_text = _validity(course)  # type: ignore[attr-defined]
        course.who_needs = by_course.get(course.pk, [])  # type: ignore[attr-defined]
    context: dict[str, Any] = {"courses": courses, "open_form": ""}
    if can_manage_catalogue(user):
        instruments = _instruments()
        context["course_form"] = course_form or CourseForm(instruments=instruments, auto_id="id_course_%s")
        context["requirement_form"] = requirement_form or RequirementForm(
            courses=[(c.code, c.name) for c in courses], instruments=instruments, auto_id="id_requirement_%s"
        )
        context["open_form"] = "course" if course_form else "requirement" if requirement_form else ""
    return render(request, "training/catalogue.html", context, status=status)


@login_required
@require_GET
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_training(request.user)
    return _catalogue_page(request)


@login_required
@require_POST
def course_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage_catalogue(user):
        raise PermissionDenied
    form = CourseForm(request.POST, instruments=_instruments(), auto_id="id_course_%s")
    course = form_action(form, lambda data: actions.do_create_course(acting_user=user, **data))
    if course is None:
        return _catalogue_page(request, status=400, course_form=form)
    messages.success(request, _("The course is in the catalogue. Record its sessions and who completed it here."))
    return redirect("training:course", code=course.code)


@login_required
@require_POST
def requirement_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage_catalogue(user):
        raise PermissionDenied
    courses = {c.code: c for c in Course.objects.order_by("name", "code")}
    form = RequirementForm(
        request.POST,
        courses=[(code, c.name) for code, c in courses.items()],
        instruments=_instruments(),
        auto_id="id_requirement_%s",
    )

    def write(data: dict[str, Any]) -> Any:
        course = courses[data.pop("course")]
        return actions.do_create_requirement(course=course, acting_user=user, **data)

    # "Say who needs the course" is about the whole form, not the course field.
    done = form_action(form, write, aliases={"course": "__all__"})
    if done is None:
        return _catalogue_page(request, status=400, requirement_form=form)
    messages.success(request, _("The requirement is saved. Missing courses now show as training gaps."))
    return redirect(f"{reverse('training:catalogue')}#course-{done.course.code}")


# --- a course -----------------------------------------------------------------------------------------------


def _course(code: str) -> Course:
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise Http404
    return course


def _trainer_candidates() -> list[User]:
    return list(
        User.objects.filter(is_active=True, organisation__isnull=False)
        .exclude(role__in=[Role.ADMIN, Role.DPO])
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )


def _course_page(
    request: AuthenticatedHttpRequest,
    course: Course,
    *,
    status: int = 200,
    completion_form: CompletionForm | None = None,
    session_form: SessionForm | None = None,
    attendance_form: AttendanceForm | None = None,
    attendance_session: Any = None,
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    coordinator = is_coordinator(user)
    trainees = list(trainees_of(user)) if coordinator else []
    sessions = list(
        CourseSession.objects.filter(course=course)
        .prefetch_related("trainers__organisation", "attendances__user__organisation")
        .order_by("-held_on", "pk")
    )
    read_users: set[str] = set()
    for session in sessions:
        session.held = session.held_on <= today  # type: ignore[attr-defined]
        session.shown_attendance = [  # type: ignore[attr-defined]
            a for a in session.attendances.all() if can_read_training(user, a.user)
        ]
        read_users.update(a.user.username for a in session.shown_attendance)  # type: ignore[attr-defined]
        if coordinator and session.held and trainees:  # type: ignore[attr-defined]
            session.attendance_form = (  # type: ignore[attr-defined]
                attendance_form
                if attendance_session is not None and attendance_session.pk == session.pk
                else AttendanceForm(trainees=trainees, auto_id=f"id_attendance{session.pk.hex[:12]}_%s")
            )
    readable = readable_completions(user).filter(course=course).order_by("-completed_on", "user__username")
    completions = list(readable[: COMPLETIONS_SHOWN + 1])
    more = len(completions) > COMPLETIONS_SHOWN
    completions = completions[:COMPLETIONS_SHOWN]
    for c in completions:
        c.status = _status(c.valid_until, today)  # type: ignore[attr-defined]
    read_users.update(c.user.username for c in completions)
    audit_read(user, read_users, object_type="course_training", object_id=course.pk)
    requirements = [criteria(r) for r in Requirement.objects.filter(course=course).order_by("created_at", "pk")]
    context: dict[str, Any] = {
        "course": course,
        "validity_text": _validity(course),
        "requirements": requirements,
        "sessions": sessions,
        "completions": completions,
        "more_completions": more,
        "coordinator": coordinator,
        "central": is_central_coordinator(user),
        "open_form": "completion" if completion_form else "session" if session_form else "",
    }
    if coordinator:
        if trainees:
            context["completion_form"] = completion_form or CompletionForm(
                trainees=trainees, initial={"completed_on": today}, auto_id="id_completion_%s"
            )
        context["session_form"] = session_form or SessionForm(trainers=_trainer_candidates(), auto_id="id_session_%s")
    return render(request, "training/course.html", context, status=status)


@login_required
@require_GET
def course(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    _require_training(request.user)
    return _course_page(request, _course(code))


@login_required
@require_POST
def completion_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    user = request.user
    course = _course(code)
    if not is_coordinator(user):
        raise PermissionDenied
    form = CompletionForm(request.POST, trainees=trainees_of(user), auto_id="id_completion_%s")
    done = form_action(
        form,
        lambda data: actions.do_record_completion(
            course, user=form.chosen_user(), completed_on=data["completed_on"], acting_user=user
        ),
    )
    if done is None:
        return _course_page(request, course, status=400, completion_form=form)
    messages.success(request, _("The completion is recorded."))
    return redirect(f"{reverse('training:course', kwargs={'code': course.code})}#completions")


@login_required
@require_POST
def session_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    user = request.user
    course = _course(code)
    if not is_coordinator(user):
        raise PermissionDenied
    form = SessionForm(request.POST, trainers=_trainer_candidates(), auto_id="id_session_%s")
    done = form_action(
        form,
        lambda data: actions.do_create_session(
            course, held_on=data["held_on"], trainers=form.chosen_trainers(), place=data["place"], acting_user=user
        ),
    )
    if done is None:
        return _course_page(request, course, status=400, session_form=form)
    messages.success(request, _("The session is recorded. Once it has been held, record who attended."))
    return redirect(f"{reverse('training:course', kwargs={'code': course.code})}#session-{done.pk}")


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, session_id: str) -> HttpResponse:
    user = request.user
    session = CourseSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        raise Http404
    if not is_coordinator(user):
        raise PermissionDenied
    form = AttendanceForm(request.POST, trainees=trainees_of(user), auto_id=f"id_attendance{session.pk.hex[:12]}_%s")
    done = form_action(
        form,
        lambda data: actions.do_record_attendance(
            session, user=form.chosen_user(), attended=data["attended"] == "yes", acting_user=user
        ),
    )
    if done is None:
        return _course_page(request, session.course, status=400, attendance_form=form, attendance_session=session)
    if done.attended:
        messages.success(request, _("The attendance is recorded, and with it the completion of the course."))
    else:
        messages.success(request, _("The absence is recorded."))
    return redirect(f"{reverse('training:course', kwargs={'code': session.course.code})}#session-{session.pk}")


# --- an organisation's gaps ---------------------------------------------------------------------------------


@login_required
@require_GET
def organisation_gaps(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    organisation = Organisation.objects.filter(slug=slug).first()
    # Another organisation's staff is not the user's to read: the same answer as no organisation.
    if organisation is None or not can_read_organisation_gaps(user, organisation):
        raise Http404
    rows = actions.organisation_gaps(organisation)
    record(AuditAction.READ, actor=user, object_type="training_gaps", object_id=organisation.pk)
    upcoming = next_sessions([g for _u, gaps in rows for g in gaps], timezone.localdate())
    context: dict[str, Any] = {
        "upcoming": sorted(upcoming.values(), key=lambda s: (s.held_on, s.pk)),
        "organisation": organisation,
        "with_gaps": [(u, gaps) for u, gaps in rows if gaps],
        "complete": [u for u, gaps in rows if not gaps],
        "user_count": len(rows),
    }
    if is_central_coordinator(user):
        context["organisations"] = list(Organisation.objects.order_by("name").only("slug", "name"))
    return render(request, "training/organisation_gaps.html", context)
