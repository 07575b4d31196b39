"""Deployment checks (``continuum check --deploy``) for the audit log's signed checkpoints (issue 18).

Without checkpoints the hash chain still catches a careless edit, but not a database owner who
truncates the log or rewrites it and recomputes the hashes: a warning (continuum.audit.W001), not an
error, because Continuum works without them and the checkpoints may be signed on another host than
the one being checked. A key that is set but cannot be read as an Ed25519 key is an error
(continuum.audit.E001). The signing key *file* is not read here: the web server's user should not be
able to read it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from continuum.audit.checkpoints import CheckpointError, load_private_key, load_public_keys


@register(Tags.security, deploy=True)
def check_audit_checkpoints(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    try:
        if settings.CONTINUUM_AUDIT_VERIFY_KEY:
            load_public_keys(settings.CONTINUUM_AUDIT_VERIFY_KEY)
        if settings.CONTINUUM_AUDIT_SIGNING_KEY:
            load_private_key(settings.CONTINUUM_AUDIT_SIGNING_KEY, "CONTINUUM_AUDIT_SIGNING_KEY")
    except CheckpointError as exc:
        messages.append(Error(str(exc), id="continuum.audit.E001"))
    has_key = bool(
        settings.CONTINUUM_AUDIT_VERIFY_KEY
        or settings.CONTINUUM_AUDIT_SIGNING_KEY
        or settings.CONTINUUM_AUDIT_SIGNING_KEY_FILE
    )
    if not settings.CONTINUUM_AUDIT_CHECKPOINT_FILE or not has_key:
        messages.append(
            Warning(
                "No signed audit checkpoints: truncating or rewriting the audit log is not detected.",
                hint=(
                    "Set CONTINUUM_AUDIT_CHECKPOINT_FILE and CONTINUUM_AUDIT_SIGNING_KEY_FILE (or "
                    "CONTINUUM_AUDIT_VERIFY_KEY), and run `continuum audit_checkpoint` every few minutes; "
                    "docs/threat-model.md, 'The audit log against its database owner'."
                ),
                id="continuum.audit.W001",
            )
        )
    return messages
