"""Changing fields of a versioned row: the stale-version check, the write, and the diff to audit.

The caller locks the row (``select_for_update``), checks who may change it, validates the new
values, and writes the audit event: what it audits differs from record to record (the fields'
names, or their old and new values through ``audited_diff``), so it stays with the action.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Model

from continuum.lib.errors import StaleVersion


def check_version(obj: Any, version: int | None) -> None:
    """Refuse a stale ``version`` (409); ``None`` means the caller did not send one."""
    if version is not None and obj.version != version:
        raise StaleVersion(obj.version)


def apply_changes(
    obj: Model, changes: Mapping[str, Any], *, version: int | None, full_clean: bool = False
) -> dict[str, Any]:
    """Set the fields of ``changes`` that differ, bump ``version`` and save only those fields.

    ``obj`` is the locked row. Returns the old values of the fields that changed, in the order of
    ``changes`` (empty when nothing changed: then nothing is written and the version stays).
    ``full_clean`` validates the model once the new values are set, whether or not any changed.
    """
    check_version(obj, version)
    old = {field: getattr(obj, field) for field in changes}
    changed = {field: old[field] for field in changes if old[field] != changes[field]}
    for field in changed:
        setattr(obj, field, changes[field])
    if full_clean:
        obj.full_clean()
    if not changed:
        return changed
    obj.version += 1  # type: ignore[attr-defined]
    obj.save(update_fields=[*changed, "version"])
    return changed


def plain(value: Any) -> Any:
    """A field's value as the audit log holds it: an organisation by its slug, a date in ISO form.

    The audit layer sits below accounts (docs/architecture.md, "Layers"), so an organisation is
    known here as a model row with a slug.
    """
    if isinstance(value, Model) and isinstance(getattr(value, "slug", None), str):
        return value.slug  # type: ignore[attr-defined]
    if isinstance(value, date):
        return value.isoformat()
    return value


# Fields whose values are codes, not words: the log keeps their old and new values.
_CODED_FIELDS = (
    models.BooleanField,
    models.DateField,  # DateTimeField too
    models.DurationField,
    models.TimeField,
    models.IntegerField,
    models.FloatField,
    models.DecimalField,
    models.UUIDField,
    models.ForeignKey,
)


def is_coded(model: type[Model] | None, name: str, value: Any) -> bool:
    """Whether the log may hold a field's values: a choice, a boolean, a date, a number, an id.

    Free text (a ``CharField`` or ``TextField`` without choices, a JSON list of names) is content: after
    erasure the log must not hold it (docs/data-protection.md, "Erasure"), so only that it changed is
    logged, with no hash (short texts are guessable). Without a model, only values that are not text count.
    """
    if model is not None:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None:
            return bool(getattr(model_field, "choices", None)) or isinstance(model_field, _CODED_FIELDS)
    return value is None or isinstance(value, (bool, int, float, date, Model, UUID))


def audited_diff(
    old: Mapping[str, Any], new: Mapping[str, Any], model: type[Model] | None = None
) -> dict[str, dict[str, Any]]:
    """``{field: {"old": ..., "new": ...}}`` for the fields of ``old`` (the ``changes`` of an event);
    ``{field: {"changed": true}}`` for free text (``is_coded``). ``model`` tells which fields are text."""
    return {
        field: (
            {"old": plain(old[field]), "new": plain(new[field])}
            if is_coded(model, field, old[field]) and is_coded(model, field, new[field])
            else {"changed": True}
        )
        for field in old
    }
