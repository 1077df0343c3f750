"""Reads of Protective Monitoring.

* :mod:`~monitoring.selectors.scoping` — the visible-to selectors, the one place where
  signals, reveal requests and follow-ups are scoped to the user who asks;
* :mod:`~monitoring.selectors.review` — the queue, burst groups, a signal's page and the
  feedback figures, all built on the visible-to selectors;
* :mod:`~monitoring.selectors.timeline` — the roster lane as detection sees it;
* :mod:`~monitoring.selectors.export` — the operators' signal export.
"""

from monitoring.selectors.export import signals_for_export
from monitoring.selectors.review import (
    BURST_MEMBERS_SHOWN,
    DISMISS_CATEGORIES,
    SIGNAL_DEFAULT_SORT,
    SIGNAL_SORTS,
    BurstGroup,
    EvidenceRow,
    FeedbackRow,
    SignalPage,
    burst_groups,
    burst_members,
    dismissal_feedback,
    feedback_base,
    four_eyes_required,
    open_followup_count,
    open_signal_count,
    parameter,
    pending_reveal_count,
    signal_page,
    signal_queue,
    signals_disclosable_to,
    team_chiefs_for,
    team_of,
    volume_for,
)
from monitoring.selectors.scoping import (
    followups_visible_to,
    pseudonymised_signal_count,
    reveals_visible_to,
    signals_visible_to,
)
from monitoring.selectors.timeline import duty_segments

__all__ = [
    "BURST_MEMBERS_SHOWN",
    "DISMISS_CATEGORIES",
    "SIGNAL_DEFAULT_SORT",
    "SIGNAL_SORTS",
    "BurstGroup",
    "EvidenceRow",
    "FeedbackRow",
    "SignalPage",
    "burst_groups",
    "burst_members",
    "dismissal_feedback",
    "duty_segments",
    "feedback_base",
    "followups_visible_to",
    "four_eyes_required",
    "open_followup_count",
    "open_signal_count",
    "parameter",
    "pending_reveal_count",
    "pseudonymised_signal_count",
    "reveals_visible_to",
    "signal_page",
    "signal_queue",
    "signals_disclosable_to",
    "signals_for_export",
    "signals_visible_to",
    "team_chiefs_for",
    "team_of",
    "volume_for",
]
