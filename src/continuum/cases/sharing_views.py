"""What a case shares: consents, overrides, "view as" another member, and the case's disclosures.

Views parse input, call an access helper or an action, and render (STYLE.md 6); what the user may
not see is a 404 (R12).
"""

from __future__ import annotations

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
from continuum.accounts.models import Organisation
from continuum.accounts.reauth import reauthentication_redirect
from continuum.cases.forms import ConsentForm, OverrideForm
from continuum.cases.models import CaseMember, Entry
from continuum.cases.policy import can_grant_override, can_read_disclosures, can_view_as
from continuum.cases.views import CATEGORY_ORDER, ENTRIES_PER_PAGE, _case_page
from continuum.lib.forms import form_action
from continuum.sharing import actions as sharing_actions
from continuum.sharing import engine
from continuum.sharing.access import access_case, access_consent, access_disclosure_report, read_records
from continuum.sharing.preview import CaseAudience

DISCLOSURES_PER_PAGE = 50


@login_required
@require_POST
def consent_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = ConsentForm(request.POST)
    consent = form_action(
        form,
        lambda data: sharing_actions.do_record_consent(
            case.person,
            category=data["category"],
            recipient=data["recipient"],
            purpose=data["purpose"],
            valid_until=data["valid_until"],
            acting_user=request.user,
        ),
        {"recipient_organisation": "recipient"},
    )
    if consent is not None:
        messages.success(request, _("Consent %(reference)s is recorded.") % {"reference": consent.reference})
        return redirect(reverse("cases:case_detail", args=[case.pk]) + "#consent")
    return _case_page(request, case, consent_form=form)


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, case_id: str, consent_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    consent = access_consent(request.user, consent_id)
    if consent.person_id != case.person_id:
        raise Http404
    sharing_actions.do_withdraw_consent(consent, acting_user=request.user)
    messages.success(
        request,
        _("Consent %(reference)s is withdrawn. Sharing based on it has stopped.") % {"reference": consent.reference},
    )
    return redirect(reverse("cases:case_detail", args=[case.pk]) + "#consent")


@login_required
@require_POST
def override_add(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    if not can_grant_override(request.user, case):
        raise PermissionDenied
    if (reauthenticate := reauthentication_redirect(request)) is not None:
        return reauthenticate  # nothing is granted; the form is sent again after re-authentication
    members = Organisation.objects.filter(
        pk__in=CaseMember.objects.filter(case=case, until__isnull=True).values("organisation_id")
    ).order_by("name")
    form = OverrideForm(request.POST, members=members)
    override = form_action(
        form,
        lambda data: sharing_actions.do_grant_override(
            case,
            category=data["category"],
            recipient=data["recipient"],
            legal_basis=data["legal_basis"],
            justification=data["justification"],
            valid_until=data["valid_until"],
            acting_user=request.user,
        ),
        {"recipient_organisation": "recipient"},
    )
    if override is not None:
        messages.success(
            request,
            _("Override %(reference)s is in force. The data protection officer will review it.")
            % {"reference": override.reference},
        )
        return redirect(reverse("cases:case_detail", args=[case.pk]) + "#overrides")
    return _case_page(request, case, override_form=form)


# --- Seeing the case as another member organisation ----------------------------------------------


@login_required
@require_GET
def view_as(request: AuthenticatedHttpRequest, case_id: str, slug: str) -> HttpResponse:
    """For a coordinator: which of the entries they see would a member organisation see, and why (not).

    Only entries the coordinator may see are listed; reading them is logged as the coordinator's own
    read. Nothing is disclosed to the other organisation, so nothing is logged for it.
    """
    user = request.user
    case = access_case(user, case_id)
    if not can_view_as(user, case):
        raise PermissionDenied
    audience = CaseAudience(case)
    organisation = next((o for o in audience.organisations if o.slug == slug), None)
    if organisation is None:
        raise Http404
    visible = Entry.objects.visible_to(user).filter(case=case).order_by(CATEGORY_ORDER, "-created_at")
    page = Paginator(visible, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    read_records(user, entries, purpose=f"view as {organisation.slug}")
    as_viewer = engine.viewer_for_organisation(organisation)
    seen = dict(
        Entry.objects.visible_to(as_viewer).filter(pk__in=[e.pk for e in entries]).values_list("pk", "_vis_basis")
    )
    rows = []
    for entry in entries:
        decision = audience.decide(
            organisation,
            category=entry.category,
            withhold_from=entry.withhold_from,
            author_org_id=entry.author_org_id,
        )
        sees = entry.pk in seen
        reason = decision.reason if decision.visible == sees else ("shared" if sees else "not shared")
        rows.append({"entry": entry, "sees": sees, "reason": reason})
    context = {
        "case": case,
        "organisation": organisation,
        "organisations": audience.organisations,
        "page": page,
        "seen_rows": [r for r in rows if r["sees"]],
        "hidden_rows": [r for r in rows if not r["sees"]],
    }
    return render(request, "cases/view_as.html", context)


# --- Disclosures of a case, for the lead organisation's coordinator -----------------------------


@login_required
@require_GET
def case_disclosures(request: AuthenticatedHttpRequest, case_id: str) -> HttpResponse:
    """The disclosure report, opened from the case page by the lead organisation's coordinator.

    Through the same door as the API (``access_disclosure_report``, audited), narrowed to this
    case and to records the coordinator may see, so that it reveals nothing about records hidden
    from them (R12); the data protection officer has the full report.
    """
    user = request.user
    case = access_case(user, case_id)
    if not can_read_disclosures(user, case):
        raise PermissionDenied
    _person, disclosures = access_disclosure_report(user, case.person_id)
    visible_ids = Entry.objects.visible_to(user).filter(case=case).values("pk")
    disclosures = disclosures.filter(
        case=case, record_type=Entry.record_type, record_id__in=visible_ids
    ).select_related("author_org", "case")
    page = Paginator(disclosures, DISCLOSURES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"case": case, "page": page, "reference": case.person.reference}
    return render(request, "cases/case_disclosures.html", context)
