from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "continuum.conferences"
    label = "conferences"
    verbose_name = "Conferences"
