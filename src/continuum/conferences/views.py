"""The conference pages: the list (this week, upcoming, past), scheduling, the meeting page (attendance
and confidentiality, agenda, decisions and positions, actions, minutes), the pack (HTML and PDF), and
the open actions of the user's organisation.

Views parse input, call an access helper or an action, and render (STYLE.md 6). What the user may not
see is a 404 (R12); a page the user's role has no use for, or an act it may not do, is a 403.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation
from continuum.cases.models import Case, CaseMember
from continuum.conferences import actions
from continuum.conferences.access import (
    access_action,
    access_conference,
    access_decision,
    agenda_cases,
    calendar_conferences,
    open_actions_of_organisation,
    positions_of,
    required_organisations,
    visible_actions,
    visible_decisions,
    visible_minutes,
)
from continuum.conferences.choices import (
    KIND_DESCRIPTIONS,
    ConferenceKind,
    DecisionStatus,
    PositionChoice,
    Recurrence,
)
from continuum.conferences.consensus import describe
from continuum.conferences.forms import (
    ActionForm,
    AttendanceForm,
    DecisionForm,
    GeneralMinutesForm,
    MinutesForm,
    PositionForm,
    ScheduleForm,
)
from continuum.conferences.models import Attendance, CalendarFeed, CancelledOccurrence, Conference
from continuum.conferences.pack import (
    UnknownLanguage,
    build_pack,
    pack_filename,
    pack_language,
    print_languages,
    render_pack_pdf,
)
from continuum.conferences.policy import (
    can_cancel_occurrence,
    can_complete_action,
    can_schedule_conferences,
    can_write_general_minutes,
    uses_conferences,
    writable_agenda_cases,
)
from continuum.lib.forms import form_action, message_action
from continuum.plans.access import current_plan_of
from continuum.plans.choices import PlanStatus
from continuum.sharing.access import read_records
from continuum.sharing.disclosure import batched_reads

PER_PAGE = 25


def _require_user(user: Any) -> None:
    if not uses_conferences(user):
        raise PermissionDenied


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


COMING_DAYS = 7


def coming_days(now: datetime) -> tuple[datetime, datetime]:
    """Now to the end of the seventh day from today, local time: what to prepare for, also on a Friday
    or at the weekend (a calendar week would be over by then)."""
    local = timezone.localtime(now)
    end = (local + timedelta(days=COMING_DAYS + 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return local, end


@login_required
@require_GET
def conference_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The conferences of the user's organisation: this week, upcoming, past (paginated)."""
    user = request.user
    _require_user(user)
    now = timezone.now()
    _now, week_end = coming_days(now)
    this_week: list[tuple[datetime, Conference]] = []
    upcoming: list[tuple[datetime, Conference]] = []
    conferences = list(calendar_conferences(user))
    past_rows: list[Conference] = []
    for conference in conferences:
        nxt = conference.next_meeting
        if nxt is None:
            past_rows.append(conference)
        elif nxt < week_end:
            this_week.append((nxt, conference))
        else:
            upcoming.append((nxt, conference))
    past_rows.sort(key=lambda c: c.scheduled_at, reverse=True)
    past = Paginator(past_rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "conferences/conference_list.html",
        {
            "this_week": sorted(this_week, key=lambda t: t[0]),
            "upcoming": sorted(upcoming, key=lambda t: t[0])[:PER_PAGE],
            "page": past,
            "can_schedule": can_schedule_conferences(user),
            "calendar_link": CalendarFeed.objects.filter(user=user).first(),
        },
    )


def _schedule_initial(
    request: AuthenticatedHttpRequest, user: Any, cases: list[Case], organisations: list[Organisation]
) -> dict[str, Any]:
    """The form's first values; ``?kind=…&case=…`` (a link from a case's release plan: "schedule the
    pre-release meeting") proposes the kind, that case on the agenda and its team as participants.
    A kind or case the user may not choose is ignored, like any other value not offered."""
    initial: dict[str, Any] = {"chair_organisation": user.organisation.slug if user.organisation else ""}
    kind = request.GET.get("kind", "")
    if kind in ConferenceKind.values:
        initial["kind"] = kind
        initial["title"] = str(ConferenceKind(kind).label)
    chosen = next((c for c in cases if str(c.pk) == request.GET.get("case", "")), None)
    if chosen is not None:
        offered = {o.pk: o.slug for o in organisations}
        team = CaseMember.objects.filter(case=chosen, until__isnull=True).values_list("organisation_id", flat=True)
        initial["cases"] = [str(chosen.pk)]
        initial["participants"] = [offered[pk] for pk in team if pk in offered]
    return initial


