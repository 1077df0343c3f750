"""Terms in working days over Dutch public holidays, the overview, and the daily reminders."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services, tasks
from cases.models import Deadline, DeadlineKind, DeliveryMethod, LetterKind
from cases.selectors import deadline_overview
from tests.cases.builders import Flow
from vik.models import Notification

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")

KINGS_DAY_FRIDAY = datetime.date(2026, 4, 24)


@pytest.fixture
def notified_in_april(flow: Flow) -> Flow:
    """An investigation whose person concerned was informed on 20 April 2026."""
    case = flow.issued()
    services.record_counsellor_informed(case=case, on=flow.today, acting_user=flow.investigator)
    letter = flow.notification()
    services.mark_letter_sent(
        letter=letter,
        sent_on=datetime.date(2026, 4, 20),
        delivery=DeliveryMethod.POST,
        acting_user=flow.head,
    )
    return flow


def test_documents_are_due_five_working_days_later_over_kings_and_liberation_day(
    notified_in_april: Flow,
) -> None:
    flow = notified_in_april
    request = services.request_documents(
        case=flow.case,  # type: ignore[arg-type]
        requested_from=None,
        requested_from_name="Functioneel beheer",
        description="Auditlog",
        requested_on=KINGS_DAY_FRIDAY,
        acting_user=flow.investigator,
    )
    # 27 April (King's Day) and 5 May (Liberation Day) are not working days.
    assert request.due_on == datetime.date(2026, 5, 4)
    deadline = Deadline.objects.get(case=flow.case, kind=DeadlineKind.DOCUMENTS)
    assert deadline.due_on == datetime.date(2026, 5, 4)


def test_interviewee_comments_over_ascension_and_whit_monday(notified_in_april: Flow) -> None:
    flow = notified_in_april
    interview = flow.scheduled(scheduled_at=datetime.datetime(2026, 5, 11, 10, 0, tzinfo=AMSTERDAM))
    invitation = services.draft_letter(
        case=flow.case,
        kind=LetterKind.INVITATION,
        interview=interview,
        acting_user=flow.investigator,  # type: ignore[arg-type]
    )
    services.mark_letter_sent(
        letter=invitation,
        sent_on=datetime.date(2026, 5, 4),
        delivery=DeliveryMethod.BY_HAND,
        acting_user=flow.investigator,
    )
    services.record_interview_held(
        interview=interview,
        held_at=datetime.datetime(2026, 5, 11, 10, 0, tzinfo=AMSTERDAM),
        counsel_present=False,
        recording_retain_until=datetime.date(2027, 5, 11),
        acting_user=flow.investigator,
    )
    assert Deadline.objects.get(kind=DeadlineKind.INTERVIEW_REPORT).due_on == datetime.date(
        2026, 5, 16
    )
    version = services.create_report_version(
        interview=interview, content="Verslag", acting_user=flow.investigator
    )
    version = services.send_report_version(
        version=version, sent_on=datetime.date(2026, 5, 12), acting_user=flow.investigator
    )
    # Ascension Day is Thursday 14 May 2026, Whit Monday 25 May: 13, 15, 18, 19, 20 May.
    assert version.comments_due_on == datetime.date(2026, 5, 20)


def test_reminders_before_a_term_and_once_when_it_has_passed(notified_in_april: Flow) -> None:
    flow = notified_in_april
    services.request_documents(
        case=flow.case,  # type: ignore[arg-type]
        requested_from=None,
        requested_from_name="Beheer",
        description="Logs",
        requested_on=KINGS_DAY_FRIDAY,
        acting_user=flow.investigator,
    )
    Notification.objects.all().delete()
    # Two working days before the due date (Monday 4 May): Thursday 30 April.
    run = services.send_deadline_reminders(today=datetime.date(2026, 4, 30))
    assert (run.reminders, run.overdue_notices) == (1, 0)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {flow.investigator.username, flow.second.username}
    assert services.send_deadline_reminders(today=datetime.date(2026, 4, 30)).messages == 0

    Notification.objects.all().delete()
    run = services.send_deadline_reminders(today=datetime.date(2026, 5, 6))
    assert run.overdue_notices >= 1
    # The commissioner hears of a term that passed, too.
    assert Notification.objects.filter(recipient=flow.head).exists()
    assert services.send_deadline_reminders(today=datetime.date(2026, 5, 7)).overdue_notices == 0


def test_a_met_term_is_not_reminded(notified_in_april: Flow) -> None:
    flow = notified_in_april
    request = services.request_documents(
        case=flow.case,  # type: ignore[arg-type]
        requested_from=None,
        requested_from_name="Beheer",
        description="Logs",
        requested_on=KINGS_DAY_FRIDAY,
        acting_user=flow.investigator,
    )
    services.record_documents_received(
        request=request, on=datetime.date(2026, 4, 28), acting_user=flow.investigator
    )
    run = services.send_deadline_reminders(today=datetime.date(2026, 5, 6))
    assert Deadline.objects.get(kind=DeadlineKind.DOCUMENTS).met_on == datetime.date(2026, 4, 28)
    assert (
        run.overdue_notices == 0
        or not Deadline.objects.filter(
            kind=DeadlineKind.DOCUMENTS, overdue_notified_on__isnull=False
        ).exists()
    )


def test_the_beat_task_is_the_service(flow: Flow) -> None:
    flow.issued()
    assert tasks.send_deadline_reminders() == {"reminders": 0, "overdue": 0, "messages": 0}


def test_messages_carry_no_case_details(notified_in_april: Flow) -> None:
    flow = notified_in_april
    services.request_documents(
        case=flow.case,  # type: ignore[arg-type]
        requested_from=None,
        requested_from_name="Beheer",
        description="Geheime logs",
        requested_on=KINGS_DAY_FRIDAY,
        acting_user=flow.investigator,
    )
    services.send_deadline_reminders(today=datetime.date(2026, 5, 6))
    for subject, body in Notification.objects.values_list("subject", "body"):
        assert "Geheime" not in subject + body
        assert flow.world.subject.last_name not in subject + body


def test_the_overview_per_investigator_takes_two_queries(flow: Flow) -> None:
    for _ in range(3):
        flow.case = None
        flow.issued()
    with CaptureQueriesContext(connection) as queries:
        rows = deadline_overview(user=flow.head)
    assert len(rows) == 3
    assert all(row.investigators for row in rows)
    # Capabilities and the rows, then the investigators: independent of the number of rows.
    assert len(queries) <= 5
