"""Subject access (LED Arts. 14-15, GDPR Art. 15): everything Continuum holds about one person, and
everyone it was disclosed to, for the person; items restricted under LED Art. 15(1) are listed with
their reason instead of their content (``restrictions.py``).

The one exception to R10, on purpose. The data protection officer sees no case content anywhere else
in Continuum; this export is produced for the data subject, as a legal duty of the controller, so it
reads every case record model (``sharing.records.record_models()``) directly, without
``visible_to``: what organisations may see of each other's records (the matrix, consent, withholding
R4) does not limit what the person is told. Three things keep it narrow:

* only the data protection officer takes it (``policy.can_take_subject_access``), checked before the
  person is even looked up, so that no one else learns whether an id exists;
* every export is an audit event (action ``export``, object type ``subject_access``, the person's id and
  the purpose), and so is reading the summary page;
* only records whose ``person`` is the subject are in it. A record on the subject's case about someone
  else (a relative's family-counselling file) is that other person's, and is not in it at all.

Bounded queries: one ``UNION ALL`` finds which sections hold anything about the person, one more reads
every record of every record model (each row as a JSON object, ``_records``), one per kind of related
object the records' labels read (``_join``), and one per non-empty section (cases, consents, overrides,
disclosures, relationships naming the person): never one per record, nor one per record model.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import IntegerField, Value
from django.db.models.functions import JSONObject
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.choices import Phase
from continuum.cases.models import Case
from continuum.dataprotection.models import AccessRestriction
from continuum.dataprotection.policy import can_take_subject_access
from continuum.dataprotection.restrictions import Restrictions, Withholding
from continuum.families.choices import RelationKind
from continuum.people.models import Person
from continuum.sharing.access import parse_id
from continuum.sharing.choices import Category, LegalBasis
from continuum.sharing.disclosure import log_denied, record_kind_labels
from continuum.sharing.models import Consent, Disclosure, Override
from continuum.sharing.records import CaseRecord, record_models

PURPOSE = "Subject access request (LED Arts. 14-15, GDPR Art. 15)"
FORMATS = ("json", "pdf")

# The case record base's own fields: shown under their own names, or (who withholds it from whom,
# which is about agencies, not the person) not at all.
_BASE_FIELDS = {
    "id",
    "person",
    "case",
    "category",
    "author",
    "author_org",
    "withhold_from",
    "statement",
    "source",
    "reliability",
    "created_at",
}


def _plain(value: Any) -> Any:
    """A value as JSON holds it (and a page shows it)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@dataclass
class Item:
    """One record of the person, read for the export (``withholding`` set when it is kept back)."""

    record: CaseRecord
    kind: str
    withholding: Withholding | None

    @property
    def record_type(self) -> str:
        return self.record.record_type

    @property
    def when(self) -> date | datetime:
        return self.record.timeline_date()

    @property
    def category_label(self) -> str:
        return str(Category(self.record.category).label) if self.record.category in Category.values else ""

    def reference(self) -> dict[str, Any]:
        """What names the item without its content (the ``record`` of a restricted entry)."""
        return {
            "record_type": self.record_type,
            "id": str(self.record.pk),
            "category": self.record.category,
            "date": _plain(self.when),
        }


