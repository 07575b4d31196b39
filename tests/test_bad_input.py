"""Bad input (issue 18): every door answers 400 (or 413) with a clear message, nothing half-written, never a 500.

The findings: a deeply nested JSON body gave a 500; NUL, other control characters and bidi controls
were accepted in text fields, import cells and upload names (a NUL in an import cell: stored on
SQLite, a 500 on PostgreSQL); CSV exports kept formula prefixes; a birth date of 0001-01-01 was
accepted; API errors on oversize bodies were HTML. The rules: threat-model.md, "Bad input".
"""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path
from django.utils import timezone
from rest_framework.exceptions import ParseError

import continuum.urls
from continuum.api.parsers import MAX_DEPTH, JSONParser
from continuum.audit.models import AuditEvent
from continuum.cases.models import Attachment, Case, Entry
from continuum.insights import export
from continuum.insights.actions import export_csv
from continuum.lib.dates import birth_date_error
from continuum.lib.text import csv_cell, first_forbidden, forbidden_character, json_depth_exceeds
from continuum.people.models import Person
from continuum.signals.importing import RowError, import_signals
from continuum.signals.models import Signal

pytestmark = pytest.mark.django_db

# One of each kind the rule names: NUL, another C0 control, escape, a bidi override and isolate, the BOM.
FORBIDDEN = ["\x00", "\x07", "\x1b", "\x1f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff"]
ALLOWED = ["\t", "\n", "\r", "é", "ß", "\u200b", "—", "\u0660"]

PERSON = {"given_name": "Yusuf", "family_name": "Example", "birth_date": "1999-01-31", "gender": "male"}
PERSONS = "/api/v1/persons/"
PERSONS_IN_DEMO = 0  # set from the demo world by the autouse fixture below
SIGNALS = "/api/v1/signals/"


@pytest.fixture(autouse=True)
def _persons_before(db):
    global PERSONS_IN_DEMO
    PERSONS_IN_DEMO = Person.objects.count()


def subject(**overrides):
    return {"given_name": "Mohammed", "family_name": "Alhasan", "gender": "male", "nationality": "NL", **overrides}


def signal_body(**overrides):
    return {
        "subject": subject(),
        "description": "Tried to recruit two fellow detainees.",
        "extremism_type": "jihadist",
        "offence_type": "none",
        "setting": "prison",
        **overrides,
    }


def parse(body: bytes):
    return JSONParser().parse(io.BytesIO(body), "application/json", {})


# --- 1. JSON nesting and invalid JSON ---------------------------------------------------------------------------


def test_a_deeply_nested_json_body_is_a_400_not_a_500(json_api_as):
    api = json_api_as("prob.officer")
    for body in ("[" * 100_000, '{"a":' * 100_000, "[" * 100_000 + "]" * 100_000):
        response = api.post(PERSONS, data=body, content_type="application/json")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert "nested more than 64 levels" in response.json()["detail"]
    assert Person.objects.count() == PERSONS_IN_DEMO


def test_nesting_up_to_the_limit_parses_and_one_more_is_refused():
    assert parse(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None
    with pytest.raises(ParseError, match="nested more than"):
        parse(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))


def test_brackets_inside_strings_are_not_nesting():
    text = '{"body": "' + "[{" * 5000 + '\\"]", "k": "\\\\"}'
    assert not json_depth_exceeds(text, MAX_DEPTH)
    assert parse(text.encode())["body"].startswith("[{[{")


def test_the_depth_scan_is_linear_even_on_unterminated_strings():
    hostile = '"\\"' * 800_000  # every quote opens a string no quote closes
    started = time.monotonic()
    json_depth_exceeds(hostile, MAX_DEPTH)
    json_depth_exceeds('"' + "a" * 2_000_000, MAX_DEPTH)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("body", ["{", "{'a': 1}", '{"a": NaN}', "[1,]", "\xff\xfe"])
