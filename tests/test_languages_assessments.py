"""The assessments in Dutch, German and French (issue 13): the pages' texts from the catalogues, and the
instruments' own texts (items, guidance, scales, domains) from the files' ``translations:``, with the
file's own language (English) wherever a text is not translated."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.formats import date_format

from continuum.assessments.format import InstrumentFormatError, localise, parse_file, parse_instrument
from continuum.assessments.loader import builtin_files, install_builtin
from continuum.assessments.models import Instrument
from continuum.audit.models import AuditAction, AuditEvent
from tests.test_assessments_api import _finalised, _open, _rated_and_submitted
from tests.test_assessments_instruments import SMALL

pytestmark = pytest.mark.django_db

TRANSLATED = {
    "nl": {
        "name": "Voorbeeldinstrument",
        "scales": {"concern": {0: "Laag", 1: "Matig", 2: "Hoog"}},
        "domains": {"d1": {"name": "Domein een"}},
        "items": {"d1.a": {"text": "Een item", "guidance": "Bekijk het."}},
    },
    "de": {"items": {"d1.a": {"text": "Ein Item"}}},
}


def _document(translations=None) -> dict:
    document = json.loads(json.dumps(SMALL))
    if translations is not None:
        document["translations"] = translations
    return document


def _write(tmp_path: Path, document, name: str = "tool.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


# --- the format --------------------------------------------------------------------------------------------


def test_a_translation_is_kept_and_read_in_its_language_with_the_files_own_texts_as_fallback():
    definition = parse_instrument(_document(TRANSLATED))
    assert definition["translations"]["nl"]["scales"] == {"concern": {"0": "Laag", "1": "Matig", "2": "Hoog"}}
    dutch = localise(definition, "nl")
    item = dutch["domains"][0]["items"][0]
    assert (dutch["name"], dutch["domains"][0]["name"]) == ("Voorbeeldinstrument", "Domein een")
    assert (item["text"], item["guidance"], item["code"]) == ("Een item", "Bekijk het.", "d1.a")
    assert [p["label"] for p in item["scale"]] == ["Laag", "Matig", "Hoog"]
    assert [p["value"] for p in item["scale"]] == [0, 1, 2]
    german = localise(definition, "de")["domains"][0]
    assert (german["name"], german["items"][0]["text"], german["items"][0]["guidance"]) == (
        "Domain one",
        "Ein Item",
        "Look at it.",
    )
    assert localise(definition, "fr") == definition  # no French: the file's own texts


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ({"es": {"name": "Herramienta"}}, "translations.es: unknown language 'es' (languages: en, nl, de, fr)"),
        ({"nl": {"items": {"d9.z": {"text": "Nee"}}}}, "translations.nl.items.d9.z: no item 'd9.z' in this instrument"),
        (
            {"nl": {"domains": {"d2": {"name": "Twee"}}}},
            "translations.nl.domains.d2: no domain 'd2' in this instrument",
        ),
        ({"nl": {"items": {"d1.a": {"txet": "Een"}}}}, "translations.nl.items.d1.a.txet: unknown key"),
        ({"nl": {"items": {"d1.a": {"text": ""}}}}, "translations.nl.items.d1.a.text: must be a non-empty text"),
        ({"nl": {"scales": {"stars": {0: "Nul"}}}}, "translations.nl.scales.stars: unknown scale 'stars'"),
        ({"nl": {"scales": {"concern": {3: "Zeer hoog"}}}}, "translations.nl.scales.concern.3: no point 3"),
        ({"nl": {"modules": {"youth": {"name": "Jeugd"}}}}, "translations.nl.modules.youth: no module 'youth'"),
        ({"nl": {"judgement_levels": {"high": "Hoog"}}}, "translations.nl.judgement_levels.high: no judgement level"),
        ({"nl": {"title": "Titel"}}, "translations.nl.title: unknown key"),
        ({"nl": "Voorbeeld"}, "translations.nl: must be a mapping"),
        (["nl"], "translations: must be a mapping of language codes"),
    ],
)
def test_a_bad_translation_is_refused_naming_the_problem(tmp_path, translations, message):
    path = _write(tmp_path, _document(translations))
    with pytest.raises(InstrumentFormatError) as failure:
        parse_file(path)
    assert any(message in problem for problem in failure.value.problems), failure.value.problems
    with pytest.raises(CommandError, match="invalid instrument"):
        call_command("load_instrument", str(path))
    assert not Instrument.objects.filter(code="example-tool").exists()


def test_continuums_own_instruments_are_translated_in_every_language_item_by_item():
    for path in builtin_files():
        definition = parse_file(path)
        items = [
            i["code"]
            for d in (*definition["domains"], *(d for m in definition["modules"] for d in m["domains"]))
            for i in d["items"]
        ]
        for language in ("nl", "de", "fr"):
            texts = definition["translations"][language]
            assert texts["name"] and texts["description"], (path.name, language)
            assert sorted(texts["items"]) == sorted(items), (path.name, language)
            assert all(set(t) == {"text", "guidance"} for t in texts["items"].values()), (path.name, language)
            assert sorted(texts["scales"]) == sorted(definition["scales"]), (path.name, language)


# --- the loader ----------------------------------------------------------------------------------------------


def test_the_loader_stores_translations_and_takes_new_ones_for_a_loaded_version(tmp_path, demo_world):
    call_command("load_instrument", str(_write(tmp_path, _document())), "--user", "dpo")
    instrument = Instrument.objects.get(code="example-tool")
    assert instrument.texts("nl")["domains"][0]["items"][0]["text"] == "An item"
    call_command("load_instrument", str(_write(tmp_path, _document(TRANSLATED), "translated.yaml")), "--user", "dpo")
    instrument = Instrument.objects.get(code="example-tool")
    assert instrument.texts("nl")["domains"][0]["items"][0]["text"] == "Een item"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="instrument").get()
    assert event.detail["translations"] == ["de", "nl"]
    # What is rated is no translation: changing it still needs a new version.
    changed = _document(TRANSLATED)
    changed["domains"][0]["items"][0]["text"] = "Another item"
    with pytest.raises(CommandError, match="new version"):
        call_command("load_instrument", str(_write(tmp_path, changed, "changed.yaml")))


def test_installing_continuums_own_instruments_again_brings_their_translations():
    mar = Instrument.objects.get(code="continuum-mar-spj")
    mar.definition = {k: v for k, v in mar.definition.items() if k != "translations"}
    mar.save()
    assert install_builtin() == []
    mar = Instrument.objects.get(code="continuum-mar-spj")
    assert mar.texts("de")["domains"][0]["name"] == "Risikoprofil"


# --- the rating page --------------------------------------------------------------------------------------------


def test_the_rating_page_shows_the_items_in_dutch(world, browser_as):
    assessment = _open(world)
    html = (
        browser_as("pn.psychologist").get(f"/assessments/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    )
    assert "Continuum MAR gestructureerd professioneel oordeel" in html
    assert "Geschiedenis van geweld of steun voor geweld" in html
    assert "Risicoprofiel" in html
    assert "Matige zorg" in html
    assert "History of violence or support for violence" not in html


def test_an_instrument_without_translations_is_shown_in_its_own_language(world, browser_as, demo_world):
    definition = parse_instrument(_document())
    definition["category"] = "risk_assessment"
    from continuum.assessments import actions

    actions.do_load_instrument(definition, acting_user=None)
    assessment = _open(world, instrument="example-tool")
    html = (
        browser_as("pn.psychologist").get(f"/assessments/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    )
    assert "Example tool" in html and "An item" in html and "Look at it." in html


# --- the pages in each language -----------------------------------------------------------------------------------

PAGE_TEXTS = {
    "nl": {
        "case": ["Beoordelingen", "Beoordeling starten", "Volgende herbeoordeling", "Afgerond"],
        "detail": ["Eindoordeel", "Overzicht per domein", "Matige zorg", "Risicoprofiel", "Consensusscores"],
        "open": ["Stap 1 van 2", "Verder", "Instrument"],
    },
    "de": {
        "case": ["Einschätzungen", "Einschätzung beginnen", "Nächste Überprüfung", "Abgeschlossen"],
        "detail": [
            "Gesamteinschätzung",
            "Übersicht je Bereich",
            "Mäßige Besorgnis",
            "Risikoprofil",
            "Konsensbewertungen",
        ],
        "open": ["Schritt 1 von 2", "Weiter", "Instrument"],
    },
    "fr": {
        "case": ["Évaluations", "Commencer une évaluation", "Prochain réexamen", "Clôturée"],
        "detail": [
            "Jugement global",
            "Synthèses par domaine",
            "Préoccupation modérée",
            "Profil de risque",
            "Cotations consensuelles",
        ],
        "open": ["Étape 1 sur 2", "Continuer", "Instrument"],
    },
}
ENGLISH = [
    "Start an assessment",
    "Overall judgement",
    "Domain summaries",
    "Moderate concern",
    "Risk profile",
    "Next review",
]


@pytest.mark.parametrize("language", ["nl", "de", "fr"])
def test_the_assessment_pages_speak_the_users_language(world, browser_as, language):
    assessment = _finalised(world)
    client = browser_as("pn.psychologist")
    case_part = client.get(f"/cases/{world.case.pk}/parts/assessments/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    detail = client.get(f"/assessments/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    opening = client.get(f"/assessments/cases/{world.case.pk}/new/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for text in PAGE_TEXTS[language]["case"]:
        assert text in case_part, (language, text)
    for text in PAGE_TEXTS[language]["detail"]:
        assert text in detail, (language, text)
    for text in PAGE_TEXTS[language]["open"]:
        assert text in opening, (language, text)
    for text in ENGLISH:
        assert text not in case_part + detail + opening, (language, text)
    with translation.override(language):
        review = date_format(timezone.localdate() + timedelta(days=180), "DATE_FORMAT")
    assert review in case_part and review in detail
    assert "Written by the psychologist." in detail  # the people's own words stay as written


def test_the_rating_form_its_labels_and_the_item_types_in_german(world, browser_as):
    assessment = _open(world, modules=["gender"])
    html = (
        browser_as("pn.psychologist").get(f"/assessments/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    )
    for text in [
        "Ihre Bewertungen",
        "Begründung",
        "Was dafür spricht",
        "Nicht beurteilbar",
        "Hinweise",
        "Schutz",
        "Meine Bewertungen abgeben",
        "0 von 33 Items bewertet",
        "Gendermodul",
        "Mutterschaft",
        'data-text-saving="Wird gespeichert…"',
    ]:
        assert text in html, text
    for text in ["Your ratings", "Rationale", "Evidence for", "Guidance", "Submit my ratings", "items rated"]:
        assert text not in html, text


def test_a_message_after_saving_the_consensus_in_french(world, browser_as):
    assessment = _rated_and_submitted(world)
    data = {}
    for code in assessment.items():
        data[f"consensus-{code}-rating"] = "1"
        data[f"consensus-{code}-rationale"] = "Convenu en réunion."
    response = browser_as("pn.psychologist").post(
        f"/assessments/{assessment.pk}/consensus/", data, follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    )
    html = response.content.decode()
    assert f"Le consensus est enregistré pour {len(data) // 2} items." in html
    assert "Clôturer l&#x27;évaluation" in html or "Clôturer l'évaluation" in html
