from django.apps import AppConfig


class TransitionConfig(AppConfig):
    name = "continuum.transition"
    label = "transition"
    verbose_name = "Release and transition"

    def ready(self) -> None:
        from continuum.cases.gaps import register_gap_provider
        from continuum.transition.gaps import release_plan_gaps

        register_gap_provider(release_plan_gaps)
