"""The login lockout (django-axes), keyed so that one attacker cannot lock out an agency.

- **Per username and address** (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``):
  ``CONTINUUM_LOCKOUT_FAILURES`` (5) wrong passwords for one account from one address lock that
  account *from that address* for ``CONTINUUM_LOCKOUT_MINUTES``. The same person logging in from
  their office, and every other user, are not affected.
- **Per address, with a higher limit** (``CONTINUUM_LOCKOUT_ADDRESS_FAILURES``, 50; 0 switches it
  off): an address that fails that often over any usernames within the cool-off is locked for
  everyone logging in from it. This stops password spraying (one password over many accounts),
  which the pair alone never would. Axes knows one limit only, so ``LockoutHandler`` reports the
  address's failures as reaching it once the address's own limit is reached.

The address is the real client's (``continuum.lib.client_ip``, ``AXES_CLIENT_IP_CALLABLE``).
The remaining risk, in ``docs/threat-model.md``: an attacker who shares the agency's address (the
same office network behind one NAT address) can lock that address after 50 failures; and a
slow or distributed guesser stays under both limits (strong passwords and the second factor are
the defence there).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_cool_off_iso8601, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def address_failures(ip_address: str | None, request: HttpRequest | None = None) -> int:
    """Failed logins from one address over every username within the cool-off."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with the second, higher limit on the address alone."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        address_limit = settings.CONTINUUM_LOCKOUT_ADDRESS_FAILURES
        ip_address = getattr(request, "axes_ip_address", None)
        if address_limit and address_failures(ip_address, request) >= address_limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: on /api/ the API's error shape (``{"detail": …}``, 429 and
    ``Retry-After``); elsewhere the lockout page, with the same status."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    cool_off = get_cool_off(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _("Too many failed logins. Wait a while and try again, or ask your administrator.")},
            status=status,
        )
        if cool_off:
            response["Retry-After"] = str(int(cool_off.total_seconds()))
        return response
    context: dict[str, Any] = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
    }
    if cool_off:
        context.update({"cooloff_time": get_cool_off_iso8601(cool_off), "cooloff_timedelta": cool_off})
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
