"""Faults while people work: Redis stopped, PostgreSQL restarted (the worker killed mid-run is
in test_import_detect.py, an import killed with SIGKILL in tests/monitoring/test_import_kill.py).

Both services are the suite's own (its redis-server, its throwaway PostgreSQL cluster); the
shared servers of the machine are never stopped. What is expected, and what an operator does,
is in docs/operations.md.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.production.client import Browser
from tests.production.conftest import Accounts
from tests.production.stack import Stack, wait_for

pytestmark = [pytest.mark.production]


def first_link(page: str, pattern: str) -> str:
    match = re.search(pattern, page)
    assert match, f"no link matching {pattern}"
    return match.group(1)


def browse(analyst: Browser, head: Browser) -> None:
    """The pages people use most: all must answer 200, signed in as before."""
    queue = analyst.get("/monitoring/signals/")
    assert queue.status_code == 200
    assert "/accounts/login/" not in queue.url
    signal = first_link(queue.text, r'href="(/monitoring/signals/\d+/)"')
    assert analyst.get(signal).status_code == 200
    cases = head.get("/cases/")
    assert cases.status_code == 200
    case = first_link(cases.text, r'href="(/cases/\d+/)"')
    assert head.get(case).status_code == 200


def render_status(stack: Stack, case_id: int) -> tuple[int, str]:
    return stack.database.query(
        "SELECT id, status FROM cases_reportrender WHERE case_id = %s ORDER BY id DESC LIMIT 1",
        [case_id],
    )[0]


def a_case_with_an_investigation(stack: Stack) -> int:
    return stack.database.query("SELECT case_id FROM cases_investigation ORDER BY case_id LIMIT 1")[
        0
    ][0]


def the_worker_is_idle(stack: Stack) -> None:
    """No report of an earlier test still waits or renders.

    A task acknowledged at the very moment Redis stops kills the worker (kombu's reconnect
    inside the acknowledgement: ``'NoneType' object has no attribute 'hostname'``, round 19)
    — a fault of its own, which the worker's supervisor answers by restarting it; this test
    is about people at work while Redis is away.
    """
    wait_for(
        lambda: (
            stack.database.query(
                "SELECT count(*) FROM cases_reportrender WHERE status IN ('queued', 'running')"
            )[0][0]
            == 0
        ),
        "the reports asked for before to be rendered",
        timeout=180,
        step=0.5,
    )
    time.sleep(2)  # and acknowledged


def test_redis_stopped_while_people_work(stack: Stack, accounts: Accounts) -> None:
    analyst = accounts.browser(stack, "analist")
    head = accounts.browser(stack, "hoofdvik")
    browse(analyst, head)
    the_worker_is_idle(stack)
    stack.stop_redis()
    try:
        # Signed-in people stay signed in (sessions from the database) and pages answer.
        browse(analyst, head)
        # Signing in works too.
        accounts.browser(stack, "privacy")
        # Work for the background waits, and the page says so ("Wachten").
        case_id = a_case_with_an_investigation(stack)
        response = head.post(f"/cases/{case_id}/report/", form_page=f"/cases/{case_id}/conclusion/")
        assert response.status_code == 200, response.text[:300]
        render_id, status = render_status(stack, case_id)
        assert status == "queued"
        page = head.get(f"/cases/{case_id}/report/{render_id}/")
        assert page.status_code == 200
        assert "Wachten" in page.text or "wachtrij" in page.text.lower()
        # The health check tells the operator what is wrong.
        health = head.get("/health/")
        assert health.status_code == 503
        assert health.json() == {"database": "ok", "cache": "error"}
    finally:
        stack.start_redis_again()

    # Back: the worker reconnects by itself; the sweep (every 5 minutes in beat) sends the
    # waiting job, and it is rendered.
    stack.manage(
        "shell",
        "-c",
        "import datetime; from cases import services; "
        "services.requeue_waiting_renders(older_than=datetime.timedelta(0))",
    )
    wait_for(
        lambda: render_status(stack, case_id) == (render_id, "done"),
        "the waiting report to be rendered after Redis came back",
        timeout=180,
        step=1,
    )
    browse(analyst, head)


def test_postgresql_restarted_under_a_running_app(stack: Stack, accounts: Accounts) -> None:
    analyst = accounts.browser(stack, "analist")
    head = accounts.browser(stack, "hoofdvik")
    browse(analyst, head)
    stack.database.cluster.restart()
    # gunicorn was not restarted: its workers' connections died with the server, and
    # CONN_HEALTH_CHECKS replaces them at the next request.
    browse(analyst, head)
    browse(analyst, head)
    # The Celery worker was not restarted either, and still does its work.
    case_id = a_case_with_an_investigation(stack)
    response = head.post(f"/cases/{case_id}/report/", form_page=f"/cases/{case_id}/conclusion/")
    assert response.status_code == 200
    render_id, _status = render_status(stack, case_id)
    wait_for(
        lambda: render_status(stack, case_id) == (render_id, "done"),
        "a report rendered by the worker after the restart",
        timeout=180,
        step=1,
    )
