"""Mentoring (API.md, "Mentoring"): thin views over ``continuum.mentoring.actions``.

A record the caller may not see is a 404 (the same as one that is not there), a write the caller may
not do a 403 (checked before the input is looked at), bad input a 400 with nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from continuum.accounts.models import User
from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.mentoring import actions, policy
from continuum.mentoring.api.serializers import (
    MentorEndSerializer,
    MentoringDetailSerializer,
    MentoringSerializer,
    MentoringSessionSerializer,
    MentorMatchCreateSerializer,
    MentorProfileCreateSerializer,
    MentorProfileSerializer,
    MentorSessionCreateSerializer,
    MentorSuggestionSerializer,
    MentorSupervisionCreateSerializer,
    MentorSupervisionSerializer,
)
from continuum.mentoring.models import Mentoring, MentoringSession, MentorProfile, Supervision
from continuum.sharing.access import access_case, access_visible, parse_id
from continuum.sharing.api.records import RecordView, path_id, require, validated

NOT_FOUND = OpenApiResponse(description="Not found, or not visible to the user (the same answer).")
FORBIDDEN = OpenApiResponse(description="Visible, but the user may not do this.")
BAD_INPUT = OpenApiResponse(description="Bad input; nothing changed.")


def _profiles(user: Any) -> QuerySet[MentorProfile]:
    profiles = MentorProfile.objects.select_related("user__organisation")
    if policy.can_read_all_profiles(user):
        return profiles
    return profiles.filter(user_id=user.pk)


def _profile(user: Any, mentor_id: str) -> MentorProfile:
    pk = parse_id(mentor_id)
    profile = _profiles(user).filter(pk=pk).first() if pk else None
    if profile is None:
        raise Http404
    return profile


def _mentoring(user: Any, mentoring_id: str) -> Mentoring:
    return access_visible(
        Mentoring.objects.visible_to(user).select_related("mentor__user__organisation", "case"),
        user,
        mentoring_id,
        object_type="mentoring",
    )


class MentorListView(RecordView):
    serializer_class, queryset = MentorProfileSerializer, MentorProfile.objects.none()  # for the schema

    @extend_schema(
        summary="Mentor profiles (coordinators and case managers; a mentor: their own)",
        responses=MentorProfileSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        page = page_of(self, _profiles(user).order_by("user__last_name", "user__first_name", "user__username"))
        return self.get_paginated_response(MentorProfileSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a mentor's profile (coordinators of the mentoring organisation or the central point)",
        request=MentorProfileCreateSerializer,
        responses={201: MentorProfileSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        require(policy.can_manage_profiles(user), _("Coordinators of mentoring organisations record mentors."))
        fields = validated(MentorProfileCreateSerializer, request)
        mentor_user = (
            User.objects.select_related("organisation").filter(username=fields.pop("user"), is_active=True).first()
        )
        if mentor_user is None or not policy.can_manage_profile_of(user, mentor_user):
            raise ValidationError({"user": [_("Choose a user of your organisation.")]})
        profile = actions.do_create_profile(user=mentor_user, acting_user=user, **fields)
        return Response(MentorProfileSerializer(profile).data, status=201)


class SupervisionView(RecordView):
    serializer_class, queryset = MentorSupervisionSerializer, Supervision.objects.none()  # for the schema

    @extend_schema(
        summary="Record a supervision of a mentor",
        parameters=[path_id("mentor_id")],
        request=MentorSupervisionCreateSerializer,
        responses={201: MentorSupervisionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, mentor_id: str) -> Response:
        user = acting_user(request)
        profile = _profile(user, mentor_id)
        require(policy.can_manage_profile_of(user, profile.user), _("A coordinator records supervision."))
        fields = validated(MentorSupervisionCreateSerializer, request)
        supervision = actions.do_record_supervision(profile, acting_user=user, **fields)
        return Response(MentorSupervisionSerializer(supervision).data, status=201)


class SuggestionsView(RecordView):
    serializer_class, queryset = MentorSuggestionSerializer, MentorProfile.objects.none()  # for the schema
    pagination_class = None  # a short list, best first (API.md): not paginated

    @extend_schema(
        summary="Mentors who fit the case's person, best first, with reasons (never a match)",
        parameters=[path_id("case_id"), OpenApiParameter("gender", OpenApiTypes.STR, OpenApiParameter.QUERY)],
        responses={200: MentorSuggestionSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, case_id: str) -> Response:
        user = acting_user(request)
        case = access_case(user, case_id)
        require(policy.can_match(user, case), _("Whoever manages the case reads the mentor suggestions."))
        gender = str(request.query_params.get("gender", "") or "")
        found = actions.suggestions(case, gender=gender)
        record(AuditAction.READ, actor=user, object_type="mentor_suggestions", object_id=case.pk, case_id=case.pk)
        data = [
            {
                "mentor": s.mentor.pk,
                "name": s.mentor.user.get_full_name() or s.mentor.user.username,
                "score": s.score,
                "reasons": [str(r) for r in s.reasons],
            }
            for s in found
        ]
        return Response(MentorSuggestionSerializer(data, many=True).data)


class CaseMentoringView(RecordView):
    serializer_class, queryset = MentoringSerializer, Mentoring.objects.none()  # for the schema

    @extend_schema(
        summary="The case's mentorings the user may see",
        parameters=[path_id("case_id")],
        responses={200: MentoringSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, case_id: str) -> Response:
        user = acting_user(request)
        case = access_case(user, case_id)
        matches = (
            Mentoring.objects.visible_to(user)
            .filter(case=case)
            .select_related("mentor__user")
            .order_by("-started_on", "-created_at", "pk")
        )
        page = page_of(self, matches)
        return self.get_paginated_response(MentoringSerializer(page, many=True).data)

    @extend_schema(
        summary="Match a mentor with the case's person (both consents); the mentor's organisation joins the case",
        parameters=[path_id("case_id")],
        request=MentorMatchCreateSerializer,
        responses={201: MentoringSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str) -> Response:
        user = acting_user(request)
        case = access_case(user, case_id)
        require(policy.can_match(user, case), _("Whoever manages the case matches a mentor."))
        fields = validated(MentorMatchCreateSerializer, request)
        mentor = MentorProfile.objects.filter(pk=fields["mentor"]).first()
        if mentor is None:
            raise ValidationError({"mentor": [_("Choose a mentor.")]})
        match = actions.do_match(
            case,
            mentor=mentor,
            mentee_consent_on=fields.get("mentee_consent_on"),
            mentor_consent_on=fields.get("mentor_consent_on"),
            acting_user=user,
        )
        match = Mentoring.objects.select_related("mentor__user").get(pk=match.pk)
        return Response(MentoringSerializer(match).data, status=201)


class MentoringDetailView(RecordView):
    serializer_class, queryset = MentoringDetailSerializer, Mentoring.objects.none()  # for the schema

    @extend_schema(
        summary="A mentoring, with the sessions the user may see",
        parameters=[path_id("mentoring_id")],
        responses={200: MentoringDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, mentoring_id: str) -> Response:
        user = acting_user(request)
        match = _mentoring(user, mentoring_id)
        sessions = MentoringSession.objects.visible_to(user).filter(mentoring=match).order_by("-held_on", "pk")
        return Response(MentoringDetailSerializer(match, context={"sessions": list(sessions)}).data)


class SessionListView(RecordView):
    serializer_class, queryset = MentoringSessionSerializer, MentoringSession.objects.none()  # for the schema

    @extend_schema(
        summary="Record a session (the mentor only)",
        parameters=[path_id("mentoring_id")],
        request=MentorSessionCreateSerializer,
        responses={201: MentoringSessionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, mentoring_id: str) -> Response:
        user = acting_user(request)
        match = _mentoring(user, mentoring_id)
        require(match.mentor.user_id == user.pk, _("Only the mentor records the sessions."))
        fields = validated(MentorSessionCreateSerializer, request)
        session = actions.do_record_mentoring_session(match, acting_user=user, **fields)
        session = MentoringSession.objects.select_related("author").get(pk=session.pk)
        return Response(MentoringSessionSerializer(session).data, status=201)


class EndView(RecordView):
    serializer_class, queryset = MentoringSerializer, Mentoring.objects.none()  # for the schema

    @extend_schema(
        summary="End a mentoring (reason required); the mentoring organisation leaves if it has no other match",
        parameters=[path_id("mentoring_id")],
        request=MentorEndSerializer,
        responses={200: MentoringSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, mentoring_id: str) -> Response:
        user = acting_user(request)
        match = _mentoring(user, mentoring_id)
        require(
            match.case is not None and policy.can_match(user, match.case),
            _("Whoever manages the case ends a mentoring."),
        )
        fields = validated(MentorEndSerializer, request)
        match = actions.do_end_mentoring(match, reason=fields.get("reason", ""), acting_user=user)
        return Response(MentoringSerializer(match).data)
