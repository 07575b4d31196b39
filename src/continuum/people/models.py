"""Persons: the people Continuum's cases are about, under a pseudonymous reference."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from continuum.accounts.choices import OrgType
from continuum.people.choices import Gender, LegalStatus, SubjectCategory
from continuum.sharing import engine
from continuum.sharing.choices import Access, Category
from continuum.sharing.records import record_models

# What ``Person.languages`` may hold for a language Continuum speaks: its code (``nl``, ``nl-BE``), its
# English name or its own name, in any case ("Dutch", "Nederlands", "Vlaams").
_LANGUAGE_NAMES = {
    "english": "en",
    "dutch": "nl",
    "nederlands": "nl",
    "flemish": "nl",
    "vlaams": "nl",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
}


def interface_language(languages: Any) -> str | None:
    """The first of ``languages`` (a person's, as recorded) that Continuum speaks, as a code of
    ``settings.LANGUAGES``; ``None`` when it speaks none of them."""
    spoken = dict(settings.LANGUAGES)
    for language in languages if isinstance(languages, list) else []:
        if not isinstance(language, str):
            continue
        word = language.strip().casefold()
        code = _LANGUAGE_NAMES.get(word) or word.replace("_", "-").split("-")[0]
        if code in spoken:
            return code
    return None


# No 0/O, 1/I/L: references are read out on the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "P-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user_or_viewer: Any) -> PersonQuerySet:
        """Persons whose identity the viewer may read: R0 (created by its organisation), or R1 + R2
        (a current member of one of the person's cases whose matrix row reads ``identity``), or, for
        the central point, a person that triage data (a signal) is about."""
        viewer = user_or_viewer if isinstance(user_or_viewer, engine.Viewer) else engine.viewer_for(user_or_viewer)
        if not viewer.sees_content:
            return self.none()
        CaseMember = apps.get_model("cases", "CaseMember")
        member = Exists(
            CaseMember.objects.filter(
                case__person=OuterRef("pk"), organisation_id=viewer.organisation_id, until__isnull=True
            )
        )
        reads_identity = Exists(
            apps.get_model("sharing", "PolicyRule").objects.filter(
                version=engine._current_version(),
                org_type=viewer.org_type,
                category=Category.IDENTITY,
                access__in=[Access.READ, Access.WRITE],
            )
        )
        visible = Q(created_org_id=viewer.organisation_id) | (Q(member) & Q(reads_identity))
        # The persons the organisation works with outside case teams (a family file's clients).
        visible |= engine.persons_worked_with(viewer.organisation_id)
        if viewer.org_type == OrgType.CENTRAL_POINT:
            # Triage (R1's exception): the central point sees whom its triage data is about, e.g. the
            # person a signal was matched to. Found through the record models' flag, so that people
            # never imports the apps above it (``continuum.signals``).
            for model in record_models():
                if model.central_point_triage:
                    visible |= Q(Exists(model.objects.filter(person=OuterRef("pk"))))
        return self.filter(visible)


class Person(models.Model):
    """A person with a case (or a signal) in Continuum. Only synthetic persons are ever shipped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    aliases = models.JSONField(default=list, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    nationality = models.CharField(max_length=64, blank=True)
    languages = models.JSONField(default=list, blank=True)
    legal_status = models.CharField(max_length=32, choices=LegalStatus.choices, default=LegalStatus.CITIZEN)
    subject_category = models.CharField(
        max_length=16, choices=SubjectCategory.choices, default=SubjectCategory.CONVICTED
    )
    media_exposure = models.BooleanField(default=False, help_text=_("The person's case has been in the media."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.reference})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def interface_language(self) -> str | None:
        """The first of the person's languages that Continuum speaks (``interface_language``)."""
        return interface_language(self.languages)
