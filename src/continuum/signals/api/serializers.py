from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.cases.api.serializers import VisibilitySerializer
from continuum.cases.choices import Phase
from continuum.people.choices import Gender
from continuum.people.matching import Breakdown, Candidate
from continuum.people.models import Person
from continuum.signals.choices import Decision, ExtremismType, OffenceType, Setting, SignalStatus
from continuum.signals.importing import MAX_BYTES
from continuum.signals.models import Signal, SignalNote

# One message for a person that does not exist, is not visible, or is not even an id (R12).
UNKNOWN_PERSON: dict[str, Any] = {"does_not_exist": _("Unknown person."), "incorrect_type": _("Unknown person.")}


class SubjectSerializer(serializers.Serializer):
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    nationality = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class SignalCreateSerializer(serializers.Serializer):
    """``subject`` (the details the reporter knows) or ``person`` (a person the reporter may see)."""

    subject = SubjectSerializer(required=False)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), required=False, error_messages=UNKNOWN_PERSON
    )
    description = serializers.CharField(max_length=10_000)
    extremism_type = serializers.ChoiceField(choices=ExtremismType.choices)
    offence_type = serializers.ChoiceField(choices=OffenceType.choices)
    setting = serializers.ChoiceField(choices=Setting.choices, default=Setting.OTHER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A person the reporter may not see is answered like one that does not exist (R12).
        request = self.context.get("request")
        person_field = cast(serializers.PrimaryKeyRelatedField, self.fields["person"])
        person_field.queryset = Person.objects.visible_to(request.user if request else None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("subject" in attrs) == ("person" in attrs):
            raise serializers.ValidationError(
                {"subject": [gettext("Give either subject details or a person, not both.")]}
            )
        return attrs


class RoundedFloatField(serializers.FloatField):
    """A float to one decimal (a similarity of 94.7 %, not 94.73684210526316)."""

    def to_representation(self, value: Any) -> Any:
        return round(float(value), 1)


class NameComparisonSerializer(serializers.Serializer):
    reported = serializers.CharField(help_text="The name as the signal gives it.")
    known = serializers.CharField(help_text="The person's name (or alias) it was compared with.")
    similarity = RoundedFloatField(help_text="0-100.")
    form = serializers.CharField(
        help_text="Where the names came closest: plain (letters only), key (spelling variants folded) or "
        "skeleton (consonants only)."
    )
    without_particle = serializers.BooleanField(help_text="A leading particle (al, ben, van, …) was left out.")


class ScorePartSerializer(serializers.Serializer):
    part = serializers.CharField(help_text="Name, Date of birth or Nationality.")
    explanation = serializers.CharField(help_text="In plain language.")
    points = RoundedFloatField()


class BreakdownSerializer(serializers.Serializer):
    """The parts of a duplicate score, as the scorer computed them (``people.matching.explain``)."""

    reading = serializers.CharField(help_text="How the names were read: pairwise, crosswise, whole or alias.")
    name_similarity = RoundedFloatField(help_text="0-100, after the reading's weight.")
    name_points = RoundedFloatField(help_text="80 % of the name similarity.")
    names = NameComparisonSerializer(many=True)
    birth_date = serializers.CharField(help_text="same, near, same_year, unknown or different.")
    birth_date_points = serializers.IntegerField()
    nationality = serializers.CharField(help_text="same, unknown or different.")
    nationality_points = serializers.IntegerField()
    capped = serializers.BooleanField(help_text="The parts add up to more than 100 or less than 0.")
    parts = serializers.SerializerMethodField()

    @extend_schema_field(ScorePartSerializer(many=True))
    def get_parts(self, breakdown: Breakdown) -> list[dict[str, Any]]:
        return [
            {"part": what, "explanation": how, "points": round(points, 1)} for what, how, points in breakdown.parts()
        ]


class OpenCaseSerializer(serializers.Serializer):
    """A candidate's open case, given only when the caller's organisation is a member of it (R1)."""

    id = serializers.UUIDField()
    number = serializers.CharField()
    phase = serializers.ChoiceField(choices=Phase.choices)
    lead_organisation = serializers.CharField(
        source="lead_organisation.slug", help_text="The lead organisation's slug."
    )


class CandidateSerializer(serializers.Serializer):
    """A likely duplicate: a person the caller may see, with a similarity score from 0 to 100, the
    parts of that score, and the person's open case when the caller may see it (else null)."""

    person = serializers.UUIDField(source="person.pk")
    score = serializers.IntegerField(min_value=0, max_value=100)
    reference = serializers.CharField(source="person.reference")
    given_name = serializers.CharField(source="person.given_name")
    family_name = serializers.CharField(source="person.family_name")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    breakdown = BreakdownSerializer(allow_null=True)
    open_case = serializers.SerializerMethodField()

    @extend_schema_field(OpenCaseSerializer(allow_null=True))
    def get_open_case(self, candidate: Candidate) -> dict[str, Any] | None:
        case = self.context.get("open_cases", {}).get(candidate.person.pk)
        return cast(dict[str, Any], OpenCaseSerializer(case).data) if case is not None else None


class SignalSerializer(serializers.ModelSerializer):
    """A signal as its reporter (or a member of its case) sees it.

    ``person`` and ``case`` are given only when the caller may see them, and ``duplicate_candidates``
    lists only persons the caller may see (R12); the view passes both in the context.
    """

    reference = serializers.CharField(read_only=True)
    # A monitored signal back in the queue stays "monitoring" for anyone but the central point.
    status = serializers.ChoiceField(choices=SignalStatus.choices, source="outside_status", read_only=True)
    person = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    duplicate_candidates = serializers.SerializerMethodField()
    reporting_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )
    reporter: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author", slug_field="username", read_only=True
    )
    subject = serializers.SerializerMethodField()
    visibility = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = [
            "id",
            "reference",
            "status",
            "person",
            "duplicate_candidates",
            "case",
            "reporting_organisation",
            "reporter",
            "subject",
            "description",
            "extremism_type",
            "offence_type",
            "setting",
            "channel",
            "created_at",
            "visibility",
        ]
        read_only_fields = fields

    def _shows(self, kind: str, value: Any) -> bool:
        return value is not None and (self.context.get("triage", False) or value in self.context.get(kind, set()))

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_person(self, signal: Signal) -> str | None:
        return str(signal.person_id) if self._shows("persons", signal.person_id) else None

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_case(self, signal: Signal) -> str | None:
        return str(signal.case_id) if self._shows("cases", signal.case_id) else None

    @extend_schema_field(CandidateSerializer(many=True))
    def get_duplicate_candidates(self, signal: Signal) -> list[dict[str, Any]]:
        candidates: list[Candidate] = self.context.get("candidates", {}).get(signal.pk, [])
        return cast(list[dict[str, Any]], CandidateSerializer(candidates, many=True, context=self.context).data)

    @extend_schema_field(SubjectSerializer)
    def get_subject(self, signal: Signal) -> dict[str, Any]:
        return {
            "given_name": signal.subject_given_name,
            "family_name": signal.subject_family_name,
            "birth_date": signal.subject_birth_date.isoformat() if signal.subject_birth_date else None,
            "gender": signal.subject_gender,
            "nationality": signal.subject_nationality,
        }

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, signal: Signal) -> dict[str, str]:
        return signal.visibility


