"""Forms of the training pages. They check input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from continuum.accounts.choices import OrgType, Role
from continuum.people.choices import Gender
from continuum.training.choices import Topic


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101
    return field


def _user_label(user: Any) -> str:
    organisation = user.organisation.name if user.organisation_id else ""
    return f"{user.display_name} ({organisation})" if organisation else user.display_name


ANY = [("", pgettext_lazy("requirement criterion", "Anyone"))]
# First in a list of people, so that nobody is chosen by mistake.
NOBODY = [("", gettext_lazy("Choose a person"))]


class CourseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the course"), max_length=200)
    code = forms.SlugField(
        label=gettext_lazy("Short code"),
        max_length=64,
        help_text=gettext_lazy("Lower-case letters, digits and dashes, for example gender-awareness."),
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), choices=Topic.choices)
    validity_months = forms.IntegerField(
        label=gettext_lazy("Valid for (months)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=gettext_lazy("Leave empty when the course never expires."),
    )
    instrument = forms.ChoiceField(
        label=gettext_lazy("Certifies for the instrument"),
        required=False,
        help_text=gettext_lazy("Only for a certification: who assesses with this instrument needs the course."),
    )

    def __init__(self, *args: Any, instruments: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "instrument").choices = [("", pgettext_lazy("instrument", "None")), *instruments]


class RequirementForm(forms.Form):
    HINT = gettext_lazy("Choose at least one: the course is needed by whoever matches every choice.")

    # What people named (courses, users) is not translated (docs/languages.md).
    course = forms.ChoiceField(label=gettext_lazy("Course"), widget=forms.Select(attrs={"translate": "no"}))
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)
    org_type = forms.ChoiceField(label=gettext_lazy("Type of organisation"), required=False)
    instrument = forms.ChoiceField(label=gettext_lazy("Assesses with the instrument"), required=False)
    case_gender = forms.ChoiceField(
        label=gettext_lazy("Works on the case of a person of the gender"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        courses: Iterable[tuple[str, str]] = (),
        instruments: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "course").choices = list(courses)
        _choice(self, "role").choices = [*ANY, *Role.choices]
        _choice(self, "org_type").choices = [*ANY, *OrgType.choices]
        _choice(self, "instrument").choices = [*ANY, *instruments]
        _choice(self, "case_gender").choices = [*ANY, *Gender.choices]


class CompletionForm(forms.Form):
    user = forms.ChoiceField(
        label=gettext_lazy("Who completed the course"), widget=forms.Select(attrs={"translate": "no"})
    )
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), widget=_date_input())

    def __init__(self, *args: Any, trainees: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainees = {u.username: u for u in trainees}
        _choice(self, "user").choices = [*NOBODY, *((name, _user_label(u)) for name, u in self.trainees.items())]

    def chosen_user(self) -> Any:
        return self.trainees[self.cleaned_data["user"]]


class SessionForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Day of the session"),
        widget=_date_input(),
        help_text=gettext_lazy("A day to come for a planned session; attendance is recorded once it has been held."),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    trainers = forms.MultipleChoiceField(
        label=gettext_lazy("Trainers"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose one or more."),
    )

    def __init__(self, *args: Any, trainers: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {u.username: u for u in trainers}
        field = self.fields["trainers"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101
        field.choices = [(name, _user_label(u)) for name, u in self.people.items()]

    def chosen_trainers(self) -> list[Any]:
        return [self.people[name] for name in self.cleaned_data["trainers"]]


ATTENDED_CHOICES = [
    ("yes", pgettext_lazy("attended", "Attended")),
    ("no", pgettext_lazy("attended", "Did not attend")),
]


class AttendanceForm(forms.Form):
    user = forms.ChoiceField(label=gettext_lazy("Who"), widget=forms.Select(attrs={"translate": "no"}))
    attended = forms.ChoiceField(label=gettext_lazy("Attendance"), choices=ATTENDED_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, trainees: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainees = {u.username: u for u in trainees}
        _choice(self, "user").choices = [*NOBODY, *((name, _user_label(u)) for name, u in self.trainees.items())]

    def chosen_user(self) -> Any:
        return self.trainees[self.cleaned_data["user"]]
