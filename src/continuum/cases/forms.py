"""Forms of the case pages. They check input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation, User
from continuum.cases.choices import EntryKind, Phase, ReleaseConditionType, UnitType, in_sentence
from continuum.cases.policy import organisations_that_can_lead
from continuum.cases.uploads import check_upload
from continuum.lib.forms import BirthDateField
from continuum.people.choices import Gender, LegalStatus, SubjectCategory
from continuum.sharing.choices import Category, LegalBasis, Reliability, Statement
from continuum.sharing.preview import short_type

MAX_ATTACHMENTS = 10
OPENING_PHASES = [(value, label) for value, label in Phase.choices if value != Phase.CLOSED]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organisation_choices(organisations: Iterable[Organisation]) -> list[tuple[str, str]]:
    return [(o.slug, f"{o.name} ({short_type(o.type)})") for o in organisations]


class OpenCaseForm(forms.Form):
    """Register a person and open a case for them in one step."""

    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=100)
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=100)
    birth_date = BirthDateField(label=gettext_lazy("Date of birth"), required=False, widget=_date_input())
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = forms.CharField(label=gettext_lazy("Nationality"), max_length=64, required=False)
    legal_status = forms.ChoiceField(label=gettext_lazy("Legal status"), choices=LegalStatus.choices)
    subject_category = forms.ChoiceField(
        label=gettext_lazy("The person is"),
        choices=SubjectCategory.choices,
        help_text=gettext_lazy("The category of data subject (Law Enforcement Directive, Art. 6)."),
    )
    lead_organisation = forms.ChoiceField(
        label=gettext_lazy("Lead organisation"), help_text=gettext_lazy("The organisation that coordinates the case.")
    )
    phase = forms.ChoiceField(label=gettext_lazy("The case starts in"), choices=OPENING_PHASES, initial=Phase.PRE_TRIAL)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in organisations_that_can_lead().order_by("name")}
        field = self.fields["lead_organisation"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (narrowing for mypy)
        field.choices = _organisation_choices(self.organisations.values())
        if user.organisation is not None:
            field.initial = user.organisation.slug

    def clean_lead_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["lead_organisation"]]


class CaseUpdateForm(forms.Form):
    """The phase and the date the trial concluded; ``version`` catches a change made meanwhile."""

    phase = forms.ChoiceField(label=gettext_lazy("Phase"), choices=Phase.choices)
    trial_concluded_on = forms.DateField(
        label=gettext_lazy("Trial concluded on"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("From this date child welfare may see the parent's legal and risk records."),
    )
    phase_note = forms.CharField(
        label=gettext_lazy("Why the phase changes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept in the phase history, for those who take the case over later."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberForm(forms.Form):
    """Add an organisation to the team, or name its responsible practitioner."""

    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    responsible = forms.ChoiceField(
        label=gettext_lazy("Responsible practitioner"),
        required=False,
        help_text=gettext_lazy("Choose someone of the organisation above. Leave empty if nobody is named yet."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {
            o.slug: o
            for o in Organisation.objects.filter(is_active=True).exclude(type=OrgType.RESEARCH).order_by("name")
        }
        self.users = {
            u.username: u
            for u in User.objects.filter(is_active=True, organisation__in=list(self.organisations.values()))
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        }
        organisation = self.fields["organisation"]
        responsible = self.fields["responsible"]
        assert isinstance(organisation, forms.ChoiceField)  # noqa: S101
        assert isinstance(responsible, forms.ChoiceField)  # noqa: S101
        organisation.choices = [
            ("", gettext_lazy("Choose an organisation")),
            *_organisation_choices(self.organisations.values()),
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for user in self.users.values():
            assert user.organisation is not None  # noqa: S101
            groups.setdefault(user.organisation.name, []).append(
                (user.username, f"{user.display_name} ({in_sentence(user.get_role_display())})")
            )
        responsible.choices = [("", gettext_lazy("Nobody named yet")), *groups.items()]

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]

    def clean_responsible(self) -> User | None:
        username = self.cleaned_data["responsible"]
        return self.users[username] if username else None


class ConsentForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Information"),
        choices=[("", gettext_lazy("Choose the kind of information")), *Category.choices],
        error_messages={"required": gettext_lazy("Choose the kind of information the person agrees to share.")},
    )
    recipient = forms.ChoiceField(
        label=gettext_lazy("May be shared with"),
        error_messages={"required": gettext_lazy("Choose the organisation that may receive it.")},
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=gettext_lazy("What the information will be used for, as explained to the person."),
        error_messages={"required": gettext_lazy("Say what the information will be used for.")},
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        widget=_date_input(),
        help_text=gettext_lazy("The last day the consent counts."),
        error_messages={"required": gettext_lazy("Give the last day the consent counts.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {
            o.slug: o
            for o in Organisation.objects.filter(is_active=True).exclude(type=OrgType.RESEARCH).order_by("name")
        }
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ChoiceField)  # noqa: S101
        recipient.choices = [
            ("", gettext_lazy("Choose an organisation")),
            *_organisation_choices(self.organisations.values()),
        ]

    def clean_recipient(self) -> Organisation:
        return self.organisations[self.cleaned_data["recipient"]]


class OverrideForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Information"),
        choices=[("", gettext_lazy("Choose the kind of information")), *Category.choices],
        error_messages={"required": gettext_lazy("Choose the kind of information the override gives access to.")},
    )
    recipient = forms.ChoiceField(
        label=gettext_lazy("Organisation that gets access"),
        help_text=gettext_lazy("A member of this case."),
        error_messages={"required": gettext_lazy("Choose the organisation that gets access.")},
    )
    legal_basis = forms.ChoiceField(label=gettext_lazy("Legal basis"), choices=LegalBasis.choices)
    justification = forms.CharField(
        label=gettext_lazy("Justification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=gettext_lazy("Why this is necessary and proportionate. The data protection officer reviews it."),
        error_messages={"required": gettext_lazy("Write down why the override is necessary and proportionate.")},
    )
    valid_until = forms.DateTimeField(
        label=gettext_lazy("Ends on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, members: Iterable[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.slug: o for o in members}
        recipient = self.fields["recipient"]
        assert isinstance(recipient, forms.ChoiceField)  # noqa: S101
        recipient.choices = [("", gettext_lazy("Choose a member")), *_organisation_choices(self.organisations.values())]
        if not self.is_bound:
            self.initial.setdefault(
                "valid_until", (timezone.localtime() + timedelta(days=30)).replace(second=0, microsecond=0)
            )

    def clean_recipient(self) -> Organisation:
        return self.organisations[self.cleaned_data["recipient"]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EntryForm(forms.Form):
    """A journal entry. ``categories`` are those the author's organisation may write on the case."""

    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        error_messages={"required": gettext_lazy("Choose the category: it decides who may see the entry.")},
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of entry"), choices=EntryKind.choices)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the entry a short title.")},
    )
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    statement = forms.ChoiceField(
        label=gettext_lazy("This entry states"),
        choices=Statement.choices,
        widget=forms.RadioSelect,
        initial=Statement.FACT,
        help_text=gettext_lazy("Keep facts apart from professional assessments."),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Where the information comes from."),
    )
    reliability = forms.ChoiceField(
        label=gettext_lazy("Reliability of the source"), choices=Reliability.choices, initial=Reliability.UNKNOWN
    )
    withhold_types = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    withhold_orgs = forms.MultipleChoiceField(
        label=gettext_lazy("Organisations in this case"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("PDF, PNG, JPEG or plain text; up to {count} files."), count=MAX_ATTACHMENTS
        ),
    )

    def __init__(
        self,
        *args: Any,
        categories: list[str],
        members: Iterable[Organisation],
        author_org: Organisation | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        types = self.fields["withhold_types"]
        orgs = self.fields["withhold_orgs"]
        assert isinstance(category, forms.ChoiceField)  # noqa: S101
        assert isinstance(types, forms.MultipleChoiceField)  # noqa: S101
        assert isinstance(orgs, forms.MultipleChoiceField)  # noqa: S101
        category.choices = [("", gettext_lazy("Choose a category")), *((c, Category(c).label) for c in categories)]
        types.choices = [(t, OrgType(t).label) for t in OrgType.values if t != OrgType.RESEARCH]
        orgs.choices = _organisation_choices(o for o in members if author_org is None or o.pk != author_org.pk)

    @property
    def withhold_from(self) -> list[str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        # Organisations are named explicitly: a slug such as "police" is also a type name.
        return [*data.get("withhold_types", []), *(f"org:{slug}" for slug in data.get("withhold_orgs", []))]

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(count)s files to one entry.") % {"count": MAX_ATTACHMENTS})
        problems: list[str] = []
        for upload in files:
            try:
                check_upload(upload)
            except ValidationError as exc:
                problems.extend(f"{upload.name}: {m}" for m in exc.messages)
        if problems:
            raise ValidationError(problems)
        return files


# --- Continuity (issue 4) ---------------------------------------------------------------------------


def _not_in_future(value: date | None, message: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(message)
    return value


# ``TransferForm`` has a field named ``date`` (as in the API), which hides the type inside the class.
_Date = date


def _prison_choices() -> dict[str, Organisation]:
    return {o.slug: o for o in Organisation.objects.filter(is_active=True, type=OrgType.PRISON).order_by("name")}


class TransferForm(forms.Form):
    """A transfer to another prison, or to another unit of the same prison."""

    to_facility = forms.ChoiceField(
        label=gettext_lazy("To prison"),
        error_messages={"required": gettext_lazy("Choose the prison the person is transferred to.")},
    )
    unit_type = forms.ChoiceField(label=gettext_lazy("Unit"), choices=UnitType.choices, initial=UnitType.REGULAR)
    date = forms.DateField(
        label=gettext_lazy("Date of the transfer"),
        widget=_date_input(),
        error_messages={"required": gettext_lazy("Give the date of the transfer.")},
    )
    handover_note = forms.CharField(
        label=gettext_lazy("Hand-over note"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What the receiving prison needs to know from day one. It is shared like other legal records."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prisons = _prison_choices()
        field = self.fields["to_facility"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", gettext_lazy("Choose a prison")), *((slug, o.name) for slug, o in self.prisons.items())]
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean_to_facility(self) -> Organisation:
        return self.prisons[self.cleaned_data["to_facility"]]

    def clean_date(self) -> _Date | None:
        return _not_in_future(self.cleaned_data["date"], _("A transfer cannot be recorded before it happens."))


class CustodyEpisodeForm(forms.Form):
    """The person is held in a prison from a date (also: re-entry into prison)."""

    facility = forms.ChoiceField(
        label=gettext_lazy("Prison"), error_messages={"required": gettext_lazy("Choose the prison.")}
    )
    unit_type = forms.ChoiceField(label=gettext_lazy("Unit"), choices=UnitType.choices, initial=UnitType.REGULAR)
    started_on = forms.DateField(
        label=gettext_lazy("In custody since"),
        widget=_date_input(),
        error_messages={"required": gettext_lazy("Give the first day.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prisons = _prison_choices()
        field = self.fields["facility"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", gettext_lazy("Choose a prison")), *((slug, o.name) for slug, o in self.prisons.items())]

    def clean_facility(self) -> Organisation:
        return self.prisons[self.cleaned_data["facility"]]

    def clean_started_on(self) -> date | None:
        return _not_in_future(self.cleaned_data["started_on"], _("Custody cannot be recorded before it starts."))


class EndCustodyForm(forms.Form):
    ended_on = forms.DateField(
        label=gettext_lazy("Last day in custody"),
        widget=_date_input(),
        error_messages={"required": gettext_lazy("Give the last day.")},
    )

    def clean_ended_on(self) -> date | None:
        return _not_in_future(self.cleaned_data["ended_on"], _("The end of custody cannot be in the future."))


class SentenceForm(forms.Form):
    imposed_on = forms.DateField(label=gettext_lazy("Imposed on"), widget=_date_input())
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=_date_input())
    earliest_release_on = forms.DateField(
        label=gettext_lazy("Earliest release"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy(
            "For example after two thirds of the sentence. Release planning works towards this date."
        ),
    )


class ReleaseConditionForm(forms.Form):
    condition_type = forms.ChoiceField(
        label=gettext_lazy("Condition"),
        choices=[("", gettext_lazy("Choose a condition")), *ReleaseConditionType.choices],
        error_messages={"required": gettext_lazy("Choose the kind of condition.")},
    )
    details = forms.CharField(
        label=gettext_lazy("Details"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example the hours of a curfew or where the person reports."),
    )
    valid_from = forms.DateField(label=gettext_lazy("From"), widget=_date_input())
    valid_until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=_date_input())


class LegalStatusForm(forms.Form):
    legal_status = forms.ChoiceField(label=gettext_lazy("New legal status"), choices=LegalStatus.choices)
    changed_on = forms.DateField(label=gettext_lazy("Changed on"), widget=_date_input())
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example the decision or order and what it means for release planning."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("changed_on", timezone.localdate())

    def clean_changed_on(self) -> date | None:
        return _not_in_future(self.cleaned_data["changed_on"], _("The change cannot be in the future."))


class HandoverForm(forms.Form):
    """Hand the case over to a colleague of the same organisation."""

    to_user = forms.ChoiceField(
        label=gettext_lazy("Hand over to"),
        error_messages={"required": gettext_lazy("Choose the colleague who takes the case over.")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Kind of information in the note"),
        help_text=gettext_lazy("It decides who else may read the note, like the category of a journal entry."),
    )
    note = forms.CharField(
        label=gettext_lazy("Hand-over note"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What your colleague needs to know: the relationship, agreements, what is coming up."),
        error_messages={"required": gettext_lazy("Write what your colleague needs to know.")},
    )

    def __init__(self, *args: Any, colleagues: Iterable[User], categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {u.username: u for u in colleagues}
        to_user = self.fields["to_user"]
        category = self.fields["category"]
        assert isinstance(to_user, forms.ChoiceField)  # noqa: S101
        assert isinstance(category, forms.ChoiceField)  # noqa: S101
        to_user.choices = [
            ("", gettext_lazy("Choose a colleague")),
            *(
                (u.username, f"{u.display_name} ({in_sentence(u.get_role_display())})")
                for u in self.colleagues.values()
            ),
        ]
        category.choices = [(c, Category(c).label) for c in categories]
        if not self.is_bound and Category.PLAN in categories:
            self.initial.setdefault("category", Category.PLAN)

    def clean_to_user(self) -> User:
        return self.colleagues[self.cleaned_data["to_user"]]
