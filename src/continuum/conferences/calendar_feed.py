"""The iCalendar feed of a user's conferences (RFC 5545, via the ``icalendar`` package).

A calendar is not a safe place for personal data: calendars are synchronised to phones and mail
servers, shared with assistants and kept for years. The feed therefore says only what kind of meeting
it is and who chairs it ("Case conference · Probation Service"), when, where, and a link to the
conference in Continuum; never its title (which may name a person), the cases on the agenda,
decisions or minutes. Times are on the local wall clock (``TZID``), as ``Conference.occurrences``
counts them, so a cancelled meeting's ``EXDATE`` names exactly the meeting the calendar app computes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from continuum.conferences.choices import Recurrence
from continuum.conferences.models import Conference

RRULES: dict[str, dict[str, object]] = {
    Recurrence.WEEKLY: {"FREQ": "WEEKLY"},
    Recurrence.EVERY_TWO_WEEKS: {"FREQ": "WEEKLY", "INTERVAL": 2},
    Recurrence.MONTHLY: {"FREQ": "MONTHLY"},
}


def event_summary(conference: Conference) -> str:
    """What a calendar shows of the meeting: its kind and its chair, never its title."""
    return f"{conference.get_kind_display()} · {conference.chair_organisation.name}"


def _cancelled_meetings(conference: Conference, start: datetime) -> list[datetime]:
    return [
        timezone.make_aware(datetime.combine(day, start.time()), start.tzinfo)
        for day in sorted(conference.cancelled_days)
    ]


def conference_calendar(conferences: Iterable[Conference], *, base_url: str) -> bytes:
    """The calendar of ``conferences`` (with ``chair_organisation`` and ``cancelled_occurrences`` at hand);
    ``base_url`` (``https://host``) makes each meeting's link to its page."""
    cal = Calendar()
    cal.add("prodid", "-//Continuum//Conferences//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("%(instance)s: conferences") % {"instance": settings.CONTINUUM_INSTANCE_NAME})
    now = timezone.now()
    for conference in conferences:
        start = timezone.localtime(conference.scheduled_at)
        event = Event()
        event.add("uid", f"{conference.pk}@continuum")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", start + conference.duration)
        event.add("summary", event_summary(conference))
        if conference.location:
            event.add("location", conference.location)
        event.add("description", f"{base_url}{conference.get_absolute_url()}")
        event.add("categories", [conference.get_kind_display()])
        rule = RRULES.get(conference.recurrence)
        if rule:
            event.add("rrule", vRecur(rule))
            cancelled = _cancelled_meetings(conference, start)
            if cancelled:
                event.add("exdate", cancelled)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def calendar_response(request: HttpRequest, conferences: Iterable[Conference]) -> HttpResponse:
    """The feed as a response, its links to Continuum's pages built from the request's host."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        conference_calendar(conferences, base_url=base_url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="conferences.ics"'
    return response
