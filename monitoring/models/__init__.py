"""Models of Protective Monitoring: configuration, reference data, events, detection, signals,
review (identity reveals and follow-up conversations)."""

from monitoring.models.calibration import CalibrationReport, ScopeProposal
from monitoring.models.config import (
    IndicatorSetting,
    MonitoringParameter,
    RegionNeighbour,
    ScopeRule,
)
from monitoring.models.consent import CouncilDecision, ProtocolChange
from monitoring.models.detection import (
    DailyActivity,
    DetectionChunk,
    DetectionRun,
    EventFinding,
    PeerBaseline,
    SubjectBurst,
    UnexplainedAccess,
)
from monitoring.models.events import (
    EVENT_ACTIONS,
    AccessEvent,
    EventFlag,
    HeldAccessEvent,
    ImportBatch,
    ImportRejection,
    RetentionRun,
)
from monitoring.models.protocol import MonitoringProtocol, ProtocolReceipt
from monitoring.models.reference import (
    Assignment,
    EmployeeHome,
    EmployeeRelation,
    Incident,
    MatchingKeyRecord,
    RosterEntry,
    Subject,
    SubjectIncident,
)
from monitoring.models.review import (
    EmployeeNotice,
    FollowUp,
    FollowUpViolationKind,
    IdentityReveal,
)
from monitoring.models.signals import Signal, SignalEvidence, SignalIndicator

__all__ = [
    "EVENT_ACTIONS",
    "AccessEvent",
    "Assignment",
    "CalibrationReport",
    "CouncilDecision",
    "DailyActivity",
    "DetectionChunk",
    "DetectionRun",
    "EmployeeHome",
    "EmployeeNotice",
    "EmployeeRelation",
    "EventFinding",
    "EventFlag",
    "FollowUp",
    "FollowUpViolationKind",
    "HeldAccessEvent",
    "IdentityReveal",
    "ImportBatch",
    "ImportRejection",
    "Incident",
    "IndicatorSetting",
    "MatchingKeyRecord",
    "MonitoringParameter",
    "MonitoringProtocol",
    "PeerBaseline",
    "ProtocolChange",
    "ProtocolReceipt",
    "RegionNeighbour",
    "RetentionRun",
    "RosterEntry",
    "ScopeProposal",
    "ScopeRule",
    "Signal",
    "SignalEvidence",
    "SignalIndicator",
    "Subject",
    "SubjectBurst",
    "SubjectIncident",
    "UnexplainedAccess",
]
