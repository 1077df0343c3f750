"""The works council's decisions are append-only: entered once, never changed or removed.

The same guard as the other append-only tables (``vik_refuse_change``); the runtime role's
UPDATE and DELETE are revoked too (``scripts/db-roles.sql``, ``vik.integrity.APPEND_ONLY``).
"""

from django.db import migrations

CREATE = """
CREATE TRIGGER monitoring_councildecision_refuse_change BEFORE UPDATE OR DELETE
    ON monitoring_councildecision FOR EACH ROW EXECUTE FUNCTION vik_refuse_change();
"""
DROP = (
    "DROP TRIGGER IF EXISTS monitoring_councildecision_refuse_change "
    "ON monitoring_councildecision"
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0016_agreed_ranges"),
        ("vik", "0009_access_log_hash_chain"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
