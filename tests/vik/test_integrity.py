"""Integrity that the application's own database role cannot break (issue 16).

The tests run as the PostgreSQL superuser, which no privilege stops. So each privilege test
switches (``SET LOCAL ROLE``) to a throwaway role that got its grants from exactly
``scripts/db-roles.sql`` — the runtime role docs/deployment.md prescribes.
"""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from tests.conftest import World
from tests.dbroles import as_role, refused, superuser_past_triggers
from vik import integrity, services
from vik.integrity_chain import verify_chain
from vik.models import AccessAction, AccessLogChainCheck, AccessLogEntry, Notification
from vik.roles import Role
from vik.transparency import services as transparency
from vik.transparency.models import PurgeRecord, RetentionPolicy
from vik.transparency.registry import get_registry

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / integrity.ROLE_SCRIPT
GUARD_FUNCTIONS = (
    "vik_access_log_append_only",
    "vik_refuse_change",
    "cases_append_only",
    "cases_report_version_guard",
    "cases_letter_guard",
    "monitoring_hold_store_append_only",
)


def _entry(world: World, employee: Any = None, *, days_ago: int = 0) -> AccessLogEntry:
    """One look at an employee's record, ``days_ago`` days ago (inserted as such: the chain
    is computed by the database whatever the date)."""
    return AccessLogEntry.objects.create(
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        actor=world.user(Role.INVESTIGATOR),
        actor_username="investigator",
        actor_role=Role.INVESTIGATOR,
        action=AccessAction.VIEW,
        object_type="vik.employee",
        object_id="1",
        employee=employee or world.subject,
    )


# --- The script and the registry --------------------------------------------------------


def _listed(pattern: str) -> set[str]:
    match = re.search(pattern, SCRIPT.read_text(), re.DOTALL)
    assert match, pattern
    return {item.strip() for item in re.split(r",\s*\n", match[1].strip()) if item.strip()}


def test_the_script_revokes_exactly_the_registry() -> None:
    assert _listed(r"REVOKE UPDATE, DELETE, TRUNCATE ON\n(.*?)\nFROM") == set(integrity.APPEND_ONLY)
    assert _listed(r"REVOKE DELETE, TRUNCATE ON\n(.*?)\nFROM") == set(integrity.NO_DELETE)
    assert _listed(r"GRANT EXECUTE ON FUNCTION\n(.*?)\nTO") == set(
        integrity.DEFINER_FUNCTIONS + integrity.INVOKER_FUNCTIONS
    )


def test_every_guarded_table_is_in_the_registry() -> None:
    """A table with an append-only or immutability trigger must be revoked too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND p.proname = ANY (%s)",
            [list(GUARD_FUNCTIONS)],
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert guarded == integrity.protected_tables()
    assert integrity.protected_tables() <= set(connection.introspection.table_names())


def test_the_definer_functions_are_owned_pinned_and_not_public() -> None:
    with connection.cursor() as cursor:
        for signature in integrity.DEFINER_FUNCTIONS:
            cursor.execute(
                "SELECT p.prosecdef, p.proconfig, "
                "has_function_privilege('public', p.oid, 'EXECUTE') "
                "FROM pg_proc p WHERE p.oid = %s::regprocedure",
                [signature],
            )
            definer, config, public = cursor.fetchone()
            assert definer, signature
            assert any(c.startswith("search_path=") for c in config), signature
            assert not public, signature


def test_the_database_knows_the_default_periods() -> None:
    """The defaults baked into ``vik_retention_limit`` are the providers' defaults."""
    from importlib import import_module

    migration = import_module("vik.migrations.0009_access_log_hash_chain")
    registry = get_registry()
    for key, months in migration.DEFAULT_MONTHS.items():
        assert registry.retention_category(key).default_months == months, key


# --- What the runtime role cannot do ------------------------------------------------------


def test_the_runtime_role_cannot_delete_from_the_access_log(
    world: World, runtime_role: str
) -> None:
    _entry(world)
    with as_role(runtime_role) as cursor:
        for flag in ("vik.retention_purge", "vik.definer_purge"):
            cursor.execute(f"SET LOCAL {flag} = 'on'")
        assert "permission denied" in refused(cursor, "DELETE FROM vik_accesslogentry")
        refused(cursor, "UPDATE vik_accesslogentry SET purpose = 'x'")
        refused(cursor, "TRUNCATE vik_accesslogentry")
        refused(cursor, "ALTER TABLE vik_accesslogentry DISABLE TRIGGER USER")
        refused(cursor, "DELETE FROM transparency_purgerecord")
        refused(cursor, "DELETE FROM vik_accesslogpurgedrange")
        refused(cursor, "CREATE TABLE vik_sneaky (id int)")
        # Still the application: it reads and writes the log as ever.
        entry = _entry(world)
        assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    assert AccessLogEntry.objects.count() == 2


