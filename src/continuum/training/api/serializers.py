"""Staff training (API.md, "Training"): what the endpoints take and answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from continuum.accounts.choices import OrgType, Role
from continuum.people.choices import Gender
from continuum.training.choices import Topic
from continuum.training.models import Completion, Course, Requirement


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["code", "name", "topic", "validity_months", "instrument"]
        read_only_fields = fields


class CourseCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    topic = serializers.ChoiceField(choices=Topic.choices)
    validity_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True, help_text=_("Empty: never expires.")
    )
    instrument = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text=_("For a certification: the instrument's code.")
    )


class CompletionCreateSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text=_("The username of who completed the course."))
    completed_on = serializers.DateField()


class CompletionSerializer(serializers.ModelSerializer):
    course: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    user: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    recorded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Completion
        fields = ["id", "course", "user", "completed_on", "valid_until", "recorded_by", "recorded_at"]
        read_only_fields = fields


class TrainingRecordSerializer(serializers.Serializer):
    """One completion in a user's training record."""

    course = serializers.CharField(help_text=_("The course's code."))
    course_name = serializers.CharField()
    completed_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True, help_text=_("Empty: never expires."))
    expired = serializers.BooleanField()


class RequirementCreateSerializer(serializers.Serializer):
    course = serializers.CharField(max_length=64, help_text=_("The course's code."))
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)
    org_type = serializers.ChoiceField(choices=OrgType.choices, required=False, allow_blank=True)
    instrument = serializers.CharField(max_length=40, required=False, allow_blank=True)
    case_gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)


class RequirementSerializer(serializers.ModelSerializer):
    course: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Requirement
        fields = ["id", "course", "role", "org_type", "instrument", "case_gender"]
        read_only_fields = fields


class TrainingGapSerializer(serializers.Serializer):
    user = serializers.CharField(help_text=_("The username."))
    course = serializers.CharField(help_text=_("The course's code."))
    reason = serializers.CharField()


class CourseSessionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    trainers = serializers.ListField(
        child=serializers.CharField(max_length=150), allow_empty=False, help_text=_("The trainers' usernames.")
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SessionAttendanceSerializer(serializers.Serializer):
    user = serializers.CharField(help_text=_("The username."))
    attended = serializers.BooleanField()


class CourseSessionSerializer(serializers.Serializer):
    """A session of a course; ``attendance`` lists only the users whose training the caller reads."""

    id = serializers.UUIDField()
    course = serializers.CharField(help_text=_("The course's code."))
    held_on = serializers.DateField()
    place = serializers.CharField()
    trainers = serializers.ListField(child=serializers.CharField(), help_text=_("The trainers' usernames."))
    attendance = SessionAttendanceSerializer(many=True)


class CourseAttendanceCreateSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text=_("The username of who attended (or did not)."))
    attended = serializers.BooleanField()


class CourseAttendanceSerializer(serializers.Serializer):
    session = serializers.UUIDField()
    user = serializers.CharField()
    attended = serializers.BooleanField()
    completion = serializers.UUIDField(
        allow_null=True, help_text=_("The completion this attendance recorded; empty when not attended.")
    )


class UserGapSerializer(serializers.Serializer):
    course = serializers.CharField(help_text=_("The course's code."))
    course_name = serializers.CharField()
    reason = serializers.CharField()
    expired_on = serializers.DateField(allow_null=True, help_text=_("Empty: never completed."))


class OrganisationGapsSerializer(serializers.Serializer):
    user = serializers.CharField(help_text=_("The username."))
    role = serializers.CharField()
    gaps = UserGapSerializer(many=True)
