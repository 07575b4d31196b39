"""The case page's "Mentoring" part and the home page's "My mentees" section, as template tags.

``cases`` and the project's home page never import ``mentoring`` (docs/architecture.md, "Layers"):
they load these by template, like the family part.
"""

from __future__ import annotations

from typing import Any

from django import template

from continuum.mentoring.case_part import case_mentoring_context
from continuum.mentoring.dashboard import mentoring_dashboard

register = template.Library()


@register.inclusion_tag("mentoring/_case_section.html", takes_context=True)
def mentoring_on_case(context: template.Context) -> dict[str, Any]:
    shown = case_mentoring_context(context["user"], context["case"])
    shown["request"] = context.get("request")
    return shown


@register.inclusion_tag("mentoring/_home.html", takes_context=True)
def my_mentees(context: template.Context) -> dict[str, Any]:
    return mentoring_dashboard(context["user"])
