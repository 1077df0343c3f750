"""The end of an investigation: hearing (wederhoor), the disciplinary route, punishments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.investigation import Investigation


class HearingForm(models.TextChoices):
    ORAL = "oral", _("Orally")
    WRITTEN = "written", _("In writing")
    DECLINED = "declined", _("Declined to respond")


class Hearing(models.Model):
    """The hearing (wederhoor): the person concerned responds to all findings.

    They may view the findings but not copy them, may take notes, and may bring counsel.
    The reaction goes with the report to the commissioner.
    """

    investigation = models.OneToOneField(
        Investigation,
        verbose_name=_("investigation"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="hearing",
    )
    offered_on = models.DateField(_("opportunity offered on"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scheduled_at = models.DateTimeField(_("hearing planned at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    held_on = models.DateField(_("held or received on"), null=True, blank=True)
    form = models.CharField(_("response"), max_length=8, choices=HearingForm.choices, blank=True)
    counsel_present = models.BooleanField(_("counsel present"), null=True)
    findings_made_available = models.BooleanField(
        _("all findings were made available (to view, not to copy)"), default=False
    )
    reaction = models.TextField(_("the reaction of the person concerned"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return str(_("Hearing %(case)s") % {"case": self.investigation})

    @property
    def is_recorded(self) -> bool:
        return self.held_on is not None


class Punishment(models.Model):
    """A disciplinary punishment of Besluit algemene rechtspositie politie, art. 77.

    Kept as data (seeded by a migration, maintained in the admin), lightest first by
    ``severity``: a decision may not be heavier than the intended decision the employee
    responded to.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    severity = models.PositiveSmallIntegerField(_("severity (1 = lightest)"), unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disciplinary punishment")
        verbose_name_plural = _("disciplinary punishments")
        ordering = ["severity"]

    def __str__(self) -> str:
        return self.name


class DisciplinaryProcedure(models.Model):
    """The disciplinary route: intended decision → the employee's response → decision → receipt.

    The employee responds to the intended punishment before the commissioner decides; the
    employee signs a receipt for the decision. An objection and court appeal follow outside VIK.
    """

    investigation = models.OneToOneField(
        Investigation,
        verbose_name=_("investigation"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="disciplinary",
    )
    intended_punishment = models.ForeignKey(
        Punishment,
        verbose_name=_("intended punishment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intended_on = models.DateField(_("intended decision made known on"))
    intended_reasons = models.TextField(_("reasons for the intended decision"))
    response_on = models.DateField(_("response received on"), null=True, blank=True)
    response = models.TextField(_("the employee's response"), blank=True)
    decided_punishment = models.ForeignKey(
        Punishment,
        verbose_name=_("punishment imposed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    no_punishment = models.BooleanField(_("no punishment after all"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    receipt_signed_on = models.DateField(_("employee signed the receipt on"), null=True, blank=True)
    receipt_refusal_reason = models.TextField(_("reason the receipt was not signed"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disciplinary procedure")
        verbose_name_plural = _("disciplinary procedures")

    def __str__(self) -> str:
        return str(_("Disciplinary procedure %(case)s") % {"case": self.investigation})

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    @property
    def is_complete(self) -> bool:
        return self.decided_on is not None and (
            self.receipt_signed_on is not None or bool(self.receipt_refusal_reason)
        )
