"""Opening and changing cases, their teams, the journal, and the case's course (custody, transfers,
sentences, release conditions, legal status, hand-overs).

Each subject has its module; every action is importable from here, as ``continuum.cases.actions.do_x``.
"""

from continuum.cases.actions.cases import CASE_FIELDS as CASE_FIELDS
from continuum.cases.actions.cases import do_open_case as do_open_case
from continuum.cases.actions.cases import do_update_case as do_update_case
from continuum.cases.actions.continuity import current_custody_episode as current_custody_episode
from continuum.cases.actions.continuity import do_add_release_condition as do_add_release_condition
from continuum.cases.actions.continuity import do_change_legal_status as do_change_legal_status
from continuum.cases.actions.continuity import do_end_custody_episode as do_end_custody_episode
from continuum.cases.actions.continuity import do_record_sentence as do_record_sentence
from continuum.cases.actions.continuity import do_start_custody_episode as do_start_custody_episode
from continuum.cases.actions.handovers import do_acknowledge_handover as do_acknowledge_handover
from continuum.cases.actions.handovers import do_handover as do_handover
from continuum.cases.actions.journal import do_add_entry as do_add_entry
from continuum.cases.actions.journal import resolve_withholding as resolve_withholding
from continuum.cases.actions.team import do_add_member as do_add_member
from continuum.cases.actions.team import do_end_membership as do_end_membership
from continuum.cases.actions.transfers import do_leave_custody as do_leave_custody
from continuum.cases.actions.transfers import do_transfer as do_transfer
