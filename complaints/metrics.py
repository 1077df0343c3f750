"""Complaints' figures for /metrics: open complaints past their decision date (a count)."""

from __future__ import annotations

import datetime

from complaints.models import Complaint


def overdue_deadlines(*, today: datetime.date) -> dict[str, int]:
    return {
        "complaints_decision": Complaint.objects.filter(
            phase__in=Complaint.OPEN_PHASES, deadline__lt=today
        ).count()
    }
