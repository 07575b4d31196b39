from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "continuum.insights"
    label = "insights"
    verbose_name = "Insights"
