"""Duplicate candidates explained (issue 12, item 6): the parts of each score, from the scorer, and the
candidate's open case, only for those who may see it (R1, R12), on the signal page and in the API.

The demo world's "Ameera Ben Ali" (reported by Prison South, not yet linked) and the demo person Amira
Benali (custody, led by Prison North, the central point a member of her case) are the pair.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from continuum.accounts.models import Organisation
from continuum.cases.actions import do_end_membership
from continuum.cases.models import Case
from continuum.people.models import Person
from continuum.signals.models import Signal
from tests.signals_world import signal_payload

pytestmark = pytest.mark.django_db


def main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, upload_dir):
    """The whole demo world, built once for the module and rolled back at its end (each test runs in
    its own savepoint on top, as in ``tests/api_world.py``)."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(upload_dir)), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, persona):
    amira = Person.objects.get(given_name="Amira", family_name="Benali")
    return {
        "signal": Signal.objects.get(subject_given_name="Ameera", subject_family_name="Ben Ali"),
        "amira": amira,
        "case": Case.objects.exclude(phase="closed").select_related("lead_organisation").get(person=amira),
    }


def end_central_point_membership(persona, case: Case) -> None:
    """The lead (Prison North) lets the central point go: it no longer sees the case (R1)."""
    central_point = Organisation.objects.get(slug="central-point")
    do_end_membership(case, organisation=central_point, acting_user=persona("pn.casemanager"))


def case_line(case: Case) -> str:
    return f"{case.get_phase_display().lower()} phase, led by {case.lead_organisation.name}"


# --- the signal page -------------------------------------------------------------------------------------


def test_the_signal_page_explains_the_score_of_the_demo_pair_part_by_part(browser_as, demo):
    page = main(browser_as("cp.analyst").get(f"/signals/{demo['signal'].pk}/"))
    assert "Why 100? The score of Amira Benali, part by part" in page
    assert "<strong>Name</strong> (+80)" in page
    assert "“Ameera” and “Amira”: the same allowing for other spellings (100 %)" in page
    assert "“Ben Ali” and “Benali”: the same letters (100 %)" in page
    assert "<strong>Date of birth</strong> (+15): The same (1994-03-02)" in page
    assert "<strong>Nationality</strong> (+5): The same (NL)" in page


def test_a_member_of_the_candidates_case_sees_its_number_phase_and_lead(browser_as, demo):
    case = demo["case"]
    page = main(browser_as("cp.analyst").get(f"/signals/{demo['signal'].pk}/"))
    assert f'Open case <a href="/cases/{case.pk}/">{case.number}</a>: {case_line(case)}.' in page


def test_a_triaging_user_who_may_not_see_the_case_is_told_nothing_of_it(browser_as, persona, demo):
    case = demo["case"]
    end_central_point_membership(persona, case)
    page = main(browser_as("cp.coordinator").get(f"/signals/{demo['signal'].pk}/"))
    # The candidate is still proposed (the central point sees whom its signals are about) ...
    assert "Confirm the match with Amira Benali" in page and "Why 100?" in page
    # ... but of her case nothing: no number, no phase, no lead, no link.
    assert case.number not in page
    assert "Open case" not in page and case_line(case) not in page
    assert f"/cases/{case.pk}/" not in page


def test_the_signal_page_with_candidates_stays_within_30_queries(browser_as, demo, django_assert_max_num_queries):
    client = browser_as("cp.analyst")
    with django_assert_max_num_queries(30):
        response = client.get(f"/signals/{demo['signal'].pk}/")
    assert "Why 100?" in main(response)


# --- the API ---------------------------------------------------------------------------------------------


def test_the_api_gives_each_candidate_its_breakdown_and_open_case(api_as, demo):
    body = api_as("cp.analyst").get(f"/api/v1/signals/{demo['signal'].pk}/").json()
    (candidate,) = [c for c in body["duplicate_candidates"] if c["person"] == str(demo["amira"].pk)]
    assert candidate["score"] == 100 and candidate["reference"] == demo["amira"].reference  # fields kept
    breakdown = candidate["breakdown"]
    assert breakdown["reading"] == "pairwise" and breakdown["name_similarity"] == 100
    assert breakdown["names"] == [
        {"reported": "Ameera", "known": "Amira", "similarity": 100.0, "form": "key", "without_particle": False},
        {"reported": "Ben Ali", "known": "Benali", "similarity": 100.0, "form": "plain", "without_particle": False},
    ]
    assert (breakdown["birth_date"], breakdown["birth_date_points"]) == ("same", 15)
    assert (breakdown["nationality"], breakdown["nationality_points"]) == ("same", 5)
    assert [(p["part"], p["points"]) for p in breakdown["parts"]] == [
        ("Name", 80.0),
        ("Date of birth", 15.0),
        ("Nationality", 5.0),
    ]
    case = demo["case"]
    assert candidate["open_case"] == {
        "id": str(case.pk),
        "number": case.number,
        "phase": case.phase,
        "lead_organisation": "prison-north",
    }


def test_the_api_gives_no_open_case_the_caller_may_not_see(api_as, persona, demo):
    end_central_point_membership(persona, demo["case"])
    body = api_as("cp.analyst").get(f"/api/v1/signals/{demo['signal'].pk}/").json()
    (candidate,) = [c for c in body["duplicate_candidates"] if c["person"] == str(demo["amira"].pk)]
    assert candidate["breakdown"]["parts"] and candidate["open_case"] is None
    assert demo["case"].number not in str(body)


def test_a_reporter_in_the_case_is_shown_it_and_one_outside_is_shown_no_candidate(api_as, demo):
    subject = {"given_name": "Ameera", "family_name": "Ben Ali", "birth_date": "1994-03-02", "nationality": "NL"}
    inside = api_as("pn.casemanager").post("/api/v1/signals/", signal_payload(subject=subject), format="json")
    (candidate,) = inside.json()["duplicate_candidates"]
    assert candidate["open_case"]["number"] == demo["case"].number
    outside = api_as("ps.casemanager").post("/api/v1/signals/", signal_payload(subject=subject), format="json")
    assert outside.json()["duplicate_candidates"] == []
