"""The signed interview report and sent letters: sealed, verified on every render, and out of
reach of the application's own database role (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import InterviewReportVersion, Letter, LetterKind
from tests.cases.builders import Flow
from tests.dbroles import as_role, refused, superuser_past_triggers
from vik.models import AccessAction, AccessLogEntry, Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db


def test_the_runtime_role_cannot_touch_a_signed_report_or_a_sent_letter(
    flow: Flow, runtime_role: str
) -> None:
    version = flow.signed_version()
    letter = Letter.objects.filter(sent_on__isnull=False).first()
    assert letter is not None
    assert letter.kind == LetterKind.NOTIFICATION
    with as_role(runtime_role) as cursor:
        cursor.execute("SET LOCAL vik.retention_purge = 'on'")
        assert "immutable" in refused(
            cursor,
            "UPDATE cases_interviewreportversion SET content = 'Anders.' WHERE id = %s",
            [version.pk],
        )
        assert "permission denied" in refused(
            cursor, "DELETE FROM cases_interviewreportversion WHERE id = %s", [version.pk]
        )
        assert "frozen" in refused(
            cursor, "UPDATE cases_letter SET body = 'Anders.' WHERE id = %s", [letter.pk]
        )
        refused(cursor, "DELETE FROM cases_letter WHERE id = %s", [letter.pk])
        refused(cursor, "DELETE FROM cases_journalentry")
        refused(cursor, "UPDATE cases_historicalinterviewreportversion SET content = 'x'")
    version.refresh_from_db()
    assert version.content != "Anders."


# --- The seal of the interview report -------------------------------------------------------


def _tamper(version: InterviewReportVersion, assignment: str) -> None:
    """What only a superuser (or the owner) can do: change a frozen row past its trigger."""
    with superuser_past_triggers() as cursor:
        cursor.execute(
            f"UPDATE cases_interviewreportversion SET {assignment} WHERE id = %s",  # noqa: S608
            [version.pk],
        )


def _pdf(flow: Flow, version: InterviewReportVersion) -> Any:
    client = Client()
    client.force_login(flow.investigator)
    assert flow.case is not None
    return client.get(reverse("cases:version_pdf", args=[flow.case.pk, version.pk]))


def test_the_seal_covers_what_the_pdf_prints(flow: Flow) -> None:
    version = flow.signed_version()
    assert version.snapshot["location"] == version.interview.location
    assert version.seal == version.compute_seal()
    # A later edit of the interview changes nothing on the signed report.
    interview = version.interview
    type(interview).objects.filter(pk=interview.pk).update(location="Elders")
    response = _pdf(flow, version)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "assignment",
    [
        "content = content || ' Niet gezegd.'",
        "snapshot = jsonb_set(snapshot, '{location}', '\"Elders\"')",
        "signed_on = signed_on - 1",
    ],
)
def test_a_tampered_signed_report_prints_nothing_and_alarms(flow: Flow, assignment: str) -> None:
    version = flow.signed_version()
    officer = flow.world.user(Role.PRIVACY_OFFICER)
    _tamper(version, assignment)
    response = _pdf(flow, version)
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    assert Notification.objects.filter(recipient=officer, subject__icontains="integrit").exists()
    refusal = AccessLogEntry.objects.get(purpose="refused: integrity check failed")
    assert refusal.actor == flow.investigator
    assert not AccessLogEntry.objects.filter(action=AccessAction.PRINT, purpose="pdf").exists()


def test_the_investigation_report_verifies_the_reports_it_quotes(flow: Flow) -> None:
    from cases.documents import investigation_report_context
    from cases.integrity import IntegrityBreachError

    version = flow.signed_version()
    assert flow.case is not None
    context = investigation_report_context(flow.case)
    [(_interview, quoted, facts)] = context["interview_reports"]
    assert quoted == version
    assert facts["interviewee_name"] == version.snapshot["interviewee_name"]
    _tamper(version, "interviewee_comments = 'Toegevoegd.'")
    with pytest.raises(IntegrityBreachError):
        investigation_report_context(flow.case)
