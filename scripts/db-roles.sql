-- The application's runtime database role, as docs/deployment.md prescribes it.
--
-- Run as the owner role (the one that runs migrations), after every `manage.py migrate`:
--
--   psql -v ON_ERROR_STOP=1 -v app_role=vik_app -d vik -f scripts/db-roles.sql
--
-- The role itself is created once by the DBA (CREATE ROLE vik_app LOGIN PASSWORD '…').
-- The production-mode suite (tests/production/) runs the application through exactly this file,
-- and tests/vik/test_integrity.py runs it for a throwaway role and checks it against the
-- registry in vik/integrity.py: every table listed there must be revoked here, and only those.
--
-- The runtime role owns nothing: it cannot ALTER, DISABLE TRIGGER, DROP or TRUNCATE, so the
-- triggers of the append-only and immutable tables hold for it without any bypass. Rows leave
-- those tables only through the SECURITY DEFINER retention functions granted at the end.

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
REVOKE CREATE ON SCHEMA public FROM :"app_role";

-- Ordinary tables: read and write rows, nothing more (no TRUNCATE, REFERENCES or TRIGGER).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

-- integrity: append-only (vik.integrity.APPEND_ONLY): read and insert, never update or delete.
REVOKE UPDATE, DELETE, TRUNCATE ON
    vik_accesslogentry,
    vik_accesslogpurgedrange,
    vik_accesslogchaincheck,
    transparency_purgerecord,
    cases_journalentry,
    cases_assignmentextension,
    cases_telecomstagedecision,
    monitoring_retentionrun,
    monitoring_heldaccessevent,
    monitoring_councildecision
FROM :"app_role";

-- integrity: no delete (vik.integrity.NO_DELETE): a trigger decides which rows may still change.
REVOKE DELETE, TRUNCATE ON
    cases_interviewreportversion,
    cases_letter
FROM :"app_role";

-- integrity: history rows are never rewritten (every django-simple-history table).
SELECT set_config('vik.app_role', :'app_role', false);
DO $$
DECLARE
    history_table text;
BEGIN
    FOR history_table IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public' AND tablename LIKE '%\_historical%'
    LOOP
        EXECUTE format('REVOKE UPDATE ON %I FROM %I', history_table,
                       current_setting('vik.app_role'));
    END LOOP;
END
$$;

-- integrity: the retention and partition functions (vik.integrity.DEFINER_FUNCTIONS and
-- INVOKER_FUNCTIONS); the migrations revoke EXECUTE on them from PUBLIC.
GRANT EXECUTE ON FUNCTION
    vik_purge_access_log(date, integer, integer[]),
    cases_purge_closed_cases(text, date, integer, bigint[]),
    monitoring_create_day_partition(date, timestamp with time zone, timestamp with time zone),
    monitoring_drop_day_partition(date),
    monitoring_purge_held_events(),
    vik_access_log_entry_hash(vik_accesslogentry)
TO :"app_role";

-- Tables a later migration creates are readable and insertable at once, nothing more, until
-- this script runs again; functions the owner creates are nobody's to execute until granted.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
