"""VIK as production runs it, started from scratch for the production-mode suite.

* PostgreSQL: a throwaway cluster (initdb in a temporary directory, a free port — the shared
  server is never touched or restarted); a database owned by a migration role (no superuser), and a separate
  LOGIN role for the application, granted exactly what ``scripts/db-roles.sql`` grants;
* static files collected into a manifest (``CompressedManifestStaticFilesStorage``) in a
  temporary directory — DEBUG off, ``VIK_PLAIN_STATIC`` off;
* its own ``redis-server`` on a free port (the shared Redis is never touched);
* gunicorn serving ``vik.wsgi`` and a real ``celery worker``, both as the application role.

Processes are started with :func:`start_process` and ended by their own pid.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    condition: Callable[[], Any], what: str, timeout: float = 60, step: float = 0.2
) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception as error:  # noqa: BLE001 - a service that is still starting
            last_error = error
            result = None
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what} (last error: {last_error!r})")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Process:
    """A child process of the suite, its log file, and how to end it by its own pid."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.popen.poll() is not None:
            return
        # Each child runs in its own process group: its workers end with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start_process(name: str, args: list[str], *, env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{name}-{int(time.time() * 1000)}.log"
    stream = log.open("wb")
    popen = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True
    )
    stream.close()
    return Process(name=name, popen=popen, log=log)


def start_redis(logs: Path) -> tuple[Process, int]:
    """A private redis-server on a free port, no persistence."""
    port = free_port()
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = start_process(
        f"redis-{port}",
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        env=dict(os.environ),
        logs=logs,
    )
    wait_for(lambda: port_open(port), f"redis-server on port {port}", timeout=20)
    return process, port


def postgres_bin() -> Path:
    """The newest PostgreSQL server binaries on the machine (Debian's layout)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    return Path(initdb).parent


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster: initdb into a temporary directory, its own free port.

    The suite may restart it (the fault tests do); the shared server on 5432 is never
    touched. Durability is off (fsync, full pages): the data lives as long as the suite.
    """

    directory: Path
    port: int
    bin: Path

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def socket_dir(self) -> Path:
        return self.directory / "socket"

    @property
    def admin_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args]),
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self) -> None:
        self.pg_ctl("-l", str(self.directory / "postgres.log"), "start")
        wait_for(lambda: port_open(self.port), "PostgreSQL", timeout=60)

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop", check=False)

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "-l", str(self.directory / "postgres.log"), "restart")
        wait_for(lambda: port_open(self.port), "PostgreSQL after the restart", timeout=60)


def create_cluster() -> Cluster:
    directory = Path(tempfile.mkdtemp(prefix="vik-pg-"))
    cluster = Cluster(directory=directory, port=free_port(), bin=postgres_bin())
    cluster.socket_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
        shutil.chown(cluster.socket_dir, "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [
                str(cluster.bin / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
        text=True,
    )
    settings = {
        "port": str(cluster.port),
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{cluster.socket_dir}'",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
        "shared_buffers": "64MB",
    }
    with (cluster.data / "postgresql.conf").open("a") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    cluster.start()
    return cluster


@dataclass
class Database:
    """A fresh database with its owner (migrations) and application (runtime) roles."""

    cluster: Cluster
    name: str
    owner: str
    app: str
    password: str
    host: str
    port: int

    def url(self, role: str) -> str:
        return f"postgres://{role}:{self.password}@{self.host}:{self.port}/{self.name}"

    @property
    def owner_url(self) -> str:
        return self.url(self.owner)

    @property
    def app_url(self) -> str:
        return self.url(self.app)

    def connect(self, *, as_owner: bool = True) -> Any:
        connection = psycopg2.connect(
            dbname=self.name,
            host=self.host,
            port=self.port,
            user=self.owner if as_owner else self.app,
            password=self.password,
        )
        connection.autocommit = True
        return connection

    def query(self, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
        with contextlib.closing(self.connect()) as connection, connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


def _admin(cluster: Cluster, dbname: str = "postgres") -> Any:
    """The superuser, through the cluster's own socket (trusted locally)."""
    connection = psycopg2.connect(
        dbname=dbname, host=str(cluster.socket_dir), port=cluster.port, user="postgres"
    )
    connection.autocommit = True
    return connection


def create_database(cluster: Cluster, name: str) -> Database:
    """Create ``name`` and its two roles (``<name>_owner``, ``<name>_app``), with passwords."""
    database = Database(
        cluster=cluster,
        name=name,
        owner=f"{name}_owner",
        app=f"{name}_app",
        password=secrets.token_hex(16),
        host="127.0.0.1",
        port=cluster.port,
    )
    with contextlib.closing(_admin(cluster)) as connection, connection.cursor() as cursor:
        for role in (database.owner, database.app):
            cursor.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN PASSWORD %s NOSUPERUSER NOCREATEDB NOCREATEROLE"
                ).format(sql.Identifier(role)),
                [database.password],
            )
        cursor.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(database.owner)
            )
        )
    with contextlib.closing(_admin(cluster, name)) as connection, connection.cursor() as cursor:
        # PostgreSQL 15+: only the owner may create in "public"; make it so on older ones too.
        cursor.execute(
            sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(database.owner))
        )
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute(
            sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name))
        )
    return database


