"""The periodic tasks: thin, idempotent, calling their services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.transparency.conftest import at
from vik.roles import Role
from vik.schedule import BEAT_SCHEDULE
from vik.transparency import services, tasks
from vik.transparency.core import ACCESS_LOG_CATEGORY
from vik.transparency.models import DisclosureDeferral, Publication
from vik.transparency.registry import Quarter

pytestmark = pytest.mark.django_db


def test_the_tasks_are_on_the_beat_schedule() -> None:
    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {
        "vik.transparency.tasks.publish_figures",
        "vik.transparency.tasks.purge_expired_data",
        "vik.transparency.tasks.daily_deadlines",
    } <= scheduled


def test_publishing_figures(world: World, log_entry) -> None:
    last = Quarter.containing(timezone.localdate()).previous()
    log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=at(last.start))
    assert tasks.publish_figures() > 0
    assert Publication.objects.filter(year=last.year, quarter=last.number).exists()
    assert tasks.publish_figures() == 0


def test_daily_deadlines(world: World) -> None:
    services.defer_disclosure(
        employee=world.subject,
        category=ACCESS_LOG_CATEGORY,
        reason="Heimelijk",
        ends_on=timezone.localdate() + datetime.timedelta(days=2),
        acting_user=world.user(Role.VIK_HEAD),
    )
    DisclosureDeferral.objects.filter().update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert tasks.daily_deadlines() == {
        "deferrals_ended": 1,
        "deferral_reminders": 0,
        "access_request_reminders": 0,
    }
    assert tasks.daily_deadlines()["deferrals_ended"] == 0
