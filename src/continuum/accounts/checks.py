"""Deployment checks (``continuum check --deploy``) for what Continuum's own settings add.

- Behind a reverse proxy, the trusted proxies must be named (``CONTINUUM_TRUSTED_PROXIES`` or
  ``CONTINUUM_TRUSTED_PROXY_COUNT``): without them every request seems to come from the proxy, and
  ``X-Forwarded-For`` is not used, so the audit log records the proxy and lockouts are per proxy.
- The static files must have been collected: with the manifest storage of production, a missing
  ``staticfiles.json`` makes every page a server error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

_MANIFEST_STORAGES = (
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    "whitenoise.storage.CompressedManifestStaticFilesStorage",
)


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.CONTINUUM_BEHIND_PROXY:
        return []
    if settings.CONTINUUM_TRUSTED_PROXY_NETWORKS or settings.CONTINUUM_TRUSTED_PROXY_COUNT:
        return []
    return [
        Error(
            "CONTINUUM_BEHIND_PROXY is set, but no trusted proxy is named.",
            hint=(
                "Set CONTINUUM_TRUSTED_PROXIES to the proxies' addresses or networks (e.g. 10.0.0.5,10.1.0.0/16), "
                "or CONTINUUM_TRUSTED_PROXY_COUNT to their number; docs/operations.md, 'Behind a reverse proxy'."
            ),
            id="continuum.E001",
        )
    ]


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if backend not in _MANIFEST_STORAGES:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return []
    return [
        Error(
            f"The static files have not been collected: {manifest} is missing.",
            hint="Run `continuum collectstatic --no-input` before starting the server.",
            id="continuum.E002",
        )
    ]


@register(Tags.security)
def check_oidc_mappings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The single sign-on's claim mappings (``CONTINUUM_OIDC_ORGANISATIONS``, ``CONTINUUM_OIDC_ROLES``)."""
    from continuum.accounts.oidc import mapping_problems

    return [
        Error(problem, hint='Write "claim-value=name" pairs separated by commas.', id="continuum.E020")
        for problem in mapping_problems()
    ]
