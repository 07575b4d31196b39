"""A custody case for the continuity tests (issue 4), built only through the actions.

Nadia Example is held at Prison North (lead, pn.casemanager responsible). Every demo organisation
but Prison South is in the team. Prison North's psychologist has written risk assessments (journal
entries of category ``risk_assessment``: the stand-in for the assessments app, which does not exist
yet); other organisations have written what they write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.models import Organisation
from continuum.cases import actions
from continuum.cases.models import Case, CustodyEpisode, Entry, Sentence
from continuum.people.actions import do_create_person
from continuum.people.models import Person

TEAM = [
    ("central-point", "cp.coordinator"),
    ("probation", "prob.officer"),
    ("police", "police.liaison"),
    ("exit-ngo", "exit.worker"),
    ("family-counselling", "family.counsellor"),
    ("mental-health", "mh.clinician"),
    ("child-welfare", "cw.worker"),
    ("mentor-network", "mentor.one"),
    ("municipality-harbour", "muni.coordinator"),
]

# key: (author, category, title)
ENTRIES = {
    "risk_1": ("pn.psychologist", "risk_assessment", "Risk assessment at intake"),
    "risk_2": ("pn.psychologist", "risk_assessment", "Risk reassessment after six months"),
    "legal": ("pn.casemanager", "legal", "Sentence computed by the prison"),
    "daily": ("pn.casemanager", "daily_life", "Works in the kitchen"),
    "security": ("pn.security", "security", "Cell search, nothing found"),
    "plan": ("prob.officer", "plan", "Probation plan drafted"),
    "counselling": ("exit.worker", "counselling", "Exit conversation"),
    "police": ("police.liaison", "security", "Police liaison note"),
}
# What Prison South may read of them after the transfer (prison: risk, legal, daily life, security,
# plan by the matrix; counselling is for exit and family NGOs only).
PRISON_READS = ["risk_1", "risk_2", "legal", "daily", "security", "plan", "police"]
PRISON_NORTH_WROTE = ["risk_1", "risk_2", "legal", "daily", "security"]

MEMBERS = [username for _slug, username in TEAM] + ["pn.casemanager", "pn.psychologist"]
OUTSIDERS = ["ps.casemanager", "evaluator", "dpo", "admin"]
# Members that are not allowed to manage the case (403 on manager-only writes).
MEMBERS_NOT_MANAGING = [
    "pn.psychologist",
    "prob.officer",
    "prob.officer2",
    "police.liaison",
    "muni.coordinator",
    "exit.worker",
    "cw.worker",
    "mentor.one",
]
MANAGERS = ["pn.casemanager", "cp.coordinator"]
# Members whose organisation reads ``legal`` by the matrix (child welfare only after the trial, R7).
LEGAL_READERS = ["pn.casemanager", "pn.psychologist", "prob.officer", "police.liaison", "muni.coordinator"]
LEGAL_READERS += ["exit.worker", "cp.coordinator", "mh.clinician"]
NOT_LEGAL_READERS = ["mentor.one", "family.counsellor", "cw.worker"]


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


@dataclass
class ContinuityWorld:
    person: Person
    case: Case
    episode: CustodyEpisode
    sentence: Sentence
    entries: dict[str, Entry] = field(default_factory=dict)

    def fresh_case(self) -> Case:
        return Case.objects.select_related("lead_organisation").get(pk=self.case.pk)


def build(persona: Any) -> ContinuityWorld:
    pn = persona("pn.casemanager")
    person = do_create_person(
        given_name="Nadia", family_name="Example", birth_date=date(1995, 4, 12), gender="female", acting_user=pn
    )
    case = actions.do_open_case(person=person, lead_organisation=pn.organisation, phase="custody", acting_user=pn)
    for slug, username in TEAM:
        actions.do_add_member(case, organisation=org(slug), responsible=persona(username), acting_user=pn)
    episode = actions.do_start_custody_episode(
        case, facility=org("prison-north"), unit_type="evaluation_unit", started_on=ago(200), acting_user=pn
    )
    sentence = actions.do_record_sentence(
        case,
        imposed_on=ago(180),
        starts_on=ago(200),
        ends_on=ago(-400),
        earliest_release_on=ago(-120),
        acting_user=pn,
    )
    entries = {
        key: actions.do_add_entry(case, category=category, title=title, acting_user=persona(author))
        for key, (author, category, title) in ENTRIES.items()
    }
    case.refresh_from_db()
    return ContinuityWorld(person=person, case=case, episode=episode, sentence=sentence, entries=entries)
