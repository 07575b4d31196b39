"""Single sign-on with the agency's OpenID Connect identity provider (mozilla-django-oidc; issue 18).

Off unless ``CONTINUUM_OIDC_*`` name the provider's endpoints and the client (settings.py). The rules
(docs/operations.md, "Signing in"):

* The ID token is checked: signature (the provider's JWKS), audience (our client id), issuer
  (``CONTINUUM_OIDC_ISSUER``), expiry, nonce; the authorization code flow uses PKCE.
* A person is found by the provider's ``sub`` (an :class:`ExternalIdentity`), else by the username
  claim. A new account is created only into an **existing, active** organisation that
  ``CONTINUUM_OIDC_ORGANISATIONS`` maps the organisation claim to, with a role that
  ``CONTINUUM_OIDC_ROLES`` maps the role claim to. Continuum never creates an organisation; an unmapped
  or ambiguous claim refuses the login (no account created), and the refusal is audited with its reason.
* At each login the role follows the claims (audited when it changes); the organisation does not: a
  person whose claims now name another organisation is refused and the refusal audited, because moving
  someone between agencies moves their access to case files, which an administrator decides.
* The provider's multi-factor authentication counts as the second factor only when the ID token's
  ``amr`` or ``acr`` carries one of ``CONTINUUM_OIDC_MFA_VALUES``; otherwise Continuum asks its own
  (authenticator app or passkey) as after a password.
* A sign-in counts as recent authentication (``reauth``) from the token's ``auth_time``; to confirm it is
  them before a grave act, the person is sent back to the provider with ``prompt=login`` and
  ``max_age=0``, and comes back with a fresh ``auth_time`` — or confirms with their authenticator app
  or passkey in Continuum.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from continuum.accounts import actions
from continuum.accounts.backends import can_authenticate
from continuum.accounts.choices import Role
from continuum.accounts.models import ExternalIdentity, Organisation, User
from continuum.accounts.reauth import mark_authenticated, window
from continuum.audit.log import record
from continuum.audit.models import AuditAction

# Session keys: signed in through the provider; its MFA counts as the second factor; a re-authentication
# is under way.
SIGNED_IN = "continuum_oidc"
IDP_MFA = "continuum_oidc_mfa"
REAUTH = "continuum_oidc_reauth"


def oidc_enabled() -> bool:
    return bool(getattr(settings, "CONTINUUM_OIDC_ENABLED", False))


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["idp-group=probation", ...]`` -> ``{"idp-group": "probation"}``; a malformed pair is a ValueError."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise ValueError(f"{pair!r} is not claim-value=name")
        mapping[key.strip()] = value.strip()
    return mapping


def mapping_problems() -> list[str]:
    """What is wrong with the claim mappings (a system check shows these at start-up)."""
    problems = []
    for name in ("CONTINUUM_OIDC_ORGANISATIONS", "CONTINUUM_OIDC_ROLES"):
        try:
            parse_mapping(getattr(settings, name))
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    try:
        roles = parse_mapping(settings.CONTINUUM_OIDC_ROLES)
    except ValueError:
        roles = {}
    for claim, role in roles.items():
        if role not in Role.values:
            problems.append(f"CONTINUUM_OIDC_ROLES: {claim}={role}: not a role ({', '.join(Role.values)})")
        elif role == Role.ADMIN:
            problems.append(f"CONTINUUM_OIDC_ROLES: {claim}={role}: administrators sign in with a local account")
    if oidc_enabled() and not (settings.CONTINUUM_OIDC_ORGANISATIONS and settings.CONTINUUM_OIDC_ROLES):
        problems.append("CONTINUUM_OIDC_ORGANISATIONS and CONTINUUM_OIDC_ROLES must map at least one value each")
    return problems


def _values(claims: dict[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def _mapped(claims: dict[str, Any], claim: str, mapping_setting: list[str]) -> set[str]:
    mapping = parse_mapping(mapping_setting)
    return {mapping[value] for value in _values(claims, claim) if value in mapping}


def mfa_by_provider(payload: dict[str, Any]) -> bool:
    """Whether the ID token says the provider used multi-factor authentication that we accept."""
    accepted = set(settings.CONTINUUM_OIDC_MFA_VALUES)
    return bool(accepted & (set(_values(payload, "amr")) | set(_values(payload, "acr"))))


def _refuse(reason: str, claims: dict[str, Any], user: User | None = None, **detail: Any) -> None:
    """An audited refusal of a sign-in (no account is created or changed)."""
    record(
        AuditAction.LOGIN_FAILED,
        actor=user,
        object_type="user",
        object_id=user.pk if user else "",
        outcome="failed",
        detail={
            "stage": "oidc",
            "reason": reason,
            "subject": str(claims.get("sub", ""))[:255],
            "username": str(claims.get(settings.CONTINUUM_OIDC_USERNAME_CLAIM, ""))[:150],
            **detail,
        },
    )
    raise SuspiciousOperation(f"OIDC sign-in refused: {reason}")


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Finds or creates the person into an organisation and role named by the claims, never more."""

    request: HttpRequest

    @property
    def issuer(self) -> str:
        return settings.CONTINUUM_OIDC_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT

    # --- the ID token --------------------------------------------------------------------------------

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """The signature, and what the package leaves out: audience, issuer, expiry."""
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The provider's signing algorithm is not the one configured.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.CONTINUUM_OIDC_ISSUER or None,
                options={"require": ["exp", "iat", "sub"], "verify_iss": bool(settings.CONTINUUM_OIDC_ISSUER)},
                leeway=30,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        self.request.continuum_oidc_token = payload  # type: ignore[attr-defined]
        return super().get_or_create_user(access_token, id_token, payload)

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        claims = super().get_userinfo(access_token, id_token, payload)
        # The userinfo's sub must be the ID token's (OpenID Connect Core 5.3.2).
        if str(claims.get("sub", "")) != str(payload.get("sub", "")):
            _refuse("userinfo subject differs from the ID token", claims)
        return claims

    # --- the claims ----------------------------------------------------------------------------------

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """A subject, a username, exactly one mapped organisation (existing, active), exactly one role."""
        if not claims.get("sub"):
            _refuse("no subject", claims)
        if not str(claims.get(settings.CONTINUUM_OIDC_USERNAME_CLAIM, "")).strip():
            _refuse("no username claim", claims, claim=settings.CONTINUUM_OIDC_USERNAME_CLAIM)
        self.organisation_from(claims)
        self.role_from(claims)
        return True

    def organisation_from(self, claims: dict[str, Any]) -> Organisation:
        claim = settings.CONTINUUM_OIDC_ORGANISATION_CLAIM
        slugs = _mapped(claims, claim, settings.CONTINUUM_OIDC_ORGANISATIONS)
        if not slugs:
            _refuse("organisation claim not mapped", claims, values=_values(claims, claim))
        if len(slugs) > 1:
            _refuse("organisation claim maps to more than one organisation", claims, organisations=sorted(slugs))
        slug = next(iter(slugs))
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            # Continuum never creates an organisation: an administrator does, first.
            _refuse("mapped organisation does not exist", claims, organisation=slug)
        elif not organisation.is_active:
            _refuse("mapped organisation is switched off", claims, organisation=slug)
        return organisation  # type: ignore[return-value]

    def role_from(self, claims: dict[str, Any]) -> str:
        roles = _mapped(claims, settings.CONTINUUM_OIDC_ROLE_CLAIM, settings.CONTINUUM_OIDC_ROLES)
        roles.discard(Role.ADMIN)
        if not roles:
            _refuse("role claim not mapped", claims, values=_values(claims, settings.CONTINUUM_OIDC_ROLE_CLAIM))
        if len(roles) > 1:
            _refuse("role claim maps to more than one role", claims, roles=sorted(roles))
        return next(iter(roles))

    # --- finding, creating, updating the person ------------------------------------------------------

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        linked = User.objects.filter(
            external_identities__issuer=self.issuer, external_identities__subject=str(claims["sub"])
        ).select_related("organisation")
        if linked.exists():
            return linked
        username = str(claims[settings.CONTINUUM_OIDC_USERNAME_CLAIM]).strip()
        # A local account of that name, not yet linked to this provider, is linked at its first sign-in
        # (update_user: only within the same organisation). One already linked to another subject is not.
        return (
            User.objects.filter(username=username)
            .exclude(external_identities__issuer=self.issuer)
            .select_related("organisation")
        )

    # Not in one transaction: a refusal is audited, and the audit event must stay.
    def create_user(self, claims: dict[str, Any]) -> User:
        username = str(claims[settings.CONTINUUM_OIDC_USERNAME_CLAIM]).strip()
        if User.objects.filter(username=username).exists():
            # The username is another account's, already linked to another subject of this provider.
            _refuse("username belongs to another account", claims)
        user = actions.do_create_user(
            username=username,
            organisation=self.organisation_from(claims),
            role=self.role_from(claims),
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
            email=str(claims.get("email", ""))[:254],
            acting_user=None,  # the system, on the provider's word; audited as such
        )
        self._link(user, claims)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        organisation = self.organisation_from(claims)
        if user.organisation_id != organisation.pk:
            _refuse(
                "organisation differs from the account's",
                claims,
                user,
                account_organisation=user.organisation.slug if user.organisation else None,
                claimed_organisation=organisation.slug,
            )
        if user.role == Role.ADMIN:
            _refuse("administrators sign in with their local account", claims, user)
        if not can_authenticate(user):
            _refuse("account switched off", claims, user)
        role = self.role_from(claims)
        if role != user.role:
            actions.do_update_user(user, acting_user=None, role=role)
        self._link(user, claims)
        return user

    def _link(self, user: User, claims: dict[str, Any]) -> None:
        identity, _created = ExternalIdentity.objects.get_or_create(
            issuer=self.issuer, subject=str(claims["sub"]), defaults={"user": user}
        )
        if identity.user_id != user.pk:
            _refuse("subject belongs to another account", claims, user)
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and can_authenticate(user) else None


