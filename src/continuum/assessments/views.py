"""The assessment pages (issue 5): thin views over ``actions`` (changes) and ``access`` (reads).

One page per assessment follows its stage: an assessor who has not submitted rates item by item
(each item saved on its own, with htmx); afterwards the side-by-side view, the consensus and the
finalise form; a finalised assessment is read-only. Not visible: 404; visible but not allowed: 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import User
from continuum.assessments import actions
from continuum.assessments.access import (
    access_assessment,
    case_trend,
    consensus_of,
    previous_assessment,
    visible_ratings,
)
from continuum.assessments.charts import trend_figures, trend_table
from continuum.assessments.choices import INSTRUMENT_CATEGORIES, AssessmentStatus, ItemType
from continuum.assessments.format import all_domains
from continuum.assessments.forms import (
    ChooseInstrumentForm,
    FinaliseForm,
    OpenAssessmentForm,
    SubmitRatingsForm,
    consensus_entries,
    rating_entry,
)
from continuum.assessments.models import Assessment, AssessorRating, ConsensusRating, Instrument, version_key
from continuum.assessments.policy import can_assess, can_open_assessment
from continuum.assessments.reviews import overdue_reviews
from continuum.assessments.summaries import domain_summaries, draft_progress
from continuum.assessments.warnings import assessor_warnings
from continuum.cases.models import Case, CaseMember
from continuum.cases.policy import can_use_cases
from continuum.lib.forms import add_action_errors, form_action
from continuum.people.choices import Gender
from continuum.people.models import Person
from continuum.sharing.access import access_case, read_records

OVERDUE_PER_PAGE = 50
YOUTH_AGE = 25


# --- opening ------------------------------------------------------------------------------------------------


def _openable_instruments(user: User, case: Case) -> list[Instrument]:
    allowed = {c for c in INSTRUMENT_CATEGORIES if can_open_assessment(user, case, c)}
    instruments = [i for i in Instrument.objects.all() if i.category in allowed]
    return sorted(instruments, key=lambda i: (i.display_name, version_key(i.version)))


def _eligible_assessors(case: Case, category: str) -> list[User]:
    """Active users of the current member organisations who may assess (``policy.can_assess``)."""
    orgs = CaseMember.objects.filter(case=case, until__isnull=True).values("organisation_id")
    users = list(
        User.objects.filter(is_active=True, organisation_id__in=orgs)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "username")
    )
    decided: dict[tuple[Any, str], bool] = {}
    eligible = []
    for user in users:
        key = (user.organisation_id, user.role)
        if key not in decided:
            decided[key] = can_assess(user, case, category)
        if decided[key]:
            eligible.append(user)
    return eligible


def _age(birth: date | None) -> int | None:
    if birth is None:
        return None
    today = timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _module_suggestions(user: User, case: Case, instrument: Instrument) -> tuple[list[tuple[str, str]], list[str]]:
    """The instrument's modules as choices, each with when it applies, and those suggested for this person
    (gender module: a woman or girl; youth module: under 25). Suggested, never forced."""
    person = Person.objects.visible_to(user).filter(pk=case.person_id).first()
    age = _age(person.birth_date) if person else None
    choices, suggested = [], []
    for module in instrument.texts().get("modules", []):
        why = ""
        if module["code"] == "youth" and age is not None and age < YOUTH_AGE:
            why = _("Suggested: the person is %(age)s.") % {"age": age}
        if module["code"] == "gender" and person is not None and person.gender == Gender.FEMALE:
            why = _("Suggested: the person is a woman.")
        applies = module.get("applies_to") or ""
        label = (
            _("%(module)s: %(applies_to)s") % {"module": module["name"], "applies_to": applies}
            if applies
            else module["name"]
        )
        choices.append((module["code"], f"{label} {why}".strip()))
        if why:
            suggested.append(module["code"])
    return choices, suggested


@login_required
@require_http_methods(["GET", "POST"])
def assessment_open(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Step one: choose the instrument; step two: its modules and the assessors."""
    user = request.user
    case = access_case(user, case_id)
    instruments = _openable_instruments(user, case)
    if not instruments:
        raise PermissionDenied
    chosen_id = request.POST.get("instrument") or request.GET.get("instrument") or ""
    by_id = {str(i.pk): i for i in instruments}
    code_latest = {i.code: i for i in sorted(instruments, key=lambda i: version_key(i.version))}
    instrument = by_id.get(chosen_id) or code_latest.get(chosen_id)
    context: dict[str, Any] = {"case": case}
    if instrument is None:
        context["choose_form"] = ChooseInstrumentForm(
            instruments=instruments, initial={"instrument": str(code_latest[sorted(code_latest)[0]].pk)}
        )
        return render(request, "assessments/open.html", context)

    modules, suggested = _module_suggestions(user, case, instrument)
    eligible = _eligible_assessors(case, instrument.category)
    assessor_choices = [
        (u.username, f"{u.display_name}, {u.organisation.name if u.organisation else ''} ({u.get_role_display()})")
        for u in eligible
    ]
    form_kwargs = {"modules": modules, "assessors": assessor_choices}
    if request.method == "POST":
        form = OpenAssessmentForm(request.POST, **form_kwargs)
        people = {u.username: u for u in eligible}
        assessment = form_action(
            form,
            lambda data: actions.do_open_assessment(
                case,
                instrument=instrument,
                assessors=[people[name] for name in data["assessors"]],
                modules=data.get("modules") or [],
                acting_user=user,
            ),
        )
        if assessment is not None:
            messages.success(
                request,
                _("The %(instrument)s is open. Each assessor can now rate.") % {"instrument": instrument.display_name},
            )
            return redirect("assessments:detail", assessment_id=assessment.pk)
    else:
        initial_assessors = [user.username] if any(u.pk == user.pk for u in eligible) else []
        form = OpenAssessmentForm(
            initial={"instrument": str(instrument.pk), "modules": suggested, "assessors": initial_assessors},
            **form_kwargs,
        )
    context.update({"instrument": instrument, "form": form, "suggested": suggested})
    return render(request, "assessments/open.html", context, status=400 if form.errors else 200)


