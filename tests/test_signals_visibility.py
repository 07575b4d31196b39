"""Who sees a signal (DESIGN.md R0, R1 "and the central point, for triage data", R2, R10, R12).

The engine's triage hook: a case record model with ``central_point_triage`` is visible in full to the
central point (basis ``triage``), in the same single SQL query as every other rule.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from continuum.accounts.models import Organisation
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.actions import do_add_entry, do_add_member
from continuum.cases.models import Entry
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.choices import Basis
from continuum.sharing.disclosure import log_reads
from continuum.sharing.models import Disclosure
from continuum.signals.actions import do_add_signal_note, do_confirm_match, do_triage_signal
from continuum.signals.models import Signal, SignalNote
from tests.signals_world import al_hassan, person_with_case, report

pytestmark = pytest.mark.django_db


def basis(username_or_user, model, pk, persona):
    user = persona(username_or_user) if isinstance(username_or_user, str) else username_or_user
    row = model.objects.visible_to(user).filter(pk=pk).values_list("_vis_basis", flat=True).first()
    return row


def test_the_central_point_sees_every_signal_on_the_triage_basis(persona):
    signals = [report(persona, u) for u in ("pn.casemanager", "police.liaison", "exit.worker")]
    for username in ("cp.analyst", "cp.coordinator"):
        visible = Signal.objects.visible_to(persona(username))
        assert {s.pk for s in visible} == {s.pk for s in signals}
        assert {s.visibility["basis"] for s in visible} == {Basis.TRIAGE}
        assert visible[0].visibility["explanation"] == "triage: the central point sees every signal"


def test_the_reporting_organisation_sees_its_own_signal_and_no_other_organisation_does(persona):
    signal = report(persona, "pn.casemanager")
    assert basis("pn.casemanager", Signal, signal.pk, persona) == Basis.AUTHOR
    assert basis("pn.security", Signal, signal.pk, persona) == Basis.AUTHOR  # the same prison
    for username in ("ps.casemanager", "prob.officer", "police.liaison", "exit.worker", "mentor.one"):
        assert basis(username, Signal, signal.pk, persona) is None, username


@pytest.mark.parametrize("username", ["dpo", "admin", "evaluator"])
def test_admin_dpo_and_research_see_no_signal_even_in_a_central_point_type_organisation(persona, username):
    report(persona, "pn.casemanager")
    # The demo's DPO and administrator belong to "continuum-admin", an organisation of type central_point.
    assert not Signal.objects.visible_to(persona(username)).exists()


def test_the_central_points_own_note_is_its_own_and_a_reporter_does_not_see_it(persona):
    signal = report(persona, "pn.casemanager")
    note = do_add_signal_note(signal, text="Known from an earlier investigation.", acting_user=persona("cp.analyst"))
    assert basis("cp.coordinator", SignalNote, note.pk, persona) == Basis.AUTHOR
    assert basis("pn.casemanager", SignalNote, note.pk, persona) is None


def test_triage_does_not_open_other_records_to_the_central_point(persona):
    person, case = person_with_case(persona, "pn.casemanager", "Amira", "Example", date(1994, 3, 2))
    entry = do_add_entry(case, category="security", title="Cell search", acting_user=persona("pn.casemanager"))
    report(persona, "pn.casemanager", person=person)
    assert basis("cp.analyst", Entry, entry.pk, persona) is None
    assert Person.objects.visible_to(persona("cp.analyst")).filter(pk=person.pk).exists()


def test_an_included_signal_is_seen_by_case_members_as_the_matrix_says(persona):
    signal = report(persona, "pn.casemanager")
    do_triage_signal(signal, decision="include", rationale="Recruiting in prison.", acting_user=persona("cp.analyst"))
    signal.refresh_from_db()
    for slug in ("probation", "police", "exit-ngo", "municipality-harbour"):
        do_add_member(
            signal.case, organisation=Organisation.objects.get(slug=slug), acting_user=persona("pn.casemanager")
        )
    # security: prison writes, probation reads, police writes, municipality and exit NGOs see nothing.
    assert basis("prob.officer", Signal, signal.pk, persona) == Basis.MATRIX
    assert basis("police.liaison", Signal, signal.pk, persona) == Basis.MATRIX
    assert basis("muni.coordinator", Signal, signal.pk, persona) is None
    assert basis("exit.worker", Signal, signal.pk, persona) is None
    assert basis("ps.casemanager", Signal, signal.pk, persona) is None  # not a member


def test_a_repeat_signal_joins_the_persons_history_for_its_case_members(persona):
    person, case = person_with_case(persona, "pn.casemanager", "Amira", "Example", date(1994, 3, 2))
    cp = persona("cp.analyst").organisation
    do_add_member(case, organisation=cp, acting_user=persona("pn.casemanager"))  # so it may match her
    signal = report(persona, "police.liaison", given="Amira", family="Example")
    assert basis("pn.casemanager", Signal, signal.pk, persona) is None
    do_confirm_match(signal, person=person, acting_user=persona("cp.analyst"))
    # Not included (no case on the signal), but about a person whose case prison-north takes part in.
    assert basis("pn.casemanager", Signal, signal.pk, persona) == Basis.MATRIX


def test_the_central_point_sees_whom_a_signal_is_about_and_nobody_else_gains_a_person(persona):
    person = al_hassan(persona, "pn.casemanager")
    cp = persona("cp.analyst")
    assert not Person.objects.visible_to(cp).filter(pk=person.pk).exists()
    report(persona, "pn.casemanager", person=person)
    assert Person.objects.visible_to(cp).filter(pk=person.pk).exists()
    assert not Person.objects.visible_to(persona("ps.casemanager")).filter(pk=person.pk).exists()
    assert not Person.objects.visible_to(persona("dpo")).filter(pk=person.pk).exists()


def test_visible_to_costs_one_query_for_the_central_point(persona):
    for _ in range(5):
        report(persona, "pn.casemanager")
    cp = persona("cp.analyst")
    with CaptureQueriesContext(connection) as queries:
        assert len(list(Signal.objects.visible_to(cp))) == 5
    assert len(queries.captured_queries) == 1


def test_the_preview_viewer_of_the_central_point_sees_triage_data_too(persona):
    signal = report(persona, "muni.coordinator")
    viewer = engine.viewer_for_organisation(persona("cp.analyst").organisation)
    assert Signal.objects.visible_to(viewer).filter(pk=signal.pk).exists()


def test_reading_a_signal_without_a_person_is_audited_but_has_no_disclosure_report_row(persona):
    signal = report(persona, "pn.casemanager")
    cp = persona("cp.analyst")
    read = list(Signal.objects.visible_to(cp).filter(pk=signal.pk))
    log_reads(cp, read)
    assert not Disclosure.objects.filter(record_id=signal.pk).exists()
    event = AuditEvent.objects.filter(action=AuditAction.DISCLOSE, object_id=str(signal.pk)).get()
    assert event.detail["disclosed"] == [str(signal.pk)]


def test_reading_a_linked_signal_is_a_disclosure_in_the_persons_report(persona):
    person = al_hassan(persona)
    signal = report(persona, "pn.casemanager")
    do_confirm_match(signal, person=person, acting_user=persona("cp.analyst"))
    cp = persona("cp.coordinator")
    log_reads(cp, list(Signal.objects.visible_to(cp).filter(pk=signal.pk)))
    disclosure = Disclosure.objects.get(record_id=signal.pk)
    assert disclosure.person_id == person.pk and disclosure.basis == Basis.TRIAGE


def test_a_due_monitoring_review_is_a_gap_of_the_persons_case_for_those_who_see_the_signal(persona):
    from continuum.cases.gaps import gaps_for

    person, case = person_with_case(persona, "pn.casemanager", "Amira", "Example", date(1994, 3, 2))
    for slug in ("central-point", "exit-ngo"):
        do_add_member(case, organisation=Organisation.objects.get(slug=slug), acting_user=persona("pn.casemanager"))
    signal = report(persona, "police.liaison", given="Amira", family="Example")
    cp = persona("cp.analyst")
    do_confirm_match(signal, person=person, acting_user=cp)
    do_triage_signal(signal, decision="monitor", rationale="Watch.", review_date=date(2999, 1, 1), acting_user=cp)

    def kinds(username):
        return [g.kind for g in gaps_for(persona(username), [case]) if g.kind == "monitoring_review_due"]

    assert kinds("cp.coordinator") == []
    Signal.objects.filter(pk=signal.pk).update(review_date=date(2000, 1, 1))  # the review date has come
    assert kinds("cp.coordinator") == ["monitoring_review_due"]
    assert kinds("pn.casemanager") == ["monitoring_review_due"]  # prison reads security on the case
    assert kinds("exit.worker") == []  # exit NGOs do not: they learn nothing of the signal
