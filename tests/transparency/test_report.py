"""The annual logging report: the command, both versions, and what each may contain."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import World
from tests.transparency.bruteforce import unprotected
from tests.transparency.conftest import at
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role
from vik.transparency import report as logging_report
from vik.transparency import services
from vik.transparency.registry import Quarter
from vik.transparency.suppression import CellState, is_sensitive

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(world: World, log_entry) -> None:
    """A year of looks: plenty by investigators, a few by the team chief, two reveals."""
    investigator = world.user(Role.INVESTIGATOR)
    investigator.first_name, investigator.last_name = "Olga", "Visser"
    investigator.save()
    for quarter in Quarter.of_year(2025):
        for _n in range(9):
            log_entry(
                role=Role.INVESTIGATOR,
                employee=world.subject,
                when=at(quarter.start),
                object_type="cases.investigation",
                purpose="Onderzoek",
            )
        log_entry(role=Role.TEAM_CHIEF, employee=world.colleague, when=at(quarter.start))
    for _ in range(2):
        log_entry(
            role=Role.ANALYST,
            employee=world.subject,
            when=at(Quarter(2025, 2).start),
            action=AccessAction.REVEAL,
            object_type="monitoring.signal",
            purpose="Escalatie naar teamchef",
        )


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed to read the PDFs"
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_works_council_version_has_figures_and_no_names(
    year_2025: None, world: World, tmp_path: Path
) -> None:
    output = tmp_path / "cor.pdf"
    call_command("logging_report", year=2025, audience="cor", output=output)
    text = pdf_text(output)
    assert "2025" in text
    assert "×" in text
    assert "< 5" not in text
    for name in ("Olga Visser", "team_chief", world.subject.last_name, "Escalatie"):
        assert name not in text
    assert not AccessLogEntry.objects.filter(object_type="transparency.logging_report").exists()


def test_the_privacy_officers_version_names_users_and_reveal_reasons(
    year_2025: None, tmp_path: Path
) -> None:
    output = tmp_path / "privacy.pdf"
    call_command("logging_report", year=2025, audience="privacy", output=output)
    text = pdf_text(output)
    assert "Olga Visser" in text
    assert "Escalatie naar teamchef" in text
    printed = AccessLogEntry.objects.get(object_type="transparency.logging_report")
    assert (printed.action, printed.object_id) == (AccessAction.PRINT, "2025")


def test_a_year_out_of_use_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not in use"):
        call_command("logging_report", year=2019, audience="cor", output=tmp_path / "x.pdf")


def test_the_year_tables_are_protected_with_the_published_quarters(year_2025: None) -> None:
    services.publish_due(since=Quarter(2025, 1))
    payload = logging_report.access_by_part(2025)
    assert not payload.get("withheld")
    roles = payload["roles"]
    team_chief = roles.index(Role.TEAM_CHIEF.value)
    # Four looks by the team chief in the year: a small figure, and not derivable.
    assert payload["role_totals"][team_chief] == 4
    assert CellState(payload["role_total_states"][team_chief]) is CellState.SMALL
    for values, states in zip(payload["by_role"], payload["by_role_states"], strict=True):
        for value, state in zip(values, states, strict=True):
            assert (CellState(state) is CellState.SMALL) == is_sensitive(value)
    # Frozen: asking again gives the same publication.
    assert logging_report.access_by_part(2025) == payload


def test_the_report_download_page(year_2025: None, client_for) -> None:
    response = client_for(Role.COR_MEMBER).get(reverse("transparency:report_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("transparency:report_request", args=[2025, "cor"]) in page
    assert reverse("transparency:report_request", args=[2025, "privacy"]) not in page
    works_council = client_for(Role.COR_MEMBER)
    assert (
        works_council.post(
            reverse("transparency:report_request", args=[2025, "privacy"])
        ).status_code
        == 403
    )
    assert (
        works_council.post(reverse("transparency:report_request", args=[2025, "all"])).status_code
        == 404
    )
    assert (
        works_council.post(reverse("transparency:report_request", args=[1999, "cor"])).status_code
        == 404
    )


def test_the_report_is_made_in_the_background_with_progress_and_a_message(
    year_2025: None, world: World, client_for, django_capture_on_commit_callbacks
) -> None:
    from vik.models import Notification
    from vik.transparency.models import LoggingReportRender

    officer = client_for(Role.PRIVACY_OFFICER)
    url = reverse("transparency:report_request", args=[2025, "privacy"])
    with django_capture_on_commit_callbacks() as callbacks:
        response = officer.post(url)
    assert len(callbacks) == 1  # the task is sent after commit
    render = LoggingReportRender.objects.get()
    assert response.url == reverse("transparency:report_render", args=[render.pk])
    assert officer.post(url).url == response.url  # a double click renders once
    waiting = officer.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in waiting
    assert 'hx-trigger="every 2s"' in waiting
    # The worker's part, called directly: claims the job, renders, tells the requester.
    assert services.render_logging_report_job(render.pk) is True
    assert services.render_logging_report_job(render.pk) is False  # a redelivery does nothing
    render.refresh_from_db()
    assert (render.status, render.progress) == ("done", 100)
    assert render.pages
    assert render.pages > 1
    assert len(render.sha256) == 64
    message = Notification.objects.get(recipient=world.user(Role.PRIVACY_OFFICER))
    assert message.url == response.url
    done = officer.get(response.url).content.decode()
    assert reverse("transparency:report_download", args=[render.pk]) in done
    assert 'hx-trigger="every 2s"' not in done
    before = AccessLogEntry.objects.filter(object_type="transparency.logging_report").count()
    pdf = officer.get(reverse("transparency:report_download", args=[render.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    after = AccessLogEntry.objects.filter(object_type="transparency.logging_report").count()
    assert after == before + 1  # the detailed version is a print of personal data
    # Nobody else sees the rendering, not even another holder of the same capability.
    other = world.user(Role.VIK_HEAD)
    assert client_for(Role.VIK_HEAD).get(response.url).status_code == 404
    assert other.pk != render.requested_by_id


def test_a_failed_rendering_says_so_and_can_be_asked_again(
    year_2025: None, world: World, monkeypatch
) -> None:
    from vik.transparency.models import LoggingReportRender

    render = services.request_logging_report(
        year=2025, audience="cor", acting_user=world.user(Role.COR_MEMBER)
    )

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(logging_report, "render_report_in_steps", broken)
    assert services.render_logging_report_job(render.pk) is False
    render.refresh_from_db()
    assert render.status == LoggingReportRender.Status.FAILED
    again = services.request_logging_report(
        year=2025, audience="cor", acting_user=world.user(Role.COR_MEMBER)
    )
    assert again.pk != render.pk


def test_the_brute_force_agrees_on_a_published_quarter(year_2025: None) -> None:
    """A real publication, checked independently (small enough for brute force)."""
    from tests.transparency.bruteforce import Publication
    from vik.transparency.figures import protected_table
    from vik.transparency.models import Publication as Stored

    services.publish_due(since=Quarter(2025, 1))
    stored = Stored.objects.get(key="vik.identity_reveals", year=2025, quarter=2)
    assert unprotected(Publication([protected_table(stored.payload)])) == []
