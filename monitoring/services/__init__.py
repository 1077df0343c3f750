"""Writes of Protective Monitoring. Keyword arguments and an ``acting_user`` throughout.

Commands, tasks, the administration screens and the review pages call these, and nothing
else, to change monitoring data:

* :mod:`~monitoring.services.config` — detection parameters, indicator weights, scope rules
  and bordering regions, each change stamped with who made it and why;
* :mod:`~monitoring.services.imports` — reference data and access logs (each import records
  its own :class:`~monitoring.models.ImportBatch`);
* :mod:`~monitoring.services.detection` — planning and starting detection runs;
* :mod:`~monitoring.services.calibration` — dry runs for a new department, and the decisions
  on the scope rules they propose;
* :mod:`~monitoring.services.retention` — removing events after the retention period;
* :mod:`~monitoring.services.review` — the analysts' decisions and the team chiefs'
  conversations.
"""

from monitoring.services.calibration import calibrate_detection, decide_scope_proposal
from monitoring.services.config import (
    delete_region_neighbour,
    delete_scope_rule,
    ensure_detection_settings,
    save_indicator_setting,
    save_parameter,
    save_region_neighbour,
    save_scope_rule,
)
from monitoring.services.consent import (
    propose_change,
    record_council_decision,
    withdraw_change,
)
from monitoring.services.detection import start_detection
from monitoring.services.imports import import_access_logs, import_reference_data
from monitoring.services.protocol import confirm_protocol_receipt, publish_protocol
from monitoring.services.retention import purge_expired_monitoring_data
from monitoring.services.review import (
    FeedbackRule,
    bulk_dismiss,
    claim_signal,
    decide_reveal,
    dismiss_signal,
    draft_summary,
    escalate_to_case_intake,
    escalate_to_team_chief,
    forward_to_commissioner,
    outcome_message,
    record_conversation,
    reopen_returned_signal,
    request_reveal,
    reveal_identity,
    reveal_purpose,
    send_due_employee_notices,
)

__all__ = [
    "FeedbackRule",
    "bulk_dismiss",
    "calibrate_detection",
    "claim_signal",
    "confirm_protocol_receipt",
    "decide_reveal",
    "decide_scope_proposal",
    "delete_region_neighbour",
    "delete_scope_rule",
    "dismiss_signal",
    "draft_summary",
    "ensure_detection_settings",
    "escalate_to_case_intake",
    "escalate_to_team_chief",
    "forward_to_commissioner",
    "import_access_logs",
    "import_reference_data",
    "outcome_message",
    "propose_change",
    "publish_protocol",
    "purge_expired_monitoring_data",
    "record_conversation",
    "record_council_decision",
    "reopen_returned_signal",
    "request_reveal",
    "reveal_identity",
    "reveal_purpose",
    "save_indicator_setting",
    "save_parameter",
    "save_region_neighbour",
    "save_scope_rule",
    "send_due_employee_notices",
    "start_detection",
    "withdraw_change",
]
