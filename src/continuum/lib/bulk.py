"""Inserting any number of rows with one SQL statement.

``QuerySet.bulk_create`` splits its rows into batches of the backend's parameter limit: on SQLite 999
parameters, so 76 rows of a 13-column table (a disclosure) per ``INSERT``. A read that logs one row
per record it shows (a meeting pack, R11) then costs more queries the more records it shows, which
DESIGN.md section 8 forbids. Here all rows travel as one JSON parameter that the database unpacks
(``json_each`` on SQLite, ``jsonb_array_elements`` on PostgreSQL): one statement, whatever the number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connections, models, router


def _plain(value: Any) -> Any:
    """A database-ready value as JSON: text keeps its exact form (a SQLite datetime), the rest as ISO text."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"insert_rows cannot send a {type(value).__name__} as JSON")


def insert_rows(objs: Sequence[models.Model]) -> None:
    """``INSERT`` the unsaved instances ``objs`` of one model in one statement (none when empty).

    Like ``bulk_create``: no ``save()``, no signals; primary keys must be set by their defaults (UUIDs),
    since nothing is read back. For models of plain columns (text, numbers, dates, UUIDs, foreign keys):
    a JSON column would need its own unpacking and raises ``TypeError``.
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [f for f in meta.concrete_fields if not f.generated]
    if any(isinstance(f, models.JSONField) for f in fields):
        raise TypeError(f"insert_rows does not handle the JSON columns of {meta.label}")
    rows = [[_plain(f.get_db_prep_save(f.pre_save(obj, add=True), connection)) for f in fields] for obj in objs]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        values = ", ".join(f"(r->>{i})::{f.db_type(connection)}" for i, f in enumerate(fields))
        source = "jsonb_array_elements(%s::jsonb) AS r"
    elif connection.vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(fields)))
        source = "json_each(%s)"
    else:  # another backend: its own batching
        model._default_manager.db_manager(connection.alias).bulk_create(objs)
        return
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {values} FROM {source}"  # noqa: S608  (names from the model, values a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows)])
