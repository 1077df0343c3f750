"""The nightly run against the fortnight: is one more day's import and detection incremental?

    .venv/bin/python benchmarks/nightly_run.py                   # 6,000 employees, 14 + 1 days
    .venv/bin/python benchmarks/nightly_run.py --verify          # and compare with a full rerun
    .venv/bin/python benchmarks/nightly_run.py --data DIR        # keep or reuse generated files
    .venv/bin/python benchmarks/nightly_run.py --adversarial --employees 650 --nights 3 --verify

Steps, each timed in its own process (``run_measured``), in the benchmark database
(``BENCH_DATABASE_URL``, recreated):

1. generate ``--days`` + ``--nights`` days (the fortnight and the nights after it) and split
   the access log by Amsterdam day into ``fortnight.csv`` and one file per night;
2. import the reference data (not timed);
3. **the fortnight**: ``import_access_log fortnight.csv`` and ``detect`` over its days —
   ``--fortnights N`` times (default 2), each on a fresh copy of the reference database, and
   each step's best counts: the yardstick at its best;
4. **each night**: ``import_access_log`` of its file and ``detect`` over that one day —
   planned as the nightly task plans it (``monitoring.tasks.detect_yesterday``: a run over
   one day);
5. with ``--verify``: a fresh copy of the reference database imports every file and detects
   all the days in one run; the exported signals (content, not ids) must be identical.

Between the steps the server is let finish what it does after a bulk load (``settle``:
``VACUUM (ANALYZE)``, a checkpoint, no autovacuum worker left on the database), untimed and
printed. Nights are a day apart: PostgreSQL's autovacuum and checkpointer have long dealt
with the fortnight's two million rows before the first night's run starts. Run back to
back, they worked through them *during* the first night (its analyse of every partition,
its flush of a gigabyte of WAL), and that night measured the server's housekeeping: the
same code measured 3.1 s one run and 4.1 s the next.

Target (issue 15): the worst night's import and detection together ≤ 1/7 of the fortnight's.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    BENCH_DATABASE_URL,
    CPU_END,
    CPU_START,
    Measured,
    copy_database,
    cpu_seconds,
    drop_database,
    fresh_database,
    generated_delivery,
    load_average,
    psql_args,
    run_measured,
    setup_django,
)

TARGET = 1 / 7


def split_by_day(events_csv: Path, last_day: datetime.date, before: Path, night: Path) -> int:
    """Write the rows of ``last_day`` (Amsterdam) to ``night`` and the others to ``before``."""
    return split_nights(events_csv, [last_day], before, {last_day: night})[last_day]


def split_nights(
    events_csv: Path,
    nights: list[datetime.date],
    before: Path,
    files: dict[datetime.date, Path],
) -> dict[datetime.date, int]:
    """Write the rows of each night (Amsterdam day) to its file, the others to ``before``."""
    from monitoring.periods import local_day

    counts = dict.fromkeys(nights, 0)
    with events_csv.open(encoding="utf-8") as source, before.open("w", encoding="utf-8") as early:
        streams = {night: files[night].open("w", encoding="utf-8") for night in nights}
        header = source.readline()
        for stream in (early, *streams.values()):
            stream.write(header)
        for line in source:
            day = local_day(datetime.datetime.fromisoformat(line.split(",", 2)[1]))
            if day in streams:
                streams[day].write(line)
                counts[day] += 1
            else:
                early.write(line)
        for stream in streams.values():
            stream.close()
    return counts


def import_step(path: Path, database_url: str) -> Measured:
    return run_measured(
        CPU_START + "import io\nfrom django.core.management import call_command\n"
        f"call_command('import_access_log', {str(path)!r}, quiet_rejects=True, "
        "stderr=io.StringIO())" + CPU_END,
        database_url,
    )


def detect_step(start: datetime.date, end: datetime.date, database_url: str) -> Measured:
    return run_measured(
        CPU_START + "from django.core.management import call_command\n"
        f"call_command('detect', '--start', {start.isoformat()!r}, '--end', {end.isoformat()!r})\n"
        "from monitoring.models import DetectionRun\n"
        "_run = DetectionRun.objects.latest('created_at')\n"
        "print('PHASES', {k: v for k, v in _run.stats.items() if k.endswith('_seconds')})\n"
        "print('INCREMENTAL', {k: _run.stats[k] for k in ('new_days', 'rejudged') "
        "if k in _run.stats})\n"
        "print('CHUNKS', dict(_run.chunks.values_list('phase').annotate("
        "n=__import__('django.db.models', fromlist=['Count']).Count('id'))))" + CPU_END,
        database_url,
    )


def exported_signals(database_url: str) -> list[dict[str, Any]]:
    """The signals of a database as ``export_signals`` writes them, without ids and times."""
    step = run_measured(
        "import datetime, json\nfrom monitoring.export import signal_record\n"
        "from monitoring.selectors import signals_for_export\n"
        "rows = []\n"
        "for s in signals_for_export(start=datetime.date.min, end=datetime.date.max):\n"
        "    r = signal_record(s); r.pop('signal_id'); rows.append(r)\n"
        "rows.sort(key=lambda r: (r['window_start'], r['employee_id']))\n"
        "print('JSON', json.dumps(rows, sort_keys=True, default=str))",
        database_url,
    )
    line = next(x for x in step.output.splitlines() if x.startswith("JSON "))
    return list(json.loads(line[5:]))


def report_differences(incremental: list[dict[str, Any]], full: list[dict[str, Any]]) -> None:
    """Which signals differ, and in which fields (the first few)."""

    def key(record: dict[str, Any]) -> tuple[str, str]:
        return str(record["window_start"]), str(record["employee_id"])

    ours, theirs = {key(r): r for r in incremental}, {key(r): r for r in full}
    print(f"  only night by night: {sorted(set(ours) - set(theirs))[:10]}")
    print(f"  only in the full rerun: {sorted(set(theirs) - set(ours))[:10]}")
    shown = 0
    for signal in sorted(set(ours) & set(theirs)):
        a, b = ours[signal], theirs[signal]
        if a == b or shown >= 5:
            continue
        shown += 1
        print(f"  {signal}:")
        for field in sorted(a):
            if a[field] != b.get(field):
                print(
                    f"    {field}:\n      night by night {a[field]}\n      full rerun     {b.get(field)}"
                )


def settle(database_url: str) -> None:
    """Let the server finish its housekeeping after a bulk load (see the module docstring)."""
    import subprocess
    import time

    name = urlparse(database_url).path.lstrip("/")
    started = time.perf_counter()
    for statement in ("VACUUM (ANALYZE)", "CHECKPOINT"):
        subprocess.run(
            ["psql", *psql_args(database_url), "-d", name, "-qXc", statement], check=True
        )
    waiting = (
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' "
        "AND datname = current_database()"
    )
    while True:
        busy = subprocess.run(
            ["psql", *psql_args(database_url), "-d", name, "-qXAtc", waiting],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if busy in ("", "0") or time.perf_counter() - started > 300:
            break
        time.sleep(1)
    print(f"  (server settled in {time.perf_counter() - started:.1f} s, untimed)", flush=True)


def describe(label: str, step: Measured) -> None:
    extra = "\n    ".join(x for x in step.output.splitlines() if x.strip())
    print(
        f"{label}: {step.seconds:.2f} s, peak {step.peak_mib:.0f} MiB ({load_average()})"
        + (f"\n    {extra}" if extra else ""),
        flush=True,
    )


def add_delivery_arguments(parser: argparse.ArgumentParser) -> None:
    """The generated delivery a night is measured on (shared with ``nightly_profile.py``)."""
    parser.add_argument("--employees", type=int, default=6000)
    parser.add_argument("--days", type=int, default=14, help="days before the night")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--start", type=datetime.date.fromisoformat)
    parser.add_argument("--data", type=Path, help="reuse (or keep) the generated data here")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_delivery_arguments(parser)
    parser.add_argument("--verify", action="store_true", help="compare with a full rerun")
    parser.add_argument(
        "--nights", type=int, default=1, help="detect the last N days night by night"
    )
    parser.add_argument(
        "--adversarial",
        action="store_true",
        help="the adversarial generator (random organisation, bursts over days, duplicates)",
    )
    parser.add_argument(
        "--fortnights",
        type=int,
        default=2,
        help="measure the fortnight this often (each on a fresh copy); its best counts",
    )
    args = parser.parse_args()
    setup_django()
    fresh_database()
    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.data or Path(tmp) / "data"
        events_csv = directory / "events.csv"
        # The fortnight, then the nights.
        truth = generated_delivery(
            directory,
            seed=args.seed,
            employees=args.employees,
            days=args.days + args.nights,
            start=args.start
            or datetime.date.today() - datetime.timedelta(days=args.days + args.nights),  # noqa: DTZ011
            adversarial=args.adversarial,
        )
        first = datetime.date.fromisoformat(truth["config"]["start"])
        last = datetime.date.fromisoformat(truth["config"]["end"])
        nights = [last - datetime.timedelta(days=n) for n in reversed(range(args.nights))]
        before = nights[0] - datetime.timedelta(days=1)
        work = Path(tmp)
        fortnight_csv = work / "fortnight.csv"
        night_files = {night: work / f"night-{night.isoformat()}.csv" for night in nights}
        night_rows = split_nights(events_csv, nights, fortnight_csv, night_files)
        print(
            f"data: {truth['employees']} employees, {truth['events']:,} events; "
            f"{first}–{before} then {len(nights)} night(s) "
            + ", ".join(f"{night} ({rows:,} events)" for night, rows in night_rows.items()),
            flush=True,
        )
        reference = run_measured(
            "from pathlib import Path\nfrom monitoring import services\n"
            f"r, _ = services.import_reference_data(directory=Path({str(directory)!r}), "
            "acting_user=None)\nprint(r.summary())"
        )
        print(f"reference import: {reference.seconds:.1f} s ({load_average()})", flush=True)
        verify_url = copy_database(BENCH_DATABASE_URL, f"{name}_full") if args.verify else ""
        # The yardstick at its best (best of several runs, as ``monitoring_scale.py``'s
        # COPY): measured once, a slow fortnight flattered the ratio (round 20: the same
        # file's import took 4.15 s in one run and 5.38 s in another, the same hour).
        # The nights go on from the last run's database; the others run on fresh copies.
        fortnights: list[tuple[Measured, Measured]] = []
        for attempt in range(args.fortnights):
            last_one = attempt == args.fortnights - 1
            url = (
                BENCH_DATABASE_URL
                if last_one
                else copy_database(BENCH_DATABASE_URL, f"{name}_again")
            )
            settle(url)
            fortnight_import = import_step(fortnight_csv, url)
            describe(f"fortnight {attempt + 1}: import", fortnight_import)
            fortnight_detect = detect_step(first, before, url)
            describe(f"fortnight {attempt + 1}: detect", fortnight_detect)
            fortnights.append((fortnight_import, fortnight_detect))
            if not last_one:
                drop_database(url)
        # Each step at its best.
        fortnight_import = min((i for i, _d in fortnights), key=lambda step: step.seconds)
        fortnight_detect = min((d for _i, d in fortnights), key=lambda step: step.seconds)
        measured: list[tuple[datetime.date, Measured, Measured]] = []
        for night in nights:
            settle(BENCH_DATABASE_URL)
            night_import = import_step(night_files[night], BENCH_DATABASE_URL)
            describe(f"night {night}: import", night_import)
            night_detect = detect_step(night, night, BENCH_DATABASE_URL)
            describe(f"night {night}: detect", night_detect)
            measured.append((night, night_import, night_detect))

        identical = None
        if args.verify:
            describe("full rerun: import", import_step(fortnight_csv, verify_url))
            for night in nights:
                describe("full rerun: import", import_step(night_files[night], verify_url))
            describe("full rerun: detect", detect_step(first, last, verify_url))
            incremental, full = exported_signals(BENCH_DATABASE_URL), exported_signals(verify_url)
            identical = incremental == full
            print(
                f"signals: incremental {len(incremental)}, full rerun {len(full)}, "
                f"{'identical' if identical else 'DIFFERENT'}",
                flush=True,
            )
            if not identical:
                report_differences(incremental, full)
            drop_database(verify_url)

    fortnight = fortnight_import.seconds + fortnight_detect.seconds
    print("\nresults")
    print(
        f"  fortnight ({(before - first).days + 1} days, best of {len(fortnights)}): import "
        f"{fortnight_import.seconds:.2f} s + detect {fortnight_detect.seconds:.2f} s = "
        f"{fortnight:.2f} s; all runs: "
        + ", ".join(f"{i.seconds:.2f} + {d.seconds:.2f} s" for i, d in fortnights)
    )
    for night, night_import, night_detect in measured:
        print(
            f"  night {night}: import {night_import.seconds:.2f} s + detect "
            f"{night_detect.seconds:.2f} s = {night_import.seconds + night_detect.seconds:.2f} s"
        )
    # The worst night counts.
    nightly = max(i.seconds + d.seconds for _n, i, d in measured)
    ratio = nightly / fortnight
    print(
        f"  ratio worst night / fortnight: {ratio:.3f} = 1/{1 / ratio:.1f} "
        f"(target ≤ 1/7 = {TARGET:.3f})"
    )
    # The same in CPU seconds (process and backend of each step): less moved by the load.
    fortnight_cpu = sum(sum(cpu_seconds(step)) for step in (fortnight_import, fortnight_detect))
    night_cpu = max(sum(sum(cpu_seconds(step)) for step in (i, d)) for _n, i, d in measured)
    if fortnight_cpu and night_cpu:
        print(
            f"  in CPU seconds (process + backend): fortnight {fortnight_cpu:.2f} s, worst night "
            f"{night_cpu:.2f} s, ratio {night_cpu / fortnight_cpu:.3f} = "
            f"1/{fortnight_cpu / night_cpu:.1f}"
        )
    print(f"  {load_average()} at the end")
    met = ratio <= TARGET and identical is not False
    print(f"  {'target met' if met else 'TARGET MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
