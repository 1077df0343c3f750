"""Roles, capabilities and the matrix between them: the single source of truth.

A *role* is what a person does in the department (analyst, team chief, ...). A *capability*
is one thing the application lets them do. The matrix below decides which role has which
capability; :func:`vik.selectors.has_capability` answers from it (deliberately not
``user.has_perm``, which says yes to a superuser for everything), and ``docs/permissions.md``
is checked against it by a test, so the documentation cannot drift from the code.

A capability opens a *feature*. It never opens *data*: which signals, cases or employees a
user sees is decided by the ``*_visible_to`` selectors, from unit-scoped grants (below),
per-object grants, self-exclusion and the conflict-of-interest register.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of an integrity department and its surroundings."""

    ANALYST = "analyst", _("Monitoring analyst")
    TEAM_CHIEF = "team_chief", _("Team chief")
    INVESTIGATOR = "investigator", _("Investigator")
    VIK_HEAD = "vik_head", _("Head of VIK (commissioner)")
    SCREENING_OFFICER = "screening_officer", _("Screening officer")
    COMPLAINT_HANDLER = "complaint_handler", _("Complaint handler")
    COR_MEMBER = "cor_member", _("Works council member")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    EMPLOYEE = "employee", _("Employee")
    ADMINISTRATOR = "administrator", _("Administrator")
    PREVENTION_COORDINATOR = "prevention_coordinator", _("Prevention coordinator")


class Capability(models.TextChoices):
    """Things the application lets a role do."""

    # Protective Monitoring
    REVIEW_SIGNALS = "review_signals", _("Review monitoring signals of the monitored units")
    REVEAL_IDENTITY = "reveal_identity", _("Reveal the employee behind a pseudonym, with a reason")
    HOLD_CONVERSATIONS = "hold_conversations", _("Hold and record follow-up conversations")
    TUNE_DETECTION = "tune_detection", _("Edit detection thresholds, weights and policies")
    IMPORT_MONITORING_DATA = "import_monitoring_data", _("Import audit logs and reference data")
    RECORD_COUNCIL_CONSENT = (
        "record_council_consent",
        _("Record the works council's decision on a protocol change"),
    )
    # Cases
    REGISTER_REPORTS = "register_reports", _("Register reports (intake)")
    TRIAGE_REPORTS = "triage_reports", _("Triage reports and commission investigations")
    DEFER_DISCLOSURE = (
        "defer_disclosure",
        _("Defer disclosure to an employee during a covert investigation"),
    )
    CONDUCT_INVESTIGATIONS = "conduct_investigations", _("Conduct assigned investigations")
    # Screening and complaints
    HANDLE_SCREENING = "handle_screening", _("Handle screening dossiers")
    HANDLE_COMPLAINTS = "handle_complaints", _("Handle citizens' complaints")
    # People and transparency
    VIEW_EMPLOYEES = "view_employees", _("Look up employees of the units served")
    VIEW_AGGREGATES = "view_aggregates", _("See aggregate dashboards (no individuals)")
    AUDIT_ACCESS_LOG = "audit_access_log", _("Audit the access log")
    MANAGE_CONFLICTS = "manage_conflicts", _("Keep the conflict-of-interest register")
    DECLARE_CONFLICT = "declare_conflict", _("Declare an own conflict of interest")
    USE_SELF_SERVICE = "use_self_service", _("Self-reports and the own-data overview")
    MANAGE_ORGANISATION = "manage_organisation", _("Maintain units, employees and roles")
    # Prevention and advice
    COORDINATE_PREVENTION = (
        "coordinate_prevention",
        _("Handle session and advice requests, write lessons, follow trends"),
    )
    USE_PREVENTION = (
        "use_prevention",
        _("Request a session, ask for advice, read the dilemma library"),
    )
    VIEW_TEAM_SESSIONS = "view_team_sessions", _("See the record of the led teams' sessions")
    APPROVE_LESSONS = (
        "approve_lessons",
        _("Ask for an after-discussion of a closed investigation and approve its lesson"),
    )
    APPROVE_ROLE_GRANTS = (
        "approve_role_grants",
        _("Approve or refuse a role that reads personal data (the second person)"),
    )


