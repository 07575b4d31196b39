from django.urls import path

from continuum.accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("login/confirm/", views.reauthenticate, name="reauthenticate"),
    path("login/sso/", oidc.SignInView.as_view(), name="oidc_login"),
    path("login/sso/callback/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("login/sso/failed/", oidc.failed, name="oidc_failed"),
    path("login/confirm/identity-provider/", views.oidc_reauthenticate, name="oidc_reauthenticate"),
    path("logout/", views.logout, name="logout"),
    path("account/", views.account, name="account"),
    path("account/passkeys/", views.passkey_list, name="passkeys"),
    path("account/passkeys/<int:passkey_id>/remove/", views.passkey_remove, name="passkey_remove"),
    path("language/", views.set_language, name="set_language"),
    path("account/tokens/<uuid:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("manage/organisations/", views.organisation_list, name="organisation_list"),
    path("manage/organisations/new/", views.organisation_edit, name="organisation_new"),
    path("manage/organisations/<slug:slug>/", views.organisation_edit, name="organisation_edit"),
    path("manage/users/", views.user_list, name="user_list"),
    path("manage/users/new/", views.user_edit, name="user_new"),
    path("manage/users/<str:username>/", views.user_edit, name="user_edit"),
    path(
        "manage/users/<str:username>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("manage/users/<str:username>/unlock/", views.user_unlock, name="user_unlock"),
]
