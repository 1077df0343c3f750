"""Helpers for django-simple-history: who changed what, and why.

Middleware does not run in Celery tasks or management commands, so services set the
acting user and the change reason on the instance explicitly before every save or delete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

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

    Foreign keys are shown as the related object's text, not its id.
    """
    if previous is None:
        return []
    model = record.instance_type
    result = []
    for change in record.diff_against(previous, foreign_keys_are_objs=True).changes:
        field = model._meta.get_field(change.field)
        result.append((str(field.verbose_name), change.old, change.new))
    return result