def test_invalid_json_is_a_400_with_a_detail(json_api_as, body):
    response = json_api_as("cp.analyst").post(PERSONS, data=body.encode("latin-1"), content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"} and response.json()["detail"]
    assert Person.objects.count() == PERSONS_IN_DEMO


# --- 2. Control characters: one rule (lib.text), every door ------------------------------------------------------


@pytest.mark.parametrize("character", FORBIDDEN)
def test_the_rule_refuses_controls_bidi_and_the_bom(character):
    assert forbidden_character(f"Mo{character}hammed") == character


@pytest.mark.parametrize("character", ALLOWED)
def test_the_rule_accepts_tab_newlines_and_ordinary_unicode(character):
    assert forbidden_character(f"Line{character}text") is None


def test_the_walk_names_the_path_of_a_value_or_key():
    assert first_forbidden({"subject": {"given_name": "A\x00"}}) == ("subject.given_name", "\x00")
    assert first_forbidden({"items": ["ok", {"text": "\u202e"}]}) == ("items[1].text", "\u202e")
    assert first_forbidden({"na\x00me": "x"}) == ("na\\u0000me", "\x00")
    assert first_forbidden({"a": [1, 2.5, None, True, "fine\n"]}) is None


# (a) the API: every string and key of a JSON body


@pytest.mark.parametrize("character", FORBIDDEN)
@pytest.mark.parametrize("username", ["prob.officer", "cp.analyst", "muni.coordinator"])
def test_api_refuses_a_control_character_in_a_text_field_and_names_it(json_api_as, username, character):
    response = json_api_as(username).post(PERSONS, {**PERSON, "given_name": f"Yu{character}suf"})
    assert response.status_code == 400
    assert list(response.json()) == ["given_name"]
    assert f"U+{ord(character):04X}" in response.json()["given_name"][0]
    assert Person.objects.count() == PERSONS_IN_DEMO


def test_api_refuses_it_in_a_nested_field_and_in_a_key(json_api_as):
    api = json_api_as("pn.casemanager")
    nested = api.post(SIGNALS, signal_body(subject=subject(family_name="Al\u202ehasan")))
    assert nested.status_code == 400 and list(nested.json()) == ["subject.family_name"]
    key = api.post(SIGNALS, {**signal_body(), "note\x00": "x"})
    assert key.status_code == 400 and list(key.json()) == ["note\\u0000"]
    listed = api.post(SIGNALS, ["a", "\x1b"])
    assert listed.status_code == 400 and list(listed.json()) == ["[1]"]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("username", ["evaluator", "police.liaison", "mentor.one"])
def test_who_may_not_register_persons_gets_403_before_the_body_is_read(json_api_as, username):
    response = json_api_as(username).post(PERSONS, {**PERSON, "given_name": "\x00"})
    assert response.status_code == 403
    assert Person.objects.count() == PERSONS_IN_DEMO


def test_api_keeps_tabs_and_newlines_in_text(json_api_as, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = json_api_as("pn.casemanager").post(
            SIGNALS, signal_body(description="First line.\nSecond line,\r\n\tindented — é.")
        )
    assert response.status_code == 201, response.json()
    assert Signal.objects.get().description == "First line.\nSecond line,\r\n\tindented — é."


# (b) the pages: every posted form field, whatever the form


def new_case_data(**overrides):
    return {
        "given_name": "Anna",
        "family_name": "Newcase",
        "birth_date": "1990-05-05",
        "gender": "female",
        "nationality": "NL",
        "legal_status": "resident",
        "subject_category": "suspect",
        "lead_organisation": "probation",
        "phase": "custody",
        **overrides,
    }


def report_data(**overrides):
    return {
        "given_name": "Mohammed",
        "family_name": "Alhasan",
        "birth_date": "1994-03-02",
        "gender": "male",
        "nationality": "NL",
        "description": "Tried to recruit two fellow detainees.",
        "extremism_type": "jihadist",
        "offence_type": "none",
        "setting": "prison",
        **overrides,
    }


def entry_data(**overrides):
    return {
        "category": "plan",
        "kind": "contact",
        "title": "Weekly meeting",
        "body": "Came on time.",
        "statement": "fact",
        "source": "Own observation",
        "reliability": "reliable",
        **overrides,
    }


def assert_refused_page(response, field: str, character: str) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<h1>Bad request.</h1>" in page and f"U+{ord(character):04X}" in page and field in page
    assert response["Content-Security-Policy"] and response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\ufeff"])
def test_the_open_case_form_refuses_a_control_character(world, browser_as, character):
    cases = Case.objects.count()
    response = browser_as("prob.officer").post("/cases/new/", new_case_data(family_name=f"New{character}case"))
    assert_refused_page(response, "family_name", character)
    assert Case.objects.count() == cases and not Person.objects.filter(family_name__startswith="New").exists()


@pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "muni.coordinator"])
def test_the_signal_report_form_refuses_it_and_keeps_newlines(demo_world, browser_as, username):
    client = browser_as(username)
    assert_refused_page(client.post("/signals/report/", report_data(description="Saw \x1b[31m")), "description", "\x1b")
    assert not Signal.objects.exists()
    response = client.post("/signals/report/", report_data(description="Line one.\r\nLine two.\tTabbed."))
    assert response.status_code == 302
    assert Signal.objects.get().description == "Line one.\r\nLine two.\tTabbed."


