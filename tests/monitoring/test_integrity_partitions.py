"""Day partitions through the database's functions: the runtime role creates, imports into
and (at the end of retention) drops them without owning anything (issue 16)."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, transaction

from monitoring.models import AccessEvent, HeldAccessEvent
from monitoring.partitions import (
    DroppedDay,
    drop_partition,
    ensure_partitions,
    list_partitions,
    purge_held_events,
)
from tests.conftest import World
from tests.dbroles import as_role, refused
from tests.monitoring.conftest import Delivery, at
from vik.roles import Role
from vik.transparency import services as transparency

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
        assert drop_partition(old) == DroppedDay(events=2, held=0)
        recent = next(p for p in list_partitions() if p.day == datetime.date(2026, 10, 21))
        with (
            pytest.raises(DatabaseError, match="younger than the retention period"),
            transaction.atomic(),
        ):
            drop_partition(recent)
    assert AccessEvent.objects.count() == 3


def test_a_legal_hold_copies_the_held_employees_events_and_drops_the_day_for_everyone(
    world: World, delivery: Delivery, runtime_role: str
) -> None:
    """Issue 11: the day goes on time; the held employee's events go to the hold store,
    which the runtime role cannot change, and leave it only through the purge function once
    the hold is released."""
    delivery.office_weeks(world.subject)
    delivery.office_weeks(world.colleague)
    delivery.lookups(world.subject, at("2026-04-20", "21:00"), 2, "held")
    delivery.lookups(world.colleague, at("2026-04-20", "22:00"), 3, "other")
    delivery.load()
    officer = world.user(Role.PRIVACY_OFFICER)
    hold = transparency.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=officer
    )
    with as_role(runtime_role) as cursor:
        old = next(p for p in list_partitions() if p.day == datetime.date(2026, 4, 20))
        assert drop_partition(old) == DroppedDay(events=5, held=2)
        assert not any(p.day == datetime.date(2026, 4, 20) for p in list_partitions())
        copies = HeldAccessEvent.objects.filter(hold=hold)
        assert copies.count() == 2
        assert set(copies.values_list("employee_id", flat=True)) == {world.subject.pk}
        refused(cursor, "DELETE FROM monitoring_heldaccessevent")
        refused(cursor, "UPDATE monitoring_heldaccessevent SET system = 'x'")
        # While the hold is in force the purge keeps the copies.
        assert purge_held_events() == 0
    transparency.release_legal_hold(hold=hold, reason="Zaak afgerond", acting_user=officer)
    with as_role(runtime_role):
        assert purge_held_events() == 2
    assert not HeldAccessEvent.objects.exists()
