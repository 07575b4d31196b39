"""The outcome indicators and the dashboards (issue 17; docs/insights.md "Outcome indicators").

Per case, the measures come from what the teams recorded: milestones, sessions, the release plan's
items at the gate, follow-ups after release, recall and re-offending. The team sees its own cases
plainly; coordinators, the central point and evaluators see every case through the disclosure control,
each table on its own, with rates only over published bases of at least 20. The cohort is
tests/test_insights_api.py's (Prison North, 30 men and 12 women in custody, one woman on probation).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from continuum.audit.models import AuditEvent
from continuum.cases.models import Case, PhaseChange
from continuum.insights import indicators, tables
from continuum.insights.disclosure import THRESHOLD
from continuum.plans import actions as plan_actions
from tests.plans_world import org, user
from tests.test_insights_api import add_cases
from tests.test_insights_pages import client_as

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30


def with_milestones(case: Case, *, achieved: int, open_: int = 0) -> None:
    pn = user("pn.casemanager")
    plan = plan_actions.do_create_plan(case, summary="Synthetic plan.", acting_user=pn)
    goal = plan_actions.do_add_goal(
        plan,
        focus_area="daily_life",
        description="Synthetic goal.",
        owner_organisation=org("prison-north"),
        acting_user=pn,
    )
    today = timezone.localdate()
    for step in range(achieved + open_):
        milestone = plan_actions.do_add_milestone(
            goal, description=f"Step {step}", target_on=today + timedelta(days=30), acting_user=pn
        )
        if step < achieved:
            plan_actions.do_achieve_milestone(milestone, achieved_on=today, acting_user=pn)


def with_sessions(case: Case, *, attended: int, missed: int) -> None:
    pn = user("pn.casemanager")
    today = timezone.localdate()
    intervention = plan_actions.do_add_intervention(
        case,
        type="education",
        provider_organisation=org("prison-north"),
        starts_on=today - timedelta(days=60),
        acting_user=pn,
    )
    for n in range(attended + missed):
        plan_actions.do_record_session(
            intervention, held_on=today - timedelta(days=n + 1), attended=n < attended, acting_user=pn
        )


@pytest.fixture
def cohort(world) -> list[Case]:
    men = add_cases(30, "male")
    women = add_cases(12, "female")
    add_cases(1, "female", phase="probation", given="Hana")
    for case in men[:25]:
        with_milestones(case, achieved=2, open_=1)
    for case in men[:22]:
        with_sessions(case, attended=3, missed=1)
    with_milestones(women[0], achieved=1)
    return men + women


def line(panel: indicators.Panel, label: str) -> indicators.Line:
    return next(found for found in panel.lines if found.label == label)


def panel(body: dict, key: str) -> dict:
    return next(found for found in body["panels"] if found["key"] == key)


def api_line(body: dict, key: str, label: str) -> dict:
    return next(found for found in panel(body, key)["lines"] if found["label"] == label)


# --- the indicators per case ------------------------------------------------------------------------------


def test_the_team_sees_its_own_figures_plainly(cohort, json_api_as):
    body = json_api_as("pn.casemanager").get("/api/v1/insights/dashboard/", {"scope": "mine", "by": "gender"}).json()
    assert body["scope"] == "mine" and body["rules"]["applied"] is False
    # Prison North's cases: the cohort's 42 in custody (Hana's case is led by Prison North too), Amira's.
    assert panel(body, "programme")["columns"][-1] == "All"
    set_ = api_line(body, "programme", "Milestones set")["cells"]
    achieved = api_line(body, "programme", "Milestones achieved")["cells"]
    assert set_[-1]["value"] >= 25 * 3 + 1 and achieved[-1]["value"] >= 25 * 2 + 1
    # The women's column holds the one woman's milestone, not hidden: the team sees her anyway.
    columns = panel(body, "programme")["columns"]
    female = columns.index("Female")
    assert achieved[female]["value"] >= 1 and not achieved[female]["suppressed"]
    sessions = api_line(body, "programme", "Sessions attended")["cells"]
    male = columns.index("Male")
    assert sessions[male]["value"] == 22 * 3
    # 66 of 88 sessions recorded: 75 %, the base being at least 20.
    assert sessions[male]["rate"] == 75


def test_every_case_is_protected_and_rates_come_from_published_values(cohort, json_api_as):
    body = json_api_as("cp.coordinator").get("/api/v1/insights/dashboard/", {"scope": "all", "by": "gender"}).json()
    assert body["rules"]["applied"] is True and body["cases"] is None
    for found in body["panels"]:
        for row in found["lines"]:
            for cell in row["cells"]:
                if not cell["suppressed"]:
                    assert cell["value"] == 0 or cell["value"] >= THRESHOLD, (found["key"], row["label"], cell)
                    assert cell["value"] % 5 == 0
                else:
                    assert cell["value"] is None and cell["rate"] is None
    # The women's milestones (one case behind them) are hidden; so their rate is not shown.
    columns = panel(body, "programme")["columns"]
    achieved = api_line(body, "programme", "Milestones achieved")["cells"][columns.index("Female")]
    assert achieved["suppressed"] and achieved["rate"] is None
    # The men's sessions are hidden too: with the women's (0) hidden, they would give it away with the
    # total. The total over gender publishes: 66 attended of 88 recorded, rounded to 65 and 90.
    sessions = api_line(body, "programme", "Sessions attended")["cells"]
    recorded = api_line(body, "programme", "Sessions recorded")["cells"]
    assert sessions[columns.index("Male")]["suppressed"]
    assert sessions[-1]["value"] == 65 and recorded[-1]["value"] == 90
    assert sessions[-1]["rate"] == round(100 * 65 / 90)


def test_a_zero_is_hidden_like_any_small_number_at_scope_all(cohort, json_api_as):
    body = json_api_as("cp.coordinator").get("/api/v1/insights/dashboard/", {"scope": "all", "by": "gender"}).json()
    recalled = api_line(body, "recorded", "Recalled to prison")["cells"]
    assert all(cell["suppressed"] for cell in recalled)  # nobody recalled: 0 < 10 everywhere


@pytest.mark.parametrize("username", ["prob.officer", "pn.casemanager", "exit.worker"])
def test_case_workers_get_only_their_own_cases(cohort, json_api_as, username):
    client = json_api_as(username)
    assert client.get("/api/v1/insights/dashboard/", {"scope": "all"}).status_code == 403
    assert client.get("/api/v1/insights/dashboard/").json()["scope"] == "mine"


@pytest.mark.parametrize("username", ["dpo", "admin"])
def test_the_dpo_and_the_administrator_get_no_dashboard(cohort, json_api_as, username):
    assert json_api_as(username).get("/api/v1/insights/dashboard/").status_code == 403
    assert client_as(username).get("/insights/dashboard/").status_code == 403


def test_research_gets_every_case_by_default(cohort, json_api_as):
    body = json_api_as("evaluator").get("/api/v1/insights/dashboard/").json()
    assert body["scope"] == "all" and body["by"] == "release_year"
    assert json_api_as("evaluator").get("/api/v1/insights/dashboard/", {"scope": "mine"}).status_code == 403


@pytest.mark.parametrize("params", [{"by": "shoe_size"}, {"scope": "everyone"}])
def test_bad_questions_get_a_400(world, json_api_as, params):
    response = json_api_as("cp.coordinator").get("/api/v1/insights/dashboard/", params)
    assert response.status_code == 400


def test_the_dashboard_is_audited_without_its_numbers(cohort, json_api_as):
    json_api_as("evaluator").get("/api/v1/insights/dashboard/", {"by": "gender"})
    event = AuditEvent.objects.filter(object_type="statistics").latest("seq")
    assert event.detail == {"dashboard": True, "by": ["gender"], "scope": "all"}


# --- time in each phase -----------------------------------------------------------------------------------


def test_time_in_each_phase_follows_the_phase_changes(world):
    case = add_cases(1, "male")[0]
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=400), phase="probation")
    PhaseChange.objects.create(
        case=case, from_phase="custody", to_phase="probation", changed_at=now - timedelta(days=100)
    )
    days = indicators.phase_days(Case.objects.filter(pk=case.pk))[case.pk]
    assert days == {"custody": 300, "probation": 100}
    row = tables.rows(Case.objects.filter(pk=case.pk))[0]
    assert row.time_in_programme == "1_2y" and row.phase_transitions == 1


def test_a_closed_case_stops_counting_at_its_closing(world):
    case = add_cases(1, "male")[0]
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=3000), phase="closed")
    PhaseChange.objects.create(
        case=case, from_phase="custody", to_phase="closed", changed_at=now - timedelta(days=2800)
    )
    assert indicators.phase_days(Case.objects.filter(pk=case.pk))[case.pk] == {"custody": 200}
    assert tables.rows(Case.objects.filter(pk=case.pk))[0].time_in_programme == "under_1y"


def test_the_phase_panel_is_plain_for_the_team_and_protected_line_by_line_for_everyone(cohort):
    mine = indicators.phase_panel(Case.objects.visible_to(user("pn.casemanager")), scope="mine")
    assert line(mine, "Custody").cells[0].value == line(mine, "Custody").cells[-1].value >= 43  # all opened lately
    every = indicators.phase_panel(Case.objects.all(), scope="all")
    for found in every.lines:
        for cell in found.cells:
            assert cell.suppressed or cell.value >= THRESHOLD
    # Every custody case is under 6 months: the three zeros are hidden, and so is the one cell that,
    # with the total, would tell that they are zeros. The total publishes.
    custody = line(every, "Custody")
    assert all(cell.suppressed for cell in custody.cells[:-1]) and custody.cells[-1].value == 45


# --- reassessments --------------------------------------------------------------------------------------


def test_reassessment_trends_compare_the_first_and_the_latest_assessment(world):
    from tests.test_assessments_api import _finalised

    _finalised(world, value=lambda code, item: 2 if item["type"] != "protective" else 1)
    _finalised(world, value=lambda code, item: 0 if item["type"] != "protective" else 1)
    trends = indicators.reassessment_trends(Case.objects.filter(pk=world.case.pk))
    assert trends, "a case with two finalised assessments has a trend"
    directions = {direction for counts in trends.values() for (direction,) in counts}
    assert "lower" in directions
    assert all(sum(counts.values()) == 1 for counts in trends.values())  # one case, once per domain
    # Through the eyes of an organisation that reads none of the case (research, R9): nothing.
    assert indicators.reassessment_trends(Case.objects.filter(pk=world.case.pk), user("evaluator")) == {}


# --- pages -----------------------------------------------------------------------------------------------


def test_the_team_page_lists_each_of_its_cases(cohort):
    page = client_as("pn.casemanager").get("/insights/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Each of your cases" in text and "Time spent in each phase" in text and "chart-beside" in text
    assert "nothing is hidden or rounded" in text


def test_the_coordinators_page_has_no_case_list_and_no_names(cohort):
    page = client_as("cp.coordinator").get("/insights/dashboard/", {"scope": "all", "by": "gender"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Each of your cases" not in text and "Cohortm0" not in text and "Amira" not in text


def test_a_bad_breakdown_on_the_page_is_a_400(world):
    assert client_as("cp.coordinator").get("/insights/dashboard/", {"scope": "all", "by": "x"}).status_code == 400
    assert client_as("prob.officer").get("/insights/dashboard/", {"scope": "all", "by": "phase"}).status_code == 400


def test_the_evaluators_home_leads_to_the_statistics(cohort):
    text = client_as("evaluator").get("/").content.decode()
    assert "Statistics and reports" in text and 'href="/insights/dashboard/"' in text
    assert "Statistics and reports" not in client_as("pn.casemanager").get("/").content.decode()


# --- query counts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("pn.casemanager", "/insights/dashboard/"),
        ("cp.coordinator", "/insights/dashboard/?scope=all&by=gender"),
        ("evaluator", "/"),
    ],
)
def test_dashboard_queries_do_not_grow_with_the_cases(cohort, username, url):
    client = client_as(username)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()
    before = count()
    more = add_cases(15, "male", phase="custody")
    for case in more[:5]:
        with_sessions(case, attended=1, missed=1)
    after = count()
    assert after == before <= MAX_QUERIES, (before, after)


# --- no table of the dashboard gives away a cell another hides ------------------------------------------


def attacker_ranges(values: dict, reasons: dict, names: list[str], by_values: list[str], by: str) -> dict:
    """What someone can work out of a hidden cell from everything the dashboard publishes and what
    anyone knows, written here from the definitions: each measure's total is the sum of its columns;
    a measure counts a part of another (``MEASURES[...].base``; persons and recalls of the cases); with
    columns by year of release the cases of a year are its releases; and nobody not released has a
    release. Published values are taken as exact (not rounded): the attacker is given more than they get."""
    import numpy as np
    from scipy.optimize import linprog

    columns = [*by_values, None]
    hidden = list(reasons)
    index = {key: i for i, key in enumerate(hidden)}
    structural = {
        (name, "not_released") for name in names if tables.MEASURES[name].released_only and by == "release_year"
    }

    def row_of(terms: list[tuple[tuple, int]]) -> tuple[np.ndarray, float]:
        row, constant = np.zeros(len(hidden)), 0.0
        for key, coefficient in terms:
            if key in index and key not in structural:
                row[index[key]] += coefficient
            else:
                constant += coefficient * (0 if key in structural else values[key])
        return row, -constant

    eq = [row_of([((name, None), 1), *(((name, v), -1) for v in by_values)]) for name in names]
    pairs = []
    for name in names:
        larger = "cases" if name in ("persons", "recalled") else tables.MEASURES[name].base
        if larger:
            pairs += [((name, column), (larger, column)) for column in columns]
    if by == "release_year":
        pairs += [(("cases", v), ("released", v)) for v in by_values if v != "not_released"]
    ub = [row_of([(small, 1), (large, -1)]) for small, large in pairs]
    eq = [(r, b) for r, b in eq if r.any()]
    ub = [(r, b) for r, b in ub if r.any()]
    ranges = {}
    for key in hidden:
        if key in structural:
            continue
        c = np.zeros(len(hidden))
        c[index[key]] = 1
        system = {
            "A_eq": np.array([r for r, _b in eq]) if eq else None,
            "b_eq": np.array([b for _r, b in eq]) if eq else None,
            "A_ub": np.array([r for r, _b in ub]) if ub else None,
            "b_ub": np.array([b for _r, b in ub]) if ub else None,
        }
        low = linprog(c, **system, bounds=(0, None), method="highs")
        high = linprog(-c, **system, bounds=(0, None), method="highs")
        assert low.success
        ranges[key] = (low.fun, -high.fun if high.success else None)
    return ranges


@pytest.mark.parametrize("by", ["release_year", "gender", "phase"])
def test_no_hidden_cell_of_the_dashboard_can_be_worked_out_from_its_other_tables(cohort, by):
    from continuum.insights.disclosure import suppress
    from continuum.transition.actions import do_release

    today = timezone.localdate()
    # 15 released last year, 12 the year before, 3 this year. A naive dashboard by year of release hides
    # this year's 3 releases and the structural zero of "not released" (anyone knows nobody not released
    # has a release: the 3 follow from the total), and hides the cases of the year before to protect
    # this year's cases while it shows that year's releases, the same number.
    for n, case in enumerate(cohort[:30]):
        years_ago = 1 if n < 15 else (2 if n < 27 else 0)
        released_on = today.replace(year=today.year - years_ago, month=3, day=1)
        do_release(
            case, released_on=released_on, lead_organisation=org("probation"), acting_user=user("pn.casemanager")
        )
    found = tables.rows(Case.objects.all())
    by_values = tables.domain(by, found, today)
    names = [name for _key, _title, group in indicators.GROUPS for name in group]
    values, behind, equations, inequalities, known = indicators.linked_system(found, names, by, by_values)
    reasons = suppress(values, equations, behind=behind, inequalities=inequalities, known=known)
    for key, value in values.items():
        if key not in reasons:
            assert value >= THRESHOLD, (key, value)
    for key, (low, high) in attacker_ranges(values, reasons, names, by_values, by).items():
        assert high is None or high - low >= 1 - 1e-6, (key, low, high)
