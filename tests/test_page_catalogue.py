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
