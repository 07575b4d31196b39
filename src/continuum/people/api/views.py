"""Persons (API.md, "Persons and cases")."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from continuum.api.pagination import page_of
from continuum.api.permissions import acting_user
from continuum.people import actions
from continuum.people.api.permissions import CanOpenCasesToWrite
from continuum.people.api.serializers import PersonFoundSerializer, PersonQuerySerializer, PersonSerializer
from continuum.people.models import Person
from continuum.people.search import find_persons
from continuum.sharing.access import access_person

PERSON_ID = OpenApiParameter("person_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class PersonListView(generics.GenericAPIView):
    """``GET ?q=``: find persons (people.search); ``POST``: register one."""

    permission_classes = [CanOpenCasesToWrite]
    serializer_class = PersonFoundSerializer
    queryset = Person.objects.none()  # for the schema; requests read through ``find_persons``

    @extend_schema(
        parameters=[PersonQuerySerializer],
        responses={200: PersonFoundSerializer(many=True), 400: None},
        summary="Find persons by name, date of birth or reference",
    )
    def get(self, request: Request) -> Response:
        query = PersonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = page_of(self, find_persons(request.user, query.validated_data["q"]))
        cases: dict[Any, list[Any]] = {}
        visible = apps.get_model("cases", "Case").objects.visible_to(request.user)
        for case_id, person_id in visible.filter(person__in=[p.pk for p in page]).values_list("pk", "person_id"):
            cases.setdefault(person_id, []).append(case_id)
        for person in page:
            person.case_ids = cases.get(person.pk, [])
        return self.get_paginated_response(PersonFoundSerializer(page, many=True).data)

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
