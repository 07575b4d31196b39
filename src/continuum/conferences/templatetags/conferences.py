"""``{% case_conferences case %}``: the case page's small "Conferences" section, without touching the case view."""

from __future__ import annotations

from typing import Any

from django import template

from continuum.conferences.dashboard import case_conferences as _case_conferences

register = template.Library()


@register.inclusion_tag("conferences/_case_conferences.html", takes_context=True)
def case_conferences(context: Any, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return _case_conferences(user, case) if user is not None else {}
