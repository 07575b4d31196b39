"""Every operation of the OpenAPI schema, fuzzed by schemathesis against the app in-process (issue 18).

The schema comes from the app itself (drf-spectacular's generator, the one ``/api/schema/`` serves);
each operation is one test, generating a bounded number of cases with a fixed seed and every check
schemathesis has (server errors, status codes, content types, headers, response schemas, positive
data accepted, negative data rejected, authentication not ignored, unsupported methods ...).

The calls go to Django's WSGI handler in this process, inside the test's transaction, authenticated
with real API tokens of demo personas. Path ids are mostly the ids of the shared API world (so that
operations answer 200 and 403 as well as 404), otherwise what schemathesis generates.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from continuum.accounts import actions as account_actions
from continuum.accounts.models import User
from tests import conference_world, plans_world, signals_world

# Bounded: the whole file runs in a few minutes on one core (measured in docs/architecture.md).
SEED = 18
MAX_EXAMPLES = 5

# A schema-valid request may still be refused with a 400 for a rule that OpenAPI cannot state: a slug,
# username or id naming nothing (or nothing the user may name), one date after another, a record in
# the wrong state, a control character in a text (threat-model.md, "Bad input"). So
# positive_data_acceptance also accepts a 400, and ``expressible_rule_declared`` (below) fails the
# 400s that the schema could have stated (a required, blank, null, type, length or range rule).
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all", "database": "none"},
        "checks": {
            "enabled": True,
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
            },
        },
        "phases": {"stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)
schema.app = WSGIHandler()

# The ids that path parameters are given (filled by the module's fixture once the world is built).
KNOWN_IDS: dict[str, str] = {}
# Who each operation's calls act as; the token of each (filled by the fixture).
# A case manager of the case's lead (200s), the DPO (no case at all: 404s and 403s, R10) and the
# central point's coordinator (a member with other rules); each generated call acts as one of them.
PERSONAS = ["pn.casemanager", "dpo", "cp.coordinator"]
TOKENS: dict[str, str] = {}
COUNTS = {"cases": 0}


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    """Three calls in four reach a record of the world; the fourth keeps the generated (unknown) id.

    Only a well-formed id is replaced: a malformed one is a negative case's, and must stay malformed."""
    if not path_parameters:
        return path_parameters
    for name, value in path_parameters.items():
        known = KNOWN_IDS.get(name)
        if known is None or not _is_uuid(value):
            continue
        if int(hashlib.sha256(str(value).encode()).hexdigest(), 16) % 4:
            path_parameters[name] = known
    return path_parameters


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


# DRF's own messages for rules that a schema states (required, null, blank, type, length, range,
# choice, format): a schema-valid request refused with one of them is a mismatch of the schema.
EXPRESSIBLE = (
    "This field is required.",
    "This field may not be null.",
    "This field may not be blank.",
    "This list may not be empty.",
    "Not a valid string.",
    "A valid integer is required.",
    "A valid number is required.",
    "Must be a valid boolean.",
    "Must be a valid UUID.",
    "Ensure this field has no more than",
    "Ensure this field has at least",
    "Ensure this value is less than or equal to",
    "Ensure this value is greater than or equal to",
    "is not a valid choice.",
    "has wrong format",
    "Expected a list of items",
    "Invalid data. Expected a dictionary",
    "Ensure there are no more than",
    "page_size must be",
    "page must be",
)