def grant_runtime_role(database: Database) -> None:
    """``scripts/db-roles.sql`` run by the owner with psql, exactly as deployment.md says."""
    psql = shutil.which("psql") or "psql"
    subprocess.run(
        [
            psql,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"app_role={database.app}",
            "-d",
            database.owner_url.replace("postgres://", "postgresql://"),
            "-f",
            str(ROOT / "scripts" / "db-roles.sql"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )


@dataclass
class Stack:
    """The running production-mode stack and the environment its processes share."""

    database: Database
    static_root: Path
    logs: Path
    env: dict[str, str]
    redis: Process | None = None
    redis_port: int = 0
    web: Process | None = None
    web_port: int = 0
    workers: list[Process] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def app_env(self, **overrides: str) -> dict[str, str]:
        """The runtime environment: the application role, DEBUG off, the manifest."""
        return {**self.env, "DATABASE_URL": self.database.app_url, **overrides}

    def owner_env(self, **overrides: str) -> dict[str, str]:
        return {**self.env, "DATABASE_URL": self.database.owner_url, **overrides}

    def manage(
        self, *args: str, as_owner: bool = False, timeout: float = 300, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        env = self.owner_env() if as_owner else self.app_env()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
            )
        return result

    def start_web(self, *, workers: int = 2, port: int | None = None, **env: str) -> Process:
        self.web_port = port or free_port()
        self.web = start_process(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "vik.wsgi",
                "--config",
                "python:vik.gunicorn_config",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
            ],
            env=self.app_env(**env),
            logs=self.logs,
        )
        wait_for(lambda: port_open(self.web_port), "gunicorn", timeout=60)
        return self.web

    def start_worker(self, *, concurrency: int = 2, name: str = "w1", **env: str) -> Process:
        worker = start_process(
            f"celery-{name}",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "vik",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=self.app_env(**env),
            logs=self.logs,
        )
        wait_for(lambda: "ready." in worker.output(), f"celery worker {name}", timeout=90)
        self.workers.append(worker)
        return worker

    def stop_redis(self) -> None:
        """Stop the suite's own Redis (SIGTERM to its pid); the port stays known."""
        if self.redis is not None:
            self.redis.stop()

    def start_redis_again(self) -> None:
        """Redis back on the same port, empty (no persistence), as after a crash."""
        self.redis = start_process(
            f"redis-{self.redis_port}",
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            env=dict(os.environ),
            logs=self.logs,
        )
        wait_for(lambda: port_open(self.redis_port), "redis-server again", timeout=20)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.web is not None:
            self.web.stop()
        if self.redis is not None:
            self.redis.stop()


def base_env(
    *, static_root: Path, private_root: Path, var_dir: Path, redis_port: int
) -> dict[str, str]:
    """What every process of the stack gets: production settings, nothing relaxed but TLS."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "VIK_", "CELERY_", "PYTEST"))
        and key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "STATIC_ROOT"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "vik.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "STATIC_ROOT": str(static_root),
            "VIK_PRIVATE_MEDIA_ROOT": str(private_root),
            "VIK_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # TLS ends at the proxy in production; the suite sends X-Forwarded-Proto as the
            # proxy does, so HTTPS redirects, HSTS and Secure cookies stay as they are.
            "VIK_BEHIND_TLS_PROXY": "true",
            "EMAIL_URL": "consolemail://",
        }
    )
    return env


@contextlib.contextmanager
def running_stack(workdir: Path, *, name: str = "vik") -> Iterator[Stack]:
    """A cluster, static files and Redis, migrated and granted; gunicorn and workers are
    started by the caller. Everything is ended (by pid) and removed afterwards."""
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    static_root = workdir / "staticfiles"
    redis, redis_port = start_redis(logs)
    cluster = create_cluster()
    database = create_database(cluster, name)
    stack = Stack(
        database=database,
        static_root=static_root,
        logs=logs,
        env=base_env(
            static_root=static_root,
            private_root=workdir / "private",
            var_dir=workdir / "var",
            redis_port=redis_port,
        ),
        redis=redis,
        redis_port=redis_port,
    )
    try:
        # collectstatic needs no database: it runs while the migrations do.
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=stack.owner_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        stack.manage("migrate", "--no-input", as_owner=True, timeout=600)
        grant_runtime_role(database)
        _out, errors = collecting.communicate(timeout=600)
        if collecting.returncode != 0:
            raise AssertionError(f"collectstatic failed:\n{errors[-5000:]}")
        yield stack
    finally:
        stack.stop()
        cluster.stop()
        shutil.rmtree(cluster.directory, ignore_errors=True)
