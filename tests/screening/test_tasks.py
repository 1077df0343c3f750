"""The screening beat task, called directly (as Celery would)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from screening import tasks
from screening.models import ScreeningDossier
from screening.schedule import BEAT_SCHEDULE
from tests.conftest import World
from vik.schedule import BEAT_SCHEDULE as MERGED
from vik.workdays import add_months

pytestmark = pytest.mark.django_db


def test_the_task_opens_due_re_screenings_once(world: World) -> None:
    # Due in a month: inside the default lead time of three months.
    world.subject.employment_start = add_months(timezone.localdate(), -8 * 12 + 1)
    world.subject.save()
    assert tasks.open_due_rescreenings() == 1
    assert tasks.open_due_rescreenings() == 0  # idempotent: run twice, open once
    dossier = ScreeningDossier.objects.get()
    assert dossier.employee == world.subject
    assert dossier.opened_on == timezone.localdate()
    assert dossier.due_on - dossier.opened_on < datetime.timedelta(days=32)


def test_the_task_is_in_the_beat_schedule() -> None:
    entry = BEAT_SCHEDULE["screening-open-due-rescreenings"]
    assert entry["task"] == "screening.tasks.open_due_rescreenings"
    assert MERGED["screening-open-due-rescreenings"] == entry
