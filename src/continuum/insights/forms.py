"""Forms of the statistics pages: a table to look at, and a publication of up to three tables."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.cases.choices import Phase
from continuum.insights import tables
from continuum.insights.choices import LessonKind, LessonTopic

SLOTS = 3


def _measures(blank: Any = "") -> list[tuple[str, Any]]:
    choices = [(key, tables.MEASURE_LABELS[key]) for key in tables.MEASURES]
    return [("", blank), *choices] if blank else choices


def _dimensions(blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *((key, tables.DIMENSION_LABELS[key]) for key in tables.DIMENSIONS)]


class _Breakdowns(forms.Form):
    """A measure and up to three breakdowns, each its own select (plain for busy readers)."""

    measure = forms.ChoiceField(label=gettext_lazy("What to count"), choices=_measures())
    by1 = forms.ChoiceField(label=gettext_lazy("Break down by"), choices=_dimensions(gettext_lazy("Choose")))
    by2 = forms.ChoiceField(
        label=gettext_lazy("and by"), choices=_dimensions(gettext_lazy("Nothing more")), required=False
    )
    by3 = forms.ChoiceField(
        label=gettext_lazy("and by"), choices=_dimensions(gettext_lazy("Nothing more")), required=False
    )

    def breakdowns(self) -> list[str]:
        return [self.cleaned_data[name] for name in ("by1", "by2", "by3") if self.cleaned_data.get(name)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [cleaned.get(name) for name in ("by1", "by2", "by3") if cleaned.get(name)]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Choose each breakdown once."))
        return cleaned


class _Scope(forms.Form):
    """Which cases: the organisation's own, plainly, or every case through the disclosure control
    (only the scopes the user may have are offered; one alone is not asked)."""

    scope = forms.ChoiceField(
        label=gettext_lazy("Which cases"),
        choices=[
            ("mine", gettext_lazy("The cases my organisation works on (nothing hidden)")),
            ("all", gettext_lazy("Every case (small numbers hidden, counts rounded to 5)")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, scopes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        field.choices = [c for c in field.choices if c[0] in scopes]  # type: ignore[attr-defined]
        if len(scopes) == 1:
            field.widget = forms.HiddenInput()
            field.initial = scopes[0]


class TableForm(_Scope, _Breakdowns):
    pass


class DashboardForm(_Scope):
    by = forms.ChoiceField(
        label=gettext_lazy("Columns by"), choices=[(key, tables.DIMENSION_LABELS[key]) for key in tables.DIMENSIONS]
    )


class PublicationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the report"), max_length=200)
    commentary = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the report is about and how to read it. Write nothing about a person."),
    )


class TableSlotForm(_Breakdowns):
    """One table of a publication; a slot left without a measure is not used."""

    title = forms.CharField(label=gettext_lazy("Title of the table"), max_length=200, required=False)
    commentary = forms.CharField(
        label=gettext_lazy("What the table shows"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].required = False
        self.fields["measure"].choices = _measures(gettext_lazy("No table here"))  # type: ignore[attr-defined]
        self.fields["by1"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("measure") and not cleaned.get("by1"):
            self.add_error("by1", _("Choose what to break the table down by."))
        return cleaned

    @property
    def used(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("measure"))


LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("fr", "Français")]


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", gettext_lazy("Both")), *LessonKind.choices]
    )
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase"), required=False, choices=[("", gettext_lazy("Any phase")), *Phase.choices]
    )
    topic = forms.ChoiceField(
        label=gettext_lazy("Topic"), required=False, choices=[("", gettext_lazy("Any topic")), *LessonTopic.choices]
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Written in"), required=False, choices=[("", gettext_lazy("Any language")), *LANGUAGES]
    )


class LessonForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("This is"), choices=LessonKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("What happened, and what others can learn from it"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Write it for colleagues in every organisation. No names, no case numbers, nothing that points to "
            "a person: readers see only the kind of your organisation."
        ),
    )
    phases = forms.MultipleChoiceField(
        label=gettext_lazy("Phases it is about"),
        required=False,
        choices=Phase.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"), required=False, choices=LessonTopic.choices, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=gettext_lazy("Written in"), choices=LANGUAGES)
