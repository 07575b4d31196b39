from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_default_policy(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After every migrate (and every flush), a database without a sharing policy gets DESIGN.md's
    default matrix as version 1. Migration 0002 loads it on a new database; this restores it where
    the tables were emptied since (e.g. the test suite's flushes), so no database is ever left with
    a matrix that shares nothing and lets nobody write."""
    from continuum.sharing.choices import DEFAULT_MATRIX, default_access
    from continuum.sharing.models import PolicyRule, PolicyVersion

    if PolicyVersion.objects.using(using).exists():
        return
    from continuum.accounts.choices import OrgType

    version = PolicyVersion.objects.using(using).create(number=1, note="Default matrix of DESIGN.md section 5.")
    PolicyRule.objects.using(using).bulk_create(
        [
            PolicyRule(version=version, org_type=org_type, category=category, access=default_access(org_type, category))
            for category in DEFAULT_MATRIX
            for org_type in OrgType.values
        ]
    )


class SharingConfig(AppConfig):
    name = "continuum.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        post_migrate.connect(ensure_default_policy, sender=self)
