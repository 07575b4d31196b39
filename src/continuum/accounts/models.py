"""Organisations, users with one organisation and one role, and hashed API tokens."""

from __future__ import annotations

import hashlib
import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from continuum.accounts.choices import NO_CASE_CONTENT_ROLES, OrgType, Role


class Organisation(models.Model):
    """An agency taking part in Continuum: a prison, a probation service, an NGO, …

    Organisations are referred to by ``slug`` everywhere outside the database
    (API, policy, withhold-from lists).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=32, choices=OrgType.choices)
    mandate = models.TextField(
        blank=True, help_text="The legal mandate under which the organisation takes part (for the DPO)."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in: one organisation, one role.

    Users are never deleted (the audit log refers to them); they are deactivated.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PRACTITIONER)
    # The user's own language for the interface; empty: the browser's, else the deployment's default.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True, default="")

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def org_type(self) -> str | None:
        return self.organisation.type if self.organisation_id and self.organisation else None

    @property
    def sees_case_content(self) -> bool:
        """R10: administrators and data protection officers never see case content."""
        return self.role not in NO_CASE_CONTENT_ROLES and self.organisation_id is not None

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_dpo(self) -> bool:
        return self.role == Role.DPO


def hash_token_key(key: str) -> str:
    """Tokens are long random strings, so one round of SHA-256 is enough to store them safely."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Not revoked, not expired, of an active user of an active organisation (or of none), so that
        deactivating either stops the token at once (``accounts.backends.can_authenticate``)."""
        return self.filter(
            models.Q(user__organisation__isnull=True) | models.Q(user__organisation__is_active=True),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )


class ApiToken(models.Model):
    """An API token. Only its SHA-256 hash is stored; the key is shown once, at creation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    label = models.CharField(max_length=100, blank=True)
    key_prefix = models.CharField(max_length=8, help_text="The first characters, to recognise a token.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ExternalIdentity(models.Model):
    """A user's account at the agency's identity provider (OpenID Connect): its issuer and ``sub``, which
    never change, unlike a username or an e-mail address (``continuum.accounts.oidc``)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="external_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"
