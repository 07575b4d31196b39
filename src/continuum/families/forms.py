"""Forms of the family pages. They check input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from continuum.families.choices import (
    ContactForm,
    Influence,
    OfferResponse,
    PlacementKind,
    RelationKind,
    Urgency,
    VisitSetting,
)
from continuum.people.choices import Gender

TEXT_LIMIT = 5000


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=_date_input(), help_text=help_text)


def _text(label: Any, *, required: bool = True, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _line(label: Any, *, required: bool = True, limit: int = 200, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=limit, help_text=help_text)


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101
    return field


# Yes, no, or not known yet (a visit that took place, a person who came to a family day).
YES, NO, OPEN = "yes", "no", ""
TOOK_PLACE_CHOICES = [
    (YES, pgettext_lazy("took place", "Yes, it took place")),
    (NO, pgettext_lazy("took place", "No, it did not take place")),
    (OPEN, pgettext_lazy("took place", "Not known yet")),
]


def yes_no(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


def yes_no_value(value: bool | None) -> str:
    return YES if value is True else NO if value is False else OPEN


# --- the case page: relationships, children, refusals ----------------------------------------------------


class RelationshipForm(forms.Form):
    """A relative or contact of the case's person (not a child: child welfare adds those)."""

    kind = forms.ChoiceField(label=gettext_lazy("Who they are to the person"))
    given_name = _line(gettext_lazy("Given name"), limit=100)
    family_name = _line(gettext_lazy("Family name"), limit=100)
    birth_date = _date(gettext_lazy("Date of birth"), required=False)
    influence = forms.ChoiceField(
        label=gettext_lazy("Their influence on the person"),
        choices=Influence.choices,
        initial=Influence.UNKNOWN,
        help_text=gettext_lazy("The team's judgement; say why in the note."),
    )
    note = _text(gettext_lazy("Note"), required=False, rows=2)

    def __init__(self, *args: Any, kinds: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(kinds)
        _choice(self, "kind").choices = [(v, label) for v, label in RelationKind.choices if v in allowed]


class ChildForm(forms.Form):
    given_name = _line(gettext_lazy("Given name"), limit=100)
    family_name = _line(gettext_lazy("Family name"), limit=100)
    birth_date = _date(gettext_lazy("Date of birth"), required=False)
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)


class RefusalForm(forms.Form):
    refused_on = _date(gettext_lazy("Refused on"))
    persons_words = _text(
        gettext_lazy("What the person said, in their own words"), help_text=gettext_lazy("Write it as they said it.")
    )
    offer_again_on = _date(
        gettext_lazy("Offer again on"),
        help_text=gettext_lazy("Meanwhile the team works through the person's family and circle."),
    )


class ReOfferForm(forms.Form):
    offered_on = _date(gettext_lazy("Offered again on"))
    response = forms.ChoiceField(label=gettext_lazy("The person's answer"), choices=OfferResponse.choices)
    persons_words = _text(gettext_lazy("What the person said, in their own words"), required=False, rows=2)
    next_offer_on = _date(
        gettext_lazy("Offer again on"),
        required=False,
        help_text=gettext_lazy("Needed unless the person accepted."),
    )


# --- the child's page ------------------------------------------------------------------------------------------


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Where the child lives"), choices=PlacementKind.choices)
    starts_on = _date(gettext_lazy("From"), help_text=gettext_lazy("The placement before it ends on this day."))
    carer = _line(gettext_lazy("Who looks after the child"), required=False)
    note = _text(gettext_lazy("Note"), required=False, rows=2)


