"""The employee is told, actively, after the protocol's delay (issue 11, point 4)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Channel
from cases.services import register_report
from monitoring import services
from monitoring.models import EmployeeNotice, IdentityReveal, Signal
from monitoring.tasks import send_employee_notices
from tests.conftest import World
from tests.factories import UserFactory
from tests.monitoring.review_factories import make_signal
from vik import services as core
from vik.models import Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db
LATER = datetime.timedelta(days=6)  # past the default delay of five days


@pytest.fixture
def subject_user(world: World):
    user = UserFactory(username="subject")
    core.link_account(employee=world.subject, user=user, acting_user=None, reason="test")
    return user


def dismissed(world: World) -> Signal:
    signal = make_signal(world.subject)
    return services.dismiss_signal(
        signal=signal,
        category=Signal.Disposition.WORK_REASON,
        note="Werkreden gevonden in de inzet van die avond.",
        acting_user=world.user(Role.ANALYST),
    )


def test_a_dismissal_is_told_after_the_delay_with_no_blame(world: World, subject_user) -> None:
    signal = dismissed(world)
    notice = EmployeeNotice.objects.get(signal=signal)
    assert notice.kind == EmployeeNotice.Kind.DISMISSED
    assert services.send_due_employee_notices() == 0  # not yet: the protocol's delay
    assert services.send_due_employee_notices(now=timezone.now() + LATER) == 1
    message = Notification.objects.get(recipient=subject_user)
    assert "afgedaan" in message.subject.lower() or "dismissed" in message.subject.lower()
    analyst = world.user(Role.ANALYST)
    assert analyst.username not in message.body
    # Sent once, whatever happens next.
    assert services.send_due_employee_notices(now=timezone.now() + LATER) == 0
    signal.refresh_from_db()
    assert signal.employee_notified_at is not None


def test_a_reveal_is_told_with_the_role_and_the_reason_never_the_analyst(
    world: World, subject_user
) -> None:
    analyst = world.user(Role.ANALYST)
    signal = make_signal(world.subject)
    services.request_reveal(
        signal=signal,
        reason_category=IdentityReveal.ReasonCategory.WORK_REASON,
        reason="Rooster nagaan bij de lijn.",
        acting_user=analyst,
    )
    notice = EmployeeNotice.objects.get(signal=signal, kind=EmployeeNotice.Kind.REVEALED)
    assert notice.reveal is not None
    services.send_due_employee_notices(now=timezone.now() + LATER)
    body = Notification.objects.get(recipient=subject_user).body
    assert "analist" in body.lower()
    assert analyst.username not in body


def test_a_notice_waits_while_a_matter_is_with_vik(world: World, subject_user) -> None:
    dismissed(world)
    register_report(
        channel=Channel.INTERNAL,
        summary="Vermoeden van lekken.",
        concerned_employees=[world.subject],
        acting_user=None,
    )
    assert services.send_due_employee_notices(now=timezone.now() + LATER) == 0
    assert not Notification.objects.filter(recipient=subject_user).exists()
    assert EmployeeNotice.objects.filter(sent_at__isnull=True).count() == 1  # still waiting


def test_the_hourly_task_sends_what_is_due(world: World, subject_user) -> None:
    signal = dismissed(world)
    EmployeeNotice.objects.filter(signal=signal).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert send_employee_notices() == 1
    assert send_employee_notices() == 0
