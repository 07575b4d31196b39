"""Who may open, rate and finalise assessments (the rules; the actions enforce them)."""

from __future__ import annotations

from typing import Any

from continuum.sharing import engine


def can_open_assessment(user: Any, case: Any, category: str) -> bool:
    """A member whose organisation may write the instrument's category on the case (R1, R2, R10)."""
    return engine.can_write(user, case, category)


def can_assess(user: Any, case: Any, category: str) -> bool:
    """Who may be an assessor: an active user whose organisation may write the category on the case.

    The same rule as opening: rating is writing an assessment in that category, so a professional
    whose organisation only reads it (police, municipality for risk) takes part through the team's
    case conference, not as a rater.
    """
    return bool(user is not None and user.is_active) and engine.can_write(user, case, category)
