"""``manage.py generate_monitoring_data DIR`` — synthetic deliveries with ground truth."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monitoring.generator import GeneratorConfig, generate


class Command(BaseCommand):
    help = (
        "Write generated reference files, an access log and ground_truth.json to a directory: "
        "an organisation with rosters, confounders and injected misuse for every indicator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--employees",
            type=int,
            default=600,
            help="size of the organisation (about; at least 20 per region)",
        )
        parser.add_argument(
            "--start", type=datetime.date.fromisoformat, default=datetime.date(2026, 10, 19)
        )
        parser.add_argument("--days", type=int, default=14)
        parser.add_argument("--events-scale", type=float, default=1.0)
        parser.add_argument("--misuse-per-scenario", type=int)
        parser.add_argument("--grey-per-1000", type=float, default=1.5)
        parser.add_argument(
            "--use-existing",
            action="store_true",
            help="use the organisation in the database instead of generating one",
        )
        parser.add_argument("--gzip", action="store_true", help="write events.csv.gz")
        parser.add_argument(
            "--adversarial",
            action="store_true",
            help=(
                "draw the organisation, function names, scope, rhythms and deliveries per seed "
                "(monitoring.generator.adversarial; writes relations.csv and late/rosters.csv)"
            ),
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        config = GeneratorConfig(
            seed=options["seed"],
            employees=options["employees"],
            start=options["start"],
            days=options["days"],
            events_scale=options["events_scale"],
            misuse_per_scenario=options["misuse_per_scenario"],
            grey_per_1000=options["grey_per_1000"],
            use_existing=options["use_existing"],
            compress=options["gzip"],
            adversarial=options["adversarial"],
        )
        truth = generate(config, directory)
        self.stdout.write(
            f"employees={truth.employees} events={truth.events} "
            f"misuse={len(truth.misuse)} grey={len(truth.grey)} → {directory}"
        )