# --- the assessment page --------------------------------------------------------------------------------------


def _label(scale: list[dict[str, Any]], value: int | None) -> str:
    if value is None:
        return _("Known unknown")
    return next((f"{p['value']}: {p['label']}" for p in scale if p["value"] == value), str(value))


def _rating_values(mine: AssessorRating | None, posted: Any) -> dict[str, Any]:
    """What an item's rating form shows: what was just posted (on an error), else the saved draft."""
    if posted is not None:
        return {
            "rating": str(posted.get("rating") or ""),
            "known_unknown": bool(posted.get("known_unknown")),
            "decisive": bool(posted.get("decisive")),
            **{f: str(posted.get(f) or "") for f in ("rationale", "evidence_for", "evidence_against")},
        }
    if mine is None:
        return {"rating": "", "known_unknown": False, "decisive": False}
    return {
        "rating": "" if mine.rating is None else str(mine.rating),
        "known_unknown": mine.rating is None,
        "decisive": mine.decisive,
        "rationale": mine.rationale,
        "evidence_for": mine.evidence_for,
        "evidence_against": mine.evidence_against,
    }


def _progress(assessment: Assessment) -> dict[str, Any]:
    assessors = list(assessment.assessors.all())
    done = [a for a in assessors if a.submitted]
    return {
        "submitted": len(done),
        "total": len(assessors),
        "pending": [a for a in assessors if not a.submitted],
        "text": ngettext(
            "%(submitted)s of %(total)s assessor submitted",
            "%(submitted)s of %(total)s assessors submitted",
            len(assessors),
        )
        % {"submitted": len(done), "total": len(assessors)},
    }


