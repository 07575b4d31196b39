"""The plan pages and the people texts in Dutch, German and French (issue 13), and "My plan" printed in the
person's language (``?language=``, else the person's first language Continuum speaks, else the user's)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import override

from continuum.people.matching import Subject, explain
from continuum.people.models import Person, interface_language
from continuum.plans import actions
from continuum.plans import views as plan_views
from tests.plans_world import plan_with_goal, today, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request leaves its language active in the thread: the next test (maybe one without requests,
    such as matching's) must start in the default language again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _day(value: date, language: str) -> str:
    with override(language):
        return formats.date_format(value, "DATE_FORMAT")


def _lang_of(page: str) -> str:
    start = page.index('<html lang="') + len('<html lang="')
    return page[start : page.index('"', start)]


def _speaks(person: Person, languages: list[str]) -> None:
    Person.objects.filter(pk=person.pk).update(languages=languages)


# --- the plan pages in each language -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("nl", ["Doelen en tussenstappen", "Plan opslaan", "Leefgebied", "Gezin en familie", "Doel toevoegen"]),
        ("de", ["Ziele und Zwischenschritte", "Plan speichern", "Bereich", "Familie", "Ziel hinzufügen"]),
        ("fr", ["Objectifs et étapes", "Enregistrer le plan", "Domaine", "Famille", "Ajouter un objectif"]),
    ],
)
def test_the_plan_page_speaks_the_users_language(world, browser_as, language, texts):
    plan, goal, milestones = plan_with_goal(world.case)
    page = _page(browser_as("pn.casemanager").get(f"/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE=language))
    for text in texts:
        assert text in page, text
    assert _day(milestones[0].target_on, language) in page
    for english in ("Goals and milestones", "Save the plan", "Add a goal", "What the plan is about", "No summary"):
        assert english not in page, english
    # What people wrote stays as written, marked for no translation.
    assert f'<span translate="no">{goal.persons_own_words}</span>' in page
    assert f'<span translate="no">{goal.description}</span>' in page


def test_the_plan_page_offers_my_plan_in_every_language_each_in_its_own_name(world, browser_as):
    plan, _goal, _ = plan_with_goal(world.case)
    page = _page(browser_as("pn.casemanager").get(f"/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "„Mijn plan” afdrukken in:" in page
    for code, name in (("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("fr", "Français")):
        assert f'href="/plans/{plan.pk}/print/?language={code}" lang="{code}" hreflang="{code}">{name}</a>' in page


def test_the_case_pages_plan_section_in_dutch(world, browser_as):
    _plan, _goal, milestones = plan_with_goal(world.case, milestones=2)
    actions.do_achieve_milestone(milestones[0], achieved_on=today(), acting_user=user("pn.casemanager"))
    page = _page(browser_as("prob.officer").get(f"/cases/{world.case.pk}/parts/plan/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Versie 1: concept." in page
    assert "casusoverleg (MAR-overleg)" in page
    assert "1 van 2 tussenstappen bereikt." in page
    assert f"Bereikt op {_day(today(), 'nl')}:" in page
    assert "„Mijn plan” afdrukken voor de persoon" in page
    assert "Interventies" in page and "Er zijn geen interventies gedeeld met uw organisatie." in page
    for english in ("Revision 1: draft.", "milestones achieved", "Achieved on", "Interventions"):
        assert english not in page, english


def test_the_home_pages_overdue_milestones_in_german(world, browser_as):
    _plan, goal, _ = plan_with_goal(world.case, milestones=0)
    due = today() - timedelta(days=3)
    actions.do_add_milestone(goal, description="Call the school", target_on=due, acting_user=user("pn.casemanager"))
    page = _page(browser_as("prob.officer").get("/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "Überfällige Zwischenschritte in meinen Fällen" in page
    assert f'Überfällig seit <time datetime="{due.isoformat()}">{_day(due, "de")}</time>' in page
    assert '<td><a href="/plans/' in page and 'translate="no">Call the school</a>' in page
    assert "Overdue milestones in my cases" not in page and "Overdue since" not in page


def test_a_goal_added_in_german_is_confirmed_in_german(world, browser_as):
    plan, _goal, _ = plan_with_goal(world.case, milestones=0)
    client = browser_as("exit.worker")
    response = client.post(
        f"/plans/{plan.pk}/goals/",
        {"focus_area": "ideology", "description": "Gespräche mit einem Imam.", "owner_organisation": "exit-ngo"},
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    page = _page(response)
    assert "Das Ziel ist hinzugefügt." in page and "Überzeugungen und Ideen" in page
    assert "The goal is added." not in page


def test_an_action_refusal_is_shown_in_french(world, browser_as):
    plan, _goal, _ = plan_with_goal(world.case)
    response = browser_as("pn.casemanager").post(
        f"/plans/{plan.pk}/agreement/",
        {"position": "could_not_answer", "persons_words": "", "reason": "", "recorded_on": str(today())},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez pourquoi la personne n&#x27;a pas pu répondre." in page
    assert "N&#x27;a pas pu répondre" in page  # the choice's label
    assert "Say why the person could not answer." not in page


def test_interventions_in_french(world, browser_as):
    client = browser_as("exit.worker")
    page = _page(client.get(f"/plans/cases/{world.case.pk}/interventions/new/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Ajouter une intervention" in page and "Type d&#x27;intervention" in page
    assert "Accompagnement religieux" in page and "Volontaire" in page and "Obligatoire" in page
    assert "Add an intervention" not in page and "Religious counselling" not in page
    response = client.post(
        f"/plans/cases/{world.case.pk}/interventions/new/",
        {
            "type": "religious_counselling",
            "provider_organisation": "exit-ngo",
            "practitioner": "exit.worker",
            "voluntary": "true",
            "starts_on": str(today() - timedelta(days=30)),
            "frequency": "weekly",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
        follow=True,
    )
    page = _page(response)
    assert "L&#x27;intervention est enregistrée." in page and "Enregistrer une séance" in page
    assert "Aucune séance enregistrée pour l'instant." in page


# --- "My plan" in the person's language ------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "status"), [("police.liaison", 200), ("mentor.one", 404), ("evaluator", 404)])
@pytest.mark.parametrize("language", ["", "?language=de", "?language=xx"])
def test_who_may_print_my_plan_does_not_change_with_the_language(world, browser_as, username, status, language):
    plan, _goal, _ = plan_with_goal(world.case)
    response = browser_as(username).get(f"/plans/{plan.pk}/print/{language}")
    expected = 400 if status == 200 and language.endswith("xx") else status
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("language", "heading", "helps"),
    [
        ("de", "Mein Plan", "Wer mir hilft: Family Counselling Service."),
        ("nl", "Mijn plan", "Wie mij helpt: Family Counselling Service."),
        ("fr", "Mon plan", "Qui m'aide : Family Counselling Service."),
        ("en", "My plan", "Who helps me: Family Counselling Service."),
    ],
)
def test_my_plan_prints_in_the_language_asked_for(world, browser_as, language, heading, helps):
    plan, goal, milestones = plan_with_goal(world.case)
    response = browser_as("pn.casemanager").get(f"/plans/{plan.pk}/print/?language={language}")
    page = _page(response)
    assert _lang_of(page) == language and response["Content-Language"] == language
    assert f"<h1>{heading}</h1>" in page and helps in page
    assert _day(milestones[0].target_on, language) in page
    # The person's and the team's words stay as written.
    assert f'<span translate="no">{goal.persons_own_words}</span>' in page
    assert f'<p translate="no">{goal.description}</p>' in page
    if language != "en":
        assert "My next steps" not in page and "Who helps me" not in page


def test_my_plan_prints_in_the_persons_first_language_that_continuum_speaks(world, browser_as):
    plan, _goal, _ = plan_with_goal(world.case)
    _speaks(world.case.person, ["Arabic", "fr", "nl"])
    page = _page(browser_as("pn.casemanager").get(f"/plans/{plan.pk}/print/", HTTP_ACCEPT_LANGUAGE="de"))
    assert _lang_of(page) == "fr" and "<h1>Mon plan</h1>" in page
    # The user's own pages stay in the user's language.
    assert "Ziele und Zwischenschritte" in _page(
        browser_as("pn.casemanager").get(f"/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="de")
    )


def test_my_plan_follows_the_user_when_the_person_speaks_none_of_continuums_languages(world, browser_as):
    plan, _goal, _ = plan_with_goal(world.case)
    _speaks(world.case.person, ["Arabic", "Tamazight"])
    page = _page(browser_as("pn.casemanager").get(f"/plans/{plan.pk}/print/", HTTP_ACCEPT_LANGUAGE="nl"))
    assert _lang_of(page) == "nl" and "<h1>Mijn plan</h1>" in page


def test_the_persons_language_is_not_used_by_a_reader_who_may_not_read_their_identity(world, browser_as, monkeypatch):
    plan, _goal, _ = plan_with_goal(world.case)
    _speaks(world.case.person, ["fr"])
    # Every plan reader of this world reads the person's identity: stand in for one who does not.
    monkeypatch.setattr(plan_views, "_reads_identity", lambda request, case: False)
    page = _page(browser_as("police.liaison").get(f"/plans/{plan.pk}/print/", HTTP_ACCEPT_LANGUAGE="de"))
    assert _lang_of(page) == "de" and "<h1>Mein Plan</h1>" in page
    assert world.case.person.given_name not in page


@pytest.mark.parametrize("language", ["xx", "", "NL", "nl-BE", "en-gb", "<script>"])
def test_a_language_continuum_does_not_speak_is_a_clear_400(world, browser_as, language):
    plan, _goal, _ = plan_with_goal(world.case)
    response = browser_as("pn.casemanager").get(f"/plans/{plan.pk}/print/", {"language": language})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "“My plan” cannot be printed in that language. Choose one of: en, nl, de, fr."


def test_the_400_is_in_the_users_language(world, browser_as):
    plan, _goal, _ = plan_with_goal(world.case)
    response = browser_as("pn.casemanager").get(f"/plans/{plan.pk}/print/?language=xx", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "„Mein Plan“ kann nicht in dieser Sprache gedruckt werden" in response.content.decode()


@pytest.mark.parametrize(
    ("languages", "code"),
    [
        (["Arabic", "Nederlands"], "nl"),
        (["nl-BE"], "nl"),
        (["DE"], "de"),
        (["French"], "fr"),
        (["Français", "English"], "fr"),
        (["ar", "tzm"], None),
        ([], None),
        ("nl", None),  # not a list: nothing is guessed
        ([None, 3, "fr_BE"], "fr"),
    ],
)
def test_the_persons_interface_language(languages, code):
    assert interface_language(languages) == code


# --- the people texts ---------------------------------------------------------------------------------------------


def test_the_person_choices_are_translated():
    from continuum.people.choices import Gender, LegalStatus, SubjectCategory

    with override("de"):
        assert str(Gender.OTHER.label) == "Divers" and str(SubjectCategory.OTHER.label) == "Sonstige"
        assert str(LegalStatus.DEPORTATION_ORDER.label) == "Ausweisungsverfügung"
    with override("nl"):
        assert str(LegalStatus.NON_EU.label) == "Onderdaan van buiten de EU"


def test_the_matching_explanation_speaks_the_users_language():
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Known:
        given_name: str
        family_name: str
        birth_date: date | None = None
        nationality: str = ""
        aliases: list[str] = field(default_factory=list)

    subject = Subject(given_name="Amira", family_name="Benali", birth_date=date(1994, 3, 2), nationality="NL")
    known = Known("Amira", "Benali", date(1994, 3, 2), "NL")
    with override("de"):
        parts = explain(subject, known).parts()
    assert [what for what, _how, _points in parts] == ["Name", "Geburtsdatum", "Staatsangehörigkeit"]
    assert "Gelesen als Vorname mit Vorname, Nachname mit Nachname" in parts[0][1]
    assert parts[1][1] == "Gleich (1994-03-02)" and parts[2][1] == "Gleich (NL)"
    with override("en"):
        assert explain(subject, known).parts()[1][1] == "The same (1994-03-02)"
