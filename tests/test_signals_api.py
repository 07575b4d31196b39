"""API.md, "Signals (central point intake)": reporting, the lists, triage, matching, notes, import (issue 4).

Every endpoint is tested for who may and who may not, across organisation types, with the demo
world's personas; nothing of the sharing engine is mocked.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.models import Case, CaseMember
from continuum.people.models import Person
from continuum.sharing.models import Disclosure
from continuum.signals.actions import do_confirm_match, do_triage_signal
from continuum.signals.choices import AUTOMATIC_RATIONALE
from continuum.signals.models import Signal, SignalNote
from tests.signals_world import (
    CENTRAL_POINT,
    NEITHER,
    NOT_FOUND,
    RANDOM_ID,
    REPORTERS,
    al_hassan,
    person_with_case,
    report,
    signal_payload,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals/"


def members(case: Case) -> set[str]:
    return set(CaseMember.objects.filter(case=case, until__isnull=True).values_list("organisation__slug", flat=True))


# --- reporting -------------------------------------------------------------------------------------------


class TestReport:
    @pytest.mark.parametrize("username", REPORTERS)
    def test_members_of_every_reporting_organisation_type_report_signals(self, api_as, persona, username):
        response = api_as(username).post(URL, signal_payload(), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "new" and body["person"] is None and body["case"] is None
        assert body["duplicate_candidates"] == []
        assert body["reporting_organisation"] == persona(username).organisation.slug
        assert body["reporter"] == username
        assert body["visibility"]["basis"] == "author"
        assert "rationale" not in body  # the triage is the central point's
        signal = Signal.objects.get(pk=body["id"])
        assert signal.channel == "api" and signal.subject_family_name == "Alhasan"
        assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="signal", object_id=body["id"]).exists()

    @pytest.mark.parametrize("username", [*CENTRAL_POINT, *NEITHER])
    def test_the_central_point_mentors_research_dpo_and_admin_do_not_report(self, api_as, username):
        response = api_as(username).post(URL, signal_payload(), format="json")
        assert response.status_code == 403
        assert not Signal.objects.exists()

    def test_no_credentials_is_401(self, demo_world, client):
        assert client.post(URL, signal_payload(), content_type="application/json").status_code == 401
        assert client.get(URL).status_code == 401

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"description": ""}, "description"),
            ({"extremism_type": "anarchist"}, "extremism_type"),
            ({"offence_type": "treason"}, "offence_type"),
            ({"setting": "mosque"}, "setting"),
            ({"subject": {**signal_payload()["subject"], "birth_date": "02-03-1994"}}, "subject"),
            ({"subject": {**signal_payload()["subject"], "gender": "robot"}}, "subject"),
            ({"subject": {**signal_payload()["subject"], "family_name": ""}}, "subject"),
            ({"subject": None}, "subject"),
            ({"person": RANDOM_ID}, "person"),
            ({"person": "not-a-uuid"}, "person"),
        ],
    )
    def test_bad_input_is_400_and_writes_nothing(self, api_as, demo_world, change, field):
        payload = signal_payload(**change)
        if payload.get("subject") is None:
            payload.pop("subject")
        response = api_as("pn.casemanager").post(URL, payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
        assert not Signal.objects.exists()

    def test_a_birth_date_in_the_future_is_400(self, api_as, demo_world):
        future = (timezone.localdate() + timedelta(days=2)).isoformat()
        subject = {**signal_payload()["subject"], "birth_date": future}
        response = api_as("pn.casemanager").post(URL, signal_payload(subject=subject), format="json")
        assert response.status_code == 400 and "birth_date" in response.json()
        assert not Signal.objects.exists()

    def test_subject_and_person_together_are_400(self, api_as, persona):
        person = al_hassan(persona, "pn.casemanager")
        response = api_as("pn.casemanager").post(URL, signal_payload(person=str(person.pk)), format="json")
        assert response.status_code == 400 and "subject" in response.json()

    def test_a_reporter_names_a_person_it_may_see(self, api_as, persona):
        person = al_hassan(persona, "pn.casemanager")
        payload = signal_payload(person=str(person.pk))
        payload.pop("subject")
        response = api_as("pn.casemanager").post(URL, payload, format="json")
        assert response.status_code == 201
        assert response.json()["person"] == str(person.pk)
        assert response.json()["subject"]["family_name"] == "Al-Hassan"

    def test_a_person_the_reporter_may_not_see_is_refused_like_a_missing_one(self, api_as, persona):
        hidden = al_hassan(persona, "cp.analyst")
        client = api_as("ps.casemanager")
        answers = []
        for person_id in (str(hidden.pk), RANDOM_ID):
            payload = signal_payload(person=person_id)
            payload.pop("subject")
            answers.append(client.post(URL, payload, format="json"))
        assert answers[0].status_code == answers[1].status_code == 400
        assert answers[0].json() == answers[1].json()


class TestDuplicateCandidates:
    def test_the_central_point_sees_the_transliterated_duplicate_first(self, api_as, persona):
        person = al_hassan(persona)
        signal_id = api_as("pn.casemanager").post(URL, signal_payload(), format="json").json()["id"]
        body = api_as("cp.analyst").get(f"{URL}{signal_id}/").json()
        assert body["duplicate_candidates"][0]["person"] == str(person.pk)
        assert body["duplicate_candidates"][0]["score"] >= 95
        assert body["duplicate_candidates"][0]["reference"] == person.reference

    def test_a_reporter_is_never_told_of_a_person_it_may_not_see(self, api_as, persona):
        al_hassan(persona, "cp.analyst")  # known to the central point only
        response = api_as("pn.casemanager").post(URL, signal_payload(), format="json")
        assert response.status_code == 201
        assert response.json()["duplicate_candidates"] == []

    def test_a_reporter_is_shown_a_duplicate_it_registered_itself(self, api_as, persona):
        person = al_hassan(persona, "pn.casemanager")
        response = api_as("pn.casemanager").post(URL, signal_payload(), format="json")
        assert [c["person"] for c in response.json()["duplicate_candidates"]] == [str(person.pk)]

    def test_unrelated_people_are_not_proposed(self, api_as, persona):
        from continuum.people.actions import do_create_person

        cp = persona("cp.analyst")
        do_create_person(given_name="Peter", family_name="Smit", birth_date=date(1994, 3, 2), acting_user=cp)
        do_create_person(given_name="Mohammed", family_name="Alhasan", birth_date=date(1971, 11, 30), acting_user=cp)
        signal_id = api_as("pn.casemanager").post(URL, signal_payload(), format="json").json()["id"]
        assert api_as("cp.analyst").get(f"{URL}{signal_id}/").json()["duplicate_candidates"] == []


# --- automatic inclusion (PARE rule) -------------------------------------------------------------------------


class TestAutomaticInclusion:
    def test_a_terrorist_offence_is_included_at_once_and_a_case_opened(self, api_as, persona):
        response = api_as("pn.casemanager").post(URL, signal_payload(offence_type="terrorist_offence"), format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "included" and body["case"] and body["person"]
        case = Case.objects.get(pk=body["case"])
        assert case.lead_organisation.slug == "prison-north" and case.phase == "custody"
        assert str(case.person_id) == body["person"]
        assert CaseMember.objects.get(case=case, organisation__slug="prison-north").responsible == persona(
            "pn.casemanager"
        )
        triage = api_as("cp.analyst").get(f"{URL}{body['id']}/").json()
        assert triage["decision"] == "include" and triage["triaged_by"] == "system"
        assert triage["rationale"] == AUTOMATIC_RATIONALE
        assert Person.objects.get(pk=body["person"]).subject_category == "suspect"

    def test_a_terrorist_offence_about_a_person_with_an_open_case_joins_that_case(self, api_as, persona):
        person, case = person_with_case(persona, "prob.officer", "Mohammed", "Alhasan", date(1994, 3, 2))
        payload = signal_payload(offence_type="terrorist_offence", person=str(person.pk))
        payload.pop("subject")
        body = api_as("prob.officer").post(URL, payload, format="json").json()
        assert body["status"] == "included" and body["case"] == str(case.pk)
        assert Case.objects.filter(person=person).count() == 1

    def test_a_terrorist_offence_reported_by_the_police_opens_a_central_point_case_at_once(self, api_as, persona):
        """API.md: included automatically, a case is opened and set, whoever reports it. The police may not
        open cases, so the rule does it on the central point's behalf; the police do not join by that,
        and so do not learn the case or the person (R12)."""
        body = (
            api_as("police.liaison").post(URL, signal_payload(offence_type="terrorist_offence"), format="json").json()
        )
        assert body["status"] == "included" and body["case"] is None and body["person"] is None
        signal = Signal.objects.get(pk=body["id"])
        assert signal.case is not None and signal.person is not None
        assert signal.case.lead_organisation.slug == "central-point"
        assert members(signal.case) == {"central-point"}
        assert signal.person.created_org.slug == "central-point"
        seen = api_as("cp.analyst").get(f"{URL}{body['id']}/").json()
        assert seen["case"] == str(signal.case_id) and seen["decision"] == "include"
        event = AuditEvent.objects.filter(action="create", object_type="case", object_id=str(signal.case_id)).get()
        assert event.actor_username == "police.liaison" and event.detail["rule"] == "pare_terrorist_offence"


# --- lists and details -------------------------------------------------------------------------------------


class TestRead:
    @pytest.fixture
    def signals(self, persona):
        return {u: report(persona, u) for u in ("pn.casemanager", "police.liaison", "muni.coordinator")}

    @pytest.mark.parametrize("username", CENTRAL_POINT)
    def test_the_central_point_lists_every_signal_with_its_triage(self, api_as, signals, username):
        body = api_as(username).get(URL).json()
        assert body["count"] == 3
        assert {r["id"] for r in body["results"]} == {str(s.pk) for s in signals.values()}
        assert all(r["visibility"]["basis"] == "triage" and "rationale" in r for r in body["results"])

    def test_a_reporting_organisation_lists_only_the_signals_it_reported(self, api_as, persona, signals):
        colleague = report(persona, "pn.security")
        ids = {r["id"] for r in api_as("pn.casemanager").get(URL).json()["results"]}
        assert ids == {str(signals["pn.casemanager"].pk), str(colleague.pk)}
        assert api_as("ps.casemanager").get(URL).json()["count"] == 0
        assert {r["id"] for r in api_as("police.liaison").get(URL).json()["results"]} == {
            str(signals["police.liaison"].pk)
        }

    @pytest.mark.parametrize("username", NEITHER)
    def test_the_list_is_forbidden_to_those_who_neither_report_nor_triage(self, api_as, signals, username):
        assert api_as(username).get(URL).status_code == 403

    def test_the_list_is_paginated_and_filters_by_status(self, api_as, persona, signals):
        do_triage_signal(
            signals["police.liaison"],
            decision="no_action",
            rationale="Nothing in it.",
            acting_user=persona("cp.analyst"),
        )
        client = api_as("cp.analyst")
        page = client.get(URL, {"page_size": 2}).json()
        assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
        assert [r["status"] for r in client.get(URL, {"status": "no_action"}).json()["results"]] == ["no_action"]
        assert client.get(URL, {"status": "lost"}).status_code == 400

    def test_listing_discloses_other_organisations_signals_to_the_central_point(self, api_as, persona, signals):
        person = al_hassan(persona)
        do_confirm_match(signals["pn.casemanager"], person=person, acting_user=persona("cp.analyst"))
        api_as("cp.coordinator").get(URL)
        disclosure = Disclosure.objects.get(record_id=signals["pn.casemanager"].pk, viewer__username="cp.coordinator")
        assert disclosure.basis == "triage"
        assert AuditEvent.objects.filter(action=AuditAction.DISCLOSE, actor__username="cp.coordinator").exists()

    @pytest.mark.parametrize("username", ["cp.analyst", "pn.casemanager"])
    def test_the_list_costs_the_same_number_of_queries_for_more_signals(self, api_as, persona, signals, username):
        al_hassan(persona)
        cp = persona("cp.analyst")
        # Every kind of row is there from the start: linked to a person and a case, or not linked.
        do_triage_signal(signals["pn.casemanager"], decision="include", rationale="Case.", acting_user=cp)
        report(persona, "pn.casemanager", given="Open")
        client = api_as(username)
        client.get(URL)
        with CaptureQueriesContext(connection) as few:
            assert client.get(URL).status_code == 200
        for i in range(8):
            extra = report(persona, "pn.casemanager", given=f"Extra{i}")
            if i % 2:
                do_triage_signal(extra, decision="include", rationale="Case.", acting_user=cp)
        with CaptureQueriesContext(connection) as many:
            response = client.get(URL)
        assert response.json()["count"] > 8
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_reporter_reads_its_signal_and_the_central_point_reads_it_with_the_triage(self, api_as, signals):
        signal = signals["pn.casemanager"]
        mine = api_as("pn.casemanager").get(f"{URL}{signal.pk}/")
        assert mine.status_code == 200 and "decision" not in mine.json()
        triage = api_as("cp.analyst").get(f"{URL}{signal.pk}/").json()
        assert triage["visibility"] == {"basis": "triage", "explanation": "triage: the central point sees every signal"}

    @pytest.mark.parametrize(
        "username", ["ps.casemanager", "prob.officer", "exit.worker", "cw.worker", "muni.coordinator", *NEITHER]
    )
    def test_anyone_else_gets_404_exactly_like_a_random_id(self, api_as, signals, username):
        client = api_as(username)
        hidden = client.get(f"{URL}{signals['pn.casemanager'].pk}/")
        random = client.get(f"{URL}{RANDOM_ID}/")
        bogus = client.get(f"{URL}{'x' * 300}/")
        assert hidden.status_code == random.status_code == bogus.status_code == 404
        assert hidden.json() == random.json() == bogus.json() == NOT_FOUND

    def test_the_reporter_learns_the_case_only_when_it_may_see_it(self, api_as, persona):
        signal = report(persona, "police.liaison")
        do_triage_signal(signal, decision="include", rationale="Needs a case.", acting_user=persona("cp.analyst"))
        body = api_as("police.liaison").get(f"{URL}{signal.pk}/").json()
        assert body["status"] == "included"
        assert body["case"] is None and body["person"] is None  # police is not in the central point's case
        assert api_as("cp.analyst").get(f"{URL}{signal.pk}/").json()["case"]


# --- triage --------------------------------------------------------------------------------------------------


def triage(client, signal, **data):
    return client.post(f"{URL}{signal.pk}/triage/", data, format="json")


class TestTriage:
    @pytest.mark.parametrize("username", CENTRAL_POINT)
    def test_the_central_point_decides_no_action(self, api_as, persona, username):
        signal = report(persona, "pn.casemanager")
        response = triage(api_as(username), signal, decision="no_action", rationale="A misunderstanding.")
        assert response.status_code == 200
        assert {k: response.json()[k] for k in ("id", "status", "case")} == {
            "id": str(signal.pk),
            "status": "no_action",
            "case": None,
        }
        event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="signal").last()
        assert event.detail["decision"] == "no_action" and event.detail["decided_by"] == username

    def test_monitor_with_a_review_date(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        review = (timezone.localdate() + timedelta(days=30)).isoformat()
        body = triage(api_as("cp.analyst"), signal, decision="monitor", rationale="Watch.", review_date=review).json()
        assert body["status"] == "monitoring" and body["review_date"] == review

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"decision": "monitor", "rationale": "Watch."}, "review_date"),
            ({"decision": "monitor", "rationale": "Watch.", "review_date": "2001-01-01"}, "review_date"),
            ({"decision": "monitor", "rationale": "Watch.", "review_date": "soon"}, "review_date"),
            ({"decision": "include", "rationale": ""}, "rationale"),
            ({"decision": "include"}, "rationale"),
            ({"decision": "escalate", "rationale": "Why not."}, "decision"),
        ],
    )
    def test_bad_triage_is_400_and_changes_nothing(self, api_as, persona, data, field):
        signal = report(persona, "pn.casemanager")
        client = api_as("cp.analyst")
        before = AuditEvent.objects.count()
        response = triage(client, signal, **data)
        assert response.status_code == 400
        assert field in response.json()
        signal.refresh_from_db()
        assert signal.status == "new" and signal.triaged_at is None
        assert not Case.objects.exists() and not Person.objects.exists()
        assert AuditEvent.objects.count() == before + 1  # the read of the signal, nothing else

    def test_include_opens_a_case_led_by_the_reporting_prison_with_the_central_point_in_it(self, api_as, persona):
        person = al_hassan(persona)
        signal = report(persona, "pn.casemanager")
        do_confirm_match(signal, person=person, acting_user=persona("cp.analyst"))
        body = triage(api_as("cp.analyst"), signal, decision="include", rationale="Recruiting.").json()
        case = Case.objects.get(pk=body["case"])
        assert body["status"] == "included" and case.person == person
        assert case.lead_organisation.slug == "prison-north"
        assert members(case) == {"prison-north", "central-point"}
        assert CaseMember.objects.get(case=case, organisation__slug="prison-north").responsible == persona(
            "pn.casemanager"
        )
        # The reporter now sees the case (and the person) through its membership.
        mine = api_as("pn.casemanager").get(f"{URL}{signal.pk}/").json()
        assert mine["case"] == str(case.pk) and mine["person"] == str(person.pk)

    def test_include_without_a_confirmed_person_registers_the_subject(self, api_as, persona):
        signal = report(persona, "muni.coordinator", setting="community")
        body = triage(api_as("cp.coordinator"), signal, decision="include", rationale="Include.").json()
        person = Person.objects.get(pk=body["person"])
        assert (person.given_name, person.family_name, person.birth_date) == ("Mohammed", "Alhasan", date(1994, 3, 2))
        case = Case.objects.get(pk=body["case"])
        assert case.lead_organisation.slug == "municipality-harbour" and case.phase == "community"

    def test_include_reuses_the_persons_open_case_and_adds_the_reporting_prison(self, api_as, persona):
        person, case = person_with_case(persona, "pn.casemanager", "Mohammed", "Alhasan", date(1994, 3, 2))
        signal = report(persona, "ps.casemanager")
        from continuum.cases.actions import do_add_member

        do_add_member(case, organisation=persona("cp.analyst").organisation, acting_user=persona("pn.casemanager"))
        do_confirm_match(signal, person=person, acting_user=persona("cp.analyst"))
        body = triage(api_as("cp.analyst"), signal, decision="include", rationale="Same person.").json()
        assert body["case"] == str(case.pk)
        assert Case.objects.filter(person=person).count() == 1
        assert "prison-south" in members(case)
        assert AuditEvent.objects.filter(
            object_type="case_member", detail__reason=f"signal {signal.reference}"
        ).exists()

    @pytest.mark.parametrize("username", ["pn.casemanager", "pn.security"])
    def test_the_reporting_organisation_sees_the_signal_but_may_not_triage_it(self, api_as, persona, username):
        signal = report(persona, "pn.casemanager")
        response = triage(api_as(username), signal, decision="no_action", rationale="Mine.")
        assert response.status_code == 403
        signal.refresh_from_db()
        assert signal.status == "new"

    @pytest.mark.parametrize(
        "username", ["ps.casemanager", "police.liaison", "prob.officer", "muni.coordinator", "cw.worker", *NEITHER]
    )
    def test_everyone_else_gets_404_for_triage(self, api_as, persona, username):
        signal = report(persona, "pn.casemanager")
        client = api_as(username)
        hidden = triage(client, signal, decision="no_action", rationale="Not mine.")
        random = client.post(f"{URL}{RANDOM_ID}/triage/", {"decision": "no_action", "rationale": "x"}, format="json")
        assert hidden.status_code == random.status_code == 404
        assert hidden.json() == random.json()

    def test_a_decided_signal_is_not_decided_again(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        client = api_as("cp.analyst")
        triage(client, signal, decision="no_action", rationale="Nothing.")
        response = triage(client, signal, decision="include", rationale="Changed my mind.")
        assert response.status_code == 400 and "decision" in response.json()

    def test_a_monitored_signal_is_decided_again_at_its_review(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        client = api_as("cp.analyst")
        review = (timezone.localdate() + timedelta(days=10)).isoformat()
        triage(client, signal, decision="monitor", rationale="Watch.", review_date=review)
        assert triage(client, signal, decision="no_action", rationale="Calm now.").json()["status"] == "no_action"


# --- matching, new persons, re-triage -------------------------------------------------------------------------


class TestMatch:
    def test_the_central_point_confirms_a_candidate(self, api_as, persona):
        person = al_hassan(persona)
        signal = report(persona, "pn.casemanager")
        response = api_as("cp.analyst").post(f"{URL}{signal.pk}/match/", {"person": str(person.pk)}, format="json")
        assert response.status_code == 200
        assert response.json()["person"] == str(person.pk) and response.json()["duplicate_candidates"] == []

    def test_the_reporter_gets_403_and_others_404(self, api_as, persona):
        person = al_hassan(persona, "pn.casemanager")
        signal = report(persona, "pn.casemanager")
        data = {"person": str(person.pk)}
        assert api_as("pn.casemanager").post(f"{URL}{signal.pk}/match/", data, format="json").status_code == 403
        for username in ("ps.casemanager", "dpo", "admin", "mentor.one"):
            assert api_as(username).post(f"{URL}{signal.pk}/match/", data, format="json").status_code == 404
        signal.refresh_from_db()
        assert signal.person_id is None

    def test_a_person_the_central_point_may_not_see_is_400(self, api_as, persona):
        hidden = al_hassan(persona, "ps.casemanager")
        signal = report(persona, "pn.casemanager")
        client = api_as("cp.analyst")
        for person_id in (str(hidden.pk), RANDOM_ID, "nope"):
            response = client.post(f"{URL}{signal.pk}/match/", {"person": person_id}, format="json")
            assert response.status_code == 400 and "person" in response.json()
        signal.refresh_from_db()
        assert signal.person_id is None

    def test_the_person_of_an_included_signal_does_not_change(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        do_triage_signal(signal, decision="include", rationale="Include.", acting_user=persona("cp.analyst"))
        other = al_hassan(persona)
        response = api_as("cp.analyst").post(f"{URL}{signal.pk}/match/", {"person": str(other.pk)}, format="json")
        assert response.status_code == 400

    def test_the_central_point_registers_a_new_person_from_the_signal(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        client = api_as("cp.analyst")
        response = client.post(f"{URL}{signal.pk}/new-person/")
        assert response.status_code == 201
        assert response.json()["family_name"] == "Alhasan" and response.json()["reference"].startswith("P-")
        signal.refresh_from_db()
        assert str(signal.person_id) == response.json()["id"]
        assert client.post(f"{URL}{signal.pk}/new-person/").status_code == 400
        assert Person.objects.count() == 1

    def test_only_the_central_point_registers_persons_from_signals(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        assert api_as("pn.casemanager").post(f"{URL}{signal.pk}/new-person/").status_code == 403
        assert api_as("ps.casemanager").post(f"{URL}{signal.pk}/new-person/").status_code == 404
        assert not Person.objects.exists()

    def test_a_new_signal_about_a_monitored_person_puts_the_monitored_signal_back_in_the_queue(self, api_as, persona):
        person = al_hassan(persona)
        cp = persona("cp.analyst")
        first = report(persona, "police.liaison")
        do_confirm_match(first, person=person, acting_user=cp)
        do_triage_signal(
            first,
            decision="monitor",
            rationale="Watch.",
            review_date=timezone.localdate() + timedelta(days=60),
            acting_user=cp,
        )
        second = report(persona, "pn.casemanager")
        first.refresh_from_db()
        assert first.status == "monitoring"  # nothing known yet: the second is not linked
        api_as("cp.analyst").post(f"{URL}{second.pk}/match/", {"person": str(person.pk)}, format="json")
        first.refresh_from_db()
        assert first.status == "new" and second.reference in first.queue_note
        assert api_as("cp.analyst").get(f"{URL}{first.pk}/").json()["queue_note"] == first.queue_note
        assert "queue_note" not in api_as("police.liaison").get(f"{URL}{first.pk}/").json()


# --- notes ------------------------------------------------------------------------------------------------------


class TestNotes:
    def test_the_central_point_adds_and_reads_notes(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        client = api_as("cp.analyst")
        response = client.post(f"{URL}{signal.pk}/notes/", {"text": "Seen at a rally in 2023."}, format="json")
        assert response.status_code == 201 and response.json()["author_organisation"] == "central-point"
        notes = api_as("cp.coordinator").get(f"{URL}{signal.pk}/notes/").json()
        assert [n["text"] for n in notes["results"]] == ["Seen at a rally in 2023."]

    def test_an_empty_note_is_400(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        assert api_as("cp.analyst").post(f"{URL}{signal.pk}/notes/", {"text": " "}, format="json").status_code == 400
        assert not SignalNote.objects.exists()

    def test_the_reporter_gets_403_and_others_404(self, api_as, persona):
        signal = report(persona, "pn.casemanager")
        reporter = api_as("pn.casemanager")
        assert reporter.get(f"{URL}{signal.pk}/notes/").status_code == 403
        assert reporter.post(f"{URL}{signal.pk}/notes/", {"text": "Mine."}, format="json").status_code == 403
        for username in ("ps.casemanager", "evaluator", "dpo"):
            assert api_as(username).get(f"{URL}{signal.pk}/notes/").status_code == 404
        assert not SignalNote.objects.exists()


# --- import ---------------------------------------------------------------------------------------------------

CSV = (
    "given_name,family_name,birth_date,gender,nationality,description,extremism_type,offence_type,setting,"
    "reporting_organisation\n"
    "Mohammed,Alhasan,1994-03-02,male,NL,Recruiting,jihadist,none,prison,prison-north\n"
    "Lars,Visser,,male,NL,Chat group,right_wing,none,online,police\n"
)


class TestImport:
    def test_the_central_point_imports_a_file(self, api_as, demo_world):
        upload = SimpleUploadedFile("signals.csv", CSV.encode(), content_type="text/csv")
        response = api_as("cp.analyst").post(f"{URL}import/", {"file": upload}, format="multipart")
        assert response.status_code == 201, response.json()
        assert response.json()["imported"] == 2 and Signal.objects.count() == 2

    def test_a_bad_row_is_400_with_the_row_and_field_and_imports_nothing(self, api_as, demo_world):
        bad = CSV.replace("online,police", "online,no-such-org")
        upload = SimpleUploadedFile("signals.csv", bad.encode(), content_type="text/csv")
        response = api_as("cp.analyst").post(f"{URL}import/", {"file": upload}, format="multipart")
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"row": 3, "field": "reporting_organisation", "message": "No organisation has the slug “no-such-org”."}
        ]
        assert not Signal.objects.exists()

    def test_a_file_over_the_size_limit_is_400_and_imports_nothing(self, api_as, demo_world):
        from continuum.signals.importing import MAX_BYTES

        big = CSV + "x" * MAX_BYTES
        upload = SimpleUploadedFile("signals.csv", big.encode(), content_type="text/csv")
        response = api_as("cp.analyst").post(f"{URL}import/", {"file": upload}, format="multipart")
        assert response.status_code == 400 and "file" in response.json()
        assert not Signal.objects.exists()

    @pytest.mark.parametrize("username", [*REPORTERS[:3], *NEITHER])
    def test_only_the_central_point_imports(self, api_as, demo_world, username):
        upload = SimpleUploadedFile("signals.csv", CSV.encode(), content_type="text/csv")
        assert api_as(username).post(f"{URL}import/", {"file": upload}, format="multipart").status_code == 403
        assert not Signal.objects.exists()
