"""Forms of the accounts pages. They validate input; the actions do the writing."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from continuum.accounts.models import Organisation, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("That username and password do not match. Check them and try again."),
        "inactive": _("This account is switched off. Ask your organisation's administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class OneTimeCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your app shows, without spaces.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class ReauthenticationForm(forms.Form):
    """The password again and, for a person with an authenticator app, a code (``views.reauthenticate``)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your app shows, without spaces.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    def __init__(self, *args, ask_password: bool = True, ask_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_password:
            del self.fields["password"]
        if not ask_code:
            del self.fields["code"]
        elif not ask_password:
            self.fields["code"].widget.attrs["autofocus"] = True

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class ApiTokenForm(forms.Form):
    label = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        required=False,
        help_text=_("For example: probation system link."),
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "type", "mandate", "is_active"]
        labels = {
            "slug": _("Short name"),
            "name": _("Name"),
            "type": _("Type"),
            "mandate": _("Mandate"),
            "is_active": _("Taking part"),
        }
        help_texts = {
            "mandate": _("The legal mandate under which the organisation takes part (for the DPO)."),
            "slug": _("Used in the API and the sharing rules, e.g. prison-north. Cannot be changed later."),
            "is_active": _("Switch off when the organisation stops taking part; its history stays."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["slug"].disabled = True


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("At least 12 characters. Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "organisation", "role", "is_active"]
        labels = {
            "username": _("Username"),
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "email": _("Email address"),
            "organisation": _("Organisation"),
            "role": _("Role"),
            "is_active": _("Account switched on"),
        }
        help_texts = {
            "username": _("What the person types to log in, e.g. prob.jansen. Letters, digits and . _ - only."),
            "is_active": _("Switch off when someone leaves: they can no longer log in, and their history stays."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)  # noqa: S101  (narrowing for mypy)
        organisation.queryset = Organisation.objects.filter(is_active=True)
        organisation.required = True
        if not self.instance._state.adding:
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True
            self.fields["password"].label = _("Initial password")
            self.fields["password"].help_text = _(
                "At least 12 characters. Give it to the person in a safe way; they set up two-factor "
                "authentication at their first login."
            )
