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
