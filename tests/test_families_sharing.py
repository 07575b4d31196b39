"""Families and children against the sharing rules (issue 15): R5, R6, R7, the family file's own team,
consent per client, "never share", no join of a child's records into the parent's, and one query.

The world is built here with the actions (no mocks, no fixtures of rows): Amal's custody case with
every demo organisation type in its team, Amal's child Lina with all the records child welfare keeps
about her, a second parent's case followed by another child-welfare office, an unrelated case, and a
family file of Amal's mother and sister held by the family counselling service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from continuum.accounts import actions as account_actions
from continuum.accounts.choices import OrgType, Role
from continuum.accounts.models import Organisation, User
from continuum.cases.access import search_entries
from continuum.cases.actions import do_add_entry, do_add_member, do_open_case, do_update_case
from continuum.cases.models import Case
from continuum.cases.timeline import person_timeline
from continuum.conferences.actions import do_schedule_conference
from continuum.conferences.pack import build_pack
from continuum.families import access
from continuum.families.actions import (
    do_add_child,
    do_add_counsellor,
    do_add_participant,
    do_end_counsellor,
    do_link_child,
    do_open_family_file,
    do_plan_family_day,
    do_record_best_interest,
    do_record_clearing,
    do_record_contact_order,
    do_record_help_plan,
    do_record_placement,
    do_record_re_offer,
    do_record_refusal,
    do_record_relationship,
    do_record_session,
    do_schedule_visit,
    do_update_child_profile,
    do_update_relationship,
)
from continuum.families.models import (
    BestInterestAssessment,
    ChildProfile,
    Clearing,
    ContactOrder,
    CounsellingSession,
    FamilyClient,
    FamilyDayParticipant,
    FamilyFile,
    HelpPlan,
    Placement,
    Refusal,
    Relationship,
    ReOffer,
    Visit,
    VisitSlot,
)
from continuum.people.actions import do_create_person
from continuum.people.models import Person
from continuum.sharing import engine
from continuum.sharing.access import access_disclosure_report
from continuum.sharing.actions import (
    do_change_policy,
    do_grant_override,
    do_record_consent,
    do_withdraw_consent,
)

pytestmark = pytest.mark.django_db

# The records about the child (``person`` is the child), which belong to the parents' cases.
CHILD_MODELS = (Placement, ChildProfile, BestInterestAssessment, ContactOrder, Visit)
CHILD_RECORD_TYPES = {m.record_type for m in CHILD_MODELS}
# R6's readers among the demo personas, and the members of Amal's case who are not.
CHILDREN_READERS = ("cw.worker", "family.counsellor", "mh.clinician")
NOT_CHILDREN_READERS = (
    "pn.casemanager",
    "prob.officer",
    "police.liaison",
    "muni.coordinator",
    "exit.worker",
    "cp.coordinator",
)
CASE_A_MEMBERS = (
    "central-point",
    "probation",
    "municipality-harbour",
    "police",
    "exit-ngo",
    "family-counselling",
    "mental-health",
    "child-welfare",
)
DEMO_PERSONAS = (
    "cw.worker",
    "family.counsellor",
    "pn.casemanager",
    "police.liaison",
    "exit.worker",
    "mh.clinician",
    "prob.officer",
    "cp.coordinator",
    "muni.coordinator",
    "mentor.one",
    "ps.casemanager",
)
JUSTIFICATION = "Imminent risk reported at the visit; the police must know where the child lives."


@dataclass
class World:
    lead: User
    cw: User
    cw_east: User
    family_east: User
    case_a: Case
    case_b: Case
    case_c: Case
    child_link: Relationship
    child: Person
    placement: Placement
    profile: ChildProfile
    best_interest: BestInterestAssessment
    order: ContactOrder
    visit: Visit
    slot: VisitSlot

    @property
    def child_records(self) -> dict[type[Any], Any]:
        """Each kind of record about the child R6 names, the child relationship included."""
        return {
            Relationship: self.child_link,
            Placement: self.placement,
            ChildProfile: self.profile,
            BestInterestAssessment: self.best_interest,
            ContactOrder: self.order,
            Visit: self.visit,
        }


def _user(username: str) -> User:
    return User.objects.select_related("organisation").get(username=username)


def _org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def _other(slug: str, org_type: str, username: str) -> User:
    organisation = account_actions.do_create_organisation(
        slug=slug, name=slug.replace("-", " ").title(), type=org_type, acting_user=None
    )
    account_actions.do_create_user(
        username=username, organisation=organisation, role=Role.PRACTITIONER, acting_user=None
    )
    return _user(username)


def _case(lead: User, given_name: str, members: tuple[str, ...]) -> Case:
    person = do_create_person(
        given_name=given_name, family_name="Haddou", birth_date=date(1988, 4, 2), acting_user=lead
    )
    assert lead.organisation is not None
    case = do_open_case(person=person, lead_organisation=lead.organisation, phase="custody", acting_user=lead)
    for slug in members:
        do_add_member(case, organisation=_org(slug), acting_user=lead)
    return case


def _in_a_week():
    return timezone.now() + timedelta(days=7)


def _override(case: Case, category: str, recipient: str):
    return do_grant_override(
        case,
        category=category,
        recipient=_org(recipient),
        legal_basis="public_safety",
        justification=JUSTIFICATION,
        valid_until=_in_a_week(),
        acting_user=_user("cp.coordinator"),
    )


@pytest.fixture
def w(persona) -> World:
    lead = persona("pn.casemanager")
    cw = persona("cw.worker")
    cw_east = _other("child-welfare-east", OrgType.CHILD_WELFARE, "cw.east")
    family_east = _other("family-counselling-east", OrgType.NGO_FAMILY, "family.east")
    case_a = _case(lead, "Amal", CASE_A_MEMBERS)
    # The other parent, followed by another child-welfare office only (and the police, central point).
    case_b = _case(lead, "Bilal", ("central-point", "police", "child-welfare-east"))
    # A case that has nothing to do with the child.
    case_c = _case(lead, "Chadi", ("central-point", "police", "child-welfare"))
    today = timezone.localdate()
    link = do_add_child(case_a, given_name="Lina", family_name="Haddou", birth_date=date(2017, 6, 1), acting_user=cw)
    child = link.relative
    placement = do_record_placement(
        child, kind="extended_family", starts_on=today - timedelta(days=40), carer="Grandmother",
        note="Zebrafinch street, settled well", acting_user=cw,
    )  # fmt: skip
    profile = do_update_child_profile(
        child, version=0, changes={"school": "Harbour primary", "guardian": "Grandmother"}, acting_user=cw
    )
    best_interest = do_record_best_interest(
        child, assessed_on=today - timedelta(days=5), judgement="Contact with her father helps her.", acting_user=cw
    )
    order = do_record_contact_order(
        child, issued_by="Family court Harbour", issued_on=today - timedelta(days=60), form="in_person",
        per_month=2, supervised=True, valid_from=today - timedelta(days=60), acting_user=cw,
    )  # fmt: skip
    visit = do_schedule_visit(
        order, scheduled_for=timezone.now() + timedelta(days=3), form="in_person", setting="child_friendly_room",
        accompanied_by="Grandmother", acting_user=cw,
    )  # fmt: skip
    return World(
        lead=lead,
        cw=cw,
        cw_east=cw_east,
        family_east=family_east,
        case_a=case_a,
        case_b=case_b,
        case_c=case_c,
        child_link=link,
        child=child,
        placement=placement,
        profile=profile,
        best_interest=best_interest,
        order=order,
        visit=visit,
        slot=VisitSlot.objects.get(visit=visit),
    )


def _visible(user: User, records: dict[type[Any], Any]) -> dict[str, str | None]:
    """For each record: the basis on which ``user`` sees it, or None."""
    seen: dict[str, str | None] = {}
    for model, record in records.items():
        row = model.objects.visible_to(user).filter(pk=record.pk).first()
        seen[model.__name__] = row._vis_basis if row is not None else None
    return seen


def _none(records: dict[type[Any], Any]) -> dict[str, None]:
    return {model.__name__: None for model in records}


def _all(records: dict[type[Any], Any], basis: str) -> dict[str, str]:
    return {model.__name__: basis for model in records}


# --- R6: children's records ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", CHILDREN_READERS)
def test_r6_child_welfare_family_counselling_and_mental_health_members_of_the_parents_case_see_the_child(
    w, persona, username
):
    user = persona(username)
    basis = "author" if username == "cw.worker" else "matrix"
    assert _visible(user, w.child_records) == _all(w.child_records, basis)
    assert access.access_child(user, w.child.pk).child == w.child
    assert access.child_file(user, w.child)["placements"] == [w.placement]


@pytest.mark.parametrize("username", NOT_CHILDREN_READERS)
def test_r6_other_members_of_the_parents_case_see_nothing_of_the_child(w, persona, username):
    user = persona(username)
    assert engine.is_current_member(user.organisation_id, w.case_a.pk)  # R1 holds: the denial is R6's
    assert _visible(user, w.child_records) == _none(w.child_records)
    assert access.children_of(user, w.case_a) == []
    with pytest.raises(Http404):
        access.access_child(user, w.child.pk)
    assert access.child_file(user, w.child) == {
        "placements": [],
        "profile": None,
        "best_interest": [],
        "contact_orders": [],
    }


def test_r6_holds_even_when_the_matrix_gives_the_prison_and_the_police_children(w, persona):
    """R6 is a rule above the matrix: a policy granting ``children`` to other types changes nothing."""
    do_change_policy(
        {("prison", "children"): "read", ("police", "children"): "read", ("ngo_exit", "children"): "write"},
        note="A mistaken change",
        acting_user=persona("dpo"),
    )
    for username in ("pn.casemanager", "police.liaison", "exit.worker"):
        assert _visible(persona(username), w.child_records) == _none(w.child_records), username


def test_r6_a_child_welfare_office_on_no_parents_case_sees_nothing_of_the_child(w):
    assert not engine.is_current_member(w.cw_east.organisation_id, w.case_a.pk)
    assert _visible(w.cw_east, w.child_records) == _none(w.child_records)
    with pytest.raises(Http404):
        access.access_child(w.cw_east, w.child.pk)


def test_r6_when_the_child_relationship_ends_the_cases_members_no_longer_see_the_childs_records(w, persona):
    family, mh = persona("family.counsellor"), persona("mh.clinician")
    about_child = {m: r for m, r in w.child_records.items() if m is not Relationship}
    assert _visible(family, about_child) == _all(about_child, "matrix")
    do_update_relationship(
        w.child_link, version=w.child_link.version, changes={"ended_on": timezone.localdate()}, acting_user=w.cw
    )
    assert _visible(family, about_child) == _none(about_child)
    assert _visible(mh, about_child) == _none(about_child)
    for user in (family, mh, w.cw):
        with pytest.raises(Http404):
            access.access_child(user, w.child.pk)
        assert access.children_of(user, w.case_a) == []
    # Child welfare wrote them: R0 keeps them visible to their author, and to it alone.
    assert _visible(w.cw, about_child) == _all(about_child, "author")


def test_r6_a_child_linked_to_both_parents_cases_is_seen_by_the_child_welfare_of_either(w, persona):
    about_child = {m: r for m, r in w.child_records.items() if m is not Relationship}
    assert _visible(w.cw_east, about_child) == _none(about_child)
    # The office that cannot see the child cannot link it to its case either (it would open the file).
    with pytest.raises(ValidationError):
        do_link_child(w.case_b, child=w.child, acting_user=w.cw_east)
    assert _visible(w.cw_east, about_child) == _none(about_child)
    # Child welfare of the first parent's case joins the second and links the child there.
    do_add_member(w.case_b, organisation=_org("child-welfare"), acting_user=w.lead)
    second = do_link_child(w.case_b, child=w.child, acting_user=w.cw)
    assert _visible(w.cw_east, about_child) == _all(about_child, "matrix")
    assert _visible(w.cw, about_child) == _all(about_child, "author")
    assert {c.pk for c in access.access_child(w.cw_east, w.child.pk).cases} == {w.case_b.pk}
    # The first parent's link ends: the second parent's child welfare still sees the child; the
    # family counselling service, a member of the first parent's case only, no longer does.
    do_update_relationship(
        w.child_link, version=w.child_link.version, changes={"ended_on": timezone.localdate()}, acting_user=w.cw
    )
    assert _visible(w.cw_east, about_child) == _all(about_child, "matrix")
    assert _visible(persona("family.counsellor"), about_child) == _none(about_child)
    assert Relationship.objects.visible_to(w.cw_east).filter(pk=second.pk).exists()


# --- R5: a legal override names a parent's case -----------------------------------------------------------


def test_r5_police_read_the_childs_records_only_with_an_override_on_a_parents_case_for_children(w, persona):
    police = persona("police.liaison")
    assert _visible(police, w.child_records) == _none(w.child_records)
    # An override on an unrelated case (the police are a member of it) does not reach the child.
    _override(w.case_c, "children", "police")
    assert _visible(police, w.child_records) == _none(w.child_records)
    # Nor does an override on the parent's case for another category.
    _override(w.case_a, "family", "police")
    assert _visible(police, w.child_records) == _none(w.child_records)
    override = _override(w.case_a, "children", "police")
    assert _visible(police, w.child_records) == _all(w.child_records, "override")
    placement = Placement.objects.visible_to(police).get(pk=w.placement.pk)
    assert f"override O-{override.number} by cp.coordinator" in placement.visibility["explanation"]


# --- R7 --------------------------------------------------------------------------------------------------------


def test_r7_child_welfare_sees_the_parents_legal_and_risk_records_only_after_the_trial(w):
    legal = do_add_entry(w.case_a, category="legal", title="Sentence", acting_user=w.lead)
    risk = do_add_entry(w.case_a, category="risk_assessment", title="Risk review", acting_user=w.lead)
    records = {type(legal): legal}
    assert not type(legal).objects.visible_to(w.cw).filter(pk__in=[legal.pk, risk.pk]).exists()
    assert _visible(w.cw, w.child_records) == _all(w.child_records, "author")
    case = Case.objects.get(pk=w.case_a.pk)
    do_update_case(case, version=case.version, trial_concluded_on=timezone.localdate(), acting_user=w.lead)
    seen = set(type(legal).objects.visible_to(w.cw).filter(pk__in=[legal.pk, risk.pk]).values_list("pk", flat=True))
    assert seen == {legal.pk, risk.pk}
    assert _visible(w.cw, records) == {"Entry": "matrix"}


# --- visit slots ---------------------------------------------------------------------------------------------------


def test_visit_slot_the_prison_sees_when_and_how_the_police_do_not_and_it_names_no_child(w, persona):
    prison, police = persona("pn.casemanager"), persona("police.liaison")
    slots = access.visit_schedule(prison, w.case_a)
    assert [s.pk for s in slots] == [w.slot.pk]
    slot = slots[0]
    assert slot.visibility["basis"] == "matrix"
    assert (slot.scheduled_for, slot.form, slot.setting) == (w.visit.scheduled_for, "in_person", "child_friendly_room")
    assert slot.person_id == w.case_a.person_id and slot.category == "family"
    assert not Visit.objects.visible_to(prison).filter(pk=w.visit.pk).exists()
    assert access.visit_schedule(police, w.case_a) == []
    assert not VisitSlot.objects.visible_to(police).exists()
    # The slot's own columns: when, how, where, and the case record's; none names the child.
    assert {f.name for f in VisitSlot._meta.concrete_fields} == {
        "id",
        "person",
        "case",
        "category",
        "author",
        "author_org",
        "withhold_from",
        "statement",
        "source",
        "reliability",
        "created_at",
        "visit",
        "scheduled_for",
        "form",
        "setting",
    }
    person_fields = [f.name for f in VisitSlot._meta.concrete_fields if f.related_model is Person]
    assert person_fields == ["person"]
    assert "Lina" not in str(slot) and "Grandmother" not in str(slot)


# --- family files ----------------------------------------------------------------------------------------------------


@dataclass
class File:
    file: FamilyFile
    mother: Person
    sister: Person
    clearing: Clearing
    help_plan: HelpPlan
    session_mother: CounsellingSession
    session_mother_never: CounsellingSession
    session_sister: CounsellingSession

    @property
    def file_records(self) -> dict[type[Any], Any]:
        return {FamilyFile: self.file, Clearing: self.clearing, HelpPlan: self.help_plan}

    @property
    def sessions(self) -> dict[str, CounsellingSession]:
        return {
            "mother": self.session_mother,
            "mother_never": self.session_mother_never,
            "sister": self.session_sister,
        }


@pytest.fixture
def ff(w, persona) -> File:
    counsellor = persona("family.counsellor")
    family_file = do_open_family_file(
        opened_on=timezone.localdate() - timedelta(days=365),
        title="Haddou family",
        counselling_organisation=counsellor.organisation,
        new_clients=[
            {"given_name": "Mona", "family_name": "Haddou", "relation": "mother"},
            {"given_name": "Sara", "family_name": "Haddou", "relation": "sister"},
        ],
        case=w.case_a,
        acting_user=counsellor,
    )
    clients = {c.relation: c.person for c in FamilyClient.objects.filter(family_file=family_file)}
    mother, sister = clients["mother"], clients["sister"]
    yesterday = timezone.localdate() - timedelta(days=1)

    def session(client: Person, note: str, never_share: bool = False) -> CounsellingSession:
        return do_record_session(
            family_file, client=client, held_on=yesterday, note=note, never_share=never_share, acting_user=counsellor
        )

    return File(
        file=family_file,
        mother=mother,
        sister=sister,
        clearing=do_record_clearing(
            family_file, worries="Her son's contacts", urgency="medium", acting_user=counsellor
        ),
        help_plan=do_record_help_plan(family_file, aims="Keep talking with him", acting_user=counsellor),
        session_mother=session(mother, "Mona on the visits"),
        session_mother_never=session(mother, "Mona on her own fears", never_share=True),
        session_sister=session(sister, "Sara on school"),
    )


def _sessions_seen(user: User, f: File) -> dict[str, str | None]:
    rows = {s.pk: s._vis_basis for s in CounsellingSession.objects.visible_to(user).filter(family_file=f.file)}
    return {name: rows.get(s.pk) for name, s in f.sessions.items()}


def _consent(person: Person, recipient: Organisation, by: User):
    return do_record_consent(
        person,
        category="counselling",
        recipient=recipient,
        purpose="Both services counsel the family",
        valid_until=timezone.localdate() + timedelta(days=90),
        acting_user=by,
    )


def test_family_file_only_the_files_team_sees_the_file_clearing_help_plan_and_sessions(w, ff, persona):
    counsellor = persona("family.counsellor")
    assert _visible(counsellor, ff.file_records) == _all(ff.file_records, "author")
    assert _sessions_seen(counsellor, ff) == {"mother": "author", "mother_never": "author", "sister": "author"}
    for username in DEMO_PERSONAS:
        if username == "family.counsellor":
            continue
        user = persona(username)
        assert _visible(user, ff.file_records) == _none(ff.file_records), username
        assert not CounsellingSession.objects.visible_to(user).exists(), username
        assert not access.family_files_for(user).exists(), username
        with pytest.raises(Http404):
            access.access_family_file(user, ff.file.pk)


def test_family_file_the_exit_ngo_on_the_offenders_case_writing_counselling_sees_none_of_it(w, ff, persona):
    exit_worker = persona("exit.worker")
    assert engine.is_current_member(exit_worker.organisation_id, w.case_a.pk)
    assert engine.can_write(exit_worker, w.case_a, "counselling")
    assert _visible(exit_worker, ff.file_records) == _none(ff.file_records)
    assert _sessions_seen(exit_worker, ff) == {"mother": None, "mother_never": None, "sister": None}


def test_family_file_a_second_counsellor_sees_the_file_and_sessions_only_by_the_clients_consent(w, ff, persona):
    counsellor, east = persona("family.counsellor"), w.family_east
    assert _visible(east, ff.file_records) == _none(ff.file_records)
    do_add_counsellor(ff.file, organisation=east.organisation, acting_user=counsellor)
    assert _visible(east, ff.file_records) == _all(ff.file_records, "matrix")
    parts = access.file_parts(east, ff.file)
    assert parts["clearings"] == [ff.clearing] and parts["help_plan"] == ff.help_plan
    # The matrix gives no one a session: without the client's consent the second counsellor sees none.
    assert parts["sessions"] == []
    consent = _consent(ff.mother, east.organisation, counsellor)
    seen = _sessions_seen(east, ff)
    # With the mother's consent: her session (basis consent), never the one marked "never share",
    # and nothing of her daughter's sessions.
    assert seen == {"mother": "consent", "mother_never": None, "sister": None}
    session = CounsellingSession.objects.visible_to(east).get(pk=ff.session_mother.pk)
    assert session.visibility["explanation"].startswith(f"consent C-{consent.number} until ")
    do_withdraw_consent(consent, acting_user=counsellor)
    assert _sessions_seen(east, ff) == {"mother": None, "mother_never": None, "sister": None}


def test_family_file_consent_of_one_client_does_not_reveal_another_clients_sessions(w, ff, persona):
    counsellor, east = persona("family.counsellor"), w.family_east
    do_add_counsellor(ff.file, organisation=east.organisation, acting_user=counsellor)
    _consent(ff.sister, east.organisation, counsellor)
    assert _sessions_seen(east, ff) == {"mother": None, "mother_never": None, "sister": "consent"}


def test_family_file_police_override_on_the_linked_case_shows_sessions_r5_beats_r4_never_share(w, ff, persona):
    police = persona("police.liaison")
    assert _sessions_seen(police, ff) == {"mother": None, "mother_never": None, "sister": None}
    # An override for another category, or on another case, does not.
    _override(w.case_a, "children", "police")
    _override(w.case_c, "counselling", "police")
    assert _sessions_seen(police, ff) == {"mother": None, "mother_never": None, "sister": None}
    _override(w.case_a, "counselling", "police")
    # R5 beats everything above it, the author's "never share" (R4 per item) included.
    assert _sessions_seen(police, ff) == {"mother": "override", "mother_never": "override", "sister": "override"}


# --- persons a family file's counsellors work with ------------------------------------------------------------------


def test_persons_worked_with_the_family_counsellor_records_consent_for_a_client_without_a_case(w, ff, persona):
    counsellor = persona("family.counsellor")
    assert not Case.objects.filter(person=ff.mother).exists()
    consent = _consent(ff.mother, w.family_east.organisation, counsellor)
    assert consent.person_id == ff.mother.pk and consent.recorded_org_id == counsellor.organisation_id


@pytest.mark.parametrize("username", ["exit.worker", "police.liaison", "cw.worker", "family.east"])
def test_persons_worked_with_an_organisation_not_on_the_file_cannot_record_a_clients_consent(w, ff, persona, username):
    with pytest.raises(PermissionDenied):
        _consent(ff.mother, _org("family-counselling"), persona(username))


def test_persons_worked_with_the_relative_is_visible_to_the_files_current_counsellors_only(w, ff, persona):
    counsellor, east = persona("family.counsellor"), w.family_east

    def seers() -> set[str]:
        users = [persona(u) for u in DEMO_PERSONAS] + [east, w.cw_east]
        return {u.username for u in users if Person.objects.visible_to(u).filter(pk=ff.sister.pk).exists()}

    assert seers() == {"family.counsellor"}
    do_add_counsellor(ff.file, organisation=east.organisation, acting_user=counsellor)
    assert seers() == {"family.counsellor", "family.east"}
    do_end_counsellor(ff.file, organisation=east.organisation, acting_user=counsellor)
    assert seers() == {"family.counsellor"}


# --- no join: the parent's timeline, meeting pack, disclosure report and search -------------------------------------


def _about_child(records: list[Any], child: Person) -> list[Any]:
    return [r for r in records if r.person_id == child.pk or r.record_type in CHILD_RECORD_TYPES]


@pytest.mark.parametrize("username", [*CHILDREN_READERS, "pn.casemanager", "prob.officer"])
def test_no_join_the_parents_timeline_holds_no_record_about_the_child(w, persona, username):
    user = persona(username)
    events = person_timeline(user, w.case_a.person)
    records = [e.record for e in events if e.record is not None]
    assert records  # the parent's history is there (the visit's slot, the child link, ...)
    assert _about_child(records, w.child) == []
    if username not in CHILDREN_READERS:
        assert [r for r in records if r.category == "children"] == []


@pytest.mark.parametrize("username", ["cw.worker", "family.counsellor", "mh.clinician"])
def test_no_join_the_cases_meeting_pack_holds_no_record_about_the_child(w, persona, username):
    conference = do_schedule_conference(
        kind="case_conference",
        title="Case conference",
        scheduled_at=timezone.now() + timedelta(days=1),
        chair_organisation="prison-north",
        participants=["child-welfare", "family-counselling", "mental-health"],
        cases=[w.case_a],
        acting_user=w.lead,
    )
    user = persona(username)
    pack = build_pack(user, conference)
    assert [item.case.pk for item in pack.cases] == [w.case_a.pk]
    records = [e.record for item in pack.cases for e in item.records if e.record is not None]
    assert records  # the slot of the visit, at least, is a recent record of the case
    assert _about_child(records, w.child) == []


def test_no_join_the_parents_disclosure_report_holds_no_record_about_the_child(w, persona):
    family = persona("family.counsellor")
    access.child_file(family, w.child)  # reads (disclosures) of the child's records
    access.visit_schedule(persona("pn.casemanager"), w.case_a)  # a disclosure of the parent's slot
    dpo = persona("dpo")
    child_ids = {r.pk for m, r in w.child_records.items() if m is not Relationship}
    _person, report = access_disclosure_report(dpo, w.case_a.person_id)
    parents = list(report)
    assert parents  # the slot read by the prison is there
    assert [d for d in parents if d.record_type in CHILD_RECORD_TYPES or d.record_id in child_ids] == []
    # They are in the child's own report.
    _person, childs = access_disclosure_report(dpo, w.child.pk)
    assert {d.record_id for d in childs} >= {w.placement.pk, w.profile.pk, w.best_interest.pk, w.order.pk}


def test_no_join_search_finds_no_record_about_the_child_for_anyone(w, persona):
    found = do_add_entry(w.case_a, category="plan", title="Kestrel plan", acting_user=w.lead)
    assert list(search_entries(w.lead, "Kestrel")) == [found]
    users = [persona(u) for u in DEMO_PERSONAS] + [w.cw_east, w.family_east]
    for user in users:
        for words in ("Zebrafinch", "Lina", "Harbour primary", "Contact with her father", "Grandmother"):
            assert list(search_entries(user, words)) == [], (user.username, words)


# --- engine: one query per model ------------------------------------------------------------------------------------


FAMILY_MODELS = (
    Relationship,
    Placement,
    ChildProfile,
    BestInterestAssessment,
    ContactOrder,
    Visit,
    VisitSlot,
    FamilyFile,
    Clearing,
    HelpPlan,
    CounsellingSession,
    FamilyDayParticipant,
    Refusal,
    ReOffer,
)


@pytest.fixture
def busy(w, ff, persona):
    """Every families model with rows, and consents and overrides that the queries must weigh."""
    prison = persona("pn.casemanager")
    day = do_plan_family_day(held_on=timezone.localdate(), title="Summer family day", acting_user=prison)
    do_add_participant(day, case=w.case_a, visitors="mother, daughter", acting_user=prison)
    refusal = do_record_refusal(
        w.case_a, refused_on=timezone.localdate() - timedelta(days=3), persons_words="Not now",
        offer_again_on=timezone.localdate() + timedelta(days=30), acting_user=prison,
    )  # fmt: skip
    do_record_re_offer(
        refusal, offered_on=timezone.localdate(), response="refused", next_offer_on=timezone.localdate()
        + timedelta(days=30), acting_user=prison,
    )  # fmt: skip
    do_record_relationship(w.case_a, kind="partner", new_relative={"given_name": "Yara", "family_name": "B"},
                           acting_user=persona("prob.officer"))  # fmt: skip
    do_add_member(w.case_b, organisation=_org("child-welfare"), acting_user=w.lead)
    do_link_child(w.case_b, child=w.child, acting_user=w.cw)
    do_add_counsellor(ff.file, organisation=w.family_east.organisation, acting_user=persona("family.counsellor"))
    _consent(ff.mother, w.family_east.organisation, persona("family.counsellor"))
    _override(w.case_a, "children", "police")
    _override(w.case_a, "counselling", "police")


@pytest.mark.parametrize("model", FAMILY_MODELS, ids=lambda m: m.__name__)
def test_engine_visible_to_costs_one_query_for_each_families_model(busy, persona, model, django_assert_num_queries):
    users = [persona(u) for u in ("cw.worker", "family.counsellor", "pn.casemanager", "police.liaison")]
    users += [_user("cw.east"), _user("family.east")]
    seen = 0
    for user in users:
        with django_assert_num_queries(1):
            rows = list(model.objects.visible_to(user))
        seen += len(rows)
    assert model.objects.exists() and seen > 0
