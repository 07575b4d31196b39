"""Synthetic demo mentoring (issue 16), through the actions. Idempotent; every record is invented.

- Youssef Amrani (mentor.one, Mentor Network): a former, vetted, speaking Dutch, English and
  Croatian, with experience of right-wing extremism and young people, room for two mentees; a
  supervision last month.
- Daniel Kovac's case (probation leads; Mentor Network is a member already): matched with him by
  prob.officer, both consents recorded, and two sessions written by mentor.one.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from continuum.accounts.models import User
from continuum.cases.models import Case
from continuum.mentoring import actions
from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile

SESSIONS = [
    (20, "First meeting in a café near his home. Talked about football and the vocational school."),
    (6, "Visited the vocational school together; he asked about the welding course."),
]


def seed() -> str:
    users = {
        u.username: u
        for u in User.objects.select_related("organisation").filter(
            username__in=["mentor.one", "cp.coordinator", "prob.officer"]
        )
    }
    daniel = (
        Case.objects.select_related("person").filter(person__given_name="Daniel", person__family_name="Kovac").first()
    )
    if len(users) < 3 or daniel is None:
        return "nothing (no demo users or no case of Daniel Kovac)"
    today = timezone.localdate()
    profile = MentorProfile.objects.filter(user=users["mentor.one"]).first()
    if profile is None:
        profile = actions.do_create_profile(
            user=users["mentor.one"],
            type="former",
            languages=["nl", "en", "hr"],
            gender="male",
            experience=["right_wing", "young_people"],
            capacity=2,
            max_risk_level="medium",
            vetted_on=today - timedelta(days=200),
            disengagement_reviewed_on=today - timedelta(days=230),
            disengagement_note="Left the movement nine years ago; reviewed by the central point.",
            acting_user=users["cp.coordinator"],
        )
    if not profile.supervisions.exists():
        actions.do_record_supervision(
            profile,
            held_on=today - timedelta(days=30),
            supervisor="Mentor Network supervisor",
            note="Discussed boundaries and the first weeks with Daniel.",
            acting_user=users["cp.coordinator"],
        )
    match = Mentoring.objects.filter(case=daniel, mentor=profile).first()
    if match is None:
        match = actions.do_match(
            daniel,
            mentor=profile,
            mentee_consent_on=today - timedelta(days=25),
            mentor_consent_on=today - timedelta(days=24),
            started_on=today - timedelta(days=22),
            acting_user=users["prob.officer"],
        )
    if not MentoringSession.objects.filter(mentoring=match).exists():
        for days, note in SESSIONS:
            actions.do_record_mentoring_session(
                match, held_on=today - timedelta(days=days), note=note, acting_user=users["mentor.one"]
            )
    return f"1 mentor profile, 1 match and {MentoringSession.objects.filter(mentoring=match).count()} sessions"
