"""Re-authentication ("sudo mode") before the gravest acts: a legal override, a subject-access export,
a research export (issue 18; docs/operations.md, "Signing in").

A session counts as *recently authenticated* for ``CONTINUUM_REAUTH_SECONDS`` after the person last
proved who they are: a full login (password, then the second factor where one is owed), a login through
the agency's identity provider, or the re-authentication page (password and second factor again).

* Pages: :func:`reauthentication_required` sends a session that is not recent to the re-authentication
  page (``accounts:reauthenticate``) and back. A form sent without recent re-authentication does nothing:
  the person is sent to re-authenticate and then back to the page the form was on, to send it again.
* API: :class:`RecentlyAuthenticated` answers a session call that is not recent with a 403
  ``{"detail": ..., "code": "reauthentication_required"}``. A token call passes only with a token created
  within the same window: a token is made by a logged-in person, so a fresh token is a fresh login; an
  old token (a system link, a key copied weeks ago) cannot grant an override or take an export.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions
from rest_framework.request import Request

# The time (seconds since the epoch) the session's person last proved who they are.
SESSION_KEY = "continuum_authenticated_at"
CODE = "reauthentication_required"


def window() -> int:
    return int(settings.CONTINUUM_REAUTH_SECONDS)


def mark_authenticated(request: HttpRequest, at: float | None = None) -> None:
    """The person has just proved who they are (login, identity provider, re-authentication page)."""
    request.session[SESSION_KEY] = int(time.time() if at is None else at)


def recently_authenticated(request: HttpRequest) -> bool:
    at = getattr(request, "session", {}).get(SESSION_KEY)
    return isinstance(at, int) and 0 <= time.time() - at <= window()


def _safe(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def reauthentication_url(request: HttpRequest, next_url: str) -> str:
    return f"{reverse('accounts:reauthenticate')}?{urlencode({'next': next_url})}"


def reauthentication_redirect(request: HttpRequest) -> HttpResponse | None:
    """``None`` for a recently authenticated session; else the way to the re-authentication page.

    For a view that first checks whether the user may act at all (a 403 needs no re-authentication):
    ``if (response := reauthentication_redirect(request)) is not None: return response``.
    A ``GET`` comes back to itself after re-authentication. Any other method does nothing: the form
    is sent again from the page it was on (the ``Referer``, when it is one of ours; else home)."""
    if recently_authenticated(request):
        return None
    if request.method in ("GET", "HEAD"):
        back = request.get_full_path()
    else:
        back = _safe(request, request.headers.get("referer", "")) or reverse("home")
        messages.info(request, _("Nothing was done yet. Confirm it is you, then send the form again."))
    target = reauthentication_url(request, back)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def reauthentication_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view only for a recently authenticated session (see :func:`reauthentication_redirect`)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = reauthentication_redirect(request)
        return view(request, *args, **kwargs) if response is None else response

    wrapped.reauthentication_required = True  # type: ignore[attr-defined]
    return wrapped


class ReauthenticationRequired(exceptions.PermissionDenied):
    default_detail = gettext_lazy(
        "Confirm it is you first: sign in again (or use the re-authentication page) and repeat the call "
        "within a few minutes; a token must be freshly created."
    )
    default_code = CODE

    def __init__(self) -> None:
        # A dict detail is sent as it is by DRF's handler: {"detail": ..., "code": ...}.
        super().__init__({"detail": self.default_detail, "code": CODE}, CODE)


def token_is_recent(token: Any) -> bool:
    created = getattr(token, "created_at", None)
    return created is not None and timezone.now() - created <= timedelta(seconds=window())


class RecentlyAuthenticated(permissions.BasePermission):
    """API calls for the gravest acts: a recent login or re-authentication, or a freshly created token."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return True  # IsAuthenticated answers 401 for these
        token = request.auth
        recent = token_is_recent(token) if token is not None else recently_authenticated(request._request)
        if not recent:
            raise ReauthenticationRequired()
        return True
