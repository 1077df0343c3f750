"""The complaints beat task, called directly (as Celery would)."""

from __future__ import annotations

import pytest

from complaints import tasks
from complaints.schedule import BEAT_SCHEDULE
from tests.complaints.helpers import assigned, days_ago
from tests.conftest import World
from vik.models import Notification
from vik.roles import Role
from vik.schedule import BEAT_SCHEDULE as MERGED

pytestmark = pytest.mark.django_db


def test_the_reminder_task_reminds_once(world: World) -> None:
    # Received 10 weeks less 3 days ago: the decision is due in 3 days.
    assigned(world, received_on=days_ago(70 - 3))
    assert tasks.send_deadline_reminders() == 1
    assert tasks.send_deadline_reminders() == 0
    assert Notification.objects.get().recipient == world.user(Role.COMPLAINT_HANDLER)


def test_a_far_deadline_waits(world: World) -> None:
    assigned(world, received_on=days_ago(7))
    assert tasks.send_deadline_reminders() == 0


def test_the_task_is_in_the_beat_schedule() -> None:
    entry = BEAT_SCHEDULE["complaints-deadline-reminders"]
    assert entry["task"] == "complaints.tasks.send_deadline_reminders"
    assert MERGED["complaints-deadline-reminders"] == entry
