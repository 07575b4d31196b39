"""Forms of the plan pages. They check input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.accounts.models import Organisation, User
from continuum.plans.choices import AgreementPosition, FocusArea, InterventionType, ParentingApproach
from continuum.sharing.choices import Category
from continuum.sharing.preview import short_type


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organisation_choices(organisations: Iterable[Organisation], *, blank: str = "") -> list[tuple[str, str]]:
    choices = [(o.slug, f"{o.name} ({short_type(o.type)})") for o in organisations]
    return [("", blank), *choices] if blank else choices


class _MembersForm(forms.Form):
    """A form with organisation fields limited to the case's current members (named by slug)."""

    organisation_fields: tuple[str, ...] = ()
    blank_choice: dict[str, Any] = {}

    def __init__(self, *args: Any, members: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {o.slug: o for o in members}
        for name in self.organisation_fields:
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = _organisation_choices(self.members.values(), blank=self.blank_choice.get(name, ""))

    def organisation(self, name: str) -> Organisation | None:
        return self.members.get(self.cleaned_data.get(name) or "")


class PlanSummaryForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("What the plan is about"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("A few sentences the person would recognise."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GoalForm(_MembersForm):
    organisation_fields = ("owner_organisation",)

    focus_area = forms.ChoiceField(label=gettext_lazy("Focus area"), choices=FocusArea.choices)
    persons_own_words = forms.CharField(
        label=gettext_lazy("The goal in the person's own words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Write down what they said, as they said it."),
    )
    description = forms.CharField(
        label=gettext_lazy("The goal as the team describes it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner_organisation = forms.ChoiceField(label=gettext_lazy("Organisation that owns this goal"))


class MilestoneForm(_MembersForm):
    organisation_fields = ("assigned_organisation",)
    blank_choice = {"assigned_organisation": gettext_lazy("Nobody in particular")}

    description = forms.CharField(label=gettext_lazy("Next small step"), max_length=1000)
    target_on = forms.DateField(label=gettext_lazy("To be reached by"), widget=_date_input())
    assigned_organisation = forms.ChoiceField(
        label=gettext_lazy("Organisation that helps with this step"),
        required=False,
        help_text=gettext_lazy("A mentoring organisation sees only the steps it helps with."),
    )


class AchieveForm(forms.Form):
    achieved_on = forms.DateField(label=gettext_lazy("Achieved on"), widget=_date_input())
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=5000)


class AgreementForm(forms.Form):
    position = forms.ChoiceField(
        label=gettext_lazy("What does the person say about the plan?"),
        choices=AgreementPosition.choices,
        widget=forms.RadioSelect,
    )
    persons_words = forms.CharField(
        label=gettext_lazy("What the person said, as they said it"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the person could not answer"),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Only when the person could not answer."),
    )
    recorded_on = forms.DateField(label=gettext_lazy("Date of the conversation"), widget=_date_input())


class InterventionForm(_MembersForm):
    organisation_fields = ("provider_organisation",)

    type = forms.ChoiceField(label=gettext_lazy("Kind of intervention"), choices=InterventionType.choices)
    category = forms.ChoiceField(
        label=gettext_lazy("Kind of information (only for 'Other')"),
        required=False,
        choices=[("", gettext_lazy("Choose for 'Other'")), *Category.choices],
        help_text=gettext_lazy("Other kinds follow their type: trauma therapy is filed as mental health, for example."),
    )
    provider_organisation = forms.ChoiceField(label=gettext_lazy("Provided by"))
    practitioner = forms.CharField(
        label=gettext_lazy("Practitioner (user name)"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("A user of the provider."),
    )
    voluntary = forms.TypedChoiceField(
        label=gettext_lazy("Voluntary or mandated?"),
        choices=[("true", gettext_lazy("Voluntary")), ("false", gettext_lazy("Mandated"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=_date_input())
    frequency = forms.CharField(
        label=gettext_lazy("How often"), required=False, max_length=100, help_text=gettext_lazy("For example: weekly.")
    )
    approach = forms.ChoiceField(
        label=gettext_lazy("How the parenting support works (only for parenting support)"),
        required=False,
        choices=[("", gettext_lazy("Not said")), *ParentingApproach.choices],
        help_text=gettext_lazy(
            "Attachment-based support often uses video: parent and counsellor watch together how the child reacts."
        ),
    )

    def limit_categories(self, writable: Iterable[str]) -> None:
        """For 'Other', only the categories the author may write on the case."""
        field = self.fields["category"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", _("Choose for 'Other'")), *[(c, Category(c).label) for c in writable]]

    def practitioner_user(self) -> User | None:
        name = (self.cleaned_data.get("practitioner") or "").strip()
        if not name:
            return None
        found = User.objects.filter(username=name).first()
        if found is None:
            self.add_error("practitioner", _("There is no user with that name."))
        return found


class SessionForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date of the session"), widget=_date_input())
    attended = forms.TypedChoiceField(
        label=gettext_lazy("Did the person attend?"),
        choices=[("true", gettext_lazy("Attended")), ("false", gettext_lazy("Did not attend"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    video_feedback = forms.BooleanField(
        label=gettext_lazy("We watched and talked about video of how the child reacted to the parent"),
        required=False,
    )
    assignment = forms.CharField(
        label=gettext_lazy("Assignment until the next session"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What the parent will try before the next session, in your own words."),
    )

    def __init__(self, *args: Any, parenting: bool = False, **kwargs: Any) -> None:
        """``parenting``: the session is of parenting support; only then video feedback and an assignment."""
        super().__init__(*args, **kwargs)
        if not parenting:
            del self.fields["video_feedback"]
            del self.fields["assignment"]


class EndInterventionForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("Ended on"), widget=_date_input())
    outcome_note = forms.CharField(label=gettext_lazy("How it went"), required=False, max_length=5000)


# --- group programmes (issue 16) --------------------------------------------------------------------


class GroupProgrammeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Name of the programme"), max_length=200)
    type = forms.ChoiceField(label=gettext_lazy("Kind of programme"))
    description = forms.CharField(
        label=gettext_lazy("What the group does"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Aims and way of working. Write nothing about any participant here."),
    )
    facilitator_organisations = forms.MultipleChoiceField(
        label=gettext_lazy("Organisations that facilitate it with yours"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    voluntary = forms.TypedChoiceField(
        label=gettext_lazy("Taking part is"),
        choices=[("true", gettext_lazy("Voluntary")), ("false", gettext_lazy("Mandated"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=gettext_lazy("Ends on (if known)"), required=False, widget=_date_input())
    frequency = forms.CharField(
        label=gettext_lazy("How often"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("For example: twice a month, two hours"),
    )
    place = forms.CharField(label=gettext_lazy("Where"), required=False, max_length=200)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], organisations: Iterable[Organisation], **kwargs: Any):
        """``kinds``: the programme types the user's organisation may run; ``organisations``: who may co-facilitate."""
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        self.fields["type"].choices = kinds  # type: ignore[attr-defined]
        self.fields["facilitator_organisations"].choices = _organisation_choices(  # type: ignore[attr-defined]
            self.organisations.values()
        )

    def clean_facilitator_organisations(self) -> list[Organisation]:
        return [self.organisations[slug] for slug in self.cleaned_data["facilitator_organisations"]]


class GroupParticipantForm(forms.Form):
    case = forms.ChoiceField(label=gettext_lazy("Person"))
    starts_on = forms.DateField(
        label=gettext_lazy("Takes part from"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("Leave empty for today (or the programme's first day, if it starts later)."),
    )

    def __init__(self, *args: Any, cases: Iterable[Any] = (), **kwargs: Any) -> None:
        """``cases``: the cases whose person the user may add, each with its person."""
        super().__init__(*args, **kwargs)
        self.cases = {str(case.pk): case for case in cases}
        self.fields["case"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a person")),
            *((key, f"{case.person.full_name} ({case.number})") for key, case in self.cases.items()),
        ]

    def clean_case(self) -> Any:
        return self.cases[self.cleaned_data["case"]]


class GroupSessionForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    external_experts = forms.CharField(
        label=gettext_lazy("External experts"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Who, and on what: for example, a theologian on the sources"),
    )
    facilitators = forms.MultipleChoiceField(
        label=gettext_lazy("Facilitators"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Iterable[User] = (), **kwargs: Any) -> None:
        """``people``: the active users of the organisations that run the programme."""
        super().__init__(*args, **kwargs)
        self.people = {p.username: p for p in people}
        self.fields["facilitators"].choices = [  # type: ignore[attr-defined]
            (p.username, p.display_name) for p in self.people.values()
        ]

    def clean_facilitators(self) -> list[User]:
        return [self.people[name] for name in self.cleaned_data["facilitators"]]
