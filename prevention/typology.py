"""Where advice questions get kinds of integrity violation (see ``vik.typology.registry``).

The coordinator records, with the answer, which kinds the question turned out to be about.
Not part of the works council's figure of kinds: a question is not a violation.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vik.models import ClassificationStage
from vik.typology.registry import ClassificationSource


def _answered() -> QuerySet:
    from prevention.models import AdviceRequest

    return AdviceRequest.objects.filter(answered_at__isnull=False)


SOURCES = [
    ClassificationSource(
        key="prevention.advice",
        label=_("Advice questions"),
        stage=ClassificationStage.OUTCOME,
        population=_answered,
        unit_field="asker__unit",
        date_field="answered_at",
        classification="prevention.AdviceRequestViolationKind",
        for_works_council=False,
        order=50,
    ),
]
