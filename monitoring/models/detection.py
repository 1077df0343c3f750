"""Detection runs, their chunks, and the per-day data that detection derives from events.

The derived tables are rebuilt by every run over the days it covers, so they carry no
history (like the unit closure table): they are a cache of what the events say, kept so
that signals for a window, bursts across units and baselines over weeks are cheap, and so
the review screens can show an employee's volume against their own and their peers'.
Foreign keys here have no database constraint: these rows are written with COPY in bulk,
and removing them never matters to anything else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import DutyStatus, Explanation, IndicatorCode


def _employee_fk(**kwargs: object) -> models.ForeignKey:
    return models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,  # type: ignore[arg-type]
    )


class DetectionRun(models.Model):
    """One ``detect`` over a period, split into chunks that any worker may take.

    Phases run in order: *assess* (one chunk per unit and day), *bursts* (one per day,
    across units), *signals* (one per unit and signal window). The run moves to the next
    phase when the last chunk of the current one finishes (a conditional update decides
    which worker starts it).
    """

    class Phase(models.TextChoices):
        ASSESS = "assess", _("Assessing events")
        BURSTS = "bursts", _("Finding bursts and peer baselines")
        SIGNALS = "signals", _("Raising signals")
        DONE = "done", _("Done")

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (inclusive)"))
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices, default=Phase.ASSESS)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The last sign that the run is being worked on: planned, a chunk claimed, or waiting
    # its turn behind an earlier run. Runs are computed one at a time, and an unfinished run
    # active within ``runner.STALE_AFTER`` holds later runs up
    # (``runner.earlier_run_computing``); one silent longer was abandoned. Empty on runs
    # planned before it was kept: those hold nobody up.
    active_at = models.DateTimeField(_("last active"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stats = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("detection run")
        verbose_name_plural = _("detection runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start} – {self.period_end} ({self.get_phase_display()})"


class DetectionChunk(models.Model):
    """A unit of detection work; a worker claims it by locking its row while computing it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(DetectionRun, on_delete=models.CASCADE, related_name="chunks")
    phase = models.CharField(_("phase"), max_length=8, choices=DetectionRun.Phase.choices)
    unit = models.ForeignKey(
        "vik.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"), null=True, blank=True)
    window_start = models.DateField(_("window"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    stats = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("detection chunk")
        verbose_name_plural = _("detection chunks")
        ordering = ["run", "phase", "day", "unit"]
        indexes = [models.Index(fields=["run", "phase", "status"], name="chunk_run_phase_idx")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.phase} {self.unit_id} {self.day or self.window_start}"


class DailyActivity(models.Model):
    """An employee's accesses on one day (Europe/Amsterdam): the volume baseline."""

    employee = _employee_fk(db_index=False)
    day = models.DateField(_("day"))
    events = models.PositiveIntegerField(_("accesses"))
    unexplained = models.PositiveIntegerField(_("without a work reason"))
    off_duty = models.PositiveIntegerField(_("outside the roster"))
    absent = models.PositiveIntegerField(_("on leave or sick"))
    unknown_roster = models.PositiveIntegerField(_("roster unknown"))
    # Accesses that opened a person, vehicle, address or incident, with or without a work
    # reason (the rest opened nothing: a portal, a report). Whether the employee's work of
    # these days reaches subjects at all: someone whose work opens none has no work on a
    # subject they open (bursts). Empty on rows written before the count existed: unknown,
    # taken as work.
    opened = models.PositiveIntegerField(_("opened a subject or incident"), null=True, blank=True)
    # The first and last access outside the roster (off duty): how far the day's accesses
    # outside the roster spread, all of them and not only those with an indicator — a
    # working day missing from the roster is hours of ordinary work (signals).
    off_first = models.DateTimeField(_("first access outside the roster"), null=True, blank=True)
    off_last = models.DateTimeField(_("last access outside the roster"), null=True, blank=True)
    # The incident files of regions other than the employee's own opened that day (refs):
    # what a function's routine in other regions is learned from (``practice.*``). Kept so
    # that a night's run reads the lookback's earlier days here instead of scanning a day
    # partition per day. Null on rows written before it was kept: unknown, read from the
    # access log again.
    files_elsewhere = models.JSONField(
        _("incident files of other regions opened"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="daily_activity_unique")
        ]
        indexes = [models.Index(fields=["day"], name="daily_activity_day_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.day}: {self.events}"


class UnexplainedAccess(models.Model):
    """An employee opened one subject (``s:<ref>``) or incident (``i:<ref>``) on one day
    without a work reason. Feeds the burst and the repeated-access indicators.

    ``refs`` lists the events as ``[event_id, epoch seconds, duty status]``, and for a
    person opened within the file of an incident they are a party in, that incident as a
    fourth item (round 13 of issue 10: the network the opening belongs to).
    """

    employee = _employee_fk(db_index=False)
    day = models.DateField(_("day"))
    target = models.CharField(_("opened"), max_length=80)
    events = models.PositiveIntegerField(_("accesses"))
    refs = models.JSONField(_("events"), default=list)

    class Meta:
        verbose_name = _("unexplained access")
        verbose_name_plural = _("unexplained accesses")
        indexes = [
            # The target carried in the index: the nightly run's repeated-access reckoning
            # reads an employee's lookback from the index alone (round 14).
            models.Index(
                fields=["employee", "day"], name="unexplained_employee_day_idx", include=["target"]
            ),
            models.Index(fields=["day", "target"], name="unexplained_day_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.day} {self.target}"


class EventFinding(models.Model):
    """One event that fired a per-event indicator, with what detection knew about it."""

    employee = _employee_fk(db_index=False)
    day = models.DateField(_("day"))
    indicator = models.CharField(_("indicator"), max_length=40, choices=IndicatorCode.choices)
    event_id = models.TextField(_("event id"))
    occurred_at = models.DateTimeField(_("when"))
    system = models.TextField(_("system"), blank=True)
    action = models.TextField(_("action"), blank=True)
    subject_ref = models.TextField(_("subject"), blank=True)
    incident_ref = models.TextField(_("incident"), blank=True)
    workstation = models.TextField(_("workstation"), blank=True)
    duty_status = models.CharField(_("roster"), max_length=8, choices=DutyStatus.choices)
    explanation = models.CharField(_("work reason"), max_length=16, choices=Explanation.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event finding")
        verbose_name_plural = _("event findings")
        indexes = [models.Index(fields=["employee", "day"], name="finding_employee_day_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.event_id}"


class SubjectBurst(models.Model):
    """A burst of curiosity: one subject or incident file opened without a work reason by
    many employees from several parts of the organisation (regions) within a sliding window
    (``celebrity.window_hours``), far above how often it is normally opened there.

    One row per target and **last day** of the window (the day whose bursts chunk found it):
    a burst that goes on for days is found again on each later day, with the openers it has
    gathered by then, so one that starts in one signal window and ends in the next belongs
    to both. ``members`` are the employees counted as curious; ``details`` keeps the figures
    the explanation is rendered from (the window, the parts, the busy regions left out).
    """

    day = models.DateField(_("last day"))
    first_day = models.DateField(_("first day"), null=True, blank=True)
    target = models.CharField(_("opened"), max_length=80)
    employees = models.PositiveIntegerField(_("employees"))
    units = models.PositiveIntegerField(_("regions"))
    baseline = models.DecimalField(_("usual per window"), max_digits=9, decimal_places=2)
    members = models.JSONField(_("employees counted"), default=list, blank=True)
    details = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("burst")
        verbose_name_plural = _("bursts")
        constraints = [
            models.UniqueConstraint(fields=["day", "target"], name="subject_burst_unique")
        ]

    def __str__(self) -> str:
        return f"{self.first_day}–{self.day} {self.target}: {self.employees}"


class PeerBaseline(models.Model):
    """The usual day of a function's peer group: how many accesses, on one day."""

    function = models.ForeignKey(
        "vik.Function",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    day = models.DateField(_("day"))
    employees = models.PositiveIntegerField(_("active employees"))
    median = models.FloatField(_("median accesses"))
    p90 = models.FloatField(_("90th percentile"))

    class Meta:
        verbose_name = _("peer baseline")
        verbose_name_plural = _("peer baselines")
        indexes = [models.Index(fields=["day", "function"], name="peer_baseline_day_idx")]

    def __str__(self) -> str:
        return f"{self.function_id} {self.day}: {self.median}"
