"""Who may register persons and open cases, for the API (the rule: ``people.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from continuum.people.policy import can_open_cases


class CanOpenCases(BasePermission):
    """Coordinators, analysts and case managers of the central point, prisons, probation, municipalities."""

    message = _("Your role cannot register persons or open cases.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_open_cases(request.user))


class CanOpenCasesToWrite(CanOpenCases):
    """Anyone authenticated reads (through ``visible_to``); only case openers create."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)
