"""The visibility engine: DESIGN.md section 5 (R0-R12) compiled into one SQL query.

Every read of case information goes through ``CaseRecordQuerySet.visible_to`` (see
``continuum.sharing.records``), which calls ``visibility_annotations`` here. The rules:

- R0  the author's organisation always sees its record;
- R1  otherwise the viewer's organisation must be a current member of the record's case
      (for a record without a case: of one of the person's cases);
- R2  the policy matrix for the viewer's organisation type grants read (or write);
- R3  or the person's consent in force extends the category to the viewer's organisation;
- R4  an author's withholding from the organisation or its type beats R2 and R3;
- R5  a legal override in force for the organisation, category and case beats everything above;
- R6  ``children`` records only for child welfare, family counselling and mental health (R5 aside);
- R7  child welfare sees ``legal`` and ``risk_assessment`` only once the trial is concluded (R5 aside);
- R8  mentoring organisations: identity, and what a model marks as assigned to them (R5 aside);
- R9, R10  research organisations, administrators and data protection officers see no records.
- Triage  R1's exception: a model that sets ``central_point_triage`` (signals and the central point's
      notes on them) is visible in full to every organisation of type central_point, right after R0.

The matrix is read inside the same SQL statement (a subquery on the current policy version), so
``visible_to`` costs exactly one query however many records, consents or overrides exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from continuum.accounts.choices import NO_CASE_CONTENT_ROLES, ORG_TYPE_SHORT, OrgType
from continuum.sharing.choices import (
    AFTER_TRIAL_FOR_CHILD_WELFARE,
    CHILDREN_READERS,
    MENTORING_CATEGORIES,
    Access,
    Basis,
    Category,
)

if TYPE_CHECKING:
    from continuum.accounts.models import Organisation, User


@dataclass(frozen=True)
class Viewer:
    """Who is looking: an organisation (and, for real reads, a user of it)."""

    organisation_id: UUID | None
    org_slug: str = ""
    org_type: str = ""
    org_name: str = ""
    sees_content: bool = False
    user: Any = None

    @property
    def type_label(self) -> str:
        return str(ORG_TYPE_SHORT.get(self.org_type, self.org_type))


NOBODY = Viewer(organisation_id=None)


def viewer_for(user: Any) -> Viewer:
    """The viewer a logged-in user reads as. R9 and R10: some users see no case content at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    organisation = user.organisation if user.organisation_id else None
    if organisation is None or not organisation.is_active:
        return NOBODY
    sees = user.role not in NO_CASE_CONTENT_ROLES and organisation.type != OrgType.RESEARCH
    return Viewer(
        organisation_id=organisation.pk,
        org_slug=organisation.slug,
        org_type=organisation.type,
        org_name=organisation.name,
        sees_content=sees,
        user=user,
    )


def viewer_for_organisation(organisation: Organisation) -> Viewer:
    """An organisation as a whole, for the "view as organisation" preview (no user, nothing logged)."""
    return Viewer(
        organisation_id=organisation.pk,
        org_slug=organisation.slug,
        org_type=organisation.type,
        org_name=organisation.name,
        sees_content=organisation.type != OrgType.RESEARCH and organisation.is_active,
    )


# --- answers kept for one read-only page ----------------------------------------------------------

