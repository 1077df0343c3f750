"""``export_case_report`` and the demo data."""

from __future__ import annotations

import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases import demo as cases_demo
from cases.models import Case, CaseStatus, VersionState
from tests.cases.builders import Flow
from vik import demo as core_demo
from vik.models import AccessAction, AccessChannel, AccessLogEntry

pytestmark = pytest.mark.django_db


def test_export_case_report_writes_the_pdf_and_logs_the_print(flow: Flow, tmp_path: Path) -> None:
    case = flow.submitted()
    output = tmp_path / "rapport.pdf"
    out = StringIO()
    call_command("export_case_report", case.reference, "--output", str(output), stdout=out)
    assert output.read_bytes().startswith(b"%PDF")
    assert "pages" in out.getvalue()
    entry = AccessLogEntry.objects.get(action=AccessAction.PRINT)
    assert entry.channel == AccessChannel.COMMAND
    assert entry.employee_id == flow.world.subject.pk


def test_export_case_report_as_a_user_sees_what_they_see(flow: Flow, tmp_path: Path) -> None:
    case = flow.submitted()
    output = tmp_path / "rapport.pdf"
    call_command(
        "export_case_report", case.reference, "--output", str(output), "--user", flow.head.username
    )
    assert AccessLogEntry.objects.get(action=AccessAction.PRINT).actor == flow.head
    with pytest.raises(CommandError):
        call_command(
            "export_case_report", case.reference, "--output", str(output), "--user", "analyst"
        )
    with pytest.raises(CommandError):
        call_command("export_case_report", "XX-0000-0000", "--output", str(output))


def test_the_demo_has_investigations_in_every_stage(db: None) -> None:
    out = StringIO()
    core_demo.seed(stdout=out, rng=random.Random("test"))
    cases_demo.seed(stdout=out, rng=random.Random("test"))
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    states = set(
        Case.objects.filter(investigation__interviews__versions__isnull=False).values_list(
            "investigation__interviews__versions__state", flat=True
        )
    )
    assert {VersionState.SIGNED, VersionState.NOT_AGREED, VersionState.REFUSED_TO_SIGN} <= states
    count = Case.objects.count()
    cases_demo.seed(stdout=out, rng=random.Random("test"))  # idempotent
    assert Case.objects.count() == count
