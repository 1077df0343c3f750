"""The runtime database role in tests: a throwaway role with exactly scripts/db-roles.sql.

The tests run as the PostgreSQL superuser, which no privilege stops. A privilege test
switches to this role (``as_role``) for the statements it checks; the ``runtime_role``
fixture (tests/conftest.py) creates it once per test database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from vik import integrity


def create_runtime_role() -> str:
    """Create (once) the role and give it the grants of scripts/db-roles.sql."""
    name = f"{connection.settings_dict['NAME']}_app"[:63]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{name}" LOGIN')
        cursor.execute(
            integrity.role_script_sql(app_role=name, dbname=connection.settings_dict["NAME"])
        )
    return name


def drop_runtime_role(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@contextmanager
def as_role(role: str) -> Iterator[Any]:
    """Run the block as ``role`` (inside the test's transaction), then back to the owner."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        try:
            yield cursor
        finally:
            cursor.execute("RESET ROLE")


def refused(cursor: Any, sql: str, params: list[Any] | None = None) -> str:
    """Run ``sql``, expecting PostgreSQL's "insufficient privilege"; returns the message."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        cursor.execute(sql, params)
    assert raised.value.__cause__.pgcode == "42501", raised.value  # type: ignore[union-attr]
    return str(raised.value)


@contextmanager
def superuser_past_triggers() -> Iterator[Any]:
    """What only a database superuser can do: change rows with every trigger switched off
    (``session_replication_role = replica``), for the block only."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
