"""Detection configuration: weights, thresholds, region neighbours and need-to-know scope.

All of it lives in the database, is edited by an administrator (or, for scope rules, also
recorded by an analyst's decision) and carries its full history, so every signal can be
read against the settings that produced it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from monitoring.indicators import IndicatorCode
from monitoring.parameters import PARAMETER_SPECS


class IndicatorSetting(models.Model):
    """Whether an indicator is used, and its weight in a signal's score."""

    code = models.CharField(
        _("indicator"), max_length=40, choices=IndicatorCode.choices, unique=True
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Points a firing indicator adds to the score. A weight below the minimum score "
            "makes the indicator supporting only: it needs another indicator to raise a signal."
        ),
    )
    # The range of weights the works council agreed to: a weight inside it is tuning, one
    # outside it (and switching the indicator on or off) is a protocol change that waits
    # for the council's consent (:mod:`monitoring.services.consent`).
    agreed_min = models.DecimalField(
        _("agreed minimum weight"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    agreed_max = models.DecimalField(
        _("agreed maximum weight"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator setting")
        verbose_name_plural = _("indicator settings")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class MonitoringParameter(models.Model):
    """One threshold, margin or period of detection and retention (see ``PARAMETERS``)."""

    key = models.CharField(_("parameter"), max_length=64, unique=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    # The range the works council agreed to (inside the technical range of the spec): a value
    # inside it is tuning, one outside it a protocol change awaiting the council's consent.
    agreed_min = models.DecimalField(
        _("agreed minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    agreed_max = models.DecimalField(
        _("agreed maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("detection parameter")
        verbose_name_plural = _("detection parameters")
        ordering = ["key"]

    def __str__(self) -> str:
        spec = PARAMETER_SPECS.get(self.key)
        return str(spec.label) if spec else self.key

    def clean(self) -> None:
        spec = PARAMETER_SPECS.get(self.key)
        if spec is None:
            raise ValidationError({"key": _("Unknown parameter.")})
        if self.value is None:
            return
        if not spec.minimum <= self.value <= spec.maximum:
            raise ValidationError(
                {
                    "value": _("Must be between %(min)s and %(max)s.")
                    % {"min": spec.minimum.normalize(), "max": spec.maximum.normalize()}
                }
            )
        if spec.integer and self.value != self.value.to_integral_value():
            raise ValidationError({"value": _("Must be a whole number.")})


class RegionNeighbour(models.Model):
    """Two police regions that border each other: an incident there is not 'far'.

    Stored once per pair, the lower code first.
    """

    region = models.CharField(_("region"), max_length=8)
    neighbour = models.CharField(_("neighbouring region"), max_length=8)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("neighbouring regions")
        verbose_name_plural = _("neighbouring regions")
        ordering = ["region", "neighbour"]
        constraints = [
            models.UniqueConstraint(fields=["region", "neighbour"], name="region_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(region__lt=models.F("neighbour")),
                name="region_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} – {self.neighbour}"

    def save(self, *args: object, **kwargs: object) -> None:
        # One row per pair whichever way round it was entered.
        if self.region > self.neighbour:
            self.region, self.neighbour = self.neighbour, self.region
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ScopeRule(models.Model):
    """Need to know beyond assignments: for a function, a unit (and below) or one employee.

    ``regional`` explains accesses to people and incidents of the employee's own region,
    ``national`` of every region, and ``subject`` accesses to one subject (e.g. recorded by
    an analyst who found a legitimate reason, so the engine stops flagging it). A rule may
    expire.
    """

    class Scope(models.TextChoices):
        REGIONAL = "regional", _("Own region")
        NATIONAL = "national", _("Every region")
        SUBJECT = "subject", _("One subject")

    class Source(models.TextChoices):
        POLICY = "policy", _("Policy (administrator)")
        IMPORT = "import", _("Imported")
        REVIEW = "review", _("Analyst's decision on a signal")
        CALIBRATION = "calibration", _("Accepted from a calibration")

    function = models.ForeignKey(
        "vik.Function",
        verbose_name=_("function"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_scope_rules",
    )
    unit = models.ForeignKey(
        "vik.Unit",
        verbose_name=_("unit (and below)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_scope_rules",
    )
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_scope_rules",
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    subject_ref = models.CharField(_("subject reference"), max_length=64, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.POLICY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scope rule")
        verbose_name_plural = _("scope rules")
        ordering = ["scope", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(function__isnull=False, unit__isnull=True, employee__isnull=True)
                    | models.Q(function__isnull=True, unit__isnull=False, employee__isnull=True)
                    | models.Q(function__isnull=True, unit__isnull=True, employee__isnull=False)
                ),
                name="scope_rule_one_target",
            ),
            models.CheckConstraint(
                condition=(models.Q(scope="subject") & ~models.Q(subject_ref=""))
                | (~models.Q(scope="subject") & models.Q(subject_ref="")),
                name="scope_rule_subject_ref_iff_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="scope_rule_valid_period",
            ),
        ]

    def __str__(self) -> str:
        target = self.function or self.unit or self.employee_id
        return f"{self.get_scope_display()} – {target}"

    def clean(self) -> None:
        targets = [t for t in (self.function_id, self.unit_id, self.employee_id) if t]
        if len(targets) != 1:
            raise ValidationError(_("Choose exactly one of function, unit or employee."))
        if (self.scope == self.Scope.SUBJECT) != bool(self.subject_ref):
            raise ValidationError(
                {"subject_ref": _("A subject reference belongs with the scope 'one subject'.")}
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Ends before it starts.")})
