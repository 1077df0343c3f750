"""Day partitions through the database's functions: the runtime role creates, imports into
and (at the end of retention) drops them without owning anything (issue 16)."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, transaction

from monitoring.models import AccessEvent
from monitoring.partitions import drop_partition, ensure_partitions, list_partitions
from tests.conftest import World
from tests.dbroles import as_role, refused
from tests.monitoring.conftest import Delivery, at

pytestmark = pytest.mark.django_db


def test_the_runtime_role_creates_partitions_imports_and_drops_them(
    world: World, delivery: Delivery, runtime_role: str
) -> None:
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-04-20", "21:00"), 2, "old")
    delivery.lookups(world.subject, at("2026-10-21", "21:00"), 3, "new")
    with as_role(runtime_role) as cursor:
        created = ensure_partitions({datetime.date(2026, 10, 20)})
        assert created == ["monitoring_accessevent_p20261020"]
        cursor.execute("SELECT has_table_privilege(%s, %s, 'INSERT')", [runtime_role, created[0]])
        assert cursor.fetchone()[0]  # so imports COPY straight into the day
        delivery.load()
        assert AccessEvent.objects.count() == 5
        refused(cursor, f"DROP TABLE {created[0]}")
        # Retention drops only expired days (six months), through the function.
        old = next(p for p in list_partitions() if p.day == datetime.date(2026, 4, 20))
        assert drop_partition(old) == 2
        recent = next(p for p in list_partitions() if p.day == datetime.date(2026, 10, 21))
        with (
            pytest.raises(DatabaseError, match="younger than the retention period"),
            transaction.atomic(),
        ):
            drop_partition(recent)
    assert AccessEvent.objects.count() == 3
