"""The continuity parts of the case page: custody history and transfers, sentence and release
conditions, legal status history, phase history, hand-overs (with the new practitioner's banner)
(issue 4).

The hand-over banner and form are drawn with the team, in the page; custody, sentence, phases and
the hand-overs' history are a part of the page loaded after it (``cases.views.CASE_PARTS``), or
drawn in it when one of their forms comes back with errors. Every record is read through
``visible_to`` and logged as read (R11); a fixed number of queries whatever the number of rows.
Sections about ``legal`` records say "nothing recorded" only to those who would see such records
if there were any (R12).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from continuum.accounts.choices import NO_CASE_CONTENT_ROLES
from continuum.accounts.models import User
from continuum.cases.access import cases_reading_category
from continuum.cases.actions import current_custody_episode
from continuum.cases.forms import (
    CustodyEpisodeForm,
    EndCustodyForm,
    HandoverForm,
    LegalStatusForm,
    ReleaseConditionForm,
    SentenceForm,
    TransferForm,
)
from continuum.cases.models import (
    Case,
    CaseMember,
    CustodyEpisode,
    Handover,
    LegalStatusChange,
    PhaseChange,
    ReleaseCondition,
    Sentence,
    Transfer,
)
from continuum.cases.policy import can_hand_over, can_manage_case, can_record_transfer
from continuum.cases.timeline import case_timeline, records_of
from continuum.sharing.access import read_records
from continuum.sharing.choices import Category

# How many recent events the hand-over summary lists.
HANDOVER_RECENT = 6


def colleagues_for_handover(user: User, member: CaseMember) -> list[User]:
    """Active case workers of the user's organisation who are not responsible for the case now."""
    return list(
        User.objects.filter(organisation_id=member.organisation_id, is_active=True)
        .exclude(role__in=NO_CASE_CONTENT_ROLES)
        .exclude(pk=member.responsible_id or 0)
        .order_by("last_name", "first_name", "username")
    )


# The forms of the custody and sentence sections: a page showing one of them bound (with its errors)
# draws those sections in the page instead of loading them as a part.
CUSTODY_FORMS = frozenset(
    {"transfer_form", "end_custody_form", "custody_form", "sentence_form", "condition_form", "legal_status_form"}
)


def handover_context(
    user: User,
    case: Case,
    *,
    current_members: Sequence[CaseMember],
    writable: Sequence[str],
    bound_forms: dict[str, Any],
) -> dict[str, Any]:
    """The new practitioner's banner and the hand-over form of the team section, for ``user``.

    The banner is for the practitioner a hand-over names and who is still responsible: whether one
    waits is asked first of the hand-overs addressed to the user (about the user, not a record's
    content); only then are they read through ``visible_to``, with what happened recently."""
    my_member = next((m for m in current_members if m.organisation_id == user.organisation_id), None)
    banner: list[Handover] = []
    recent: list[Any] = []
    if (
        my_member is not None
        and my_member.responsible_id == user.pk
        and Handover.objects.filter(case=case, to_user=user, acknowledged_at__isnull=True).exists()
    ):
        banner = list(
            Handover.objects.visible_to(user)
            .filter(case=case, to_user=user, acknowledged_at__isnull=True)
            .select_related("organisation", "from_user", "to_user", "author")
            .order_by("-created_at")
        )
        # What happened recently, besides the hand-over the banner is about.
        recent = [e for e in case_timeline(user, case) if e.record not in banner][:HANDOVER_RECENT] if banner else []
        read_records(user, [*banner, *(r for r in records_of(recent) if r not in banner)], purpose="case page")
    context: dict[str, Any] = {"handover_banner": banner, "handover_recent": recent}
    if my_member is not None and writable and can_hand_over(user, my_member):
        context["handover_form"] = bound_forms.get("handover_form") or HandoverForm(
            colleagues=colleagues_for_handover(user, my_member), categories=list(writable)
        )
    return context


def custody_context(user: User, case: Case, *, bound_forms: dict[str, Any]) -> dict[str, Any]:
    """The custody, sentence, phase and hand-over history sections and their forms, for ``user``."""
    manager = can_manage_case(user, case)
    reads_legal = case.pk in cases_reading_category(user, [case], Category.LEGAL)
    episodes = list(
        CustodyEpisode.objects.visible_to(user)
        .filter(case=case)
        .select_related("facility")
        .order_by("-started_on", "-created_at")
    )
    transfers = list(
        Transfer.objects.visible_to(user)
        .filter(case=case)
        .select_related("from_facility", "to_facility")
        .order_by("-transferred_on", "-created_at")
    )
    sentences = list(Sentence.objects.visible_to(user).filter(case=case).order_by("-imposed_on", "-created_at"))
    conditions = list(
        ReleaseCondition.objects.visible_to(user).filter(case=case).order_by("-valid_from", "-created_at")
    )
    legal_changes = list(
        LegalStatusChange.objects.visible_to(user)
        .filter(person_id=case.person_id)
        .order_by("-changed_on", "-created_at")
    )
    phase_changes = list(
        PhaseChange.objects.filter(case=case).select_related("changed_by", "changed_org").order_by("-changed_at")
    )
    handovers = list(
        Handover.objects.visible_to(user)
        .filter(case=case)
        .select_related("organisation", "from_user", "to_user")
        .order_by("-created_at")
    )
    shown = [*episodes, *transfers, *sentences, *conditions, *legal_changes, *handovers]
    read_records(user, shown, purpose="case page")

    holding = current_custody_episode(case)
    transfers_allowed = can_record_transfer(user, case, holding.facility_id if holding else None)
    forms: dict[str, Any] = {}
    if transfers_allowed:
        forms["transfer_form"] = bound_forms.get("transfer_form") or TransferForm()
        if holding is not None:
            forms["end_custody_form"] = bound_forms.get("end_custody_form") or EndCustodyForm()
    if manager:
        forms["custody_form"] = bound_forms.get("custody_form") or CustodyEpisodeForm()
        forms["sentence_form"] = bound_forms.get("sentence_form") or SentenceForm()
        forms["condition_form"] = bound_forms.get("condition_form") or ReleaseConditionForm()
        forms["legal_status_form"] = bound_forms.get("legal_status_form") or LegalStatusForm()

    return {
        "reads_legal": reads_legal,
        "episodes": episodes,
        "current_episode": next((e for e in episodes if e.ended_on is None), None),
        "holding_episode_id": holding.pk if holding is not None else None,
        "transfers": transfers,
        "sentences": sentences,
        "conditions": conditions,
        "legal_changes": legal_changes,
        "phase_changes": phase_changes,
        "handovers": handovers,
        "transfers_allowed": transfers_allowed,
        "show_custody": bool(episodes or transfers or reads_legal or transfers_allowed or manager),
        "show_sentence": bool(sentences or conditions or legal_changes or reads_legal or manager),
        **forms,
    }