def _rates_now(assessment: Assessment, user: User) -> bool:
    """Whether ``user`` is an assessor still rating (the page shows their rating forms)."""
    me = next((a for a in assessment.assessors.all() if a.user_id == user.pk), None)
    return me is not None and not me.submitted and assessment.status == AssessmentStatus.DRAFT


def _draft_progress(assessment: Assessment, mine: dict[str, AssessorRating], after: str = "") -> dict[str, Any]:
    """The draft's progress for ``_rating_progress.html``, with its version: the time of its latest save in
    microseconds (``rating.js`` keeps a newer progress when two saves answer out of order)."""
    latest = max((r.updated_at for r in mine.values()), default=None)
    return {
        "draft": draft_progress(assessment.items(), {code: r.rationale for code, r in mine.items()}, after=after),
        "draft_version": int(latest.timestamp() * 1_000_000) if latest else 0,
    }


def _assessment_page(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    *,
    status: int = 200,
    after: str = "",
    item_posted: dict[str, Any] | None = None,
    item_errors: dict[str, str] | None = None,
    consensus_posted: dict[str, dict[str, str]] | None = None,
    consensus_errors: list[str] | None = None,
    finalise_form: FinaliseForm | None = None,
    submit_form: SubmitRatingsForm | None = None,
) -> HttpResponse:
    user = request.user
    me = next((a for a in assessment.assessors.all() if a.user_id == user.pk), None)
    rating_now = _rates_now(assessment, user)
    ratings = visible_ratings(assessment, user)
    mine = {r.item: r for r in ratings if r.assessor_id == user.pk}
    # Columns of the side-by-side view: the assessors whose ratings the user may read (submitted ones).
    shown_assessors = [] if rating_now else [a for a in assessment.assessors.all() if a.submitted]
    by_assessor: dict[Any, dict[str, AssessorRating]] = {}
    for r in ratings:
        by_assessor.setdefault(r.assessor_id, {})[r.item] = r
    consensus = {c.item: c for c in consensus_of(assessment)}
    previous = previous_assessment(user, assessment) if rating_now or assessment.status != "finalised" else None
    previous_consensus: dict[str, ConsensusRating] = {}
    if previous is not None:
        read_records(user, [previous], purpose="reference for a new assessment")
        previous_consensus = {c.item: c for c in consensus_of(previous)}

    domains = []
    disagreements = 0
    module_names = assessment.instrument.module_names(list(assessment.modules))
    for module, domain in all_domains(assessment.instrument.texts(), list(assessment.modules)):
        items = []
        for item in domain["items"]:
            code = item["code"]
            cells: list[dict[str, Any]] = []
            for a in shown_assessors:
                given = by_assessor.get(a.user_id, {}).get(code)
                label = _label(item["scale"], given.rating) if given else ""
                cells.append({"assessor": a, "rating": given, "label": label})
            # As ``summaries.disagreements``: a known unknown differs from any rating.
            disagree = len({c["rating"].rating for c in cells if c["rating"] is not None}) > 1
            disagreements += bool(disagree)
            agreed = consensus.get(code)
            posted = (consensus_posted or {}).get(code)
            if posted is not None:
                consensus_value, consensus_rationale = posted["rating"], posted["rationale"]
            elif agreed is not None:
                consensus_value = "unknown" if agreed.rating is None else str(agreed.rating)
                consensus_rationale = agreed.rationale
            elif cells and not disagree and all(c["rating"] is not None for c in cells):
                only = cells[0]["rating"].rating
                consensus_value = "unknown" if only is None else str(only)
                consensus_rationale = _("All assessors rated this the same.")
            else:
                consensus_value, consensus_rationale = "", ""
            prev = previous_consensus.get(code)
            items.append(
                {
                    **item,
                    "type_label": ItemType(item["type"]).label if item["type"] in ItemType.values else item["type"],
                    "mine": mine.get(code),
                    "values": _rating_values(mine.get(code), (item_posted or {}).get(code)),
                    "error": (item_errors or {}).get(code, ""),
                    "cells": cells,
                    "disagree": disagree,
                    "consensus": agreed,
                    "consensus_label": _label(item["scale"], agreed.rating) if agreed else "",
                    "consensus_value": consensus_value,
                    "consensus_rationale": consensus_rationale,
                    "previous": prev,
                    "previous_label": _label(item["scale"], prev.rating) if prev else "",
                }
            )
        domains.append({**domain, "module": module, "module_name": module_names.get(module, module), "items": items})

    is_assessor = me is not None
    context: dict[str, Any] = {
        "assessment": assessment,
        "case": assessment.case,
        "instrument": assessment.instrument,
        "me": me,
        "rating_now": rating_now,
        "progress": _progress(assessment),
        "domains": domains,
        "shown_assessors": shown_assessors,
        "disagreements": disagreements,
        # From the ratings already loaded: no query of its own.
        **(_draft_progress(assessment, mine, after) if rating_now else {}),
        "submit_form": submit_form or SubmitRatingsForm(),
        "previous": previous,
        "module_names": list(module_names.values()),
        "judgement_level_label": assessment.instrument.level_label(assessment.judgement_level),
        "agrees": is_assessor and assessment.status == AssessmentStatus.CONSENSUS,
        "consensus_errors": consensus_errors or [],
        "consensus_missing": [i["code"] for d in domains for i in d["items"] if i["consensus"] is None],
        # The same warnings as the API's (e.g. an assessor lacks a required course): never a block.
        "assessor_warnings": assessor_warnings(assessment) if assessment.status != AssessmentStatus.FINALISED else [],
    }
    if context["agrees"]:
        context["finalise_form"] = finalise_form or FinaliseForm(
            levels=assessment.instrument.definition.get("judgement_levels") or [],
            labels=assessment.instrument.texts().get("level_labels", {}),
        )
    if assessment.status == AssessmentStatus.FINALISED:
        context["summaries"] = domain_summaries(
            assessment.instrument.texts(), list(assessment.modules), {k: v.rating for k, v in consensus.items()}
        )
        context["review_overdue"] = bool(assessment.next_review_on and assessment.next_review_on < timezone.localdate())
    return render(request, "assessments/detail.html", context, status=status)


