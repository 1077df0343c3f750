"""Signals: one employee, one window, the indicators that fired and the events behind them.

The review workflow (issue 5) works on these rows: status and disposition, who decided and
when, the stable pseudonym the analyst sees instead of the name. Detection creates and
updates a signal only while nobody has picked it up (``new``); after that it never rewrites
it, but appends evidence found later and sets ``has_new_evidence``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from monitoring.indicators import DutyStatus, Explanation, IndicatorCode, explain


class Signal(models.Model):
    """An employee's accesses in one window that need an analyst's eyes, with a score."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        DISMISSED = "dismissed", _("Dismissed")
        ESCALATED = "escalated", _("Escalated to the team chief")
        REFERRED = "referred", _("Referred to case intake")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn: explained by later data")

    class Disposition(models.TextChoices):
        WORK_REASON = "work_reason", _("Work reason found")
        DATA_ERROR = "data_error", _("Data error")
        AUTHORISED = "authorised", _("Authorised")
        OTHER = "other", _("Other")
        EXPLAINED = "explained", _("Explained in the conversation")
        UNINTENDED = "unintended", _("Unintended — awareness given")
        INVESTIGATION = "investigation", _("Referred for investigation")

    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="monitoring_signals",
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=16, db_index=True)
    # Snapshots at detection time: where the employee worked and in which function.
    unit = models.ForeignKey(
        "vik.Unit",
        verbose_name=_("team or unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    function = models.ForeignKey(
        "vik.Function",
        verbose_name=_("function"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window to (inclusive)"))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    disposition = models.CharField(
        _("disposition"), max_length=16, choices=Disposition.choices, blank=True
    )
    disposition_note = models.TextField(_("explanation of the decision"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("analyst"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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
    employee_notified_at = models.DateTimeField(_("employee informed at"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case intake"),
        null=True,
        blank=True,
        # A case outlives the signal's own retention; when the case's retention ends, the
        # link goes and monitoring's retention removes the signal (monitoring/transparency.py).
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The report registered with VIK's intake when the signal was referred."),
    )
    has_new_evidence = models.BooleanField(_("new evidence since review"), default=False)
    detected_at = models.DateTimeField(_("first detected"), default=timezone.now)
    updated_at = models.DateTimeField(_("last detected"), default=timezone.now)
    detection_run = models.ForeignKey(
        "monitoring.DetectionRun",
        verbose_name=_("detection run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-score", "-window_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "window_start"], name="signal_unique")
        ]
        indexes = [
            models.Index(fields=["status", "-score"], name="signal_status_score_idx"),
            models.Index(fields=["window_start"], name="signal_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} {self.window_start} ({self.score})"

    @property
    def is_open(self) -> bool:
        """Still waiting for the analyst's decision."""
        return self.status in (self.Status.NEW, self.Status.IN_REVIEW)


class SignalIndicator(models.Model):
    """One indicator that fired in a signal, with its share of the score.

    ``details`` holds the figures the explanation is rendered from (counts, baselines, the
    kind of match); ``group_key`` names a shared cause, e.g. one burst, so the review can
    handle the signals of one celebrity look-up wave together.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("indicator"), max_length=40, choices=IndicatorCode.choices)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2)
    severity = models.DecimalField(_("severity"), max_digits=4, decimal_places=2)
    occurrences = models.PositiveIntegerField(_("occurrences"))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    details = models.JSONField(_("details"), default=dict, blank=True)
    group_key = models.CharField(_("group"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signal indicator")
        verbose_name_plural = _("signal indicators")
        ordering = ["signal", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["signal", "code"], name="signal_indicator_unique")
        ]
        indexes = [
            # The bursts view groups the visible signals by key: only grouped indicators are
            # indexed (most have no group), with the signal so the grouping reads the index.
            models.Index(
                fields=["group_key", "signal"],
                name="signal_indicator_group",
                condition=~models.Q(group_key=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.code}"

    @property
    def explanation(self) -> str:
        """The analyst's explanation, in the active language (Dutch by default)."""
        return explain(self.code, self.details)


class SignalEvidence(models.Model):
    """An event cited by a signal: a copy of the event and why it is (not) explained.

    A copy, so the review never has to search partitions. It lives no longer than the events
    do, except the rows the record of a conversation or case cites (``cited_at``): those
    follow that record's retention (``monitoring/transparency.py``).
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.CharField(_("indicator"), max_length=40, choices=IndicatorCode.choices)
    event_id = models.TextField(_("event id"))
    occurred_at = models.DateTimeField(_("when"))
    system = models.TextField(_("system"), blank=True)
    action = models.TextField(_("action"), blank=True)
    subject_ref = models.TextField(pgettext_lazy("signal", "subject"), blank=True)
    incident_ref = models.TextField(_("incident"), blank=True)
    workstation = models.TextField(_("workstation"), blank=True)
    duty_status = models.CharField(_("roster"), max_length=8, choices=DutyStatus.choices)
    explanation = models.CharField(_("work reason"), max_length=16, choices=Explanation.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    # Set when the signal led to a record (a conversation or a case): the events that record
    # rests on. When the access events' period ends, a recorded signal keeps only these
    # (``monitoring.evidence_copies``); the rest of the copy goes with the events.
    cited_at = models.DateTimeField(_("cited by the record at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evidence event")
        verbose_name_plural = _("evidence events")
        ordering = ["signal", "occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "indicator", "event_id"], name="signal_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.indicator} {self.event_id}"
