"""Staff training (API.md, "Training"): thin views over ``continuum.training.actions``.

A user or course the caller may not see is a 404 (the same as one that is not there), a write the
caller may not do a 403 (checked before the input is looked at), bad input a 400 with nothing
changed. A user's training is personal data about staff: each read is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.accounts.models import Organisation, User
from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.sharing.access import access_case
from continuum.sharing.api.records import RecordView, path_id, require, validated
from continuum.training import actions
from continuum.training.api.serializers import (
    CompletionCreateSerializer,
    CompletionSerializer,
    CourseAttendanceCreateSerializer,
    CourseAttendanceSerializer,
    CourseCreateSerializer,
    CourseSerializer,
    CourseSessionCreateSerializer,
    CourseSessionSerializer,
    OrganisationGapsSerializer,
    RequirementCreateSerializer,
    RequirementSerializer,
    TrainingGapSerializer,
    TrainingRecordSerializer,
)
from continuum.training.models import Completion, Course, CourseSession, Requirement
from continuum.training.policy import (
    can_manage_catalogue,
    can_read_gaps,
    can_read_organisation_gaps,
    can_read_training,
    can_record_completion,
    is_coordinator,
)

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input; nothing changed.")


def _catalogue_rule(user: Any) -> None:

    require(can_manage_catalogue(user), _("Coordinators manage the training catalogue."))


def _course(code: str) -> Course:
    course = Course.objects.filter(code=code).first()
    if course is None:
        raise Http404
    return course


class CourseListView(RecordView):
    serializer_class, queryset = CourseSerializer, Course.objects.none()  # for the schema

    @extend_schema(
        summary="The training catalogue (not personal data: every signed-in user reads it)",
        responses=CourseSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = page_of(self, Course.objects.order_by("name", "code"))
        return self.get_paginated_response(CourseSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a course to the catalogue (coordinators)",
        request=CourseCreateSerializer,
        responses={201: CourseSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        _catalogue_rule(user)
        fields = validated(CourseCreateSerializer, request)
        course = actions.do_create_course(acting_user=user, **fields)
        return Response(CourseSerializer(course).data, status=201)


class CourseCompletionListView(RecordView):
    serializer_class, queryset = CompletionSerializer, Completion.objects.none()  # for the schema

    @extend_schema(
        summary="Record that a user completed the course; answers when it expires",
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=CompletionCreateSerializer,
        responses={201: CompletionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, code: str) -> Response:

        user = acting_user(request)
        course = _course(code)
        require(is_coordinator(user), _("A coordinator of the user's organisation records their training."))
        fields = validated(CompletionCreateSerializer, request)
        trainee = User.objects.select_related("organisation").filter(username=fields["user"], is_active=True).first()
        if trainee is None or not can_read_training(user, trainee):
            # Unknown, or of an organisation the coordinator does not manage: the same answer.
            raise ValidationError({"user": [_("Choose a user of your organisation.")]})
        completion = actions.do_record_completion(
            course, user=trainee, completed_on=fields["completed_on"], acting_user=user
        )
        return Response(CompletionSerializer(completion).data, status=201)


class UserTrainingView(RecordView):
    serializer_class, queryset = TrainingRecordSerializer, Completion.objects.none()  # for the schema

    @extend_schema(
        summary="A user's training: every completion, with its expiry (the user, their coordinators)",
        parameters=[OpenApiParameter("username", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: TrainingRecordSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, username: str) -> Response:
        user = acting_user(request)
        trainee = User.objects.select_related("organisation").filter(username=username).first()
        if trainee is None or not can_read_training(user, trainee):
            raise Http404
        today = timezone.localdate()
        completions = Completion.objects.filter(user=trainee).select_related("course").order_by("-completed_on", "pk")
        page = page_of(self, completions)
        record(AuditAction.READ, actor=user, object_type="training", object_id=trainee.pk)
        data = [
            {
                "course": c.course.code,
                "course_name": c.course.name,
                "completed_on": c.completed_on,
                "valid_until": c.valid_until,
                "expired": actions.is_expired(c, today),
            }
            for c in page
        ]
        return self.get_paginated_response(TrainingRecordSerializer(data, many=True).data)


class RequirementListView(RecordView):
    serializer_class, queryset = RequirementSerializer, Requirement.objects.none()  # for the schema

    @extend_schema(
        summary="Who needs which course (every signed-in user reads it)", responses=RequirementSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        page = page_of(self, Requirement.objects.select_related("course").order_by("created_at", "pk"))
        return self.get_paginated_response(RequirementSerializer(page, many=True).data)

    @extend_schema(
        summary="Say who needs a course: by role, organisation type, instrument and the case's person's gender",
        request=RequirementCreateSerializer,
        responses={201: RequirementSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:

        user = acting_user(request)
        _catalogue_rule(user)
        fields = validated(RequirementCreateSerializer, request)
        course = Course.objects.filter(code=fields.pop("course")).first()
        if course is None:
            raise ValidationError({"course": [_("No course has this code.")]})
        requirement = actions.do_create_requirement(course=course, acting_user=user, **fields)
        return Response(RequirementSerializer(requirement).data, status=201)


class CaseTrainingGapsView(RecordView):
    serializer_class, queryset = TrainingGapSerializer, Requirement.objects.none()  # for the schema

    @extend_schema(
        summary="The case team's training gaps: responsible practitioners and assessors of open assessments",
        parameters=[path_id("case_id")],
        responses={200: TrainingGapSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, case_id: str) -> Response:

        user = acting_user(request)
        case = access_case(user, case_id)
        require(can_read_gaps(user, case), _("Only the members of the case read its team's training."))
        gaps = actions.training_gaps(case)
        record(AuditAction.READ, actor=user, object_type="training_gaps", object_id=case.pk, case_id=case.pk)
        data = [{"user": g.user.username, "course": g.course.code, "reason": g.reason} for g in gaps]
        page = page_of(self, data)
        return self.get_paginated_response(TrainingGapSerializer(page, many=True).data)


def session_data(session: CourseSession, viewer: Any) -> dict[str, Any]:
    """A session as the viewer may read it (``trainers`` and ``attendances`` prefetched)."""
    return {
        "id": session.pk,
        "course": session.course.code,
        "held_on": session.held_on,
        "place": session.place,
        "trainers": sorted(t.username for t in session.trainers.all()),
        "attendance": [
            {"user": a.user.username, "attended": a.attended}
            for a in session.attendances.all()
            if can_read_training(viewer, a.user)
        ],
    }


def sessions_of(course: Course) -> Any:
    """The course's sessions, newest first, in three queries whatever their number."""
    return (
        CourseSession.objects.filter(course=course)
        .select_related("course")
        .prefetch_related("trainers", "attendances__user__organisation")
        .order_by("-held_on", "pk")
    )


