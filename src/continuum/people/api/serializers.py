from django.utils.translation import gettext_lazy
from rest_framework import serializers

from continuum.people.models import Person

PERSON_API_FIELDS = [
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "gender",
    "nationality",
    "languages",
    "legal_status",
    "subject_category",
    "media_exposure",
]


class PersonSerializer(serializers.ModelSerializer):
    """A person as API.md shows them; also the input of ``POST /persons/``."""

    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=20)
    languages = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=20)

    class Meta:
        model = Person
        fields = ["id", "reference", *PERSON_API_FIELDS, "version"]
        read_only_fields = ["id", "reference", "version"]


class PersonQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        help_text=gettext_lazy("A name (other spellings are found too), a date of birth (YYYY-MM-DD) or a reference."),
    )


class PersonFoundSerializer(serializers.ModelSerializer):
    """A person found by ``GET /persons/?q=``, with the ids of the cases of theirs the user may see."""

    cases = serializers.ListField(child=serializers.UUIDField(), source="case_ids", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "reference", "given_name", "family_name", "birth_date", "cases"]
        read_only_fields = fields
