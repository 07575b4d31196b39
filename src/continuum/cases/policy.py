"""Who may create and change cases (API.md, "Who may")."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from continuum.accounts.choices import NO_CASE_CONTENT_ROLES, OrgType, Role
from continuum.accounts.models import Organisation, User
from continuum.accounts.policy import active_with_org

# Re-exported: the rules of registering persons and of sharing, asked of cases by many callers.
from continuum.people.policy import CASE_OPENING_ORG_TYPES as CASE_OPENING_ORG_TYPES
from continuum.people.policy import CASE_OPENING_ROLES as CASE_OPENING_ROLES
from continuum.people.policy import can_open_cases as can_open_cases
from continuum.sharing.policy import can_grant_override as can_grant_override
from continuum.sharing.policy import can_read_disclosures as can_read_disclosures

CASE_MANAGING_ROLES = frozenset({Role.COORDINATOR, Role.CASE_MANAGER})


def organisations_that_can_lead() -> Any:
    """Active organisations that can lead a case: not research (R9), and with at least one active user
    who works on cases (an organisation of only a DPO and an administrator, like the platform operator's
    own, coordinates nothing)."""
    workers = User.objects.filter(organisation=OuterRef("pk"), is_active=True).exclude(role__in=NO_CASE_CONTENT_ROLES)
    return Organisation.objects.filter(Exists(workers), is_active=True).exclude(type=OrgType.RESEARCH)


def can_manage_case(user: Any, case: Any) -> bool:
    """A coordinator or case manager of the lead organisation, or the central point's coordinator
    while the central point is a current member of the case (R1: no membership, no say)."""
    if not active_with_org(user):
        return False
    if user.organisation.type == OrgType.CENTRAL_POINT and user.role == Role.COORDINATOR:
        from continuum.sharing.engine import is_current_member

        return is_current_member(user.organisation_id, case.pk)
    return user.organisation_id == case.lead_organisation_id and user.role in CASE_MANAGING_ROLES


def can_view_as(user: Any, case: Any) -> bool:
    """Who may see the case as another member organisation sees it (to prepare a meeting): the
    coordinators of the team's organisations and the lead's case managers (``can_manage_case``)."""
    if not active_with_org(user):
        return False
    return user.role == Role.COORDINATOR or can_manage_case(user, case)


def can_use_cases(user: Any) -> bool:
    """Whether the user works on cases at all: not administrators, DPOs or researchers (R9, R10)."""
    from continuum.sharing.engine import viewer_for

    return viewer_for(user).sees_content


def can_record_transfer(user: Any, case: Any, holding_facility_id: Any) -> bool:
    """Who records a transfer: whoever manages the case, and also a coordinator or case manager of
    the prison that holds the person now (the facility of the current custody episode), while it is
    a member of the case: a prison may send a person on without waiting for the lead organisation.
    """
    if can_manage_case(user, case):
        return True
    if not active_with_org(user) or holding_facility_id is None:
        return False
    from continuum.sharing.engine import is_current_member

    return (
        user.organisation_id == holding_facility_id
        and user.role in CASE_MANAGING_ROLES
        and is_current_member(user.organisation_id, case.pk)
    )


def can_hand_over(user: Any, member: Any) -> bool:
    """A hand-over within one organisation (``member`` is its current membership of the case): by the
    practitioner responsible now, or by a coordinator or case manager of that organisation (staff
    turnover: the previous practitioner may already have left)."""
    if not active_with_org(user) or member is None or member.organisation_id != user.organisation_id:
        return False
    if not can_use_cases(user):
        return False
    return member.responsible_id == user.pk or user.role in CASE_MANAGING_ROLES
