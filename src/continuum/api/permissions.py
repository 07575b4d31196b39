"""DRF permission classes over the domain's policy functions (the rules live in the apps)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from continuum.accounts.models import User
from continuum.cases.policy import can_open_cases
from continuum.sharing.policy import can_oversee_sharing


class CanOpenCases(BasePermission):
    """Coordinators, analysts and case managers of the central point, prisons, probation, municipalities."""

    message = "Your role cannot register persons or open cases."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and can_open_cases(request.user))


class CanOpenCasesToWrite(CanOpenCases):
    """Anyone authenticated reads (through ``visible_to``); only case openers create."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


class CanChangePolicyToWrite(BasePermission):
    """Anyone authenticated reads the policy matrix; only the data protection officer changes it."""

    message = "Only the data protection officer changes the sharing policy."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or can_oversee_sharing(request.user)


def acting_user(request: Request) -> User:
    """The user a request acts as, once authentication has let it through (typed for the actions)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
