"""The retention page's form: a legal hold on a case, named by its number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from continuum.cases.models import Case


class HoldForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case number"), max_length=20, help_text=_("As the review queue shows it, e.g. 2026-0001.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the case's records must be kept, e.g. the court case or the request."),
    )
    until = forms.DateField(
        label=_("Held until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the hold ends: a day still to come."),
    )

    def clean_case_number(self) -> Case:
        number = self.cleaned_data["case_number"].strip()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("There is no case with this number."))
        return case

    def hold_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"case": data["case_number"], "reason": data["reason"], "until": data["until"]}
