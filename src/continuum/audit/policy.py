"""Who may look at the audit log: the data protection officer, and nobody else."""

from __future__ import annotations

from typing import Any

# ``accounts.choices.Role.DPO``: the audit log sits below accounts (docs/architecture.md, "Layers") and
# knows users only as actors; tests/test_layers.py checks that the two stay the same.
DPO_ROLE = "dpo"


def can_read_audit_log(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == DPO_ROLE)
