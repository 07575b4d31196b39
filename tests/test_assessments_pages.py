"""The assessment pages (issue 5): who sees and does what, the workflow in pages, trend, prompts, overdue list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from continuum.assessments import actions
from continuum.assessments.access import case_trend
from continuum.assessments.models import Assessment, AssessorRating, ConsensusRating
from continuum.cases import actions as case_actions
from tests.test_assessments_api import (
    ASSESSORS,
    MAR,
    RISK_HIDDEN,
    RISK_READERS,
    _agreed,
    _finalised,
    _open,
    _rated_and_submitted,
    _user,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FUTURE = timezone.localdate() + timedelta(days=180)


def _case_url(world) -> str:
    """The case page's assessments section (a part the page loads after it; a page of its own without htmx)."""
    return f"/cases/{world.case.pk}/parts/assessments/"


def _page(assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def _backdate(assessment: Assessment, *, finalised_days_ago: int, review_days_ago: int | None = None) -> None:
    """Let time pass: the assessment was finalised some days ago (and its review was due some days ago)."""
    finalised = timezone.localdate() - timedelta(days=finalised_days_ago)
    review = timezone.localdate() - timedelta(days=review_days_ago) if review_days_ago is not None else FUTURE
    Assessment.objects.filter(pk=assessment.pk).update(
        finalised_on=finalised,
        next_review_on=review,
        created_at=timezone.now() - timedelta(days=finalised_days_ago + 7),
    )


# --- the case page's section ---------------------------------------------------------------------------------


class TestCaseSection:
    def test_assessors_see_the_assessment_with_its_progress_and_can_start_one(self, browser_as, world):
        assessment = _open(world)
        body = browser_as("pn.psychologist").get(_case_url(world)).content.decode()
        assert 'id="assessments"' in body
        assert "Start an assessment" in body
        assert f"/assessments/{assessment.pk}/" in body
        assert "0 of 2 assessors submitted" in body

    def test_readers_who_may_write_no_instrument_see_it_without_a_start_button(self, browser_as, world):
        assessment = _open(world)
        body = browser_as("police.liaison").get(_case_url(world)).content.decode()
        assert f"/assessments/{assessment.pk}/" in body
        assert "Start an assessment" not in body

    def test_the_exit_worker_may_start_only_the_instruments_of_what_it_writes(self, browser_as, world):
        body = browser_as("exit.worker").get(f"/assessments/cases/{world.case.pk}/new/").content.decode()
        assert "Continuum MAR structured professional judgement" not in body

    @pytest.mark.parametrize("username", ["cw.worker", "mentor.one", "family.counsellor"])
    def test_members_who_may_not_see_risk_assessments_do_not_see_it(self, browser_as, world, username):
        assessment = _finalised(world)
        response = browser_as(username).get(_case_url(world))
        assert response.status_code == 200
        body = response.content.decode()
        assert str(assessment.pk) not in body
        assert "No assessment of this case is shared with your organisation yet." in body

    def test_finalised_assessment_shows_its_dates_and_an_overdue_review_as_a_warning(self, browser_as, world):
        assessment = _finalised(world)
        _backdate(assessment, finalised_days_ago=200, review_days_ago=10)
        body = browser_as("prob.officer").get(_case_url(world)).content.decode()
        assert "Review overdue" in body and "Overdue" in body
        assert assessment.instrument.name in body


# --- allow and deny on every page, and the API -------------------------------------------------------------------


class TestVisibility:
    @pytest.mark.parametrize("username", RISK_READERS)
    def test_risk_assessment_page_and_api_for_its_readers(self, browser_as, api_as, world, username):
        assessment = _finalised(world)
        assert browser_as(username).get(_page(assessment)).status_code == 200
        assert api_as(username).get(f"/api/v1/assessments/{assessment.pk}/").status_code == 200

    @pytest.mark.parametrize("username", RISK_HIDDEN)
    def test_risk_assessment_page_and_api_are_404_for_everyone_else(self, browser_as, api_as, world, username):
        assessment = _finalised(world)
        for url in [_page(assessment), f"/assessments/cases/{world.case.pk}/trend/"]:
            response = browser_as(username).get(url)
            if url.endswith("/trend/") and response.status_code == 200:
                assert str(assessment.pk) not in response.content.decode()  # sees the case, not the assessment
            else:
                assert response.status_code == 404, url
        assert api_as(username).get(f"/api/v1/assessments/{assessment.pk}/").status_code == 404

    def test_child_welfare_sees_it_once_the_trial_is_concluded(self, browser_as, world):
        assessment = _finalised(world)
        assert browser_as("cw.worker").get(_page(assessment)).status_code == 404
        pn = _user("pn.casemanager")
        case_actions.do_update_case(
            world.case,
            version=world.case.version,
            trial_concluded_on=timezone.localdate() - timedelta(days=1),
            acting_user=pn,
        )
        assert browser_as("cw.worker").get(_page(assessment)).status_code == 200

    def test_mental_health_evaluation_only_for_mental_health(self, browser_as, world):
        assessment = _finalised(
            world,
            instrument="continuum-psychological-evaluation",
            opener="mh.clinician",
            assessors=["mh.clinician"],
            level="needs trauma care",
        )
        assert browser_as("mh.clinician").get(_page(assessment)).status_code == 200
        for username in ["pn.psychologist", "prob.officer", "police.liaison", "cw.worker", "mentor.one"]:
            assert browser_as(username).get(_page(assessment)).status_code == 404, username

    def test_a_random_id_is_404(self, browser_as, world):
        assert (
            browser_as("pn.psychologist").get("/assessments/0b6f6d7e-3f7e-4c57-9d3e-2f1f8f9a1c01/").status_code == 404
        )


# --- opening -------------------------------------------------------------------------------------------------------


class TestOpenPage:
    def test_choose_then_open_with_modules_and_assessors(self, browser_as, world):
        client = browser_as("pn.psychologist")
        url = f"/assessments/cases/{world.case.pk}/new/"
        assert "Step 1 of 2" in client.get(url).content.decode()
        step2 = client.get(url, {"instrument": MAR}).content.decode()
        assert "Gender module" in step2 and "Suggested: the person is a woman." in step2
        assert "prob.officer" in step2 and "mentor.one" not in step2 and "police.liaison" not in step2
        instrument = actions.find_instrument(MAR)
        response = client.post(url, {"instrument": str(instrument.pk), "modules": ["gender"], "assessors": ASSESSORS})
        assessment = Assessment.objects.get()
        assert response.status_code == 302 and response["Location"] == _page(assessment)
        assert assessment.modules == ["gender"]
        assert sorted(a.user.username for a in assessment.assessors.all()) == sorted(ASSESSORS)

    def test_youth_module_is_suggested_for_a_person_under_25(self, browser_as, world):
        from continuum.people.models import Person

        client = browser_as("prob.officer")
        url = f"/assessments/cases/{world.other_case.pk}/new/"
        Person.objects.filter(pk=world.bilal.pk).update(birth_date=date(2000, 1, 1))
        assert "Suggested: the person is" not in client.get(url, {"instrument": MAR}).content.decode()
        young = timezone.localdate().replace(year=timezone.localdate().year - 22, day=1)
        Person.objects.filter(pk=world.bilal.pk).update(birth_date=young)
        assert "Suggested: the person is 22." in client.get(url, {"instrument": MAR}).content.decode()

    @pytest.mark.parametrize("username", ["police.liaison", "mentor.one"])
    def test_members_who_may_not_write_get_403(self, browser_as, world, username):
        assert browser_as(username).get(f"/assessments/cases/{world.case.pk}/new/").status_code == 403

    @pytest.mark.parametrize("username", ["ps.casemanager", "evaluator", "dpo"])
    def test_outsiders_get_404(self, browser_as, world, username):
        assert browser_as(username).get(f"/assessments/cases/{world.case.pk}/new/").status_code == 404

    def test_no_assessor_chosen_is_an_error_and_opens_nothing(self, browser_as, world):
        instrument = actions.find_instrument(MAR)
        response = browser_as("pn.psychologist").post(
            f"/assessments/cases/{world.case.pk}/new/", {"instrument": str(instrument.pk)}
        )
        assert response.status_code == 400 and not Assessment.objects.exists()


# --- rating, independence, consensus, finalising ---------------------------------------------------------------------


class TestWorkflow:
    def test_autosave_of_one_item_and_its_refusals(self, browser_as, world):
        assessment = _open(world)
        code = next(iter(assessment.items()))
        client = browser_as("pn.psychologist")
        url = f"/assessments/{assessment.pk}/ratings/{code}/"
        saved = client.post(url, {"rating": "1", "rationale": "Seen in the file."}, **HTMX)
        assert saved.status_code == 200 and "Draft saved" in saved.content.decode()
        row = AssessorRating.objects.get(assessment=assessment, item=code)
        assert (row.rating, row.rationale) == (1, "Seen in the file.")
        unknown = client.post(url, {"known_unknown": "1", "rationale": ""}, **HTMX)
        assert "Not saved" in unknown.content.decode() and "known unknown" in unknown.content.decode()
        nothing = client.post(url, {"rationale": "typed but no rating"}, **HTMX).content.decode()
        assert "Not saved yet" in nothing and "Your text stays" in nothing
        assert AssessorRating.objects.get(assessment=assessment, item=code).rating == 1
        # Without htmx an error shows the page again with what was typed.
        page = client.post(url, {"rationale": "Still here after the error"})
        assert page.status_code == 400 and "Still here after the error" in page.content.decode()

    @pytest.mark.parametrize("username", ["pn.casemanager", "police.liaison"])
    def test_who_sees_but_does_not_assess_cannot_save(self, browser_as, world, username):
        assessment = _open(world)
        code = next(iter(assessment.items()))
        response = browser_as(username).post(f"/assessments/{assessment.pk}/ratings/{code}/", {"rating": "1"}, **HTMX)
        assert response.status_code == 403
        assert not AssessorRating.objects.exists()

    def test_assessors_see_the_others_ratings_only_after_submitting(self, browser_as, world):
        assessment = _open(world)
        items = assessment.items()
        for username, value in [("prob.officer", 2), ("pn.psychologist", 1)]:
            actions.do_save_ratings(
                assessment,
                ratings=[{"item": c, "rating": value, "rationale": f"{username} reasoning on {c}."} for c in items],
                acting_user=_user(username),
            )
        actions.do_submit_ratings(assessment, acting_user=_user("prob.officer"))
        first = next(iter(items))
        psych = browser_as("pn.psychologist").get(_page(assessment)).content.decode()
        assert "Submit my ratings" in psych and "1 of 2 assessors submitted" in psych
        assert f"prob.officer reasoning on {first}." not in psych
        actions.do_submit_ratings(assessment, acting_user=_user("pn.psychologist"))
        after = browser_as("pn.psychologist").get(_page(assessment)).content.decode()
        assert f"prob.officer reasoning on {first}." in after
        assert "Disagreement" in after and "2 of 2 assessors submitted" in after

    def test_submitting_incomplete_ratings_says_what_is_missing(self, browser_as, world):
        assessment = _open(world)
        client = browser_as("pn.psychologist")
        response = client.post(f"/assessments/{assessment.pk}/submit/", {"confirm": "on"})
        assert response.status_code == 400
        assert "Your ratings are not submitted yet" in response.content.decode()
        assert "Not rated yet" in response.content.decode()
        assert not assessment.assessors.filter(submitted_at__isnull=False).exists()

    def test_consensus_prefilled_where_all_agree_then_saved_and_finalised(self, browser_as, world):
        assessment = _rated_and_submitted(world)
        client = browser_as("pn.psychologist")
        page = client.get(_page(assessment)).content.decode()
        assert "All assessors rated this the same." in page and "Save the consensus" in page
        data = {}
        for code in assessment.items():
            data[f"consensus-{code}-rating"] = "1"
            data[f"consensus-{code}-rationale"] = "Agreed in the MAR meeting."
        code = next(iter(assessment.items()))
        bad = client.post(f"/assessments/{assessment.pk}/consensus/", {**data, f"consensus-{code}-rationale": ""})
        assert bad.status_code == 400 and "The consensus is not saved" in bad.content.decode()
        assert not ConsensusRating.objects.exists()
        assert client.post(f"/assessments/{assessment.pk}/consensus/", data).status_code == 302
        assert ConsensusRating.objects.filter(assessment=assessment).count() == len(assessment.items())
        finalise = f"/assessments/{assessment.pk}/finalise/"
        past = client.post(
            finalise, {"judgement_level": "low concern", "judgement_summary": "Mine.", "next_review_on": "2020-01-01"}
        )
        assert past.status_code == 400 and "after today" in past.content.decode()
        assert (
            client.post(
                finalise,
                {
                    "judgement_level": "low concern",
                    "judgement_summary": "My words.",
                    "next_review_on": FUTURE.isoformat(),
                },
            ).status_code
            == 302
        )
        assessment.refresh_from_db()
        assert assessment.is_finalised and assessment.judgement_summary == "My words."
        final = client.get(_page(assessment)).content.decode()
        assert "Domain summaries" in final and "Save the consensus" not in final and "My words." in final

    def test_only_assessors_finalise(self, browser_as, world):
        assessment = _agreed(world)
        response = browser_as("pn.casemanager").post(
            f"/assessments/{assessment.pk}/finalise/",
            {"judgement_level": "low concern", "judgement_summary": "x", "next_review_on": FUTURE.isoformat()},
        )
        assert response.status_code == 403

    def test_a_new_assessment_continues_from_the_last_one(self, browser_as, world):
        previous = _finalised(world)
        Assessment.objects.filter(pk=previous.pk).update(created_at=timezone.now() - timedelta(days=30))
        review = _open(world)
        body = browser_as("pn.psychologist").get(_page(review)).content.decode()
        assert "Continuing from the" in body and "Last assessment, agreed" in body
        assert "Agreed in the MAR meeting." in body


# --- trend ----------------------------------------------------------------------------------------------------


class TestTrend:
    def test_three_finalised_assessments_over_time_give_the_series_and_the_chart_page(
        self, browser_as, world, monkeypatch
    ):
        days = [date(2025, 1, 15), date(2025, 7, 15), date(2026, 1, 15)]
        for day, risk, protective in zip(days, [2, 1, 0], [0, 1, 2], strict=True):
            monkeypatch.setattr(timezone, "localdate", lambda *args, _day=day, **kwargs: _day)
            assessment = _agreed(
                world, value=lambda code, item, _r=risk, _p=protective: _p if item["type"] == "protective" else _r
            )
            actions.do_finalise_assessment(
                assessment,
                judgement_level="low concern",
                judgement_summary="Written by the psychologist.",
                next_review_on=day + timedelta(days=180),
                acting_user=_user("pn.psychologist"),
            )
        monkeypatch.undo()
        (instrument,) = case_trend(_user("prob.officer"), world.case)
        domains = {d["domain"]: d for d in instrument["domains"]}
        assert [p["finalised_on"] for p in domains["risk_profile"]["series"]] == days
        assert [p["risk_mean"] for p in domains["risk_profile"]["series"]] == [2.0, 1.0, 0.0]
        assert [p["protective_mean"] for p in domains["resilience"]["series"]] == [0.0, 1.0, 2.0]
        response = browser_as("prob.officer").get(f"/assessments/cases/{world.case.pk}/trend/")
        body = response.content.decode()
        assert response.status_code == 200
        # Drawn on the server: an SVG per domain, a marker per finalised assessment, no script at all.
        chart = body[body.index('<figure class="trend-figure" id="trend-0">') : body.index("</figure>")]
        assert chart.count('<svg class="trend-chart"') == len(instrument["domains"])
        assert "Risk profile, risk items, 15 Jan 2025: 2" in chart
        assert "Resilience, protective items, 15 Jan 2026: 2" in chart
        assert "<script" not in chart and "plotly" not in body
        assert "<caption" in body and 'scope="row">Risk profile</th>' in body
        assert "15 Jan 2025" in body and "15 Jan 2026" in body
        case_page = browser_as("prob.officer").get(_case_url(world)).content.decode()
        assert 'id="trend-0"' in case_page and "Next review" in case_page

    def test_the_case_page_loads_no_chart_library(self, browser_as, world):
        _finalised(world)
        client = browser_as("prob.officer")
        page = client.get(f"/cases/{world.case.pk}/").content.decode()
        part = client.get(_case_url(world), **HTMX).content.decode()
        assert f'hx-get="/cases/{world.case.pk}/parts/assessments/"' in page
        assert '<svg class="trend-chart"' in part
        for body in (page, part):
            assert "plotly" not in body and "trend.js" not in body


# --- reviews: overdue list, home page, prompts ----------------------------------------------------------------------


class TestReviews:
    def test_overdue_review_on_the_list_and_the_home_page_for_those_who_see_it(self, browser_as, world):
        assessment = _finalised(world)
        _backdate(assessment, finalised_days_ago=200, review_days_ago=5)
        listing = browser_as("prob.officer").get("/assessments/reviews-due/").content.decode()
        assert str(assessment.pk) in listing and "Start the review" in listing
        home = browser_as("prob.officer").get("/").content.decode()
        assert "Assessment reviews due" in home and world.case.number in home
        for username in ["mentor.one", "cw.worker"]:
            assert str(assessment.pk) not in browser_as(username).get("/assessments/reviews-due/").content.decode()

    def test_the_home_page_lists_the_assessments_waiting_for_my_own_ratings_until_i_submit(self, browser_as, world):
        from tests.test_assessments_api import _full_ratings

        assessment = _open(world)
        heading = "Assessments waiting for your ratings"
        for username in ASSESSORS:
            home = browser_as(username).get("/").content.decode()
            assert heading in home and _page(assessment) in home
        # Not an assessor: nothing to rate, even when the assessment is visible.
        assert heading not in browser_as("pn.casemanager").get("/").content.decode()
        first = _user(ASSESSORS[0])
        actions.do_save_ratings(assessment, ratings=_full_ratings(assessment.instrument), acting_user=first)
        actions.do_submit_ratings(assessment, acting_user=first)
        assert heading not in browser_as(ASSESSORS[0]).get("/").content.decode()
        assert heading in browser_as(ASSESSORS[1]).get("/").content.decode()

    def test_a_newer_assessment_takes_it_off_the_list(self, browser_as, world):
        assessment = _finalised(world)
        _backdate(assessment, finalised_days_ago=200, review_days_ago=5)
        _open(world)
        assert str(assessment.pk) not in browser_as("prob.officer").get("/assessments/reviews-due/").content.decode()

    def test_the_overdue_list_is_for_case_workers_only(self, browser_as, world):
        assert browser_as("dpo").get("/assessments/reviews-due/").status_code == 403

    def test_after_a_transfer_the_receiving_prison_is_prompted_and_continues_from_the_last_assessment(
        self, browser_as, world
    ):
        from continuum.accounts.models import Organisation

        assessment = _finalised(world)
        _backdate(assessment, finalised_days_ago=60)
        pn = _user("pn.casemanager")
        case_actions.do_start_custody_episode(
            world.case, facility=pn.organisation, started_on=timezone.localdate() - timedelta(days=90), acting_user=pn
        )
        case_actions.do_transfer(
            world.case,
            to_facility=Organisation.objects.get(slug="prison-south"),
            transferred_on=timezone.localdate() - timedelta(days=2),
            handover_note="Assessment finalised; review due.",
            acting_user=pn,
        )
        client = browser_as("ps.casemanager")
        body = client.get(_case_url(world)).content.decode()
        assert "Transferred to Prison South on" in body and "review the Continuum MAR" in body
        assert "Start the review" in body
        client.post(
            f"/assessments/cases/{world.case.pk}/new/",
            {"instrument": str(assessment.instrument.pk), "assessors": ["ps.casemanager"]},
        )
        review = Assessment.objects.exclude(pk=assessment.pk).get()
        page = client.get(_page(review)).content.decode()
        assert "Continuing from the" in page and "Agreed in the MAR meeting." in page
        assert "Transferred to Prison South" not in client.get(_case_url(world)).content.decode()  # review started

    def test_a_phase_change_and_a_release_within_six_months_prompt_a_review(self, browser_as, world):
        assessment = _finalised(world)
        _backdate(assessment, finalised_days_ago=300)
        pn = _user("pn.casemanager")
        case = case_actions.do_update_case(world.case, version=world.case.version, phase="pre_release", acting_user=pn)
        case_actions.do_record_sentence(
            case,
            imposed_on=timezone.localdate() - timedelta(days=700),
            starts_on=timezone.localdate() - timedelta(days=700),
            ends_on=timezone.localdate() + timedelta(days=90),
            acting_user=pn,
        )
        body = browser_as("pn.psychologist").get(_case_url(world)).content.decode()
        assert "Events that call for a review" in body
        assert "Phase changed to pre-release" in body.lower() or "phase changed to" in body.lower()
        assert "End of the sentence on" in body and "within six months" in body
        assert "Start the review" in body
        police = browser_as("police.liaison").get(_case_url(world)).content.decode()
        assert "Events that call for a review" in police and "Start the review" not in police

    def test_a_new_signal_prompts_a_review_only_for_those_who_may_see_the_signal(self, browser_as, world):
        from continuum.signals.actions import do_report_signal

        assessment = _finalised(world)
        _backdate(assessment, finalised_days_ago=60)
        signal = do_report_signal(
            description="Seen handing out leaflets of the old group on the wing.",
            extremism_type="jihadist",
            offence_type="none",
            person=world.amira,
            acting_user=_user("pn.casemanager"),
        )
        prompt = f"New signal {signal.reference}"
        # Prison North reported it, the central point triages it, and members that read security records
        # (the signal's category) see it on the person's case: all of them are prompted.
        for username in ["pn.psychologist", "cp.coordinator", "prob.officer"]:
            assert prompt in browser_as(username).get(_case_url(world)).content.decode()
        # The exit programme and mental health do not read security records: no prompt, no hint (R12).
        for username in ["exit.worker", "mh.clinician"]:
            body = browser_as(username).get(_case_url(world)).content.decode()
            assert signal.reference not in body and "New signal" not in body


# --- query counts -----------------------------------------------------------------------------------------------------


class TestQueryCounts:
    def test_case_page_assessment_page_and_trend_page_are_bounded(
        self, browser_as, world, django_assert_max_num_queries
    ):
        first = _finalised(world)
        client = browser_as("prob.officer")
        urls = [_case_url(world), _page(first), f"/assessments/cases/{world.case.pk}/trend/"]
        counts = []
        for url in urls:
            with django_assert_max_num_queries(80) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        for _ in range(2):
            _finalised(world)
        _open(world)
        for url, before in zip(urls, counts, strict=True):
            with django_assert_max_num_queries(before + 2):
                assert client.get(url).status_code == 200, url


def test_the_trend_chart_follows_the_instruments_own_scale_and_dates():
    # A licensed instrument may rate from 1 to 5: the axis is its scale, not Continuum's 0 to 2, and the
    # x axis has a tick at each finalising date only.
    from types import SimpleNamespace
    from uuid import uuid4

    from continuum.assessments.charts import trend_figures
    from continuum.assessments.summaries import trend

    scale = [{"value": v, "label": str(v)} for v in range(1, 6)]
    definition = {
        "domains": [{"code": "d1", "name": "Domain one", "items": [{"code": "d1.a", "type": "risk", "scale": scale}]}]
    }
    instrument = SimpleNamespace(code="five", name="Five-point tool", version="1", definition=definition)
    assessment = SimpleNamespace(pk=uuid4(), instrument=instrument, modules=[], finalised_on=date(2026, 1, 15))
    (entry,) = trend([assessment], {assessment.pk: {"d1.a": 4}})
    assert (entry["scale_min"], entry["scale_max"]) == (1, 5)
    (figure,) = trend_figures([entry])
    (panel,) = figure["panels"]
    # One grid line per scale point, 5 at the top of the plot and 1 at its bottom; the rating 4 between.
    assert [line["label"] for line in figure["grid"]] == [1, 2, 3, 4, 5]
    ys = {line["label"]: line["y"] for line in figure["grid"]}
    assert ys[5] == figure["plot"]["top"] and ys[1] == figure["plot"]["bottom"]
    (series,) = panel["series"]
    (point,) = series["points"]
    assert series["measure"] == "risk_mean" and [m["name"] for m in figure["legend"]] == ["Risk items"]
    assert point["y"] == ys[4] and point["label"] == "Domain one, risk items, 15 Jan 2026: 4"
    # One tick, at the one finalising date, in the middle of the plot.
    assert [t["label"] for t in figure["ticks"]] == ["15 Jan 2026"]
    assert figure["ticks"][0]["x"] == point["x"] == (figure["plot"]["left"] + figure["plot"]["right"]) / 2


def test_the_trend_chart_spaces_dates_by_time_and_labels_at_most_six():
    from continuum.assessments.charts import MAX_DATE_LABELS, trend_figures

    days = [date(2020, 1, 1) + timedelta(days=30 * i) for i in range(11)] + [date(2021, 6, 1)]
    series = [{"finalised_on": d, "risk_mean": 1.0, "need_mean": None, "protective_mean": None} for d in days]
    entry = {
        "instrument": "x",
        "name": "X",
        "scale_min": 0,
        "scale_max": 2,
        "domains": [{"domain": "d", "name": "D", "series": series}],
    }
    (figure,) = trend_figures([entry])
    xs = [t["x"] for t in figure["ticks"]]
    assert xs == sorted(xs) and xs[0] == figure["plot"]["left"] and xs[-1] == figure["plot"]["right"]
    assert xs[11] - xs[10] > 3 * (xs[1] - xs[0])  # the long gap before the last date is drawn long
    labels = [t["label"] for t in figure["ticks"] if t["label"]]
    assert len(labels) <= MAX_DATE_LABELS and labels[0] == "1 Jan 2020" and labels[-1] == "1 Jun 2021"
