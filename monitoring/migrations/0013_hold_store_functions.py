"""A legal hold on one employee no longer keeps whole days of everyone's events (issue 11).

PostgreSQL only (on SQLite the Python purge copies and deletes; there are no roles):

* ``monitoring_drop_day_partition(day)`` is replaced: instead of refusing a day that holds
  events of an employee under a legal hold, it first copies those events into the hold
  store (``monitoring_heldaccessevent``, one copy per event, tied to the hold), then drops
  the day as before. It returns ``(events, held)``: the events the day held and how many of
  them were copied. Same argument list, so the runtime role's grant
  (``scripts/db-roles.sql``) names it as before.
* ``monitoring_purge_held_events()`` removes copies whose hold has been released and that
  are past the access events' retention period (unless the employee is under another hold
  of the category); returns how many.
* The hold store is append-only: a trigger refuses UPDATE to everybody and DELETE except to
  the table's owner inside the purge function (which sets ``vik.definer_purge`` with
  set_config in its body); the runtime role has neither privilege anyway (``vik.integrity``).
* Existing recorded signals (a conversation, a case, or a referral) mark the evidence rows
  their record rests on as cited, by the rule escalation now applies: the events without a
  work reason, or all of them when every event had one.
"""

from django.db import migrations

DROP = """
DROP FUNCTION IF EXISTS monitoring_drop_day_partition(date);
CREATE FUNCTION monitoring_drop_day_partition(p_day date, OUT events bigint, OUT held bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_category constant text := 'monitoring.access_events';
    v_name text := format('monitoring_accessevent_p%s', to_char(p_day, 'YYYYMMDD'));
BEGIN
    events := 0;
    held := 0;
    -- The whole day must lie before the latest cut-off allowed: its end is a cut-off.
    PERFORM vik_retention_check(v_category, p_day + 1);
    IF to_regclass(v_name) IS NULL THEN
        RETURN;
    END IF;
    -- The held employees' events of the day go to the hold store first (the oldest active
    -- hold on the employee owns the copy); then the day goes on time for everyone else.
    EXECUTE format(
        'INSERT INTO monitoring_heldaccessevent (hold_id, occurred_at, event_id, '
        '    employee_number, employee_id, system, action, subject_ref, incident_ref, '
        '    workstation, copied_at) '
        'SELECT DISTINCT ON (e.occurred_at, e.event_id) h.id, e.occurred_at, e.event_id, '
        '    e.employee_number, e.employee_id, e.system, e.action, e.subject_ref, '
        '    e.incident_ref, e.workstation, now() '
        'FROM %I e JOIN transparency_legalhold h ON h.employee_id = e.employee_id '
        'WHERE h.released_at IS NULL AND h.category IN (%L, %L) '
        'ORDER BY e.occurred_at, e.event_id, h.placed_at, h.id '
        'ON CONFLICT (occurred_at, event_id) DO NOTHING',
        v_name, '', v_category);
    GET DIAGNOSTICS held = ROW_COUNT;
    EXECUTE format('SELECT count(*) FROM %I', v_name) INTO events;
    EXECUTE format('DROP TABLE %I', v_name);
END;
$$;
REVOKE EXECUTE ON FUNCTION monitoring_drop_day_partition(date) FROM PUBLIC;
"""

PURGE_HELD = """
CREATE OR REPLACE FUNCTION monitoring_purge_held_events() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_category constant text := 'monitoring.access_events';
    v_limit date;
    v_held integer[];
    v_removed bigint;
BEGIN
    -- Not a SET clause: a role without superuser rights may not attach a custom parameter
    -- to a function; only the owner passes the trigger with it on.
    PERFORM set_config('vik.definer_purge', 'on', true);
    v_limit := vik_retention_limit(v_category);
    PERFORM vik_retention_check(v_category, v_limit);
    v_held := vik_retention_held(v_category);
    DELETE FROM monitoring_heldaccessevent k
    USING transparency_legalhold h
    WHERE h.id = k.hold_id
      AND h.released_at IS NOT NULL
      AND k.occurred_at < (v_limit::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND NOT k.employee_id = ANY (v_held);
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    PERFORM set_config('vik.definer_purge', 'off', true);
    RETURN v_removed;
END;
$$;
REVOKE EXECUTE ON FUNCTION monitoring_purge_held_events() FROM PUBLIC;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION monitoring_hold_store_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('vik.definer_purge', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER monitoring_heldaccessevent_append_only BEFORE UPDATE OR DELETE
    ON monitoring_heldaccessevent FOR EACH ROW
    EXECUTE FUNCTION monitoring_hold_store_append_only();
"""

# The version of 0011, for going back.
OLD_DROP = """
DROP FUNCTION IF EXISTS monitoring_drop_day_partition(date);
CREATE FUNCTION monitoring_drop_day_partition(p_day date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_category constant text := 'monitoring.access_events';
    v_name text := format('monitoring_accessevent_p%s', to_char(p_day, 'YYYYMMDD'));
    v_held integer[];
    v_found_held boolean;
    v_events bigint;
BEGIN
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


def cite_recorded_evidence(apps, schema_editor):
    from django.db.models import Q
    from django.utils import timezone

    signal_model = apps.get_model("monitoring", "Signal")
    evidence_model = apps.get_model("monitoring", "SignalEvidence")
    recorded = signal_model.objects.filter(
        Q(status__in=("closed", "referred")) | Q(followup__status="recorded")
    ).values_list("pk", flat=True)
    now = timezone.now()
    for signal_id in recorded.iterator():
        rows = evidence_model.objects.filter(signal_id=signal_id, cited_at__isnull=True)
        unexplained = rows.filter(explanation="none")
        (unexplained if unexplained.exists() else rows).update(cited_at=now)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (DROP, PURGE_HELD, APPEND_ONLY):
        schema_editor.execute(sql, params=None)  # the % in RAISE are not placeholders


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP TRIGGER IF EXISTS monitoring_heldaccessevent_append_only "
        "ON monitoring_heldaccessevent",
        "DROP FUNCTION IF EXISTS monitoring_hold_store_append_only()",
        "DROP FUNCTION IF EXISTS monitoring_purge_held_events()",
        OLD_DROP,
    ):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0012_legal_hold_store_and_cited_evidence")]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.RunPython(cite_recorded_evidence, migrations.RunPython.noop),
    ]
