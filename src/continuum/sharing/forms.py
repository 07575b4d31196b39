"""The data protection officer's forms: which person's disclosure report, and for which days."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFERENCE = re.compile(r"^P-[2-9A-HJKMNP-Z]{6}$")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DisclosureReportForm(forms.Form):
    """A person reference and an optional period (``from``/``to``, both days included).

    The period's fields are named ``from`` and ``to`` in the query string, which Python cannot spell
    as class attributes: they are added in ``__init__``. A bad date is a form error, never a 500.
    """

    person = forms.CharField(
        label=gettext_lazy("Person reference"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"placeholder": "P-7F3K2Q", "size": 12, "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date_error = {"invalid": _("Enter a day as year-month-day, for example 2026-03-01.")}
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=_date_input(), error_messages=date_error
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, widget=_date_input(), error_messages=date_error
        )
        self.person_found: Any = None

    def clean_person(self) -> str:
        reference: str = self.cleaned_data["person"].strip().upper()
        if not REFERENCE.match(reference):
            raise forms.ValidationError(
                _("A person reference looks like P-7F3K2Q: the letter P, a dash and six letters or digits.")
            )
        # Only the DPO reaches this form (the view checks first): for the DPO whether a person exists is
        # not secret (R10 hides content, not existence), so an unknown reference may say so.
        self.person_found = apps.get_model("people", "Person").objects.filter(reference=reference).first()
        if self.person_found is None:
            raise forms.ValidationError(
                _("No person has the reference %(reference)s. Check it and try again.") % {"reference": reference}
            )
        return reference

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("from"), cleaned.get("to")
        if since and until and until < since:
            self.add_error("to", _("The last day comes before the first: swap them or change one."))
        return cleaned

    def period(self) -> tuple[date | None, date | None]:
        """The valid form's first and last day (either may be open)."""
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")
