"""Access events (the audit logs of the police systems) and the imports that load them."""

from __future__ import annotations

import enum

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventFlag(enum.IntFlag):
    """Why an event needs a second look; stored as a bit mask. The event is always kept."""

    UNKNOWN_EMPLOYEE = 1
    UNKNOWN_SUBJECT = 2
    UNKNOWN_INCIDENT = 4
    UNEXPECTED_ACTION = 8


EVENT_ACTIONS = frozenset({"search", "view", "print", "export"})


class ImportBatch(models.Model):
    """One import run of one file (access log) or one directory (reference data).

    The record of what was loaded, when, by whom, and what was refused — an operational
    log, append-only in practice, so it carries no history of its own.
    """

    class Kind(models.TextChoices):
        ACCESS_LOG = "access_log", pgettext_lazy("source", "Access log")
        REFERENCE = "reference", _("Reference data")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source = models.CharField(_("file or directory"), max_length=500)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    unknown_employees = models.PositiveIntegerField(_("events of unknown employees"), default=0)
    unknown_subjects = models.PositiveIntegerField(_("events of unknown subjects"), default=0)
    unknown_incidents = models.PositiveIntegerField(_("events of unknown incidents"), default=0)
    first_event_at = models.DateTimeField(_("first event"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last event"), null=True, blank=True)
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
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source} ({self.started_at:%Y-%m-%d %H:%M})"

    def summary(self) -> str:
        return f"imported={self.imported} duplicates={self.duplicates} rejected={self.rejected}"


class ImportRejection(models.Model):
    """A row that was not imported: where it was, why, and the row itself (for repair)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejections")
    file = models.CharField(_("file"), max_length=255)
    line = models.PositiveIntegerField(_("line"))
    reason = models.CharField(_("reason"), max_length=500)
    raw = models.TextField(_("row as received"), blank=True)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["batch", "file", "line"]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class AccessEvent(models.Model):
    """One action in a police information system: who opened what, when.

    On PostgreSQL the table is partitioned by day (Europe/Amsterdam) on ``occurred_at``
    (migration ``0002``); partitions are created by the import as days arrive and dropped
    whole by the retention task. The primary key is (``occurred_at``, ``event_id``), as a
    partitioned table's unique keys must include the partition key; the import also refuses
    an ``event_id`` it has already stored for that day, so re-importing a file is idempotent.
    Only that key and a partial index on flagged rows are maintained: detection reads a
    whole day's partition per chunk, which is faster than any index at these volumes (see
    docs/performance.md).

    The raw source values are kept as text, including an ``employee_number`` that matches no
    employee (flagged, with ``employee`` empty until reference data names them). Not
    history-tracked: events are never changed, only flagged and, at the end of retention,
    dropped.
    """

    pk = models.CompositePrimaryKey("occurred_at", "event_id")
    occurred_at = models.DateTimeField(_("when"))
    event_id = models.TextField(_("event id"))
    employee_number = models.TextField(_("employee (as logged)"))
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    system = models.TextField(_("system"), blank=True)
    action = models.TextField(_("action"), blank=True)
    subject_ref = models.TextField(pgettext_lazy("signal", "subject"), blank=True)
    incident_ref = models.TextField(_("incident"), blank=True)
    workstation = models.TextField(_("workstation"), blank=True)
    flags = models.PositiveSmallIntegerField(_("flags"), default=0)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.occurred_at:%Y-%m-%d %H:%M} {self.employee_number}"


class RetentionRun(models.Model):
    """What the retention task removed, and when: removal is logged, never silent."""

    ran_at = models.DateTimeField(_("ran at"), default=timezone.now)
    cutoff = models.DateTimeField(_("removed everything before"))
    partitions = models.JSONField(_("partitions dropped"), default=list, blank=True)
    events_removed = models.BigIntegerField(_("events removed"), default=0)
    events_held = models.BigIntegerField(
        _("events copied to the legal-hold store"), default=0, db_default=0
    )
    derived_removed = models.JSONField(_("detection data removed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}: {self.events_removed}"


class HeldAccessEvent(models.Model):
    """A copy of an access event of an employee under a legal hold, kept past retention.

    A legal hold names one employee; the event store is dropped a whole day at a time. So
    before a day goes, the database's drop function copies that day's events of the held
    employees here (``monitoring_drop_day_partition``), and the day is dropped on time for
    everyone else. Append-only for the application's database role: rows leave only through
    ``monitoring_purge_held_events`` once their hold is released and they are past the access
    events' retention (``vik.integrity``). The hold store is not read by detection.
    """

    hold = models.ForeignKey(
        "transparency.LegalHold",
        verbose_name=_("legal hold"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"))
    event_id = models.TextField(_("event id"))
    employee_number = models.TextField(_("employee (as logged)"))
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    system = models.TextField(_("system"), blank=True)
    action = models.TextField(_("action"), blank=True)
    subject_ref = models.TextField(pgettext_lazy("signal", "subject"), blank=True)
    incident_ref = models.TextField(_("incident"), blank=True)
    workstation = models.TextField(_("workstation"), blank=True)
    copied_at = models.DateTimeField(_("copied at"), default=timezone.now)

    class Meta:
        verbose_name = _("access event under a legal hold")
        verbose_name_plural = _("access events under a legal hold")
        ordering = ["occurred_at", "event_id"]
        constraints = [
            # One copy per event, so a repeated drop (or two holds) copies nothing twice.
            models.UniqueConstraint(fields=["occurred_at", "event_id"], name="held_event_unique")
        ]
        indexes = [models.Index(fields=["hold"], name="held_event_hold_idx")]

    def __str__(self) -> str:
        return f"{self.hold_id} {self.event_id}"
