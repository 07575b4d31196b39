"""The visibility engine against DESIGN.md section 5 (issue 3): the matrix, R0-R12, and a reference model."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuum.accounts import actions as account_actions
from continuum.accounts.choices import ORG_TYPE_SHORT, OrgType, Role
from continuum.accounts.models import Organisation, User
from continuum.audit.models import AuditAction, AuditEvent
from continuum.cases.access import search_entries
from continuum.cases.actions import (
    do_add_entry,
    do_add_member,
    do_end_membership,
    do_open_case,
    do_update_case,
)
from continuum.cases.models import Case, CaseMember, Entry
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.actions import (
    do_change_policy,
    do_grant_override,
    do_record_consent,
    do_withdraw_consent,
)
from continuum.sharing.choices import Category, default_access
from continuum.sharing.models import Consent, Override, PolicyRule, PolicyVersion
from continuum.sharing.records import encode_withholding
from tests import sharing_reference as ref

pytestmark = pytest.mark.django_db

# Who writes each category in these tests: an organisation whose type has write access by default.
AUTHORS = {
    Category.IDENTITY: "pn.casemanager",
    Category.LEGAL: "pn.casemanager",
    Category.SECURITY: "pn.casemanager",
    Category.RISK_ASSESSMENT: "pn.casemanager",
    Category.IDEOLOGY: "exit.worker",
    Category.MENTAL_HEALTH: "mh.clinician",
    Category.COUNSELLING: "exit.worker",
    Category.FAMILY: "prob.officer",
    Category.CHILDREN: "cw.worker",
    Category.DAILY_LIFE: "prob.officer",
    Category.PLAN: "prob.officer",
    Category.CONFERENCE: "muni.coordinator",
}
MEMBER_SLUGS = [
    "central-point",
    "prison-north",
    "probation",
    "municipality-harbour",
    "police",
    "exit-ngo",
    "family-counselling",
    "mental-health",
    "child-welfare",
    "mentor-network",
]


def _viewer_user(org_type: str) -> User:
    """A practitioner of a second organisation of ``org_type``, which never authors anything here."""
    organisation = account_actions.do_create_organisation(
        slug=f"other-{org_type.replace('_', '-')}", name=f"Other {org_type}", type=org_type, acting_user=None
    )
    return account_actions.do_create_user(
        username=f"viewer.{org_type}", organisation=organisation, role=Role.PRACTITIONER, acting_user=None
    )


@pytest.fixture
def team_case(persona):
    """A custody case led by Prison North with every demo member organisation in its team."""
    lead = persona("pn.casemanager")
    person = do_create_person(given_name="Samir", family_name="Test", birth_date=date(1990, 5, 1), acting_user=lead)
    case = do_open_case(person=person, lead_organisation=lead.organisation, phase="custody", acting_user=lead)
    for slug in MEMBER_SLUGS:
        do_add_member(case, organisation=Organisation.objects.get(slug=slug), acting_user=lead)
    return case


def _write_one_per_category(case: Case, persona) -> dict[str, Entry]:
    return {
        category: do_add_entry(case, category=category, title=f"{category} record", acting_user=persona(username))
        for category, username in AUTHORS.items()
    }


def _expected_read(org_type: str, category: str, *, trial_concluded: bool) -> bool:
    if org_type == OrgType.RESEARCH:
        return False
    if org_type == OrgType.MENTORING and category != Category.IDENTITY:
        return False  # R8
    if org_type == OrgType.CHILD_WELFARE and category in ("legal", "risk_assessment") and not trial_concluded:
        return False  # R7
    return default_access(org_type, category) in ("read", "write")


@pytest.mark.parametrize("org_type", OrgType.values)
def test_default_matrix_read_and_write_for_every_organisation_type(team_case, persona, org_type):
    """Every organisation type x category x action (read, write) against DESIGN.md's default table."""
    records = _write_one_per_category(team_case, persona)
    viewer = _viewer_user(org_type)
    if org_type != OrgType.RESEARCH:
        do_add_member(team_case, organisation=viewer.organisation, acting_user=persona("pn.casemanager"))
    visible = set(Entry.objects.visible_to(viewer).values_list("category", flat=True))
    reads = {c: c in visible for c in Category.values}
    writes = {c: engine.can_write(viewer, team_case, c) for c in Category.values}
    expected_reads = {c: _expected_read(org_type, c, trial_concluded=False) for c in Category.values}
    expected_writes = {
        c: org_type != OrgType.RESEARCH and default_access(org_type, c) == "write" for c in Category.values
    }
    assert reads == expected_reads
    assert writes == expected_writes
    assert set(engine.writable_categories(viewer, team_case)) == {c for c, w in expected_writes.items() if w}
    for record in Entry.objects.visible_to(viewer):
        assert record.visibility["basis"] == "matrix"
        assert record.visibility["explanation"].startswith("matrix: ")
        assert record.why == (
            f"The sharing policy lets your kind of organisation ({ORG_TYPE_SHORT[org_type]}) "
            f"read {Category(record.category).label.lower()} records"
        )
    assert set(records) == set(Category.values)


