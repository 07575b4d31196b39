"""Mentoring (API.md, "Mentoring"): what the endpoints take and answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from continuum.mentoring.choices import MentorExperience, MentorType
from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile, Supervision
from continuum.people.choices import Gender


class MentorProfileSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="user.organisation.slug", read_only=True)
    # A plain string: its values (low, medium, high) are those of another choice set, whose enum name
    # the schema would give it.
    max_risk_level = serializers.CharField(
        read_only=True,
        help_text="The highest risk level this type of mentor may take: low, medium or high.",
    )

    class Meta:
        model = MentorProfile
        fields = [
            "id",
            "user",
            "name",
            "organisation",
            "type",
            "languages",
            "gender",
            "experience",
            "capacity",
            "max_risk_level",
            "vetting",
            "vetted_on",
            "disengagement_reviewed_on",
            "is_active",
            "version",
        ]
        read_only_fields = fields

    def get_name(self, obj: Any) -> str:
        return str(obj.user.get_full_name() or obj.user.username)


class MentorProfileCreateSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150)
    type = serializers.ChoiceField(choices=MentorType.choices)
    languages = serializers.ListField(child=serializers.CharField(max_length=16), required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    experience = serializers.ListField(child=serializers.ChoiceField(choices=MentorExperience.choices), required=False)
    capacity = serializers.IntegerField(min_value=0, max_value=50, required=False)
    vetted_on = serializers.DateField(required=False, allow_null=True)
    disengagement_reviewed_on = serializers.DateField(required=False, allow_null=True)
    disengagement_note = serializers.CharField(required=False, allow_blank=True)


class MentorSupervisionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    supervisor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class MentorSupervisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supervision
        fields = ["id", "held_on", "supervisor", "note"]
        read_only_fields = fields


class MentorSuggestionSerializer(serializers.Serializer):
    mentor = serializers.UUIDField()
    name = serializers.CharField()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class MentorMatchCreateSerializer(serializers.Serializer):
    mentor = serializers.UUIDField()
    mentee_consent_on = serializers.DateField(required=False, allow_null=True)
    mentor_consent_on = serializers.DateField(required=False, allow_null=True)


class MentoringSessionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = MentoringSession
        fields = ["id", "held_on", "note", "author", "created_at"]
        read_only_fields = fields


class MentoringSerializer(serializers.ModelSerializer):
    mentor = serializers.UUIDField(source="mentor_id", read_only=True)
    mentor_user = serializers.CharField(source="mentor.user.username", read_only=True)
    case = serializers.UUIDField(source="case_id", read_only=True)

    class Meta:
        model = Mentoring
        fields = [
            "id",
            "case",
            "mentor",
            "mentor_user",
            "mentee_consent_on",
            "mentor_consent_on",
            "started_on",
            "ended_on",
            "end_reason",
        ]
        read_only_fields = fields


class MentoringDetailSerializer(MentoringSerializer):
    sessions = serializers.SerializerMethodField()

    class Meta(MentoringSerializer.Meta):
        fields = [*MentoringSerializer.Meta.fields, "sessions"]
        read_only_fields = fields

    def get_sessions(self, obj: Any) -> list[dict[str, Any]]:
        sessions = self.context.get("sessions", [])
        return list(MentoringSessionSerializer(sessions, many=True).data)


class MentorSessionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


class MentorEndSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)