C = Capability

# Roles that do integrity work may recuse themselves from a colleague they know.
_RECUSING = {C.DECLARE_CONFLICT}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ANALYST: frozenset({C.REVIEW_SIGNALS, C.REVEAL_IDENTITY} | _RECUSING),
    Role.TEAM_CHIEF: frozenset(
        {C.HOLD_CONVERSATIONS, C.VIEW_EMPLOYEES, C.USE_PREVENTION, C.VIEW_TEAM_SESSIONS} | _RECUSING
    ),
    Role.INVESTIGATOR: frozenset(
        {C.REGISTER_REPORTS, C.CONDUCT_INVESTIGATIONS, C.VIEW_EMPLOYEES} | _RECUSING
    ),
    Role.VIK_HEAD: frozenset(
        {
            C.REGISTER_REPORTS,
            C.TRIAGE_REPORTS,
            C.DEFER_DISCLOSURE,
            C.VIEW_EMPLOYEES,
            C.VIEW_AGGREGATES,
            C.MANAGE_CONFLICTS,
            C.APPROVE_LESSONS,
            C.APPROVE_ROLE_GRANTS,
            # The head of VIK asks the works council for consent and receives its letter.
            C.RECORD_COUNCIL_CONSENT,
        }
        | _RECUSING
    ),
    Role.SCREENING_OFFICER: frozenset({C.HANDLE_SCREENING, C.VIEW_EMPLOYEES} | _RECUSING),
    Role.COMPLAINT_HANDLER: frozenset({C.HANDLE_COMPLAINTS} | _RECUSING),
    Role.COR_MEMBER: frozenset({C.VIEW_AGGREGATES}),
    Role.PRIVACY_OFFICER: frozenset(
        {C.AUDIT_ACCESS_LOG, C.VIEW_AGGREGATES, C.MANAGE_CONFLICTS, C.APPROVE_ROLE_GRANTS}
        | _RECUSING
    ),
    Role.EMPLOYEE: frozenset({C.USE_SELF_SERVICE, C.USE_PREVENTION}),
    Role.ADMINISTRATOR: frozenset(
        {C.MANAGE_ORGANISATION, C.TUNE_DETECTION, C.IMPORT_MONITORING_DATA}
    ),
    Role.PREVENTION_COORDINATOR: frozenset({C.COORDINATE_PREVENTION, C.USE_PREVENTION} | _RECUSING),
}


# Capabilities that show a user data about *other* employees: their records, signals, cases,
# screening, complaints, who looked at them, who recused from them; or, for the
# administrator, the staff directory and the need-to-know rules about single employees in
# the administration screens. Aggregate figures, a person's own data and declaring one's own
# conflict of interest are not in it.
PERSONAL_DATA_CAPABILITIES: frozenset[Capability] = frozenset(
    {
        C.REVIEW_SIGNALS,
        C.REVEAL_IDENTITY,
        C.HOLD_CONVERSATIONS,
        C.TUNE_DETECTION,
        C.IMPORT_MONITORING_DATA,
        C.REGISTER_REPORTS,
        C.TRIAGE_REPORTS,
        C.DEFER_DISCLOSURE,
        C.CONDUCT_INVESTIGATIONS,
        C.HANDLE_SCREENING,
        C.HANDLE_COMPLAINTS,
        C.VIEW_EMPLOYEES,
        C.AUDIT_ACCESS_LOG,
        C.MANAGE_CONFLICTS,
        C.MANAGE_ORGANISATION,
        C.APPROVE_ROLE_GRANTS,
        C.COORDINATE_PREVENTION,  # requesters, askers, the teams of closed investigations
        C.VIEW_TEAM_SESSIONS,
        C.APPROVE_LESSONS,
    }
)


