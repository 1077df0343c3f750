"""Detection on Celery workers started as separate processes, as on separate machines.

    .venv/bin/python benchmarks/detection_workers.py                  # 6,000 × 14 days
    .venv/bin/python benchmarks/detection_workers.py --data DIR       # reuse generated data
    .venv/bin/python benchmarks/detection_workers.py --workers 1 2 3

The workers share nothing but PostgreSQL and Redis, as two machines would: each is its own
``celery -A vik worker`` process with its own node name (``-n w1@%h``, ``-n w2@%h``),
concurrency 1, listening only on a dedicated queue (``-Q``) that ``CELERY_QUEUE_DETECTION``
routes the detection tasks to. Redis is ``BENCH_REDIS_URL`` (default database 8, so that
nothing of a developer's queue is touched; the queue name is unique per run).

Steps: the data are generated (or reused) and imported once into the benchmark database;
for each number of workers a fresh copy of that database (``CREATE DATABASE … TEMPLATE``)
is detected over the whole period: the workers are started and answer a ping first, then
the run is planned and its chunks queued (``manage.py detect --workers`` does the same),
and the clock stops when the run is done. Printed: seconds, the speed-up against one worker,
and the peak memory (VmHWM) of every worker process, with the load of the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    BENCH_DATABASE_URL,
    ROOT,
    copy_database,
    drop_database,
    fresh_database,
    generated_delivery,
    load_average,
    run_measured,
    setup_django,
)

BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


def worker_environment(database_url: str, queue: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": BENCH_REDIS_URL,
        "CELERY_QUEUE_DETECTION": queue,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-not-a-secret"),
        "DJANGO_SETTINGS_MODULE": "vik.settings",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def peak_mib(pid: int) -> float:
    """VmHWM of a live process (its peak resident memory), in MiB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def detect_on_workers(
    count: int, database_url: str, start: str, end: str, log: Path
) -> tuple[float, list[float]]:
    """Start ``count`` workers, run detection through them; seconds and each worker's peak."""
    import psutil

    queue = f"bench-detection-{os.getpid()}-{count}"
    environment = worker_environment(database_url, queue)
    names = [f"w{i}@bench-{os.getpid()}" for i in range(1, count + 1)]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vik",
                "worker",
                "-n",
                name,
                "-Q",
                queue,
                "-c",
                "1",
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
        )
        for name in names
    ]
    try:
        code = f"""
import time, django
django.setup()
from vik.celery import app
deadline = time.time() + 300
while time.time() < deadline:
    if len(app.control.ping(destination={names!r}, timeout=1.0)) == {count}:
        break
else:
    raise SystemExit("workers did not answer")
import datetime
from monitoring import services
from monitoring.models import DetectionRun
started = time.perf_counter()
run = services.start_detection(start=datetime.date.fromisoformat({start!r}),
    end=datetime.date.fromisoformat({end!r}), acting_user=None, inline=False)
while DetectionRun.objects.filter(pk=run.pk, finished_at__isnull=True).exists():
    time.sleep(0.2)
print("TIME", time.perf_counter() - started)
"""
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(result.stdout + result.stderr)
        seconds = float(result.stdout.split("TIME")[-1])
        peaks = []
        for worker in workers:
            processes = [
                psutil.Process(worker.pid),
                *psutil.Process(worker.pid).children(recursive=True),
            ]
            peaks.append(max(peak_mib(p.pid) for p in processes))
        return seconds, peaks
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=6000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--data", type=Path, help="reuse (or keep) the generated data here")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    setup_django()
    fresh_database()
    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.data or Path(tmp) / "data"
        truth = generated_delivery(
            directory, seed=args.seed, employees=args.employees, days=args.days
        )
        start, end = truth["config"]["start"], truth["config"]["end"]
        loaded = run_measured(
            "import io\nfrom pathlib import Path\nfrom monitoring import services\n"
            "from django.core.management import call_command\n"
            f"services.import_reference_data(directory=Path({str(directory)!r}), acting_user=None)\n"
            f"call_command('import_access_log', {str(directory / 'events.csv')!r}, "
            "quiet_rejects=True, stderr=io.StringIO())"
        )
        print(
            f"data: {truth['employees']} employees, {truth['events']:,} events, {start}–{end}; "
            f"imported in {loaded.seconds:.0f} s ({load_average()})",
            flush=True,
        )
        results: dict[int, tuple[float, list[float]]] = {}
        for count in args.workers:
            database = copy_database(BENCH_DATABASE_URL, f"{name}_workers")
            log = Path(tmp) / f"workers-{count}.log"
            results[count] = detect_on_workers(count, database, start, end, log)
            seconds, peaks = results[count]
            print(
                f"detect on {count} worker process(es), queue of their own: {seconds:.2f} s; "
                f"peak per worker {', '.join(f'{p:.0f}' for p in peaks)} MiB ({load_average()})",
                flush=True,
            )
            drop_database(database)
    print("\nresults")
    one = results.get(1, (0.0, []))[0]
    for count, (seconds, _peaks) in results.items():
        speed_up = f" = {one / seconds:.2f} × one worker" if one and count != 1 else ""
        print(f"  {count} worker(s): {seconds:.2f} s{speed_up}")
    print(f"  {load_average()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
