"""``manage.py import_organisation PATH [PATH ...]`` — import an HR delivery, offboard leavers.

PATH is a directory holding ``units.csv``, ``functions.csv`` and/or ``employees.csv``
(each may be ``.csv.gz``), or those files themselves. Refused rows go to stderr with file,
line and reason; stdout ends with one summary line. See :mod:`vik.hr`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vik.hr import DELIVERY_FILES, import_hr_delivery


class Command(BaseCommand):
    help = (
        "Import an HR delivery (units, functions, employees with their end of employment) "
        "from a directory or files; employees who have left lose their roles and sessions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        if len(paths) == 1 and paths[0].is_dir():
            run = import_hr_delivery(directory=paths[0], acting_user=None)
        else:
            run = self._import_files(paths)
        for rejection in run.rejections.all():
            self.stderr.write(f"rejected {rejection}")
        self.stdout.write(f"{run.summary()} (import {run.pk})")

    def _import_files(self, paths: list[Path]) -> Any:
        names = {f"{stem}{suffix}" for stem in DELIVERY_FILES for suffix in (".csv", ".csv.gz")}
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path} is neither a directory nor a file")
            if path.name not in names:
                raise CommandError(
                    f"{path.name}: an HR file is named units, functions or employees "
                    "(.csv or .csv.gz)"
                )
        with tempfile.TemporaryDirectory() as tmp:
            for path in paths:
                shutil.copyfile(path, Path(tmp) / path.name)
            return import_hr_delivery(
                directory=Path(tmp),
                acting_user=None,
                source=", ".join(str(path) for path in paths),
            )
