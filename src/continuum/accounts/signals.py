"""Audit hooks for authentication failures.

Failed logins come from Django's ``user_login_failed`` signal because every
authentication path (login page, token endpoint) sends it; successful logins and
logouts are recorded by the views that complete them.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from continuum.audit.log import record
from continuum.audit.models import AuditAction


@receiver(user_login_failed)
def audit_failed_login(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).select_related("organisation").first()
    record(
        AuditAction.LOGIN_FAILED,
        actor=user,
        object_type="user",
        object_id=user.pk if user else "",
        outcome="failed",
        detail={"username": username, "stage": "password"},
    )


@receiver(user_logged_in)
def start_the_idle_clock(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """A new session starts its idle clock at login (``IdleSessionMiddleware`` resets it once a minute)."""
    session = getattr(request, "session", None)
    if session is not None:
        session["touched"] = int(time.time())
