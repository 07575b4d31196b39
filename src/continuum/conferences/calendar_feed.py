"""The iCalendar feed of a user's conferences (RFC 5545, via the ``icalendar`` package).

A calendar is not a safe place for personal data: calendars are synchronised to phones and mail
servers, shared with assistants and kept for years. The feed therefore says only what the meeting is
(title, kind), when, where, and who chairs it; never the cases on the agenda, decisions or minutes.
Schedulers are told on the form to keep names out of the title.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from continuum.conferences.choices import Recurrence
from continuum.conferences.models import Conference

RRULES: dict[str, dict[str, object]] = {
    Recurrence.WEEKLY: {"FREQ": "WEEKLY"},
    Recurrence.EVERY_TWO_WEEKS: {"FREQ": "WEEKLY", "INTERVAL": 2},
    Recurrence.MONTHLY: {"FREQ": "MONTHLY"},
}


def conference_calendar(conferences: Iterable[Conference]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Continuum//Conferences//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{settings.CONTINUUM_INSTANCE_NAME}: conferences")
    now = timezone.now()
    for conference in conferences:
        event = Event()
        event.add("uid", f"{conference.pk}@continuum")
        event.add("dtstamp", now)
        event.add("dtstart", conference.scheduled_at)
        event.add("dtend", conference.scheduled_at + conference.duration)
        event.add("summary", f"{conference.title} ({conference.get_kind_display()})")
        if conference.location:
            event.add("location", conference.location)
        event.add("description", f"Chair: {conference.chair_organisation.name}")
        event.add("categories", [conference.get_kind_display()])
        rule = RRULES.get(conference.recurrence)
        if rule:
            event.add("rrule", vRecur(rule))
        cal.add_component(event)
    return bytes(cal.to_ical())
