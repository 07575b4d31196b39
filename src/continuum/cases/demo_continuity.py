"""Demo continuity (issue 4): custody episodes, a transfer, sentences, release conditions and a
hand-over on the demo persons of ``cases/demo.py``. Idempotent; every story is invented.

- Amira Benali: on the maternity unit of Prison North, then moved to its specialised wing.
- Yusuf Demir: at Prison South, his sentence ends within five months (pre-release).
- Daniel Kovac: released from Prison North; electronic monitoring and curfew end within two
  months, reporting goes on.
- Sofia Lindqvist: her probation officer hands the case over to a colleague.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from continuum.accounts.models import Organisation, User
from continuum.cases.actions import (
    do_add_release_condition,
    do_handover,
    do_record_sentence,
    do_start_custody_episode,
    do_transfer,
)
from continuum.cases.choices import ReleaseConditionType, UnitType
from continuum.cases.models import Case, CustodyEpisode, Handover, ReleaseCondition, Sentence


def _case_of(given: str, family: str) -> Case | None:
    return (
        Case.objects.filter(person__given_name=given, person__family_name=family)
        .select_related("lead_organisation")
        .order_by("opened_at")
        .first()
    )


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _ahead(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def seed_continuity() -> int:
    """Add the continuity of the demo cases that lack it; returns how many cases got some."""
    users = {u.username: u for u in User.objects.select_related("organisation")}
    prisons = {o.slug: o for o in Organisation.objects.filter(slug__in=["prison-north", "prison-south"])}
    changed = 0

    amira = _case_of("Amira", "Benali")
    if amira is not None and not CustodyEpisode.objects.filter(case=amira).exists():
        pn = users["pn.casemanager"]
        do_start_custody_episode(
            amira,
            facility=prisons["prison-north"],
            unit_type=UnitType.MATERNITY_UNIT,
            started_on=_ago(540),
            acting_user=pn,
        )
        do_record_sentence(
            amira, imposed_on=_ago(400), starts_on=_ago(540), ends_on=_ahead(900), earliest_release_on=_ahead(480),
            acting_user=pn,
        )  # fmt: skip
        do_transfer(
            amira,
            to_facility=prisons["prison-north"],
            transferred_on=_ago(300),
            unit_type=UnitType.SPECIALISED_WING,
            handover_note="She moved from the maternity unit to the specialised wing. The evaluation started "
            "on the maternity unit continues there.",
            acting_user=pn,
        )
        changed += 1

    yusuf = _case_of("Yusuf", "Demir")
    if yusuf is not None and not CustodyEpisode.objects.filter(case=yusuf).exists():
        ps = users["ps.casemanager"]
        do_start_custody_episode(
            yusuf, facility=prisons["prison-south"], unit_type=UnitType.DISPERSAL, started_on=_ago(1000), acting_user=ps
        )
        do_record_sentence(
            yusuf, imposed_on=_ago(950), starts_on=_ago(1000), ends_on=_ahead(150), acting_user=ps
        )  # fmt: skip
        changed += 1

    daniel = _case_of("Daniel", "Kovac")
    if daniel is not None and not ReleaseCondition.objects.filter(case=daniel).exists():
        prob = users["prob.officer"]
        if not Sentence.objects.filter(case=daniel).exists():
            do_record_sentence(
                daniel, imposed_on=_ago(900), starts_on=_ago(880), ends_on=_ahead(200), earliest_release_on=_ago(130),
                acting_user=prob,
            )  # fmt: skip
        if not CustodyEpisode.objects.filter(case=daniel).exists():
            do_start_custody_episode(
                daniel,
                facility=prisons["prison-north"],
                unit_type=UnitType.REGULAR,
                started_on=_ago(880),
                ended_on=_ago(130),
                acting_user=prob,
            )
        for condition_type, details, until in [
            (ReleaseConditionType.ELECTRONIC_MONITORING, "Ankle tag, six months.", _ahead(50)),
            (ReleaseConditionType.CURFEW, "At home from 22:00 to 06:00.", _ahead(50)),
            (ReleaseConditionType.REPORTING, "Weekly at the probation office, Mondays.", _ahead(300)),
        ]:
            do_add_release_condition(
                daniel,
                condition_type=condition_type,
                details=details,
                valid_from=_ago(130),
                valid_until=until,
                acting_user=prob,
            )
        changed += 1

    sofia = _case_of("Sofia", "Lindqvist")
    if sofia is not None and not Handover.objects.filter(case=sofia).exists():
        do_handover(
            sofia,
            to_user=users["prob.officer2"],
            note="Sofia is doing well: job at the bakery, own flat. Our monthly meetings are on the first "
            "Tuesday. She prefers to be called before a home visit.",
            acting_user=users["prob.officer"],
        )
        changed += 1
    return changed
