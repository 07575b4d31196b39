"""``{% case_assessments %}``: the case page's "Assessments" section (the case page includes it)."""

from __future__ import annotations

from typing import Any

from django import template

from continuum.assessments.sections import case_section

register = template.Library()


@register.inclusion_tag("assessments/_case_section.html", takes_context=True)
def case_assessments(context: Any) -> dict[str, Any]:
    request = context["request"]
    case = context["case"]
    return {"case": case, "request": request, "csp_nonce": context.get("csp_nonce"), **case_section(request.user, case)}
