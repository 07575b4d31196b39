"""Gaps in a case's continuity: what is missing for nothing to fall through the cracks (DESIGN.md 2.2).

A gap is computed, never stored: it disappears as soon as someone fills it. Each gap provider takes
the user and a list of cases visible to them and returns the gaps it finds, in a fixed number of
queries whatever the number of cases. Other apps add providers with ``register_gap_provider`` (the
signals app, for monitoring reviews that are overdue).

The gaps built here (docs/architecture.md, "Gaps"):

- ``no_responsible``: a member organisation has no responsible practitioner (after a transfer the
  receiving prison starts like this);
- ``missing_member``: the phase needs an organisation type that is not in the team: before release
  (``pre_release``) probation and the municipality, on probation the probation service, in the
  community the municipality (the MAR hand-over of the plan);
- ``no_custody_episode``: the case is in custody or pre-release but no current custody episode is
  recorded. Shown only to organisations that read ``legal`` records, who would see the episode if
  there were one (R12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from continuum.accounts.choices import OrgType
from continuum.accounts.models import Organisation
from continuum.cases.access import cases_reading_category
from continuum.cases.choices import CUSTODY_PHASES, Phase
from continuum.cases.models import Case, CustodyEpisode
from continuum.sharing import engine
from continuum.sharing.choices import Category


@dataclass(frozen=True)
class Gap:
    """One thing missing on one case; ``organisation`` is the organisation it concerns, if any."""

    case: Case
    kind: str
    message: str
    organisation: Organisation | None = None


GapProvider = Callable[[Any, Sequence[Case]], Iterable[Gap]]

# The organisation types a phase needs in the team.
PHASE_NEEDS: dict[str, tuple[tuple[str, Promise], ...]] = {
    Phase.PRE_RELEASE: (
        (OrgType.PROBATION, gettext_lazy("No probation service in the team to take over at release.")),
        (
            OrgType.MUNICIPALITY,
            gettext_lazy("No municipality in the team to prepare housing, income and the return."),
        ),
    ),
    Phase.PROBATION: ((OrgType.PROBATION, gettext_lazy("No probation service in the team during probation.")),),
    Phase.COMMUNITY: (
        (OrgType.MUNICIPALITY, gettext_lazy("No municipality in the team to carry the plan in the community.")),
    ),
}


def team_gaps(user: Any, cases: Sequence[Case]) -> list[Gap]:
    """Members without a responsible practitioner, and organisation types the phase needs (one query)."""
    teams = engine.current_teams(c.pk for c in cases)
    gaps: list[Gap] = []
    for case in cases:
        team = teams.get(case.pk, [])
        for member in team:
            if member.responsible_id is None:
                gaps.append(
                    Gap(
                        case,
                        "no_responsible",
                        _("%(name)s has no responsible practitioner.") % {"name": member.organisation.name},
                        member.organisation,
                    )
                )
        types = {m.organisation.type for m in team}
        for org_type, message in PHASE_NEEDS.get(case.phase, ()):
            if org_type not in types:
                gaps.append(Gap(case, "missing_member", str(message)))
    return gaps


def custody_gaps(user: Any, cases: Sequence[Case]) -> list[Gap]:
    """Cases in prison without a current custody episode, for those who read ``legal`` (two queries)."""
    in_prison = [c for c in cases if c.phase in CUSTODY_PHASES]
    readable = cases_reading_category(user, in_prison, Category.LEGAL)
    candidates = [c for c in in_prison if c.pk in readable]
    if not candidates:
        return []
    held = set(
        CustodyEpisode.objects.visible_to(user)
        .filter(Q(case__in=[c.pk for c in candidates]) & Q(ended_on__isnull=True))
        .values_list("case_id", flat=True)
    )
    return [
        Gap(case, "no_custody_episode", _("No current custody episode is recorded: where is the person held?"))
        for case in candidates
        if case.pk not in held
    ]


GAP_PROVIDERS: list[GapProvider] = [team_gaps, custody_gaps]


def register_gap_provider(provider: GapProvider) -> None:
    """Add a provider of gaps (e.g. monitoring reviews overdue, from the signals app). Idempotent."""
    if provider not in GAP_PROVIDERS:
        GAP_PROVIDERS.append(provider)


def gaps_for(user: Any, cases: Sequence[Case]) -> list[Gap]:
    """Every provider's gaps on ``cases``, which must be cases visible to ``user``."""
    cases = list(cases)
    if not cases:
        return []
    found: list[Gap] = []
    for provider in GAP_PROVIDERS:
        found.extend(provider(user, cases))
    return found
