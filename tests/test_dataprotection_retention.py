"""Retention after case closure: the review queue, legal holds, erasure and the daily command.

docs/data-protection.md, "Retention" and "Erasure". The world is tests/api_world.py's: Amira's case
with a journal entry in eight categories (one with an attachment), Bilal's open case. Her case is
closed through the action, then its closure moved back in time (the phase history's date), as if
it had been closed years ago.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from continuum.audit.changes import audited_diff
from continuum.audit.log import verify_chain
from continuum.audit.models import AuditEvent
from continuum.cases import actions as case_actions
from continuum.cases.models import Attachment, Case, Entry, PhaseChange
from continuum.dataprotection.retention import add_years, due_groups, periods
from continuum.dataprotection.retention_models import LegalHold, QueueEntry
from continuum.people.models import Person
from continuum.sharing.models import Disclosure
from tests.api_world import AMIRA_ENTRIES, build_world

pytestmark = pytest.mark.django_db

DUE = "/api/v1/retention/due/"
HOLDS = "/api/v1/retention/holds/"
ERASE = "/api/v1/retention/erase/"
NOT_DPO = ["pn.casemanager", "cp.coordinator", "muni.coordinator", "admin", "evaluator", "police.liaison"]


@pytest.fixture
def world(persona, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        built = build_world(persona)
    return built


def close_case(case: Case, persona, *, years_ago: float) -> Case:
    case.refresh_from_db()
    closed = case_actions.do_update_case(
        case, version=case.version, phase="closed", acting_user=persona("pn.casemanager")
    )
    PhaseChange.objects.filter(case=case, to_phase="closed").update(
        changed_at=timezone.now() - timedelta(days=round(365.25 * years_ago))
    )
    return closed


def as_if_listed(days_ago: int) -> None:
    """The daily run listed every group ``days_ago`` days ago (the review window then counts from there)."""
    QueueEntry.objects.update(entered_on=timezone.localdate() - timedelta(days=days_ago))


def run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def distinctive_texts() -> list[str]:
    texts = [title for _a, _c, title, _b, _w in AMIRA_ENTRIES.values()]
    texts += [body for _a, _c, _t, body, _w in AMIRA_ENTRIES.values()]
    return [*texts, "Amira", "1994-03-02"]


# --- The periods -------------------------------------------------------------------------------


def test_every_category_has_a_period_and_a_deployment_overrides_them(settings):
    from continuum.sharing.choices import Category

    assert set(periods()) == set(Category.values)
    settings.CONTINUUM_RETENTION_YEARS = {"legal": 12}
    assert periods()["legal"] == 12
    settings.CONTINUUM_RETENTION_YEARS = {"lega": 12}
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="lega"):
        periods()


def test_the_environment_knob_is_parsed_and_bad_values_stop_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from continuum.lib.env import envintmap

    monkeypatch.setenv("CONTINUUM_RETENTION_YEARS", "legal=10, Security=5")
    assert envintmap("CONTINUUM_RETENTION_YEARS", minimum=0) == {"legal": 10, "security": 5}
    monkeypatch.setenv("CONTINUUM_RETENTION_YEARS", "legal=ten")
    with pytest.raises(ImproperlyConfigured):
        envintmap("CONTINUUM_RETENTION_YEARS", minimum=0)


def test_a_29_february_closure_falls_due_on_28_february():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_an_open_case_is_never_due_and_a_closed_one_follows_each_category_period(world, persona):
    assert due_groups() == []
    close_case(world.case, persona, years_ago=3.1)
    due = {g.category: g for g in due_groups()}
    # Three years after closure: children (2) and the 3-year categories, not legal (10) nor security (5).
    assert set(due) == {"children", "plan"}
    assert due["children"].counts == {"entry": 1} and due["children"].case_id == world.case.pk
    assert not any(g.case_id == world.other_case.pk for g in due_groups())


def test_a_deployment_longer_period_keeps_a_category_out_of_the_queue(world, persona, settings):
    close_case(world.case, persona, years_ago=3.1)
    settings.CONTINUUM_RETENTION_YEARS = {"children": 5}
    assert {g.category for g in due_groups()} == {"plan"}


# --- The review queue: who may read it ---------------------------------------------------------


@pytest.mark.parametrize("username", NOT_DPO)
def test_only_the_dpo_reads_the_queue(world, persona, json_api_as, username):
    close_case(world.case, persona, years_ago=11)
    response = json_api_as(username).get(DUE)
    assert response.status_code == 403


def test_the_dpo_reads_the_queue_with_deadlines_and_no_content(world, persona, json_api_as):
    close_case(world.case, persona, years_ago=11)
    response = json_api_as("dpo").get(DUE)
    assert response.status_code == 200
    items = response.json()["results"]
    assert {i["category"] for i in items} == {c for _a, c, _t, _b, _w in AMIRA_ENTRIES.values()}
    security = next(i for i in items if i["category"] == "security")
    assert security["case"] == str(world.case.pk) and security["case_number"] == world.case.number
    assert security["records"] == {"entry": 2}
    assert security["legal_hold"] is None and security["in_queue_since"] is None
    assert security["erasure_on"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    closed_on = date.fromisoformat(security["closed_on"])
    assert security["due_since"] == add_years(closed_on, 5).isoformat()
    text = json.dumps(response.json())
    assert not [t for t in distinctive_texts() if t in text]
    assert AuditEvent.objects.filter(object_type="retention_queue", actor_username="dpo").exists()


def test_the_queue_costs_a_bounded_number_of_queries(world, persona, json_api_as, django_assert_max_num_queries):
    close_case(world.case, persona, years_ago=11)
    client = json_api_as("dpo")
    with django_assert_max_num_queries(12):
        response = client.get(DUE)
    assert response.status_code == 200 and response.json()["count"] == 7


# --- Legal holds --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["pn.casemanager", "cp.coordinator", "admin", "evaluator"])
def test_only_the_dpo_places_a_hold(world, json_api_as, username):
    until = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = json_api_as(username).post(HOLDS, {"case": str(world.case.pk), "reason": "Court", "until": until})
    assert response.status_code == 403
    assert json_api_as(username).get(HOLDS).status_code == 403
    assert not LegalHold.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"until": "FUTURE"}, "reason"),
        ({"reason": "  ", "until": "FUTURE"}, "reason"),
        ({"reason": "Court\u202ecase", "until": "FUTURE"}, "reason"),
        ({"reason": "Court case"}, "until"),
        ({"reason": "Court case", "until": "TODAY"}, "until"),
        ({"reason": "Court case", "until": "2020-01-01"}, "until"),
        ({"reason": "Court case", "until": "next week"}, "until"),
        ({"reason": "Court case", "until": "FUTURE", "case": "not-an-id"}, "case"),
    ],
)
def test_a_hold_with_bad_input_is_a_400_and_nothing_is_written(world, json_api_as, body, field):
    events = AuditEvent.objects.count()
    dates = {
        "FUTURE": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "TODAY": timezone.localdate().isoformat(),
    }
    payload = {"case": str(world.case.pk), **{k: dates.get(v, v) for k, v in body.items()}}
    response = json_api_as("dpo").post(HOLDS, payload)
    assert response.status_code == 400, response.content
    assert field in json.dumps(response.json())
    assert not LegalHold.objects.exists()
    assert not AuditEvent.objects.filter(seq__gt=events, object_type="legal_hold").exists()


def test_a_hold_on_an_unknown_case_is_a_404(world, json_api_as):
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = json_api_as("dpo").post(
        HOLDS, {"case": "0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01", "reason": "Court", "until": until}
    )
    assert response.status_code == 404
    assert not LegalHold.objects.exists()


def test_a_held_case_is_never_erased_until_the_hold_ends(world, persona, json_api_as):
    close_case(world.case, persona, years_ago=11)
    client = json_api_as("dpo")
    until = (timezone.localdate() + timedelta(days=365)).isoformat()
    response = client.post(HOLDS, {"case": str(world.case.pk), "reason": "Appeal pending", "until": until})
    assert response.status_code == 201
    hold = response.json()
    assert hold["in_force"] is True and hold["case_number"] == world.case.number
    event = AuditEvent.objects.get(object_type="legal_hold", object_id=hold["id"])
    assert event.case_id == world.case.pk and "Appeal" not in event.canonical()

    run()
    as_if_listed(days_ago=400)
    output = run()
    assert "Held:" in output
    assert Entry.objects.filter(case=world.case).count() == len(AMIRA_ENTRIES)
    item = client.get(DUE).json()["results"][0]
    assert item["legal_hold"] == {"id": hold["id"], "reason": "Appeal pending", "until": until}
    assert item["erasure_on"] is None
    # Erasing now is refused while held.
    response = client.post(ERASE, {"case": str(world.case.pk), "category": "security"})
    assert response.status_code == 400 and "hold" in json.dumps(response.json())

    # Ended early: the next run erases.
    response = client.post(f"{HOLDS}{hold['id']}/end/")
    assert response.status_code == 200 and response.json()["in_force"] is False
    assert client.post(f"{HOLDS}{hold['id']}/end/").status_code == 400
    run()
    assert not Entry.objects.filter(case=world.case).exists()


def test_ending_a_hold_is_the_dpo_s_and_an_unknown_hold_is_a_404(world, persona, json_api_as):
    hold = LegalHold.objects.create(
        case=world.case, reason="Court", until=timezone.localdate() + timedelta(days=5), placed_by=persona("dpo")
    )
    assert json_api_as("pn.casemanager").post(f"{HOLDS}{hold.pk}/end/").status_code == 403
    assert json_api_as("dpo").post(f"{HOLDS}0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/end/").status_code == 404
    hold.refresh_from_db()
    assert hold.ended_at is None


# --- Erasure ------------------------------------------------------------------------------------


def test_the_dry_run_changes_nothing(world, persona):
    close_case(world.case, persona, years_ago=11)
    run()
    as_if_listed(days_ago=31)
    events, entries, queued = AuditEvent.objects.count(), Entry.objects.count(), QueueEntry.objects.count()
    output = run("--dry-run")
    assert "Would erase" in output and world.case.number in output
    assert (AuditEvent.objects.count(), Entry.objects.count(), QueueEntry.objects.count()) == (events, entries, queued)
    assert not [t for t in distinctive_texts() if t in output]


def test_a_dry_run_before_any_listing_writes_no_queue_entry(world, persona):
    close_case(world.case, persona, years_ago=11)
    run("--dry-run")
    assert not QueueEntry.objects.exists()


def test_due_records_wait_the_review_window_then_go_with_their_files_and_leave_only_metadata(
    world, persona, json_api_as, settings, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.get(entry=world.entries["counselling"])
    file_path = Path(settings.MEDIA_ROOT, attachment.file.name)
    assert file_path.is_file()
    # A read by another organisation, logged as a disclosure (R11), before the case closes.
    response = json_api_as("police.liaison").get(f"/api/v1/entries/{world.entries['security'].pk}/")
    assert response.status_code == 200
    assert Disclosure.objects.filter(person=world.amira.pk, record_id=world.entries["security"].pk).exists()
    close_case(world.case, persona, years_ago=11)
    amira_reference = Person.objects.get(pk=world.amira.pk).reference

    run()  # lists them today: nothing goes yet
    assert Entry.objects.filter(case=world.case).count() == len(AMIRA_ENTRIES)
    as_if_listed(days_ago=29)
    run()
    assert Entry.objects.filter(case=world.case).count() == len(AMIRA_ENTRIES)

    as_if_listed(days_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "Erased" in output
    assert not Entry.objects.filter(case=world.case).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not file_path.exists()
    # Bilal's open case is untouched.
    assert Entry.objects.filter(case=world.other_case).count() == 1

    # One event per case and category, with ids and counts only.
    erasures = AuditEvent.objects.filter(action="delete", case_id=world.case.pk, purpose="retention")
    assert erasures.count() == 7
    security = next(e for e in erasures if e.detail["category"] == "security")
    assert security.detail["records"] == {"entry": 2} and len(security.detail["ids"]["entry"]) == 2
    counselling = next(e for e in erasures if e.detail["category"] == "counselling")
    assert counselling.detail["files"] == 1 and counselling.detail["dependents"] == {"attachment": 1}

    # The person's identity went with the last record; the reference and ids stay.
    amira = Person.objects.get(pk=world.amira.pk)
    assert (amira.given_name, amira.family_name, amira.birth_date, amira.aliases) == ("", "", None, [])
    assert amira.reference == amira_reference
    assert AuditEvent.objects.filter(object_type="person_identity", object_id=str(amira.pk)).exists()

    # No event of the whole log holds what the erased records or the identity said; the chain holds.
    leaks = [
        (event.seq, text)
        for event in AuditEvent.objects.filter(person_id=world.amira.pk).order_by("seq")
        for text in distinctive_texts()
        if text in event.canonical()
    ]
    assert leaks == []
    assert verify_chain().ok
    call_command("verify_audit", stdout=StringIO())
    # Disclosure rows remain, with ids, categories and the basis only.
    for disclosure in Disclosure.objects.filter(person=world.amira.pk):
        row = json.dumps({f.name: str(getattr(disclosure, f.attname)) for f in Disclosure._meta.concrete_fields})
        assert not [t for t in distinctive_texts() if t in row]
    # The queue no longer lists them.
    assert json_api_as("dpo").get(DUE).json()["count"] == 0
    assert not QueueEntry.objects.exists()


def test_the_dpo_erases_a_due_group_now_and_nothing_that_is_not_due(world, persona, json_api_as):
    client = json_api_as("dpo")
    assert client.post(ERASE, {"case": str(world.case.pk), "category": "security"}).status_code == 400
    close_case(world.case, persona, years_ago=6)
    response = client.post(ERASE, {"case": str(world.case.pk), "category": "security"})
    assert response.status_code == 200
    assert response.json()["records"] == {"entry": 2} and response.json()["identity_erased"] is False
    assert not Entry.objects.filter(case=world.case, category="security").exists()
    # Legal (10 years) is not due yet.
    assert client.post(ERASE, {"case": str(world.case.pk), "category": "legal"}).status_code == 400
    assert Entry.objects.filter(case=world.case, category="legal").exists()
    assert Person.objects.get(pk=world.amira.pk).given_name == "Amira"


@pytest.mark.parametrize("username", ["pn.casemanager", "cp.coordinator", "admin", "evaluator"])
def test_only_the_dpo_erases_now(world, persona, json_api_as, username):
    close_case(world.case, persona, years_ago=11)
    response = json_api_as(username).post(ERASE, {"case": str(world.case.pk), "category": "security"})
    assert response.status_code == 403
    assert Entry.objects.filter(case=world.case, category="security").count() == 2


@pytest.mark.parametrize(
    "body",
    [{"category": "security"}, {"case": "x", "category": "security"}, {"case": "CASE", "category": "spying"}],
)
def test_erase_now_with_bad_input_is_a_400(world, json_api_as, body):
    payload = {k: (str(world.case.pk) if v == "CASE" else v) for k, v in body.items()}
    assert json_api_as("dpo").post(ERASE, payload).status_code == 400


# --- The audit log holds no free text of updates ------------------------------------------------


def test_audited_diff_keeps_codes_and_says_only_that_free_text_changed():
    diff = audited_diff(
        {"title": "Cell search", "kind": "note", "created_at": date(2026, 1, 2)},
        {"title": "Other title", "kind": "contact", "created_at": date(2026, 1, 3)},
        Entry,
    )
    assert diff == {
        "title": {"changed": True},
        "kind": {"old": "note", "new": "contact"},
        "created_at": {"old": "2026-01-02", "new": "2026-01-03"},
    }
    # Without the model, text counts as free text.
    assert audited_diff({"note": "a"}, {"note": "b"}) == {"note": {"changed": True}}


def test_an_update_action_logs_a_changed_name_without_the_name(world, persona):
    from continuum.accounts import actions as account_actions
    from continuum.accounts.models import Organisation

    organisation = Organisation.objects.get(slug="exit-ngo")
    account_actions.do_update_organisation(organisation, acting_user=persona("admin"), name="Exit Programme Renamed")
    event = AuditEvent.objects.filter(object_type="organisation").latest("seq")
    assert event.detail["changes"]["name"] == {"changed": True}
    assert "Exit Programme Renamed" not in event.canonical()


# --- The whole demo world: every record model erases cleanly --------------------------------------


def _free_texts(rows_by_model: dict) -> set[str]:
    """Every free text of at least eight characters the given rows hold (titles, notes, rationales…)."""
    texts = set()
    for model, rows in rows_by_model.items():
        for row in rows:
            for f in model._meta.concrete_fields:
                value = getattr(row, f.attname)
                if isinstance(value, str) and len(value) >= 8 and not f.choices and f.name != "withhold_from":
                    texts.add(value)
    return texts


def test_every_record_model_of_the_demo_world_is_erased_and_the_log_keeps_none_of_its_words(
    settings, tmp_path, django_capture_on_commit_callbacks, db
):
    from django.apps import apps

    from continuum.accounts.models import User
    from continuum.sharing.records import record_models

    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    for case in Case.objects.exclude(phase="closed"):
        manager = User.objects.filter(organisation=case.lead_organisation, role__in=["case_manager", "coordinator"])
        case_actions.do_update_case(case, version=case.version, phase="closed", acting_user=manager.first())
    PhaseChange.objects.filter(to_phase="closed").update(changed_at=timezone.now() - timedelta(days=365 * 20))
    erasable = {
        m: list(m._base_manager.filter(case__isnull=False))
        + (list(m._base_manager.filter(case__isnull=True)) if m.linked_cases else [])
        for m in record_models()
    }
    texts = _free_texts(erasable)
    names = {p.family_name for p in Person.objects.all()}
    assert texts and names
    run()
    as_if_listed(days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "0 held, 0 in review" in output
    # Left: only the signals that never became a case (person-level records of persons without one).
    left = {m._meta.label: m._base_manager.count() for m in record_models() if m._base_manager.exists()}
    assert set(left) <= {"signals.Signal", "signals.SignalNote"}
    assert not apps.get_model("cases", "Attachment").objects.exists()
    events = [e.canonical() for e in AuditEvent.objects.order_by("seq")]
    assert [t for t in texts if any(t in c for c in events)] == []
    erased_persons = Person.objects.filter(given_name="", family_name="")
    assert erased_persons.exists()
    assert verify_chain().ok
    assert due_groups() == []


# --- The page ---------------------------------------------------------------------------------------

PAGE = "/data-protection/retention/"


@pytest.mark.parametrize("username", NOT_DPO)
def test_only_the_dpo_opens_the_retention_page_and_a_refusal_is_audited(world, browser_as, username):
    client = browser_as(username)
    assert client.get(PAGE).status_code == 403
    until = (timezone.localdate() + timedelta(days=9)).isoformat()
    response = client.post(f"{PAGE}holds/", {"case_number": world.case.number, "reason": "x", "until": until})
    assert response.status_code == 403
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="retention", actor_username=username).exists()


def test_the_api_refusal_is_audited_too(world, json_api_as):
    assert json_api_as("cp.coordinator").get(DUE).status_code == 403
    assert AuditEvent.objects.filter(action="denied", object_type="retention", actor_username="cp.coordinator").exists()


def test_the_page_lists_the_queue_with_deadlines_and_no_content(
    world, persona, browser_as, django_assert_max_num_queries
):
    close_case(world.case, persona, years_ago=11)
    client = browser_as("dpo")
    with django_assert_max_num_queries(30):
        response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.case.number in html and "Erasure on" in html and "Due since" in html
    assert not [t for t in distinctive_texts() if t in html]


def test_the_page_places_and_ends_a_hold(world, persona, browser_as):
    close_case(world.case, persona, years_ago=11)
    client = browser_as("dpo")
    until = timezone.localdate() + timedelta(days=60)
    response = client.post(
        f"{PAGE}holds/", {"case_number": world.case.number, "reason": "Civil claim", "until": until.isoformat()}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.case == world.case and hold.until == until and hold.reason == "Civil claim"
    html = client.get(PAGE).content.decode()
    assert "Civil claim" in html and "Held" in html
    response = client.post(f"{PAGE}holds/{hold.pk}/end/")
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.ended_at is not None and hold.ended_by == persona("dpo")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"case_number": "1999-9999", "reason": "Court", "until": "FUTURE"}, "no case with this number"),
        ({"case_number": "CASE", "reason": "", "until": "FUTURE"}, "required"),
        ({"case_number": "CASE", "reason": "Court", "until": "2001-01-01"}, "a day still to come"),
        ({"case_number": "CASE", "reason": "Court", "until": "soon"}, "valid date"),
    ],
)
def test_the_page_s_hold_form_with_bad_input_is_a_400_and_nothing_is_written(world, browser_as, data, message):
    future = (timezone.localdate() + timedelta(days=9)).isoformat()
    values = {"CASE": world.case.number, "FUTURE": future}
    response = browser_as("dpo").post(f"{PAGE}holds/", {k: values.get(v, v) for k, v in data.items()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LegalHold.objects.exists()


def test_person_level_records_wait_for_every_case_of_the_person(world, persona):
    from continuum.signals import actions as signal_actions

    signal = signal_actions.do_report_signal(
        description="Worried neighbour's account, synthetic.",
        extremism_type="unknown",
        offence_type="none",
        person=world.amira,
        acting_user=persona("police.liaison"),
    )
    assert signal.case_id is None
    close_case(world.case, persona, years_ago=11)
    person_level = [g for g in due_groups() if g.case_id is None]
    assert [(g.person_id, g.counts) for g in person_level] == [(world.amira.pk, {"signal": 1})]
    # A new open case: her person-level records now follow it; the closed case's records stay due.
    case_actions.do_open_case(
        person=world.amira,
        lead_organisation=persona("pn.casemanager").organisation,
        phase="custody",
        acting_user=persona("pn.casemanager"),
    )
    groups = due_groups()
    assert not [g for g in groups if g.case_id is None]
    assert {g.case_id for g in groups} == {world.case.pk}


def test_a_hold_on_a_parent_s_case_keeps_the_children_s_records(
    settings, tmp_path, django_capture_on_commit_callbacks, persona
):
    from continuum.families.models import Placement, Relationship

    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    parent_case = Relationship.objects.filter(kind="child", ended_on__isnull=True).first().case
    case_actions.do_update_case(
        parent_case, version=parent_case.version, phase="closed", acting_user=persona("pn.casemanager")
    )
    PhaseChange.objects.filter(case=parent_case, to_phase="closed").update(
        changed_at=timezone.now() - timedelta(days=365 * 20)
    )
    children = [g for g in due_groups() if g.case_id is None and g.category == "children"]
    assert children and not any(g.held for g in children)
    from continuum.dataprotection.retention_actions import do_place_hold

    hold = do_place_hold(
        parent_case, reason="Family court", until=timezone.localdate() + timedelta(days=90), acting_user=persona("dpo")
    )
    children = [g for g in due_groups() if g.case_id is None and g.category == "children"]
    assert children and all(g.held and g.holds == [hold] for g in children)
    placements = Placement.objects.count()
    run()
    as_if_listed(days_ago=60)
    run()
    assert Placement.objects.count() == placements and placements > 0
    assert Entry.objects.filter(case=parent_case).exists()  # the held case's own records stay too
