"""The access log's hash chain, and retention through a function instead of a session flag.

PostgreSQL only (the demo on SQLite keeps the models' guards and Python's retention checks):

* ``vik_access_log_entry_hash(entry)``: SHA-256 over an entry's fields and the hash of the
  entry before it. A BEFORE INSERT trigger numbers each new entry (``chain_seq``) and chains
  it to the newest one, under an advisory lock so that concurrent inserts chain in the order
  they commit. Existing entries are chained here, in id order.
* The append-only trigger no longer lets anything through for a session that sets
  ``vik.retention_purge``. DELETE passes only for the table's owner while
  ``vik.definer_purge`` is on, which the retention function sets for itself (with set_config inside
  the function); the runtime role is not the owner and has no DELETE privilege anyway
  (``scripts/db-roles.sql``).
* ``vik_purge_access_log(cutoff, run_by, keep)``: SECURITY DEFINER, owned by the migration
  role. It refuses a cut-off younger than the category's retention period (the
  administrator's policy, else the default below) and a category under legal hold, keeps the
  entries of employees under a legal hold, writes the purge record, and records the removed
  runs of the chain (``vik_accesslogpurgedrange``) so the chain check can step over them.
* ``vik_retention_limit(category)``: the latest cut-off the retention rules allow today.
* Purge records, purged ranges and chain checks refuse UPDATE and DELETE to everybody.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The defaults of the retention categories the database functions purge (their providers'
# ``default_months``; tests/vik/test_integrity.py keeps them in step).
DEFAULT_MONTHS = {
    "vik.access_log": 60,
    "cases.closed_no_violation": 12,
    "cases.closed_violation": 60,
    "monitoring.access_events": 6,
}
CHAIN_LOCK = 0x56494B43  # vik.integrity.CHAIN_LOCK
GENESIS = "0" * 64  # vik.integrity.GENESIS


def _limit_function() -> str:
    cases = "\n".join(
        f"        WHEN '{key}' THEN {months}" for key, months in DEFAULT_MONTHS.items()
    )
    return f"""
CREATE OR REPLACE FUNCTION vik_retention_limit(p_category text) RETURNS date
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_months integer;
BEGIN
    SELECT p.period_months INTO v_months FROM transparency_retentionpolicy p
        WHERE p.category = p_category;
    IF v_months IS NULL THEN
        v_months := CASE p_category
{cases}
        END;
    END IF;
    IF v_months IS NULL OR v_months < 1 THEN
        RAISE EXCEPTION 'no retention period for %', p_category
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN ((now() AT TIME ZONE 'Europe/Amsterdam')::date - make_interval(months => v_months))::date;
END;
$$;
REVOKE EXECUTE ON FUNCTION vik_retention_limit(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION vik_retention_held(p_category text) RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT h.employee_id), '{{}}') FROM transparency_legalhold h
    WHERE h.released_at IS NULL AND h.category IN ('', p_category);
$$;
REVOKE EXECUTE ON FUNCTION vik_retention_held(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION vik_retention_check(p_category text, p_cutoff date) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_latest date := vik_retention_limit(p_category);
BEGIN
    IF p_cutoff IS NULL OR p_cutoff > v_latest THEN
        RAISE EXCEPTION 'retention of %: cut-off % is younger than the retention period (at most %)',
            p_category, p_cutoff, v_latest USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM transparency_retentionpolicy p
               WHERE p.category = p_category AND p.legal_hold) THEN
        RAISE EXCEPTION 'retention of %: legal hold on the category', p_category
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;
REVOKE EXECUTE ON FUNCTION vik_retention_check(text, date) FROM PUBLIC;
"""


HASH_FUNCTION = """
CREATE OR REPLACE FUNCTION vik_access_log_entry_hash(e vik_accesslogentry) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        e.chain_prev, e.chain_seq::text, e.id::text, extract(epoch FROM e.occurred_at)::text,
        coalesce(e.actor_id::text, ''), e.actor_username, e.actor_role, e.action, e.channel,
        e.object_type, e.object_id, coalesce(e.employee_id::text, ''), e.purpose, e.query,
        e.request_id, coalesce(host(e.client_address), '')
    ), 'UTF8')), 'hex');
$$;
REVOKE EXECUTE ON FUNCTION vik_access_log_entry_hash(vik_accesslogentry) FROM PUBLIC;
"""

CHAIN_TRIGGER = f"""
CREATE OR REPLACE FUNCTION vik_access_log_chain() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    v_seq bigint;
    v_hash text;
    v_purged_seq bigint;
    v_purged_hash text;
