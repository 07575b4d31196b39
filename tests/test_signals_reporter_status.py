"""A monitored signal back in the queue (a new signal about the same person) looks unchanged to its
reporter, on the pages and in the API (issue 12, a debt): the reporter sees "monitoring" until the
central point decides again, so it cannot infer that someone else reported the person (R12).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from continuum.signals.actions import do_confirm_match, do_triage_signal
from tests.signals_world import al_hassan, report

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals/"


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def requeued(persona):
    """Police reported a signal, monitored; Prison North's signal about the same person puts it back."""
    person = al_hassan(persona)
    cp = persona("cp.analyst")
    first = report(persona, "police.liaison")
    do_confirm_match(first, person=person, acting_user=cp)
    review = timezone.localdate() + timedelta(days=60)
    do_triage_signal(first, decision="monitor", rationale="Watch.", review_date=review, acting_user=cp)
    second = report(persona, "pn.casemanager")
    do_confirm_match(second, person=person, acting_user=cp)
    first.refresh_from_db()
    assert first.status == "new"  # back in the queue, for the central point
    return first


def test_the_reporter_still_sees_monitored_in_the_api(api_as, requeued):
    reporter = api_as("police.liaison")
    assert reporter.get(f"{URL}{requeued.pk}/").json()["status"] == "monitoring"
    listed = {s["id"]: s["status"] for s in reporter.get(URL).json()["results"]}
    assert listed[str(requeued.pk)] == "monitoring"


def test_the_reporters_status_filter_finds_it_as_monitored_not_as_new(api_as, requeued):
    reporter = api_as("police.liaison")
    assert str(requeued.pk) in {s["id"] for s in reporter.get(URL, {"status": "monitoring"}).json()["results"]}
    assert str(requeued.pk) not in {s["id"] for s in reporter.get(URL, {"status": "new"}).json()["results"]}


def test_the_central_point_sees_it_back_in_the_queue(api_as, browser_as, requeued):
    assert api_as("cp.analyst").get(f"{URL}{requeued.pk}/").json()["status"] == "new"
    assert str(requeued.pk) in {s["id"] for s in api_as("cp.analyst").get(URL, {"status": "new"}).json()["results"]}
    assert "Waiting for triage" in main(browser_as("cp.analyst").get(f"/signals/{requeued.pk}/"))


def test_the_reporter_still_sees_monitored_on_its_pages(browser_as, requeued):
    client = browser_as("police.liaison")
    for url in (f"/signals/{requeued.pk}/", "/signals/mine/"):
        page = main(client.get(url))
        assert "Monitored" in page and "Waiting for triage" not in page


def test_a_new_decision_is_shown_to_the_reporter_as_usual(api_as, persona, requeued):
    do_triage_signal(requeued, decision="no_action", rationale="Nothing more.", acting_user=persona("cp.analyst"))
    assert api_as("police.liaison").get(f"{URL}{requeued.pk}/").json()["status"] == "no_action"


def test_a_signal_never_decided_is_new_for_its_reporter(api_as, persona):
    signal = report(persona, "police.liaison")
    assert api_as("police.liaison").get(f"{URL}{signal.pk}/").json()["status"] == "new"
