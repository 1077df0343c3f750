"""Removing access events and what detection derived from them after the retention period."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction

from monitoring.models import (
    AccessEvent,
    DailyActivity,
    EventFinding,
    HeldAccessEvent,
    PeerBaseline,
    RetentionRun,
    RosterEntry,
    SubjectBurst,
    UnexplainedAccess,
)
from monitoring.partitions import drop_partition, is_partitioned, list_partitions
from monitoring.periods import AMSTERDAM
from vik.transparency.models import LegalHold

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

    AnyUser = User | AnonymousUser


@transaction.atomic
def purge_expired_monitoring_data(
    *, cutoff: datetime.datetime, acting_user: AnyUser | None = None
) -> RetentionRun:
    """Remove access events from before ``cutoff`` (a local midnight), and what was derived.

    The period is not decided here: it is the retention category
    ``monitoring.access_events`` of the transparency app (default six months, configurable
    by the administrator with history), whose nightly run checks legal holds and calls this
    (``monitoring.transparency.purge_access_events``). Whole day partitions are dropped
    (PostgreSQL); on SQLite old rows are deleted. The events of employees under a legal hold
    are copied to the hold store first (:class:`HeldAccessEvent`), so a hold on one employee
    keeps nobody else's days. The detection data of those days and
    roster entries that ended before the cutoff go too. Signals and their evidence are
    the retention categories' business (``monitoring/transparency.py``). What was removed
    is written down in a
    :class:`RetentionRun`.
    """
    del acting_user  # the run is recorded whoever triggers it; beat has no user
    cutoff_day = cutoff.astimezone(AMSTERDAM).date()
    dropped: list[str] = []
    removed = held = 0
    if is_partitioned():
        for partition in list_partitions():
            if partition.day < cutoff_day:
                day = drop_partition(partition)  # copies the held employees' events first
                removed += day.events
                held += day.held
                dropped.append(partition.name)
    else:
        expired = AccessEvent.objects.filter(occurred_at__lt=cutoff)
        held = _copy_held_events(expired)
        removed, _ = expired.delete()
    derived: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in (DailyActivity, UnexplainedAccess, EventFinding, SubjectBurst, PeerBaseline):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE day < %s",  # noqa: S608 - a model's table
                [cutoff_day],
            )
            derived[model._meta.model_name or model.__name__] = cursor.rowcount
    old_rosters = RosterEntry.objects.filter(end__lt=cutoff)
    derived["rosterentry"] = old_rosters.count()
    old_rosters.delete()
    derived["historicalrosterentry"] = RosterEntry.history.filter(end__lt=cutoff).delete()[0]
    return RetentionRun.objects.create(
        cutoff=cutoff,
        partitions=dropped,
        events_removed=removed,
        events_held=held,
        derived_removed=derived,
    )


def _copy_held_events(expired: QuerySet[AccessEvent]) -> int:
    """SQLite: what the database's drop function does on PostgreSQL (copy to the hold store)."""
    holds: dict[int, int] = {}
    for hold_id, employee_id in (
        LegalHold.objects.filter(
            released_at__isnull=True, category__in=("", "monitoring.access_events")
        )
        .order_by("-placed_at", "-id")
        .values_list("pk", "employee_id")
    ):
        holds[employee_id] = hold_id  # the oldest hold wins, as in the database function
    copies = [
        HeldAccessEvent(
            hold_id=holds[event.employee_id],
            occurred_at=event.occurred_at,
            event_id=event.event_id,
            employee_number=event.employee_number,
            employee_id=event.employee_id,
            system=event.system,
            action=event.action,
            subject_ref=event.subject_ref,
            incident_ref=event.incident_ref,
            workstation=event.workstation,
        )
        for event in expired.filter(employee_id__in=list(holds))
        if event.employee_id is not None
    ]
    return len(HeldAccessEvent.objects.bulk_create(copies, ignore_conflicts=True))