def test_child_welfare_sees_parents_risk_assessment_only_after_the_trial(team_case, persona):
    _write_one_per_category(team_case, persona)
    cw = persona("cw.worker")
    before = set(Entry.objects.visible_to(cw).values_list("category", flat=True))
    assert "risk_assessment" not in before and "legal" not in before
    do_update_case(
        team_case,
        version=team_case.version,
        trial_concluded_on=timezone.localdate(),
        acting_user=persona("pn.casemanager"),
    )
    after = set(Entry.objects.visible_to(cw).values_list("category", flat=True))
    assert {"risk_assessment", "legal"} <= after


def test_a_trial_concluding_in_the_future_does_not_count_yet(team_case, persona):
    _write_one_per_category(team_case, persona)
    do_update_case(
        team_case,
        version=team_case.version,
        trial_concluded_on=timezone.localdate() + timedelta(days=3),
        acting_user=persona("pn.casemanager"),
    )
    assert not Entry.objects.visible_to(persona("cw.worker")).filter(category="risk_assessment").exists()


def _in_a_week():
    return timezone.now() + timedelta(days=7)


def test_police_never_see_children_counselling_or_mental_health_without_an_override(team_case, persona):
    records = _write_one_per_category(team_case, persona)
    police = persona("police.liaison")
    hidden = {"children", "counselling", "mental_health"}
    assert not hidden & set(Entry.objects.visible_to(police).values_list("category", flat=True))
    # Even the person's consent does not open children's records to the police (R6).
    do_record_consent(
        team_case.person,
        category="children",
        recipient=police.organisation,
        purpose="test",
        valid_until=timezone.localdate() + timedelta(days=30),
        acting_user=persona("cw.worker"),
    )
    assert not Entry.objects.visible_to(police).filter(category="children").exists()
    override = do_grant_override(
        team_case,
        category="children",
        recipient=police.organisation,
        legal_basis="public_safety",
        justification="Imminent risk to a child reported at the visit; police must know the placement.",
        valid_until=_in_a_week(),
        acting_user=persona("cp.coordinator"),
    )
    visible = Entry.objects.visible_to(police).get(pk=records["children"].pk)
    assert visible.visibility["basis"] == "override"
    assert f"override O-{override.number} by cp.coordinator" in visible.visibility["explanation"]
    assert visible.why.startswith(
        "A legal override lets your organisation read it: "
        f"override O-{override.number}, granted by cp.coordinator, until "
    )
    assert not Entry.objects.visible_to(police).filter(category__in=["counselling", "mental_health"]).exists()


def test_withheld_from_police_stays_hidden_with_consent_and_shows_under_an_override(team_case, persona):
    exit_worker, police = persona("exit.worker"), persona("police.liaison")
    note = do_add_entry(
        team_case,
        category="ideology",
        title="Doubts about the group",
        withhold_from=["police"],
        acting_user=exit_worker,
    )
    assert not Entry.objects.visible_to(police).filter(pk=note.pk).exists()  # matrix says police reads ideology
    do_record_consent(
        team_case.person,
        category="ideology",
        recipient=police.organisation,
        purpose="Risk assessment review",
        valid_until=timezone.localdate() + timedelta(days=30),
        acting_user=exit_worker,
    )
    assert not Entry.objects.visible_to(police).filter(pk=note.pk).exists()  # R4 beats R3
    do_grant_override(
        team_case,
        category="ideology",
        recipient=police.organisation,
        legal_basis="public_safety",
        justification="Threat assessment after a signal of attack planning requires the full picture.",
        valid_until=_in_a_week(),
        acting_user=persona("cp.coordinator"),
    )
    assert Entry.objects.visible_to(police).get(pk=note.pk).visibility["basis"] == "override"  # R5 beats R4


