"""``manage.py import_access_log FILE [FILE ...]`` — load access events (CSV, JSON Lines, .gz).

Rejected rows go to stderr (and the database, with the row as received); progress on long
files goes to stderr; stdout gets exactly one line: ``imported=N duplicates=D rejected=R``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services
from monitoring.models import ImportRejection
from vik.csvexport import csv_writer


class Command(BaseCommand):
    help = "Import access events; idempotent on event_id. Ends with one summary line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--rejects",
            type=Path,
            help="also write the rejected rows to this CSV file (file,line,reason,row)",
        )
        parser.add_argument(
            "--quiet-rejects",
            action="store_true",
            help="do not list rejected rows on stderr (they are still stored and counted)",
        )

    def handle(
        self,
        *args: Any,
        files: list[Path],
        rejects: Path | None,
        quiet_rejects: bool,
        **options: Any,
    ) -> None:
        try:
            report = services.import_access_logs(
                paths=files, acting_user=None, progress=lambda text: self.stderr.write(text)
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        batches = [result.batch_id for result in report.files]
        rows = ImportRejection.objects.filter(batch_id__in=batches).order_by("batch_id", "line")
        if not quiet_rejects:
            for rejection in rows.iterator(2000):
                self.stderr.write(f"rejected {rejection}")
        if rejects is not None:
            with rejects.open("w", encoding="utf-8", newline="") as stream:
                # For people (a spreadsheet): the rows come from a file anyone may have written.
                writer = csv_writer(stream)
                writer.writerow(["file", "line", "reason", "row"])
                for rejection in rows.iterator(2000):
                    writer.writerow(
                        [rejection.file, rejection.line, rejection.reason, rejection.raw]
                    )
        for failed in report.failed:
            self.stderr.write(f"failed {failed.path}: {failed.error}")
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{len(report.failed)} file(s) could not be imported")
