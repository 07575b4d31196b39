"""The case pages: my cases, opening a case, the case page with its team, and changing the case.

Journal entries are in ``entry_views``, consents, overrides, "view as" and disclosures in
``sharing_views``, the case's course (custody, transfers, hand-overs) in ``continuity_views``.

Views parse input, call an access helper or an action, and render (STYLE.md 6). Every read of case
records goes through ``visible_to``/``access_*`` and every displayed page of records is logged
(R11) with ``read_records``; what the user may not see is a 404 (R12).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import Organisation, User
from continuum.cases import actions
from continuum.cases.access import cases_reading_category
from continuum.cases.case_continuity import CUSTODY_FORMS, custody_context, handover_context
from continuum.cases.forms import CaseUpdateForm, ConsentForm, MemberForm, OpenCaseForm, OverrideForm
from continuum.cases.gaps import gaps_for
from continuum.cases.models import Case, CaseMember, Entry
from continuum.cases.policy import (
    can_grant_override,
    can_manage_case,
    can_open_cases,
    can_read_disclosures,
    can_use_cases,
    can_view_as,
)
from continuum.lib.errors import StaleVersion
from continuum.lib.forms import add_action_errors, form_action, message_action
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.people.search import find_persons
from continuum.sharing import engine
from continuum.sharing.access import access_case, read_records
from continuum.sharing.choices import Category
from continuum.sharing.disclosure import batched_reads
from continuum.sharing.models import Consent, Override
from continuum.sharing.preview import short_type
from continuum.sharing.records import withheld_parts

CASES_PER_PAGE = 25


ENTRIES_PER_PAGE = 20


# Journal entries are shown grouped by category, in the order of DESIGN.md section 5.
CATEGORY_ORDER = SqlCase(
    *[When(category=c, then=Value(i)) for i, c in enumerate(Category.values)],
    default=Value(len(Category.values)),
    output_field=IntegerField(),
)


def _require_case_user(user: User) -> None:
    if not can_use_cases(user):
        raise PermissionDenied


def _withheld_labels(entry: Entry, organisations: dict[str, str]) -> list[str]:
    return [
        short_type(name) if kind == "type" else organisations.get(name, name)
        for kind, name in withheld_parts(entry.withhold_from)
    ]


# --- My cases -----------------------------------------------------------------------------------


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases the user's organisation is a current member of."""
    user = request.user
    _require_case_user(user)
    mine = CaseMember.objects.filter(organisation=user.organisation, until__isnull=True).select_related("responsible")
    cases = (
        Case.objects.visible_to(user)
        .select_related("person", "lead_organisation")
        .prefetch_related(Prefetch("members", queryset=mine, to_attr="my_memberships"))
        .order_by("-opened_at")
    )
    query = request.GET.get("q", "").strip()
    if query:
        # Names and dates of birth only of the persons whose identity the organisation may read (R12).
        named = [person.pk for person in find_persons(user, query)]
        cases = cases.filter(Q(person__reference__iexact=query) | Q(number__icontains=query) | Q(person_id__in=named))
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    readable = set(
        Person.objects.visible_to(user).filter(pk__in=[c.person_id for c in rows]).values_list("pk", flat=True)
    )
    for case in rows:
        case.identity_readable = case.person_id in readable
        memberships = case.my_memberships
        case.my_responsible = memberships[0].responsible if memberships else None
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "can_open": can_open_cases(user),
        "pagination_query": f"q={query}" if query else "",
    }
    return render(request, "cases/case_list.html", context)


