"""Where complaints get kinds of integrity violation (see ``vik.typology.registry``).

Next to the uniform complaint classification, not instead of it. Counted for the unit
complained about, in the quarter the complaint was received. A complaint
without kinds counts as "not yet classified".
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vik.models import ClassificationStage
from vik.typology.registry import ClassificationSource


def _received() -> QuerySet:
    from complaints.models import Complaint

    return Complaint.objects.all()


SOURCES = [
    ClassificationSource(
        key="complaints.received",
        label=_("Complaints"),
        stage=ClassificationStage.TRIAGE,
        population=_received,
        unit_field="unit",
        date_field="received_on",
        classification="complaints.ComplaintViolationKind",
        order=20,
    ),
]
