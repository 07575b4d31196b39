"""Synthetic demo release plans (issue 14), through the actions. Idempotent; every story is invented.

- Yusuf Demir (pre-release, Prison South): a release plan ten weeks out, about half of its domains
  settled (his ID card and bank account done, his first probation appointment booked, faith community
  declined in his words), accommodation in progress with the municipality, an open gate plan, and two
  scenarios discussed with him.
- Sofia Lindqvist (community): a completed release six months ago, every domain settled.
- Sofia Lindqvist, after release: two follow-ups, at three months (a temporary room, in training,
  regular contact with family) and at six months (her own flat, working).
- Daniel Kovac (probation): the electronic monitoring reviewed and relaxed to night-time only; a new
  charge as recorded by the police (driving without a licence, unrelated to his offence).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.models import Case, ReleaseCondition
from continuum.transition import actions
from continuum.transition.models import ConditionReview, ReleaseItem, ReleasePlan, ReoffendingRecord, ResettlementCheck

# domain: (status, owner slug or None (keep the proposed owner), due in days or None, note)
# fmt: off
YUSUF_ITEMS: dict[str, tuple[str, str | None, int | None, str]] = {
    "accommodation": (
        "in_progress",
        "municipality-harbour",
        28,
        "A room in supported housing is offered; viewing with him on leave next month.",
    ),
    "finance_benefits": (
        "support_required",
        "municipality-harbour",
        42,
        "Benefit application can be made four weeks before release.",
    ),
    "id_documents": ("done", "prison-south", None, "Identity card renewed through the prison's civil registry visit."),
    "bank_account": (
        "done",
        "municipality-harbour",
        None,
        "Basic bank account opened; card held by the prison until release.",
    ),
    "education_work": ("in_progress", "probation", 56, "Interview with the logistics training centre arranged."),
    "health": ("done", "prison-south", None, "Medication list and GP registration handed to him."),
    "mental_health": (
        "support_not_required",
        None,
        None,
        "Prison psychologist: no referral needed; he can ask for one.",
    ),
    "drugs_alcohol": ("support_not_required", None, None, "No use of drugs or alcohol known or reported."),
    "family_children": (
        "in_progress",
        None,
        35,
        "His sister will see him on the first weekend; his father refuses contact for now.",
    ),
    "faith_community": (
        "support_declined",
        None,
        None,
        "He says: “I will find my own mosque, I do not want to be sent to one.”",
    ),
    "mentor": ("not_started", None, None, ""),
    "probation_appointment": ("done", "probation", None, "First appointment booked for the day after release, 10:00."),
    "police_contact": ("not_started", None, None, ""),
    "gate_plan": (
        "not_started",
        "prison-south",
        49,
        "Who meets him at the gate is still open: his sister or the exit worker.",
    ),
    "media_plan": ("not_started", None, None, ""),
    "legal_status": ("done", "prison-south", None, "Dutch residence permit valid; no deportation procedure."),
}
# fmt: on

SOFIA_NEEDED = {
    "accommodation",
    "finance_benefits",
    "id_documents",
    "bank_account",
    "education_work",
    "probation_appointment",
    "mentor",
}

# days after release, accommodation, work or education, family contact, note
SOFIA_CHECKS = [
    (
        91,
        "temporary",
        "in_education",
        "regular",
        "Still in the supported housing room; follows the bookkeeping course three days a week.",
    ),
    (
        181,
        "settled",
        "working",
        "regular",
        "Moved into her own flat last month; a part-time job at the course's partner firm.",
    ),
]

YUSUF_SCENARIOS = [
    (
        "A journalist recognises him outside the supermarket and asks about his conviction.",
        "I would get angry and walk away, maybe say something I regret.",
        "Say one sentence that he has no comment, walk on, call his probation officer afterwards.",
        "Probation officer (office hours), the exit worker outside them.",
        12,
    ),
    (
        "Two men from his old group wait for him at the door of his new flat.",
        "They were my friends. I would not know how to say no to them.",
        "Do not let them in; agree beforehand with his sister that he can stay with her that night.",
        "His sister; the police liaison if they come back.",
        5,
    ),
]


def _case(given: str, family: str) -> Case | None:
    return Case.objects.filter(person__given_name=given, person__family_name=family).first()


@transaction.atomic
def seed() -> str:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    today = timezone.localdate()
    done = []

    yusuf = _case("Yusuf", "Demir")
    if yusuf is not None and not ReleasePlan.objects.filter(case=yusuf).exists():
        ps = users["ps.casemanager"]
        plan = actions.do_create_release_plan(
            yusuf,
            expected_release_on=today + timedelta(weeks=10),
            release_type="conditional",
            destination_municipality=organisations["municipality-harbour"],
            acting_user=ps,
        )
        for item in ReleaseItem.objects.filter(plan=plan):
            status, owner, due, note = YUSUF_ITEMS[item.domain]
            changes: dict[str, Any] = {"status": status, "note": note}
            if owner is not None:
                changes["owner_organisation"] = organisations[owner]
            if due is not None:
                changes["due_on"] = today + timedelta(days=due)
            actions.do_update_release_item(item, version=item.version, acting_user=ps, **changes)
        for scenario, reaction, coping, contact, days_ago in YUSUF_SCENARIOS:
            actions.do_record_scenario(
                yusuf,
                scenario=scenario,
                persons_expected_reaction=reaction,
                coping_strategy=coping,
                support_contact=contact,
                discussed_on=today - timedelta(days=days_ago),
                acting_user=ps,
            )
        done.append("Yusuf's release plan")

    sofia = _case("Sofia", "Lindqvist")
    if sofia is not None and not ReleasePlan.objects.filter(case=sofia).exists():
        muni = users["muni.coordinator"]
        released_on = today - timedelta(days=182)
        plan = actions.do_create_release_plan(
            sofia,
            expected_release_on=released_on,
            release_type="conditional",
            destination_municipality=organisations["municipality-harbour"],
            acting_user=muni,
        )
        for item in ReleaseItem.objects.filter(plan=plan):
            needed = item.domain in SOFIA_NEEDED
            actions.do_update_release_item(
                item,
                version=item.version,
                status="done" if needed else "support_not_required",
                note="" if needed else "Not needed, agreed with her before release.",
                acting_user=muni,
            )
        actions.do_record_earlier_release(
            sofia, released_on=released_on, released_to=organisations["probation"], acting_user=muni
        )
        done.append("Sofia's completed release")

    sofia_plan = ReleasePlan.objects.filter(case=sofia).first() if sofia is not None else None
    if (
        sofia is not None
        and sofia_plan is not None
        and sofia_plan.released_on is not None
        and not ResettlementCheck.objects.filter(case=sofia).exists()
    ):
        for days, accommodation, work, family, note in SOFIA_CHECKS:
            checked_on = sofia_plan.released_on + timedelta(days=days)
            if checked_on > today:
                continue
            actions.do_record_resettlement_check(
                sofia,
                checked_on=checked_on,
                accommodation=accommodation,
                work_or_education=work,
                family_contact=family,
                note=note,
                acting_user=users["muni.coordinator"],
            )
        done.append("Sofia's follow-ups after release")

    daniel = _case("Daniel", "Kovac")
    monitoring = (
        ReleaseCondition.objects.filter(case=daniel, condition_type="electronic_monitoring").first() if daniel else None
    )
    if monitoring is not None and not ConditionReview.objects.filter(condition=monitoring).exists():
        actions.do_review_condition(
            monitoring,
            reviewed_on=today - timedelta(days=20),
            outcome="relaxed",
            note="Kept every appointment for three months: the tag is worn at night only from now on.",
            next_review_on=today + timedelta(days=40),
            acting_user=users["prob.officer"],
        )
        done.append("Daniel's reviewed condition")
    if daniel is not None and not ReoffendingRecord.objects.filter(case=daniel).exists():
        actions.do_record_reoffending(
            daniel,
            kind="new_charge",
            occurred_on=today - timedelta(days=9),
            source="police",
            source_reference="PV-2026-HB-0412",
            note=(
                "Stopped driving a friend's car without a licence. Unrelated to his offence; probation "
                "was told the same day."
            ),
            acting_user=users["police.liaison"],
        )
        done.append("Daniel's new charge as recorded")
    return ", ".join(done) or "nothing new"
