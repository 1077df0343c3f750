"""Work management around cases: deadlines with reminders, and rendered report PDFs."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.reports import Case
from vik.render_jobs import RenderJob


class DeadlineKind(models.TextChoices):
    WHISTLEBLOWER_ACK = "wb_ack", _("Acknowledge the whistleblower report (7 days)")
    WHISTLEBLOWER_FEEDBACK = "wb_feedback", _("Feedback to the whistleblower (3 months)")
    INVESTIGATION_END = "investigation_end", _("Expected end of the investigation")
    INTERVIEW_REPORT = "interview_report", _("Interview report drawn up (5 days)")
    INTERVIEWEE_COMMENTS = "interviewee_comments", _("Interviewee's comments (5 working days)")
    DOCUMENTS = "documents", _("Documents handed over (5 working days)")
    RECORDING_RETENTION = "recording_retention", _("Destroy the recording and tell the interviewee")
    COMPLAINT_ANSWER = "complaint_answer", _("Answer the complaint (6 weeks)")


# Deadlines that are the commissioner's to meet; the rest are the investigators'.
COMMISSIONER_DEADLINES = frozenset(
    {
        DeadlineKind.WHISTLEBLOWER_ACK,
        DeadlineKind.WHISTLEBLOWER_FEEDBACK,
        DeadlineKind.COMPLAINT_ANSWER,
    }
)


class Deadline(models.Model):
    """A term running in a case, opened and met by the services as the protocol moves on.

    Stored rather than computed, so the overviews and the daily reminders are one indexed
    query. ``key`` names what the deadline is about within the case (``interview:12:report``)
    so opening it twice is harmless. Reminders are claimed with a conditional update
    (``reminded_on``/``overdue_notified_on``), so a rerun sends nothing twice.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=DeadlineKind.choices)
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("what"), max_length=200)
    due_on = models.DateField(_("due on"))
    met_on = models.DateField(_("met on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    overdue_notified_on = models.DateField(_("overdue notice sent on"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="deadline_case_key_unique")
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(met_on__isnull=True),
                name="deadline_open_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.label} ({self.due_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.met_on is None

    @property
    def is_for_commissioner(self) -> bool:
        return self.kind in COMMISSIONER_DEADLINES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.met_on is None and self.due_on < (today or timezone.localdate())


class ReportRender(RenderJob):
    """A request to render a case's investigation report to PDF in the background.

    A technical job record (no history; :class:`vik.render_jobs.RenderJob`): the task claims
    it, reports progress for the page to show, and stores the PDF in private storage. The
    PDF is served only through the case's visible-to selector, each download logged.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="report_renders"
    )
    # The rendering made when the investigators handed the report to the commissioner: the
    # document on record, which the commissioner and the investigators see and download.
    is_handover = models.BooleanField(_("handed to the commissioner"), default=False)

    class Meta(RenderJob.Meta):
        verbose_name = _("report rendering")
        verbose_name_plural = _("report renderings")

    def __str__(self) -> str:
        return f"{self.case} @ {self.requested_at:%Y-%m-%d %H:%M}"
