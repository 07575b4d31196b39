"""Every change to organisations, users, second factors and API tokens.

Each action is atomic, validates, writes, and records its audit event in the
same transaction. ``acting_user=None`` means the system itself (management
commands such as ``seed_demo``), which is recorded as such.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from continuum.accounts.choices import Role
from continuum.accounts.models import ApiToken, Organisation, User, hash_token_key
from continuum.accounts.twofactor import forget_devices
from continuum.audit.changes import audited_diff
from continuum.audit.log import record
from continuum.audit.models import AuditAction

ORGANISATION_FIELDS = ("name", "type", "mandate", "is_active")
USER_FIELDS = ("first_name", "last_name", "email", "organisation", "role", "is_active")


def can_manage_accounts(user: User | None) -> bool:
    """Only the ``admin`` role (or the system itself) manages organisations and users."""
    return user is None or (user.is_authenticated and user.is_active and user.role == Role.ADMIN)


def _require_account_manager(acting_user: User | None) -> None:
    if not can_manage_accounts(acting_user):
        raise PermissionDenied(_("Only an administrator manages organisations and users."))


@transaction.atomic
def do_create_organisation(
    *, slug: str, name: str, type: str, mandate: str = "", acting_user: User | None
) -> Organisation:
    _require_account_manager(acting_user)
    organisation = Organisation(slug=slug, name=name, type=type, mandate=mandate)
    organisation.full_clean()
    organisation.save(force_insert=True)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="organisation",
        object_id=organisation.pk,
        detail={"slug": slug, "name": name, "type": type},
    )
    return organisation


def _update_audited(
    obj: Organisation | User,
    changes: dict[str, Any],
    *,
    editable: tuple[str, ...],
    object_type: str,
    acting_user: User | None,
    clean_exclude: list[str] | None = None,
) -> None:
    """Set the editable fields, validate, then save and audit (old and new values) those that changed."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    before = {field: getattr(obj, field) for field in changes}
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.full_clean(exclude=clean_exclude)
    changed = [field for field in changes if before[field] != changes[field]]
    if not changed:
        return
    obj.save(update_fields=changed)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type=object_type,
        object_id=obj.pk,
        detail={"changes": audited_diff({f: before[f] for f in changed}, changes, obj._meta.model)},
    )


@transaction.atomic
def do_update_organisation(organisation: Organisation, *, acting_user: User | None, **changes: Any) -> None:
    _require_account_manager(acting_user)
    _update_audited(
        organisation, changes, editable=ORGANISATION_FIELDS, object_type="organisation", acting_user=acting_user
    )


@transaction.atomic
def do_create_user(
    *,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    acting_user: User | None,
) -> User:
    """Create a user. Without a password the account cannot log in until one is set."""
    _require_account_manager(acting_user)
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save(force_insert=True)
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="user",
        object_id=user.pk,
        detail={"username": username, "organisation": organisation.slug, "role": role},
    )
    return user


@transaction.atomic
def do_update_user(user: User, *, acting_user: User | None, **changes: Any) -> None:
    _require_account_manager(acting_user)
    if (
        acting_user is not None
        and user.pk == acting_user.pk
        and (changes.get("is_active") is False or changes.get("role", Role.ADMIN) != Role.ADMIN)
    ):
        raise ValidationError(_("You cannot deactivate yourself or give up your own administrator role."))
    _update_audited(
        user, changes, editable=USER_FIELDS, object_type="user", acting_user=acting_user, clean_exclude=["password"]
    )


@transaction.atomic
def do_set_language(user: User, language: str, *, acting_user: User) -> None:
    """A user's own choice of language for the interface ("" to follow the browser); audited."""
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("Only the user chooses their own language."))
    _update_audited(user, {"language": language}, editable=("language",), object_type="user", acting_user=acting_user)


@transaction.atomic
def do_set_password(user: User, password: str, *, acting_user: User | None) -> None:
    """Set a password (an administrator's reset, or a user's own change). Never logged in clear."""
    if acting_user is not None and acting_user.pk != user.pk:
        _require_account_manager(acting_user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="user",
        object_id=user.pk,
        detail={"changes": {"password": "set"}},
    )


