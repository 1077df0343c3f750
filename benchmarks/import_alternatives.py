"""The designs issue 15 asked to compare for the access-log import, measured on one file.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/vik_bench \\
        .venv/bin/python benchmarks/import_alternatives.py EVENTS.CSV [--only NAMES]

Run ``benchmarks/monitoring_scale.py --data DIR`` first: it leaves the database with the
reference data (``BENCH_DATABASE_URL``) that every measurement here copies (``CREATE
DATABASE ... TEMPLATE``), so each starts from the same state. Each figure is printed with the
load average; ratios are against the yardstick measured in the same run (best of three
``psql \\\\copy`` into a plain logged table without indexes).

* ``yardstick`` — ``psql \\\\copy`` into a plain logged table without indexes;
* ``parent`` — ``psql \\\\copy`` of the raw file into the partitioned event table (PostgreSQL
  routes each row to its day): the server's share of the former design, without any Python;
* ``leaves`` — ``psql \\\\copy`` of each day's rows straight into its partition (files split
  beforehand, not timed): the server's share of the chosen design;
* ``staging`` — set-based validation in PostgreSQL: ``COPY`` of the raw lines into a
  temporary table, then one ``INSERT ... SELECT`` that validates (regular expressions and a
  cast), de-duplicates (``DISTINCT ON``, anti-join) and looks up employees (a join), plus the
  rejections; the CSV must still be well-formed for ``COPY`` (PostgreSQL 15 stops at the
  first malformed row), so Python would have to check the structure first — not counted;
* ``parse`` — the importer's Python side alone (``_FileLoader._chunks``: reading, checks,
  de-duplication, COPY lines), CPU seconds, no database writes;
* ``pyarrow`` — pyarrow's multi-threaded CSV reader and compute functions doing the same
  checks per column, CPU and wall seconds (needs ``pyarrow``; not a dependency of VIK);
* ``psycopg3`` — the raw file sent with psycopg 3's ``Cursor.copy()`` into the leaves,
  against psycopg2's ``copy_expert`` doing the same (needs ``psycopg``; not a dependency).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.monitoring_common import (
    BENCH_DATABASE_URL,
    copy_database,
    drop_database,
    load_average,
    psql_args,
    timed_psql_copy,
    warm_page_cache,
)

COLUMNS = (
    "event_id, occurred_at, employee_number, system, action, subject_ref, incident_ref, workstation"
)
FORCE = "FORCE_NOT_NULL (event_id, employee_number, system, action, subject_ref, incident_ref, workstation)"


def psql(database_url: str, sql: str) -> None:
    name = urlparse(database_url).path.lstrip("/")
    subprocess.run(
        ["psql", *psql_args(database_url), "-q", "-v", "ON_ERROR_STOP=1", name, "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def days_of(csv_path: Path, directory: Path) -> dict[str, Path]:
    """Split the file per local day (the date in the timestamp's text is the local day)."""
    out: dict[str, list[bytes]] = defaultdict(list)
    with csv_path.open("rb") as stream:
        stream.readline()
        for line in stream:
            out[line.split(b",", 2)[1][:10].decode()].append(line)
    paths = {}
    for day, lines in out.items():
        path = directory / f"{day}.csv"
        path.write_bytes(b"".join(lines))
        paths[day] = path
    return paths


def prepare_partitions(database_url: str, days: list[str]) -> None:
    psql(
        database_url,
        "DO $$ DECLARE d date; BEGIN FOREACH d IN ARRAY ARRAY["
        + ",".join(f"'{day}'::date" for day in days)
        + "] LOOP EXECUTE format('CREATE TABLE IF NOT EXISTS monitoring_accessevent_p%s "
        "PARTITION OF monitoring_accessevent FOR VALUES FROM (%L) TO (%L)', to_char(d, 'YYYYMMDD'), "
        "(d::timestamp AT TIME ZONE 'Europe/Amsterdam'), "
        "((d + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')); END LOOP; END $$; CHECKPOINT",
    )


def timed(label: str, seconds: float, yardstick: float | None) -> None:
    ratio = f" = {seconds / yardstick:.2f} × COPY" if yardstick else ""
    print(f"{label}: {seconds:.2f} s{ratio} ({load_average()})", flush=True)


STAGING_SQL = """
CREATE TEMP TABLE staging (line bigserial, event_id text, occurred_at text, employee_number text,
  system text, action text, subject_ref text, incident_ref text, workstation text);
\\copy staging (event_id, occurred_at, employee_number, system, action, subject_ref, incident_ref, workstation) FROM '{path}' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (event_id, occurred_at, employee_number, system, action, subject_ref, incident_ref, workstation))
CREATE TEMP TABLE checked AS SELECT s.*, CASE
    WHEN s.event_id = '' THEN 'event_id is required'
    WHEN s.employee_number = '' THEN 'employee_id is required'
    WHEN s.occurred_at !~ '^\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d([.]\\d+)?[+-]\\d\\d:\\d\\d$' THEN 'unparseable timestamp'
  END AS problem FROM staging s;
INSERT INTO monitoring_importrejection (batch_id, file, line, reason, raw)
  SELECT 1, 'events.csv', line + 1, problem, '' FROM checked WHERE problem IS NOT NULL;
INSERT INTO monitoring_accessevent (event_id, occurred_at, employee_number, system, action,
    subject_ref, incident_ref, workstation, employee_id, flags, batch_id)
  SELECT DISTINCT ON (c.occurred_at::timestamptz, c.event_id) c.event_id, c.occurred_at::timestamptz,
    c.employee_number, c.system, c.action, c.subject_ref, c.incident_ref, c.workstation, e.id,
    (CASE WHEN e.id IS NULL THEN 1 ELSE 0 END)
      | (CASE WHEN c.action IN ('search', 'view', 'print', 'export') THEN 0 ELSE 8 END), 1
  FROM checked c LEFT JOIN vik_employee e ON e.personnel_number = c.employee_number
  WHERE c.problem IS NULL AND NOT EXISTS (SELECT 1 FROM monitoring_accessevent a
    WHERE a.occurred_at = c.occurred_at::timestamptz AND a.event_id = c.event_id)
  ORDER BY c.occurred_at::timestamptz, c.event_id, c.line;
"""


def measure_staging(database_url: str, csv_path: Path, days: list[str]) -> float:
    prepare_partitions(database_url, days)
    name = urlparse(database_url).path.lstrip("/")
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text(STAGING_SQL.format(path=csv_path), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            "psql",
            *psql_args(database_url),
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-1",
            name,
            "-f",
            str(script),
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    script.unlink()
    return seconds


def measure_parse(database_url: str, csv_path: Path) -> tuple[float, float]:
    from benchmarks.monitoring_common import setup_django

    setup_django(database_url)
    from monitoring.imports import access_log
    from monitoring.imports.limits import import_limits
    from monitoring.models import ImportBatch
    from vik.models import Employee

    employees = dict(Employee.objects.values_list("personnel_number", "id"))
    loader = access_log._FileLoader(
        path=csv_path,
        batch=ImportBatch(pk=1),
        employees=employees,
        progress=None,
        limits=import_limits(),
    )

    def prepared(days: set) -> None:  # type: ignore[type-arg]
        for day in days:
            loader.known_ids.setdefault(day, set())

    loader.need_days = prepared
    cpu, wall = time.process_time(), time.perf_counter()
    with access_log._open_binary(csv_path) as raw:
        loader._open_source(raw)
        for _chunk in loader._chunks():
            pass
    return time.process_time() - cpu, time.perf_counter() - wall


def measure_pyarrow(csv_path: Path) -> tuple[float, float]:
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    cpu, wall = time.process_time(), time.perf_counter()
    table = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(
            column_types={
                name: pa.string()
                for name in COLUMNS.replace("employee_number", "employee_id").split(", ")
            }
        ),
    )
    stamps = table["occurred_at"]
    valid = pc.and_(
        pc.and_(
            pc.not_equal(pc.utf8_length(table["event_id"]), 0),
            pc.not_equal(pc.utf8_length(table["employee_id"]), 0),
        ),
        pc.match_substring_regex(stamps, r"^\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d[+-]\d\d:00$"),
    )
    moments = pc.strptime(
        pc.utf8_slice_codeunits(stamps, 0, 19),
        format="%Y-%m-%dT%H:%M:%S",
        unit="s",
        error_is_null=True,
    )
    days = pc.utf8_slice_codeunits(stamps, 0, 10)
    known = pa.array([str(n) for n in range(100000, 200000)])
    employee_index = pc.index_in(table["employee_id"], value_set=known)
    actions_ok = pc.is_in(
        table["action"], value_set=pa.array(["search", "view", "print", "export"])
    )
    subjects = pc.unique(table["subject_ref"])
    incidents = pc.unique(table["incident_ref"])
    keyed = pa.table({"day": days, "id": table["event_id"]}).group_by(["day", "id"]).aggregate([])
    out = table.append_column("employee", employee_index).append_column("ok", actions_ok)
    out = out.filter(valid)
    buffer = pa.BufferOutputStream()
    pacsv.write_csv(out, buffer, write_options=pacsv.WriteOptions(include_header=False))
    del moments, subjects, incidents, keyed
    return time.process_time() - cpu, time.perf_counter() - wall


def measure_drivers(database_url: str, day_files: dict[str, Path]) -> tuple[float, float]:
    """Seconds for psycopg 3 and for psycopg2 sending the same bytes into the leaves."""
    import psycopg
    import psycopg2

    dsn = f"dbname={urlparse(database_url).path.lstrip('/')} host={urlparse(database_url).hostname} user={urlparse(database_url).username or 'postgres'}"
    results = []
    for driver in ("psycopg3", "psycopg2"):
        psql(database_url, "TRUNCATE monitoring_accessevent; CHECKPOINT")
        started = time.perf_counter()
        if driver == "psycopg3":
            with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
                for day, path in sorted(day_files.items()):
                    table = f"monitoring_accessevent_p{day.replace('-', '')}"
                    with (
                        cursor.copy(
                            f"COPY {table} ({COLUMNS}) FROM STDIN WITH (FORMAT csv, {FORCE})"
                        ) as copy,
                        path.open("rb") as stream,
                    ):
                        while data := stream.read(1 << 16):
                            copy.write(data)
        else:
            conn2 = psycopg2.connect(dsn)
            with conn2, conn2.cursor() as cursor:
                for day, path in sorted(day_files.items()):
                    table = f"monitoring_accessevent_p{day.replace('-', '')}"
                    with path.open("rb") as stream:
                        cursor.copy_expert(
                            f"COPY {table} ({COLUMNS}) FROM STDIN WITH (FORMAT csv, {FORCE})",
                            stream,
                            1 << 16,
                        )
            conn2.close()
        results.append(time.perf_counter() - started)
    return results[0], results[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("events", type=Path)
    parser.add_argument("--only", default="yardstick,parent,leaves,staging,parse,pyarrow,psycopg3")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    csv_path = args.events.resolve()
    warm_page_cache(csv_path)
    print(f"{csv_path}: {csv_path.stat().st_size / 2**20:.0f} MiB ({load_average()})", flush=True)
    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    yardstick = None
    if "yardstick" in wanted:
        yardstick = min(timed_psql_copy(csv_path) for _ in range(3))
        timed("yardstick, best of three", yardstick, None)
    with tempfile.TemporaryDirectory() as tmp:
        day_files = days_of(csv_path, Path(tmp))
        days = sorted(day_files)
        if "parent" in wanted:
            for run in (1, 2):
                url = copy_database(BENCH_DATABASE_URL, f"{name}_alt")
                prepare_partitions(url, days)
                target = f"monitoring_accessevent ({COLUMNS})"
                started = time.perf_counter()
                psql(
                    url,
                    f"\\copy {target} FROM '{csv_path}' WITH (FORMAT csv, HEADER true, {FORCE})",
                )
                timed(
                    f"psql \\copy into the parent table, run {run}",
                    time.perf_counter() - started,
                    yardstick,
                )
                drop_database(url)
        if "leaves" in wanted:
            for run in (1, 2):
                url = copy_database(BENCH_DATABASE_URL, f"{name}_alt")
                prepare_partitions(url, days)
                started = time.perf_counter()
                for day, path in sorted(day_files.items()):
                    table = f"monitoring_accessevent_p{day.replace('-', '')} ({COLUMNS})"
                    psql(url, f"\\copy {table} FROM '{path}' WITH (FORMAT csv, {FORCE})")
                timed(
                    f"psql \\copy straight into the day partitions, run {run}",
                    time.perf_counter() - started,
                    yardstick,
                )
                drop_database(url)
        if "staging" in wanted:
            url = copy_database(BENCH_DATABASE_URL, f"{name}_alt")
            timed(
                "staging table + set-based validation in SQL",
                measure_staging(url, csv_path, days),
                yardstick,
            )
            drop_database(url)
        if "parse" in wanted:
            cpu, wall = measure_parse(BENCH_DATABASE_URL, csv_path)
            print(
                f"the importer's Python side alone: {cpu:.2f} s CPU, {wall:.2f} s wall ({load_average()})",
                flush=True,
            )
        if "pyarrow" in wanted:
            cpu, wall = measure_pyarrow(csv_path)
            print(
                f"pyarrow read_csv + column checks + write_csv: {cpu:.2f} s CPU, {wall:.2f} s wall ({load_average()})",
                flush=True,
            )
        if "psycopg3" in wanted:
            url = copy_database(BENCH_DATABASE_URL, f"{name}_alt")
            prepare_partitions(url, days)
            three, two = measure_drivers(url, day_files)
            timed(
                "psycopg 3 Cursor.copy() of the raw bytes into the day partitions", three, yardstick
            )
            timed("psycopg2 copy_expert of the same", two, yardstick)
            drop_database(url)
    print(f"done ({load_average()}, pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
