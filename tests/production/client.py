"""A browser-like HTTP client for the production-mode suite (and the load test).

It signs in through the real pages — the password form, then the second factor with a
one-time backup code (django-otp's static device, as a person without their phone would) —
and sends ``X-Forwarded-Proto: https`` as the TLS proxy in front of gunicorn does. The
session and CSRF cookies are ``Secure``: the client uses ``https://`` URLs, and an adapter
carries them over the plain local connection (see :class:`BehindTheProxy`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import requests
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"


class BehindTheProxy(HTTPAdapter):
    """Speaks plain HTTP to the local gunicorn for ``https://`` URLs, as a TLS proxy would.

    The client keeps believing it talks HTTPS — so it sends the ``Secure`` session and CSRF
    cookies and an HTTPS ``Referer`` — and gunicorn hears ``X-Forwarded-Proto: https``.
    """

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        url = request.url or ""
        request.url = url.replace("https://", "http://", 1)
        response = super().send(request, *args, **kwargs)
        request.url = url
        response.url = url
        return response


class Browser:
    """One signed-in person."""

    def __init__(self, base_url: str, *, timeout: float = 120) -> None:
        # What the browser sees: the HTTPS origin the proxy serves.
        self.base_url = base_url.rstrip("/").replace("http://", "https://", 1)
        self.origin = self.base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.session.mount("https://", BehindTheProxy())
        self.session.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "nl"})

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return self.session.get(self.url(path), **kwargs)

    def csrf_from(self, page: str) -> str:
        match = CSRF_INPUT.search(page)
        if match is None:
            raise AssertionError("no CSRF token on the page")
        return match.group(1)

    def post(
        self, path: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> requests.Response:
        """POST like the form on ``path`` (or on ``form_page``) would, with its CSRF token."""
        form_page = kwargs.pop("form_page", None)
        token = self.session.cookies.get("csrftoken")
        if form_page is not None or token is None:
            token = self.csrf_from(self.get(form_page or path).text)
        kwargs.setdefault("timeout", self.timeout)
        return self.session.post(
            self.url(path),
            data={"csrfmiddlewaretoken": token, **(data or {})},
            headers={"Referer": self.origin + (form_page or path)},
            **kwargs,
        )

    def sign_in(self, username: str, password: str, backup_code: str) -> None:
        page = self.get("/accounts/login/")
        page.raise_for_status()
        response = self.session.post(
            self.url("/accounts/login/"),
            data={
                "csrfmiddlewaretoken": self.csrf_from(page.text),
                "username": username,
                "password": password,
            },
            headers={"Referer": f"{self.origin}/accounts/login/"},
            timeout=self.timeout,
        )
        response.raise_for_status()
        if "/accounts/2fa/verify/" in response.url:
            response = self.session.post(
                self.url("/accounts/2fa/verify/"),
                data={"csrfmiddlewaretoken": self.csrf_from(response.text), "token": backup_code},
                headers={"Referer": f"{self.origin}/accounts/2fa/verify/"},
                timeout=self.timeout,
            )
            response.raise_for_status()
        if "/accounts/" in response.url:
            raise AssertionError(f"{username} could not sign in (ended at {response.url})")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, whitespace collapsed (poppler's pdftotext)."""
    if not pdf.startswith(b"%PDF"):
        raise AssertionError(f"not a PDF: {pdf[:200]!r}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]
