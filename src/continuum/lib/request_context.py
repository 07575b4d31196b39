"""The current request's id and client address, for the audit log.

Set by ``continuum.middleware.RequestContextMiddleware`` for web and API requests;
empty for management commands, where events carry no request id.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("continuum_request", default=_EMPTY)


def current() -> RequestContext:
    return _current.get()


def activate(context: RequestContext) -> object:
    return _current.set(context)


def deactivate(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
