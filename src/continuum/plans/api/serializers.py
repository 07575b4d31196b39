"""Plans and interventions (API.md, "Plans and interventions"): what goes in and what comes out."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.accounts.models import User
from continuum.cases.api.serializers import VisibilitySerializer, organisation_field
from continuum.cases.models import Case
from continuum.plans.choices import (
    AgreementPosition,
    FocusArea,
    InterventionStatus,
    InterventionType,
    ParentingApproach,
    PlanStatus,
    SessionKind,
)
from continuum.plans.models import (
    Goal,
    GroupProgramme,
    GroupSession,
    Intervention,
    InterventionSession,
    Milestone,
    Plan,
)
from continuum.sharing.choices import Category


class _RecordSerializer(serializers.ModelSerializer):
    """What every case record shows: its author, organisation, withholding and basis of visibility."""

    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )
    withhold_from = serializers.ListField(source="withheld_from", child=serializers.CharField(), read_only=True)
    visibility = serializers.SerializerMethodField()

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, obj: Any) -> dict[str, str]:
        return obj.visibility


RECORD_FIELDS = ["author", "author_organisation", "created_at", "withhold_from", "visibility"]


class MilestoneSerializer(_RecordSerializer):
    goal: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    assigned_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    achieved = serializers.BooleanField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "goal",
            "description",
            "target_on",
            "achieved",
            "achieved_on",
            "note",
            "overdue",
            "assigned_organisation",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields

    def get_overdue(self, milestone: Milestone) -> bool:
        return milestone.is_overdue()


class GoalSerializer(_RecordSerializer):
    """A goal with the milestones the viewer may see (``shown_milestones``, from ``access.plan_contents``)."""

    plan: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    focus_area_label = serializers.CharField(source="get_focus_area_display", read_only=True)
    owner_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "focus_area",
            "focus_area_label",
            "description",
            "persons_own_words",
            "owner_organisation",
            "version",
            "milestones",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, goal: Goal) -> list[dict[str, Any]]:
        return MilestoneSerializer(getattr(goal, "shown_milestones", []), many=True).data  # type: ignore[return-value]


class PersonsAgreementSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=AgreementPosition.choices)
    persons_words = serializers.CharField()
    reason = serializers.CharField()
    recorded_by = serializers.CharField(allow_null=True)
    recorded_on = serializers.DateField()


class PlanProgressSerializer(serializers.Serializer):
    milestones = serializers.IntegerField()
    achieved = serializers.IntegerField()
    overdue = serializers.IntegerField()
    sentence = serializers.CharField()


class PlanSummarySerializer(_RecordSerializer):
    """A plan revision without its goals (the history list)."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "case",
            "revision",
            "version",
            "status",
            "summary",
            "agreed_at",
            "agreed_through_decision",
            "superseded_at",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields


class PlanSerializer(PlanSummarySerializer):
    """A plan with the goals and milestones the viewer may see, the person's agreement and progress.

    Expects ``context["contents"]``: the ``access.PlanContents`` of this plan for the viewer.
    """

    goals = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta(PlanSummarySerializer.Meta):
        fields = [*PlanSummarySerializer.Meta.fields, "goals", "agreement", "progress"]
        read_only_fields = fields

    @extend_schema_field(GoalSerializer(many=True))
    def get_goals(self, plan: Plan) -> list[dict[str, Any]]:
        return GoalSerializer(self.context["contents"].goals, many=True).data  # type: ignore[return-value]

    @extend_schema_field(PersonsAgreementSerializer(allow_null=True))
    def get_agreement(self, plan: Plan) -> dict[str, Any] | None:
        if not plan.agreement_position:
            return None
        recorder = plan.agreement_recorded_by
        return {
            "position": plan.agreement_position,
            "persons_words": plan.agreement_persons_words,
            "reason": plan.agreement_reason,
            "recorded_by": recorder.username if recorder else None,
            "recorded_on": plan.agreement_recorded_on.isoformat() if plan.agreement_recorded_on else None,
        }

    @extend_schema_field(PlanProgressSerializer)
    def get_progress(self, plan: Plan) -> dict[str, Any]:
        progress = self.context["contents"].progress
        return {
            "milestones": progress.total,
            "achieved": progress.achieved,
            "overdue": progress.overdue,
            "sentence": progress.sentence(),
        }


class PlanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Required: the version you read (a stale one is refused with 409).")
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class PlanRevisionSerializer(serializers.Serializer):
    summary = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text=gettext_lazy("Only for the first plan of a case.")
    )


class GoalCreateSerializer(serializers.Serializer):
    focus_area = serializers.ChoiceField(choices=FocusArea.choices)
    description = serializers.CharField(max_length=5000)
    persons_own_words = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    owner_organisation = organisation_field()
    withhold_from = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30)


class GoalUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Required: the version you read (a stale one is refused with 409).")
    )
    focus_area = serializers.ChoiceField(choices=FocusArea.choices, required=False)
    description = serializers.CharField(max_length=5000, required=False)
    persons_own_words = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    owner_organisation = organisation_field(required=False)


class MilestoneCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=1000)
    target_on = serializers.DateField()
    assigned_organisation = organisation_field(required=False, allow_null=True)


class MilestoneAchieveSerializer(serializers.Serializer):
    achieved_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AgreementInSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=AgreementPosition.choices)
    persons_words = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    recorded_on = serializers.DateField(required=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=gettext_lazy("The plan's version you read.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["position"] == AgreementPosition.COULD_NOT_ANSWER and not (attrs.get("reason") or "").strip():
            raise serializers.ValidationError({"reason": [_("Say why the person could not answer.")]})
        return attrs


class SessionSerializer(serializers.ModelSerializer):
    recorded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = serializers.ChoiceField(
        choices=SessionKind.choices,
        read_only=True,
        help_text=gettext_lazy("A session, a group session (group_session names it) or an individual interview."),
    )
    group_session: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    topic = serializers.CharField(
        source="group_session.topic", read_only=True, allow_null=True, default=None, help_text="Group sessions only."
    )

    class Meta:
        model = InterventionSession
        fields = [
            "id",
            "held_on",
            "kind",
            "group_session",
            "topic",
            "attended",
            "note",
            "video_feedback",
            "assignment",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class InterventionSerializer(_RecordSerializer):
    """An intervention with its attendance (annotated by ``access.interventions_visible_to``)."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    type = serializers.ChoiceField(choices=InterventionType.choices, read_only=True)
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    status = serializers.ChoiceField(choices=InterventionStatus.choices, read_only=True)
    approach = serializers.ChoiceField(
        choices=ParentingApproach.choices,
        allow_blank=True,
        read_only=True,
        help_text=gettext_lazy("Parenting support only: how it works; blank otherwise."),
    )
    provider_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    practitioner: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    sessions_held = serializers.IntegerField(read_only=True)
    sessions_attended = serializers.IntegerField(read_only=True)
    last_session_on = serializers.DateField(read_only=True, allow_null=True)
    group: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=gettext_lazy("The group programme this is a place in, if any.")
    )

    class Meta:
        model = Intervention
        fields = [
            "id",
            "case",
            "type",
            "type_label",
            "category",
            "provider_organisation",
            "practitioner",
            "voluntary",
            "starts_on",
            "ends_on",
            "frequency",
            "approach",
            "group",
            "status",
            "outcome_note",
            "sessions_held",
            "sessions_attended",
            "last_session_on",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields


class InterventionDetailSerializer(InterventionSerializer):
    sessions = serializers.SerializerMethodField()

    class Meta(InterventionSerializer.Meta):
        fields = [*InterventionSerializer.Meta.fields, "sessions"]
        read_only_fields = fields

    @extend_schema_field(SessionSerializer(many=True))
    def get_sessions(self, intervention: Intervention) -> list[dict[str, Any]]:
        return SessionSerializer(self.context["sessions"], many=True).data  # type: ignore[return-value]


class InterventionCreateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=InterventionType.choices)
    provider_organisation = organisation_field()
    practitioner: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )
    voluntary = serializers.BooleanField(help_text=gettext_lazy("true: voluntary; false: mandated."))
    starts_on = serializers.DateField()
    frequency = serializers.CharField(required=False, allow_blank=True, max_length=100)
    category = serializers.ChoiceField(
        choices=Category.choices,
        required=False,
        help_text=gettext_lazy("Only for type 'other': the category to file it under."),
    )
    approach = serializers.ChoiceField(
        choices=ParentingApproach.choices,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Only for type 'parenting_support': how the support works."),
    )
    withhold_from = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30)


class SessionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attended = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    video_feedback = serializers.BooleanField(
        required=False,
        help_text=gettext_lazy(
            "Parenting support only: video feedback on how the child reacted to the parent was discussed."
        ),
    )
    assignment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=gettext_lazy("Parenting support only: the assignment agreed for before the next session."),
    )


class InterventionEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField()
    outcome_note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# --- group programmes (issue 16) --------------------------------------------------------------------


class GroupProgrammeSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=InterventionType.choices, read_only=True)
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    provider_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    facilitator_organisations: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GroupProgramme
        fields = [
            "id",
            "title",
            "type",
            "type_label",
            "category",
            "description",
            "provider_organisation",
            "facilitator_organisations",
            "voluntary",
            "starts_on",
            "ends_on",
            "frequency",
            "place",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class GroupSessionSerializer(serializers.ModelSerializer):
    programme: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    facilitators: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True
    )
    recorded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "programme",
            "held_on",
            "topic",
            "external_experts",
            "facilitators",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class GroupParticipantSerializer(serializers.ModelSerializer):
    """A participant the user may see: the intervention on the participant's own case."""

    intervention = serializers.UUIDField(source="pk", read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    status = serializers.ChoiceField(choices=InterventionStatus.choices, read_only=True)
    sessions_held = serializers.IntegerField(read_only=True)
    sessions_attended = serializers.IntegerField(read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "intervention",
            "case",
            "person",
            "person_name",
            "starts_on",
            "ends_on",
            "status",
            "sessions_held",
            "sessions_attended",
        ]
        read_only_fields = fields


class GroupProgrammeDetailSerializer(GroupProgrammeSerializer):
    participants = serializers.SerializerMethodField(
        help_text=gettext_lazy("Only the participants the user may see, each on their own case (R12).")
    )
    sessions = serializers.SerializerMethodField()

    class Meta(GroupProgrammeSerializer.Meta):
        fields = [*GroupProgrammeSerializer.Meta.fields, "participants", "sessions"]
        read_only_fields = fields

    @extend_schema_field(GroupParticipantSerializer(many=True))
    def get_participants(self, obj: GroupProgramme) -> Any:
        return GroupParticipantSerializer(self.context["participants"], many=True).data

    @extend_schema_field(GroupSessionSerializer(many=True))
    def get_sessions(self, obj: GroupProgramme) -> Any:
        return GroupSessionSerializer(self.context["sessions"], many=True).data


class GroupAttendanceSerializer(serializers.ModelSerializer):
    participant = serializers.UUIDField(source="intervention_id", read_only=True)
    recorded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = InterventionSession
        fields = ["id", "participant", "attended", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class GroupSessionDetailSerializer(GroupSessionSerializer):
    attendance = serializers.SerializerMethodField(
        help_text=gettext_lazy("The attendance of the participants the user may see, and the notes about them.")
    )

    class Meta(GroupSessionSerializer.Meta):
        fields = [*GroupSessionSerializer.Meta.fields, "attendance"]
        read_only_fields = fields

    @extend_schema_field(GroupAttendanceSerializer(many=True))
    def get_attendance(self, obj: GroupSession) -> Any:
        return GroupAttendanceSerializer(self.context["attendance"], many=True).data


class GroupProgrammeCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=InterventionType.choices)
    category = serializers.ChoiceField(
        choices=Category.choices,
        required=False,
        help_text=gettext_lazy("Only for type 'other': the category to file the participations under."),
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    facilitator_organisations = organisation_field(many=True, required=False)
    voluntary = serializers.BooleanField(help_text=gettext_lazy("true: voluntary; false: mandated."))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    frequency = serializers.CharField(required=False, allow_blank=True, max_length=100)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)


class GroupParticipantAddSerializer(serializers.Serializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), pk_field=serializers.UUIDField()
    )
    starts_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        cast(Any, self.fields["case"]).queryset = Case.objects.visible_to(request.user if request else None)


class GroupSessionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    external_experts = serializers.CharField(required=False, allow_blank=True, max_length=300)
    facilitators: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), many=True, required=False
    )


class GroupAttendanceEntrySerializer(serializers.Serializer):
    participant = serializers.UUIDField(help_text=gettext_lazy("The participant's intervention id."))
    attended = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class GroupAttendanceCreateSerializer(serializers.Serializer):
    attendance = serializers.ListField(child=GroupAttendanceEntrySerializer(), max_length=100, allow_empty=False)
