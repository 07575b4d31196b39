from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from continuum.accounts.models import Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "type"]


class MeSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    organisation_type = serializers.CharField(source="org_type", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["username", "organisation", "organisation_type", "role"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.RegexField(r"^\d{6}$", required=False, help_text=_("Six-digit TOTP code, when enrolled."))


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
