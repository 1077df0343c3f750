"""Where a night's detection spends its CPU: per function of the run, and its slowest SQL.

    .venv/bin/python benchmarks/nightly_profile.py --data DIR --start 2026-11-18 --trials 3

The fortnight is imported and detected once, the first night's file imported and the server
settled (as ``nightly_run.py`` does); that state is kept as a template database. Each trial
copies it and detects the night in a fresh process, timing the run's main functions in
CPU seconds of the process (``time.process_time``: what the load of a shared machine moves
least) and every query in wall seconds, and reads the PostgreSQL backend's CPU seconds.
Nothing is changed in the code measured: the functions are wrapped in the child process.

A function's figure includes the functions it calls (``roster_timelines`` is part of
``_unit_contexts``); the night's events are fetched inside ``assess_units_day``.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    BENCH_DATABASE_URL,
    CPU_END,
    CPU_START,
    copy_database,
    cpu_seconds,
    drop_database,
    fresh_database,
    generated_delivery,
    load_average,
    run_measured,
    setup_django,
)
from benchmarks.nightly_run import (
    add_delivery_arguments,
    describe,
    detect_step,
    import_step,
    settle,
    split_nights,
)

# (module, function) wrapped in the child; ``Assessor.run`` is a method, wrapped apart.
MEASURED = (
    ("runner", "plan_run"),
    ("runner", "_unit_contexts"),
    ("context", "roster_timelines"),
    ("context", "_roster_periods"),
    ("context", "_windows_timeline"),
    ("context", "_add_assignments"),
    ("context", "_surname_stats"),
    ("context", "routine_elsewhere"),
    ("context", "files_elsewhere_on"),
    ("runner", "assess_units_day"),
    ("assess", "fetch_event_groups"),
    ("assess", "subject_table"),
    ("assess", "bulk_insert"),
    ("runner", "bursts_and_peers_for_day"),
    ("runner", "_settle_unconcerned"),
    ("signals", "concerned_in_window"),
    ("runner", "raise_signals"),
    ("runner", "advance"),
    ("runner", "_finish"),
)

CHILD = """
import time as _t
from monitoring.detection import assess, context, runner, signals
_acc = {}
def _wrap(owner, name, label):
    original = getattr(owner, name)
    def timed(*args, **kwargs):
        cpu, wall = _t.process_time(), _t.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            entry = _acc.setdefault(label, [0.0, 0.0, 0])
            entry[0] += _t.process_time() - cpu
            entry[1] += _t.perf_counter() - wall
            entry[2] += 1
    setattr(owner, name, timed)
for _module, _name in MEASURED:
    _wrap({"assess": assess, "context": context, "runner": runner, "signals": signals}[_module],
          _name, _name)
_wrap(assess.Assessor, "run", "Assessor.run")
_queries = []
def _timed_query(execute, sql, params, many, context):
    started = _t.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _queries.append((_t.perf_counter() - started, " ".join(sql.split())[:110]))
from django.db import connection as _db
from django.core.management import call_command
with _db.execute_wrapper(_timed_query):
    call_command("detect", "--start", NIGHT, "--end", NIGHT)
for _label, (_cpu, _wall, _calls) in _acc.items():
    print("FUNCTION", _label, _cpu, _wall, _calls, sep="\\t")
print("QUERIES", len(_queries), sum(q[0] for q in _queries), sep="\\t")
for _seconds, _sql in sorted(_queries, reverse=True)[:12]:
    print("QUERY", _seconds, _sql, sep="\\t")
