"""Detection quality against ground truth: recall per scenario, precision, false alerts.

    .venv/bin/python benchmarks/detection_quality.py                  # the reported runs
    .venv/bin/python benchmarks/detection_quality.py --runs 7:1500    # seed:employees ...

For each run: a fresh benchmark database (``BENCH_DATABASE_URL``, default ``vik_bench``),
a generated organisation of that size with two weeks of logs (``monitoring.generator``:
confounders, unlabelled grey behaviour and injected misuse for every indicator), the real
import, the real detection, and a comparison of the signals with the ground truth:

* recall per scenario — an injected instance counts as found when its employee has a
  signal carrying that scenario's indicator;
* precision — signals about an employee with injected misuse, of all signals;
* false-alert employees per 1,000 employees per two weeks — employees with a signal and no
  injected misuse (the grey behaviour included: it is flagged as it should be, and counted).

The thresholds were developed on seeds 1, 2, 11 and 12; the default runs use seeds 21 and 22,
which were run only after development (figures: docs/performance.md).
Targets (issue 3): recall ≥ 0.95 with ≤ 3.3 false-alert employees per 1,000 per two weeks.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import Quality, evaluate, fresh_database, setup_django

DEFAULT_RUNS = ["21:3000", "22:6000"]
RECALL_TARGET = 0.95
FALSE_ALERT_TARGET = 3.3


def run_one(seed: int, employees: int, workdir: Path) -> Quality:
    import datetime

    from monitoring import services
    from monitoring.detection import runner
    from monitoring.generator import GeneratorConfig, generate

    fresh_database()
    runner.reset_caches()  # ids start again in the new database
    directory = workdir / f"seed{seed}-{employees}"
    started = time.perf_counter()
    truth = generate(GeneratorConfig(seed=seed, employees=employees), directory)
    print(
        f"  generated {truth.employees} employees, {truth.events:,} events "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    started = time.perf_counter()
    services.import_reference_data(directory=directory, acting_user=None)
    report = services.import_access_logs(paths=[directory / "events.csv"], acting_user=None)
    print(f"  imported: {report.summary()} ({time.perf_counter() - started:.0f} s)", flush=True)
    started = time.perf_counter()
    start = datetime.date.fromisoformat(truth.config["start"])
    end = datetime.date.fromisoformat(truth.config["end"])
    services.start_detection(start=start, end=end, acting_user=None, inline=True)
    print(f"  detected ({time.perf_counter() - started:.0f} s)", flush=True)
    return evaluate(json.loads((directory / "ground_truth.json").read_text(encoding="utf-8")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", nargs="+", default=DEFAULT_RUNS, help="seed:employees ...")
    parser.add_argument("--keep", type=Path, help="keep the generated data in this directory")
    args = parser.parse_args()
    setup_django()
    results: list[tuple[str, Quality]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        for item in args.runs:
            seed, employees = (int(part) for part in item.split(":"))
            print(f"seed {seed}, {employees} employees", flush=True)
            quality = run_one(seed, employees, workdir)
            print("\n".join(quality.lines()), flush=True)
            results.append((item, quality))
    print("\nsummary")
    ok = True
    for item, quality in results:
        worst = min(d / n for d, n in quality.recall.values())
        rate = quality.false_alerts_per_1000_per_two_weeks
        passed = worst >= RECALL_TARGET and rate <= FALSE_ALERT_TARGET
        ok &= passed
        print(
            f"  {item:>10}: lowest scenario recall {worst:.3f}, overall {quality.overall_recall:.3f}, "
            f"precision {quality.precision:.3f}, false alerts {rate:.2f}/1,000/2 weeks "
            f"— {'meets' if passed else 'MISSES'} the targets"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
