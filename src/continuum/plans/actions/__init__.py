"""Plans, goals, milestones, the person's agreement, and interventions with their sessions (issue 6).

Every action is atomic, validates before it writes, re-checks that the author's organisation sees
what it wrote, and writes its audit event in the same transaction. Agreed and superseded plans
never change: a change is a new revision (``do_start_plan_revision``). A plan becomes agreed only
through ``do_agree_plan``, which the conferences app calls for an agreed decision; no page or API
call of this app sets a plan to agreed.

Each subject has its module; every action is importable from here, as ``continuum.plans.actions.do_x``.
"""

from continuum.plans.actions._common import MAX_TEXT as MAX_TEXT
from continuum.plans.actions.goals import GOAL_FIELDS as GOAL_FIELDS
from continuum.plans.actions.goals import do_achieve_milestone as do_achieve_milestone
from continuum.plans.actions.goals import do_add_goal as do_add_goal
from continuum.plans.actions.goals import do_add_milestone as do_add_milestone
from continuum.plans.actions.goals import do_remove_goal as do_remove_goal
from continuum.plans.actions.goals import do_update_goal as do_update_goal
from continuum.plans.actions.groups import do_add_group_participant as do_add_group_participant
from continuum.plans.actions.groups import do_create_programme as do_create_programme
from continuum.plans.actions.groups import do_record_attendance as do_record_attendance
from continuum.plans.actions.groups import do_record_group_session as do_record_group_session
from continuum.plans.actions.interventions import do_add_intervention as do_add_intervention
from continuum.plans.actions.interventions import do_end_intervention as do_end_intervention
from continuum.plans.actions.interventions import do_record_session as do_record_session
from continuum.plans.actions.interventions import intervention_category as intervention_category
from continuum.plans.actions.plans import PLAN_FIELDS as PLAN_FIELDS
from continuum.plans.actions.plans import do_agree_plan as do_agree_plan
from continuum.plans.actions.plans import do_create_plan as do_create_plan
from continuum.plans.actions.plans import do_record_agreement as do_record_agreement
from continuum.plans.actions.plans import do_start_plan_revision as do_start_plan_revision
from continuum.plans.actions.plans import do_update_plan as do_update_plan
