"""Score the engine on independent deliveries (benchmarks/independent_delivery.py).

Per seed: write the delivery, create a fresh database (``createdb``), migrate it, and run exactly
the documented commands — ``import_reference DIR``, ``import_access_log FILE``,
``detect --start --end``, ``export_signals --start --end --output`` — then compare the exported
signals with ``ground_truth.json``:

* recall per scenario: an injected employee is found if a signal about them exists; the share
  whose signal also carries the indicator the scenario should raise is printed beside it;
  misuse with no trace in the delivery (``traceable: false``) is reported apart;
* false-alert employees per 1,000 per two weeks: signalled employees without injected misuse;
* the indicators and functions most common among the false alerts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres SECRET_KEY=... \\
        python benchmarks/independent_score.py --employees 600 --seeds 8101 8102 8103

The evaluation seeds below were fixed (and committed) before they were run. The database
``<prefix>_<seed>`` is dropped afterwards unless ``--keep-db``; the delivery, the export and a
``score.json`` with every miss and false alert stay in ``--workdir``. Written without reading
the engine (see the generator's docstring).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.independent_delivery import PERIOD_END, PERIOD_START, generate

ROOT = Path(__file__).resolve().parent.parent
# Fixed before their first run. Round 9 (burnt): 8101-8103 at 600 and 8201 at 2,000. Round 10:
# 8401-8403 at 600 and 8601 at 6,000 (the two sizes; burnt); development used
# 8301-8308 and 8331-8342. Round 11: 8701-8703 at 600 and 8801 at 6,000, fixed before
# development began; run once on the merged engine (5c58c4f) and burnt. Development used
# 8309-8320, 8325-8328, 8351 and 8361-8362 (burnt); 8321-8324, 8329-8330, 8343-8350,
# 8352-8360 and 8363-8370 are still unused. Round 12: 8711-8713 at 600 and 8811 at 6,000,
# fixed before development began; run once on the merged engine (6603eb9) and burnt (8811
# again on round 11's engine for the attribution only). Development used 8317, 8321-8324,
# 8329-8330, 8351, 8362, 8364 in databases and generated 8343-8399 for an offline check
# (burnt): a next round needs new development seeds (8900 onwards are unused). Round 13:
# 8901-8903 at 600 and 8951 at 6,000, fixed before development began and committed before
# any run; run once on the merged engine (5de7d2f) and burnt. Development used 8904-8912 and
# 8931-8933 in databases, generated 8913-8930 for an offline check, and 8952-8954 at 6,000
# (burnt); 8934-8950 and 8955-8999 are still unused. Round 14: 8941-8943 at 600 and 8961 at
# 6,000, fixed before development began and committed before any run; development on
# 8934-8940, 8944-8950 and 8955-8960; it used 8934-8936, 8944, 8955 and 8956 (burnt);
# 8937-8940, 8945-8950, 8957-8960 and 8962-8999 are still unused. Round 15: 8962-8964 at
# 600 and 8971 at 6,000, fixed before development began and committed before any run;
# development on 8937-8940, 8945-8950, 8957-8960, 8965-8970 and 8972-8999. Run once on the
# merged engine (79a90a0) and burnt. Development used 8937-8940, 8945, 8946, 8959, 8960
# (detected) and 8965-8967 (generated) (burnt); 8947-8950, 8957, 8958, 8968-8970 and
# 8972-8999 are still unused. Round 16: 8972-8974 at 600 and 8975 at 6,000, fixed before
# development began and committed before any run; development on 8947-8950, 8957, 8958,
# 8968-8970 and 8976 onwards. Run once on the merged engine (850c983) and burnt; development
# used 8947-8950, 8976 and 8980. Round 17: 8982-8984 at 600 and 8985 at 6,000, fixed before
# development began and committed before any run; development on 8957, 8958, 8968-8970,
# 8977-8979, 8981 and 8986 onwards. Run once on the merged engine (2471b0c) and burnt;
# development used 8977 and 8981. Round 18: 8986-8988 at 600 and 8989 at 6,000, fixed before
# development began and committed before any run; development on 8957, 8958, 8968-8970,
# 8978, 8979 and 8990 onwards.
EVALUATION_SEEDS_600 = [8986, 8987, 8988]
EVALUATION_SEED_6000 = 8989
TARGET_RECALL = 0.95
TARGET_FALSE_PER_1000 = 3.3


def run(cmd: list[str], env: dict[str, str]) -> tuple[str, float]:
    started = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    took = time.monotonic() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    rejected = [line for line in proc.stderr.splitlines() if line.startswith("rejected")]
    if rejected:
        print(f"    {len(rejected)} rejected rows, e.g. {rejected[0][:160]}")
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "", took


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def score(truth: dict, signals: list[dict]) -> dict:
    by_employee: dict[str, list[dict]] = collections.defaultdict(list)
    for s in signals:
        by_employee[str(s["employee_id"])].append(s)
    injected = {str(t["employee_id"]) for ts in truth["scenarios"].values() for t in ts}
    per_scenario = {}
    misses = []
    for scenario, items in sorted(truth["scenarios"].items()):
        traceable = [t for t in items if t["traceable"]]
        found = [t for t in traceable if str(t["employee_id"]) in by_employee]
        matched = [
            t
            for t in found
            if any(
                i["code"] == t["expected_indicator"]
                for s in by_employee[str(t["employee_id"])]
                for i in s["indicators"]
            )
        ]
        untraceable = [t for t in items if not t["traceable"]]
        per_scenario[scenario] = {
            "injected": len(traceable),
            "found": len(found),
            "recall": len(found) / len(traceable) if traceable else None,
            "with_expected_indicator": len(matched),
            "untraceable": len(untraceable),
            "untraceable_found": sum(
                1 for t in untraceable if str(t["employee_id"]) in by_employee
            ),
        }
        misses += [t for t in traceable if str(t["employee_id"]) not in by_employee]
    false = {e: s for e, s in by_employee.items() if e not in injected}
    indicator_counts = collections.Counter(
        i["code"]
        for ss in false.values()
        for i in {x["code"]: x for s in ss for x in s["indicators"]}.values()
    )
    return {
        "per_scenario": per_scenario,
        "false_employees": len(false),
        "false_per_1000": 1000 * len(false) / truth["employees"],
        "false_indicators": indicator_counts.most_common(),
        "misses": misses,
        "false_alerts": {
            e: [{"score": s["score"], "indicators": s["indicators"]} for s in ss]
            for e, ss in false.items()
        },
    }


def evaluate(seed: int, employees: int, workdir: Path, prefix: str, *, keep_db: bool) -> dict:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"{prefix}_{seed}"
    delivery = workdir / f"delivery_{seed}_{employees}"
    truth = generate(seed, employees, delivery)
    print(
        f"seed {seed}, {truth['employees']} employees, {truth['events']} log lines, regions {','.join(truth['regions'])}"
    )
    host = urlsplit(base)
    pg = [
        "-h",
        host.hostname or "127.0.0.1",
        "-p",
        str(host.port or 5432),
        "-U",
        host.username or "postgres",
    ]
    subprocess.run(["dropdb", *pg, "--if-exists", name], check=True)
    subprocess.run(["createdb", *pg, name], check=True)
    env = {**os.environ, "DATABASE_URL": database_url(base, name)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    start, end = PERIOD_START.isoformat(), PERIOD_END.isoformat()
    export = workdir / f"signals_{seed}_{employees}.jsonl"
    timings = {}
    for label, cmd in (
        ("migrate", [*manage, "migrate", "-v0"]),
        ("import_reference", [*manage, "import_reference", str(delivery)]),
        (
            "import_access_log",
            [*manage, "import_access_log", "--quiet-rejects", str(delivery / "events.csv")],
        ),
        ("detect", [*manage, "detect", "--start", start, "--end", end]),
        (
            "export_signals",
            [*manage, "export_signals", "--start", start, "--end", end, "--output", str(export)],
        ),
    ):
        last, timings[label] = run(cmd, env)
        print(f"  {label}: {timings[label]:.0f} s {last[:160]}")
    signals = [
        json.loads(line) for line in export.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    result = score(truth, signals)
    result.update(
        seed=seed,
        employees=truth["employees"],
        signals=len(signals),
        timings=timings,
        regions=truth["regions"],
    )
    (workdir / f"score_{seed}_{employees}.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    if not keep_db:
        subprocess.run(["dropdb", *pg, "--if-exists", name], check=True)
    return result


def report(result: dict) -> None:
    ok_recall = all(
        v["recall"] is None or v["recall"] >= TARGET_RECALL for v in result["per_scenario"].values()
    )
    ok_false = result["false_per_1000"] <= TARGET_FALSE_PER_1000
    print(
        f"\nseed {result['seed']} at {result['employees']} employees: {result['signals']} signals; "
        f"false alerts {result['false_employees']} = {result['false_per_1000']:.1f} per 1,000 per two weeks "
        f"({'meets' if ok_false else 'MISSES'} ≤ {TARGET_FALSE_PER_1000}); recall {'meets' if ok_recall else 'MISSES'} ≥ {TARGET_RECALL}"
    )
    print(
        f"  {'scenario':<18}{'recall':>8}{'found':>8}{'expected ind.':>15}{'untraceable found':>20}"
    )
    for scenario, v in result["per_scenario"].items():
        recall = "-" if v["recall"] is None else f"{v['recall']:.2f}"
        print(
            f"  {scenario:<18}{recall:>8}{v['found']:>5}/{v['injected']:<3}{v['with_expected_indicator']:>12}/{v['found']:<3}{v['untraceable_found']:>15}/{v['untraceable']}"
        )
    if result["false_indicators"]:
        print(
            "  indicators among false alerts: "
            + ", ".join(f"{c} {n}" for c, n in result["false_indicators"][:6])
        )
    for t in result["misses"]:
        print(f"  missed: {t['scenario']} {t['employee_id']} ({t['function']}; {t['variant']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=EVALUATION_SEEDS_600)
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--workdir", type=Path, default=Path("var/independent_delivery"))
    parser.add_argument("--db-prefix", default="vik_independent")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = [
        evaluate(seed, args.employees, args.workdir, args.db_prefix, keep_db=args.keep_db)
        for seed in args.seeds
    ]

    def badness(r: dict) -> tuple[float, float]:
        recalls = [v["recall"] for v in r["per_scenario"].values() if v["recall"] is not None]
        return (min(recalls, default=1.0), -r["false_per_1000"])

    for r in sorted(results, key=badness):  # the worst run first
        report(r)


if __name__ == "__main__":
    main()
