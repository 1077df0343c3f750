"""An import killed with SIGKILL and started again: exact counts, nothing twice, no stale batch.

A real ``manage.py import_access_log`` runs in a subprocess against the test database. The
test holds the import lock while the process starts (so its batch exists, "running"), then
holds the batch row while letting it go: the process loads every row — partitions created,
COPY done, rejections written — and stops at its last write, uncommitted. There it is
killed with SIGKILL. The second run must close the first batch as interrupted, import every
row exactly once and leave no lock behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from monitoring.imports.access_log import IMPORT_LOCK
from monitoring.imports.batches import BATCH_LOCK, INTERRUPTED
from monitoring.models import AccessEvent, ImportBatch, ImportRejection
from tests.conftest import World

pytestmark = [pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
HEADER = "event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation\n"
ROWS = 3000


def _dsn() -> str:
    db = settings.DATABASES["default"]
    return (
        f"dbname={db['NAME']} host={db.get('HOST') or '127.0.0.1'} port={db.get('PORT') or 5432} "
        f"user={db.get('USER') or 'postgres'}"
        + (f" password={db['PASSWORD']}" if db.get("PASSWORD") else "")
    )


def _command(path: Path) -> subprocess.Popen[str]:
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_access_log", "--quiet-rejects", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(condition: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_import_killed_and_started_again(world: World, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the locks and the COPY are PostgreSQL's")
    number = world.subject.personnel_number
    rows = [
        f"e{i:05},2026-10-{19 + i % 3}T{8 + i % 9:02}:{i % 60:02}:00+02:00,{number},BVH,view,S{i},,WS"
        for i in range(ROWS)
    ]
    rows[100] = "broken"
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")

    holder = psycopg2.connect(_dsn())
    holder.autocommit = True
    cursor = holder.cursor()
    cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    first = _command(path)
    try:
        _wait(lambda: ImportBatch.objects.filter(status="running").exists(), "the first batch")
        batch = ImportBatch.objects.get(status="running")
        # Hold the batch row, then let the import run: it stops at its final UPDATE.
        cursor.execute("BEGIN")
        cursor.execute("SELECT id FROM monitoring_importbatch WHERE id = %s FOR UPDATE", [batch.pk])
        cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])

        def waiting_at_the_end() -> bool:
            with connection.cursor() as probe:
                probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' "
                    "AND query LIKE 'UPDATE \"monitoring_importbatch\"%%'"
                )
                return bool(probe.fetchone()[0])

        _wait(waiting_at_the_end, "the first import to reach its last write")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        cursor.execute("COMMIT")
    finally:
        if first.poll() is None:
            first.kill()
        holder.close()

    # The killed import kept nothing; its batch still says "running" (until the next start).
    def gone() -> bool:
        with connection.cursor() as probe:
            probe.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = %s::oid "
                "AND objid = %s::oid",
                [BATCH_LOCK, batch.pk],
            )
            return not probe.fetchone()[0]

    _wait(gone, "the killed session to end")
    assert AccessEvent.objects.count() == 0
    assert ImportRejection.objects.count() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.RUNNING

    second = _command(path)
    stdout, stderr = second.communicate(timeout=300)
    assert second.returncode == 0, stderr
    assert stdout.splitlines() == [f"imported={ROWS - 1} duplicates=0 rejected=1"]

    batch.refresh_from_db()
    assert (batch.status, batch.message) == (ImportBatch.Status.FAILED, INTERRUPTED)
    assert batch.finished_at is not None
    done = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert (done.status, done.imported, done.rejected) == (ImportBatch.Status.DONE, ROWS - 1, 1)
    assert AccessEvent.objects.count() == ROWS - 1
    assert AccessEvent.objects.values("event_id").distinct().count() == ROWS - 1
    assert list(ImportRejection.objects.values_list("batch_id", "line")) == [(done.pk, 102)]
    with connection.cursor() as probe:
        probe.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) AND (classid = %s::oid OR objid = %s::oid)",
            [BATCH_LOCK, IMPORT_LOCK & 0xFFFFFFFF],
        )
        assert probe.fetchone()[0] == 0
