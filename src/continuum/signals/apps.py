from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "continuum.signals"
    label = "signals"
    verbose_name = "Signals"

    def ready(self) -> None:
        from continuum.cases.gaps import register_gap_provider
        from continuum.signals.gaps import monitoring_gaps

        register_gap_provider(monitoring_gaps)
