"""Helpers for django-simple-history: who changed what, and why.

Middleware does not run in Celery tasks or management commands, so services set the
acting user and the change reason on the instance explicitly before every save or delete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from simple_history.models import DeletedObject

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def stamp[M: models.Model](
    instance: M, *, acting_user: User | AnonymousUser | None, reason: str
) -> M:
    """Mark ``instance`` so its next history row records ``acting_user`` and ``reason``."""
    instance._history_user = acting_user if acting_user and acting_user.is_authenticated else None  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    return instance


def changed_fields(record: Any, previous: Any | None) -> list[tuple[str, object, object]]:
    """The fields a history record changed against ``previous``: (label, old, new).

    Values read as a person reads them: choice labels instead of codes, related objects by
    name, many-to-many changes as the names of the related objects, and an unset foreign key
    as empty rather than simple-history's "deleted object" placeholder.
    """
    if previous is None:
        return []
    model = record.instance_type
    result = []
    for change in record.diff_against(previous, foreign_keys_are_objs=True).changes:
        field = model._meta.get_field(change.field)
        result.append(
            (str(field.verbose_name), _readable(field, change.old), _readable(field, change.new))
        )
    return result


def _readable(field: Any, value: Any) -> Any:
    if value is None or (isinstance(value, DeletedObject) and value.pk is None):
        return None
    if isinstance(field, models.ManyToManyField) and isinstance(value, list):
        # Rows hold the related objects (diffed with foreign_keys_are_objs) or, for rows of
        # objects since deleted, their ids.
        targets = [row.get(field.m2m_reverse_field_name()) for row in value]
        names = [str(target) for target in targets if isinstance(target, models.Model)]
        ids = [
            target
            for target in targets
            if target is not None and not isinstance(target, models.Model)
        ]
        if ids:
            names += [str(obj) for obj in field.related_model._default_manager.filter(pk__in=ids)]
        return ", ".join(sorted(names)) or None
    choices = getattr(field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    return value
