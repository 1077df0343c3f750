"""PDFs and files: each fetched through its selector, each download in the access log."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from cases import documents
from cases.integrity import IntegrityBreachError, raise_alarm
from cases.models import (
    Evidence,
    Interview,
    InterviewReportVersion,
    InterviewStatus,
    Letter,
    ReporterNotice,
    ReportRender,
)
from cases.selectors import (
    evidence_visible_to,
    interviews_visible_to,
    letters_visible_to,
    report_renders_visible_to,
    report_versions_visible_to,
    reporter_notices_visible_to,
)
from cases.views.base import CASE_STAFF, COMMISSIONER, CaseMixin, CaseObjectMixin
from vik.ics import calendar_event, calendar_response
from vik.models import AccessAction
from vik.views.base import htmx_template


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser, never cached."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Personal data: never kept in a shared cache or the browser's back-forward cache.
    response["Cache-Control"] = "no-store"
    return response


class PdfView(CaseObjectMixin, View):
    """Renders one document to PDF and logs it as a print for each person concerned."""

    required_capability = CASE_STAFF
    needs_investigation = True

    def render(self) -> tuple[bytes, str]:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            content, filename = self.render()
        except IntegrityBreachError as breach:
            # A sealed version changed past VIK: no PDF; the privacy officers are alarmed.
            raise_alarm(breach, acting_user=request.user)
            return render_page(
                request,
                "cases/integrity_error.html",
                {"case": self.case, "version": breach.version},
                status=409,
            )
        self.log_case(action=AccessAction.PRINT, obj=self.object, purpose="pdf")
        return pdf_response(content, filename)


class LetterPdfView(PdfView):
    """A letter as PDF, to print, sign and send."""

    object_selector = staticmethod(letters_visible_to)
    object: Letter

    def render(self) -> tuple[bytes, str]:
        name = slugify(
            f"{self.case.reference} {self.object.get_kind_display()} {self.object.recipient_name}"
        )
        return documents.letter_pdf(self.object), f"{name}.pdf"


class VersionPdfView(PdfView):
    """One version of an interview report, to initial on every page and sign."""

    object_selector = staticmethod(report_versions_visible_to)
    object_kwarg = "version_pk"
    case_field = "interview__investigation_id"
    object: InterviewReportVersion

    def render(self) -> tuple[bytes, str]:
        name = slugify(
            f"{self.case.reference} gespreksverslag {self.object.interview.interviewee_name} v{self.object.number}"
        )
        return documents.interview_report_pdf(self.object), f"{name}.pdf"


class ReporterNoticePdfView(PdfView):
    """What the reporter was told, as a letter: the commissioner's only (it names the reporter)."""

    required_capability = COMMISSIONER  # type: ignore[assignment]
    object_selector = staticmethod(reporter_notices_visible_to)
    case_field = "case_id"
    needs_investigation = False
    object: ReporterNotice

    def render(self) -> tuple[bytes, str]:
        name = slugify(f"{self.case.reference} melder {self.object.kind}")
        return documents.reporter_notice_pdf(self.object), f"{name}.pdf"


class AssignmentPdfView(CaseMixin, View):
    """The written assignment, to print and have the commissioner sign (a draft says so)."""

    required_capability = CASE_STAFF
    needs_investigation = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert self.investigation is not None  # noqa: S101 - needs_investigation
        content = documents.assignment_pdf(self.investigation)
        self.log_case(action=AccessAction.PRINT, obj=self.investigation, purpose="assignment")
        return pdf_response(content, f"{slugify(self.case.reference)}-opdracht.pdf")


class CalendarView(CaseMixin, View):
    """An appointment as an .ics file: the case reference and the place, nothing else.

    A calendar entry leaves VIK (phones, shared agendas), so it never names the person or
    what the case is about.
    """

    required_capability = CASE_STAFF
    needs_investigation = True
    kind_label = ""

    def event(self) -> tuple[str, datetime.datetime, datetime.datetime, str]:
        """uid, start, end and place of the appointment (404 when there is none)."""
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        uid, start, end, place = self.event()
        content = calendar_event(
            uid=uid, start=start, end=end, summary=self.case.reference, location=place
        )
        self.log_case(action=AccessAction.EXPORT, purpose="calendar")
        return calendar_response(content, f"{slugify(self.case.reference)}-{self.kind_label}.ics")


class InterviewCalendarView(CaseObjectMixin, CalendarView):
    """A scheduled interview in the investigators' calendars."""

    object_selector = staticmethod(interviews_visible_to)
    kind_label = "verhoor"
    object: Interview

    def event(self) -> tuple[str, datetime.datetime, datetime.datetime, str]:
        if self.object.status != InterviewStatus.SCHEDULED:
            raise Http404
        start = self.object.scheduled_at
        end = start + datetime.timedelta(minutes=self.object.expected_duration_minutes)
        return f"vik-interview-{self.object.pk}@vik", start, end, self.object.location


class HearingCalendarView(CalendarView):
    """The hearing (wederhoor), once a date, time and place were set."""

    kind_label = "wederhoor"

    def event(self) -> tuple[str, datetime.datetime, datetime.datetime, str]:
        hearing = getattr(self.investigation, "hearing", None)
        if hearing is None or hearing.scheduled_at is None or hearing.is_recorded:
            raise Http404
        start = hearing.scheduled_at
        # The protocol sets no length; two hours blocks the time a reading of the findings needs.
        return (
            f"vik-hearing-{self.case.pk}@vik",
            start,
            start + datetime.timedelta(hours=2),
            hearing.location,
        )


class EvidenceDownloadView(CaseObjectMixin, View):
    """A stored file, served as an attachment with its recorded type (never sniffed or inline)."""

    required_capability = CASE_STAFF
    object_selector = staticmethod(evidence_visible_to)
    needs_investigation = True
    object: Evidence

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        self.log_case(action=AccessAction.EXPORT, obj=self.object, purpose="evidence")
        response = FileResponse(
            self.object.file.open("rb"),
            as_attachment=True,
            filename=self.object.original_name,
            content_type=self.object.content_type,
        )
        response["Cache-Control"] = "no-store"
        return response


class ReportRenderStatusView(CaseObjectMixin, TemplateView):
    """Progress of a rendering; the page polls this fragment with htmx until it is done."""

    required_capability = CASE_STAFF
    object_selector = staticmethod(report_renders_visible_to)
    case_field = "case_id"
    template_name = "cases/report_render.html"
    object: ReportRender

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "status")]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # Progress says nothing about anyone; polling it every two seconds is not a look at
        # personal data, so it skips the case's access-log entry.
        return TemplateView.render_to_response(self, context, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(render=self.object, **kwargs)


class ReportDownloadView(CaseObjectMixin, View):
    """The rendered investigation report, once its rendering is done."""

    required_capability = CASE_STAFF
    object_selector = staticmethod(report_renders_visible_to)
    case_field = "case_id"
    object: ReportRender

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        if self.object.status != ReportRender.Status.DONE or not self.object.file:
            raise Http404
        self.log_case(action=AccessAction.PRINT, obj=self.object, purpose="investigation report")
        response = FileResponse(
            self.object.file.open("rb"),
            as_attachment=False,
            filename=f"onderzoeksrapport-{self.case.reference}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "no-store"
        return response
