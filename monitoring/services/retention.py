"""Removing access events and what detection derived from them after the retention period."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction

from monitoring.models import (
    AccessEvent,
    DailyActivity,
    EventFinding,
    PeerBaseline,
    RetentionRun,
    RosterEntry,
    SubjectBurst,
    UnexplainedAccess,
)
from monitoring.partitions import drop_partition, is_partitioned, list_partitions
from monitoring.periods import AMSTERDAM

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

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
    (PostgreSQL); on SQLite old rows are deleted. The detection data of those days and
    roster entries that ended before the cutoff go too. Signals and their evidence stay:
    their retention is a category of its own. What was removed is written down in a
    :class:`RetentionRun`.
    """
    del acting_user  # the run is recorded whoever triggers it; beat has no user
    cutoff_day = cutoff.astimezone(AMSTERDAM).date()
    dropped: list[str] = []
    removed = 0
    if is_partitioned():
        for partition in list_partitions():
            if partition.day < cutoff_day:
                removed += drop_partition(partition)
                dropped.append(partition.name)
    else:
        removed, _ = AccessEvent.objects.filter(occurred_at__lt=cutoff).delete()
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
        derived_removed=derived,
    )
