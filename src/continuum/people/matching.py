"""Likely duplicates: which known persons a signal's subject may be (issue 4).

Pure functions, no database: callers pass the persons they may see (R12) and get back candidates with
a score from 0 to 100, best first, only those at or above ``PROPOSE_AT``. A candidate is a proposal
for the analyst, who confirms a match or registers a new person; Continuum never links by itself.

Names are compared in three forms, each with RapidFuzz's normalised Indel similarity:

- *plain*: lower case, diacritics stripped, everything but letters dropped ("Al-Hassan" and
  "al hassan" both become "alhassan"), so particles written apart, joined or hyphenated compare alike;
- *key*: the plain form with common transliteration variants folded (ee→i, oo/ou/oe→u, ph→f, kh→k,
  q→k, ck→k), doubled letters collapsed (Janssen→jansen, Hassan→hasan) and the vowel pairs that
  transliterations of Arabic names swap merged (o→u, e→a, y→i): Mohammed and Muhammad both become
  "muhamad";
- *skeleton*: the key without vowels ("mhmd"), which survives vowel spellings the key does not fold.

Given and family names are compared pairwise (also crosswise, for names recorded in the other
order) and as one string (for particles moved between them), with a leading particle ("al", "el",
"abu", "ben", "van", "de", …) optional. The score is 80 % names, 20 % other evidence:

    score = 0.8 * name similarity + birth date points + nationality points

- birth date: the same date 15; one typing slip away (one digit, or day and month swapped) 8; the
  same year 4; unknown on either side 7; both known and further apart -30. Two people with the same
  common name are not one person when their birth dates are years apart: "Mohammed Alhasan,
  1971-11-30" scores 52 against "Muhammad Al-Hassan, 1994-03-02", the real match 97;
- nationality: the same 5; unknown on either side 2; different 0.

Scores are clamped to 0-100; candidates from ``PROPOSE_AT`` (70) are proposed. An identical name
without any other detail is proposed (89); a family name alone, or a birth date alone, is not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract

PROPOSE_AT = 70
MAX_CANDIDATES = 5

NAME_WEIGHT = 0.8
SAME_DATE = 15
NEAR_DATE = 8
SAME_YEAR = 4
UNKNOWN_DATE = 7
OTHER_DATE = -30
SAME_NATIONALITY = 5
UNKNOWN_NATIONALITY = 2
OTHER_NATIONALITY = 0

# Particles that may be written, joined, hyphenated or left out: "Al-Hassan", "Alhasan", "Hassan".
PARTICLES = frozenset({"al", "el", "ul", "abu", "abd", "bin", "ben", "ibn", "ould", "van", "von", "de", "der", "den"})
# Without a particle a name is a little less the same name.
WITHOUT_PARTICLE = 0.95
# The skeleton (no vowels) is weaker evidence than the key.
SKELETON_WEIGHT = 0.9
# Given and family name read as one string (particles moved between them) or the other way round.
WHOLE_NAME_WEIGHT = 0.85
SWAPPED_WEIGHT = 0.95

_FOLDS = (("ee", "i"), ("oo", "u"), ("ou", "u"), ("oe", "u"), ("ph", "f"), ("kh", "k"), ("ck", "k"), ("q", "k"))
_VOWEL_MERGE = str.maketrans({"o": "u", "e": "a", "y": "i"})
_DOUBLED = re.compile(r"(.)\1+")
_NOT_LETTERS = re.compile(r"[^a-z]+")


class PersonLike(Protocol):
    """What matching reads of a person (``people.Person`` has it)."""

    pk: Any
    given_name: str
    family_name: str
    birth_date: date | None
    nationality: str


@dataclass(frozen=True)
class Subject:
    """Whom a signal is about, as reported."""

    given_name: str
    family_name: str
    birth_date: date | None = None
    nationality: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Candidate:
    person: Any
    score: int


def _ascii_words(text: str) -> list[str]:
    """Lower-case words of letters a-z only: diacritics stripped, hyphens and apostrophes split."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w for w in _NOT_LETTERS.split(stripped.replace("ß", "ss").replace("ø", "o").replace("ł", "l")) if w]


