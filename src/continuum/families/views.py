"""The family pages: the case page's family part and its forms, a child's page, family files and
family days.

Views parse input, call an access helper or an action, and render (STYLE.md 6). What the user may
not see is a 404 (R12): a child is reached only through a child relationship the user may see; what
they see but may not change is a 403; bad input is the page again with the form's errors (400) and
nothing written; a stale version is the page again (409) with the user's values kept in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation
from continuum.cases.choices import Phase
from continuum.cases.models import Case
from continuum.families import actions
from continuum.families.access import (
    ChildView,
    access_child,
    access_contact_order,
    access_family_day,
    access_family_file,
    access_participant,
    access_refusal,
    access_visit,
    child_file,
    family_days_for,
    file_client,
    file_parts,
    participants_of,
    relationships_of,
)
from continuum.families.case_part import re_offer_auto_id, relationship_kinds
from continuum.families.choices import RelationKind
from continuum.families.forms import (
    AttendanceForm,
    BestInterestForm,
    ChildForm,
    ClearingForm,
    ClientForm,
    ContactOrderForm,
    CounsellorForm,
    FamilyDayForm,
    FamilyFileForm,
    HelpPlanForm,
    ParticipantForm,
    PlacementForm,
    ProfileForm,
    RefusalForm,
    RelationshipForm,
    ReOfferForm,
    SessionForm,
    VisitForm,
    VisitRecordForm,
    yes_no,
    yes_no_value,
)
from continuum.families.models import FamilyClient, FamilyDayParticipant, FamilyFile, Visit
from continuum.families.navigation import COUNSELLING_TYPES
from continuum.families.policy import (
    can_add_participant,
    can_hold_file,
    can_plan_family_day,
    can_record_refusal,
    can_work_on_file,
    can_write_children,
    writes_counselling,
)
from continuum.lib.errors import StaleVersion
from continuum.lib.forms import add_action_errors, form_action, message_action
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.access import access_case, read_records
from continuum.sharing.disclosure import batched_reads

STALE = gettext_lazy(
    "Someone else changed this while you were working on it, so your change is not saved yet. "
    "What they saved is shown on the page; your values are still in the form: check them, then save again."
)


def _member_cases(user: Any) -> list[Case]:
    """The open cases the user's organisation is a current member of, by number."""
    return list(
        Case.objects.visible_to(user)
        .filter(members__organisation_id=user.organisation_id, members__until__isnull=True)
        .exclude(phase=Phase.CLOSED)
        .select_related("person")
        .distinct()
        .order_by("number")
    )


# --- the case page's part and its forms ------------------------------------------------------------------


def _case_url(case: Case) -> str:
    return f"{reverse('cases:case_detail', kwargs={'case_id': case.pk})}#family"


def _family_page_again(request: AuthenticatedHttpRequest, case: Case, **bound: Any) -> HttpResponse:
    """The family part as a page, with the form that failed (400), nothing written."""
    with engine.remembered(), batched_reads():
        context = {"case": case, "person": case.person, "family_forms": bound}
        return render(request, "families/case_family.html", context, status=400)


