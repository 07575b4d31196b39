"""The page catalogue (``tests/page_catalogue.py``) holds every page of the URLconf, and each one opens.

A new URL is either a page, then in the catalogue (and so under the accessibility and language gates),
or named in ``NOT_PAGES`` with the reason it is not one.
"""

from __future__ import annotations

import pytest

from tests.page_catalogue import NOT_PAGES, catalogue, prepare_world, url_name_of, url_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db) -> list:
    prepare_world()
    return list(catalogue())


def test_every_url_name_is_a_catalogued_page_or_named_as_not_a_page(pages):
    catalogued = {url_name_of(page.url) for page in pages}
    names = url_names()
    missing = sorted(names - catalogued - set(NOT_PAGES))
    assert not missing, (
        "URL names neither in tests/page_catalogue.py's catalogue() nor in its NOT_PAGES: "
        f"{', '.join(missing)}. Add the page to the catalogue (with a persona who may see it), "
        "or say in NOT_PAGES why it is not a page."
    )
    both = sorted(catalogued & set(NOT_PAGES))
    assert not both, f"In the catalogue and in NOT_PAGES: {', '.join(both)}"
    stale = sorted(set(NOT_PAGES) - names)
    assert not stale, f"NOT_PAGES names URLs that no longer exist: {', '.join(stale)}"


def test_every_catalogued_page_opens_for_its_persona(pages, client):
    from continuum.accounts.models import User

    failures = []
    for persona, url, title in pages:
        client.logout()
        if persona is not None:
            client.force_login(User.objects.get(username=persona))
        response = client.get(url)
        if response.status_code != 200:
            failures.append(f"{title} ({url}) as {persona or 'a visitor'}: HTTP {response.status_code}")
    assert not failures, "\n".join(failures)


# --- R9: research sees aggregates only ---------------------------------------------------------------------


def _secrets() -> set[str]:
    """What would identify a person, a case or a record of the demo world on a page or in an answer."""
    from continuum.cases.models import Case, Entry
    from continuum.people.models import Person

    found: set[str] = set()
    for person in Person.objects.all():
        found |= {person.full_name, f"{person.family_name}, {person.given_name}", person.reference, str(person.pk)}
    for case in Case.objects.all():
        found |= {case.number, str(case.pk)}
    found |= {str(pk) for pk in Entry.objects.values_list("pk", flat=True)}
    found |= {title for title in Entry.objects.values_list("title", flat=True) if len(title) > 12}
    return {secret for secret in found if secret}


def _research_user() -> object:
    from continuum.accounts import actions as account_actions
    from continuum.accounts.models import User

    evaluator = User.objects.get(username="evaluator")
    return account_actions.do_create_user(
        username="evaluator.r9",
        first_name="Rita",
        last_name="Nine",
        organisation=evaluator.organisation,
        role=evaluator.role,
        acting_user=None,
    )


def test_research_sees_no_person_case_or_record_on_any_page(pages, client):
    """R9: every catalogued page (with the demo world's ids in it) opened by a research user is refused
    or names nobody: no person, no case number or id, no journal entry."""
    secrets = _secrets()
    client.force_login(_research_user())
    leaks, opened = [], 0
    for url in sorted({page.url for page in pages}):
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        opened += 1
        text = response.content.decode()
        leaks += [f"{url}: {secret}" for secret in secrets if secret in text]
    assert opened >= 8  # home, statistics, outcomes, reports, lessons, account, ...
    assert not leaks, "\n".join(leaks[:20])


def test_research_gets_no_person_case_or_record_from_the_api(pages):
    """R9 through the API: every GET route, with each id of the demo world its path asks for, answers
    a research user with a refusal or with nothing that names a person, a case or a record."""
    import re

    from django.apps import apps
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.test import APIClient

    from continuum.accounts import actions as account_actions

    secrets = _secrets()
    _token, key = account_actions.do_create_api_token(_research_user(), acting_user=None, label="r9")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    models = {
        "case_id": "cases.Case",
        "person_id": "people.Person",
        "child_id": "people.Person",
        "entry_id": "cases.Entry",
        "assessment_id": "assessments.Assessment",
        "conference_id": "conferences.Conference",
        "signal_id": "signals.Signal",
        "plan_id": "plans.Plan",
        "goal_id": "plans.Goal",
        "milestone_id": "plans.Milestone",
        "intervention_id": "plans.Intervention",
        "consent_id": "sharing.Consent",
        "file_id": "families.FamilyFile",
        "visit_id": "families.Visit",
        "mentoring_id": "mentoring.Mentoring",
    }
    routes: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    leaks, asked = [], 0
    for route in routes:
        if not route.startswith("api/v1/") or "research-export" in route:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if any(param not in models for param in params):
            continue
        ids = [list(apps.get_model(models[p]).objects.values_list("pk", flat=True)[:5]) for p in params]
        urls = [route]
        for param, values in zip(params, ids, strict=True):
            urls = [re.sub(rf"<(?:\w+:)?{param}>", str(value), url, count=1) for url in urls for value in values]
        for url in urls:
            response = client.get("/" + url)
            asked += 1
            assert response.status_code in (200, 400, 403, 404, 405), (url, response.status_code)
            if response.status_code == 200:
                text = response.content.decode(errors="replace")
                leaks += [f"{url}: {secret}" for secret in secrets if secret in text]
    assert asked >= 100
    assert not leaks, "\n".join(leaks[:20])
