"""The conference pages in Dutch, German and French (issue 13): headings, buttons, form labels, choice
labels, messages and dates in the reader's language; what people wrote stays as written. The meeting
pack printed in another language (``?language=``, e.g. the person's) shows the same records to the same
readers, and an unknown language is a 400, never a 500. The calendar feed is in its owner's language.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar
from pypdf import PdfReader

from continuum.accounts.models import User
from continuum.conferences.pack import language_code_of
from continuum.people.models import Person
from continuum.sharing.choices import Access, Category
from continuum.sharing.models import PolicyRule
from tests.api_world import NOT_FOUND
from tests.conference_world import acknowledge, schedule, user

pytestmark = pytest.mark.django_db

LANGUAGES = ["nl", "de", "fr"]
PARTICIPANTS = ["prison-north", "probation", "police", "exit-ngo", "mental-health"]
READERS = ["prob.officer", "police.liaison", "exit.worker"]
# Titles of Amira's entries (tests/api_world.py) the police may not read (R6 and the matrix).
HIDDEN_FROM_POLICE = ["Exit session", "Trauma therapy", "Foster placement", "Risk review"]
TITLE = "Thursday MAR about housing"


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def when(value, language: str, name: str = "SHORT_DATETIME_FORMAT") -> str:
    with translation.override(language):
        return date_format(timezone.localtime(value), name)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def conference(world):
    conference = schedule([world.case, world.other_case], PARTICIPANTS, by="prob.officer", chair="probation")
    conference.title = TITLE
    conference.save(update_fields=["title"])
    acknowledge(conference, *READERS)
    return conference


# --- the pages in each language -----------------------------------------------------------------------------

LIST = {
    "nl": ["Overleggen", "Overleg plannen", "De komende zeven dagen", "Mijn agendalink", "MAR-overleg", "Voorzitter"],
    "de": [
        "Konferenzen",
        "Konferenz planen",
        "Die nächsten sieben Tage",
        "Mein Kalenderlink",
        "MAR-Sitzung",
        "Vorsitz",
    ],
    "fr": ["Réunions", "Planifier une réunion", "Les sept prochains jours", "Mon lien d'agenda", "Réunion MAR"],
}
ENGLISH_LIST = ["Schedule a conference", "The next seven days", "My calendar link", "Create my calendar link"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_speaks_the_language_of_the_browser(world, conference, browser_as, language):
    page = main(browser_as("prob.officer").get("/conferences/", HTTP_ACCEPT_LANGUAGE=language))
    for text in LIST[language]:
        assert text in page, (language, text)
    for text in ENGLISH_LIST:
        assert text not in page, (language, text)
    # The meeting's day and time in the language's own format; its title as written.
    assert when(conference.scheduled_at, language) in page
    assert f'translate="no">{TITLE}</a>' in page


def test_dutch_dates_have_dutch_months(world, browser_as):
    now = timezone.localtime()
    meeting = now.replace(year=now.year + 1, month=12, day=15, hour=10, minute=0, second=0, microsecond=0)
    conference = schedule([world.case], by="prob.officer", chair="probation", scheduled_at=meeting)
    acknowledge(conference, "prob.officer")
    page = main(browser_as("prob.officer").get(f"/conferences/{conference.pk}/", HTTP_ACCEPT_LANGUAGE="nl"))
    # Django's Dutch month abbreviation ("dec", docs/languages.md says "dec."), the Dutch weekday.
    assert f"wo 15 dec {meeting.year}, 10:00" in page or f"wo 15 dec. {meeting.year}, 10:00" in page
    assert "Dec " not in page and "Wed " not in page


DETAIL = {
    "nl": [
        "Aanwezigheid",
        "Ik neem deel aan deze bijeenkomst",
        "Mijn vergaderstukken",
        "Agenda",
        "Besluit voorstellen",
    ],
    "de": [
        "Teilnahme",
        "Ich nehme an dieser Sitzung teil",
        "Meine Sitzungsunterlagen",
        "Tagesordnung",
        "Beschluss vorschlagen",
    ],
    "fr": [
        "Présence",
        "Je participe à cette séance",
        "Mon dossier de séance",
        "Ordre du jour",
        "Proposer une décision",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_meeting_page_speaks_the_language(world, conference, browser_as, language):
    page = main(browser_as("prob.officer").get(f"/conferences/{conference.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    for text in DETAIL[language]:
        assert text in page, (language, text)
    for text in ("Attendance", "My meeting pack", "Propose a decision", "Participating organisations", "Minutes"):
        assert text not in page, (language, text)
    assert when(conference.scheduled_at, language) in page


@pytest.mark.parametrize(
    ("language", "label", "kind", "recurrence"),
    [
        ("nl", "Soort overleg", "Casusoverleg", "Elke twee weken"),
        ("de", "Art der Konferenz", "Fallkonferenz", "Alle zwei Wochen"),
        ("fr", "Type de réunion", "Réunion de synthèse", "Toutes les deux semaines"),
    ],
)
def test_the_schedule_form_has_translated_labels_and_choices(world, browser_as, language, label, kind, recurrence):
    page = main(browser_as("prob.officer").get("/conferences/new/", HTTP_ACCEPT_LANGUAGE=language))
    for text in (label, kind, recurrence):
        assert text in page, (language, text)
    for text in ("Kind of conference", "Case conference", "Every two weeks", "Chaired by"):
        assert text not in page, (language, text)


@pytest.mark.parametrize(
    ("language", "thanks", "error"),
    [
        ("nl", "Dank u. Uw aanwezigheid is vastgelegd.", "Het besluit is niet opgeslagen"),
        ("de", "Danke. Ihre Teilnahme ist erfasst.", "Der Beschluss ist nicht gespeichert"),
        ("fr", "Merci. Votre présence est enregistrée.", "La décision n&#x27;est pas enregistrée"),
    ],
)
def test_messages_after_a_post_are_in_the_language(world, browser_as, language, thanks, error):
    conference = schedule([world.case], by="prob.officer", chair="probation")
    client = browser_as("pn.casemanager")
    path = f"/conferences/{conference.pk}/"
    response = client.post(
        path + "attendance/", {"present": "on", "acknowledge": "on"}, HTTP_ACCEPT_LANGUAGE=language, follow=True
    )
    assert thanks in main(response)
    response = client.post(path + "decisions/", {"text": ""}, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert error in main(response)


@pytest.mark.parametrize(
    ("language", "waiting"),
    [("nl", "Wacht op "), ("de", "Wartet auf "), ("fr", "En attente de ")],
)
def test_the_status_of_a_decision_is_in_the_language(world, conference, browser_as, language, waiting):
    from continuum.conferences import actions

    actions.do_propose_decision(
        conference, case=world.case, text="Start the housing application.", acting_user=user("prob.officer")
    )
    page = main(browser_as("prob.officer").get(f"/conferences/{conference.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    assert waiting in page
    assert "Waiting for" not in page
    # The decision's own words stay as written, marked for translators to leave alone.
    assert '<strong translate="no">Start the housing application.</strong>' in page


def test_the_open_actions_page_and_the_calendar_link_page_in_german(world, conference, browser_as):
    client = browser_as("prob.officer")
    page = main(client.get("/conferences/actions/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Offene Aufgaben von" in page and "Fällig" in page
    assert "Open actions of" not in page
    page = main(client.post("/conferences/calendar-link/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Ihr Kalenderlink" in page and "Your calendar link" not in page


# --- the meeting pack in another language ------------------------------------------------------------------


def test_the_pack_is_printed_in_the_language_asked_for_the_page_around_it_in_the_readers(world, conference, browser_as):
    client = browser_as("exit.worker")
    page = main(client.get(f"/conferences/{conference.pk}/pack/?language=de", HTTP_ACCEPT_LANGUAGE="nl"))
    # The pack: German.
    assert '<div class="pack" lang="de">' in page
    for text in ("Vertraulich — erstellt für", "Der Plan", "Letzte Einschätzungen", "Offene Aufgaben", "Sitzung"):
        assert text in page, text
    # The page around it: Dutch, with the PDF in German too.
    assert "Terug naar het overleg" in page and "Deze vergaderstukken afdrukken in:" in page
    assert f'/conferences/{conference.pk}/pack.pdf?language=de"' in page
    # Records stay as written.
    assert "Exit session" in page
    for text in ("The plan", "Latest assessments", "Confidential — prepared for", "Nothing to show here."):
        assert text not in page, text


def test_without_the_parameter_the_pack_is_in_the_readers_language(world, conference, browser_as):
    page = main(browser_as("exit.worker").get(f"/conferences/{conference.pk}/pack/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<div class="pack" lang="fr">' in page
    assert "Confidentiel — préparé pour" in page and "Dossier de séance" in page


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_a_pack_in_any_language_holds_exactly_what_the_reader_may_see(world, conference, browser_as, api_as, language):
    police = browser_as("police.liaison").get(f"/conferences/{conference.pk}/pack/?language={language}")
    assert police.status_code == 200
    data = api_as("police.liaison").get(f"/api/v1/conferences/{conference.pk}/pack/?language={language}")
    assert data.status_code == 200
    for text in (main(police), data.content.decode()):
        for title in HIDDEN_FROM_POLICE:
            assert title not in text, (language, title)
        assert world.other_case.number not in text  # Bilal's case: police are not in its team
        assert "Cell search" in text
    # Not a participant: 404 whatever the language; not acknowledged: back to the meeting page.
    assert (
        browser_as("muni.coordinator").get(f"/conferences/{conference.pk}/pack/?language={language}").status_code == 404
    )
    assert (
        api_as("muni.coordinator").get(f"/api/v1/conferences/{conference.pk}/pack/?language={language}").json()
        == NOT_FOUND
    )
    response = browser_as("mh.clinician").get(f"/conferences/{conference.pk}/pack/?language={language}")
    assert response.status_code == 302 and response["Location"] == f"/conferences/{conference.pk}/"


def test_the_json_and_the_pdf_follow_the_parameter(world, conference, api_as, browser_as):
    api = api_as("exit.worker")
    data = api.get(f"/api/v1/conferences/{conference.pk}/pack/?language=nl").json()
    assert data["confidential"].startswith("Vertrouwelijk — opgesteld voor")
    # Codes and record contents never change.
    assert data["cases"][0]["number"] == world.case.number
    pdf = api.get(f"/api/v1/conferences/{conference.pk}/pack/?format=pdf&language=fr")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Dossier de séance" in text and "Confidentiel — préparé pour" in text and "page 1 sur" in text
    page_pdf = browser_as("exit.worker").get(f"/conferences/{conference.pk}/pack.pdf?language=de")
    assert page_pdf.status_code == 200
    assert "Sitzungsunterlagen" in pdf_text(page_pdf.content) and "Seite 1 von" in pdf_text(page_pdf.content)
    # The file's name stays the same in every language.
    assert page_pdf["Content-Disposition"] == pdf["Content-Disposition"]


@pytest.mark.parametrize("value", ["xx", "NL", "nl-NL", "english", "", "<script>"])
def test_an_unknown_language_is_a_400_with_a_clear_message(world, conference, browser_as, api_as, value):
    client = browser_as("exit.worker")
    for path in (f"/conferences/{conference.pk}/pack/", f"/conferences/{conference.pk}/pack.pdf"):
        response = client.get(path, {"language": value})
        assert response.status_code == 400, (path, value)
        page = response.content.decode()
        assert "This language is not available." in page
        assert "language=en | nl | de | fr" in page
        assert "<script>" not in page
    api = api_as("exit.worker").get(f"/api/v1/conferences/{conference.pk}/pack/", {"language": value})
    assert api.status_code == 400
    assert "language=en | nl | de | fr" in api.json()["language"][0]
    # In the reader's language.
    dutch = client.get(f"/conferences/{conference.pk}/pack/", {"language": value}, HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 400 and "Deze taal is niet beschikbaar." in dutch.content.decode()


def test_the_print_links_name_the_persons_language_only_for_who_may_read_their_identity(world, conference, browser_as):
    Person.objects.filter(pk=world.amira.pk).update(languages=["Dutch", "Arabic"])
    path = f"/conferences/{conference.pk}/pack/"
    page = main(browser_as("exit.worker").get(path))
    assert 'href="?language=nl" lang="nl" hreflang="nl">Nederlands</a>' in page
    assert '(the language of <span translate="no">Amira Example</span>)' in page
    assert page.count("the language of") == 1  # Arabic is none of the interface's languages
    assert '<strong lang="en" aria-current="true">English</strong>' in page
    # The police read no identity under this policy: the links, no hint, no name.
    PolicyRule.objects.filter(org_type=user("police.liaison").org_type, category=Category.IDENTITY).update(
        access=Access.NONE
    )
    page = main(browser_as("police.liaison").get(path))
    assert 'href="?language=nl"' in page
    assert "the language of" not in page and "Amira Example" not in page


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nl", "nl"),
        ("nl-BE", "nl"),
        ("Dutch", "nl"),
        ("nederlands", "nl"),
        ("Deutsch", "de"),
        ("German", "de"),
        ("français", "fr"),
        ("fr_FR", "fr"),
        ("English", "en"),
        ("Arabic", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_a_persons_languages_are_read_by_code_or_by_name(value, code):
    assert language_code_of(value) == code


# --- the calendar feed: its owner's language --------------------------------------------------------------


def _feed(client, username: str) -> str:
    response = client.post("/conferences/calendar-link/")
    page = response.content.decode()
    start = page.index("http://testserver/conferences/calendar/")
    return page[start + len("http://testserver") : page.index(".ics", start) + 4]


def test_the_calendar_feed_is_in_its_owners_language_whatever_the_calendar_app_asks(world, conference, browser_as):
    path = _feed(browser_as("prob.officer"), "prob.officer")
    summary = lambda response: [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]  # noqa: E731
    # No language chosen: the deployment's default (English), not the app's Accept-Language.
    assert summary(Client().get(path, HTTP_ACCEPT_LANGUAGE="fr")) == ["MAR meeting · Probation Service"]
    User.objects.filter(username="prob.officer").update(language="de")
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert summary(response) == ["MAR-Sitzung · Probation Service"]
    assert "Konferenzen" in str(Calendar.from_ical(response.content)["X-WR-CALNAME"])
