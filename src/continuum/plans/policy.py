"""Who may work on plans and interventions (the rules; the actions enforce them)."""

from __future__ import annotations

from typing import Any

from continuum.sharing import engine
from continuum.sharing.choices import Category


def can_write_plan(user: Any, case: Any) -> bool:
    """A current member whose organisation may write ``plan`` records on the case (R1, R2, R10).

    The same rule covers recording the person's agreement: it is written by a practitioner of a
    member organisation that writes the plan.
    """
    return engine.can_write(user, case, Category.PLAN)


def can_write_intervention(user: Any, case: Any, category: str) -> bool:
    """Interventions (and their sessions) are written by members that may write their category."""
    return engine.can_write(user, case, category)
