"""The case pages in Dutch, German and French (issue 13): headings, buttons, labels, choices, messages
and dates follow the reader's language; names, case numbers and what people wrote do not.

The worlds are those of the case pages' own tests (tests/test_pages_cases.py, tests/continuity_world.py).
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.utils import translation
from django.utils.formats import date_format

from tests.continuity_world import build as build_continuity
from tests.test_pages_cases import build_world, entry_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world(persona)


def main(response) -> str:
    page = html.unescape(response.content.decode())
    return page[page.index("<main") : page.index("</main>")]


def get(client, url: str, language: str):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def day_in(language: str, day: date) -> str:
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


CASE_PAGE = {
    "nl": ["Casus ", "Notitie toevoegen", "Persoon en casus", "Geboortedatum", "Regievoerder", "Casusteam",
           "Reclasseringstoezicht", "Waarom zie ik dit?", "Toestemming van de persoon vastleggen"],
    "de": ["Fall ", "Eintrag hinzufügen", "Person und Fall", "Geburtsdatum", "Federführende Stelle", "Fallteam",
           "Bewährung", "Warum sehe ich das?", "Einwilligung der Person erfassen"],
    "fr": ["Dossier ", "Ajouter une note de suivi", "Personne et dossier", "Date de naissance", "Organisme référent",
           "Équipe", "Probation", "Pourquoi puis-je voir ceci ?", "Enregistrer le consentement de la personne"],
}  # fmt: skip
ENGLISH_ON_THE_CASE_PAGE = ["Add a journal entry", "Person and case", "Date of birth", "Why can I see this?",
                            "Record the person's consent", "Lead organisation", "Former members keep"]  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_case_page_speaks_the_readers_language(world, browser_as, language):
    client = browser_as("prob.officer")
    page = main(get(client, f"/cases/{world.case.pk}/", language))
    # The consent and overrides sections load as a part of the page.
    page += client.get(
        f"/cases/{world.case.pk}/parts/consent/", HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="true"
    ).content.decode()
    for text in CASE_PAGE[language]:
        assert text in page, text
    for text in ENGLISH_ON_THE_CASE_PAGE:
        assert text not in page, text
    # The date of birth in the language's own format; the person's name and the entries' titles as written.
    assert day_in(language, date(1990, 5, 1)) in page and "1 May 1990" not in page
    assert '<dd translate="no">Samir Testperson</dd>' in page
    assert "Housing found in the harbour" in page


def test_a_dutch_date_has_the_dutch_month():
    assert day_in("nl", date(2026, 12, 7)).startswith("7 dec")
    assert day_in("de", date(2026, 12, 7)) == "7. Dez. 2026"


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nl", ["Mijn casussen", "Persoon registreren en casus openen", "Casusnummer", "Zoeken", "Geopend"]),
        ("de", ["Meine Fälle", "Person erfassen und Fall eröffnen", "Fallnummer", "Suchen", "Eröffnet"]),
        ("fr", ["Mes dossiers", "Enregistrer une personne et ouvrir un dossier", "numéro de dossier", "Chercher"]),
    ],
)
def test_my_cases_speaks_the_readers_language(world, browser_as, language, texts):
    page = main(get(browser_as("prob.officer"), "/cases/", language))
    for text in texts:
        assert text.lower() in page.lower(), text
    assert "Register a person and open a case" not in page and ">Find<" not in page


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nl", ["Nieuwe notitie", "Soort informatie", "Deze notitie afschermen voor…", "(niets aangevinkt)",
                "Soorten organisaties", "Notitie opslaan", "Wie deze notitie ziet"]),
        ("de", ["Neuer Eintrag", "Informationsart", "Diesen Eintrag zurückhalten vor…", "(nichts angekreuzt)",
                "Arten von Organisationen", "Eintrag speichern", "Wer diesen Eintrag sieht"]),
        ("fr", ["Nouvelle note de suivi", "Type d'information", "Masquer cette note à…", "(rien de coché)",
                "Types d'organismes", "Enregistrer la note", "Qui verra cette note"]),
    ],
)  # fmt: skip
def test_the_entry_form_speaks_the_readers_language(world, browser_as, language, texts):
    page = main(get(browser_as("prob.officer"), f"/cases/{world.case.pk}/entries/new/", language))
    for text in texts:
        assert text in page, text
    assert "Save the entry" not in page and "Withhold this entry from" not in page
    # The panel of boxes is closed while none is ticked.
    assert '<details class="form-panel withhold-panel" id="withhold">' in page


def test_the_live_audience_box_and_its_count_follow_the_language(world, browser_as):
    client = browser_as("prob.officer")
    response = client.get(
        f"/cases/{world.case.pk}/entries/audience/",
        {"category": "plan", "withhold_types": ["police", "ngo_exit"]},
        HTTP_ACCEPT_LANGUAGE="de",
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Sichtbar für" in page and "Nicht sichtbar für" in page
    assert 'id="withhold-count"' in page and "(2 angekreuzt)" in page


def test_a_saved_entry_is_announced_in_french(world, browser_as):
    client = browser_as("prob.officer")
    response = client.post(f"/cases/{world.case.pk}/entries/new/", entry_data(), HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    page = main(response)
    assert "« Weekly meeting » est enregistré dans le suivi." in page
    assert "is saved in the journal" not in page


def test_a_form_error_is_in_dutch(world, browser_as):
    client = browser_as("prob.officer")
    response = client.post(f"/cases/{world.case.pk}/entries/new/", entry_data(title=""), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code in (200, 400)
    assert "Geef de notitie een korte titel." in main(response)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nl", ["Mijn casussen", "Termijnen in mijn casussen", "Leemtes"]),
        ("de", ["Meine Fälle", "Fristen in meinen Fällen", "Lücken"]),
        ("fr", ["Mes dossiers", "Échéances de mes dossiers", "Manques"]),
    ],
)
def test_the_home_dashboard_speaks_the_readers_language(world, browser_as, language, texts):
    page = main(get(browser_as("prob.officer"), "/", language))
    for text in texts:
        assert text in page, text
    assert "Deadlines in my cases" not in page


def test_the_custody_section_in_german_keeps_the_capital_of_its_nouns(persona, browser_as):
    world = build_continuity(persona)
    page = main(get(browser_as("pn.casemanager"), f"/cases/{world.case.pk}/parts/custody/", "de"))
    assert "Haft und Strafe" in page and "Haft und Verlegungen" in page and "Phasenverlauf" in page
    assert "Zurzeit in <strong>Prison North</strong>, Evaluationsabteilung, seit" in page
    assert "Frühestmögliche Entlassung" in page
    assert "Custody and transfers" not in page


def test_the_custody_section_in_dutch(persona, browser_as):
    world = build_continuity(persona)
    page = main(get(browser_as("pn.casemanager"), f"/cases/{world.case.pk}/parts/custody/", "nl"))
    assert "Verblijft nu in <strong>Prison North</strong>, evaluatieafdeling, sinds" in page
    assert "Overplaatsing vastleggen" in page and "Detentiegeschiedenis, nieuwste eerst" in page


def test_search_and_timeline_in_dutch(world, browser_as):
    client = browser_as("prob.officer")
    page = main(get(client, "/search/?q=Samir", "nl"))
    assert "Personen" in page and "Notities" in page and "Casus " in page
    assert "Journal entries" not in page
    page = main(get(client, f"/persons/{world.person.pk}/timeline/", "nl"))
    assert "Tijdlijn" in page and "Casusteam" in page and "Oudste eerst." in page
    assert "Oldest first." not in page
