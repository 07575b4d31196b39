"""The project-wide pages, the accounts pages and the audit log in Dutch, German and French (issue 13):
home, the error pages, the API's error messages, login and second factor, My account with its language
choice, the administrator's pages, the audit log and its chain."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import timezone, translation

from continuum.accounts import actions
from continuum.accounts.models import ApiToken, Organisation
from continuum.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

RANDOM_ID = "0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01"
DECEMBER = timezone.make_aware(datetime(2026, 12, 7, 9, 30))


def page_of(client, path: str, language: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


# --- Home, errors, the API ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [
        ("nl", ["Welkom, <span", "U werkt bij", "als <strong>casemanager</strong>", "Wat u hier kunt doen"], "Welcome"),
        ("de", ["Willkommen,", "Sie arbeiten bei", "als <strong>Fallmanagerin/Fallmanager</strong>"], "You work for"),
        (
            "fr",
            ["Bienvenue,", "Vous travaillez pour", "en tant que <strong>gestionnaire de dossier</strong>"],
            "My account",
        ),
    ],
)
def test_home_speaks_the_language(browser_as, language, expected, english):
    page = page_of(browser_as("prob.officer"), "/", language)
    for text in expected:
        assert text in page
    assert english not in page and "What you can do here" not in page
    assert '<strong translate="no">Probation Service' in page  # the organisation's name is its own


def test_home_cards_of_the_administrator_and_the_dpo(browser_as):
    admin = page_of(browser_as("admin"), "/", "de")
    assert "Konten anlegen, Rollen ändern" in admin and "Create accounts" not in admin
    dpo = page_of(browser_as("dpo"), "/", "fr")
    assert "Qui a fait quoi, quand et d'où." in dpo and "Chaîne d'audit" in dpo


@pytest.mark.parametrize(
    ("language", "title", "link"),
    [
        ("nl", "Niet gevonden.", "Naar de startpagina"),
        ("de", "Nicht gefunden.", "Zur Startseite"),
        ("fr", "Introuvable.", "Retour à l'accueil"),
    ],
)
def test_the_not_found_page(browser_as, language, title, link):
    response = browser_as("prob.officer").get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404 and f"<h1>{title}</h1>" in page and link in page
    assert "Go to the home page" not in page


def test_the_forbidden_page(browser_as):
    response = browser_as("prob.officer").get("/manage/users/", HTTP_ACCEPT_LANGUAGE="nl")
    page = response.content.decode()
    assert response.status_code == 403 and "U hebt geen toegang tot deze pagina." in page
    assert "vraag het dan aan uw coördinator" in page and "Your role" not in page


def test_the_api_answers_errors_in_the_calls_language(api_as):
    client = api_as("prob.officer")
    assert client.get(f"/api/v1/cases/{RANDOM_ID}/", HTTP_ACCEPT_LANGUAGE="de").json() == {"detail": "Nicht gefunden."}
    assert client.get(f"/api/v1/cases/{RANDOM_ID}/", HTTP_ACCEPT_LANGUAGE="fr").json() == {"detail": "Introuvable."}
    assert client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="nl").json() == {"detail": "Niet gevonden."}
    assert client.get(f"/api/v1/cases/{RANDOM_ID}/").json() == {"detail": "Not found."}


def test_the_accounts_and_audit_api_errors_follow_the_calls_language(client, api_as):
    wrong = client.post(
        "/api/v1/auth/token/",
        {"username": "prob.officer", "password": "wrong"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert wrong.status_code == 401 and wrong.json() == {"detail": "Ongeldige gebruikersnaam of ongeldig wachtwoord."}
    refused = api_as("prob.officer").get("/api/v1/audit/verify/", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Seul le délégué à la protection des données vérifie le journal d'audit."}


def test_pagination_and_field_hints():
    page = Paginator(list(range(120)), 50).get_page(2)
    with translation.override("de"):
        html = render_to_string("pagination.html", {"page": page})
    assert 'aria-label="Seiten"' in html and "Seite 2 von 3" in html and "Zurück" in html and "Weiter" in html
    with translation.override("fr"):
        html = render_to_string("pagination.html", {"page": page})
    assert "Page 2 sur 3" in html and "Précédente" in html and "Previous" not in html


# --- Login and second factor --------------------------------------------------------------------------


def test_the_login_page_and_its_error(client, demo_world):
    page = page_of(client, "/login/", "fr")
    assert "<h1>Se connecter</h1>" in page and "Mot de passe oublié ?" in page and "Forgotten" not in page
    wrong = client.post(
        "/login/", {"username": "prob.officer", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Deze gebruikersnaam en dit wachtwoord horen niet bij elkaar." in wrong and "do not match" not in wrong


def test_the_lockout_page_in_german(client, demo_world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "pn.casemanager", "password": "wrong"})
    response = client.post(
        "/login/", {"username": "pn.casemanager", "password": "continuum-demo"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    page = response.content.decode()
    assert response.status_code == 429 and "<h1>Zu viele fehlgeschlagene Versuche</h1>" in page
    assert "Zurück zur Anmeldung" in page and "Too many failed attempts" not in page


def test_enrolment_and_its_wrong_code_in_german(client, demo_world, settings):
    settings.CONTINUUM_REQUIRE_2FA = True
    client.post("/login/", {"username": "prob.officer", "password": "continuum-demo"})
    page = page_of(client, "/two-factor/setup/", "de")
    assert "<h1>Zwei-Faktor-Authentifizierung einrichten</h1>" in page
    assert "Sechsstelliger Code aus Ihrer Authenticator-App" in page and "Bestätigen und weiter" in page
    wrong = client.post("/two-factor/setup/", {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Dieser Code ist falsch." in wrong and "not right" not in wrong


# --- My account -----------------------------------------------------------------------------------------


def test_my_account_in_dutch_with_dates_and_the_language_choice(browser_as, persona):
    client = browser_as("prob.officer")
    token, _key = actions.do_create_api_token(persona("prob.officer"), acting_user=None, label="koppeling")
    ApiToken.objects.filter(pk=token.pk).update(created_at=DECEMBER)
    page = page_of(client, "/account/", "nl")
    assert "<h1>Mijn account</h1>" in page and "Tweestapsverificatie" in page and "API-tokens" in page
    assert "Waarvoor het token is" in page and "(optioneel)" in page and "Token aanmaken" in page
    # Django's Dutch abbreviation of December is "dec" (docs/languages.md shows "dec."): either holds here.
    assert re.search(r"7 dec\.? 2026", page) and "nooit" in page and "Intrekken" in page
    assert "Casemanager" in page  # the role's label
    # The language: following the browser, with the same choices as the header's switcher.
    assert "volgt de taal van uw browser" in page
    assert '<option value="" selected>Volg mijn browser</option>' in page
    assert '<option value="de" lang="de">Deutsch</option>' in page
    for english in ("Two-factor authentication", "Create a token", "Last used", "Follow my browser"):
        assert english not in page


def test_choosing_a_language_on_my_account_shows_it_as_the_choice(browser_as, persona):
    client = browser_as("prob.officer")
    response = client.post("/language/", {"language": "de", "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    page = page_of(client, "/account/", "nl")
    assert "Ihre Wahl: <strong>Deutsch</strong>." in page and '<option value="de" lang="de" selected>' in page
    client.post("/language/", {"language": "", "next": "/account/"})
    assert persona("prob.officer").language == ""
    page = page_of(client, "/account/", "fr")
    assert "suit la langue de votre navigateur" in page and '<option value="" selected>Celle de mon navigateur' in page


@pytest.mark.parametrize(
    ("language", "day", "message"),
    [
        ("de", "7. Dez. 2026", "ist widerrufen und funktioniert nicht mehr."),
        ("fr", "7 déc. 2026", "est révoqué et ne fonctionne plus."),
    ],
)
def test_revoking_a_token_answers_in_the_language(browser_as, persona, language, day, message):
    client = browser_as("prob.officer")
    token, _key = actions.do_create_api_token(persona("prob.officer"), acting_user=None, label="link")
    ApiToken.objects.filter(pk=token.pk).update(created_at=DECEMBER)
    assert day in page_of(client, "/account/", language)
    response = client.post(f"/account/tokens/{token.pk}/revoke/", HTTP_ACCEPT_LANGUAGE=language, follow=True)
    page = response.content.decode()
    assert message in page and "no longer works" not in page


# --- The administrator's pages --------------------------------------------------------------------------


def test_the_organisations_and_users_in_dutch(browser_as):
    client = browser_as("admin")
    organisations = page_of(client, "/manage/organisations/", "nl")
    assert "<h1>Organisaties</h1>" in organisations and "Organisatie toevoegen" in organisations
    assert "Reclassering" in organisations and "Penitentiaire inrichting (PI)" in organisations  # type labels
    assert "<td>Ja</td>" in organisations and "Probation service" not in organisations
    users = page_of(client, "/manage/users/", "nl")
    assert "<h1>Gebruikers</h1>" in users and "Alle organisaties" in users and "Casemanager" in users
    assert "Functionaris gegevensbescherming" in users and "Case manager" not in users
    form = page_of(client, "/manage/users/new/", "nl")
    assert "Voornaam" in form and "Eerste wachtwoord" in form and "Gebruiker aanmaken" in form
    assert '<option value="case_manager">Casemanager</option>' in form  # the value stays, the label speaks
    edit = page_of(client, "/manage/users/prob.officer/", "nl")
    assert "Dit kan niet worden gewijzigd." in edit and "Account deblokkeren" in edit


def test_a_refused_password_lands_on_its_field_whatever_the_language(browser_as):
    client = browser_as("admin")
    response = client.post(
        "/manage/users/new/",
        {
            "username": "weak",
            "organisation": Organisation.objects.get(slug="police").pk,
            "role": "practitioner",
            "password": "short",
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="id_password_error"' in page
    assert "Veuillez corriger les points suivants :" in page and "Mot de passe initial : " in page


def test_saving_an_organisation_answers_in_german(browser_as):
    response = browser_as("admin").post(
        "/manage/organisations/new/",
        {"slug": "jva-ost", "name": "JVA Ost", "type": "prison", "mandate": "", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    page = response.content.decode()
    assert "Die Organisation „JVA Ost“ ist gespeichert." in page and "is saved" not in page
    assert "Justizvollzugsanstalt (JVA)" in page


def test_admin_messages_after_unlock_and_reset(browser_as):
    client = browser_as("admin")
    unlocked = client.post("/manage/users/prob.officer/unlock/", HTTP_ACCEPT_LANGUAGE="nl", follow=True)
    assert "prob.officer kan opnieuw proberen in te loggen." in unescape(unlocked.content.decode())
    reset = client.post("/manage/users/prob.officer/reset-two-factor/", HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "configurera de nouveau l'authentification à deux facteurs" in unescape(reset.content.decode())


# --- The audit log ----------------------------------------------------------------------------------------


def test_the_audit_log_in_french(browser_as):
    client = browser_as("dpo")
    event = AuditEvent.objects.filter(action=AuditAction.CREATE).first()
    page = page_of(client, "/audit/", "fr")
    assert "<h1>Journal d'audit</h1>" in page and "Ce qui s'est passé" in page and "Filtrer" in page
    assert '<option value="login">Connexion</option>' in page  # the action's label, its value unchanged
    assert "Création" in page and "Every login" not in page
    assert event is not None
    french_day = event.at.astimezone(timezone.get_current_timezone())
    with translation.override("fr"):
        from django.utils.formats import date_format

        assert date_format(french_day, "DATE_FORMAT") in page


def test_the_audit_chain_in_dutch_and_german(browser_as):
    client = browser_as("dpo")
    page = page_of(client, "/audit/chain/", "nl")
    assert "<h1>Auditketen</h1>" in page and "Keten nu controleren" in page and "Check the chain" not in page
    checked = client.post("/audit/chain/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Die Kette ist unversehrt:" in checked and "Einträge geprüft." in checked
