"""Working days, notifications and PDFs of the shared core."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import World
from vik import services
from vik.models import Notification
from vik.pdf_fetcher import StaticOnlyFetcher
from vik.roles import Role
from vik.tasks import email_notification
from vik.workdays import add_months, add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 11, 20), 5, D(2026, 11, 27)),  # a plain week: Friday → Friday
        (D(2026, 4, 24), 5, D(2026, 5, 4)),  # King's Day (Mon 27 April) does not count
        (D(2026, 4, 30), 3, D(2026, 5, 6)),  # Liberation Day (Tue 5 May) does not count
        (D(2026, 12, 23), 3, D(2026, 12, 29)),  # Christmas Day (Fri); Boxing Day is a Saturday
        (D(2026, 4, 2), 1, D(2026, 4, 3)),  # Good Friday is a working day by law
        (D(2026, 11, 20), 0, D(2026, 11, 20)),
    ],
)
def test_add_working_days(start: D, days: int, expected: D) -> None:
    assert add_working_days(start, days) == expected


def test_working_days_between_and_holidays() -> None:
    assert working_days_between(D(2026, 4, 24), D(2026, 5, 4)) == 5
    assert working_days_between(D(2026, 5, 4), D(2026, 4, 24)) == -5
    assert not is_working_day(D(2027, 5, 6))  # Ascension Day 2027
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)


@pytest.mark.django_db
def test_notify_emails_once_without_details(
    world: World, django_capture_on_commit_callbacks
) -> None:
    employee = world.user(Role.EMPLOYEE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = services.notify(
            recipient=employee,
            subject="Uw gesprek is afgerond",
            body="Uitkomst: geen verwijt.",
            acting_user=world.user(Role.TEAM_CHIEF),
        )
    assert len(callbacks) == 1  # enqueued after commit, not before
    assert email_notification(notification.pk) is True
    assert email_notification(notification.pk) is False  # idempotent: a second run sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert "Uitkomst" not in message.body
    assert "afgerond" not in message.body


@pytest.mark.django_db
def test_messages_are_private_to_their_recipient(world: World, client_for) -> None:
    notification = services.notify(
        recipient=world.user(Role.EMPLOYEE),
        subject="Voor u",
        url="/",
        acting_user=None,
        send_email=False,
    )
    other = client_for(Role.PRIVACY_OFFICER)
    assert "Voor u" not in other.get(reverse("vik:notification_list")).content.decode()
    assert other.post(reverse("vik:notification_open", args=[notification.pk])).status_code == 404
    mine = client_for(Role.EMPLOYEE)
    assert "Voor u" in mine.get(reverse("vik:notification_list")).content.decode()
    assert mine.post(reverse("vik:notification_open", args=[notification.pk]))["Location"] == "/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


@pytest.mark.django_db
def test_a_messages_link_is_followed_only_to_this_site_over_https(world: World, client_for) -> None:
    """Over HTTPS, a message's link to this host over plain HTTP is not followed (no
    downgrade), as the sign-in's ``next`` is not; an absolute link to this host over HTTPS is."""
    recipient = world.user(Role.EMPLOYEE)
    mine = client_for(Role.EMPLOYEE)
    for url, expected in (
        ("http://testserver/cases/", reverse("vik:notification_list")),
        ("https://testserver/cases/", "https://testserver/cases/"),
        ("https://elsewhere.example/", reverse("vik:notification_list")),
    ):
        notification = services.notify(
            recipient=recipient, subject="Link", url=url, acting_user=None, send_email=False
        )
        answer = mine.post(reverse("vik:notification_open", args=[notification.pk]), secure=True)
        assert answer["Location"] == expected, url


def test_pdfs_fetch_only_static_files() -> None:
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch("https://vik.invalid/static/vik/pdf.css").read().startswith(b"/*")
    for url in ["https://example.com/x.png", "file:///etc/passwd", "http://169.254.169.254/"]:
        with pytest.raises(ValueError, match=r"VIK static files|disallowed protocol"):
            fetcher.fetch(url)