@login_required
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, assessment_id: str) -> HttpResponse:
    assessment = access_assessment(request.user, assessment_id)
    # ``after``: the item just saved without JavaScript, so that "next unrated" follows on from it.
    return _assessment_page(request, assessment, after=request.GET.get("after", ""))


def _back(assessment: Assessment, anchor: str = "") -> HttpResponse:
    return redirect(reverse("assessments:detail", args=[assessment.pk]) + anchor)


@login_required
@require_POST
def rating_save(request: AuthenticatedHttpRequest, assessment_id: str, item: str) -> HttpResponse:
    """Save one item of the calling assessor's draft (htmx autosave, or the item's own Save button)."""
    assessment = access_assessment(request.user, assessment_id)
    if item not in assessment.items():
        return HttpResponse(_("This item is not part of the assessment."), status=404)
    entry, problem = rating_entry(item, request.POST)
    saved = False
    if entry is not None:
        try:
            actions.do_save_ratings(assessment, ratings=[entry], acting_user=request.user)
            saved = True
        except ValidationError as exc:
            problem = _("Not saved: %(reasons)s") % {"reasons": " ".join(exc.messages)}
    if getattr(request, "htmx", False):
        context: dict[str, Any] = {"saved": saved, "problem": problem, "now": timezone.localtime()}
        if saved:
            # The progress, the next unrated item and the submit section follow the save (out of band).
            mine = {r.item: r for r in visible_ratings(assessment, request.user) if r.assessor_id == request.user.pk}
            context.update(_draft_progress(assessment, mine, after=item))
        # A refused save answers 200 with the reason, so that htmx shows it; network and server
        # failures are handled in the browser (assessments/rating.js) and keep the text in the form.
        return render(request, "assessments/_save_status.html", context)
    if saved:
        messages.success(request, _("Saved."))
        return _back(assessment, f"?{urlencode({'after': item})}#item-{item}")
    return _assessment_page(
        request, assessment, status=400, item_posted={item: request.POST}, item_errors={item: problem}
    )


