"""Benchmark: the analyst's queue with 100,000 signals.

Builds a fresh benchmark database (``BENCH_QUEUE_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/vik_bench_queue`` — its own database, so it can run
next to the detection benchmarks on ``vik_bench``) with a national organisation, 20,000
employees and 100,000 signals (five two-week windows each; 1–3 indicators per signal, a
share of them in bursts), then renders the review pages through Django's test client as two
analysts: one monitoring one regional unit (a tenth of the signals) and one monitoring every
unit (all 100,000). It prints the median render time and the query count of each page.

    .venv/bin/python benchmarks/monitoring_queue.py [--signals 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import fresh_database, setup_django

DATABASE_URL = os.environ.get(
    "BENCH_QUEUE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vik_bench_queue"
)
REGIONS = ["AM", "DH", "RT", "MN", "NH", "NN", "ON", "OB", "LB", "ZB"]
# Figures every indicator's explanation can be rendered from (detection stores only its own).
DETAILS = {
    "off_duty": 3,
    "margin_minutes": 90,
    "count": 3,
    "events": 3,
    "employment_end": "2026-01-01",
    "day": "2026-01-06",
    "employees": 50,
    "units": 12,
    "baseline": 1,
    "matches": ["address"],
    "home": 1,
    "street": 0,
    "region": "DH",
    "regions": ["DH"],
    "own_ratio": 5,
    "own_median": 20,
    "peer_ratio": 5,
    "peer_median": 20,
    "days": 4,
    "since": "2025-12-01",
}
CODES = [
    "off_duty",
    "neighbour",
    "relative",
    "self_lookup",
    "colleague_lookup",
    "out_of_region_incident",
    "volume_spike",
    "repeated_unexplained",
]


def build(signals: int, rng: random.Random) -> dict[str, object]:
    """The organisation, employees, signals and indicators, in bulk."""
    from django.contrib.auth import get_user_model

    from monitoring.matching import pseudonym_for
    from monitoring.models import Signal, SignalIndicator
    from vik import services
    from vik.models import Employee, Function, Unit
    from vik.roles import Role

    functions = [
        Function.objects.create(code=f"F{index}", name=name)
        for index, name in enumerate(["Agent", "Hoofdagent", "Brigadier", "Rechercheur", "Intake"])
    ]
    teams: list[Unit] = []
    regional: dict[str, Unit] = {}
    for region in REGIONS:
        top = Unit.objects.create(
            code=region, name=f"Eenheid {region}", kind="regional", region=region
        )
        regional[region] = top
        for district in range(1, 5):
            d = Unit.objects.create(
                code=f"{region}-D{district}",
                name=f"District {region} {district}",
                kind="district",
                parent=top,
                region=region,
            )
            for team in range(1, 6):
                teams.append(
                    Unit.objects.create(
                        code=f"{region}-D{district}-T{team}",
                        name=f"Basisteam {region} {district}.{team}",
                        kind="team",
                        parent=d,
                        region=region,
                    )
                )
    services.rebuild_unit_ancestry()
    per_window = 5
    employee_count = max(signals // per_window, 1)
    employees = Employee.objects.bulk_create(
        [
            Employee(
                personnel_number=f"{200000 + index}",
                first_name="Bench",
                last_name=f"Medewerker{index}",
                unit_id=teams[index % len(teams)].parent.parent_id,  # type: ignore[union-attr]
                team=teams[index % len(teams)],
                function=functions[index % len(functions)],
            )
            for index in range(employee_count)
        ],
        batch_size=5000,
    )
    first = datetime.date(2026, 1, 5)
    rows = []
    for window in range(per_window):
        start = first + datetime.timedelta(days=14 * window)
        for employee in employees:
            if len(rows) >= signals:
                break
            rows.append(
                Signal(
                    employee=employee,
                    pseudonym=pseudonym_for(employee.personnel_number),
                    unit_id=employee.team_id,
                    function_id=employee.function_id,
                    window_start=start,
                    window_end=start + datetime.timedelta(days=13),
                    score=Decimal(rng.randint(1000, 6000)) / 100,
                    status=rng.choices(
                        ["new", "in_review", "dismissed", "escalated", "closed"],
                        weights=[40, 10, 35, 5, 10],
                    )[0],
                )
            )
    created = Signal.objects.bulk_create(rows, batch_size=5000)
    indicators = []
    for index, signal in enumerate(created):
        codes = rng.sample(CODES, rng.randint(1, 3))
        for code in codes:
            indicators.append(
                SignalIndicator(
                    signal=signal,
                    code=code,
                    weight=10,
                    severity=1,
                    occurrences=3,
                    score=signal.score,
                    details=DETAILS,
                )
            )
        if index % 20 == 0:  # one in twenty signals is part of a burst of ~50
            indicators.append(
                SignalIndicator(
                    signal=signal,
                    code="celebrity_burst",
                    weight=10,
                    severity=1,
                    occurrences=1,
                    score=signal.score,
                    details=DETAILS,
                    group_key=f"burst:s:BN-{index // 1000}:{signal.window_start}",
                )
            )
    SignalIndicator.objects.bulk_create(indicators, batch_size=10000)
    user_model = get_user_model()
    regional_analyst = user_model.objects.create(username="bench-analyst-am")
    services.assign_role(
        user=regional_analyst, role=Role.ANALYST, unit=regional["AM"], acting_user=None, reason="b"
    )
    national_analyst = user_model.objects.create(username="bench-analyst-all")
    for unit in regional.values():
        services.assign_role(
            user=national_analyst, role=Role.ANALYST, unit=unit, acting_user=None, reason="b"
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "employees": len(employees),
        "signals": len(created),
        "indicators": len(indicators),
        "analysts": (regional_analyst, national_analyst),
    }


def measure(client: object, url: str, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds, query count and status of GET ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    status = 0
    client.get(url, secure=True)  # type: ignore[attr-defined]  # warm caches
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, secure=True)  # type: ignore[attr-defined]
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
        status = response.status_code
    return statistics.median(timings), queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["VIK_REQUIRE_2FA"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["VIK_PLAIN_STATIC"] = "true"  # no collectstatic manifest needed
    setup_django(DATABASE_URL)
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    started = time.perf_counter()
    fresh_database(DATABASE_URL)
    built = build(args.signals, random.Random(2026))
    print(
        f"built {built['signals']:,} signals, {built['indicators']:,} indicators, "
        f"{built['employees']:,} employees in {time.perf_counter() - started:.0f} s"
    )
    from monitoring.models import Signal
    from monitoring.selectors import signals_visible_to

    pages = [
        ("queue, first page", "/monitoring/signals/"),
        ("queue, page 100", "/monitoring/signals/?page=100"),
        ("queue, all statuses", "/monitoring/signals/?status=all"),
        (
            "queue, filtered (indicator + score + period)",
            "/monitoring/signals/?indicator=off_duty&min_score=40&since=2026-02-01",
        ),
        ("queue, one team (unit filter)", None),
        ("bursts (grouped view)", "/monitoring/signals/bursts/"),
        ("signal page", None),
        ("feedback per indicator", "/monitoring/feedback/"),
    ]
    for analyst in built["analysts"]:  # type: ignore[attr-defined]
        client = Client()
        client.force_login(analyst)
        visible = signals_visible_to(user=analyst)
        team = visible.order_by("id").values_list("unit_id", flat=True).first()
        top = visible.filter(status__in=["new", "in_review"]).order_by("-score").first()
        print(
            f"\n{analyst.username}: {visible.count():,} visible signals "
            f"({visible.filter(status__in=['new', 'in_review']).count():,} open) "
            f"of {Signal.objects.count():,}"
        )
        print(f"  {'page':<46} {'median ms':>9} {'queries':>8}")
        for label, url in pages:
            if label.startswith("queue, one team"):
                url = f"/monitoring/signals/?unit={team}"
            if label == "signal page":
                url = f"/monitoring/signals/{top.pk}/" if top else "/monitoring/signals/"
            ms, queries, status = measure(client, url, args.repeat)
            if status != 200:
                raise SystemExit(f"{url}: HTTP {status}")
            print(f"  {label:<46} {ms:9.1f} {queries:8d}")


if __name__ == "__main__":
    main()
