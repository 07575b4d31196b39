from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "continuum.plans"
    label = "plans"
    verbose_name = "Plans and interventions"
