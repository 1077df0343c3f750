"""``manage.py import_organisation DIR`` — upsert units.csv and employees.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vik.imports import import_organisation


class Command(BaseCommand):
    help = "Upsert units and employees from units.csv / employees.csv in a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory")
        report = import_organisation(directory=directory, acting_user=None)
        for rejection in report.rejections:
            self.stderr.write(f"rejected {rejection}")
        self.stdout.write(report.summary())
