"""Need-to-know sharing as practitioners meet it in the browser (issue 3).

An exit worker writes two notes on Daniel Kovac's probation case (demo world): an ideology note
withheld from the police, and a counselling note. The probation officer sees the ideology note
(the matrix lets probation read ideology) but not the counselling note; the police liaison sees
neither, although the matrix lets the police read ideology, because the author withheld it. The
data protection officer's disclosure report shows the probation officer's read.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from continuum.cases import demo as case_demo
from continuum.people.models import Person
from tests.e2e.test_login import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IDEOLOGY = "Doubts about the movement"
COUNSELLING = "Talked about his father"


@pytest.fixture
def demo_cases(demo_world) -> Person:
    case_demo.seed()
    return Person.objects.get(given_name="Daniel", family_name="Kovac")


def open_case(page: Page, person: Person) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My cases").click()
    page.get_by_role("row").filter(has_text=person.reference).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case")


def write_entry(page: Page, *, category: str, title: str, body: str, withhold_type: str | None = None) -> None:
    page.get_by_role("link", name="Add a journal entry").first.click()
    page.get_by_label("Category").select_option(label=category)
    if withhold_type:
        # The boxes sit in a closed panel, so that the keyboard passes them in one step (issue 13).
        withhold = page.locator("summary", has_text="Withhold this entry from")
        expect(withhold).to_contain_text("(none ticked)")
        withhold.click()
        page.get_by_role("checkbox", name=withhold_type, exact=True).check()
        expect(withhold).to_contain_text("(1 ticked)")
    page.get_by_label("Title").fill(title)
    page.get_by_label(re.compile(r"^Text")).fill(body)
    audience = page.locator("#audience")
    expect(audience).to_contain_text("Visible to")
    if withhold_type:
        expect(audience.get_by_role("listitem").filter(has_text="Police Liaison Unit")).to_contain_text(
            "withheld by the author"
        )
    page.get_by_role("button", name="Save the entry").click()


def test_an_entry_withheld_from_police_reaches_exactly_whom_the_rules_say(page: Page, demo_cases: Person):
    log_in(page, "exit.worker")
    open_case(page, demo_cases)
    write_entry(
        page,
        category="Ideology",
        title=IDEOLOGY,
        body="He says he no longer believes the recruiters.",
        withhold_type="Police",
    )
    expect(page.get_by_role("status")).to_contain_text("saved")
    write_entry(page, category="Counselling", title=COUNSELLING, body="First time he mentioned him.")
    log_out(page)

    log_in(page, "prob.officer")
    open_case(page, demo_cases)
    journal = page.locator("#journal")
    expect(journal).to_contain_text(IDEOLOGY)
    expect(journal).not_to_contain_text(COUNSELLING)
    entry = journal.locator("article, li, .entry").filter(has_text=IDEOLOGY).first
    entry.get_by_text("Why can I see this?").click()
    expect(entry).to_contain_text("The sharing policy lets your kind of organisation (probation) read ideology records")
    log_out(page)

    log_in(page, "police.liaison")
    open_case(page, demo_cases)
    journal = page.locator("#journal")
    expect(journal).to_contain_text("Online activity")  # the police's own note
    expect(journal).not_to_contain_text(IDEOLOGY)
    expect(journal).not_to_contain_text(COUNSELLING)
    expect(page.locator("main")).not_to_contain_text("Counselling (")  # no heading or count betrays it
    log_out(page)

    log_in(page, "dpo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Disclosure")).click()
    page.get_by_label("Person reference").fill(demo_cases.reference)
    page.get_by_role("button", name="Show the report").click()
    report = page.locator("main")
    expect(report.get_by_role("row").filter(has_text="prob.officer").filter(has_text="Ideology").first).to_be_visible()
    expect(report.get_by_role("row").filter(has_text="police.liaison").filter(has_text="Ideology")).to_have_count(0)
    expect(report).not_to_contain_text(IDEOLOGY)  # the DPO sees who saw what, never the content


def test_the_keyboard_passes_the_withhold_boxes_in_one_step(page: Page, demo_cases: Person):
    """Issue 13: the eighteen withhold-from boxes sit in one closed panel; Save is a few Tab presses
    after the last field, and the panel opens with the keyboard."""
    log_in(page, "exit.worker")
    open_case(page, demo_cases)
    page.get_by_role("link", name="Add a journal entry").first.click()
    page.get_by_label("Reliability of the source").focus()
    presses = 0
    while presses < 10:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.textContent.trim()") == "Save the entry":
            break
    assert presses <= 3  # the panel's summary, the attachments, Save
    withhold = page.locator("summary", has_text="Withhold this entry from")
    withhold.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox", name="Police", exact=True)).to_be_visible()
