"""Serve plotly.js from the plotly wheel as the static file ``vendor/plotly.min.js`` (no CDN, no copy step).

A staticfiles finder that knows one file: ``runserver``, the test live server and ``collectstatic``
(for whitenoise in production) all find it, on a fresh clone, without copying anything by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC_PATH = "vendor/plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.storage = FileSystemStorage(location=str(PLOTLY_JS.parent))
        self.storage.prefix = "vendor"  # type: ignore[attr-defined]  # collectstatic puts it under vendor/

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path == STATIC_PATH and PLOTLY_JS.is_file():
            return [str(PLOTLY_JS)] if find_all else str(PLOTLY_JS)
        return [] if find_all else None

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        if PLOTLY_JS.is_file():
            yield PLOTLY_JS.name, self.storage
