"""The ``continuum`` console script: Django's manage.py under the project's name.

It reads ``continuum.env`` (or ``CONTINUUM_ENV_FILE``) first, and a missing or bad setting stops it
with one line naming the variable, not a traceback.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from continuum.lib.env import load_default_env_file

    try:
        load_default_env_file()
        settings.INSTALLED_APPS  # noqa: B018 (imports the settings, which check every variable)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"continuum: {error}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