def test_withholding_from_one_organisation_leaves_others_of_its_type(team_case, persona):
    other_prison = Organisation.objects.get(slug="prison-south")
    do_add_member(team_case, organisation=other_prison, acting_user=persona("pn.casemanager"))
    note = do_add_entry(
        team_case,
        category="plan",
        title="Plan",
        withhold_from=["prison-south"],
        acting_user=persona("prob.officer"),
    )
    assert not Entry.objects.visible_to(persona("ps.casemanager")).filter(pk=note.pk).exists()
    assert Entry.objects.visible_to(persona("pn.casemanager")).filter(pk=note.pk).exists()


def test_withdrawn_consent_stops_sharing_immediately(team_case, persona):
    exit_worker, probation = persona("exit.worker"), persona("prob.officer")
    note = do_add_entry(team_case, category="counselling", title="Session 3", acting_user=exit_worker)
    assert not Entry.objects.visible_to(probation).filter(pk=note.pk).exists()
    consent = do_record_consent(
        team_case.person,
        category="counselling",
        recipient=probation.organisation,
        purpose="Preparing the probation plan together",
        valid_until=timezone.localdate() + timedelta(days=60),
        acting_user=exit_worker,
    )
    seen = Entry.objects.visible_to(probation).get(pk=note.pk)
    assert seen.visibility["basis"] == "consent"
    assert seen.visibility["explanation"] == f"consent C-{consent.number} until {consent.valid_until:%Y-%m-%d}"
    assert seen.why == (
        "The person agreed to share it with your organisation: "
        f"consent C-{consent.number}, until {dateformat.format(consent.valid_until, 'j M Y')}"
    )
    do_withdraw_consent(consent, acting_user=exit_worker)
    assert not Entry.objects.visible_to(probation).filter(pk=note.pk).exists()


