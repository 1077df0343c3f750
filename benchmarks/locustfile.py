"""Locust users for the load test (run through ``python -m benchmarks.load_test``).

Three kinds of people, in the mix an integrity department has at its busiest: analysts
working the signal queue, team chiefs with the conversations referred to them, and
investigators reading cases and printing PDFs. Each simulated person signs in through the real
pages (password, then a one-time backup code), then finds what to open from the pages it is
shown — no database access, no fixed ids. Requests are named by *page kind* so Locust's
figures come out per kind: ``queue``, ``signal``, ``conversations``, ``case list``, ``case``,
``pdf`` (PDFs are reported but outside the 1 s target).

The accounts come from the JSON file in ``VIK_LOAD_ACCOUNTS``:
``{"password": "...", "codes": {"analist": [...], "teamchef": [...], "onderzoeker": [...]}}``.
"""

from __future__ import annotations

import json
import os
import random
import re
from typing import Any, ClassVar

from locust import HttpUser, between, task
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter

SIGNAL_LINK = re.compile(r'href="(/monitoring/signals/\d+/)"')
CONVERSATION_LINK = re.compile(r'href="(/monitoring/conversations/\d+/)"')
CASE_LINK = re.compile(r'href="(/cases/\d+/)"')
PDF_LINK = re.compile(
    r'href="(/cases/\d+/(?:letters/\d+/pdf|report-versions/\d+/pdf|assignment/pdf)/)"'
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BehindTheProxy(HTTPAdapter):
    """Plain HTTP to the local gunicorn for ``https://`` URLs, as the TLS proxy would: the
    client sends the ``Secure`` cookies, gunicorn hears ``X-Forwarded-Proto: https``."""

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        url = request.url or ""
        request.url = url.replace("https://", "http://", 1)
        response = super().send(request, *args, **kwargs)
        request.url = url
        response.url = url
        return response


def _accounts() -> dict[str, Any]:
    with open(os.environ["VIK_LOAD_ACCOUNTS"], encoding="utf-8") as stream:
        return json.load(stream)


ACCOUNTS = _accounts() if os.environ.get("VIK_LOAD_ACCOUNTS") else {"password": "", "codes": {}}


class Person(HttpUser):
    """Signs in once, then browses; subclasses say who and what."""

    abstract = True
    username: ClassVar[str] = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        origin = self.host.replace("http://", "https://", 1)
        self.client.base_url = origin
        self.client.mount("https://", BehindTheProxy())
        self.client.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "nl"})
        page = self.client.get("/accounts/login/", name="sign in")
        response = self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": self._csrf(page.text),
                "username": self.username,
                "password": ACCOUNTS["password"],
            },
            headers={"Referer": f"{origin}/accounts/login/"},
            name="sign in",
        )
        if "/accounts/2fa/verify/" in response.url:
            response = self.client.post(
                "/accounts/2fa/verify/",
                data={
                    "csrfmiddlewaretoken": self._csrf(response.text),
                    "token": ACCOUNTS["codes"][self.username].pop(),
                },
                headers={"Referer": f"{origin}/accounts/2fa/verify/"},
                name="sign in",
            )
        if "/accounts/" in response.url:
            raise RuntimeError(f"{self.username} could not sign in")

    @staticmethod
    def _csrf(page: str) -> str:
        match = CSRF_INPUT.search(page)
        return match.group(1) if match else ""

    def _open(self, path: str, kind: str) -> str:
        with self.client.get(path, name=kind, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{kind}: HTTP {response.status_code}")
                return ""
            if "/accounts/login/" in response.url:
                response.failure(f"{kind}: signed out")
                return ""
            return response.text

    def _pdf(self, path: str) -> None:
        with self.client.get(path, name="pdf", catch_response=True) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"pdf: HTTP {response.status_code}")


class Analyst(Person):
    """Works the signal queue: the list, then a signal."""

    username = "analist"
    weight = 2

    @task(3)
    def queue(self) -> None:
        page = self._open("/monitoring/signals/", "queue")
        links = SIGNAL_LINK.findall(page)
        if links:
            self._open(random.choice(links), "signal")

    @task(1)
    def signal_page(self) -> None:
        page = self._open("/monitoring/signals/?page=2", "queue")
        links = SIGNAL_LINK.findall(page)
        if links:
            self._open(random.choice(links), "signal")


class TeamChief(Person):
    """Reads the conversations referred to them and the signals behind them."""

    username = "teamchef"
    weight = 1

    @task
    def conversations(self) -> None:
        page = self._open("/monitoring/conversations/", "conversations")
        links = CONVERSATION_LINK.findall(page)
        if links:
            self._open(random.choice(links), "conversation")


class Investigator(Person):
    """Reads cases and prints their documents."""

    username = "onderzoeker"
    weight = 2

    @task(3)
    def case_page(self) -> None:
        page = self._open("/cases/", "case list")
        links = CASE_LINK.findall(page)
        if links:
            self._open(random.choice(links), "case")

    @task(2)
    def pdf(self) -> None:
        """A case, its letters tab (only investigations have one), one of its PDFs."""
        page = self._open("/cases/", "case list")
        links = CASE_LINK.findall(page)
        if not links:
            return
        case = random.choice(links)
        if f'href="{case}letters/"' not in self._open(case, "case"):
            return
        pdfs = PDF_LINK.findall(self._open(f"{case}letters/", "case"))
        if pdfs:
            self._pdf(random.choice(pdfs))
