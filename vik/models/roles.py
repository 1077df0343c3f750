"""Who holds which role over which unit, and who must stay away from whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vik.models.organisation import Unit
from vik.models.people import Employee
from vik.roles import ROLE_UNIT_SCOPE, Role

_SCOPED_ROLES = [role.value for role in ROLE_UNIT_SCOPE]


class RoleAssignment(models.Model):
    """A user holds a role, over a unit for the unit-scoped roles (see ``ROLE_UNIT_SCOPE``).

    This is the record of *why* a user may do something: who granted it, when, for what
    reason, with its full history. The enforcement state derived from it (the role's
    capabilities and the guardian object permission on the unit) is written by
    :func:`vik.services.assign_role` and :func:`vik.services.revoke_role` only.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text=_("Required for unit-scoped roles; the grant covers every unit below it."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The second person, for a role that reads personal data (``vik.roles.reads_personal_data``);
    # empty for a role that needs no approval and for the system's own grants (seeding, commands).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(unit__isnull=False),
                name="role_assignment_unique_scoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="role_assignment_unique_unscoped",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=_SCOPED_ROLES, unit__isnull=False)
                    | (~models.Q(role__in=_SCOPED_ROLES) & models.Q(unit__isnull=True))
                ),
                name="role_assignment_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = f" @ {self.unit}" if self.unit_id else ""
        return f"{self.user} – {self.get_role_display()}{scope}"


def _scope_matches_role() -> models.Q:
    return models.Q(role__in=_SCOPED_ROLES, unit__isnull=False) | (
        ~models.Q(role__in=_SCOPED_ROLES) & models.Q(unit__isnull=True)
    )


class RoleGrantRequest(models.Model):
    """A request to give a user a role, waiting for (or decided by) a second person.

    An administrator asks; for a role that reads personal data the head of VIK (for the
    units they head) or the privacy officer approves or refuses, with a reason. Nobody
    decides a request they made or one that would give themselves a role. The request is
    the record of the four-eyes decision; the grant itself is the :class:`RoleAssignment`
    it produced. Written by the services in :mod:`vik.services` only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved and granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for user"),
        on_delete=models.CASCADE,
        related_name="role_requests",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_requests",
    )
    reason = models.TextField(_("reason for the request"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    assignment = models.ForeignKey(
        RoleAssignment,
        verbose_name=_("resulting role assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(status="pending", unit__isnull=False),
                name="role_request_one_pending_scoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending", unit__isnull=True),
                name="role_request_one_pending_unscoped",
            ),
            models.CheckConstraint(
                condition=_scope_matches_role(), name="role_request_scope_matches_role"
            ),
        ]

    def __str__(self) -> str:
        scope = f" @ {self.unit}" if self.unit_id else ""
        return f"{self.user} – {self.get_role_display()}{scope} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ConflictOfInterest(models.Model):
    """A user must not see anything about an employee (the conflict-of-interest register).

    Entries are declared by the user themself (recusal) or registered by the privacy officer
    or head of VIK. While an entry is active, every ``*_visible_to`` selector hides the
    objects concerning that employee from that user, whatever their role.

    The employee is named by the personnel number as it was typed, kept whether or not such
    an employee exists (the register must not tell the declarer who exists); ``employee`` is
    filled when the number matched at the time. The exclusion matches on both, so an entry
    also covers an employee who is imported with that number later.
    """

    class Source(models.TextChoices):
        SELF_DECLARED = "self", _("Declared by the user")
        REGISTERED = "registered", _("Registered by the privacy officer or head of VIK")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conflicted user"),
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
    )
    personnel_number = models.CharField(_("personnel number"), max_length=32)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reason = models.TextField(_("reason"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "employee"],
                condition=models.Q(ended_at__isnull=True),
                name="conflict_unique_active",
            ),
            models.UniqueConstraint(
                fields=["user", "personnel_number"],
                condition=models.Q(ended_at__isnull=True),
                name="conflict_unique_active_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ⟂ {self.personnel_number}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