def test_expired_consent_and_override_do_not_count(team_case, persona):
    exit_worker, probation = persona("exit.worker"), persona("prob.officer")
    note = do_add_entry(team_case, category="counselling", title="Old", acting_user=exit_worker)
    consent = do_record_consent(
        team_case.person,
        category="counselling",
        recipient=probation.organisation,
        purpose="x",
        valid_until=timezone.localdate(),
        acting_user=exit_worker,
    )
    assert Entry.objects.visible_to(probation).filter(pk=note.pk).exists()  # valid through today
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert not Entry.objects.visible_to(probation).filter(pk=note.pk).exists()
    override = do_grant_override(
        team_case,
        category="counselling",
        recipient=probation.organisation,
        legal_basis="legal_obligation",
        justification="Court order to disclose counselling attendance for the hearing.",
        valid_until=_in_a_week(),
        acting_user=persona("cp.coordinator"),
    )
    assert Entry.objects.visible_to(probation).filter(pk=note.pk).exists()
    Override.objects.filter(pk=override.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert not Entry.objects.visible_to(probation).filter(pk=note.pk).exists()


def test_former_member_sees_only_what_it_wrote(team_case, persona):
    police = persona("police.liaison")
    own = do_add_entry(team_case, category="security", title="Police note", acting_user=police)
    other = do_add_entry(team_case, category="plan", title="Plan", acting_user=persona("prob.officer"))
    assert set(Entry.objects.visible_to(police).values_list("pk", flat=True)) >= {own.pk, other.pk}
    do_end_membership(team_case, organisation=police.organisation, acting_user=persona("pn.casemanager"))
    assert set(Entry.objects.visible_to(police).values_list("pk", flat=True)) == {own.pk}
    assert not Case.objects.visible_to(police).filter(pk=team_case.pk).exists()
    assert not engine.can_write(police, team_case, "security")


@pytest.mark.parametrize("username", ["admin", "dpo", "evaluator"])
def test_admin_dpo_and_research_see_no_case_content(team_case, persona, username):
    _write_one_per_category(team_case, persona)
    user = persona(username)
    assert not Entry.objects.visible_to(user).exists()
    assert not Case.objects.visible_to(user).exists()
    assert not Person.objects.visible_to(user).exists()
    assert not search_entries(user, "record").exists()
    assert not engine.writable_categories(user, team_case)


def test_non_member_sees_nothing_of_a_case(team_case, persona):
    _write_one_per_category(team_case, persona)
    outsider = persona("ps.casemanager")  # Prison South is not in the team
    assert not Entry.objects.visible_to(outsider).exists()
    assert not Case.objects.visible_to(outsider).exists()
    assert not Person.objects.visible_to(outsider).exists()
    assert not search_entries(outsider, "record").exists()


def test_mentors_see_identity_only(team_case, persona):
    _write_one_per_category(team_case, persona)
    assert set(Entry.objects.visible_to(persona("mentor.one")).values_list("category", flat=True)) == {"identity"}


def test_search_finds_only_visible_entries(team_case, persona):
    do_add_entry(
        team_case,
        category="counselling",
        title="Talked about the brother",
        acting_user=persona("exit.worker"),
    )
    do_add_entry(team_case, category="plan", title="Brother may host him", acting_user=persona("prob.officer"))
    police_hits = list(search_entries(persona("police.liaison"), "brother").values_list("title", flat=True))
    assert police_hits == ["Brother may host him"]
    exit_hits = set(search_entries(persona("exit.worker"), "brother").values_list("title", flat=True))
    assert exit_hits == {"Talked about the brother", "Brother may host him"}


def test_policy_change_takes_effect_and_is_audited_cell_by_cell(team_case, persona):
    records = _write_one_per_category(team_case, persona)
    municipality = persona("muni.coordinator")
    assert not Entry.objects.visible_to(municipality).filter(pk=records["ideology"].pk).exists()
    version = do_change_policy(
        {("municipality", "ideology"): "read"}, note="Safety House pilot", acting_user=persona("dpo")
    )
    assert version is not None and version.number == 2
    assert Entry.objects.visible_to(municipality).filter(pk=records["ideology"].pk).exists()
    event = AuditEvent.objects.filter(action=AuditAction.POLICY_CHANGE).latest("seq")
    assert event.detail["changes"] == [
        {"org_type": "municipality", "category": "ideology", "old": "none", "new": "read"}
    ]
    assert (
        PolicyRule.objects.filter(version__number=1, org_type="municipality", category="ideology").get().access
        == "none"
    )


def test_only_the_dpo_changes_the_policy(persona):
    from django.core.exceptions import PermissionDenied

    for username in ("admin", "cp.coordinator", "prob.officer"):
        with pytest.raises(PermissionDenied):
            do_change_policy({("police", "children"): "read"}, note="no", acting_user=persona(username))
    assert PolicyVersion.objects.count() == 1


def test_only_coordinators_of_the_lead_or_central_point_grant_overrides(team_case, persona):
    from django.core.exceptions import PermissionDenied

    police = persona("police.liaison").organisation
    kwargs = {
        "category": "counselling",
        "recipient": police,
        "legal_basis": "public_safety",
        "justification": "A written justification long enough to be reviewed.",
        "valid_until": _in_a_week(),
    }
    for username in ("pn.casemanager", "prob.officer", "police.liaison", "muni.coordinator", "dpo", "admin"):
        with pytest.raises(PermissionDenied):
            do_grant_override(team_case, acting_user=persona(username), **kwargs)
    assert not Override.objects.exists()


def test_visible_to_costs_one_query_whatever_the_data(team_case, persona):
    probation = persona("prob.officer")
    for i in range(3):
        do_add_entry(team_case, category="plan", title=f"p{i}", acting_user=probation)
    with CaptureQueriesContext(connection) as few:
        rows = list(Entry.objects.visible_to(probation))
        [r.visibility for r in rows]
    for i in range(30):
        do_add_entry(team_case, category="plan", title=f"q{i}", acting_user=probation)
        do_record_consent(
            team_case.person,
            category="counselling",
            recipient=probation.organisation,
            purpose="x",
            valid_until=timezone.localdate() + timedelta(days=5),
            acting_user=persona("exit.worker"),
        )
    with CaptureQueriesContext(connection) as many:
        rows = list(Entry.objects.visible_to(probation))
        [r.visibility for r in rows]
    assert len(rows) == 33
    assert len(few.captured_queries) == len(many.captured_queries) == 1


# --- property-based: the SQL engine agrees with the reference reading of the rules -----------------

ORG_SLUGS = [*MEMBER_SLUGS, "prison-south", "evaluation-institute"]
VIEWERS = [
    "cp.analyst",
    "pn.casemanager",
    "ps.casemanager",
    "prob.officer",
    "muni.coordinator",
    "police.liaison",
    "exit.worker",
    "family.counsellor",
    "mh.clinician",
    "cw.worker",
    "mentor.one",
    "evaluator",
    "dpo",
    "admin",
]
WITHHOLD_CHOICES = [*OrgType.values, *ORG_SLUGS]
# Few categories, so that generated records, consents and overrides often meet; together they touch
# R4 (ideology to police), R6 (children), R7 (legal, risk), R8 (identity) and R3 (counselling).
PROPERTY_CATEGORIES = ["children", "legal", "risk_assessment", "counselling", "identity", "ideology"]

record_strategy = st.fixed_dictionaries(
    {
        "case": st.integers(0, 2),
        "person_level": st.booleans(),
        "category": st.sampled_from(PROPERTY_CATEGORIES),
        "author": st.sampled_from(ORG_SLUGS[:-1]),
        "withhold": st.lists(st.sampled_from(WITHHOLD_CHOICES), max_size=2, unique=True),
    }
)
world_strategy = st.fixed_dictionaries(
    {
        "members": st.lists(st.sets(st.sampled_from(ORG_SLUGS[:-1]), max_size=7), min_size=3, max_size=3),
        "ended": st.lists(st.tuples(st.integers(0, 2), st.sampled_from(ORG_SLUGS[:-1])), max_size=3),
        "trial": st.lists(st.sampled_from([None, -10, 0, 5]), min_size=3, max_size=3),
        "records": st.lists(record_strategy, min_size=1, max_size=10),
        "consents": st.lists(
            st.tuples(
                st.integers(0, 1),
                st.sampled_from(PROPERTY_CATEGORIES),
                st.sampled_from(ORG_SLUGS),
                st.sampled_from([-3, 0, 10]),
                st.booleans(),
            ),
            max_size=5,
        ),
        "overrides": st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from(PROPERTY_CATEGORIES),
                st.sampled_from(ORG_SLUGS[:-1]),
                st.sampled_from([-1, 2]),
                st.booleans(),
            ),
            max_size=4,
        ),
        "policy": st.lists(
            st.tuples(
                st.sampled_from([t for t in OrgType.values if t != OrgType.RESEARCH]),
                st.sampled_from(PROPERTY_CATEGORIES),
                st.sampled_from(["none", "read", "write"]),
            ),
            max_size=3,
        ),
    }
)


