"""Families and children (API.md, "Families and children"): thin views over ``actions`` and ``access``.

What the user may not see is a 404 (the same as what is not there), what the user sees but may not
change a 403 (checked before the input is looked at), bad input a 400 with nothing changed, a stale
``version`` a 409. Every record answered is read again through ``visible_to``; reads are logged (R11).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.accounts.models import Organisation
from continuum.api.permissions import acting_user
from continuum.cases.models import Case
from continuum.families import actions
from continuum.families.access import (
    ChildView,
    access_child,
    access_contact_order,
    access_family_day,
    access_family_file,
    access_participant,
    access_refusal,
    access_visit,
    child_file,
    children_of,
    family_days_for,
    family_files_for,
    file_client,
    file_parts,
    participants_of,
    refusals_of,
    relationships_of,
    visit_schedule,
    visits_of,
)
from continuum.families.api.serializers import (
    BestInterestCreateSerializer,
    BestInterestSerializer,
    ChildCreateSerializer,
    ChildDetailSerializer,
    ChildProfileSerializer,
    ChildProfileUpdateSerializer,
    ChildSerializer,
    ClearingCreateSerializer,
    ClearingSerializer,
    ClientAddSerializer,
    ContactOrderCreateSerializer,
    ContactOrderDetailSerializer,
    CounsellingSessionCreateSerializer,
    CounsellingSessionSerializer,
    CounsellorAddSerializer,
    FamilyDayCreateSerializer,
    FamilyDayDetailSerializer,
    FamilyDaySerializer,
    FamilyFileCreateSerializer,
    FamilyFileDetailSerializer,
    FamilyFileSerializer,
    HelpPlanSerializer,
    HelpPlanWriteSerializer,
    ParticipantAddSerializer,
    ParticipantSerializer,
    ParticipationSerializer,
    PlacementCreateSerializer,
    PlacementSerializer,
    RefusalCreateSerializer,
    RefusalSerializer,
    RelationshipCreateSerializer,
    RelationshipSerializer,
    RelationshipUpdateSerializer,
    ReOfferCreateSerializer,
    VisitCreateSerializer,
    VisitScheduleQuerySerializer,
    VisitSerializer,
    VisitSlotSerializer,
    VisitUpdateSerializer,
)
from continuum.families.choices import RelationKind
from continuum.families.models import (
    BestInterestAssessment,
    ChildProfile,
    Clearing,
    ContactOrder,
    CounsellingSession,
    FamilyDay,
    FamilyDayParticipant,
    FamilyFile,
    HelpPlan,
    Placement,
    Refusal,
    Relationship,
    ReOffer,
    Visit,
)
from continuum.families.policy import (
    can_add_participant,
    can_hold_file,
    can_open_family_file,
    can_plan_family_day,
    can_record_refusal,
    can_record_relationship,
    can_work_on_file,
    can_write_child,
    can_write_children,
)
from continuum.people.choices import Gender
from continuum.sharing.access import access_case, access_visible, read_records
from continuum.sharing.api.records import (
    Endpoints,
    RecordView,
    fresh,
    path_id,
    require,
    serialized,
    validated,
    visible_records,
)
from continuum.sharing.disclosure import log_reads

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user's organisation may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input; nothing changed.")
endpoints = Endpoints(not_found=NOT_FOUND, forbidden=FORBIDDEN, bad_input=BAD_INPUT)
# Refusals are lazy: they are put in the language of each request, not of the moment of import.
CHILD_WELFARE_ONLY = cast(str, gettext_lazy("Children are recorded by child welfare, a member of the case."))
CHILD_RECORDS_ONLY = cast(
    str, gettext_lazy("Only child welfare, a member of a parent's case, records this about a child.")
)
RELATIONSHIP_WRITERS_ONLY = cast(str, gettext_lazy("Your organisation may not record relationships on this case."))
FILE_TEAM_ONLY = cast(str, gettext_lazy("Only the counsellors of this family, while the file is open, record in it."))
FILE_HOLDER_ONLY = cast(str, gettext_lazy("The organisation holding the file decides who else counsels the family."))
COUNSELLORS_ONLY = cast(str, gettext_lazy("A family file is opened by a counsellor of a counselling organisation."))
PLAN_WRITERS_ONLY = cast(str, gettext_lazy("Whoever writes the plan of this case records refusals and offers."))
PRISONS_ONLY = cast(str, gettext_lazy("Family days are organised by a prison."))
ORGANISER_ONLY = cast(str, gettext_lazy("The organising prison records who takes part."))
# How far back the visit schedule goes unless ``?all=1`` is asked.
SCHEDULE_DAYS_BACK = 30


# --- relationships ------------------------------------------------------------------------------------------


def access_relationship(user: Any, relationship_id: Any) -> Relationship:
    """A relationship the user may see, or 404 (its read logged)."""
    found: Relationship = access_visible(
        Relationship.objects.visible_to(user).select_related("relative", "case"),
        user,
        relationship_id,
        object_type="relationship",
        on_found=lambda r: log_reads(user, [r]),
    )
    return found


def _may_record_relationships(user: Any, case: Case) -> bool:
    """Writes ``family`` or ``children`` on the case; the action then checks the kind asked for."""
    return can_record_relationship(user, case, RelationKind.PARTNER) or can_write_children(user, case)


def _update_relationship(relationship: Relationship, *, version: int, acting_user: Any, **changes: Any) -> Any:
    return actions.do_update_relationship(relationship, version=version, changes=changes, acting_user=acting_user)


relationships = endpoints.of(
    "relationship_id", access_relationship, serialized(RelationshipSerializer), RelationshipSerializer
)


class CaseRelationshipListView(RecordView):
    serializer_class = RelationshipSerializer
    queryset = Relationship.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "case_id",
        access_case,
        lambda request, case: relationships_of(request.user, case),
        RelationshipSerializer,
        log_read=False,  # relationships_of logs them
        summary="The case's current relatives and contacts the user may see (children only for child readers, R6)",
    )
    post = endpoints.write(
        "case_id",
        access_case,
        actions.do_record_relationship,
        fresh(Relationship, RelationshipSerializer, "relative"),
        input=RelationshipCreateSerializer,
        output=RelationshipSerializer,
        status=201,
        rule=_may_record_relationships,
        refusal=RELATIONSHIP_WRITERS_ONLY,
        summary="Record a relative or contact of the case's person: an existing person, or a new one",
    )


class RelationshipDetailView(RecordView):
    get = relationships.read("One relationship")
    patch = relationships.write(
        _update_relationship,
        RelationshipUpdateSerializer,
        stale=True,
        rule=lambda user, r: r.case is not None and can_record_relationship(user, r.case, r.kind),
        refusal=RELATIONSHIP_WRITERS_ONLY,
        summary="Change the influence or the note, or end the relationship (send the version you read)",
    )


# --- children ---------------------------------------------------------------------------------------------------


def _add_or_link_child(case: Case, *, acting_user: Any, child: Any = None, **details: Any) -> Relationship:
    if child is not None:
        return actions.do_link_child(case, child=child, acting_user=acting_user)
    return actions.do_add_child(
        case,
        given_name=details["given_name"],
        family_name=details["family_name"],
        birth_date=details.get("birth_date"),
        gender=details.get("gender") or Gender.UNKNOWN,
        acting_user=acting_user,
    )


class CaseChildListView(RecordView):
    serializer_class = ChildSerializer
    queryset = Relationship.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "case_id",
        access_case,
        lambda request, case: children_of(request.user, case),
        ChildSerializer,
        log_read=False,  # children_of logs them
        summary="The children of the case's person (child welfare, family counselling and mental health, R6)",
    )
    post = endpoints.write(
        "case_id",
        access_case,
        _add_or_link_child,
        fresh(Relationship, ChildSerializer, "relative"),
        input=ChildCreateSerializer,
        output=ChildSerializer,
        status=201,
        rule=can_write_children,
        refusal=CHILD_WELFARE_ONLY,
        summary="Register a child of the case's person, or link a child already known (on the other parent's case)",
    )


def _visits_by_order(user: Any, orders: list[ContactOrder]) -> dict[Any, list[Visit]]:
    """The visits the user may see under each order, in one query (for compliance only: counts)."""
    by_order: dict[Any, list[Visit]] = defaultdict(list)
    for visit in Visit.objects.visible_to(user).filter(contact_order__in=[o.pk for o in orders]):
        by_order[visit.contact_order_id].append(visit)
    return by_order


def _child_data(request: Request, view: ChildView) -> Any:
    found = child_file(request.user, view.child)
    orders = found["contact_orders"]
    visits = _visits_by_order(request.user, orders)
    child = view.child
    data = {
        "id": child.pk,
        "reference": child.reference,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "birth_date": child.birth_date,
        "gender": child.gender,
        "links": view.links,
        **found,
    }
    context = {"compliance": {o.pk: actions.compliance(o, visits[o.pk]) for o in orders}}
    return ChildDetailSerializer(data, context=context).data


def _writes_child(user: Any, view: ChildView) -> bool:
    return can_write_child(user, view.child) is not None


def _record_placement(view: ChildView, *, acting_user: Any, **fields: Any) -> Placement:
    return actions.do_record_placement(view.child, acting_user=acting_user, **fields)


def _update_profile(view: ChildView, *, version: int, acting_user: Any, **changes: Any) -> ChildProfile:
    return actions.do_update_child_profile(view.child, version=version, changes=changes, acting_user=acting_user)


def _record_best_interest(view: ChildView, *, acting_user: Any, **fields: Any) -> BestInterestAssessment:
    return actions.do_record_best_interest(view.child, acting_user=acting_user, **fields)


def _record_contact_order(view: ChildView, *, acting_user: Any, case: Any = None, **fields: Any) -> ContactOrder:
    parent_case = None
    if case is not None:
        parent_case = Case.objects.filter(pk=case).select_related("person").first()
        if parent_case is None:
            raise ValidationError({"case": _("Choose the case of one of the child's parents.")})
    return actions.do_record_contact_order(view.child, parent_case=parent_case, acting_user=acting_user, **fields)


def _order_data(request: Request, order: ContactOrder) -> Any:
    visits = visits_of(request.user, order)
    context = {"compliance": {order.pk: actions.compliance(order, visits)}, "visits": visits}
    return ContactOrderDetailSerializer(order, context=context).data


def _order_now(request: Request, order: ContactOrder) -> Any:
    return _order_data(request, access_contact_order(request.user, order.pk))


children = endpoints.of("child_id", access_child, _child_data, ChildDetailSerializer)


class ChildDetailView(RecordView):
    get = children.read(
        "A child with what the user may see: placement history, details, best-interest assessments and "
        "contact orders, each with its compliance so far"
    )


class ChildPlacementListView(RecordView):
    post = children.write(
        _record_placement,
        PlacementCreateSerializer,
        answer=endpoints.of("child_id", access_child, fresh(Placement, PlacementSerializer), PlacementSerializer),
        status=201,
        rule=_writes_child,
        refusal=CHILD_RECORDS_ONLY,
        summary="Record where the child lives from a day on (the placement before it ends that day)",
    )


class ChildProfileView(RecordView):
    patch = children.write(
        _update_profile,
        ChildProfileUpdateSerializer,
        answer=endpoints.of(
            "child_id", access_child, fresh(ChildProfile, ChildProfileSerializer), ChildProfileSerializer
        ),
        stale=True,
        rule=_writes_child,
        refusal=CHILD_RECORDS_ONLY,
        summary="The child's guardian, school, health and documents from abroad (version 0 creates them)",
    )


class ChildBestInterestView(RecordView):
    post = children.write(
        _record_best_interest,
        BestInterestCreateSerializer,
        answer=endpoints.of(
            "child_id", access_child, fresh(BestInterestAssessment, BestInterestSerializer), BestInterestSerializer
        ),
        status=201,
        rule=_writes_child,
        refusal=CHILD_RECORDS_ONLY,
        summary="Record child welfare's judgement of the child's best interest, in words (never a score)",
    )


class ChildContactOrderListView(RecordView):
    post = children.write(
        _record_contact_order,
        ContactOrderCreateSerializer,
        answer=endpoints.of("child_id", access_child, _order_now, ContactOrderDetailSerializer),
        status=201,
        rule=_writes_child,
        refusal=CHILD_RECORDS_ONLY,
        summary="Record a contact order between the child and one parent (name the parent's case if there are two)",
    )


def _writes_order(user: Any, order: ContactOrder) -> bool:
    return can_write_child(user, order.person, [order.parent_case]) is not None


def _schedule_visit(order: ContactOrder, *, acting_user: Any, **fields: Any) -> Visit:
    return actions.do_schedule_visit(order, acting_user=acting_user, **fields)


def _visit_now(request: Request, visit: Visit) -> Any:
    return VisitSerializer(access_visit(request.user, visit.pk)).data


def _writes_visit(user: Any, visit: Visit) -> bool:
    return can_write_child(user, None, [visit.contact_order.parent_case]) is not None


def _update_visit(visit: Visit, *, version: int, acting_user: Any, **changes: Any) -> Visit:
    return actions.do_update_visit(visit, version=version, changes=changes, acting_user=acting_user)


orders = endpoints.of("order_id", access_contact_order, _order_data, ContactOrderDetailSerializer)
visits = endpoints.of("visit_id", access_visit, _visit_now, VisitSerializer)


class ContactOrderDetailView(RecordView):
    get = orders.read("A contact order with its visits and compliance so far (due pro rata, held, missed)")


class ContactOrderVisitListView(RecordView):
    serializer_class = VisitSerializer
    queryset = Visit.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "order_id",
        access_contact_order,
        lambda request, order: visits_of(request.user, order),
        VisitSerializer,
        log_read=False,  # visits_of logs them
        summary="The visits under a contact order, newest first",
    )
    post = orders.write(
        _schedule_visit,
        VisitCreateSerializer,
        answer=visits,
        status=201,
        rule=_writes_order,
        refusal=CHILD_RECORDS_ONLY,
        summary="Schedule (or record) a visit under the order; the prison sees only when and how",
    )


class VisitDetailView(RecordView):
    get = visits.read("One visit")
    patch = visits.write(
        _update_visit,
        VisitUpdateSerializer,
        stale=True,
        rule=_writes_visit,
        refusal=CHILD_RECORDS_ONLY,
        summary="Record what happened, or move the visit (send the version you read)",
    )


class CaseVisitScheduleView(APIView):
    """A plain list (API.md), not a page: the slots from 30 days ago on, or all with ``?all=1``."""

    @extend_schema(
        parameters=[
            path_id("case_id"),
            OpenApiParameter(
                "all",
                OpenApiTypes.BOOL,
                description=f"Every slot, not only those from {SCHEDULE_DAYS_BACK} days ago on.",
            ),
        ],
        responses={200: VisitSlotSerializer(many=True), 400: BAD_INPUT, 404: NOT_FOUND},
        summary="When and how the case's family visits happen (for the prison): nothing about the child",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = access_case(request.user, case_id)
        asked = VisitScheduleQuerySerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        since = None if asked.validated_data["all"] else timezone.now() - timedelta(days=SCHEDULE_DAYS_BACK)
        slots = visit_schedule(request.user, case, since=since)
        return Response(VisitSlotSerializer(slots, many=True).data)


# --- family files ----------------------------------------------------------------------------------------------


def _file_data(request: Request, family_file: FamilyFile) -> Any:
    parts = file_parts(request.user, family_file)
    return FamilyFileDetailSerializer(family_file, context={"parts": parts}).data


def _file_now(request: Request, record: Any) -> Any:
    file_id = record.pk if isinstance(record, FamilyFile) else record.family_file_id
    return _file_data(request, access_family_file(request.user, file_id))


def _record_clearing(family_file: FamilyFile, *, acting_user: Any, **fields: Any) -> Clearing:
    return actions.do_record_clearing(family_file, acting_user=acting_user, **fields)


def _record_help_plan(family_file: FamilyFile, *, acting_user: Any, **fields: Any) -> HelpPlan:
    return actions.do_record_help_plan(family_file, acting_user=acting_user, **fields)


def _record_session(family_file: FamilyFile, *, client: Any, acting_user: Any, **fields: Any) -> CounsellingSession:
    person = file_client(family_file, client)
    if person is None:
        raise ValidationError({"client": _("Choose a client of this family file.")})
    return actions.do_record_session(family_file, client=person, acting_user=acting_user, **fields)


def _add_client(family_file: FamilyFile, *, acting_user: Any, **fields: Any) -> None:
    actions.do_add_client(family_file, acting_user=acting_user, **fields)


def _add_counsellor(family_file: FamilyFile, *, organisation: Organisation, acting_user: Any) -> None:
    actions.do_add_counsellor(family_file, organisation=organisation, acting_user=acting_user)


files = endpoints.of("file_id", access_family_file, _file_now, FamilyFileDetailSerializer)


class FamilyFileListView(RecordView):
    serializer_class = FamilyFileSerializer
    queryset = FamilyFile.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        (),
        lambda user: None,
        lambda request, _none: family_files_for(request.user),
        FamilyFileSerializer,
        summary="The family files the user's organisation counsels, open ones first",
    )

    @extend_schema(
        request=FamilyFileCreateSerializer,
        responses={201: FamilyFileDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="Open a family file: relatives as clients, with or without the offender",
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        require(can_open_family_file(user), COUNSELLORS_ONLY)
        fields = validated(FamilyFileCreateSerializer, request)
        family_file = actions.do_open_family_file(acting_user=user, **fields)
        return Response(_file_now(request, family_file), status=201)


class FamilyFileDetailView(RecordView):
    get = endpoints.of("file_id", access_family_file, _file_data, FamilyFileDetailSerializer).read(
        "A family file with its clients, team, clearings, help plan and the sessions the user may see"
    )


class FamilyFileClearingView(RecordView):
    post = files.write(
        _record_clearing,
        ClearingCreateSerializer,
        answer=endpoints.of("file_id", access_family_file, fresh(Clearing, ClearingSerializer), ClearingSerializer),
        status=201,
        rule=can_work_on_file,
        refusal=FILE_TEAM_ONLY,
        summary="Record the clearing: the family's worries, the warning signs seen, the urgency",
    )


class FamilyFileHelpPlanView(RecordView):
    put = files.write(
        _record_help_plan,
        HelpPlanWriteSerializer,
        answer=endpoints.of("file_id", access_family_file, fresh(HelpPlan, HelpPlanSerializer), HelpPlanSerializer),
        stale=True,
        rule=can_work_on_file,
        refusal=FILE_TEAM_ONLY,
        summary="Write the file's help plan, or change it (send the version you read)",
    )


class FamilyFileSessionListView(RecordView):
    serializer_class = CounsellingSessionSerializer
    queryset = CounsellingSession.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "file_id",
        access_family_file,
        visible_records(CounsellingSession, parent="family_file", order=("-held_on", "-created_at", "pk")),
        CounsellingSessionSerializer,
        summary="The sessions the user may see: its own, others' only with the client's consent, never 'never share'",
    )
    post = files.write(
        _record_session,
        CounsellingSessionCreateSerializer,
        answer=endpoints.of(
            "file_id",
            access_family_file,
            fresh(CounsellingSession, CounsellingSessionSerializer),
            CounsellingSessionSerializer,
        ),
        status=201,
        rule=can_work_on_file,
        refusal=FILE_TEAM_ONLY,
        summary="Record a session with one client of the file",
    )


class FamilyFileClientListView(RecordView):
    post = files.write(
        _add_client,
        ClientAddSerializer,
        status=201,
        rule=can_work_on_file,
        refusal=FILE_TEAM_ONLY,
        summary="Add a client to the file: a person already known, or a new one",
    )


class FamilyFileCounsellorListView(RecordView):
    post = files.write(
        _add_counsellor,
        CounsellorAddSerializer,
        status=201,
        rule=can_hold_file,
        refusal=FILE_HOLDER_ONLY,
        summary="Another counselling organisation joins the file's team (sessions only with the client's consent)",
    )


class FamilyFileCounsellorView(RecordView):
    @extend_schema(
        parameters=[path_id("file_id"), OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="An organisation stops counselling the family: it leaves the file's team",
    )
    def delete(self, request: Request, file_id: str, slug: str) -> Response:
        user = acting_user(request)
        family_file = access_family_file(user, file_id)
        require(can_hold_file(user, family_file), FILE_HOLDER_ONLY)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404
        actions.do_end_counsellor(family_file, organisation=organisation, acting_user=user)
        return Response(status=204)


# --- refusals and re-offers ---------------------------------------------------------------------------------


def _refusal_data(request: Request, refusal: Refusal) -> Any:
    offers = list(
        ReOffer.objects.visible_to(request.user).filter(refusal=refusal).order_by("offered_on", "created_at", "pk")
    )
    read_records(request.user, offers)
    setattr(refusal, "re_offers", offers)  # noqa: B010  (what RefusalSerializer reads, as access.refusals_of sets it)
    return RefusalSerializer(refusal).data


def _refusal_now(request: Request, record: Any) -> Any:
    refusal_id = record.pk if isinstance(record, Refusal) else record.refusal_id
    return _refusal_data(request, access_refusal(request.user, refusal_id))


def _may_record_refusal(user: Any, refusal: Refusal) -> bool:
    return refusal.case is not None and can_record_refusal(user, refusal.case)


class CaseRefusalListView(RecordView):
    serializer_class = RefusalSerializer
    queryset = Refusal.objects.none()  # for the schema; requests read through ``visible_to``
    get = endpoints.listing(
        "case_id",
        access_case,
        lambda request, case: refusals_of(request.user, case),
        RefusalSerializer,
        log_read=False,  # refusals_of logs them
        summary="The person's refusals to take part, newest first, each with the offers made again",
    )
    post = endpoints.write(
        "case_id",
        access_case,
        actions.do_record_refusal,
        _refusal_now,
        input=RefusalCreateSerializer,
        output=RefusalSerializer,
        status=201,
        rule=can_record_refusal,
        refusal=PLAN_WRITERS_ONLY,
        summary="Record that the person refuses to take part, in their words, and when to offer again",
    )


refusals = endpoints.of("refusal_id", access_refusal, _refusal_now, RefusalSerializer)


class RefusalDetailView(RecordView):
    get = refusals.read("A refusal with the offers made again")


class RefusalReOfferListView(RecordView):
    post = refusals.write(
        actions.do_record_re_offer,
        ReOfferCreateSerializer,
        status=201,
        rule=_may_record_refusal,
        refusal=PLAN_WRITERS_ONLY,
        summary="Offer taking part again and record the answer (accepted ends the refusal); answers the refusal",
    )


# --- family days --------------------------------------------------------------------------------------------


def _day_data(request: Request, day: FamilyDay) -> Any:
    return FamilyDayDetailSerializer(day, context={"participants": participants_of(request.user, day)}).data


def _participant_now(request: Request, participant: FamilyDayParticipant) -> Any:
    return ParticipantSerializer(access_participant(request.user, participant.pk)).data


def _record_participation(participant: FamilyDayParticipant, *, attended: bool, acting_user: Any) -> None:
    actions.do_record_participation(participant, attended=attended, acting_user=acting_user)


def _organises(user: Any, participant: FamilyDayParticipant) -> bool:
    return participant.case is not None and can_add_participant(user, participant.family_day, participant.case)


days = endpoints.of("day_id", access_family_day, _day_data, FamilyDayDetailSerializer)
participants = endpoints.of("participant_id", access_participant, _participant_now, ParticipantSerializer)


class FamilyDayListView(RecordView):
    serializer_class = FamilyDaySerializer
    queryset = FamilyDay.objects.none()  # for the schema
    get = endpoints.listing(
        (),
        lambda user: None,
        lambda request, _none: family_days_for(request.user),
        FamilyDaySerializer,
        log_read=False,  # an event, no one's information
        summary="The family days the user's prison organises, latest first",
    )

    @extend_schema(
        request=FamilyDayCreateSerializer,
        responses={201: FamilyDayDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="Plan a family day in the prison",
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        require(can_plan_family_day(user), PRISONS_ONLY)
        fields = validated(FamilyDayCreateSerializer, request)
        day = actions.do_plan_family_day(acting_user=user, **fields)
        return Response(_day_data(request, access_family_day(user, day.pk)), status=201)


class FamilyDayDetailView(RecordView):
    get = days.read("A family day with the participants the user may see")


class FamilyDayParticipantListView(RecordView):
    post = days.write(
        actions.do_add_participant,
        ParticipantAddSerializer,
        answer=participants,
        status=201,
        rule=lambda user, day: can_plan_family_day(user),
        refusal=ORGANISER_ONLY,
        summary="A person of one of the prison's cases takes part, with the visitors expected",
    )


class FamilyDayParticipantView(RecordView):
    get = participants.read("One participation in a family day")
    patch = participants.write(
        _record_participation,
        ParticipationSerializer,
        rule=_organises,
        refusal=ORGANISER_ONLY,
        summary="Record whether the person took part (once the day has come)",
    )
