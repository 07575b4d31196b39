"""The rating page's way through the items (issue 12): "n of 33 items rated", the next unrated item, and
"Submit my ratings" only once the assessor has ticked that the ratings cannot change afterwards.

Everything goes through the real views (the htmx autosave, the page without JavaScript, the submit
form); the MAR instrument with the gender module has 33 items.
"""

from __future__ import annotations

import re

import pytest

from continuum.assessments import actions
from continuum.assessments.models import AssessorRating
from tests.test_assessments_api import _open, _user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ME = "pn.psychologist"
CONFIRM = {"confirm": "on"}


@pytest.fixture
def assessment(world):
    return _open(world, modules=["gender"])


@pytest.fixture
def codes(assessment) -> list[str]:
    return list(assessment.items())


def _page(assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def _save(client, assessment, code: str, *, rationale: str = "Seen in the file.", htmx: bool = True):
    data = {"rating": "1", "rationale": rationale}
    return client.post(f"/assessments/{assessment.pk}/ratings/{code}/", data, **(HTMX if htmx else {}))


def _part(html: str, element_id: str) -> str:
    """The element with ``element_id`` (a <p>, <strong> or <progress>), with its markup."""
    found = re.search(rf'<(p|strong|progress) id="{element_id}"[^>]*>.*?</\1>', html, re.S)
    assert found, f"no #{element_id} in the answer"
    return found.group(0)


def _next_anchor(html: str) -> str | None:
    found = re.search(r'href="#(item-[^"]+)"', _part(html, "rating-next"))
    return found.group(1) if found else None


def _rate_all(assessment, codes, *, but: tuple[str, ...] = (), rationale: str = "Seen in the file.") -> None:
    actions.do_save_ratings(
        assessment,
        ratings=[{"item": c, "rating": 1, "rationale": rationale} for c in codes if c not in but],
        acting_user=_user(ME),
    )


class TestProgress:
    def test_the_page_counts_my_own_saved_items_and_each_save_updates_the_count(self, browser_as, assessment, codes):
        assert len(codes) == 33
        client = browser_as(ME)
        page = client.get(_page(assessment)).content.decode()
        assert "0 of 33 items rated" in _part(page, "rating-count")
        assert 'aria-live="polite"' in re.search(r"<p[^>]*>\s*<strong id=\"rating-count\"", page).group(0)
        assert 'value="0"' in _part(page, "rating-bar") and 'max="33"' in _part(page, "rating-bar")

        first = _save(client, assessment, codes[0]).content.decode()
        assert "Draft saved" in first
        count = _part(first, "rating-count")
        assert "1 of 33 items rated" in count and 'hx-swap-oob="true"' in count
        assert 'value="1"' in _part(first, "rating-bar")
        second = _save(client, assessment, codes[1]).content.decode()
        assert "2 of 33 items rated" in _part(second, "rating-count")
        # Saving an item again is no new item.
        again = _save(client, assessment, codes[1], rationale="Changed my mind.").content.decode()
        assert "2 of 33 items rated" in _part(again, "rating-count")
        assert "2 of 33 items rated" in client.get(_page(assessment)).content.decode()

    def test_each_answer_carries_the_version_of_the_draft_so_an_older_one_is_not_shown(
        self, browser_as, assessment, codes
    ):
        client = browser_as(ME)

        def versions(html: str) -> set[int]:
            parts = ("rating-count", "rating-bar", "rating-next", "submit-state")
            return {int(re.search(r'data-version="(\d+)"', _part(html, p)).group(1)) for p in parts}

        assert versions(client.get(_page(assessment)).content.decode()) == {0}
        (first,) = versions(_save(client, assessment, codes[0]).content.decode())
        (second,) = versions(_save(client, assessment, codes[0], rationale="Again.").content.decode())
        assert 0 < first < second
        assert versions(client.get(_page(assessment)).content.decode()) == {second}

    def test_another_assessors_draft_does_not_count(self, browser_as, assessment, codes):
        actions.do_save_ratings(
            assessment,
            ratings=[{"item": c, "rating": 2, "rationale": "Probation's view."} for c in codes[:10]],
            acting_user=_user("prob.officer"),
        )
        client = browser_as(ME)
        assert "0 of 33 items rated" in client.get(_page(assessment)).content.decode()
        assert "1 of 33 items rated" in _part(_save(client, assessment, codes[0]).content.decode(), "rating-count")
        assert "10 of 33 items rated" in browser_as("prob.officer").get(_page(assessment)).content.decode()

    def test_a_refused_save_changes_no_count(self, browser_as, assessment, codes):
        client = browser_as(ME)
        url = f"/assessments/{assessment.pk}/ratings/{codes[0]}/"
        refused = client.post(url, {"rationale": "typed but no rating"}, **HTMX).content.decode()
        assert "Not saved yet" in refused and "rating-count" not in refused
        assert not AssessorRating.objects.filter(assessment=assessment).exists()

    def test_the_submit_section_says_how_many_are_still_unrated(self, browser_as, assessment, codes):
        _rate_all(assessment, codes, but=tuple(codes[:3]))
        client = browser_as(ME)
        state = _part(client.get(_page(assessment)).content.decode(), "submit-state")
        assert "3 items still unrated." in state and "once every item has a rating" in state
        saved = _save(client, assessment, codes[0]).content.decode()
        assert "2 items still unrated." in _part(saved, "submit-state")
        assert 'hx-swap-oob="true"' in _part(saved, "submit-state")


class TestNextUnratedItem:
    def test_first_the_first_item_then_the_next_unrated_after_the_one_saved(self, browser_as, assessment, codes):
        client = browser_as(ME)
        page = client.get(_page(assessment)).content.decode()
        assert _next_anchor(page) == f"item-{codes[0]}"
        assert "Go to the next unrated item" in page
        # Every item can be gone to: its form carries the anchor.
        assert all(f'id="item-{c}"' in page for c in codes)
        assert _next_anchor(_save(client, assessment, codes[0]).content.decode()) == f"item-{codes[1]}"
        # Saving the tenth item (the second to ninth unrated) points on to the eleventh, not back.
        assert _next_anchor(_save(client, assessment, codes[9]).content.decode()) == f"item-{codes[10]}"

    def test_after_the_last_item_it_wraps_round_to_the_first_unrated(self, browser_as, assessment, codes):
        _rate_all(assessment, codes, but=(codes[4], codes[-1]))
        client = browser_as(ME)
        assert _next_anchor(client.get(_page(assessment)).content.decode()) == f"item-{codes[4]}"
        saved = _save(client, assessment, codes[-1]).content.decode()
        assert _next_anchor(saved) == f"item-{codes[4]}"
        assert "32 of 33 items rated" in saved

    def test_without_javascript_the_page_after_a_save_points_on_from_the_saved_item(
        self, browser_as, assessment, codes
    ):
        client = browser_as(ME)
        response = _save(client, assessment, codes[5], htmx=False)
        assert response.status_code == 302
        assert response["Location"] == f"{_page(assessment)}?after={codes[5]}#item-{codes[5]}"
        page = client.get(response["Location"].split("#")[0]).content.decode()
        assert "1 of 33 items rated" in page and _next_anchor(page) == f"item-{codes[6]}"

    def test_when_all_are_rated_it_says_so_and_points_to_submitting(self, browser_as, assessment, codes):
        _rate_all(assessment, codes, but=(codes[7],))
        client = browser_as(ME)
        saved = _save(client, assessment, codes[7]).content.decode()
        assert "All 33 items rated — you can submit" in _part(saved, "rating-next")
        assert _next_anchor(saved) is None and 'href="#submit-form"' in saved
        assert "Every item is rated with a rationale: you can submit." in _part(saved, "submit-state")
        page = client.get(_page(assessment)).content.decode()
        assert "33 of 33 items rated" in page and "All 33 items rated — you can submit" in page

    def test_rated_items_without_a_rationale_are_next_once_all_are_rated(self, browser_as, assessment, codes):
        _rate_all(assessment, codes)
        actions.do_save_ratings(
            assessment, ratings=[{"item": codes[3], "rating": 2, "rationale": ""}], acting_user=_user(ME)
        )
        page = browser_as(ME).get(_page(assessment)).content.decode()
        next_part = _part(page, "rating-next")
        assert "All 33 items rated; 1 still needs a rationale before you can submit." in next_part
        assert "you can submit" not in next_part.replace("before you can submit", "")
        assert _next_anchor(page) == f"item-{codes[3]}"
        assert "1 rated item without a rationale." in _part(page, "submit-state")


class TestSubmitConfirmation:
    def test_the_page_asks_for_the_tick(self, browser_as, assessment):
        page = browser_as(ME).get(_page(assessment)).content.decode()
        form = re.search(r'<form[^>]*id="submit-form".*?</form>', page, re.S).group(0)
        assert 'name="confirm"' in form and "Yes, submit my ratings: I cannot change them afterwards" in form

    def test_without_the_tick_nothing_is_submitted_and_the_form_says_why(self, browser_as, assessment, codes):
        _rate_all(assessment, codes)
        response = browser_as(ME).post(f"/assessments/{assessment.pk}/submit/")
        body = response.content.decode()
        assert response.status_code == 400
        assert "tick the box to confirm that your ratings are final" in body and "field--error" in body
        assert not assessment.assessors.filter(submitted_at__isnull=False).exists()
        assessment.refresh_from_db()
        assert assessment.status == "draft"
        # Still the rating page, with every draft kept.
        assert "33 of 33 items rated" in body and 'id="submit-form"' in body

    def test_with_the_tick_the_ratings_are_submitted(self, browser_as, assessment, codes):
        _rate_all(assessment, codes)
        response = browser_as(ME).post(f"/assessments/{assessment.pk}/submit/", CONFIRM, follow=True)
        assert "Your ratings are submitted. 1 of 2 assessors submitted." in response.content.decode()
        assert assessment.assessors.get(user__username=ME).submitted

    def test_the_tick_does_not_lift_the_rule_that_every_item_is_rated(self, browser_as, assessment, codes):
        _rate_all(assessment, codes, but=(codes[0],))
        response = browser_as(ME).post(f"/assessments/{assessment.pk}/submit/", CONFIRM)
        body = response.content.decode()
        assert response.status_code == 400
        assert "Your ratings are not submitted yet." in body and "Not rated yet" in body and codes[0] in body
        assert not assessment.assessors.filter(submitted_at__isnull=False).exists()

    @pytest.mark.parametrize(
        ("username", "status"), [("pn.casemanager", 403), ("police.liaison", 403), ("cw.worker", 404)]
    )
    def test_who_is_no_assessor_cannot_submit_even_when_ticking(self, browser_as, assessment, username, status):
        assert browser_as(username).post(f"/assessments/{assessment.pk}/submit/", CONFIRM).status_code == status
        assert not assessment.assessors.filter(submitted_at__isnull=False).exists()

    @pytest.mark.parametrize(("username", "status"), [("pn.casemanager", 403), ("cw.worker", 404)])
    def test_who_is_no_assessor_is_refused_as_before_without_a_tick(self, browser_as, assessment, username, status):
        assert browser_as(username).post(f"/assessments/{assessment.pk}/submit/").status_code == status

    def test_submitting_twice_says_why_not(self, browser_as, assessment, codes):
        _rate_all(assessment, codes)
        client = browser_as(ME)
        client.post(f"/assessments/{assessment.pk}/submit/", CONFIRM)
        again = client.post(f"/assessments/{assessment.pk}/submit/", CONFIRM, follow=True).content.decode()
        assert "Your ratings are not submitted. You have already submitted your ratings." in again

    def test_the_api_submits_without_a_tick(self, api_as, assessment, codes):
        _rate_all(assessment, codes)
        assert api_as(ME).post(f"/api/v1/assessments/{assessment.pk}/submit/").status_code == 200
        assert assessment.assessors.get(user__username=ME).submitted


class TestQueryCounts:
    def test_the_rating_page_and_an_item_save_stay_within_30_queries_however_many_are_rated(
        self, browser_as, assessment, codes, django_assert_max_num_queries
    ):
        client = browser_as(ME)
        counts = []
        for rated in (1, 33):
            _rate_all(assessment, codes[:rated])
            with django_assert_max_num_queries(30) as page:
                assert client.get(_page(assessment)).status_code == 200
            with django_assert_max_num_queries(30) as save:
                assert "Draft saved" in _save(client, assessment, codes[0]).content.decode()
            counts.append((len(page), len(save)))
        assert counts[0] == counts[1]
