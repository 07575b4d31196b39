"""The release pages: a case's release plan with its domains, scenarios, release conditions, the
release itself, and after it the follow-ups and recalls or re-offending as recorded; the release
calendar (a list and a month).

Views parse input, call an access helper or an action, and render (STYLE.md 6). What the user may
not see is a 404 (R12); what they see but may not change is a 403; bad input is the page again with
the form's errors (400) and nothing written; a stale version is the page again (409) with what the
other person saved and the user's own values kept in the form.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.choices import OrgType
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation, User
from continuum.cases.access import cases_reading_category
from continuum.cases.models import Case, CaseMember
from continuum.cases.policy import can_use_cases
from continuum.conferences.choices import ConferenceKind
from continuum.conferences.policy import can_schedule_conferences
from continuum.lib.errors import StaleVersion
from continuum.lib.forms import add_action_errors, form_action
from continuum.sharing import engine
from continuum.sharing.access import access_case, read_records
from continuum.sharing.choices import Category
from continuum.sharing.disclosure import batched_reads, log_denied
from continuum.transition import actions
from continuum.transition.access import (
    access_release_condition,
    access_release_item,
    conditions_with_reviews,
    items_of,
    release_plan_of,
    reoffending_of,
    resettlement_checks_of,
    scenarios_of,
)
from continuum.transition.choices import DOMAIN_HINTS, SETTLED
from continuum.transition.forms import (
    WITHIN_CHOICES,
    CalendarFilterForm,
    ConditionReviewForm,
    ReleaseForm,
    ReleaseItemForm,
    ReleasePlanForm,
    ReoffendingForm,
    ResettlementCheckForm,
    ScenarioForm,
)
from continuum.transition.models import ReleaseItem, ReleasePlan
from continuum.transition.policy import (
    NEW_LEAD_PHASE,
    PLANNING_PHASES,
    RELEASE_PHASES,
    can_record_reoffending,
    can_record_resettlement_check,
    can_release,
    can_review_condition,
    can_update_item,
    can_write_release_plan,
)
from continuum.transition.releases import LIST_LIMIT, MAX_WITHIN_DAYS, alert_label, plan_readiness, releases_for

SCENARIOS_SHOWN = 50
RECORDS_SHOWN = 50  # follow-ups after release, and recall and re-offending records
ITEM_STALE = gettext_lazy(
    "Someone else changed this item while you were working on it, so your change is not saved yet. "
    "What they saved is shown above; your values are still in the form: compare them, then save again."
)
PLAN_STALE = gettext_lazy(
    "Someone else changed the release plan while you were working on it, so your change is not saved yet. "
    "What they saved is shown above; your values are still in the form: check them, then save again."
)


def _members(case: Case) -> list[Organisation]:
    return [
        m.organisation
        for m in CaseMember.objects.filter(case=case, until__isnull=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def _outside_organisations() -> tuple[list[Organisation], list[Organisation]]:
    """The municipalities (destinations) and the organisations that may lead a case after release
    (probation and municipalities): one query."""
    found = list(Organisation.objects.filter(is_active=True, type__in=list(NEW_LEAD_PHASE)).order_by("name"))
    return [o for o in found if o.type == OrgType.MUNICIPALITY], found


def _days_to_go(day: date, today: date) -> int:
    return (day - today).days


# --- the release plan page ----------------------------------------------------------------------------


def _plan_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    status: int = 200,
    stale: str = "",
    **bound: Any,
) -> HttpResponse:
    """Render a case's release plan as the user may see it; ``bound`` forms replace the blank ones
    (to show their errors or keep what was typed): ``plan_form``, ``item_form`` (with ``item_target``),
    ``scenario_form``, ``review_form`` (with ``review_target``), ``release_form``, ``check_form``,
    ``reoffending_form``."""
    user = request.user
    today = timezone.localdate()
    writes = can_write_release_plan(user, case)
    plan = release_plan_of(user, case)
    municipalities, outside = _outside_organisations() if writes or can_release(user, case) else ([], [])
    context: dict[str, Any] = {
        "case": case,
        "plan": plan,
        "today": today,
        "writes": writes,
        "stale": stale,
        "open_form": next((k for k in bound if k.endswith("_form")), ""),
        "inside": case.phase in RELEASE_PHASES,
    }
    if plan is None:
        # Saying "there is none" only to those who would see one (R12): for anyone else it is a 404.
        if case.pk not in cases_reading_category(user, [case], Category.PLAN):
            log_denied(user, "release_plan", case.pk)
            raise Http404
        if writes and case.phase in PLANNING_PHASES:
            context["plan_form"] = bound.get("plan_form") or ReleasePlanForm(
                organisations=municipalities,
                initial={"expected_release_on": actions.proposed_release_date(case, user)},
            )
        context.update(_reoffending_context(user, case, today, bound))
        return render(request, "transition/release_plan.html", context, status=status)

    read_records(user, [plan], purpose="release plan page")
    items = items_of(user, plan)
    summary = plan_readiness(user, plan, items, today=today)
    members = _members(case)
    item_target = bound.get("item_target")
    for item in items:
        item.hint = DOMAIN_HINTS.get(item.domain, "")  # type: ignore[attr-defined]
        item.overdue = bool(item.due_on and item.due_on < today and item.status not in SETTLED)  # type: ignore[attr-defined]
        item.editable = can_update_item(user, case, item)  # type: ignore[attr-defined]
        if item.editable:  # type: ignore[attr-defined]
            item.form = (  # type: ignore[attr-defined]
                bound["item_form"]
                if item.pk == item_target
                else ReleaseItemForm(
                    organisations=members,
                    initial={
                        "status": item.status,
                        "owner_organisation": item.owner_organisation.slug if item.owner_organisation else "",
                        "due_on": item.due_on,
                        "note": item.note,
                        "version": item.version,
                    },
                    auto_id=f"id_item{item.pk.hex[:12]}_%s",
                )
            )
    scenarios = list(scenarios_of(user, case)[: SCENARIOS_SHOWN + 1])
    read_records(user, scenarios[:SCENARIOS_SHOWN], purpose="release plan page")
    conditions = conditions_with_reviews(user, case)
    reviews = can_review_condition(user, case)
    review_target = bound.get("review_target")
    for condition in conditions:
        if reviews:
            condition.review_form = (  # type: ignore[attr-defined]
                bound["review_form"]
                if condition.pk == review_target
                else ConditionReviewForm(initial={"reviewed_on": today}, auto_id=f"id_review{condition.pk.hex[:12]}_%s")
            )
    open_count = len(summary["open_domains"])
    context.update(
        {
            "items": items,
            "open_items": [item for item in items if item.status not in SETTLED],
            "readiness": summary["readiness"],
            "open_count": open_count,
            "alert": summary["alert"],
            "alert_label": alert_label(summary["alert"]),
            "days_to_go": _days_to_go(plan.expected_release_on, today),
            "scenarios": scenarios[:SCENARIOS_SHOWN],
            "scenarios_more": len(scenarios) > SCENARIOS_SHOWN,
            "conditions": conditions,
            "reviews_conditions": reviews,
            "item_target": item_target,
            "review_target": review_target,
        }
    )
    if writes and not plan.is_released:
        context["plan_form"] = bound.get("plan_form") or ReleasePlanForm(
            organisations=municipalities,
            initial={
                "expected_release_on": plan.expected_release_on,
                "release_type": plan.release_type,
                "destination_municipality": (
                    plan.destination_municipality.slug if plan.destination_municipality else ""
                ),
                "version": plan.version,
            },
            auto_id="id_plan_%s",
        )
    if writes:
        context["scenario_form"] = bound.get("scenario_form") or ScenarioForm(
            initial={"discussed_on": today}, auto_id="id_scenario_%s"
        )
    checks = list(resettlement_checks_of(user, case)[: RECORDS_SHOWN + 1])
    read_records(user, checks[:RECORDS_SHOWN], purpose="release plan page")
    context.update({"checks": checks[:RECORDS_SHOWN], "checks_more": len(checks) > RECORDS_SHOWN})
    if plan.is_released and can_record_resettlement_check(user, case):
        context["check_form"] = bound.get("check_form") or ResettlementCheckForm(
            initial={"checked_on": today}, auto_id="id_check_%s"
        )
    context.update(_reoffending_context(user, case, today, bound))
    if not plan.is_released and case.phase in RELEASE_PHASES:
        if can_release(user, case):
            context["release_form"] = bound.get("release_form") or _release_form(
                outside, initial={"released_on": today}
            )
        if can_schedule_conferences(user):
            query = f"kind={ConferenceKind.PRE_RELEASE_MEETING}&case={case.pk}"
            context["meeting_url"] = f"{reverse('conferences:conference_new')}?{query}"
    return render(request, "transition/release_plan.html", context, status=status)


def _reoffending_context(user: User, case: Case, today: date, bound: dict[str, Any]) -> dict[str, Any]:
    """The case's recall and re-offending records the user may see (logged as read), and the form for
    those who write legal records: any case may have them, with a release plan or without."""
    records = list(reoffending_of(user, case)[: RECORDS_SHOWN + 1])
    read_records(user, records[:RECORDS_SHOWN], purpose="release plan page")
    context: dict[str, Any] = {
        "reoffending": records[:RECORDS_SHOWN],
        "reoffending_more": len(records) > RECORDS_SHOWN,
    }
    if can_record_reoffending(user, case):
        context["reoffending_form"] = bound.get("reoffending_form") or ReoffendingForm(
            initial={"occurred_on": today}, auto_id="id_reoffending_%s"
        )
    return context


def _release_form(outside: list[Organisation], data: Any = None, **kwargs: Any) -> ReleaseForm:
    practitioners = (
        User.objects.filter(is_active=True, organisation__in=outside)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )
    return ReleaseForm(data, organisations=outside, practitioners=practitioners, **kwargs)


@login_required
@require_GET
def release_plan(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    with engine.remembered(), batched_reads():
        case = access_case(request.user, case_id)
        return _plan_page(request, case)


def _page_again(request: AuthenticatedHttpRequest, case: Case, **kwargs: Any) -> HttpResponse:
    """The page again after a form that failed (nothing was written: the page only reads)."""
    with engine.remembered(), batched_reads():
        return _plan_page(request, case, **kwargs)


def _back_to_plan(case: Case) -> HttpResponse:
    return redirect(reverse("transition:release_plan", kwargs={"case_id": case.pk}))


@login_required
@require_POST
def plan_create(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if not can_write_release_plan(request.user, case):
        raise PermissionDenied
    municipalities, _outside = _outside_organisations()
    form = ReleasePlanForm(request.POST, organisations=municipalities)
    plan = form_action(
        form,
        lambda data: actions.do_create_release_plan(
            case,
            expected_release_on=data["expected_release_on"],
            release_type=data["release_type"],
            destination_municipality=form.organisation("destination_municipality"),
            acting_user=request.user,
        ),
    )
    if plan is not None:
        messages.success(request, _("The release plan is begun: sixteen domains, each not started yet."))
        return _back_to_plan(case)
    return _page_again(request, case, status=400, plan_form=form)


def _visible_plan(request: AuthenticatedHttpRequest, case: Case) -> ReleasePlan:
    plan = release_plan_of(request.user, case)
    if plan is None:
        log_denied(request.user, "release_plan", case.pk)
        raise Http404
    return plan


@login_required
@require_POST
def plan_update(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    plan = _visible_plan(request, case)
    if not can_write_release_plan(request.user, case):
        raise PermissionDenied
    if plan.is_released:  # a page from before the release: its form is no longer shown
        messages.error(request, _("The person has been released: the plan's date and type no longer change."))
        return _back_to_plan(case)
    municipalities, _outside = _outside_organisations()
    form = ReleasePlanForm(request.POST, organisations=municipalities, auto_id="id_plan_%s")
    if form.is_valid() and form.cleaned_data["version"] is None:
        form.add_error(None, _("This form was out of date. Reload the page and make your change again."))
    if not form.is_valid():
        return _page_again(request, case, status=400, plan_form=form)
    data = form.cleaned_data
    try:
        actions.do_update_release_plan(
            plan,
            version=data["version"],
            expected_release_on=data["expected_release_on"],
            release_type=data["release_type"],
            destination_municipality=form.organisation("destination_municipality"),
            acting_user=request.user,
        )
    except StaleVersion as exc:
        fresh = request.POST.copy()
        fresh["version"] = str(exc.current_version)
        again = ReleasePlanForm(fresh, organisations=municipalities, auto_id="id_plan_%s")
        return _page_again(request, case, status=409, stale=str(PLAN_STALE), plan_form=again)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _page_again(request, case, status=400, plan_form=form)
    messages.success(request, _("The release plan is saved."))
    return _back_to_plan(case)


def _item_changes(item: ReleaseItem, form: ReleaseItemForm) -> dict[str, Any]:
    """What the form changes of the item as read. The note goes only when it changed: a note written
    for an earlier status is no reason for declining support now (the action asks for one)."""
    data = form.cleaned_data
    changes: dict[str, Any] = {
        "status": data["status"],
        "owner_organisation": form.organisation("owner_organisation"),
        "due_on": data["due_on"],
    }
    if data["note"].strip() != item.note:
        changes["note"] = data["note"]
    return changes


@login_required
@require_POST
def item_update(request: AuthenticatedHttpRequest, item_id: str) -> HttpResponse:
    user = request.user
    item = access_release_item(user, item_id)
    case = access_case(user, item.case_id)
    if not can_update_item(user, case, item):
        raise PermissionDenied
    auto_id = f"id_item{item.pk.hex[:12]}_%s"
    members = _members(case)
    form = ReleaseItemForm(request.POST, organisations=members, auto_id=auto_id)
    if not form.is_valid():
        return _page_again(request, case, status=400, item_form=form, item_target=item.pk)
    try:
        actions.do_update_release_item(
            item, version=form.cleaned_data["version"], acting_user=user, **_item_changes(item, form)
        )
    except StaleVersion as exc:
        fresh = request.POST.copy()
        fresh["version"] = str(exc.current_version)
        again = ReleaseItemForm(fresh, organisations=members, auto_id=auto_id)
        again.is_valid()
        return _page_again(request, case, status=409, stale=str(ITEM_STALE), item_form=again, item_target=item.pk)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _page_again(request, case, status=400, item_form=form, item_target=item.pk)
    messages.success(request, _("%(domain)s is saved.") % {"domain": item.get_domain_display()})
    return redirect(f"{reverse('transition:release_plan', kwargs={'case_id': case.pk})}#item-{item.domain}")


def _record_on_the_plan_page(
    request: AuthenticatedHttpRequest,
    case: Any,
    form: Any,
    do: Any,
    *,
    done: str,
    anchor: str,
    form_name: str,
) -> HttpResponse:
    """One record added from a form of the release plan page: back to its section, or the page again (400)."""
    record = form_action(form, lambda data: do(case, acting_user=request.user, **data))
    if record is not None:
        messages.success(request, done)
        return redirect(f"{reverse('transition:release_plan', kwargs={'case_id': case.pk})}#{anchor}")
    return _page_again(request, case, status=400, **{form_name: form})


@login_required
@require_POST
def scenario_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    _visible_plan(request, case)
    if not can_write_release_plan(request.user, case):
        raise PermissionDenied
    form = ScenarioForm(request.POST, auto_id="id_scenario_%s")
    return _record_on_the_plan_page(
        request,
        case,
        form,
        actions.do_record_scenario,
        done=_("The scenario is recorded."),
        anchor="scenarios",
        form_name="scenario_form",
    )


@login_required
@require_POST
def resettlement_check_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    _visible_plan(request, case)
    if not can_record_resettlement_check(request.user, case):
        raise PermissionDenied
    form = ResettlementCheckForm(request.POST, auto_id="id_check_%s")
    return _record_on_the_plan_page(
        request,
        case,
        form,
        actions.do_record_resettlement_check,
        done=_("The follow-up after release is recorded."),
        anchor="after-release",
        form_name="check_form",
    )


@login_required
@require_POST
def reoffending_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if not can_record_reoffending(request.user, case):
        raise PermissionDenied
    form = ReoffendingForm(request.POST, auto_id="id_reoffending_%s")
    return _record_on_the_plan_page(
        request,
        case,
        form,
        actions.do_record_reoffending,
        done=_("The record is saved."),
        anchor="reoffending",
        form_name="reoffending_form",
    )


@login_required
@require_POST
def condition_review(request: AuthenticatedHttpRequest, condition_id: str) -> HttpResponse:
    condition = access_release_condition(request.user, condition_id)
    case = access_case(request.user, condition.case_id)
    _visible_plan(request, case)
    if not can_review_condition(request.user, case):
        raise PermissionDenied
    form = ConditionReviewForm(request.POST, auto_id=f"id_review{condition.pk.hex[:12]}_%s")
    review = form_action(form, lambda data: actions.do_review_condition(condition, acting_user=request.user, **data))
    if review is not None:
        messages.success(request, _("The review of the condition is recorded."))
        return redirect(f"{reverse('transition:release_plan', kwargs={'case_id': case.pk})}#conditions")
    return _page_again(request, case, status=400, review_form=form, review_target=condition.pk)


@login_required
@require_POST
def release(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    user = request.user
    case = access_case(user, case_id)
    plan = _visible_plan(request, case)
    if not can_release(user, case):
        raise PermissionDenied
    if plan.is_released or case.phase not in RELEASE_PHASES:  # sent twice, or from an old page
        messages.error(request, _("The release is recorded already, or the person is no longer inside."))
        return _back_to_plan(case)
    _municipalities, outside = _outside_organisations()
    form = _release_form(outside, request.POST)
    released = form_action(
        form,
        lambda data: actions.do_release(
            case,
            released_on=data["released_on"],
            lead_organisation=form.lead(),
            responsible=form.responsible_user(),
            handover_note=data["handover_note"],
            acting_user=user,
        ),
        aliases={"phase": "lead_organisation"},
    )
    if released is None:
        return _page_again(request, case, status=400, release_form=form)
    lead = released.released_to.name if released.released_to else ""
    if Case.objects.visible_to(user).filter(pk=case.pk).exists():
        messages.success(
            request, _("The release is recorded: %(organisation)s leads the case now.") % {"organisation": lead}
        )
        return _back_to_plan(case)
    # A prison leaves the team at the gate: it keeps what it wrote, but no longer sees the case.
    messages.success(
        request,
        _(
            "The release is recorded: %(organisation)s leads the case now. Your organisation has left the team "
            "and keeps what it wrote."
        )
        % {"organisation": lead},
    )
    return redirect("home")


# --- the release calendar -------------------------------------------------------------------------------


def _shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _weeks(first: date, rows: list[Any]) -> list[list[dict[str, Any]]]:
    """The month as weeks of days (the locale's first day of the week), each day with its releases."""
    by_day: dict[date, list[Any]] = {}
    for row in rows:
        by_day.setdefault(row.plan.expected_release_on, []).append(row)
    weeks = calendar.Calendar(firstweekday=_first_weekday()).monthdatescalendar(first.year, first.month)
    return [
        [{"day": day, "in_month": day.month == first.month, "releases": by_day.get(day, [])} for day in week]
        for week in weeks
    ]


def _first_weekday() -> int:
    """Python counts Monday as 0, Django's FIRST_DAY_OF_WEEK Sunday as 0."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def _weekday_names() -> list[tuple[str, str]]:
    first = _first_weekday()
    return [(str(WEEKDAYS[(first + i) % 7]), str(WEEKDAYS_ABBR[(first + i) % 7])) for i in range(7)]


@login_required
@require_GET
def release_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The releases the user's organisation may know of, soonest first: a list within a window, or a month."""
    user = request.user
    if not can_use_cases(user):
        raise PermissionDenied
    today = timezone.localdate()
    form = CalendarFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "today": today, "within_choices": WITHIN_CHOICES, "limit": LIST_LIMIT}
    if not form.is_valid():
        context.update({"view": "list", "rows": [], "bad_filter": True})
        return render(request, "transition/calendar.html", context, status=400)
    data = form.cleaned_data
    view = data["view"] or "list"
    context["view"] = view
    if view == "month":
        first = data["month"] or today.replace(day=1)
        following = _shift_month(first, 1)
        last = following - timedelta(days=1)
        within = (last - today).days
        if abs(within) > MAX_WITHIN_DAYS:
            context.update({"rows": [], "bad_filter": True, "view": "list"})
            return render(request, "transition/calendar.html", context, status=400)
        rows = releases_for(user, within_days=within, today=today, since=first)
        context.update(
            {
                "month": first,
                "previous_month": _shift_month(first, -1),
                "next_month": following,
                "this_month": today.replace(day=1),
                "weeks": _weeks(first, rows),
                "weekdays": _weekday_names(),
                "rows": rows,
            }
        )
    else:
        within = data["within"]
        rows = releases_for(user, within_days=within, today=today)
        context.update({"within": within, "rows": rows})
    for row in rows:
        row.days_to_go = _days_to_go(row.plan.expected_release_on, today)  # type: ignore[attr-defined]
    context["capped"] = len(rows) >= LIST_LIMIT
    context["announcements"] = any(not row.member for row in rows)
    return render(request, "transition/calendar.html", context)
