"""The central point's CSV import of signals: every row checked first, then all or nothing.

Columns (a header row names them, in any order): given_name, family_name, birth_date (YYYY-MM-DD or
empty), gender, nationality, description, extremism_type, offence_type, setting, reporting_organisation
(an organisation slug). Commas or semicolons (as spreadsheet programs in the Netherlands save them).

If any row has an error, nothing is imported and the report lists every error by row (as numbered in
a spreadsheet: the header is row 1), field and message. Otherwise every row is reported through
``do_report_signal`` on behalf of its reporting organisation, in one transaction, with the importing
analyst recorded in each audit event.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from continuum.accounts.models import Organisation, User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.lib.text import forbidden_character, forbidden_message
from continuum.people.choices import Gender
from continuum.signals.actions import SubjectDetails, do_report_signal, report_errors, subject_errors
from continuum.signals.choices import REPORTING_ORG_TYPES, Channel, Setting
from continuum.signals.models import Signal
from continuum.signals.policy import can_triage_signals

COLUMNS = (
    "given_name",
    "family_name",
    "birth_date",
    "gender",
    "nationality",
    "description",
    "extremism_type",
    "offence_type",
    "setting",
    "reporting_organisation",
)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    number: int
    subject: SubjectDetails
    description: str
    extremism_type: str
    offence_type: str
    setting: str
    organisation: Organisation


class _Rollback(Exception):
    pass


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the file as CSV in UTF-8 and try again.")}) from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _parse_date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _forbidden_cells(raw: dict[str | None, Any]) -> dict[str, str]:
    """Each column whose cell (as written, before trimming) holds a character ``lib.text`` forbids: a NUL
    would be stored on SQLite and refused by PostgreSQL, a bidi control would make a name read backwards."""
    errors: dict[str, str] = {}
    for column, cell in raw.items():
        cells = cell if isinstance(cell, list) else [cell or ""]  # cells past the header's columns: a list
        for text in cells:
            character = forbidden_character(text or "")
            if character:
                errors.setdefault(column if isinstance(column, str) else "row", forbidden_message(character))
    return errors


def _records(reader: csv.DictReader[str]) -> Iterator[dict[str | None, Any]]:
    try:
        yield from reader
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise ValidationError({"file": _("The file is not valid CSV: %(error)s") % {"error": exc}}) from None


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def check_rows(data: bytes | str) -> tuple[int, list[_Row], list[RowError]]:
    """Parse and check every row: the number of signals in the file, the good rows and the errors.

    Nothing is written. Raises ValidationError for a file that cannot be read at all.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}}
        )
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [(name or "").strip() for name in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if not header:
        raise ValidationError({"file": _("The file is empty.")})
    if missing:
        raise ValidationError(
            {"file": _("The header row lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)}}
        )
    for name in header:
        character = forbidden_character(name)
        if character:
            raise ValidationError({"file": _("The header row: %(reason)s") % {"reason": forbidden_message(character)}})
    reader.fieldnames = header
    organisations = {o.slug: o for o in Organisation.objects.all()}
    rows: list[_Row] = []
    errors: list[RowError] = []
    count = 0
    for number, raw in enumerate(_records(reader), start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError({"file": _("Import at most %(count)s rows at a time.") % {"count": MAX_ROWS}})
        values = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if None in raw:  # more cells than columns
            errors.append(RowError(number, "row", _("This row has more cells than the header has columns.")))
        forbidden = _forbidden_cells(raw)
        if not any(values.values()) and not forbidden:
            continue  # a blank line
        count += 1
        row_errors: dict[str, str] = {}
        birth_date = _parse_date(values["birth_date"])
        if values["birth_date"] and birth_date is None:
            row_errors["birth_date"] = _("Write the date of birth as YYYY-MM-DD (e.g. 1994-03-02).")
        subject = SubjectDetails(
            given_name=values["given_name"],
            family_name=values["family_name"],
            birth_date=birth_date,
            gender=values["gender"] or Gender.UNKNOWN,
            nationality=values["nationality"],
        )
        for name, message in subject_errors(subject).items():
            row_errors.setdefault(name, message)
        setting = values["setting"] or Setting.OTHER
        row_errors.update(
            report_errors(
                description=values["description"],
                extremism_type=values["extremism_type"],
                offence_type=values["offence_type"],
                setting=setting,
            )
        )
        organisation = organisations.get(values["reporting_organisation"])
        if organisation is None:
            row_errors["reporting_organisation"] = _("No organisation has the slug “%(slug)s”.") % {
                "slug": values["reporting_organisation"]
            }
        elif organisation.type not in REPORTING_ORG_TYPES or not organisation.is_active:
            row_errors["reporting_organisation"] = _("%(organisation)s does not report signals.") % {
                "organisation": organisation.name
            }
        row_errors.update(forbidden)  # the true reason, over what the other checks made of it
        errors.extend(RowError(number, f, m) for f, m in sorted(row_errors.items(), key=lambda i: _column_order(i[0])))
        if not row_errors and organisation is not None:
            rows.append(
                _Row(
                    number=number,
                    subject=subject,
                    description=values["description"],
                    extremism_type=values["extremism_type"],
                    offence_type=values["offence_type"],
                    setting=setting,
                    organisation=organisation,
                )
            )
    if not count:
        raise ValidationError({"file": _("The file has a header but no signals.")})
    return count, rows, errors


def import_signals(data: bytes | str, *, acting_user: User) -> ImportReport:
    """Import the signals of a CSV file for the central point: all rows, or none and a report.

    Raises PermissionDenied for anyone but the central point's analysts and coordinators, and
    ValidationError for a file that cannot be read at all.
    """
    if not can_triage_signals(acting_user):
        raise PermissionDenied(_("Only the central point imports signals."))
    count, rows, errors = check_rows(data)
    report = ImportReport(rows=count, errors=errors)
    if errors:
        return report
    batch = uuid.uuid4().hex[:12]
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    signal = do_report_signal(
                        subject=row.subject,
                        description=row.description,
                        extremism_type=row.extremism_type,
                        offence_type=row.offence_type,
                        setting=row.setting,
                        channel=Channel.IMPORT,
                        on_behalf_of=row.organisation,
                        batch=batch,
                        acting_user=acting_user,
                    )
                except ValidationError as exc:  # checked above; kept for anything the action adds
                    report.errors.extend(
                        RowError(row.number, name, " ".join(messages)) for name, messages in exc.message_dict.items()
                    )
                else:
                    report.signals.append(signal)
            if report.errors:
                raise _Rollback
            record(
                AuditAction.CREATE,
                actor=acting_user,
                object_type="signal_import",
                object_id=batch,
                detail={
                    "signals": len(report.signals),
                    "organisations": sorted({r.organisation.slug for r in rows}),
                },
            )
    except _Rollback:
        report.signals = []
    return report
