"""Synthetic demo signals (DESIGN.md section 6: "a signal under triage"). Idempotent.

Every name and story here is invented. On top of ``cases/demo.py``'s persons:

- each demo person's case began with an included signal (two included automatically: terrorist offences);
- a new signal from Prison South about "Ameera Ben Ali", a transliteration of the demo person Amira
  Benali with the same birth date: the central point sees her as the likely duplicate;
- two monitored signals with review dates (one due within a week), with a note of the central point.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.people.models import Person
from continuum.signals.actions import (
    SubjectDetails,
    do_add_signal_note,
    do_create_person_from_signal,
    do_report_signal,
    do_triage_signal,
)
from continuum.signals.models import Signal

# (given, family, birth date of the demo person, reporter, extremism, offence, setting, description,
#  rationale of the central point's inclusion, or "" when the PARE rule includes it automatically)
INCLUDED: list[tuple[Any, ...]] = [
    (
        "Amira",
        "Benali",
        date(1994, 3, 2),
        "pn.casemanager",
        "jihadist",
        "terrorist_offence",
        "prison",
        "Returned from a camp in north-east Syria with her two children and detained on arrival, suspected of "
        "membership of a terrorist organisation. Placed on the maternity unit.",
        "",
    ),
    (
        "Daniel",
        "Kovac",
        date(2001, 9, 14),
        "prob.officer",
        "right_wing",
        "other_offence",
        "probation",
        "During supervision for an assault, shared right-wing extremist material with a fellow client and spoke "
        "admiringly of an attack abroad.",
        "Violent offence with extremist motive and an active network online: a multi-agency approach is needed.",
    ),
    (
        "Yusuf",
        "Demir",
        date(1988, 1, 20),
        "ps.casemanager",
        "jihadist",
        "terrorist_offence",
        "prison",
        "Convicted of financing a terrorist organisation; transferred to Prison South.",
        "",
    ),
    (
        "Sofia",
        "Lindqvist",
        date(1998, 6, 30),
        "muni.coordinator",
        "jihadist",
        "other_offence",
        "community",
        "Returned from Syria after three years; convicted of a minor offence. Asks for help finding work and a flat.",
        "Returnee: include to plan housing, work and exit support together with probation.",
    ),
]

UNDER_TRIAGE = (
    "ps.casemanager",
    SubjectDetails(
        given_name="Ameera", family_name="Ben Ali", birth_date=date(1994, 3, 2), gender="female", nationality="NL"
    ),
    "jihadist",
    "none",
    "prison",
    "Letters to a detainee on the specialised wing, signed Ameera Ben Ali, praise life in the camp and ask him to "
    "'stay strong'. Intercepted by the prison's mail check.",
)

# (reporter, subject, extremism, offence, setting, description, days until the review, rationale, note)
MONITORED: list[tuple[Any, ...]] = [
    (
        "police.liaison",
        SubjectDetails(
            given_name="Lars", family_name="Visser", birth_date=date(1979, 5, 17), gender="male", nationality="NL"
        ),
        "right_wing",
        "none",
        "online",
        "Runs a chat group where members share accelerationist memes; no calls to violence seen so far.",
        30,
        "No offence and no concrete threat; the group is growing. Monitor and ask the police again in a month.",
        "Known to the municipality from neighbourhood complaints in 2021; no criminal record.",
    ),
    (
        "muni.coordinator",
        SubjectDetails(
            given_name="Jan", family_name="Janssen", birth_date=date(2004, 11, 8), gender="male", nationality="NL"
        ),
        "single_issue",
        "none",
        "school",
        "Student at the vocational college; threatened teachers over a climate measure and talks about sabotage.",
        5,
        "Young, no offence, school and family involved already. Review after the talk with his parents.",
        "School counsellor and parents meet him this week.",
    ),
]


def _exists(description: str) -> bool:
    return Signal.objects.filter(description=description).exists()


@transaction.atomic
def seed() -> str:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    analyst = users["cp.analyst"]
    created = 0
    for given, family, born, reporter, extremism, offence, setting, description, rationale in INCLUDED:
        person = Person.objects.filter(given_name=given, family_name=family, birth_date=born).first()
        if person is None or _exists(description):
            continue
        signal = do_report_signal(
            person=person,
            description=description,
            extremism_type=extremism,
            offence_type=offence,
            setting=setting,
            acting_user=users[reporter],
        )
        if rationale:
            do_triage_signal(signal, decision="include", rationale=rationale, acting_user=analyst)
        created += 1

    reporter, subject, extremism, offence, setting, description = UNDER_TRIAGE
    if not _exists(description):
        do_report_signal(
            subject=subject,
            description=description,
            extremism_type=extremism,
            offence_type=offence,
            setting=setting,
            acting_user=users[reporter],
        )
        created += 1

    for reporter, subject, extremism, offence, setting, description, days, rationale, note in MONITORED:
        if _exists(description):
            continue
        signal = do_report_signal(
            subject=subject,
            description=description,
            extremism_type=extremism,
            offence_type=offence,
            setting=setting,
            acting_user=users[reporter],
        )
        do_add_signal_note(signal, text=note, acting_user=analyst)
        do_create_person_from_signal(signal, acting_user=analyst)
        do_triage_signal(
            signal,
            decision="monitor",
            rationale=rationale,
            review_date=timezone.localdate() + timedelta(days=days),
            acting_user=analyst,
        )
        created += 1
    return f"{created} signals created"
