"""The export for a data-access request (GDPR art. 15): JSON from every provider, and a PDF.

The JSON is the answer: it is what :func:`build_export` collected at the moment the privacy
officer answered, kept with the request. The PDF is rendered from that same JSON, so the two
can never disagree. Labels are in Dutch (the employee's language); keys are stable.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation

from vik.pdf import render_pdf
from vik.transparency.disclosure import deferral_set
from vik.transparency.registry import Audience, OwnDataRequest, get_registry

if TYPE_CHECKING:
    from vik.models import Employee
    from vik.transparency.models import AccessRequest

EXPORT_FORMAT = "vik-access-export/1"


def _value(value: object) -> str | int | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, int):
        return value
    return str(value)


def build_export(*, employee: Employee, request: AccessRequest | None = None) -> dict[str, Any]:
    """Everything the providers disclose about ``employee`` for an access request.

    Disclosure deferrals in force are honoured by the providers, as on the overview.
    """
    own = OwnDataRequest(employee, Audience.ACCESS_REQUEST, deferral_set(employee))
    with translation.override(settings.LANGUAGE_CODE):
        sections = get_registry().own_data(own)
        return {
            "format": EXPORT_FORMAT,
            "generated_at": _value(timezone.now()),
            "employee": {
                "personnel_number": employee.personnel_number,
                "name": employee.full_name,
            },
            "request": {
                "received_on": _value(request.received_on),
                "due_on": _value(request.deadline),
                "question": request.note,
            }
            if request is not None
            else None,
            "sections": [
                {
                    "key": section.key,
                    "title": str(section.title),
                    "description": str(section.description),
                    "empty_text": str(section.empty_text),
                    "items": [
                        {
                            "title": str(item.title),
                            "date": _value(item.date),
                            "reference": list(item.object_ref) if item.object_ref else None,
                            "fields": [
                                {"key": f.key, "label": str(f.label), "value": _value(f.value)}
                                for f in item.fields
                            ],
                        }
                        for item in section.items
                    ],
                }
                for section in sections
            ],
        }


def render_export_pdf(export: dict[str, Any]) -> bytes:
    """The PDF of a stored export (the caller logs the print in the access log)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="transparency/pdf/access_export.html",
            context={
                "export": export,
                "generated_at": datetime.datetime.fromisoformat(export["generated_at"]),
                "document_title": "Inzage in uw gegevens",
                "document_reference": export["employee"]["personnel_number"],
            },
        )
