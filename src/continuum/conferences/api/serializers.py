"""Conferences (API.md, "Conferences"): what is read and what is sent."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.accounts.models import User
from continuum.cases.api.serializers import VisibilitySerializer, organisation_field
from continuum.conferences.choices import ConferenceKind, DecisionStatus, PositionChoice, Recurrence
from continuum.conferences.models import (
    Attendance,
    CancelledOccurrence,
    Conference,
    ConferenceAction,
    Decision,
    Minutes,
    Position,
)


class ConferenceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConferenceKind.choices)
    title = serializers.CharField(
        max_length=200, help_text=gettext_lazy("No names or case details: the title goes to calendars.")
    )
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=15, max_value=600, default=60)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, default=Recurrence.NONE)
    chair_organisation = serializers.SlugField()
    cases = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    participants = serializers.ListField(child=serializers.SlugField(), allow_empty=False)
    attendees = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    def validate_attendees(self, value: list[str]) -> list[User]:
        users = list(User.objects.filter(username__in=value, is_active=True).select_related("organisation"))
        if len(users) != len(set(value)):
            raise serializers.ValidationError(_("Unknown user."))
        return users


class ConferenceSerializer(serializers.ModelSerializer):
    """A conference; ``cases`` lists only the agenda cases the reader's organisation is a member of (R12)."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    chair_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    participants: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    cases = serializers.SerializerMethodField()
    next_meetings = serializers.SerializerMethodField()
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "scheduled_at",
            "duration_minutes",
            "location",
            "recurrence",
            "next_meetings",
            "chair_organisation",
            "participants",
            "cases",
            "general_minutes",
            "created_by",
            "created_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_cases(self, conference: Conference) -> list[str]:
        visible = self.context.get("visible_cases", {})
        return [str(pk) for pk in sorted(visible.get(conference.pk, []), key=str)]

    @extend_schema_field(serializers.ListField(child=serializers.DateTimeField()))
    def get_next_meetings(self, conference: Conference) -> list[str]:
        return [m.isoformat() for m in conference.occurrences(count=4)]


class DecisionCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    text = serializers.CharField(max_length=10_000)
    rationale = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    plan = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "The case's current draft plan revision: when the decision is agreed by all, so is the plan."
        ),
    )


class PositionSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    given_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Position
        fields = ["organisation", "position", "comment", "given_by", "given_at"]


class PositionCreateSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=PositionChoice.choices)
    comment = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    organisation = organisation_field(required=False, help_text=gettext_lazy("Your own organisation (the default)."))


class DecisionSerializer(serializers.ModelSerializer):
    """A decision with its positions; ``waiting_for`` and ``status_text`` come from the context."""

    conference: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    plan: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=gettext_lazy("The plan revision this decision agrees, if it is about a plan.")
    )
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_org: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, read_only=True)
    positions = serializers.SerializerMethodField()
    involved = serializers.SerializerMethodField()
    status_text = serializers.SerializerMethodField()
    visibility = VisibilitySerializer(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "conference",
            "case",
            "text",
            "rationale",
            "review_on",
            "plan",
            "status",
            "status_text",
            "positions",
            "involved",
            "agreed_at",
            "author",
            "author_org",
            "created_at",
            "visibility",
        ]

    @extend_schema_field(PositionSerializer(many=True))
    def get_positions(self, decision: Decision) -> list[dict[str, Any]]:
        return PositionSerializer(self.context["positions"].get(decision.pk, []), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_involved(self, decision: Decision) -> list[str]:
        return [o.slug for o in self.context["required"].get(decision.pk, [])]

    def get_status_text(self, decision: Decision) -> str:
        return str(self.context["status_text"].get(decision.pk, ""))


class ActionCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=10_000)
    owner_organisation = organisation_field()
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_on = serializers.DateField()


class ActionSerializer(serializers.ModelSerializer):
    decision: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    completed_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_org: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ConferenceAction
        fields = [
            "id",
            "decision",
            "case",
            "description",
            "owner_organisation",
            "owner",
            "due_on",
            "overdue",
            "completed_at",
            "completed_by",
            "author_org",
            "created_at",
        ]


class AttendanceCreateSerializer(serializers.Serializer):
    present = serializers.BooleanField(required=False, allow_null=True, default=None)
    acknowledge_confidentiality = serializers.BooleanField(default=False)


class AttendanceSerializer(serializers.ModelSerializer):
    user: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organisation = serializers.CharField(source="user.organisation.slug", read_only=True)

    class Meta:
        model = Attendance
        fields = ["user", "organisation", "present", "acknowledged_at"]


class CancelledOccurrenceCreateSerializer(serializers.Serializer):
    occurs_on = serializers.DateField(
        help_text=gettext_lazy("The day of the meeting to cancel (local time), one of the series'.")
    )
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Every participant reads it: practical words, no names or case details."),
    )


class CancelledOccurrenceSerializer(serializers.ModelSerializer):
    cancelled_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CancelledOccurrence
        fields = ["id", "occurs_on", "reason", "cancelled_by", "cancelled_at"]


class MinutesCreateSerializer(serializers.Serializer):
    case = serializers.UUIDField()
    text = serializers.CharField(max_length=10_000)


class MinutesSerializer(serializers.ModelSerializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_org: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Minutes
        fields = ["id", "case", "text", "author", "author_org", "created_at"]


class PackRecordSerializer(serializers.Serializer):
    when = serializers.CharField()
    kind = serializers.CharField()
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label", not Field.label
    text = serializers.CharField(
        allow_blank=True,
        help_text=gettext_lazy(
            "What the record says in its own words (a journal entry's body, a note); empty where the "
            "label says it all. Only ever of a record the reader may read."
        ),
    )
    statement = serializers.CharField(help_text=gettext_lazy("`fact` or `assessment` (a professional opinion)."))
    organisation = serializers.CharField()


class PackCaseSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    person_reference = serializers.CharField()
    phase = serializers.CharField()
    records = PackRecordSerializer(many=True)
    open_decisions = serializers.ListField(child=serializers.DictField())
    open_actions = serializers.ListField(child=serializers.DictField())
    plan = serializers.DictField(
        allow_null=True,
        help_text=gettext_lazy("The current plan as the reader sees it: goals in the person's words, milestones."),
    )
    assessments = serializers.ListField(
        child=serializers.DictField(),
        help_text=gettext_lazy(
            "The latest finalised assessment per instrument the reader may see, with the people's judgement."
        ),
    )


class PackSerializer(serializers.Serializer):
    conference = serializers.UUIDField()
    title = serializers.CharField()
    prepared_for = serializers.CharField()
    organisation = serializers.CharField()
    prepared_at = serializers.DateTimeField()
    since = serializers.DateField()
    confidential = serializers.CharField()
    cases = PackCaseSerializer(many=True)
