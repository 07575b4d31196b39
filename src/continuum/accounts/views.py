"""Login with a second factor, logout, the user's own account page, and the administrator's pages."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp_webauthn.models import WebAuthnCredential

from continuum.accounts import actions
from continuum.accounts.forms import (
    ApiTokenForm,
    LoginForm,
    OneTimeCodeForm,
    OrganisationForm,
    ReauthenticationForm,
    UserForm,
)
from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.accounts.models import ApiToken, Organisation, User
from continuum.accounts.oidc import oidc_enabled
from continuum.accounts.passkeys import configuration as passkey_configuration
from continuum.accounts.passkeys import has_passkey, may_register, passkeys_of, passwordless_enabled
from continuum.accounts.reauth import (
    mark_authenticated,
    reauthentication_redirect,
    reauthentication_required,
    reauthentication_url,
)
from continuum.accounts.twofactor import confirmed_devices, has_confirmed_device, needs_second_factor


def _next_url(request: HttpRequest, *, or_referer: bool = False) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target and or_referer:
        target = request.headers.get("referer", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: saved on the account of a logged-in user (and audited), kept in
    a cookie for the login page; then back to the page the user was on (``next``, else the page that
    sent the form, when it is one of ours). "" follows the browser again. The form carries no copy of
    the page's address: a page says nothing of its own query (a search) in a hidden field."""
    language = request.POST.get("language")
    user = request.user
    known = dict(settings.LANGUAGES)
    if language is None or (language not in known and not (language == "" and user.is_authenticated)):
        return HttpResponse(
            _("Choose one of: %(languages)s.") % {"languages": ", ".join(known)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if user.is_authenticated:
        actions.do_set_language(user, language, acting_user=user)
    response = redirect(_next_url(request, or_referer=True))
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
            httponly=True,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if oidc_enabled():
            context["oidc_name"] = settings.CONTINUUM_OIDC_NAME or _("your agency")
        if passwordless_enabled():
            context["passkey_config"] = passkey_configuration(self.request, username_field="#id_username")
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        if needs_second_factor(user):
            target = "accounts:verify" if has_confirmed_device(user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': _next_url(self.request)})}")
        actions.record_login(user, second_factor=False)
        mark_authenticated(self.request)
        return redirect(_next_url(self.request))


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Second step of the login: the code from the enrolled authenticator app."""
    user = request.user
    if not needs_second_factor(user):
        return redirect(_next_url(request))
    devices = confirmed_devices(user)
    passkey = has_passkey(user)
    if not devices and not passkey:
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and devices and form.is_valid():
        waiting = True
        for device in devices:
            allowed, _why = device.verify_is_allowed()
            waiting = waiting and not allowed
            if allowed and device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                actions.record_login(user, second_factor=True)
                mark_authenticated(request)
                return redirect(_next_url(request))
        actions.record_second_factor_failure(user)
        if waiting:
            # django-otp slows down guessing: after wrong codes it refuses even a right one for a while.
            form.add_error("code", _("Too many wrong codes in a row. Wait a minute, then enter the newest code."))
        else:
            form.add_error("code", _("That code is not right or has expired. Wait for a new code and try again."))
    context = {
        "form": form if devices else None,
        "next": _next_url(request),
        "passkey_config": passkey_configuration(request) if passkey else None,
    }
    return render(request, "accounts/verify.html", context)


@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code (and the key to type in), then a first code to confirm."""
    user = request.user
    if has_confirmed_device(user) and needs_second_factor(user):
        # Someone who has a factor must use it; enrolling a new one would sidestep it.
        return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': _next_url(request)})}")
    if has_confirmed_device(user) and (reauthenticate := reauthentication_redirect(request)) is not None:
        return reauthenticate  # replacing a second factor needs a recent confirmation, as adding a passkey
    device = actions.do_start_totp_enrolment(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # is_verified is added to request.user by django-otp's middleware.
        completes_login = not user.is_verified()  # type: ignore[attr-defined]
        if actions.do_confirm_totp_device(device, form.cleaned_data["code"], acting_user=user):
            otp_login(request, device)
            if completes_login:
                actions.record_login(user, second_factor=True)
                mark_authenticated(request)
            messages.success(request, _("Two-factor authentication is set up. You will need your app at every login."))
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right. Check the time on your phone and enter the newest code."))
    # omitsize: a viewBox instead of a fixed width and height, so the stylesheet can scale the code
    # (a fixed-size SVG squeezed by CSS is cropped, not scaled, and then cannot be scanned).
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", omitsize=True, title=_("QR code for your authenticator app")
    )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
        "passkey_config": passkey_configuration(request),
    }
    return render(request, "accounts/enrol.html", context)


def _verify_code(user: User, code: str) -> tuple[bool, bool]:
    """(right, waiting): whether ``code`` is right for one of the user's authenticator apps, and whether
    every app refuses codes for now (django-otp slows down guessing)."""
    waiting = True
    for device in confirmed_devices(user):
        allowed, _why = device.verify_is_allowed()
        waiting = waiting and not allowed
        if allowed and device.verify_token(code):
            return True, False
    return False, waiting


@login_required
def reauthenticate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm it is you before a grave act (``reauth.reauthentication_required``): the password again and,
    with an authenticator app, a code; then back to ``next``."""
    user = request.user
    ask_code = bool(confirmed_devices(user))
    passkey = has_passkey(user)
    # The password alone only for someone who has no second factor; a passkey (which verifies the
    # person: PIN or biometrics) stands for both; without a password (identity provider) the code alone.
    ask_password = user.has_usable_password() and (ask_code or not passkey)
    form_shown = ask_code or ask_password
    if not form_shown and not passkey:
        # Someone signed in only through the identity provider: it is asked to sign them in again.
        return redirect(f"{reverse('accounts:oidc_reauthenticate')}?{urlencode({'next': _next_url(request)})}")
    form = ReauthenticationForm(request.POST or None, ask_password=ask_password, ask_code=ask_code)
    if request.method == "POST" and not form_shown:
        form.add_error(None, _("Confirm with your passkey."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if ask_password and authenticate(request, username=user.username, password=data["password"]) is None:
            # The failure is audited by the user_login_failed signal and counted by the lockout.
            form.add_error("password", _("That password is not right."))
        elif ask_code:
            right, waiting = _verify_code(user, data["code"])
            if not right:
                actions.record_second_factor_failure(user, channel="reauthentication")
                form.add_error(
                    "code",
                    _("Too many wrong codes in a row. Wait a minute, then enter the newest code.")
                    if waiting
                    else _("That code is not right or has expired. Wait for a new code and try again."),
                )
        if not form.errors:
            actions.record_reauthentication(user, second_factor=ask_code, method="password" if ask_password else "totp")
            mark_authenticated(request)
            return redirect(_next_url(request))
    context = {
        "form": form if form_shown else None,
        "non_field_errors": form.non_field_errors() if not form_shown else None,
        "next": _next_url(request),
        "oidc": oidc_enabled() and getattr(request, "session", {}).get("continuum_oidc", False),
        "oidc_name": settings.CONTINUUM_OIDC_NAME,
        "passkey_config": passkey_configuration(request, purpose="confirm") if passkey else None,
    }
    return render(request, "accounts/reauthenticate.html", context, status=400 if form.errors else 200)


@login_required
def passkey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's passkeys: add one (the package's script), or remove one. Adding or removing a way to
    log in needs a recent confirmation that it is you: without one, the page links to it."""
    may_add = may_register(request)
    context = {
        "passkeys": passkeys_of(request.user),
        "passkey_config": passkey_configuration(request) if may_add else None,
        "confirm_url": None if may_add else reauthentication_url(request, request.path),
        "passwordless": passwordless_enabled(),
    }
    return render(request, "accounts/passkeys.html", context)


@login_required
@require_POST
@reauthentication_required
def passkey_remove(request: AuthenticatedHttpRequest, passkey_id: int) -> HttpResponse:
    credential = get_object_or_404(WebAuthnCredential, pk=passkey_id, user=request.user)
    actions.do_remove_passkey(credential, acting_user=request.user)
    messages.success(request, _("The passkey is removed. It can no longer be used to log in."))
    return redirect("accounts:passkeys")


@login_required
def oidc_reauthenticate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Re-authentication at the identity provider (``prompt=login``); without one, nothing to do here."""
    if not oidc_enabled():
        messages.error(request, _("This account has no password or authenticator app to confirm it is you."))
        return redirect("accounts:account")
    from continuum.accounts.oidc import start_reauthentication

    return start_reauthentication(request, _next_url(request))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        actions.record_logout(request.user)
    auth_logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own account: organisation and role, second factor, API tokens."""
    user = request.user
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = actions.do_create_api_token(user, acting_user=user, label=form.cleaned_data["label"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at")[:50]
    context = {
        "form": form,
        "tokens": tokens,
        "new_key": new_key,
        "has_second_factor": has_confirmed_device(user),
        "has_totp": bool(confirmed_devices(user)),
        "passkey_count": len(passkeys_of(user)),
        "token_days": settings.CONTINUUM_API_TOKEN_DAYS,
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, token_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    actions.do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("Token %(prefix)s… is revoked and no longer works.") % {"prefix": token.key_prefix})
    return redirect("accounts:account")


# --- The administrator's pages --------------------------------------------------------------------


def _require_admin(request: AuthenticatedHttpRequest) -> None:
    if not actions.can_manage_accounts(request.user):
        raise PermissionDenied


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request)
    page = Paginator(Organisation.objects.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"page": page})


@login_required
def organisation_edit(request: AuthenticatedHttpRequest, slug: str | None = None) -> HttpResponse:
    _require_admin(request)
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if organisation is None:
                actions.do_create_organisation(
                    slug=data["slug"],
                    name=data["name"],
                    type=data["type"],
                    mandate=data["mandate"],
                    acting_user=request.user,
                )
            else:
                changes = {f: data[f] for f in actions.ORGANISATION_FIELDS}
                actions.do_update_organisation(organisation, acting_user=request.user, **changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” is saved.") % {"name": data["name"]})
            return redirect("accounts:organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_admin(request)
    users = User.objects.select_related("organisation").order_by("organisation__name", "username")
    organisation = request.GET.get("organisation")
    if organisation:
        users = users.filter(organisation__slug=organisation)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {"page": page, "organisations": Organisation.objects.order_by("name"), "selected": organisation}
    return render(request, "accounts/user_list.html", context)


def _refused_password(error: ValidationError) -> bool:
    """Whether Django's password validators refused the password (their codes start with "password_"):
    the message then belongs under the password field, whatever the language it is in."""
    if hasattr(error, "error_dict"):
        return False
    return any((item.code or "").startswith("password") for item in error.error_list)


@login_required
def user_edit(request: AuthenticatedHttpRequest, username: str | None = None) -> HttpResponse:
    _require_admin(request)
    user = get_object_or_404(User, username=username) if username else None
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user is None:
                actions.do_create_user(
                    username=data["username"],
                    organisation=data["organisation"],
                    role=data["role"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    acting_user=request.user,
                )
            else:
                changes = {f: data[f] for f in actions.USER_FIELDS}
                actions.do_update_user(user, acting_user=request.user, **changes)
                if data["password"]:
                    actions.do_set_password(user, data["password"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error("password" if _refused_password(exc) else None, exc)
        else:
            messages.success(request, _("User “%(username)s” is saved.") % {"username": data.get("username") or user})
            return redirect("accounts:user_list")
    context = {
        "form": form,
        "edited": user,
        "has_second_factor": bool(user and has_confirmed_device(user)),
    }
    return render(request, "accounts/user_form.html", context)


@login_required
@require_POST
def user_reset_two_factor(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    _require_admin(request)
    user = get_object_or_404(User, username=username)
    actions.do_reset_two_factor(user, acting_user=request.user)
    messages.success(
        request,
        _("%(username)s will set up two-factor authentication again at the next login.") % {"username": user.username},
    )
    return redirect("accounts:user_edit", username=user.username)


@login_required
@require_POST
def user_unlock(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    _require_admin(request)
    user = get_object_or_404(User, username=username)
    actions.do_unlock_user(user, acting_user=request.user)
    messages.success(request, _("%(username)s can try to log in again.") % {"username": user.username})
    return redirect("accounts:user_edit", username=user.username)
