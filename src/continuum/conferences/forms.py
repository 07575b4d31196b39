"""The conference pages' forms (labels and hints in plain words)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from continuum.accounts.models import Organisation
from continuum.cases.models import Case
from continuum.conferences.choices import ConferenceKind, PositionChoice, Recurrence, in_sentence


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of conference"),
        choices=ConferenceKind.choices,
        help_text=_("What each kind is: see “Kinds of conference” above the form."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Do not put names or case details in the title: it goes to participants' calendars."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=600, initial=60)
    location = forms.CharField(
        label=_("Location"), max_length=200, required=False, help_text=_("A room, an address, or a video link.")
    )
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Recurrence.choices, initial=Recurrence.NONE)
    chair_organisation = forms.ChoiceField(label=_("Chaired by"))
    participants = forms.MultipleChoiceField(
        label=_("Participating organisations"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each must be in the team of at least one case on the agenda; of each case it sees only what it may see."
        ),
    )
    cases = forms.MultipleChoiceField(label=_("Cases on the agenda"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, organisations: Iterable[Organisation], cases: Iterable[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_choices = [(o.slug, o.name) for o in organisations]
        self.fields["chair_organisation"].choices = org_choices  # type: ignore[attr-defined]
        self.fields["participants"].choices = org_choices  # type: ignore[attr-defined]
        self.fields["cases"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), f"{c.number} ({c.person.reference}, {in_sentence(c.get_phase_display())})") for c in cases
        ]


class AttendanceForm(forms.Form):
    present = forms.BooleanField(label=_("I am taking part in this meeting"), required=False)
    acknowledge = forms.BooleanField(
        label=_("I will keep what is discussed confidential and use it only for this person's rehabilitation"),
        required=True,
    )


class DecisionForm(forms.Form):
    case = forms.ChoiceField(label=_("About case"))
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    rationale = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    review_on = forms.DateField(label=_("Review on"), required=False, widget=_date_input())
    agrees_plan = forms.BooleanField(
        label=_("This decision agrees the case's draft plan"),
        help_text=_("When every organisation involved agrees this decision, the draft plan becomes the agreed plan."),
        required=False,
    )

    def __init__(self, *args: Any, cases: Iterable[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(str(c.pk), c.number) for c in cases]  # type: ignore[attr-defined]


class PositionForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Your organisation's position"), choices=PositionChoice.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when your organisation disagrees: say why."),
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_organisation = forms.ChoiceField(label=_("Done by"))
    due_on = forms.DateField(label=_("Due on"), widget=_date_input())

    def __init__(self, *args: Any, organisations: Iterable[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].choices = [(o.slug, o.name) for o in organisations]  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    case = forms.ChoiceField(label=_("Case"))
    text = forms.CharField(label=_("Notes of the discussion"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, cases: Iterable[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(str(c.pk), c.number) for c in cases]  # type: ignore[attr-defined]


class GeneralMinutesForm(forms.Form):
    general_minutes = forms.CharField(
        label=_("General minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Practical matters of the meeting only: every participant reads these. Notes about a person go "
            "in the minutes of their case."
        ),
    )


class CancelOccurrenceForm(forms.Form):
    occurs_on = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        required=False,
        help_text=_("Every participant reads it: practical words (a holiday, a move), no names or case details."),
    )
    confirm = forms.BooleanField(required=True)
