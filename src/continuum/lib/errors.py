"""Domain errors that views and the API translate into the right status."""

from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """The object changed since the caller read it (optimistic concurrency): HTTP 409."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _("This was changed by someone else meanwhile (now version %(version)s). Reload it.")
            % {"version": current_version}
        )
        self.current_version = current_version
