"""Data protection's models: restrictions of a person's right of access (subject access, LED Art. 15)
and retention (helper modules ``subject_access.py``, ``restrictions.py``, ``retention*.py``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from continuum.sharing.choices import Category


class RestrictionGround(models.TextChoices):
    """The grounds of LED Art. 15(1) on which access to an item may be restricted (and GDPR Art. 23)."""

    INQUIRIES = "a", _("(a) to avoid obstructing official or legal inquiries, investigations or procedures")
    PROSECUTION = (
        "b",
        _(
            "(b) to avoid prejudicing the prevention, detection, investigation or prosecution of criminal offences "
            "or the execution of criminal penalties"
        ),
    )
    PUBLIC_SECURITY = "c", _("(c) to protect public security")
    NATIONAL_SECURITY = "d", _("(d) to protect national security")
    OTHERS = "e", _("(e) to protect the rights and freedoms of others")


class AccessRestriction(models.Model):
    """The data protection officer's decision about one item, or one whole category, of a person's
    subject access (LED Art. 15(1)): kept back on a ground, or (``restricts`` false) given after all,
    e.g. lifting the default restriction of ``security`` records. Decisions are never edited: a later
    decision about the same item replaces the earlier one (``restrictions.py``). ``note`` documents the
    factual or legal reasons for the supervisory authority (Art. 15(4)); the person is told the ground.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # One item (record_type and record_id) or a whole category (category); never both.
    record_type = models.CharField(max_length=64, blank=True)
    record_id = models.UUIDField(null=True, blank=True)
    category = models.CharField(max_length=32, choices=Category.choices, blank=True)
    restricts = models.BooleanField(default=True)
    ground = models.CharField(max_length=1, choices=RestrictionGround.choices, blank=True)
    note = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["person", "decided_at"], name="restriction_person")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(category="") & ~models.Q(record_type="") & models.Q(record_id__isnull=False))
                    | (~models.Q(category="") & models.Q(record_type="") & models.Q(record_id__isnull=True))
                ),
                name="restriction_item_or_category",
            ),
            models.CheckConstraint(
                condition=models.Q(restricts=False, ground="") | (models.Q(restricts=True) & ~models.Q(ground="")),
                name="restriction_ground_when_restricting",
            ),
        ]

    def __str__(self) -> str:
        target = self.category or f"{self.record_type} {self.record_id}"
        return f"{'Restricted' if self.restricts else 'Given'}: {target}"

    @property
    def in_force(self) -> bool:
        return self.until is None or self.until >= timezone.localdate()


# Retention (helper module ``retention_models.py``): imported here so Django finds the models.
from continuum.dataprotection.retention_models import LegalHold, QueueEntry  # noqa: E402, F401
