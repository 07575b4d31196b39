"""The sharing policy as data, consent, legal overrides, and the disclosure log (DESIGN.md section 5)."""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category, LegalBasis


class PolicyVersion(models.Model):
    """One version of the policy matrix (R2). Versions are never edited: a change makes a new one."""

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Policy version {self.number}"


class PolicyRule(models.Model):
    """What a member organisation of one type may do with one category, in one policy version."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="rules")
    org_type = models.CharField(max_length=32, choices=OrgType.choices)
    category = models.CharField(max_length=32, choices=Category.choices)
    access = models.CharField(max_length=8, choices=Access.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "org_type", "category"], name="one_rule_per_cell"),
        ]

    def __str__(self) -> str:
        return f"v{self.version_id} {self.org_type} {self.category}: {self.access}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def visible_to(self, user_or_viewer: Any) -> ConsentQuerySet:
        """Consents of persons one of whose cases the viewer's organisation is a current member of
        (R1); none for research, administrators and data protection officers (R9, R10)."""
        viewer = user_or_viewer if isinstance(user_or_viewer, engine.Viewer) else engine.viewer_for(user_or_viewer)
        if not viewer.sees_content:
            return self.none()
        CaseMember = apps.get_model("cases", "CaseMember")
        member = Exists(
            CaseMember.objects.filter(
                case__person=OuterRef("person"), organisation_id=viewer.organisation_id, until__isnull=True
            )
        )
        teams = engine.persons_worked_with(viewer.organisation_id)
        return self.filter(Q(member) | Q(person__in=apps.get_model("people", "Person").objects.filter(teams)))

    def in_force(self) -> ConsentQuerySet:
        today = timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, valid_from__lte=today, valid_until__gte=today)


class Consent(models.Model):
    """The person's recorded consent: one category to one organisation, for a purpose and a period (R3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    category = models.CharField(max_length=32, choices=Category.choices)
    recipient = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField()
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["person", "category", "recipient"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.number}"

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return self.withdrawn_at is None and self.valid_from <= today <= self.valid_until


class OverrideQuerySet(models.QuerySet["Override"]):
    def in_force(self) -> OverrideQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=now, valid_until__gte=now)


class Override(models.Model):
    """A time-limited legal override: one organisation, one category, one case (R5).

    The only thing that beats an author's withholding (R4). Always justified in writing,
    always audited, and queued for the data protection officer's review.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="overrides")
    category = models.CharField(max_length=32, choices=Category.choices)
    recipient = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(max_length=32, choices=LegalBasis.choices)
    justification = models.TextField()
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["case", "category", "recipient"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"O-{self.number}"

    @property
    def in_force(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.valid_from <= now <= self.valid_until


class Disclosure(models.Model):
    """One read of a record by a user of another organisation than the author's (R11)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record_type = models.CharField(max_length=64)
    record_id = models.UUIDField()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.CharField(max_length=32, choices=Category.choices)
    author_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewer_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    basis = models.CharField(max_length=16)
    explanation = models.CharField(max_length=300)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "at"]), models.Index(fields=["record_id"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} to {self.viewer_id}"
