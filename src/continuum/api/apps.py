from typing import Any

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "continuum.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        """Every date and date-time field of the API and of the pages refuses an implausible date
        (``continuum.lib.dates``): set as the fields' default validator once, here, rather than on each
        of the many declared fields, so that no field (nor one a new app declares) is left out."""
        from django import forms
        from rest_framework import serializers

        from continuum.lib.dates import plausible_date

        fields: list[Any] = [serializers.DateField, serializers.DateTimeField, forms.DateField, forms.DateTimeField]
        for field in fields:
            if plausible_date not in field.default_validators:
                field.default_validators = [*field.default_validators, plausible_date]

        # A JSON body's values are read as the schema types them (``continuum.api.strict``).
        from continuum.api.strict import make_json_types_strict

        make_json_types_strict()
