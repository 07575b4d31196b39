"""Forms of the assessment pages: opening, one item's rating, the consensus and finalising.

The forms only shape the input; the rules (who may assess, what a complete rating is, what finalising
needs) are the actions' (``continuum.assessments.actions``), whose errors the views put on the forms.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.assessments.models import Instrument


class ChooseInstrumentForm(forms.Form):
    """Step one of opening: which instrument (and version)."""

    instrument = forms.ChoiceField(label=gettext_lazy("Instrument"))

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            (
                str(i.pk),
                _("%(name)s (version %(version)s, %(category)s)")
                % {"name": i.display_name, "version": i.version, "category": i.get_category_display().lower()},
            )
            for i in instruments
        ]


class OpenAssessmentForm(forms.Form):
    """Step two: the modules that apply and the assessors, for the chosen instrument."""

    instrument = forms.CharField(widget=forms.HiddenInput)
    modules = forms.MultipleChoiceField(
        label=gettext_lazy("Modules"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Add the modules that apply."),
    )
    assessors = forms.MultipleChoiceField(
        label=gettext_lazy("Assessors"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Each assessor rates on their own; nobody sees the others' ratings until they have submitted."
        ),
    )

    def __init__(
        self,
        *args: Any,
        modules: list[tuple[str, str]],
        assessors: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["modules"]).choices = modules
        cast(forms.ChoiceField, self.fields["assessors"]).choices = assessors
        if not modules:
            del self.fields["modules"]


class FinaliseForm(forms.Form):
    """The overall judgement, in the finalising person's own words, and the next review date."""

    judgement_level = forms.CharField(label=gettext_lazy("Overall judgement"), max_length=60)
    judgement_summary = forms.CharField(
        label=gettext_lazy("Summary of the judgement, with its rationale"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=gettext_lazy(
            "Written by you. Continuum does not suggest a judgement: the domain summaries only describe."
        ),
    )
    next_review_on = forms.DateField(
        label=gettext_lazy("Next review"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Required, after today. The review shows as overdue when this date has passed."),
    )

    def __init__(self, *args: Any, levels: list[str], labels: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = labels or {}
        if levels:
            self.fields["judgement_level"] = forms.ChoiceField(
                label=gettext_lazy("Overall judgement"),
                choices=[
                    ("", _("Choose the level")),
                    *[(level, labels.get(level, level.capitalize())) for level in levels],
                ],
            )

    def clean_next_review_on(self) -> Any:
        value = self.cleaned_data["next_review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("The next review must be after today."))
        return value


class SubmitRatingsForm(forms.Form):
    """Submitting one's ratings cannot be undone: the assessor ticks that they know (as removing a goal of a
    plan asks). Whether the ratings are complete is the action's rule (``do_submit_ratings``)."""

    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, submit my ratings: I cannot change them afterwards"),
        error_messages={
            "required": gettext_lazy("Not submitted: tick the box to confirm that your ratings are final.")
        },
    )


def rating_entry(item: str, data: Any) -> tuple[dict[str, Any] | None, str]:
    """One item's rating from posted form data, as ``do_save_ratings`` takes it, or ``(None, why not)``.

    A rating is a scale value; "known unknown" is no rating (its rationale says why). Neither chosen:
    nothing to save yet.
    """
    known_unknown = bool(data.get("known_unknown"))
    raw = str(data.get("rating") or "").strip()
    texts = {f: str(data.get(f) or "") for f in ("rationale", "evidence_for", "evidence_against")}
    if known_unknown:
        rating: int | None = None
    elif raw.lstrip("-").isdigit():
        rating = int(raw)
    else:
        return None, _(
            "Not saved yet: choose a rating, or tick “Known unknown” and say why in the rationale. "
            "Your text stays on this page."
        )
    return {"item": item, "rating": rating, **texts, "decisive": bool(data.get("decisive"))}, ""


def consensus_entries(codes: list[str], data: Any) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """The consensus ratings posted for the items (``consensus-<code>-rating``: a value, "unknown" or
    empty; ``consensus-<code>-rationale``) and the posted values, to show again on an error."""
    entries: list[dict[str, Any]] = []
    posted: dict[str, dict[str, str]] = {}
    for code in codes:
        raw = str(data.get(f"consensus-{code}-rating") or "").strip()
        rationale = str(data.get(f"consensus-{code}-rationale") or "")
        posted[code] = {"rating": raw, "rationale": rationale}
        if raw == "unknown":
            entries.append({"item": code, "rating": None, "rationale": rationale})
        elif raw.lstrip("-").isdigit():
            entries.append({"item": code, "rating": int(raw), "rationale": rationale})
    return entries, posted
