"""The continuity forms of the case page, and the person's timeline (issue 4).

Thin views (STYLE.md 6): parse the form, call the action, go back to the case page; a form with
errors is shown on the case page again. What the user may not see is a 404, what they may see but
not change a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.cases import actions
from continuum.cases.access import access_handover, own_membership
from continuum.cases.case_continuity import colleagues_for_handover
from continuum.cases.choices import in_sentence
from continuum.cases.forms import (
    CustodyEpisodeForm,
    EndCustodyForm,
    HandoverForm,
    LegalStatusForm,
    ReleaseConditionForm,
    SentenceForm,
    TransferForm,
)
from continuum.cases.models import Case
from continuum.cases.policy import can_hand_over, can_record_transfer, can_use_cases
from continuum.cases.timeline import person_timeline, records_of
from continuum.cases.views import _back_to_case, _case_page, _managed_case
from continuum.lib.forms import form_action
from continuum.sharing import engine
from continuum.sharing.access import access_case, access_person, read_records

TIMELINE_PER_PAGE = 50


def _to_section(case: Case, anchor: str) -> HttpResponse:
    return redirect(reverse("cases:case_detail", args=[case.pk]) + anchor)


def _section_post(
    request: AuthenticatedHttpRequest,
    case_id: str,
    form_class: type[forms.Form],
    write: Callable[[Case, dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    section: str,
    form_name: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """A form of the case page for its managers: the action, then back to the page's section with
    ``done(result)``; or the page again with the form's errors (400) and nothing written."""
    case = _managed_case(request, case_id)
    form = form_class(request.POST)
    result = form_action(form, lambda data: write(case, data), aliases)
    if result is None:
        bound: dict[str, Any] = {form_name: form}
        return _case_page(request, case, **bound)
    messages.success(request, done(result))
    return _to_section(case, section)


# --- Custody and transfers --------------------------------------------------------------------------


@login_required
@require_POST
def transfer_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Transfer the person to another prison (or unit); the sending prison may then lose the case."""
    user = request.user
    case = access_case(user, case_id)
    holding = actions.current_custody_episode(case)
    if not can_record_transfer(user, case, holding.facility_id if holding else None):
        raise PermissionDenied
    form = TransferForm(request.POST)
    transfer = form_action(
        form,
        lambda data: actions.do_transfer(
            case,
            to_facility=data["to_facility"],
            transferred_on=data["date"],
            unit_type=data["unit_type"],
            handover_note=data["handover_note"],
            acting_user=user,
        ),
    )
    if transfer is not None:
        if transfer.within_facility:
            messages.success(
                request,
                _("The move to the %(unit)s is recorded.") % {"unit": in_sentence(transfer.get_unit_type_display())},
            )
        else:
            origin = transfer.from_facility.name if transfer.from_facility else _("The sending prison")
            messages.success(
                request,
                _(
                    "The transfer to %(prison)s is recorded. %(prison)s is now in the team; "
                    "%(origin)s has left it and keeps only what it wrote itself."
                )
                % {"prison": transfer.to_facility.name, "origin": origin},
            )
        return _back_to_case(request, case)
    return _case_page(request, case, transfer_form=form)


@login_required
@require_POST
def custody_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Record a custody episode: the first one, or a re-entry into prison on the same case."""
    return _section_post(
        request,
        case_id,
        CustodyEpisodeForm,
        lambda case, data: actions.do_start_custody_episode(
            case,
            facility=data["facility"],
            unit_type=data["unit_type"],
            started_on=data["started_on"],
            acting_user=request.user,
        ),
        done=lambda episode: _("The custody episode at %(prison)s is recorded.") % {"prison": episode.facility.name},
        section="#custody",
        form_name="custody_form",
    )


