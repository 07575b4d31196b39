"""Tables and publications (issue 17): validate, count, protect, publish, audit.

Every table that leaves a case team is built here through ``tables.build(..., scope="all")``, that
is through the disclosure control; there is no other way to a table of every case. Reading a table
is logged (what was asked, never the counts), publishing too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import User
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.choices import Phase
from continuum.insights import export, indicators, tables
from continuum.insights.choices import LessonKind, LessonTopic
from continuum.insights.disclosure import TableTooLarge
from continuum.insights.models import Lesson, Publication, PublishedTable
from continuum.insights.policy import (
    can_export_microdata,
    can_publish,
    can_see_all,
    can_see_mine,
    can_write_lesson,
    default_scope,
)
from continuum.lib.text import csv_dict

MAX_TABLES = 10
SCOPES = ("mine", "all")


def parse_by(by: str | Sequence[str]) -> tuple[str, ...]:
    names = [part.strip() for part in by.split(",")] if isinstance(by, str) else [str(part).strip() for part in by]
    names = [name for name in names if name]
    unknown = [name for name in names if name not in tables.DIMENSIONS]
    if unknown:
        raise ValidationError(
            {
                "by": _("Unknown breakdown %(names)s; choose from %(values)s.")
                % {"names": ", ".join(unknown), "values": ", ".join(tables.DIMENSIONS)}
            }
        )
    if not names:
        raise ValidationError({"by": _("Choose at least one breakdown.")})
    if len(set(names)) != len(names):
        raise ValidationError({"by": _("Name each breakdown once.")})
    if len(names) > tables.MAX_BY:
        raise ValidationError({"by": _("Choose at most %(n)s breakdowns.") % {"n": tables.MAX_BY}})
    return tuple(names)


def check_measure(measure: str) -> str:
    if measure not in tables.MEASURES:
        raise ValidationError(
            {"measure": _("Unknown measure; choose one of %(values)s.") % {"values": ", ".join(tables.MEASURES)}}
        )
    return measure


def check_scope(user: Any, scope: str | None) -> str:
    scope = scope or default_scope(user)
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Choose mine or all.")})
    if scope == "all" and not can_see_all(user):
        raise PermissionDenied(_("Your role sees tables of your own cases only."))
    if scope == "mine" and not can_see_mine(user):
        raise PermissionDenied(_("Your organisation works on no case: ask for the tables of every case."))
    return scope


def table_for(user: User, *, measure: str, by: str | Sequence[str], scope: str | None = None) -> tables.Table:
    """A table as the user may have it: their own cases plainly, every case through the disclosure control."""
    scope = check_scope(user, scope)
    measure = check_measure(measure)
    names = parse_by(by)
    cases, through = tables.cases_in_scope(user, scope)
    try:
        table = tables.build(measure, names, tables.rows(cases, through), scope=scope)
    except TableTooLarge as exc:
        raise ValidationError({"by": _("This table would be too large; choose fewer breakdowns.")}) from exc
    record(
        AuditAction.READ,
        actor=user,
        object_type="statistics",
        detail={"measure": measure, "by": list(names), "scope": scope},
    )
    return table


@dataclass
class Dashboard:
    scope: str
    by: str
    panels: list[indicators.Panel]
    cases: int  # how many cases it counts (for the team; at scope ``all`` not shown)


def check_dimension(by: str) -> str:
    if by not in tables.DIMENSIONS:
        raise ValidationError(
            {"by": _("Unknown breakdown; choose one of %(values)s.") % {"values": ", ".join(tables.DIMENSIONS)}}
        )
    return by


def dashboard_for(user: User, *, by: str = "", scope: str | None = None) -> Dashboard:
    """The outcome indicators (docs/insights.md) of the user's own cases, plainly, or of every case,
    each table through the disclosure control; audited like a table (what was asked, never the numbers)."""
    scope = check_scope(user, scope)
    by = check_dimension(by or ("phase" if scope == "mine" else "release_year"))
    cases, through = tables.cases_in_scope(user, scope)
    found = tables.rows(cases, through)
    try:
        panels = indicators.indicator_panels(found, by, scope=scope, labels=tables.value_label)
    except TableTooLarge as exc:  # pragma: no cover - one breakdown is never this large
        raise ValidationError({"by": _("This table would be too large; choose fewer breakdowns.")}) from exc
    panels.append(indicators.phase_panel(cases, scope=scope))
    panels += indicators.reassessment_panels(cases, through, scope=scope)
    record(
        AuditAction.READ,
        actor=user,
        object_type="statistics",
        detail={"dashboard": True, "by": [by], "scope": scope},
    )
    return Dashboard(scope, by, panels, len(found))


def refusal(table: tables.Table) -> str:
    """Why a protected table cannot be published, or ''."""
    grand = table.totals[-1] if table.totals else None
    if grand is None or grand[2]:
        return _("There are fewer than 10 in all: nothing of it can be published.")
    if all(suppressed for _key, _value, suppressed, _reason in table.cells):
        return _("Every cell would be hidden: choose fewer or other breakdowns.")
    return ""


def _stored(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {"key": list(key), "value": value, "suppressed": suppressed, "reason": reason}
        for key, value, suppressed, reason in rows
    ]


@transaction.atomic
def do_publish(
    *, title: str, commentary: str = "", tables_asked: Sequence[dict[str, Any]], acting_user: User
) -> Publication:
    """A publication of protected tables; refused (400, nothing written) when one cannot be published
    safely, naming it and why."""
    if not can_publish(acting_user) or acting_user.organisation is None:
        raise PermissionDenied(_("Only coordinators and evaluators publish statistics."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the publication a title.")})
    if not tables_asked:
        raise ValidationError({"tables": _("Add at least one table.")})
    if len(tables_asked) > MAX_TABLES:
        raise ValidationError({"tables": _("At most %(n)s tables in one publication.") % {"n": MAX_TABLES}})
    built, problems = [], []
    for number, asked in enumerate(tables_asked, start=1):
        try:
            table = table_for(acting_user, measure=asked.get("measure", ""), by=asked.get("by", ""), scope="all")
        except ValidationError as exc:
            problems.append(_("Table %(n)s: %(reason)s") % {"n": number, "reason": " ".join(exc.messages)})
            continue
        why = refusal(table)
        if why:
            problems.append(
                _("Table %(n)s (%(measure)s by %(by)s): %(reason)s")
                % {
                    "n": number,
                    "measure": str(tables.MEASURE_LABELS[table.measure]).lower(),
                    "by": ", ".join(str(tables.DIMENSION_LABELS[d]).lower() for d in table.by),
                    "reason": why,
                }
            )
            continue
        built.append((asked, table))
    if problems:
        raise ValidationError({"tables": problems})
    publication = Publication.objects.create(
        title=title[:200],
        commentary=(commentary or "").strip(),
        organisation=acting_user.organisation,
        published_by=acting_user,
    )
    for position, (asked, table) in enumerate(built, start=1):
        PublishedTable.objects.create(
            publication=publication,
            position=position,
            title=(asked.get("title") or "").strip()[:200],
            commentary=(asked.get("commentary") or "").strip(),
            measure=table.measure,
            by=list(table.by),
            cells=_stored(table.cells),
            totals=_stored(table.totals),
            method=table.safe.method if table.safe is not None else "",
        )
    record(
        AuditAction.EXPORT,
        actor=acting_user,
        object_type="publication",
        object_id=publication.pk,
        detail={"title": publication.title, "tables": [{"measure": t.measure, "by": list(t.by)} for _a, t in built]},
    )
    return publication


def do_research_export(*, acting_user: User) -> export.Export:
    """The research export (``export.py``), audited whether it is released or refused."""
    if not can_export_microdata(acting_user):
        raise PermissionDenied(_("The research export is for evaluators of a research organisation."))
    result = export.anonymise(export.microdata())
    record(
        AuditAction.EXPORT,
        actor=acting_user,
        object_type="research_export",
        outcome="ok" if result.released else "refused",
        detail={
            "released": result.released,
            "rows": len(result.rows),
            "suppressed_rows": result.suppressed_rows,
            "k": result.k,
            "l": result.l,
            "generalisation": result.generalisation,
        },
    )
    return result


def export_csv(result: export.Export) -> str:
    """The export as CSV, its first lines (``#``) stating the guarantees and the generalisation applied."""

    quasi = ", ".join(export.QUASI)
    lines = [
        f"Continuum research export of {timezone.localdate().isoformat()}.",
        f"k-anonymity: every combination of {quasi} is shared by at least {result.k} rows (required {export.K}).",
        f"l-diversity: each such group holds at least {result.l} extremism types (required {export.L}).",
        f"Generalisation applied: {'; '.join(result.generalisation) or 'none'}.",
        f"Rows left out (groups too small): {result.suppressed_rows} of {result.total}.",
        "Pseudonyms are drawn afresh for every export and link to nothing. No free text, no dates finer than a year.",
    ]
    out = io.StringIO()
    out.writelines(f"# {line}\n" for line in lines)
    writer = csv.DictWriter(out, fieldnames=list(export.COLUMNS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    # Pseudonyms and categories only, but a label starting with = must still not run as a formula.
    writer.writerows(csv_dict(row) for row in result.rows)
    return out.getvalue()


# --- lessons learned -----------------------------------------------------------------------------------------

LESSON_LANGUAGES = ("en", "nl", "de", "fr")


def _choices(values: Sequence[str] | None, allowed: Sequence[str], field: str) -> list[str]:
    chosen = list(dict.fromkeys(values or []))
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        raise ValidationError({field: _("Unknown: %(values)s.") % {"values": ", ".join(map(str, unknown))}})
    return chosen


@transaction.atomic
def do_write_lesson(
    *,
    kind: str,
    title: str,
    text: str,
    phases: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    language: str,
    acting_user: User,
) -> Lesson:
    """A lesson for all organisations; it keeps the kind of the author's organisation, shown instead of a name."""
    if not can_write_lesson(acting_user) or acting_user.organisation is None:
        raise PermissionDenied(_("Your role does not write lessons."))
    errors = {}
    if kind not in LessonKind.values:
        errors["kind"] = _("Choose a good practice or a failure.")
    if not (title or "").strip():
        errors["title"] = _("Give the lesson a title.")
    if not (text or "").strip():
        errors["text"] = _("Write what happened and what you learned.")
    if language not in LESSON_LANGUAGES:
        errors["language"] = _("Choose the language the lesson is written in.")
    if errors:
        raise ValidationError(errors)
    lesson = Lesson.objects.create(
        kind=kind,
        title=title.strip()[:200],
        text=text.strip()[:20000],
        phases=_choices(phases, Phase.values, "phases"),
        topics=_choices(topics, LessonTopic.values, "topics"),
        language=language,
        author_org_type=acting_user.organisation.type,
        written_by=acting_user,
    )
    record(AuditAction.CREATE, actor=acting_user, object_type="lesson", object_id=lesson.pk, detail={"kind": kind})
    return lesson


def lessons(*, q: str = "", kind: str = "", phase: str = "", topic: str = "", language: str = "") -> Any:
    """The lessons matching a search (words in the title or text) and filters, latest first."""
    found = Lesson.objects.all()
    for word in (q or "").split()[:10]:
        found = found.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if kind:
        found = found.filter(kind=kind)
    if language:
        found = found.filter(language=language)
    # Tags are JSON lists; a contains lookup is not portable to SQLite, so the tag is matched as text.
    if phase:
        found = found.filter(phases__icontains=f'"{phase}"')
    if topic:
        found = found.filter(topics__icontains=f'"{topic}"')
    return found
