"""``manage.py import_reference DIR`` — upsert the reference files present in a directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitoring import services


class Command(BaseCommand):
    help = (
        "Upsert units, employees (home addresses as keyed hashes), rosters, incidents, "
        "assignments, subjects and scope rules from the CSV files in a directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report, batch = services.import_reference_data(directory=directory, acting_user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for rejection in report.rejections:
            self.stderr.write(f"rejected {rejection}")
        self.stdout.write(f"{report.summary()} (import {batch.pk})")
