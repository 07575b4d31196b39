"""Helpers for the signal tests: reports and persons made through the actions, as the personas.

Everything is built with the real actions and read through the real engine (never mocked).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from continuum.cases.actions import do_open_case
from continuum.cases.models import Case
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.signals.actions import SubjectDetails, do_report_signal
from continuum.signals.models import Signal

# Members of every reporting organisation type (and more than one role of a prison).
REPORTERS = [
    "pn.casemanager",
    "pn.security",
    "ps.casemanager",
    "prob.officer",
    "police.liaison",
    "muni.coordinator",
    "exit.worker",
    "family.counsellor",
    "mh.clinician",
    "cw.worker",
]
CENTRAL_POINT = ["cp.analyst", "cp.coordinator"]
# Neither report nor triage: mentoring, research, and the DPO and administrator (who belong to an
# organisation of type central_point, and still see no signal: R10).
NEITHER = ["mentor.one", "evaluator", "dpo", "admin"]
RANDOM_ID = "0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01"
NOT_FOUND = {"detail": "Not found."}

ALHASAN = {
    "given_name": "Mohammed",
    "family_name": "Alhasan",
    "birth_date": "1994-03-02",
    "gender": "male",
    "nationality": "NL",
}


def signal_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "subject": dict(ALHASAN),
        "description": "Tried to recruit two fellow detainees for 'the cause' during yard time.",
        "extremism_type": "jihadist",
        "offence_type": "none",
        "setting": "prison",
    }
    payload.update(overrides)
    return payload


def report(persona: Any, username: str, *, given: str = "Mohammed", family: str = "Alhasan", **kwargs: Any) -> Signal:
    """A signal reported through the action, about someone described (or ``person=``)."""
    person = kwargs.pop("person", None)
    birth_date = kwargs.pop("birth_date", date(1994, 3, 2))
    subject = (
        None
        if person is not None
        else SubjectDetails(
            given_name=given,
            family_name=family,
            birth_date=birth_date,
            gender=kwargs.pop("gender", "male"),
            nationality=kwargs.pop("nationality", "NL"),
        )
    )
    values = {
        "description": "Praised an attack and handed out leaflets.",
        "extremism_type": "jihadist",
        "offence_type": "none",
        "setting": "prison",
    }
    values.update(kwargs)
    return do_report_signal(subject=subject, person=person, acting_user=persona(username), **values)


def al_hassan(persona: Any, username: str = "cp.analyst") -> Person:
    """The known person the signals about "Mohammed Alhasan" are likely about."""
    return do_create_person(
        given_name="Muhammad",
        family_name="Al-Hassan",
        birth_date=date(1994, 3, 2),
        gender="male",
        nationality="NL",
        acting_user=persona(username),
    )


def person_with_case(persona: Any, username: str, given: str, family: str, born: date) -> tuple[Person, Case]:
    user = persona(username)
    person = do_create_person(given_name=given, family_name=family, birth_date=born, acting_user=user)
    case = do_open_case(person=person, lead_organisation=user.organisation, phase="custody", acting_user=user)
    return person, case
