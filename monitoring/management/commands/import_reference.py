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
        parser.add_argument(
            "--new-matching-key",
            action="store_true",
            help=(
                "accept the VIK_MATCHING_KEY in force as the new key: only with ALL reference "
                "data (employees, subjects, relations) in DIR (docs/monitoring.md, Key handling)"
            ),
        )

    def handle(
        self, *args: Any, directory: Path, new_matching_key: bool = False, **options: Any
    ) -> None:
        try:
            report, batch = services.import_reference_data(
                directory=directory, acting_user=None, new_matching_key=new_matching_key
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for rejection in report.rejections:
            self.stderr.write(f"rejected {rejection}")
        self.stdout.write(f"{report.summary()} (import {batch.pk})")
