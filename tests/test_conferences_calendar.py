"""The calendar (issue 12): the secret calendar link, what the feed holds and never holds, and
cancelling one meeting of a recurring conference. Allow and deny across organisation types with the
demo personas; the audit events; bounded queries.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from continuum.accounts import actions as account_actions
from continuum.audit.models import AuditEvent
from continuum.conferences import actions
from continuum.conferences.dashboard import conference_dashboard
from continuum.conferences.models import CalendarFeed, CancelledOccurrence, Conference
from tests.api_world import NOT_FOUND, RANDOM_ID
from tests.conference_world import schedule, user
from tests.pages import without_tokens

pytestmark = pytest.mark.django_db

# The chair's organisation is probation; the prison and the municipality take part; the exit programme
# and the police are members of Amira's case but not of the meeting.
CHAIR, PARTICIPANT, OUTSIDER = "prob.officer", "muni.coordinator", "exit.worker"
NAMED_TITLE = "Review of Amira Benali"

LINK = re.compile(r"http://testserver(/conferences/calendar/[A-Za-z0-9_-]+\.ics)")


def series(world, *, recurrence: str = "weekly", days: int = 2, **extra):
    """A meeting series chaired by probation, its first meeting ``days`` from now at 10:00."""
    first = timezone.localtime(timezone.now() + timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    values = {"title": NAMED_TITLE, "scheduled_at": first, "recurrence": recurrence, **extra}
    return schedule([world.case], by=CHAIR, chair="probation", **values)


def make_link(client) -> str:
    """Press "Create my calendar link" (or "Replace") and read the link off the page that shows it once."""
    response = client.post("/conferences/calendar-link/")
    assert response.status_code == 200
    found = LINK.search(response.content.decode())
    assert found is not None
    return found.group(1)


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def exdates(event) -> list[datetime]:
    value = event.get("exdate")
    if value is None:
        return []
    lists = value if isinstance(value, list) else [value]
    return [d.dt for item in lists for d in item.dts]


def day_of(conference: Conference, n: int) -> date:
    """The day of the ``n``-th coming meeting (0: the next)."""
    return conference.occurrences(count=n + 1, with_cancelled=True)[n].date()


def cancel(conference, occurs_on, by=CHAIR, reason=""):
    return actions.do_cancel_occurrence(conference, occurs_on=occurs_on, reason=reason, acting_user=user(by))


# --- the secret link --------------------------------------------------------------------------------------


def test_a_secret_link_serves_the_users_calendar_to_a_calendar_app_without_a_login(world, browser_as):
    conference = series(world)
    path = make_link(browser_as(PARTICIPANT))
    feed = events(Client().get(path))
    assert [str(e["uid"]) for e in feed] == [f"{conference.pk}@continuum"]
    assert CalendarFeed.objects.get(user=user(PARTICIPANT)).last_used_at is not None


def test_only_the_hash_of_the_token_is_stored(world, browser_as):
    path = make_link(browser_as(PARTICIPANT))
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=user(PARTICIPANT))
    assert len(token) >= 40
    assert token not in stored.token_hash
    assert not AuditEvent.objects.filter(detail__icontains=token).exists()


def test_a_replaced_link_stops_working_and_the_new_one_works(world, browser_as):
    series(world)
    client = browser_as(PARTICIPANT)
    old = make_link(client)
    new = make_link(client)
    assert old != new
    assert Client().get(old).status_code == 404
    assert len(events(Client().get(new))) == 1
    assert CalendarFeed.objects.filter(user=user(PARTICIPANT)).count() == 1


def test_a_stopped_link_answers_exactly_like_a_link_that_never_was(world, browser_as):
    series(world)
    client = browser_as(PARTICIPANT)
    path = make_link(client)
    assert client.post("/conferences/calendar-link/stop/").status_code == 302
    stopped = Client().get(path)
    wrong = Client().get("/conferences/calendar/" + "x" * 43 + ".ics")
    assert stopped.status_code == wrong.status_code == 404
    assert without_tokens(stopped.content.decode()) == without_tokens(wrong.content.decode())
    assert not CalendarFeed.objects.filter(user=user(PARTICIPANT)).exists()


@pytest.mark.parametrize("path", ["calendar/.ics", "calendar/abc.ics", f"calendar/{RANDOM_ID}.ics", "calendar/a.b.ics"])
def test_wrong_links_are_a_404(world, path):
    assert Client().get(f"/conferences/{path}").status_code == 404


def test_the_link_of_a_deactivated_user_serves_an_empty_calendar(world, browser_as):
    series(world)
    path = make_link(browser_as(PARTICIPANT))
    account_actions.do_update_user(user(PARTICIPANT), acting_user=user("admin"), is_active=False)
    assert events(Client().get(path)) == []


def test_the_link_of_a_user_whose_organisation_no_longer_takes_part_leaves_the_meeting_out(world, browser_as):
    series(world)
    path = make_link(browser_as(PARTICIPANT))
    moved = user(PARTICIPANT)
    account_actions.do_update_user(moved, acting_user=user("admin"), organisation=user(OUTSIDER).organisation)
    assert events(Client().get(path)) == []


def test_the_link_is_for_those_who_take_part_in_conferences(world, browser_as):
    for username in ("admin", "dpo", "evaluator"):
        assert browser_as(username).post("/conferences/calendar-link/").status_code == 403
    assert not CalendarFeed.objects.exists()


def test_making_replacing_and_stopping_the_link_are_audited(world, browser_as):
    client = browser_as(PARTICIPANT)
    make_link(client)
    make_link(client)
    client.post("/conferences/calendar-link/stop/")
    trail = list(
        AuditEvent.objects.filter(object_type="calendar_feed", actor_username=PARTICIPANT)
        .order_by("seq")
        .values_list("action", "detail")
    )
    assert trail == [("create", {"replaced": False}), ("update", {"replaced": True}), ("delete", {})]


def test_the_link_pages_need_a_post_with_its_csrf_token(world, persona):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(persona(PARTICIPANT))
    assert strict.get("/conferences/calendar-link/").status_code == 405
    assert strict.post("/conferences/calendar-link/").status_code == 403
    assert strict.post("/conferences/calendar-link/stop/").status_code == 403
    assert not CalendarFeed.objects.exists()


# --- what the feed holds ----------------------------------------------------------------------------------


def test_the_feed_says_the_kind_and_the_chair_never_the_title_cases_or_persons(world, browser_as, api_as):
    conference = series(world, title="Amira Benali and Bilal: case 2026-0001")
    schedule([world.case, world.other_case], by=CHAIR, chair="probation", title=NAMED_TITLE, kind="case_conference")
    secret = Client().get(make_link(browser_as(PARTICIPANT)))
    api = api_as(PARTICIPANT).get("/api/v1/conferences.ics")
    for response in (secret, api):
        feed = events(response)
        assert sorted(str(e["summary"]) for e in feed) == [
            "Case conference · Probation Service",
            "MAR meeting · Probation Service",
        ]
        assert f"http://testserver/conferences/{conference.pk}/" in {str(e["description"]) for e in feed}
        body = response.content.decode()
        for secret_word in ("Amira", "Benali", "Bilal", world.case.number, world.other_case.number):
            assert secret_word not in body
        assert world.amira.reference not in body


def test_the_feed_counts_meetings_on_the_local_wall_clock(world, browser_as):
    series(world)
    (event,) = events(Client().get(make_link(browser_as(PARTICIPANT))))
    start = event["dtstart"].dt
    assert str(start.tzinfo) == str(timezone.get_current_timezone())
    assert (start.hour, start.minute) == (10, 0)


# --- cancelling one meeting -------------------------------------------------------------------------------


def test_a_cancelled_meeting_leaves_the_calendar_as_an_exdate(world, browser_as):
    conference = series(world)
    second = day_of(conference, 1)
    cancel(conference, second, reason="Public holiday")
    (event,) = events(Client().get(make_link(browser_as(PARTICIPANT))))
    (excluded,) = exdates(event)
    assert excluded.date() == second and (excluded.hour, excluded.minute) == (10, 0)
    # What a calendar app computes from the rule and the exceptions: the series without that meeting.
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event["dtstart"].dt)
    meetings = [m.date() for m in rule[:4] if m not in exdates(event)]
    assert second not in meetings
    assert meetings[:2] == [day_of(conference, 0), day_of(conference, 2)]
    assert "Public holiday" not in Client().get(make_link(browser_as(PARTICIPANT))).content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("prob.officer", 201),  # the chair's organisation
        ("prob.officer2", 201),  # another of its users
        ("muni.coordinator", 403),  # a participant, not the chair
        ("pn.casemanager", 403),  # a participant, not the chair
        ("exit.worker", 404),  # a member of the case, not of the meeting
        ("police.liaison", 404),
        ("ps.casemanager", 404),
        ("dpo", 403),  # no conferences at all (R10)
    ],
)
def test_only_the_chairs_organisation_cancels_a_meeting(world, api_as, username, status):
    conference = series(world)
    day = day_of(conference, 1)
    response = api_as(username).post(
        f"/api/v1/conferences/{conference.pk}/cancelled-occurrences/", {"occurs_on": day.isoformat()}, format="json"
    )
    assert response.status_code == status
    assert CancelledOccurrence.objects.filter(conference=conference).exists() == (status == 201)
    if status == 201:
        assert response.json()["occurs_on"] == day.isoformat()
        assert response.json()["cancelled_by"] == username
    if status == 404:
        assert response.json() == NOT_FOUND


def test_participants_list_the_cancelled_meetings_and_others_get_a_404(world, api_as):
    conference = series(world)
    cancel(conference, day_of(conference, 1), reason="Public holiday")
    path = f"/api/v1/conferences/{conference.pk}/cancelled-occurrences/"
    listed = api_as(PARTICIPANT).get(path).json()
    assert [(r["occurs_on"], r["reason"]) for r in listed["results"]] == [
        (day_of(conference, 1).isoformat(), "Public holiday")
    ]
    assert api_as(OUTSIDER).get(path).json() == NOT_FOUND
    assert api_as(OUTSIDER).get(f"/api/v1/conferences/{RANDOM_ID}/cancelled-occurrences/").json() == NOT_FOUND


def _bad_days(conference) -> list[object]:
    next_day = day_of(conference, 0)
    return [
        (next_day + timedelta(days=1)).isoformat(),  # not a meeting day of the weekly series
        (next_day - timedelta(days=7)).isoformat(),  # before the first meeting
        "not-a-date",
        "2027-02-30",
        "",
        None,
        17,
        "99999-01-01",
        {"day": next_day.isoformat()},
    ]


def test_a_day_that_is_not_a_meeting_of_the_series_or_garbage_is_a_400_and_changes_nothing(world, api_as):
    conference = series(world)
    client = api_as(CHAIR)
    path = f"/api/v1/conferences/{conference.pk}/cancelled-occurrences/"
    events_before = AuditEvent.objects.exclude(action="read").count()
    for bad in _bad_days(conference):
        response = client.post(path, {"occurs_on": bad}, format="json")
        assert response.status_code == 400, bad
        assert "occurs_on" in response.json(), bad
    assert client.post(path, {}, format="json").status_code == 400
    long_reason = {"occurs_on": day_of(conference, 1).isoformat(), "reason": "x" * 501}
    assert "reason" in client.post(path, long_reason, format="json").json()
    assert not CancelledOccurrence.objects.exists()
    assert AuditEvent.objects.exclude(action="read").count() == events_before


def test_the_400_for_a_day_without_a_meeting_names_the_next_meetings(world, api_as):
    conference = series(world)
    wrong = day_of(conference, 0) + timedelta(days=3)
    response = api_as(CHAIR).post(
        f"/api/v1/conferences/{conference.pk}/cancelled-occurrences/", {"occurs_on": wrong.isoformat()}, format="json"
    )
    message = response.json()["occurs_on"][0]
    assert f"{wrong:%a %d %b %Y}" in message
    assert f"{day_of(conference, 0):%a %d %b %Y}" in message


def test_a_one_off_meeting_a_past_meeting_and_a_cancelled_one_cannot_be_cancelled(world):
    once = series(world, recurrence="none")
    with pytest.raises(ValidationError, match="does not repeat"):
        cancel(once, day_of(once, 0))
    started = series(world, days=-14)
    with pytest.raises(ValidationError, match="past"):
        cancel(started, timezone.localtime(started.scheduled_at).date())
    weekly = series(world)
    cancel(weekly, day_of(weekly, 1))
    with pytest.raises(ValidationError, match="already cancelled"):
        cancel(weekly, day_of(weekly, 1))
    assert CancelledOccurrence.objects.count() == 1


def test_cancelling_is_audited_without_the_reasons_words(world):
    conference = series(world)
    cancelled = cancel(conference, day_of(conference, 1), reason="The chair is on holiday")
    event = AuditEvent.objects.get(object_type="cancelled_occurrence", object_id=str(cancelled.pk))
    assert event.action == "create"
    assert event.actor_username == CHAIR
    assert event.detail == {
        "conference": str(conference.pk),
        "occurs_on": day_of(conference, 1).isoformat(),
        "with_reason": True,
    }
    assert "holiday" not in str(event.detail)


@pytest.mark.parametrize(
    ("recurrence", "first", "meets", "does_not"),
    [
        ("weekly", date(2027, 3, 4), [date(2027, 3, 11), date(2027, 10, 28)], [date(2027, 3, 5), date(2027, 2, 25)]),
        ("every_two_weeks", date(2027, 3, 4), [date(2027, 3, 18), date(2027, 4, 1)], [date(2027, 3, 11)]),
        ("monthly", date(2027, 1, 31), [date(2027, 2, 28), date(2027, 3, 31), date(2028, 2, 29)], [date(2027, 3, 28)]),
    ],
)
def test_a_series_meets_on_the_days_its_rule_gives(world, recurrence, first, meets, does_not):
    moment = timezone.make_aware(datetime.combine(first, datetime.min.time()).replace(hour=10))
    conference = Conference(scheduled_at=moment, recurrence=recurrence)
    assert conference.meets_on(first)
    assert all(conference.meets_on(day) for day in meets)
    assert not any(conference.meets_on(day) for day in does_not)


# --- the pages --------------------------------------------------------------------------------------------


def test_the_list_page_offers_to_create_then_to_replace_or_stop_the_link_and_never_shows_it_again(world, browser_as):
    client = browser_as(PARTICIPANT)
    page = client.get("/conferences/").content.decode()
    assert "Create my calendar link" in page
    assert "Replace my calendar link" not in page and "Stop my calendar link" not in page
    path = make_link(client)
    page = client.get("/conferences/").content.decode()
    assert "Replace my calendar link" in page and "Stop my calendar link" in page
    assert "Create my calendar link" not in page
    assert path not in page
    client.post("/conferences/calendar-link/stop/")
    assert "Create my calendar link" in client.get("/conferences/").content.decode()


def test_the_chair_sees_cancel_this_meeting_and_others_do_not(world, browser_as):
    conference = series(world)
    page = browser_as(CHAIR).get(f"/conferences/{conference.pk}/").content.decode()
    assert page.count("Cancel this meeting") >= 4
    assert "Yes, cancel the meeting of" in page
    for username in (PARTICIPANT, "pn.casemanager"):
        assert "Cancel this meeting" not in browser_as(username).get(f"/conferences/{conference.pk}/").content.decode()
    once = series(world, recurrence="none")
    assert "Cancel this meeting" not in browser_as(CHAIR).get(f"/conferences/{once.pk}/").content.decode()


def test_the_chair_cancels_a_meeting_on_its_page_with_the_confirmation_and_it_shows_cancelled(world, browser_as):
    conference = series(world)
    second = day_of(conference, 1)
    client = browser_as(CHAIR)
    path = f"/conferences/{conference.pk}/cancelled-meetings/"
    unconfirmed = client.post(path, {"occurs_on": second.isoformat()}, follow=True)
    assert "tick the box" in unconfirmed.content.decode()
    assert not CancelledOccurrence.objects.exists()
    done = client.post(
        path, {"occurs_on": second.isoformat(), "reason": "Public holiday", "confirm": "yes"}, follow=True
    )
    page = done.content.decode()
    assert "is cancelled" in page
    assert "<strong>Cancelled</strong>" in page and "Public holiday" in page
    participant = browser_as(PARTICIPANT).get(f"/conferences/{conference.pk}/").content.decode()
    assert "<strong>Cancelled</strong>" in participant


def test_a_wrong_day_on_the_page_is_refused_with_the_reason(world, browser_as):
    conference = series(world)
    wrong = day_of(conference, 0) + timedelta(days=1)
    response = browser_as(CHAIR).post(
        f"/conferences/{conference.pk}/cancelled-meetings/",
        {"occurs_on": wrong.isoformat(), "confirm": "yes"},
        follow=True,
    )
    assert "The meeting is not cancelled: This conference has no meeting on" in response.content.decode()
    assert not CancelledOccurrence.objects.exists()


def test_a_garbled_day_on_the_page_is_refused_without_an_error_page(world, browser_as):
    conference = series(world)
    path = f"/conferences/{conference.pk}/cancelled-meetings/"
    for day in ("not-a-date", "2027-02-30", ""):
        response = browser_as(CHAIR).post(path, {"occurs_on": day, "confirm": "yes"}, follow=True)
        assert response.status_code == 200
        assert "choose one of the next meetings" in response.content.decode()
    assert not CancelledOccurrence.objects.exists()


def test_cancelling_on_the_page_is_a_403_for_participants_and_a_404_for_others(world, browser_as):
    conference = series(world)
    data = {"occurs_on": day_of(conference, 1).isoformat(), "confirm": "yes"}
    path = f"/conferences/{conference.pk}/cancelled-meetings/"
    assert browser_as(PARTICIPANT).post(path, data).status_code == 403
    assert browser_as(OUTSIDER).post(path, data).status_code == 404
    assert browser_as(OUTSIDER).post(f"/conferences/{RANDOM_ID}/cancelled-meetings/", data).status_code == 404
    assert not CancelledOccurrence.objects.exists()


def test_the_next_seven_days_skip_a_cancelled_meeting(world, browser_as):
    conference = series(world)
    client = browser_as(PARTICIPANT)
    assert [c.pk for _when, c in client.get("/conferences/").context["this_week"]] == [conference.pk]
    cancel(conference, day_of(conference, 0))
    listed = client.get("/conferences/").context
    assert listed["this_week"] == []
    assert [(when.date(), c.pk) for when, c in listed["upcoming"]] == [(day_of(conference, 1), conference.pk)]
    assert conference_dashboard(user(PARTICIPANT))["conference_summary"]["this_week"] == []
    assert Conference.objects.get(pk=conference.pk).next_meeting.date() == day_of(conference, 1)


# --- queries ----------------------------------------------------------------------------------------------


def test_the_feed_costs_at_most_4_queries_whatever_the_number_of_meetings_and_cancellations(
    world, browser_as, django_assert_max_num_queries
):
    path = make_link(browser_as(PARTICIPANT))
    series(world)
    anonymous = Client()
    anonymous.get(path)  # its use is noted (one write), then not again within the minute
    with django_assert_max_num_queries(4):
        assert len(events(anonymous.get(path))) == 1
    for days in range(3, 10):
        conference = series(world, days=days, recurrence="every_two_weeks" if days % 2 else "weekly")
        cancel(conference, day_of(conference, 1))
        cancel(conference, day_of(conference, 2))
    with django_assert_max_num_queries(4):
        assert len(events(anonymous.get(path))) == 8
