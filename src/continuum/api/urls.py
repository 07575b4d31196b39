"""The REST API: ``/api/v1/`` wired from each app's ``api`` module, plus the schema and its docs.

Object ids in paths are plain strings, not ``<uuid:>``: a malformed id then reaches the view's
``access_*`` helper and gets the same JSON 404 (and the same audit event) as any id that is not
there or not visible (R12).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from continuum.accounts.api import views as accounts_views
from continuum.assessments.api import views as assessments_views
from continuum.audit.api import views as audit_views
from continuum.cases.api import continuity_views as continuity
from continuum.cases.api import views as cases_views
from continuum.conferences.api import views as conferences_views
from continuum.people.api import views as people_views
from continuum.plans.api import views as plans_views
from continuum.sharing.api import views as sharing_views
from continuum.signals.api import views as signals_views

v1 = [
    path("me/", accounts_views.MeView.as_view(), name="me"),
    path("organisations/", accounts_views.OrganisationListView.as_view(), name="organisation-list"),
    path("auth/token/", accounts_views.TokenView.as_view(), name="token"),
    path("auth/token/current/", accounts_views.CurrentTokenView.as_view(), name="token-current"),
    path("audit/verify/", audit_views.VerifyView.as_view(), name="audit-verify"),
    # Persons and cases
    path("persons/", people_views.PersonCreateView.as_view(), name="person-list"),
    path("persons/<str:person_id>/", people_views.PersonDetailView.as_view(), name="person-detail"),
    path("cases/", cases_views.CaseListView.as_view(), name="case-list"),
    path("cases/<str:case_id>/", cases_views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:case_id>/members/", cases_views.CaseMemberListView.as_view(), name="case-member-list"),
    path(
        "cases/<str:case_id>/members/<str:organisation>/",
        cases_views.CaseMemberDetailView.as_view(),
        name="case-member-detail",
    ),
    # Case continuity (issue 4)
    path("cases/<str:case_id>/transfers/", continuity.CaseTransferListView.as_view(), name="case-transfer-list"),
    path(
        "cases/<str:case_id>/custody-episodes/",
        continuity.CaseCustodyEpisodeListView.as_view(),
        name="case-custody-episode-list",
    ),
    path(
        "cases/<str:case_id>/custody-episodes/<str:episode_id>/end/",
        continuity.CustodyEpisodeEndView.as_view(),
        name="custody-episode-end",
    ),
    path("cases/<str:case_id>/sentences/", continuity.CaseSentenceListView.as_view(), name="case-sentence-list"),
    path(
        "cases/<str:case_id>/release-conditions/",
        continuity.CaseReleaseConditionListView.as_view(),
        name="case-release-condition-list",
    ),
    path(
        "cases/<str:case_id>/legal-status-changes/",
        continuity.CaseLegalStatusChangeListView.as_view(),
        name="case-legal-status-change-list",
    ),
    path("cases/<str:case_id>/handovers/", continuity.CaseHandoverListView.as_view(), name="case-handover-list"),
    path(
        "handovers/<str:handover_id>/acknowledge/",
        continuity.HandoverAcknowledgeView.as_view(),
        name="handover-acknowledge",
    ),
    path(
        "cases/<str:case_id>/phase-changes/",
        continuity.CasePhaseChangeListView.as_view(),
        name="case-phase-change-list",
    ),
    path("cases/<str:case_id>/gaps/", continuity.CaseGapListView.as_view(), name="case-gap-list"),
    path("persons/<str:person_id>/timeline/", continuity.PersonTimelineView.as_view(), name="person-timeline"),
    # Case records
    path("cases/<str:case_id>/entries/", cases_views.CaseEntryListView.as_view(), name="case-entry-list"),
    path("entries/<str:entry_id>/", cases_views.EntryDetailView.as_view(), name="entry-detail"),
    path(
        "entries/<str:entry_id>/attachments/<str:attachment_id>/",
        cases_views.EntryAttachmentView.as_view(),
        name="entry-attachment",
    ),
    path("search/", cases_views.SearchView.as_view(), name="search"),
    # Consent, overrides, disclosures, policy
    path(
        "persons/<str:person_id>/consents/",
        sharing_views.PersonConsentListView.as_view(),
        name="person-consent-list",
    ),
    path(
        "consents/<str:consent_id>/withdraw/",
        sharing_views.ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
    path("cases/<str:case_id>/overrides/", sharing_views.CaseOverrideView.as_view(), name="case-override-list"),
    path(
        "persons/<str:person_id>/disclosures/",
        sharing_views.PersonDisclosureListView.as_view(),
        name="person-disclosure-list",
    ),
    path("policy/", sharing_views.PolicyView.as_view(), name="policy"),
    # Signals (central point intake)
    path("signals/", signals_views.SignalListView.as_view(), name="signal-list"),
    path("signals/import/", signals_views.SignalImportView.as_view(), name="signal-import"),
    path("signals/<str:signal_id>/", signals_views.SignalDetailView.as_view(), name="signal-detail"),
    path("signals/<str:signal_id>/triage/", signals_views.SignalTriageView.as_view(), name="signal-triage"),
    path("signals/<str:signal_id>/match/", signals_views.SignalMatchView.as_view(), name="signal-match"),
    path(
        "signals/<str:signal_id>/new-person/",
        signals_views.SignalNewPersonView.as_view(),
        name="signal-new-person",
    ),
    path("signals/<str:signal_id>/notes/", signals_views.SignalNoteListView.as_view(), name="signal-note-list"),
    # Assessments
    path("instruments/", assessments_views.InstrumentListView.as_view(), name="instrument-list"),
    path(
        "cases/<str:case_id>/assessments/",
        assessments_views.CaseAssessmentListView.as_view(),
        name="case-assessment-list",
    ),
    path(
        "cases/<str:case_id>/assessment-trend/",
        assessments_views.CaseAssessmentTrendView.as_view(),
        name="case-assessment-trend",
    ),
    path(
        "assessments/<str:assessment_id>/",
        assessments_views.AssessmentDetailView.as_view(),
        name="assessment-detail",
    ),
    path(
        "assessments/<str:assessment_id>/ratings/",
        assessments_views.AssessmentRatingsView.as_view(),
        name="assessment-ratings",
    ),
    path(
        "assessments/<str:assessment_id>/submit/",
        assessments_views.AssessmentSubmitView.as_view(),
        name="assessment-submit",
    ),
    path(
        "assessments/<str:assessment_id>/consensus/",
        assessments_views.AssessmentConsensusView.as_view(),
        name="assessment-consensus",
    ),
    path(
        "assessments/<str:assessment_id>/finalise/",
        assessments_views.AssessmentFinaliseView.as_view(),
        name="assessment-finalise",
    ),
    # Conferences
    path("conferences/", conferences_views.ConferenceListView.as_view(), name="conference-list"),
    path("conferences.ics", conferences_views.ConferenceCalendarView.as_view(), name="conference-calendar"),
    path(
        "conferences/<str:conference_id>/",
        conferences_views.ConferenceDetailView.as_view(),
        name="conference-detail",
    ),
    path(
        "conferences/<str:conference_id>/pack/",
        conferences_views.ConferencePackView.as_view(),
        name="conference-pack",
    ),
    path(
        "conferences/<str:conference_id>/decisions/",
        conferences_views.ConferenceDecisionListView.as_view(),
        name="conference-decision-list",
    ),
    path(
        "conferences/<str:conference_id>/attendance/",
        conferences_views.ConferenceAttendanceView.as_view(),
        name="conference-attendance",
    ),
    path(
        "conferences/<str:conference_id>/minutes/",
        conferences_views.ConferenceMinutesView.as_view(),
        name="conference-minutes",
    ),
    path("decisions/<str:decision_id>/", conferences_views.DecisionDetailView.as_view(), name="decision-detail"),
    path(
        "decisions/<str:decision_id>/positions/",
        conferences_views.DecisionPositionView.as_view(),
        name="decision-positions",
    ),
    path(
        "decisions/<str:decision_id>/actions/",
        conferences_views.DecisionActionView.as_view(),
        name="decision-actions",
    ),
    path("actions/", conferences_views.ActionListView.as_view(), name="action-list"),
    path("actions/<str:action_id>/complete/", conferences_views.ActionCompleteView.as_view(), name="action-complete"),
    # Plans and interventions
    path("cases/<str:case_id>/plan/", plans_views.CasePlanView.as_view(), name="case-plan"),
    path(
        "cases/<str:case_id>/plan/revisions/",
        plans_views.CasePlanRevisionView.as_view(),
        name="case-plan-revisions",
    ),
    path("cases/<str:case_id>/plans/", plans_views.CasePlanListView.as_view(), name="case-plan-list"),
    path("plans/<str:plan_id>/", plans_views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<str:plan_id>/goals/", plans_views.PlanGoalListView.as_view(), name="plan-goal-list"),
    path("plans/<str:plan_id>/agreement/", plans_views.PlanAgreementView.as_view(), name="plan-agreement"),
    path("goals/<str:goal_id>/", plans_views.GoalDetailView.as_view(), name="goal-detail"),
    path(
        "goals/<str:goal_id>/milestones/",
        plans_views.GoalMilestoneListView.as_view(),
        name="goal-milestone-list",
    ),
    path("milestones/<str:milestone_id>/", plans_views.MilestoneDetailView.as_view(), name="milestone-detail"),
    path(
        "milestones/<str:milestone_id>/achieve/",
        plans_views.MilestoneAchieveView.as_view(),
        name="milestone-achieve",
    ),
    path(
        "cases/<str:case_id>/interventions/",
        plans_views.CaseInterventionListView.as_view(),
        name="case-intervention-list",
    ),
    path(
        "interventions/<str:intervention_id>/",
        plans_views.InterventionDetailView.as_view(),
        name="intervention-detail",
    ),
    path(
        "interventions/<str:intervention_id>/sessions/",
        plans_views.InterventionSessionListView.as_view(),
        name="intervention-session-list",
    ),
    path(
        "interventions/<str:intervention_id>/end/",
        plans_views.InterventionEndView.as_view(),
        name="intervention-end",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
