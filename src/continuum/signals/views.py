"""The signal pages: reporting a signal and "my signals" for reporting organisations; for the central
point the triage queue, the signal page (candidates, notes, decision), the monitoring list, the CSV
import and its overview.

Views parse input, call an access helper or an action, and render (STYLE.md 6). Signals are read only
through ``visible_to``/``access_signal`` and every page of them shown is logged (R11); what the user may
not see is a 404 (R12), and a page the user's role has no use for is a 403.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.cases.choices import Phase
from continuum.cases.models import Case
from continuum.lib.forms import add_action_errors, form_action, message_action
from continuum.people.choices import Gender
from continuum.people.models import Person
from continuum.sharing.access import read_records
from continuum.signals import actions
from continuum.signals.access import (
    access_signal,
    candidates_open_cases,
    duplicate_candidates,
    listed_signals,
    read_signals,
    visible_links,
    visible_signals,
)
from continuum.signals.choices import ExtremismType, SignalStatus, in_sentence
from continuum.signals.dashboard import BACKLOG_DAYS
from continuum.signals.forms import ImportForm, MatchForm, NoteForm, ReportSignalForm, TriageForm
from continuum.signals.importing import COLUMNS, import_signals
from continuum.signals.models import Signal, SignalNote
from continuum.signals.policy import can_report_signals, can_triage_signals

SIGNALS_PER_PAGE = 25
# Monitoring reviews due within this many days are shown as coming up.
REVIEWS_AHEAD_DAYS = 14
CANDIDATES_IN_QUEUE = 3


def _require_reporter(user: Any) -> None:
    if not can_report_signals(user):
        raise PermissionDenied


def _require_triage(user: Any) -> None:
    if not can_triage_signals(user):
        raise PermissionDenied


# --- Reporting ------------------------------------------------------------------------------------------


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Report a signal to the central point."""
    user = request.user
    _require_reporter(user)
    form = ReportSignalForm(request.POST or None)
    signal = None
    if request.method == "POST":
        signal = form_action(
            form,
            lambda data: actions.do_report_signal(
                subject=actions.SubjectDetails(
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    birth_date=data["birth_date"],
                    gender=data["gender"],
                    nationality=data["nationality"],
                ),
                description=data["description"],
                extremism_type=data["extremism_type"],
                offence_type=data["offence_type"],
                setting=data["setting"],
                acting_user=user,
            ),
        )
    if signal is not None:
        if signal.status == SignalStatus.INCLUDED:
            messages.success(
                request,
                _(
                    "Signal %(reference)s is sent to the central point. Because it concerns a terrorist "
                    "offence, the person is included in the multi-agency approach at once."
                )
                % {"reference": signal.reference},
            )
        else:
            messages.success(
                request, _("Signal %(reference)s is sent to the central point.") % {"reference": signal.reference}
            )
        return redirect("signals:signal_detail", signal_id=signal.pk)
    return render(request, "signals/report.html", {"form": form})


