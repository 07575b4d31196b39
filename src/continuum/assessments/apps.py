from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def install_builtin_instruments(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After every migrate (and every flush), Continuum's own instruments are installed.

    Like the default sharing matrix, they are part of the system, not anyone's data: installing
    them is not audited (an organisation's own ``load_instrument`` is). A version already present
    is left as it is, so this is cheap and idempotent.
    """
    from continuum.assessments.loader import install_builtin

    install_builtin(using=using)


class AssessmentsConfig(AppConfig):
    name = "continuum.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        post_migrate.connect(install_builtin_instruments, sender=self)
