"""Release and transition (API.md, "Transition and release"; after release, docs/transition.md): what goes in
and what comes out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.accounts.models import User
from continuum.cases.api.serializers import VisibilitySerializer, organisation_field
from continuum.transition.choices import (
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
from continuum.transition.models import (
    ConditionReview,
    ReleaseItem,
    ReleasePlan,
    ReoffendingRecord,
    ResettlementCheck,
    Scenario,
)


class _RecordSerializer(serializers.ModelSerializer):
    """What every case record shows: its author, organisation and basis of visibility."""

    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )
    visibility = serializers.SerializerMethodField()

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, obj: Any) -> dict[str, str]:
        return obj.visibility


RECORD_FIELDS = ["category", "author", "author_organisation", "created_at", "visibility"]


class ReadinessSerializer(serializers.Serializer):
    settled = serializers.IntegerField(help_text=gettext_lazy("Items done, support not required or declined."))
    total = serializers.IntegerField(help_text=gettext_lazy("Items the user may see."))
    percent = serializers.IntegerField()


class ReleaseItemSerializer(_RecordSerializer):
    plan: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    domain_label = serializers.CharField(source="get_domain_display", read_only=True)
    owner_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    updated_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    settled = serializers.BooleanField(source="is_settled", read_only=True)

    class Meta:
        model = ReleaseItem
        fields = [
            "id",
            "plan",
            "domain",
            "domain_label",
            "status",
            "settled",
            "owner_organisation",
            "due_on",
            "note",
            "version",
            "updated_at",
            "updated_by",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"due_on": {"allow_null": True}, "updated_at": {"allow_null": True}}


class ReleasePlanSerializer(_RecordSerializer):
    """A release plan with the items the user may see (``context["items"]``) and their readiness."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    destination_municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    released_to: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    readiness = serializers.SerializerMethodField()
    open_domains = serializers.SerializerMethodField()
    alert = serializers.SerializerMethodField()
    scenarios_discussed = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    class Meta:
        model = ReleasePlan
        fields = [
            "id",
            "case",
            "version",
            "expected_release_on",
            "release_type",
            "destination_municipality",
            "readiness",
            "open_domains",
            "alert",
            "scenarios_discussed",
            "released_on",
            "released_to",
            "items",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"released_on": {"allow_null": True}}

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, plan: ReleasePlan) -> dict[str, int]:
        return dict(self.context["summary"]["readiness"])

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Domain.choices)))
    def get_open_domains(self, plan: ReleasePlan) -> list[str]:
        return list(self.context["summary"]["open_domains"])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_alert(self, plan: ReleasePlan) -> str | None:
        alert: str | None = self.context["summary"]["alert"]
        return alert

    @extend_schema_field(serializers.IntegerField())
    def get_scenarios_discussed(self, plan: ReleasePlan) -> int:
        return int(self.context["scenarios_discussed"])

    @extend_schema_field(ReleaseItemSerializer(many=True))
    def get_items(self, plan: ReleasePlan) -> Any:
        return ReleaseItemSerializer(self.context["items"], many=True).data


class ReleasePlanCreateSerializer(serializers.Serializer):
    expected_release_on = serializers.DateField(
        required=False,
        help_text=gettext_lazy("Without it, the sentence's earliest release (else its end) is proposed."),
    )
    release_type = serializers.ChoiceField(choices=ReleaseType.choices, required=False)
    destination_municipality = organisation_field(required=False, allow_null=True)


class ReleasePlanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Required: the version you read (a stale one is refused with 409).")
    )
    expected_release_on = serializers.DateField(required=False)
    release_type = serializers.ChoiceField(choices=ReleaseType.choices, required=False)
    destination_municipality = organisation_field(required=False, allow_null=True)


class ReleaseItemUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Required: the version you read (a stale one is refused with 409).")
    )
    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)
    owner_organisation = organisation_field(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReleaseSerializer(serializers.Serializer):
    """One row of ``GET /api/v1/releases/``."""

    case = serializers.UUIDField()
    case_number = serializers.CharField()
    member = serializers.BooleanField(
        help_text=gettext_lazy(
            "False for a release announced to the central point or the destination municipality, which is "
            "not a member of the case: then no more than this row."
        )
    )
    expected_release_on = serializers.DateField()
    release_type = serializers.CharField()
    destination_municipality = serializers.CharField(allow_null=True)
    readiness = ReadinessSerializer()
    open_domains = serializers.ListField(child=serializers.ChoiceField(choices=Domain.choices))
    alert = serializers.CharField(allow_null=True)


class ScenarioSerializer(_RecordSerializer):
    plan: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Scenario
        fields = [
            "id",
            "plan",
            "scenario",
            "persons_expected_reaction",
            "coping_strategy",
            "support_contact",
            "discussed_on",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields


class ScenarioCreateSerializer(serializers.Serializer):
    scenario = serializers.CharField(max_length=5000)
    persons_expected_reaction = serializers.CharField(max_length=5000)
    coping_strategy = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    support_contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    discussed_on = serializers.DateField()


class ReleaseInSerializer(serializers.Serializer):
    released_on = serializers.DateField()
    lead_organisation = organisation_field(help_text=gettext_lazy("Probation, or the municipality."))
    responsible = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The new lead's responsible practitioner, if it has none yet (a username)."),
    )
    handover_note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ConditionReviewSerializer(_RecordSerializer):
    condition: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ConditionReview
        fields = [
            "id",
            "condition",
            "reviewed_on",
            "outcome",
            "note",
            "new_valid_until",
            "next_review_on",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"new_valid_until": {"allow_null": True}, "next_review_on": {"allow_null": True}}


class ConditionReviewCreateSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    note = serializers.CharField(max_length=5000)
    new_valid_until = serializers.DateField(required=False, allow_null=True)
    next_review_on = serializers.DateField(required=False, allow_null=True)


class ResettlementCheckSerializer(_RecordSerializer):
    plan: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ResettlementCheck
        fields = [
            "id",
            "plan",
            "checked_on",
            "accommodation",
            "work_or_education",
            "family_contact",
            "note",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields


class ResettlementCheckCreateSerializer(serializers.Serializer):
    checked_on = serializers.DateField(
        help_text=gettext_lazy("The day of the follow-up: on or after the day of release, not in the future.")
    )
    accommodation = serializers.ChoiceField(choices=Accommodation.choices)
    work_or_education = serializers.ChoiceField(choices=WorkOrEducation.choices)
    family_contact = serializers.ChoiceField(
        choices=FamilyContact.choices, help_text=gettext_lazy("How often, as a coded value: it names nobody.")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReoffendingRecordSerializer(_RecordSerializer):
    class Meta:
        model = ReoffendingRecord
        fields = ["id", "kind", "occurred_on", "source", "source_reference", "note", *RECORD_FIELDS]
        read_only_fields = fields


class ReoffendingRecordCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReoffendingKind.choices)
    occurred_on = serializers.DateField(help_text=gettext_lazy("When it happened: not in the future."))
    source = serializers.ChoiceField(  # type: ignore[assignment]  # a field named like Field.source
        choices=ReoffendingSource.choices, help_text=gettext_lazy("Who recorded it.")
    )
    source_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=gettext_lazy("The source's own reference, e.g. the court's case number."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
