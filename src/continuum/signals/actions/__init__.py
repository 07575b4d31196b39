"""Reporting, enriching, matching and triaging signals (issue 4; seed 003: the Dutch central point, PARE).

Every state change of a signal goes through one of these actions: atomic, validating, writing, and
appending its audit event in the same transaction (STYLE.md 2). Views, the API, the CSV import, the
demo seeder and the tests call them.

Each subject has its module; every action is importable from here, as ``continuum.signals.actions.do_x``.
"""

from continuum.signals.actions._common import MAX_DESCRIPTION as MAX_DESCRIPTION
from continuum.signals.actions._common import MAX_NOTE as MAX_NOTE
from continuum.signals.actions._common import MAX_RATIONALE as MAX_RATIONALE
from continuum.signals.actions.matching import do_add_signal_note as do_add_signal_note
from continuum.signals.actions.matching import do_confirm_match as do_confirm_match
from continuum.signals.actions.matching import do_create_person_from_signal as do_create_person_from_signal
from continuum.signals.actions.reporting import SubjectDetails as SubjectDetails
from continuum.signals.actions.reporting import do_report_signal as do_report_signal
from continuum.signals.actions.reporting import report_errors as report_errors
from continuum.signals.actions.reporting import subject_errors as subject_errors
from continuum.signals.actions.triage import AUTOMATIC_INCLUSION_RULE as AUTOMATIC_INCLUSION_RULE
from continuum.signals.actions.triage import central_point_organisation as central_point_organisation
from continuum.signals.actions.triage import do_triage_signal as do_triage_signal
