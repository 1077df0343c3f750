"""The demo shows issue 11's points in use (docs/privacy.md's screenshots are taken of it)."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from monitoring.demo import (
    DEMO_FOCUS,
    DEMO_PREFIX,
    DEMO_PROTOCOL_PUBLISHED,
    date_protocol_receipts,
    seed_privacy_examples,
    seed_protocol,
)
from monitoring.models import HeldAccessEvent, MonitoringProtocol, ProtocolReceipt, Signal
from monitoring.selectors.review import matter_with_vik
from tests.monitoring.review_factories import make_signal
from vik import demo
from vik.models import Employee, Notification
from vik.transparency.models import LegalHold, PurgeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(db: None) -> None:
    # A transactional test elsewhere empties the rows the data migrations seeded; put back
    # what is missing, as an upgrade would.
    from monitoring.services import ensure_detection_settings

    ensure_detection_settings()


def demo_event(employee: Employee) -> None:
    from django.utils import timezone

    from monitoring.models import AccessEvent
    from monitoring.partitions import ensure_partitions

    moment = timezone.now()
    ensure_partitions({timezone.localdate(moment)})
    AccessEvent.objects.create(
        occurred_at=moment,
        event_id=f"{DEMO_PREFIX}1",
        employee_number=employee.personnel_number,
        employee=employee,
        system="BVH",
        action="view",
    )


def seeded_examples() -> Employee:
    """The demos the examples need, the examples seeded; returns the demo employee."""
    from cases import demo as cases_demo

    demo.seed(stdout=StringIO(), rng=random.Random("privacy"))
    cases_demo.seed(stdout=StringIO(), rng=random.Random("privacy:cases"))
    mila = Employee.objects.get(personnel_number=DEMO_FOCUS[0])
    # What the demo's detection left: its events, and the signal about the demo employee
    # that the examples copy.
    demo_event(mila)
    make_signal(mila)
    seed_privacy_examples(stdout=StringIO())
    return mila


def test_the_demo_without_detection_adds_no_examples() -> None:
    """Tests that seed a demo without monitoring's two weeks get none of the examples."""
    demo.seed(stdout=StringIO(), rng=random.Random("privacy"))
    make_signal(Employee.objects.get(personnel_number=DEMO_FOCUS[0]))
    seed_privacy_examples(stdout=StringIO())
    assert Signal.objects.count() == 1
    assert not LegalHold.objects.exists()


def test_the_demo_shows_a_matter_with_vik_the_employees_messages_and_a_legal_hold() -> None:
    from cases.models import ForwardedSignal
    from cases.selectors import commissioners_of

    mila = seeded_examples()

    # 1. One signal waits with the marker; one was forwarded to the demo's head of VIK.
    waiting = Signal.objects.get(evidence__event_id="DEMO-PRIVACY-matter-1-0")
    assert waiting.status == Signal.Status.IN_REVIEW
    assert waiting.assigned_to is not None
    assert waiting.assigned_to.username == "analist"
    matter = matter_with_vik(waiting)
    assert matter is not None
    assert matter.case_id is not None
    forwarded = ForwardedSignal.objects.get(decision=ForwardedSignal.Decision.PENDING)
    assert "hoofdvik" in {user.username for user in commissioners_of(forwarded.case)}
    # 4. The employee was told of the reveal of her name and of the dismissal.
    subjects = set(
        Notification.objects.filter(recipient=mila.user).values_list("subject", flat=True)
    )
    assert {"Uw naam is getoond aan een analist van VIK"} <= subjects
    assert any("afgedaan" in subject for subject in subjects)
    # 2. A legal hold on one employee; the purge record counts what went and what was kept.
    hold = LegalHold.objects.get(category="monitoring.access_events")
    record = PurgeRecord.objects.get(category="monitoring.access_events")
    assert record.purged > 0
    assert record.kept_for_hold == HeldAccessEvent.objects.filter(hold=hold).count() > 0

    # Idempotent: a second run adds nothing.
    seed_privacy_examples(stdout=StringIO())
    assert (
        Signal.objects.filter(evidence__event_id__startswith="DEMO-PRIVACY-").distinct().count()
        == 3
    )
    assert LegalHold.objects.count() == 1


def test_detection_over_the_demo_days_again_leaves_the_examples_signals_alone() -> None:
    """The examples' signals are made by hand, not by detection: ``detect`` over the demo's
    days again (after ``make run``) re-judges the employees of their window, and withdrew
    the waiting one while it was new. The demo's analyst has taken it into review."""
    import datetime

    from monitoring import services
    from monitoring.demo import DEMO_DAYS, DEMO_START
    from monitoring.models import AccessEvent
    from monitoring.partitions import ensure_partitions
    from monitoring.periods import AMSTERDAM

    seeded_examples()
    examples = Signal.objects.filter(evidence__event_id__startswith="DEMO-PRIVACY-").distinct()
    assert examples.count() == 3
    # Each of them has events of the demo's last day, so the run judges them all.
    last_day = DEMO_START + datetime.timedelta(days=DEMO_DAYS - 1)
    ensure_partitions({last_day})
    AccessEvent.objects.bulk_create(
        AccessEvent(
            occurred_at=datetime.datetime.combine(
                last_day, datetime.time(10, index), tzinfo=AMSTERDAM
            ),
            event_id=f"{DEMO_PREFIX}again-{index}",
            employee_number=signal.employee.personnel_number,
            employee=signal.employee,
            system="BVH",
            action="view",
        )
        for index, signal in enumerate(examples.select_related("employee"))
    )
    before = dict(examples.values_list("pk", "status"))

    run = services.start_detection(start=last_day, end=last_day, acting_user=None, inline=True)

    assert run.finished_at is not None
    assert dict(examples.values_list("pk", "status")) == before
    assert Signal.Status.WITHDRAWN not in before.values()


def test_the_demo_protocol_was_published_before_the_last_quarter() -> None:
    demo.seed(stdout=StringIO(), rng=random.Random("privacy"))
    seed_protocol(stdout=StringIO(), rng=random.Random("privacy:monitoring"))
    date_protocol_receipts(stdout=StringIO())
    assert MonitoringProtocol.objects.get().published_at == DEMO_PROTOCOL_PUBLISHED
    receipts = ProtocolReceipt.objects.values_list("confirmed_at", flat=True)
    assert receipts
    assert all(moment >= DEMO_PROTOCOL_PUBLISHED for moment in receipts)
