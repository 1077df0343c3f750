"""Where screening outcomes get kinds of integrity violation (see ``vik.typology.registry``).

The dossiers closed with an outcome that points at something (agreements, a referral for
investigation, an objection); "no concerns" and "lapsed" have nothing to classify. Counted
for the employee's unit, in the quarter of closing. A dossier closed
without kinds counts as "not yet classified".
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vik.models import ClassificationStage
from vik.typology.registry import ClassificationSource


def _outcomes() -> QuerySet:
    from screening.models import ScreeningDossier

    return ScreeningDossier.objects.filter(
        status=ScreeningDossier.Status.CLOSED,
        outcome__in=ScreeningDossier.CLASSIFIED_OUTCOMES,
    )


SOURCES = [
    ClassificationSource(
        key="screening.outcome",
        label=_("Screening outcomes"),
        stage=ClassificationStage.OUTCOME,
        population=_outcomes,
        unit_field="employee__unit",
        date_field="closed_on",
        classification="screening.ScreeningViolationKind",
        order=30,
    ),
]
