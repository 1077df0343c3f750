"""Protocol changes and the works council's consent to them (issue 11, point 3).

The works council consented to protective monitoring as described in the protocol (seed
001): which indicators, which data sources, which thresholds, how long data is kept, for
which kinds of reason a name may be revealed. A *material* change to that is put to the
council before it is used. In VIK such a change is a :class:`ProtocolChange` — a proposal
with its rationale that changes nothing — until a :class:`CouncilDecision` records the
council's consent (date, decision, reference of its letter, optionally the letter itself);
only then does the service apply it. Tuning inside the ranges the council agreed stays a
direct change with history (:mod:`monitoring.services.config`).

Neither holds personal data: a proposal names a setting, never an employee.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProtocolChange(models.Model):
    """A proposed material change to the monitoring protocol, and what became of it."""

    class Kind(models.TextChoices):
        PARAMETER = "parameter", _("Threshold outside the agreed range")
        INDICATOR_WEIGHT = "indicator_weight", _("Indicator weight outside the agreed range")
        INDICATOR_ENABLED = "indicator_enabled", _("Enabling or disabling an indicator")
        RETENTION = "retention", _("Longer retention period")
        NEW_INDICATOR = "new_indicator", _("New indicator")
        NEW_DATA_SOURCE = "new_data_source", _("New data source")
        NEW_REVEAL_REASON = "new_reveal_reason", _("New kind of reason for revealing a name")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the works council")
        CONSENTED = "consented", _("Consented and in effect")
        REFUSED = "refused", _("Refused by the works council")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind of change"), max_length=24, choices=Kind.choices)
    target = models.CharField(
        _("setting"), max_length=100, help_text=_("Parameter key, indicator code or category.")
    )
    current_value = models.CharField(_("value when proposed"), max_length=100, blank=True)
    proposed_value = models.CharField(_("proposed value"), max_length=100)
    rationale = models.TextField(_("rationale"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protocol change")
        verbose_name_plural = _("protocol changes")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One open proposal per setting: a second one would race the first on consent.
            models.UniqueConstraint(
                fields=["kind", "target"],
                condition=models.Q(status="pending"),
                name="protocol_change_one_pending_per_setting",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", closed_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(closed_at__isnull=False)),
                name="protocol_change_closed_iff_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target} → {self.proposed_value}"


def council_letter_path(instance: CouncilDecision, filename: str) -> str:
    """Private storage path: a random name; never a public URL (served by a checked view)."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"monitoring/council/{uuid.uuid4().hex}{suffix}"


class CouncilDecision(models.Model):
    """The works council's decision on one proposal, as its letter states it.

    Entered once, by someone with the capability to record it who did not propose the
    change; never edited afterwards (append-only for the runtime database role).
    """

    class Decision(models.TextChoices):
        CONSENTED = "consented", _("Consent granted")
        REFUSED = "refused", _("Consent withheld")

    change = models.OneToOneField(
        ProtocolChange,
        verbose_name=_("protocol change"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    decided_on = models.DateField(_("date of the council's decision"))
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    letter_reference = models.CharField(_("reference of the council's letter"), max_length=100)
    letter = models.FileField(
        _("the council's letter (PDF)"), upload_to=council_letter_path, max_length=200, blank=True
    )
    letter_name = models.CharField(_("file name"), max_length=200, blank=True)
    letter_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("works council decision")
        verbose_name_plural = _("works council decisions")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.letter_reference})"
