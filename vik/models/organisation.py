"""The organisation: units as a tree, and the functions employees hold."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vik.roles import UnitScope


class Unit(models.Model):
    """An organisational unit: a police unit (eenheid), a district or a team.

    Units form a tree (eenheid → district → team). The top-level kind says whether a unit is
    one of the ten regional units, a national unit (Landelijke Eenheid) or a support unit
    (PDC, Politieacademie). Unit-scoped grants are object permissions on this model; a grant
    covers the unit and everything below it (see :class:`UnitAncestry`).
    """

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional unit")
        NATIONAL = "national", _("National unit")
        SUPPORT = "support", _("Support unit")
        DISTRICT = "district", _("District")
        TEAM = "team", _("Team")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.CharField(
        _("region code"),
        max_length=8,
        blank=True,
        help_text=_("The police region this unit works in; empty means nationwide."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        permissions = [(scope.value, scope.label) for scope in UnitScope]

    def __str__(self) -> str:
        return self.name


class UnitAncestry(models.Model):
    """Closure table of the unit tree: one row per (ancestor, descendant) pair, self included.

    It turns "this unit and everything below it" into a single indexed join, so scoped
    selectors stay one ``id__in`` subquery however deep the tree is. Rebuilt by
    :func:`vik.services.rebuild_unit_ancestry` whenever the tree changes; derived data, so
    it carries no history of its own.
    """

    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="descendant_links")
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="ancestor_links")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="unit_ancestry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} → {self.descendant_id} ({self.depth})"


class Function(models.Model):
    """A function (functie) an employee holds, e.g. patrol officer, detective, intake."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
