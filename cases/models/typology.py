"""The kinds of integrity violation recorded on a case (the shared typology)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.reports import Case
from vik.models.typology import ViolationClassification


class InvestigationViolationKind(ViolationClassification):
    """A kind of integrity violation of a case, at triage or at the outcome (both kept).

    At triage the commissioner records what the report is about; at the outcome what was
    found. The works council's figures count the outcome; prevention's trends show both.
    """

    subject = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="violation_kinds"
    )

    class Meta(ViolationClassification.Meta):
        verbose_name = _("kind of violation of a case")
        verbose_name_plural = _("kinds of violation of cases")