# --- the views -------------------------------------------------------------------------------------------


def _require_enabled() -> None:
    if not oidc_enabled():
        raise Http404


class SignInView(OIDCAuthenticationRequestView):
    """To the provider; for a re-authentication with ``prompt=login`` and ``max_age=0``."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_enabled()
        if request.GET.get("reauthenticate") != "1":
            request.session.pop(REAUTH, None)
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        if request.session.get(REAUTH):
            return {"prompt": "login", "max_age": "0"}
        return {}


def start_reauthentication(request: HttpRequest, next_url: str) -> HttpResponse:
    """Send the person to the provider to sign in again (``views.oidc_reauthenticate``)."""
    request.session[REAUTH] = True
    return redirect(f"{reverse('accounts:oidc_login')}?{urlencode({'next': next_url, 'reauthenticate': '1'})}")


class CallbackView(OIDCAuthenticationCallbackView):
    def get(self, request: HttpRequest) -> HttpResponse:
        _require_enabled()
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # The state, the nonce or the ID token did not check out (a claim refusal is audited already).
            record(
                AuditAction.LOGIN_FAILED,
                actor=None,
                object_type="user",
                object_id="",
                outcome="failed",
                detail={"stage": "oidc", "reason": str(exc)[:200]},
            )
            return redirect("accounts:oidc_failed")
        except requests.RequestException as exc:
            record(
                AuditAction.LOGIN_FAILED,
                actor=None,
                object_type="user",
                object_id="",
                outcome="failed",
                detail={"stage": "oidc", "reason": f"provider unreachable or refused: {type(exc).__name__}"},
            )
            return redirect("accounts:oidc_failed")

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error"):
            record(
                AuditAction.LOGIN_FAILED,
                actor=None,
                object_type="user",
                object_id="",
                outcome="failed",
                detail={"stage": "oidc", "reason": f"provider: {self.request.GET['error']}"[:200]},
            )
        return redirect("accounts:oidc_failed")

    def login_success(self) -> HttpResponse:
        request = self.request
        payload: dict[str, Any] = getattr(request, "continuum_oidc_token", {})
        reauthenticating = bool(request.session.pop(REAUTH, False))
        same_person = request.user.is_authenticated and request.user.pk == self.user.pk
        response = super().login_success()
        request.session[SIGNED_IN] = True
        by_provider = mfa_by_provider(payload)
        if by_provider:
            request.session[IDP_MFA] = True
        auth_time = payload.get("auth_time")
        if isinstance(auth_time, int | float) and 0 <= time.time() - auth_time <= window():
            mark_authenticated(request, at=auth_time)
        if reauthenticating and same_person:
            actions.record_reauthentication(self.user, second_factor=by_provider, method="oidc")
        else:
            actions.record_login(self.user, second_factor=by_provider, method="oidc")
        return response


def failed(request: HttpRequest) -> HttpResponse:
    messages.error(
        request,
        _(
            "Signing in with %(provider)s did not work: your account there is not linked to an organisation "
            "and role in %(instance)s, or it was refused. Ask your organisation's administrator."
        )
        % {"provider": settings.CONTINUUM_OIDC_NAME or _("your agency"), "instance": settings.CONTINUUM_INSTANCE_NAME},
    )
    return redirect("accounts:login")
