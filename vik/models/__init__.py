"""The shared core's models: organisation, people, roles, conflicts and the access log."""

from vik.models.access_log import (
    AccessAction,
    AccessChannel,
    AccessLogChainCheck,
    AccessLogEntry,
    AccessLogPurgedRange,
)
from vik.models.conversations import PlannedConversation
from vik.models.imports import OrganisationImport, OrganisationImportRejection
from vik.models.notifications import Notification
from vik.models.organisation import Function, Unit, UnitAncestry
from vik.models.people import Employee
from vik.models.roles import ConflictOfInterest, RoleAssignment, RoleGrantRequest
from vik.models.typology import ClassificationStage, ViolationClassification, ViolationKind

# The guardian direct-foreign-key permission models live next to their grant helpers.
from vik.permissions import UnitGroupObjectPermission, UnitUserObjectPermission

__all__ = [
    "AccessAction",
    "AccessChannel",
    "AccessLogChainCheck",
    "AccessLogEntry",
    "AccessLogPurgedRange",
    "ClassificationStage",
    "ConflictOfInterest",
    "Employee",
    "Function",
    "Notification",
    "OrganisationImport",
    "OrganisationImportRejection",
    "PlannedConversation",
    "RoleAssignment",
    "RoleGrantRequest",
    "Unit",
    "UnitAncestry",
    "UnitGroupObjectPermission",
    "UnitUserObjectPermission",
    "ViolationClassification",
    "ViolationKind",
]
