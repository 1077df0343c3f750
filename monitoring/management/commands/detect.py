"""``manage.py detect --start DATE --end DATE`` — run every indicator over a period.

Dates are days in Europe/Amsterdam, both inclusive. Runs in this process by default;
``--workers`` hands the chunks to Celery workers instead (see docs/monitoring.md),
``--resume RUN`` finishes a run whose chunks were interrupted, and ``--dry-run`` creates no
signals but prints what would be flagged per function (the onboarding calibration).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from monitoring import services
from monitoring.detection import runner
from monitoring.models import DetectionRun
from monitoring.selectors.calibration import report_lines


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


@contextlib.contextmanager
def _refusals_as_command_errors() -> Iterator[None]:
    """The services' refusals (e.g. work under another matching key) as the command's error."""
    try:
        yield
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error


class Command(BaseCommand):
    help = "Detect misuse over a period and create or update signals (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=_date)
        parser.add_argument("--end", type=_date)
        parser.add_argument(
            "--workers",
            action="store_true",
            help="queue the chunks for Celery workers instead of computing them here",
        )
        parser.add_argument("--resume", type=int, metavar="RUN", help="finish an earlier run")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=(
                "create no signals: print, per function and indicator, how many employees "
                "would be flagged, and the scope rules that would explain them (calibration)"
            ),
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="compute here in this many processes (as that many workers would)",
        )

    def handle(
        self,
        *args: Any,
        start: datetime.date | None,
        end: datetime.date | None,
        workers: bool,
        resume: int | None,
        processes: int,
        dry_run: bool = False,
        **options: Any,
    ) -> None:
        with _refusals_as_command_errors():
            if dry_run:
                if start is None or end is None or end < start:
                    raise CommandError("--start and --end (not before --start) are required")
                report = services.calibrate_detection(
                    start=start, end=end, acting_user=None, processes=processes
                )
                with translation.override("en"):  # operators' output, like the rest of it
                    self.stdout.write("\n".join(report_lines(report)))
                return
            if resume is not None:
                run = DetectionRun.objects.filter(pk=resume).first()
                if run is None:
                    raise CommandError(f"no detection run {resume}")
                run = runner.run_inline(run, processes=processes)
            else:
                if start is None or end is None:
                    raise CommandError("--start and --end are required")
                if end < start:
                    raise CommandError("--end is before --start")
                run = services.start_detection(
                    start=start,
                    end=end,
                    acting_user=None,
                    inline=not workers,
                    processes=processes,
                )
            if run.phase != DetectionRun.Phase.DONE:
                chunks = run.chunks.count()
                self.stdout.write(f"run {run.pk}: {chunks} chunks queued for the workers")
                return
            stats = run.stats
            self.stdout.write(
                f"run {run.pk}: events={stats.get('events', 0)} "
                f"signals created={stats.get('created', 0)} updated={stats.get('updated', 0)} "
                f"withdrawn={stats.get('withdrawn', 0)} appended={stats.get('appended', 0)} "
                f"unchanged={stats.get('unchanged', 0)} bursts={stats.get('bursts', 0)} "
                f"unattributed_events={stats.get('unattributed_events', 0)}"
            )
