"""Who would see a record: the rules of DESIGN.md section 5 applied to one record in Python.

``visible_to`` answers "which records may this viewer see?" in SQL. The journal form and the
coordinator's "view as organisation" page need the other direction, "which member organisations
would see this record, and why (not)?", for a record that may not exist yet. ``CaseAudience``
loads what the rules need for one case in a fixed number of queries (members, the current matrix,
consents and overrides in force) and then decides per organisation without touching the database.

It mirrors ``continuum.sharing.engine.visibility_annotations`` rule for rule, in the same order:
R0 author, then R2 matrix and R3 consent unless a gate applies (R4 withholding, R6 children,
R7 trial, R8 mentoring), then R5 override, which beats every gate. The tests check that the two
agree for every member organisation on saved entries (tests/test_pages_cases.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple
from uuid import UUID

from django.apps import apps
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from continuum.accounts.choices import ORG_TYPE_SHORT, OrgType
from continuum.accounts.models import Organisation
from continuum.sharing.choices import (
    AFTER_TRIAL_FOR_CHILD_WELFARE,
    CHILDREN_READERS,
    MENTORING_CATEGORIES,
    Access,
    Basis,
    Category,
)
from continuum.sharing.models import Consent, Override, PolicyRule, PolicyVersion
from continuum.sharing.records import encode_withholding


class AudienceRow(NamedTuple):
    """One member organisation and whether (and why) it would see the record."""

    organisation: Organisation
    visible: bool
    reason: str


@dataclass(frozen=True)
class Decision:
    visible: bool
    basis: str  # a Basis value, or "" when not visible
    reason: str


def short_type(org_type: str) -> str:
    """ "probation", "exit NGO", …: an organisation type as words in a sentence."""
    return str(ORG_TYPE_SHORT.get(org_type, org_type))


def _category_label(category: str) -> str:
    """A category's label as a word in a sentence: lower case, except in German (nouns keep their capital)."""
    if category not in Category.values:
        return category
    label = str(Category(category).label)
    return label if (translation.get_language() or "").startswith("de") else label.lower()


def _encoded(withhold_from: str | Iterable[str] | None) -> str:
    """The stored form of a withholding list (``",type:police,org:exit-ngo,"``), as the engine reads it."""
    if withhold_from is None:
        return ""
    if isinstance(withhold_from, str):
        return withhold_from
    return encode_withholding(withhold_from)


