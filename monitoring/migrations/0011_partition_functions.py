"""Day partitions through SECURITY DEFINER functions, so the runtime role needs no DDL rights.

The runtime role (``scripts/db-roles.sql``) owns nothing and cannot create tables, so it
could not create the day partitions an import needs. Two functions, owned by the migration
role, do it for it (PostgreSQL only; the demo's event table on SQLite is a plain table):

* ``monitoring_create_day_partition(day, start, end)`` creates the partition of one
  Europe/Amsterdam day (the bounds must be that day's midnights) and gives it the same
  grants as the parent table, so an import can COPY straight into it. Returns whether it
  created it.
* ``monitoring_drop_day_partition(day)`` drops one day's partition, only when the whole day
  lies before the cut-off the retention rules of ``monitoring.access_events`` allow today
  and no employee under a legal hold has events in it. Returns how many events it held.

Monitoring's retention runs (``monitoring_retentionrun``) become append-only in the
database as well.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION monitoring_create_day_partition(
    p_day date, p_start timestamptz, p_end timestamptz
) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_name text := format('monitoring_accessevent_p%s', to_char(p_day, 'YYYYMMDD'));
    v_grant record;
BEGIN
    IF p_start IS DISTINCT FROM (p_day::timestamp AT TIME ZONE 'Europe/Amsterdam')
       OR p_end IS DISTINCT FROM ((p_day + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') THEN
        RAISE EXCEPTION 'partition bounds % to % are not the day %', p_start, p_end, p_day
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(v_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE TABLE %I PARTITION OF monitoring_accessevent FOR VALUES FROM (%L) TO (%L)',
        v_name, p_start, p_end);
    -- The parent's grants, so the runtime role can load into the partition directly.
    FOR v_grant IN
        SELECT acl.grantee, acl.privilege_type
        FROM pg_class parent, aclexplode(parent.relacl) AS acl
        WHERE parent.oid = 'monitoring_accessevent'::regclass
          AND acl.grantee <> parent.relowner AND acl.grantee <> 0
    LOOP
        EXECUTE format('GRANT %s ON %I TO %I', v_grant.privilege_type, v_name,
                       v_grant.grantee::regrole::text);
    END LOOP;
    RETURN true;
END;
$$;
REVOKE EXECUTE ON FUNCTION monitoring_create_day_partition(date, timestamptz, timestamptz)
    FROM PUBLIC;
"""

DROP = """
CREATE OR REPLACE FUNCTION monitoring_drop_day_partition(p_day date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_category constant text := 'monitoring.access_events';
    v_name text := format('monitoring_accessevent_p%s', to_char(p_day, 'YYYYMMDD'));
    v_held integer[];
    v_found_held boolean;
    v_events bigint;
BEGIN
    -- The whole day must lie before the latest cut-off allowed: its end is a cut-off.
    PERFORM vik_retention_check(v_category, p_day + 1);
    IF to_regclass(v_name) IS NULL THEN
        RETURN 0;
    END IF;
    v_held := vik_retention_held(v_category);
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE employee_id = ANY ($1))', v_name)
        INTO v_found_held USING v_held;
    IF v_found_held THEN
        RAISE EXCEPTION 'day % holds events of an employee under a legal hold', p_day
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('SELECT count(*) FROM %I', v_name) INTO v_events;
    EXECUTE format('DROP TABLE %I', v_name);
    RETURN v_events;
END;
$$;
REVOKE EXECUTE ON FUNCTION monitoring_drop_day_partition(date) FROM PUBLIC;
"""

RUNS = """
CREATE TRIGGER monitoring_retentionrun_refuse_change BEFORE UPDATE OR DELETE
    ON monitoring_retentionrun FOR EACH ROW EXECUTE FUNCTION vik_refuse_change();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (CREATE, DROP, RUNS):
        schema_editor.execute(sql, params=None)  # the % in RAISE are not placeholders


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP TRIGGER IF EXISTS monitoring_retentionrun_refuse_change ON monitoring_retentionrun",
        "DROP FUNCTION IF EXISTS monitoring_drop_day_partition(date)",
        "DROP FUNCTION IF EXISTS monitoring_create_day_partition(date, timestamptz, timestamptz)",
    ):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0010_partial_index_on_burst_groups"),
        ("vik", "0009_access_log_hash_chain"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
