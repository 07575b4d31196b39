"""Forms of the mentoring pages. They check input; the actions decide and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from continuum.accounts.models import User
from continuum.mentoring.choices import MentorExperience, MentorRiskLevel, MentorType
from continuum.people.choices import Gender

TEXT_LIMIT = 5000


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
    )


def _text(label: Any, *, required: bool = False, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


GENDER_CHOICES = [
    ("", gettext_lazy("Not recorded")),
    (Gender.FEMALE, Gender.FEMALE.label),
    (Gender.MALE, Gender.MALE.label),
]


class ProfileForm(forms.Form):
    """A mentor's profile (coordinators of the mentor's organisation or of the central point)."""

    user = forms.ChoiceField(
        label=gettext_lazy("Mentor"),
        help_text=gettext_lazy("Staff of a mentoring organisation who have no mentor profile yet."),
    )
    type = forms.ChoiceField(label=gettext_lazy("Kind of mentor"), choices=MentorType.choices)
    languages = forms.CharField(
        label=gettext_lazy("Languages the mentor speaks"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Two-letter codes separated by commas, for example: nl, en, ar."),
    )
    gender = forms.ChoiceField(label=gettext_lazy("Gender of the mentor"), choices=GENDER_CHOICES, required=False)
    experience = forms.MultipleChoiceField(
        label=gettext_lazy("Experience with"),
        choices=MentorExperience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Mentees at once"),
        min_value=0,
        max_value=20,
        initial=1,
        help_text=gettext_lazy("How many persons the mentor can take at the same time."),
    )
    max_risk_level = forms.ChoiceField(
        label=gettext_lazy("Highest risk level the scheme lets this mentor take"),
        choices=MentorRiskLevel.choices,
        initial=MentorRiskLevel.MEDIUM,
    )
    vetted_on = _date(
        gettext_lazy("Vetted on"),
        required=False,
        help_text=gettext_lazy("Leave empty while the vetting is not finished: the mentor cannot be matched yet."),
    )
    disengagement_reviewed_on = _date(
        gettext_lazy("Own disengagement reviewed on (formers only)"),
        required=False,
        help_text=gettext_lazy("A former is vetted only after their own disengagement has been reviewed."),
    )
    disengagement_note = _text(gettext_lazy("What the disengagement review found (formers only)"))

    def __init__(self, *args: Any, mentor_users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentor_users = {u.username: u for u in mentor_users}
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", "---------")] + [
            (u.username, f"{u.get_full_name() or u.username} ({u.organisation})") for u in mentor_users
        ]

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        codes = [c.strip().lower() for c in re.split(r"[,;\s]+", raw) if c.strip()]
        if any(not re.fullmatch(r"[a-z]{2,3}(-[a-z]{2})?", c) for c in codes):
            raise forms.ValidationError(gettext_lazy("Write each language as its two-letter code, for example: nl."))
        return codes

    def clean_user(self) -> User:
        value = self.cleaned_data.get("user")
        if value not in self.mentor_users:
            raise forms.ValidationError(gettext_lazy("Choose one of the listed mentors."))
        return self.mentor_users[value]


class SupervisionForm(forms.Form):
    held_on = _date(gettext_lazy("Held on"))
    supervisor = forms.CharField(label=gettext_lazy("Supervisor"), max_length=200, required=False)
    note = _text(gettext_lazy("Note"), help_text=gettext_lazy("What was discussed, in a few words."))


class SuggestionFilterForm(forms.Form):
    gender = forms.ChoiceField(
        label=gettext_lazy("The person would rather have a mentor who is"),
        choices=[
            ("", gettext_lazy("No preference")),
            (Gender.FEMALE, Gender.FEMALE.label),
            (Gender.MALE, Gender.MALE.label),
        ],
        required=False,
    )


class MatchForm(forms.Form):
    """A match: both consents are required (and the actions check them again)."""

    mentor = forms.UUIDField(widget=forms.HiddenInput)
    mentee_consent_on = _date(
        gettext_lazy("The person agreed on"),
        help_text=gettext_lazy("The day the person said yes to this mentor."),
    )
    mentor_consent_on = _date(
        gettext_lazy("The mentor agreed on"),
        help_text=gettext_lazy("The day the mentor said yes to mentoring this person."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee_consent_on"].error_messages["required"] = gettext_lazy(
            "Record the day the person agreed: without the person's consent there is no match."
        )
        self.fields["mentor_consent_on"].error_messages["required"] = gettext_lazy(
            "Record the day the mentor agreed: without the mentor's consent there is no match."
        )


class SessionForm(forms.Form):
    held_on = _date(gettext_lazy("Held on"))
    note = _text(
        gettext_lazy("Note"),
        rows=4,
        help_text=gettext_lazy("What you did and talked about. The case team may read it, as the sharing rules allow."),
    )


class EndForm(forms.Form):
    reason = _text(gettext_lazy("Why the mentoring ends"), required=True)