@login_required
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Register a person and open a case for them."""
    user = request.user
    if not can_open_cases(user):
        raise PermissionDenied
    form = OpenCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a case that cannot be opened leaves no person behind.
            with transaction.atomic():
                person = do_create_person(
                    given_name=data["given_name"].strip(),
                    family_name=data["family_name"].strip(),
                    birth_date=data["birth_date"],
                    gender=data["gender"],
                    nationality=data["nationality"].strip(),
                    legal_status=data["legal_status"],
                    subject_category=data["subject_category"],
                    acting_user=user,
                )
                case = actions.do_open_case(
                    person=person,
                    lead_organisation=data["lead_organisation"],
                    phase=data["phase"],
                    acting_user=user,
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered as %(reference)s and case %(number)s is open.")
                % {"name": person.full_name, "reference": person.reference, "number": case.number},
            )
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_new.html", {"form": form})


# --- The case page ------------------------------------------------------------------------------


def _case_page(request: AuthenticatedHttpRequest, case: Case, *, status: int = 200, **bound_forms: Any) -> HttpResponse:
    """Render the case page; ``bound_forms`` replace the blank forms (to show errors), by name.

    Its panels (journal, custody, assessments, plan, meetings...) ask the engine the same questions
    and each logs what it shows: asked once and logged together, in a bounded number of queries.
    """
    with engine.remembered(), batched_reads():
        return _render_case_page(request, case, status=status, **bound_forms)


def _render_case_page(
    request: AuthenticatedHttpRequest, case: Case, *, status: int, **bound_forms: Any
) -> HttpResponse:
    user = request.user
    members = list(CaseMember.objects.filter(case=case).select_related("organisation", "responsible").order_by("since"))
    current = sorted((m for m in members if m.is_current), key=lambda m: m.organisation.name.lower())
    engine.remember_team(case.pk, current)
    former = [m for m in members if not m.is_current]
    member_orgs = [m.organisation for m in current]
    manager = can_manage_case(user, case)
    grants_overrides = can_grant_override(user, case)

    visible = Entry.objects.visible_to(user).filter(case=case)
    counts = dict(visible.order_by().values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    categories = [(c, Category(c).label, counts[c]) for c in Category.values if counts.get(c)]
    category = request.GET.get("category", "")
    if category not in counts:
        category = ""
    entries_qs = visible.prefetch_related("attachments").order_by(CATEGORY_ORDER, "-created_at")
    if category:
        entries_qs = entries_qs.filter(category=category)
    paginator = Paginator(entries_qs, ENTRIES_PER_PAGE)
    paginator.count = counts[category] if category else sum(counts.values())  # known: no COUNT query
    page = paginator.get_page(request.GET.get("page"))
    entries = list(page.object_list)
    read_records(user, entries, purpose="case page")
    names = {o.slug: o.name for o in member_orgs}
    groups: list[dict[str, Any]] = []
    for entry in entries:
        entry.withheld_labels = _withheld_labels(entry, names)
        if not groups or groups[-1]["category"] != entry.category:
            groups.append({"category": entry.category, "label": entry.get_category_display(), "entries": []})
        groups[-1]["entries"].append(entry)

    forms: dict[str, Any] = {}
    if manager:
        forms["update_form"] = bound_forms.get("update_form") or CaseUpdateForm(
            initial={
                "phase": case.phase,
                "trial_concluded_on": case.trial_concluded_on,
                "version": case.version,
            }
        )
        forms["member_form"] = bound_forms.get("member_form") or MemberForm()
    writable = engine.writable_categories(user, case)

    context = {
        "case": case,
        "person": case.person,
        "identity_readable": Person.objects.visible_to(user).filter(pk=case.person_id).exists(),
        "current_members": current,
        "former_members": former,
        "manager": manager,
        "grants_overrides": grants_overrides,
        "reads_disclosures": can_read_disclosures(user, case),
        "views_as": can_view_as(user, case),
        "writable": writable,
        "categories": categories,
        "category": category,
        "total_visible": sum(counts.values()),
        "page": page,
        "groups": groups,
        "pagination_query": f"category={category}" if category else "",
        "open_form": next(iter(bound_forms), ""),
        **forms,
        "reads_legal": case.pk in cases_reading_category(user, [case], Category.LEGAL),
        **handover_context(user, case, current_members=current, writable=writable, bound_forms=bound_forms),
    }
    if CUSTODY_FORMS & bound_forms.keys():
        # Custody, transfers, sentence, release conditions, phase history (issue 4): a form of theirs
        # comes back with its errors, so they are drawn here rather than loaded as a part.
        context["custody_inline"] = True
        context.update(custody_context(user, case, bound_forms=bound_forms))
    if CONSENT_FORMS & bound_forms.keys():
        context["consent_inline"] = True
        context.update(consent_context(user, case, bound_forms=bound_forms))
    return render(request, "cases/case_detail.html", context, status=status)


# The forms of the consent and overrides sections (a part of the page, or drawn in it with errors).
CONSENT_FORMS = frozenset({"consent_form", "override_form"})


def consent_context(user: User, case: Case, *, bound_forms: dict[str, Any]) -> dict[str, Any]:
    """The person's consents, the legal overrides in force on the case, and their forms, for ``user``."""
    context: dict[str, Any] = {
        "consents": list(
            Consent.objects.visible_to(user)
            .filter(person_id=case.person_id)
            .select_related("recipient", "recorded_org")
        ),
        "overrides": list(
            Override.objects.in_force().filter(case=case).select_related("recipient", "granted_by", "granted_org")
        ),
        "consent_form": bound_forms.get("consent_form") or ConsentForm(),
    }
    if can_grant_override(user, case):
        current = CaseMember.objects.filter(case=case, until__isnull=True).select_related("organisation")
        members = sorted((m.organisation for m in current), key=lambda o: o.name.lower())
        context["override_form"] = bound_forms.get("override_form") or OverrideForm(members=members)
    return context