class TriageSignalSerializer(SignalSerializer):
    """A signal as the central point sees it: with its triage (decision, rationale, review date)."""

    status = serializers.ChoiceField(choices=SignalStatus.choices, read_only=True)
    triaged_by = serializers.SerializerMethodField()

    class Meta(SignalSerializer.Meta):
        fields = [
            *SignalSerializer.Meta.fields,
            "decision",
            "rationale",
            "review_date",
            "triaged_by",
            "triaged_at",
            "queue_note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_triaged_by(self, signal: Signal) -> str | None:
        """The analyst's username, ``"system"`` for an automatic inclusion, null before triage."""
        if signal.triaged_at is None:
            return None
        return signal.triaged_by.username if signal.triaged_by else "system"


class TriageSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    rationale = serializers.CharField(max_length=5_000)
    review_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Required for monitor: a future date."
    )


class MatchSerializer(serializers.Serializer):
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), error_messages=UNKNOWN_PERSON
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        person_field = cast(serializers.PrimaryKeyRelatedField, self.fields["person"])
        person_field.queryset = Person.objects.visible_to(request.user if request else None)


class SignalNoteSerializer(serializers.ModelSerializer):
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )

    class Meta:
        model = SignalNote
        fields = ["id", "signal", "text", "author", "author_organisation", "created_at"]
        read_only_fields = ["id", "signal", "author", "author_organisation", "created_at"]


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV file with a header row (see the signals import page).")

    def validate_file(self, upload: Any) -> Any:
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(
                gettext("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    signals = serializers.ListField(child=serializers.UUIDField())


class ImportFailureSerializer(serializers.Serializer):
    """A refused import: the file's errors (``detail`` and ``errors``), or a request refused before the
    file is read, with the field errors (``{"file": ["message"]}``) as every 400 of the API."""

    detail = serializers.CharField(required=False)
    errors = ImportErrorSerializer(many=True, required=False)  # type: ignore[assignment]  # named like Serializer.errors
