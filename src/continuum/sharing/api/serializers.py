from __future__ import annotations

from typing import Any

from rest_framework import serializers

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation
from continuum.sharing.choices import Access, Category, LegalBasis
from continuum.sharing.models import Consent, Disclosure, Override


def organisation_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(), **kwargs)


# --- consent (R3) -----------------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    person: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    recipient_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="recipient", slug_field="slug", read_only=True
    )
    recorded_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    recorded_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="recorded_org", slug_field="slug", read_only=True
    )
    withdrawn_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "reference",
            "person",
            "category",
            "recipient_organisation",
            "purpose",
            "valid_from",
            "valid_until",
            "recorded_by",
            "recorded_organisation",
            "recorded_at",
            "withdrawn_at",
            "withdrawn_by",
            "in_force",
        ]
        read_only_fields = fields


class ConsentCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    recipient_organisation = organisation_field()
    purpose = serializers.CharField(max_length=2000)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField()


# --- legal overrides (R5) -----------------------------------------------------------------------------


class OverrideSerializer(serializers.ModelSerializer):
    case: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    recipient_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="recipient", slug_field="slug", read_only=True
    )
    granted_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    granted_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="granted_org", slug_field="slug", read_only=True
    )
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = Override
        fields = [
            "id",
            "reference",
            "case",
            "category",
            "recipient_organisation",
            "legal_basis",
            "justification",
            "valid_from",
            "valid_until",
            "granted_by",
            "granted_organisation",
            "granted_at",
            "in_force",
        ]
        read_only_fields = fields


class OverrideCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    recipient_organisation = organisation_field()
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    justification = serializers.CharField(max_length=5000)
    valid_until = serializers.DateTimeField()


# --- disclosures (R11) ------------------------------------------------------------------------------------


class DisclosureSerializer(serializers.ModelSerializer):
    record = serializers.UUIDField(source="record_id", read_only=True)
    viewer: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    viewer_organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="viewer_org", slug_field="slug", read_only=True
    )

    class Meta:
        model = Disclosure
        fields = [
            "record",
            "record_type",
            "case",
            "category",
            "viewer",
            "viewer_organisation",
            "at",
            "basis",
            "explanation",
        ]
        read_only_fields = fields


# --- the policy matrix (R2) ------------------------------------------------------------------------------


class PolicyRuleSerializer(serializers.Serializer):
    org_type = serializers.ChoiceField(choices=OrgType.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    access = serializers.ChoiceField(choices=Access.choices)


class PolicySerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    created_at = serializers.DateTimeField()
    note = serializers.CharField()
    rules = PolicyRuleSerializer(many=True)


class PolicyChangeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    changes = PolicyRuleSerializer(many=True, allow_empty=False)
