from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "continuum.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"

    def ready(self) -> None:
        from continuum.accounts import (  # noqa: F401
            checks,  # registers the deploy checks
            signals,  # connects the auth audit hooks
        )
        from continuum.accounts.api import schema  # noqa: F401  (registers the OpenAPI auth schemes)
