"""Every page in four languages, no English left (issue 13; docs/languages.md).

Every page of the catalogue (``tests/page_catalogue.py``) is rendered in Dutch, German and French
(``Accept-Language``, as a browser asks; the demo users have chosen no language of their own), and its
visible text is searched for English. Visible text: the text nodes of the page and the attributes a
person reads (``aria-label``, ``placeholder``, ``alt``, ``title``), without ``script``, ``style`` and
``template``, without hidden elements (``hidden``, ``aria-hidden="true"``, ``type="hidden"``), without code
(``code``, ``kbd``, ``samp``, ``pre``, words with ``_``), without what a form holds (``textarea``) and
without anything inside ``translate="no"``: what people wrote or are called (names, case numbers and
references, organisations, record content); and without the texts people wrote as the database holds
them (``what_people_wrote``), where a page puts them inside a sentence of its own.

English is recognised by its common words that are not also words of Dutch, German or French: "is",
"was", "of", "will", "not", "had" and "been" (Dutch), "case" and "cases" (French), "plan", "team",
"later", "taken" (Dutch) … are left out, so that a translated page cannot fail by them. One such word in a
text node is enough.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.page_catalogue import CataloguePage, catalogue, prepare_world

pytestmark = pytest.mark.django_db

LANGUAGES = ("nl", "de", "fr")

# Common English words that are not Dutch, German or French words too (whole words, any case).
_ENGLISH_WORDS = """
    the and with your yours this that these those for has have having are were being
    can cannot could would should shall may might yet here there their they them you
    who what when which where why how whose whom because although though than then
    from into about above below between without within before since until while during
    every each any some many much more other another only very already again never always often
    yes nothing something anything everything its his him she hers our ours my myself yourself
    add adds added edit edited delete deleted remove removed save saved submit submitted cancel cancelled
    search found choose chosen shown hide written write read opened closed started stopped ended
    give given take make keep kept leave left need needs needed wants wanted know known
    new old next previous latest earlier today tomorrow yesterday weeks month months
    year years day days hour hours
    entries entry assessment assessments assessor assessors rating ratings
    milestone milestones goal goals conference conferences decision decisions
    agreed draft drafts finalised overdue sharing policy overrides override withhold withheld shared
    hidden reliability category categories custody release released handover hand-over
    signals reported included password username settings language languages please
    isn't don't doesn't can't won't aren't wasn't haven't hasn't didn't you're it's there's let's
    we're they're i'm
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "code", "kbd", "samp", "pre", "textarea"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
READ_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")
RIGHT_QUOTE = "\u2019"
WORD = re.compile(r"[\w'\u2019-]+")


# An instrument's item code ("re.goals") is a code, not a word.
CODE = re.compile(r"\b\w+(?:\.\w+)+\b")


def english_words(text: str) -> list[str]:
    found = []
    for token in WORD.findall(CODE.sub(" ", text.replace(RIGHT_QUOTE, "'"))):
        if "_" in token or any(c.isdigit() for c in token):
            continue
        for part in (token, *token.split("-")) if "-" in token else (token,):
            word = part.strip("'-").lower()
            if word in ENGLISH and word not in found:
                found.append(word)
    return found


class VisibleText(HTMLParser):
    """The texts of a page a person reads: text nodes and read attributes outside skipped elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped from here down)
        self.texts: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = (
            self._skipped()
            or tag in SKIPPED_TAGS
            or "hidden" in values
            or values.get("aria-hidden") == "true"
            or values.get("type") == "hidden"
            or values.get("translate") == "no"
            or "display:none" in (values.get("style") or "").replace(" ", "")
        )
        if not skipped:
            self.texts.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)
            if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
                self.texts.append(values["value"] or "")
        if tag not in VOID_TAGS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipped() and data.strip():
            self.texts.append(" ".join(data.split()))


def english_left(html: str, written: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    """The visible texts that hold English, each without ``written`` (what people wrote: the demo's
    records are in English, and a record is shown in the words it was written in)."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    left = []
    for text in parser.texts:
        for words_of_someone in written:
            text = text.replace(words_of_someone, " ")
        if words := english_words(text):
            left.append((text, words))
    return left


def what_people_wrote() -> tuple[str, ...]:
    """Every text a person wrote or named in the database (records' words, titles, places, names), the
    longest first: a page shows them as written, in whatever language that was."""
    from django.db import models

    from continuum.accounts.models import Organisation, User
    from continuum.conferences.models import Conference
    from continuum.people.models import Person
    from continuum.sharing.records import record_models

    texts: set[str] = set()
    for model in [*record_models(), Conference, Organisation, Person]:
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name != "withhold_from"
        ]
        for row in model.objects.values_list(*fields):
            texts.update(value for value in row if isinstance(value, str) and len(value) > 2)
    for user in User.objects.all():
        texts.update(name for name in (user.get_full_name(), user.display_name) if name)
    # A timeline or a pack cuts long texts: their beginnings count too.
    texts.update(text[:n] for text in list(texts) for n in (100, 120) if len(text) > n)
    return tuple(sorted(texts, key=len, reverse=True))


def test_the_detector_finds_english_and_leaves_translations_and_names_alone():
    assert english_left("<p>Save the entry</p>") == [("Save the entry", ["save", "the", "entry"])]
    assert english_left('<p>Casus <span translate="no">Plan with the family</span> is opgeslagen.</p>') == []
    assert english_left("<p>Le plan de la personne est à jour. Der Plan ist gespeichert. Het plan is klaar.</p>") == []
    assert english_left('<script>var the = 1;</script><p hidden>Not shown</p><input type="hidden" value="the">') == []
    assert english_left('<button aria-label="Remove the message">x</button>') == [
        ("Remove the message", ["remove", "the"])
    ]
    assert english_left("<p>risk_assessment <code>the_case</code></p>") == []
    assert english_left("<p>Toelichting bij item re.goals</p>") == []
    assert english_left("<p>Besluit: Hold the room until her release.</p>", ("Hold the room until her release.",)) == []


@pytest.fixture
def pages(db) -> list[CataloguePage]:
    prepare_world()
    return list(catalogue())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_no_english_left(pages, client, language):
    from continuum.accounts.models import User

    failures = []
    written = what_people_wrote()
    for persona, url, title in pages:
        client.logout()
        if persona is not None:
            client.force_login(User.objects.get(username=persona))
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, f"{title} ({url}) as {persona}: HTTP {response.status_code}"
        for text, words in english_left(response.content.decode(), written):
            failures.append(f"{title} ({url}) in {language}: {text[:160]!r} ({', '.join(sorted(set(words)))})")
    assert not failures, f"{len(failures)} English texts left in {language}:\n" + "\n".join(failures)
