"""The passkey ceremonies' JSON endpoints (``passkeys``), under the package's namespace: its script
template names ``otp_webauthn:js-i18n-catalog``."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from continuum.accounts import passkeys

app_name = "otp_webauthn"

urlpatterns = [
    path("registration/begin/", passkeys.RegistrationBegin.as_view(), name="credential-registration-begin"),
    path("registration/complete/", passkeys.RegistrationComplete.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", passkeys.AuthenticationBegin.as_view(), name="credential-authentication-begin"),
    path(
        "authentication/complete/",
        passkeys.AuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path("confirm/begin/", passkeys.ConfirmBegin.as_view(), name="confirm-begin"),
    path("confirm/complete/", passkeys.ConfirmComplete.as_view(), name="confirm-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
