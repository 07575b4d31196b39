"""The navigation, by role: each link appears only for those who may use it; the languages to switch to."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from continuum.accounts.actions import can_manage_accounts
from continuum.accounts.twofactor import needs_second_factor
from continuum.audit.policy import can_read_audit_log
from continuum.cases.policy import can_use_cases
from continuum.dataprotection.navigation import dataprotection_nav
from continuum.families.navigation import family_nav
from continuum.insights.navigation import insights_nav
from continuum.mentoring.navigation import mentoring_nav
from continuum.plans.navigation import group_nav
from continuum.sharing.policy import can_oversee_sharing
from continuum.signals.policy import can_report_signals, can_triage_signals
from continuum.training.navigation import training_nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated and not needs_second_factor(user):
        items.append((_("Home"), reverse("home")))
        if can_use_cases(user):
            items.append((_("My cases"), reverse("cases:case_list")))
            items.append((_("Search"), reverse("search")))
            items.append((_("Conferences"), reverse("conferences:conference_list")))
            items.append((_("Releases"), reverse("transition:calendar")))
            items.extend(family_nav(user))
            items.extend(mentoring_nav(user))
            items.extend(group_nav(user))
        if can_report_signals(user):
            items.append((_("Report a signal"), reverse("signals:report")))
            items.append((_("My signals"), reverse("signals:my_signals")))
        if can_triage_signals(user):
            items.append((_("Triage queue"), reverse("signals:queue")))
            items.append((_("Monitoring"), reverse("signals:monitoring")))
        items.extend(training_nav(user))
        items.extend(insights_nav(user))
        if can_oversee_sharing(user):
            items.append((_("Sharing policy"), reverse("sharing:policy")))
            items.append((_("Override reviews"), reverse("sharing:overrides")))
            items.append((_("Disclosures"), reverse("sharing:disclosures")))
        items.extend(dataprotection_nav(user))
        if can_manage_accounts(user):
            items.append((_("Organisations"), reverse("accounts:organisation_list")))
            items.append((_("Users"), reverse("accounts:user_list")))
        if can_read_audit_log(user):
            items.append((_("Audit log"), reverse("audit:event_list")))
            items.append((_("Audit chain"), reverse("audit:chain")))
        items.append((_("My account"), reverse("accounts:account")))
    # One current item only: the longest link the path falls under (/audit/chain/ is the chain, not the log).
    current = request.path
    matching = [url for _label, url in items if current == url or (url != "/" and current.startswith(url))]
    current_url = max(matching, key=len, default=None)
    nav = [{"label": label, "url": url, "current": url == current_url} for label, url in items]
    return {
        "nav_items": nav,
        "instance_name": settings.CONTINUUM_INSTANCE_NAME,
        # The header's language switcher: each language in its own name.
        "languages": [
            {"code": code, "name": name, "current": code == get_language()} for code, name in settings.LANGUAGES
        ],
        # django-htmx's script tag looks for the CSP nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", None),
    }
