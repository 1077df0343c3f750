"""The demo shows one protocol change the works council consented to and one awaiting it."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from monitoring.demo import seed_protocol_changes
from monitoring.models import MonitoringParameter, ProtocolChange
from vik import demo
from vik.transparency.models import RetentionPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(db: None) -> None:
    # A transactional test elsewhere empties the rows the data migrations seeded; put back
    # what is missing, as an upgrade would.
    from monitoring.services import ensure_detection_settings

    ensure_detection_settings()


def test_the_demo_has_a_consented_and_a_pending_proposal() -> None:
    demo.seed(stdout=StringIO(), rng=random.Random("consent"))
    seed_protocol_changes(stdout=StringIO())
    consented = ProtocolChange.objects.get(status=ProtocolChange.Status.CONSENTED)
    pending = ProtocolChange.objects.get(status=ProtocolChange.Status.PENDING)
    assert consented.proposed_by.username == "beheerder"
    assert consented.decision.recorded_by.username == "hoofdvik"
    assert MonitoringParameter.objects.get(key=consented.target).value == 12
    assert (pending.kind, pending.target) == (
        ProtocolChange.Kind.RETENTION,
        "monitoring.conversation_records",
    )
    assert RetentionPolicy.objects.get(category=pending.target).period_months == 12
    # Idempotent: a second seed adds nothing.
    seed_protocol_changes(stdout=StringIO())
    assert ProtocolChange.objects.count() == 2
