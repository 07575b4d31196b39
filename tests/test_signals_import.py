"""The central point's CSV import (issue 4): every row checked first, then all rows or none."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from continuum.audit.models import AuditEvent
from continuum.cases.models import Case
from continuum.signals.importing import RowError, import_signals
from continuum.signals.models import Signal

pytestmark = pytest.mark.django_db

HEADER = (
    "given_name,family_name,birth_date,gender,nationality,description,extremism_type,offence_type,setting,"
    "reporting_organisation"
)
ROWS = [
    "Mohammed,Alhasan,1994-03-02,male,NL,Recruiting on the wing,jihadist,none,prison,prison-north",
    "Lars,Visser,1979-05-17,male,NL,Runs a chat group,right_wing,none,online,police",
    "Jan,Janssen,,male,NL,Threatened teachers,single_issue,none,school,municipality-harbour",
    "Noor,Bakker,2001-02-14,female,NL,Family worried about her contacts,jihadist,none,community,family-counselling",
    "Tim,de Boer,1999-12-01,male,,Sabotage plans,left_wing,other_offence,community,probation",
    "Eva,Smit,1990-07-07,female,NL,Shared propaganda,right_wing,none,online,exit-ngo",
    "Sam,Yilmaz,1985-01-01,male,TR,Financing suspected,jihadist,terrorist_offence,prison,prison-south",
]
BAD_ROW = 5  # the fourth signal; the header is row 1
BAD = "Noor,Bakker,14-02-2001,female,NL,Family worried about her contacts,jihadist,none,community,family-counselling"


def csv_text(rows: list[str], *, delimiter: str = ",") -> str:
    lines = [HEADER, *rows]
    return "\n".join(line.replace(",", delimiter) for line in lines) + "\n"


def test_one_bad_row_among_many_imports_nothing_and_the_report_names_the_row_and_field(persona):
    rows = list(ROWS)
    rows[BAD_ROW - 2] = BAD
    report = import_signals(csv_text(rows).encode(), acting_user=persona("cp.analyst"))
    assert not report.ok
    assert report.rows == len(ROWS)
    assert report.errors == [
        RowError(BAD_ROW, "birth_date", "Write the date of birth as YYYY-MM-DD (e.g. 1994-03-02).")
    ]
    assert not Signal.objects.exists() and not Case.objects.exists()
    assert not AuditEvent.objects.filter(object_type__in=["signal", "signal_import"]).exists()


def test_the_fixed_file_imports_completely(persona):
    cp = persona("cp.analyst")
    report = import_signals(csv_text(ROWS).encode(), acting_user=cp)
    assert report.ok and len(report.signals) == len(ROWS) == Signal.objects.count()
    by_family = {s.subject_family_name: s for s in Signal.objects.select_related("author_org")}
    assert by_family["Alhasan"].author_org.slug == "prison-north"
    assert by_family["Visser"].author_org.slug == "police"
    assert by_family["Janssen"].subject_birth_date is None
    assert {s.channel for s in by_family.values()} == {"import"}
    assert all(s.author == cp for s in by_family.values())
    # The terrorist offence is included at once: the case is led by the reporting prison.
    yilmaz = by_family["Yilmaz"]
    assert yilmaz.status == "included" and yilmaz.case.lead_organisation.slug == "prison-south"
    events = AuditEvent.objects.filter(object_type="signal", action="create")
    assert events.count() == len(ROWS)
    assert {e.detail["importer"] for e in events} == {"cp.analyst"}
    assert len({e.detail["batch"] for e in events}) == 1
    assert AuditEvent.objects.filter(object_type="signal_import").get().detail["signals"] == len(ROWS)


def test_every_mistake_of_every_row_is_reported(persona):
    rows = [
        ROWS[0],
        ",Visser,1979-05-17,robot,NL,,fascist,none,online,police",
        "Jan,Janssen,2999-01-01,male,NL,Threatened,single_issue,arson,park,mentor-network",
        "Eva,Smit,1990-07-07,female,NL,Shared,right_wing,none,online,evaluation-institute",
    ]
    report = import_signals(csv_text(rows), acting_user=persona("cp.coordinator"))
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "given_name"),
        (3, "gender"),
        (3, "description"),
        (3, "extremism_type"),
        (4, "birth_date"),
        (4, "offence_type"),
        (4, "setting"),
        (4, "reporting_organisation"),
        (5, "reporting_organisation"),
    ]
    assert not Signal.objects.exists()


def test_semicolons_a_byte_order_mark_blank_lines_and_columns_in_any_order(persona):
    columns = HEADER.split(",")
    reordered = ";".join(reversed(columns))
    rows = [";".join(reversed(r.split(","))) for r in ROWS[:2]]
    data = ("\ufeff" + reordered + "\n" + rows[0] + "\n\n" + rows[1] + "\n").encode()
    report = import_signals(data, acting_user=persona("cp.analyst"))
    assert report.ok and Signal.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"given_name,family_name\nA,B\n", "lacks the column(s)"),
        (HEADER.encode() + b"\n", "no signals"),
        ("given_name\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(persona, data, message):
    with pytest.raises(ValidationError) as refused:
        import_signals(data, acting_user=persona("cp.analyst"))
    assert message in " ".join(refused.value.messages)
    assert not Signal.objects.exists()


@pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "mentor.one", "dpo", "admin", "evaluator"])
def test_only_the_central_point_imports(persona, username):
    with pytest.raises(PermissionDenied):
        import_signals(csv_text(ROWS), acting_user=persona(username))
    assert not Signal.objects.exists()


# --- the import page ---------------------------------------------------------------------------------------------


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("signals.csv", text.encode(), content_type="text/csv")


def test_the_page_shows_the_report_and_imports_nothing_then_the_fixed_file_imports(browser_as):
    client = browser_as("cp.analyst")
    rows = list(ROWS)
    rows[BAD_ROW - 2] = BAD
    response = client.post("/signals/import/", {"file": upload(csv_text(rows))})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page and f"<td>{BAD_ROW}</td>" in page and "birth_date" in page
    assert not Signal.objects.exists()
    response = client.post("/signals/import/", {"file": upload(csv_text(ROWS))})
    assert response.status_code == 302 and response["Location"] == "/signals/"
    assert Signal.objects.count() == len(ROWS)


def test_the_page_refuses_a_file_that_is_not_csv(browser_as):
    response = browser_as("cp.analyst").post(
        "/signals/import/", {"file": SimpleUploadedFile("scan.png", b"\x89PNG", content_type="image/png")}
    )
    assert "Choose a CSV file" in response.content.decode()
    assert not Signal.objects.exists()


@pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison", "mentor.one", "dpo", "admin", "evaluator"])
def test_the_page_is_for_the_central_point_only(browser_as, username):
    client = browser_as(username)
    assert client.get("/signals/import/").status_code == 403
    assert client.post("/signals/import/", {"file": upload(csv_text(ROWS))}).status_code == 403
    assert not Signal.objects.exists()
