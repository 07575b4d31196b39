"""The conference pages' forms (labels and hints in plain words)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from continuum.accounts.models import Organisation
from continuum.cases.models import Case
from continuum.conferences.choices import ConferenceKind, PositionChoice, Recurrence


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of conference",
        choices=ConferenceKind.choices,
        help_text="What each kind is: see “Kinds of conference” above the form.",
    )
    title = forms.CharField(
        max_length=200,
        help_text="Do not put names or case details in the title: it goes to participants' calendars.",
    )
    scheduled_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label="Length in minutes", min_value=15, max_value=600, initial=60)
    location = forms.CharField(max_length=200, required=False, help_text="A room, an address, or a video link.")
    recurrence = forms.ChoiceField(label="Repeats", choices=Recurrence.choices, initial=Recurrence.NONE)
    chair_organisation = forms.ChoiceField(label="Chaired by")
    participants = forms.MultipleChoiceField(
        label="Participating organisations",
        widget=forms.CheckboxSelectMultiple,
        help_text="Each must be in the team of at least one case on the agenda; "
        "of each case it sees only what it may see.",
    )
    cases = forms.MultipleChoiceField(label="Cases on the agenda", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organisations: Iterable[Organisation], cases: Iterable[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_choices = [(o.slug, o.name) for o in organisations]
        self.fields["chair_organisation"].choices = org_choices  # type: ignore[attr-defined]
        self.fields["participants"].choices = org_choices  # type: ignore[attr-defined]
        self.fields["cases"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), f"{c.number} ({c.person.reference}, {c.get_phase_display().lower()})") for c in cases
        ]


class AttendanceForm(forms.Form):
    present = forms.BooleanField(label="I am taking part in this meeting", required=False)
    acknowledge = forms.BooleanField(
        label="I will keep what is discussed confidential and use it only for this person's rehabilitation",
        required=True,
    )


class DecisionForm(forms.Form):
    case = forms.ChoiceField(label="About case")
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    review_on = forms.DateField(label="Review on", required=False, widget=_date_input())
    agrees_plan = forms.BooleanField(
        label="This decision agrees the case's draft plan",
        help_text="When every organisation involved agrees this decision, the draft plan becomes the agreed plan.",
        required=False,
    )

    def __init__(self, *args: Any, cases: Iterable[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(str(c.pk), c.number) for c in cases]  # type: ignore[attr-defined]


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label="Your organisation's position", choices=PositionChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when your organisation disagrees: say why.",
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="What is to be done", widget=forms.Textarea(attrs={"rows": 2}))
    owner_organisation = forms.ChoiceField(label="Done by")
    due_on = forms.DateField(label="Due on", widget=_date_input())

    def __init__(self, *args: Any, organisations: Iterable[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].choices = [(o.slug, o.name) for o in organisations]  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    case = forms.ChoiceField(label="Case")
    text = forms.CharField(label="Notes of the discussion", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, cases: Iterable[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(str(c.pk), c.number) for c in cases]  # type: ignore[attr-defined]


class GeneralMinutesForm(forms.Form):
    general_minutes = forms.CharField(
        label="General minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Practical matters of the meeting only: every participant reads these. Notes about a person go "
        "in the minutes of their case.",
    )


class CancelOccurrenceForm(forms.Form):
    occurs_on = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why",
        max_length=500,
        required=False,
        help_text="Every participant reads it: practical words (a holiday, a move), no names or case details.",
    )
    confirm = forms.BooleanField(required=True)
