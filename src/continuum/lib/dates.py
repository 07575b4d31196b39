"""Which dates are plausible (threat-model.md, "Bad input"): one rule for every date that comes in.

A date of birth lies between 1900-01-01 and today; any other date a record holds lies in 1900-2100.
A year 1 or 9999 is a typing slip or a probe, and would sort, count and age wrongly everywhere after.
``plausible_date`` is the default validator of every date and date-time field of the API and the pages
(installed by ``continuum.api.apps``); ``birth_date_error`` is asked by the actions that store a birth
date (people, signals, families), whatever door the date came through.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def plausible_date(value: date | datetime) -> None:
    """Refuse a date (or date-time) outside 1900-01-01 … 2100-12-31."""
    if value is not None and not EARLIEST <= _day(value) <= LATEST:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            code="implausible_date",
        )


def birth_date_error(value: date | None) -> str | None:
    """Why ``value`` cannot be a date of birth, or ``None`` if it can (an unknown one, ``None``, can)."""
    if value is None:
        return None
    if value > timezone.localdate():
        return _("The date of birth cannot be in the future.")
    if value < EARLIEST:
        return _("A date of birth before %(earliest)s is not plausible; check the year.") % {
            "earliest": EARLIEST.isoformat()
        }
    return None


def validate_birth_date(value: date | None) -> None:
    """``birth_date_error`` as a form or serializer validator."""
    error = birth_date_error(value)
    if error:
        raise ValidationError(error, code="implausible_birth_date")
