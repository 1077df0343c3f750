"""PDF documents with WeasyPrint: one place for rendering, fonts, page furniture and safety.

Documents are Django templates extending ``pdf/base.html`` (A4, page numbers "pagina X van
Y", a running header). :func:`render_pdf` turns one into bytes. Resources are fetched only
from VIK's own static files (and ``data:`` URIs): a document can never make the server reach
out to the network, whatever ends up in its text.

Every PDF of personal data must be logged as a ``print`` in the access log by the caller
(see ``vik.services.record_access``).
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Templates use {% static %} (/static/...); resolved against this fake origin, they are
# recognisable to the fetcher below and nothing else is.
PDF_BASE_URL = "https://vik.invalid/"
_STATIC_PREFIX = f"{PDF_BASE_URL}static/"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/...`` from the static-file finders and ``data:`` URIs; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"https", "data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(_STATIC_PREFIX):
            raise ValueError(f"PDF resources must be VIK static files, not {url!r}")
        relative = url.removeprefix(_STATIC_PREFIX).split("?")[0]
        path = finders.find(relative)
        if not path or isinstance(path, list):
            raise ValueError(f"no static file {relative!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as stream:
            return URLFetcherResponse(url, stream.read(), {"Content-Type": content_type})


def layout_document(*, template_name: str, context: dict[str, Any]) -> Document:
    """Lay a document template out into pages, without writing the PDF yet.

    For callers that need the pages first: a page count, or progress on a long report
    (lay out, report progress, then ``document.write_pdf()``).
    """
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).render()


def render_pdf(*, template_name: str, context: dict[str, Any]) -> bytes:
    """Render a document template (extending ``pdf/base.html``) to PDF bytes."""
    pdf: bytes = layout_document(template_name=template_name, context=context).write_pdf()
    return pdf


def count_pages(*, template_name: str, context: dict[str, Any]) -> int:
    """How many pages a document has (for tests and progress estimates)."""
    return len(layout_document(template_name=template_name, context=context).pages)
