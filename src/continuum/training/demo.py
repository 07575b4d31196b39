"""Synthetic demo training (issue 16), through the actions. Idempotent; every record is invented.

- A small catalogue: gender awareness (24 months), trauma-informed practice (36), signals of
  radicalisation (24), handling media requests (never expires), intercultural competence (36), the
  certification for Continuum's MAR instrument (24) and train-the-trainer.
- Requirements: the assessors of the MAR instrument need its certification; the practitioners on
  a woman's case need gender awareness.
- Sessions: trauma-informed practice, held by the mental health clinician, which the exit worker
  attended (so the completion names the session); gender awareness planned in a month at Prison North.
- Completions: the probation officer is certified and trained in gender awareness; the Prison North
  psychologist's MAR certification has expired (so Amira's open review shows a gap and a warning).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from continuum.accounts.models import User
from continuum.assessments.models import Instrument
from continuum.training import actions
from continuum.training.choices import Topic
from continuum.training.models import Completion, Course, Requirement

MAR = "continuum-mar-spj"

# code, name, topic, validity in months, instrument
COURSES = [
    ("gender-awareness", "Gender awareness", Topic.GENDER_AWARENESS, 24, ""),
    ("trauma-informed", "Trauma-informed practice", Topic.TRAUMA_INFORMED, 36, ""),
    ("radicalisation-signals", "Signals of radicalisation", Topic.RADICALISATION_SIGNALS, 24, ""),
    ("media-handling", "Handling media requests", Topic.MEDIA_HANDLING, None, ""),
    ("intercultural", "Intercultural competence", Topic.INTERCULTURAL, 36, ""),
    ("mar-certification", "MAR instrument certification", Topic.INSTRUMENT_CERTIFICATION, 24, MAR),
    ("train-the-trainer", "Train the trainer", Topic.TRAIN_THE_TRAINER, None, ""),
]

# course, days from today (negative: held), trainers, place, who attended
SESSIONS = [
    ("trauma-informed", -250, ["mh.clinician"], "Exit Programme, meeting room", ["exit.worker"]),
    ("gender-awareness", 30, ["family.counsellor", "cp.coordinator"], "Prison North, training room", []),
]

# username, course, days ago
COMPLETIONS = [
    ("prob.officer", "mar-certification", 200),
    ("prob.officer", "gender-awareness", 300),
    ("pn.psychologist", "mar-certification", 900),  # 24 months: expired
    ("pn.casemanager", "gender-awareness", 120),
    ("pn.casemanager", "radicalisation-signals", 400),
    ("exit.worker", "intercultural", 500),
    ("muni.coordinator", "media-handling", 700),
    ("cp.coordinator", "train-the-trainer", 1000),
]


def seed() -> str:
    recorder = User.objects.select_related("organisation").filter(username="cp.coordinator").first()
    if recorder is None or Course.objects.exists():
        return "nothing (no demo users, or a catalogue already there)"
    has_mar = Instrument.objects.filter(code=MAR).exists()
    courses = {}
    for code, name, topic, months, instrument in COURSES:
        courses[code] = actions.do_create_course(
            code=code,
            name=name,
            topic=topic,
            validity_months=months,
            instrument=instrument if has_mar else "",
            acting_user=recorder,
        )
    if has_mar and not Requirement.objects.exists():
        actions.do_create_requirement(course=courses["mar-certification"], instrument=MAR, acting_user=recorder)
    if not Requirement.objects.filter(case_gender="female").exists():
        actions.do_create_requirement(course=courses["gender-awareness"], case_gender="female", acting_user=recorder)
    today = timezone.localdate()
    users = {
        u.username: u
        for u in User.objects.select_related("organisation").filter(
            username__in={c[0] for c in COMPLETIONS} | {n for s in SESSIONS for n in [*s[2], *s[4]]}
        )
    }
    for username, code, days in COMPLETIONS:
        if username in users:
            actions.do_record_completion(
                courses[code], user=users[username], completed_on=today - timedelta(days=days), acting_user=recorder
            )
    for code, days, trainers, place, attendees in SESSIONS:
        if not all(name in users for name in [*trainers, *attendees]):
            continue
        session = actions.do_create_session(
            courses[code],
            held_on=today + timedelta(days=days),
            trainers=[users[name] for name in trainers],
            place=place,
            acting_user=recorder,
        )
        for name in attendees:
            actions.do_record_attendance(session, user=users[name], attended=True, acting_user=recorder)
    return f"{len(courses)} courses and {Completion.objects.count()} completions created"
