"""Group programmes (issue 16; API.md is silent, docs/plans.md "Group programmes" describes them).

A programme and its sessions are read by the organisations that run it; its participants and their
attendance only as far as the sharing engine shows each participant's intervention to the user (R12):
a member of one participant's case learns nothing of another, not even how many others there are.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.api.permissions import acting_user
from continuum.plans import actions
from continuum.plans.access import (
    access_group_session,
    access_intervention,
    access_programme,
    attendance_at,
    participants_of,
    programmes_for,
)
from continuum.plans.api.serializers import (
    GroupAttendanceCreateSerializer,
    GroupParticipantAddSerializer,
    GroupParticipantSerializer,
    GroupProgrammeCreateSerializer,
    GroupProgrammeDetailSerializer,
    GroupProgrammeSerializer,
    GroupSessionCreateSerializer,
    GroupSessionDetailSerializer,
)
from continuum.plans.models import GroupProgramme, GroupSession, Intervention
from continuum.plans.policy import runs_programme
from continuum.sharing.api.records import Endpoints, RecordView, validated

NOT_FOUND = OpenApiResponse(description="Not found, or not run by the user's organisation (the same answer).")
FORBIDDEN = OpenApiResponse(description="The user's organisation may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input; nothing changed.")
endpoints = Endpoints(not_found=NOT_FOUND, forbidden=FORBIDDEN, bad_input=BAD_INPUT)


def _programme_data(request: Request, programme: GroupProgramme) -> Any:
    context = {
        "participants": participants_of(request.user, programme),
        "sessions": list(programme.sessions.prefetch_related("facilitators").select_related("recorded_by")),
    }
    return GroupProgrammeDetailSerializer(programme, context=context).data


def _session_data(request: Request, session: GroupSession) -> Any:
    participants = participants_of(request.user, session.programme)
    attendance = attendance_at(session, participants)
    rows = [attendance[p.pk] for p in participants if p.pk in attendance]
    return GroupSessionDetailSerializer(session, context={"attendance": rows}).data


def _participant_now(request: Request, participant: Intervention) -> Any:
    return GroupParticipantSerializer(access_intervention(request.user, participant.pk)).data


def _record_attendance(session: GroupSession, *, attendance: list[dict[str, Any]], acting_user: Any) -> None:
    actions.do_record_attendance(session, attendance=attendance, acting_user=acting_user)


programmes = endpoints.of("programme_id", access_programme, _programme_data, GroupProgrammeDetailSerializer)
sessions = endpoints.of("session_id", access_group_session, _session_data, GroupSessionDetailSerializer)
RUNNERS_ONLY = "Only the organisations that run the programme do this."


class GroupProgrammeListView(RecordView):
    serializer_class = GroupProgrammeSerializer
    queryset = GroupProgramme.objects.none()  # for the schema
    get = endpoints.listing(
        (),
        lambda user: None,
        lambda request, _none: programmes_for(request.user).prefetch_related("facilitator_organisations"),
        GroupProgrammeSerializer,
        log_read=False,  # a programme is no one's information
        summary="The group programmes the user's organisation provides or facilitates, latest first",
    )

    @extend_schema(
        request=GroupProgrammeCreateSerializer,
        responses={201: GroupProgrammeDetailSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary="Start a group programme that the user's organisation provides",
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        fields = validated(GroupProgrammeCreateSerializer, request)
        programme = actions.do_create_programme(acting_user=user, **fields)
        return Response(_programme_data(request, access_programme(user, programme.pk)), status=201)


class GroupProgrammeDetailView(RecordView):
    get = programmes.read("A group programme with its sessions and the participants the user may see")


class GroupProgrammeParticipantListView(RecordView):
    post = endpoints.write(
        "programme_id",
        access_programme,
        actions.do_add_group_participant,
        _participant_now,
        input=GroupParticipantAddSerializer,
        output=GroupParticipantSerializer,
        rule=runs_programme,
        refusal=RUNNERS_ONLY,
        status=201,
        summary="A case's person joins the group (an intervention on that person's own case)",
    )


class GroupProgrammeSessionListView(RecordView):
    post = programmes.write(
        actions.do_record_group_session,
        GroupSessionCreateSerializer,
        answer=sessions,
        rule=runs_programme,
        refusal=RUNNERS_ONLY,
        status=201,
        summary="Record a session of the group (planned or held)",
    )


class GroupSessionDetailView(RecordView):
    get = sessions.read("A group session with the attendance of the participants the user may see")


class GroupSessionAttendanceView(RecordView):
    post = sessions.write(
        _record_attendance,
        GroupAttendanceCreateSerializer,
        rule=lambda user, session: runs_programme(user, session.programme),
        refusal=RUNNERS_ONLY,
        summary="Record who attended a held session, with a note about each participant",
    )