@dataclass
class SubjectAccess:
    """Everything held about one person, split into what is given and what is kept back."""

    person: Person
    generated_at: datetime
    items: list[Item] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    restricted_overrides: list[tuple[Override, Withholding]] = field(default_factory=list)
    disclosures: list[Disclosure] = field(default_factory=list)
    withheld_disclosures: int = 0
    organisations: dict[Any, Organisation] = field(default_factory=dict)
    users: dict[Any, User] = field(default_factory=dict)
    persons: dict[Any, Person] = field(default_factory=dict)

    @property
    def given(self) -> list[Item]:
        return [item for item in self.items if item.withholding is None]

    @property
    def kept_back(self) -> list[Item]:
        return [item for item in self.items if item.withholding is not None]

    def counts_by_category(self) -> list[tuple[str, int, int]]:
        """``(category label, records given, records kept back)`` for the summary page, in category order."""
        given = Counter(item.record.category for item in self.given)
        back = Counter(item.record.category for item in self.kept_back)
        return [
            (str(label), given[value], back[value]) for value, label in Category.choices if given[value] or back[value]
        ]

    # --- the export's JSON -------------------------------------------------------------------------

    def organisation_slug(self, organisation_id: Any) -> str | None:
        found = self.organisations.get(organisation_id)
        return found.slug if found is not None else None

    def _fields(self, row: CaseRecord) -> dict[str, Any]:
        """The model's own fields: foreign keys to organisations as slugs, to users as usernames, to
        persons as references, to anything else as ids."""
        values: dict[str, Any] = {}
        for model_field in row._meta.concrete_fields:
            if model_field.name in _BASE_FIELDS:
                continue
            value = getattr(row, model_field.attname)
            if isinstance(model_field, models.ForeignKey) and value is not None:
                target = model_field.related_model
                if target is Organisation:
                    value = self.organisation_slug(value)
                elif target is User:
                    user = self.users.get(value)
                    value = user.username if user is not None else None
                elif target is Person:
                    person = self.persons.get(value)
                    value = person.reference if person is not None else None
            values[model_field.name] = _plain(value)
        return values

    def record_data(self, item: Item) -> dict[str, Any]:
        row = item.record
        return {
            "record_type": row.record_type,
            "kind": item.kind,
            "id": str(row.pk),
            "category": row.category,
            "date": _plain(item.when),
            "recorded_at": _plain(row.created_at),
            "case": row.case.number if row.case_id and row.case is not None else None,
            "author_organisation": self.organisation_slug(row.author_org_id),
            "statement": row.statement,
            "source": row.source,
            "reliability": row.reliability,
            "label": row.timeline_label(),
            "text": row.record_text(),
            "fields": self._fields(row),
        }

    def as_data(self) -> dict[str, Any]:
        person = self.person
        restricted = [
            {"record": item.reference(), "reason": item.withholding.reason}
            for item in self.kept_back
            if item.withholding is not None
        ]
        restricted += [
            {
                "record": {
                    "record_type": "override",
                    "id": str(override.pk),
                    "category": override.category,
                    "date": _plain(override.granted_at),
                },
                "reason": withholding.reason,
            }
            for override, withholding in self.restricted_overrides
        ]
        return {
            "person": {
                "id": str(person.pk),
                "reference": person.reference,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "aliases": _plain(person.aliases),
                "birth_date": _plain(person.birth_date),
                "gender": person.gender,
                "nationality": person.nationality,
                "languages": _plain(person.languages),
                "legal_status": person.legal_status,
                "subject_category": person.subject_category,
                "media_exposure": person.media_exposure,
                "registered_at": _plain(person.created_at),
                "registered_by_organisation": self.organisation_slug(person.created_org_id),
            },
            "generated_at": _plain(self.generated_at),
            "records": [self.record_data(item) for item in self.given],
            "disclosures": [
                {
                    "record": str(d.record_id),
                    "record_type": d.record_type,
                    "category": d.category,
                    "case": str(d.case_id) if d.case_id else None,
                    "viewer": d.viewer.username,
                    "viewer_organisation": d.viewer_org.slug,
                    "at": _plain(d.at),
                    "basis": d.basis,
                    "explanation": d.explanation,
                }
                for d in self.disclosures
            ],
            "restricted": restricted,
            "cases": [
                {
                    "id": str(case.pk),
                    "number": case.number,
                    "phase": case.phase,
                    "opened_at": _plain(case.opened_at),
                    "trial_concluded_on": _plain(case.trial_concluded_on),
                    "lead_organisation": self.organisation_slug(case.lead_organisation_id),
                    "members": [
                        {
                            "organisation": self.organisation_slug(member.organisation_id),
                            "since": _plain(member.since),
                            "until": _plain(member.until),
                        }
                        for member in case.members.all()
                    ],
                }
                for case in self.cases
            ],
            "relationships": self.relationships,
            "consents": [
                {
                    "id": str(consent.pk),
                    "reference": consent.reference,
                    "category": consent.category,
                    "recipient_organisation": self.organisation_slug(consent.recipient_id),
                    "purpose": consent.purpose,
                    "valid_from": _plain(consent.valid_from),
                    "valid_until": _plain(consent.valid_until),
                    "recorded_at": _plain(consent.recorded_at),
                    "withdrawn_at": _plain(consent.withdrawn_at),
                }
                for consent in self.consents
            ],
            "overrides": [
                {
                    "id": str(override.pk),
                    "reference": override.reference,
                    "case": self._case_number(override.case_id),
                    "category": override.category,
                    "recipient_organisation": self.organisation_slug(override.recipient_id),
                    "legal_basis": override.legal_basis,
                    "justification": override.justification,
                    "valid_from": _plain(override.valid_from),
                    "valid_until": _plain(override.valid_until),
                    "granted_at": _plain(override.granted_at),
                    "revoked_at": _plain(override.revoked_at),
                }
                for override in self.overrides
            ],
        }

    def _case_number(self, case_id: Any) -> str | None:
        return next((case.number for case in self.cases if case.pk == case_id), None)