@login_required
@require_POST
def custody_end(request: AuthenticatedHttpRequest, case_id: str, episode_id: str) -> HttpResponse:
    """Record the last day of the current custody episode (a release)."""
    user = request.user
    case = access_case(user, case_id)
    holding = actions.current_custody_episode(case)
    if holding is None or str(holding.pk) != str(episode_id):
        raise Http404
    if not can_record_transfer(user, case, holding.facility_id):
        raise PermissionDenied
    form = EndCustodyForm(request.POST)
    ended = form_action(
        form,
        lambda data: actions.do_end_custody_episode(
            case, episode_id=holding.pk, ended_on=data["ended_on"], acting_user=user
        ),
    )
    if ended is not None:
        messages.success(request, _("The end of the custody episode is recorded. Change the phase if it changes."))
        return _to_section(case, "#custody")
    return _case_page(request, case, end_custody_form=form)


# --- Sentence, release conditions, legal status ---------------------------------------------------


@login_required
@require_POST
def sentence_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    return _section_post(
        request,
        case_id,
        SentenceForm,
        lambda case, data: actions.do_record_sentence(case, acting_user=request.user, **data),
        done=lambda _result: _("The sentence is recorded."),
        section="#sentence",
        form_name="sentence_form",
    )


@login_required
@require_POST
def condition_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    return _section_post(
        request,
        case_id,
        ReleaseConditionForm,
        lambda case, data: actions.do_add_release_condition(case, acting_user=request.user, **data),
        done=lambda condition: (
            _("The release condition “%(condition)s” is recorded.")
            % {"condition": condition.get_condition_type_display()}
        ),
        section="#sentence",
        form_name="condition_form",
        aliases={"type": "condition_type"},
    )


@login_required
@require_POST
def legal_status_change(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    return _section_post(
        request,
        case_id,
        LegalStatusForm,
        lambda case, data: actions.do_change_legal_status(case, acting_user=request.user, **data),
        done=lambda change: _("The legal status is now “%(status)s”.") % {"status": change.get_to_status_display()},
        section="#sentence",
        form_name="legal_status_form",
    )


# --- Hand-overs ---------------------------------------------------------------------------------------


@login_required
@require_POST
def handover_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """Hand the case over to a colleague of the same organisation."""
    user = request.user
    case = access_case(user, case_id)
    member = own_membership(user, case)
    categories = engine.writable_categories(user, case)
    if member is None or not categories or not can_hand_over(user, member):
        raise PermissionDenied
    form = HandoverForm(request.POST, colleagues=colleagues_for_handover(user, member), categories=categories)
    handover = form_action(
        form,
        lambda data: actions.do_handover(
            case, to_user=data["to_user"], note=data["note"], category=data["category"], acting_user=user
        ),
    )
    if handover is not None:
        messages.success(
            request,
            _("The case is handed over to %(name)s, who will see your note when opening the case.")
            % {"name": handover.to_user.display_name},
        )
        return _to_section(case, "#team")
    return _case_page(request, case, handover_form=form)


@login_required
@require_POST
def handover_acknowledge(request: AuthenticatedHttpRequest, case_id: str, handover_id: str) -> HttpResponse:
    """The new practitioner has read the hand-over summary."""
    user = request.user
    case = access_case(user, case_id)
    handover = access_handover(user, handover_id)
    if handover.case_id != case.pk:
        raise Http404
    if handover.to_user_id != user.pk:
        raise PermissionDenied
    actions.do_acknowledge_handover(handover, acting_user=user)
    messages.success(request, _("Thank you. The hand-over summary stays in the team section and the timeline."))
    return redirect("cases:case_detail", case_id=case.pk)


# --- The person's timeline ------------------------------------------------------------------------


@login_required
@require_GET
def timeline(request: AuthenticatedHttpRequest, person_id: Any) -> HttpResponse:
    """The person's whole history the user may see, across cases, custody episodes and organisations."""
    user = request.user
    if not can_use_cases(user):
        raise PermissionDenied
    person = access_person(user, person_id)
    newest_first = request.GET.get("order") == "newest"
    events = person_timeline(user, person, newest_first=newest_first)
    page = Paginator(events, TIMELINE_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    read_records(user, records_of(shown), purpose="timeline")
    cases = list(Case.objects.visible_to(user).filter(person=person).order_by("-opened_at"))
    context = {
        "person": person,
        "page": page,
        "events": shown,
        "cases": cases,
        "newest_first": newest_first,
        "pagination_query": "order=newest" if newest_first else "",
    }
    return render(request, "cases/person_timeline.html", context)
