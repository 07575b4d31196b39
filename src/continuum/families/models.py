"""Families and children (issue 15): relationships, child records, contact orders and visits, family
counselling, family days in prison, and the social-environment route when the person refuses.

Every model that holds information about a person is a case record (``sharing.records.CaseRecord``),
so the sharing engine decides who sees each row:

- A **relationship** links the case's person to a relative or contact, on the case: ``family``, or
  ``children`` when the relative is the person's child (R6).
- A **child's own records** (placements, profile, best-interest assessments, contact orders, visits)
  are about the child (``person`` is the child) and belong to the cases of the child's parents
  (``linked_cases``: the cases with a current child relationship to the child), never to one case
  of their own; all are ``children``. So only child welfare, family counselling and mental health
  members of a parent's case see them (R6), and a police override must name a parent's case (R5).
- A **visit slot** is the prison's side of a visit: when and how, on the parent's case, ``family``;
  it names no child.
- A **family file** and its clearing and help plan are ``counselling``, shared within the file's own
  team of counselling organisations (``sharing_team``), not the case team; a **counselling session**
  is shared by its client's consent only (``matrix_reads = False``), never when marked "never share".
- A **family day** is an event of a prison; each **participant** is a ``family`` record on its case,
  so no organisation learns who else came.
- A **refusal** to take part and each **re-offer** are ``plan`` records on the case.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.families.choices import (
    ContactForm,
    Influence,
    OfferResponse,
    PlacementKind,
    RelationKind,
    Urgency,
    VisitSetting,
)
from continuum.sharing.records import CaseRecord


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


# --- relationships ------------------------------------------------------------------------------------


class Relationship(CaseRecord):
    """A relative or contact of the case's person: who they are to the person, and their influence.

    ``person`` and ``case`` are the case's; ``relative`` is the other person. A child relationship
    is ``children``; every other one ``family``. ``ended_on`` ends the link (a child's records then
    no longer belong to this case).
    """

    relative = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)
    influence = models.CharField(max_length=12, choices=Influence.choices, default=Influence.UNKNOWN)
    note = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    record_type = "relationship"
    timeline_related = ("relative",)

    class Meta:
        verbose_name = gettext_lazy("relationship")
        verbose_name_plural = gettext_lazy("relationships")
        indexes = [
            # A child's records find the cases they belong to through this index (``linked_cases``).
            models.Index(fields=["relative", "kind", "ended_on"], name="relationship_relative"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "relative"], condition=Q(ended_on__isnull=True), name="one_open_relationship"
            )
        ]

    def __str__(self) -> str:
        return _("%(relation)s: %(name)s") % {"relation": self.get_kind_display(), "name": self.relative.full_name}

    def timeline_label(self) -> str:
        return _("Relationship recorded: %(relation)s") % {"relation": self.get_kind_display()}

    def record_text(self) -> str:
        return self.note


def cases_of_child(person: Any) -> Any:
    """The ids of the cases a child (``person``: a value or an ``OuterRef``) belongs to: those of
    the parents with a current child relationship to it."""
    return Relationship.objects.filter(relative=person, kind=RelationKind.CHILD, ended_on__isnull=True).values("case")


class ChildRecord(CaseRecord):
    """Abstract: a record about a child, filed ``children``, belonging to the cases of its parents."""

    linked_cases = staticmethod(cases_of_child)

    class Meta:
        abstract = True


class Placement(ChildRecord):
    """Where the child lives from a day on; the next placement ends it (``ends_on``)."""

    kind = models.CharField(max_length=20, choices=PlacementKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    carer = models.CharField(max_length=200, blank=True, help_text=gettext_lazy("Who looks after the child."))
    note = models.TextField(blank=True)

    record_type = "placement"

    class Meta:
        verbose_name = gettext_lazy("placement")
        verbose_name_plural = gettext_lazy("placements")
        indexes = [models.Index(fields=["person", "starts_on"], name="placement_child")]

    def __str__(self) -> str:
        return _("%(kind)s from %(day)s") % {"kind": self.get_kind_display(), "day": _day(self.starts_on)}

    def timeline_date(self) -> date:
        return self.starts_on

    def record_text(self) -> str:
        return self.note


class ChildProfile(ChildRecord):
    """What child welfare keeps about the child besides placements: one per child, versioned."""

    guardian = models.CharField(max_length=200, blank=True)
    school = models.TextField(blank=True)
    health = models.TextField(blank=True)
    documents_from_abroad = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    record_type = "child_profile"

    class Meta:
        verbose_name = gettext_lazy("child's details")
        verbose_name_plural = gettext_lazy("children's details")
        constraints = [models.UniqueConstraint(fields=["person"], name="one_profile_per_child")]

    def __str__(self) -> str:
        return _("The child's details")

    def record_text(self) -> str:
        return "\n".join(t for t in (self.guardian, self.school, self.health, self.documents_from_abroad) if t)


class BestInterestAssessment(ChildRecord):
    """Child welfare's judgement of the child's best interest, in words: never a score."""

    assessed_on = models.DateField()
    judgement = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)

    record_type = "best_interest_assessment"

    class Meta:
        verbose_name = gettext_lazy("best-interest assessment")
        verbose_name_plural = gettext_lazy("best-interest assessments")
        indexes = [models.Index(fields=["person", "assessed_on"], name="best_interest_child")]

    def __str__(self) -> str:
        return _("Best-interest assessment of %(day)s") % {"day": _day(self.assessed_on)}

    def timeline_date(self) -> date:
        return self.assessed_on

    def record_text(self) -> str:
        return self.judgement


class ContactOrder(ChildRecord):
    """Court-ordered (or agreed) contact between the child and one parent, whose case it names."""

    parent_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    issued_by = models.CharField(max_length=200)
    issued_on = models.DateField()
    form = models.CharField(max_length=12, choices=ContactForm.choices)
    per_month = models.PositiveSmallIntegerField()
    supervised = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    record_type = "contact_order"

    class Meta:
        verbose_name = gettext_lazy("contact order")
        verbose_name_plural = gettext_lazy("contact orders")
        indexes = [models.Index(fields=["person", "valid_from"], name="contact_order_child")]

    def __str__(self) -> str:
        return _("Contact order of %(day)s: %(form)s, %(count)s a month") % {
            "day": _day(self.issued_on),
            "form": self.get_form_display(),
            "count": self.per_month,
        }

    def timeline_date(self) -> date:
        return self.issued_on

    def record_text(self) -> str:
        return self.note

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Visit(ChildRecord):
    """One contact under an order: when, how, where, who came along, and how it went for the child."""

    contact_order = models.ForeignKey(ContactOrder, on_delete=models.PROTECT, related_name="visits")
    scheduled_for = models.DateTimeField()
    form = models.CharField(max_length=12, choices=ContactForm.choices)
    setting = models.CharField(max_length=24, choices=VisitSetting.choices)
    accompanied_by = models.CharField(max_length=200, blank=True)
    took_place = models.BooleanField(null=True, blank=True)
    outcome_for_child = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    record_type = "visit"

    class Meta:
        verbose_name = gettext_lazy("visit")
        verbose_name_plural = gettext_lazy("visits")
        indexes = [
            models.Index(fields=["contact_order", "scheduled_for"], name="visit_order"),
            # Child welfare's home page: visits to record and visits coming, across its cases.
            models.Index(fields=["scheduled_for"], name="visit_scheduled"),
        ]

    def __str__(self) -> str:
        return _("%(form)s on %(when)s") % {
            "form": self.get_form_display(),
            "when": date_format(timezone.localtime(self.scheduled_for), "DATETIME_FORMAT"),
        }

    def timeline_date(self) -> datetime:
        return self.scheduled_for

    def record_text(self) -> str:
        return self.outcome_for_child


class VisitSlot(CaseRecord):
    """The prison's side of a visit: when and how, on the parent's case (``family``). Names no child.

    Written with its visit by the same action and kept in step with it; the visit itself stays
    ``children``.
    """

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="slot")
    scheduled_for = models.DateTimeField()
    form = models.CharField(max_length=12, choices=ContactForm.choices)
    setting = models.CharField(max_length=24, choices=VisitSetting.choices)

    record_type = "visit_slot"

    class Meta:
        verbose_name = gettext_lazy("visit time")
        verbose_name_plural = gettext_lazy("visit times")
        indexes = [models.Index(fields=["case", "scheduled_for"], name="visit_slot_case")]

    def __str__(self) -> str:
        return _("Family contact (%(form)s) on %(when)s") % {
            "form": self.get_form_display(),
            "when": date_format(timezone.localtime(self.scheduled_for), "DATETIME_FORMAT"),
        }

    def timeline_date(self) -> datetime:
        return self.scheduled_for


# --- family counselling ---------------------------------------------------------------------------------


class FamilyCounsellor(models.Model):
    """An organisation counselling the family of a file: the file's own team (part of its file)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family_file = models.ForeignKey("FamilyFile", on_delete=models.PROTECT, related_name="counsellors")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    since = models.DateField(default=timezone.localdate)
    until = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["organisation", "until"], name="family_counsellor_org")]
        constraints = [
            models.UniqueConstraint(
                fields=["family_file", "organisation"], condition=Q(until__isnull=True), name="one_current_counsellor"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


def _on_file_team(viewer: Any, file_field: str) -> Q:
    teams = FamilyCounsellor.objects.filter(organisation_id=viewer.organisation_id, until__isnull=True)
    return Q(**{f"{file_field}__in": teams.values("family_file")})


class FamilyFile(CaseRecord):
    """A family in counselling: its clients (relatives, with or without the offender), a counselling
    organisation that holds it, and optionally the case of the person the family worries about.

    ``person`` is the first client (the one who asked for help); ``case`` the optional case.
    """

    title = models.CharField(max_length=200)
    counselling_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    record_type = "family_file"
    sharing_team = staticmethod(lambda viewer: _on_file_team(viewer, "pk"))

    class Meta:
        verbose_name = gettext_lazy("family file")
        verbose_name_plural = gettext_lazy("family files")

    def __str__(self) -> str:
        return _("Family file: %(title)s") % {"title": self.title}

    def timeline_label(self) -> str:
        return _("Family file opened")


class FamilyClient(models.Model):
    """A client of a family file (part of its file): any relative, with or without the offender."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family_file = models.ForeignKey(FamilyFile, on_delete=models.PROTECT, related_name="clients")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=100, blank=True, help_text=gettext_lazy("e.g. mother, sister"))
    since = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["since", "person__family_name", "person__given_name", "id"]
        indexes = [models.Index(fields=["person"], name="family_client_person")]
        constraints = [models.UniqueConstraint(fields=["family_file", "person"], name="one_client_per_file")]

    def __str__(self) -> str:
        return self.person.full_name


def counselled_persons(organisation_id: Any) -> Any:
    """The ids of the persons an organisation counsels in a family file (``engine.register_person_team``)."""
    files = FamilyCounsellor.objects.filter(organisation_id=organisation_id, until__isnull=True)
    return FamilyClient.objects.filter(family_file__in=files.values("family_file")).values("person")


class FileRecord(CaseRecord):
    """Abstract: a record of a family file, shared within the file's team."""

    family_file = models.ForeignKey(FamilyFile, on_delete=models.PROTECT, related_name="+")
    sharing_team = staticmethod(lambda viewer: _on_file_team(viewer, "family_file"))

    class Meta:
        abstract = True


class Clearing(FileRecord):
    """The counselling clearing: the family's worries, the warning signs seen, how urgent it is."""

    worries = models.TextField()
    warning_signs = models.TextField(blank=True)
    urgency = models.CharField(max_length=8, choices=Urgency.choices)
    cleared_on = models.DateField(default=timezone.localdate)

    record_type = "clearing"

    class Meta:
        verbose_name = gettext_lazy("clearing")
        verbose_name_plural = gettext_lazy("clearings")

    def __str__(self) -> str:
        return _("Clearing of %(day)s: urgency %(urgency)s") % {
            "day": _day(self.cleared_on),
            "urgency": self.get_urgency_display().lower(),
        }

    def timeline_date(self) -> date:
        return self.cleared_on

    def record_text(self) -> str:
        return "\n".join(t for t in (self.worries, self.warning_signs) if t)


class HelpPlan(FileRecord):
    """What the counselling will work on with the family, after the clearing; versioned."""

    aims = models.TextField()
    agreed_on = models.DateField(default=timezone.localdate)
    next_review_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    record_type = "help_plan"

    class Meta:
        verbose_name = gettext_lazy("help plan")
        verbose_name_plural = gettext_lazy("help plans")
        constraints = [models.UniqueConstraint(fields=["family_file"], name="one_help_plan_per_file")]

    def __str__(self) -> str:
        return _("Help plan of %(day)s") % {"day": _day(self.agreed_on)}

    def record_text(self) -> str:
        return self.aims


class CounsellingSession(FileRecord):
    """A session with one client of a family file; ``person`` is that client.

    Another counsellor of the family sees it only with that client's consent in force (R3 per
    client), never when it is marked "never share" (R4 per item); the matrix gives it to no one.
    """

    held_on = models.DateField()
    note = models.TextField()
    never_share = models.BooleanField(default=False)

    record_type = "counselling_session"
    matrix_reads = False
    withheld_q = staticmethod(lambda: Q(never_share=True))

    class Meta:
        verbose_name = gettext_lazy("counselling session")
        verbose_name_plural = gettext_lazy("counselling sessions")
        indexes = [models.Index(fields=["family_file", "held_on"], name="counselling_session_file")]

    def __str__(self) -> str:
        return _("Counselling session on %(day)s") % {"day": _day(self.held_on)}

    def timeline_date(self) -> date:
        return self.held_on

    def record_text(self) -> str:
        return self.note


# --- family days in prison ---------------------------------------------------------------------------------


class FamilyDay(models.Model):
    """A family day a prison organises: when, where and what. Who takes part is on each case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organiser = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True)
    programme = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "title"]
        indexes = [models.Index(fields=["organiser", "held_on"], name="family_day_organiser")]

    def __str__(self) -> str:
        return _("%(title)s on %(day)s") % {"title": self.title, "day": _day(self.held_on)}


class FamilyDayParticipant(CaseRecord):
    """A case's person taking part in a family day, with the visitors expected (``family``)."""

    family_day = models.ForeignKey(FamilyDay, on_delete=models.PROTECT, related_name="+")
    visitors = models.CharField(max_length=300, blank=True, help_text=gettext_lazy("Who comes, e.g. mother, sister"))
    attended = models.BooleanField(null=True, blank=True)

    record_type = "family_day_participant"
    timeline_related = ("family_day",)

    class Meta:
        verbose_name = gettext_lazy("family day participation")
        verbose_name_plural = gettext_lazy("family day participations")
        constraints = [
            models.UniqueConstraint(fields=["family_day", "case"], name="one_participation_per_case"),
        ]

    def __str__(self) -> str:
        # The day's title is the prison's own words: the label says only when (pages mark words as written).
        return _("Family day on %(day)s") % {"day": _day(self.family_day.held_on)}

    def timeline_date(self) -> date:
        return self.family_day.held_on


# --- the social-environment route ------------------------------------------------------------------------


class Refusal(CaseRecord):
    """The person refuses to take part: when, in their words, and when to offer again (``plan``).

    The team then works through the person's relatives and circle (seed 002); each re-offer is a
    ``ReOffer``; an accepted one ends the refusal (``ended_on``).
    """

    refused_on = models.DateField()
    persons_words = models.TextField()
    offer_again_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    record_type = "refusal"

    class Meta:
        verbose_name = gettext_lazy("refusal to take part")
        verbose_name_plural = gettext_lazy("refusals to take part")
        indexes = [
            models.Index(fields=["case", "refused_on"], name="refusal_case"),
            # The home page: open refusals whose day to offer again comes, across cases.
            models.Index(fields=["ended_on", "offer_again_on"], name="refusal_offer_again"),
        ]

    def __str__(self) -> str:
        return _("Refused to take part on %(day)s") % {"day": _day(self.refused_on)}

    def timeline_date(self) -> date:
        return self.refused_on

    def record_text(self) -> str:
        return self.persons_words


class ReOffer(CaseRecord):
    """Taking part offered again after a refusal, and the answer (``plan``)."""

    refusal = models.ForeignKey(Refusal, on_delete=models.PROTECT, related_name="+")
    offered_on = models.DateField()
    response = models.CharField(max_length=12, choices=OfferResponse.choices)
    persons_words = models.TextField(blank=True)
    next_offer_on = models.DateField(null=True, blank=True)

    record_type = "re_offer"

    class Meta:
        verbose_name = gettext_lazy("offer made again")
        verbose_name_plural = gettext_lazy("offers made again")
        indexes = [models.Index(fields=["refusal", "offered_on"], name="re_offer_refusal")]

    def __str__(self) -> str:
        return _("Offered again on %(day)s: %(response)s") % {
            "day": _day(self.offered_on),
            "response": self.get_response_display().lower(),
        }

    def timeline_date(self) -> date:
        return self.offered_on

    def record_text(self) -> str:
        return self.persons_words


__all__ = [
    "BestInterestAssessment",
    "ChildProfile",
    "Clearing",
    "ContactOrder",
    "CounsellingSession",
    "FamilyClient",
    "FamilyCounsellor",
    "FamilyDay",
    "FamilyDayParticipant",
    "FamilyFile",
    "HelpPlan",
    "Placement",
    "ReOffer",
    "Refusal",
    "Relationship",
    "Visit",
    "VisitSlot",
    "cases_of_child",
    "counselled_persons",
]
