"""Readiness, alerts and the release calendar (``transition.releases``), at fixed days (issue 14).

The pure rules first (months back, thresholds, readiness, the categories of the domains), then the
calendar of ``releases_for(user, today=...)`` on the shared API world (tests/api_world.py) with
``today`` fixed: the day before and the day of each threshold, month ends included.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from continuum.cases.models import Case
from continuum.sharing.choices import Category
from continuum.transition import actions
from continuum.transition.choices import (
    DOMAIN_CATEGORY,
    NEEDS_REASON,
    OPEN,
    SETTLED,
    THRESHOLDS,
    Domain,
    ItemStatus,
    domain_category,
)
from continuum.transition.models import ReleaseItem, ReleasePlan
from continuum.transition.releases import (
    alert_label,
    alert_on,
    months_before,
    plan_readiness,
    readiness,
    releases_for,
    threshold_day,
)
from tests.plans_world import org, today, user

# --- the categories of the domains (docs/transition.md) ---------------------------------------------------------


def test_sixteen_domains_in_the_order_of_the_api():
    assert Domain.values == [
        "accommodation",
        "finance_benefits",
        "id_documents",
        "bank_account",
        "education_work",
        "health",
        "mental_health",
        "drugs_alcohol",
        "family_children",
        "faith_community",
        "mentor",
        "probation_appointment",
        "police_contact",
        "gate_plan",
        "media_plan",
        "legal_status",
    ]


def test_who_waits_at_the_gate_is_security_family_and_legal_follow_their_subject_the_rest_is_plan():
    assert {d for d in Domain.values if domain_category(d) == Category.SECURITY} == {"gate_plan", "police_contact"}
    assert domain_category("family_children") == Category.FAMILY
    assert domain_category("legal_status") == Category.LEGAL
    assert [d for d in Domain.values if domain_category(d) == Category.PLAN] == [
        d for d in Domain.values if d not in DOMAIN_CATEGORY
    ]
    assert len([d for d in Domain.values if domain_category(d) == Category.PLAN]) == 12


def test_statuses_are_either_settled_or_open_and_two_need_a_reason():
    assert {"done", "support_not_required", "support_declined"} == SETTLED
    assert {"not_started", "support_required", "in_progress"} == OPEN
    assert set(ItemStatus.values) == set(SETTLED) | set(OPEN) and not set(SETTLED) & set(OPEN)
    assert {"support_not_required", "support_declined"} == NEEDS_REASON and NEEDS_REASON <= SETTLED


# --- months back and thresholds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 5, 31), 3, date(2027, 2, 28)),  # February is shorter: its last day
        (date(2028, 5, 31), 3, date(2028, 2, 29)),  # ... in a leap year too
        (date(2027, 3, 31), 6, date(2026, 9, 30)),
        (date(2027, 5, 31), 6, date(2026, 11, 30)),
        (date(2027, 8, 31), 6, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2027, 2, 10), 3, date(2026, 11, 10)),  # across the turn of the year
        (date(2027, 1, 15), 12, date(2026, 1, 15)),
        (date(2027, 12, 31), 12, date(2026, 12, 31)),
        (date(2027, 1, 31), 1, date(2026, 12, 31)),
        (date(2027, 4, 30), 2, date(2027, 2, 28)),
        (date(2027, 6, 15), 0, date(2027, 6, 15)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_last_of_a_shorter_month(day, months, expected):
    assert months_before(day, months) == expected


def test_thresholds_are_nearest_first_with_their_days():
    assert [t.code for t in THRESHOLDS] == ["2_weeks", "3_months", "6_months", "12_months"]
    expected = date(2027, 5, 31)
    assert {t.code: threshold_day(expected, t) for t in THRESHOLDS} == {
        "2_weeks": date(2027, 5, 17),
        "3_months": date(2027, 2, 28),
        "6_months": date(2026, 11, 30),
        "12_months": date(2026, 5, 31),
    }
    assert all(alert_label(t.code) for t in THRESHOLDS) and alert_label(None) == ""


# For a release on 31 May 2027: (today, alert) on the day before and the day of each threshold.
MAY_31 = [
    (date(2026, 1, 1), None),
    (date(2026, 5, 30), None),
    (date(2026, 5, 31), "12_months"),
    (date(2026, 11, 29), "12_months"),
    (date(2026, 11, 30), "6_months"),
    (date(2027, 2, 27), "6_months"),
    (date(2027, 2, 28), "3_months"),
    (date(2027, 5, 16), "3_months"),
    (date(2027, 5, 17), "2_weeks"),
    (date(2027, 5, 31), "2_weeks"),  # the day itself
    (date(2027, 6, 20), "2_weeks"),  # overdue, not yet released
]
# A release in the middle of a month, 15 March 2027.
MARCH_15 = [
    (date(2026, 3, 14), None),
    (date(2026, 3, 15), "12_months"),
    (date(2026, 9, 14), "12_months"),
    (date(2026, 9, 15), "6_months"),
    (date(2026, 12, 14), "6_months"),
    (date(2026, 12, 15), "3_months"),
    (date(2027, 2, 28), "3_months"),
    (date(2027, 3, 1), "2_weeks"),
]
# A release on leap day, 29 February 2028: twelve months before is 28 February 2027.
LEAP_DAY = [
    (date(2027, 2, 27), None),
    (date(2027, 2, 28), "12_months"),
    (date(2027, 8, 28), "12_months"),
    (date(2027, 8, 29), "6_months"),
    (date(2027, 11, 28), "6_months"),
    (date(2027, 11, 29), "3_months"),
    (date(2028, 2, 14), "3_months"),
    (date(2028, 2, 15), "2_weeks"),
]


@pytest.mark.parametrize(
    ("expected", "day", "alert"),
    [
        *((date(2027, 5, 31), d, a) for d, a in MAY_31),
        *((date(2027, 3, 15), d, a) for d, a in MARCH_15),
        *((date(2028, 2, 29), d, a) for d, a in LEAP_DAY),
    ],
)
def test_the_alert_is_the_nearest_threshold_passed(expected, day, alert):
    assert alert_on(expected, day, open_domains=3) == alert


@pytest.mark.parametrize("day", [d for d, _ in MAY_31])
def test_no_alert_when_nothing_is_open_or_the_person_is_released(day):
    assert alert_on(date(2027, 5, 31), day, open_domains=0) is None
    assert alert_on(date(2027, 5, 31), day, open_domains=16, released=True) is None


# --- readiness --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], {"settled": 0, "total": 0, "percent": 0}),
        (["not_started"] * 16, {"settled": 0, "total": 16, "percent": 0}),
        (["done"] * 16, {"settled": 16, "total": 16, "percent": 100}),
        (["done", "support_not_required", "support_declined"], {"settled": 3, "total": 3, "percent": 100}),
        (["in_progress", "support_required", "not_started"], {"settled": 0, "total": 3, "percent": 0}),
        (["done", "in_progress", "not_started"], {"settled": 1, "total": 3, "percent": 33}),
        (["done", "done", "in_progress"], {"settled": 2, "total": 3, "percent": 67}),
        (["done"] + ["in_progress"] * 7, {"settled": 1, "total": 8, "percent": 13}),  # 12.5: halves up
        (["done"] * 2 + ["in_progress"] * 14, {"settled": 2, "total": 16, "percent": 13}),  # 12.5
        (["done"] * 6 + ["in_progress"] * 10, {"settled": 6, "total": 16, "percent": 38}),  # 37.5
        (["done"] + ["in_progress"] * 15, {"settled": 1, "total": 16, "percent": 6}),  # 6.25
        (["done"] * 15 + ["in_progress"], {"settled": 15, "total": 16, "percent": 94}),  # 93.75
        (["done"] * 7 + ["support_required"] * 7, {"settled": 7, "total": 14, "percent": 50}),
    ],
)
def test_readiness_counts_settled_of_all_given(statuses, expected):
    assert readiness(statuses) == expected


# --- the calendar on fixed days ---------------------------------------------------------------------------------

RELEASE_DAY = date(2027, 5, 31)
ALL_DAYS = 3650


def begin(case: Case, by: str = "pn.casemanager", **fields: Any) -> ReleasePlan:
    fields.setdefault("expected_release_on", RELEASE_DAY)
    fields.setdefault("destination_municipality", org("municipality-harbour"))
    return actions.do_create_release_plan(case, acting_user=user(by), **fields)


def settle_all(plan: ReleasePlan, *, except_: frozenset[str] = frozenset(), by: str = "pn.casemanager") -> None:
    for item in ReleaseItem.objects.filter(plan=plan).exclude(domain__in=except_):
        actions.do_update_release_item(item, version=item.version, status="done", acting_user=user(by))


def rows_for(username: str, day: date, within_days: int = ALL_DAYS) -> dict[Any, Any]:
    return {row.plan.case_id: row for row in releases_for(user(username), within_days=within_days, today=day)}


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "alert"), MAY_31)
def test_the_calendar_alerts_at_each_threshold_on_a_fixed_day(world, day, alert):
    begin(world.case)
    row = rows_for("prob.officer", day)[world.case.pk]
    assert row.alert == alert and row.member is True
    assert row.readiness == {"settled": 0, "total": 16, "percent": 0}
    assert row.open_domains == list(Domain.values)


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "alert"), MAY_31[2:])
def test_the_calendar_alert_counts_only_what_the_reader_sees_as_open(world, day, alert):
    plan = begin(world.case)
    settle_all(plan, except_=frozenset({"gate_plan"}))
    # The municipality does not see the open gate plan: for it nothing is open, and nothing alerts.
    municipality = rows_for("muni.coordinator", day)[world.case.pk]
    assert municipality.alert is None and municipality.open_domains == []
    assert municipality.readiness == {"settled": 14, "total": 14, "percent": 100}
    probation = rows_for("prob.officer", day)[world.case.pk]
    assert probation.alert == alert and probation.open_domains == ["gate_plan"]
    assert probation.readiness == {"settled": 15, "total": 16, "percent": 94}
    settle_all(plan)
    assert rows_for("prob.officer", day)[world.case.pk].alert is None


@pytest.mark.django_db
def test_within_days_counts_from_the_given_day(world):
    begin(world.case)
    assert world.case.pk not in rows_for("prob.officer", date(2027, 5, 1), within_days=29)
    assert world.case.pk in rows_for("prob.officer", date(2027, 5, 1), within_days=30)
    # A release due earlier and not yet recorded stays on the calendar.
    assert world.case.pk in rows_for("prob.officer", date(2027, 8, 1), within_days=0)


@pytest.mark.django_db
def test_the_calendar_is_soonest_first_and_a_released_plan_leaves_it(world):
    later = begin(world.other_case, by="muni.coordinator", expected_release_on=date(2027, 9, 1))
    sooner = begin(world.case, expected_release_on=date(2027, 6, 1))
    day = date(2027, 1, 10)
    assert [row.plan.pk for row in releases_for(user("prob.officer"), within_days=ALL_DAYS, today=day)] == [
        sooner.pk,
        later.pk,
    ]
    actions.do_record_earlier_release(
        Case.objects.get(pk=world.other_case.pk),
        released_on=today() - timedelta(days=1),
        released_to=org("probation"),
        acting_user=user("muni.coordinator"),
    )
    assert [row.plan.pk for row in releases_for(user("prob.officer"), within_days=ALL_DAYS, today=day)] == [sooner.pk]


@pytest.mark.django_db
def test_announcements_carry_no_items_and_count_what_the_reader_would_read(world):
    plan = begin(world.other_case, by="muni.coordinator")  # the central point is not a member
    actions.do_update_release_item(
        ReleaseItem.objects.get(plan=plan, domain="accommodation"),
        version=1,
        status="done",
        acting_user=user("muni.coordinator"),
    )
    row = rows_for("cp.coordinator", date(2027, 5, 20))[world.other_case.pk]
    assert row.member is False and row.items == []
    assert row.readiness == {"settled": 1, "total": 16, "percent": 6}
    assert row.alert == "2_weeks" and "accommodation" not in row.open_domains
    assert row.open_domains == [d for d in Domain.values if d != "accommodation"]
    # Who is neither a member, the central point nor the destination sees nothing of it.
    assert world.other_case.pk not in rows_for("police.liaison", date(2027, 5, 20))
    assert world.other_case.pk not in rows_for("ps.casemanager", date(2027, 5, 20))


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["mentor.one", "evaluator", "dpo", "admin"])
def test_those_who_see_no_plan_have_an_empty_calendar(world, username):
    begin(world.case)
    begin(world.other_case, by="muni.coordinator")
    assert releases_for(user(username), within_days=ALL_DAYS, today=date(2027, 5, 20)) == []


@pytest.mark.django_db
def test_one_plans_readiness_on_a_fixed_day_and_none_once_released(world):
    plan = begin(world.case)
    items = list(ReleaseItem.objects.visible_to(user("prob.officer")).filter(plan=plan))
    summary = plan_readiness(user("prob.officer"), plan, items, today=date(2027, 2, 28))
    assert summary["alert"] == "3_months" and summary["readiness"]["total"] == 16
    assert plan_readiness(user("prob.officer"), plan, items, today=date(2027, 2, 27))["alert"] == "6_months"
    plan.released_on = date(2027, 5, 31)  # as do_release records it: no alert on a released plan
    assert plan_readiness(user("prob.officer"), plan, items, today=date(2027, 5, 31))["alert"] is None
