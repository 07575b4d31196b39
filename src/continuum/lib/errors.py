"""Domain errors that views and the API translate into the right status."""


class StaleVersion(Exception):
    """The object changed since the caller read it (optimistic concurrency): HTTP 409."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"This was changed by someone else meanwhile (now version {current_version}). Reload it.")
        self.current_version = current_version
