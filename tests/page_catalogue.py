"""Every page of Continuum, as the persona who may see it (issue 13, "Accessibility as a gate").

``catalogue()`` yields a ``CataloguePage`` (persona, url, title) for every GET page of the URLconf,
resolved with the objects of the demo world (``prepare_world()`` seeds it, as ``continuum seed_demo``
does, and adds what a few pages need: an enrolled user for the second-factor page, an acknowledged
meeting for the pack). ``NOT_PAGES`` names every URL that is not a page (POST-only, downloads, feeds,
htmx fragments, the JSON API) and why; ``tests/test_page_catalogue.py`` fails when a URL name of the
URLconf is in neither, so that a new page cannot escape the gates that use the catalogue (axe-core in
``tests/e2e/test_accessibility.py``, the languages in ``tests/test_every_page_translated.py``).

A persona is a demo username (``continuum/accounts/demo.py``), or ``None`` for a visitor who is not
logged in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

# The persona whose (confirmed) authenticator makes the second step of the login reachable.
ENROLLED_PERSONA = "evaluator"
# A user of Mentor Network without a mentor profile (the form to add one offers them).
NEW_MENTOR = "mentor.new"


class CataloguePage(NamedTuple):
    persona: str | None
    url: str
    title: str


# URL names (``namespace:name``, or the route of an unnamed pattern) that are not pages, and why.
POST_ONLY = "POST only: a form's action, answered by a redirect"
NOT_PAGES: dict[str, str] = {
    "accounts:set_language": POST_ONLY,
    "accounts:logout": POST_ONLY,
    "accounts:revoke_token": POST_ONLY,
    "accounts:user_reset_two_factor": POST_ONLY,
    "accounts:user_unlock": POST_ONLY,
    "accounts:passkey_remove": POST_ONLY,
    "accounts:oidc_login": "a redirect to the identity provider (single sign-on)",
    "accounts:oidc_callback": "the identity provider's redirect back, answered by a redirect",
    "accounts:oidc_failed": "a redirect to the login page with the reason",
    "accounts:oidc_reauthenticate": "a redirect to the identity provider (re-authentication)",
    "assessments:rating_save": POST_ONLY + " (the rating page's autosave)",
    "assessments:submit": POST_ONLY,
    "assessments:consensus": POST_ONLY,
    "assessments:finalise": POST_ONLY,
    "cases:case_update": POST_ONLY,
    "cases:member_add": POST_ONLY,
    "cases:member_end": POST_ONLY,
    "cases:consent_add": POST_ONLY,
    "cases:consent_withdraw": POST_ONLY,
    "cases:override_add": POST_ONLY,
    "cases:entry_audience": "htmx fragment of the entry form (checked on the entry form's page)",
    "cases:transfer_add": POST_ONLY,
    "cases:custody_add": POST_ONLY,
    "cases:custody_end": POST_ONLY,
    "cases:sentence_add": POST_ONLY,
    "cases:condition_add": POST_ONLY,
    "cases:legal_status_change": POST_ONLY,
    "cases:handover_add": POST_ONLY,
    "cases:handover_acknowledge": POST_ONLY,
    "cases:attachment_download": "download of an attachment's file",
    "conferences:calendar_feed": "iCalendar feed (text/calendar)",
    "conferences:calendar_link_create": POST_ONLY,
    "conferences:calendar_link_stop": POST_ONLY,
    "conferences:action_complete": POST_ONLY,
    "conferences:position_give": POST_ONLY,
    "conferences:action_add": POST_ONLY,
    "conferences:attendance": POST_ONLY,
    "conferences:decision_add": POST_ONLY,
    "conferences:minutes_add": POST_ONLY,
    "conferences:occurrence_cancel": POST_ONLY,
    "conferences:general_minutes": POST_ONLY,
    "conferences:pack_pdf": "download of the meeting pack as PDF",
    "insights:publication_pdf": "download of a published report as PDF",
    "insights:research_export": "download of the research export as CSV (a page only when refused)",
    "plans:plan_start": POST_ONLY,
    "plans:plan_update": POST_ONLY,
    "plans:goal_add": POST_ONLY,
    "plans:agreement_record": POST_ONLY,
    "plans:goal_remove": POST_ONLY,
    "plans:milestone_add": POST_ONLY,
    "plans:milestone_achieve": POST_ONLY,
    "plans:session_add": POST_ONLY,
    "plans:intervention_end": POST_ONLY,
    "plans:participant_add": POST_ONLY,
    "plans:group_session_add": POST_ONLY,
    "sharing:override_review": POST_ONLY,
    "transition:plan_create": POST_ONLY,
    "transition:plan_update": POST_ONLY,
    "transition:item_update": POST_ONLY,
    "transition:scenario_add": POST_ONLY,
    "transition:condition_review": POST_ONLY,
    "transition:release": POST_ONLY,
    "transition:resettlement_check_add": POST_ONLY,
    "transition:reoffending_add": POST_ONLY,
    "families:relationship_add": POST_ONLY,
    "families:child_add": POST_ONLY,
    "families:refusal_add": POST_ONLY,
    "families:re_offer_add": POST_ONLY,
    "families:placement_add": POST_ONLY,
    "families:profile_update": POST_ONLY,
    "families:best_interest_add": POST_ONLY,
    "families:contact_order_add": POST_ONLY,
    "families:visit_add": POST_ONLY,
    "families:visit_update": POST_ONLY,
    "families:file_open": POST_ONLY,
    "families:client_add": POST_ONLY,
    "families:counsellor_add": POST_ONLY,
    "families:counsellor_end": POST_ONLY,
    "families:clearing_add": POST_ONLY,
    "families:help_plan_save": POST_ONLY,
    "families:session_add": POST_ONLY,
    "families:day_create": POST_ONLY,
    "families:participant_add": POST_ONLY,
    "families:attendance": POST_ONLY,
    "training:course_add": POST_ONLY,
    "training:requirement_add": POST_ONLY,
    "training:completion_add": POST_ONLY,
    "training:session_add": POST_ONLY,
    "training:attendance": POST_ONLY,
    "mentoring:my_profile": "a redirect to the mentor's own profile (catalogued as mentoring:mentor_detail)",
    "mentoring:supervision_add": POST_ONLY,
    "mentoring:match_add": POST_ONLY,
    "mentoring:session_add": POST_ONLY,
    "mentoring:mentoring_end": POST_ONLY,
    "signals:signal_triage": POST_ONLY,
    "signals:signal_match": POST_ONLY,
    "signals:signal_new_person": POST_ONLY,
    "signals:signal_note": POST_ONLY,
    "dataprotection:subject_access_download": "a download (the subject access export, PDF or JSON)",
    "dataprotection:subject_access_restrict": POST_ONLY,
    "dataprotection:retention_hold": POST_ONLY,
    "dataprotection:retention_hold_end": POST_ONLY,
    "api:schema": "the OpenAPI schema (YAML or JSON)",
    "favicon.ico": "the icon (SVG)",
}
# Whole namespaces that hold no pages.
NOT_PAGE_NAMESPACES: dict[str, str] = {
    "v1": "the REST API (JSON), documented at /api/docs/",
    "otp_webauthn": "the passkey ceremonies (JSON) and their script's translations (JavaScript)",
}


def url_names() -> set[str]:
    """Every URL name of the URLconf (``namespace:name``); an unnamed pattern by its route; the
    patterns of ``NOT_PAGE_NAMESPACES`` are left out."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
                inner = inner or namespace
                if inner in NOT_PAGE_NAMESPACES:
                    continue
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
                else:
                    names.add(str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return names


def url_name_of(url: str) -> str:
    return resolve(url.split("?", 1)[0]).view_name


# --- The demo world -------------------------------------------------------------------------------


def prepare_world() -> None:
    """The demo world (every app's ``demo.seed``), an enrolled user, and an acknowledged meeting."""
    from django_otp.oath import TOTP

    from continuum.accounts import actions as account_actions
    from continuum.accounts.models import User
    from continuum.accounts.twofactor import has_confirmed_device
    from continuum.conferences.actions import do_record_attendance
    from continuum.conferences.demo import CUSTODY_UNIT_TITLE
    from continuum.conferences.models import Conference

    call_command("seed_demo", stdout=_Null())
    user = User.objects.get(username=ENROLLED_PERSONA)
    if not has_confirmed_device(user):
        device = account_actions.do_start_totp_enrolment(user)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        assert account_actions.do_confirm_totp_device(device, str(totp.token()).zfill(device.digits), acting_user=user)
    # A mentor without a profile yet, so that the form "Add a mentor's profile" has someone to offer.
    if not User.objects.filter(username=NEW_MENTOR).exists():
        from continuum.accounts.models import Organisation

        account_actions.do_create_user(
            username=NEW_MENTOR,
            first_name="Mira",
            last_name="Jansen",
            organisation=Organisation.objects.get(slug="mentor-network"),
            role="mentor",
            acting_user=None,
        )
    chair = User.objects.get(username="prob.officer")
    conference = Conference.objects.get(title=CUSTODY_UNIT_TITLE)
    do_record_attendance(conference, present=True, acknowledge_confidentiality=True, acting_user=chair)
    # Statistics need more cases than the demo's six: a small synthetic cohort and one report.
    from continuum.insights import cohort
    from continuum.insights.actions import do_publish
    from continuum.insights.models import Publication

    cohort.seed(60)
    if not Publication.objects.exists():
        do_publish(
            title="Continuum in numbers",
            tables_asked=[{"measure": "cases", "by": ["gender"], "title": "Cases by gender"}],
            acting_user=User.objects.get(username="cp.coordinator"),
        )


class _Null:
    def write(self, *_args: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def _case(given: str, family: str) -> Any:
    from continuum.cases.models import Case

    return Case.objects.select_related("person").get(person__given_name=given, person__family_name=family)


def _release_month(case: Any) -> dict[str, str]:
    """The month view of the month a case's release is expected in."""
    from continuum.transition.models import ReleasePlan

    plan = ReleasePlan.objects.get(case=case)
    return {"view": "month", "month": plan.expected_release_on.strftime("%Y-%m")}


def catalogue() -> Iterator[CataloguePage]:
    """Every GET page, as a persona who may see it, in the world of ``prepare_world()``."""
    from continuum.accounts.models import Organisation
    from continuum.assessments.models import Assessment
    from continuum.cases.models import Entry
    from continuum.conferences.demo import CUSTODY_UNIT_TITLE, PAST_TITLE, WEEKLY_TITLE
    from continuum.conferences.models import Conference
    from continuum.plans.models import GroupProgramme, Intervention, Plan
    from continuum.signals.models import Signal

    amira = _case("Amira", "Benali")
    yusuf = _case("Yusuf", "Demir")
    # A case led by an organisation with a coordinator: its disclosures and "view as" are theirs.
    municipal = _case("Sofia", "Lindqvist")

    def page(persona: str | None, name: str, title: str, query: dict[str, str] | None = None, **kwargs: Any):
        url = reverse(name, kwargs=kwargs or None)
        return CataloguePage(persona, f"{url}?{urlencode(query)}" if query else url, title)

    # --- Logging in and one's own account
    yield page(None, "accounts:login", "Log in")
    yield page(ENROLLED_PERSONA, "accounts:verify", "Second step of the login (enrolled user)")
    yield page("prob.officer", "accounts:enrol", "Set up two-factor authentication")
    yield page("prob.officer", "accounts:account", "My account")
    yield page("prob.officer", "accounts:passkeys", "Passkeys")
    yield page("prob.officer", "accounts:reauthenticate", "Confirm it is you (re-authentication)")

    # --- Home, per kind of user
    for persona in ("prob.officer", "pn.casemanager", "cp.analyst", "muni.coordinator", "mentor.one", "admin", "dpo"):
        yield page(persona, "home", f"Home of {persona}")

    # --- Administration
    org = Organisation.objects.get(slug="probation")
    yield page("admin", "accounts:organisation_list", "Organisations")
    yield page("admin", "accounts:organisation_new", "New organisation")
    yield page("admin", "accounts:organisation_edit", "Edit an organisation", slug=org.slug)
    yield page("admin", "accounts:user_list", "Users")
    yield page("admin", "accounts:user_new", "New user")
    yield page("admin", "accounts:user_edit", "Edit a user", username="prob.officer")

    # --- Audit, sharing oversight (the data protection officer)
    yield page("dpo", "audit:event_list", "Audit log")
    yield page("dpo", "audit:chain", "Audit chain")
    yield page("dpo", "sharing:policy", "Sharing policy matrix")
    yield page("dpo", "sharing:overrides", "Legal overrides to review")
    yield page("dpo", "sharing:disclosures", "Disclosure report (form)")
    yield page("dpo", "sharing:disclosures", "Disclosure report of a person", query={"person": amira.person.reference})
    yield page("dpo", "dataprotection:subject_access_find", "Subject access (find a person)")
    yield page("dpo", "dataprotection:subject_access", "Subject access of a person", person_id=amira.person.pk)
    yield page("dpo", "dataprotection:retention", "Retention (review queue and legal holds)")

    # --- Cases
    yield page("pn.casemanager", "cases:case_list", "My cases")
    yield page("pn.casemanager", "cases:case_list", "Cases, filtered", query={"q": "amira"})
    yield page("pn.casemanager", "cases:case_new", "Open a case")
    yield page("pn.casemanager", "cases:case_detail", "Case page (lead prison)", case_id=amira.pk)
    yield page("prob.officer", "cases:case_detail", "Case page (probation)", case_id=yusuf.pk)
    yield page("police.liaison", "cases:case_detail", "Case page (police)", case_id=amira.pk)
    from continuum.cases.views import CASE_PARTS

    for part in CASE_PARTS:
        yield page("pn.casemanager", "cases:case_part", f"Case part {part} as a page", case_id=amira.pk, part=part)
    yield page("pn.casemanager", "cases:entry_new", "Add a journal entry", case_id=amira.pk)
    entry = Entry.objects.filter(case=amira, author__username="pn.casemanager").order_by("created_at").first()
    assert entry is not None
    yield page("pn.casemanager", "cases:entry_detail", "A journal entry", entry_id=entry.pk)
    yield page("pn.casemanager", "cases:view_as", "The case as probation sees it", case_id=amira.pk, slug="probation")
    yield page("muni.coordinator", "cases:case_disclosures", "Disclosures of a case", case_id=municipal.pk)
    yield page(
        "muni.coordinator",
        "cases:view_as",
        "The case as a coordinator sees it for the exit programme",
        case_id=municipal.pk,
        slug="exit-ngo",
    )
    yield page("pn.casemanager", "search", "Search (empty)")
    yield page("pn.casemanager", "search", "Search results", query={"q": "Amira"})
    yield page("pn.casemanager", "person_timeline", "A person's timeline", person_id=amira.person_id)

    # --- Assessments
    yield page("pn.psychologist", "assessments:overdue", "Reviews due")
    yield page("pn.psychologist", "assessments:open", "Start an assessment", case_id=amira.pk)
    yield page("pn.psychologist", "assessments:trend", "Assessment trend", case_id=amira.pk)
    finalised = Assessment.objects.filter(case=amira, status="finalised").order_by("-finalised_on").first()
    rating = Assessment.objects.filter(case=amira, status="draft").first()
    assert finalised is not None and rating is not None
    yield page("pn.psychologist", "assessments:detail", "A finalised assessment", assessment_id=finalised.pk)
    yield page("pn.psychologist", "assessments:detail", "Rating page (assessor)", assessment_id=rating.pk)
    yield page("prob.officer", "assessments:detail", "Assessment, ratings submitted", assessment_id=rating.pk)

    # --- Plans and interventions
    plan = Plan.objects.filter(case=amira).order_by("-revision").first()
    assert plan is not None
    yield page("pn.casemanager", "plans:plan_detail", "A plan", plan_id=plan.pk)
    yield page("pn.casemanager", "plans:plan_print", "My plan (print)", plan_id=plan.pk)
    yield page("pn.casemanager", "plans:intervention_new", "Add an intervention", case_id=amira.pk)
    intervention = Intervention.objects.filter(case=amira, type="ideological_dialogue").first()
    assert intervention is not None
    yield page("pn.casemanager", "plans:intervention_detail", "An intervention", intervention_id=intervention.pk)
    # Group programmes (issue 16): Prison North's group, co-facilitated by the exit NGO.
    group = GroupProgramme.objects.get(provider_organisation__slug="prison-north")
    held = group.sessions.filter(held_on__lte=timezone.localdate()).order_by("-held_on").first()
    assert held is not None
    place = Intervention.objects.get(group=group, case=amira)
    yield page("pn.casemanager", "plans:programme_list", "Group programmes")
    yield page("pn.casemanager", "plans:programme_detail", "A group programme", programme_id=group.pk)
    yield page("exit.worker", "plans:programme_detail", "A group programme (co-facilitator)", programme_id=group.pk)
    yield page("pn.casemanager", "plans:group_session", "A group session's attendance", session_id=held.pk)
    yield page("prob.officer", "plans:intervention_detail", "A place in a group programme", intervention_id=place.pk)

    # --- Conferences
    unit = Conference.objects.get(title=CUSTODY_UNIT_TITLE)
    yield page("prob.officer", "conferences:conference_list", "Conferences")
    yield page("prob.officer", "conferences:conference_new", "Schedule a conference")
    yield page("prob.officer", "conferences:open_actions", "Open actions")
    yield page("prob.officer", "conferences:conference_detail", "A meeting (acknowledged)", conference_id=unit.pk)
    yield page(
        "pn.casemanager", "conferences:conference_detail", "A meeting (before acknowledging)", conference_id=unit.pk
    )
    for title in (WEEKLY_TITLE, PAST_TITLE):
        other = Conference.objects.get(title=title)
        yield page("muni.coordinator", "conferences:conference_detail", f"Meeting: {title}", conference_id=other.pk)
    yield page("prob.officer", "conferences:pack", "Meeting pack", conference_id=unit.pk)

    yield page(
        "ps.casemanager",
        "conferences:conference_new",
        "Schedule the pre-release meeting (from a release plan)",
        query={"kind": "pre_release_meeting", "case": str(yusuf.pk)},
    )

    # --- Release plans and the release calendar
    daniel = _case("Daniel", "Kovac")
    yield page("ps.casemanager", "transition:release_plan", "Release plan (lead prison)", case_id=yusuf.pk)
    yield page("muni.coordinator", "transition:release_plan", "Release plan (municipality)", case_id=yusuf.pk)
    yield page("muni.coordinator", "transition:release_plan", "Release plan, released", case_id=municipal.pk)
    yield page("pn.casemanager", "transition:release_plan", "Release plan, to begin", case_id=amira.pk)
    yield page("police.liaison", "transition:release_plan", "Release plan, none yet (reader)", case_id=daniel.pk)
    yield page("cp.coordinator", "transition:calendar", "Release calendar (central point)")
    yield page("prob.officer2", "transition:calendar", "Release calendar (probation)")
    yield page("cp.coordinator", "transition:calendar", "Release calendar, a month", query={"view": "month"})
    yield page("prob.officer2", "transition:calendar", "Release calendar, a month ahead", query=_release_month(yusuf))

    # --- Statistics (issue 17)
    from continuum.insights.models import Publication

    yield page("cp.analyst", "insights:tables", "Statistics")
    yield page(
        "cp.analyst",
        "insights:tables",
        "Statistics, a table of every case",
        query={"measure": "cases", "by1": "gender", "by2": "release_year", "scope": "all"},
    )
    yield page(
        "prob.officer",
        "insights:tables",
        "Statistics, my cases",
        query={"measure": "cases", "by1": "phase", "scope": "mine"},
    )
    yield page("prob.officer", "insights:dashboard", "Outcomes, my cases (each of them listed)")
    yield page(
        "cp.analyst",
        "insights:dashboard",
        "Outcomes of every case, by year of release",
        query={"scope": "all", "by": "release_year"},
    )
    yield page("cp.coordinator", "insights:publications", "Published reports (with the builder)")
    yield page("cp.analyst", "insights:publications", "Published reports")
    report = Publication.objects.order_by("published_at").first()
    assert report is not None
    yield page("cp.analyst", "insights:publication", "A published report", publication_id=report.pk)
    from continuum.insights.models import Lesson

    yield page("prob.officer", "insights:lessons", "Lessons learned")
    lesson = Lesson.objects.order_by("written_at").first()
    assert lesson is not None
    yield page("police.liaison", "insights:lesson", "A lesson learned", lesson_id=lesson.pk)

    # --- Families and children
    from continuum.families.models import FamilyDay, FamilyFile, Relationship

    yasmin = Relationship.objects.get(case=amira, kind="child", relative__given_name="Yasmin").relative
    daniel_case = _case("Daniel", "Kovac")
    yield page("cw.worker", "cases:case_part", "Family part (child welfare)", case_id=amira.pk, part="family")
    yield page("prob.officer", "cases:case_part", "Family part, a refusal", case_id=daniel_case.pk, part="family")
    yield page("cw.worker", "families:child", "A child's page (child welfare)", child_id=yasmin.pk)
    yield page("mh.clinician", "families:child", "A child's page (reader)", child_id=yasmin.pk)
    yield page("family.counsellor", "families:file_list", "Family files")
    family_file = FamilyFile.objects.get(case=amira)
    yield page("family.counsellor", "families:file_detail", "A family file", file_id=family_file.pk)
    yield page("pn.casemanager", "families:day_list", "Family days")
    family_day = FamilyDay.objects.order_by("held_on").first()
    assert family_day is not None
    yield page("pn.casemanager", "families:day_detail", "A family day", day_id=family_day.pk)

    # --- Mentoring
    from continuum.mentoring.models import Mentoring, MentorProfile

    mentor = MentorProfile.objects.get(user__username="mentor.one")
    match = Mentoring.objects.get(case=daniel_case, mentor=mentor)
    sofia = _case("Sofia", "Lindqvist")
    yield page("cp.coordinator", "mentoring:mentor_list", "Mentors")
    yield page("cp.coordinator", "mentoring:mentor_new", "Add a mentor's profile")
    yield page("cp.coordinator", "mentoring:mentor_detail", "A mentor's profile (coordinator)", mentor_id=mentor.pk)
    yield page("mentor.one", "mentoring:mentor_detail", "My mentor profile", mentor_id=mentor.pk)
    yield page("prob.officer", "mentoring:suggestions", "Find a mentor", case_id=sofia.pk)
    yield page(
        "prob.officer", "mentoring:suggestions", "Find a mentor, a preference", {"gender": "female"}, case_id=sofia.pk
    )
    yield page("prob.officer", "mentoring:mentoring_detail", "A mentoring (the case manager)", mentoring_id=match.pk)
    yield page("mentor.one", "mentoring:mentoring_detail", "A mentoring (the mentor)", mentoring_id=match.pk)
    yield page("prob.officer", "cases:case_part", "Mentoring part", case_id=daniel_case.pk, part="mentoring")
    yield page("mentor.one", "cases:case_part", "Mentoring part (the mentor)", case_id=daniel_case.pk, part="mentoring")

    # --- Training
    yield page("pn.psychologist", "training:mine", "My training, an expired certification")
    yield page("exit.worker", "training:mine", "My training, nothing missing")
    yield page("cp.coordinator", "training:catalogue", "Course catalogue (coordinator, with its forms)")
    yield page("police.liaison", "training:catalogue", "Course catalogue (reader)")
    yield page("cp.coordinator", "training:course", "A course, with sessions and completions", code="trauma-informed")
    yield page("cp.coordinator", "training:course", "A certification, one expired", code="mar-certification")
    yield page("pn.psychologist", "training:course", "A course (its own completions)", code="mar-certification")
    yield page("cp.coordinator", "training:organisation_gaps", "Training gaps of Prison North", slug="prison-north")
    yield page(
        "muni.coordinator",
        "training:organisation_gaps",
        "Training gaps (own organisation)",
        slug="municipality-harbour",
    )
    yield page("pn.casemanager", "cases:case_part", "Training part of a case", case_id=amira.pk, part="training")

    # --- Signals
    new = Signal.objects.filter(status="new").order_by("created_at").first()
    included = Signal.objects.filter(status="included").order_by("created_at").first()
    assert new is not None and included is not None
    yield page("cp.analyst", "signals:queue", "Signals to triage")
    yield page("cp.analyst", "signals:monitoring", "Monitored signals")
    yield page("cp.analyst", "signals:import", "Import signals")
    yield page("cp.coordinator", "signals:overview", "Central point's overview")
    yield page("cp.analyst", "signals:signal_detail", "A signal under triage", signal_id=new.pk)
    yield page("cp.analyst", "signals:signal_detail", "An included signal", signal_id=included.pk)
    yield page("ps.casemanager", "signals:report", "Report a signal")
    yield page("ps.casemanager", "signals:my_signals", "My signals")

    # --- The API's documentation
    yield page(None, "api:docs", "API documentation (Swagger UI)")
    yield page(None, "api:redoc", "API documentation (ReDoc)")
