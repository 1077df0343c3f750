"""Screening's figures for /metrics: open dossiers past their date (a count)."""

from __future__ import annotations

import datetime

from screening.models import ScreeningDossier


def overdue_deadlines(*, today: datetime.date) -> dict[str, int]:
    return {
        "screening_dossier": ScreeningDossier.objects.exclude(status=ScreeningDossier.Status.CLOSED)
        .filter(due_on__lt=today)
        .count()
    }
