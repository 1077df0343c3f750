"""Import and detection at scale, against ``psql \\copy`` of the same file, in one run.

    .venv/bin/python benchmarks/monitoring_scale.py                      # 6,000 × 14 days
    .venv/bin/python benchmarks/monitoring_scale.py --employees 3000     # a second point

Steps, each in its own process so its peak memory is its own:

1. generate 6,000 employees × 14 days (≈ 2 million events) with the synthetic generator;
2. import the reference data (not timed against COPY: a different kind of work);
3. ``psql \\copy`` of ``events.csv`` into a plain table without indexes — the yardstick;
4. ``import_access_log events.csv`` — validation, de-duplication, flags, day partitions;
5. ``detect`` over the fortnight: in one process, and in as many processes as there are cores
   (as Celery workers would share the chunks);
6. ``psql \\copy`` once more, so a busy moment on the machine cannot favour one side.

Targets (issue 3): import ≤ 3 × COPY; detection ≤ 10 × COPY with peak memory ≤ 1 GiB.
The yardstick is the faster of the two COPY runs. Per-chunk timings of the detection run
are printed as well: they are the evidence for the projection to the national force.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    BENCH_DATABASE_URL,
    fresh_database,
    psql_args,
    run_measured,
    setup_django,
    timed_psql_copy,
)

IMPORT_TARGET = 3.0
DETECT_TARGET = 10.0
MEMORY_TARGET_MIB = 1024.0
NATIONAL = 65_000


def checkpoint() -> None:
    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    subprocess.run(["psql", *psql_args(), "-q", name, "-c", "CHECKPOINT"], check=True)


def chunk_figures() -> dict[str, object]:
    """Per-chunk seconds and events of the last single-process run, for the projection."""
    from monitoring.models import DetectionChunk, DetectionRun

    run = DetectionRun.objects.order_by("created_at").first()
    rows = list(
        DetectionChunk.objects.filter(run=run, phase="assess").values_list("stats", flat=True)
    )
    per_event = [r["seconds"] / r["events"] for r in rows if r.get("events")]
    biggest = max(rows, key=lambda r: r.get("events", 0))
    phases = {
        phase: round(
            sum(
                r["seconds"]
                for r in DetectionChunk.objects.filter(run=run, phase=phase).values_list(
                    "stats", flat=True
                )
            ),
            1,
        )
        for phase in ("assess", "bursts", "signals")
    }
    return {
        "assess_chunks": len(rows),
        "median_us_per_event": round(1e6 * statistics.median(per_event), 2),
        "biggest_chunk_events": biggest.get("events", 0),
        "biggest_chunk_seconds": biggest.get("seconds", 0),
        "phase_seconds": phases,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=6000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--data", type=Path, help="reuse (or keep) the generated data here")
    parser.add_argument(
        "--adversarial",
        action="store_true",
        help="generate with the adversarial generator (as detection quality is measured)",
    )
    args = parser.parse_args()
    setup_django()
    fresh_database()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.data or Path(tmp) / "data"
        events_csv = directory / "events.csv"
        if not events_csv.exists():
            from monitoring.generator import GeneratorConfig, generate

            started = time.perf_counter()
            truth = generate(
                GeneratorConfig(
                    seed=args.seed,
                    employees=args.employees,
                    days=args.days,
                    adversarial=args.adversarial,
                ),
                directory,
            )
            print(
                f"generated: {truth.employees} employees, {truth.events:,} events, "
                f"{events_csv.stat().st_size / 2**20:.0f} MiB CSV ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
        truth = json.loads((directory / "ground_truth.json").read_text(encoding="utf-8"))
        start, end = truth["config"]["start"], truth["config"]["end"]

        reference = run_measured(
            "from pathlib import Path\nfrom monitoring import services\n"
            f"r, _ = services.import_reference_data(directory=Path({str(directory)!r}), acting_user=None)\n"
            "print(r.summary())"
        )
        print(f"reference import: {reference.output} in {reference.seconds:.1f} s", flush=True)

        copy_before = timed_psql_copy(events_csv)
        print(f"psql \\copy (plain table, no index): {copy_before:.2f} s", flush=True)
        checkpoint()
        imported = run_measured(
            "import io\nfrom django.core.management import call_command\n"
            f"call_command('import_access_log', {str(events_csv)!r}, quiet_rejects=True, "
            "stderr=io.StringIO())"
        )
        print(
            f"import_access_log: {imported.output.strip()} in {imported.seconds:.2f} s, "
            f"peak {imported.peak_mib:.0f} MiB",
            flush=True,
        )
        checkpoint()
        single = run_measured(
            "from django.core.management import call_command\n"
            f"call_command('detect', '--start', {start!r}, '--end', {end!r})"
        )
        print(
            f"detect, 1 process: {single.seconds:.2f} s, peak {single.peak_mib:.0f} MiB\n  {single.output.strip()}",
            flush=True,
        )
        figures = chunk_figures()
        parallel = run_measured(
            "from django.core.management import call_command\n"
            f"call_command('detect', '--start', {start!r}, '--end', {end!r}, "
            f"'--processes', '{args.processes}')"
        )
        print(
            f"detect, {args.processes} processes: {parallel.seconds:.2f} s",
            flush=True,
        )
        copy_after = timed_psql_copy(events_csv)
        print(f"psql \\copy again: {copy_after:.2f} s", flush=True)

    copy = min(copy_before, copy_after)
    events = truth["events"]
    import_ratio = imported.seconds / copy
    single_ratio = single.seconds / copy
    parallel_ratio = parallel.seconds / copy
    peak = max(single.peak_mib, imported.peak_mib)
    print("\nresults")
    print(f"  events: {events:,} ({truth['employees']} employees × {truth['config']['days']} days)")
    print(f"  yardstick (fastest psql \\copy): {copy:.2f} s")
    print(
        f"  import: {imported.seconds:.2f} s = {import_ratio:.2f} × COPY (target ≤ {IMPORT_TARGET})"
    )
    print(f"  detection, 1 process: {single.seconds:.2f} s = {single_ratio:.2f} × COPY")
    print(
        f"  detection, {args.processes} processes: {parallel.seconds:.2f} s = {parallel_ratio:.2f} × COPY "
        f"(target ≤ {DETECT_TARGET})"
    )
    print(
        f"  peak memory: import {imported.peak_mib:.0f} MiB, detection {single.peak_mib:.0f} MiB per process (target ≤ {MEMORY_TARGET_MIB:.0f})"
    )
    print(f"  detection chunks: {json.dumps(figures)}")
    factor = NATIONAL / truth["employees"]
    print(
        f"  projection to {NATIONAL:,} employees (× {factor:.1f}, linear per event): "
        f"≈ {events * factor / 1e6:.0f} M events per fortnight; import ≈ {imported.seconds * factor / 60:.1f} min; "
        f"detection ≈ {single.seconds * factor / 60:.1f} min in one process, "
        f"≈ {parallel.seconds * factor / 60:.1f} min on {args.processes} cores"
    )
    met = (
        import_ratio <= IMPORT_TARGET
        and min(single_ratio, parallel_ratio) <= DETECT_TARGET
        and peak <= MEMORY_TARGET_MIB
    )
    print(f"  {'all targets met' if met else 'TARGETS MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
