"""Parenting support as an intervention with its own details (issue 15): the approach (attachment-based
with video feedback, such as the Dutch NIKA method; a parenting course), and per session whether video
feedback on how the child reacted to the parent was discussed and the assignment until the next one.
Only for parenting support: on any other type each is a 400 with nothing written. API and pages.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from continuum.plans import actions
from continuum.plans.models import Intervention, InterventionSession
from tests.api_world import NOT_FOUND
from tests.plans_world import org, today, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(api_as):
    def make(username: str):
        client = api_as(username)
        client.default_format = "json"
        return client

    return make


def client_as(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def _parenting(**overrides):
    return {
        "type": "parenting_support",
        "provider_organisation": "family-counselling",
        "practitioner": "family.counsellor",
        "voluntary": True,
        "starts_on": str(today() - timedelta(days=30)),
        "frequency": "every two weeks",
        "approach": "attachment_based",
        **overrides,
    }


def _add(case, *, type="parenting_support", approach="attachment_based", by="family.counsellor") -> Intervention:
    return actions.do_add_intervention(
        case,
        type=type,
        provider_organisation=org("family-counselling"),
        practitioner=user("family.counsellor"),
        starts_on=today() - timedelta(days=30),
        approach=approach,
        acting_user=user(by),
    )


# --- the API ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("family.counsellor", 201),
        ("cw.worker", 201),
        ("prob.officer", 201),
        ("police.liaison", 403),  # a member, but police do not write family information
        ("mh.clinician", 403),
        ("ps.casemanager", 404),  # not a member
        ("dpo", 404),
    ],
)
def test_who_may_record_parenting_support(world, api_as, username, status):
    response = api_as(username).post(f"/api/v1/cases/{world.case.pk}/interventions/", _parenting())
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert body["type"] == "parenting_support" and body["category"] == "family"
        assert body["approach"] == "attachment_based"
    else:
        assert not Intervention.objects.exists()


def test_sessions_round_trip_video_feedback_and_the_assignment(world, api_as):
    client = api_as("family.counsellor")
    created = client.post(f"/api/v1/cases/{world.case.pk}/interventions/", _parenting()).json()
    url = f"/api/v1/interventions/{created['id']}/"
    response = client.post(
        url + "sessions/",
        {
            "held_on": str(today() - timedelta(days=7)),
            "attended": True,
            "note": "Watched the play session together.",
            "video_feedback": True,
            "assignment": "Name out loud what Noor seems to feel when she turns away.",
        },
    )
    assert response.status_code == 201, response.json()
    plain = client.post(url + "sessions/", {"held_on": str(today()), "attended": False})
    assert plain.status_code == 201
    body = client.get(url).json()
    assert body["approach"] == "attachment_based"
    latest, first = body["sessions"]
    assert (latest["video_feedback"], latest["assignment"]) == (False, "")
    assert first["video_feedback"] is True
    assert first["assignment"] == "Name out loud what Noor seems to feel when she turns away."
    assert first["note"] == "Watched the play session together."
    # Child welfare writes family information too: it may record the sessions.
    assert api_as("cw.worker").post(url + "sessions/", {"held_on": str(today()), "attended": True}).status_code == 201
    # Police neither read nor write family information: the intervention is not there for them.
    police = api_as("police.liaison")
    assert police.get(url).json() == NOT_FOUND
    assert police.post(url + "sessions/", {"held_on": str(today()), "attended": True}).status_code == 404
    assert InterventionSession.objects.count() == 3


def test_an_approach_is_optional_and_blank_by_default(world, api_as):
    response = api_as("family.counsellor").post(
        f"/api/v1/cases/{world.case.pk}/interventions/", _parenting(approach="")
    )
    assert response.status_code == 201 and response.json()["approach"] == ""
    without = {k: v for k, v in _parenting().items() if k != "approach"}
    response = api_as("family.counsellor").post(f"/api/v1/cases/{world.case.pk}/interventions/", without)
    assert response.status_code == 201 and response.json()["approach"] == ""


def test_an_approach_on_another_type_or_an_unknown_one_is_400(world, api_as):
    client = api_as("family.counsellor")
    wrong_type = client.post(f"/api/v1/cases/{world.case.pk}/interventions/", _parenting(type="family_counselling"))
    assert wrong_type.status_code == 400 and "approach" in wrong_type.json()
    unknown = client.post(f"/api/v1/cases/{world.case.pk}/interventions/", _parenting(approach="tough_love"))
    assert unknown.status_code == 400 and "approach" in unknown.json()
    assert not Intervention.objects.exists()
    # Without an approach, family counselling is recorded as before.
    ok = client.post(
        f"/api/v1/cases/{world.case.pk}/interventions/", _parenting(type="family_counselling", approach="")
    )
    assert ok.status_code == 201 and ok.json()["approach"] == ""


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"video_feedback": True}, "video_feedback"), ({"assignment": "Read a story every night."}, "assignment")],
)
def test_video_feedback_and_assignments_on_other_types_are_400(world, api_as, extra, field):
    client = api_as("family.counsellor")
    created = client.post(
        f"/api/v1/cases/{world.case.pk}/interventions/", _parenting(type="family_counselling", approach="")
    ).json()
    url = f"/api/v1/interventions/{created['id']}/sessions/"
    response = client.post(url, {"held_on": str(today()), "attended": True, **extra})
    assert response.status_code == 400 and field in response.json()
    assert not InterventionSession.objects.exists()
    # Sent as their defaults they are fine: nothing to record.
    fine = client.post(url, {"held_on": str(today()), "attended": True, "video_feedback": False, "assignment": ""})
    assert fine.status_code == 201


def test_the_actions_refuse_parenting_details_on_other_types(world):
    with pytest.raises(ValidationError) as refused:
        _add(world.case, type="family_counselling")
    assert "approach" in refused.value.message_dict
    counselling = _add(world.case, type="family_counselling", approach="")
    with pytest.raises(ValidationError) as refused:
        actions.do_record_session(
            counselling,
            held_on=today(),
            attended=True,
            video_feedback=True,
            assignment="Try it",
            acting_user=user("family.counsellor"),
        )
    assert set(refused.value.message_dict) == {"video_feedback", "assignment"}


def test_the_schema_names_the_approach_enum(api_as):
    schema = api_as("prob.officer").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "ParentingApproachEnum" in schema["components"]["schemas"]
    session_in = schema["components"]["schemas"]["SessionCreateRequest"]["properties"]
    assert {"video_feedback", "assignment"} <= set(session_in)


# --- the pages -------------------------------------------------------------------------------------------------------


def test_the_session_form_and_list_of_parenting_support_show_video_feedback_and_the_assignment(world):
    intervention = _add(world.case)
    client = client_as("family.counsellor")
    page = client.get(f"/plans/interventions/{intervention.pk}/").content.decode()
    assert "Attachment-based (e.g. video feedback)" in page
    assert 'name="video_feedback"' in page and 'name="assignment"' in page
    response = client.post(
        f"/plans/interventions/{intervention.pk}/sessions/",
        {
            "held_on": str(today()),
            "attended": "true",
            "video_feedback": "on",
            "assignment": "Wait for Noor to look up before speaking.",
        },
    )
    assert response.status_code == 302
    session = InterventionSession.objects.get()
    assert session.video_feedback is True and session.assignment == "Wait for Noor to look up before speaking."
    page = client.get(f"/plans/interventions/{intervention.pk}/").content.decode()
    assert "Video feedback" in page and "Discussed" in page
    assert "Wait for Noor to look up before speaking." in page
    case_page = client.get(f"/cases/{world.case.pk}/parts/plan/").content.decode()
    assert "Parenting support" in case_page and "Attachment-based (e.g. video feedback)" in case_page


def test_other_interventions_pages_do_not_offer_the_parenting_fields(world):
    intervention = _add(world.case, type="family_counselling", approach="")
    client = client_as("family.counsellor")
    page = client.get(f"/plans/interventions/{intervention.pk}/").content.decode()
    assert 'name="video_feedback"' not in page and 'name="assignment"' not in page
    assert "Video feedback" not in page
    # A post that sends them anyway records the session without them.
    response = client.post(
        f"/plans/interventions/{intervention.pk}/sessions/",
        {"held_on": str(today()), "attended": "true", "video_feedback": "on", "assignment": "Sneaked in"},
    )
    assert response.status_code == 302
    session = InterventionSession.objects.get()
    assert session.video_feedback is False and session.assignment == ""


def test_adding_parenting_support_with_its_approach_on_the_page(world):
    client = client_as("cw.worker")
    new = f"/plans/cases/{world.case.pk}/interventions/new/"
    assert 'name="approach"' in client.get(new).content.decode()
    base = {
        "type": "parenting_support",
        "provider_organisation": "family-counselling",
        "practitioner": "family.counsellor",
        "voluntary": "false",
        "starts_on": str(today()),
        "frequency": "weekly",
        "approach": "parenting_course",
    }
    wrong = client.post(new, {**base, "type": "education", "category": ""})
    assert wrong.status_code == 400 and "for parenting support only" in wrong.content.decode()
    assert not Intervention.objects.exists()
    response = client.post(new, base)
    assert response.status_code == 302
    intervention = Intervention.objects.get()
    assert (intervention.approach, intervention.voluntary) == ("parenting_course", False)


def test_police_do_not_see_parenting_support_on_the_pages(world):
    intervention = _add(world.case)
    client = client_as("police.liaison")
    assert client.get(f"/plans/interventions/{intervention.pk}/").status_code == 404
    assert client.post(f"/plans/interventions/{intervention.pk}/sessions/", {}).status_code == 404
    case_page = client.get(f"/cases/{world.case.pk}/parts/plan/").content.decode()
    assert "Parenting support" not in case_page.split('id="interventions-heading"')[1]
