"""Background PDF renderings: the job record and its lifecycle, shared by every report.

A report that takes seconds to lay out is rendered by a Celery task, never in a request.
The task claims its job (``queued`` → ``running``), so that a second delivery of its
message does nothing; reports progress for the page that polls it; stores the PDF in
private storage with its SHA-256; and records a failure on the job instead of retrying
(the user asks again). The investigation report (``cases.ReportRender``) and the annual
logging report (``transparency.LoggingReportRender``) are such jobs; who may see and
download one is their own app's selector's business.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RenderJob(models.Model):
    """A request to render a report to PDF in the background (a technical record: no history)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file = models.FileField(_("file"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


def claim(model: type[RenderJob], render_id: int) -> bool:
    """Take a waiting job for this worker; False if another took it or it is not waiting."""
    return bool(
        model._default_manager.filter(pk=render_id, status=RenderJob.Status.QUEUED).update(
            status=RenderJob.Status.RUNNING, progress=1, step="Gestart"
        )
    )


def progress_reporter(model: type[RenderJob], render_id: int) -> Callable[[int, str], None]:
    """A callback that records the job's progress, for the renderer to call per step."""

    def update(percent: int, step: str) -> None:
        # Outside any transaction: the page polling for progress must see it at once.
        model._default_manager.filter(pk=render_id).update(progress=percent, step=step[:100])

    return update


def store_pdf(job: RenderJob, *, name: str, pdf: bytes) -> None:
    """Write the PDF to private storage under ``name`` (the job row is saved by :func:`done`)."""
    job.file.save(name, ContentFile(pdf), save=False)


def failed(model: type[RenderJob], render_id: int, error: object) -> None:
    """Record that the job failed, and why (shown to the requester, never retried)."""
    model._default_manager.filter(pk=render_id).update(
        status=RenderJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


def done(job: RenderJob, *, pdf: bytes, pages: int) -> None:
    """Record the finished PDF: its file, page count and SHA-256 (the document's fingerprint)."""
    type(job)._default_manager.filter(pk=job.pk).update(
        status=RenderJob.Status.DONE,
        progress=100,
        step="Klaar",
        pages=pages,
        file=job.file.name,
        sha256=hashlib.sha256(pdf).hexdigest(),
        finished_at=timezone.now(),
    )
