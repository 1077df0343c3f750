"""Load test: analysts, team chiefs and investigators at once, against gunicorn (Locust).

    .venv/bin/python -m benchmarks.load_test                      # 50 people, 5 minutes
    .venv/bin/python -m benchmarks.load_test --users 10 --duration 30s

Starts VIK as production runs it — the production-mode stack of ``tests/production/stack.py``:
its own PostgreSQL cluster and Redis, DEBUG off, the static manifest, the runtime database
role, gunicorn and a Celery worker — seeds the demo data, and runs the users of
``benchmarks/locustfile.py`` headless. Prints, per page kind, the requests, the error rate,
the median and the 95th percentile; the target (docs/performance.md) is no errors and a p95
under 1 s for pages (PDFs excluded). The exit status is 1 when any request failed.

``--host URL`` runs against a server that is already up instead (then ``--accounts FILE``
gives the passwords and backup codes, see the locustfile).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "benchmarks" / "locustfile.py"
PEOPLE = ("analist", "teamchef", "onderzoeker")
PAGE_TARGET_MS = 1000


def run_locust(
    *,
    host: str,
    accounts: Path,
    users: int,
    spawn_rate: float,
    duration: str,
    csv_prefix: Path,
) -> list[dict[str, Any]]:
    """Run Locust headless in its own process (gevent patches the process it runs in)."""
    locust = Path(sys.executable).parent / "locust"
    subprocess.run(
        [
            str(locust),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            host,
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            duration,
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--exit-code-on-error",
            "0",
            "--stop-timeout",
            "30",
        ],
        cwd=ROOT,
        env={**os.environ, "VIK_LOAD_ACCOUNTS": str(accounts)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return read_stats(Path(f"{csv_prefix}_stats.csv"))


def read_stats(path: Path) -> list[dict[str, Any]]:
    """Locust's summary per request name: count, failures, median and 95th percentile."""
    rows = []
    with path.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            count = int(row["Request Count"])
            failures = int(row["Failure Count"])
            rows.append(
                {
                    "kind": row["Name"],
                    "requests": count,
                    "failures": failures,
                    "error_rate": failures / count if count else 0.0,
                    "median_ms": float(row["Median Response Time"] or 0),
                    "p95_ms": float(row["95%"] or 0) if row["95%"] != "N/A" else 0.0,
                }
            )
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'page kind':<16}{'requests':>9}{'errors':>8}{'median ms':>11}{'p95 ms':>9}  target"]
    for row in rows:
        kind = row["kind"]
        if kind == "Aggregated":
            verdict = ""
        elif kind in ("pdf", "sign in"):
            verdict = "(not timed)"
        else:
            verdict = "ok" if row["p95_ms"] < PAGE_TARGET_MS and not row["failures"] else "MISSED"
        lines.append(
            f"{kind:<16}{row['requests']:>9}{row['error_rate']:>8.1%}{row['median_ms']:>11.0f}"
            f"{row['p95_ms']:>9.0f}  {verdict}"
        )
    return "\n".join(lines)


def write_accounts(path: Path, password: str, codes: dict[str, list[str]]) -> Path:
    path.write_text(json.dumps({"password": password, "codes": codes}), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent people (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="people started per second")
    parser.add_argument("--duration", default="5m", help="e.g. 30s, 5m (default 5m)")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--host", help="an already running VIK instead of a fresh stack")
    parser.add_argument("--accounts", type=Path, help="with --host: the accounts JSON")
    parser.add_argument("--csv", type=Path, help="keep Locust's CSV files with this prefix")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vik-load-") as tmp:
        workdir = Path(tmp)
        prefix = options.csv or workdir / "locust"
        if options.host:
            if options.accounts is None:
                parser.error("--host needs --accounts")
            rows = run_locust(
                host=options.host,
                accounts=options.accounts,
                users=options.users,
                spawn_rate=options.spawn_rate,
                duration=options.duration,
                csv_prefix=prefix,
            )
        else:
            from tests.production.conftest import prepare_accounts
            from tests.production.stack import running_stack

            with running_stack(workdir) as stack:
                print("seeding the demo data…", flush=True)
                stack.manage("seed_demo", as_owner=True, timeout=1800)
                accounts = prepare_accounts(stack, PEOPLE, options.users + 10)
                stack.start_web(workers=options.web_workers)
                stack.start_worker(concurrency=1)
                print(
                    f"{options.users} people for {options.duration} against {stack.base_url}",
                    flush=True,
                )
                rows = run_locust(
                    host=stack.base_url,
                    accounts=write_accounts(
                        workdir / "accounts.json", accounts.password, accounts.codes
                    ),
                    users=options.users,
                    spawn_rate=options.spawn_rate,
                    duration=options.duration,
                    csv_prefix=prefix,
                )
    print(report(rows))
    sys.exit(1 if any(row["failures"] for row in rows) else 0)


if __name__ == "__main__":
    main()
