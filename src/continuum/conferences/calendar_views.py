"""The calendar pages (issue 12): the secret calendar link (made, replaced, stopped, and the feed it
serves to calendar apps without a login), and cancelling one meeting of a recurring conference.

The feed behind a secret link is the user's calendar as they may see it now (``calendar_conferences``):
a wrong, replaced or stopped link is a 404 like any page that is not there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from continuum.accounts.http import AuthenticatedHttpRequest
from continuum.conferences import actions
from continuum.conferences.access import access_calendar_feed, access_conference, calendar_conferences
from continuum.conferences.calendar_feed import calendar_response
from continuum.conferences.forms import CancelOccurrenceForm
from continuum.lib.forms import message_action


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed of a secret calendar link, for calendar apps (no login, no session needed)."""
    feed = access_calendar_feed(token)
    # The calendar is its owner's: in their language (the kinds of meeting, the calendar's name), else the
    # deployment's, whatever the calendar app asks for (docs/conferences.md).
    with translation.override(feed.user.language or settings.LANGUAGE_CODE):
        return calendar_response(request, calendar_conferences(feed.user))


@login_required
@require_POST
def calendar_link_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make (or replace) the user's calendar link and show it, this once."""
    _feed, token = actions.do_create_calendar_feed(acting_user=request.user)
    link = request.build_absolute_uri(reverse("conferences:calendar_feed", args=[token]))
    return render(request, "conferences/calendar_link.html", {"link": link})


@login_required
@require_POST
def calendar_link_stop(request: AuthenticatedHttpRequest) -> HttpResponse:
    message_action(
        request,
        lambda: actions.do_stop_calendar_feed(acting_user=request.user),
        done=_("Your calendar link is stopped: calendar apps that use it get nothing more."),
    )
    return redirect("conferences:conference_list")


@login_required
@require_POST
def occurrence_cancel(request: AuthenticatedHttpRequest, conference_id: str) -> HttpResponse:
    conference = access_conference(request.user, conference_id)
    back = redirect(reverse("conferences:conference_detail", args=[conference.pk]) + "#meetings")
    form = CancelOccurrenceForm(request.POST)
    if not form.is_valid():
        if "confirm" in form.errors:
            messages.error(
                request, _("The meeting is not cancelled: tick the box to confirm that it should not take place.")
            )
        else:
            messages.error(
                request, _("The meeting is not cancelled: choose one of the next meetings, and keep the reason short.")
            )
        return back
    message_action(
        request,
        lambda: actions.do_cancel_occurrence(
            conference,
            occurs_on=form.cleaned_data["occurs_on"],
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        ),
        done=lambda c: (
            _("The meeting of %(day)s is cancelled. The participants' calendars drop it.")
            % {"day": date_format(c.occurs_on, "l j F Y")}
        ),
        failed=_("The meeting is not cancelled:") + " ",
    )
    return back