def _trainers(usernames: list[str]) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)}
    missing = [name for name in usernames if name not in found]
    if missing:
        raise ValidationError({"trainers": [_("No active user has the username %(name)s.") % {"name": missing[0]}]})
    return [found[name] for name in dict.fromkeys(usernames)]


class CourseSessionListView(RecordView):
    serializer_class, queryset = CourseSessionSerializer, CourseSession.objects.none()  # for the schema

    @extend_schema(
        summary="The course's sessions, with the attendance the caller may read",
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: CourseSessionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        user = acting_user(request)
        course = _course(code)
        page = page_of(self, sessions_of(course))
        return self.get_paginated_response(
            CourseSessionSerializer([session_data(s, user) for s in page], many=True).data
        )

    @extend_schema(
        summary="Record a session of the course, with its trainers (coordinators)",
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=CourseSessionCreateSerializer,
        responses={201: CourseSessionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, code: str) -> Response:
        user = acting_user(request)
        course = _course(code)
        require(is_coordinator(user), _("Coordinators record the sessions of courses."))
        fields = validated(CourseSessionCreateSerializer, request)
        session = actions.do_create_session(
            course,
            held_on=fields["held_on"],
            trainers=_trainers(fields["trainers"]),
            place=fields.get("place", ""),
            acting_user=user,
        )
        fresh_session = sessions_of(course).get(pk=session.pk)
        return Response(CourseSessionSerializer(session_data(fresh_session, user)).data, status=201)


def _session(session_id: str) -> CourseSession:
    try:
        key = uuid.UUID(session_id)
    except ValueError:
        raise Http404 from None
    session = CourseSession.objects.select_related("course").filter(pk=key).first()
    if session is None:
        raise Http404
    return session


class SessionAttendanceView(RecordView):
    serializer_class, queryset = CourseAttendanceSerializer, CourseSession.objects.none()  # for the schema

    @extend_schema(
        summary="Record whether a user attended the session; attending completes the course",
        parameters=[path_id("session_id")],
        request=CourseAttendanceCreateSerializer,
        responses={201: CourseAttendanceSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, session_id: str) -> Response:
        user = acting_user(request)
        session = _session(session_id)
        require(is_coordinator(user), _("A coordinator of the user's organisation records their training."))
        fields = validated(CourseAttendanceCreateSerializer, request)
        trainee = User.objects.select_related("organisation").filter(username=fields["user"], is_active=True).first()
        if trainee is None or not can_record_completion(user, trainee):
            raise ValidationError({"user": [_("Choose a user of your organisation.")]})
        attendance = actions.do_record_attendance(session, user=trainee, attended=fields["attended"], acting_user=user)
        completion = Completion.objects.filter(session=session, user=trainee).values_list("pk", flat=True).first()
        data = {
            "session": session.pk,
            "user": trainee.username,
            "attended": attendance.attended,
            "completion": completion,
        }
        return Response(CourseAttendanceSerializer(data).data, status=201)


def gaps_data(gaps: list[Any]) -> list[dict[str, Any]]:
    return [
        {"course": g.course.code, "course_name": g.course.name, "reason": g.reason, "expired_on": g.expired_on}
        for g in gaps
    ]


class OrganisationTrainingGapsView(RecordView):
    serializer_class, queryset = OrganisationGapsSerializer, Requirement.objects.none()  # for the schema

    @extend_schema(
        summary="Each user of the organisation with the required courses they miss or let expire (coordinators)",
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: OrganisationGapsSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        user = acting_user(request)
        organisation = Organisation.objects.filter(slug=slug).first()
        # Another organisation's staff is not the caller's to read: the same answer as no organisation.
        if organisation is None or not can_read_organisation_gaps(user, organisation):
            raise Http404
        rows = actions.organisation_gaps(organisation)
        record(AuditAction.READ, actor=user, object_type="training_gaps", object_id=organisation.pk)
        page = page_of(self, rows)
        data = [{"user": u.username, "role": u.role, "gaps": gaps_data(gaps)} for u, gaps in page]
        return self.get_paginated_response(OrganisationGapsSerializer(data, many=True).data)
