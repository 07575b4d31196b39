"""Forms of the release pages. They check input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from continuum.accounts.models import Organisation, User
from continuum.cases.choices import in_sentence
from continuum.sharing.preview import short_type
from continuum.transition.choices import (
    Accommodation,
    FamilyContact,
    ItemStatus,
    ReleaseType,
    ReoffendingKind,
    ReoffendingSource,
    ReviewOutcome,
    WorkOrEducation,
)
from continuum.transition.releases import MAX_WITHIN_DAYS


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101
    return field


class _OrganisationsForm(forms.Form):
    """A form whose organisation fields offer the organisations it is given (named by slug)."""

    organisation_fields: tuple[str, ...] = ()
    blank_choice: dict[str, Any] = {}

    def __init__(self, *args: Any, organisations: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        for name in self.organisation_fields:
            choices = [(o.slug, f"{o.name} ({short_type(o.type)})") for o in self.organisations.values()]
            blank = self.blank_choice.get(name)
            _choice(self, name).choices = [("", blank), *choices] if blank else choices

    def organisation(self, name: str) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get(name) or "")


class ReleasePlanForm(_OrganisationsForm):
    """Begin a release plan (no version), or change its day, type and destination (with the version read)."""

    organisation_fields = ("destination_municipality",)
    blank_choice = {"destination_municipality": gettext_lazy("Not known yet")}

    expected_release_on = forms.DateField(
        label=gettext_lazy("Expected day of release"),
        widget=_date_input(),
        help_text=gettext_lazy(
            "First proposed from the sentence's earliest release, or its end: change it when the day is known."
        ),
    )
    release_type = forms.ChoiceField(label=gettext_lazy("Kind of release"), choices=ReleaseType.choices)
    destination_municipality = forms.ChoiceField(
        label=gettext_lazy("Municipality the person goes to"),
        required=False,
        help_text=gettext_lazy("It sees the release on its release calendar, even before it joins the team."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class ReleaseItemForm(_OrganisationsForm):
    """One domain of the plan: status, owner (a current member), due date and note."""

    organisation_fields = ("owner_organisation",)
    blank_choice = {"owner_organisation": gettext_lazy("Nobody yet")}

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ItemStatus.choices)
    owner_organisation = forms.ChoiceField(
        label=gettext_lazy("Organisation that takes care of it"),
        required=False,
        help_text=gettext_lazy("An organisation of the team; it sees this on its home page while it is open."),
    )
    due_on = forms.DateField(label=gettext_lazy("To be settled by"), required=False, widget=_date_input())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "When support is declined or not needed, say why here, with that change: it is a decision to account for."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ScenarioForm(forms.Form):
    scenario = forms.CharField(
        label=gettext_lazy("The situation talked through"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "For example: recognised from the media, a job refused, old contacts at the door, the family says no."
        ),
    )
    persons_expected_reaction = forms.CharField(
        label=gettext_lazy("What the person expects to do, in their own words"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Write down what they said, as they said it."),
    )
    coping_strategy = forms.CharField(
        label=gettext_lazy("What they agreed to do instead"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    support_contact = forms.CharField(label=gettext_lazy("Who they can call"), required=False, max_length=200)
    discussed_on = forms.DateField(label=gettext_lazy("Discussed on"), widget=_date_input())


class ConditionReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=gettext_lazy("Reviewed on"), widget=_date_input())
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ReviewOutcome.choices)
    note = forms.CharField(
        label=gettext_lazy("What was decided and why"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_valid_until = forms.DateField(
        label=gettext_lazy("Now in force until"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("Only when the end date changes."),
    )
    next_review_on = forms.DateField(label=gettext_lazy("Next review on"), required=False, widget=_date_input())


class ResettlementCheckForm(forms.Form):
    """A follow-up after release: what the team found on the day, as coded values."""

    checked_on = forms.DateField(
        label=gettext_lazy("Day of the follow-up"),
        widget=_date_input(),
        help_text=gettext_lazy("On or after the day of release; for example three, six or twelve months after it."),
    )
    accommodation = forms.ChoiceField(label=gettext_lazy("Where the person lives"), choices=Accommodation.choices)
    work_or_education = forms.ChoiceField(label=gettext_lazy("Work or education"), choices=WorkOrEducation.choices)
    family_contact = forms.ChoiceField(
        label=gettext_lazy("Contact with family"),
        choices=FamilyContact.choices,
        help_text=gettext_lazy("How often only. Who the family are belongs in the family records, not here."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReoffendingForm(forms.Form):
    """A recall, a new charge or a new conviction as its source recorded it."""

    kind = forms.ChoiceField(label=gettext_lazy("What was recorded"), choices=ReoffendingKind.choices)
    occurred_on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())
    source = forms.ChoiceField(label=gettext_lazy("Recorded by"), choices=ReoffendingSource.choices)
    source_reference = forms.CharField(
        label=gettext_lazy("Their reference"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For example the court's case number."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseForm(_OrganisationsForm):
    """The release itself: the day, the organisation that leads outside, and its practitioner."""

    organisation_fields = ("lead_organisation",)
    blank_choice = {"lead_organisation": gettext_lazy("Choose probation or the municipality")}

    released_on = forms.DateField(label=gettext_lazy("Released on"), widget=_date_input())
    lead_organisation = forms.ChoiceField(
        label=gettext_lazy("Leads the case after release"),
        error_messages={"required": gettext_lazy("Choose the organisation that takes the case over.")},
    )
    responsible = forms.ChoiceField(
        label=gettext_lazy("Its responsible practitioner"),
        required=False,
        help_text=gettext_lazy(
            "Someone of the organisation above. Leave empty to keep the practitioner it has named already."
        ),
    )
    handover_note = forms.CharField(
        label=gettext_lazy("Hand-over note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Left empty, the note says the day of release and what is still open in the plan."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that the person is released: the case moves to its new lead and the prison leaves the team"
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the release.")},
    )

    def __init__(self, *args: Any, practitioners: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practitioners = {u.username: u for u in practitioners}
        groups: dict[str, list[tuple[str, str]]] = {}
        for user in self.practitioners.values():
            name = user.organisation.name if user.organisation else ""
            groups.setdefault(name, []).append(
                (user.username, f"{user.display_name} ({in_sentence(user.get_role_display())})")
            )
        _choice(self, "responsible").choices = [("", gettext_lazy("Keep whoever is named")), *groups.items()]

    def lead(self) -> Organisation:
        return self.organisations[self.cleaned_data["lead_organisation"]]

    def responsible_user(self) -> User | None:
        return self.practitioners.get(self.cleaned_data.get("responsible") or "")


WITHIN_CHOICES = [
    (14, gettext_lazy("two weeks")),
    (31, gettext_lazy("a month")),
    (92, gettext_lazy("three months")),
    (183, gettext_lazy("six months")),
    (365, gettext_lazy("a year")),
    (730, gettext_lazy("two years")),
]


class CalendarFilterForm(forms.Form):
    """The list's window (``within``, in days) or the month view's month (``view=month&month=YYYY-MM``)."""

    within = forms.TypedChoiceField(
        label=gettext_lazy("Expected within"),
        choices=WITHIN_CHOICES,
        coerce=int,
        required=False,
    )
    view = forms.ChoiceField(choices=[("list", "list"), ("month", "month")], required=False)
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)

    def clean_month(self) -> date | None:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        year, month = (int(part) for part in value.split("-"))
        if not 2000 <= year <= 2200:
            raise forms.ValidationError(gettext_lazy("Choose a real month."))
        return date(year, month, 1)

    def clean_within(self) -> int:
        value = self.cleaned_data.get("within") or 365
        return min(int(value), MAX_WITHIN_DAYS)