def test_the_runtime_role_purges_through_the_function(world: World, runtime_role: str) -> None:
    _entry(world, days_ago=6 * 366)
    held = _entry(world, employee=world.colleague, days_ago=6 * 366)
    recent = _entry(world)
    transparency.place_legal_hold(
        employee=world.colleague,
        category="",
        reason="Rechtszaak",
        acting_user=world.user(Role.PRIVACY_OFFICER),
    )
    with as_role(runtime_role):
        # A cut-off younger than the retention period is refused by the database itself.
        with pytest.raises(DatabaseError, match="younger than the retention period"):
            services.purge_access_log(cutoff=timezone.localdate())
        records = transparency.run_retention(acting_user=world.user(Role.ADMINISTRATOR))
    record = next(r for r in records if r.category == "vik.access_log")
    assert (record.purged, record.outcome) == (1, PurgeRecord.Outcome.PURGED)
    assert record.run_by == world.user(Role.ADMINISTRATOR)
    assert set(AccessLogEntry.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    # The chain steps over what the purge removed, around the held entry.
    check = verify_chain()
    assert check.ok, check.problems


def test_a_category_under_legal_hold_is_refused_by_the_database(world: World) -> None:
    _entry(world, days_ago=6 * 366)
    RetentionPolicy.objects.create(
        category="vik.access_log", period_months=60, legal_hold=True, legal_hold_reason="WOO"
    )
    with pytest.raises(DatabaseError, match="legal hold"):
        services.purge_access_log(cutoff=timezone.localdate() - datetime.timedelta(days=5 * 366))
    assert AccessLogEntry.objects.count() == 1


# --- The access log's hash chain ---------------------------------------------------------


def test_the_chain_is_computed_by_the_database(world: World, runtime_role: str) -> None:
    first = _entry(world)
    with as_role(runtime_role):
        services.record_access_many(
            actor=world.user(Role.INVESTIGATOR),
            action=AccessAction.VIEW,
            role=Role.INVESTIGATOR,
            employees=[world.subject, world.colleague],
            object_type="vik.employee",
        )
    entries = list(AccessLogEntry.objects.order_by("chain_seq"))
    assert entries[0].pk == first.pk
    assert [e.chain_seq for e in entries] == [
        entries[0].chain_seq,
        entries[0].chain_seq + 1,
        entries[0].chain_seq + 2,
    ]
    for before, after in itertools.pairwise(entries):
        assert after.chain_prev == before.chain_hash
    check = verify_chain()
    assert check.ok
    assert check.entries == 3
    assert check.head_hash == entries[-1].chain_hash


def test_a_deleted_or_changed_entry_breaks_the_chain_and_alarms(world: World) -> None:
    entries = [_entry(world) for _ in range(4)]
    assert verify_chain().ok
    with superuser_past_triggers() as cursor:
        cursor.execute("DELETE FROM vik_accesslogentry WHERE id = %s", [entries[1].pk])
        cursor.execute(
            "UPDATE vik_accesslogentry SET purpose = 'niets' WHERE id = %s", [entries[3].pk]
        )
    check = verify_chain()
    assert not check.ok
    kinds = {problem["kind"] for problem in check.problems}
    assert kinds == {"missing", "changed"}
    assert Notification.objects.filter(
        recipient=world.user(Role.PRIVACY_OFFICER),
        subject__icontains="integrit",
    ).exists()
    # Deleting the newest entries is found against the head of the last check.
    with superuser_past_triggers() as cursor:
        cursor.execute("DELETE FROM vik_accesslogentry WHERE id = %s", [entries[3].pk])
    assert "truncated" in {p["kind"] for p in verify_chain().problems}
    assert AccessLogChainCheck.objects.filter(ok=False).count() == 2


def test_the_nightly_check_is_scheduled_and_in_the_logging_report(world: World) -> None:
    from vik.schedule import BEAT_SCHEDULE
    from vik.tasks import verify_access_log_chain
    from vik.transparency.report import Report, report_context

    assert any(
        entry["task"] == "vik.tasks.verify_access_log_chain" for entry in BEAT_SCHEDULE.values()
    )
    _entry(world)
    assert verify_access_log_chain() is True
    year = timezone.localdate().year
    context = report_context(Report(year=year, detailed=True, today=timezone.localdate()))
    assert context["chain"]["checks"] == 1
    assert context["chain"]["intact"] == 1
    assert context["chain"]["broken"] == 0
