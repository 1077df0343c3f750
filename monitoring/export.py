"""``export_signals``: signals as JSON Lines, one per line, for other systems.

``{"signal_id", "employee_id", "window_start", "window_end", "score", "status",
"indicators": [{"code", "explanation", "score", "occurrences", "details"}],
"evidence_event_ids": [...]}`` — explanations in the deployment's language (Dutch).
Every employee in the export is written to the access log (action *export*).
"""

from __future__ import annotations

import datetime
import json
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from monitoring.models import Signal
from monitoring.selectors import signals_for_export
from vik.models import AccessAction, AccessChannel
from vik.services import record_access_many

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def signal_record(signal: Signal) -> dict[str, Any]:
    """One signal as the exchange format describes it."""
    evidence_ids = list(dict.fromkeys(e.event_id for e in signal.evidence.all()))
    return {
        "signal_id": signal.pk,
        "employee_id": signal.employee.personnel_number,
        "window_start": signal.window_start.isoformat(),
        "window_end": signal.window_end.isoformat(),
        "score": float(signal.score),
        "status": signal.status,
        "indicators": [
            {
                "code": indicator.code,
                "explanation": indicator.explanation,
                "score": float(indicator.score),
                "occurrences": indicator.occurrences,
                "details": indicator.details,
            }
            for indicator in signal.indicators.all()
        ],
        "evidence_event_ids": evidence_ids,
    }


def export_signals(
    *,
    start: datetime.date,
    end: datetime.date,
    stream: IO[str],
    acting_user: User | None = None,
) -> int:
    """Write the signals of [start, end] to ``stream``; returns how many."""
    written = 0
    employees: list[int] = []
    with translation.override(settings.LANGUAGE_CODE):
        for signal in signals_for_export(start=start, end=end).iterator(chunk_size=500):
            stream.write(json.dumps(signal_record(signal), ensure_ascii=False) + "\n")
            employees.append(signal.employee_id)
            written += 1
    record_access_many(
        actor=acting_user or AnonymousUser(),
        action=AccessAction.EXPORT,
        role=None,
        employees=employees,
        object_type=Signal._meta.label_lower,
        purpose=f"export_signals {start}–{end}",
        channel=AccessChannel.COMMAND,
    )
    return written
