"""Helpers of the pages' forms: how an action's answer reaches the form that asked for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from continuum.lib.dates import validate_birth_date


def add_action_errors(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put an action's ValidationError on the form: on the field it names, or at the top of the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, texts in error.message_dict.items():
        field = aliases.get(key, key)
        form.add_error(field if field in form.fields else None, texts)


def form_action(form: forms.Form, write: Callable[[dict[str, Any]], Any], aliases: dict[str, str] | None = None) -> Any:
    """Run an action on a valid form: its result, or ``None`` with the errors on the form.

    The one shape of a page's POST: the form checks the input, the action checks the domain (its
    ValidationError lands on the field it names, see ``add_action_errors``), and the view answers
    with a message and a redirect on success, or the page again with the form on failure.
    """
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as exc:
        add_action_errors(form, exc, aliases)
        return None


def message_action(
    request: HttpRequest, write: Callable[[], Any], *, done: str | Callable[[Any], str], failed: str = ""
) -> Any:
    """Run the action of a button that answers with a redirect: its result, with ``done`` (or
    ``done(result)``) as a message; or ``None``, with the action's reason after ``failed`` as an error."""
    try:
        result = write()
    except ValidationError as exc:
        messages.error(request, f"{failed}{' '.join(exc.messages)}")
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


class BirthDateField(forms.DateField):
    """A date of birth: 1900-01-01 to today (``lib.dates``), said as a birth date's rule rather than the
    range every other date field checks (``continuum.api.apps`` sets that one on ``forms.DateField``)."""

    default_validators = [validate_birth_date]
