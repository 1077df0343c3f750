"""Detection quality on adversarial deliveries it was never tuned on: recall per scenario and
false-alert employees per 1,000 per two weeks, worst run and median per size.

    .venv/bin/python benchmarks/detection_quality.py                    # the evaluation
    .venv/bin/python benchmarks/detection_quality.py --set development  # the tuning seeds
    .venv/bin/python benchmarks/detection_quality.py --runs 7:1500      # any seed:employees

Each run gets a fresh database (``BENCH_DATABASE_URL``; its name must start with ``vik_`` and
contain ``bench``), an adversarial delivery (:mod:`monitoring.generator.adversarial`: a random
organisation, function names drawn per seed, the department's own ``scope_rules.csv``,
``relations.csv``, late rosters, duplicate and out-of-order log lines, two weeks across the
change to winter time), and then only the documented commands, as a department would run
them::

    manage.py import_reference DIR
    manage.py import_access_log DIR/events.csv
    manage.py detect --start START --end END
    manage.py import_reference DIR/late        # the rosters that came late, if any
    manage.py detect --start START --end END
    manage.py export_signals --start START --end END --output signals.jsonl

The exported signals are compared with ``ground_truth.json``:

* recall per scenario — an injected instance is found when its employee has a signal with the
  expected indicator. Misuse that leaves no trace in the delivery (a relative HR does not
  know, with a common surname, elsewhere), or none that the delivery can tell from work
  (curiosity about a subject of the only region of an organisation that has nothing but that
  region), is reported apart, with how much of it was found, not counted in recall;
* false-alert employees — employees with a signal and no injected misuse (the unlabelled grey
  behaviour included), per 1,000 employees per two weeks.

**Seeds.** Thresholds are tuned only on ``DEVELOPMENT``; ``EVALUATION`` is run once, after
development, and reported as it comes out (docs/performance.md). A fresh evaluation set is
used if the engine is changed after an evaluation.
Targets (issue 10), on the worst run: recall ≥ 0.95 for every scenario, ≤ 3.3 false-alert
employees per 1,000 per two weeks.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    BENCH_DATABASE_URL,
    fresh_database,
    psql_args,
    setup_django,
)

# Development: every threshold and rule was tried on these, and only these. Round 1 of issue
# 10 used 101-105; round 2 used 201-214; round 3 used 401-419; round 4 used 601-630 (650
# employees; 621 and 622 also at 1,200, 610 also at 3,000); round 5 used 631-660 (650);
# round 6 used 661-700 (650); round 7 used 701-716 and 731 (650; 717-730 and 732-740 were
# never run and are still unused).
# Round 8 used 717-730 and 732-740 (650): the whole set 701-740 is burnt. Round 9 develops on
# 11001-11040 at 680 employees (a size never used before), never run before round 9.
DEVELOPMENT = [f"{seed}:680" for seed in range(11001, 11041)]
# Evaluation: twelve seeds, three sizes never used in development, run once after development.
# Burnt (run, and never to be used again for tuning or evaluation): 9001-9012 (round 1),
# 9101-9112 (round 2), 9301-9303 (the check after round 2's merge), 9401-9412 (round 3),
# 9501-9505 (the check after round 3's merge), 9601-9612 (round 4), 9701-9704 (the check
# after round 4's merge), 9801-9802 (the check after the review), 9901-9912 (round 5,
# these: 1,000, 1,900 and 4,200 employees; 2,000 and 4,500 were used before), 9921-9922
# (1,350: the check of the final code after round 5's merge), 601-660 (development of rounds
# 4 and 5), 10001-10012 (round 6, these: 700, 2,800 and 6,200 employees, sizes never used
# before), 10021-10022 (1,450: the check of the final code after round 6's merge), 661-700
# (development of round 6). A next round evaluates on new seeds and sizes.
# Round 7: 10101-10112, fixed before development ended and committed before the run; sizes
# 775, 3,400 and 5,700, never used before (850 and 5,800, first proposed, were: 9501-9503 at
# 850 after round 3, 9011 at 5,800 in round 1). Burnt after the run, the two that did not
# finish (10111-10112) too. A next round evaluates on new seeds and sizes.
# Round 8: development on 717-730 and 732-740 at 650 (now used, with 701-716 and 731: the
# whole DEVELOPMENT set is burnt; a next round needs new development seeds). Evaluation
# 10201-10212, fixed at the end of development and committed before the run; sizes 725,
# 1,650 and 2,600, never used before. Burnt after the run, unfinished ones too.
# Checks of the final code after a merge, burnt too: 10131 (600, after round 7); 10221 (6,000)
# and 10222 (600), 10231 (900) and 10232 (3,100), after round 8. Round 8's evaluation seeds
# 10201-10212 are burnt.
# Round 9: development on 11001-11040 at 680 (never run before). Evaluation 11101-11112, fixed
# at the end of development and committed before the run; sizes 825, 1,550 and 2,400, never
# used before. Burnt after the run, unfinished ones too. Checks of the final code after round
# 9's merge, burnt too: 11201 (600) and 11202 (6,000). The blind generator's seeds
# (benchmarks/independent_score.py: 1, 8101-8103, 8201) are burnt for tuning as well.
# Round 10: development on 12001-12099 (this generator) and 8301-8360 (the blind one), never
# run before round 10; round 9's evaluation 11101-11112 is burnt. Evaluation 12101-12112,
# fixed before development ended and committed before the run; sizes 640, 1,180 and 1,820,
# never used before; run once on the merged engine (fc65dcd) and burnt. 12201 (600) and 12202
# (6,000), meant as checks of the final code: 12201 was run after the merge (burnt). The blind
# generator's round-10 evaluation, burnt too: 8401-8403 at 600 and 8601 at 6,000. Development
# used 12001-12003, 12061-12076, 8301-8308 and 8331-8342 (burnt); the rest is still unused.
# Round 11: development on the still unused 12004-12060 and 12077-12099 (this generator) and
# 8309-8330, 8343-8370 (the blind one); evaluation 12121-12132, fixed before development began
# and committed before any run; sizes 610, 1,270 and 2,150, never used before; run once on the
# merged engine (5c58c4f) and burnt; development used 12004-12007, 12020-12021 and 12052-12053
# (burnt), the rest of 12004-12099 is still unused. 12201 was run
# after round 10 (burnt); 12202 is still unused. The blind generator's round-11 evaluation:
# 8701-8703 at 600 and 8801 at 6,000 (benchmarks/independent_score.py), burnt.
# Round 12: development on the still unused 12008-12019, 12022-12051, 12054-12060 and
# 12077-12099 (this generator) and the blind one's unused development seeds; evaluation
# 12141-12152, fixed before development began and committed before any run; sizes 630, 1,390
# and 1,960, never used before; run once on the merged engine (6603eb9) and burnt (12149 run
# again on round 11's engine for the attribution only). Development used 12007-12013, 12020
# and 12090 (burnt). The blind generator's round-12 evaluation: 8711-8713 at 600 and 8811
# at 6,000 (burnt).
# Round 13: evaluation 12153-12164, fixed before development began and committed before any
# run; sizes 670, 1,510 and 2,070, never used before. Development on the still unused
# 12014-12019, 12022-12051, 12054-12060, 12077-12089, 12091-12099 and 12165 onwards. The
# blind generator's round-13 evaluation: 8901-8903 at 600 and 8951 at 6,000. Run once on the
# merged engine (5de7d2f) and burnt (12155, 12159 and 12162 run again on older engines for
# the attribution only). Development used 12014-12019, 12022, 12023 and 12036-12039 (burnt);
# still unused: 12024-12035, 12040-12051, 12054-12060, 12077-12089, 12091-12099, 12168 on
# (12165-12167 checked the final code once, burnt).
# Round 14: evaluation 12171-12182, fixed before development began and committed before any
# run; sizes 690, 1,430 and 2,230, never used before. Development on the still unused seeds
# above (12168-12170 and 12183 onwards included). The blind generator's round-14 evaluation:
# 8941-8943 at 600 and 8961 at 6,000. Development used (burnt) 12024-12031, 12058 and
# 12077-12086 (detected) and 12032-12035, 12040-12051, 12054-12060 (generated to read their
# ground truth); 12087 (740) checked the final code once; still unused: 12088-12089,
# 12091-12099, 12168-12170, 12183 on.
# Run once on the merged engine (a0ebdf1) and burnt.
# Round 15: evaluation 12184-12195, fixed before development began and committed before any
# run; sizes 710, 1,470 and 2,290, never used before. Development on the still unused
# 12088-12089, 12091-12099, 12168-12170 and 12196 onwards. Run once on the merged engine
# (79a90a0) and burnt. Development used (burnt) 12088, 12089, 12092, 12093, 12095-12097 and
# 12197 (detected) and 12091, 12094, 12196, 12198, 12199 (generated to read their ground
# truth); still unused: 12098, 12099, 12168-12170, 12200 on.
# Round 16: evaluation 12200-12211, fixed before development began and committed before any
# run; sizes 760, 1,490 and 2,330, never used before. Development on the still unused 12098,
# 12099, 12168-12170 and 12212 onwards.
# Run once on the merged engine (850c983) and burnt. Development used 12212 and 12213.
# Round 17: evaluation 12220-12231, fixed before development began and committed before any
# run; sizes 790, 1,550 and 2,410, never used before. Development on the still unused 12098,
# 12099, 12168-12170, 12214-12219 and 12232 onwards.
# Run once on the merged engine (2471b0c) and burnt. Development used 12232.
# Round 18: evaluation 12233-12244, fixed before development began and committed before any
# run; sizes 820, 1,610 and 2,470, never used before. Development on the still unused 12098,
# 12099, 12168-12170, 12214-12219 and 12245 onwards.
EVALUATION = [f"{seed}:820" for seed in range(12233, 12237)]
EVALUATION += [f"{seed}:1610" for seed in range(12237, 12241)]
EVALUATION += [f"{seed}:2470" for seed in range(12241, 12245)]
RECALL_TARGET = 0.95
FALSE_ALERT_TARGET = 3.3


@dataclass
class Result:
    """One run against its ground truth."""

    seed: int
    employees: int
    days: int
    events: int
    signals: int
    recall: dict[str, tuple[int, int]] = field(default_factory=dict)  # found, injected
    untraceable: tuple[int, int] = (0, 0)  # found, injected
    false_alerts: int = 0
    false_alerts_grey: int = 0
    false_indicators: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    false_details: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return 1000 * self.false_alerts / self.employees * 14 / self.days

    @property
    def lowest_recall(self) -> float:
        return min((f / n for f, n in self.recall.values() if n), default=1.0)

    def lines(self) -> list[str]:
        rows = [f"  {'scenario':<24} recall   (found/injected)"]
        for scenario, (found, injected) in sorted(self.recall.items()):
            rows.append(f"  {scenario:<24} {found / injected:6.3f}   ({found}/{injected})")
        if self.untraceable[1]:
            rows.append(
                "  untraceable (no trace in the delivery, or none a delivery can tell from "
                f"work): found {self.untraceable[0]} "
                f"of {self.untraceable[1]}"
            )
        rows.append(
            f"  signals {self.signals}; false-alert employees {self.false_alerts} "
            f"({self.false_alerts_grey} grey) = {self.rate:.2f} per 1,000 per two weeks"
        )
        if self.false_indicators:
            rows.append(f"  false alerts by indicator: {dict(self.false_indicators)}")
        if self.missed:
            rows.append(f"  missed: {'; '.join(self.missed)}")
        rows += [f"    false alert {line}" for line in self.false_details]
        return rows


def evaluate(truth: dict[str, Any], export: Path) -> Result:
    """Compare the exported signals with the ground truth."""
    config = truth["config"]
    codes: dict[str, set[str]] = defaultdict(set)
    details: dict[str, list[str]] = defaultdict(list)
    signals = 0
    for line in export.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        signals += 1
        codes[record["employee_id"]].update(i["code"] for i in record["indicators"])
        for indicator in record["indicators"]:
            figures = {k: v for k, v in indicator["details"].items() if k != "window"}
            details[record["employee_id"]].append(
                f"{indicator['code']} {json.dumps(figures)[:160]}"
            )
    result = Result(
        seed=config["seed"],
        employees=truth["employees"],
        days=config["days"],
        events=truth["events"],
        signals=signals,
    )
    misusers = {item["employee_id"] for item in truth["misuse"]}
    grey = {item["employee_id"] for item in truth["grey"]}
    per: dict[str, list[bool]] = defaultdict(list)
    lost = [0, 0]
    for item in truth["misuse"]:
        found = item["indicator"] in codes.get(item["employee_id"], set())
        if not item.get("traceable", True):
            lost[0] += found
            lost[1] += 1
            continue
        per[item["scenario"]].append(found)
        if not found:
            result.missed.append(
                f"{item['scenario']} ({item.get('variant', '')}, {item.get('profile', '')}"
                f"{', scoped' if item.get('scoped') else ''}; got {sorted(codes.get(item['employee_id'], []))})"
            )
    result.untraceable = (lost[0], lost[1])
    result.recall = {s: (sum(hits), len(hits)) for s, hits in per.items()}
    for number, flagged in codes.items():
        if number not in misusers:
            result.false_alerts += 1
            result.false_alerts_grey += number in grey
            result.false_indicators.update(flagged)
            result.false_details.append(
                f"{number}{' (grey)' if number in grey else ''}: {'; '.join(details[number])}"
            )
    return result


def clone_database(template: str) -> None:
    """A fresh benchmark database as a copy of ``template``, a migrated, empty database
    (``--template``): on a busy machine migrating from scratch takes longer than the run."""
    import subprocess
    from urllib.parse import urlparse

    from django.db import connections

    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    for database in (name, template):
        if not re.match(r"vik_(\w+_)?bench", database):
            raise SystemExit(f"refusing to use {database!r}: not a benchmark database")
    connections.close_all()
    subprocess.run(["dropdb", *psql_args(), "--if-exists", name], check=True)
    subprocess.run(["createdb", *psql_args(), "-T", template, name], check=True)


def run_one(seed: int, employees: int, workdir: Path, template: str = "") -> Result:
    from django.core.management import call_command

    from monitoring.detection import runner
    from monitoring.generator import GeneratorConfig, generate

    if template:
        clone_database(template)
    else:
        fresh_database()
    runner.reset_caches()  # ids start again in the new database
    directory = workdir / f"seed{seed}-{employees}"
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    truth_object = generate(
        GeneratorConfig(seed=seed, employees=employees, adversarial=True), directory
    )
    seconds["generate"] = time.perf_counter() - started
    truth = json.loads((directory / "ground_truth.json").read_text(encoding="utf-8"))
    start, end = truth["config"]["start"], truth["config"]["end"]
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}

    def step(name: str, *args: str) -> None:
        began = time.perf_counter()
        call_command(*args, **quiet)
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began

    step("import_reference", "import_reference", str(directory))
    step("import_access_log", "import_access_log", str(directory / "events.csv"))
    step("detect", "detect", "--start", start, "--end", end)
    for later in truth.get("deliveries", ["."])[1:]:
        step("import_reference", "import_reference", str(directory / later))
        step("detect", "detect", "--start", start, "--end", end)
    export = directory / "signals.jsonl"
    step(
        "export_signals", "export_signals", "--start", start, "--end", end, "--output", str(export)
    )
    result = evaluate(truth, export)
    result.seconds = {k: round(v, 1) for k, v in seconds.items()}
    del truth_object
    return result


def summary(results: list[tuple[str, Result]]) -> tuple[list[str], bool]:
    """Per size: the worst run and the median, against the targets."""
    lines = []
    ok = True
    by_size: dict[int, list[Result]] = defaultdict(list)
    for item, result in results:
        by_size[int(item.split(":")[1])].append(result)  # the size asked for
    for size, runs in sorted(by_size.items()):
        recalls = [r.lowest_recall for r in runs]
        rates = [r.rate for r in runs]
        worst_recall, worst_rate = min(recalls), max(rates)
        met = worst_recall >= RECALL_TARGET and worst_rate <= FALSE_ALERT_TARGET
        ok &= met
        lines.append(
            f"  {size:>5} employees, {len(runs)} runs (seeds {', '.join(str(r.seed) for r in runs)}): "
            f"lowest scenario recall worst {worst_recall:.3f} / median {statistics.median(recalls):.3f}; "
            f"false alerts per 1,000 per two weeks worst {worst_rate:.2f} / median "
            f"{statistics.median(rates):.2f} — {'meets' if met else 'MISSES'} the targets"
        )
    all_recalls = [r.lowest_recall for _i, r in results]
    all_rates = [r.rate for _i, r in results]
    lines.append(
        f"  all {len(results)} runs: lowest scenario recall worst {min(all_recalls):.3f} / median "
        f"{statistics.median(all_recalls):.3f}; false alerts worst {max(all_rates):.2f} / median "
        f"{statistics.median(all_rates):.2f} per 1,000 per two weeks"
    )
    scenario_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _item, result in results:
        for scenario, (found, injected) in result.recall.items():
            scenario_totals[scenario][0] += found
            scenario_totals[scenario][1] += injected
    lines.append(
        "  recall over all runs: "
        + ", ".join(f"{s} {f}/{n}" for s, (f, n) in sorted(scenario_totals.items()))
    )
    return lines, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("evaluation", "development"), default="evaluation")
    parser.add_argument("--runs", nargs="+", help="seed:employees ... (instead of a set)")
    parser.add_argument("--keep", type=Path, help="keep the generated data in this directory")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument(
        "--template",
        default="",
        help="copy each run's database from this migrated, empty benchmark database "
        "instead of migrating it from scratch",
    )
    parser.add_argument(
        "--combine",
        type=Path,
        nargs="+",
        help="only summarise the --json files of runs made in parallel processes",
    )
    args = parser.parse_args()
    if args.combine:
        combined = [
            (
                record["run"],
                Result(
                    seed=record["seed"],
                    employees=record["employees"],
                    days=record["days"],
                    events=record["events"],
                    signals=record["signals"],
                    recall={k: (v[0], v[1]) for k, v in record["recall"].items()},
                    untraceable=(record["untraceable"][0], record["untraceable"][1]),
                    false_alerts=record["false_alerts"],
                    false_alerts_grey=record["grey"],
                ),
            )
            for path in args.combine
            for record in json.loads(path.read_text(encoding="utf-8"))
        ]
        lines, ok = summary(combined)
        print("summary (targets on the worst run: recall ≥ 0.95 per scenario, ≤ 3.3 per 1,000)")
        print("\n".join(lines))
        return 0 if ok else 1
    runs = args.runs or (EVALUATION if args.set == "evaluation" else DEVELOPMENT)
    setup_django()
    results: list[tuple[str, Result]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        for item in runs:
            seed, employees = (int(part) for part in item.split(":"))
            load = os.getloadavg()[0]
            print(f"seed {seed}, {employees} employees (load average {load:.1f})", flush=True)
            result = run_one(seed, employees, workdir, args.template)
            print(f"  {result.events:,} events; seconds {result.seconds}", flush=True)
            print("\n".join(result.lines()), flush=True)
            results.append((item, result))
    lines, ok = summary(results)
    print("\nsummary (targets on the worst run: recall ≥ 0.95 per scenario, ≤ 3.3 per 1,000)")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "run": item,
                        "seed": r.seed,
                        "days": r.days,
                        "lowest_recall": round(r.lowest_recall, 3),
                        "employees": r.employees,
                        "events": r.events,
                        "signals": r.signals,
                        "recall": r.recall,
                        "untraceable": r.untraceable,
                        "false_alerts": r.false_alerts,
                        "grey": r.false_alerts_grey,
                        "rate": round(r.rate, 2),
                        "false_indicators": dict(r.false_indicators),
                        "missed": r.missed,
                        "seconds": r.seconds,
                        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    }
                    for item, r in results
                ],
                indent=1,
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