@login_required
def conference_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_schedule_conferences(user):
        raise PermissionDenied
    cases = list(Case.objects.visible_to(user).exclude(phase="closed").select_related("person").order_by("number"))
    organisations = list(
        Organisation.objects.filter(
            is_active=True,
            pk__in=CaseMember.objects.filter(case__in=cases, until__isnull=True).values("organisation_id"),
        ).order_by("name")
    )
    form = ScheduleForm(
        request.POST or None,
        organisations=organisations,
        cases=cases,
        initial=_schedule_initial(request, user, cases, organisations),
    )
    conference = None
    if request.method == "POST":
        conference = form_action(
            form,
            lambda data: actions.do_schedule_conference(
                kind=data["kind"],
                title=data["title"],
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                recurrence=data["recurrence"],
                chair_organisation=data["chair_organisation"],
                participants=data["participants"],
                cases=data["cases"],
                acting_user=user,
            ),
        )
    if conference is not None:
        messages.success(request, _("The conference is scheduled."))
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    kinds = [(ConferenceKind(kind).label, text) for kind, text in KIND_DESCRIPTIONS.items()]
    return render(request, "conferences/conference_new.html", {"form": form, "kinds": kinds})


@login_required
@require_GET
def conference_detail(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    user = request.user
    conference = access_conference(user, conference_id)
    participants = list(conference.participants.order_by("name"))
    part_ids = {o.pk for o in participants}
    attendances = list(
        Attendance.objects.filter(conference=conference).select_related("user__organisation").order_by("user__username")
    )
    mine = next((a for a in attendances if a.user_id == user.pk), None)
    cancelled = {c.occurs_on: c for c in CancelledOccurrence.objects.filter(conference=conference)}
    acknowledged = mine is not None and mine.acknowledged_at is not None
    context: dict[str, Any] = {
        "conference": conference,
        "participants": participants,
        "attendances": attendances,
        "my_attendance": mine,
        "acknowledged": acknowledged,
        "attendance_form": AttendanceForm(initial={"present": bool(mine and mine.present)}),
        "general_minutes_form": GeneralMinutesForm(initial={"general_minutes": conference.general_minutes})
        if can_write_general_minutes(user, conference)
        else None,
        "next_meetings": [
            {"when": when, "cancelled": cancelled.get(when.date())}
            for when in conference.occurrences(count=4, with_cancelled=True)
        ],
        "can_cancel_meetings": conference.recurrence != Recurrence.NONE and can_cancel_occurrence(user, conference),
    }
    if acknowledged:
        context.update(_meeting_content(user, conference, part_ids))
    return render(request, "conferences/conference_detail.html", context)


def _meeting_content(user: Any, conference: Conference, part_ids: set[Any]) -> dict[str, Any]:
    """The case content of the meeting view, for one who acknowledged confidentiality: a fixed number of
    queries whatever the number of cases, decisions and actions."""
    cases = agenda_cases(user, conference)
    decisions = list(visible_decisions(user).filter(conference=conference, case__in=cases).order_by("created_at", "pk"))
    required = required_organisations(decisions)
    positions = positions_of(decisions)
    actions_by_decision: dict[Any, list[Any]] = {}
    decision_actions = list(visible_actions(user).filter(decision__in=decisions).order_by("due_on", "pk"))
    for action in decision_actions:
        action.completable = can_complete_action(user, action)  # type: ignore[attr-defined]
        actions_by_decision.setdefault(action.decision_id, []).append(action)
    minutes = list(visible_minutes(user).filter(conference=conference, case__in=cases).select_related("author_org"))
    members: dict[Any, list[Organisation]] = {}
    for member in CaseMember.objects.filter(case__in=cases, until__isnull=True).select_related("organisation"):
        members.setdefault(member.case_id, []).append(member.organisation)
    for decision in decisions:
        involved = required[decision.pk]
        decision.consensus_text = describe(involved, positions.get(decision.pk, []))  # type: ignore[attr-defined]
        decision.position_list = positions.get(decision.pk, [])  # type: ignore[attr-defined]
        decision.involved = involved  # type: ignore[attr-defined]
        decision.can_position = (  # type: ignore[attr-defined]
            user.organisation_id in {o.pk for o in involved} and decision.status != DecisionStatus.AGREED
        )
        decision.action_list = actions_by_decision.get(decision.pk, [])  # type: ignore[attr-defined]
    writable = writable_agenda_cases(user, part_ids, cases)
    writable_ids = {c.pk for c in writable}
    items = []
    for case in cases:
        case_decisions = [d for d in decisions if d.case_id == case.pk]
        for decision in case_decisions:
            decision.action_form = (  # type: ignore[attr-defined]
                ActionForm(
                    organisations=sorted(members.get(case.pk, []), key=lambda o: o.name),
                    prefix=f"a{decision.pk.hex[:8]}",
                )
                if case.pk in writable_ids
                else None
            )
        items.append(
            {"case": case, "decisions": case_decisions, "minutes": [m for m in minutes if m.case_id == case.pk]}
        )
    read_records(user, [*decisions, *decision_actions, *minutes], purpose=f"conference {conference.pk}")
    return {
        "agenda": items,
        "decision_form": DecisionForm(cases=writable) if writable else None,
        "minutes_form": MinutesForm(cases=writable) if writable else None,
        "position_choices": PositionChoice.choices,
    }


def _back(conference_id: Any, anchor: str = "") -> HttpResponse:
    response = redirect("conferences:conference_detail", conference_id=conference_id)
    if anchor:
        response["Location"] += anchor
    return response


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    conference = access_conference(request.user, conference_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confidentiality statement to see the meeting's case information."))
        return _back(conference.pk)
    actions.do_record_attendance(
        conference,
        present=form.cleaned_data["present"],
        acknowledge_confidentiality=form.cleaned_data["acknowledge"],
        acting_user=request.user,
    )
    messages.success(request, _("Thank you. Your attendance is recorded."))
    return _back(conference.pk)


def _require_acknowledged(request: AuthenticatedHttpRequest, conference: Conference) -> bool:
    if actions.has_acknowledged(request.user, conference):
        return True
    messages.error(request, _("First acknowledge confidentiality for this meeting."))
    return False


@login_required
@require_POST
def decision_add(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    user = request.user
    conference = access_conference(user, conference_id)
    if not _require_acknowledged(request, conference):
        return _back(conference.pk)
    cases = agenda_cases(user, conference)
    form = DecisionForm(request.POST, cases=cases)
    if not form.is_valid():
        messages.error(request, _("The decision was not saved: give the case and the decision."))
        return _back(conference.pk, "#decisions")
    data = form.cleaned_data
    case = next(c for c in cases if str(c.pk) == data["case"])
    plan = None
    if data["agrees_plan"]:
        plan = current_plan_of(user, case)
        if plan is None or plan.status != PlanStatus.DRAFT:
            messages.error(
                request,
                _("The decision was not saved: case %(number)s has no draft plan to agree.") % {"number": case.number},
            )
            return _back(conference.pk, "#decisions")
    try:
        decision = actions.do_propose_decision(
            conference,
            case=case,
            text=data["text"],
            rationale=data["rationale"],
            review_on=data["review_on"],
            plan=plan,
            acting_user=user,
        )
    except ValidationError as exc:
        messages.error(request, _("The decision was not saved: %(reason)s") % {"reason": _error_text(exc)})
        return _back(conference.pk, "#decisions")
    messages.success(request, _("The decision is proposed. It waits for each organisation's position."))
    return _back(conference.pk, f"#decision-{decision.pk}")


@login_required
@require_POST
def position_give(request: AuthenticatedHttpRequest, decision_id: str) -> HttpResponse:
    user = request.user
    decision = access_decision(user, decision_id)
    form = PositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose agree, disagree or abstain."))
        return _back(decision.conference_id, f"#decision-{decision.pk}")
    message_action(
        request,
        lambda: actions.do_give_position(
            decision, position=form.cleaned_data["position"], comment=form.cleaned_data["comment"], acting_user=user
        ),
        done=_("Your organisation's position is recorded."),
        failed=_("Your position was not saved:") + " ",
    )
    return _back(decision.conference_id, f"#decision-{decision.pk}")


@login_required
@require_POST
def action_add(request: AuthenticatedHttpRequest, decision_id: str) -> HttpResponse:
    user = request.user
    decision = access_decision(user, decision_id)
    organisations = list(
        Organisation.objects.filter(
            pk__in=CaseMember.objects.filter(case=decision.case, until__isnull=True).values("organisation_id")
        )
    )
    form = ActionForm(request.POST, organisations=organisations, prefix=f"a{decision.pk.hex[:8]}")
    if not form.is_valid():
        messages.error(request, _("The action was not saved: give what is to be done, by whom and by when."))
        return _back(decision.conference_id, f"#decision-{decision.pk}")
    data = form.cleaned_data
    message_action(
        request,
        lambda: actions.do_add_conference_action(
            decision,
            description=data["description"],
            owner_organisation=next(o for o in organisations if o.slug == data["owner_organisation"]),
            due_on=data["due_on"],
            acting_user=user,
        ),
        done=_("The action is added."),
        failed=_("The action was not saved:") + " ",
    )
    return _back(decision.conference_id, f"#decision-{decision.pk}")


@login_required
@require_POST
def action_complete(request: AuthenticatedHttpRequest, action_id: str) -> HttpResponse:
    action = access_action(request.user, action_id)
    message_action(
        request,
        lambda: actions.do_complete_action(action, acting_user=request.user),
        done=_("The action is marked as done."),
    )
    target = request.POST.get("next", "")
    if target == "actions":
        return redirect("conferences:open_actions")
    return _back(action.decision.conference_id, f"#decision-{action.decision_id}")


@login_required
@require_POST
def minutes_add(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    user = request.user
    conference = access_conference(user, conference_id)
    if not _require_acknowledged(request, conference):
        return _back(conference.pk)
    cases = agenda_cases(user, conference)
    form = MinutesForm(request.POST, cases=cases)
    if not form.is_valid():
        messages.error(request, _("The minutes were not saved: choose the case and write the notes."))
        return _back(conference.pk, "#minutes")
    case = next(c for c in cases if str(c.pk) == form.cleaned_data["case"])
    message_action(
        request,
        lambda: actions.do_record_minutes(conference, case=case, text=form.cleaned_data["text"], acting_user=user),
        done=_("The minutes are saved."),
        failed=_("The minutes were not saved:") + " ",
    )
    return _back(conference.pk, f"#case-{case.pk}")


@login_required
@require_POST
def general_minutes(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    conference = access_conference(request.user, conference_id)
    form = GeneralMinutesForm(request.POST)
    if form.is_valid():
        message_action(
            request,
            lambda: actions.do_record_general_minutes(
                conference, text=form.cleaned_data["general_minutes"], acting_user=request.user
            ),
            done=_("The general minutes are saved."),
        )
    return _back(conference.pk, "#general-minutes")


def _acknowledged(request: AuthenticatedHttpRequest, conference_id: str) -> Conference | HttpResponse:
    """The conference whose pack the user asks for, or (before the confidentiality acknowledgement) a
    redirect to the meeting page, its message in the user's language."""
    conference = access_conference(request.user, conference_id)
    if not actions.has_acknowledged(request.user, conference):
        messages.error(request, _("First acknowledge confidentiality for this meeting to read its pack."))
        return _back(conference.pk)
    return conference


def _asked_language(request: AuthenticatedHttpRequest) -> str | HttpResponse | None:
    """``?language=`` of a pack: the code, None when not given, or a 400 page saying which there are."""
    try:
        return pack_language(request.GET.get("language"))
    except UnknownLanguage as exc:
        context = {"title": _("This language is not available."), "message": str(exc)}
        return render(request, "error.html", context, status=400)


def _in(language: str | None) -> Any:
    """The pack's texts in ``language`` (issue 13: printed for a person in their language), else in the
    user's; the records' own words stay as written."""
    return translation.override(language) if language else nullcontext()


@login_required
@require_GET
def pack(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    language = _asked_language(request)
    if isinstance(language, HttpResponse):
        return language
    # The conference's read, the records' and the export are written together (a constant number of
    # queries), and only once the page is made: a page that fails has shown nothing.
    with batched_reads():
        conference = _acknowledged(request, conference_id)
        if isinstance(conference, HttpResponse):
            return conference
        with _in(language):
            built = build_pack(request.user, conference, export_format="html")
            shown = translation.get_language()
            body = render_to_string("conferences/_pack_body.html", {"pack": built})
        context = {
            "pack": built,
            "pack_body": body,
            "pack_language": shown,
            "asked_language": language,
            "print_languages": print_languages(request.user, built, shown),
        }
        return render(request, "conferences/pack.html", context)


@login_required
@require_GET
def pack_pdf(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    language = _asked_language(request)
    if isinstance(language, HttpResponse):
        return language
    with batched_reads():
        conference = _acknowledged(request, conference_id)
        if isinstance(conference, HttpResponse):
            return conference
        with _in(language):
            built = build_pack(request.user, conference, export_format="pdf")
            response = HttpResponse(render_pack_pdf(built), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack_filename(built)}"'
    return response


@login_required
@require_GET
def open_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The open actions of the user's organisation, soonest due first, overdue ones flagged."""
    user = request.user
    _require_user(user)
    page = Paginator(open_actions_of_organisation(user), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    read_records(user, rows, purpose="open actions")
    for row in rows:
        row.completable = can_complete_action(user, row)
    return render(request, "conferences/open_actions.html", {"page": page, "rows": rows})
