"""Disclosure deferrals as the other apps consult them.

Providers receive the deferrals in force through ``OwnDataRequest.deferrals``. Code outside
a provider — e.g. an app about to tell an employee that their data was consulted — asks
:func:`is_disclosure_deferred` first::

    from vik.transparency.disclosure import is_disclosure_deferred

    if not is_disclosure_deferred(
        employee=signal.employee,
        category="monitoring.signals",
        object_ref=ObjectRef("monitoring.signal", str(signal.pk)),
    ):
        notify(...)
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from vik.transparency.models import DisclosureDeferral
from vik.transparency.registry import DeferralSet, ObjectRef

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from vik.models import Employee


def active_deferrals(*, today: datetime.date | None = None) -> QuerySet[DisclosureDeferral]:
    """Deferrals in force: not ended, and not past their end date."""
    return DisclosureDeferral.objects.filter(
        lifted_at__isnull=True, ends_on__gte=today or timezone.localdate()
    )


def deferral_set(employee: Employee, *, today: datetime.date | None = None) -> DeferralSet:
    """The deferrals in force for ``employee``, in one query."""
    categories: set[str] = set()
    objects: set[tuple[str, ObjectRef]] = set()
    rows = active_deferrals(today=today).filter(employee=employee)
    for category, object_type, object_id in rows.values_list(
        "category", "object_type", "object_id"
    ):
        if object_type:
            objects.add((category, ObjectRef(object_type, object_id)))
        else:
            categories.add(category)
    return DeferralSet(frozenset(categories), frozenset(objects))


def is_disclosure_deferred(
    *, employee: Employee, category: str, object_ref: ObjectRef | None = None
) -> bool:
    """Whether disclosing ``category`` (or ``object_ref`` in it) to ``employee`` is deferred."""
    return deferral_set(employee).covers(category, object_ref)
