"""The signal pages (issue 4): reporting and "my signals" for reporting organisations; the triage queue,
the signal page, the monitoring list and the overview for the central point; navigation and home.

Every page is tested for who may and who may not, across organisation types (STYLE.md 7).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.cases.models import Case, CaseMember
from continuum.people.models import Person
from continuum.signals.actions import do_add_signal_note, do_confirm_match, do_triage_signal
from continuum.signals.models import Signal, SignalNote
from tests.signals_world import CENTRAL_POINT, NEITHER, REPORTERS, al_hassan, report

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-4000-8000-000000000000"


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def nav(response) -> str:
    page = response.content.decode()
    start = page.index('<nav aria-label="Main">')
    return page[start : page.index("</nav>", start)]


def report_data(**overrides):
    data = {
        "given_name": "Mohammed",
        "family_name": "Alhasan",
        "birth_date": "1994-03-02",
        "gender": "male",
        "nationality": "NL",
        "description": "Tried to recruit two fellow detainees.",
        "extremism_type": "jihadist",
        "offence_type": "none",
        "setting": "prison",
    }
    data.update(overrides)
    return data


# --- Reporting ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", REPORTERS)
def test_members_of_reporting_organisations_report_a_signal_from_the_form(browser_as, persona, username):
    client = browser_as(username)
    form = client.get("/signals/report/")
    assert form.status_code == 200
    assert 'name="person"' not in main(form)  # no search for known persons (R12)
    response = client.post("/signals/report/", report_data())
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/signals/{signal.pk}/"
    assert signal.author_org == persona(username).organisation and signal.channel == "form"
    page = client.get(response["Location"])
    assert "is sent to the central point" in page.content.decode()
    assert "Tried to recruit" in main(page) and "Decide" not in main(page)


@pytest.mark.parametrize("username", [*CENTRAL_POINT, *NEITHER])
def test_the_report_form_is_forbidden_to_others(browser_as, username):
    client = browser_as(username)
    assert client.get("/signals/report/").status_code == 403
    assert client.post("/signals/report/", report_data()).status_code == 403
    assert not Signal.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(demo_world, client):
    for url in ("/signals/", "/signals/report/", "/signals/mine/", f"/signals/{MISSING}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "This field is required."),
        ("description", "", "This field is required."),
        ("birth_date", "2999-01-01", "cannot be in the future"),
        ("extremism_type", "anarchist", "Select a valid choice."),
    ],
)
def test_a_bad_report_is_explained_and_nothing_is_saved(browser_as, field, value, message):
    response = browser_as("pn.casemanager").post("/signals/report/", report_data(**{field: value}))
    assert response.status_code == 200
    assert message in main(response)
    assert not Signal.objects.exists()


def test_a_terrorist_offence_is_included_at_once_and_the_reporter_is_told(browser_as):
    client = browser_as("pn.casemanager")
    response = client.post("/signals/report/", report_data(offence_type="terrorist_offence"), follow=True)
    assert "included in the multi-agency approach at once" in response.content.decode()
    signal = Signal.objects.get()
    assert signal.status == "included" and signal.case is not None
    assert "Open the case" in main(response)


def test_my_signals_lists_the_organisations_signals_and_no_others(browser_as, persona):
    own = report(persona, "pn.casemanager", given="Karim")
    colleague = report(persona, "pn.security", given="Omar")
    other = report(persona, "ps.casemanager", given="Ziad")
    page = main(browser_as("pn.casemanager").get("/signals/mine/"))
    assert own.reference in page and colleague.reference in page
    assert "Ziad" not in page and f"/signals/{other.pk}/" not in page


@pytest.mark.parametrize("username", [*CENTRAL_POINT, *NEITHER])
def test_my_signals_is_forbidden_to_those_who_do_not_report(browser_as, username):
    assert browser_as(username).get("/signals/mine/").status_code == 403


# --- The triage queue -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CENTRAL_POINT)
def test_the_queue_shows_new_signals_oldest_first_with_their_likely_duplicates(browser_as, persona, username):
    person = al_hassan(persona)
    first = report(persona, "police.liaison", given="Karim", family="Haddad")
    second = report(persona, "pn.casemanager")
    decided = report(persona, "muni.coordinator", given="Finished")
    do_triage_signal(decided, decision="no_action", rationale="Nothing.", acting_user=persona("cp.analyst"))
    page = main(browser_as(username).get("/signals/"))
    assert page.index(first.reference) < page.index(second.reference)
    assert "Finished" not in page
    assert person.reference in page and "Muhammad Al-Hassan" in page


@pytest.mark.parametrize("username", [*REPORTERS, *NEITHER])
def test_the_queue_is_forbidden_to_everyone_but_the_central_point(browser_as, persona, username):
    report(persona, "pn.casemanager")
    assert browser_as(username).get("/signals/").status_code == 403


def test_the_queue_costs_the_same_number_of_queries_for_more_signals(browser_as, persona):
    al_hassan(persona)
    report(persona, "pn.casemanager")
    linked = report(persona, "police.liaison", given="Linked")
    do_confirm_match(linked, person=al_hassan(persona), acting_user=persona("cp.analyst"))
    client = browser_as("cp.analyst")
    client.get("/signals/")
    with CaptureQueriesContext(connection) as few:
        client.get("/signals/")
    for i in range(10):
        report(persona, "prob.officer", given=f"Extra{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/signals/")
    assert "Extra9" in main(response)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_signal_waiting_for_its_case_is_shown_at_the_top(browser_as, persona, settings):
    """Without a configured central point the rule cannot open the case: the signal waits on top."""
    settings.CONTINUUM_CENTRAL_POINT = "no-such-organisation"
    signal = report(persona, "police.liaison", offence_type="terrorist_offence")
    page = main(browser_as("cp.analyst").get("/signals/"))
    assert "Included automatically: open the case" in page
    assert page.index(signal.reference) < page.index("Waiting for triage")


# --- The signal page -----------------------------------------------------------------------------------------


def test_the_central_point_sees_candidates_notes_and_the_decision_form(browser_as, persona):
    person = al_hassan(persona)
    signal = report(persona, "pn.casemanager")
    do_add_signal_note(signal, text="Known from a 2023 investigation.", acting_user=persona("cp.coordinator"))
    page = main(browser_as("cp.analyst").get(f"/signals/{signal.pk}/"))
    assert "Muhammad Al-Hassan" in page and person.reference in page
    assert "Confirm the match with Muhammad Al-Hassan" in page
    assert "Known from a 2023 investigation." in page
    assert "Record the decision" in page and "register a new person" in page
    assert "The central point reads every signal, to triage it." in page


def test_the_reporter_sees_its_signal_without_the_central_points_work(browser_as, persona):
    al_hassan(persona, "pn.casemanager")
    signal = report(persona, "pn.casemanager")
    do_add_signal_note(signal, text="Secret enrichment.", acting_user=persona("cp.analyst"))
    page = main(browser_as("pn.security").get(f"/signals/{signal.pk}/"))
    assert signal.reference in page and "Praised an attack" in page
    for hidden in ("Secret enrichment.", "Record the decision", "Confirm the match", "register a new person"):
        assert hidden not in page


@pytest.mark.parametrize(
    "username",
    ["ps.casemanager", "prob.officer", "police.liaison", "muni.coordinator", "exit.worker", "cw.worker", *NEITHER],
)
def test_the_signal_page_is_not_found_for_anyone_else(browser_as, persona, username):
    signal = report(persona, "pn.casemanager")
    client = browser_as(username)
    hidden = client.get(f"/signals/{signal.pk}/")
    missing = client.get(f"/signals/{MISSING}/")
    assert hidden.status_code == missing.status_code == 404
    assert main(hidden) == main(missing)


def test_the_analyst_confirms_a_match_and_includes_the_person(browser_as, persona):
    person = al_hassan(persona)
    signal = report(persona, "pn.casemanager")
    client = browser_as("cp.analyst")
    response = client.post(f"/signals/{signal.pk}/match/", {"person": str(person.pk)}, follow=True)
    assert "is linked to Muhammad Al-Hassan" in response.content.decode()
    response = client.post(
        f"/signals/{signal.pk}/triage/", {"decision": "include", "rationale": "Recruiting."}, follow=True
    )
    signal.refresh_from_db()
    case = Case.objects.get(pk=signal.case_id)
    assert f"included: case {case.number}" in response.content.decode()
    assert case.person == person and case.lead_organisation.slug == "prison-north"
    assert CaseMember.objects.filter(case=case, organisation__slug="central-point", until__isnull=True).exists()


def test_the_analyst_registers_a_new_person_and_adds_a_note(browser_as, persona):
    signal = report(persona, "pn.casemanager")
    client = browser_as("cp.coordinator")
    response = client.post(f"/signals/{signal.pk}/new-person/", follow=True)
    assert "is registered as P-" in response.content.decode()
    signal.refresh_from_db()
    assert Person.objects.get(pk=signal.person_id).family_name == "Alhasan"
    client.post(f"/signals/{signal.pk}/notes/", {"text": "Called the prison."})
    assert SignalNote.objects.get().text == "Called the prison."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "monitor", "rationale": "Watch."}, "A monitored signal needs a review date."),
        ({"decision": "monitor", "rationale": "Watch.", "review_date": "2001-01-01"}, "must be in the future"),
        ({"decision": "include", "rationale": ""}, "This field is required."),
        ({"rationale": "No decision."}, "This field is required."),
    ],
)
def test_a_bad_decision_is_explained_and_nothing_changes(browser_as, persona, data, message):
    signal = report(persona, "pn.casemanager")
    response = browser_as("cp.analyst").post(f"/signals/{signal.pk}/triage/", data)
    assert response.status_code == 200 and message in main(response)
    signal.refresh_from_db()
    assert signal.status == "new" and signal.triaged_at is None
    assert not Case.objects.exists()


def test_an_empty_note_is_explained_and_not_saved(browser_as, persona):
    signal = report(persona, "pn.casemanager")
    response = browser_as("cp.analyst").post(f"/signals/{signal.pk}/notes/", {"text": ""})
    assert response.status_code == 200 and "This field is required." in main(response)
    assert not SignalNote.objects.exists()


@pytest.mark.parametrize("action", ["triage", "match", "new-person", "notes"])
def test_the_central_points_actions_are_403_for_the_reporter_and_404_for_others(browser_as, persona, action):
    person = al_hassan(persona, "pn.casemanager")
    signal = report(persona, "pn.casemanager")
    data = {"decision": "no_action", "rationale": "Mine.", "person": str(person.pk), "text": "Mine."}
    assert browser_as("pn.casemanager").post(f"/signals/{signal.pk}/{action}/", data).status_code == 403
    for username in ("ps.casemanager", "dpo", "evaluator"):
        assert browser_as(username).post(f"/signals/{signal.pk}/{action}/", data).status_code == 404
    signal.refresh_from_db()
    assert signal.status == "new" and signal.person_id is None and not SignalNote.objects.exists()


# --- Monitoring and overview ------------------------------------------------------------------------------------


def monitor(persona, signal, days):
    do_triage_signal(
        signal,
        decision="monitor",
        rationale="Watch.",
        review_date=timezone.localdate() + timedelta(days=days),
        acting_user=persona("cp.analyst"),
    )


def test_the_monitoring_list_orders_by_review_date_and_marks_overdue_reviews(browser_as, persona):
    later = report(persona, "police.liaison", given="Later")
    overdue = report(persona, "muni.coordinator", given="Overdue")
    monitor(persona, later, 40)
    monitor(persona, overdue, 3)
    # Time passes: the review date of one is now behind us.
    Signal.objects.filter(pk=overdue.pk).update(review_date=timezone.localdate() - timedelta(days=2))
    page = main(browser_as("cp.coordinator").get("/signals/monitoring/"))
    assert page.index("Overdue Alhasan") < page.index("Later Alhasan")
    row = page[page.index("row--due") : page.index("Overdue Alhasan")]
    assert ">Overdue<" in row


@pytest.mark.parametrize("url", ["/signals/monitoring/", "/signals/overview/"])
@pytest.mark.parametrize("username", [*REPORTERS[:4], *NEITHER])
def test_monitoring_and_overview_are_for_the_central_point_only(browser_as, username, url):
    assert browser_as(username).get(url).status_code == 403


def test_the_overview_counts_by_status_phase_extremism_and_gender(browser_as, persona):
    included = report(persona, "pn.casemanager", offence_type="terrorist_offence", gender="female")
    report(persona, "police.liaison", given="Waiting")
    monitor(persona, report(persona, "muni.coordinator", given="Watched"), 5)
    response = browser_as("cp.analyst").get("/signals/overview/")
    page = main(response)
    assert response.status_code == 200
    assert "Triage backlog" in page and "Monitoring reviews" in page
    assert included.status == "included"
    # One custody case of a jihadist signal, about a woman.
    assert "1 case in all" in page
    assert '<th scope="row">Custody</th><td>1</td>' in page.replace("\n", "")


# --- Navigation, home, demo ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", REPORTERS)
def test_reporters_see_report_and_my_signals_in_the_navigation(browser_as, username):
    links = nav(browser_as(username).get("/"))
    assert "Report a signal" in links and "My signals" in links and "Triage queue" not in links


@pytest.mark.parametrize("username", CENTRAL_POINT)
def test_the_central_point_sees_the_queue_and_its_summary(browser_as, persona, username):
    report(persona, "pn.casemanager")
    response = browser_as(username).get("/")
    links = nav(response)
    assert "Triage queue" in links and "Monitoring" in links and "Report a signal" not in links
    assert "Signals at the central point" in main(response)


@pytest.mark.parametrize("username", NEITHER)
def test_others_see_no_signal_links(browser_as, username):
    response = browser_as(username).get("/")
    assert "signal" not in nav(response).lower()
    assert "/signals/" not in main(response)


def test_the_demo_signals_are_idempotent_and_show_a_transliterated_duplicate(browser_as):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Signal.objects.count() == 7
    assert Signal.objects.filter(status="included", case__isnull=False).count() == 4
    assert Signal.objects.filter(status="monitoring", review_date__isnull=False).count() == 2
    waiting = Signal.objects.get(status="new")
    assert waiting.author_org.slug == "prison-south" and waiting.person_id is None
    page = main(browser_as("cp.analyst").get(f"/signals/{waiting.pk}/"))
    assert "Amira Benali" in page and "Confirm the match with Amira Benali" in page
    # Prison South is told of no person it may not see.
    assert "Amira Benali" not in main(browser_as("ps.casemanager").get(f"/signals/{waiting.pk}/"))
