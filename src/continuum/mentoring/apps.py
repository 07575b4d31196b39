from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "continuum.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
