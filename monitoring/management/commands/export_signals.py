"""``manage.py export_signals --start DATE --end DATE [--output FILE]`` — JSON Lines."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring.export import export_signals


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"invalid date {value!r} (expected YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Write the signals of a period as JSON Lines (to a file or stdout); logged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=_date, required=True)
        parser.add_argument("--end", type=_date, required=True)
        parser.add_argument("--output", type=Path)

    def handle(
        self,
        *args: Any,
        start: datetime.date,
        end: datetime.date,
        output: Path | None,
        **options: Any,
    ) -> None:
        if end < start:
            raise CommandError("--end is before --start")
        if output is None:
            # Lines end in a newline already, so the wrapper adds nothing.
            count = export_signals(start=start, end=end, stream=self.stdout)  # type: ignore[arg-type]
        else:
            with output.open("w", encoding="utf-8") as stream:
                count = export_signals(start=start, end=end, stream=stream)
        self.stderr.write(f"exported {count} signal(s)")
