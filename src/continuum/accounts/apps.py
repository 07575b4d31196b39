from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "continuum.accounts"
    label = "accounts"
    verbose_name = "Organisations and users"

    def ready(self) -> None:
        from continuum.accounts import signals  # noqa: F401  (connects the auth audit hooks)