def test_the_login_form_refuses_it_before_any_lookup(demo_world):
    response = Client().post("/login/", {"username": "prob.officer\x00", "password": "continuum-demo"})
    assert_refused_page(response, "username", "\x00")


def test_a_journal_entry_form_refuses_it_in_a_multipart_field(world, browser_as):
    entries = Entry.objects.count()
    text = SimpleUploadedFile("notes.txt", b"plain words", content_type="text/plain")
    response = browser_as("prob.officer").post(
        f"/cases/{world.case.pk}/entries/new/", {**entry_data(title="Meet\u2066ing"), "attachments": [text]}
    )
    assert_refused_page(response, "title", "\u2066")
    assert Entry.objects.count() == entries


# (c) CSV import cells

IMPORT_HEADER = (
    "given_name,family_name,birth_date,gender,nationality,description,extremism_type,offence_type,setting,"
    "reporting_organisation"
)
IMPORT_ROWS = [
    "Mohammed,Alhasan,1994-03-02,male,NL,Recruiting on the wing,jihadist,none,prison,prison-north",
    "Lars,Visser,1979-05-17,male,NL,Runs a chat group,right_wing,none,online,police",
    "Sam,Yilmaz,1985-01-01,male,TR,Financing suspected,jihadist,none,prison,prison-south",
]


def import_file(rows: list[str]) -> bytes:
    return ("\n".join([IMPORT_HEADER, *rows]) + "\n").encode()


@pytest.mark.parametrize(
    ("cell", "value", "column"),
    [
        (0, "Lar\x00s", "given_name"),
        (1, "Vis\u202eser", "family_name"),
        (5, "Runs a\x0bchat group", "description"),
        (9, "police\x1f", "reporting_organisation"),  # trailing: str.strip() would have hidden it
    ],
)
def test_an_import_cell_with_a_control_character_refuses_the_row_and_stores_nothing(persona, cell, value, column):
    rows = list(IMPORT_ROWS)
    cells = rows[1].split(",")
    cells[cell] = value
    rows[1] = ",".join(cells)
    report = import_signals(import_file(rows), acting_user=persona("cp.analyst"))
    assert not report.ok and report.signals == []
    assert [(e.row, e.field) for e in report.errors] == [(3, column)]
    assert "U+" in report.errors[0].message
    assert not Signal.objects.exists() and Person.objects.count() == PERSONS_IN_DEMO
    assert not AuditEvent.objects.filter(object_type__in=["signal", "signal_import"]).exists()


