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

``explain`` returns the parts of a score (the names compared, how they matched and the reading that
counted; the birth date and nationality matches with their points) and ``score`` is built from it, so
the breakdown an analyst is shown is the very computation that ranked the candidate, never a
recomputation of it. ``Breakdown.parts`` says each part in plain language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
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
class NameComparison:
    """Two names compared: as written, how alike (0-100, after any particle's weight), and the form in
    which they came closest: ``plain`` (letters only), ``key`` (spelling variants folded) or
    ``skeleton`` (consonants only)."""

    reported: str
    known: str
    similarity: float
    form: str
    without_particle: bool = False

    def describe(self) -> str:
        how = {
            "plain": _("the same letters") if self.similarity >= 100 else _("alike as written"),
            "key": _("the same allowing for other spellings")
            if self.similarity >= 100
            else _("alike allowing for other spellings"),
            "skeleton": _("alike by their consonants"),
        }[self.form]
        values = {"reported": self.reported, "known": self.known, "how": how, "similarity": f"{self.similarity:.0f}"}
        if self.without_particle:
            return _("“%(reported)s” and “%(known)s”: %(how)s, leaving out a particle (%(similarity)s %%)") % values
        return _("“%(reported)s” and “%(known)s”: %(how)s (%(similarity)s %%)") % values


# How the names were read, best reading first on a tie.
NAME_READINGS = {
    "pairwise": gettext_lazy("given name with given name, family name with family name"),
    "crosswise": gettext_lazy("given and family name the other way round"),
    "whole": gettext_lazy("the whole name as one (parts moved between given and family name)"),
    "alias": gettext_lazy("the reported name with an alias"),
}
DATE_MATCHES = {
    "same": pgettext_lazy("date of birth", "the same"),
    "near": gettext_lazy("one typing slip apart (a digit, or day and month swapped)"),
    "same_year": gettext_lazy("the same year only"),
    "unknown": pgettext_lazy("date of birth", "not known on one side"),
    "different": gettext_lazy("both known and further apart"),
}
NATIONALITY_MATCHES = {
    "same": pgettext_lazy("nationality", "the same"),
    "unknown": pgettext_lazy("nationality", "not known on one side"),
    "different": pgettext_lazy("nationality", "different"),
}


@dataclass(frozen=True)
class Breakdown:
    """The parts of a duplicate score, as the scorer computed them (``score`` is built from this)."""

    reading: str
    name_similarity: float
    names: tuple[NameComparison, ...]
    birth_date: str
    birth_date_points: int
    nationality: str
    nationality_points: int
    reported_birth_date: date | None = None
    known_birth_date: date | None = None
    reported_nationality: str = ""
    known_nationality: str = ""

    @property
    def name_points(self) -> float:
        return NAME_WEIGHT * self.name_similarity

    @property
    def total(self) -> float:
        return self.name_points + self.birth_date_points + self.nationality_points

    @property
    def score(self) -> int:
        return max(0, min(100, round(self.total)))

    @property
    def capped(self) -> bool:
        """The parts add up to more than 100 (or less than 0): the score is held at the bound."""
        return not 0 <= round(self.total) <= 100

    def parts(self) -> list[tuple[str, str, float]]:
        """Plain-language parts of the score: (what, how it matched, points)."""
        weight = {"crosswise": SWAPPED_WEIGHT, "whole": WHOLE_NAME_WEIGHT, "alias": WHOLE_NAME_WEIGHT}.get(self.reading)
        values = {
            "names": "; ".join(c.describe() for c in self.names),
            "reading": NAME_READINGS[self.reading],
            "similarity": f"{self.name_similarity:.0f}",
            "weight": f"{NAME_WEIGHT * 100:.0f}",
            "counted": f"{weight * 100:.0f}" if weight else "",
        }
        if weight:
            name = (
                _(
                    "%(names)s. Read as %(reading)s, counted at %(counted)s %%: %(similarity)s %% alike"
                    " (names make up %(weight)s of the 100 points)."
                )
                % values
            )
        else:
            name = (
                _(
                    "%(names)s. Read as %(reading)s: %(similarity)s %% alike"
                    " (names make up %(weight)s of the 100 points)."
                )
                % values
            )
        return [
            (_("Name"), name, self.name_points),
            (
                _("Date of birth"),
                _compared(DATE_MATCHES[self.birth_date], _iso(self.reported_birth_date), _iso(self.known_birth_date)),
                self.birth_date_points,
            ),
            (
                _("Nationality"),
                _compared(
                    NATIONALITY_MATCHES[self.nationality],
                    self.reported_nationality.strip(),
                    self.known_nationality.strip(),
                ),
                self.nationality_points,
            ),
        ]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _compared(match: object, reported: str, known: str) -> str:
    """ "The same (NL)", "Not known in the signal (the person's: 1994-03-02)", "Different (NL and BE)"."""
    if not reported and not known:
        return _("Known on neither side")
    if not reported:
        return _("Not given in the signal (the person's: %(known)s)") % {"known": known}
    if not known:
        return _("Not recorded for the person (the signal's: %(reported)s)") % {"reported": reported}
    match = str(match)
    match = match[:1].upper() + match[1:]
    if reported.casefold() == known.casefold():
        return _("%(match)s (%(reported)s)") % {"match": match, "reported": reported}
    return _("%(match)s (%(reported)s and %(known)s)") % {"match": match, "reported": reported, "known": known}


