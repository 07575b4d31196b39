"""A multi-disciplinary assessment as the two assessors click it (issue 5).

Prison North's psychologist opens a MAR assessment of Amira Benali (demo world) with the probation
officer as second assessor and rates every item; one autosave fails (the request is aborted) and the
text stays in the form with a clear message until the retry saves it; the count of items rated and the
link to the next unrated item follow each save, and submitting needs a tick that the ratings are final.
The probation officer cannot see the psychologist's ratings while rating, rates one item differently,
submits, sees the disagreement, records the consensus and finalises with a written judgement. The case
page then shows the trend chart and the next review date.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from continuum.assessments.models import Assessment
from continuum.cases import demo as case_demo
from continuum.cases.models import Case
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVE_TIMEOUT = 20_000


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def rate_everything(page: Page, *, first_value: str, note: str) -> None:
    """Rate every item 1 (the first ``first_value``) with a rationale; wait until every draft is saved."""
    items = page.locator("form.rating-item")
    count = items.count()
    assert count > 20
    for index in range(count):
        item = items.nth(index)
        item.locator(f'input[name="rating"][value="{first_value if index == 0 else "1"}"]').check()
        item.get_by_label("Rationale", exact=True).fill(f"{note} item {index + 1}.")
    for index in range(count):
        expect(items.nth(index).locator(".save-status")).to_contain_text("Draft saved", timeout=SAVE_TIMEOUT)


def test_two_assessors_rate_disagree_agree_and_finalise(page: Page, amira: Case):
    case_path = f"/cases/{amira.pk}/"

    # The psychologist opens the assessment from the case page.
    log_in(page, "pn.psychologist")
    page.goto(case_path)
    section = page.locator("#assessments")
    expect(section).to_contain_text("No assessment of this case is shared with your organisation yet.")
    section.get_by_role("link", name="Start an assessment").click()
    mar = "Continuum MAR structured professional judgement (version 1.0, risk assessment)"
    page.get_by_label("Instrument").select_option(label=mar)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Suggested: the person is a woman.")).to_be_visible()
    page.get_by_label(re.compile("Gender module")).uncheck()  # suggested, not forced
    page.get_by_label("Sanne Jacobs, Probation Service (Case manager)").check()
    page.get_by_role("button", name="Open the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("is open")
    expect(page.get_by_text("0 of 2 assessors submitted")).to_be_visible()
    expect(page.get_by_text("The other assessors' ratings show only after you submit yours")).to_be_visible()
    assessment = Assessment.objects.get()

    # One autosave fails: the text stays, the item says it is not saved, and the retry saves it.
    first = page.locator("form.rating-item").first
    code = first.get_attribute("id").removeprefix("item-")

    def abort(route: Route) -> None:
        route.abort()

    pattern = f"**/assessments/{assessment.pk}/ratings/{code}/"
    page.route(pattern, abort)
    first.locator('input[name="rating"][value="1"]').check()
    first.get_by_label("Rationale", exact=True).fill("Written while the network is down.")
    expect(first.locator(".save-status")).to_contain_text("Not saved: the connection failed", timeout=SAVE_TIMEOUT)
    expect(page.locator("#save-problems")).to_contain_text("1 item is not saved yet")
    expect(first.get_by_label("Rationale", exact=True)).to_have_value("Written while the network is down.")
    page.unroute(pattern)
    expect(first.locator(".save-status")).to_contain_text("Draft saved", timeout=SAVE_TIMEOUT)
    assert assessment.assessor_ratings.get(item=code).rationale == "Written while the network is down."
    # The progress and the next unrated item follow the save, without reloading the page.
    total = page.locator("form.rating-item").count()
    progress, count = page.locator("#rating-progress"), page.locator("#rating-count")
    expect(count).to_have_text(f"1 of {total} items rated")
    second = page.locator("form.rating-item").nth(1)
    expect(progress.get_by_role("link", name="Go to the next unrated item")).to_have_attribute(
        "href", f"#{second.get_attribute('id')}"
    )
    progress.get_by_role("link", name="Go to the next unrated item").click()
    expect(second).to_be_in_viewport()
    # An older answer arriving after a newer one (two saves out of order) leaves the newer progress.
    third = page.locator("form.rating-item").nth(2)
    stale_path = f"**/assessments/{assessment.pk}/ratings/{third.get_attribute('id').removeprefix('item-')}/"
    stale = (
        '<span class="save-status--ok">Draft saved</span>'
        f'<strong id="rating-count" hx-swap-oob="true" data-version="1">0 of {total} items rated</strong>'
    )

    def answer_stale(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=stale)

    page.route(stale_path, answer_stale)
    third.locator('input[name="rating"][value="0"]').check()
    expect(third.locator(".save-status")).to_contain_text("Draft saved", timeout=SAVE_TIMEOUT)
    expect(count).to_have_text(f"1 of {total} items rated")
    page.unroute(stale_path)

    rate_everything(page, first_value="1", note="Psychologist on")
    expect(progress).to_contain_text(f"All {total} items rated — you can submit")
    # Submitting cannot be undone: without the tick nothing is submitted.
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.locator("#submit-form")).to_contain_text("tick the box to confirm that your ratings are final")
    assert not assessment.assessors.filter(submitted_at__isnull=False).exists()
    page.get_by_label("Yes, submit my ratings: I cannot change them afterwards").check()
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.get_by_role("status")).to_contain_text("Your ratings are submitted. 1 of 2 assessors submitted.")
    log_out(page)

    # The probation officer rates without seeing the psychologist's ratings, one item differently.
    log_in(page, "prob.officer")
    page.goto(case_path)
    page.locator("#assessments").get_by_role("link", name="Continuum MAR structured professional judgement").click()
    expect(page.get_by_text("1 of 2 assessors submitted")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Psychologist on")
    rate_everything(page, first_value="2", note="Probation on")
    page.get_by_label("Yes, submit my ratings: I cannot change them afterwards").check()
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.get_by_role("status")).to_contain_text("Everyone has submitted")

    # Side by side: the disagreement is marked in words; the consensus is agreed and saved.
    row = page.locator(f'[id="cmp-item-{code}"]')
    expect(row).to_contain_text("Disagreement")
    expect(row).to_contain_text("Psychologist on item 1.")
    expect(row).to_contain_text("Probation on item 1.")
    expect(page.get_by_text("1 item with a disagreement")).to_be_visible()
    row.locator("select").select_option("1")
    row.locator("textarea").fill("Agreed: moderate, the history is documented but old.")
    page.get_by_role("button", name="Save the consensus").click()
    expect(page.get_by_role("status")).to_contain_text("The consensus is saved")

    # Finalise with the team's own words and the next review date.
    review = timezone.localdate() + timedelta(days=120)
    page.get_by_label("Overall judgement").select_option("moderate concern")
    page.get_by_label("Summary of the judgement, with its rationale").fill("Written by the probation officer.")
    page.get_by_label("Next review").fill(review.isoformat())
    page.get_by_role("button", name="Finalise the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("The assessment is finalised.")
    expect(page.get_by_role("heading", name="Domain summaries")).to_be_visible()

    # The case page shows the next review date and the trend chart (SVG drawn on the server).
    page.goto(case_path)
    section = page.locator("#assessments")
    expect(section.locator(".next-review")).to_contain_text(f"{review.day} {review:%b %Y}")
    expect(section.locator("svg.trend-chart").first).to_be_visible()
