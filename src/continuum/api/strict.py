"""JSON bodies are read as the schema types them: a text is a JSON string, a yes/no a JSON boolean,
a whole number a JSON number (issue 18: schemathesis found ``"text": 0`` and ``"media_exposure": 0``
accepted although the schema says string and boolean).

DRF's fields also read forms and query strings, where every value is text (``"true"``, ``"3"``), so
they convert what they are given. Here, once for every field of every serializer (as the dates'
validator in ``apps.py``), a field given a JSON body (a dict or list, not a ``QueryDict``) takes only
its own JSON type; forms and query strings are read as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import QueryDict
from rest_framework import serializers


def _from_json(field: serializers.Field) -> bool:
    initial = getattr(field.root, "initial_data", None)
    return initial is not None and not isinstance(initial, QueryDict)


def _strict(field_class: type[serializers.Field], accepts: Callable[[Any], bool], error: str) -> None:
    original = field_class.to_internal_value
    if getattr(original, "continuum_strict", False):
        return

    def to_internal_value(self: serializers.Field, data: Any) -> Any:
        if _from_json(self) and not accepts(data):
            self.fail(error)
        return original(self, data)

    to_internal_value.continuum_strict = True  # type: ignore[attr-defined]
    field_class.to_internal_value = to_internal_value  # type: ignore[method-assign]


def _whole_number(data: Any) -> bool:
    return (isinstance(data, int) and not isinstance(data, bool)) or (isinstance(data, float) and data.is_integer())


def make_json_types_strict() -> None:
    _strict(serializers.CharField, lambda data: isinstance(data, str), "invalid")
    _strict(serializers.BooleanField, lambda data: isinstance(data, bool), "invalid")
    _strict(serializers.IntegerField, _whole_number, "invalid")
