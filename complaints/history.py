"""Readable history rows for this app's history pages.

``vik.history.changed_fields`` reports raw stored values; the trail reads better with
choice labels instead of codes, names instead of many-to-many rows, and an empty value
instead of a "deleted" placeholder for a foreign key that was simply not set.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import DeletedObject


def readable(field: Any, value: Any) -> Any:
    """One history value as a person reads it."""
    if value is None or (isinstance(value, DeletedObject) and value.pk is None):
        return None
    if isinstance(field, models.ManyToManyField) and isinstance(value, list):
        target = field.m2m_reverse_field_name()
        return ", ".join(str(row.get(target, "")) for row in value) or None
    choices = getattr(field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    return value


class ReadableHistoryMixin:
    """For ``vik.views.base.ObjectHistoryView`` subclasses: tidy the listed changes."""

    object: models.Model

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        fields = {
            str(field.verbose_name): field
            for field in self.object._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
        context["records"] = [
            (
                record,
                [
                    (label, readable(fields.get(label), old), readable(fields.get(label), new))
                    for label, old, new in changes
                ],
            )
            for record, changes in context["records"]
        ]
        return context
