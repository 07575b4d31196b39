"""Persons (API.md, "Persons and cases")."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.permissions import acting_user
from continuum.people import actions
from continuum.people.api.permissions import CanOpenCases
from continuum.people.api.serializers import PersonSerializer
from continuum.sharing.access import access_person

PERSON_ID = OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class PersonCreateView(APIView):
    permission_classes = [CanOpenCases]

    @extend_schema(
        request=PersonSerializer,
        responses={201: PersonSerializer, 400: None, 403: None},
        summary="Register a person",
    )
    def post(self, request: Request) -> Response:
        data = PersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = actions.do_create_person(acting_user=acting_user(request), **data.validated_data)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailView(APIView):
    @extend_schema(parameters=[PERSON_ID], responses={200: PersonSerializer, 404: None}, summary="A person")
    def get(self, request: Request, person_id: str) -> Response:
        return Response(PersonSerializer(access_person(request.user, person_id)).data)