def _build_world(spec, users, orgs) -> None:
    """Store a generated state directly, including states the actions would refuse (e.g. any author).

    The read rule must hold for whatever is in the database, so this bypasses the write checks.
    """
    today = timezone.localdate()
    now = timezone.now()
    author = users["pn.casemanager"]
    persons = [
        Person.objects.create(
            given_name=f"G{i}", family_name="Prop", created_by=author, created_org=author.organisation
        )
        for i in range(2)
    ]
    cases = []
    for i in range(3):
        trial = spec["trial"][i]
        cases.append(
            Case.objects.create(
                number=f"T-{i}",
                person=persons[min(i, 1)],
                # The person's earlier case is closed: one open case per person (reading ignores the phase).
                phase="closed" if i == 1 else "pre_trial",
                lead_organisation=orgs["prison-north"],
                created_by=author,
                trial_concluded_on=None if trial is None else today + timedelta(days=trial),
            )
        )
        for slug in spec["members"][i]:
            CaseMember.objects.create(case=cases[i], organisation=orgs[slug])
    for case_index, slug in spec["ended"]:
        CaseMember.objects.filter(case=cases[case_index], organisation=orgs[slug], until__isnull=True).update(
            until=today
        )
    for r in spec["records"]:
        case = cases[r["case"]]
        Entry.objects.create(
            person=case.person,
            case=None if r["person_level"] else case,
            category=r["category"],
            title="t",
            author=author,
            author_org=orgs[r["author"]],
            withhold_from=encode_withholding(r["withhold"]),
        )
    for n, (person_index, category, slug, days, withdrawn) in enumerate(spec["consents"], start=1):
        Consent.objects.create(
            number=n,
            person=persons[person_index],
            category=category,
            recipient=orgs[slug],
            purpose="p",
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=days),
            recorded_by=author,
            recorded_org=author.organisation,
            withdrawn_at=now if withdrawn else None,
        )
    for n, (case_index, category, slug, days, revoked) in enumerate(spec["overrides"], start=1):
        Override.objects.create(
            number=n,
            case=cases[case_index],
            category=category,
            recipient=orgs[slug],
            legal_basis="public_safety",
            justification="generated",
            valid_from=now - timedelta(days=5),
            valid_until=now + timedelta(days=days),
            granted_by=author,
            granted_org=author.organisation,
            revoked_at=now if revoked else None,
        )
    if spec["policy"]:
        do_change_policy({(t, c): a for t, c, a in spec["policy"]}, note="generated", acting_user=users["dpo"])


