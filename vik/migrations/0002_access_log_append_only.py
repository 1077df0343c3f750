"""Make the access log append-only in the database itself (PostgreSQL).

A row-level trigger refuses UPDATE always, and DELETE unless the transaction has declared
itself the retention purge with ``SET LOCAL vik.retention_purge = 'on'``
(see ``vik.services.purge_access_log``). TRUNCATE needs table ownership, which the
production database role does not have (docs/deployment.md).

On SQLite (the one-command demo only) the model's own guards apply.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION vik_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('vik.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'vik_accesslogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER vik_access_log_append_only
    BEFORE UPDATE OR DELETE ON vik_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION vik_access_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS vik_access_log_append_only ON vik_accesslogentry;
DROP FUNCTION IF EXISTS vik_access_log_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # the % in RAISE is not a placeholder
        schema_editor.execute(TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("vik", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
