"""Families and children (API.md, "Families and children"): what goes in and what comes out.

Every case record is answered with its author, organisation, category and ``visibility`` (the basis
on which the user sees it). Two answers are deliberately narrower: a visit-schedule slot shows only
when and how (``scheduled_for``, ``form``, ``setting``), and a family day, an event of a prison and
no one's information, has no visibility of its own.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.cases.api.serializers import VisibilitySerializer, organisation_field
from continuum.cases.models import Case
from continuum.families.choices import (
    ContactForm,
    Influence,
    OfferResponse,
    PlacementKind,
    RelationKind,
    Urgency,
    VisitSetting,
)
from continuum.families.models import (
    BestInterestAssessment,
    ChildProfile,
    Clearing,
    ContactOrder,
    CounsellingSession,
    FamilyDay,
    FamilyDayParticipant,
    FamilyFile,
    HelpPlan,
    Placement,
    Refusal,
    Relationship,
    ReOffer,
    Visit,
)
from continuum.people.choices import Gender
from continuum.people.models import Person

VERSION_HELP = gettext_lazy("Required: the version you read (a stale one is refused with 409).")


def _visible_persons(serializer: serializers.Serializer, name: str) -> None:
    """A person the user may not see is answered like one that does not exist (R12): a 400 on the field."""
    request = serializer.context.get("request")
    field = serializer.fields[name]
    target = cast(Any, field.child_relation if isinstance(field, serializers.ManyRelatedField) else field)
    target.queryset = Person.objects.visible_to(request.user if request else None)


def _visible_cases(serializer: serializers.Serializer, name: str) -> None:
    request = serializer.context.get("request")
    cast(Any, serializer.fields[name]).queryset = Case.objects.visible_to(request.user if request else None)


class MomentField(serializers.DateTimeField):
    """A date and time; one that cannot be put in the time zone (e.g. in year 1) is a 400, not a 500."""

    default_error_messages = {"out_of_range": gettext_lazy("Give a real date and time.")}

    def enforce_timezone(self, value: Any) -> Any:
        try:
            return super().enforce_timezone(value)
        except (OverflowError, ValueError):
            self.fail("out_of_range")


class _RecordSerializer(serializers.ModelSerializer):
    """What every case record shows: its author, organisation, category and basis of visibility."""

    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )
    visibility = serializers.SerializerMethodField()

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, obj: Any) -> dict[str, str]:
        return obj.visibility


RECORD_FIELDS = ["category", "author", "author_organisation", "created_at", "visibility"]


class NewPersonSerializer(serializers.Serializer):
    """A relative, child or client not yet known to Continuum."""

    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    birth_date = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)


# --- relationships -----------------------------------------------------------------------------------


class RelativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "reference", "given_name", "family_name", "birth_date"]
        read_only_fields = fields


class RelationshipSerializer(_RecordSerializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    relative = RelativeSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "case",
            "person",
            "relative",
            "kind",
            "kind_label",
            "influence",
            "note",
            "ended_on",
            "version",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"ended_on": {"allow_null": True}}


class RelationshipCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    influence = serializers.ChoiceField(choices=Influence.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    relative: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),
        pk_field=serializers.UUIDField(),
        required=False,
        help_text=gettext_lazy("An existing person (an id); or give new_relative."),
    )
    new_relative = NewPersonSerializer(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _visible_persons(self, "relative")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("relative" in attrs) == ("new_relative" in attrs):
            raise serializers.ValidationError(
                {"relative": gettext_lazy("Name an existing person or give the new person's details.")}
            )
        return attrs


class RelationshipUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    influence = serializers.ChoiceField(choices=Influence.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    ended_on = serializers.DateField(required=False, allow_null=True)


# --- children ------------------------------------------------------------------------------------------


class ChildSerializer(_RecordSerializer):
    """A child of the case's person: the child (``id`` is the child's person id) and the relationship
    that links it to the case (whose visibility it carries)."""

    id = serializers.UUIDField(source="relative.id", read_only=True)
    reference = serializers.CharField(source="relative.reference", read_only=True)
    given_name = serializers.CharField(source="relative.given_name", read_only=True)
    family_name = serializers.CharField(source="relative.family_name", read_only=True)
    birth_date = serializers.DateField(source="relative.birth_date", read_only=True, allow_null=True)
    gender = serializers.ChoiceField(source="relative.gender", choices=Gender.choices, read_only=True)
    subject_category = serializers.CharField(source="relative.subject_category", read_only=True)
    relationship = serializers.UUIDField(source="pk", read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "reference",
            "given_name",
            "family_name",
            "birth_date",
            "gender",
            "subject_category",
            "relationship",
            "case",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields


class ChildCreateSerializer(serializers.Serializer):
    """A new child of the case's person, or (``child``) a child already known, e.g. on the other parent's case."""

    child: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),
        pk_field=serializers.UUIDField(),
        required=False,
        help_text=gettext_lazy("A child already recorded (a person id), to link to this case as well."),
    )
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _visible_persons(self, "child")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "child" in attrs:
            extra = sorted(set(attrs) - {"child"})
            if extra:
                raise serializers.ValidationError(
                    dict.fromkeys(extra, gettext_lazy("Give either an existing child or a new child's details."))
                )
            return attrs
        missing = {f: gettext_lazy("This field is required.") for f in ("given_name", "family_name") if f not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class PlacementSerializer(_RecordSerializer):
    child: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="person", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "child", "kind", "kind_label", "starts_on", "ends_on", "carer", "note", *RECORD_FIELDS]
        read_only_fields = fields
        extra_kwargs = {"ends_on": {"allow_null": True}}


class PlacementCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlacementKind.choices)
    starts_on = serializers.DateField()
    carer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ChildProfileSerializer(_RecordSerializer):
    child: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="person", read_only=True)

    class Meta:
        model = ChildProfile
        fields = ["id", "child", "guardian", "school", "health", "documents_from_abroad", "version", *RECORD_FIELDS]
        read_only_fields = fields


class ChildProfileUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, help_text=gettext_lazy("The version you read; 0 while the child has no details yet.")
    )
    guardian = serializers.CharField(required=False, allow_blank=True, max_length=200)
    school = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    health = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    documents_from_abroad = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class BestInterestSerializer(_RecordSerializer):
    child: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="person", read_only=True)

    class Meta:
        model = BestInterestAssessment
        fields = ["id", "child", "assessed_on", "judgement", "next_review_on", *RECORD_FIELDS]
        read_only_fields = fields
        extra_kwargs = {"next_review_on": {"allow_null": True}}


class BestInterestCreateSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    judgement = serializers.CharField(max_length=10000)
    next_review_on = serializers.DateField(required=False, allow_null=True)


# --- contact orders and visits ---------------------------------------------------------------------------


class ComplianceSerializer(serializers.Serializer):
    due = serializers.IntegerField(
        help_text=gettext_lazy("Contacts due so far: per_month pro rata over the months from valid_from to today.")
    )
    held = serializers.IntegerField(help_text=gettext_lazy("Visits in that period that took place."))
    missed = serializers.IntegerField(help_text=gettext_lazy("Visits in that period that did not take place."))
    period_from = serializers.DateField(source="from")
    period_to = serializers.DateField(source="to")


class VisitSerializer(_RecordSerializer):
    contact_order: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    child: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="person", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "contact_order",
            "child",
            "scheduled_for",
            "form",
            "setting",
            "accompanied_by",
            "took_place",
            "outcome_for_child",
            "version",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"took_place": {"allow_null": True}}


class VisitCreateSerializer(serializers.Serializer):
    scheduled_for = MomentField()
    form = serializers.ChoiceField(choices=ContactForm.choices)
    setting = serializers.ChoiceField(choices=VisitSetting.choices)
    accompanied_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    took_place = serializers.BooleanField(required=False, allow_null=True, default=None)
    outcome_for_child = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VisitUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    scheduled_for = MomentField(required=False)
    form = serializers.ChoiceField(choices=ContactForm.choices, required=False)
    setting = serializers.ChoiceField(choices=VisitSetting.choices, required=False)
    accompanied_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    took_place = serializers.BooleanField(required=False, allow_null=True)
    outcome_for_child = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ContactOrderSerializer(_RecordSerializer):
    """A contact order with its compliance so far (``compliance`` in the context, by order id)."""

    child: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="person", read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="parent_case", read_only=True)
    form_label = serializers.CharField(source="get_form_display", read_only=True)
    compliance = serializers.SerializerMethodField()

    class Meta:
        model = ContactOrder
        fields = [
            "id",
            "child",
            "case",
            "issued_by",
            "issued_on",
            "form",
            "form_label",
            "per_month",
            "supervised",
            "valid_from",
            "valid_until",
            "note",
            "version",
            "compliance",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"valid_until": {"allow_null": True}}

    @extend_schema_field(ComplianceSerializer)
    def get_compliance(self, obj: ContactOrder) -> Any:
        return ComplianceSerializer(self.context["compliance"][obj.pk]).data


class ContactOrderDetailSerializer(ContactOrderSerializer):
    visits = serializers.SerializerMethodField()

    class Meta(ContactOrderSerializer.Meta):
        fields = [*ContactOrderSerializer.Meta.fields, "visits"]
        read_only_fields = fields

    @extend_schema_field(VisitSerializer(many=True))
    def get_visits(self, obj: ContactOrder) -> Any:
        return VisitSerializer(self.context["visits"], many=True).data


class ContactOrderCreateSerializer(serializers.Serializer):
    issued_by = serializers.CharField(max_length=200, help_text=gettext_lazy("The court or body that issued it."))
    issued_on = serializers.DateField()
    form = serializers.ChoiceField(choices=ContactForm.choices)
    per_month = serializers.IntegerField(min_value=1, max_value=31)
    supervised = serializers.BooleanField(default=False)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    case = serializers.UUIDField(
        required=False,
        help_text=gettext_lazy("The case of the parent this contact is with; needed when the child has several."),
    )


class VisitSlotSerializer(serializers.Serializer):
    """When and how a visit happens, for the prison: nothing about the child."""

    scheduled_for = serializers.DateTimeField()
    form = serializers.ChoiceField(choices=ContactForm.choices)
    setting = serializers.ChoiceField(choices=VisitSetting.choices)


class VisitScheduleQuerySerializer(serializers.Serializer):
    all = serializers.BooleanField(default=False)


# --- the child's file --------------------------------------------------------------------------------------


class ChildLinkSerializer(_RecordSerializer):
    """A child relationship the user sees: to which parent's case the child belongs."""

    relationship = serializers.UUIDField(source="pk", read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    person = serializers.UUIDField(source="person_id", read_only=True, help_text=gettext_lazy("The parent."))

    class Meta:
        model = Relationship
        fields = ["relationship", "case", "case_number", "person", "version", *RECORD_FIELDS]
        read_only_fields = fields


class ChildDetailSerializer(serializers.Serializer):
    """A child with everything about it the user may see (API.md: placement history and contact orders)."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices)
    links = ChildLinkSerializer(many=True)
    placements = PlacementSerializer(many=True)
    profile = ChildProfileSerializer(allow_null=True)
    best_interest = BestInterestSerializer(many=True)
    contact_orders = ContactOrderSerializer(many=True)


# --- family files -----------------------------------------------------------------------------------------


class FamilyFileSerializer(_RecordSerializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    counselling_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = FamilyFile
        fields = [
            "id",
            "title",
            "counselling_organisation",
            "person",
            "case",
            "opened_on",
            "closed_on",
            "version",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"closed_on": {"allow_null": True}}


class FamilyClientSerializer(serializers.Serializer):
    person = serializers.UUIDField(source="person_id")
    given_name = serializers.CharField(source="person.given_name")
    family_name = serializers.CharField(source="person.family_name")
    relation = serializers.CharField()
    since = serializers.DateField()


class ClearingSerializer(_RecordSerializer):
    family_file: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Clearing
        fields = ["id", "family_file", "worries", "warning_signs", "urgency", "cleared_on", *RECORD_FIELDS]
        read_only_fields = fields


class ClearingCreateSerializer(serializers.Serializer):
    worries = serializers.CharField(max_length=10000)
    warning_signs = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    cleared_on = serializers.DateField(required=False, allow_null=True)


class HelpPlanSerializer(_RecordSerializer):
    family_file: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = HelpPlan
        fields = ["id", "family_file", "aims", "agreed_on", "next_review_on", "version", *RECORD_FIELDS]
        read_only_fields = fields
        extra_kwargs = {"next_review_on": {"allow_null": True}}


class HelpPlanWriteSerializer(serializers.Serializer):
    aims = serializers.CharField(max_length=10000)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy("The version you read, to change the help plan (a stale one is refused with 409)."),
    )


class CounsellingSessionSerializer(_RecordSerializer):
    family_file: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    client: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(source="person", read_only=True)

    class Meta:
        model = CounsellingSession
        fields = ["id", "family_file", "client", "held_on", "note", "never_share", *RECORD_FIELDS]
        read_only_fields = fields


class CounsellingSessionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    client = serializers.UUIDField(help_text=gettext_lazy("A client of the file (a person id)."))
    note = serializers.CharField(max_length=10000)
    never_share = serializers.BooleanField(default=False)


class FamilyFileDetailSerializer(FamilyFileSerializer):
    """The file with its clients and team, the clearings and help plan, and the sessions the user may see."""

    clients = serializers.SerializerMethodField()
    counsellors = serializers.SerializerMethodField()
    clearings = serializers.SerializerMethodField()
    help_plan = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()

    class Meta(FamilyFileSerializer.Meta):
        fields = [*FamilyFileSerializer.Meta.fields, "clients", "counsellors", "clearings", "help_plan", "sessions"]
        read_only_fields = fields

    @extend_schema_field(FamilyClientSerializer(many=True))
    def get_clients(self, obj: FamilyFile) -> Any:
        return FamilyClientSerializer(self.context["parts"]["clients"], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_counsellors(self, obj: FamilyFile) -> list[str]:
        return [c.organisation.slug for c in self.context["parts"]["counsellors"]]

    @extend_schema_field(ClearingSerializer(many=True))
    def get_clearings(self, obj: FamilyFile) -> Any:
        return ClearingSerializer(self.context["parts"]["clearings"], many=True).data

    @extend_schema_field(HelpPlanSerializer(allow_null=True))
    def get_help_plan(self, obj: FamilyFile) -> Any:
        plan = self.context["parts"]["help_plan"]
        return HelpPlanSerializer(plan).data if plan is not None else None

    @extend_schema_field(CounsellingSessionSerializer(many=True))
    def get_sessions(self, obj: FamilyFile) -> Any:
        return CounsellingSessionSerializer(self.context["parts"]["sessions"], many=True).data


class NewClientSerializer(NewPersonSerializer):
    relation = serializers.CharField(required=False, allow_blank=True, max_length=100)


class FamilyFileCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    counselling_organisation = organisation_field()
    clients: Any = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(),
        pk_field=serializers.UUIDField(),
        many=True,
        required=False,
        help_text=gettext_lazy("Persons already known (ids): relatives, with or without the offender."),
    )
    new_clients = NewClientSerializer(many=True, required=False)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), pk_field=serializers.UUIDField(), required=False, allow_null=True
    )
    opened_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("When the counselling began, for a file recorded afterwards (today by default)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _visible_persons(self, "clients")
        _visible_cases(self, "case")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("clients") and not attrs.get("new_clients"):
            raise serializers.ValidationError({"clients": gettext_lazy("Name at least one client.")})
        return attrs


class ClientAddSerializer(serializers.Serializer):
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), pk_field=serializers.UUIDField(), required=False
    )
    new_client = NewPersonSerializer(required=False)
    relation = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _visible_persons(self, "person")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("new_client" in attrs):
            raise serializers.ValidationError(
                {"person": gettext_lazy("Name an existing person or give the new client's details.")}
            )
        return attrs


class CounsellorAddSerializer(serializers.Serializer):
    organisation = organisation_field(help_text=gettext_lazy("An organisation that counsels (a slug)."))


# --- refusals and re-offers ---------------------------------------------------------------------------------


class ReOfferSerializer(_RecordSerializer):
    refusal: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ReOffer
        fields = ["id", "refusal", "offered_on", "response", "persons_words", "next_offer_on", *RECORD_FIELDS]
        read_only_fields = fields
        extra_kwargs = {"next_offer_on": {"allow_null": True}}


class RefusalSerializer(_RecordSerializer):
    """A refusal with its re-offers the user may see (``re_offers`` set by ``access.refusals_of``)."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    re_offers = ReOfferSerializer(many=True, read_only=True)

    class Meta:
        model = Refusal
        fields = [
            "id",
            "case",
            "refused_on",
            "persons_words",
            "offer_again_on",
            "ended_on",
            "re_offers",
            *RECORD_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"ended_on": {"allow_null": True}}


class RefusalCreateSerializer(serializers.Serializer):
    refused_on = serializers.DateField()
    persons_words = serializers.CharField(max_length=10000)
    offer_again_on = serializers.DateField()


class ReOfferCreateSerializer(serializers.Serializer):
    offered_on = serializers.DateField()
    response = serializers.ChoiceField(choices=OfferResponse.choices)
    persons_words = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    next_offer_on = serializers.DateField(required=False, allow_null=True)


# --- family days --------------------------------------------------------------------------------------------


class FamilyDaySerializer(serializers.ModelSerializer):
    organiser: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = FamilyDay
        fields = ["id", "organiser", "held_on", "title", "place", "programme", "created_by", "created_at"]
        read_only_fields = fields


class FamilyDayCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    programme = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ParticipantSerializer(_RecordSerializer):
    family_day: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FamilyDayParticipant
        fields = ["id", "family_day", "case", "person", "visitors", "attended", *RECORD_FIELDS]
        read_only_fields = fields
        extra_kwargs = {"attended": {"allow_null": True}}


class FamilyDayDetailSerializer(FamilyDaySerializer):
    participants = serializers.SerializerMethodField()

    class Meta(FamilyDaySerializer.Meta):
        fields = [*FamilyDaySerializer.Meta.fields, "participants"]
        read_only_fields = fields

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, obj: FamilyDay) -> Any:
        return ParticipantSerializer(self.context["participants"], many=True).data


class ParticipantAddSerializer(serializers.Serializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), pk_field=serializers.UUIDField()
    )
    visitors = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _visible_cases(self, "case")


class ParticipationSerializer(serializers.Serializer):
    attended = serializers.BooleanField()
