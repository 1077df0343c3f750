"""The monitoring protocol as staff receive it: versioned texts, and who confirmed which.

The union's condition (seed 003): the protocol is made known to staff *against receipt*.
Each published version is shown to every employee in *Mijn gegevens* until they confirm
they received it; a new version asks again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MonitoringProtocol(models.Model):
    """One published version of the monitoring protocol (never changed once published)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring protocol")
        verbose_name_plural = _("monitoring protocol versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"


class ProtocolReceipt(models.Model):
    """An employee confirmed receiving one version of the protocol (once per version)."""

    protocol = models.ForeignKey(
        MonitoringProtocol,
        verbose_name=_("protocol version"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="protocol_receipts",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("receipt of the monitoring protocol")
        verbose_name_plural = _("receipts of the monitoring protocol")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "employee"], name="protocol_receipt_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} ← {self.protocol}"