@login_required
@require_POST
def ratings_submit(request: AuthenticatedHttpRequest, assessment_id: str) -> HttpResponse:
    """Submit the calling assessor's ratings, once they have ticked that they cannot change them afterwards
    (the page asks; the API's ``submit`` does not, its clients being explicit). Whoever has no box to tick
    (not an assessor, or no longer rating) is answered by the action as before: 403, or a message why not."""
    assessment = access_assessment(request.user, assessment_id)
    form = SubmitRatingsForm(request.POST)
    confirming = _rates_now(assessment, request.user)
    if confirming and not form.is_valid():
        return _assessment_page(request, assessment, status=400, submit_form=form)
    try:
        actions.do_submit_ratings(assessment, acting_user=request.user)
    except ValidationError as exc:
        if not confirming:
            messages.error(
                request, _("Your ratings are not submitted. %(reasons)s") % {"reasons": " ".join(exc.messages)}
            )
            return _back(assessment)
        add_action_errors(form, exc)
        return _assessment_page(request, assessment, status=400, submit_form=form)
    fresh = access_assessment(request.user, assessment.pk)
    progress = _progress(fresh)
    if fresh.status == AssessmentStatus.CONSENSUS:
        messages.success(request, _("Your ratings are submitted. Everyone has submitted: agree the consensus below."))
    else:
        messages.success(request, _("Your ratings are submitted. %(progress)s.") % {"progress": progress["text"]})
    return _back(fresh)


@login_required
@require_POST
def consensus_save(request: AuthenticatedHttpRequest, assessment_id: str) -> HttpResponse:
    assessment = access_assessment(request.user, assessment_id)
    entries, posted = consensus_entries(list(assessment.items()), request.POST)
    try:
        count = actions.do_record_consensus(assessment, ratings=entries, acting_user=request.user)
    except ValidationError as exc:
        return _assessment_page(
            request, assessment, status=400, consensus_posted=posted, consensus_errors=list(exc.messages)
        )
    messages.success(
        request,
        ngettext("The consensus is saved for %(count)s item.", "The consensus is saved for %(count)s items.", count)
        % {"count": count},
    )
    return _back(assessment, "#consensus")


@login_required
@require_POST
def assessment_finalise(request: AuthenticatedHttpRequest, assessment_id: str) -> HttpResponse:
    assessment = access_assessment(request.user, assessment_id)
    form = FinaliseForm(
        request.POST,
        levels=assessment.instrument.definition.get("judgement_levels") or [],
        labels=assessment.instrument.texts().get("level_labels", {}),
    )
    finalised = form_action(
        form,
        lambda data: actions.do_finalise_assessment(
            assessment,
            judgement_level=data["judgement_level"],
            judgement_summary=data["judgement_summary"],
            next_review_on=data["next_review_on"],
            acting_user=request.user,
        ),
        {"judgement": "judgement_summary", "consensus": "__all__"},
    )
    if finalised is not None:
        messages.success(request, _("The assessment is finalised."))
        return _back(assessment)
    return _assessment_page(request, access_assessment(request.user, assessment.pk), status=400, finalise_form=form)


# --- trend and overdue reviews ---------------------------------------------------------------------------------


@login_required
@require_GET
def case_trend_page(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    instruments = case_trend(request.user, case)
    context = {"case": case, "figures": trend_figures(instruments), "tables": trend_table(instruments)}
    return render(request, "assessments/trend.html", context)


@login_required
@require_GET
def overdue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_use_cases(request.user):
        raise PermissionDenied
    overdue = overdue_reviews(request.user)
    page = Paginator(overdue, OVERDUE_PER_PAGE).get_page(request.GET.get("page"))
    read_records(request.user, list(page.object_list), purpose="review due")
    return render(request, "assessments/overdue.html", {"page": page, "total": len(overdue)})
