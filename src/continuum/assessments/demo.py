"""Demo assessments (issue 5) on the demo cases of ``cases/demo.py``. Idempotent; every rating is invented.

- Amira Benali (Prison North): three finalised MAR assessments with the gender module, about six months
  apart, in which the risk items come down and the protective items go up (the trend chart shows it);
  and a fourth, in progress: the probation officer has submitted, the prison psychologist is rating.
- Yusuf Demir (Prison South, pre-release): a MAR assessment finalised over a year ago whose review date
  has passed: an overdue review, and his release within six months prompts one too.

Everything goes through the actions. Only the dates are moved back afterwards (the actions date a
finalised assessment today and want a review date in the future), as the demo's way of letting time pass.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from continuum.accounts.models import User
from continuum.assessments import actions
from continuum.assessments.models import Assessment
from continuum.cases.models import Case

MAR = "continuum-mar-spj"
# Per round (oldest first): the rating of risk, need and protective items.
# ``concern``: per domain, a shift of that domain's risk and need ratings (up) and protective ratings (down),
# so that the domains do not move in lockstep: her family was a support early on, her network of women from
# the camp held on longest, her questioning of the ideology came late.
ROUNDS = [
    {
        "risk": 2,
        "need": 2,
        "protective": 0,
        "days_ago": 540,
        "level": "high concern",
        "concern": {"family": -1, "daily_life": -1},
    },
    {
        "risk": 1,
        "need": 2,
        "protective": 1,
        "days_ago": 360,
        "level": "moderate concern",
        "concern": {"family": -1, "social_network": 1, "ideology": 1, "daily_life": -1},
    },
    {
        "risk": 1,
        "need": 1,
        "protective": 2,
        "days_ago": 180,
        "level": "moderate concern",
        "concern": {"family": -1, "ideology": 1, "resilience": -1},
    },
]
SUMMARIES = [
    "Shortly after her return: she still spoke of the group with loyalty and had little contact outside the wing. "
    "Her wish to see the children is the strongest motive we see for change.",
    "Steady work in the kitchen and regular contact with the children. She questions parts of the ideology in the "
    "exit sessions but keeps contact with two women from the camp.",
    "Contact with the women from the camp has stopped, by her own choice. Family support has grown. The planning of "
    "her release and the placement of the children remain the main needs.",
]


def _case(given: str, family: str) -> Case | None:
    return Case.objects.filter(person__given_name=given, person__family_name=family).order_by("opened_at").first()


def _ratings(assessment: Assessment, values: dict[str, Any], *, nudge: str = "", items: int | None = None) -> list:
    rows = []
    for index, (code, item) in enumerate(assessment.items().items()):
        if items is not None and index >= items:
            break
        allowed = [p["value"] for p in item["scale"]]
        shift = values.get("concern", {}).get(item["domain"], 0)
        value = values[item["type"]] + (-shift if item["type"] == "protective" else shift)
        value = min(max(allowed), max(min(allowed), value))
        if nudge and index % 7 == 3:  # a few honest disagreements between the two assessors
            value = min(max(allowed), value + 1) if value < max(allowed) else value - 1
        rows.append(
            {
                "item": code,
                "rating": value,
                "rationale": f"From the file, the sessions and the wing reports ({item['text'].lower()}).",
                "evidence_for": "Wing reports and session notes." if value else "",
                "evidence_against": "Observations by the exit worker." if value else "",
                "decisive": index % 11 == 0,
            }
        )
    return rows


def _finalised_round(case: Case, users: dict[str, User], assessors: list[str], round_: dict[str, Any], summary: str):
    instrument = actions.find_instrument(MAR)
    first = assessors[0]
    assessment = actions.do_open_assessment(
        case,
        instrument=instrument,
        assessors=[users[u] for u in assessors],
        modules=["gender"] if case.person.gender == "female" else [],
        acting_user=users[first],
    )
    for position, username in enumerate(assessors):
        actions.do_save_ratings(
            assessment,
            ratings=_ratings(assessment, round_, nudge="yes" if position else ""),
            acting_user=users[username],
        )
        actions.do_submit_ratings(assessment, acting_user=users[username])
    agreed = [
        {"item": r["item"], "rating": r["rating"], "rationale": "Agreed in the case conference."}
        for r in _ratings(assessment, round_)
    ]
    actions.do_record_consensus(assessment, ratings=agreed, acting_user=users[first])
    actions.do_finalise_assessment(
        assessment,
        judgement_level=round_["level"],
        judgement_summary=summary,
        next_review_on=timezone.localdate() + timedelta(days=180),
        acting_user=users[first],
    )
    # Let time pass: the assessment was opened and finalised ``days_ago``, its review due 180 days later.
    finalised = timezone.localdate() - timedelta(days=round_["days_ago"])
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=round_["days_ago"] + 14),
        finalised_on=finalised,
        next_review_on=finalised + timedelta(days=round_.get("review_after", 180)),
    )
    return assessment


def seed() -> str:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    created = 0
    amira = _case("Amira", "Benali")
    if amira is not None and not Assessment.objects.filter(case=amira).exists():
        team = ["pn.psychologist", "prob.officer"]
        for round_, summary in zip(ROUNDS, SUMMARIES, strict=True):
            _finalised_round(amira, users, team, {**round_, "review_after": 200}, summary)
            created += 1
        review = actions.do_open_assessment(
            amira,
            instrument=actions.find_instrument(MAR),
            assessors=[users[u] for u in team],
            modules=["gender"],
            acting_user=users["pn.psychologist"],
        )
        now = {"risk": 1, "need": 1, "protective": 2}
        actions.do_save_ratings(review, ratings=_ratings(review, now, nudge="yes"), acting_user=users["prob.officer"])
        actions.do_submit_ratings(review, acting_user=users["prob.officer"])
        actions.do_save_ratings(review, ratings=_ratings(review, now, items=6), acting_user=users["pn.psychologist"])
        created += 1
    yusuf = _case("Yusuf", "Demir")
    if yusuf is not None and not Assessment.objects.filter(case=yusuf).exists():
        round_ = {"risk": 1, "need": 2, "protective": 1, "days_ago": 420, "level": "moderate concern"}
        summary = "Calm on the unit; the plan for housing and work after release is not there yet."
        _finalised_round(yusuf, users, ["ps.casemanager", "prob.officer2"], {**round_, "review_after": 365}, summary)
        created += 1
    return f"{created} assessments created"
