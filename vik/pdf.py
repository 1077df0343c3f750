"""PDF documents with WeasyPrint: one place for rendering, fonts, page furniture and safety.

Documents are Django templates extending ``pdf/base.html`` (A4, page numbers "pagina X van
Y", a running header). :func:`render_pdf` turns one into bytes. Resources are fetched only
from VIK's own static files (and ``data:`` URIs): a document can never make the server reach
out to the network, whatever ends up in its text.

Every PDF of personal data must be logged as a ``print`` in the access log by the caller
(see ``vik.services.record_access``).

WeasyPrint is imported only when a document is laid out (its fetcher lives in
:mod:`vik.pdf_fetcher`): loading it and its fonts takes about half a second, which every
process would otherwise pay at start — each ``manage.py`` command (the nightly ``detect``
among them), each web and Celery worker — because the cases' services import this module.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint import Document

# Templates use {% static %} (/static/...); resolved against this fake origin, they are
# recognisable to the fetcher (vik.pdf_fetcher) and nothing else is.
PDF_BASE_URL = "https://vik.invalid/"
STATIC_PREFIX = f"{PDF_BASE_URL}static/"


def _unhashed_names() -> dict[str, str]:
    """Hashed name → source name, from the manifest of a manifest storage (else empty)."""
    hashed_files = getattr(staticfiles_storage, "hashed_files", None)
    if not isinstance(hashed_files, dict):
        return {}
    return {hashed: name for name, hashed in hashed_files.items()}


def find_static(relative: str) -> str | None:
    """The file on disk behind a static URL path, whichever storage produced the URL.

    With DEBUG on (or ``VIK_PLAIN_STATIC``) ``{% static %}`` gives source names that the
    finders know. In production the manifest storage gives hashed names
    (``vik/pdf.3f2a1b.css``) that exist only in ``STATIC_ROOT`` after ``collectstatic``, and
    the stylesheet's own ``url()``s are rewritten to hashed names too. So: the finders, then
    the collected file, then the manifest's source name through the finders (a manifest
    whose STATIC_ROOT copy is missing). Never anything outside those directories.
    """
    try:
        path = finders.find(relative)
    except SuspiciousFileOperation:  # "../" out of a static directory
        return None
    if isinstance(path, str):
        return path
    storage_path = getattr(staticfiles_storage, "path", None)
    if storage_path is not None:
        try:
            collected = storage_path(relative)
        except (NotImplementedError, SuspiciousFileOperation):
            collected = None
        if collected and os.path.isfile(collected):
            return str(collected)
    source = _unhashed_names().get(relative)
    if source is not None:
        path = finders.find(source)
        if isinstance(path, str):
            return path
    return None


def layout_html(html: str) -> Document:
    """Lay HTML (a rendered document template) out into pages, fetching only VIK's static
    files (:class:`vik.pdf_fetcher.StaticOnlyFetcher`)."""
    from weasyprint import HTML

    from vik.pdf_fetcher import StaticOnlyFetcher

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).render()


def layout_document(*, template_name: str, context: dict[str, Any]) -> Document:
    """Lay a document template out into pages, without writing the PDF yet.

    For callers that need the pages first: a page count, or progress on a long report
    (lay out, report progress, then ``document.write_pdf()``).
    """
    return layout_html(render_to_string(template_name, context))


def render_pdf(*, template_name: str, context: dict[str, Any]) -> bytes:
    """Render a document template (extending ``pdf/base.html``) to PDF bytes."""
    pdf: bytes = layout_document(template_name=template_name, context=context).write_pdf()
    return pdf


def count_pages(*, template_name: str, context: dict[str, Any]) -> int:
    """How many pages a document has (for tests and progress estimates)."""
    return len(layout_document(template_name=template_name, context=context).pages)
