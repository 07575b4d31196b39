"""Seeded random worlds holding records of every case record model, for leak-freedom at volume.

``check_worlds`` builds worlds (inside a transaction rolled back after each), asks
``Model.objects.visible_to(user)`` of every record model for every viewer (one query each) and compares
each (viewer, record) pair with ``tests.sharing_reference``: the engine must give exactly the records
the reference gives, with the same basis. Used by ``tests/test_sharing_volume.py`` (a bounded run in
``make test``) and by ``make verify-sharing`` (at least 1,000,000 checks).

Rows are stored directly (not through the actions), including states the actions would refuse (any
author, any category on any model, overrides for former members): the read rule must hold for
whatever is in the database.

How each model is shared is stated here from the documentation (``SHARING``), not read from the
engine's hooks: docs/families.md ("belongs to"), docs/sharing.md (triage data), docs/mentoring.md and
docs/plans.md (what is assigned to a mentoring organisation).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from continuum.accounts.choices import NO_CASE_CONTENT_ROLES, OrgType, Role
from continuum.accounts.models import Organisation, User
from continuum.cases.models import Case, CaseMember
from continuum.people.models import Person
from continuum.sharing.actions import do_change_policy
from continuum.sharing.choices import Category
from continuum.sharing.models import Consent, Override, PolicyRule, PolicyVersion
from continuum.sharing.records import CaseRecord, encode_withholding, record_models
from tests import sharing_reference as ref

CATEGORIES = list(Category.values)
BASE_FIELDS = {f.name for f in CaseRecord._meta.get_fields()} | {"id"}

# How each record model is shared, from the docs. kind: see tests/sharing_reference.py. "file": the
# field naming the family file whose team shares it (None: the row is the file); "assigned": a callable
# giving the organisation a row is assigned to (R8); "triage": the central point's triage data.
CHILD_MODELS = ("Placement", "ChildProfile", "BestInterestAssessment", "ContactOrder", "Visit")
SHARING: dict[str, dict[str, Any]] = {
    **{f"families.{name}": {"kind": "child"} for name in CHILD_MODELS},
    "families.FamilyFile": {"kind": "family_file", "file": None},
    "families.Clearing": {"kind": "family_file", "file": "family_file_id"},
    "families.HelpPlan": {"kind": "family_file", "file": "family_file_id"},
    "families.CounsellingSession": {"kind": "session", "file": "family_file_id"},
    "signals.Signal": {"triage": True},
    "signals.SignalNote": {"triage": True},
    "plans.Milestone": {"assigned": lambda row: row.assigned_organisation_id},
    "mentoring.Mentoring": {"assigned": lambda row: row.mentor.user.organisation_id},
}


@dataclass
class Size:
    """How big one world is."""

    adults: int = 6
    children: int = 3
    files: int = 3
    per_model: int = 3  # records of each model (parents created along come on top)


@dataclass
class Outcome:
    checks: int = 0
    worlds: int = 0
    records: int = 0
    viewers: int = 0
    disagreements: list[str] = field(default_factory=list)
    bases: dict[str, int] = field(default_factory=dict)
    per_model: dict[str, int] = field(default_factory=dict)


def record_model_labels() -> list[str]:
    return sorted(m._meta.label for m in record_models())


# --- viewers ------------------------------------------------------------------------------------------


def ensure_extra_viewers() -> None:
    """A second organisation of every type with a practitioner (so that withholding from one
    organisation and from its type differ), a user of a deactivated organisation and a deactivated user."""
    for org_type in OrgType.values:
        slug = f"other-{org_type.replace('_', '-')}"
        org, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": f"Other {org_type}", "type": org_type, "mandate": "Synthetic."}
        )
        User.objects.get_or_create(
            username=f"viewer.{org_type}", defaults={"organisation": org, "role": Role.PRACTITIONER}
        )
    closed, _ = Organisation.objects.get_or_create(
        slug="closed-probation", defaults={"name": "Closed", "type": OrgType.PROBATION, "mandate": "Synthetic."}
    )
    Organisation.objects.filter(pk=closed.pk).update(is_active=False)
    User.objects.get_or_create(
        username="viewer.closed-org", defaults={"organisation": closed, "role": Role.CASE_MANAGER}
    )
    User.objects.get_or_create(
        username="viewer.inactive",
        defaults={"organisation": Organisation.objects.get(slug="probation"), "role": Role.CASE_MANAGER},
    )
    User.objects.filter(username="viewer.inactive").update(is_active=False)


def reference_viewer(user: User) -> ref.Org | None:
    """The organisation a user reads as, by R9/R10 (admin, DPO, no organisation: nobody)."""
    org = user.organisation
    if user.role in NO_CASE_CONTENT_ROLES or org is None or not user.is_active or not org.is_active:
        return None
    return ref.Org(org.pk, org.slug, org.type)


# --- building a world -------------------------------------------------------------------------------


class Builder:
    def __init__(self, rng: random.Random, size: Size) -> None:
        self.rng = rng
        self.size = size
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.orgs = list(Organisation.objects.filter(is_active=True).order_by("slug"))
        self.author: Any = User.objects.get(username="pn.casemanager")
        self.serial = 0
        self.withholding: dict[Any, str] = {}  # the stored withhold_from of each generated row
        self.children: list[Person] = []
        self.adults: list[Person] = []
        self.cases: list[Case] = []
        self.files: list[Any] = []
        self.release_plans: dict[Any, Any] = {}
        self.release_domains: dict[Any, set[str]] = {}
        self.open_relatives: set[tuple[Any, Any]] = set()
        self.profiled: set[Any] = set()
        self.record_rows: list[tuple[Any, Any]] = []  # (model, pk)

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def org(self) -> Organisation:
        return self.rng.choice(self.orgs)

    # generic filling of the fields a model requires ------------------------------------------------

    def fill(self, model: Any, given: dict[str, Any]) -> Any:
        values = dict(given)
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in values or f.attname in values:
                continue
            if f.null or f.has_default():
                continue
            if f.is_relation:
                values[f.name] = self.related(f)
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                continue
            else:
                values[f.name] = self.value(f)
        return model.objects.create(**values)

    def value(self, f: models.Field) -> Any:
        if f.choices:
            return self.rng.choice([c[0] for c in f.choices])
        if isinstance(f, models.DateTimeField):
            return self.now
        if isinstance(f, models.DateField):
            return self.today
        if isinstance(f, models.IntegerField):
            return self.next()
        if isinstance(f, models.JSONField):
            return {}
        if isinstance(f, models.CharField | models.TextField):
            return f"g{self.next()}"[: f.max_length or 100]
        raise NotImplementedError(f"no generated value for {f!r}")

    def related(self, f: Any) -> Any:
        target = f.related_model
        if target is Organisation:
            return self.org()
        if target is User:
            if f.one_to_one:  # a profile of its own (a mentor): a new member of staff somewhere
                return User.objects.create(username=f"gen.{uuid.uuid4().hex[:12]}", organisation=self.org())
            return self.author
        if target is Person:
            return self.rng.choice(self.adults)
        if target is Case:
            return self.rng.choice(self.cases)
        if issubclass(target, CaseRecord):
            return self.record(target)
        return self.fill(target, {})

    # case records -----------------------------------------------------------------------------------

    def base(self, model: type[CaseRecord]) -> dict[str, Any]:
        """Random person, case, category, author organisation and withholding."""
        label = model._meta.label
        sharing = SHARING.get(label, {})
        withhold: list[str] = []
        if self.rng.random() < 0.35:
            for _ in range(self.rng.randint(1, 2)):
                org = self.org()
                withhold.append(self.rng.choice([org.type, f"type:{org.type}", f"org:{org.slug}"]))
        values: dict[str, Any] = {
            "category": self.rng.choice(CATEGORIES),
            "author": self.author,
            "author_org": self.org(),
            "withhold_from": encode_withholding(withhold),
        }
        if sharing.get("kind") == "child":
            values["person"] = self.rng.choice(self.children)
            values["case"] = None
        elif sharing.get("kind") in ("family_file", "session"):
            values["person"] = self.rng.choice(self.adults + self.children)
            values["case"] = self.rng.choice([None, *self.cases])
        elif sharing.get("triage") and self.rng.random() < 0.2:
            values["person"] = None  # a signal about someone not yet known
            values["case"] = None
        else:
            case = self.rng.choice(self.cases)
            values["person"] = case.person
            values["case"] = None if self.rng.random() < 0.2 else case
        return values

    def record(self, model: Any, **given: Any) -> Any:
        values = {**self.base(model), **given}
        extra = getattr(self, f"extra_{model.__name__}", None)
        if extra is not None:
            more = extra(values)
            if more is None:
                return None  # the model allows no further row here (one per case, …)
            values.update(more)
        row = self.fill(model, values)
        if model._meta.label == "transition.ReleasePlan" and row.case_id is not None:
            self.release_plans[row.case_id] = row
        self.record_rows.append((model, row.pk))
        self.withholding[row.pk] = values["withhold_from"]
        return row

    # what some models need besides the generic filling
    def extra_Signal(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"number": self.next()}

    def extra_Plan(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"revision": self.next(), "status": self.rng.choice(["agreed", "superseded"])}

    def extra_Milestone(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"assigned_organisation": self.rng.choice([None, self.org(), self.mentoring_org()])}

    def mentoring_org(self) -> Organisation:
        return self.rng.choice([o for o in self.orgs if o.type == OrgType.MENTORING])

    def extra_Mentoring(self, values: dict[str, Any]) -> dict[str, Any]:
        org = self.mentoring_org() if self.rng.random() < 0.7 else self.org()
        user = User.objects.create(username=f"gen.{uuid.uuid4().hex[:12]}", organisation=org, role=Role.MENTOR)
        return {"mentor": self.fill(self.model("mentoring.MentorProfile"), {"user": user})}

    def extra_Intervention(self, values: dict[str, Any]) -> dict[str, Any]:
        if values["case"] is None or self.rng.random() < 0.5:
            return {}
        # A place in a group programme of some provider: the provider gains nothing by it.
        return {"group": self.fill(self.model("plans.GroupProgramme"), {"provider_organisation": self.org()})}

    def extra_ReleasePlan(self, values: dict[str, Any]) -> dict[str, Any] | None:
        if values["case"] is not None and values["case"].pk in self.release_plans:
            return None
        return {}

    def release_plan(self, values: dict[str, Any]) -> Any:
        """The release plan of the record's case (one per case), made when there is none yet."""
        case = values["case"]
        if case is not None and case.pk in self.release_plans:
            return self.release_plans[case.pk]
        return self.record(self.model("transition.ReleasePlan"), person=values["person"], case=case)

    def extra_ReleaseItem(self, values: dict[str, Any]) -> dict[str, Any] | None:
        plan = self.release_plan(values)
        used = self.release_domains.setdefault(plan.pk, set())
        free = [d for d in self.model("transition.ReleaseItem")._meta.get_field("domain").choices if d[0] not in used]
        if not free:
            return None
        domain = self.rng.choice(free)[0]
        used.add(domain)
        return {"plan": plan, "domain": domain}

    def extra_Scenario(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"plan": self.release_plan(values)}

    def extra_ResettlementCheck(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"plan": self.release_plan(values)}

    def extra_Relationship(self, values: dict[str, Any]) -> dict[str, Any] | None:
        if values["case"] is None:
            case = self.rng.choice(self.cases)
            values.update(case=case, person=case.person)
        relative = self.rng.choice(self.adults + self.children)
        if (values["case"].pk, relative.pk) in self.open_relatives:
            return {"relative": relative, "ended_on": self.today}
        self.open_relatives.add((values["case"].pk, relative.pk))
        return {"relative": relative, "kind": self.rng.choice(["partner", "sibling", "other_family"])}

    def extra_ChildProfile(self, values: dict[str, Any]) -> dict[str, Any] | None:
        if values["person"].pk in self.profiled:
            return None
        self.profiled.add(values["person"].pk)
        return {}

    def extra_FamilyFile(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"counselling_organisation": self.org()}

    def extra_Clearing(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"family_file": self.rng.choice(self.files)}

    def extra_HelpPlan(self, values: dict[str, Any]) -> dict[str, Any] | None:
        free = [f for f in self.files if not self.model("families.HelpPlan").objects.filter(family_file=f).exists()]
        return {"family_file": self.rng.choice(free)} if free else None

    def extra_CounsellingSession(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"family_file": self.rng.choice(self.files), "never_share": self.rng.random() < 0.3}

    def extra_FamilyDayParticipant(self, values: dict[str, Any]) -> dict[str, Any]:
        if values["case"] is None:
            case = self.rng.choice(self.cases)
            values.update(case=case, person=case.person)
        return {}

    def extra_Visit(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"scheduled_for": self.now}

    @staticmethod
    def model(label: str) -> Any:
        from django.apps import apps

        return apps.get_model(label)

    # the world ---------------------------------------------------------------------------------------

    def build(self) -> None:
        rng, size, today = self.rng, self.size, self.today
        tag = uuid.uuid4().hex[:6]
        self.adults = [
            Person.objects.create(
                given_name=f"A{i}", family_name=f"W{tag}", created_by=self.author, created_org=self.author.organisation
            )
            for i in range(size.adults)
        ]
        self.children = [
            Person.objects.create(
                given_name=f"C{i}",
                family_name=f"W{tag}",
                created_by=self.author,
                created_org=self.author.organisation,
                subject_category="child",
            )
            for i in range(size.children)
        ]
        for i, person in enumerate(self.adults):
            phases = ["pre_trial"] + (["closed"] if rng.random() < 0.3 else [])
            for phase in phases:
                trial = rng.choice([None, -10, 0, 5])
                self.cases.append(
                    Case.objects.create(
                        number=f"W{tag}-{i}-{phase[:1]}",
                        person=person,
                        phase=phase,
                        lead_organisation=self.org(),
                        created_by=self.author,
                        trial_concluded_on=None if trial is None else today + timedelta(days=trial),
                    )
                )
        for case in self.cases:
            for org in rng.sample(self.orgs, rng.randint(2, min(12, len(self.orgs)))):
                CaseMember.objects.create(case=case, organisation=org, until=today if rng.random() < 0.15 else None)
        # Children of the adults' cases (child relationships, some ended), and family files with teams.
        Relationship = self.model("families.Relationship")
        for child in self.children:
            for case in rng.sample(self.cases, rng.randint(0, 2)):
                values = self.base(Relationship)
                values.update(case=case, person=case.person, relative=child, kind="child")
                values["ended_on"] = today if rng.random() < 0.25 else None
                row = self.fill(Relationship, values)
                self.record_rows.append((Relationship, row.pk))
                self.withholding[row.pk] = values["withhold_from"]
                if row.ended_on is None:
                    self.open_relatives.add((case.pk, child.pk))
        FamilyCounsellor = self.model("families.FamilyCounsellor")
        for _ in range(size.files):
            file = self.record(self.model("families.FamilyFile"))
            self.files.append(file)
            team = {file.counselling_organisation_id: file.counselling_organisation}
            for org in rng.sample(self.orgs, rng.randint(0, 4)):
                team[org.pk] = org
            for org in team.values():
                FamilyCounsellor.objects.create(
                    family_file=file,
                    organisation=org,
                    added_by=self.author,
                    until=today if rng.random() < 0.15 else None,
                )
        for model in sorted(record_models(), key=lambda m: m._meta.label):
            for _ in range(size.per_model):
                self.record(model)
        self.consents_and_overrides()
        if rng.random() < 0.5:
            choices = ["none", "read", "write"]
            changes = {
                (rng.choice([t for t in OrgType.values if t != OrgType.RESEARCH]), rng.choice(CATEGORIES)): rng.choice(
                    choices
                )
                for _ in range(rng.randint(1, 4))
            }
            do_change_policy(changes, note="generated", acting_user=User.objects.get(username="dpo"))

    def consents_and_overrides(self) -> None:
        """Consents and overrides aimed at the generated records, so that they often meet."""
        rng, today, now = self.rng, self.today, self.now
        rows = [(model, pk) for model, pk in self.record_rows]
        picks = rng.sample(rows, min(len(rows), 12 + len(rows) // 3))
        consent_number = Consent.objects.count()
        override_number = Override.objects.count()
        for model, pk in picks:
            row = model.objects.get(pk=pk)
            if row.person_id is None:
                continue
            # The record's cases (a child's record: its parents'; one without a case: the person's).
            cases = (
                [row.case_id]
                if row.case_id
                else child_cases(row.person_id) or [c.pk for c in self.cases if c.person_id == row.person_id]
            ) or [c.pk for c in self.cases]
            members = list(
                CaseMember.objects.filter(case_id__in=cases)
                .order_by("case__number", "organisation__slug", "since")
                .values_list("case_id", "organisation_id")
            )
            # Mostly to an organisation that works on the case, which is when consent matters.
            recipient_id = rng.choice(members)[1] if members and rng.random() < 0.7 else self.org().pk
            consent_number += 1
            Consent.objects.create(
                number=consent_number,
                person_id=row.person_id,
                category=row.category,
                recipient_id=recipient_id,
                purpose="generated",
                valid_from=today - timedelta(days=30),
                valid_until=today + timedelta(days=rng.choice([-3, 0, 10])),
                recorded_by=self.author,
                recorded_org=self.author.organisation,
                withdrawn_at=now if rng.random() < 0.2 else None,
            )
            # An override on one of the record's cases, mostly for one of its members, now or formerly.
            if members and rng.random() < 0.8:
                case_id, org_id = rng.choice(members)
            else:
                case_id, org_id = rng.choice(cases), self.org().pk
            override_number += 1
            Override.objects.create(
                number=override_number,
                case_id=case_id,
                category=row.category,
                recipient_id=org_id,
                legal_basis="public_safety",
                justification="generated",
                valid_from=now - timedelta(days=5),
                valid_until=now + timedelta(days=rng.choice([-1, 2])),
                granted_by=self.author,
                granted_org=self.author.organisation,
                revoked_at=now if rng.random() < 0.2 else None,
            )


def child_cases(child_id: Any) -> list[Any]:
    from django.apps import apps

    Relationship = apps.get_model("families", "Relationship")
    links = Relationship.objects.filter(relative_id=child_id, kind="child").order_by("case__number")
    return list(links.values_list("case_id", flat=True))


# --- the reference's view of the world ----------------------------------------------------------------


def reference_world(builder: Builder) -> ref.World:
    from django.apps import apps

    Relationship = apps.get_model("families", "Relationship")
    FamilyCounsellor = apps.get_model("families", "FamilyCounsellor")
    version = PolicyVersion.objects.order_by("-number").first()
    return ref.World(
        cases={c.pk: (c.person_id, c.trial_concluded_on) for c in Case.objects.all()},
        memberships=[ref.Membership(m.case_id, m.organisation_id, m.until is None) for m in CaseMember.objects.all()],
        consents=[
            ref.Consent(
                c.person_id, c.category, c.recipient_id, c.valid_from, c.valid_until, c.withdrawn_at is not None
            )
            for c in Consent.objects.all()
        ],
        overrides=[
            ref.Override(o.case_id, o.category, o.recipient_id, o.valid_from, o.valid_until, o.revoked_at is not None)
            for o in Override.objects.all()
        ],
        matrix={(r.org_type, r.category): r.access for r in PolicyRule.objects.filter(version=version)},
        today=builder.today,
        now=builder.now,
        child_links=[
            ref.ChildLink(r.case_id, r.relative_id, r.ended_on is None)
            for r in Relationship.objects.filter(kind="child")
        ],
        counsellors=[
            ref.Counsellor(c.family_file_id, c.organisation_id, c.until is None) for c in FamilyCounsellor.objects.all()
        ],
    )


def reference_records(builder: Builder) -> dict[Any, list[ref.Record]]:
    """Every generated row as the reference sees it, by model; withholding as it was generated."""
    from continuum.sharing.records import decode_withholding

    by_model: dict[Any, list[Any]] = {}
    for model, pk in builder.record_rows:
        by_model.setdefault(model, []).append(pk)
    out: dict[Any, list[ref.Record]] = {}
    for model, pks in by_model.items():
        sharing = SHARING.get(model._meta.label, {})
        rows = model.objects.filter(pk__in=pks)
        if model._meta.label == "mentoring.Mentoring":
            rows = rows.select_related("mentor__user")
        records = []
        for row in rows:
            file_field = sharing.get("file", "missing")
            file_id = row.pk if file_field is None else getattr(row, file_field, None)
            assigned = sharing.get("assigned")
            records.append(
                ref.Record(
                    id=row.pk,
                    person_id=row.person_id,
                    case_id=row.case_id,
                    category=row.category,
                    author_org_id=row.author_org_id,
                    withhold_from=frozenset(_explicit(decode_withholding(builder.withholding[row.pk]))),
                    kind=sharing.get("kind", "case"),
                    file_id=file_id,
                    never_share=bool(getattr(row, "never_share", False)),
                    assigned_org_id=assigned(row) if assigned else None,
                    triage=bool(sharing.get("triage", False)),
                )
            )
        out[model] = records
    return out


def _explicit(names: list[str]) -> list[str]:
    """Stored names as the reference reads them: "org:x" and "type:x" explicit, a bare name either."""
    return [
        n if n.startswith(("org:", "type:")) else (f"type:{n}" if n in OrgType.values else f"org:{n}") for n in names
    ]


# --- checking -------------------------------------------------------------------------------------------


def check_world(seed: int, size: Size, viewers: list[User], outcome: Outcome) -> None:
    """One world: build, compare every (viewer, record) pair, roll back."""
    with transaction.atomic():
        builder = Builder(random.Random(seed), size)
        builder.build()
        world = reference_world(builder)
        records = reference_records(builder)
        outcome.worlds += 1
        outcome.records += sum(len(r) for r in records.values())
        for user in viewers:
            viewer = reference_viewer(user)
            for model, refs in records.items():
                visible = model.objects.visible_to(user)
                # No content at all (R9, R10) is an empty queryset without annotations.
                actual = {} if visible.query.is_empty() else dict(visible.values_list("pk", "_vis_basis"))
                for r in refs:
                    expected = ref.reference_basis(world, viewer, r)
                    got = actual.get(r.id)
                    outcome.checks += 1
                    label = model._meta.label
                    outcome.per_model[label] = outcome.per_model.get(label, 0) + 1
                    key = expected or "hidden"
                    outcome.bases[key] = outcome.bases.get(key, 0) + 1
                    if got != expected and len(outcome.disagreements) < 20:
                        outcome.disagreements.append(
                            f"seed {seed}: {user.username} {label} {r.id}: engine {got!r}, reference {expected!r} ({r})"
                        )
                    elif got != expected:
                        outcome.disagreements.append("…")
        transaction.set_rollback(True)


def viewers() -> list[User]:
    ensure_extra_viewers()
    return list(User.objects.select_related("organisation").order_by("username"))


def check_worlds(
    *, seed: int, worlds: int | None = None, checks: int | None = None, size: Size | None = None, progress: Any = None
) -> Outcome:
    """Worlds from ``seed`` on, until ``worlds`` were built or at least ``checks`` were made."""
    size = size or Size()
    users = viewers()
    outcome = Outcome(viewers=len(users))
    n = 0
    while (worlds is None or n < worlds) and (checks is None or outcome.checks < checks):
        check_world(seed + n, size, users, outcome)
        n += 1
        if progress is not None:
            progress(outcome)
        if worlds is None and checks is None:
            break
    return outcome


__all__ = ["SHARING", "Outcome", "Size", "check_worlds", "record_model_labels"]
