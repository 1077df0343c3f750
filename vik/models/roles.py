"""Who holds which role over which unit, and who must stay away from whom."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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


class ConflictOfInterest(models.Model):
    """A user must not see anything about an employee (the conflict-of-interest register).

    Entries are declared by the user themself (recusal) or registered by the privacy officer
    or head of VIK. While an entry is active, every ``*_visible_to`` selector hides the
    objects concerning that employee from that user, whatever their role.
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
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ⟂ {self.employee_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
