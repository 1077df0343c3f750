"""The resource fetcher of VIK's PDFs: VIK's own static files and ``data:`` URIs, nothing else.

Kept apart from :mod:`vik.pdf` because it subclasses WeasyPrint's fetcher, and importing
WeasyPrint is paid only by a process that lays a document out.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

from vik.pdf import STATIC_PREFIX, find_static


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/...`` from VIK's static files and ``data:`` URIs; refuses the rest.

    Static files are looked up with :func:`find_static`, so hashed names from the production
    manifest resolve to the collected files (no network, no other directory).
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"https", "data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"PDF resources must be VIK static files, not {url!r}")
        relative = unquote(url.removeprefix(STATIC_PREFIX).split("?")[0].split("#")[0])
        path = find_static(relative)
        if path is None:
            raise ValueError(f"no static file {relative!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as stream:
            return URLFetcherResponse(url, stream.read(), {"Content-Type": content_type})