def _sections(person: Person) -> dict[str, Any]:
    """The querysets of everything that may hold something about the person, by name."""
    Relationship = apps.get_model("families", "Relationship")
    sections: dict[str, Any] = {
        f"model:{model.record_type}": model.objects.filter(person=person) for model in record_models()
    }
    sections.update(
        {
            "restrictions": AccessRestriction.objects.filter(person=person),
            "cases": Case.objects.filter(person=person),
            "consents": Consent.objects.filter(person=person),
            "overrides": Override.objects.filter(case__person=person),
            "disclosures": Disclosure.objects.filter(person=person),
            "named_as_relative": Relationship.objects.filter(relative=person).exclude(person=person),
        }
    )
    return sections


def _present(sections: dict[str, Any]) -> set[str]:
    """Which sections hold anything: one ``UNION ALL`` query over all of them, so that an empty one costs
    no query of its own."""
    names = list(sections)
    probes = [
        sections[name]
        .order_by()
        .annotate(_subject_section=Value(index, output_field=IntegerField()))
        .values_list("_subject_section", flat=True)
        .distinct()
        for index, name in enumerate(names)
    ]
    found = set(probes[0].union(*probes[1:], all=True))
    return {name for index, name in enumerate(names) if index in found}


def _records(person: Person, present: list[type[CaseRecord]]) -> list[Any]:
    """Every record of the person, of every model in ``present``, in ONE query: a ``UNION ALL`` whose rows
    are each model's concrete fields as a JSON object, turned back into model instances. So the number of
    queries does not grow with the number of record models that hold something about the person."""
    if not present:
        return []
    parts = [
        model.objects.filter(person=person)
        .order_by()
        .annotate(
            _subject_model=Value(index, output_field=IntegerField()),
            _subject_row=JSONObject(**{f.attname: f.attname for f in model._meta.concrete_fields}),
        )
        .values_list("_subject_model", "_subject_row")
        for index, model in enumerate(present)
    ]
    rows = []
    for index, data in parts[0].union(*parts[1:], all=True):
        model = present[index]
        fields = model._meta.concrete_fields
        values = [_from_json(f, data.get(f.attname)) for f in fields]
        rows.append(model.from_db(connection.alias, [f.attname for f in fields], values))
    return rows


def _from_json(model_field: models.Field[Any, Any], raw: Any) -> Any:
    """A column's value as ``JSONObject`` gave it, as the field's Python value."""
    if raw is None:
        return None
    if isinstance(model_field, models.JSONField):
        # SQLite keeps JSON as text, which json_object() nests as a string; PostgreSQL nests it as JSON.
        return json.loads(raw) if connection.vendor == "sqlite" and isinstance(raw, str) else raw
    value = model_field.to_python(raw)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)  # SQLite stores UTC without an offset
    return value


