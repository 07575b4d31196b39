"""Finding a person as practitioners think of them: by name, date of birth or reference.

Only among the persons whose identity the user may read (``Person.objects.visible_to``, R12): a name
the user may not see answers exactly as a name nobody has, with no count or hint of the others.
Names are compared as duplicate detection compares them (``people.matching``): spelling variants,
particles, the given and family name in either order, and a name begun ("amira ben") is found.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from continuum.people.matching import find_by_name
from continuum.people.models import Person

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
REFERENCE = re.compile(r"P-[2-9A-HJKMNP-Z]{6}")
MAX_FOUND = 50
MAX_QUERY = 100


def birth_date_in(text: str) -> date | None:
    """The date ``text`` is, in ISO or the European day-month-year forms, or ``None``."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    return None


def find_persons(user: Any, query: str) -> list[Person]:
    """The persons visible to ``user`` that ``query`` names, best first, at most ``MAX_FOUND``."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return []
    visible = Person.objects.visible_to(user).only(
        "id", "reference", "given_name", "family_name", "aliases", "birth_date"
    )
    day = birth_date_in(query)
    if day is not None:
        return list(visible.filter(birth_date=day).order_by("family_name", "given_name", "pk")[:MAX_FOUND])
    if REFERENCE.fullmatch(query.upper()):
        return list(visible.filter(reference=query.upper()))
    return [candidate.person for candidate in find_by_name(query, visible)][:MAX_FOUND]
