"""Project-wide middleware: request ids for the audit log, no caching of personal data, and no control
characters in a posted form."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import ImmutableList
from django.utils.translation import gettext as _

from continuum.lib import request_context
from continuum.lib.client_ip import client_ip
from continuum.lib.errors import too_big_message
from continuum.lib.text import forbidden_character, forbidden_message, printable

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Give every request an id (a well-formed ``X-Request-ID`` is kept) and note the client address
    (``continuum.lib.client_ip``: behind trusted proxies, the real client's, never one it chose)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # The same resolver as the lockout's: the rightmost address that is not a trusted proxy.
        ip = client_ip(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.activate(request_context.RequestContext(request_id=request_id, ip=ip))
        try:
            response = self.get_response(request)
        finally:
            request_context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Nothing Continuum serves besides static assets may be kept in a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class _StrictMultiPartParser(MultiPartParser):
    """Django's parser silently drops invisible characters from an upload's name (and the whole file if
    nothing else is left); Continuum refuses the upload instead, so no file is kept under another name."""

    def sanitize_file_name(self, file_name: str) -> str | None:
        character = forbidden_character(html.unescape(file_name))
        if character:
            raise ForbiddenUploadName(character)
        return super().sanitize_file_name(file_name)


class ForbiddenUploadName(MultiPartParserError):
    def __init__(self, character: str) -> None:
        super().__init__(character)
        self.character = character


def _parse_strictly(request: HttpRequest) -> Callable[[Any, Any], tuple[Any, Any]]:
    """``HttpRequest.parse_file_upload`` with ``_StrictMultiPartParser``: set on the one request."""

    def parse_file_upload(meta: Any, post_data: Any) -> tuple[Any, Any]:
        request.upload_handlers = ImmutableList(
            request.upload_handlers, warning="You cannot alter upload handlers after the upload has been processed."
        )
        return _StrictMultiPartParser(meta, post_data, request.upload_handlers, request.encoding).parse()

    return parse_file_upload


def _first_forbidden_in_form(request: HttpRequest) -> tuple[str, str] | None:
    """The first posted field (name or value) or upload name holding a forbidden character."""
    for name, values in request.POST.lists():
        for text in (name, *values):
            character = forbidden_character(text)
            if character:
                return printable(name), character
    for name in request.FILES:
        character = forbidden_character(name)
        if character:
            return printable(name), character
    return None


class FormInputMiddleware:
    """No posted form field, on any page or the API, holds a NUL, another control character, a bidi
    control or a byte-order mark (``continuum.lib.text``), and neither does an upload's name.

    Here rather than in a form mixin: it reaches every form of every app, a page's and an API's
    multipart body alike, before any view sees it; the API's JSON bodies are checked by its parser
    (``continuum.api.parsers``). Only POST carries a form Django parses; the API takes no multipart
    PUT or PATCH. Late in the chain: the refusal speaks the user's language and has every header a page has."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            refusal = self._check(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        request.parse_file_upload = _parse_strictly(request)  # type: ignore[method-assign,assignment]
        try:
            found = _first_forbidden_in_form(request)
        except ForbiddenUploadName as exc:
            return _refuse(request, 400, _("The name of an uploaded file"), exc.character, field="file_name")
        except RequestDataTooBig:
            return _too_big(request)
        if found is None:
            return None
        field, character = found
        return _refuse(request, 400, _("The field “%(field)s”") % {"field": field}, character, field=field)


_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _refuse(request: HttpRequest, status: int, what: str, character: str, *, field: str) -> HttpResponse:
    message = f"{what}: {forbidden_message(character)}"
    if is_api_path(request.path):
        return JsonResponse({field: [forbidden_message(character)]}, status=status)
    return render(
        request,
        "error.html",
        {"title": _("Bad request."), "message": f"{message} {_('Nothing was saved. Go back and try again.')}"},
        status=status,
    )


def _too_big(request: HttpRequest) -> HttpResponse:
    message = too_big_message()
    if is_api_path(request.path):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "error.html", {"title": _("The request is too large."), "message": message}, status=413)


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class ApiJsonErrorsMiddleware:
    """Every error under ``/api/`` is JSON ``{"detail": …}``, whoever answered it: the API's own errors
    already are; this catches the rest (a 405 from the Swagger and ReDoc pages' HTML renderers, the
    schema view's YAML error, a middleware's plain answer). Early in the chain, so it sees them all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_path(request.path)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate", "Cache-Control", "Pragma", "Vary"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response