def _join(rows: list[Any], *, known: dict[Any, dict[Any, Any]]) -> None:
    """What each record's label and text read (its case, author organisation, ``timeline_related``),
    set on the records as if ``select_related`` had joined it: one query per kind of related object
    (organisations, cases and the person are ``known`` already), level by level for ``a__b`` paths."""
    by_model: dict[Any, list[Any]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    pending = [
        (objects, path.split("__"))
        for model, objects in by_model.items()
        for path in ("case", "author_org", *model.timeline_related)
    ]
    while pending:
        steps = []
        wanted: dict[Any, set[Any]] = {}
        for objects, names in pending:
            link = objects[0]._meta.get_field(names[0])
            ids = {getattr(o, link.attname) for o in objects} - {None}
            wanted.setdefault(link.related_model, set()).update(ids)
            steps.append((objects, link, names[1:]))
        for related_model, ids in wanted.items():
            cache = known.setdefault(related_model, {})
            missing = ids - cache.keys()
            if missing:
                cache.update({o.pk: o for o in related_model._base_manager.filter(pk__in=missing)})
        pending = []
        for objects, link, rest in steps:
            cache = known[link.related_model]
            reached = []
            for o in objects:
                target = cache.get(getattr(o, link.attname))
                if target is not None:
                    link.set_cached_value(o, target)
                    reached.append(target)
            if rest and reached:
                pending.append((list({id(t): t for t in reached}.values()), rest))


def collect(person: Person) -> SubjectAccess:
    """Everything held about ``person`` (a read, not audited: the callers audit it)."""
    result = SubjectAccess(person=person, generated_at=timezone.now())
    sections = _sections(person)
    present = _present(sections)
    restrictions = Restrictions(list(sections["restrictions"]) if "restrictions" in present else [])
    result.organisations = {org.pk: org for org in Organisation.objects.all()}
    if "cases" in present:
        result.cases = list(sections["cases"].prefetch_related("members").order_by("opened_at"))
    labels = record_kind_labels()
    models_present = [model for model in record_models() if f"model:{model.record_type}" in present]
    rows = _records(person, models_present)
    _join(
        rows,
        known={
            Organisation: result.organisations,
            Case: {case.pk: case for case in result.cases},
            Person: {person.pk: person},
        },
    )
    for row in rows:
        withholding = restrictions.for_item(row.record_type, row.pk, row.category)
        result.items.append(Item(row, labels.get(row.record_type, row.record_type), withholding))
    result.items.sort(key=lambda item: (_sortable(item.when), str(item.record.pk)))

    if "consents" in present:
        result.consents = list(sections["consents"].order_by("recorded_at"))
    for override in sections["overrides"].order_by("granted_at") if "overrides" in present else []:
        withholding = restrictions.for_item("override", override.pk, override.category)
        if withholding is not None and not withholding.by_default:
            # Only a decision about the override's category keeps an override back; the default
            # restriction of security records is about records, not about the grant itself.
            result.restricted_overrides.append((override, withholding))
        else:
            result.overrides.append(override)

    disclosures = sections["disclosures"] if "disclosures" in present else Disclosure.objects.none()
    for disclosure in disclosures.select_related("viewer", "viewer_org").order_by("-at", "pk"):
        # Who read a kept-back record is part of it: telling it would say what it is about.
        if restrictions.for_item(disclosure.record_type, disclosure.record_id, disclosure.category):
            result.withheld_disclosures += 1
        else:
            result.disclosures.append(disclosure)

    named = sections["named_as_relative"].select_related("person") if "named_as_relative" in present else []
    _relationships(result, restrictions, list(named))
    _names(result)
    return result


def _relationships(result: SubjectAccess, restrictions: Restrictions, named: list[Any]) -> None:
    """The person's links to others, both ways: those recorded on the person's own cases (already read as
    records), and those naming the person as someone's relative (who, how and since when only: the note
    is in the other person's record)."""
    own = [item.record for item in result.given if item.record_type == "relationship"]
    for row in [*own, *named]:
        if restrictions.for_item(row.record_type, row.pk, row.category) is not None:
            continue
        names_subject = row.person_id != result.person.pk
        other = row.person if names_subject else row.relative
        result.relationships.append(
            {
                "id": str(row.pk),
                "kind": row.kind,
                "influence": row.influence,
                "other_person": other.reference,
                "other_person_name": other.full_name,
                "direction": "names_subject" if names_subject else "of_subject",
                "recorded_at": _plain(row.created_at),
                "ended_on": _plain(row.ended_on),
            }
        )


def _names(result: SubjectAccess) -> None:
    """The organisations, users and persons the records name: one query each at most, whatever their number
    (none for those the record's own query already read)."""
    users: set[Any] = set()
    persons: set[Any] = set()
    for item in result.given:
        for model_field in item.record._meta.concrete_fields:
            if not isinstance(model_field, models.ForeignKey) or model_field.name in _BASE_FIELDS:
                continue
            value = getattr(item.record, model_field.attname)
            if value is None:
                continue
            if model_field.is_cached(item.record):
                cached = model_field.get_cached_value(item.record)
                if isinstance(cached, User):
                    result.users[value] = cached
                elif isinstance(cached, Person):
                    result.persons[value] = cached
            elif model_field.related_model is User:
                users.add(value)
            elif model_field.related_model is Person:
                persons.add(value)
    if users - result.users.keys():
        result.users.update({user.pk: user for user in User.objects.filter(pk__in=users - result.users.keys())})
    if persons - result.persons.keys():
        result.persons.update({p.pk: p for p in Person.objects.filter(pk__in=persons - result.persons.keys())})


def _sortable(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, datetime.min.time()))