def test_a_control_character_in_a_cell_past_the_header_or_in_the_header_is_refused(persona):
    analyst = persona("cp.analyst")
    extra = import_signals(import_file([*IMPORT_ROWS[:2], IMPORT_ROWS[2] + ",x\x00"]), acting_user=analyst)
    assert not extra.ok and {e.row for e in extra.errors} == {4} and "row" in {e.field for e in extra.errors}
    with pytest.raises(DjangoValidationError, match="header row"):
        import_signals(import_file(IMPORT_ROWS).replace(b"setting", "set\u202eting".encode(), 1), acting_user=analyst)
    assert not Signal.objects.exists()


def test_the_import_api_answers_400_with_row_and_column(api_as, demo_world):
    upload = SimpleUploadedFile("signals.csv", import_file([IMPORT_ROWS[0], "Lars,Vis\x00ser" + IMPORT_ROWS[1][11:]]))
    response = api_as("cp.analyst").post(f"{SIGNALS}import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(3, "family_name")]
    assert not Signal.objects.exists()


def test_the_clean_import_still_imports(persona):
    report = import_signals(import_file(IMPORT_ROWS), acting_user=persona("cp.analyst"))
    assert report.ok and Signal.objects.count() == len(IMPORT_ROWS)


# (d) upload names


@pytest.mark.parametrize("name", ["report\u202efdp.exe.pdf", "no\x00te.txt", "\x07.txt", "&#x202e;gpj.pdf"])
def test_an_upload_name_with_a_control_character_is_400_on_the_api(api_as, world, upload_dir, name):
    before = (Entry.objects.count(), Attachment.objects.count())
    upload = SimpleUploadedFile(name, b"%PDF-1.4 synthetic", content_type="application/pdf")
    response = api_as("exit.worker").post(
        f"/api/v1/cases/{world.case.pk}/entries/",
        {"category": "counselling", "title": "With file", "attachments": [upload]},
        format="multipart",
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert list(response.json()) == ["file_name"] and "U+" in response.json()["file_name"][0]
    assert (Entry.objects.count(), Attachment.objects.count()) == before


def test_an_upload_name_with_a_control_character_is_400_on_the_page(world, browser_as):
    entries = Entry.objects.count()
    upload = SimpleUploadedFile("order\u202efdp.exe", b"%PDF-1.4 synthetic", content_type="application/pdf")
    response = browser_as("prob.officer").post(
        f"/cases/{world.case.pk}/entries/new/", {**entry_data(), "attachments": [upload]}
    )
    assert_refused_page(response, "uploaded file", "\u202e")
    assert Entry.objects.count() == entries


def test_an_upload_with_an_ordinary_name_is_still_accepted(api_as, world):
    upload = SimpleUploadedFile("Verslag été.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")
    response = api_as("exit.worker").post(
        f"/api/v1/cases/{world.case.pk}/entries/",
        {"category": "counselling", "title": "With file", "attachments": [upload]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["Verslag été.pdf"]


def test_the_signal_import_page_refuses_a_control_character_in_the_file_name(demo_world, browser_as):
    upload = SimpleUploadedFile("signals\x00.csv", import_file(IMPORT_ROWS), content_type="text/csv")
    response = browser_as("cp.analyst").post("/signals/import/", {"file": upload})
    assert_refused_page(response, "uploaded file", "\x00")
    assert not Signal.objects.exists()


# --- 3. CSV exports neutralise formula prefixes ------------------------------------------------------------------


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_cell_that_starts_like_a_formula_gets_an_apostrophe(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-3, 4.5, 0, None, "plain", "a=b", "", "'quoted"])
def test_numbers_and_other_text_are_left_alone(value):
    assert csv_cell(value) == value


def test_the_research_export_neutralises_a_formula_in_any_column():
    row = dict.fromkeys(export.COLUMNS, "x")
    row.update(pseudonym="=cmd|' /C calc'!A0", phase="@SUM(1)", milestones_achieved=-1)
    result = export.Export(released=True, rows=[row], k=10, l=2, total=1)
    rows = [r for r in csv.reader(io.StringIO(export_csv(result))) if not r[0].startswith("#")]
    assert rows[0] == list(export.COLUMNS)
    by_column = dict(zip(rows[0], rows[1], strict=True))
    assert by_column["pseudonym"] == "'=cmd|' /C calc'!A0" and by_column["phase"] == "'@SUM(1)"
    assert by_column["milestones_achieved"] == "-1"  # a number stays a number


# --- 4. Implausible dates ------------------------------------------------------------------------------------------


def test_the_birth_date_rule():
    today = timezone.localdate()
    assert birth_date_error(None) is None
    assert birth_date_error(date(1900, 1, 1)) is None and birth_date_error(today) is None
    assert birth_date_error(date(1899, 12, 31)) and birth_date_error(date(1, 1, 1))
    assert birth_date_error(today + timedelta(days=1))


@pytest.mark.parametrize("born", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_api_refuses_an_implausible_birth_date(api_as, born):
    response = api_as("prob.officer").post(PERSONS, {**PERSON, "birth_date": born}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["birth_date"]
    assert Person.objects.count() == PERSONS_IN_DEMO


def test_api_refuses_a_birth_date_in_the_future_and_accepts_1900(api_as):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    api = api_as("cp.analyst")
    assert api.post(PERSONS, {**PERSON, "birth_date": tomorrow}, format="json").status_code == 400
    assert api.post(PERSONS, {**PERSON, "birth_date": "1900-01-01"}, format="json").status_code == 201


def test_a_signal_subject_and_an_import_row_refuse_an_implausible_birth_date(json_api_as, persona):
    response = json_api_as("pn.casemanager").post(SIGNALS, signal_body(subject=subject(birth_date="0001-01-01")))
    assert response.status_code == 400 and "birth_date" in str(response.json())
    rows = [IMPORT_ROWS[0], IMPORT_ROWS[1].replace("1979-05-17", "1850-05-17")]
    report = import_signals(import_file(rows), acting_user=persona("cp.analyst"))
    assert report.errors == [RowError(3, "birth_date", birth_date_error(date(1850, 5, 17)))]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "2101-01-01"])
def test_any_other_api_date_outside_1900_to_2100_is_refused(api_as, world, day):
    case = world.case
    response = api_as("pn.casemanager").patch(
        f"/api/v1/cases/{case.pk}/", {"version": case.version, "trial_concluded_on": day}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["trial_concluded_on"]
    case.refresh_from_db()
    assert case.trial_concluded_on != date.fromisoformat(day)


def test_an_api_date_time_outside_1900_to_2100_is_refused():
    from rest_framework import serializers

    class Meeting(serializers.Serializer):
        at = serializers.DateTimeField()
        on = serializers.DateField()

    bad = Meeting(data={"at": "2150-01-01T10:00:00Z", "on": "1899-01-01"})
    assert not bad.is_valid() and set(bad.errors) == {"at", "on"}
    assert Meeting(data={"at": "2026-01-01T10:00:00Z", "on": "2026-01-01"}).is_valid()


def test_every_date_field_of_every_page_form_has_the_plausibility_validator():
    """Django builds a form field's validators when the class is defined: a forms module imported
    before ``continuum.api``'s ``ready()`` would miss the rule. None is."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import continuum
    from continuum.lib.dates import plausible_date, validate_birth_date

    checked = 0
    for module_info in pkgutil.walk_packages(continuum.__path__, "continuum."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                for field_name, field in form.base_fields.items():
                    if isinstance(field, (forms.DateField, forms.DateTimeField)):
                        rules = {plausible_date, validate_birth_date} & set(field.validators)
                        assert rules, f"{form.__name__}.{field_name}"
                        checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    ("born", "message"),
    [("0001-01-01", "before 1900-01-01 is not plausible"), ("1899-12-31", "before 1900-01-01 is not plausible"),
     ("2999-01-01", "cannot be in the future")],
)  # fmt: skip
def test_the_open_case_form_refuses_an_implausible_birth_date(world, browser_as, born, message):
    response = browser_as("prob.officer").post("/cases/new/", new_case_data(birth_date=born))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Person.objects.filter(family_name="Newcase").exists()


def test_the_open_case_form_refuses_a_future_birth_date_with_its_own_message(world, browser_as):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = browser_as("prob.officer").post("/cases/new/", new_case_data(birth_date=tomorrow))
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()


def test_the_signal_report_form_refuses_a_birth_date_before_1900(demo_world, browser_as):
    response = browser_as("pn.casemanager").post("/signals/report/", report_data(birth_date="1899-12-31"))
    assert response.status_code == 200 and "1900-01-01" in response.content.decode()
    assert not Signal.objects.exists()


# --- 5. JSON errors on every API path -------------------------------------------------------------------------------

TOO_BIG = 2_621_440 + 1


def test_an_oversize_json_body_is_413_json(json_api_as):
    body = '{"given_name": "' + "a" * TOO_BIG + '"}'
    response = json_api_as("prob.officer").post(PERSONS, data=body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "2.5 MB" in response.json()["detail"]
    assert Person.objects.count() == PERSONS_IN_DEMO


def test_an_oversize_form_body_to_the_api_is_413_json(api_as):
    response = api_as("prob.officer").post(
        PERSONS, data="given_name=" + "a" * TOO_BIG, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "2.5 MB" in response.json()["detail"]


def test_an_oversize_form_on_a_page_is_the_413_page(demo_world, browser_as):
    response = browser_as("pn.casemanager").post("/signals/report/", report_data(description="a" * TOO_BIG))
    assert response.status_code == 413 and response["Content-Type"].startswith("text/html")
    assert "2.5 MB" in response.content.decode()
    assert not Signal.objects.exists()


def test_an_unknown_api_path_is_a_json_404_and_a_page_path_is_html(json_api_as):
    api = json_api_as("prob.officer")
    for url in ("/api/v1/no-such-thing/", "/api/nothing/", "/api/v1/persons/x/y/z/"):
        response = api.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url
        assert response.json() == {"detail": "Not found."}
    page = api.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_wrong_method_on_the_api_is_a_json_405(json_api_as):
    response = json_api_as("prob.officer").delete("/api/v1/me/")
    assert response.status_code == 405 and response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "url"),
    [("post", "/api/docs/"), ("post", "/api/redoc/"), ("post", "/api/schema/"), ("put", "/api/v1/me/"),
     ("get", "/api"), ("get", "/api/v1"), ("post", "/api/v1/")],
)  # fmt: skip
def test_every_error_under_the_api_is_json(json_api_as, method, url):
    response = getattr(json_api_as("prob.officer"), method)(url)
    assert response.status_code in (404, 405), (url, response.status_code)
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    if response.status_code == 405:
        assert response["Allow"]


def _fails(request):
    raise RuntimeError("a synthetic failure")


urlpatterns = [path("api/v1/test-failure/", _fails), path("test-failure/", _fails), *continuum.urls.urlpatterns]
handler404 = continuum.urls.handler404
handler500 = continuum.urls.handler500


@pytest.mark.urls(__name__)
def test_a_server_error_on_the_api_is_json_and_on_a_page_html(demo_world):
    client = Client(raise_request_exception=False)
    api = client.get("/api/v1/test-failure/")
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert api.json() == {"detail": "Something went wrong on our side."}
    page = client.get("/test-failure/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_the_api_lockout_stays_json(demo_world, settings):
    client = Client()
    body = {"username": "ps.casemanager", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", body, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token/", {**body, "password": "continuum-demo"}, content_type="application/json"
    )
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_the_lockout_stays_json_when_the_body_is_also_bad(demo_world, settings):
    """A refused body is refused before the login is tried: no failure counted, JSON either way."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/api/v1/auth/token/", {"username": "ps.casemanager\x00", "password": "x"}, content_type="application/json"
        )
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
    login = {"username": "ps.casemanager", "password": "continuum-demo"}
    good = client.post("/api/v1/auth/token/", login, content_type="application/json")
    assert good.status_code in (200, 201), good.content
