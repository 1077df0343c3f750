"""Shared pieces of the monitoring benchmarks: their own database, the pipeline, the scoring.

Benchmarks never touch the development or test databases: they use ``BENCH_DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/vik_bench``), drop and recreate it, and
migrate it from scratch.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vik_bench"
)


def setup_django(database_url: str = BENCH_DATABASE_URL) -> None:
    """Configure Django for the benchmark database (call before importing any model)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ["REDIS_URL"] = ""  # Celery eager, no cache server: nothing shared with others
    os.environ["DJANGO_SETTINGS_MODULE"] = "vik.settings"
    import django

    django.setup()


def psql_args(database_url: str = BENCH_DATABASE_URL) -> list[str]:
    url = urlparse(database_url)
    return [
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]


def fresh_database(database_url: str = BENCH_DATABASE_URL) -> None:
    """Drop and recreate the benchmark database, then migrate it."""
    name = urlparse(database_url).path.lstrip("/")
    if not re.match(r"vik_(\w+_)?bench", name):
        raise SystemExit(
            f"refusing to recreate {name!r}: benchmark databases are named vik_bench… "
            "or vik_<worktree>_bench…"
        )
    from django.db import connections

    connections.close_all()
    subprocess.run(["dropdb", *psql_args(database_url), "--if-exists", name], check=True)
    subprocess.run(["createdb", *psql_args(database_url), name], check=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass
class Quality:
    """Detection quality against ground truth."""

    employees: int
    days: int
    signals: int
    recall: dict[str, tuple[int, int]] = field(default_factory=dict)  # detected, injected
    true_signals: int = 0
    false_alert_employees: int = 0
    false_alerts_grey: int = 0
    false_alert_indicators: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.true_signals / self.signals if self.signals else 1.0

    @property
    def overall_recall(self) -> float:
        detected = sum(d for d, _n in self.recall.values())
        injected = sum(n for _d, n in self.recall.values())
        return detected / injected if injected else 1.0

    @property
    def false_alerts_per_1000_per_two_weeks(self) -> float:
        return 1000 * self.false_alert_employees / self.employees * 14 / self.days

    def lines(self) -> list[str]:
        rows = [f"  {'scenario':<24} recall   (detected/injected)"]
        for scenario, (detected, injected) in sorted(self.recall.items()):
            rows.append(f"  {scenario:<24} {detected / injected:6.3f}   ({detected}/{injected})")
        rows.append(f"  {'all scenarios':<24} {self.overall_recall:6.3f}")
        rows.append(f"  signals {self.signals}, precision {self.precision:.3f}")
        rows.append(
            f"  false-alert employees {self.false_alert_employees} "
            f"({self.false_alerts_grey} from unlabelled grey behaviour) = "
            f"{self.false_alerts_per_1000_per_two_weeks:.2f} per 1,000 per two weeks"
        )
        if self.false_alert_indicators:
            rows.append(f"  false alerts by indicator: {dict(self.false_alert_indicators)}")
        return rows


def evaluate(truth: dict[str, Any]) -> Quality:
    """Compare the signals in the database with the generator's ground truth."""
    import datetime

    from monitoring.models import Signal

    config = truth["config"]
    start = datetime.date.fromisoformat(config["start"])
    end = datetime.date.fromisoformat(config["end"])
    signals = (
        Signal.objects.filter(window_start__lte=end, window_end__gte=start)
        .exclude(status=Signal.Status.WITHDRAWN)
        .select_related("employee")
        .prefetch_related("indicators")
    )
    codes: dict[str, set[str]] = defaultdict(set)
    for signal in signals:
        codes[signal.employee.personnel_number].update(i.code for i in signal.indicators.all())
    quality = Quality(employees=truth["employees"], days=config["days"], signals=len(signals))
    misusers = {item["employee_id"] for item in truth["misuse"]}
    grey = {item["employee_id"] for item in truth["grey"]}
    per: dict[str, list[bool]] = defaultdict(list)
    for item in truth["misuse"]:
        per[item["scenario"]].append(item["indicator"] in codes.get(item["employee_id"], set()))
    quality.recall = {s: (sum(hits), len(hits)) for s, hits in per.items()}
    for number, found in codes.items():
        if number in misusers:
            quality.true_signals += 1
        else:
            quality.false_alert_employees += 1
            quality.false_alerts_grey += number in grey
            quality.false_alert_indicators.update(found)
    return quality


@dataclass
class Measured:
    """A step run in its own process: its time, peak memory (MiB) and output.

    ``seconds`` is the step itself; ``process_seconds`` includes starting Python and
    Django, a fixed cost that has nothing to do with the data.
    """

    seconds: float
    process_seconds: float
    peak_mib: float
    output: str
    child_peak_mib: float = 0.0  # the largest forked helper process, if any


def run_measured(code: str, database_url: str = BENCH_DATABASE_URL) -> Measured:
    """Run Python ``code`` (Django set up) in a child process; time it and take its peak RSS.

    The peak is the child's own high-water mark (with ``--processes`` the coordinating
    process; its forked workers hold one batch of a day each, like a single process).
    """
    import time

    prelude = (
        "import sys, resource, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from benchmarks.monitoring_common import setup_django\n"
        f"setup_django({database_url!r})\n"
        "_started = time.perf_counter()\n"
    )
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a child would report
    # the peak of the benchmark process it was forked from.
    epilogue = (
        "\nprint('TIME', time.perf_counter() - _started)\n"
        "_hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
        "print('PEAK', int(_hwm[0].split()[1]) if _hwm else "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        # Forked helpers (``--processes``) are waited for by now: the largest of them.
        "print('CHILDPEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", prelude + code + epilogue],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"step failed ({process.returncode}):\n{output}")
    peak = inner = child_peak = 0.0
    lines = []
    for line in output.splitlines():
        if line.startswith("PEAK "):
            peak = int(line.split()[1]) / 1024
        elif line.startswith("CHILDPEAK "):
            child_peak = int(line.split()[1]) / 1024
        elif line.startswith("TIME "):
            inner = float(line.split()[1])
        else:
            lines.append(line)
    return Measured(
        seconds=inner,
        process_seconds=seconds,
        peak_mib=peak,
        output="\n".join(lines),
        child_peak_mib=child_peak,
    )


