"""Retention: old days of events go, whole partitions at a time, and it is written down."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db import connection

from monitoring import services
from monitoring.models import (
    AccessEvent,
    DailyActivity,
    MonitoringParameter,
    RetentionRun,
    RosterEntry,
    Signal,
)
from monitoring.partitions import list_partitions
from tests.conftest import World
from tests.monitoring.conftest import Delivery, at, detect

pytestmark = pytest.mark.django_db


def test_old_days_are_dropped_and_recorded(
    world: World, delivery: Delivery, tmp_path: Path
) -> None:
    delivery.office_weeks(world.subject, datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    delivery.office_weeks(world.subject)
    delivery.lookups(world.subject, at("2026-04-20", "21:00"), 3, "old")
    delivery.lookups(world.subject, at("2026-10-21", "21:00"), 3, "new")
    delivery.load()
    detect(datetime.date(2026, 4, 20), datetime.date(2026, 4, 20))
    detect()
    assert Signal.objects.count() == 2
    now = datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)
    run = services.purge_expired_monitoring_data(now=now)  # default: six months
    assert run.cutoff == at("2026-05-22", "00:00")
    assert run.events_removed == 3
    assert set(AccessEvent.objects.values_list("event_id", flat=True)) == {
        "ev-000004",
        "ev-000005",
        "ev-000006",
    }
    assert not DailyActivity.objects.filter(day__lt=datetime.date(2026, 5, 22)).exists()
    assert not RosterEntry.objects.filter(end__lt=run.cutoff).exists()
    assert run.derived_removed["dailyactivity"] == 1
    # Signals keep their evidence: the review process decides how long they are kept.
    assert Signal.objects.count() == 2
    assert Signal.objects.get(window_start__lt=datetime.date(2026, 5, 1)).evidence.count() == 3
    if connection.vendor == "postgresql":
        assert run.partitions == ["monitoring_accessevent_p20260420"]
        assert all(p.day >= datetime.date(2026, 5, 22) for p in list_partitions())


def test_the_period_is_configurable(world: World, delivery: Delivery) -> None:
    delivery.lookups(world.subject, at("2026-10-01", "10:00"), 1, "x")
    delivery.load()
    MonitoringParameter.objects.filter(key="retention.months").update(value=1)
    run = services.purge_expired_monitoring_data(
        now=datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)
    )
    assert run.retention_months == 1
    assert run.events_removed == 1
    assert RetentionRun.objects.count() == 1
