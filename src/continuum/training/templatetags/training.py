"""The case page's "Training" part (``cases/parts/training.html``).

``cases`` never imports ``training`` (docs/architecture.md, "Layers"): the case page loads this part
by its template, like the family part.
"""

from __future__ import annotations

from typing import Any

from django import template

from continuum.training.case_part import case_training_context

register = template.Library()


@register.inclusion_tag("training/_case_section.html", takes_context=True)
def training_on_case(context: template.Context) -> dict[str, Any]:
    shown = case_training_context(context["user"], context["case"])
    shown["case"] = context["case"]
    return shown
