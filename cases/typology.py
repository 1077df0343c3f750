"""Where investigations get kinds of integrity violation (see ``vik.typology.registry``).

Two stages, both kept: at triage (what the report is about) and at the outcome (what was
found). Counted for the commissioner's unit, in the quarter of the triage decision or the
outcome. A case without kinds at a
stage counts as "not yet classified" there.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vik.models import ClassificationStage
from vik.typology.registry import ClassificationSource


def _triaged() -> QuerySet:
    from cases.models import Case

    return Case.objects.filter(triaged_at__isnull=False)


def _with_outcome() -> QuerySet:
    from cases.models import Case

    return Case.objects.filter(investigation__outcome_decided_at__isnull=False)


SOURCES = [
    ClassificationSource(
        key="cases.triage",
        label=_("Reports at triage"),
        stage=ClassificationStage.TRIAGE,
        population=_triaged,
        unit_field="unit",
        date_field="triaged_at",
        classification="cases.InvestigationViolationKind",
        # The works council counts each matter once: investigations at their outcome.
        for_works_council=False,
        order=10,
    ),
    ClassificationSource(
        key="cases.outcome",
        label=_("Investigations at the outcome"),
        stage=ClassificationStage.OUTCOME,
        population=_with_outcome,
        unit_field="unit",
        date_field="investigation__outcome_decided_at",
        classification="cases.InvestigationViolationKind",
        order=11,
    ),
]
