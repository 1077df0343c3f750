"""Make the journal and other decisions on record append-only, and signed reports immutable.

PostgreSQL triggers back up the models' own guards, so not even a raw UPDATE can rewrite
the journal, an extension of the assignment, a telecommunication stage decision, or an
interview-report version once it is signed or otherwise closed. DELETE is let through only
while the retention purge has switched ``vik.retention_purge`` on for its transaction, as
for the core's access log.

On SQLite (the one-command demo only) the model guards apply.
"""

from django.db import migrations

APPEND_ONLY_TABLES = [
    "cases_journalentry",
    "cases_assignmentextension",
    "cases_telecomstagedecision",
]

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('vik.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

VERSION_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_report_version_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('vik.retention_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'interview-report versions are never deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state IN ('signed', 'not_agreed', 'refused_to_sign', 'superseded') THEN
        RAISE EXCEPTION 'interview-report version % is % and immutable', OLD.id, OLD.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state <> 'draft' AND (
        NEW.content IS DISTINCT FROM OLD.content
        OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
        OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.interview_id IS DISTINCT FROM OLD.interview_id
    ) THEN
        RAISE EXCEPTION 'the text of interview-report version % was sent and cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the % signs in RAISE are not placeholders.
    schema_editor.execute(APPEND_ONLY_FUNCTION, params=None)
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cases_append_only();",
            params=None,
        )
    schema_editor.execute(VERSION_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER cases_interviewreportversion_guard BEFORE UPDATE OR DELETE "
        "ON cases_interviewreportversion FOR EACH ROW EXECUTE FUNCTION cases_report_version_guard();",
        params=None,
    )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS cases_interviewreportversion_guard ON cases_interviewreportversion;",
        params=None,
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_append_only();", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_report_version_guard();", params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
