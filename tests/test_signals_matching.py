"""Duplicate detection (issue 4): transliterations and typos match, unrelated people are not proposed.

``continuum.people.matching`` is pure: these tests need no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.people.matching import (
    PROPOSE_AT,
    CandidateIndex,
    Subject,
    birth_date_points,
    explain,
    name_similarity,
    nationality_points,
    rank_candidates,
    score,
)


@dataclass(frozen=True)
class Known:
    """A person as matching reads one (``people.Person`` has these fields)."""

    given_name: str
    family_name: str
    birth_date: date | None = None
    nationality: str = ""
    aliases: list[str] = field(default_factory=list)

    @property
    def pk(self) -> str:
        return f"{self.given_name} {self.family_name} {self.birth_date}"


AL_HASSAN = Known("Muhammad", "Al-Hassan", date(1994, 3, 2), "NL")
SMIT = Known("Peter", "Smit", date(1994, 3, 2), "NL")
NAMESAKE = Known("Mohammed", "Alhasan", date(1971, 11, 30), "NL")
BENALI = Known("Amira", "Benali", date(1994, 3, 2), "NL")
SIGNAL = Subject("Mohammed", "Alhasan", date(1994, 3, 2))


def test_a_transliteration_with_the_same_birth_date_is_the_top_candidate():
    candidates = rank_candidates(SIGNAL, [SMIT, NAMESAKE, BENALI, AL_HASSAN])
    assert candidates, "Muhammad Al-Hassan should be proposed"
    assert candidates[0].person == AL_HASSAN
    assert candidates[0].score >= 95


def test_unrelated_people_are_not_proposed():
    proposed = [c.person for c in rank_candidates(SIGNAL, [SMIT, NAMESAKE, BENALI, AL_HASSAN])]
    assert proposed == [AL_HASSAN]


def test_someone_else_born_the_same_day_scores_far_below_the_threshold():
    assert score(SIGNAL, SMIT) < 50
    assert score(SIGNAL, BENALI) < 50


def test_the_same_name_born_decades_apart_is_not_the_same_person():
    """The rule: two birth dates known and years apart cost 30 points, so even an identical common
    name stays under the threshold, far below the real match."""
    namesake = score(SIGNAL, NAMESAKE)
    assert namesake < PROPOSE_AT
    assert score(SIGNAL, AL_HASSAN) - namesake >= 40


@pytest.mark.parametrize(
    ("reported", "known"),
    [
        (Subject("Pieter", "Jansen"), Known("Pieter", "Janssen")),
        (Subject("Jan", "Jansen", date(1980, 5, 5)), Known("Jan", "Janssen", date(1980, 5, 5))),
        (Subject("Ameera", "Ben Ali", date(1994, 3, 2), "NL"), BENALI),
        (Subject("Youssef", "Demir", date(1988, 1, 20)), Known("Yusuf", "Demir", date(1988, 1, 20))),
        (Subject("Osama", "Khalid"), Known("Usama", "Chalid")),
        (Subject("Zoë", "Müller"), Known("Zoe", "Muller")),
        (Subject("Anna", "de Vries"), Known("Anna", "Vries")),
        # Given and family name recorded the other way round.
        (Subject("Benali", "Amira", date(1994, 3, 2)), BENALI),
        # A birth date one typing slip away, or with day and month swapped.
        (Subject("Mohammed", "Alhasan", date(1994, 2, 3)), AL_HASSAN),
        (Subject("Mohammed", "Alhasan", date(1995, 3, 2)), AL_HASSAN),
    ],
)
def test_spelling_variants_and_typos_are_proposed(reported, known):
    assert score(reported, known) >= PROPOSE_AT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohammed", "Muhammad"),
        ("Al-Hassan", "Alhasan"),
        ("al hassan", "Al-Hassan"),
        ("Jansen", "Janssen"),
        ("Müller", "Muller"),
        ("O'Neill", "ONeil"),
    ],
)
def test_names_are_normalised_for_diacritics_particles_doubled_letters_and_vowels(a, b):
    assert name_similarity(a, b) >= 95


@pytest.mark.parametrize(("a", "b"), [("Peter", "Mohammed"), ("Smit", "Alhasan"), ("Lindqvist", "Benali")])
def test_different_names_are_not_similar(a, b):
    assert name_similarity(a, b) < 50


def test_birth_date_points_reward_the_same_date_and_penalise_dates_years_apart():
    born = date(1994, 3, 2)
    assert birth_date_points(born, born) == 15
    assert birth_date_points(born, date(1994, 2, 3)) == 8  # day and month swapped
    assert birth_date_points(born, date(1994, 3, 3)) == 8  # one digit
    assert birth_date_points(born, date(1994, 11, 30)) == 4  # the same year
    assert birth_date_points(born, date(1971, 11, 30)) == -30
    assert birth_date_points(born, None) == birth_date_points(None, None) == 7


def test_nationality_points():
    assert nationality_points("NL", "nl ") == 5
    assert nationality_points("NL", "") == 2
    assert nationality_points("NL", "TR") == 0


def test_an_alias_is_matched_too():
    known = Known("Abu", "Walid", date(1990, 1, 1), aliases=["Walid Haddad"])
    assert score(Subject("Walid", "Hadad", date(1990, 1, 1)), known) >= PROPOSE_AT


def test_candidates_are_best_first_and_at_most_the_limit():
    persons = [AL_HASSAN, Known("Mohamed", "Alhassan"), Known("Muhammad", "Hasan", date(1994, 3, 2)), SMIT]
    candidates = rank_candidates(SIGNAL, persons, limit=2)
    assert len(candidates) == 2
    assert candidates[0].person == AL_HASSAN
    assert candidates[0].score >= candidates[1].score


def test_the_breakdown_of_the_demo_pair_says_which_parts_matched():
    """Issue 12, item 6: "Ameera Ben Ali" scores 100 against Amira Benali, and the scorer says why."""
    breakdown = explain(Subject("Ameera", "Ben Ali", date(1994, 3, 2), "NL"), BENALI)
    assert breakdown.score == 100 == score(Subject("Ameera", "Ben Ali", date(1994, 3, 2), "NL"), BENALI)
    assert breakdown.reading == "pairwise" and breakdown.name_similarity == 100
    given_names, family_names = breakdown.names
    assert (given_names.reported, given_names.known, given_names.form) == ("Ameera", "Amira", "key")
    assert (family_names.reported, family_names.known, family_names.form) == ("Ben Ali", "Benali", "plain")
    assert (breakdown.birth_date, breakdown.birth_date_points) == ("same", 15)
    assert (breakdown.nationality, breakdown.nationality_points) == ("same", 5)
    name, born, nationality = breakdown.parts()
    assert name[0] == "Name" and name[2] == 80
    assert "“Ameera” and “Amira”: the same allowing for other spellings (100 %)" in name[1]
    assert "“Ben Ali” and “Benali”: the same letters (100 %)" in name[1]
    assert born == ("Date of birth", "The same (1994-03-02)", 15)
    assert nationality == ("Nationality", "The same (NL)", 5)


def test_the_breakdown_names_the_reading_and_the_missing_details():
    swapped = explain(Subject("Benali", "Amira"), BENALI)
    assert swapped.reading == "crosswise" and swapped.score == score(Subject("Benali", "Amira"), BENALI)
    _name, born, nationality = swapped.parts()
    assert born == ("Date of birth", "Not given in the signal (the person's: 1994-03-02)", 7)
    assert nationality == ("Nationality", "Not given in the signal (the person's: NL)", 2)
    apart = explain(SIGNAL, NAMESAKE)
    assert (apart.birth_date, apart.birth_date_points) == ("different", -30)
    alias = explain(Subject("Walid", "Hadad"), Known("Abu", "Walid", aliases=["Walid Haddad"]))
    assert alias.reading == "alias" and alias.names[0].known == "Walid Haddad"


def test_ranked_candidates_carry_the_breakdown_of_their_score():
    (candidate,) = rank_candidates(SIGNAL, [SMIT, NAMESAKE, BENALI, AL_HASSAN])
    assert candidate.breakdown is not None and candidate.breakdown.score == candidate.score


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüö -'", min_size=0, max_size=14)
DATES = st.one_of(st.none(), st.dates(min_value=date(1940, 1, 1), max_value=date(2015, 12, 31)))


@settings(max_examples=150, deadline=None)
@given(NAMES, NAMES, DATES, NAMES, NAMES, DATES)
def test_scores_stay_between_0_and_100(g1, f1, d1, g2, f2, d2):
    assert 0 <= score(Subject(g1, f1, d1), Known(g2, f2, d2)) <= 100


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(NAMES, NAMES, DATES), min_size=1, max_size=25),
    st.tuples(NAMES, NAMES, DATES),
    st.integers(min_value=40, max_value=95),
)
def test_the_index_proposes_exactly_whom_scoring_everyone_would(people, reported, threshold):
    """The pre-screen only saves time: it never drops a candidate the full score would propose."""
    persons = [Known(g, f, d) for g, f, d in people]
    subject = Subject(*reported)
    expected = sorted((score(subject, p) for p in persons if score(subject, p) >= threshold), reverse=True)
    found = CandidateIndex(persons).rank(subject, threshold=threshold, limit=len(persons))
    assert [c.score for c in found] == expected
