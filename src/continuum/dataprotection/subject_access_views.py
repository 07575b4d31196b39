"""The data protection officer's subject access pages: find a person by reference, the person's summary
(counts per category, what is kept back and why, disclosures), the downloads (PDF, JSON; after a recent
login) and the restriction form. Nothing here shows what a record says: only the downloads, which are
for the person, carry content (docs/data-protection.md, "Subject access")."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.reauth import reauthentication_redirect
from continuum.dataprotection import restrictions, subject_access
from continuum.dataprotection.policy import can_take_subject_access
from continuum.dataprotection.subject_access_forms import FindPersonForm, RestrictionForm
from continuum.sharing.disclosure import log_denied


def _require_dpo(request: AuthenticatedHttpRequest, person_id: object = "") -> None:
    if not can_take_subject_access(request.user):
        log_denied(request.user, "subject_access", person_id)
        raise PermissionDenied


@login_required
@require_GET
def find(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a person by reference, then open their subject access."""
    _require_dpo(request)
    form = FindPersonForm(request.GET if request.GET.get("reference") else None)
    if form.is_valid() and form.person_found is not None:
        return redirect("dataprotection:subject_access", person_id=form.person_found.pk)
    return render(request, "dataprotection/subject_access_find.html", {"form": form})


def _summary(request: AuthenticatedHttpRequest, person_id: object, form: RestrictionForm | None = None) -> HttpResponse:
    result = subject_access.read_subject_access_summary(request.user, person_id)
    context = {
        "result": result,
        "person": result.person,
        "counts": result.counts_by_category(),
        "kept_back": result.kept_back,
        "restricted_overrides": result.restricted_overrides,
        "disclosures": result.disclosures[:50],
        "disclosure_total": len(result.disclosures),
        "form": form or RestrictionForm(items=result.items),
    }
    return render(request, "dataprotection/subject_access.html", context, status=400 if form is not None else 200)


@login_required
@require_GET
def summary(request: AuthenticatedHttpRequest, person_id: object) -> HttpResponse:
    _require_dpo(request, person_id)
    return _summary(request, person_id)


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, person_id: object) -> HttpResponse:
    """The export for the person, as PDF (``?format=pdf``, the default here) or JSON; audited. Only after a
    recent login (``accounts.reauth``: what ``reauthentication_required`` does, but after the role check,
    so that a refusal is a 403 and never a detour through the re-authentication page)."""
    _require_dpo(request, person_id)
    if (detour := reauthentication_redirect(request)) is not None:
        return detour
    export_format = request.GET.get("format") or "pdf"
    if export_format not in subject_access.FORMATS:
        return HttpResponse(_("Choose json or pdf."), status=400, content_type="text/plain; charset=utf-8")
    result = subject_access.do_export_subject_access(request.user, person_id, export_format=export_format)
    if export_format == "pdf":
        response = HttpResponse(subject_access.render_subject_access_pdf(result), content_type="application/pdf")
    else:
        body = json.dumps(result.as_data(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{subject_access.export_filename(result, export_format)}"'
    return response


@login_required
@require_POST
def restrict(request: AuthenticatedHttpRequest, person_id: object) -> HttpResponse:
    """Record a decision from the summary page's form; a bad one shows the page again with its errors."""
    _require_dpo(request, person_id)
    person = subject_access.subject_of(request.user, person_id)
    items = subject_access.collect(person).items
    form = RestrictionForm(request.POST, items=items)
    if form.is_valid():
        try:
            restrictions.do_record_access_restriction(person, acting_user=request.user, **form.decision())
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else ("target" if field != "__all__" else None), problems)
        else:
            messages.success(request, _("The decision is recorded; the export follows it from now on."))
            return redirect("dataprotection:subject_access", person_id=person.pk)
    return _summary(request, person.pk, form)