class CaseAudience:
    """What the sharing rules need to know about one case, loaded once (five queries)."""

    def __init__(self, case: Any) -> None:
        CaseMember = apps.get_model("cases", "CaseMember")

        self.case = case
        self.today = timezone.localdate()
        now = timezone.now()
        members = CaseMember.objects.filter(case=case, until__isnull=True).select_related("organisation")
        self.organisations: list[Organisation] = sorted((m.organisation for m in members), key=lambda o: o.name.lower())
        self.member_ids: set[UUID] = {o.pk for o in self.organisations}
        current = PolicyVersion.objects.order_by("-number").values("pk")[:1]
        self.matrix: dict[tuple[str, str], str] = {
            (org_type, category): access
            for org_type, category, access in PolicyRule.objects.filter(version=current).values_list(
                "org_type", "category", "access"
            )
        }
        # Like the engine: when several apply, the one lasting longest explains the visibility.
        self.consents: dict[tuple[str, UUID], Consent] = {}
        for consent in Consent.objects.in_force().filter(person_id=case.person_id).order_by("valid_until"):
            self.consents[(consent.category, consent.recipient_id)] = consent
        self.overrides: dict[tuple[str, UUID], Override] = {}
        for override in (
            Override.objects.filter(case=case, revoked_at__isnull=True, valid_from__lte=now, valid_until__gte=now)
            .select_related("granted_by")
            .order_by("valid_until")
        ):
            self.overrides[(override.category, override.recipient_id)] = override

    @property
    def trial_concluded(self) -> bool:
        concluded = self.case.trial_concluded_on
        return concluded is not None and concluded <= self.today

    def decide(
        self,
        organisation: Organisation,
        *,
        category: str,
        withhold_from: str | Iterable[str] | None,
        author_org_id: UUID | None,
    ) -> Decision:
        """Whether ``organisation`` would see a ``category`` record of this case, on what basis, and why."""
        org_type = organisation.type
        if org_type == OrgType.RESEARCH:
            return Decision(False, "", _("research organisations see anonymised figures only"))
        if not organisation.is_active:
            return Decision(False, "", _("this organisation is switched off"))
        if author_org_id == organisation.pk:  # R0
            return Decision(True, Basis.AUTHOR, _("wrote it"))
        if organisation.pk not in self.member_ids:  # R1
            return Decision(False, "", _("not a current member of the case"))

        encoded = _encoded(withhold_from)
        label = _category_label(category)
        gates: list[str] = []
        if f",type:{org_type}," in encoded or f",org:{organisation.slug}," in encoded:  # R4
            gates.append(_("withheld by the author"))
        if category == Category.CHILDREN and org_type not in CHILDREN_READERS:  # R6
            gates.append(_("children's records go only to child welfare, family counselling and mental health"))
        if (
            org_type == OrgType.CHILD_WELFARE and category in AFTER_TRIAL_FOR_CHILD_WELFARE and not self.trial_concluded
        ):  # R7
            gates.append(
                _("child welfare sees %(category)s records only after the trial has concluded") % {"category": label}
            )

        if org_type == OrgType.MENTORING and category not in MENTORING_CATEGORIES:  # R8
            gates.append(_("mentoring sees identity only (and what it wrote)"))
        access = self.matrix.get((org_type, category), Access.NONE)
        readable = access in (Access.READ, Access.WRITE)
        consent = self.consents.get((category, organisation.pk))
        override = self.overrides.get((category, organisation.pk))

        if not gates and readable:  # R2
            return Decision(
                True,
                Basis.MATRIX,
                _("the sharing policy lets %(type)s read %(category)s records")
                % {"type": short_type(org_type), "category": label},
            )
        if not gates and consent is not None:  # R3
            return Decision(
                True,
                Basis.CONSENT,
                _("the person's consent %(reference)s, until %(day)s")
                % {"reference": consent.reference, "day": formats.date_format(consent.valid_until, "DATE_FORMAT")},
            )
        if override is not None:  # R5 beats the gates
            until = timezone.localtime(override.valid_until)
            by = override.granted_by.username
            return Decision(
                True,
                Basis.OVERRIDE,
                _("legal override %(reference)s by %(by)s, until %(when)s")
                % {"reference": override.reference, "by": by, "when": formats.date_format(until, "DATETIME_FORMAT")},
            )
        if gates:
            return Decision(False, "", gates[0])
        return Decision(
            False,
            "",
            _("the sharing policy does not let %(type)s read %(category)s records")
            % {"type": short_type(org_type), "category": label},
        )

    def audience(
        self, *, category: str, withhold_from: str | Iterable[str] | None, author_org_id: UUID | None
    ) -> list[AudienceRow]:
        rows = []
        for organisation in self.organisations:
            decision = self.decide(
                organisation, category=category, withhold_from=withhold_from, author_org_id=author_org_id
            )
            rows.append(AudienceRow(organisation, decision.visible, decision.reason))
        return rows


def preview_audience(
    case: Any,
    category: str,
    withhold_from: str | Iterable[str] | None,
    author_org: Organisation | None,
) -> list[AudienceRow]:
    """For each current member organisation of ``case``: would it see a ``category`` record written by
    ``author_org`` and withheld from ``withhold_from`` (types and slugs, or the stored form)? And why."""
    return CaseAudience(case).audience(
        category=category,
        withhold_from=withhold_from,
        author_org_id=author_org.pk if author_org is not None else None,
    )
