"""Reads of the monitoring protocol: the version in force, who still has to confirm it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from monitoring.models import MonitoringProtocol, ProtocolReceipt
from vik.models import Employee
from vik.selectors import employee_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from vik.transparency.registry import Count

    AnyUser = User | AnonymousUser


def current_protocol(*, at: datetime.datetime | None = None) -> MonitoringProtocol | None:
    """The version in force (the newest published), or at a past moment."""
    versions = MonitoringProtocol.objects.all()
    if at is not None:
        versions = versions.filter(published_at__lt=at)
    return versions.order_by("-version").first()


def receipt_of(*, user: AnyUser, protocol: MonitoringProtocol) -> ProtocolReceipt | None:
    """The user's own confirmation of ``protocol``, if any."""
    employee = employee_of(user)
    if employee is None:
        return None
    return ProtocolReceipt.objects.filter(protocol=protocol, employee=employee).first()


def protocol_unconfirmed_count(user: AnyUser) -> int:
    """1 while the user (an employee) has not confirmed the version in force: the menu badge."""
    protocol = current_protocol()
    if protocol is None or employee_of(user) is None:
        return 0
    return 0 if receipt_of(user=user, protocol=protocol) else 1


def receipt_counts(*, start: datetime.date, end: datetime.date) -> list[Count]:
    """Staff in employment at ``end`` per top-level unit: confirmed the version then in force
    (before ``end``), or not. Nothing before the first version was published."""
    from django.utils import timezone

    from vik.transparency.registry import Count

    end_at = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
    protocol = current_protocol(at=end_at)
    if protocol is None:
        return []
    confirmed = ProtocolReceipt.objects.filter(
        protocol=protocol, employee=OuterRef("pk"), confirmed_at__lt=end_at
    )
    staff = (
        Employee.objects.filter(
            Q(employment_start__isnull=True) | Q(employment_start__lt=end),
            Q(employment_end__isnull=True) | Q(employment_end__gte=end),
        )
        .annotate(confirmed=Exists(confirmed))
        .values_list("unit_id", "confirmed")
    )
    tally: dict[tuple[int | None, bool], int] = {}
    for unit_id, has_confirmed in staff.iterator():
        tally[(unit_id, has_confirmed)] = tally.get((unit_id, has_confirmed), 0) + 1
    return [
        Count(unit_id, "confirmed" if has_confirmed else "not_confirmed", value)
        for (unit_id, has_confirmed), value in sorted(
            tally.items(), key=lambda item: (item[0][0] or 0, item[0][1])
        )
    ]
