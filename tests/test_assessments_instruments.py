"""Instruments as data (issue 5): the file format, its validation, the loader and Continuum's own instruments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from continuum.assessments.choices import ItemType
from continuum.assessments.format import InstrumentFormatError, parse_file, parse_instrument
from continuum.assessments.loader import builtin_files, install_builtin
from continuum.assessments.models import Instrument
from continuum.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

MAR_AREAS = [
    "risk_profile",
    "family",
    "social_network",
    "personal_identity",
    "ideology",
    "daily_life",
    "resilience",
    "responsivity",
]

SMALL = {
    "format": 1,
    "code": "example-tool",
    "version": "2.1",
    "name": "Example tool",
    "kind": "spj",
    "category": "risk_assessment",
    "scales": {
        "concern": [{"value": 0, "label": "Low"}, {"value": 1, "label": "Moderate"}, {"value": 2, "label": "High"}]
    },
    "domains": [
        {
            "code": "d1",
            "name": "Domain one",
            "items": [
                {"code": "d1.a", "text": "An item", "type": "risk", "scale": "concern", "guidance": "Look at it."}
            ],
        }
    ],
}


def _with(change) -> dict:
    document = json.loads(json.dumps(SMALL))
    change(document)
    return document


def _write(tmp_path: Path, document, name: str = "tool.yaml") -> Path:
    path = tmp_path / name
    if not isinstance(document, str):
        document = json.dumps(document) if name.endswith(".json") else yaml.safe_dump(document)
    path.write_text(document, encoding="utf-8")
    return path


# --- Continuum's own instruments -------------------------------------------------------------------------


def test_continuums_own_instruments_are_installed_by_migrate():
    codes = set(Instrument.objects.filter(builtin=True).values_list("code", flat=True))
    assert codes == {
        "continuum-mar-spj",
        "continuum-ideological-evaluation",
        "continuum-network-evaluation",
        "continuum-psychological-evaluation",
    }
    assert install_builtin() == []  # idempotent: nothing installed twice


def test_mar_instrument_covers_the_eight_focus_areas_with_risk_need_and_protective_items():
    mar = Instrument.objects.get(code="continuum-mar-spj")
    definition = mar.definition
    assert mar.category == "risk_assessment" and mar.kind == "spj"
    assert [d["code"] for d in definition["domains"]] == MAR_AREAS
    for domain in definition["domains"]:
        assert 3 <= len(domain["items"]) <= 5, domain["code"]
        for item in domain["items"]:
            assert item["guidance"] and item["text"]
            labels = [p["label"] for p in item["scale"]]
            if item["type"] == ItemType.PROTECTIVE:
                assert labels == ["Absent", "Partly present", "Clearly present"]
            elif item["type"] == ItemType.RISK:
                assert labels == ["Low concern", "Moderate concern", "High concern"]
    types = {item["type"] for d in definition["domains"] for item in d["items"]}
    assert types == {"risk", "need", "protective"}
    modules = {m["code"]: m for m in definition["modules"]}
    assert set(modules) == {"gender", "youth"}
    gender_text = json.dumps(modules["gender"]).lower()
    for theme in ["mother", "sexual violence", "trauma", "belonging", "family", "bystander", "after return"]:
        assert theme in gender_text, theme
    youth_text = json.dumps(modules["youth"]).lower()
    for theme in ["school", "parents", "peers", "development", "under 25"]:
        assert theme in youth_text, theme


def test_evaluation_forms_are_filed_under_their_categories():
    categories = dict(Instrument.objects.values_list("code", "category"))
    assert categories["continuum-ideological-evaluation"] == "ideology"
    assert categories["continuum-network-evaluation"] == "family"
    assert categories["continuum-psychological-evaluation"] == "mental_health"


def test_no_proprietary_instrument_is_shipped():
    for path in builtin_files():
        definition = parse_file(path)
        text = json.dumps(definition).lower()
        assert "vera" not in definition["code"] and "erg" not in definition["code"]
        assert "vera-2r" not in text and "erg22" not in text, path.name


# --- the API ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pn.psychologist", "police.liaison", "mentor.one", "evaluator", "dpo", "admin"])
def test_every_signed_in_user_lists_the_instruments(api_as, username):
    response = api_as(username).get("/api/v1/instruments/?page_size=50")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 4
    mar = next(i for i in body["results"] if i["code"] == "continuum-mar-spj")
    assert mar["version"] == "1.0" and mar["category"] == "risk_assessment"
    item = mar["domains"][0]["items"][0]
    assert set(item) >= {"code", "text", "type", "scale", "guidance"}
    assert item["scale"][0] == {"value": 0, "label": "Low concern"}
    assert {m["code"] for m in mar["modules"]} == {"gender", "youth"}


def test_instruments_need_credentials(client):
    assert client.get("/api/v1/instruments/").status_code in (401, 403)


# --- loading ----------------------------------------------------------------------------------------------


def test_load_instrument_command_loads_a_new_version_and_audits_it(tmp_path, demo_world, capsys):
    path = _write(tmp_path, SMALL)
    call_command("load_instrument", str(path), "--user", "dpo")
    instrument = Instrument.objects.get(code="example-tool", version="2.1")
    assert not instrument.builtin and instrument.loaded_by.username == "dpo"
    assert instrument.definition["domains"][0]["items"][0]["scale"][2] == {"value": 2, "label": "High"}
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="instrument").count() == 1
    call_command("load_instrument", str(path))
    assert "Already loaded" in capsys.readouterr().out
    assert Instrument.objects.filter(code="example-tool").count() == 1


def test_changed_content_needs_a_new_version(tmp_path):
    call_command("load_instrument", str(_write(tmp_path, SMALL)))
    changed = _with(lambda d: d.update(name="Example tool, edited"))
    with pytest.raises(CommandError, match="new version"):
        call_command("load_instrument", str(_write(tmp_path, changed, "changed.yaml")))
    changed["version"] = "2.2"
    call_command("load_instrument", str(_write(tmp_path, changed, "changed.json")))
    assert list(Instrument.objects.filter(code="example-tool").values_list("version", flat=True)) == ["2.1", "2.2"]


def test_check_only_validates(tmp_path, capsys):
    call_command("load_instrument", str(_write(tmp_path, SMALL)), "--check")
    assert "valid" in capsys.readouterr().out
    assert not Instrument.objects.filter(code="example-tool").exists()


def _set_item(key, value):
    return lambda d: d["domains"][0]["items"][0].__setitem__(key, value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("code"), "code: is required"),
        (lambda d: d.update(code="Bad Code!"), "code: must be a code"),
        (lambda d: d.update(version=2.1), 'version: must be a short text such as "1.0", got the number 2.1 (quote it'),
        (lambda d: d.update(kind="horoscope"), "kind: must be one of spj,"),
        (lambda d: d.update(category="children"), "category: must be one of risk_assessment, ideology"),
        (_set_item("type", "danger"), "domains[0].items[0].type: must be one of risk, need, protective (got 'danger')"),
        (_set_item("scale", "stars"), "domains[0].items[0].scale: unknown scale 'stars' (scales: concern)"),
        (_set_item("guidance", ""), "domains[0].items[0].guidance: must be a non-empty text"),
        (lambda d: d["domains"][0]["items"][0].pop("text"), "domains[0].items[0].text: is required"),
        (lambda d: d["domains"][0].update(itmes=[]), "domains[0].itmes: unknown key"),
        (
            lambda d: d["domains"][0]["items"].append(dict(d["domains"][0]["items"][0])),
            "domains[0].items[1].code: item 'd1.a' is already defined at domains[0].items[0]",
        ),
        (lambda d: d["scales"]["concern"][1].update(value="1"), "scales.concern[1].value: must be a whole number"),
        (lambda d: d["scales"]["concern"].append({"value": 0, "label": "Again"}), "scales.concern: has a value twice"),
        (lambda d: d.update(domains=[]), "domains: must not be empty"),
        (lambda d: d.update(modules=[{"code": "youth", "name": "Youth"}]), "modules[0].domains: is required"),
        (lambda d: d.update(format=2), "format: only format 1 exists"),
    ],
)
def test_loader_rejects_malformed_files_naming_the_problem(tmp_path, change, message):
    path = _write(tmp_path, _with(change))
    with pytest.raises(CommandError) as failure:
        call_command("load_instrument", str(path))
    assert message in str(failure.value)
    assert str(path) in str(failure.value)
    assert not Instrument.objects.filter(code="example-tool").exists()


def test_yaml_syntax_errors_name_the_line(tmp_path):
    path = _write(tmp_path, "code: x\nversion: '1'\ndomains: [\n  - {code: a\n")
    with pytest.raises(CommandError, match=r"line \d+: not valid YAML"):
        call_command("load_instrument", str(path))


def test_all_problems_are_reported_at_once():
    document = _with(lambda d: (d.pop("name"), d.update(kind="x")))
    with pytest.raises(InstrumentFormatError) as failure:
        parse_instrument(document)
    assert failure.value.problems == [
        "name: is required",
        "kind: must be one of " + failure.value.problems[1].split("one of ")[1],
    ]


def test_a_document_that_is_not_a_mapping_is_refused():
    with pytest.raises(InstrumentFormatError, match="must be a mapping"):
        parse_instrument(["not", "an", "instrument"])
