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


def drop_partition(partition: Partition) -> int:
    """Drop one day partition; returns how many events it held (counted first, for the log).

    The database function refuses a day that has not expired or holds events of an
    employee under a legal hold.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT monitoring_drop_day_partition(%s::date)", [partition.day])
        return int(cursor.fetchone()[0])
