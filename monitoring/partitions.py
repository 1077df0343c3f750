"""Day partitions of the access-event table (PostgreSQL only).

A partition holds one Europe/Amsterdam day, named ``monitoring_accessevent_pYYYYMMDD``.
Imports create them as days arrive; the retention task drops them whole, which removes a
day of events in milliseconds without a DELETE or a VACUUM. Both go through database
functions owned by the migration role (``monitoring/migrations/0011_partition_functions``):
the runtime role may create no table and drop none. The creating function gives the new
partition the parent's grants, so imports COPY straight into it; the dropping function
checks the retention period and legal holds itself. On SQLite nothing here runs: the demo's
event table is a plain table.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import connection

from monitoring.periods import day_bounds

PARENT = "monitoring_accessevent"
_NAME = re.compile(rf"^{PARENT}_p(\d{{8}})$")


def is_partitioned() -> bool:
    """Whether the event store is partitioned (PostgreSQL) or a plain table (SQLite)."""
    return connection.vendor == "postgresql"


def partition_name(day: datetime.date) -> str:
    return f"{PARENT}_p{day:%Y%m%d}"


def ensure_partitions(days: set[datetime.date] | list[datetime.date]) -> list[str]:
    """Create the partitions for ``days`` that do not exist yet; returns those created.

    Runs inside the caller's transaction, so a failed import leaves no empty partitions.
    """
    if not is_partitioned():
        return []
    existing = {p.day for p in list_partitions()}
    created = []
    with connection.cursor() as cursor:
        for day in sorted(set(days) - existing):
            start, end = day_bounds(day)
            cursor.execute(
                "SELECT monitoring_create_day_partition(%s::date, %s, %s)", [day, start, end]
            )
            if cursor.fetchone()[0]:
                created.append(partition_name(day))
    return created


@dataclass(frozen=True)
class Partition:
    name: str
    day: datetime.date


def list_partitions() -> list[Partition]:
    """The day partitions that exist, oldest first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE parent.relname = %s",
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
    result = []
    for name in names:
        match = _NAME.match(name)
        if match:
            result.append(Partition(name, datetime.datetime.strptime(match[1], "%Y%m%d").date()))  # noqa: DTZ007 - a calendar day, not an instant
    return sorted(result, key=lambda p: p.day)


@dataclass(frozen=True)
class DroppedDay:
    """What dropping a day removed: its events, of which ``held`` went to the hold store."""

    events: int
    held: int


def drop_partition(partition: Partition) -> DroppedDay:
    """Drop one day partition; returns how many events it held (counted first, for the log)
    and how many of them were copied to the legal-hold store.

    The database function refuses a day that has not expired; the events of employees
    under a legal hold it copies to the hold store (``monitoring.HeldAccessEvent``) first.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT events, held FROM monitoring_drop_day_partition(%s::date)", [partition.day]
        )
        events, held = cursor.fetchone()
        return DroppedDay(int(events), int(held))


def purge_held_events() -> int:
    """Remove hold-store copies whose hold was released and that are past retention.

    Through the database function (the runtime role may not delete from the hold store);
    on SQLite, directly.
    """
    if not is_partitioned():
        return _purge_held_events_in_python()
    with connection.cursor() as cursor:
        cursor.execute("SELECT monitoring_purge_held_events()")
        return int(cursor.fetchone()[0])


def _purge_held_events_in_python() -> int:
    from monitoring.models import HeldAccessEvent
    from monitoring.periods import day_start
    from vik.transparency.services import check_purge_allowed, latest_cutoff

    category = "monitoring.access_events"
    limit = latest_cutoff(category)
    held = check_purge_allowed(category, limit)
    removed, _detail = (
        HeldAccessEvent.objects.filter(
            hold__released_at__isnull=False, occurred_at__lt=day_start(limit)
        )
        .exclude(employee_id__in=held)
        .delete()
    )
    return removed