"""


@dataclass
class Trial:
    seconds: float
    process: float
    backend: float
    functions: dict[str, tuple[float, float, int]]
    queries: list[tuple[float, str]]
    sql: tuple[int, float]


def trial(template: str, night: datetime.date, database_url: str) -> Trial:
    """Detect the night on a fresh copy of the template; the child's figures."""
    name = urlparse(database_url).path.lstrip("/") + "_trial"
    url = copy_database(database_url.rsplit("/", 1)[0] + "/" + template, name)
    try:
        code = CHILD.replace("MEASURED", repr(MEASURED)).replace("NIGHT", repr(night.isoformat()))
        step = run_measured(CPU_START + code + CPU_END, url)
    finally:
        drop_database(url)
    functions: dict[str, tuple[float, float, int]] = {}
    queries: list[tuple[float, str]] = []
    total: tuple[int, float] = (0, 0.0)
    for line in step.output.splitlines():
        fields = line.split("\t")
        if fields[0] == "FUNCTION":
            functions[fields[1]] = (float(fields[2]), float(fields[3]), int(fields[4]))
        elif fields[0] == "QUERY":
            queries.append((float(fields[1]), fields[2]))
        elif fields[0] == "QUERIES":
            total = (int(fields[1]), float(fields[2]))
    process, backend = cpu_seconds(step)
    return Trial(step.seconds, process, backend, functions, queries, total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_delivery_arguments(parser)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the template of an earlier call (same data)"
    )
    args = parser.parse_args()
    setup_django()
    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    template = f"{name}_night"
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.data or Path(tmp) / "data"
        truth = generated_delivery(
            directory,
            seed=args.seed,
            employees=args.employees,
            days=args.days + 1,
            start=args.start or datetime.date.today() - datetime.timedelta(days=args.days + 1),  # noqa: DTZ011
        )
        first = datetime.date.fromisoformat(truth["config"]["start"])
        night = first + datetime.timedelta(days=args.days)
        if not args.reuse:
            fresh_database()
            work = Path(tmp)
            # Days after the night (a delivery generated for ``nightly_run.py --nights N``)
            # are left out.
            last = datetime.date.fromisoformat(truth["config"]["end"])
            later = [night + datetime.timedelta(days=n) for n in range((last - night).days + 1)]
            files = {day: work / f"{day.isoformat()}.csv" for day in later}
            split_nights(directory / "events.csv", later, work / "before.csv", files)
            run_measured(
                "from pathlib import Path\nfrom monitoring import services\n"
                f"services.import_reference_data(directory=Path({str(directory)!r}), "
                "acting_user=None)"
            )
            settle(BENCH_DATABASE_URL)
            describe("days before: import", import_step(work / "before.csv", BENCH_DATABASE_URL))
            before = night - datetime.timedelta(days=1)
            describe("days before: detect", detect_step(first, before, BENCH_DATABASE_URL))
            settle(BENCH_DATABASE_URL)
            describe(f"night {night}: import", import_step(files[night], BENCH_DATABASE_URL))
            settle(BENCH_DATABASE_URL)
            copy_database(BENCH_DATABASE_URL, template)
    results = []
    for number in range(args.trials):
        result = trial(template, night, BENCH_DATABASE_URL)
        results.append(result)
        print(
            f"trial {number + 1}: detect {result.seconds:.2f} s, CPU process "
            f"{result.process:.2f} s + backend {result.backend:.2f} s ({load_average()})",
            flush=True,
        )
    print(f"\nnight {night}, median of {len(results)} trials (CPU s of the process; wall s)")
    cpu: dict[str, list[float]] = defaultdict(list)
    wall: dict[str, list[float]] = defaultdict(list)
    calls: dict[str, int] = {}
    for result in results:
        for label, (seconds, elapsed, count) in result.functions.items():
            cpu[label].append(seconds)
            wall[label].append(elapsed)
            calls[label] = count
    for label in sorted(cpu, key=lambda k: -statistics.median(cpu[k])):
        print(
            f"  {label:28} cpu {statistics.median(cpu[label]):6.3f}  "
            f"wall {statistics.median(wall[label]):6.3f}  calls {calls[label]}"
        )
    print(f"  {'process':28} cpu {statistics.median(r.process for r in results):6.3f}")
    print(f"  {'backend':28} cpu {statistics.median(r.backend for r in results):6.3f}")
    last = results[-1]
    count, seconds = last.sql
    print(f"\nslowest queries of the last trial ({count} queries, {seconds:.2f} s wall together)")
    for elapsed, sql in last.queries:
        print(f"  {elapsed:6.3f}  {sql}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