BEGIN
    -- Held until commit: the next insert waits, then sees this entry and chains onto it.
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    SELECT e.chain_seq, e.chain_hash INTO v_seq, v_hash FROM vik_accesslogentry e
        WHERE e.chain_seq IS NOT NULL ORDER BY e.chain_seq DESC LIMIT 1;
    SELECT r.last_seq, r.last_hash INTO v_purged_seq, v_purged_hash
        FROM vik_accesslogpurgedrange r ORDER BY r.last_seq DESC LIMIT 1;
    IF v_purged_seq IS NOT NULL AND (v_seq IS NULL OR v_purged_seq > v_seq) THEN
        v_seq := v_purged_seq;
        v_hash := v_purged_hash;
    END IF;
    NEW.chain_seq := coalesce(v_seq, 0) + 1;
    NEW.chain_prev := coalesce(v_hash, '{GENESIS}');
    NEW.chain_hash := vik_access_log_entry_hash(NEW);
    RETURN NEW;
END;
$$;
REVOKE EXECUTE ON FUNCTION vik_access_log_chain() FROM PUBLIC;
DROP TRIGGER IF EXISTS vik_access_log_chain ON vik_accesslogentry;
CREATE TRIGGER vik_access_log_chain BEFORE INSERT ON vik_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION vik_access_log_chain();
"""

BACKFILL = f"""
DO $$
DECLARE
    entry vik_accesslogentry;
    previous text := '{GENESIS}';
    pos bigint := 0;
BEGIN
    FOR entry IN SELECT * FROM vik_accesslogentry ORDER BY id LOOP
        pos := pos + 1;
        entry.chain_seq := pos;
        entry.chain_prev := previous;
        previous := vik_access_log_entry_hash(entry);
        UPDATE vik_accesslogentry SET chain_seq = pos, chain_prev = entry.chain_prev,
            chain_hash = previous WHERE id = entry.id;
    END LOOP;
END
$$;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION vik_access_log_append_only() RETURNS trigger AS $$
BEGIN
    -- Only inside vik_purge_access_log: the owner, with the flag the function sets. A
    -- session of the runtime role may set the flag, but is not the owner.
    IF TG_OP = 'DELETE' AND current_setting('vik.definer_purge', true) = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'vik_accesslogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION vik_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSING_TABLES = ("transparency_purgerecord", "vik_accesslogpurgedrange", "vik_accesslogchaincheck")

