"""The main workflow by keyboard alone (issue 13, "Accessibility as a gate"): no mouse, no clicks.

Prison North's case manager logs in, opens Amira Benali's case from "My cases" on the home page, opens
"Add a journal entry", chooses the category, writes the title and the text, saves, and finds the entry in
the journal: Tab, typing, Enter and the arrow keys only. Every element that takes the focus on the way
shows it (an outline drawn by ``:focus-visible``), and each step is reached within a bounded number of
Tab presses (the entry form's Save button within ``SAVE_TABS``, whatever the layout of its withhold
checkboxes).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from continuum.accounts.demo import DEMO_PASSWORD
from continuum.cases import demo as case_demo
from continuum.cases.models import Case, Entry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Tab presses allowed to reach each step (the entry form's Save button, from the text: 23 in December 2026).
STEP_TABS = 30
SAVE_TABS = 40

# What the focused element is and whether it shows the focus: it matches :focus-visible and draws a
# visible outline (or, for the few that draw it so, a box shadow).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    href: el.getAttribute("href") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    focusVisible: el.matches(":focus-visible"),
    shown: outlined || style.boxShadow !== "none",
  };
}"""


@pytest.fixture
def amira(demo_world) -> Case:
    case_demo.seed()
    return Case.objects.select_related("person").get(person__given_name="Amira", person__family_name="Benali")


def tab_to(page: Page, wanted, *, limit: int = STEP_TABS) -> int:
    """Press Tab until ``wanted(state)`` holds for the focused element; the number of presses.

    Every element focused on the way must show its focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        assert state["focusVisible"] and state["shown"], f"The focus is not visible on {state}"
        if wanted(state):
            return presses
    raise AssertionError(f"Not reached within {limit} presses of Tab")


def test_a_journal_entry_by_keyboard_alone(page: Page, amira: Case):
    case_path = f"/cases/{amira.pk}/"

    # Log in.
    page.goto("/login/")
    tab_to(page, lambda s: s["name"] == "username")
    page.keyboard.type("pn.casemanager")
    tab_to(page, lambda s: s["name"] == "password", limit=2)
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#my-cases-heading")).to_be_visible()

    # Open the case from My cases.
    tab_to(page, lambda s: s["tag"] == "a" and s["href"] == case_path)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    page.wait_for_load_state("networkidle")  # the case page's parts

    # Add a journal entry.
    tab_to(page, lambda s: s["tag"] == "a" and s["href"].endswith("/entries/new/"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/entries/new/$"))

    # The category (a select: the arrow keys choose), the title and the text.
    tab_to(page, lambda s: s["name"] == "category")
    page.keyboard.press("ArrowDown")
    category = page.locator("select[name=category]")
    expect(category).not_to_have_value("")
    chosen = category.evaluate("el => el.options[el.selectedIndex].text")
    tab_to(page, lambda s: s["name"] == "title", limit=3)
    page.keyboard.type("Visit by her sister")
    tab_to(page, lambda s: s["name"] == "body", limit=2)
    page.keyboard.type("Her sister visited for an hour. Calm, talked about the children.")

    # Save: Tab on to the button, past whatever else the form holds.
    save_tabs = tab_to(page, lambda s: s["tag"] == "button" and s["text"] == "Save the entry", limit=SAVE_TABS)
    print(f"\nSave the entry: reached with {save_tabs} presses of Tab from the text")
    page.keyboard.press("Enter")

    # The entry is in the journal.
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    expect(page.get_by_role("status")).to_contain_text("“Visit by her sister” is saved in the journal.")
    expect(page.locator("main").get_by_text("Visit by her sister").first).to_be_visible()
    page.wait_for_load_state("networkidle")  # the case page's parts, before the database goes
    entry = Entry.objects.get(case=amira, title="Visit by her sister")
    assert entry.body.startswith("Her sister visited")
    assert entry.get_category_display() == chosen