def _key(plain: str) -> str:
    for variant, folded in _FOLDS:
        plain = plain.replace(variant, folded)
    return _DOUBLED.sub(r"\1", _DOUBLED.sub(r"\1", plain).translate(_VOWEL_MERGE))


def _skeleton(key: str) -> str:
    return _DOUBLED.sub(r"\1", re.sub(r"[aiu]", "", key))


@dataclass(frozen=True)
class _Form:
    plain: str
    key: str
    skeleton: str
    weight: float = 1.0


@lru_cache(maxsize=65536)
def name_forms(name: str) -> tuple[_Form, ...]:
    """The forms of a name compared: as written, and without a leading particle."""
    words = _ascii_words(name)
    if not words:
        return ()
    variants = [(words, 1.0)]
    if len(words) > 1 and words[0] in PARTICLES:
        variants.append((words[1:], WITHOUT_PARTICLE))
    forms = []
    for variant, weight in variants:
        plain = "".join(variant)
        key = _key(plain)
        forms.append(_Form(plain, key, _skeleton(key), weight))
    return tuple(forms)


def name_similarity(a: str, b: str) -> float:
    """0-100: how alike two names are, allowing for transliteration, particles and doubled letters."""
    best = 0.0
    for x in name_forms(a):
        for y in name_forms(b):
            score = max(ratio(x.plain, y.plain), ratio(x.key, y.key))
            if len(x.skeleton) >= 2 and len(y.skeleton) >= 2:
                score = max(score, SKELETON_WEIGHT * ratio(x.skeleton, y.skeleton))
            best = max(best, score * x.weight * y.weight)
    return best


def full_name_similarity(given_a: str, family_a: str, given_b: str, family_b: str) -> float:
    """Given with given and family with family, crosswise, or as one string: the best reading."""
    pairwise = (name_similarity(given_a, given_b) + name_similarity(family_a, family_b)) / 2
    crosswise = (name_similarity(given_a, family_b) + name_similarity(family_a, given_b)) / 2
    whole = name_similarity(f"{given_a} {family_a}", f"{given_b} {family_b}")
    return max(pairwise, SWAPPED_WEIGHT * crosswise, WHOLE_NAME_WEIGHT * whole)


def birth_date_points(a: date | None, b: date | None) -> int:
    if a is None or b is None:
        return UNKNOWN_DATE
    if a == b:
        return SAME_DATE
    swapped = a.year == b.year and a.month == b.day and a.day == b.month
    if swapped or Levenshtein.distance(a.isoformat(), b.isoformat()) == 1:
        return NEAR_DATE
    if a.year == b.year:
        return SAME_YEAR
    return OTHER_DATE


def nationality_points(a: str, b: str) -> int:
    a, b = a.strip().casefold(), b.strip().casefold()
    if not a or not b:
        return UNKNOWN_NATIONALITY
    return SAME_NATIONALITY if a == b else OTHER_NATIONALITY


def score(subject: Subject, person: PersonLike) -> int:
    """0-100: how likely ``person`` is the signal's subject (see the module docstring)."""
    names = full_name_similarity(subject.given_name, subject.family_name, person.given_name, person.family_name)
    for alias in getattr(person, "aliases", None) or []:
        if isinstance(alias, str):
            names = max(names, WHOLE_NAME_WEIGHT * name_similarity(subject.full_name, alias))
    total = (
        NAME_WEIGHT * names
        + birth_date_points(subject.birth_date, person.birth_date)
        + nationality_points(subject.nationality, person.nationality)
    )
    return max(0, min(100, round(total)))


