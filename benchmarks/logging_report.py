"""The annual logging report's rendering time, on the demo's generated publication data.

    .venv/bin/python benchmarks/logging_report.py                 # this year, both versions
    .venv/bin/python benchmarks/logging_report.py --year 2025 --runs 3

The benchmark database (``BENCH_DATABASE_URL``) is recreated and filled by ``seed_demo``
(every app's generated data: the organisation, the access log, published figures, signals);
then each version of the report — the public one and the privacy officer's detailed one —
is rendered ``--runs`` times in a process of its own, exactly as the Celery task does it
(``vik.transparency.report.render_report_in_steps``, the body of
``render_logging_report_job``): seconds per step (gathering figures, laying out pages,
writing the PDF), pages, and peak memory, with the load of the machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    fresh_database,
    load_average,
    run_measured,
    setup_django,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=datetime.date.today().year)  # noqa: DTZ011
    parser.add_argument("--runs", type=int, default=2, help="renderings per version (best of)")
    args = parser.parse_args()
    # The PDF's stylesheet is read from the app's static files: no collectstatic needed.
    os.environ.setdefault("VIK_PLAIN_STATIC", "true")
    setup_django()
    fresh_database()
    seeded = run_measured(
        "import io\nfrom django.core.management import call_command\n"
        "call_command('seed_demo', stdout=io.StringIO())"
    )
    print(f"seed_demo: {seeded.seconds:.0f} s ({load_average()})", flush=True)
    best: dict[str, float] = {}
    for detailed in (False, True):
        version = "detailed" if detailed else "public"
        for run in range(1, args.runs + 1):
            step = run_measured(
                "import time\nfrom vik.transparency.report import Report, render_report_in_steps\n"
                "_marks = []\n"
                "def _progress(percent, name):\n"
                "    _marks.append((name, time.perf_counter()))\n"
                "_t0 = time.perf_counter()\n"
                f"pdf, pages = render_report_in_steps(Report(year={args.year}, "
                f"detailed={detailed}), progress=_progress)\n"
                "_marks.append(('end', time.perf_counter()))\n"
                "print('STEPS', ', '.join(f'{a[0]} {b[1] - a[1]:.2f} s' for a, b in "
                "zip(_marks, _marks[1:])))\n"
                "print('PAGES', pages, 'BYTES', len(pdf))"
            )
            best[version] = min(best.get(version, step.seconds), step.seconds)
            print(
                f"{version} report {args.year}, run {run}: {step.seconds:.2f} s, peak "
                f"{step.peak_mib:.0f} MiB ({load_average()})\n  "
                + "\n  ".join(step.output.splitlines()),
                flush=True,
            )
    print("\nresults")
    for version, seconds in best.items():
        print(f"  {version} report {args.year}: {seconds:.2f} s (best of {args.runs})")
    print(f"  {load_average()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