@dataclass(frozen=True)
class Candidate:
    person: Any
    score: int
    # Why the score is what it is (duplicate detection gives it; finding by name does not).
    breakdown: Breakdown | None = None


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


def compare_names(a: str, b: str) -> NameComparison:
    """How alike two names are (0-100), allowing for transliteration, particles and doubled letters,
    and in which form they came closest."""
    best, form, without_particle = 0.0, "plain", False
    for x in name_forms(a):
        for y in name_forms(b):
            for kind, points in (
                ("plain", ratio(x.plain, y.plain)),
                ("key", ratio(x.key, y.key)),
                (
                    "skeleton",
                    SKELETON_WEIGHT * ratio(x.skeleton, y.skeleton)
                    if len(x.skeleton) >= 2 and len(y.skeleton) >= 2
                    else 0.0,
                ),
            ):
                weighted = points * x.weight * y.weight
                if weighted > best:
                    best, form, without_particle = weighted, kind, x.weight * y.weight < 1
    return NameComparison(a, b, best, form, without_particle)


def name_similarity(a: str, b: str) -> float:
    """0-100: how alike two names are, allowing for transliteration, particles and doubled letters."""
    return compare_names(a, b).similarity


def _compare_full_names(
    given_a: str, family_a: str, given_b: str, family_b: str
) -> tuple[str, float, tuple[NameComparison, ...]]:
    """The best reading of two full names: (reading, similarity 0-100, the names compared)."""
    given, family = compare_names(given_a, given_b), compare_names(family_a, family_b)
    given_x, family_x = compare_names(given_a, family_b), compare_names(family_a, given_b)
    whole = compare_names(f"{given_a} {family_a}", f"{given_b} {family_b}")
    readings = [
        ("pairwise", (given.similarity + family.similarity) / 2, (given, family)),
        ("crosswise", SWAPPED_WEIGHT * ((given_x.similarity + family_x.similarity) / 2), (given_x, family_x)),
        ("whole", WHOLE_NAME_WEIGHT * whole.similarity, (whole,)),
    ]
    best = readings[0]
    for reading in readings[1:]:
        if reading[1] > best[1]:
            best = reading
    return best


def full_name_similarity(given_a: str, family_a: str, given_b: str, family_b: str) -> float:
    """Given with given and family with family, crosswise, or as one string: the best reading."""
    return _compare_full_names(given_a, family_a, given_b, family_b)[1]


def birth_date_match(a: date | None, b: date | None) -> str:
    """``same``, ``near`` (one typing slip), ``same_year``, ``unknown`` (either side) or ``different``."""
    if a is None or b is None:
        return "unknown"
    if a == b:
        return "same"
    swapped = a.year == b.year and a.month == b.day and a.day == b.month
    if swapped or Levenshtein.distance(a.isoformat(), b.isoformat()) == 1:
        return "near"
    if a.year == b.year:
        return "same_year"
    return "different"


DATE_POINTS = {
    "same": SAME_DATE,
    "near": NEAR_DATE,
    "same_year": SAME_YEAR,
    "unknown": UNKNOWN_DATE,
    "different": OTHER_DATE,
}


def birth_date_points(a: date | None, b: date | None) -> int:
    return DATE_POINTS[birth_date_match(a, b)]


def nationality_match(a: str, b: str) -> str:
    """``same``, ``unknown`` (either side) or ``different``, ignoring case and spaces around."""
    a, b = a.strip().casefold(), b.strip().casefold()
    if not a or not b:
        return "unknown"
    return "same" if a == b else "different"


NATIONALITY_POINTS = {"same": SAME_NATIONALITY, "unknown": UNKNOWN_NATIONALITY, "different": OTHER_NATIONALITY}


def nationality_points(a: str, b: str) -> int:
    return NATIONALITY_POINTS[nationality_match(a, b)]


def explain(subject: Subject, person: PersonLike) -> Breakdown:
    """The parts of the score of ``person`` as the signal's subject (see the module docstring)."""
    reading, names, compared = _compare_full_names(
        subject.given_name, subject.family_name, person.given_name, person.family_name
    )
    for alias in getattr(person, "aliases", None) or []:
        if isinstance(alias, str):
            with_alias = compare_names(subject.full_name, alias)
            if WHOLE_NAME_WEIGHT * with_alias.similarity > names:
                reading, names, compared = "alias", WHOLE_NAME_WEIGHT * with_alias.similarity, (with_alias,)
    dates = birth_date_match(subject.birth_date, person.birth_date)
    nationality = nationality_match(subject.nationality, person.nationality)
    return Breakdown(
        reading=reading,
        name_similarity=names,
        names=compared,
        birth_date=dates,
        birth_date_points=DATE_POINTS[dates],
        nationality=nationality,
        nationality_points=NATIONALITY_POINTS[nationality],
        reported_birth_date=subject.birth_date,
        known_birth_date=person.birth_date,
        reported_nationality=subject.nationality,
        known_nationality=person.nationality,
    )


def score(subject: Subject, person: PersonLike) -> int:
    """0-100: how likely ``person`` is the signal's subject (see the module docstring)."""
    return explain(subject, person).score


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
            breakdown = explain(subject, person)
            if breakdown.score >= threshold:
                scored.append(Candidate(person, breakdown.score, breakdown))
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
