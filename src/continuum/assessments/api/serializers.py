from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.accounts.models import User
from continuum.assessments.access import consensus_of, ratings_hidden_from, visible_ratings
from continuum.assessments.choices import AssessmentStatus, InstrumentKind, ItemType
from continuum.assessments.models import Assessment, Assessor, AssessorRating, ConsensusRating, Instrument
from continuum.assessments.summaries import disagreements, domain_summaries
from continuum.cases.api.serializers import VisibilitySerializer
from continuum.sharing.choices import Category

# --- instruments (read from the stored definition) ------------------------------------------------------


class ScalePointSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    # The scale's own "label" (API.md), not DRF's Field.label.
    label = serializers.CharField()  # type: ignore[assignment]


class InstrumentItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    type = serializers.ChoiceField(choices=ItemType.choices)
    guidance = serializers.CharField()
    scale = ScalePointSerializer(many=True)


class InstrumentDomainSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    items = InstrumentItemSerializer(many=True)


class InstrumentModuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    applies_to = serializers.CharField()
    domains = InstrumentDomainSerializer(many=True)


class InstrumentSerializer(serializers.ModelSerializer):
    """An instrument version with its domains, items, scales and modules (API.md, "Assessments")."""

    kind = serializers.ChoiceField(choices=InstrumentKind.choices, read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    description = serializers.CharField(source="definition.description", read_only=True)
    licence = serializers.CharField(source="definition.licence", read_only=True)
    judgement_levels = serializers.ListField(
        source="definition.judgement_levels", child=serializers.CharField(), read_only=True
    )
    domains = InstrumentDomainSerializer(source="definition.domains", many=True, read_only=True)
    modules = InstrumentModuleSerializer(source="definition.modules", many=True, read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "code",
            "version",
            "name",
            "kind",
            "category",
            "description",
            "licence",
            "builtin",
            "judgement_levels",
            "domains",
            "modules",
        ]
        read_only_fields = fields


# --- input ------------------------------------------------------------------------------------------------


class AssessmentOpenSerializer(serializers.Serializer):
    instrument = serializers.CharField(max_length=40, help_text=_("The instrument's code."))
    instrument_version = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text=_("Default: the latest version.")
    )
    assessors = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True)),
        required=False,
        help_text=_("Usernames; default: the caller."),
    )
    modules = serializers.ListField(child=serializers.CharField(max_length=40), required=False)


class RatingInSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40)
    rating = serializers.IntegerField(
        allow_null=True, help_text=_("A value of the item's scale, or null: a known unknown.")
    )
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_for = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_against = serializers.CharField(required=False, allow_blank=True, default="")
    decisive = serializers.BooleanField(required=False, default=False)


class RatingsInSerializer(serializers.Serializer):
    ratings = RatingInSerializer(many=True, allow_empty=False)


class ConsensusInSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40)
    rating = serializers.IntegerField(allow_null=True)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")


class ConsensusRatingsInSerializer(serializers.Serializer):
    ratings = ConsensusInSerializer(many=True, allow_empty=False)


class JudgementSerializer(serializers.Serializer):
    level = serializers.CharField(allow_blank=True, required=False, default="")
    summary = serializers.CharField(allow_blank=True, required=False, default="")


class FinaliseSerializer(serializers.Serializer):
    judgement = JudgementSerializer(
        required=False, help_text=_("Written by the finalising person; never by Continuum.")
    )
    next_review_on = serializers.DateField(required=False, allow_null=True)


# --- output -----------------------------------------------------------------------------------------------


class AssessorSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Assessor
        fields = ["username", "organisation", "submitted", "submitted_at"]
        read_only_fields = fields


class AssessorRatingSerializer(serializers.ModelSerializer):
    assessor: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AssessorRating
        fields = [
            "assessor",
            "item",
            "rating",
            "rationale",
            "evidence_for",
            "evidence_against",
            "decisive",
            "updated_at",
        ]
        read_only_fields = fields


class ConsensusRatingSerializer(serializers.ModelSerializer):
    recorded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ConsensusRating
        fields = ["item", "rating", "rationale", "recorded_by", "recorded_at"]
        read_only_fields = fields


class DisagreementRatingSerializer(serializers.Serializer):
    assessor = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)
    decisive = serializers.BooleanField()


class DisagreementSerializer(serializers.Serializer):
    item = serializers.CharField()
    domain = serializers.CharField()
    text = serializers.CharField()
    ratings = DisagreementRatingSerializer(many=True)


