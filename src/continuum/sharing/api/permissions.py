"""Who may change the sharing policy, for the API (the rule: ``sharing.policy``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from continuum.sharing.policy import can_oversee_sharing


class CanChangePolicyToWrite(BasePermission):
    """Anyone authenticated reads the policy matrix; only the data protection officer changes it."""

    message = gettext_lazy("Only the data protection officer changes the sharing policy.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or can_oversee_sharing(request.user)