@schemathesis.check
def expressible_rule_declared(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request is not refused for a rule that the schema could have stated."""
    meta = case.meta
    if response.status_code != 400 or meta is None or not meta.generation.mode.is_positive:
        return None
    text = response.text
    found = [message for message in EXPRESSIBLE if message in text]
    assert not found, f"A schema-valid request was refused for a rule the schema can state: {text[:500]}"
    return None


def _persona(case: Any) -> str:
    """One of PERSONAS, the same for the same case (so that a failure replays as the same user)."""
    key = repr((case.path_parameters, case.query, case.body)).encode()
    return PERSONAS[int(hashlib.sha256(key).hexdigest(), 16) % len(PERSONAS)]


@pytest.fixture(scope="module")
def fuzz_world(built_world, django_db_blocker, request) -> Iterator[Any]:
    """The shared API world, its ids for the path parameters, and a token per persona."""
    world = built_world
    with django_db_blocker.unblock():
        # Inside the world's module transaction: rolled back with it.
        plan, goal, milestones = plans_world.plan_with_goal(world.case)
        conference = conference_world.schedule([world.case])
        signal = signals_world.report(lambda username: User.objects.get(username=username), "prob.officer")
        KNOWN_IDS.update(
            {
                "case_id": str(world.case.pk),
                "person_id": str(world.amira.pk),
                "entry_id": str(world.entries["security"].pk),
                "plan_id": str(plan.pk),
                "goal_id": str(goal.pk),
                "milestone_id": str(milestones[0].pk),
                "conference_id": str(conference.pk),
                "signal_id": str(signal.pk),
            }
        )
        for username in PERSONAS:
            user = User.objects.get(username=username)
            _token, key = account_actions.do_create_api_token(user, acting_user=None, label="schemathesis")
            TOKENS[username] = key
    yield world
    # The figures for the closing note, printed past pytest's capture.
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and COUNTS["cases"]:
        with capture.global_and_fixture_disabled():
            reporter.ensure_newline()
            reporter.write_line(
                f"schemathesis: {COUNTS['cases']} generated cases "
                f"(seed {SEED}, at most {MAX_EXAMPLES} fuzzed per operation)"
            )
    KNOWN_IDS.clear()
    TOKENS.clear()


@pytest.fixture
def in_process(fuzz_world, db) -> Iterator[None]:
    """Django's handler must not close the test's connection at the end of each request (as its test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
# The fixture sets up the world once per operation, for all its cases, on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_operation(case, in_process):
    COUNTS["cases"] += 1
    case.call_and_validate(headers={"Authorization": f"Token {TOKENS[_persona(case)]}"})


# --- The findings one by one (each failed before issue 18's fixes) ------------------------------------------


@pytest.mark.parametrize("page_size", ["0", "201", "abc", "-1", "1.5", ""])
def test_a_page_size_out_of_range_is_a_400_that_says_so(world, json_api_as, page_size):
    response = json_api_as("pn.casemanager").get(f"/api/v1/cases/?page_size={page_size}")
    assert response.status_code == 400
    assert response.json() == {"page_size": ["page_size must be a whole number from 1 to 200."]}


def test_a_page_size_given_twice_is_a_400_and_one_in_range_is_read(world, json_api_as):
    client = json_api_as("pn.casemanager")
    assert client.get("/api/v1/cases/?page_size=1&page_size=2").status_code == 400
    assert client.get("/api/v1/cases/?page=abc").json() == {"page": ["page must be a whole number from 1."]}
    body = client.get("/api/v1/cases/?page_size=200").json()
    assert body["count"] == 1 and len(body["results"]) == 1
    assert client.get("/api/v1/cases/?page=99999999999999999999999").status_code == 404  # past the last


def test_options_answers_on_a_view_without_a_serializer(world, json_api_as):
    response = json_api_as("pn.casemanager").options(f"/api/v1/cases/{world.case.pk}/overrides/")
    assert response.status_code == 200
    assert response.json()["renders"] == ["application/json"]


@pytest.mark.parametrize(
    ("field", "value"), [("media_exposure", 0), ("given_name", 0), ("languages", [0]), ("media_exposure", "true")]
)
def test_a_json_value_of_another_type_than_the_schema_says_is_a_400(world, json_api_as, field, value):
    person = {"given_name": "Nadia", "family_name": "Example", "birth_date": "1990-01-01", "gender": "female"}
    client = json_api_as("pn.casemanager")
    response = client.post("/api/v1/persons/", {**person, field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert client.post("/api/v1/persons/", {**person, "media_exposure": False, "languages": ["ar"]}).status_code == 201


def test_every_operation_declares_the_errors_it_can_answer():
    document = schema.raw_schema
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"403", "406"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "413", "415"} <= codes, (method, path)
    assert all(path.startswith("/api/") for path in document["paths"])
