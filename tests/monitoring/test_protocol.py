"""The monitoring protocol is made known to staff against receipt, per version (issue 11.5)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from monitoring import services
from monitoring.models import MonitoringProtocol, ProtocolReceipt
from monitoring.selectors.protocol import protocol_unconfirmed_count, receipt_counts
from monitoring.transparency import PROVIDER
from tests.conftest import World
from vik.roles import Role

pytestmark = pytest.mark.django_db

TEXT = "Zo controleert VIK het gebruik van de politiesystemen, en dit zijn uw rechten. " * 2


def publish(world: World, title: str = "Protocol protective monitoring") -> MonitoringProtocol:
    return services.publish_protocol(
        title=title, text=TEXT, acting_user=world.user(Role.ADMINISTRATOR)
    )


def test_only_the_administrator_publishes_and_versions_count_up(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.publish_protocol(title="x", text=TEXT, acting_user=world.user(Role.ANALYST))
    first, second = publish(world), publish(world, "Protocol, herzien")
    assert (first.version, second.version) == (1, 2)
    assert first.history.first().history_user == world.user(Role.ADMINISTRATOR)


def test_each_employee_confirms_each_version_once(world: World) -> None:
    employee = world.user(Role.EMPLOYEE)
    assert protocol_unconfirmed_count(employee) == 0  # nothing published yet
    publish(world)
    assert protocol_unconfirmed_count(employee) == 1
    services.confirm_protocol_receipt(acting_user=employee)
    services.confirm_protocol_receipt(acting_user=employee)  # a double click
    assert ProtocolReceipt.objects.filter(employee__user=employee).count() == 1
    assert protocol_unconfirmed_count(employee) == 0
    publish(world, "Protocol, herzien")  # a new version asks again
    assert protocol_unconfirmed_count(employee) == 1


def test_the_page_shows_the_text_and_records_the_receipt(world: World, client) -> None:
    publish(world)
    employee = world.user(Role.EMPLOYEE)
    client.force_login(employee)
    url = reverse("monitoring:protocol")
    assert "Zo controleert VIK" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert ProtocolReceipt.objects.filter(employee__user=employee).exists()


def test_the_works_council_sees_confirmed_and_not_per_unit_at_the_quarter_end(
    world: World,
) -> None:
    publish(world)
    services.confirm_protocol_receipt(acting_user=world.user(Role.EMPLOYEE))
    today = timezone.localdate()
    counts = receipt_counts(start=today, end=today + datetime.timedelta(days=1))
    confirmed = sum(c.value for c in counts if c.category == "confirmed")
    not_confirmed = sum(c.value for c in counts if c.category == "not_confirmed")
    assert confirmed == 1
    assert not_confirmed >= 1
    # Before the first version there is nothing to count.
    assert receipt_counts(start=today, end=today - datetime.timedelta(days=30)) == []
    keys = {measure.key for measure in PROVIDER.measures}
    assert "monitoring.protocol_receipts" in keys