class ProfileForm(forms.Form):
    guardian = _line(gettext_lazy("Guardian"), required=False)
    school = _text(gettext_lazy("School or day care"), required=False, rows=2)
    health = _text(gettext_lazy("Health"), required=False, rows=2)
    documents_from_abroad = _text(gettext_lazy("Documents from abroad"), required=False, rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    FIELDS = ("guardian", "school", "health", "documents_from_abroad")


class BestInterestForm(forms.Form):
    assessed_on = _date(gettext_lazy("Assessed on"))
    judgement = _text(
        gettext_lazy("Child welfare's judgement of the child's best interest"),
        rows=4,
        help_text=gettext_lazy("In words: what is in the child's interest and why. There is no score."),
    )
    next_review_on = _date(gettext_lazy("Next review on"), required=False)


class ContactOrderForm(forms.Form):
    parent_case = forms.ChoiceField(
        label=gettext_lazy("Contact with the parent of case"),
        help_text=gettext_lazy("The child belongs to more than one case: say whose contact this is."),
    )
    issued_by = _line(gettext_lazy("Issued by"), help_text=gettext_lazy("For example the juvenile court."))
    issued_on = _date(gettext_lazy("Issued on"))
    form = forms.ChoiceField(label=gettext_lazy("Form of contact"), choices=ContactForm.choices)
    per_month = forms.IntegerField(label=gettext_lazy("Contacts a month"), min_value=1, max_value=31)
    supervised = forms.BooleanField(label=gettext_lazy("Supervised contact"), required=False)
    valid_from = _date(gettext_lazy("In force from"))
    valid_until = _date(gettext_lazy("In force until"), required=False)
    note = _text(gettext_lazy("Note"), required=False, rows=2)

    def __init__(self, *args: Any, cases: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = {str(c.pk): c for c in cases}
        _choice(self, "parent_case").choices = [(pk, c.number) for pk, c in self.cases.items()]
        if len(self.cases) == 1:
            self.fields["parent_case"].widget = forms.HiddenInput()
            self.initial.setdefault("parent_case", next(iter(self.cases)))

    def case(self) -> Any:
        return self.cases[self.cleaned_data["parent_case"]]


class _MomentField(forms.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            **kwargs,
        )


class VisitForm(forms.Form):
    """Schedule a visit under an order (what happened is recorded later, on the visit)."""

    scheduled_for = _MomentField(label=gettext_lazy("Day and time"))
    form = forms.ChoiceField(label=gettext_lazy("Form of contact"), choices=ContactForm.choices)
    setting = forms.ChoiceField(
        label=gettext_lazy("Where"),
        choices=VisitSetting.choices,
        help_text=gettext_lazy("The prison sees the day, the form and where, nothing else about the child."),
    )
    accompanied_by = _line(gettext_lazy("Accompanied by"), required=False)


class VisitRecordForm(forms.Form):
    """What happened at a visit, in child welfare's words."""

    took_place = forms.ChoiceField(
        label=gettext_lazy("Did the visit take place?"),
        choices=TOOK_PLACE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    accompanied_by = _line(gettext_lazy("Accompanied by"), required=False)
    outcome_for_child = _text(gettext_lazy("How it went for the child"), required=False, rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- family files ------------------------------------------------------------------------------------------


class _ClientDetails(forms.Form):
    given_name = _line(gettext_lazy("Given name"), limit=100, required=False)
    family_name = _line(gettext_lazy("Family name"), limit=100, required=False)
    birth_date = _date(gettext_lazy("Date of birth"), required=False)
    relation = _line(
        gettext_lazy("Who they are in the family"),
        required=False,
        limit=100,
        help_text=gettext_lazy("For example mother, sister."),
    )

    def new_client(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "birth_date": data["birth_date"],
            "relation": data["relation"],
        }


class FamilyFileForm(_ClientDetails):
    """Open a family file with its first client (more are added on the file's page)."""

    field_order = ["title", "case", "given_name", "family_name", "birth_date", "relation"]

    title = _line(gettext_lazy("Name of the file"), help_text=gettext_lazy("For example the family's name."))
    case = forms.ChoiceField(
        label=gettext_lazy("Case of the person the family worries about"),
        required=False,
        help_text=gettext_lazy(
            "Only if your organisation takes part in that case. A family can be helped without one."
        ),
    )

    def __init__(self, *args: Any, cases: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = {str(c.pk): c for c in cases}
        _choice(self, "case").choices = [
            ("", gettext_lazy("No case")),
            *((pk, c.number) for pk, c in self.cases.items()),
        ]
        for name in ("given_name", "family_name"):
            self.fields[name].required = True

    def chosen_case(self) -> Any:
        return self.cases.get(self.cleaned_data.get("case") or "")


class ClientForm(_ClientDetails):
    """Another client: a person the organisation already works with, or someone new."""

    field_order = ["person", "given_name", "family_name", "birth_date", "relation"]

    person = forms.ChoiceField(label=gettext_lazy("Someone already known"), required=False)

    def __init__(self, *args: Any, persons: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = {str(p.pk): p for p in persons}
        _choice(self, "person").choices = [
            ("", gettext_lazy("Someone new: give their name below")),
            *((pk, p.full_name) for pk, p in self.persons.items()),
        ]
        if not self.persons:
            del self.fields["person"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("given_name") and data.get("family_name")):
            raise forms.ValidationError(
                gettext_lazy("Choose someone already known, or give a given and a family name.")
            )
        return data

    def chosen_person(self) -> Any:
        return self.persons.get(self.cleaned_data.get("person") or "")


class CounsellorForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))

    def __init__(self, *args: Any, organisations: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations}
        _choice(self, "organisation").choices = [(o.slug, o.name) for o in self.organisations.values()]

    def chosen(self) -> Any:
        return self.organisations[self.cleaned_data["organisation"]]


class ClearingForm(forms.Form):
    worries = _text(gettext_lazy("What the family worries about"))
    warning_signs = _text(gettext_lazy("Warning signs seen"), required=False, rows=2)
    urgency = forms.ChoiceField(label=gettext_lazy("How urgent"), choices=Urgency.choices)
    cleared_on = _date(gettext_lazy("Done on"))


class HelpPlanForm(forms.Form):
    aims = _text(gettext_lazy("What the counselling works on with the family"), rows=4)
    next_review_on = _date(gettext_lazy("Next review on"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class SessionForm(forms.Form):
    client = forms.ChoiceField(label=gettext_lazy("With"))
    held_on = _date(gettext_lazy("Held on"))
    note = _text(gettext_lazy("Note"))
    never_share = forms.BooleanField(
        label=gettext_lazy("Never share this session"),
        required=False,
        help_text=gettext_lazy(
            "Other counsellors of the family never see it, even with the client's consent. Only your organisation does."
        ),
    )

    def __init__(self, *args: Any, clients: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "client").choices = [(str(c.person_id), c.person.full_name) for c in clients]


# --- family days ------------------------------------------------------------------------------------------------


class FamilyDayForm(forms.Form):
    title = _line(gettext_lazy("Title"))
    held_on = _date(gettext_lazy("Day"))
    place = _line(gettext_lazy("Place"), required=False)
    programme = _text(gettext_lazy("Programme"), required=False, rows=2)


class ParticipantForm(forms.Form):
    case = forms.ChoiceField(label=gettext_lazy("Who takes part (case)"))
    visitors = _line(
        gettext_lazy("Who comes to visit"),
        required=False,
        limit=300,
        help_text=gettext_lazy("For example mother, sister."),
    )

    def __init__(self, *args: Any, cases: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = {str(c.pk): c for c in cases}
        _choice(self, "case").choices = [(pk, c.label) for pk, c in self.cases.items()]

    def chosen_case(self) -> Any:
        return self.cases[self.cleaned_data["case"]]


class AttendanceForm(forms.Form):
    attended = forms.ChoiceField(
        label=gettext_lazy("Took part"),
        choices=[("yes", pgettext_lazy("attended", "Came")), ("no", pgettext_lazy("attended", "Did not come"))],
        widget=forms.RadioSelect,
    )
