"""The answers every operation of the API can give, declared once for the OpenAPI schema (issue 18).

An app's views declare what is theirs to say (200, 201, their 400 and 403 words, 409 on a stale
version). What every view can answer besides, because of what it is, is added here to every
operation that does not declare it already, so that the schema lists every status the API sends:

- ``401`` where the operation needs authentication (no, wrong, expired or revoked credentials);
- ``403`` everywhere: a rule or permission refuses (and a session without its CSRF token);
- ``404`` where the path names a record (not there, or not visible: the same answer), for a
  page past the last of a list, and for a ``?format=`` that names no format of the operation;
- ``400`` where the operation reads a body or query parameters;
- ``406`` for an ``Accept`` header that JSON does not satisfy;
- ``413`` and ``415`` where it reads a body (too large; not JSON, or not the declared form).

Every error has the same JSON shape (``continuum.api.exceptions``): ``{"detail": "message"}``,
or ``{"field": ["message"]}`` for field errors; it is declared as the ``Error`` component.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """An error: detail says what went wrong; a 400 may name the fields instead, {"field": ["message"]}."""

    detail = serializers.CharField(required=False, help_text="What went wrong, in the caller's language.")


ERROR = ErrorSerializer
DESCRIPTIONS = {
    "400": "Bad input: the field errors or a message; nothing was written.",
    "401": "No valid credentials: no, a wrong, an expired or a revoked token.",
    "403": "The user may see this but not do it (the reason is given).",
    "404": "Not found, or not visible to the user (the same answer).",
    "406": "The Accept header asks for something other than JSON.",
    "413": "The request body is too large.",
    "415": "The request body is not of the declared media type.",
}


def _blank_choice_read(field: Any) -> bool:
    """A read-only choice of a model field that may be blank (``blank=True``): "" is one of its values."""
    if not (isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank):
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source if isinstance(field.source, str) else ""
    if model is None or not source or "." in source:
        return False
    try:
        model_field = model._meta.get_field(source)
    except Exception:  # not a model field (a property, an annotation)
        return False
    return bool(getattr(model_field, "blank", False))


class ContinuumAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers of every operation declared (see the module)."""

    def _default_error_codes(self) -> list[str]:
        view = self.view
        codes = ["403", "406"]
        needs_auth = bool(getattr(view, "authentication_classes", None)) and not all(
            permission is AllowAny or (isinstance(permission, type) and issubclass(permission, AllowAny))
            for permission in getattr(view, "permission_classes", [])
        )
        if needs_auth:
            codes.append("401")
        query = self._query_parameter_names()
        # ``?format=`` naming no renderer of the view is DRF's 404.
        if "{" in self.path or self._is_list_view() or "format" in query:
            codes.append("404")
        reads_body = self.method in ("POST", "PUT", "PATCH")
        if reads_body or query:
            codes.append("400")
        if reads_body:
            codes += ["413", "415"]
        return codes

    def _get_parameters(self) -> list[dict[str, Any]]:
        """An optional query parameter given empty (``?status=``) is the same as not given (DRF reads a
        query string so): its schema says that an empty value is allowed."""
        parameters: list[dict[str, Any]] = []
        for parameter in super()._get_parameters():
            schema = parameter.get("schema", {})
            if parameter.get("in") == "query" and not parameter.get("required") and schema.get("type") == "string":
                schema = {key: value for key, value in schema.items() if key != "minLength"}
                if "enum" in schema and "" not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], ""]
                parameter = {**parameter, "schema": schema}
            parameters.append(parameter)
        return parameters

    def _query_parameter_names(self) -> set[str]:
        return {parameter["name"] for parameter in self._get_parameters() if parameter.get("in") == "query"}

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        """A list that may not be empty (``allow_empty=False``) says so (``minItems``)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        many = isinstance(field, serializers.ListField | serializers.ManyRelatedField | serializers.ListSerializer)
        if many and not getattr(field, "allow_empty", True) and schema.get("type") == "array":
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        if _blank_choice_read(field) and "oneOf" not in schema:
            # DRF drops ``allow_blank`` from a read-only model field, whose value may still be "".
            schema = {"oneOf": [schema, {"type": "string", "enum": [""]}], "readOnly": True}
        return schema

    def _get_request_for_media_type(self, serializer: Any, direction: Any = "request") -> Any:
        """A PATCH body is validated whole (``records.validated``, never partial): its schema is the whole one."""
        if self.method != "PATCH":
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "PUT"  # drf-spectacular marks a PATCH body partial by its method, and only there
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._default_error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ERROR, description=DESCRIPTIONS[code]), code, direction=direction
                )
        # An error the view declared with a description only gets the error's shape too.
        for code, response in list(responses.items()):
            if code >= "400" and "content" not in response:
                responses[code] = {
                    **self._get_response_for_code(
                        OpenApiResponse(ERROR, description=response.get("description") or DESCRIPTIONS.get(code, "")),
                        code,
                        direction=direction,
                    ),
                    **{k: v for k, v in response.items() if k == "headers"},
                }
        return dict(sorted(responses.items()))


def api_paths_only(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """The schema describes the REST API (``/api/``): not the browser's own DRF views elsewhere (the
    passkey ceremonies under ``/passkeys/``, which answer a page's script, not an API client).
    (drf-spectacular's ``PREPROCESSING_HOOKS``.)"""
    return [endpoint for endpoint in endpoints if str(endpoint[0]).startswith("/api/")]