# --- the doors: the data protection officer only, audited -----------------------------------------------


def subject_of(user: Any, person_id: Any) -> Person:
    """The person, for the data protection officer; everyone else a 403 before any lookup (so that no one
    learns whether the id exists); an unknown or malformed id a 404 (logged as denied)."""
    if not can_take_subject_access(user):
        log_denied(user, "subject_access", person_id)
        raise PermissionDenied(_("Only the data protection officer takes a person's subject access."))
    pk = parse_id(person_id)
    person = Person.objects.filter(pk=pk).first() if pk else None
    if person is None:
        log_denied(user, "subject_access", person_id)
        raise Http404
    return person


@transaction.atomic
def do_export_subject_access(user: Any, person_id: Any, *, export_format: str = "json") -> SubjectAccess:
    """The person's subject access, taken by the data protection officer and audited as an export."""
    person = subject_of(user, person_id)
    result = collect(person)
    record(
        AuditAction.EXPORT,
        actor=user,
        object_type="subject_access",
        object_id=person.pk,
        person_id=person.pk,
        purpose=PURPOSE,
        detail={
            "format": export_format,
            "records": len(result.given),
            "restricted": len(result.kept_back) + len(result.restricted_overrides),
            "disclosures": len(result.disclosures),
        },
    )
    return result


@transaction.atomic
def read_subject_access_summary(user: Any, person_id: Any) -> SubjectAccess:
    """The same collection for the summary page (counts, restricted items, disclosures): audited as a read."""
    person = subject_of(user, person_id)
    result = collect(person)
    record(
        AuditAction.READ,
        actor=user,
        object_type="subject_access",
        object_id=person.pk,
        person_id=person.pk,
        purpose=PURPOSE,
    )
    return result


def render_subject_access_pdf(result: SubjectAccess) -> bytes:
    """The export as a PDF the person can read: plain headings, dates, disclosures, what is kept back."""
    from weasyprint import HTML

    html = render_to_string("dataprotection/subject_access_pdf.html", pdf_context(result))
    return bytes(HTML(string=html).write_pdf())


def pdf_context(result: SubjectAccess) -> dict[str, Any]:
    """The export's data with the names a reader needs beside the codes (organisations, categories)."""
    data = result.as_data()
    names = {org.slug: org.name for org in result.organisations.values()}
    categories = {value: str(label) for value, label in Category.choices}

    def name(slug: str | None) -> str:
        return names.get(slug or "", slug or "")

    phases = {value: str(label) for value, label in Phase.choices}
    kinds = {value: str(label) for value, label in RelationKind.choices}
    bases = {value: str(label) for value, label in LegalBasis.choices}
    for row in data["records"]:
        row["organisation_name"] = name(row["author_organisation"])
    for link in data["relationships"]:
        link["kind_label"] = kinds.get(link["kind"], link["kind"])
    for row in data["overrides"]:
        row["legal_basis_label"] = bases.get(row["legal_basis"], row["legal_basis"])
    for case in data["cases"]:
        case["phase_label"] = phases.get(case["phase"], case["phase"])
        for member in case["members"]:
            member["organisation_name"] = name(member["organisation"])
    for key, organisation in (("consents", "recipient_organisation"), ("overrides", "recipient_organisation")):
        for row in data[key]:
            row["recipient_name"] = name(row[organisation])
            row["category_label"] = categories.get(row["category"], row["category"])
    for row in data["disclosures"]:
        row["organisation_name"] = name(row["viewer_organisation"])
        row["category_label"] = categories.get(row["category"], row["category"])
    for row in data["restricted"]:
        row["category_label"] = categories.get(row["record"]["category"], row["record"]["category"])
    by_category: dict[str, list[dict[str, Any]]] = {}
    for row in data["records"]:
        by_category.setdefault(row["category"], []).append(row)
    return {
        "data": data,
        "person": result.person,
        "categories": [
            {"label": label, "records": by_category[value]}
            for value, label in categories.items()
            if value in by_category
        ],
        "generated_at": result.generated_at,
        "withheld_disclosures": result.withheld_disclosures,
    }


def export_filename(result: SubjectAccess, export_format: str) -> str:
    return f"subject-access-{result.person.reference}-{result.generated_at:%Y-%m-%d}.{export_format}"