class DomainSummarySerializer(serializers.Serializer):
    domain = serializers.CharField()
    name = serializers.CharField()
    module = serializers.CharField(allow_null=True)
    items = serializers.IntegerField()
    rated = serializers.IntegerField()
    known_unknowns = serializers.IntegerField()
    risk_mean = serializers.FloatField(allow_null=True)
    risk_max = serializers.IntegerField(allow_null=True)
    need_mean = serializers.FloatField(allow_null=True)
    need_max = serializers.IntegerField(allow_null=True)
    protective_mean = serializers.FloatField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    assessors = serializers.IntegerField()


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment read through ``visible_to``; ``judgement`` is null until a person finalises it."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    instrument = serializers.CharField(source="instrument.code", read_only=True)
    instrument_version = serializers.CharField(source="instrument.version", read_only=True)
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    modules = serializers.ListField(child=serializers.CharField(), read_only=True)
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )
    finalised_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    judgement = serializers.SerializerMethodField()
    assessors = AssessorSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()
    visibility = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "person",
            "instrument",
            "instrument_version",
            "instrument_name",
            "category",
            "modules",
            "status",
            "author",
            "author_organisation",
            "created_at",
            "assessors",
            "progress",
            "finalised_on",
            "finalised_by",
            "judgement",
            "next_review_on",
            "visibility",
        ]
        read_only_fields = fields

    @extend_schema_field(JudgementSerializer(allow_null=True))
    def get_judgement(self, assessment: Assessment) -> dict[str, str] | None:
        if not assessment.is_finalised:
            return None
        return {"level": assessment.judgement_level, "summary": assessment.judgement_summary}

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, assessment: Assessment) -> dict[str, int]:
        assessors = list(assessment.assessors.all())
        return {"submitted": sum(1 for a in assessors if a.submitted), "assessors": len(assessors)}

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, assessment: Assessment) -> dict[str, str]:
        return assessment.visibility


class AssessmentDetailSerializer(AssessmentSerializer):
    """With the ratings the user may read (API.md: an assessor who has not submitted sees only their
    own), the disagreements among them, the consensus, and the domain summaries of the consensus."""

    ratings_hidden = serializers.SerializerMethodField(
        help_text=_("True while the other assessors' ratings are hidden from you (until you submit).")
    )
    ratings = serializers.SerializerMethodField()
    disagreements = serializers.SerializerMethodField()
    consensus = serializers.SerializerMethodField()
    domain_summaries = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [
            *AssessmentSerializer.Meta.fields,
            "ratings_hidden",
            "ratings",
            "disagreements",
            "consensus",
            "domain_summaries",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["user"]

    def _cache(self, assessment: Assessment) -> dict[str, Any]:
        key = f"_detail_{assessment.pk}"
        if key not in self.context:
            self.context[key] = {
                "ratings": visible_ratings(assessment, self._user()),
                "consensus": consensus_of(assessment),
            }
        return self.context[key]

    @extend_schema_field(serializers.BooleanField())
    def get_ratings_hidden(self, assessment: Assessment) -> bool:
        return ratings_hidden_from(assessment, self._user())

    @extend_schema_field(AssessorRatingSerializer(many=True))
    def get_ratings(self, assessment: Assessment) -> list[dict[str, Any]]:
        return list(AssessorRatingSerializer(self._cache(assessment)["ratings"], many=True).data)

    @extend_schema_field(DisagreementSerializer(many=True))
    def get_disagreements(self, assessment: Assessment) -> list[dict[str, Any]]:
        if ratings_hidden_from(assessment, self._user()):
            return []
        return disagreements(assessment.items(), self._cache(assessment)["ratings"])

    @extend_schema_field(ConsensusRatingSerializer(many=True))
    def get_consensus(self, assessment: Assessment) -> list[dict[str, Any]]:
        return list(ConsensusRatingSerializer(self._cache(assessment)["consensus"], many=True).data)

    @extend_schema_field(DomainSummarySerializer(many=True))
    def get_domain_summaries(self, assessment: Assessment) -> list[dict[str, Any]]:
        agreed = {r.item: r.rating for r in self._cache(assessment)["consensus"]}
        return domain_summaries(assessment.instrument.definition, list(assessment.modules), agreed)


# --- trend ------------------------------------------------------------------------------------------------


class TrendPointSerializer(DomainSummarySerializer):
    assessment = serializers.UUIDField()
    finalised_on = serializers.DateField()
    instrument_version = serializers.CharField()


class TrendDomainSerializer(serializers.Serializer):
    domain = serializers.CharField()
    name = serializers.CharField()
    module = serializers.CharField(allow_null=True)
    series = TrendPointSerializer(many=True)


class TrendInstrumentSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    name = serializers.CharField()
    scale_min = serializers.IntegerField(help_text=_("The lowest rating the instrument's items allow."))
    scale_max = serializers.IntegerField(help_text=_("The highest rating the instrument's items allow."))
    domains = TrendDomainSerializer(many=True)


class TrendSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    instruments = TrendInstrumentSerializer(many=True)


class AssessmentOpenedSerializer(AssessmentDetailSerializer):
    """A new assessment, with warnings that do not stop it (e.g. an assessor lacks a required course)."""

    warnings = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("Warnings, not refusals; empty when none.")
    )

    class Meta(AssessmentDetailSerializer.Meta):
        fields = [*AssessmentDetailSerializer.Meta.fields, "warnings"]
        read_only_fields = fields
