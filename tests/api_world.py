"""A small synthetic case world on top of the demo personas, built only through the actions.

Amira's case (lead: Prison North) has every demo organisation but Prison South as a member, and a
journal entry in each interesting category; Bilal's case (lead: Harbour Municipality) has only the
municipality and probation. Tests read it through the API as the demo personas.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase, override_settings

from continuum.accounts import demo
from continuum.accounts.models import Organisation, User
from continuum.cases import actions as case_actions
from continuum.cases.models import Case, Entry
from continuum.people import actions as people_actions
from continuum.people.models import Person

AMIRA_MEMBERS = [
    ("probation", "prob.officer"),
    ("police", "police.liaison"),
    ("exit-ngo", "exit.worker"),
    ("family-counselling", "family.counsellor"),
    ("mental-health", "mh.clinician"),
    ("child-welfare", "cw.worker"),
    ("mentor-network", "mentor.one"),
    ("municipality-harbour", "muni.coordinator"),
    ("central-point", "cp.coordinator"),
]

# key: (author, category, title, body, withhold_from)
AMIRA_ENTRIES = {
    "security": ("pn.casemanager", "security", "Cell search", "Nothing found in the cell.", []),
    "legal": ("pn.casemanager", "legal", "Sentence computed", "Release date computed.", []),
    "plan": ("prob.officer", "plan", "Supervision plan", "Weekly reporting agreed.", []),
    "risk": ("prob.officer", "risk_assessment", "Risk review", "Protective factors grew.", ["police"]),
    "counselling": ("exit.worker", "counselling", "Exit session", "Talked about doubts and family.", []),
    "children": (
        "cw.worker",
        "children",
        "Foster placement",
        "Both children settled with foster family.",
        [],
    ),
    "mental_health": ("mh.clinician", "mental_health", "Trauma therapy", "Sessions started.", []),
    "police_note": ("police.liaison", "security", "Liaison note", "Contact with the local team.", []),
}

ATTACHMENT_TEXT = b"Session notes, synthetic.\n"


NOT_FOUND = {"detail": "Not found."}
RANDOM_ID = "0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01"
# Users who see no case at all: not a member (Prison South), research (R9), DPO and admin (R10).
OUTSIDERS = ["ps.casemanager", "evaluator", "dpo", "admin"]


@dataclass
class World:
    amira: Person
    bilal: Person
    case: Case
    other_case: Case
    entries: dict[str, Entry] = field(default_factory=dict)

    def titles_visible_to(self, keys: list[str]) -> set[str]:
        return {AMIRA_ENTRIES[k][2] for k in keys}

    def reload(self) -> World:
        """Fresh instances from the database, so that no test sees another test's in-memory changes."""
        entries = Entry.objects.in_bulk([e.pk for e in self.entries.values()])
        return World(
            amira=Person.objects.get(pk=self.amira.pk),
            bilal=Person.objects.get(pk=self.bilal.pk),
            case=Case.objects.get(pk=self.case.pk),
            other_case=Case.objects.get(pk=self.other_case.pk),
            entries={key: entries[e.pk] for key, e in self.entries.items()},
        )


def build_world(persona: Any) -> World:
    pn = persona("pn.casemanager")
    amira = people_actions.do_create_person(
        given_name="Amira",
        family_name="Example",
        birth_date=date(1994, 3, 2),
        gender="female",
        acting_user=pn,
    )
    case = case_actions.do_open_case(person=amira, lead_organisation=pn.organisation, phase="custody", acting_user=pn)
    for slug, username in AMIRA_MEMBERS:
        case_actions.do_add_member(
            case,
            organisation=Organisation.objects.get(slug=slug),
            responsible=persona(username),
            acting_user=pn,
        )
    entries = {}
    for key, (author, category, title, body, withhold) in AMIRA_ENTRIES.items():
        uploads = (
            [SimpleUploadedFile("session.txt", ATTACHMENT_TEXT, content_type="text/plain")]
            if key == "counselling"
            else []
        )
        entries[key] = case_actions.do_add_entry(
            case,
            category=category,
            title=title,
            body=body,
            withhold_from=withhold,
            attachments=uploads,
            acting_user=persona(author),
        )
    muni = persona("muni.coordinator")
    bilal = people_actions.do_create_person(
        given_name="Bilal",
        family_name="Example",
        birth_date=date(2001, 7, 9),
        gender="male",
        acting_user=muni,
    )
    other_case = case_actions.do_open_case(
        person=bilal, lead_organisation=muni.organisation, phase="community", acting_user=muni
    )
    case_actions.do_add_member(other_case, organisation=Organisation.objects.get(slug="probation"), acting_user=muni)
    case_actions.do_add_entry(
        other_case, category="plan", title="Housing found", body="A flat near work.", acting_user=muni
    )
    case.refresh_from_db()
    return World(amira=amira, bilal=bilal, case=case, other_case=other_case, entries=entries)


def module_world(django_db_blocker: Any, media_root: Path) -> Iterator[World]:
    """Build the world once for a test module, inside a transaction rolled back at the module's end.

    Each test still runs in its own savepoint (pytest-django's ``db``), so tests cannot affect
    one another; they should use ``World.reload()`` for fresh instances.
    """
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media_root)), transaction.atomic():
        # The world's transaction never commits: its commit callbacks (an attachment's file moving
        # into place) run as if it had.
        with TestCase.captureOnCommitCallbacks(execute=True):
            demo.seed()
            world = build_world(lambda username: User.objects.select_related("organisation").get(username=username))
        yield world
        transaction.set_rollback(True)
