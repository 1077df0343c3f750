"""Rules of the cases app kept as data: the Rijksrecherche criteria and deputy commissioners.

Both are configuration the functional administrator maintains in the admin, with history:
the criteria change when the instructions to the Rijksrecherche change, and a deputy is
appointed when a unit's head of VIK may be involved in a case.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RijksrechercheCriterion(models.Model):
    """One criterion that makes a matter one for the Rijksrecherche (seed 002).

    Triage answers every active criterion with yes or no (:class:`TriageCriterionAnswer`);
    a yes sends the report to the Rijksrecherche unless the head of VIK records a reasoned
    exception. A criterion no longer in use is deactivated, never deleted, so old triage
    answers keep their question.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    question = models.CharField(
        _("criterion"),
        max_length=300,
        help_text=_("Asked at triage, to be answered with yes or no."),
    )
    guidance = models.TextField(
        _("guidance"), blank=True, help_text=_("What counts, in the words of the instructions.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Rijksrecherche criterion")
        verbose_name_plural = _("Rijksrecherche criteria")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.question


class TriageCriterionAnswer(models.Model):
    """The head of VIK's answer to one Rijksrecherche criterion at the triage of a case."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="criterion_answers",
    )
    criterion = models.ForeignKey(
        RijksrechercheCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    applies = models.BooleanField(_("applies"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer to a Rijksrecherche criterion")
        verbose_name_plural = _("answers to Rijksrecherche criteria")
        ordering = ["criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["case", "criterion"], name="triage_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.criterion.code}: {'ja' if self.applies else 'nee'}"


class CommissionerDeputy(models.Model):
    """A deputy commissioner for a unit: takes over when no head of VIK of the unit can act.

    The commissioner of a case is a head of VIK whose grant covers the case's unit. When
    every one of them is a party to the case or conflicted (the subject is the head, or
    their partner), the deputies of the unit — or of a unit above it — act as commissioner
    for that case, and only for such cases. The deputy must be a head of VIK themself.
    """

    unit = models.ForeignKey(
        "vik.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="commissioner_deputies",
        help_text=_("The deputy covers this unit and every unit below it."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        related_name="commissioner_deputyships",
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Why this deputy, and since when."))
    is_active = models.BooleanField(_("active"), default=True)
    appointed_at = models.DateTimeField(_("appointed at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deputy commissioner")
        verbose_name_plural = _("deputy commissioners")
        ordering = ["unit__code", "appointed_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="commissioner_deputy_unique"),
        ]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{self.unit}: {name}"

    def clean(self) -> None:
        from vik.models import RoleAssignment
        from vik.roles import Role

        if (
            self.user_id is not None
            and not RoleAssignment.objects.filter(user_id=self.user_id, role=Role.VIK_HEAD).exists()
        ):
            raise ValidationError(
                {"user": _("A deputy commissioner must hold the role head of VIK (commissioner).")}
            )
