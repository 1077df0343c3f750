"""Cases' figures for /metrics: open deadlines past their date, per kind (counts only)."""

from __future__ import annotations

import datetime

from django.db.models import Count

from cases.models import Deadline


def overdue_deadlines(*, today: datetime.date) -> dict[str, int]:
    overdue = (
        Deadline.objects.filter(met_on__isnull=True, due_on__lt=today, case__closed_at__isnull=True)
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    return {f"cases_{kind}": count for kind, count in overdue}