_memo: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("continuum_engine_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, ask the database once per matrix row and per membership.

    For a page that reads and does not change the matrix or the team (the case page, the meeting
    pack): its panels ask the same questions; outside the block every call asks the database.
    """
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _remember(key: tuple[Any, ...], compute: Any) -> Any:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# --- the policy matrix ---------------------------------------------------------------------------


def _current_version() -> Subquery:
    PolicyVersion = apps.get_model("sharing", "PolicyVersion")
    return Subquery(PolicyVersion.objects.order_by("-number").values("pk")[:1])


def matrix_categories(org_type: str, accesses: tuple[str, ...]) -> Subquery:
    """The categories the current matrix grants ``org_type`` at one of ``accesses``, as a subquery."""
    PolicyRule = apps.get_model("sharing", "PolicyRule")
    return Subquery(
        PolicyRule.objects.filter(version=_current_version(), org_type=org_type, access__in=accesses).values("category")
    )


def matrix_for(org_type: str) -> dict[str, str]:
    """The current matrix row of one organisation type: category -> access (one query)."""
    PolicyRule = apps.get_model("sharing", "PolicyRule")

    def row() -> dict[str, str]:
        rules = PolicyRule.objects.filter(version=_current_version(), org_type=org_type)
        return dict(rules.values_list("category", "access"))

    return dict(_remember(("matrix", org_type), row))


# --- membership ------------------------------------------------------------------------------------


def is_current_member(organisation_id: UUID | None, case_id: UUID) -> bool:
    CaseMember = apps.get_model("cases", "CaseMember")
    if not organisation_id:
        return False
    memo = _memo.get()
    if memo is not None and ("team", case_id) in memo:
        return any(m.organisation_id == organisation_id for m in memo[("team", case_id)])
    current = CaseMember.objects.filter(case_id=case_id, organisation_id=organisation_id, until__isnull=True)
    return bool(_remember(("member", organisation_id, case_id), current.exists))


def current_teams(case_ids: Any) -> dict[Any, list[Any]]:
    """The current members of each case (``CaseMember`` with its organisation), in the order they joined.

    One query for the cases not already known inside ``remembered``; none for those that are.
    """
    CaseMember = apps.get_model("cases", "CaseMember")
    case_ids = list(dict.fromkeys(case_ids))
    memo = _memo.get()
    known = {c: memo[("team", c)] for c in case_ids if ("team", c) in memo} if memo is not None else {}
    missing = [c for c in case_ids if c not in known]
    if missing:
        fetched: dict[Any, list[Any]] = {c: [] for c in missing}
        members = CaseMember.objects.filter(case_id__in=missing, until__isnull=True).select_related("organisation")
        for member in members.order_by("since", "organisation__name"):
            fetched[member.case_id].append(member)
        if memo is not None:
            memo.update({("team", c): team for c, team in fetched.items()})
        known.update(fetched)
    return {c: known[c] for c in case_ids}


def remember_team(case_id: Any, current: Any) -> None:
    """Inside ``remembered``: the case's current members, already read by the caller."""
    memo = _memo.get()
    if memo is not None:
        memo[("team", case_id)] = sorted(current, key=lambda m: (m.since, m.organisation.name))


def writers_of(case: Any, category: str) -> set[UUID]:
    """The organisations of the case's current team whose matrix row writes ``category`` (one query)."""
    CaseMember = apps.get_model("cases", "CaseMember")
    PolicyRule = apps.get_model("sharing", "PolicyRule")
    writing_types = PolicyRule.objects.filter(version=_current_version(), category=category, access=Access.WRITE)
    return set(
        CaseMember.objects.filter(
            case_id=case.pk, until__isnull=True, organisation__type__in=writing_types.values("org_type")
        ).values_list("organisation_id", flat=True)
    )


# Other ways an organisation works with a person than a case team: callables taking an
# organisation id and returning a queryset of person ids (a family file's counsellors work with its
# clients, who often have no case). Registered by the apps that own them (``AppConfig.ready``).
_person_teams: list[Any] = []


def register_person_team(persons_of: Any) -> None:
    if persons_of not in _person_teams:
        _person_teams.append(persons_of)


def persons_worked_with(organisation_id: Any) -> Q:
    """A Q on persons (``pk``) the organisation works with outside case teams (the registered teams)."""
    condition = Q(pk__in=[])
    for persons_of in _person_teams:
        condition |= Q(pk__in=persons_of(organisation_id))
    return condition


def is_member_of_persons_cases(organisation: Any, person: Any) -> bool:
    """Whether ``organisation`` is a current member of one of ``person``'s cases (R1), or works with
    the person in a registered team of its own (a family file's counsellors with its clients)."""
    CaseMember = apps.get_model("cases", "CaseMember")
    if CaseMember.objects.filter(case__person=person, organisation=organisation, until__isnull=True).exists():
        return True
    if not _person_teams:
        return False
    Person = apps.get_model("people", "Person")
    return bool(Person.objects.filter(persons_worked_with(organisation.pk), pk=person.pk).exists())


def _member_condition(viewer: Viewer, prefix: str = "") -> Q:
    CaseMember = apps.get_model("cases", "CaseMember")
    of_case = Exists(
        CaseMember.objects.filter(
            case=OuterRef(f"{prefix}case"), organisation_id=viewer.organisation_id, until__isnull=True
        )
    )
    of_person = Exists(
        CaseMember.objects.filter(
            case__person=OuterRef(f"{prefix}person"),
            organisation_id=viewer.organisation_id,
            until__isnull=True,
        )
    )
    return (Q(**{f"{prefix}case__isnull": False}) & Q(of_case)) | (Q(**{f"{prefix}case__isnull": True}) & Q(of_person))


# --- the rules as SQL --------------------------------------------------------------------------------


def visibility_annotations(model: type, viewer: Viewer) -> dict[str, Any]:
    """Annotations that give each row its basis of visibility for ``viewer`` (NULL: not visible).

    ``_vis_basis`` is one of Basis or NULL; ``_vis_consent``/``_vis_override`` carry the reference and
    end date of the consent or override that made the row visible, for the explanation.
    """
    Consent = apps.get_model("sharing", "Consent")
    Override = apps.get_model("sharing", "Override")
    today = timezone.localdate()
    now = timezone.now()
    org_id = viewer.organisation_id

    gate = Q(withhold_from__contains=f",type:{viewer.org_type},") | Q(
        withhold_from__contains=f",org:{viewer.org_slug},"
    )
    if viewer.org_type not in CHILDREN_READERS:
        gate |= Q(category=Category.CHILDREN)
    if viewer.org_type == OrgType.CHILD_WELFARE:
        trial_pending = (
            Q(case__isnull=True) | Q(case__trial_concluded_on__isnull=True) | Q(case__trial_concluded_on__gt=today)
        )
        gate |= Q(category__in=AFTER_TRIAL_FOR_CHILD_WELFARE) & trial_pending

    readable = Q(category__in=matrix_categories(viewer.org_type, (Access.READ, Access.WRITE)))
    if viewer.org_type == OrgType.MENTORING:
        mentor_may = Q(category__in=MENTORING_CATEGORIES)
        assigned = getattr(model, "mentor_assigned_q", None)
        if assigned is not None:
            mentor_may |= assigned(viewer)
            readable |= assigned(viewer)
        gate |= ~mentor_may

    consents = Consent.objects.filter(
        person=OuterRef("person"),
        category=OuterRef("category"),
        recipient_id=org_id,
        withdrawn_at__isnull=True,
        valid_from__lte=today,
        valid_until__gte=today,
    ).order_by("-valid_until")
    overrides = Override.objects.filter(
        case=OuterRef("case"),
        category=OuterRef("category"),
        recipient_id=org_id,
        revoked_at__isnull=True,
        valid_from__lte=now,
        valid_until__gte=now,
    ).order_by("-valid_until")
    member = _member_condition(viewer)
    # A model whose records belong to the cases they are linked to rather than to one case of their own
    # (a child's records: the cases of the child's parents) names those cases; R1 and R5 then ask them.
    linked = getattr(model, "linked_cases", None)
    if linked is not None:
        CaseMember = apps.get_model("cases", "CaseMember")
        member = Q(
            Exists(
                CaseMember.objects.filter(
                    case__in=linked(OuterRef(OuterRef("person"))), organisation_id=org_id, until__isnull=True
                )
            )
        )
        # R5 with R1: an override counts on a linked case the organisation is a current member of (one
        # on another parent's case it has left opens nothing, though it is still on this parent's team).
        overrides = (
            Override.objects.filter(
                case__in=linked(OuterRef(OuterRef("person"))),
                category=OuterRef("category"),
                recipient_id=org_id,
                revoked_at__isnull=True,
                valid_from__lte=now,
                valid_until__gte=now,
            )
            .filter(case__in=CaseMember.objects.filter(organisation_id=org_id, until__isnull=True).values("case"))
            .order_by("-valid_until")
        )
    # A model shared within a team of its own (a family file's counsellors) replaces R1 for the matrix
    # and consent; a legal override (R5) still asks the case. A model may also keep the matrix out
    # (shared by consent only) and gate rows of its own (R4 per item, e.g. "never share").
    team = getattr(model, "sharing_team", None)
    shared_with = Q(team(viewer)) if team is not None else member
    if not getattr(model, "matrix_reads", True):
        readable = Q(pk__isnull=True)
    own_gate = getattr(model, "withheld_q", None)
    if own_gate is not None:
        gate |= own_gate()
    # Triage data: the central point sees every row, without gates (R1: "and the central point, for
    # triage data"); R0 still comes first, so its own notes say "written by your organisation".
    triage = (
        [When(Q(pk__isnull=False), then=Value(Basis.TRIAGE.value))]
        if viewer.org_type == OrgType.CENTRAL_POINT and getattr(model, "central_point_triage", False)
        else []
    )

    return {
        "_vis_gated": Case(When(gate, then=Value(True)), default=Value(False), output_field=BooleanField()),
        "_vis_basis": Case(
            When(author_org_id=org_id, then=Value(Basis.AUTHOR.value)),
            *triage,
            When(shared_with & Q(_vis_gated=False) & readable, then=Value(Basis.MATRIX.value)),
            When(shared_with & Q(_vis_gated=False) & Q(Exists(consents)), then=Value(Basis.CONSENT.value)),
            When(member & Q(Exists(overrides)), then=Value(Basis.OVERRIDE.value)),
            default=Value(None),
            output_field=CharField(),
        ),
        "_vis_consent": Subquery(consents.values("number")[:1]),
        "_vis_consent_until": Subquery(consents.values("valid_until")[:1], output_field=DateField()),
        "_vis_override": Subquery(overrides.values("number")[:1]),
        "_vis_override_until": Subquery(overrides.values("valid_until")[:1], output_field=DateTimeField()),
        "_vis_override_by": Subquery(overrides.values("granted_by__username")[:1]),
        "_vis_viewer_type": Value(viewer.org_type, output_field=CharField()),
    }


def explain(record: Any, *, sentence: bool = False) -> str:
    """Why an annotated record is visible: the API's short form ("matrix: probation reads plan"),
    or with ``sentence`` the plain sentence a page shows ("The sharing policy lets your kind of
    organisation (probation) read plan records"), in the reader's language.

    The short form is English whatever the language: the API and the disclosure log keep it as written.
    """
    if not sentence:
        with translation.override("en"):
            return _short_explanation(record)
    return _sentence(record)


def _category_words(category: str) -> str:
    """A category's label as a word in a sentence: lower case, except in German, where nouns keep
    their capital."""
    if category not in Category.values:
        return category
    label = str(Category(category).label)
    return label if (translation.get_language() or "").startswith("de") else label.lower()


def _sentence(record: Any) -> str:
    basis = getattr(record, "_vis_basis", None)
    if basis == Basis.AUTHOR:
        return _("Your organisation wrote it (%(organisation)s)") % {"organisation": record.author_org.name}
    if basis == Basis.MATRIX:
        label = ORG_TYPE_SHORT.get(record._vis_viewer_type, record._vis_viewer_type)
        return _("The sharing policy lets your kind of organisation (%(type)s) read %(category)s records") % {
            "type": label,
            "category": _category_words(record.category),
        }
    if basis == Basis.CONSENT:
        return _("The person agreed to share it with your organisation: consent C-%(number)s, until %(day)s") % {
            "number": record._vis_consent,
            "day": formats.date_format(record._vis_consent_until, "DATE_FORMAT"),
        }
    if basis == Basis.TRIAGE:
        return _("The central point reads every signal, to triage it")
    if basis == Basis.OVERRIDE:
        until = timezone.localtime(record._vis_override_until)
        return _(
            "A legal override lets your organisation read it: override O-%(number)s, granted by %(by)s, until %(when)s"
        ) % {
            "number": record._vis_override,
            "by": record._vis_override_by,
            "when": formats.date_format(until, "DATETIME_FORMAT"),
        }
    return _("Not visible")


def _short_explanation(record: Any) -> str:
    basis = getattr(record, "_vis_basis", None)
    category = Category(record.category).label.lower() if record.category in Category.values else record.category
    if basis == Basis.AUTHOR:
        return f"written by your organisation ({record.author_org.name})"
    if basis == Basis.MATRIX:
        label = ORG_TYPE_SHORT.get(record._vis_viewer_type, record._vis_viewer_type)
        return f"matrix: {label} reads {category}"
    if basis == Basis.CONSENT:
        return f"consent C-{record._vis_consent} until {record._vis_consent_until:%Y-%m-%d}"
    if basis == Basis.TRIAGE:
        return TRIAGE_SHORT
    if basis == Basis.OVERRIDE:
        until = timezone.localtime(record._vis_override_until)
        return f"override O-{record._vis_override} by {record._vis_override_by} until {until:%Y-%m-%d %H:%M}"
    return "not visible"


TRIAGE_SHORT = "triage: the central point sees every signal"


# --- writing ---------------------------------------------------------------------------------------------


def can_write(user: User, case: Any, category: str) -> bool:
    """Whether ``user`` may add a ``category`` record to ``case``: R1, R2 (write), R6, R10."""
    viewer = viewer_for(user)
    if not viewer.sees_content or getattr(case, "phase", None) == "closed":
        return False
    if category == Category.CHILDREN and viewer.org_type not in CHILDREN_READERS:
        return False
    if not is_current_member(viewer.organisation_id, case.pk):
        return False
    return matrix_for(viewer.org_type).get(category) == Access.WRITE


def writable_categories(user: User, case: Any) -> list[str]:
    """The categories ``user`` may write on ``case`` (for forms): two queries."""
    viewer = viewer_for(user)
    if not viewer.sees_content or getattr(case, "phase", None) == "closed":
        return []
    if not is_current_member(viewer.organisation_id, case.pk):
        return []
    row = matrix_for(viewer.org_type)
    return [
        c
        for c in Category.values
        if row.get(c) == Access.WRITE and (c != Category.CHILDREN or viewer.org_type in CHILDREN_READERS)
    ]


__all__ = [
    "NOBODY",
    "Viewer",
    "can_write",
    "explain",
    "matrix_categories",
    "matrix_for",
    "viewer_for",
    "viewer_for_organisation",
    "visibility_annotations",
    "writable_categories",
]
