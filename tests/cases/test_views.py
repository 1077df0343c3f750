"""The pages: thin views on the services, the access log, htmx fragments, query counts."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases import services, tasks
from cases.models import (
    CaseStatus,
    Evidence,
    InterviewReportVersion,
    LetterKind,
    ReportRender,
    TriageDecision,
)
from tests.cases.builders import Flow, no_criteria
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


# The case list's queries do not grow with the number of cases on the page (session, user,
# roles, the page's count and rows, the persons concerned in one prefetch, the access log in
# one INSERT, the menu's counters). A change here is deliberate or a regression.
CASE_LIST_QUERIES = 10


@pytest.mark.parametrize("cases", [1, 4])
def test_the_case_list_has_a_fixed_number_of_queries(
    flow: Flow, cases: int, django_assert_num_queries: Any
) -> None:
    for _ in range(cases):
        flow.case = None
        flow.issued()
    head = client_of(flow.head)
    head.get(reverse("cases:case_list"))  # warm the per-process caches (content types)
    with django_assert_num_queries(CASE_LIST_QUERIES):
        response = head.get(reverse("cases:case_list"))
    assert len(response.context["object_list"]) == cases


def test_the_case_list_filters_with_an_htmx_fragment(flow: Flow) -> None:
    case = flow.issued()
    response = client_of(flow.head).get(
        reverse("cases:case_list"), {"q": case.reference}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference in body
    assert "<html" not in body  # a fragment, not the page


def test_viewing_a_case_is_in_the_access_log(flow: Flow) -> None:
    case = flow.issued()
    response = client_of(flow.investigator).get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    entries = AccessLogEntry.objects.filter(action=AccessAction.VIEW, object_id=str(case.pk))
    # The overview shows everyone involved: the person concerned and the one named.
    assert set(entries.values_list("employee_id", flat=True)) == {
        flow.world.subject.pk,
        flow.world.colleague.pk,
    }
    assert {(e.actor, e.actor_role) for e in entries} == {(flow.investigator, Role.INVESTIGATOR)}
    journal = client_of(flow.investigator).get(reverse("cases:journal", args=[case.pk]))
    assert journal.status_code == 200
    assert (
        AccessLogEntry.objects.filter(purpose="journal").get().employee_id == flow.world.subject.pk
    )


def test_every_pdf_download_is_a_print_in_the_access_log(flow: Flow) -> None:
    version = flow.sent_version()
    assert flow.case is not None
    client = client_of(flow.head)
    letter = flow.case.investigation.letters.get(kind=LetterKind.NOTIFICATION)
    for url in (
        reverse("cases:version_pdf", args=[flow.case.pk, version.pk]),
        reverse("cases:letter_pdf", args=[flow.case.pk, letter.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        assert response.content.startswith(b"%PDF")
    prints = AccessLogEntry.objects.filter(action=AccessAction.PRINT)
    assert prints.count() == 2
    assert set(prints.values_list("employee_id", flat=True)) == {flow.world.subject.pk}


def test_a_part_of_another_case_answers_404(flow: Flow) -> None:
    version = flow.sent_version()
    other = flow.reported()
    flow.case = None
    other_case = flow.issued()
    response = client_of(flow.investigator).get(
        reverse("cases:version_pdf", args=[other_case.pk, version.pk])
    )
    assert response.status_code == 404
    del other


def test_a_refused_protocol_step_comes_back_as_a_form_error(flow: Flow) -> None:
    case = flow.issued()
    services.record_counsellor_informed(case=case, on=flow.today, acting_user=flow.investigator)
    response = client_of(flow.investigator).post(
        reverse("cases:interview_schedule", args=[case.pk]),
        {
            "role": "internal_witness",
            "personnel_number": flow.world.colleague.personnel_number,
            "scheduled_at": "2030-01-07T10:00",
            "location": "VIK",
            "expected_duration_minutes": 60,
            "nature_and_purpose": "Getuige",
            "lead_investigator": flow.investigator.pk,
            "second_investigator": flow.second.pk,
            "is_recorded": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors.as_data()[0].code == "subject_not_notified"
    assert not case.investigation.interviews.exists()


def test_triage_in_the_browser(flow: Flow) -> None:
    case = flow.reported()
    data = {
        "decision": TriageDecision.DISCIPLINARY,
        "reasons": "Concrete aanwijzingen.",
        **{f"criterion_{code}": "no" for code in no_criteria()},
    }
    url = reverse("cases:triage", args=[case.pk])
    response = client_of(flow.head).post(url, data)
    # Triage cannot be undone: first a page that says so, then the confirmed decision.
    assert response.status_code == 200
    assert "kan niet ongedaan worden gemaakt" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    response = client_of(flow.head).post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.COMMISSIONED


def test_revealing_the_reporter_is_logged_with_its_reason(flow: Flow) -> None:
    case = flow.reported(reporter_identity=services.ReporterDetails(name="Anna Melder"))
    client = client_of(flow.head)
    detail = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert b"Anna Melder" not in detail.content
    response = client.post(
        reverse("cases:reporter_reveal", args=[case.pk]),
        {"reason": "Terugkoppeling aan de melder"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"Anna Melder" in response.content
    assert b"<html" not in response.content
    entry = AccessLogEntry.objects.get(action=AccessAction.REVEAL)
    assert entry.purpose == "Terugkoppeling aan de melder"
    assert entry.employee_id is None  # the reporter is not an employee here
    # The investigators never get it through this door.
    flow.issued()
    assert (
        client_of(flow.investigator)
        .post(reverse("cases:reporter_reveal", args=[case.pk]), {"reason": "x"})
        .status_code
        == 403
    )


def test_the_journal_grows_through_htmx(flow: Flow) -> None:
    case = flow.issued()
    response = client_of(flow.investigator).post(
        reverse("cases:journal", args=[case.pk]),
        {"text": "Gebeld met de opdrachtgever."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"Gebeld met de opdrachtgever." in response.content
    assert b"<html" not in response.content


def test_uploads_are_checked_by_content_and_served_privately(flow: Flow) -> None:
    case = flow.issued()
    client = client_of(flow.investigator)
    url = reverse("cases:evidence_upload", args=[case.pk])
    fake = SimpleUploadedFile("bewijs.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"file": fake, "description": "Bewijs"})
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert client.post(url, {"file": exe, "description": "x"}).status_code == 200
    pdf = SimpleUploadedFile("bewijs.pdf", b"%PDF-1.7\n%test\n", content_type="application/pdf")
    assert client.post(url, {"file": pdf, "description": "Bewijs"}).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "bewijs.pdf"
    assert evidence.content_type == "application/pdf"
    assert "bewijs" not in evidence.file.name  # stored under a random name
    response = client.get(reverse("cases:evidence_download", args=[case.pk, evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count() == 1


def test_uploads_have_a_size_limit(flow: Flow) -> None:
    case = flow.issued()
    big = SimpleUploadedFile("groot.txt", b"x" * 2048, content_type="text/plain")
    with mock.patch("cases.uploads.MAX_UPLOAD_BYTES", 1024):
        response = client_of(flow.investigator).post(
            reverse("cases:evidence_upload", args=[case.pk]), {"file": big, "description": "x"}
        )
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_the_report_renders_in_the_background_with_progress(
    flow: Flow, django_capture_on_commit_callbacks: object
) -> None:
    flow.submitted()
    assert flow.case is not None
    client = client_of(flow.investigator)
    with (
        mock.patch.object(tasks.render_case_report, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        response = client.post(reverse("cases:report_render", args=[flow.case.pk]))
    assert response.status_code == 302
    render = ReportRender.objects.get(is_handover=False)
    delay.assert_called_once_with(render.pk)
    status_url = reverse("cases:report_status", args=[flow.case.pk, render.pk])
    waiting = client.get(status_url, HTTP_HX_REQUEST="true")
    assert b"hx-trigger" in waiting.content  # keeps polling
    assert b"<progress" in waiting.content

    assert tasks.render_case_report(render.pk) is True
    assert tasks.render_case_report(render.pk) is False  # claimed already: idempotent
    render.refresh_from_db()
    assert render.status == ReportRender.Status.DONE
    assert render.pages is not None
    assert render.pages > 3

    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in done.content
    download = client.get(reverse("cases:report_download", args=[flow.case.pk, render.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert AccessLogEntry.objects.filter(action=AccessAction.PRINT).count() == 1


def test_a_signed_version_offers_no_edit(flow: Flow) -> None:
    version = flow.signed_version()
    assert flow.case is not None
    page = client_of(flow.investigator).get(
        reverse("cases:interview_detail", args=[flow.case.pk, version.interview_id])
    )
    assert (
        reverse("cases:version_edit", args=[flow.case.pk, version.pk]).encode() not in page.content
    )
    response = client_of(flow.investigator).post(
        reverse("cases:version_edit", args=[flow.case.pk, version.pk]), {"content": "Herschreven"}
    )
    assert response.status_code == 200  # refused as a form error
    assert InterviewReportVersion.objects.get(pk=version.pk).content != "Herschreven"


def test_a_team_chief_records_the_conversation(flow: Flow) -> None:
    # The team chief's page is in monitoring now (one list with the conversations after a
    # signal): the referrals' earlier address leads there, and the case closes on the record.
    chief = flow.world.user(Role.TEAM_CHIEF)
    flow.triaged(TriageDecision.LINE, line_instruction="Bespreek het.")
    client = client_of(chief)
    listing = client.get(reverse("cases:referral_list"), follow=True)
    row = listing.context["object_list"][0]
    assert b"Bespreek" not in listing.content  # the instruction is on the detail page only
    response = client.post(
        reverse("monitoring:referral_record", args=[row["id"]]),
        {"held_on": flow.today.isoformat(), "account": "Goed gesprek.", "agreements": ""},
    )
    assert response.status_code == 302
    assert flow.case is not None
    flow.case.refresh_from_db()
    assert flow.case.status == CaseStatus.CLOSED


def test_the_deadline_overview_per_investigator(flow: Flow) -> None:
    flow.issued()
    response = client_of(flow.head).get(reverse("cases:deadlines"))
    assert response.status_code == 200
    names = [name for name, _rows in response.context["per_investigator"]]
    assert flow.investigator.get_full_name() or flow.investigator.username in names
    mine = client_of(flow.investigator).get(reverse("cases:deadlines"))
    assert mine.context["per_investigator"] == []
    assert len(mine.context["rows"]) == 1


def test_triage_figures_show_no_names(flow: Flow) -> None:
    flow.triaged(TriageDecision.NO_ACTION)
    response = client_of(flow.head).get(reverse("cases:statistics"))
    assert response.status_code == 200
    assert response.context["stats"]["triaged"] == 1
    assert flow.world.subject.last_name.encode() not in response.content


def test_the_home_page_counts_the_work_waiting(flow: Flow) -> None:
    from cases.selectors import cases_waiting_for, deadlines_due_for

    flow.reported()
    assert cases_waiting_for(flow.head) == 1  # a report to triage
    flow.started()
    assert cases_waiting_for(flow.head) == 0
    assert cases_waiting_for(flow.investigator) == 1  # an open investigation
    flow.interviewed()  # the report of the interview is due in 5 days
    assert deadlines_due_for(flow.investigator) == 1
    home = client_of(flow.investigator).get(reverse("vik:home"))
    assert home.status_code == 200


def test_personnel_numbers_find_only_employees_one_may_look_up(flow: Flow) -> None:
    """A number outside the user's units is "unknown", like one that does not exist."""
    client = client_of(flow.investigator)
    response = client.post(
        reverse("cases:report_create"),
        {
            "channel": "internal",
            "received_at": "2026-01-05T09:00",
            "summary": "Melding",
            "concerned": flow.world.outsider.personnel_number,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["concerned"][0].startswith("Onbekend personeelsnummer")
    response = client.post(
        reverse("cases:report_create"),
        {
            "channel": "internal",
            "received_at": "2026-01-05T09:00",
            "summary": "Melding",
            "concerned": flow.world.subject.personnel_number,
        },
    )
    assert response.status_code == 302
