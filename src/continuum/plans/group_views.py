"""The group programme pages (issue 16): the programmes an organisation runs, one programme with its
participants and sessions, and one session with its attendance.

Who runs a programme (its provider and facilitating organisations) reads these pages; each
participant appears only as far as the sharing engine shows that person's intervention to the user
(R12), and a member of a participant's case reads that person's place and attendance on the
intervention's own page. What the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation, User
from continuum.lib.forms import add_action_errors, form_action
from continuum.plans import actions
from continuum.plans.access import (
    access_group_session,
    access_programme,
    attendance_at,
    cases_to_join,
    participants_of,
    programmes_for,
)
from continuum.plans.actions import intervention_category
from continuum.plans.choices import InterventionType
from continuum.plans.forms import GroupParticipantForm, GroupProgrammeForm, GroupSessionForm
from continuum.plans.models import GroupProgramme, GroupSession
from continuum.plans.policy import can_run_programme, runs_programme
from continuum.sharing import engine

PROGRAMMES_SHOWN = 100


def _kinds(user: Any) -> list[tuple[str, Any]]:
    """The kinds of programme the user's organisation may run (``other`` needs a category: not here)."""
    return [
        (value, label)
        for value, label in InterventionType.choices
        if value != InterventionType.OTHER and can_run_programme(user, intervention_category(value))
    ]


