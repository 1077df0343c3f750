"""One typology of integrity violations for the whole system.

The kinds of violation that police integrity work uses (abuse of powers, misuse of
information, corruption and fraud, ...) are data the administrator maintains, with history,
so the list can follow national practice without a code change. Every app records kinds on
its own objects through a small *classification* model of its own — a concrete subclass of
:class:`ViolationClassification` with a direct foreign key to the object (see
``vik.typology`` and ``docs/prevention.md`` for why direct keys rather than a generic
relation).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The kind that says "nobody has classified this yet". Existing data gets it rather than an
# invented kind; it can be renamed but never switched off.
UNCLASSIFIED_CODE = "niet-geclassificeerd"


class ViolationKind(models.Model):
    """A kind of integrity violation (misbruik van bevoegdheden, lekken, corruptie, ...).

    A kind that is no longer used is deactivated, never deleted: old classifications and
    published figures keep it. :data:`UNCLASSIFIED_CODE` is the kind of its own for what has
    not been classified; a constraint keeps it active.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kind of integrity violation")
        verbose_name_plural = _("kinds of integrity violation")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(code=UNCLASSIFIED_CODE) | models.Q(is_active=True),
                name="violation_kind_unclassified_active",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unclassified(self) -> bool:
        return self.code == UNCLASSIFIED_CODE


class ClassificationStage(models.TextChoices):
    """When in an object's life a kind was recorded; both are kept, never overwritten."""

    TRIAGE = "triage", _("At intake or triage")
    OUTCOME = "outcome", _("At the outcome")


class ViolationClassification(models.Model):
    """Abstract: one kind of violation recorded on one object at one stage.

    An app makes it concrete with a direct foreign key named ``subject`` to its own model::

        class InvestigationViolationKind(ViolationClassification):
            subject = models.ForeignKey(Case, on_delete=models.CASCADE,
                                        related_name="violation_kinds")

    and names the model in its ``<app>/typology.py`` source. Rows are written only by
    :func:`vik.typology.services.record_violation_kinds`, with history.
    """

    kind = models.ForeignKey(
        ViolationKind,
        verbose_name=_("kind of violation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ClassificationStage.choices)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["stage", "kind__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "stage", "kind"], name="%(app_label)s_%(class)s_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.kind}"
