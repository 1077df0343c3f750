"""``manage.py seed_demo`` — generated demo data for every app (idempotent).

The core builds the organisation and the demo logins; then each app that has a ``demo``
module with a ``seed(*, stdout, rng)`` function adds its own data, in INSTALLED_APPS order.
"""

from __future__ import annotations

import importlib
import random
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create generated demo data: organisation, ~300 employees, one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            if hasattr(module, "seed"):
                self.stdout.write(f"[{config.label}]")
                module.seed(stdout=self.stdout, rng=random.Random(f"{seed}:{config.label}"))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
