"""Serializers of case continuity (issue 4): custody, transfers, sentence, release conditions,
legal status, hand-overs, phase history, gaps and the person's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.accounts.models import User
from continuum.cases.api.serializers import VisibilitySerializer, organisation_field
from continuum.cases.choices import ReleaseConditionType, UnitType
from continuum.cases.models import (
    CustodyEpisode,
    Handover,
    LegalStatusChange,
    PhaseChange,
    ReleaseCondition,
    Sentence,
    Transfer,
)
from continuum.people.choices import LegalStatus
from continuum.sharing.choices import Category

RECORD_FIELDS = ["id", "case", "person", "category", "author", "author_organisation", "created_at", "visibility"]


def _slug(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


def _username(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True, **kwargs)


class RecordSerializer(serializers.ModelSerializer):
    """What every case record shows: its case, author and basis of visibility (read through ``visible_to``)."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    author = _username()
    author_organisation = _slug(source="author_org")
    visibility = serializers.SerializerMethodField()

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, record: Any) -> dict[str, str]:
        return record.visibility


# --- custody and transfers ----------------------------------------------------------------------------


class CustodyEpisodeSerializer(RecordSerializer):
    facility = _slug()

    class Meta:
        model = CustodyEpisode
        fields = [*RECORD_FIELDS, "facility", "unit_type", "started_on", "ended_on"]
        read_only_fields = fields


class CustodyEpisodeCreateSerializer(serializers.Serializer):
    facility = organisation_field(help_text=_("Slug of the prison."))
    unit_type = serializers.ChoiceField(choices=UnitType.choices, default=UnitType.REGULAR)
    started_on = serializers.DateField()


class CustodyEpisodeEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class TransferSerializer(RecordSerializer):
    from_facility = _slug(allow_null=True)
    to_facility = _slug()
    date = serializers.DateField(source="transferred_on", read_only=True)

    class Meta:
        model = Transfer
        fields = [*RECORD_FIELDS, "from_facility", "to_facility", "date", "unit_type", "handover_note"]
        read_only_fields = fields


class TransferCreateSerializer(serializers.Serializer):
    to_facility = organisation_field(
        help_text=_("Slug of the receiving prison (or of the same prison, for a new unit).")
    )
    date = serializers.DateField()
    unit_type = serializers.ChoiceField(choices=UnitType.choices, default=UnitType.REGULAR)
    handover_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000)


# --- sentence, release conditions, legal status ---------------------------------------------------------


class SentenceSerializer(RecordSerializer):
    class Meta:
        model = Sentence
        fields = [*RECORD_FIELDS, "imposed_on", "starts_on", "ends_on", "earliest_release_on"]
        read_only_fields = fields


class SentenceCreateSerializer(serializers.Serializer):
    imposed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    earliest_release_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReleaseConditionSerializer(RecordSerializer):
    type = serializers.ChoiceField(source="condition_type", choices=ReleaseConditionType.choices, read_only=True)

    class Meta:
        model = ReleaseCondition
        fields = [*RECORD_FIELDS, "type", "details", "valid_from", "valid_until"]
        read_only_fields = fields


class ReleaseConditionCreateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ReleaseConditionType.choices)
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class LegalStatusChangeSerializer(RecordSerializer):
    class Meta:
        model = LegalStatusChange
        fields = [*RECORD_FIELDS, "from_status", "to_status", "changed_on", "note"]
        read_only_fields = fields


class LegalStatusChangeCreateSerializer(serializers.Serializer):
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices)
    changed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


# --- hand-overs -----------------------------------------------------------------------------------------


class HandoverSerializer(RecordSerializer):
    organisation = _slug()
    from_user = _username(allow_null=True)
    to_user = _username()

    class Meta:
        model = Handover
        fields = [*RECORD_FIELDS, "organisation", "from_user", "to_user", "note", "acknowledged_at"]
        read_only_fields = fields


class HandoverCreateSerializer(serializers.Serializer):
    to_user: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.all(),
        help_text=_("Username of the colleague (same organisation) who takes the case over."),
    )
    note = serializers.CharField(max_length=8000)
    category = serializers.ChoiceField(
        choices=Category.choices,
        default=Category.PLAN,
        help_text=_("The category of the note, one the organisation may write; it decides who else reads it."),
    )


# --- case history -------------------------------------------------------------------------------------


class PhaseChangeSerializer(serializers.ModelSerializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    changed_by = _username(allow_null=True)
    changed_organisation = _slug(source="changed_org", allow_null=True)

    class Meta:
        model = PhaseChange
        fields = ["id", "case", "from_phase", "to_phase", "changed_at", "changed_by", "changed_organisation", "note"]
        read_only_fields = fields


class GapSerializer(serializers.Serializer):
    case = serializers.UUIDField(source="case.pk")
    kind = serializers.CharField()
    message = serializers.CharField()
    organisation = serializers.CharField(source="organisation.slug", allow_null=True, default=None)


class TimelineEventSerializer(serializers.Serializer):
    when = serializers.SerializerMethodField(help_text=_("A date, or a date and time."))
    kind = serializers.CharField(help_text=_("The record type (entry, transfer, …) or a case event."))
    kind_label = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    case = serializers.UUIDField(source="case_id", allow_null=True)
    case_number = serializers.CharField()
    organisation = serializers.CharField(source="organisation.slug", allow_null=True, default=None)
    category = serializers.CharField(allow_blank=True)
    record = serializers.UUIDField(source="record.pk", allow_null=True, default=None)
    visibility = serializers.SerializerMethodField()

    def get_when(self, event: Any) -> str:
        # In the configured time zone, as the bare dates beside it are: near midnight a UTC time
        # would fall on another day than the events sorted around it.
        when = event.when
        return (timezone.localtime(when) if isinstance(when, datetime) else when).isoformat()

    @extend_schema_field(VisibilitySerializer(allow_null=True))
    def get_visibility(self, event: Any) -> dict[str, str] | None:
        return event.record.visibility if event.record is not None else None
