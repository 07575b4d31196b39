"""The plan pages: a plan with its goals, milestones and the person's agreement; the person's own
print-out ("My plan"); interventions and their sessions.

Views parse input, call an access helper or an action, and render (STYLE.md 6). What the user may
not see is a 404 (R12); what they see but may not change is a 403. No page sets a plan to agreed:
a plan becomes agreed when the organisations agree it in a case conference.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation
from continuum.cases.models import Case, CaseMember
from continuum.lib.errors import StaleVersion
from continuum.lib.forms import add_action_errors, form_action, message_action
from continuum.people.models import Person
from continuum.plans import actions
from continuum.plans.access import (
    access_goal,
    access_intervention,
    access_milestone,
    access_plan,
    plan_contents,
    plans_visible_to,
    sessions_of,
)
from continuum.plans.forms import (
    AchieveForm,
    AgreementForm,
    EndInterventionForm,
    GoalForm,
    InterventionForm,
    MilestoneForm,
    PlanSummaryForm,
    SessionForm,
)
from continuum.plans.models import Goal, Plan
from continuum.plans.policy import (
    can_achieve_milestone,
    can_write_intervention,
    can_write_plan,
    plan_writers,
    runs_programme,
)
from continuum.sharing import engine
from continuum.sharing.access import access_case

STALE_MESSAGE = gettext_lazy(
    "Someone else saved this plan while you were working on it, so your change is not saved yet. "
    "Their version is shown below, and your text is still in the form: compare the two, then save again."
)


def _members(case: Case) -> list[Organisation]:
    return [
        m.organisation
        for m in CaseMember.objects.filter(case=case, until__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def _case_of(obj: Any) -> Case:
    case = obj.case
    if case is None:  # plans and interventions always have one; this tells the type checker
        raise PermissionDenied
    return case


# --- the plan page ---------------------------------------------------------------------------------------------


def _plan_page(
    request: AuthenticatedHttpRequest, plan: Plan, *, status: int = 200, stale: bool = False, **bound: Any
) -> HttpResponse:
    """Render a plan; ``bound`` forms replace the blank ones (to show errors or keep typed text)."""
    user = request.user
    case = _case_of(plan)
    contents = plan_contents(user, plan, purpose="plan page")
    writes = can_write_plan(user, case) and plan.is_draft
    members = _members(case) if writes or can_write_plan(user, case) else []
    today = timezone.localdate()
    forms: dict[str, Any] = {}
    achieves = can_write_plan(user, case) and plan.status != "superseded"
    writers = plan_writers(case) if achieves else set()
    if writes:
        forms = {
            "summary_form": bound.get("summary_form")
            or PlanSummaryForm(initial={"summary": plan.summary, "version": plan.version}),
            "goal_form": bound.get("goal_form") or GoalForm(members=members, auto_id="id_goal_%s"),
            "agreement_form": bound.get("agreement_form") or AgreementForm(initial={"recorded_on": today}),
        }
    # One form per goal and per milestone, each with its own element ids (the page has many).
    for goal in contents.goals:
        if writes:
            bound_here = bound.get("milestone_goal") == goal.pk
            goal.milestone_form = (  # type: ignore[attr-defined]
                bound["milestone_form"]
                if bound_here
                else MilestoneForm(members=members, auto_id=f"id_goal{goal.pk.hex[:12]}_%s")
            )
        for milestone in goal.shown_milestones:  # type: ignore[attr-defined]
            milestone.achievable = achieves and can_achieve_milestone(user, case, milestone, goal, writers)
            bound_here = bound.get("achieve_target") == milestone.pk
            milestone.achieve_form = (
                bound["achieve_form"]
                if bound_here
                else AchieveForm(initial={"achieved_on": today}, auto_id=f"id_ms{milestone.pk.hex[:12]}_%s")
            )
    context = {
        "case": case,
        "plan": plan,
        "contents": contents,
        "history": list(plans_visible_to(user).filter(case=case).order_by("-revision")),
        "writes": writes,
        "achieves": achieves,
        "achieve_target": bound.get("achieve_target"),
        "milestone_goal": bound.get("milestone_goal"),
        "stale": stale,
        "open_form": next(iter(bound), ""),
        # "Print 'My plan' in:" each language in its own name.
        "print_languages": [{"code": code, "name": name} for code, name in settings.LANGUAGES],
        **forms,
    }
    return render(request, "plans/plan_detail.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    return _plan_page(request, access_plan(request.user, plan_id, purpose="plan page"))


@login_required
@require_POST
def plan_start(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Start the case's first plan, or a new draft revision of the agreed one."""
    case = access_case(request.user, case_id)
    if not can_write_plan(request.user, case):
        raise PermissionDenied
    try:
        plan = actions.do_start_plan_revision(case, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:case_detail", case_id=case.pk)
    messages.success(
        request, _("Revision %(revision)s of the plan is started as a draft.") % {"revision": plan.revision}
    )
    return redirect("plans:plan_detail", plan_id=plan.pk)


def _writable_plan(request: AuthenticatedHttpRequest, plan_id: str) -> Plan:
    plan = access_plan(request.user, plan_id)
    if not can_write_plan(request.user, _case_of(plan)):
        raise PermissionDenied
    return plan


@login_required
@require_POST
def plan_update(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    """Save the plan's summary; when someone else saved first, show theirs and keep the user's text."""
    plan = _writable_plan(request, plan_id)
    form = PlanSummaryForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, status=400, summary_form=form)
    try:
        actions.do_update_plan(
            plan, version=form.cleaned_data["version"], summary=form.cleaned_data["summary"], acting_user=request.user
        )
    except StaleVersion as exc:
        # The user's text stays in the form, now carrying the newer version, so saving again works
        # once they have compared it with what the other person saved (shown above the form).
        data = request.POST.copy()
        data["version"] = str(exc.current_version)
        fresh = access_plan(request.user, plan.pk)
        return _plan_page(request, fresh, status=409, stale=True, summary_form=PlanSummaryForm(data))
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _plan_page(request, plan, status=400, summary_form=form)
    messages.success(request, _("The plan is saved."))
    return redirect("plans:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def goal_add(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = _writable_plan(request, plan_id)
    form = GoalForm(request.POST, members=_members(_case_of(plan)), auto_id="id_goal_%s")
    goal = form_action(
        form,
        lambda data: actions.do_add_goal(
            plan,
            focus_area=data["focus_area"],
            description=data["description"],
            persons_own_words=data["persons_own_words"],
            owner_organisation=form.organisation("owner_organisation"),
            acting_user=request.user,
        ),
    )
    if goal is not None:
        messages.success(request, _("The goal is added."))
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, goal_form=form)


@login_required
@require_POST
def goal_remove(request: AuthenticatedHttpRequest, goal_id: str) -> HttpResponse:
    goal = _visible_goal(request, goal_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("The goal is not removed: tick the box to confirm that it should go."))
        return redirect("plans:plan_detail", plan_id=goal.plan_id)
    message_action(
        request,
        lambda: actions.do_remove_goal(goal, acting_user=request.user),
        done=_("The goal is removed from the draft."),
    )
    return redirect("plans:plan_detail", plan_id=goal.plan_id)


def _visible_goal(request: AuthenticatedHttpRequest, goal_id: str) -> Goal:
    goal = access_goal(request.user, goal_id)
    if not can_write_plan(request.user, _case_of(goal)):
        raise PermissionDenied
    return goal


@login_required
@require_POST
def milestone_add(request: AuthenticatedHttpRequest, goal_id: str) -> HttpResponse:
    goal = _visible_goal(request, goal_id)
    plan = access_plan(request.user, goal.plan_id)
    form = MilestoneForm(request.POST, members=_members(_case_of(plan)), auto_id=f"id_goal{goal.pk.hex[:12]}_%s")
    milestone = form_action(
        form,
        lambda data: actions.do_add_milestone(
            goal,
            description=data["description"],
            target_on=data["target_on"],
            assigned_organisation=form.organisation("assigned_organisation"),
            acting_user=request.user,
        ),
    )
    if milestone is not None:
        messages.success(request, _("The milestone is added."))
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, milestone_form=form, milestone_goal=goal.pk)


