"""The signal and sharing pages in Dutch, German and French (issue 13): headings, buttons, form labels,
choice labels, messages after a POST and dates follow the reader's language; the API's short
explanation of visibility (kept in the disclosure log) stays English."""

from __future__ import annotations

import html
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import formats, timezone, translation

from continuum.accounts.models import Organisation
from continuum.cases.actions import do_add_entry, do_add_member, do_open_case
from continuum.cases.models import Entry
from continuum.people.actions import do_create_person
from continuum.sharing.actions import do_grant_override
from continuum.sharing.preview import CaseAudience
from continuum.signals.actions import do_triage_signal
from continuum.signals.models import Signal
from tests.signals_world import report

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def main(response) -> str:
    page = text(response)
    return page[page.index("<main") : page.index("</main>")]


def day_in(language: str, day: date) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


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


# --- Signals ---------------------------------------------------------------------------------------------

REPORT_FORM = {
    "nl": ("Signaal melden", "Voornaam", "Jihadistisch", "Versturen naar het centraal meldpunt"),
    "de": ("Hinweis melden", "Vorname", "Dschihadistisch", "An die zentrale Anlaufstelle senden"),
    "fr": ("Signaler", "Prénom", "Djihadiste", "Envoyer à la cellule centrale"),
}


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_report_form_speaks_the_readers_language(browser_as, language):
    page = main(browser_as("prob.officer").get("/signals/report/", HTTP_ACCEPT_LANGUAGE=language))
    heading, label, choice, button = REPORT_FORM[language]
    assert f"<h1>{heading}</h1>" in page and label in page and choice in page and button in page
    for english in ("Send to the central point", "Given name", "Jihadist<", "Whom the signal is about"):
        assert english not in page


SENT = {
    "nl": ("is verstuurd naar het centraal meldpunt", "Wat er is opgemerkt", "Waarom zie ik dit?"),
    "de": ("ist an die zentrale Anlaufstelle gesendet", "Was bemerkt wurde", "Warum sehe ich das?"),
    "fr": ("est envoyé à la cellule centrale", "Ce qui a été remarqué", "Pourquoi puis-je voir ceci ?"),
}


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_reporting_a_signal_answers_in_the_readers_language(browser_as, language):
    client = browser_as("prob.officer")
    response = client.post("/signals/report/", report_data(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    answer = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language)
    message, heading, why = SENT[language]
    assert message in text(answer)
    page = main(answer)
    assert heading in page and why in page
    assert "What was noticed" not in page and "Why can I see this?" not in page
    assert day_in(language, date(1994, 3, 2)) in page  # the reported date of birth, in the language's format


def test_the_message_after_reporting_is_translated(browser_as):
    client = browser_as("prob.officer")
    response = client.post("/signals/report/", report_data(), HTTP_ACCEPT_LANGUAGE="nl")
    page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="nl"))
    signal = Signal.objects.get()
    assert f"Signaal {signal.reference} is verstuurd naar het centraal meldpunt." in page
    assert "is sent to the central point" not in page


QUEUE = {
    "nl": ("Triagewachtrij", "Signalen importeren uit een bestand", "Wacht sinds", "geboren"),
    "de": ("Eingangsprüfung", "Hinweise aus einer Datei importieren", "Wartet seit", "geboren am"),
    "fr": ("File de tri", "Importer des signalements depuis un fichier", "En attente depuis", "né(e) le"),
}


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_triage_queue_in_every_language(browser_as, persona, language):
    report(persona, "prob.officer")
    page = main(browser_as("cp.analyst").get("/signals/", HTTP_ACCEPT_LANGUAGE=language))
    heading, button, column, born = QUEUE[language]
    assert f"<h1>{heading}</h1>" in page and button in page and column in page
    assert f"{born} {day_in(language, date(1994, 3, 2))}" in page
    assert "Waiting since" not in page and "Likely matches" not in page


def test_a_date_in_dutch_has_the_dutch_month(browser_as, persona):
    report(persona, "prob.officer", birth_date=date(1990, 12, 7))
    page = main(browser_as("cp.analyst").get("/signals/", HTTP_ACCEPT_LANGUAGE="nl"))
    # Dutch months are Dutch ("dec", as Django's Dutch month abbreviations spell them).
    assert f"geboren {day_in('nl', date(1990, 12, 7))}" in page and "7 dec" in page and "7 Dec 1990" not in page