@transaction.atomic
def do_create_api_token(
    user: User, *, acting_user: User | None, label: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with its key, which is never stored."""
    if acting_user is not None and acting_user.pk != user.pk:
        _require_account_manager(acting_user)
    if not user.is_active:
        raise ValidationError(_("An inactive user cannot have an API token."))
    if user.organisation is not None and not user.organisation.is_active:
        raise ValidationError(_("A user of a deactivated organisation cannot have an API token."))
    lifetime = days if days is not None else settings.CONTINUUM_API_TOKEN_DAYS
    if lifetime < 1 or lifetime > 366:
        raise ValidationError(_("A token lives between 1 and 366 days."))
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        label=label[:100],
        key_prefix=key[:8],
        key_hash=hash_token_key(key),
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    token.save(force_insert=True)
    record(
        AuditAction.TOKEN_CREATED,
        actor=acting_user or user,
        object_type="api_token",
        object_id=token.pk,
        detail={
            "user": user.username,
            "prefix": token.key_prefix,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, acting_user: User | None) -> None:
    if acting_user is not None and acting_user.pk != token.user_id:
        _require_account_manager(acting_user)
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        AuditAction.TOKEN_REVOKED,
        actor=acting_user,
        object_type="api_token",
        object_id=token.pk,
        detail={"user": token.user.username, "prefix": token.key_prefix},
    )


@transaction.atomic
def do_start_totp_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed TOTP device to show as a QR code; reused until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def do_confirm_totp_device(device: TOTPDevice, token: str, *, acting_user: User) -> bool:
    """Confirm enrolment with a first code from the app; False when the code is wrong."""
    if device.user_id != acting_user.pk or device.confirmed:
        raise PermissionDenied(_("This enrolment does not belong to you."))
    if not device.verify_is_allowed()[0] or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per user: enrolling again replaces the old one.
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    forget_devices(acting_user)
    record(AuditAction.TWO_FACTOR_ENROLLED, actor=acting_user, object_type="user", object_id=acting_user.pk)
    return True


@transaction.atomic
def do_reset_two_factor(user: User, *, acting_user: User | None) -> None:
    """Remove a user's second factors (lost phone); they enrol again at their next login."""
    _require_account_manager(acting_user)
    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    forget_devices(user)
    record(AuditAction.TWO_FACTOR_RESET, actor=acting_user, object_type="user", object_id=user.pk)


@transaction.atomic
def do_unlock_user(user: User, *, acting_user: User | None) -> None:
    """Lift a lockout after failed logins before its cool-off ends."""
    _require_account_manager(acting_user)
    reset_lockout(username=user.username)
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="user",
        object_id=user.pk,
        detail={"unlocked": True},
    )


def record_login(user: User, *, second_factor: bool, method: str = "") -> None:
    detail: dict[str, Any] = {"second_factor": second_factor}
    if method:
        detail["method"] = method
    record(AuditAction.LOGIN, actor=user, object_type="user", object_id=user.pk, detail=detail)


def record_passkey_enrolled(user: User, *, credential_id: Any) -> None:
    record(
        AuditAction.TWO_FACTOR_ENROLLED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        detail={"kind": "passkey", "passkey": str(credential_id)},
    )


def record_passkey_login_failure(*, reason: str) -> None:
    """A passwordless login with a passkey that failed: nobody is known yet."""
    record(
        AuditAction.LOGIN_FAILED,
        actor=None,
        object_type="user",
        object_id="",
        outcome="failed",
        detail={"stage": "passkey", "reason": reason[:200]},
    )


@transaction.atomic
def do_remove_passkey(credential: WebAuthnCredential, *, acting_user: User) -> None:
    """The person removes one of their own passkeys (a lost or replaced device)."""
    if credential.user_id != acting_user.pk:
        raise PermissionDenied(_("This passkey does not belong to you."))
    credential_id = credential.pk
    credential.delete()
    forget_devices(acting_user)
    record(
        AuditAction.TWO_FACTOR_RESET,
        actor=acting_user,
        object_type="user",
        object_id=acting_user.pk,
        detail={"kind": "passkey", "passkey": str(credential_id), "removed_by": "self"},
    )


def record_reauthentication(user: User, *, second_factor: bool, method: str) -> None:
    """The person confirmed it is them again, before a grave act (``reauth``)."""
    record(
        AuditAction.LOGIN,
        actor=user,
        object_type="user",
        object_id=user.pk,
        detail={"reauthentication": True, "second_factor": second_factor, "method": method},
    )


def record_second_factor_failure(user: User, *, channel: str = "web") -> None:
    record(
        AuditAction.LOGIN_FAILED,
        actor=user,
        object_type="user",
        object_id=user.pk,
        outcome="failed",
        detail={"username": user.username, "stage": "second_factor", "channel": channel},
    )


def record_logout(user: User) -> None:
    record(AuditAction.LOGOUT, actor=user, object_type="user", object_id=user.pk)
