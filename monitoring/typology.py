"""Where monitoring outcomes get kinds of integrity violation (see ``vik.typology.registry``).

The follow-up conversations recorded with an outcome that points at something (unintended
behaviour, awareness given; referred for investigation); "explained" has nothing to
classify. Counted for the employee's unit, in the quarter of the conversation. A conversation
recorded without kinds counts as "not yet classified".
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vik.models import ClassificationStage
from vik.typology.registry import ClassificationSource


def _outcomes() -> QuerySet:
    from monitoring.models import FollowUp

    return FollowUp.objects.filter(
        status=FollowUp.Status.RECORDED, outcome__in=FollowUp.CLASSIFIED_OUTCOMES
    )


SOURCES = [
    ClassificationSource(
        key="monitoring.outcome",
        label=_("Monitoring conversations"),
        stage=ClassificationStage.OUTCOME,
        population=_outcomes,
        unit_field="employee__unit",
        date_field="held_on",
        classification="monitoring.FollowUpViolationKind",
        order=40,
    ),
]