def _case_post(
    request: AuthenticatedHttpRequest,
    case_id: str,
    *,
    name: str,
    form: Any,
    allowed: Callable[[Case], bool],
    write: Callable[[Case, Any, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    case = access_case(request.user, case_id)
    if not allowed(case):
        raise PermissionDenied
    bound = form(case)
    if form_action(bound, lambda data: write(case, bound, data)) is not None:
        messages.success(request, done)
        return redirect(_case_url(case))
    return _family_page_again(request, case, **{name: bound})


@login_required
@require_POST
def relationship_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    user = request.user
    return _case_post(
        request,
        case_id,
        name="relationship_form",
        form=lambda case: RelationshipForm(
            request.POST, kinds=relationship_kinds(user, case), auto_id="id_relative_%s"
        ),
        allowed=lambda case: bool(relationship_kinds(user, case)),
        write=lambda case, form, data: actions.do_record_relationship(
            case,
            kind=data["kind"],
            influence=data["influence"],
            note=data["note"],
            new_relative={
                "given_name": data["given_name"],
                "family_name": data["family_name"],
                "birth_date": data["birth_date"],
            },
            acting_user=user,
        ),
        done=_("The relative is recorded."),
    )


@login_required
@require_POST
def child_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    user = request.user
    return _case_post(
        request,
        case_id,
        name="child_form",
        form=lambda case: ChildForm(request.POST, auto_id="id_child_%s"),
        allowed=lambda case: can_write_children(user, case),
        write=lambda case, form, data: actions.do_add_child(case, acting_user=user, **data),
        done=_("The child is recorded. Open the child's page to add where the child lives and the contact."),
    )


@login_required
@require_POST
def refusal_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    user = request.user
    return _case_post(
        request,
        case_id,
        name="refusal_form",
        form=lambda case: RefusalForm(request.POST, auto_id="id_refusal_%s"),
        allowed=lambda case: can_record_refusal(user, case),
        write=lambda case, form, data: actions.do_record_refusal(case, acting_user=user, **data),
        done=_("The refusal is recorded."),
    )


@login_required
@require_POST
def re_offer_add(request: AuthenticatedHttpRequest, refusal_id: str) -> HttpResponse:
    user = request.user
    refusal = access_refusal(user, refusal_id)
    case = access_case(user, refusal.case_id)
    if not can_record_refusal(user, case):
        raise PermissionDenied
    form = ReOfferForm(request.POST, auto_id=re_offer_auto_id(refusal))
    if form_action(form, lambda data: actions.do_record_re_offer(refusal, acting_user=user, **data)) is not None:
        messages.success(request, _("The answer is recorded."))
        return redirect(_case_url(case))
    return _family_page_again(request, case, re_offer_form=form, re_offer_target=refusal.pk)


# --- a child's page ----------------------------------------------------------------------------------------


def _order_auto_id(order: Any) -> str:
    return f"id_order{order.pk.hex[:12]}_%s"


def _visit_auto_id(visit: Any) -> str:
    return f"id_visit{visit.pk.hex[:12]}_%s"


def _record_initial(visit: Visit) -> dict[str, Any]:
    return {
        "took_place": yes_no_value(visit.took_place),
        "accompanied_by": visit.accompanied_by,
        "outcome_for_child": visit.outcome_for_child,
        "version": visit.version,
    }


def _writable_cases(user: Any, view: ChildView) -> list[Case]:
    return [case for case in view.cases if can_write_children(user, case)]


def _child_page(
    request: AuthenticatedHttpRequest, view: ChildView, *, status: int = 200, stale: str = "", **bound: Any
) -> HttpResponse:
    """The child as the user may see it; ``bound`` forms replace the blank ones: ``placement_form``,
    ``profile_form``, ``best_interest_form``, ``order_form``, ``visit_form`` (with ``order_target``),
    ``record_form`` (with ``visit_target``)."""
    user = request.user
    child = view.child
    today = timezone.localdate()
    parts = child_file(user, child)
    orders = parts["contact_orders"]
    by_order: dict[Any, list[Visit]] = {order.pk: [] for order in orders}
    if orders:
        # All the visits of all the orders in one query (not one per order), logged as read.
        orders_by_pk = {order.pk: order for order in orders}
        visits = list(
            Visit.objects.visible_to(user).filter(contact_order__in=list(orders_by_pk)).order_by("-scheduled_for", "pk")
        )
        read_records(user, visits, purpose="child's page")
        for visit in visits:
            visit.contact_order = orders_by_pk[visit.contact_order_id]
            by_order[visit.contact_order_id].append(visit)
    writable = _writable_cases(user, view)
    writable_ids = {case.pk for case in writable}
    now = timezone.now()
    for order in orders:
        order.visits_shown = by_order[order.pk]
        order.compliance = actions.compliance(order, order.visits_shown, today)
        order.in_force = order.in_force_on(today)
        order.writes = order.parent_case_id in writable_ids
        if not order.writes:
            continue
        if order.valid_until is None or order.valid_until >= today:
            order.visit_form = (
                bound["visit_form"]
                if bound.get("order_target") == order.pk
                else VisitForm(
                    initial={"form": order.form, "setting": "child_friendly_room"}, auto_id=_order_auto_id(order)
                )
            )
        for visit in order.visits_shown:
            visit.due = visit.scheduled_for <= now
            visit.record_form = (
                bound["record_form"]
                if bound.get("visit_target") == visit.pk
                else VisitRecordForm(initial=_record_initial(visit), auto_id=_visit_auto_id(visit))
            )
    profile = parts["profile"]
    context: dict[str, Any] = {
        "child": child,
        "links": view.links,
        "today": today,
        "now_moment": now,
        "stale": stale,
        "writes": bool(writable),
        "placements": parts["placements"],
        "current_placement": next((p for p in parts["placements"] if p.ends_on is None), None),
        "profile": profile,
        "best_interest": parts["best_interest"],
        "contact_orders": orders,
        "open_form": next((k for k in bound if k.endswith("_form")), ""),
    }
    if writable:
        context["placement_form"] = bound.get("placement_form") or PlacementForm(
            initial={"starts_on": today}, auto_id="id_placement_%s"
        )
        context["profile_form"] = bound.get("profile_form") or ProfileForm(
            initial={
                **{f: getattr(profile, f) for f in ProfileForm.FIELDS},
                "version": profile.version,
            }
            if profile
            else {"version": 0},
            auto_id="id_profile_%s",
        )
        context["best_interest_form"] = bound.get("best_interest_form") or BestInterestForm(
            initial={"assessed_on": today}, auto_id="id_best_%s"
        )
        context["order_form"] = bound.get("order_form") or ContactOrderForm(
            cases=writable, initial={"valid_from": today}, auto_id="id_order_%s"
        )
    return render(request, "families/child.html", context, status=status)


@login_required
@require_GET
def child(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    with engine.remembered(), batched_reads():
        return _child_page(request, access_child(request.user, child_id))


def _child_again(request: AuthenticatedHttpRequest, child_id: Any, **kwargs: Any) -> HttpResponse:
    with engine.remembered(), batched_reads():
        kwargs.setdefault("status", 400)
        return _child_page(request, access_child(request.user, child_id), **kwargs)


def _child_url(child_id: Any, anchor: str = "") -> str:
    url = reverse("families:child", kwargs={"child_id": child_id})
    return f"{url}#{anchor}" if anchor else url


def _writing_child(request: AuthenticatedHttpRequest, child_id: Any) -> ChildView:
    view = access_child(request.user, child_id)
    if not _writable_cases(request.user, view):
        raise PermissionDenied
    return view


def _child_post(
    request: AuthenticatedHttpRequest, child_id: str, form: Any, name: str, write: Any, done: str, anchor: str
) -> HttpResponse:
    view = _writing_child(request, child_id)
    if form_action(form, lambda data: write(view.child, data)) is not None:
        messages.success(request, done)
        return redirect(_child_url(view.child.pk, anchor))
    return _child_again(request, view.child.pk, **{name: form})


@login_required
@require_POST
def placement_add(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    return _child_post(
        request,
        child_id,
        PlacementForm(request.POST, auto_id="id_placement_%s"),
        "placement_form",
        lambda child, data: actions.do_record_placement(child, acting_user=request.user, **data),
        _("The placement is recorded."),
        "placements",
    )


@login_required
@require_POST
def best_interest_add(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    return _child_post(
        request,
        child_id,
        BestInterestForm(request.POST, auto_id="id_best_%s"),
        "best_interest_form",
        lambda child, data: actions.do_record_best_interest(child, acting_user=request.user, **data),
        _("The best-interest assessment is recorded."),
        "best-interest",
    )


@login_required
@require_POST
def contact_order_add(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    view = _writing_child(request, child_id)
    form = ContactOrderForm(request.POST, cases=_writable_cases(request.user, view), auto_id="id_order_%s")
    order = form_action(
        form,
        lambda data: actions.do_record_contact_order(
            view.child,
            parent_case=form.case(),
            acting_user=request.user,
            **{k: v for k, v in data.items() if k != "parent_case"},
        ),
        aliases={"case": "parent_case"},
    )
    if order is not None:
        messages.success(request, _("The contact order is recorded. Schedule its visits below."))
        return redirect(_child_url(view.child.pk, f"order-{order.pk}"))
    return _child_again(request, view.child.pk, order_form=form)


@login_required
@require_POST
def profile_update(request: AuthenticatedHttpRequest, child_id: str) -> HttpResponse:
    view = _writing_child(request, child_id)
    form = ProfileForm(request.POST, auto_id="id_profile_%s")
    if not form.is_valid():
        return _child_again(request, view.child.pk, profile_form=form)
    data = form.cleaned_data
    try:
        actions.do_update_child_profile(
            view.child,
            version=data["version"],
            changes={f: data[f] for f in ProfileForm.FIELDS},
            acting_user=request.user,
        )
    except StaleVersion as exc:
        fresh = request.POST.copy()
        fresh["version"] = str(exc.current_version)
        again = ProfileForm(fresh, auto_id="id_profile_%s")
        return _child_again(request, view.child.pk, status=409, stale=str(STALE), profile_form=again)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _child_again(request, view.child.pk, profile_form=form)
    messages.success(request, _("The child's details are saved."))
    return redirect(_child_url(view.child.pk, "details"))


@login_required
@require_POST
def visit_add(request: AuthenticatedHttpRequest, order_id: str) -> HttpResponse:
    user = request.user
    order = access_contact_order(user, order_id)
    view = access_child(user, order.person_id)
    if not can_write_children(user, order.parent_case):
        raise PermissionDenied
    form = VisitForm(request.POST, auto_id=_order_auto_id(order))
    visit = form_action(form, lambda data: actions.do_schedule_visit(order, acting_user=user, **data))
    if visit is not None:
        messages.success(request, _("The visit is scheduled. The prison sees its day, form and place."))
        return redirect(_child_url(view.child.pk, f"order-{order.pk}"))
    return _child_again(request, view.child.pk, visit_form=form, order_target=order.pk)


@login_required
@require_POST
def visit_update(request: AuthenticatedHttpRequest, visit_id: str) -> HttpResponse:
    user = request.user
    visit = access_visit(user, visit_id)
    view = access_child(user, visit.person_id)
    if not can_write_children(user, visit.contact_order.parent_case):
        raise PermissionDenied
    auto_id = _visit_auto_id(visit)
    form = VisitRecordForm(request.POST, auto_id=auto_id)
    again = {"visit_target": visit.pk}
    if not form.is_valid():
        return _child_again(request, view.child.pk, record_form=form, **again)
    data = form.cleaned_data
    changes = {
        "took_place": yes_no(data["took_place"]),
        "accompanied_by": data["accompanied_by"],
        "outcome_for_child": data["outcome_for_child"],
    }
    try:
        actions.do_update_visit(visit, version=data["version"], changes=changes, acting_user=user)
    except StaleVersion as exc:
        fresh = request.POST.copy()
        fresh["version"] = str(exc.current_version)
        return _child_again(
            request,
            view.child.pk,
            status=409,
            stale=str(STALE),
            record_form=VisitRecordForm(fresh, auto_id=auto_id),
            **again,
        )
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _child_again(request, view.child.pk, record_form=form, **again)
    messages.success(request, _("What happened at the visit is recorded."))
    return redirect(_child_url(view.child.pk, f"visit-{visit.pk}"))


# --- family files ------------------------------------------------------------------------------------------


def _require_counselling(user: Any) -> None:
    if not writes_counselling(user):
        raise PermissionDenied


def _file_list_page(request: AuthenticatedHttpRequest, *, status: int = 200, form: Any = None) -> HttpResponse:
    user = request.user
    files = list(
        FamilyFile.objects.visible_to(user)
        .select_related("counselling_organisation", "case")
        .prefetch_related(
            Prefetch("clients", queryset=FamilyClient.objects.select_related("person"), to_attr="client_list")
        )
        .order_by("closed_on", "-opened_on", "-created_at", "pk")
    )
    read_records(user, files, purpose="family files")
    context = {
        "files": files,
        "form": form or FamilyFileForm(cases=_member_cases(user), auto_id="id_file_%s"),
    }
    return render(request, "families/file_list.html", context, status=status)


@login_required
@require_GET
def file_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_counselling(request.user)
    with engine.remembered(), batched_reads():
        return _file_list_page(request)


@login_required
@require_POST
def file_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    _require_counselling(user)
    organisation = user.organisation
    if organisation is None:
        raise PermissionDenied
    form = FamilyFileForm(request.POST, cases=_member_cases(user), auto_id="id_file_%s")
    family_file = form_action(
        form,
        lambda data: actions.do_open_family_file(
            title=data["title"],
            counselling_organisation=organisation,
            new_clients=[form.new_client()],
            case=form.chosen_case(),
            acting_user=user,
        ),
        aliases={"clients": "given_name"},
    )
    if family_file is not None:
        messages.success(request, _("The family file is opened. Record the clearing next."))
        return redirect("families:file_detail", file_id=family_file.pk)
    with engine.remembered(), batched_reads():
        return _file_list_page(request, status=400, form=form)


def _known_persons(user: Any, family_file: FamilyFile, clients: list[FamilyClient]) -> list[Person]:
    """The people of the file's case (the person and the relatives the user sees) not yet clients."""
    if family_file.case is None or not Case.objects.visible_to(user).filter(pk=family_file.case.pk).exists():
        return []
    taken = {c.person_id for c in clients}
    persons = [family_file.case.person] + [
        r.relative for r in relationships_of(user, family_file.case) if r.kind != RelationKind.CHILD
    ]
    return [p for p in persons if p.pk not in taken]


def _file_page(
    request: AuthenticatedHttpRequest, family_file: FamilyFile, *, status: int = 200, stale: str = "", **bound: Any
) -> HttpResponse:
    user = request.user
    parts = file_parts(user, family_file)
    clients = parts["clients"]
    sessions_by_client: dict[Any, list[Any]] = {c.person_id: [] for c in clients}
    for session in parts["sessions"]:
        session.own = session.author_org_id == user.organisation_id
        sessions_by_client.setdefault(session.person_id, []).append(session)
    for client in clients:
        client.sessions = sessions_by_client.get(client.person_id, [])
    works = can_work_on_file(user, family_file)
    holds = can_hold_file(user, family_file)
    today = timezone.localdate()
    help_plan = parts["help_plan"]
    context: dict[str, Any] = {
        "file": family_file,
        "clients": clients,
        "counsellors": parts["counsellors"],
        "clearings": parts["clearings"],
        "help_plan": help_plan,
        "works": works,
        "holds": holds,
        "stale": stale,
        "today": today,
        "open_form": next((k for k in bound if k.endswith("_form")), ""),
    }
    if works:
        context["client_form"] = bound.get("client_form") or ClientForm(
            persons=_known_persons(user, family_file, clients), auto_id="id_client_%s"
        )
        context["clearing_form"] = bound.get("clearing_form") or ClearingForm(
            initial={"cleared_on": today}, auto_id="id_clearing_%s"
        )
        context["help_plan_form"] = bound.get("help_plan_form") or HelpPlanForm(
            initial={"aims": help_plan.aims, "next_review_on": help_plan.next_review_on, "version": help_plan.version}
            if help_plan
            else {},
            auto_id="id_help_%s",
        )
        context["session_form"] = bound.get("session_form") or SessionForm(
            clients=clients, initial={"held_on": today}, auto_id="id_session_%s"
        )
    if holds:
        current = {c.organisation_id for c in parts["counsellors"]}
        others = Organisation.objects.filter(is_active=True, type__in=COUNSELLING_TYPES).exclude(pk__in=current)
        context["counsellor_form"] = bound.get("counsellor_form") or CounsellorForm(
            organisations=others.order_by("name"), auto_id="id_counsellor_%s"
        )
    return render(request, "families/file_detail.html", context, status=status)


@login_required
@require_GET
def file_detail(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponse:
    with engine.remembered(), batched_reads():
        family_file = access_family_file(request.user, file_id)
        return _file_page(request, family_file)


def _file_again(request: AuthenticatedHttpRequest, family_file: FamilyFile, **kwargs: Any) -> HttpResponse:
    with engine.remembered(), batched_reads():
        kwargs.setdefault("status", 400)
        return _file_page(request, family_file, **kwargs)


def _file_post(
    request: AuthenticatedHttpRequest,
    file_id: str,
    *,
    name: str,
    form: Callable[[FamilyFile], Any],
    write: Callable[[FamilyFile, Any, dict[str, Any]], Any],
    done: str,
    anchor: str,
    rule: Callable[[Any, FamilyFile], bool] = can_work_on_file,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    family_file = access_family_file(request.user, file_id)
    if not rule(request.user, family_file):
        raise PermissionDenied
    bound = form(family_file)
    if form_action(bound, lambda data: write(family_file, bound, data), aliases) is not None:
        messages.success(request, done)
        return redirect(f"{reverse('families:file_detail', kwargs={'file_id': family_file.pk})}#{anchor}")
    return _file_again(request, family_file, **{name: bound})


@login_required
@require_POST
def client_add(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponse:
    user = request.user

    def write(family_file: FamilyFile, form: ClientForm, data: dict[str, Any]) -> Any:
        person = form.chosen_person()
        return actions.do_add_client(
            family_file,
            person=person,
            new_client=None if person else form.new_client(),
            relation=data["relation"],
            acting_user=user,
        )

    def make(family_file: FamilyFile) -> ClientForm:
        clients = list(FamilyClient.objects.filter(family_file=family_file))
        return ClientForm(request.POST, persons=_known_persons(user, family_file, clients), auto_id="id_client_%s")

    return _file_post(
        request,
        file_id,
        name="client_form",
        form=make,
        write=write,
        done=_("The client is added."),
        anchor="clients",
        aliases={"clients": "person"},
    )


@login_required
@require_POST
def counsellor_add(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponse:
    user = request.user

    def make(family_file: FamilyFile) -> CounsellorForm:
        others = Organisation.objects.filter(is_active=True, type__in=COUNSELLING_TYPES)
        return CounsellorForm(request.POST, organisations=others, auto_id="id_counsellor_%s")

    return _file_post(
        request,
        file_id,
        name="counsellor_form",
        form=make,
        write=lambda family_file, form, data: actions.do_add_counsellor(
            family_file, organisation=form.chosen(), acting_user=user
        ),
        done=_("The organisation now counsels the family with you."),
        anchor="counsellors",
        rule=can_hold_file,
    )


@login_required
@require_POST
def counsellor_end(request: AuthenticatedHttpRequest, file_id: str, slug: str) -> HttpResponse:
    user = request.user
    family_file = access_family_file(user, file_id)
    if not can_hold_file(user, family_file):
        raise PermissionDenied
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is not None:
        message_action(
            request,
            lambda: actions.do_end_counsellor(family_file, organisation=organisation, acting_user=user),
            done=_("%(organisation)s no longer counsels the family.") % {"organisation": organisation.name},
            failed=_("Not changed: "),
        )
    else:
        messages.error(request, _("Not changed: this organisation does not counsel the family."))
    return redirect(f"{reverse('families:file_detail', kwargs={'file_id': family_file.pk})}#counsellors")


@login_required
@require_POST
def clearing_add(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponse:
    return _file_post(
        request,
        file_id,
        name="clearing_form",
        form=lambda family_file: ClearingForm(request.POST, auto_id="id_clearing_%s"),
        write=lambda family_file, form, data: actions.do_record_clearing(family_file, acting_user=request.user, **data),
        done=_("The clearing is recorded."),
        anchor="clearing",
    )


@login_required
@require_POST
def help_plan_save(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponse:
    user = request.user
    family_file = access_family_file(user, file_id)
    if not can_work_on_file(user, family_file):
        raise PermissionDenied
    form = HelpPlanForm(request.POST, auto_id="id_help_%s")
    try:
        saved = form_action(form, lambda data: actions.do_record_help_plan(family_file, acting_user=user, **data))
    except StaleVersion as exc:
        fresh = request.POST.copy()
        fresh["version"] = str(exc.current_version)
        again = HelpPlanForm(fresh, auto_id="id_help_%s")
        return _file_again(request, family_file, status=409, stale=str(STALE), help_plan_form=again)
    if saved is not None:
        messages.success(request, _("The help plan is saved."))
        return redirect(f"{reverse('families:file_detail', kwargs={'file_id': family_file.pk})}#help-plan")
    return _file_again(request, family_file, help_plan_form=form)


@login_required
@require_POST
def session_add(request: AuthenticatedHttpRequest, file_id: str) -> HttpResponse:
    user = request.user

    def write(family_file: FamilyFile, form: SessionForm, data: dict[str, Any]) -> Any:
        client = file_client(family_file, data["client"])
        if client is None:
            raise ValidationError({"client": _("Choose a client of this family file.")})
        return actions.do_record_session(
            family_file,
            client=client,
            held_on=data["held_on"],
            note=data["note"],
            never_share=data["never_share"],
            acting_user=user,
        )

    def make(family_file: FamilyFile) -> SessionForm:
        clients = list(FamilyClient.objects.filter(family_file=family_file).select_related("person"))
        return SessionForm(request.POST, clients=clients, auto_id="id_session_%s")

    return _file_post(
        request,
        file_id,
        name="session_form",
        form=make,
        write=write,
        done=_("The session is recorded."),
        anchor="clients",
    )


# --- family days -------------------------------------------------------------------------------------------


def _require_family_days(user: Any) -> None:
    if not can_plan_family_day(user):
        raise PermissionDenied


def _day_list_page(request: AuthenticatedHttpRequest, *, status: int = 200, form: Any = None) -> HttpResponse:
    today = timezone.localdate()
    days = list(family_days_for(request.user))
    context = {
        "coming": sorted((d for d in days if d.held_on >= today), key=lambda d: d.held_on),
        "past": [d for d in days if d.held_on < today],
        "today": today,
        "form": form or FamilyDayForm(auto_id="id_day_%s"),
    }
    return render(request, "families/day_list.html", context, status=status)


@login_required
@require_GET
def day_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_family_days(request.user)
    return _day_list_page(request)


@login_required
@require_POST
def day_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_family_days(request.user)
    form = FamilyDayForm(request.POST, auto_id="id_day_%s")
    day = form_action(form, lambda data: actions.do_plan_family_day(acting_user=request.user, **data))
    if day is not None:
        messages.success(request, _("The family day is planned. Add the persons who take part."))
        return redirect("families:day_detail", day_id=day.pk)
    return _day_list_page(request, status=400, form=form)


def _participant_cases(user: Any, day: Any, participants: list[FamilyDayParticipant]) -> list[Case]:
    taken = {p.case_id for p in participants}
    cases = [c for c in _member_cases(user) if c.pk not in taken]
    readable = set(
        Person.objects.visible_to(user).filter(pk__in=[c.person_id for c in cases]).values_list("pk", flat=True)
    )
    for case in cases:
        name = case.person.full_name if case.person_id in readable else ""
        case.label = f"{case.number} · {name}" if name else case.number  # type: ignore[attr-defined]
    return cases


def _day_page(request: AuthenticatedHttpRequest, day: Any, *, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    participants = participants_of(user, day)
    readable = set(
        Person.objects.visible_to(user).filter(pk__in=[p.person_id for p in participants]).values_list("pk", flat=True)
    )
    held = day.held_on <= today
    target = bound.get("participant_target")
    for participant in participants:
        participant.name_shown = participant.person_id in readable  # type: ignore[attr-defined]
        if held and participant.case is not None and can_add_participant(user, day, participant.case):
            participant.attendance_form = (  # type: ignore[attr-defined]
                bound["attendance_form"]
                if participant.pk == target
                else AttendanceForm(
                    initial={"attended": yes_no_value(participant.attended) or None},
                    auto_id=f"id_attended{participant.pk.hex[:12]}_%s",
                )
            )
    context: dict[str, Any] = {
        "day": day,
        "participants": participants,
        "held": held,
        "today": today,
        "open_form": next((k for k in bound if k.endswith("_form")), ""),
    }
    if day.organiser_id == user.organisation_id:
        cases = _participant_cases(user, day, participants)
        context["organises"] = True
        if cases or "participant_form" in bound:
            context["participant_form"] = bound.get("participant_form") or ParticipantForm(
                cases=cases, auto_id="id_participant_%s"
            )
    return render(request, "families/day_detail.html", context, status=status)


@login_required
@require_GET
def day_detail(request: AuthenticatedHttpRequest, day_id: str) -> HttpResponse:
    _require_family_days(request.user)
    with engine.remembered(), batched_reads():
        return _day_page(request, access_family_day(request.user, day_id))


@login_required
@require_POST
def participant_add(request: AuthenticatedHttpRequest, day_id: str) -> HttpResponse:
    user = request.user
    _require_family_days(user)
    day = access_family_day(user, day_id)
    form = ParticipantForm(
        request.POST, cases=_participant_cases(user, day, participants_of(user, day)), auto_id="id_participant_%s"
    )
    done = form_action(
        form,
        lambda data: actions.do_add_participant(
            day, case=form.chosen_case(), visitors=data["visitors"], acting_user=user
        ),
    )
    if done is not None:
        messages.success(request, _("The person takes part in the family day."))
        return redirect(f"{reverse('families:day_detail', kwargs={'day_id': day.pk})}#participants")
    with engine.remembered(), batched_reads():
        return _day_page(request, day, status=400, participant_form=form)


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, participant_id: str) -> HttpResponse:
    user = request.user
    participant = access_participant(user, participant_id)
    day = participant.family_day
    if participant.case is None or not can_add_participant(user, day, participant.case):
        raise PermissionDenied
    form = AttendanceForm(request.POST, auto_id=f"id_attended{participant.pk.hex[:12]}_%s")
    recorded = form_action(
        form,
        lambda data: (
            actions.do_record_participation(participant, attended=data["attended"] == "yes", acting_user=user) or True
        ),
    )
    if recorded:
        messages.success(request, _("Who took part is recorded."))
        return redirect(f"{reverse('families:day_detail', kwargs={'day_id': day.pk})}#participants")
    with engine.remembered(), batched_reads():
        return _day_page(request, day, status=400, attendance_form=form, participant_target=participant.pk)
