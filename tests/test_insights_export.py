"""The research export (issue 17; ``insights/export.py``): k-anonymous, l-diverse, generalised
microdata with no free text, for the research role only.

Property tests over random microdata check the release against the definitions written here again
(a group is the rows sharing all quasi-identifiers); a crafted cohort has one person a naive export
would single out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.audit.models import AuditEvent
from continuum.cases.models import Case
from continuum.insights import export
from continuum.people.models import Person
from continuum.signals.actions import do_report_signal
from tests.plans_world import user
from tests.test_insights_api import add_cases

pytestmark = pytest.mark.django_db

ROW = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(["female", "male"]),
        "age_band": st.sampled_from(["18_24", "25_34", "35_44", "45_plus"]),
        "year_opened": st.sampled_from(["2019", "2021", "2022", "2024"]),
        "lead_type": st.sampled_from(["prison", "probation", "municipality"]),
        "extremism_type": st.sampled_from(["jihadist", "right_wing", "left_wing"]),
        "phase": st.just("custody"),
        "released": st.just("no"),
        "release_year": st.just(""),
        "milestones_achieved": st.just("0"),
    }
)


def groups_of(rows):
    found = defaultdict(list)
    for row in rows:
        found[tuple(row[q] for q in export.QUASI)].append(row)
    return found


@settings(max_examples=80, deadline=None)
@given(st.lists(ROW, min_size=0, max_size=120))
def test_a_released_export_is_k_anonymous_and_l_diverse(rows):
    result = export.anonymise(rows)
    if not result.released:
        assert result.rows == [] and result.reason
        return
    for members in groups_of(result.rows).values():
        assert len(members) >= export.K
        assert len({m["extremism_type"] for m in members}) >= export.L
    assert result.suppressed_rows <= export.MAX_SUPPRESSED * len(rows)
    assert len(result.rows) + result.suppressed_rows == len(rows)
    assert all(set(row) == set(export.COLUMNS) for row in result.rows)
    assert len({row["pseudonym"] for row in result.rows}) == len(result.rows)


def test_a_cohort_with_one_older_woman_does_not_single_her_out():
    men = [
        {
            "gender": "male",
            "age_band": "25_34",
            "year_opened": "2024",
            "lead_type": "prison",
            "extremism_type": kind,
            "phase": "custody",
            "released": "no",
            "release_year": "",
            "milestones_achieved": "0",
        }
        for kind in ["jihadist", "right_wing"] * 20
    ]
    her = {**men[0], "gender": "female", "age_band": "45_plus", "extremism_type": "left_wing"}
    result = export.anonymise([*men, her])
    # The naive export would have a group of one: the woman over 45. The release leaves her out.
    assert result.released
    assert all(row["gender"] == "male" for row in result.rows) and result.suppressed_rows == 1


def test_the_export_is_refused_when_too_many_rows_would_be_left_out():
    rows = [
        {
            "gender": g,
            "age_band": a,
            "year_opened": "2024",
            "lead_type": "prison",
            "extremism_type": "jihadist",
            "phase": "custody",
            "released": "no",
            "release_year": "",
            "milestones_achieved": "0",
        }
        for g in ("female", "male")
        for a in ("18_24", "45_plus")
    ]
    result = export.anonymise(rows * 3)
    assert not result.released and "rows" in result.reason and result.rows == []


@pytest.fixture
def cohort(world) -> None:
    add_cases(25, "male", born=date(1990, 1, 1))
    add_cases(25, "male", born=date(1980, 1, 1))
    add_cases(12, "female", born=date(1990, 1, 1))


def test_the_evaluator_downloads_an_export_without_names_or_references(cohort, api_as):
    # Without signals every extremism type is "not known": one type, so l-diversity fails ...
    refused = api_as("evaluator").get("/api/v1/insights/research-export/")
    assert refused.status_code == 400 and "extremism" in refused.json()["detail"]
    assert AuditEvent.objects.filter(object_type="research_export", outcome="refused").exists()
    # ... with two types among the cases, it is released.
    cases = list(Case.objects.select_related("person", "lead_organisation"))
    reporters = {"prison-north": "pn.casemanager", "municipality-harbour": "muni.coordinator"}
    for n, case in enumerate(cases):
        do_report_signal(
            person=case.person,
            description="Synthetic.",
            extremism_type="jihadist" if n % 2 else "right_wing",
            offence_type="terrorist_offence",
            setting="prison",
            acting_user=user(reporters[case.lead_organisation.slug]),
        )
    response = api_as("evaluator").get("/api/v1/insights/research-export/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["k"] >= 10 and body["l"] >= 2 and body["columns"] == list(export.COLUMNS)
    csv = api_as("evaluator").get("/api/v1/insights/research-export/?format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert text.startswith("# Continuum research export") and "Generalisation applied" in text
    for person in Person.objects.all():
        assert person.given_name not in text and person.family_name not in text and str(person.pk) not in text
    for case in cases:
        assert case.number not in text and str(case.pk) not in text
    event = AuditEvent.objects.filter(object_type="research_export", outcome="ok").latest("seq")
    assert event.action == "export" and event.detail["k"] >= 10


@pytest.mark.parametrize(
    "username", ["cp.coordinator", "cp.analyst", "prob.officer", "muni.coordinator", "dpo", "admin"]
)
def test_only_research_gets_the_export(world, api_as, username):
    assert api_as(username).get("/api/v1/insights/research-export/").status_code == 403
