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
from vik.transparency.models import RetentionPolicy

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
    run = services.purge_expired_monitoring_data(cutoff=at("2026-05-22", "00:00"))
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


def test_the_cutoff_is_a_local_midnight(world: World, delivery: Delivery) -> None:
    """Days are Europe/Amsterdam days: an event just before local midnight is of the old day."""
    delivery.lookups(world.subject, at("2026-10-01", "23:30"), 1, "x")
    delivery.lookups(world.subject, at("2026-10-02", "00:30"), 1, "y")
    delivery.load()
    # The database refuses a cut-off younger than the retention period: make it short.
    RetentionPolicy.objects.create(category="monitoring.access_events", period_months=1)
    run = services.purge_expired_monitoring_data(cutoff=at("2026-10-02", "00:00"))
    assert run.events_removed == 1
    assert list(AccessEvent.objects.values_list("event_id", flat=True)) == ["ev-000002"]
    assert RetentionRun.objects.count() == 1


def test_the_period_is_kept_by_the_retention_policies_only() -> None:
    """One period, with legal holds: the transparency app's category calls the purge."""
    from vik.schedule import BEAT_SCHEDULE

    assert not MonitoringParameter.objects.filter(key="retention.months").exists()
    assert not any(
        "purge_expired_monitoring_data" in str(entry["task"]) for entry in BEAT_SCHEDULE.values()
    )
