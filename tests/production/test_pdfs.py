"""Every kind of PDF, fetched over HTTP from gunicorn as production serves it.

DEBUG off, static files from the manifest, the application on its runtime database role. Each
document is checked page by page with pdftotext: the page number "pagina X van Y", the
running footer (classification or reference), the running header after the title page, and
the hash and initials boxes where the layout has them.
"""

from __future__ import annotations

import datetime
import re

import pytest

from tests.production.client import Browser, pdf_pages
from tests.production.conftest import Accounts
from tests.production.stack import Stack, wait_for

pytestmark = [pytest.mark.production]

CLASSIFICATION = "Politie — vertrouwelijk"


def check_pages(
    pages: list[str],
    *,
    footer: str | re.Pattern[str] | None = CLASSIFICATION,
    header: str | None = "VIK ·",
    every_page: tuple[str, ...] = (),
    initials: int = 0,
) -> None:
    """The page furniture a document's stylesheet puts on every page."""
    assert pages, "an empty PDF"
    for number, page in enumerate(pages, start=1):
        where = f"page {number} of {len(pages)}: {page[:300]!r}"
        assert f"pagina {number} van {len(pages)}" in page, where
        if isinstance(footer, re.Pattern):
            assert footer.search(page), where
        elif footer is not None:
            assert footer in page, where
        if header is not None and number > 1:
            assert header in page, where
        for text in every_page:
            assert text in page.replace(" ", "") or text in page, where
        if initials:
            assert page.count("Paraaf") == initials, where


def fetch_pdf(browser: Browser, path: str) -> list[str]:
    response = browser.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    assert response.headers["Content-Type"] == "application/pdf"
    return pdf_pages(response.content)


@pytest.fixture(scope="module")
def head(stack: Stack, accounts: Accounts) -> Browser:
    return accounts.browser(stack, "hoofdvik")


