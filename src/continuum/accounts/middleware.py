"""The accounts' middleware: a session that still owes its second factor is kept away from everything
but the 2FA pages; a session's idle clock; the language each request is answered in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from continuum.accounts.oidc import IDP_MFA
from continuum.accounts.twofactor import has_confirmed_device, needs_second_factor

_ALWAYS_ALLOWED = ("accounts:logout", "accounts:verify", "accounts:enrol")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.get(IDP_MFA):
            user._continuum_idp_mfa = True  # the identity provider's MFA counts (accounts.oidc)
        if user is not None and user.is_authenticated and needs_second_factor(user):
            allowed = {reverse(name) for name in _ALWAYS_ALLOWED}
            path = request.path
            # The API answers for itself: its session authentication ignores unverified sessions. The
            # passkey ceremonies (JSON) are a second factor; they check the session themselves.
            if path not in allowed and not path.startswith(("/api/", "/passkeys/", settings.STATIC_URL)):
                target = "accounts:verify" if has_confirmed_device(user) else "accounts:enrol"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


# A session's idle clock is reset at most once a minute: a save (three queries) per request is not needed
# for an idle limit counted in minutes (CONTINUUM_SESSION_IDLE_MINUTES).
TOUCH_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """Keeps an active session alive: saving it moves its expiry to SESSION_COOKIE_AGE from now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get("touched", 0)) >= TOUCH_EVERY_SECONDS:
                session["touched"] = now
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """The language of the answer: the logged-in user's own choice (``User.language``), else the
    browser's (the language cookie, then ``Accept-Language``), else ``CONTINUUM_LANGUAGE``.

    After ``AuthenticationMiddleware``: the session's user is known. The API's token users are known
    only in the view, so the API answers in the browser's or the deployment's language."""

    def process_request(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        language = chosen or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """The answer is made (Content-Language, Vary); the request's language ends with it, so that
        work after it in the same thread (a test, a command) speaks the default language again."""
        response = super().process_response(request, response)
        translation.deactivate()
        return response
