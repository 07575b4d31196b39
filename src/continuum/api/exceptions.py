"""One shape for API errors, and one answer for "not there" and "not yours" (API.md Conventions).

The messages follow the call's ``Accept-Language`` (``LanguageMiddleware``); DRF's own are translated by DRF."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from continuum.lib.errors import StaleVersion, too_big_message


def _validation_detail(exc: DjangoValidationError) -> dict[str, Any]:
    """``{"field": ["message"]}`` for field errors, ``{"detail": "message"}`` for the rest."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # Domain actions validate with Django's ValidationError; the API turns it into a 400.
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, Http404):
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, StaleVersion):
        # Optimistic concurrency: the client must re-read the object and send its new version.
        return Response({"detail": str(exc), "version": exc.current_version}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, RequestDataTooBig):
        # Raised when the view first reads a body over DATA_UPLOAD_MAX_MEMORY_SIZE: JSON, not the 400 page.
        return Response({"detail": too_big_message()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, DjangoPermissionDenied) and not isinstance(exc, exceptions.PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
