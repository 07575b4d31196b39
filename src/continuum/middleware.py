"""Project-wide middleware: request ids for the audit log, and no caching of personal data."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from continuum.lib import request_context
from continuum.lib.client_ip import client_ip

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
