"""``manage.py logging_report --year 2026 --audience cor|privacy --output FILE.pdf``.

The annual logging control for the first consultative meeting of the year (seed 003): the
aggregate version for the works council, or the detailed one with names for the privacy
officer (logged in the access log as a print, like the download).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vik.models import AccessAction
from vik.services import record_access
from vik.transparency.report import Report, available_years, render_report


class Command(BaseCommand):
    help = "Render the annual logging report (PDF) for the works council or the privacy officer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
        parser.add_argument("--audience", choices=["cor", "privacy"], required=True)
        parser.add_argument("--output", type=Path, required=True, help="the PDF file to write")

    def handle(self, *args: Any, year: int, audience: str, output: Path, **options: Any) -> None:
        if year not in available_years():
            raise CommandError(f"VIK was not in use in {year}.")
        report = Report(year=year, detailed=audience == "privacy")
        pdf = render_report(report)
        output.write_bytes(pdf)
        if report.detailed:
            record_access(
                actor=AnonymousUser(),
                action=AccessAction.PRINT,
                role=None,
                employee=None,
                object_type="transparency.logging_report",
                object_id=str(year),
                purpose=f"logging_report --audience privacy --output {output.name}",
            )
        kind = "interim " if not report.complete else ""
        self.stdout.write(f"{kind}logging report {year} ({audience}): {output} ({len(pdf)} bytes)")