class CandidateIndex:
    """Persons prepared for ranking many subjects: a C-speed pre-screen, then the full score.

    The pre-screen keeps every person with any name form (plain, key or skeleton of a given, family,
    whole or alias name) at least as similar to one of the subject's as the threshold requires of
    the names (``(threshold - 20) / 0.8``): the full score cannot reach the threshold otherwise, since
    every weight is at most 1. So the index finds exactly what scoring every person would, in a
    fraction of the time (thousands of persons in milliseconds).
    """

    def __init__(self, persons: Iterable[PersonLike]) -> None:
        self.persons = list(persons)
        self._strings: dict[str, list[str]] = {"plain": [], "key": [], "skeleton": []}
        self._owners: dict[str, list[int]] = {"plain": [], "key": [], "skeleton": []}
        for index, person in enumerate(self.persons):
            aliases = [a for a in (getattr(person, "aliases", None) or []) if isinstance(a, str)]
            names = [person.given_name, person.family_name, f"{person.given_name} {person.family_name}", *aliases]
            for form in (f for name in names for f in name_forms(name)):
                for kind in ("plain", "key", "skeleton"):
                    self._strings[kind].append(getattr(form, kind))
                    self._owners[kind].append(index)

    def _screen(self, subject: Subject, threshold: int) -> set[int]:
        needed = (threshold - SAME_DATE - SAME_NATIONALITY) / NAME_WEIGHT - 1
        if needed <= 0:
            return set(range(len(self.persons)))
        names = [subject.given_name, subject.family_name, subject.full_name]
        forms = [f for name in names for f in name_forms(name)]
        found: set[int] = set()
        for kind in ("plain", "key", "skeleton"):
            strings = self._strings[kind]
            for query in {getattr(f, kind) for f in forms}:
                for _choice, _score, position in extract(query, strings, scorer=ratio, score_cutoff=needed, limit=None):
                    found.add(self._owners[kind][position])
        return found

    def rank(self, subject: Subject, *, threshold: int = PROPOSE_AT, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        """The persons at or above ``threshold``, best first (ties by name), at most ``limit``."""
        scored = []
        for index in self._screen(subject, threshold):
            person = self.persons[index]
            points = score(subject, person)
            if points >= threshold:
                scored.append(Candidate(person, points))
        scored.sort(key=lambda c: (-c.score, c.person.family_name.casefold(), c.person.given_name.casefold()))
        return scored[:limit]


def rank_candidates(
    subject: Subject,
    persons: Iterable[PersonLike],
    *,
    threshold: int = PROPOSE_AT,
    limit: int = MAX_CANDIDATES,
) -> list[Candidate]:
    """The likely duplicates of ``subject`` among ``persons``: at or above ``threshold``, best first."""
    return CandidateIndex(persons).rank(subject, threshold=threshold, limit=limit)


# --- Finding a person by a typed name ---------------------------------------------------------------

# A typed name is proposed from this similarity to one of the person's names (0-100).
FOUND_AT = 88
# A name of at least this many letters that begins one of the person's names counts as found: the
# practitioner types "amira ben" for Amira Benali.
PREFIX_LETTERS = 3


def typed_name_similarity(query: str, person: PersonLike) -> float:
    """0-100: how well a typed name fits ``person``: any of its names, given and family in either order,
    with the same forms as duplicate detection, and a name begun counting as the name."""
    typed = name_forms(query)
    if not typed:
        return 0.0
    given, family = person.given_name, person.family_name
    aliases = [a for a in (getattr(person, "aliases", None) or []) if isinstance(a, str)]
    best = 0.0
    for name in (given, family, f"{given} {family}", f"{family} {given}", *aliases):
        for form in name_forms(name):
            for x in typed:
                if len(x.plain) >= PREFIX_LETTERS and (form.plain.startswith(x.plain) or form.key.startswith(x.key)):
                    best = max(best, 100 * x.weight * form.weight)
        best = max(best, name_similarity(query, name))
    return best


def find_by_name(query: str, persons: Iterable[PersonLike], *, at: float = FOUND_AT) -> list[Candidate]:
    """The persons whose names fit ``query`` at ``at`` or more, best first (ties by name)."""
    found = []
    for person in persons:
        points = typed_name_similarity(query, person)
        if points >= at:
            found.append(Candidate(person, round(points)))
    found.sort(key=lambda c: (-c.score, c.person.family_name.casefold(), c.person.given_name.casefold()))
    return found
