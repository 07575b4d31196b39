"""Synthetic demo families (issue 15), through the actions. Idempotent; every story is invented.

- Amira Benali (custody, Prison North): her two children, Yasmin and Ilias, separated from her on
  arrival and living with a foster family since; a court's contact order (video twice a month,
  supervised); three visits, one of which did not take place; a best-interest assessment by child
  welfare; attachment-based parenting support with video feedback from the family counsellor.
- Her mother Fatima and her sister Samira: relatives on her case (protective), and clients of a family
  file held by the family counsellor: a clearing, a help plan, sessions with each (one marked never share).
- A family day at Prison North next month, with Amira taking part.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from continuum.accounts.models import User
from continuum.cases.models import Case
from continuum.families import actions
from continuum.families.models import FamilyDay, FamilyFile, Refusal, Relationship
from continuum.plans.actions import do_add_intervention, do_record_session
from continuum.plans.models import Intervention


def _case(given: str, family: str) -> Case | None:
    return Case.objects.filter(person__given_name=given, person__family_name=family).first()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed() -> str:
    amira = _case("Amira", "Benali")
    if amira is None:
        return "nothing (no demo cases)"
    users = {
        u.username: u for u in User.objects.filter(username__in=["cw.worker", "family.counsellor", "pn.casemanager"])
    }
    if len(users) < 3:
        return "nothing (no demo users)"
    done = []
    if not Relationship.objects.filter(case=amira, kind="child").exists():
        _children(amira, users["cw.worker"])
        done.append("Amira's two children, their placement, contact order and visits")
    if not Intervention.objects.filter(case=amira, type="parenting_support").exists():
        _parenting(amira, users["family.counsellor"])
        done.append("parenting support")
    if not FamilyFile.objects.filter(case=amira).exists():
        _family_file(amira, users["family.counsellor"])
        done.append("a family file for her mother and sister")
    daniel = _case("Daniel", "Kovac")
    officer = User.objects.filter(username="prob.officer").first()
    if daniel is not None and officer is not None and not Refusal.objects.filter(case=daniel).exists():
        _refusal(daniel, officer)
        done.append("Daniel's refusal to take part and the work through his circle")
    if not FamilyDay.objects.exists():
        _family_day(amira, users["pn.casemanager"])
        done.append("a family day at Prison North")
    return ", ".join(done) or "nothing new"


def _children(case: Case, worker: User) -> None:
    today = timezone.localdate()
    arrival = today - timedelta(days=420)
    for given, born, gender in (("Yasmin", date(2018, 9, 14), "female"), ("Ilias", date(2020, 5, 3), "male")):
        link = actions.do_add_child(
            case, given_name=given, family_name="Benali", birth_date=born, gender=gender, acting_user=worker
        )
        child = link.relative
        actions.do_record_placement(
            child,
            kind="with_parent",
            starts_on=arrival,
            carer="Maternity unit, Prison North",
            note="With their mother for the first weeks after the return, as the court allowed.",
            acting_user=worker,
        )
        actions.do_record_placement(
            child,
            kind="foster_family",
            starts_on=arrival + timedelta(days=45),
            carer="Foster family in the region (both children together)",
            note="The grandmother lives too far away to care for them daily; she visits the foster family monthly.",
            acting_user=worker,
        )
        actions.do_update_child_profile(
            child,
            version=0,
            changes={
                "guardian": "Child welfare (temporary guardianship)",
                "school": "Primary school near the foster family; settling in, a teaching assistant helps with Dutch."
                if given == "Yasmin"
                else "Day care three days a week.",
                "health": "Vaccinations completed after the return; paediatric check-up every six months.",
                "documents_from_abroad": "Birth certificate issued in the camp; recognition by the registry pending.",
            },
            acting_user=worker,
        )
        actions.do_record_best_interest(
            child,
            assessed_on=today - timedelta(days=60),
            judgement=(
                "Regular, predictable contact with the mother is in the child's interest; visits should stay "
                "short and in a child-friendly setting, with the foster mother present. The child must never be "
                "used to reward or press the mother."
            ),
            next_review_on=today + timedelta(days=120),
            acting_user=worker,
        )
        order = actions.do_record_contact_order(
            child,
            issued_by="Juvenile court, Harbour district",
            issued_on=today - timedelta(days=100),
            form="video",
            per_month=2,
            supervised=True,
            valid_from=today - timedelta(days=95),
            valid_until=today + timedelta(days=270),
            note="Video calls from the prison's family room; physical visits to be considered at the review.",
            acting_user=worker,
        )
        visits = [
            (today - timedelta(days=42), True, "Calm; showed her drawings and asked when mum comes home."),
            (today - timedelta(days=28), False, ""),
            (today - timedelta(days=14), True, "Shy at first, then laughed at the story her mother read."),
        ]
        for day, took_place, outcome in visits:
            actions.do_schedule_visit(
                order,
                scheduled_for=_at(day, 15),
                form="video",
                setting="child_friendly_room",
                accompanied_by="Foster mother",
                took_place=took_place,
                outcome_for_child=outcome
                if took_place
                else "Did not take place: the prison's family room was closed; the child was disappointed.",
                acting_user=worker,
            )
        actions.do_schedule_visit(
            order,
            scheduled_for=_at(today + timedelta(days=7), 15),
            form="video",
            setting="child_friendly_room",
            accompanied_by="Foster mother",
            acting_user=worker,
        )


def _parenting(case: Case, counsellor: User) -> None:
    today = timezone.localdate()
    intervention = do_add_intervention(
        case,
        type="parenting_support",
        provider_organisation=counsellor.organisation,
        practitioner=counsellor,
        voluntary=True,
        starts_on=today - timedelta(days=70),
        frequency="Every two weeks",
        approach="attachment_based",
        acting_user=counsellor,
    )
    do_record_session(
        intervention,
        held_on=today - timedelta(days=40),
        attended=True,
        note=(
            "Watched the recording of the last video call together; she noticed how Ilias looked away when "
            "she raised her voice."
        ),
        video_feedback=True,
        assignment="Begin each call with the same greeting song.",
        acting_user=counsellor,
    )
    do_record_session(
        intervention,
        held_on=today - timedelta(days=12),
        attended=True,
        note="The greeting song works; Yasmin now starts it herself.",
        video_feedback=True,
        assignment="Ask one question about school and wait for the answer.",
        acting_user=counsellor,
    )


def _family_file(case: Case, counsellor: User) -> None:
    today = timezone.localdate()
    relatives = []
    for given, relation, born, note in (
        ("Fatima", "parent", date(1966, 1, 20), "Visits her every month; a steady support."),
        ("Samira", "sibling", date(1997, 7, 9), "Close to Amira; worried, asks how to talk with her."),
    ):
        link = actions.do_record_relationship(
            case,
            kind=relation,
            influence="protective",
            note=note,
            new_relative={"given_name": given, "family_name": "Benali", "birth_date": born, "gender": "female"},
            acting_user=counsellor,
        )
        relatives.append(link.relative)
    mother, sister = relatives
    if counsellor.organisation is None:
        return
    family_file = actions.do_open_family_file(
        title="Benali family",
        counselling_organisation=counsellor.organisation,
        clients=[mother, sister],
        case=case,
        opened_on=today - timedelta(days=90),
        acting_user=counsellor,
    )
    actions.do_record_clearing(
        family_file,
        worries="The mother fears her daughter will be rejected by the community after release; the sister "
        "fears old contacts will look for Amira.",
        warning_signs="None seen in the family; a cousin still shares propaganda online (the sister reports it).",
        urgency="medium",
        cleared_on=today - timedelta(days=80),
        acting_user=counsellor,
    )
    actions.do_record_help_plan(
        family_file,
        aims="Prepare the family for Amira's return; help the mother support contact with the children without "
        "taking their care over; give the sister a way to talk about her worries.",
        next_review_on=today + timedelta(days=60),
        acting_user=counsellor,
    )
    actions.do_record_session(
        family_file,
        client=mother,
        held_on=today - timedelta(days=50),
        note="Talked about the monthly visits to the foster family and how to keep them calm for the children.",
        acting_user=counsellor,
    )
    actions.do_record_session(
        family_file,
        client=sister,
        held_on=today - timedelta(days=30),
        note="She told about an old friend of Amira's who asked for her address; she does not want this shared.",
        never_share=True,
        acting_user=counsellor,
    )


def _refusal(case: Case, officer: User) -> None:
    today = timezone.localdate()
    refusal = actions.do_record_refusal(
        case,
        refused_on=today - timedelta(days=70),
        persons_words="I do my probation, I come to my appointments. I am not going to talk with an exit worker.",
        offer_again_on=today - timedelta(days=40),
        acting_user=officer,
    )
    actions.do_record_re_offer(
        refusal,
        offered_on=today - timedelta(days=38),
        response="refused",
        persons_words="Maybe later, when work is sorted out.",
        next_offer_on=today + timedelta(days=5),
        acting_user=officer,
    )
    for given, family, kind, influence, note in (
        (
            "Marko",
            "Kovac",
            "sibling",
            "protective",
            "Older brother; sees him every week and is willing to talk with the exit worker.",
        ),
        (
            "Luka",
            "Horvat",
            "network_contact",
            "risk",
            "Friend from the old group; still in contact through a gaming chat.",
        ),
    ):
        actions.do_record_relationship(
            case,
            kind=kind,
            influence=influence,
            note=note,
            new_relative={"given_name": given, "family_name": family, "gender": "male"},
            acting_user=officer,
        )


def _family_day(case: Case, casemanager: User) -> None:
    today = timezone.localdate()
    day = actions.do_plan_family_day(
        held_on=today + timedelta(days=30),
        title="Winter family day",
        place="Prison North, visiting hall and garden",
        programme="Games and a shared meal; child welfare and the family counsellor are present.",
        acting_user=casemanager,
    )
    actions.do_add_participant(day, case=case, visitors="Her mother and sister", acting_user=casemanager)


__all__ = ["seed"]
