"""Per-participant meeting packs: for each case on the agenda only what the reader may see, in full.

The sharing engine decides everything: the cases are those the reader's organisation is a current
member of (R1; a case it is not a member of is not in the pack at all, not even as a heading), and
the records of each are every case record model's ``visible_to(reader)`` rows (one query per model,
whatever the size of the agenda). A pack is what one reads before the meeting, so it carries the
records' own words (``CaseRecord.record_text``: a journal entry's body, a hand-over note, minutes),
each case's current plan (its summary, goals in the person's own words, milestones), the latest
finalised assessment of each instrument with the people's judgement and summary, open decisions and
actions, and what else was recorded recently, in time order. Each record is shown once: plans, goals,
milestones, assessments, decisions and actions in their own sections, the rest among the recent
records. The sections are the same for every reader ("Nothing to show here" when empty) and there are
no per-category sections or counts, so what is withheld leaves no trace (R12).

Building a pack logs the records in it as reads or disclosures (R11) and the pack as an export, all
written together at the end (``batched_reads``): a fixed number of queries, whatever the agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db.models import IntegerField, Value
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from continuum.assessments.choices import AssessmentStatus
from continuum.assessments.models import Assessment
from continuum.audit.log import Event
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.cases.timeline import TimelineEvent, _record_event
from continuum.conferences.access import agenda_cases, positions_of, required_organisations
from continuum.conferences.choices import DecisionStatus
from continuum.conferences.consensus import describe, join_names
from continuum.conferences.models import Conference, ConferenceAction, Decision
from continuum.people.models import Person
from continuum.plans.access import PlanContents, contents_of_plans, current_plans_of
from continuum.plans.models import Goal, Milestone, Plan
from continuum.sharing import engine
from continuum.sharing.access import read_records
from continuum.sharing.disclosure import batched_reads, log_read_event
from continuum.sharing.records import record_models

# Records of the last 90 days, or since the previous meeting of a recurring conference.
LOOKBACK = timedelta(days=90)
# Records the pack shows in their own sections (the plan, the latest assessments, open decisions and
# actions), not again among the recent records.
_OWN_SECTIONS = (Plan, Goal, Milestone, Assessment, Decision, ConferenceAction)


@dataclass
class PackCase:
    case: Case
    records: list[TimelineEvent] = field(default_factory=list)
    open_decisions: list[Decision] = field(default_factory=list)
    open_actions: list[ConferenceAction] = field(default_factory=list)
    # The current plan as the reader sees it, and its visible goals (each with ``shown_milestones``).
    plan: Plan | None = None
    plan_contents: PlanContents | None = None
    # The latest finalised assessment of each instrument the reader may see, with the people's judgement.
    assessments: list[Assessment] = field(default_factory=list)


@dataclass
class Pack:
    conference: Conference
    reader: Any
    prepared_at: datetime
    since: date
    cases: list[PackCase]

    @property
    def meeting_at(self) -> datetime:
        """The meeting this pack is for: the next one of a series (or the one-off meeting)."""
        return self.conference.next_meeting or timezone.localtime(self.conference.scheduled_at)

    @property
    def confidential_line(self) -> str:
        organisation = self.reader.organisation.name if self.reader.organisation_id else ""
        prepared = timezone.localtime(self.prepared_at)
        return _("Confidential — prepared for %(name)s, %(organisation)s, %(date)s %(time)s") % {
            "name": self.reader.display_name,
            "organisation": organisation,
            "date": date_format(prepared, "DATE_FORMAT"),
            "time": date_format(prepared, "TIME_FORMAT"),
        }


def _since(conference: Conference, now: datetime) -> datetime:
    since = now - LOOKBACK
    last = conference.last_meeting
    if conference.recurrence != "none" and last is not None and last + conference.duration < now:
        since = max(since, last)
    return since


def pack_filename(pack: Pack) -> str:
    """The PDF's name: the meeting's day, kind and chair, e.g. ``meeting-pack-2026-12-08-mar-meeting-probation.pdf``.
    Never the title, which may name a person."""
    conference = pack.conference
    day = timezone.localtime(conference.next_meeting or conference.scheduled_at).date().isoformat()
    # The kind's English name, whatever the language of the pack: a file name, like a slug, stays put.
    with translation.override("en"):
        kind = slugify(conference.get_kind_display())
    return f"meeting-pack-{day}-{kind}-{conference.chair_organisation.slug}.pdf"


def build_pack(user: Any, conference: Conference, *, export_format: str = "html") -> Pack:
    """The pack of ``conference`` for ``user``; logs reads and disclosures (R11) and audits the export.

    The engine's answers (matrix rows, teams) are asked once, and every read is written in one go
    when the pack is built (or with the caller's batch, when the view opened one).
    """
    with engine.remembered(), batched_reads():
        return _build_pack(user, conference, export_format=export_format)


def _build_pack(user: Any, conference: Conference, *, export_format: str) -> Pack:
    now = timezone.now()
    since = _since(conference, now)
    cases = agenda_cases(user, conference)
    by_case = {c.pk: PackCase(case=c) for c in cases}
    shown: list[Any] = []
    if cases:
        shown += _add_records(user, by_case, since)
        shown += _add_decisions_and_actions(user, by_case)
        shown += _add_plans(user, by_case, conference) + _add_assessments(user, by_case)
    read_records(user, shown, purpose=f"meeting pack {conference.pk}")
    log_read_event(
        Event(
            AuditAction.EXPORT,
            actor=user,
            object_type="conference_pack",
            object_id=conference.pk,
            purpose="meeting pack",
            detail={"format": export_format, "records": len(shown)},
        )
    )
    return Pack(
        conference=conference,
        reader=user,
        prepared_at=now,
        since=timezone.localtime(since).date(),
        cases=[by_case[c.pk] for c in cases],
    )


def _add_records(user: Any, by_case: dict[Any, PackCase], since: datetime) -> list[Any]:
    """The recent records of every model without a section of its own, in time order (one query per model)."""
    shown: list[Any] = []
    cases = [item.case for item in by_case.values()]
    models = [model for model in record_models() if not issubclass(model, _OWN_SECTIONS)]
    # First one query over every model: which of them has recent records the reader may see; then one
    # query for each model that has (the pack's cost does not grow with every new kind of record).
    recent = [
        model.objects.visible_to(user)
        .filter(case__in=cases, created_at__gte=since)
        .order_by()
        .annotate(_pack_model=Value(index, output_field=IntegerField()))
        .values_list("_pack_model", flat=True)
        .distinct()
        for index, model in enumerate(models)
    ]
    present = set(recent[0].union(*recent[1:], all=True)) if recent else set()
    for index, model in enumerate(models):
        if index not in present:
            continue
        rows = (
            model.objects.visible_to(user)
            .filter(case__in=cases, created_at__gte=since)
            .select_related("case", *model.timeline_related)
        )
        for row in rows:
            by_case[row.case_id].records.append(_record_event(row))
            shown.append(row)
    for item in by_case.values():
        item.records.sort(key=lambda e: e.sort_key)
    return shown


def _add_decisions_and_actions(user: Any, by_case: dict[Any, PackCase]) -> list[Any]:
    """Open decisions with their consensus in plain words, and open actions (four queries)."""
    cases = [item.case for item in by_case.values()]
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(case__in=cases)
        .exclude(status=DecisionStatus.AGREED)
        .select_related("case", "conference")
        .order_by("created_at", "pk")
    )
    required = required_organisations(decisions)
    positions = positions_of(decisions)
    for decision in decisions:
        decision.consensus_text = describe(required[decision.pk], positions.get(decision.pk, []))
        by_case[decision.case_id].open_decisions.append(decision)
    actions = list(
        ConferenceAction.objects.visible_to(user)
        .filter(case__in=cases, completed_at__isnull=True)
        .select_related("case", "owner_organisation", "owner")
        .order_by("due_on", "pk")
    )
    for action in actions:
        by_case[action.case_id].open_actions.append(action)
    return [*decisions, *actions]


def _add_plans(user: Any, by_case: dict[Any, PackCase], conference: Conference) -> list[Any]:
    """Each case's current plan as the reader sees it, with its visible goals and milestones (three queries;
    the goals and milestones are logged by ``contents_of_plans``, the plans are returned to log)."""
    plans = current_plans_of(user, [item.case for item in by_case.values()])
    contents = contents_of_plans(user, list(plans.values()), purpose=f"meeting pack {conference.pk}")
    for case_id, plan in plans.items():
        by_case[case_id].plan = plan
        by_case[case_id].plan_contents = contents[plan.pk]
    return list(plans.values())


def _add_assessments(user: Any, by_case: dict[Any, PackCase]) -> list[Any]:
    """The latest finalised assessment per case and instrument the reader may see (one query)."""
    latest: dict[tuple[Any, str], Assessment] = {}
    for assessment in (
        Assessment.objects.visible_to(user)
        .filter(case__in=[item.case for item in by_case.values()], status=AssessmentStatus.FINALISED)
        .select_related("instrument", "finalised_by")
        .order_by("-finalised_on", "-created_at")
    ):
        latest.setdefault((assessment.case_id, assessment.instrument.code), assessment)
    for (case_id, _code), assessment in latest.items():
        by_case[case_id].assessments.append(assessment)
    return list(latest.values())


def render_pack_pdf(pack: Pack) -> bytes:
    """The pack as a PDF (WeasyPrint) in the active language, every page marked confidential for its reader."""
    from weasyprint import HTML

    # The footer's "page 2 of 5", its numbers counted by the PDF's CSS (no quote in the translations).
    page_of = _("page %(page)s of %(pages)s") % {"page": '" counter(page) "', "pages": '" counter(pages) "'}
    html = render_to_string("conferences/pack_pdf.html", {"pack": pack, "page_of": page_of})
    return bytes(HTML(string=html).write_pdf())


# --- the pack in another language (issue 13) ------------------------------------------------------------


class UnknownLanguage(ValueError):
    """``?language=`` names no language of the interface."""


def pack_language(value: str | None) -> str | None:
    """The language a pack is asked for in (``?language=nl``), or None when none is asked for.

    Only the interface's own codes (``settings.LANGUAGES``); anything else raises ``UnknownLanguage``
    with a message for the reader.
    """
    if value is None:
        return None
    codes = dict(settings.LANGUAGES)
    if value not in codes:
        raise UnknownLanguage(
            _("A meeting pack can be printed in %(languages)s: give language=%(codes)s.")
            % {
                "languages": join_names([str(name) for name in codes.values()]),
                "codes": " | ".join(codes),
            }
        )
    return value


def _known_names() -> dict[str, str]:
    """The ways ``Person.languages`` may name a language of the interface: its code, its English name
    and its own name, in any case ("nl", "Dutch", "nederlands")."""
    known: dict[str, str] = {}
    for code, local in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        for name in (code, local, info.get("name", ""), info.get("name_local", "")):
            if name:
                known[name.casefold()] = code
    return known


def language_code_of(value: Any) -> str | None:
    """The interface's code for one of a person's languages (``Person.languages`` is free text: "nl",
    "nl-BE", "Dutch", "Nederlands"), or None when the interface does not speak it ("Arabic")."""
    if not isinstance(value, str):
        return None
    text = value.strip().casefold()
    known = _known_names()
    return known.get(text) or known.get(text.replace("_", "-").split("-")[0])


def print_languages(user: Any, pack: Pack, shown: str) -> list[dict[str, Any]]:
    """The languages the pack can be printed in, each in its own name, with the persons on the agenda
    who speak it: only those whose identity the reader may read (R12: no hint otherwise)."""
    persons = {item.case.person_id: item.case.person for item in pack.cases}
    spoken = {
        person_id: [code for code in dict.fromkeys(language_code_of(v) for v in (person.languages or [])) if code]
        for person_id, person in persons.items()
    }
    speakers: dict[str, list[str]] = {}
    if any(spoken.values()):  # one query, and only when there is something to say
        readable = set(Person.objects.visible_to(user).filter(pk__in=list(persons)).values_list("pk", flat=True))
        for person_id, codes in spoken.items():
            for code in codes if person_id in readable else []:
                speakers.setdefault(code, []).append(persons[person_id].full_name)
    return [
        {
            "code": code,
            "name": name,
            "current": code == shown,
            "persons": join_names(sorted(speakers.get(code, []))),
        }
        for code, name in settings.LANGUAGES
    ]
