"""Models of the transparency app: publications, privacy settings, deferrals, access requests,
retention policies, legal holds and purge records."""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vik.render_jobs import RenderJob
from vik.transparency.registry import ObjectRef
from vik.transparency.retention import (
    SHORT_RETENTION_CATEGORIES,
    SHORT_RETENTION_MONTHS,
    validate_retention_period,
)


class Publication(models.Model):
    """Aggregate figures as published to the works council: protected, then frozen.

    ``quarter`` 1–4 holds one measure's table for that quarter (top-level units × categories
    with every total); ``quarter`` 0 holds the year's totals across its four quarters. The
    payload keeps the raw figures and the state of each (shown; small or hidden, both printed "×"; withheld): the
    raw figures are needed to protect what is published later consistently with this.

    Written once and never changed: a figure that changed between two looks could be
    subtracted from its earlier self, and a retention purge must not rewrite what the works
    council was told. Hence no history trail (there is nothing to trail).
    """

    key = models.CharField(_("measure"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MaxValueValidator(4)], help_text=_("0 for the whole year.")
    )
    payload = models.JSONField(_("figures"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["key", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["key", "year", "quarter"], name="publication_unique"),
            models.CheckConstraint(
                condition=models.Q(quarter__lte=4), name="publication_quarter_range"
            ),
        ]

    def __str__(self) -> str:
        period = f"Q{self.quarter} {self.year}" if self.quarter else str(self.year)
        return f"{self.key} {period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("A publication is frozen once written.")
        super().save(*args, **kwargs)


class PrivacySettings(models.Model):
    """How much the employee's own overview discloses, as the privacy officer configures.

    One row (``pk`` 1); :meth:`current` gives the defaults until the officer saves it.
    """

    class NameDisclosure(models.TextChoices):
        ROLE_ONLY = "role_only", _("The role only, never the name")
        WHEN_CLOSED = "when_closed", _("The name once the matter is closed")
        ALWAYS = "always", _("Always the name")

    name_disclosure = models.CharField(
        _("who looked: names"),
        max_length=16,
        choices=NameDisclosure.choices,
        default=NameDisclosure.WHEN_CLOSED,
        help_text=_("Whether an employee sees the names of those who looked at their data."),
    )
    unclaimed_after_days = models.PositiveSmallIntegerField(
        _("looks outside a matter count as closed after (days)"),
        default=30,
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "A look that belongs to no signal, case or other matter (e.g. the employee "
            "directory) is treated as closed this many days after it happened."
        ),
    )
    max_deferral_days = models.PositiveSmallIntegerField(
        _("longest deferral of disclosure (days)"),
        default=183,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("A commissioner may defer disclosure for at most this long at a time."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="privacy_settings_singleton")
        ]

    def __str__(self) -> str:
        return str(_("Privacy settings"))

    @classmethod
    def current(cls) -> PrivacySettings:
        """The settings in force (the defaults, unsaved, until the officer saves them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class DisclosureDeferral(models.Model):
    """The commissioner defers showing the employee part of what VIK holds about them.

    The documented exception to the employee's right to see their data (GDPR art. 23): while
    a covert investigation runs, telling the employee would defeat it. It names a disclosure
    category (see the registry) and optionally one object in it, carries a reason and an end
    date, and is visible to the privacy officer. While it is in force, providers leave the
    covered data out of "Mijn gegevens" and the export, and "who looked at my data" hides
    the covered looks. When it ends the employee is told that there is new information.
    """

    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="disclosure_deferrals",
    )
    category = models.CharField(_("category"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    reason = models.TextField(_("reason"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deferred by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("deferred at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lift_reason = models.TextField(_("reason for ending"), blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure deferral")
        verbose_name_plural = _("disclosure deferrals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["employee", "lifted_at"], name="deferral_employee_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(object_id="") | ~models.Q(object_type=""),
                name="deferral_object_needs_type",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.object_type} {self.object_id}".strip()

    @property
    def object_ref(self) -> ObjectRef | None:
        return ObjectRef(self.object_type, self.object_id) if self.object_type else None

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.lifted_at is None and self.ends_on >= today


class AccessRequest(models.Model):
    """An employee's request for a copy of their data (GDPR art. 15).

    Answered within one month of receipt (``due_on``); the privacy officer may extend by two
    further months, once, by telling the employee why inside the first month
    (``extended_due_on``). The answer is an export from every provider, kept as JSON
    (``export``) from which the PDF is rendered, so the two always agree. The export is left
    out of the history trail: the trail would otherwise keep a copy past retention.
    """

    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField(_("received on"))
    note = models.TextField(_("question"), blank=True)
    due_on = models.DateField(_("answer due"))
    extended_due_on = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    export = models.JSONField(_("export"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["export"])

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extended_due_on__isnull=True)
                | models.Q(extended_due_on__gt=models.F("due_on")),
                name="access_request_extension_later",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gt=models.F("received_on")),
                name="access_request_due_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Access request of %(date)s") % {"date": self.received_on})

    @property
    def deadline(self) -> datetime.date:
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.deadline

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def answered_in_time(self) -> bool | None:
        if self.completed_at is None:
            return None
        return timezone.localdate(self.completed_at) <= self.deadline


class RetentionPolicy(models.Model):
    """The retention period the administrator set for one category (else its default).

    ``legal_hold`` stops purging the whole category (e.g. during litigation or an inquiry)
    until it is lifted; the reason is kept with the history trail. The period is 1 to 600
    months, and 1 to 6 for the categories the union's conditions cap (access events and
    dismissed signals: :func:`vik.transparency.retention.validate_retention_period`, and a
    database constraint).
    """

    category = models.CharField(_("category"), max_length=100, unique=True)
    period_months = models.PositiveSmallIntegerField(
        _("retention period (months)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.TextField(_("reason for the legal hold"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legal_hold=False) | ~models.Q(legal_hold_reason=""),
                name="retention_hold_needs_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(category__in=SHORT_RETENTION_CATEGORIES)
                | models.Q(period_months__lte=SHORT_RETENTION_MONTHS),
                name="retention_period_within_cap",
                violation_error_message=_(
                    "At most six months: the protocol agreed with the unions keeps this data "
                    "for 1 to 6 months, no longer."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.category

    def clean(self) -> None:
        validate_retention_period(self.category, self.period_months)


class LegalHold(models.Model):
    """Data about one employee must be kept, whatever its retention period.

    Placed by the privacy officer (e.g. a court case or an inquiry by the data-protection
    authority), for one category or for all (``category`` empty). Purge functions receive
    the held employees and leave their records alone.
    """

    employee = models.ForeignKey(
        "vik.Employee", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        _("category"), max_length=100, blank=True, help_text=_("Empty: every category.")
    )
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    release_reason = models.TextField(_("reason for release"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.category or '*'}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class PurgeRecord(models.Model):
    """That a retention run removed data, or was stopped: category, count, when, cutoff.

    Never the content of what was removed. Append-only, like the access log: it is the
    evidence, reported yearly to the works council, that retention is carried out. The
    runtime database role may only insert (``scripts/db-roles.sql``), a trigger refuses any
    change to everybody, and the retention functions of the append-only tables write their
    own record.
    """

    class Outcome(models.TextChoices):
        PURGED = "purged", _("Purged")
        HELD = "held", _("Stopped by a legal hold")
        FAILED = "failed", _("Failed")

    category = models.CharField(_("category"), max_length=100)
    cutoff = models.DateField(_("removed what was older than"))
    purged = models.PositiveIntegerField(_("records removed"), default=0)
    # A legal hold on named employees: their records of the expired period are copied to a
    # hold store instead (monitoring's access events), so the rest goes on time. A database
    # default, because the retention functions of the append-only tables insert records too.
    kept_for_hold = models.PositiveIntegerField(
        _("copied to the legal-hold store"), default=0, db_default=0
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    ran_at = models.DateTimeField(_("when"), default=timezone.now)
    # Like the access log's actor: no database constraint and never touched when the
    # account goes, because the record is append-only (the runtime role may not update it).
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("purge record")
        verbose_name_plural = _("purge records")
        ordering = ["-ran_at", "-id"]
        indexes = [models.Index(fields=["category", "-ran_at"], name="purge_category_idx")]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d} {self.category} {self.purged}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Purge records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Purge records are append-only.")


class LoggingReportRender(RenderJob):
    """A request to render the annual logging report to PDF in the background.

    The report takes seconds to lay out (every table of the year), so a page does not wait
    for it: a Celery task claims the job, reports progress for the page to show, stores the
    PDF in private storage and leaves the requester a message
    (:class:`vik.render_jobs.RenderJob`). A technical job record (no history); only its
    requester downloads it, while they still hold the capability of its audience, and the
    detailed version's download is logged.
    """

    class Audience(models.TextChoices):
        COR = "cor", _("Works council (aggregate)")
        PRIVACY = "privacy", _("Privacy officer (with names)")

    year = models.PositiveSmallIntegerField(_("year"))
    audience = models.CharField(_("version"), max_length=8, choices=Audience.choices)

    class Meta(RenderJob.Meta):
        verbose_name = _("logging report rendering")
        verbose_name_plural = _("logging report renderings")

    def __str__(self) -> str:
        return f"{self.year} {self.audience} @ {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_detailed(self) -> bool:
        return self.audience == self.Audience.PRIVACY
