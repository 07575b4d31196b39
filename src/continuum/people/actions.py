"""Creating and changing persons."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.changes import apply_changes
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.lib.dates import birth_date_error
from continuum.people.models import Person, new_reference
from continuum.people.policy import can_open_cases

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "gender",
    "nationality",
    "languages",
    "legal_status",
    "subject_category",
    "media_exposure",
)


@transaction.atomic
def do_create_person(
    *,
    given_name: str,
    family_name: str,
    birth_date: date | None = None,
    acting_user: User,
    by_rule: str = "",
    on_behalf_of: Organisation | None = None,
    **fields: Any,
) -> Person:
    """Register a person. Only those who may open cases may register persons, except where a rule of
    the practice does it (``by_rule``, e.g. the automatic inclusion of a terrorist offence): then the
    person is registered on behalf of ``on_behalf_of`` (the central point), not the user's organisation."""
    if not by_rule and not can_open_cases(acting_user):
        raise PermissionDenied(_("Your role cannot register persons."))
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    person = Person(
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date,
        created_by=acting_user,
        created_org=on_behalf_of or acting_user.organisation,
        **fields,
    )
    born_error = birth_date_error(birth_date)
    if born_error:
        raise ValidationError({"birth_date": born_error})
    person.full_clean()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                person.save(force_insert=True)
            break
        except IntegrityError:  # a reference collision: vanishingly rare, try another
            person.reference = new_reference()
    else:
        raise RuntimeError("Could not allocate a person reference.")
    record(
        AuditAction.CREATE,
        actor=acting_user,
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        detail={"reference": person.reference, **({"rule": by_rule} if by_rule else {})},
    )
    return person


@transaction.atomic
def do_update_person(person: Person, *, version: int, acting_user: User, **changes: Any) -> None:
    """Change identity details (a legal status change, a new alias); ``version`` guards concurrent edits."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    changed = list(apply_changes(locked, changes, version=version, full_clean=True))
    if not changed:
        return
    person.__dict__.update({f: getattr(locked, f) for f in [*changed, "version"]})
    record(
        AuditAction.UPDATE,
        actor=acting_user,
        object_type="person",
        object_id=person.pk,
        person_id=person.pk,
        detail={"fields": changed},
    )
