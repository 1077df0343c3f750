"""Onboarding calibration: what detection would flag on a first delivery, and the scope
rules proposed to explain it — accepted or rejected by a person, never applied by itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalibrationReport(models.Model):
    """The figures of one dry run (``detect --dry-run``), aggregated by function.

    ``figures`` maps a function id (``""``: none) to its staff, the employees who would get
    a signal, per indicator the employees flagged with it and where its evidence was opened
    (inside an incident of the employee's region, on a subject of their region, in all).
    No employee is named.
    """

    run = models.ForeignKey(
        "monitoring.DetectionRun",
        verbose_name=_("detection run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))
    employees = models.PositiveIntegerField(_("employees"))
    figures = models.JSONField(_("figures"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calibration report")
        verbose_name_plural = _("calibration reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end}"

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


class ScopeProposal(models.Model):
    """A scope rule a calibration suggests, waiting for a person to accept or reject it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    report = models.ForeignKey(
        CalibrationReport,
        verbose_name=_("calibration report"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    function = models.ForeignKey(
        "vik.Function", verbose_name=_("function"), on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(_("scope"), max_length=16)
    figures = models.JSONField(_("figures"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PROPOSED
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
    reason = models.TextField(_("reason"), blank=True)
    rule = models.ForeignKey(
        "monitoring.ScopeRule",
        verbose_name=_("scope rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed scope rule")
        verbose_name_plural = _("proposed scope rules")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return f"{self.function_id} {self.scope} ({self.status})"

    @property
    def scope_label(self) -> str:
        """The scope as the scope rules name it ("Own region")."""
        from monitoring.models.config import ScopeRule

        return str(ScopeRule.Scope(self.scope).label)
