"""Synthetic demo lessons learned (issue 17), through the actions. Idempotent. Every story is invented.

The statistics' demo cohort is ``continuum seed_cohort`` (``cohort.py``), not part of ``seed_demo``:
150 more cases would slow every test that seeds the demo world.
"""

from __future__ import annotations

from django.db import transaction

from continuum.accounts.models import User
from continuum.insights.actions import do_write_lesson
from continuum.insights.models import Lesson

# (author, kind, language, title, text, phases, topics)
LESSONS = [
    (
        "pn.casemanager",
        "good_practice",
        "en",
        "Invite the municipality from the first day in prison",
        "We asked the municipality the person will return to into the case team in the first month of custody, "
        "not in the last. Housing and benefits were settled weeks before release, and the person knew the "
        "coordinator by name when the gate opened.",
        ["custody", "pre_release"],
        ["release", "multi_agency"],
    ),
    (
        "prob.officer",
        "failure",
        "en",
        "A release on a Friday afternoon",
        "The release date moved to a Friday at short notice. The probation appointment, the bank and the "
        "housing office were closed until Monday; the first 72 hours had no plan. Check the weekday of the "
        "release date and keep a gate plan for the weekend.",
        ["pre_release", "probation"],
        ["release"],
    ),
    (
        "exit.worker",
        "good_practice",
        "nl",
        "Eerst kleine doelen, dan de grote vragen",
        "In de groep begonnen we met één ding dat ieder deze maand anders doet. Pas daarna kwamen de vragen "
        "over geloof en geweld. Deelnemers bleven komen omdat ze iets haalbaars hadden bereikt.",
        ["custody"],
        ["disengagement"],
    ),
    (
        "cw.worker",
        "good_practice",
        "de",
        "Kinder nie als Druckmittel",
        "Wir haben im Fallteam vereinbart, dass Besuche der Kinder nie an das Verhalten der Mutter geknüpft "
        "werden. Das Jugendamt entscheidet über das Kindeswohl; das hat Vertrauen geschaffen.",
        ["custody"],
        ["family"],
    ),
]


@transaction.atomic
def seed() -> str:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    added = 0
    for author, kind, language, title, text, phases, topics in LESSONS:
        if Lesson.objects.filter(title=title).exists():
            continue
        do_write_lesson(
            kind=kind,
            title=title,
            text=text,
            phases=phases,
            topics=topics,
            language=language,
            acting_user=users[author],
        )
        added += 1
    return f"{added} lessons learned added"
