from __future__ import annotations

from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from continuum.accounts.models import Organisation, User
from continuum.cases.choices import EntryKind, Phase
from continuum.cases.models import Attachment, Case, CaseMember, Entry
from continuum.people.models import Person
from continuum.sharing.choices import Basis, Category, Reliability, Statement


def organisation_field(**kwargs: Any) -> serializers.SlugRelatedField:
    """An organisation named by its slug; an unknown slug is a 400."""
    return serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(), **kwargs)


# --- cases ------------------------------------------------------------------------------------------


class CaseMemberSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    responsible: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CaseMember
        fields = ["organisation", "responsible", "since"]


class CaseSerializer(serializers.ModelSerializer):
    """A case with its current team. ``members`` expects the ``current_members`` prefetch."""

    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    members = CaseMemberSerializer(source="current_members", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "person",
            "phase",
            "lead_organisation",
            "trial_concluded_on",
            "opened_at",
            "version",
            "members",
        ]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    lead_organisation = organisation_field()
    phase = serializers.ChoiceField(choices=Phase.choices, default=Phase.PRE_TRIAL)
    responsible: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A person the user may not see is answered like one that does not exist (R12).
        request = self.context.get("request")
        person_field = cast(serializers.PrimaryKeyRelatedField, self.fields["person"])
        person_field.queryset = Person.objects.visible_to(request.user if request else None)


class CaseUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("Required: the version you read (a stale one is refused with 409).")
    )
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    trial_concluded_on = serializers.DateField(required=False, allow_null=True)
    lead_organisation = organisation_field(required=False)
    phase_note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the phase changes; kept in the case's phase history."),
    )


class MemberAddSerializer(serializers.Serializer):
    organisation = organisation_field()
    responsible: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True
    )


# --- journal entries -------------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        return reverse(
            "v1:entry-attachment",
            kwargs={"entry_id": str(attachment.entry_id), "attachment_id": str(attachment.pk)},
        )


class VisibilitySerializer(serializers.Serializer):
    basis = serializers.ChoiceField(choices=Basis.choices)
    explanation = serializers.CharField()


class EntrySerializer(serializers.ModelSerializer):
    """A journal entry read through ``visible_to`` (it carries its basis of visibility)."""

    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    author_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="author_org", slug_field="slug", read_only=True
    )
    withhold_from = serializers.ListField(source="withheld_from", child=serializers.CharField(), read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    visibility = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "case",
            "person",
            "category",
            "kind",
            "title",
            "body",
            "author",
            "author_organisation",
            "created_at",
            "withhold_from",
            "statement",
            "source",
            "reliability",
            "attachments",
            "visibility",
        ]
        read_only_fields = fields

    @extend_schema_field(VisibilitySerializer)
    def get_visibility(self, entry: Entry) -> dict[str, str]:
        return entry.visibility


class EntryCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    kind = serializers.ChoiceField(choices=EntryKind.choices, default=EntryKind.NOTE)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    withhold_from = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        default=list,
        max_length=50,
        help_text=_("Organisation slugs or organisation types the entry is withheld from (R4)."),
    )
    statement = serializers.ChoiceField(choices=Statement.choices, default=Statement.FACT)
    source = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.source
        max_length=200, required=False, allow_blank=True, default=""
    )
    reliability = serializers.ChoiceField(choices=Reliability.choices, default=Reliability.UNKNOWN)
    attachments = serializers.ListField(
        child=serializers.FileField(max_length=200),
        required=False,
        default=list,
        max_length=10,
        help_text=_("Files (multipart only): PDF, PNG, JPEG or plain text, within the size limit."),
    )


class EntryFilterSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text=_("Text to find in titles and bodies."))
