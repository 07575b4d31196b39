"""The data protection officer's forms for subject access: find a person, restrict an item."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.dataprotection.models import RestrictionGround
from continuum.people.models import Person
from continuum.sharing.choices import Category
from continuum.sharing.forms import REFERENCE


class FindPersonForm(forms.Form):
    """A person's reference (``P-7F3K2Q``). Only the data protection officer reaches it: for the officer,
    whether a person exists is not secret (R10 hides content, not existence)."""

    reference = forms.CharField(
        label=gettext_lazy("Person reference"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"placeholder": "P-7F3K2Q", "size": 12, "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person_found: Person | None = None

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE.match(reference):
            raise forms.ValidationError(
                _("A person reference looks like P-7F3K2Q: the letter P, a dash and six letters or digits.")
            )
        self.person_found = Person.objects.filter(reference=reference).first()
        if self.person_found is None:
            raise forms.ValidationError(
                _("No person has the reference %(reference)s. Check it and try again.") % {"reference": reference}
            )
        return reference


class RestrictionForm(forms.Form):
    """One decision: which item (one record, or a whole category), kept back or given, the ground, the
    documented reasons and an optional review date. The items are offered by kind, category and date,
    never by what they say (the officer sees no content, R10)."""

    target = forms.ChoiceField(label=gettext_lazy("Which item"))
    restricts = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("true", gettext_lazy("Keep it back from the person")),
            ("false", gettext_lazy("Give it to the person")),
        ],
        coerce=lambda value: value == "true",
        initial="true",
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label=gettext_lazy("Ground (Article 15(1))"),
        choices=[("", gettext_lazy("— only when keeping back —")), *RestrictionGround.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Reasons (documented for the supervisory authority)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    until = forms.DateField(
        label=gettext_lazy("Review by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a day as year-month-day, for example 2027-03-01.")},
    )

    def __init__(self, *args: Any, items: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        categories = [
            (f"category:{value}", _("Every %(category)s record") % {"category": label})
            for value, label in Category.choices
        ]
        records = [
            (
                f"{item.record_type}:{item.record.pk}",
                f"{item.kind} · {item.category_label} · {_day(item.when)}",
            )
            for item in items
        ]
        target = cast(forms.ChoiceField, self.fields["target"])
        target.choices = [
            ("", _("Choose an item")),
            (_("A whole category"), categories),
            (_("One record"), records),
        ]

    def decision(self) -> dict[str, Any]:
        """The valid form as the arguments of ``do_record_access_restriction``."""
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        target: dict[str, Any] = (
            {"category": value} if kind == "category" else {"record_type": kind, "record_id": value}
        )
        return {
            **target,
            "restricts": self.cleaned_data["restricts"],
            "ground": self.cleaned_data.get("ground") or "",
            "note": self.cleaned_data["note"],
            "until": self.cleaned_data.get("until"),
        }


def _day(value: Any) -> str:
    return str((value.date() if isinstance(value, datetime) else value).isoformat())
