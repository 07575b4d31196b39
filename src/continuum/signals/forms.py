"""Forms of the signal pages. They check input; the actions decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.lib.forms import BirthDateField
from continuum.people.choices import Gender
from continuum.signals.choices import Decision, ExtremismType, OffenceType, Setting
from continuum.signals.importing import MAX_BYTES


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportSignalForm(forms.Form):
    """What a reporter tells the central point. There is no search for known persons here (R12): the
    reporter types what it knows and the central point finds out whether the person is known."""

    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=100)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=100)
    birth_date = BirthDateField(label=gettext_lazy("Date of birth"), required=False, widget=_date_input())
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = forms.CharField(label=gettext_lazy("Nationality"), max_length=64, required=False)
    description = forms.CharField(
        label=gettext_lazy("What did you see or hear?"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=10_000,
        help_text=gettext_lazy(
            "Describe behaviour and statements as facts: when, where, what exactly. Say how you know."
        ),
    )
    extremism_type = forms.ChoiceField(
        label=gettext_lazy("Kind of extremism"), choices=ExtremismType.choices, initial=ExtremismType.UNKNOWN
    )
    offence_type = forms.ChoiceField(
        label=gettext_lazy("Offence"),
        choices=OffenceType.choices,
        initial=OffenceType.NONE,
        help_text=gettext_lazy(
            "Anyone suspected or convicted of a terrorist offence is included in the approach at once."
        ),
    )
    setting = forms.ChoiceField(
        label=gettext_lazy("Where was this noticed?"), choices=Setting.choices, initial=Setting.OTHER
    )


class TriageForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label=gettext_lazy("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        help_text=gettext_lazy("Why this decision: it is recorded with your name and reviewed."),
    )
    review_date = forms.DateField(
        label=gettext_lazy("Review date"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("Needed when you monitor: the day the central point looks at this signal again."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.MONITOR:
            review = data.get("review_date")
            if review is None:
                self.add_error("review_date", _("A monitored signal needs a review date."))
            elif review <= timezone.localdate():
                self.add_error("review_date", _("The review date must be in the future."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        help_text=gettext_lazy("Only the central point sees notes until the signal joins a case."),
    )


class MatchForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: given_name, family_name, birth_date (YYYY-MM-DD), gender, nationality, description, "
            "extremism_type, offence_type, setting, reporting_organisation (the organisation's short name)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise ValidationError(_("Choose a CSV file (.csv)."))
        return upload
