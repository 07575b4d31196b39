"""The case page's "Family and children" part (``cases/parts/family.html``) and small filters of the
family pages.

``cases`` never imports ``families`` (docs/architecture.md, "Layers"): the case page loads this part
by its template, like the plan and the release plan.
"""

from __future__ import annotations

from typing import Any

from django import template

from continuum.families.case_part import case_family_context

register = template.Library()


@register.inclusion_tag("families/_case_section.html", takes_context=True)
def family_on_case(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    shown = case_family_context(context["user"], context["case"], context.get("family_forms"))
    shown["htmx"] = bool(getattr(request, "htmx", False))
    shown["as_page"] = bool(context.get("family_forms") is not None)
    shown["request"] = request
    shown["csrf_token"] = context.get("csrf_token")
    return shown