@login_required
@require_POST
def milestone_achieve(request: AuthenticatedHttpRequest, milestone_id: str) -> HttpResponse:
    milestone = access_milestone(request.user, milestone_id)
    if not can_write_plan(request.user, _case_of(milestone)):
        raise PermissionDenied
    plan = access_plan(request.user, milestone.goal.plan_id)
    form = AchieveForm(request.POST, auto_id=f"id_ms{milestone.pk.hex[:12]}_%s")
    achieved = form_action(
        form,
        lambda data: actions.do_achieve_milestone(
            milestone, achieved_on=data["achieved_on"], note=data["note"], acting_user=request.user
        ),
    )
    if achieved is not None:
        messages.success(request, _("Well done: the milestone is marked as achieved."))
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, achieve_form=form, achieve_target=milestone.pk)


@login_required
@require_POST
def agreement_record(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    plan = _writable_plan(request, plan_id)
    form = AgreementForm(request.POST)
    if form_action(form, lambda data: actions.do_record_agreement(plan, acting_user=request.user, **data)):
        messages.success(request, _("The person's position on the plan is recorded."))
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, agreement_form=form)


@login_required
@require_GET
def plan_print(request: AuthenticatedHttpRequest, plan_id: str) -> HttpResponse:
    """ "My plan": the plan in plain words for the person, with only what the practitioner may see.

    In the person's language: ``?language=`` (a code of ``settings.LANGUAGES``; another value is a 400),
    else the first of the person's languages Continuum speaks when the user may read the person's
    identity, else the user's own. Only the page's own texts change: the person's and the team's
    words stay as written."""
    plan = access_plan(request.user, plan_id, purpose="print for the person")
    contents = plan_contents(request.user, plan, purpose="print for the person")
    case = _case_of(plan)
    upcoming = sorted(
        (m for m in contents.milestones if not m.achieved),
        key=lambda m: m.target_on,
    )[:5]
    reads_identity = _reads_identity(request, case)
    asked = request.GET.get("language")
    if asked is not None and asked not in dict(settings.LANGUAGES):
        return HttpResponse(
            _("“My plan” cannot be printed in that language. Choose one of: %(languages)s.")
            % {"languages": ", ".join(dict(settings.LANGUAGES))},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    language = asked or (case.person.interface_language if reads_identity else None) or get_language()
    context = {
        "plan": plan,
        "case": case,
        "contents": contents,
        "upcoming": upcoming,
        "person_name": case.person.given_name if reads_identity else "",
        "today": timezone.localdate(),
    }
    with override(language):
        response = render(request, "plans/plan_print.html", context)
    response["Content-Language"] = language
    return response


def _reads_identity(request: AuthenticatedHttpRequest, case: Case) -> bool:
    return Person.objects.visible_to(request.user).filter(pk=case.person_id).exists()


# --- interventions ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def intervention_new(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    writable = engine.writable_categories(request.user, case)
    if not writable:
        raise PermissionDenied
    initial = {
        "provider_organisation": request.user.organisation.slug if request.user.organisation else "",
        "starts_on": timezone.localdate(),
        "voluntary": "true",
    }
    form = InterventionForm(request.POST or None, members=_members(case), initial=initial)
    form.limit_categories(writable)
    if request.method == "POST" and form.is_valid():
        practitioner = form.practitioner_user()
        if not form.errors:
            data = form.cleaned_data
            try:
                intervention = actions.do_add_intervention(
                    case,
                    type=data["type"],
                    category=data["category"],
                    provider_organisation=form.organisation("provider_organisation"),
                    practitioner=practitioner,
                    voluntary=data["voluntary"],
                    starts_on=data["starts_on"],
                    frequency=data["frequency"],
                    approach=data["approach"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("Your organisation may not record this kind of intervention on this case."))
            else:
                messages.success(request, _("The intervention is recorded."))
                return redirect("plans:intervention_detail", intervention_id=intervention.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/intervention_form.html", {"case": case, "form": form}, status=status)


def _intervention_page(
    request: AuthenticatedHttpRequest, intervention_id: Any, *, status: int = 200, **bound: Any
) -> HttpResponse:
    intervention = access_intervention(request.user, intervention_id)
    case = _case_of(intervention)
    writes = can_write_intervention(request.user, case, intervention.category)
    today = timezone.localdate()
    context = {
        "case": case,
        "intervention": intervention,
        "sessions": sessions_of(intervention),
        "writes": writes,
        "runs_group": intervention.group is not None and runs_programme(request.user, intervention.group),
        "session_form": bound.get("session_form")
        or SessionForm(initial={"held_on": today}, parenting=intervention.is_parenting_support),
        "end_form": bound.get("end_form") or EndInterventionForm(initial={"ends_on": today}),
        "open_form": next(iter(bound), ""),
    }
    return render(request, "plans/intervention_detail.html", context, status=status)


@login_required
@require_GET
def intervention_detail(request: AuthenticatedHttpRequest, intervention_id: str) -> HttpResponse:
    return _intervention_page(request, intervention_id)


def _intervention_post(
    request: AuthenticatedHttpRequest,
    intervention_id: str,
    form_class: Any,
    action: Any,
    form_name: str,
    done: str,
    form_kwargs: Any = lambda intervention: {},
) -> HttpResponse:
    """One shape for the forms of an intervention's page: check, validate, call the action, or show the
    page again with the form's errors (400) and nothing written. ``form_kwargs(intervention)``: what
    the form needs to know of the intervention."""
    intervention = access_intervention(request.user, intervention_id)
    if not can_write_intervention(request.user, _case_of(intervention), intervention.category):
        raise PermissionDenied
    form = form_class(request.POST, **form_kwargs(intervention))
    if form_action(form, lambda data: action(intervention, acting_user=request.user, **data)):
        messages.success(request, done)
        return redirect("plans:intervention_detail", intervention_id=intervention.pk)
    return _intervention_page(request, intervention.pk, status=400, **{form_name: form})


@login_required
@require_POST
def session_add(request: AuthenticatedHttpRequest, intervention_id: str) -> HttpResponse:
    return _intervention_post(
        request,
        intervention_id,
        SessionForm,
        actions.do_record_session,
        "session_form",
        _("The session is recorded."),
        form_kwargs=lambda intervention: {"parenting": intervention.is_parenting_support},
    )


@login_required
@require_POST
def intervention_end(request: AuthenticatedHttpRequest, intervention_id: str) -> HttpResponse:
    return _intervention_post(
        request,
        intervention_id,
        EndInterventionForm,
        actions.do_end_intervention,
        "end_form",
        _("The intervention is ended."),
    )
