"""Interview reports: versions, the three end states, and the immutability of what was signed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from cases import services
from cases.models import DeadlineKind, InterviewReportVersion, VersionState
from tests.cases.builders import REPORT_TEXT, Flow
from vik.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_the_report_is_due_within_five_days_of_the_interview(flow: Flow) -> None:
    interview = flow.interviewed()
    deadline = flow.case.deadlines.get(kind=DeadlineKind.INTERVIEW_REPORT)  # type: ignore[union-attr]
    assert deadline.due_on == flow.today + datetime.timedelta(days=5)
    flow.sent_version(interview)
    deadline.refresh_from_db()
    assert deadline.met_on == flow.today


def test_sending_fixes_the_text_and_its_hash_and_starts_five_working_days(flow: Flow) -> None:
    version = flow.sent_version()
    assert version.state == VersionState.SENT
    assert len(version.content_hash) == 64
    assert version.content_hash == version.compute_hash()
    assert version.comments_due_on == add_working_days(flow.today, 5)
    with pytest.raises(ValidationError) as error:
        services.update_report_version(
            version=version, content="Anders", acting_user=flow.investigator
        )
    assert error.value.code == "not_draft"


def test_end_state_signed_by_both_with_every_page_initialled(flow: Flow) -> None:
    version = flow.sent_version()
    with pytest.raises(ValidationError) as error:
        services.record_version_signed(
            version=version,
            signed_on=flow.today,
            every_page_initialled=False,
            acting_user=flow.investigator,
        )
    assert error.value.code == "initials"
    version = services.record_version_signed(
        version=version,
        signed_on=flow.today,
        every_page_initialled=True,
        acting_user=flow.investigator,
    )
    assert version.state == VersionState.SIGNED
    assert not flow.case.deadlines.filter(  # type: ignore[union-attr]
        kind=DeadlineKind.INTERVIEWEE_COMMENTS, met_on__isnull=True
    ).exists()


def test_end_state_not_agreed_files_the_report_unsigned_with_the_reaction(flow: Flow) -> None:
    version = flow.sent_version()
    version = services.record_version_comments(
        version=version,
        responded_on=flow.today,
        comments="Dat heb ik niet gezegd.",
        acting_user=flow.investigator,
    )
    assert version.state == VersionState.COMMENTED
    version = services.record_version_not_agreed(
        version=version, note="De opname bevestigt het verslag.", acting_user=flow.investigator
    )
    assert version.state == VersionState.NOT_AGREED
    assert version.signed_on is None
    assert version.interviewee_comments == "Dat heb ik niet gezegd."


def test_not_agreed_straight_away_needs_the_reaction(flow: Flow) -> None:
    version = flow.sent_version()
    with pytest.raises(ValidationError) as error:
        services.record_version_not_agreed(version=version, note="n", acting_user=flow.investigator)
    assert error.value.code == "no_reaction"


def test_end_state_agreed_but_refused_to_sign_keeps_the_reason(flow: Flow) -> None:
    version = flow.sent_version()
    with pytest.raises(ValidationError) as error:
        services.record_version_refused_to_sign(
            version=version, responded_on=flow.today, reason="", acting_user=flow.investigator
        )
    assert error.value.code == "no_reason"
    version = services.record_version_refused_to_sign(
        version=version,
        responded_on=flow.today,
        reason="Tekent nooit iets.",
        acting_user=flow.investigator,
    )
    assert version.state == VersionState.REFUSED_TO_SIGN
    assert version.refusal_reason == "Tekent nooit iets."


def test_accepted_comments_produce_a_new_version_for_signature(flow: Flow) -> None:
    first = flow.sent_version()
    services.record_version_comments(
        version=first,
        responded_on=flow.today,
        comments="Tijd is 10.15 uur.",
        acting_user=flow.investigator,
    )
    with pytest.raises(ValidationError):  # unchanged text is not a new version
        services.accept_version_comments(
            version=first, note="ok", new_content=first.content, acting_user=flow.investigator
        )
    second = services.accept_version_comments(
        version=first,
        note="Terecht.",
        new_content=REPORT_TEXT.replace("10.00", "10.15"),
        acting_user=flow.investigator,
    )
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED
    assert (second.number, second.state) == (2, VersionState.DRAFT)
    sent = services.send_report_version(
        version=second, sent_on=flow.today, acting_user=flow.investigator
    )
    assert sent.content_hash != first.content_hash


def test_no_new_version_without_accepted_comments_or_after_an_end_state(flow: Flow) -> None:
    version = flow.sent_version()
    with pytest.raises(ValidationError) as error:
        services.create_report_version(
            interview=version.interview, content="v2", acting_user=flow.investigator
        )
    assert error.value.code == "open_version"
    services.record_version_signed(
        version=version,
        signed_on=flow.today,
        every_page_initialled=True,
        acting_user=flow.investigator,
    )
    with pytest.raises(ValidationError):
        services.create_report_version(
            interview=version.interview, content="v2", acting_user=flow.investigator
        )


# --- Immutability --------------------------------------------------------------------------------


@pytest.fixture
def signed(flow: Flow) -> InterviewReportVersion:
    return flow.signed_version()


def test_a_signed_version_cannot_be_saved_changed(signed: InterviewReportVersion) -> None:
    signed.content = "Herschreven"
    with pytest.raises(PermissionError):
        signed.save()
    signed.refresh_from_db()
    signed.refusal_reason = "achteraf"
    with pytest.raises(PermissionError):
        signed.save()


def test_a_signed_version_cannot_be_bulk_updated_or_deleted(signed: InterviewReportVersion) -> None:
    versions = InterviewReportVersion.objects.filter(pk=signed.pk)
    with pytest.raises(PermissionError):
        versions.update(content="Herschreven")
    with pytest.raises(PermissionError):
        versions.delete()
    with pytest.raises(PermissionError):
        signed.delete()


def test_services_refuse_to_touch_a_signed_version(
    flow: Flow, signed: InterviewReportVersion
) -> None:
    for call in (
        lambda: services.update_report_version(
            version=signed, content="x", acting_user=flow.investigator
        ),
        lambda: services.record_version_comments(
            version=signed, responded_on=flow.today, comments="x", acting_user=flow.investigator
        ),
        lambda: services.record_version_refused_to_sign(
            version=signed, responded_on=flow.today, reason="x", acting_user=flow.investigator
        ),
    ):
        with pytest.raises(ValidationError):
            call()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_a_signed_version(signed: InterviewReportVersion) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_interviewreportversion SET content = 'x' WHERE id = %s", [signed.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_interviewreportversion WHERE id = %s", [signed.pk])
    signed.refresh_from_db()
    assert signed.content == REPORT_TEXT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_the_text_of_a_sent_version(flow: Flow) -> None:
    version = flow.sent_version()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_interviewreportversion SET content = 'x' WHERE id = %s", [version.pk]
        )
    # Its state can still move on (that is how it reaches an end state).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_interviewreportversion SET responded_on = %s WHERE id = %s",
            [flow.today, version.pk],
        )