@login_required
@require_GET
def my_signals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signals the user's organisation reported, newest first."""
    user = request.user
    _require_reporter(user)
    signals = listed_signals(user).order_by("-created_at", "-number")
    page = Paginator(signals, SIGNALS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    read_signals(user, rows, purpose="my signals")
    persons, cases = visible_links(user, rows)
    for signal in rows:
        signal.case_visible = signal.case_id in cases
        signal.person_visible = signal.person_id in persons
    return render(request, "signals/my_signals.html", {"page": page, "rows": rows})


# --- The central point: queue, signal page, decisions -------------------------------------------------


@login_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New signals, oldest first, each with its likely duplicates; and included signals waiting for a case."""
    user = request.user
    _require_triage(user)
    waiting = visible_signals(user).filter(status=SignalStatus.NEW).order_by("queued_at", "number")
    page = Paginator(waiting, SIGNALS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    pending = list(
        visible_signals(user)
        .filter(status=SignalStatus.INCLUDED, case__isnull=True)
        .order_by("triaged_at", "number")[:SIGNALS_PER_PAGE]
    )
    read_signals(user, rows + pending, purpose="triage queue")
    candidates = duplicate_candidates(user, rows + pending)
    for signal in rows + pending:
        signal.candidates = candidates.get(signal.pk, [])[:CANDIDATES_IN_QUEUE]
    today = timezone.localdate()
    reviews_due = visible_signals(user).filter(status=SignalStatus.MONITORING, review_date__lte=today).count()
    context = {
        "page": page,
        "rows": rows,
        "pending": pending,
        "reviews_due": reviews_due,
        "backlog_since": timezone.now() - timedelta(days=BACKLOG_DAYS),
    }
    return render(request, "signals/queue.html", context)


def _signal_page(
    request: AuthenticatedHttpRequest, signal: Signal, *, status: int = 200, **bound_forms: Any
) -> HttpResponse:
    user = request.user
    triage = can_triage_signals(user)
    persons, cases = visible_links(user, [signal])
    context: dict[str, Any] = {
        "signal": signal,
        "triage": triage,
        "reports": can_report_signals(user),
        "person_visible": signal.person_id in persons,
        "case_visible": signal.case_id in cases,
        "open_form": next(iter(bound_forms), ""),
    }
    if triage:
        notes = list(SignalNote.objects.visible_to(user).filter(signal=signal).order_by("created_at"))
        read_records(user, notes, purpose="signal page")
        others = []
        if signal.person_id:
            others = list(
                visible_signals(user)
                .filter(person_id=signal.person_id)
                .exclude(pk=signal.pk)
                .order_by("-created_at")[:20]
            )
            read_signals(user, others, purpose="signal page: the person's other signals")
        candidates = duplicate_candidates(user, [signal]).get(signal.pk, [])
        open_cases = candidates_open_cases(user, candidates)
        context.update(
            {
                "candidates": candidates,
                # Each candidate with the parts of its score (from the scorer) and its open case, when
                # the user's organisation may see that case (R1, R12).
                "candidate_rows": [
                    {
                        "candidate": c,
                        "parts": c.breakdown.parts() if c.breakdown else [],
                        "open_case": open_cases.get(c.person.pk),
                        "phase_words": (
                            in_sentence(open_cases[c.person.pk].get_phase_display())
                            if c.person.pk in open_cases
                            else ""
                        ),
                    }
                    for c in candidates
                ],
                "notes": notes,
                "other_signals": others,
                "can_decide": signal.status in (SignalStatus.NEW, SignalStatus.MONITORING) or signal.case_pending,
                "can_link": signal.case_id is None,
                "triage_form": bound_forms.get("triage_form") or TriageForm(),
                "note_form": bound_forms.get("note_form") or NoteForm(),
            }
        )
    return render(request, "signals/signal_detail.html", context, status=status)


@login_required
@require_GET
def signal_detail(request: AuthenticatedHttpRequest, signal_id: str) -> HttpResponse:
    signal = access_signal(request.user, signal_id, purpose="signal page")
    return _signal_page(request, signal)


def _triaged_signal(request: AuthenticatedHttpRequest, signal_id: str) -> Signal:
    """A signal the central point works on: 404 when not visible, 403 for a reporter who sees it."""
    signal = access_signal(request.user, signal_id)
    _require_triage(request.user)
    return signal


@login_required
@require_POST
def signal_triage(request: AuthenticatedHttpRequest, signal_id: str) -> HttpResponse:
    signal = _triaged_signal(request, signal_id)
    form = TriageForm(request.POST)
    triaged = form_action(
        form,
        lambda data: actions.do_triage_signal(
            signal,
            decision=data["decision"],
            rationale=data["rationale"],
            review_date=data["review_date"],
            acting_user=request.user,
        ),
    )
    if triaged is not None:
        if signal.status == SignalStatus.INCLUDED and signal.case_id:
            case = Case.objects.get(pk=signal.case_id)
            messages.success(
                request,
                _("%(reference)s is included: case %(number)s.")
                % {"reference": signal.reference, "number": case.number},
            )
        else:
            messages.success(
                request,
                _("%(reference)s: %(status)s.")
                % {"reference": signal.reference, "status": in_sentence(signal.get_status_display())},
            )
        return redirect("signals:signal_detail", signal_id=signal.pk)
    return _signal_page(request, signal, triage_form=form)


@login_required
@require_POST
def signal_match(request: AuthenticatedHttpRequest, signal_id: str) -> HttpResponse:
    signal = _triaged_signal(request, signal_id)
    form = MatchForm(request.POST)
    person = None
    if form.is_valid():
        person = Person.objects.visible_to(request.user).filter(pk=form.cleaned_data["person"]).first()
    if person is None:
        messages.error(request, _("That person could not be found. Choose one of the candidates."))
        return redirect("signals:signal_detail", signal_id=signal.pk)
    message_action(
        request,
        lambda: actions.do_confirm_match(signal, person=person, acting_user=request.user),
        done=_("%(signal)s is linked to %(name)s (%(reference)s).")
        % {"signal": signal.reference, "name": person.full_name, "reference": person.reference},
    )
    return redirect("signals:signal_detail", signal_id=signal.pk)


@login_required
@require_POST
def signal_new_person(request: AuthenticatedHttpRequest, signal_id: str) -> HttpResponse:
    signal = _triaged_signal(request, signal_id)
    message_action(
        request,
        lambda: actions.do_create_person_from_signal(signal, acting_user=request.user),
        done=lambda person: (
            _("%(name)s is registered as %(reference)s and linked to the signal.")
            % {"name": person.full_name, "reference": person.reference}
        ),
    )
    return redirect("signals:signal_detail", signal_id=signal.pk)


@login_required
@require_POST
def signal_note(request: AuthenticatedHttpRequest, signal_id: str) -> HttpResponse:
    signal = _triaged_signal(request, signal_id)
    form = NoteForm(request.POST)
    if form_action(form, lambda data: actions.do_add_signal_note(signal, text=data["text"], acting_user=request.user)):
        messages.success(request, _("The note is added."))
        return redirect("signals:signal_detail", signal_id=signal.pk)
    return _signal_page(request, signal, note_form=form)


# --- Monitoring, import, overview ------------------------------------------------------------------------


@login_required
@require_GET
def monitoring(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Monitored signals by review date; reviews due or overdue stand out."""
    user = request.user
    _require_triage(user)
    monitored = visible_signals(user).filter(status=SignalStatus.MONITORING).order_by("review_date", "number")
    page = Paginator(monitored, SIGNALS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    read_signals(user, rows, purpose="monitoring list")
    today = timezone.localdate()
    return render(
        request,
        "signals/monitoring.html",
        {"page": page, "rows": rows, "today": today, "soon": today + timedelta(days=REVIEWS_AHEAD_DAYS)},
    )


@login_required
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV of signals: every row is checked, then all are imported or none."""
    user = request.user
    _require_triage(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_signals(form.cleaned_data["file"].read(), acting_user=user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if report.ok:
                count = len(report.signals)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s signal is imported into the queue.",
                        "%(count)s signals are imported into the queue.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("signals:queue")
    return render(request, "signals/import.html", {"form": form, "report": report, "columns": COLUMNS})


def _age_band(born: date | None, today: date) -> str:
    if born is None:
        return "unknown"
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < 18:
        return "under_18"
    if age < 25:
        return "18_24"
    if age < 35:
        return "25_34"
    return "35_plus"


AGE_BANDS = [
    ("under_18", gettext_lazy("Under 18")),
    ("18_24", gettext_lazy("18 to 24")),
    ("25_34", gettext_lazy("25 to 34")),
    ("35_plus", gettext_lazy("35 and over")),
    ("unknown", gettext_lazy("Not known")),
]


@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The central point's overview: intake, backlog, reviews, and included cases, by gender and age.

    Counts over the central point's own triage data, for its work; a fixed number of queries.
    """
    user = request.user
    _require_triage(user)
    today = timezone.localdate()
    visible = Signal.objects.filter(pk__in=visible_signals(user).values("pk"))
    by_status = dict(visible.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    backlog = visible.filter(
        status=SignalStatus.NEW, queued_at__lt=timezone.now() - timedelta(days=BACKLOG_DAYS)
    ).count()
    monitored = visible.filter(status=SignalStatus.MONITORING)
    overdue = monitored.filter(review_date__lt=today).count()
    due_soon = monitored.filter(
        review_date__gte=today, review_date__lte=today + timedelta(days=REVIEWS_AHEAD_DAYS)
    ).count()

    # Cases the included signals joined: by phase and kind of extremism, and by phase and gender.
    included = visible.filter(case__isnull=False)
    phase_type = {
        (row["case__phase"], row["extremism_type"]): row["n"]
        for row in included.order_by().values("case__phase", "extremism_type").annotate(n=Count("case", distinct=True))
    }
    phase_gender = {
        (row["case__phase"], row["case__person__gender"]): row["n"]
        for row in included.order_by()
        .values("case__phase", "case__person__gender")
        .annotate(n=Count("case", distinct=True))
    }
    phases = [(p, label) for p, label in Phase.choices]
    types = list(ExtremismType.choices)
    genders = list(Gender.choices)
    case_rows = [
        {
            "phase": label,
            "counts": [phase_type.get((p, t), 0) for t, _label in types],
            "total": sum(phase_type.get((p, t), 0) for t, _label in types),
        }
        for p, label in phases
    ]
    gender_case_rows = [
        {"phase": label, "counts": [phase_gender.get((p, g), 0) for g, _label in genders]} for p, label in phases
    ]

    # Signals by gender and age band (the person's details once linked, else the reported ones).
    details = visible.annotate(
        _gender=Coalesce(F("person__gender"), F("subject_gender")),
        _born=Coalesce(F("person__birth_date"), F("subject_birth_date")),
    ).values_list("_gender", "_born", "status")
    signal_counts: dict[tuple[str, str], int] = {}
    status_gender: dict[tuple[str, str], int] = {}
    for gender, born, status in details:
        band = _age_band(born, today)
        signal_counts[(gender, band)] = signal_counts.get((gender, band), 0) + 1
        status_gender[(status, gender)] = status_gender.get((status, gender), 0) + 1
    gender_age_rows = [
        {"gender": label, "counts": [signal_counts.get((g, b), 0) for b, _label in AGE_BANDS]} for g, label in genders
    ]
    status_rows = [
        {
            "status": label,
            "counts": [status_gender.get((s, g), 0) for g, _label in genders],
            "total": by_status.get(s, 0),
        }
        for s, label in SignalStatus.choices
    ]
    context = {
        "new": by_status.get(SignalStatus.NEW, 0),
        "backlog": backlog,
        "backlog_days": BACKLOG_DAYS,
        "monitored": by_status.get(SignalStatus.MONITORING, 0),
        "overdue": overdue,
        "due_soon": due_soon,
        "ahead_days": REVIEWS_AHEAD_DAYS,
        "pending_cases": visible.filter(status=SignalStatus.INCLUDED, case__isnull=True).count(),
        "types": types,
        "genders": genders,
        "age_bands": AGE_BANDS,
        "case_rows": case_rows,
        "gender_case_rows": gender_case_rows,
        "gender_age_rows": gender_age_rows,
        "status_rows": status_rows,
        "included_total": included.values("case").distinct().count(),
        "any_signals": bool(by_status),
    }
    return render(request, "signals/overview.html", context)
