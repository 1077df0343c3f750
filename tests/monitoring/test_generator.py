"""The synthetic data: deterministic, complete, importable; and the demo built on it."""

from __future__ import annotations

import datetime
import io
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command

from monitoring import demo
from monitoring.generator import GeneratorConfig, generate
from monitoring.generator.core import SCENARIOS
from monitoring.models import AccessEvent, Signal
from vik import demo as core_demo

pytestmark = pytest.mark.django_db


def test_generation_is_deterministic_and_covers_every_indicator(tmp_path: Path) -> None:
    config = GeneratorConfig(seed=7, employees=250, days=7, misuse_per_scenario=2)
    first = generate(config, tmp_path / "a")
    second = generate(config, tmp_path / "b")
    assert (tmp_path / "a" / "events.csv").read_bytes() == (
        tmp_path / "b" / "events.csv"
    ).read_bytes()
    assert first.misuse == second.misuse
    assert {item["scenario"] for item in first.misuse} == set(SCENARIOS)
    truth = json.loads((tmp_path / "a" / "ground_truth.json").read_text())
    assert truth["employees"] == 250
    for confounder in (
        "missing_roster_week",
        "oncall",
        "colleague_victim_lookups",
        "vehicle_other_region",
    ):
        assert truth["confounders"][confounder] > 0
    names = {p.name for p in (tmp_path / "a").iterdir()}
    assert {
        "units.csv",
        "employees.csv",
        "rosters.csv",
        "incidents.csv",
        "assignments.csv",
        "subjects.csv",
        "scope_rules.csv",
        "events.csv",
    } <= names
    header = (tmp_path / "a" / "events.csv").read_text().splitlines()[1]
    assert header.split(",")[1].endswith(("+02:00", "+01:00"))


def test_the_command_writes_gzip(tmp_path: Path) -> None:
    stdout = io.StringIO()
    call_command(
        "generate_monitoring_data",
        str(tmp_path),
        "--employees",
        "120",
        "--days",
        "3",
        "--seed",
        "3",
        "--gzip",
        "--start",
        "2026-10-24",
        stdout=stdout,
    )
    assert (tmp_path / "events.csv.gz").exists()
    assert stdout.getvalue().startswith("employees=")  # about N; at least 20 per region


def test_the_demo_seeds_signals_once(db: None) -> None:
    out = io.StringIO()
    core_demo.seed(stdout=out, rng=random.Random("2026:vik"))
    demo.seed(stdout=out, rng=random.Random("2026:monitoring"))
    assert "signals created=" in out.getvalue()
    signals = Signal.objects.count()
    assert signals >= 10
    # The demo's plain employee is among those signalled, so the review can follow them.
    assert Signal.objects.filter(employee__personnel_number="900008").exists()
    events = AccessEvent.objects.count()
    demo.seed(stdout=out, rng=random.Random("2026:monitoring"))
    assert (Signal.objects.count(), AccessEvent.objects.count()) == (signals, events)
    assert all(
        e.startswith("DEMO-") for e in AccessEvent.objects.values_list("event_id", flat=True)[:10]
    )
    assert Signal.objects.filter(window_start=datetime.date(2026, 10, 19)).count() == signals


def test_an_injected_evening_off_is_outside_every_roster_entry(tmp_path: Path) -> None:
    """Ground truth must be true: on call is a rostered state, so a look-up then is no misuse.

    (Found by the quality benchmark on seed 43: an "evening off" had been injected into a
    detective's on-call night.)
    """
    import csv

    # A size and seed whose draw hit an on-call night before the fix.
    config = GeneratorConfig(seed=5, employees=600, days=14, misuse_per_scenario=40)
    truth = generate(config, tmp_path)
    injected = {
        event_id: item["employee_id"]
        for item in truth.misuse
        if item["scenario"] == "off_duty" and item.get("variant") == "evening_off"
        for event_id in item["event_ids"]
    }
    assert injected
    rostered: dict[str, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    with (tmp_path / "rosters.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rostered.setdefault(row["employee_id"], []).append(
                (
                    datetime.datetime.fromisoformat(row["start"]),
                    datetime.datetime.fromisoformat(row["end"]),
                )
            )
    with (tmp_path / "events.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["event_id"] not in injected:
                continue
            moment = datetime.datetime.fromisoformat(row["occurred_at"])
            entries = rostered.get(injected[row["event_id"]], [])
            assert not any(start <= moment < end for start, end in entries), row


def test_the_adversarial_generator_draws_everything_per_seed(tmp_path: Path) -> None:
    import csv

    def generate_one(seed: int, name: str) -> tuple[dict, Path]:
        config = GeneratorConfig(seed=seed, employees=300, days=14, adversarial=True)
        generate(config, tmp_path / name)
        truth = json.loads((tmp_path / name / "ground_truth.json").read_text())
        return truth, tmp_path / name

    first, a = generate_one(11, "a")
    _again, b = generate_one(11, "b")
    other, c = generate_one(12, "c")
    assert (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()
    # Function names and unit codes are drawn per seed: no rule can lean on them.
    assert first["functions"] != other["functions"]
    units = lambda d: {row["code"] for row in csv.DictReader((d / "units.csv").open())}  # noqa: E731
    assert not units(a) & units(c)
    # The department's own scope rules name its own functions or units.
    rules = list(csv.DictReader((a / "scope_rules.csv").open()))
    functions = {name for names in first["functions"].values() for name in names}
    assert all(r["function"] in functions or r["unit_code"] in units(a) for r in rules)
    # Every scenario, relations HR knows, late rosters, duplicate lines.
    assert {item["scenario"] for item in first["misuse"]} == set(SCENARIOS)
    assert (a / "relations.csv").exists()
    assert first["deliveries"][0] == "."
    lines = (a / "events.csv").read_text().splitlines()[1:]
    ids = [line.split(",")[0] for line in lines]
    assert first["confounders"]["duplicate_lines"] == len(ids) - len(set(ids))
    assert first["confounders"]["regional_hot_subjects"] > 0
    assert first["confounders"]["colleagues_in_incidents"] > 0
