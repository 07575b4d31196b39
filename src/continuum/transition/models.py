"""Release plans, their domains, scenarios tested with the person, and reviews of release conditions (issue 14);
follow-ups after release and recalls or re-offending as recorded (issue 17's outcome indicators).

All six are case records (``sharing.records.CaseRecord``): the sharing engine decides who sees each
one. A release plan and its scenarios are filed under ``plan``; each item under its domain's category
(``choices.DOMAIN_CATEGORY``: the gate plan and the police contact are ``security``); a review of a
release condition under the condition's own category (``legal``); a follow-up after release under
``plan``, a recall or re-offending record under ``legal``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.sharing.records import CaseRecord
from continuum.transition.choices import (
    SETTLED,
    Accommodation,
    Domain,
    FamilyContact,
    ItemStatus,
    ReleaseType,
    ReoffendingKind,
    ReoffendingSource,
    ReviewOutcome,
    WorkOrEducation,
)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


class ReleasePlan(CaseRecord):
    """A case's plan for the day of release and the months before it: one per case.

    ``version`` is for optimistic concurrency. ``released_on`` and ``released_to`` are set by the
    release itself (``actions.do_release``); a released plan's items can still be settled afterwards
    (the first weeks outside are part of the transition), but its date and type no longer change.
    """

    expected_release_on = models.DateField()
    release_type = models.CharField(max_length=20, choices=ReleaseType.choices, default=ReleaseType.END_OF_SENTENCE)
    destination_municipality = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    released_on = models.DateField(null=True, blank=True)
    released_to = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    record_type = "release_plan"
    timeline_related = ("destination_municipality",)

    class Meta:
        verbose_name = gettext_lazy("release plan")
        verbose_name_plural = gettext_lazy("release plans")
        constraints = [models.UniqueConstraint(fields=["case"], name="one_release_plan_per_case")]
        indexes = [
            # The release calendar spans cases: the central point's by date, a municipality's by
            # destination and date.
            models.Index(fields=["expected_release_on"], name="release_plan_expected"),
            models.Index(fields=["destination_municipality", "expected_release_on"], name="release_plan_destination"),
        ]

    def __str__(self) -> str:
        return _("Release plan: release expected on %(day)s") % {"day": _day(self.expected_release_on)}

    def timeline_date(self) -> date:
        return self.released_on or self.created_at.date()

    def timeline_label(self) -> str:
        if self.released_on:
            return _("Released on %(day)s") % {"day": _day(self.released_on)}
        return _("Release plan started: release expected on %(day)s") % {"day": _day(self.expected_release_on)}

    @property
    def is_released(self) -> bool:
        return self.released_on is not None


class ReleaseItem(CaseRecord):
    """One domain of a release plan: its status, the organisation that owns it, a due date and a note."""

    plan = models.ForeignKey(ReleasePlan, on_delete=models.PROTECT, related_name="items")
    domain = models.CharField(max_length=24, choices=Domain.choices)
    status = models.CharField(max_length=24, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    record_type = "release_item"

    class Meta:
        verbose_name = gettext_lazy("release plan item")
        verbose_name_plural = gettext_lazy("release plan items")
        constraints = [models.UniqueConstraint(fields=["plan", "domain"], name="one_item_per_domain")]
        indexes = [
            # An owner's open items across cases, for its home page.
            models.Index(fields=["owner_organisation", "status"], name="release_item_owner"),
        ]

    def __str__(self) -> str:
        return _("%(domain)s: %(status)s") % {
            "domain": self.get_domain_display(),
            "status": self.get_status_display().lower(),
        }

    def record_text(self) -> str:
        return self.note

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED


class Scenario(CaseRecord):
    """A situation after release talked through with the person beforehand, in their own words."""

    plan = models.ForeignKey(ReleasePlan, on_delete=models.PROTECT, related_name="scenarios")
    scenario = models.TextField()
    persons_expected_reaction = models.TextField()
    coping_strategy = models.TextField(blank=True)
    support_contact = models.CharField(max_length=200, blank=True)
    discussed_on = models.DateField()

    record_type = "release_scenario"

    class Meta:
        ordering = ["-discussed_on", "-created_at"]
        verbose_name = gettext_lazy("scenario")
        verbose_name_plural = gettext_lazy("scenarios")

    def __str__(self) -> str:
        return _("Scenario discussed on %(day)s") % {"day": _day(self.discussed_on)}

    def timeline_date(self) -> date:
        return self.discussed_on

    def record_text(self) -> str:
        lines = [self.scenario, _("In the person's words: “%(words)s”") % {"words": self.persons_expected_reaction}]
        if self.coping_strategy:
            lines.append(_("Coping strategy: %(text)s") % {"text": self.coping_strategy})
        if self.support_contact:
            lines.append(_("Support contact: %(text)s") % {"text": self.support_contact})
        return "\n".join(lines)


class ConditionReview(CaseRecord):
    """A review of a release condition: kept, relaxed, tightened or lifted, and when to look again."""

    condition = models.ForeignKey("cases.ReleaseCondition", on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    note = models.TextField()
    new_valid_until = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    record_type = "release_condition_review"
    timeline_related = ("condition",)

    class Meta:
        ordering = ["condition", "reviewed_on", "created_at"]
        verbose_name = gettext_lazy("review of a release condition")
        verbose_name_plural = gettext_lazy("reviews of release conditions")

    def __str__(self) -> str:
        return _("Release condition reviewed: %(condition)s, %(outcome)s") % {
            "condition": self.condition.get_condition_type_display().lower(),
            "outcome": self.get_outcome_display().lower(),
        }

    def timeline_date(self) -> date:
        return self.reviewed_on

    def record_text(self) -> str:
        return self.note


class ResettlementCheck(CaseRecord):
    """A follow-up after release (at 3, 6 or 12 months, or when the team checks): where the person
    lives, whether they work or learn, and how often they are in touch with family, as coded values.

    Filed under ``plan``, like the release items it follows up: family contact is only a level of
    contact that names nobody (docs/transition.md says why). It is what the team found on the day,
    never a judgement of the person.
    """

    plan = models.ForeignKey(ReleasePlan, on_delete=models.PROTECT, related_name="resettlement_checks")
    checked_on = models.DateField()
    accommodation = models.CharField(max_length=16, choices=Accommodation.choices)
    work_or_education = models.CharField(max_length=16, choices=WorkOrEducation.choices)
    family_contact = models.CharField(max_length=16, choices=FamilyContact.choices)
    note = models.TextField(blank=True)

    record_type = "resettlement_check"

    class Meta:
        ordering = ["-checked_on", "-created_at"]
        verbose_name = gettext_lazy("follow-up after release")
        verbose_name_plural = gettext_lazy("follow-ups after release")
        indexes = [
            # The outcome indicators read every case's checks by the day they were made.
            models.Index(fields=["case", "checked_on"], name="resettlement_check_case_day"),
        ]

    def __str__(self) -> str:
        return _("Follow-up after release on %(day)s: %(accommodation)s, %(work)s, %(family)s") % {
            "day": _day(self.checked_on),
            "accommodation": self.get_accommodation_display().lower(),
            "work": self.get_work_or_education_display().lower(),
            "family": self.get_family_contact_display().lower(),
        }

    def timeline_date(self) -> date:
        return self.checked_on

    def record_text(self) -> str:
        return self.note


class ReoffendingRecord(CaseRecord):
    """A recall to prison, a new charge or a new conviction as a source recorded it, with that source.

    What was recorded, never a prediction or a verdict of Continuum; filed under ``legal``. ``source``
    (inherited as free text from the record base) is here one of the sources of ``ReoffendingSource``,
    and ``source_reference`` what the source calls it (a court's case number).
    """

    kind = models.CharField(max_length=16, choices=ReoffendingKind.choices)
    occurred_on = models.DateField()
    source = models.CharField(max_length=16, choices=ReoffendingSource.choices)
    source_reference = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    record_type = "reoffending_record"

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = gettext_lazy("recall or re-offending record")
        verbose_name_plural = gettext_lazy("recall and re-offending records")
        indexes = [models.Index(fields=["case", "occurred_on"], name="reoffending_case_day")]

    def __str__(self) -> str:
        return _("%(kind)s on %(day)s, as recorded by: %(source)s") % {
            "kind": self.get_kind_display(),
            "day": _day(self.occurred_on),
            "source": self.get_source_display().lower(),
        }

    def timeline_date(self) -> date:
        return self.occurred_on

    def record_text(self) -> str:
        return self.note
