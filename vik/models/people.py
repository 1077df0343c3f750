"""Employees of the police, and the link to their login account."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vik.models.organisation import Function, Unit


class Employee(models.Model):
    """A person employed by the police: the data subject of nearly everything in VIK.

    ``unit`` is the top-level unit (eenheid) and ``team`` the team within it, as HR records
    them. ``user`` links the employee to their login account, if they have one. Home
    addresses are not kept here: monitoring stores only keyed hashes of them.
    """

    personnel_number = models.CharField(_("personnel number"), max_length=32, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employees"
    )
    team = models.ForeignKey(
        Unit,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_members",
    )
    function = models.ForeignKey(
        Function,
        verbose_name=_("function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    email = models.EmailField(_("work e-mail"), blank=True)
    employment_start = models.DateField(_("employment start"), null=True, blank=True)
    employment_end = models.DateField(_("employment end"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employment_end__isnull=True)
                | models.Q(employment_start__isnull=True)
                | models.Q(employment_end__gte=models.F("employment_start")),
                name="employee_employment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personnel_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def org_unit_id(self) -> int:
        """The most specific unit the employee belongs to (their team, else their unit)."""
        return self.team_id or self.unit_id

    def is_employed_on(self, day: datetime.date) -> bool:
        started = self.employment_start is None or self.employment_start <= day
        not_ended = self.employment_end is None or day <= self.employment_end
        return started and not_ended
