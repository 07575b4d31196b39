"""Who may look at the audit log: the data protection officer, and nobody else."""

from __future__ import annotations

from typing import Any

from continuum.accounts.choices import Role


def can_read_audit_log(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.DPO)
