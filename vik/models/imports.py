"""The record of each HR delivery imported: counts, leavers offboarded, refused rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationImport(models.Model):
    """One import of an HR delivery (units, functions, employees, ends of employment).

    Written by :func:`vik.hr.import_hr_delivery`, whatever started it (the command, the
    Celery task, the API). An operational log, append-only in practice, so no history of
    its own; what it changed is in the history of the units, functions, employees and role
    assignments, with the reason naming this import.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("file or directory"), max_length=500)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    offboarded = models.PositiveIntegerField(_("leavers offboarded"), default=0)
    message = models.TextField(_("message"), blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("HR import")
        verbose_name_plural = _("HR imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.source}"

    def summary(self) -> str:
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"rejected={self.rejected} offboarded={self.offboarded}"
        )


class OrganisationImportRejection(models.Model):
    """A row of an HR delivery that was not imported: file, line and reason."""

    run = models.ForeignKey(OrganisationImport, on_delete=models.CASCADE, related_name="rejections")
    file = models.CharField(_("file"), max_length=255)
    line = models.PositiveIntegerField(_("line"))
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("refused HR row")
        verbose_name_plural = _("refused HR rows")
        ordering = ["run", "file", "line"]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"
