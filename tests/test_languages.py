"""The interface's languages (issue 13): which language a page is in, the switcher, and the catalogues'
gate (every text marked in the code is in every catalogue, translated, none fuzzy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.test import override_settings

from continuum.audit.models import AuditEvent
from continuum.lib import catalogues


def lang_of(response) -> str:
    page = response.content.decode()
    start = page.index('<html lang="') + len('<html lang="')
    return page[start : page.index('"', start)]


def test_the_browsers_language_is_used_when_the_user_chose_none(browser_as):
    client = browser_as("prob.officer")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")
    assert lang_of(response) == "nl"
    assert "Mijn casussen" in response.content.decode() and "Uitloggen" in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_the_users_own_choice_beats_the_browser(browser_as, persona):
    user = persona("prob.officer")
    user.language = "de"
    user.save(update_fields=["language"])
    response = browser_as("prob.officer").get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert lang_of(response) == "de" and "Meine Fälle" in response.content.decode()


def test_without_a_choice_or_a_browser_language_the_deployment_default_holds(browser_as):
    client = browser_as("prob.officer")
    assert lang_of(client.get("/")) == "en"
    with override_settings(LANGUAGE_CODE="fr"):
        response = client.get("/")
    assert lang_of(response) == "fr" and "Mes dossiers" in response.content.decode()


def test_a_language_nobody_speaks_here_falls_back_to_the_default(browser_as):
    assert lang_of(browser_as("prob.officer").get("/", HTTP_ACCEPT_LANGUAGE="pt-BR")) == "en"


def test_the_switcher_saves_the_choice_on_the_account_and_audits_it(browser_as, persona):
    client = browser_as("police.liaison")
    response = client.post("/language/", {"language": "fr", "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert persona("police.liaison").language == "fr"
    event = AuditEvent.objects.filter(object_type="user", actor_username="police.liaison").latest("seq")
    assert event.detail["changes"]["language"] == {"old": "", "new": "fr"}
    assert lang_of(client.get("/cases/", HTTP_ACCEPT_LANGUAGE="de")) == "fr"
    # Back to the browser's language.
    client.post("/language/", {"language": "", "next": "/"})
    assert persona("police.liaison").language == ""
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "de"


def test_the_login_page_switches_language_with_a_cookie(client, persona):
    response = client.post("/language/", {"language": "nl", "next": "/login/"})
    assert response.status_code == 302 and response.cookies["continuum_language"].value == "nl"
    assert lang_of(client.get("/login/")) == "nl"


@pytest.mark.parametrize("data", [{"language": "pt"}, {"language": "<script>"}, {}])
def test_a_bad_language_is_refused_and_changes_nothing(browser_as, persona, data):
    before = AuditEvent.objects.count()
    response = browser_as("prob.officer").post("/language/", data)
    assert response.status_code == 400 and "en, nl, de, fr" in response.content.decode()
    assert persona("prob.officer").language == "" and AuditEvent.objects.count() == before


def test_the_switcher_goes_back_only_to_this_site(browser_as):
    client = browser_as("prob.officer")
    response = client.post("/language/", {"language": "de", "next": "https://example.org/"})
    assert response["Location"] == "/"
    response = client.post("/language/", {"language": "de"}, HTTP_REFERER="https://example.org/cases/")
    assert response["Location"] == "/"


def test_the_switcher_returns_to_the_page_it_was_used_on_with_its_query(browser_as):
    client = browser_as("prob.officer")
    page = client.get("/cases/?q=amira+ben").content.decode()
    assert "amira+ben" not in page.split("language-switch", 1)[1].split("</form>", 1)[0]  # not in the form
    response = client.post("/language/", {"language": "nl"}, HTTP_REFERER="http://testserver/cases/?q=amira+ben")
    assert response["Location"] == "http://testserver/cases/?q=amira+ben"


def test_the_switcher_is_in_the_header_with_each_language_in_its_own_name(browser_as):
    page = browser_as("prob.officer").get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<label for="language-switch">Sprache</label>' in page
    for code, name in [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("fr", "Français")]:
        assert f'lang="{code}"' in page and name in page
    assert '<option value="de" lang="de" selected>' in page


# --- The catalogues' gate ---------------------------------------------------------------------------------


def test_every_catalogue_is_complete_in_every_language():
    assert list(catalogues.po_files()), "no catalogue found"
    problems = catalogues.problems()
    assert problems == [], "\n".join(str(p) for p in problems)


def _messages(package_dir: Path) -> dict[str, set[str]]:
    found = {}
    for locale in catalogues.catalogue_dirs(package_dir):
        for po_path in locale.glob("*/LC_MESSAGES/django.po"):
            key = str(po_path.relative_to(package_dir))
            found[key] = {entry.msgid_with_context for entry in polib.pofile(str(po_path)) if not entry.obsolete}
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (make gettext)")
def test_the_catalogues_hold_every_text_marked_in_the_code(tmp_path):
    """What `make messages` would add or drop: nothing, or a text in the code is shown in English only."""
    copy = tmp_path / "continuum"
    shutil.copytree(catalogues.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    catalogues.extract(copy)
    assert _messages(copy) == _messages(catalogues.PACKAGE_DIR), "run `make messages` and translate the new texts"