def test_the_stylesheet_is_served_from_the_manifest(stack: Stack, head: Browser) -> None:
    page = head.get("/").text
    stylesheet = re.search(r'href="(/static/vik/vik\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "pages link the hashed stylesheet"
    response = head.get(stylesheet.group(1))
    assert response.status_code == 200
    assert "immutable" in response.headers.get("Cache-Control", "")


def test_signed_interview_reports(stack: Stack, head: Browser) -> None:
    rows = stack.database.query(
        "SELECT inv.case_id, v.id, v.content_hash FROM cases_interviewreportversion v "
        "JOIN cases_interview i ON i.id = v.interview_id "
        "JOIN cases_investigation inv ON inv.case_id = i.investigation_id "
        "WHERE v.state IN ('signed', 'refused_to_sign', 'not_agreed') ORDER BY v.id"
    )
    assert rows, "the demo has signed interview reports"
    for case_id, version_id, content_hash in rows:
        pages = fetch_pdf(head, f"/cases/{case_id}/report-versions/{version_id}/pdf/")
        check_pages(
            pages,
            footer=CLASSIFICATION,
            header="VIK · Gespreksverslag",
            every_page=(content_hash,),
            initials=3,
        )


def test_letters_assignments_and_notices(stack: Stack, head: Browser) -> None:
    letters = stack.database.query(
        "SELECT inv.case_id, l.id FROM cases_letter l "
        "JOIN cases_investigation inv ON inv.case_id = l.investigation_id ORDER BY l.id"
    )
    assert letters
    for case_id, letter_id in letters:
        check_pages(fetch_pdf(head, f"/cases/{case_id}/letters/{letter_id}/pdf/"))
    assignments = stack.database.query("SELECT case_id FROM cases_investigation ORDER BY case_id")
    assert assignments
    for (case_id,) in assignments[:3]:
        check_pages(
            fetch_pdf(head, f"/cases/{case_id}/assignment/pdf/"),
            header="VIK · Schriftelijke opdracht",
        )
    notices = stack.database.query("SELECT case_id, id FROM cases_reporternotice ORDER BY id")
    assert notices
    for case_id, notice_id in notices:
        check_pages(fetch_pdf(head, f"/cases/{case_id}/reporter/notices/{notice_id}/pdf/"))


def test_the_investigation_report_rendered_by_the_worker(stack: Stack, head: Browser) -> None:
    case_id, reference = stack.database.query(
        "SELECT c.id, c.reference FROM cases_case c JOIN cases_investigation inv ON inv.case_id = c.id "
        "JOIN cases_interview i ON i.investigation_id = inv.case_id "
        "GROUP BY c.id, c.reference ORDER BY count(*) DESC, c.id LIMIT 1"
    )[0]
    before = {row[0] for row in stack.database.query("SELECT id FROM cases_reportrender")}
    response = head.post(f"/cases/{case_id}/report/", form_page=f"/cases/{case_id}/conclusion/")
    assert response.status_code == 200, response.text[:500]

    def rendered() -> tuple[int, str] | None:
        rows = stack.database.query(
            "SELECT id, status FROM cases_reportrender WHERE case_id = %s ORDER BY id DESC LIMIT 1",
            [case_id],
        )
        if rows and rows[0][0] not in before and rows[0][1] in ("done", "failed"):
            return rows[0]
        return None

    render_id, status = wait_for(rendered, "the worker to render the report", timeout=180)
    assert status == "done"
    pages = fetch_pdf(head, f"/cases/{case_id}/report/{render_id}/pdf/")
    assert len(pages) > 2
    # Its own page furniture: classification and reference at the foot, the investigators'
    # initials boxes (as many as there are investigators) on every page.
    check_pages(pages, footer=f"{CLASSIFICATION} · {reference}", header=None)
    boxes = {page.count("Paraaf") for page in pages}
    assert len(boxes) == 1
    assert boxes.pop() >= 1


def test_the_logging_reports(stack: Stack, accounts: Accounts) -> None:
    """Both versions, asked for on the page and rendered by the worker (issue 15)."""
    year = datetime.datetime.now(tz=datetime.UTC).year - 1
    for username, audience, footer in (
        ("privacy", "privacy", CLASSIFICATION),
        ("cor", "cor", "Voor de ondernemingsraad"),
    ):
        browser = accounts.browser(stack, username)
        response = browser.post(
            f"/transparency/reports/{year}/{audience}/render/",
            form_page="/transparency/reports/",
        )
        assert response.status_code == 200, response.text[:500]
        render_id = int(response.url.rstrip("/").rsplit("/", 1)[-1])

        def rendered(render_id: int = render_id) -> str | None:
            rows = stack.database.query(
                "SELECT status FROM transparency_loggingreportrender WHERE id = %s", [render_id]
            )
            return rows[0][0] if rows and rows[0][0] in ("done", "failed") else None

        status = wait_for(rendered, "the worker to render the logging report", timeout=180)
        assert status == "done"
        check_pages(
            fetch_pdf(browser, f"/transparency/reports/renders/{render_id}/pdf/"),
            footer=footer,
            header="VIK · Veiligheid, Integriteit en Klachten",
        )


def test_the_access_request_export(stack: Stack, accounts: Accounts) -> None:
    rows = stack.database.query(
        "SELECT id FROM transparency_accessrequest WHERE export IS NOT NULL ORDER BY id"
    )
    assert rows, "the demo has an answered access request"
    privacy = accounts.browser(stack, "privacy")
    for (request_id,) in rows:
        check_pages(fetch_pdf(privacy, f"/transparency/access-requests/{request_id}/export.pdf"))


def test_complaint_letters_and_hearing_invitations(stack: Stack, accounts: Accounts) -> None:
    handler = accounts.browser(stack, "klachten")
    letters = stack.database.query(
        "SELECT c.id, c.closure FROM complaints_complaint c JOIN auth_user u ON u.id = c.handler_id "
        "WHERE u.username = 'klachten' AND c.closure IN ('decided', 'not_taken_up') "
        "ORDER BY c.closure, c.id"
    )
    kinds = {closure: pk for pk, closure in letters}
    assert set(kinds) == {"decided", "not_taken_up"}
    footers = {"decided": "Beslissing op uw klacht ·", "not_taken_up": "Uw klacht ·"}
    for closure, pk in kinds.items():
        check_pages(fetch_pdf(handler, f"/complaints/{pk}/letter.pdf"), footer=footers[closure])
    hearings = stack.database.query(
        "SELECT h.complaint_id, h.id FROM complaints_hearing h "
        "JOIN complaints_complaint c ON c.id = h.complaint_id JOIN auth_user u ON u.id = c.handler_id "
        "WHERE u.username = 'klachten' AND h.status = 'offered' ORDER BY h.id LIMIT 3"
    )
    assert hearings
    for complaint_id, hearing_id in hearings:
        check_pages(
            fetch_pdf(handler, f"/complaints/{complaint_id}/hearings/{hearing_id}/invitation.pdf"),
            footer="Uitnodiging hoorzitting ·",
        )
