from django.apps import AppConfig


class TransitionConfig(AppConfig):
    name = "continuum.transition"
    label = "transition"
    verbose_name = "Release and transition"
