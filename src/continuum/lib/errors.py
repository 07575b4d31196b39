"""Domain errors that views and the API translate into the right status."""

from django.conf import settings
from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """The object changed since the caller read it (optimistic concurrency): HTTP 409."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _("This was changed by someone else meanwhile (now version %(version)s). Reload it.")
            % {"version": current_version}
        )
        self.current_version = current_version


def too_big_message() -> str:
    """Why a request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused (files are counted apart)."""
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return _("The request is larger than the %(size)s MB Continuum accepts (files apart); send less at a time.") % {
        "size": f"{size:g}"
    }