# CPU seconds of a step: its process and its PostgreSQL backend (the server runs on this
# machine). Wall time on a shared two-core machine moves by a third with what else runs;
# CPU seconds move far less, so the ratio is printed in both. The backend is read from
# /proc: where it cannot be (another machine, no permission), only the process counts.
CPU_START = (
    "import os as _os, time as _time\nfrom django.db import connection as _connection\n"
    "def _backend_cpu(pid):\n"
    "    try:\n"
    "        fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()\n"
    "    except OSError:\n"
    "        return 0.0\n"
    "    return (int(fields[11]) + int(fields[12])) / _os.sysconf('SC_CLK_TCK')\n"
    "with _connection.cursor() as _cursor:\n"
    "    _cursor.execute('SELECT pg_backend_pid()')\n"
    "    _backend = _cursor.fetchone()[0]\n"
    "_cpu0, _backend0 = _time.process_time(), _backend_cpu(_backend)\n"
)
CPU_END = "\nprint('CPU', _time.process_time() - _cpu0, _backend_cpu(_backend) - _backend0)\n"


def cpu_seconds(step: Measured) -> tuple[float, float]:
    """(process, backend) CPU seconds of a step, from its ``CPU`` line."""
    for line in step.output.splitlines():
        if line.startswith("CPU "):
            _label, process, backend = line.split()
            return float(process), float(backend)
    return 0.0, 0.0


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes), printed next to every figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def database_url_named(name: str, database_url: str = BENCH_DATABASE_URL) -> str:
    """The URL of another database on the same server."""
    return urlparse(database_url)._replace(path=f"/{name}").geturl()


def _close_django_connections() -> None:
    """Close this process's Django connections, if Django is set up here."""
    if "django" in sys.modules:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()


def copy_database(template_url: str, name: str) -> str:
    """A fresh copy of ``template_url``'s database (CREATE DATABASE ... TEMPLATE); its URL."""
    _close_django_connections()  # a template must have no other sessions
    template = urlparse(template_url).path.lstrip("/")
    subprocess.run(["dropdb", *psql_args(template_url), "--if-exists", name], check=True)
    subprocess.run(["createdb", *psql_args(template_url), "-T", template, name], check=True)
    return database_url_named(name, template_url)


def drop_database(database_url: str) -> None:
    _close_django_connections()  # a database in use cannot be dropped
    name = urlparse(database_url).path.lstrip("/")
    subprocess.run(["dropdb", *psql_args(database_url), "--if-exists", name], check=True)


def warm_page_cache(path: Path) -> None:
    """Read a file once so that it is in the page cache for whoever reads it next."""
    with path.open("rb") as stream:
        while stream.read(1 << 24):
            pass


def timed_psql_copy(csv_path: Path, database_url: str = BENCH_DATABASE_URL) -> float:
    """``psql \\copy`` of the access-log CSV into a plain, logged, unindexed table: the yardstick.

    The table is logged (the events are audit data: an unlogged table would be no fair
    yardstick), created and checkpointed before the clock starts; the file is read once
    first, so that it comes from the page cache.
    """
    import time

    warm_page_cache(csv_path)

    name = urlparse(database_url).path.lstrip("/")
    base = ["psql", *psql_args(database_url), "-q", "-v", "ON_ERROR_STOP=1", name]
    subprocess.run(
        [
            *base,
            "-c",
            "DROP TABLE IF EXISTS bench_raw_copy; CREATE TABLE bench_raw_copy (event_id text, "
            "occurred_at timestamptz, employee_id text, system text, action text, "
            "subject_ref text, incident_ref text, workstation text); CHECKPOINT",
        ],
        check=True,
    )
    started = time.perf_counter()
    subprocess.run(
        [*base, "-c", f"\\copy bench_raw_copy FROM '{csv_path}' WITH (FORMAT csv, HEADER true)"],
        check=True,
    )
    seconds = time.perf_counter() - started
    subprocess.run([*base, "-c", "DROP TABLE bench_raw_copy; CHECKPOINT"], check=True)
    return seconds


def generated_delivery(
    directory: Path,
    *,
    seed: int,
    employees: int,
    days: int,
    start: datetime.date | None = None,
    adversarial: bool = False,
) -> dict[str, Any]:
    """The delivery in ``directory``, generated first if it is not there; its ground truth.

    Without ``start`` the data begins ``days + 1`` days ago, so that it lies inside the
    import's plausibility window (docs/monitoring.md). A directory that already holds ``events.csv``
    is reused as it is (``--data``), whatever the other arguments say.
    """
    events_csv = directory / "events.csv"
    if not events_csv.exists():
        from monitoring.generator import GeneratorConfig, generate

        first_day = start or (
            datetime.date.today() - datetime.timedelta(days=days + 1)  # noqa: DTZ011
        )
        started = time.perf_counter()
        truth = generate(
            GeneratorConfig(
                seed=seed, employees=employees, days=days, start=first_day, adversarial=adversarial
            ),
            directory,
        )
        print(
            f"generated: {truth.employees} employees, {truth.events:,} events, "
            f"{events_csv.stat().st_size / 2**20:.0f} MiB CSV "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    return json.loads((directory / "ground_truth.json").read_text(encoding="utf-8"))