PURGE_FUNCTION = """
CREATE OR REPLACE FUNCTION vik_purge_access_log(
    p_cutoff date, p_run_by integer, p_keep integer[] DEFAULT '{}'
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_category constant text := 'vik.access_log';
    v_held integer[];
    v_cutoff_at timestamptz;
    v_record_id bigint;
    v_removed integer;
BEGIN
    -- Not a SET clause: a role without superuser rights may not attach a custom parameter
    -- to a function. Only the owner passes the triggers with it on (they check current_user),
    -- so the runtime role gains nothing by setting it itself.
    PERFORM set_config('vik.definer_purge', 'on', true);
    PERFORM vik_retention_check(v_category, p_cutoff);
    v_held := vik_retention_held(v_category) || coalesce(p_keep, '{}');
    v_cutoff_at := p_cutoff::timestamp AT TIME ZONE 'Europe/Amsterdam';
    -- No entry may chain onto one that is being removed while the ranges are computed.
    PERFORM pg_advisory_xact_lock(%(lock)s);
    v_record_id := nextval(pg_get_serial_sequence('transparency_purgerecord', 'id'));
    WITH doomed AS (
        DELETE FROM vik_accesslogentry e
        WHERE e.occurred_at < v_cutoff_at
          AND (e.employee_id IS NULL OR NOT e.employee_id = ANY (v_held))
        RETURNING e.chain_seq AS seq, e.chain_prev AS prev, e.chain_hash AS hash
    ), islands AS (
        SELECT d.seq, d.prev, d.hash, d.seq - row_number() OVER (ORDER BY d.seq) AS island
        FROM doomed d WHERE d.seq IS NOT NULL
    ), ranges AS (
        INSERT INTO vik_accesslogpurgedrange
            (purge_record_id, first_seq, last_seq, first_prev, last_hash, created_at)
        SELECT v_record_id, min(i.seq), max(i.seq),
               (array_agg(i.prev ORDER BY i.seq))[1],
               (array_agg(i.hash ORDER BY i.seq DESC))[1], now()
        FROM islands i GROUP BY i.island
        RETURNING 1
    )
    SELECT count(*) INTO v_removed FROM doomed;
    IF v_removed = 0 THEN
        PERFORM set_config('vik.definer_purge', 'off', true);
        RETURN NULL;
    END IF;
    INSERT INTO transparency_purgerecord
        (id, category, cutoff, purged, outcome, ran_at, run_by_id, note)
    VALUES (v_record_id, v_category, p_cutoff, v_removed, 'purged', now(), p_run_by, '');
    PERFORM set_config('vik.definer_purge', 'off', true);
    RETURN v_record_id;
END;
$$;
REVOKE EXECUTE ON FUNCTION vik_purge_access_log(date, integer, integer[]) FROM PUBLIC;
""" % {"lock": CHAIN_LOCK}


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    # params=None: the % signs in RAISE are not placeholders.
    run(_limit_function(), params=None)
    run(HASH_FUNCTION, params=None)
    run(APPEND_ONLY, params=None)
    run("ALTER TABLE vik_accesslogentry DISABLE TRIGGER vik_access_log_append_only", params=None)
    run(BACKFILL, params=None)
    run("ALTER TABLE vik_accesslogentry ENABLE TRIGGER vik_access_log_append_only", params=None)
    run(CHAIN_TRIGGER, params=None)
    for table in REFUSING_TABLES:
        run(
            f"CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION vik_refuse_change()",
            params=None,
        )
    run(PURGE_FUNCTION, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    for table in REFUSING_TABLES:
        run(f"DROP TRIGGER IF EXISTS {table}_refuse_change ON {table}", params=None)
    run("DROP TRIGGER IF EXISTS vik_access_log_chain ON vik_accesslogentry", params=None)
    for function in (
        "vik_purge_access_log(date, integer, integer[])",
        "vik_access_log_chain()",
        "vik_access_log_entry_hash(vik_accesslogentry)",
        "vik_refuse_change()",
        "vik_retention_check(text, date)",
        "vik_retention_held(text)",
        "vik_retention_limit(text)",
    ):
        run(f"DROP FUNCTION IF EXISTS {function}", params=None)
    # Back to the trigger of 0002 (with its session flag).
    run(
        """
CREATE OR REPLACE FUNCTION vik_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('vik.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'vik_accesslogentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""",
        params=None,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('vik', '0008_role_requests_know_prevention_coordinators'),
        ('transparency', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLogChainCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='checked at')),
                ('ok', models.BooleanField(verbose_name='chain intact')),
                ('entries', models.PositiveIntegerField(default=0, verbose_name='entries checked')),
                ('head_seq', models.BigIntegerField(blank=True, null=True, verbose_name='newest position')),
                ('head_hash', models.CharField(blank=True, max_length=64, verbose_name='newest hash')),
                ('problems', models.JSONField(blank=True, default=list, verbose_name='problems found')),
            ],
            options={
                'verbose_name': 'access-log chain check',
                'verbose_name_plural': 'access-log chain checks',
                'ordering': ['-checked_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='AccessLogPurgedRange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purge_record_id', models.BigIntegerField(verbose_name='purge record')),
                ('first_seq', models.BigIntegerField(verbose_name='first position removed')),
                ('last_seq', models.BigIntegerField(verbose_name='last position removed')),
                ('first_prev', models.CharField(max_length=64, verbose_name='hash before the range')),
                ('last_hash', models.CharField(max_length=64, verbose_name='hash of the last entry removed')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
            ],
            options={
                'verbose_name': 'purged range of the access log',
                'verbose_name_plural': 'purged ranges of the access log',
                'ordering': ['first_seq'],
            },
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='chain_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='hash of this entry'),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='chain_prev',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='hash of the previous entry'),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='chain_seq',
            field=models.BigIntegerField(editable=False, null=True, verbose_name='position in the chain'),
        ),
        migrations.AddConstraint(
            model_name='accesslogentry',
            constraint=models.UniqueConstraint(fields=('chain_seq',), name='accesslog_chain_seq_unique'),
        ),
        migrations.AddConstraint(
            model_name='accesslogpurgedrange',
            constraint=models.UniqueConstraint(fields=('first_seq',), name='accesslog_purged_first_unique'),
        ),
        migrations.RunPython(install, uninstall),
    ]