def _reference_world() -> ref.World:
    version = PolicyVersion.objects.order_by("-number").first()
    return ref.World(
        cases={c.pk: (c.person_id, c.trial_concluded_on) for c in Case.objects.all()},
        memberships=[ref.Membership(m.case_id, m.organisation_id, m.until is None) for m in CaseMember.objects.all()],
        consents=[
            ref.Consent(
                c.person_id,
                c.category,
                c.recipient_id,
                c.valid_from,
                c.valid_until,
                c.withdrawn_at is not None,
            )
            for c in Consent.objects.all()
        ],
        overrides=[
            ref.Override(o.case_id, o.category, o.recipient_id, o.valid_from, o.valid_until, o.revoked_at is not None)
            for o in Override.objects.all()
        ],
        matrix={(r.org_type, r.category): r.access for r in PolicyRule.objects.filter(version=version)},
        today=timezone.localdate(),
        now=timezone.now(),
    )


def _reference_viewer(user: User) -> ref.Org | None:
    if user.role in (Role.ADMIN, Role.DPO) or user.organisation is None:
        return None
    return ref.Org(user.organisation_id, user.organisation.slug, user.organisation.type)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=world_strategy)
def test_visible_to_agrees_with_the_reference_rules_for_every_user(demo_world, spec):
    users = {u.username: u for u in User.objects.select_related("organisation").filter(username__in=VIEWERS)}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    with transaction.atomic():
        _build_world(spec, users, orgs)
        world = _reference_world()
        records = [
            ref.Record(e.pk, e.person_id, e.case_id, e.category, e.author_org_id, frozenset(e.withheld_from))
            for e in Entry.objects.all()
        ]
        for username in VIEWERS:
            user = users[username]
            viewer = _reference_viewer(user)
            expected = {r.id: ref.reference_basis(world, viewer, r) for r in records}
            expected = {k: v for k, v in expected.items() if v is not None}
            actual = {e.pk: e.visibility["basis"] for e in Entry.objects.visible_to(user)}
            assert actual == expected, username
        transaction.set_rollback(True)


def test_default_policy_in_code_equals_the_migrated_one(db):
    """The post-migrate safety net and migration 0002 load the same default matrix."""
    from continuum.sharing.apps import ensure_default_policy

    migrated = {(r.org_type, r.category): r.access for r in PolicyRule.objects.filter(version__number=1)}
    with transaction.atomic():
        PolicyRule.objects.all().delete()
        PolicyVersion.objects.all().delete()
        ensure_default_policy(sender=None)
        restored = {(r.org_type, r.category): r.access for r in PolicyRule.objects.filter(version__number=1)}
        transaction.set_rollback(True)
    assert restored == migrated
    assert len(migrated) == 11 * 12
