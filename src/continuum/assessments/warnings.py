"""Warnings, never refusals, when an assessment is opened: checks that higher layers register.

Assessments know nothing of the apps above them (docs/architecture.md, "Layers"); an app such as
``training`` registers a check in its ``AppConfig.ready`` and the API answers its warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AssessorCheck = Callable[[Any], list[str]]

_checks: list[AssessorCheck] = []


def register_assessor_check(check: AssessorCheck) -> None:
    """Add a check of a new assessment's assessors (once, however often it is registered)."""
    if check not in _checks:
        _checks.append(check)


def assessor_warnings(assessment: Any) -> list[str]:
    """Every registered check's warnings about ``assessment`` (a list, empty when none)."""
    return [warning for check in _checks for warning in check(assessment)]
