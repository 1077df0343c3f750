"""PDFs and files: each fetched through its selector, each download in the access log."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from cases import documents
from cases.models import Evidence, InterviewReportVersion, Letter, ReportRender
from cases.selectors import (
    evidence_visible_to,
    letters_visible_to,
    report_renders_visible_to,
    report_versions_visible_to,
)
from cases.views.base import CASE_STAFF, CaseObjectMixin
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
        content, filename = self.render()
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