def _programme_form(user: Any, data: Any = None) -> GroupProgrammeForm:
    others = Organisation.objects.filter(is_active=True).exclude(pk=user.organisation_id).order_by("name")
    return GroupProgrammeForm(
        data,
        kinds=_kinds(user),
        organisations=others,
        initial={"starts_on": timezone.localdate(), "voluntary": "true"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = list(programmes_for(request.user).prefetch_related("facilitator_organisations")[:PROGRAMMES_SHOWN])
    with engine.remembered():  # the kinds of programme ask the matrix row once per kind: read it once
        kinds = _kinds(request.user)
        form = _programme_form(request.user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not kinds:
            raise PermissionDenied
        programme = form_action(form, lambda data: actions.do_create_programme(acting_user=request.user, **data))
        if programme is not None:
            messages.success(request, _("The programme is started. Add its participants and sessions."))
            return redirect("plans:programme_detail", programme_id=programme.pk)
        status = 400
    today = timezone.localdate()
    context = {"programmes": programmes, "form": form if kinds else None, "today": today}
    return render(request, "plans/group_list.html", context, status=status)


def _running(programme: GroupProgramme) -> set[Any]:
    return {programme.provider_organisation_id, *(o.pk for o in programme.facilitator_organisations.all())}


def _people(programme: GroupProgramme) -> list[User]:
    return list(
        User.objects.filter(organisation_id__in=_running(programme), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )


def _programme_page(
    request: AuthenticatedHttpRequest, programme_id: Any, *, status: int = 200, **bound: Any
) -> HttpResponse:
    programme = access_programme(request.user, programme_id)
    running = _running(programme)
    runs = runs_programme(request.user, programme, running)
    today = timezone.localdate()
    sessions = list(programme.sessions.prefetch_related("facilitators"))
    participants = participants_of(request.user, programme)
    open_programme = programme.ends_on is None or programme.ends_on >= today
    context = {
        "programme": programme,
        "participants": participants,
        "held": [s for s in sessions if s.held_on <= today],
        "planned": sorted((s for s in sessions if s.held_on > today), key=lambda s: s.held_on),
        "runs": runs,
        "open_programme": open_programme,
        "participant_form": bound.get("participant_form")
        or GroupParticipantForm(cases=cases_to_join(request.user, programme) if runs and open_programme else []),
        "session_form": bound.get("session_form")
        or GroupSessionForm(people=_people(programme), initial={"held_on": today}),
        "open_form": next(iter(bound), ""),
        "today": today,
    }
    return render(request, "plans/group_detail.html", context, status=status)


@login_required
@require_GET
def programme_detail(request: AuthenticatedHttpRequest, programme_id: str) -> HttpResponse:
    return _programme_page(request, programme_id)


def _runner_post(request: AuthenticatedHttpRequest, programme_id: str) -> GroupProgramme:
    programme = access_programme(request.user, programme_id)
    if not runs_programme(request.user, programme):
        raise PermissionDenied
    return programme


@login_required
@require_POST
def participant_add(request: AuthenticatedHttpRequest, programme_id: str) -> HttpResponse:
    programme = _runner_post(request, programme_id)
    form = GroupParticipantForm(request.POST, cases=cases_to_join(request.user, programme))
    added = form_action(
        form, lambda data: actions.do_add_group_participant(programme, acting_user=request.user, **data)
    )
    if added is not None:
        messages.success(request, _("%(name)s takes part in the programme.") % {"name": added.person.full_name})
        return redirect("plans:programme_detail", programme_id=programme.pk)
    return _programme_page(request, programme.pk, status=400, participant_form=form)


@login_required
@require_POST
def group_session_add(request: AuthenticatedHttpRequest, programme_id: str) -> HttpResponse:
    programme = _runner_post(request, programme_id)
    form = GroupSessionForm(request.POST, people=_people(programme))
    session = form_action(
        form, lambda data: actions.do_record_group_session(programme, acting_user=request.user, **data)
    )
    if session is not None:
        messages.success(request, _("The session is recorded."))
        if session.held_on <= timezone.localdate():
            return redirect("plans:group_session", session_id=session.pk)
        return redirect("plans:programme_detail", programme_id=programme.pk)
    return _programme_page(request, programme.pk, status=400, session_form=form)


# --- one session and its attendance -----------------------------------------------------------------------------


ATTENDANCE_CHOICES = [
    ("", gettext_lazy("Not recorded")),
    ("true", gettext_lazy("Attended")),
    ("false", gettext_lazy("Did not attend")),
]


class AttendanceForm(forms.Form):
    """One row per participant the user may see and write on: attended or not, and a note."""

    def __init__(self, *args: Any, participants: list[Any], recorded: dict[Any, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for participant in participants:
            key = participant.pk.hex
            row = recorded.get(participant.pk)
            self.fields[f"attended_{key}"] = forms.ChoiceField(
                label=_("Did %(name)s attend?") % {"name": participant.person.full_name},
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial="" if row is None else ("true" if row.attended else "false"),
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note about %(name)s") % {"name": participant.person.full_name},
                required=False,
                max_length=5000,
                initial="" if row is None else row.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append((participant, self[f"attended_{key}"], self[f"note_{key}"], row))

    def entries(self) -> list[dict[str, Any]]:
        found = []
        for participant, _attended, _note, _row in self.rows:
            key = participant.pk.hex
            answer = self.cleaned_data[f"attended_{key}"]
            if answer == "":
                if self.cleaned_data[f"note_{key}"].strip():
                    self.add_error(f"attended_{key}", _("Say whether the person attended, or leave the note empty."))
                continue
            found.append(
                {"participant": participant.pk, "attended": answer == "true", "note": self.cleaned_data[f"note_{key}"]}
            )
        return found


def _session_page(
    request: AuthenticatedHttpRequest, session: GroupSession, *, form: AttendanceForm | None = None, status: int = 200
) -> HttpResponse:
    programme = session.programme
    participants = participants_of(request.user, programme)
    recorded = attendance_at(session, participants)
    runs = runs_programme(request.user, programme)
    held = session.held_on <= timezone.localdate()
    writable = [p for p in participants if p.starts_on <= session.held_on]
    context = {
        "session": session,
        "programme": programme,
        "participants": participants,
        "shown": [(p, recorded.get(p.pk)) for p in participants],
        "runs": runs,
        "held": held,
        "form": form or AttendanceForm(participants=writable, recorded=recorded),
    }
    return render(request, "plans/group_session.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def group_session(request: AuthenticatedHttpRequest, session_id: str) -> HttpResponse:
    session = access_group_session(request.user, session_id)
    if request.method == "GET":
        return _session_page(request, session)
    if not runs_programme(request.user, session.programme):
        raise PermissionDenied
    participants = [p for p in participants_of(request.user, session.programme) if p.starts_on <= session.held_on]
    form = AttendanceForm(request.POST, participants=participants, recorded=attendance_at(session, participants))
    if form.is_valid():
        entries = form.entries()
        if not form.errors:
            if not entries:
                form.add_error(None, _("Record at least one participant."))
            else:
                try:
                    actions.do_record_attendance(session, attendance=entries, acting_user=request.user)
                except ValidationError as exc:
                    add_action_errors(form, exc)
                except PermissionDenied:
                    form.add_error(
                        None, _("Your organisation may not record attendance on the case of someone listed.")
                    )
                else:
                    messages.success(request, _("The attendance is recorded."))
                    return redirect("plans:group_session", session_id=session.pk)
    return _session_page(request, session, form=form, status=400)
