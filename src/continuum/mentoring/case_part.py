"""The case page's "Mentoring" part (``cases/parts/mentoring.html``, the ``{% mentoring_on_case %}`` tag).

``cases`` never imports ``mentoring``: the case page loads this part by its template. The matches and
their sessions come through ``visible_to`` (``mentoring.access``), in a fixed number of queries
whatever the number of matches and sessions, logged as read (R11).
"""

from __future__ import annotations

from typing import Any

from continuum.cases.models import Case
from continuum.mentoring import policy
from continuum.mentoring.access import matches_on_case, sessions_of

SESSIONS_SHOWN = 5


def case_mentoring_context(user: Any, case: Case) -> dict[str, Any]:
    matches = matches_on_case(user, case)
    sessions = sessions_of(user, matches)
    for match in matches:
        shown = sessions[match.pk]
        match.sessions_shown = shown[:SESSIONS_SHOWN]  # type: ignore[attr-defined]
        match.sessions_more = len(shown) > SESSIONS_SHOWN  # type: ignore[attr-defined]
        match.session_count = len(shown)  # type: ignore[attr-defined]
        match.mentor_name = match.mentor.user.get_full_name() or match.mentor.user.username  # type: ignore[attr-defined]
    return {
        "case": case,
        "active_matches": [m for m in matches if m.active],
        "ended_matches": [m for m in matches if not m.active],
        "matches": policy.can_match(user, case),
    }
