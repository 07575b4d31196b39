"""``lib.bulk.insert_rows``: any number of rows in one statement, read back exactly as written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.lib.bulk import insert_rows
from continuum.sharing.models import Disclosure

pytestmark = pytest.mark.django_db

FIELDS = [f.attname for f in Disclosure._meta.concrete_fields]


def test_two_hundred_disclosures_are_one_insert_and_read_back_field_by_field(world, persona):
    viewer = persona("police.liaison")
    entries = list(world.entries.values())
    start = timezone.now()
    rows = [
        Disclosure(
            record_type="entry",
            record_id=entries[n % len(entries)].pk,
            person_id=world.amira.pk,
            case_id=world.case.pk if n % 2 else None,
            category="security",
            author_org_id=entries[0].author_org_id,
            viewer=viewer,
            viewer_org_id=viewer.organisation_id,
            at=start + timedelta(microseconds=n),
            basis="matrix",
            explanation=f"matrix: police reads security — “{n}”",
            request_id="" if n % 3 else "req-1",
        )
        for n in range(200)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(rows)
    assert len(queries) == 1
    stored = Disclosure.objects.in_bulk([r.pk for r in rows])
    assert len(stored) == 200
    for row in rows:
        assert [getattr(stored[row.pk], f) for f in FIELDS] == [getattr(row, f) for f in FIELDS]


def test_nothing_to_insert_costs_no_query():
    with CaptureQueriesContext(connection) as queries:
        insert_rows([])
    assert len(queries) == 0
