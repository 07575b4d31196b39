"""The case record base: every model holding information about a person or a case inherits it.

A case record carries its person (and usually its case), its category, its author and author
organisation, whom the author withholds it from (R4), and whether it states a fact or a professional
assessment, with source and reliability (Law Enforcement Directive Art. 7).

The only way to read case records is ``Model.objects.visible_to(user)`` (or the ``access_*`` helpers
built on it): one SQL query applying R0-R12, each row annotated with its basis of visibility.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from continuum.accounts.choices import OrgType
from continuum.sharing import engine
from continuum.sharing.choices import Category, Reliability, Statement


def encode_withholding(entries: Iterable[str]) -> str:
    """``["police", "exit-ngo"]`` -> ``",type:police,org:exit-ngo,"``: searchable with one LIKE each.

    A bare name that is an organisation type withholds from every organisation of that type; any
    other bare name is an organisation slug. ``"type:…"`` and ``"org:…"`` say which explicitly (the
    demo's organisation ``police`` has a slug that is also a type name).
    """
    parts = sorted({_withholding_part(e) for e in entries if e})
    return f",{','.join(parts)}," if parts else ""


def _withholding_part(entry: str) -> str:
    if entry.startswith(("type:", "org:")):
        return entry
    return f"type:{entry}" if entry in OrgType.values else f"org:{entry}"


def decode_withholding(value: str) -> list[str]:
    """The stored form back as names; ``encode_withholding(decode_withholding(v)) == v``."""
    names = []
    for part in value.strip(",").split(","):
        kind, _, name = part.partition(":")
        if not name:
            continue
        names.append(f"org:{name}" if kind == "org" and name in OrgType.values else name)
    return names


def withheld_parts(value: str) -> list[tuple[str, str]]:
    """``[("type", "police"), ("org", "exit-ngo")]`` from the stored form."""
    parts = []
    for part in value.strip(",").split(","):
        kind, _, name = part.partition(":")
        if name:
            parts.append((kind, name))
    return parts


def record_models() -> list[type[CaseRecord]]:
    """Every concrete model that inherits the case record base (journal entries, assessments, …)."""
    return [m for m in apps.get_models() if issubclass(m, CaseRecord)]


class CaseRecordQuerySet(models.QuerySet[Any]):
    def visible_to(self, user_or_viewer: Any) -> CaseRecordQuerySet:
        """The records the user (or, for previews, the organisation) may see, with their basis."""
        viewer = user_or_viewer if isinstance(user_or_viewer, engine.Viewer) else engine.viewer_for(user_or_viewer)
        if not viewer.sees_content:
            return self.none()
        annotations = engine.visibility_annotations(self.model, viewer)
        return self.annotate(**annotations).filter(_vis_basis__isnull=False).select_related("author", "author_org")


class CaseRecord(models.Model):
    """Abstract base of every record about a person or a case (DESIGN.md section 3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    category = models.CharField(max_length=32, choices=Category.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    withhold_from = models.CharField(
        max_length=1000,
        blank=True,
        default="",
        help_text="Organisation types and organisations the author withholds this record from (R4).",
    )
    statement = models.CharField(max_length=16, choices=Statement.choices, default=Statement.FACT)
    source = models.CharField(max_length=200, blank=True, help_text="Where the information comes from.")
    reliability = models.CharField(max_length=20, choices=Reliability.choices, default=Reliability.UNKNOWN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CaseRecordQuerySet.as_manager()

    # A model may add what mentoring organisations see besides identity (R8), e.g. milestones
    # assigned to them: a callable taking the Viewer and returning a Q.
    mentor_assigned_q: ClassVar[Any] = None
    # Records that belong to the cases they are linked to, not to a case of their own (a child's
    # records belong to the cases of the child's parents): a callable taking an expression for the
    # record's person (an ``OuterRef``) and returning a queryset of those cases' ids. R1 (membership)
    # and R5 (overrides) then ask those cases. Such records leave ``case`` empty.
    linked_cases: ClassVar[Any] = None
    # Records shared within a team of their own instead of the case team (a family file's
    # counsellors): a callable taking the Viewer and returning the Q of rows whose team it is on.
    # It replaces R1 for the matrix and consent; an override (R5) still needs the case's team.
    sharing_team: ClassVar[Any] = None
    # False: the matrix gives no one these records; only R0, consent (R3) and overrides (R5) do
    # (counselling sessions: another counsellor sees one only with that client's consent).
    matrix_reads: ClassVar[bool] = True
    # A callable returning the Q of rows withheld from everyone but their author (R4 per item, e.g.
    # a session marked "never share"); only an override (R5) beats it.
    withheld_q: ClassVar[Any] = None
    # How audit events and disclosures name this kind of record.
    record_type: ClassVar[str] = "record"
    # Triage data (DESIGN.md R1: "... and the central point, for triage data"): every organisation of
    # type central_point sees every row of such a model (basis "triage"), whatever its case. Signals
    # and the central point's notes on them set it; nothing else should.
    central_point_triage: ClassVar[bool] = False
    # The person's timeline (``continuum.cases.timeline``) reads every record model with one query
    # each; the related objects ``timeline_label`` uses are fetched in that same query (no N+1).
    timeline_related: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def timeline_date(self) -> date | datetime:
        """When this happened, for the person's timeline. By default: when it was recorded."""
        return self.created_at

    def timeline_label(self) -> str:
        """One plain line saying what happened, for the person's timeline."""
        return str(self)

    def record_text(self) -> str:
        """What the record says in its own words (a journal entry's body, a note's text), for those
        who may read it, e.g. in a meeting pack. Empty where the label says it all (a sentence's
        dates). Plain text; whoever shows it escapes it. Reads no related object the model's
        ``timeline_related`` does not name."""
        return ""

    @property
    def withheld_from(self) -> list[str]:
        return decode_withholding(self.withhold_from)

    @property
    def visibility(self) -> dict[str, str]:
        """``{"basis", "explanation"}``; only on records read through ``visible_to``."""
        return {"basis": getattr(self, "_vis_basis", "") or "", "explanation": engine.explain(self)}

    @property
    def why(self) -> str:
        """Why the reader may see this record, as a page says it; only on records read through ``visible_to``."""
        return engine.explain(self, sentence=True)