DECIDED = {
    "nl": ("Besluit vastleggen", "Onderbouwing", "In monitoring", "Evaluatie op"),
    "de": ("Beschluss festhalten", "Begründung", "In Beobachtung", "Wiedervorlage am"),
    "fr": ("Enregistrer la décision", "Justification", "Sous suivi", "Réexamen le"),
}


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_decision_form_and_its_message_in_every_language(browser_as, persona, language):
    signal = report(persona, "prob.officer")
    client = browser_as("cp.analyst")
    page = main(client.get(f"/signals/{signal.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    button, rationale, status, review = DECIDED[language]
    assert button in page and rationale in page and "Record the decision" not in page
    review_on = timezone.localdate() + timedelta(days=30)
    data = {"decision": "monitor", "rationale": "Watch the next months.", "review_date": review_on.isoformat()}
    response = client.post(f"/signals/{signal.pk}/triage/", data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language))
    assert signal.reference in page and status in page
    assert f"{review} {day_in(language, review_on)}" in page
    assert "Review on" not in main(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language))


def test_an_invalid_decision_is_explained_in_german(browser_as, persona):
    signal = report(persona, "prob.officer")
    data = {"decision": "monitor", "rationale": "Watch.", "review_date": ""}
    response = browser_as("cp.analyst").post(f"/signals/{signal.pk}/triage/", data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    page = main(response)
    assert "Ein beobachteter Hinweis braucht ein Wiedervorlagedatum." in page
    assert "A monitored signal needs a review date." not in page


def test_the_monitoring_list_and_the_overview_in_french_and_dutch(browser_as, persona):
    signal = report(persona, "prob.officer")
    do_triage_signal(
        signal,
        decision="monitor",
        rationale="Watch.",
        review_date=timezone.localdate() + timedelta(days=3),
        acting_user=persona("cp.analyst"),
    )
    client = browser_as("cp.analyst")
    page = main(client.get("/signals/monitoring/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "<h1>Liste de suivi</h1>" in page and "Date de réexamen" in page and "Bientôt" in page
    assert "Monitoring list" not in page and "Review date" not in page
    page = main(client.get("/signals/overview/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "<h1>Overzicht centraal meldpunt</h1>" in page and "Jonger dan 18" in page and "In monitoring" in page
    assert "Under 18" not in page and "Signals by gender and age" not in page


def test_my_signals_in_german(browser_as, persona):
    report(persona, "prob.officer")
    page = main(browser_as("prob.officer").get("/signals/mine/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "<h1>Meine Hinweise</h1>" in page and "Wartet auf Erstbewertung" in page and "Gemeldet" in page
    assert "Waiting for triage" not in page and "Reported" not in page


def test_the_import_page_in_dutch(browser_as):
    page = main(browser_as("cp.analyst").get("/signals/import/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "<h1>Signalen importeren uit een bestand</h1>" in page and "CSV-bestand" in page
    assert "Controleren en importeren" in page and "Check and import" not in page


# --- Sharing ---------------------------------------------------------------------------------------------


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


@pytest.fixture
def world(persona):
    """A probation case with police in the team, a counselling entry and a legal override for police."""
    probation = persona("prob.officer")
    person = do_create_person(given_name="Yara", family_name="Langtest", acting_user=probation)
    case = do_open_case(person=person, lead_organisation=probation.organisation, acting_user=probation)
    for slug in ("police", "central-point", "exit-ngo"):
        do_add_member(case, organisation=org(slug), acting_user=probation)
    counselling = do_add_entry(
        case, category="counselling", title="Counselling notes", body="Talked.", acting_user=persona("exit.worker")
    )
    override = do_grant_override(
        case,
        category="counselling",
        recipient=org("police"),
        legal_basis="public_safety",
        justification="Specific threat reported by the prison; needed for two days.",
        valid_until=timezone.now() + timedelta(days=2),
        acting_user=persona("cp.coordinator"),
    )
    return SimpleNamespace(case=case, person=person, counselling=counselling, override=override)


POLICY = {
    "nl": ("Deelbeleid", "Opslaan als nieuwe versie", "Identiteit", ">lezen</option>", "Er is niets gewijzigd"),
    "de": (
        "Weitergaberegeln",
        "Als neue Version speichern",
        "Identität",
        ">lesen</option>",
        "Es wurde nichts geändert",
    ),
    "fr": (
        "Règles de partage",
        "Enregistrer comme nouvelle version",
        "Identité",
        ">lire</option>",
        "Rien n'a changé",
    ),
}


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_policy_matrix_in_every_language(world, browser_as, language):
    client = browser_as("dpo")
    page = main(client.get("/sharing/policy/", HTTP_ACCEPT_LANGUAGE=language))
    heading, button, category, option, unchanged = POLICY[language]
    assert f"<h1>{heading}<span" in page and button in page and category in page and option in page
    assert "Save as a new version" not in page and ">read</option>" not in page
    response = client.post("/sharing/policy/", {"note": "Nothing really."}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    assert unchanged in text(client.get("/sharing/policy/", HTTP_ACCEPT_LANGUAGE=language))


OVERRIDES = {
    "nl": ("Te toetsen wettelijke doorbrekingen", "Openbare veiligheid", "Toetsing opslaan", "is getoetst"),
    "de": ("Zu prüfende gesetzliche Ausnahmen", "Öffentliche Sicherheit", "Prüfung speichern", "ist geprüft"),
    "fr": ("Dérogations légales à contrôler", "Sécurité publique", "Enregistrer le contrôle", "est contrôlée"),
}


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_override_reviews_in_every_language(world, browser_as, language):
    client = browser_as("dpo")
    page = main(client.get("/sharing/overrides/", HTTP_ACCEPT_LANGUAGE=language))
    heading, basis, button, reviewed = OVERRIDES[language]
    assert f"<h1>{heading}</h1>" in page and basis in page and button in page
    assert "Save the review" not in page and "Public safety" not in page
    with translation.override(language):
        until = formats.date_format(timezone.localtime(world.override.valid_until), "DATETIME_FORMAT")
    assert until in page
    response = client.post(
        f"/sharing/overrides/{world.override.pk}/review/", {"note": "Proportionate."}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 302
    page = text(client.get("/sharing/overrides/", HTTP_ACCEPT_LANGUAGE=language))
    assert f"{world.override.reference} {reviewed}" in page


def test_a_review_without_a_note_is_refused_in_french(world, browser_as):
    response = browser_as("dpo").post(
        f"/sharing/overrides/{world.override.pk}/review/", {"note": ""}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200 and "Notez la conclusion du contrôle." in main(response)


def test_the_disclosure_report_in_dutch(world, browser_as):
    client = browser_as("dpo")
    page = main(client.get("/sharing/disclosures/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "<h1>Inzageoverzicht</h1>" in page and "Kenmerk van de persoon" in page and "Overzicht tonen" in page
    assert "Show the report" not in page
    # Police read the counselling entry through the override: one disclosure.
    browser_as("police.liaison").get(f"/cases/{world.case.pk}/")
    client = browser_as("dpo")
    page = main(client.get(f"/sharing/disclosures/?person={world.person.reference}", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "vastgelegd" in page and "Deze regels downloaden als CSV" in page and "disclosures logged" not in page
    bad = main(client.get("/sharing/disclosures/?person=nonsense", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Een kenmerk ziet eruit als P-7F3K2Q" in bad


def test_the_short_explanation_stays_english_and_the_sentence_follows_the_language(world, persona):
    police = persona("police.liaison")
    seen = Entry.objects.visible_to(police).get(pk=world.counselling.pk)
    english = seen.visibility["explanation"]
    with translation.override("nl"):
        seen = Entry.objects.visible_to(police).get(pk=world.counselling.pk)
        assert seen.visibility["explanation"] == english
        assert english.startswith(f"override O-{world.override.number} by cp.coordinator until ")
        assert seen.why.startswith("Een wettelijke doorbreking geeft uw organisatie inzage")
    with translation.override("de"):
        seen = Entry.objects.visible_to(persona("exit.worker")).get(pk=world.counselling.pk)
        assert seen.visibility["explanation"] == "written by your organisation (Exit NGO)" or seen.visibility[
            "explanation"
        ].startswith("written by your organisation (")
        assert seen.why.startswith("Ihre Organisation hat es verfasst (")


def test_the_preview_reasons_follow_the_language(world):
    audience = CaseAudience(world.case)
    police = org("police")
    with translation.override("de"):
        decision = audience.decide(police, category="counselling", withhold_from=None, author_org_id=None)
        assert decision.reason.startswith("gesetzliche Ausnahme ")
        author = audience.decide(police, category="plan", withhold_from=None, author_org_id=police.pk)
        assert author.reason == "hat es verfasst"
    with translation.override("fr"):
        hidden = audience.decide(police, category="plan", withhold_from=["type:police"], author_org_id=None)
        assert hidden.reason == "masqué par l'auteur"


# --- The API: messages in the language of the call, codes and short explanations unchanged -------------


def test_the_apis_refusals_follow_the_accept_language_of_the_call(api_as):
    response = api_as("mentor.one").get("/api/v1/signals/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 403
    assert response.json()["detail"] == "Hinweise sind für meldende Organisationen und die zentrale Anlaufstelle."
    response = api_as("prob.officer").post("/api/v1/signals/import/", {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert response.json()["detail"] == "Seuls les analystes et coordinateurs de la cellule centrale le font."


def test_the_apis_signal_keeps_its_codes_and_english_explanation_in_dutch(api_as, persona):
    signal = report(persona, "prob.officer")
    answer = api_as("cp.analyst").get(f"/api/v1/signals/{signal.pk}/", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert answer["status"] == "new" and answer["extremism_type"] == "jihadist"
    assert answer["visibility"]["explanation"] == "triage: the central point sees every signal"
