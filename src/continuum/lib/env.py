"""Typed readers for environment variables that fail loudly on bad values.

Every deploy knob of Continuum comes from the environment (DESIGN.md section 7).
A value that cannot be parsed stops start-up with a message naming the variable,
instead of silently falling back to a default (Healthchecks' envbool/envint habit).
A variable ``NAME_FILE`` may point at a file holding the value (container secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name)


def envstr(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def envbool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false.")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def envlist(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def envintmap(name: str, *, minimum: int | None = None) -> dict[str, int]:
    """``"legal=10, security=5"`` -> ``{"legal": 10, "security": 5}``; unset or empty -> ``{}``."""
    result: dict[str, int] = {}
    for part in envlist(name, []):
        key, equals, number = part.partition("=")
        key = key.strip().lower()
        try:
            result[key] = int(number)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {part!r} is not NAME=whole number.") from exc
        if not equals or not key:
            raise ImproperlyConfigured(f"{name}: {part!r} is not NAME=whole number.")
        if minimum is not None and result[key] < minimum:
            raise ImproperlyConfigured(f"{name}: {key}={result[key]} is below the minimum of {minimum}.")
    return result


def load_env_file(path: Path) -> None:
    """Read ``NAME=value`` lines (``#`` comments, blank lines) into the environment.

    The environment itself wins: a variable already set is left as it is. ``make demo`` writes the
    demo's settings to ``continuum.env``, so that ``continuum`` commands run by hand afterwards (the
    README's API example) use the same settings as the served demo.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ImproperlyConfigured(f"CONTINUUM_ENV_FILE={str(path)!r} cannot be read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, equals, value = text.partition("=")
        if not equals or not name.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value.")
        os.environ.setdefault(name.strip(), value.strip())


def load_default_env_file() -> None:
    """``CONTINUUM_ENV_FILE`` when set, else ``continuum.env`` in the current folder when present."""
    named = os.environ.get("CONTINUUM_ENV_FILE")
    if named:
        load_env_file(Path(named))
    elif Path("continuum.env").is_file():
        load_env_file(Path("continuum.env"))
