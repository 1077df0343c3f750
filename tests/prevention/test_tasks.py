"""The daily reminder task: first answers due soon or overdue, once per term."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from prevention import tasks
from prevention.models import AdviceRequest, AfterDiscussion, SessionRequest
from tests.conftest import World
from tests.prevention import helpers
from vik.models import Notification

pytestmark = pytest.mark.django_db


def _reminders(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, subject__startswith="The term").values_list(
            "subject", flat=True
        )
    )


def test_reminders_are_sent_once_per_term_and_say_nothing_of_the_request(world: World) -> None:
    request = helpers.session_request(world)
    question = helpers.advice(world)
    coordinator = helpers.coordinator(world)
    assert tasks.send_first_answer_reminders() == 0  # ten working days ahead: not yet
    today = timezone.localdate()
    SessionRequest.objects.filter(pk=request.pk).update(
        answer_due_on=today - datetime.timedelta(days=1)
    )
    AdviceRequest.objects.filter(pk=question.pk).update(answer_due_on=today)
    assert tasks.send_first_answer_reminders() == 2
    assert sorted(_reminders(coordinator)) == [
        "The term for answering a session request has passed",
        "The term for answering an advice question ends soon",
    ]
    assert all(not n.body for n in Notification.objects.filter(subject__startswith="The term"))
    assert tasks.send_first_answer_reminders() == 0  # idempotent
    # A new term earns a new reminder.
    AdviceRequest.objects.filter(pk=question.pk).update(
        answer_due_on=today + datetime.timedelta(days=1)
    )
    assert tasks.send_first_answer_reminders() == 1


def test_an_assigned_question_reminds_its_coordinator_only(world: World) -> None:
    from prevention import services

    question = helpers.advice(world)
    services.take_advice_request(request=question, acting_user=helpers.coordinator(world))
    AdviceRequest.objects.filter(pk=question.pk).update(answer_due_on=timezone.localdate())
    assert tasks.send_first_answer_reminders() == 1


def test_answered_requests_are_not_reminded(world: World) -> None:
    from prevention import services

    request = helpers.session_request(world)
    services.accept_session_request(request=request, acting_user=helpers.coordinator(world))
    SessionRequest.objects.filter(pk=request.pk).update(answer_due_on=timezone.localdate())
    assert tasks.send_first_answer_reminders() == 0


def test_an_after_discussion_reminds_the_coordinators_of_the_unit(world: World) -> None:
    discussion = helpers.after_discussion(world)
    AfterDiscussion.objects.filter(pk=discussion.pk).update(answer_due_on=timezone.localdate())
    assert tasks.send_first_answer_reminders() == 1
    assert _reminders(helpers.coordinator(world)) == [
        "The term for answering an after-discussion ends soon"
    ]


def test_the_task_is_in_the_beat_schedule() -> None:
    from vik.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["prevention-first-answer-reminders"]
    assert entry["task"] == "prevention.tasks.send_first_answer_reminders"