@login_required
@require_GET
def case_detail(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    with engine.remembered(), batched_reads():
        case = access_case(request.user, case_id)
        return _case_page(request, case)


# Parts of the case page drawn by the domain apps, loaded after the page (htmx) so that the page itself
# asks a bounded few queries: name -> (template, title). Without JavaScript each opens as a page.
# A part's context beyond the case and the person comes from its function, if it has one.
class CasePart(NamedTuple):
    template: str
    title: str | Promise
    context: Callable[[User, Case], dict[str, Any]] | None = None


CASE_PARTS = {
    "custody": CasePart(
        "cases/_continuity.html",
        gettext_lazy("Custody and sentence"),
        lambda user, case: custody_context(user, case, bound_forms={}),
    ),
    "gaps": CasePart(
        "cases/parts/gaps.html", gettext_lazy("Gaps to fill"), lambda user, case: {"gaps": gaps_for(user, [case])}
    ),
    "consent": CasePart(
        "cases/_consent.html",
        gettext_lazy("Consent and legal overrides"),
        lambda user, case: consent_context(user, case, bound_forms={}),
    ),
    "assessments": CasePart("cases/parts/assessments.html", gettext_lazy("Assessments")),
    "plan": CasePart("cases/parts/plan.html", gettext_lazy("Plan")),
    "conferences": CasePart("cases/parts/conferences.html", gettext_lazy("Conferences")),
    "release": CasePart("cases/parts/release.html", gettext_lazy("Release plan")),
    "family": CasePart("cases/parts/family.html", gettext_lazy("Family and children")),
    "mentoring": CasePart("cases/parts/mentoring.html", gettext_lazy("Mentoring")),
    "training": CasePart("cases/parts/training.html", gettext_lazy("Training of the case team")),
}


@login_required
@require_GET
def case_part(request: AuthenticatedHttpRequest, case_id: str, part: str) -> HttpResponse:
    if part not in CASE_PARTS:
        raise Http404
    template, title, part_context = CASE_PARTS[part]
    with engine.remembered(), batched_reads():
        case = access_case(request.user, case_id)
        context = {"case": case, "person": case.person, "part_template": template, "title": title}
        if part_context is not None:
            context.update(part_context(request.user, case))
        if getattr(request, "htmx", False):
            return render(request, template, context)
        return render(request, "cases/case_part.html", context)


def _back_to_case(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    """After a change: back to the case, or to my cases when the organisation has left it."""
    if Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
        return redirect("cases:case_detail", case_id=case.pk)
    return redirect("cases:case_list")


def _managed_case(request: AuthenticatedHttpRequest, case_id: str) -> Case:
    case = access_case(request.user, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_POST
def case_update(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Change the phase or the trial date; refused when someone else changed the case meanwhile."""
    case = _managed_case(request, case_id)
    form = CaseUpdateForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, update_form=form)
    data = form.cleaned_data
    try:
        actions.do_update_case(
            case,
            version=data["version"],
            acting_user=request.user,
            phase=data["phase"],
            trial_concluded_on=data["trial_concluded_on"],
            phase_note=data["phase_note"],
        )
    except StaleVersion:
        messages.error(
            request,
            _(
                "Someone else changed this case while you had it open, so your change was not saved. "
                "The page now shows the latest details: check them and make your change again "
                "if it is still needed."
            ),
        )
        fresh = access_case(request.user, case.pk)
        return _case_page(request, fresh, status=409)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _case_page(request, case, update_form=form)
    messages.success(request, _("The case is updated."))
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
@require_POST
def member_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = _managed_case(request, case_id)
    form = MemberForm(request.POST)
    member = form_action(
        form,
        lambda data: actions.do_add_member(
            case, organisation=data["organisation"], responsible=data["responsible"], acting_user=request.user
        ),
    )
    if member is not None:
        messages.success(request, _("%(name)s is in the team.") % {"name": member.organisation.name})
        return redirect("cases:case_detail", case_id=case.pk)
    return _case_page(request, case, member_form=form)


@login_required
@require_POST
def member_end(request: AuthenticatedHttpRequest, case_id: str, slug: str) -> HttpResponse:
    case = _managed_case(request, case_id)
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    message_action(
        request,
        lambda: actions.do_end_membership(case, organisation=organisation, acting_user=request.user),
        done=_("%(name)s has left the team. It keeps only what it wrote itself.") % {"name": organisation.name},
    )
    return _back_to_case(request, case)