def reads_personal_data(role: Role) -> bool:
    """Whether ``role`` opens data about other employees: granting it needs a second person.

    Derived from the matrix, so a capability added to a role later is covered at once. Only
    the employee role (own data) and the works council (aggregate figures) are outside it.
    """
    return not ROLE_CAPABILITIES[role].isdisjoint(PERSONAL_DATA_CAPABILITIES)


class UnitScope(models.TextChoices):
    """Object permissions on :class:`vik.models.Unit`: the unit-scoped grants.

    A grant on a unit covers the unit and every unit below it in the tree.
    """

    MONITOR = "monitor_unit", _("Monitor the employees of this unit (analyst)")
    LEAD = "lead_team", _("Lead this team (team chief)")
    INVESTIGATE = "investigate_unit", _("Investigate in this unit (investigator)")
    HEAD = "head_unit", _("Head VIK for this unit (commissioner)")
    SCREEN = "screen_unit", _("Screen the employees of this unit")
    COMPLAINTS = "handle_unit_complaints", _("Handle complaints about this unit")
    PREVENT = "prevent_unit", _("Coordinate prevention and advice for this unit")

    @property
    def perm(self) -> str:
        return f"vik.{self.value}"


# Which roles hold their work over units, and through which object permission.
# A role in this map needs a unit for every assignment; the others never have one.
ROLE_UNIT_SCOPE: dict[Role, UnitScope] = {
    Role.ANALYST: UnitScope.MONITOR,
    Role.TEAM_CHIEF: UnitScope.LEAD,
    Role.INVESTIGATOR: UnitScope.INVESTIGATE,
    Role.VIK_HEAD: UnitScope.HEAD,
    Role.SCREENING_OFFICER: UnitScope.SCREEN,
    Role.COMPLAINT_HANDLER: UnitScope.COMPLAINTS,
    Role.PREVENTION_COORDINATOR: UnitScope.PREVENT,
}

# Scopes that let their holder look up the employees of the unit (directory, employee page).
EMPLOYEE_LOOKUP_SCOPES: tuple[UnitScope, ...] = (
    UnitScope.LEAD,
    UnitScope.INVESTIGATE,
    UnitScope.HEAD,
    UnitScope.SCREEN,
)

# Model permissions for the Django admin screens, beyond the capabilities above. Apps add
# their configuration models here (see ``register_admin_permissions``).
ROLE_ADMIN_PERMISSIONS: dict[Role, set[str]] = {
    Role.ADMINISTRATOR: {
        f"vik.{action}_{model}"
        for action in ("view", "add", "change")
        for model in ("unit", "function", "employee", "roleassignment", "violationkind")
    }
    | {"vik.delete_roleassignment", "auth.view_user", "auth.add_user", "auth.change_user"},
}


def register_admin_permissions(role: Role, permissions: set[str]) -> None:
    """Let an app give a role Django-admin permissions on its configuration models."""
    ROLE_ADMIN_PERMISSIONS.setdefault(role, set()).update(permissions)


def admin_permissions_for_roles(roles: set[Role]) -> set[str]:
    """The Django model permissions (for the admin screens) that a set of roles grants."""
    perms: set[str] = set()
    for role in roles:
        perms.update(ROLE_ADMIN_PERMISSIONS.get(role, ()))
    return perms


def capability_matrix_markdown() -> str:
    """The role × capability matrix as a Markdown table (kept in docs/permissions.md)."""
    roles = list(Role)
    header = "| capability | " + " | ".join(f"`{r.value}`" for r in roles) + " |"
    rule = "|---|" + "|".join(":-:" for _ in roles) + "|"
    rows = [header, rule]
    for cap in Capability:
        marks = " | ".join("✓" if cap in ROLE_CAPABILITIES[r] else "" for r in roles)
        rows.append(f"| `{cap.value}` | {marks} |")
    return "\n".join(rows)
