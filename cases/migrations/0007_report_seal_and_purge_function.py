"""Integrity by privilege: the seal of interview reports, frozen letters, and the purge function.

* Interview-report versions get ``snapshot`` (what the PDF prints about the interview, fixed
  when the version is sent) and ``seal`` (SHA-256 over everything the PDF prints; see
  ``cases.integrity``). Versions already sent get both now, from the interview as it stands.
* The append-only journal, extensions and telecommunication stage decisions no longer depend
  on the session flag ``vik.retention_purge``, which any role could set: a DELETE passes the
  triggers only for the table's owner inside ``cases_purge_closed_cases`` (which
  turns ``vik.definer_purge`` on with set_config). The runtime role has no DELETE on them at all
  (``scripts/db-roles.sql``); the ORM no longer cascades to them (``DO_NOTHING``).
* A sent letter is frozen: a trigger without bypass refuses every change to it (its sender
  and drafter may only become empty, when the user is removed) and its deletion.
* ``cases_purge_closed_cases(category, cutoff, run_by, case_ids)``: SECURITY DEFINER. It
  checks every case against the retention rules itself — closed before a cut-off that is
  not younger than the category's period, the right category (dereliction of duty or not),
  no employee linked to it under a legal hold, no referral to the line waiting for its
  conversation, no unanswered complaint — and refuses the whole purge if one fails. Then it
  removes the rows the runtime role may not delete (journal, extensions, stage decisions,
  report versions and letters, with their history) and writes the purge record; the
  application removes the rest of each case in the same transaction.
"""

import django.db.models.deletion
from django.db import migrations, models

FROZEN = "('signed', 'not_agreed', 'refused_to_sign', 'superseded')"
# DELETE passes only inside a retention function: the owner, with the flag the function sets.
DEFINER_PURGE = (
    "current_setting('vik.definer_purge', true) = 'on' AND pg_has_role(current_user, "
    "(SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')"
)

APPEND_ONLY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cases_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND {DEFINER_PURGE} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

VERSION_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cases_report_version_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF {DEFINER_PURGE} THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'interview-report versions are never deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state IN {FROZEN} THEN
        RAISE EXCEPTION 'interview-report version % is % and immutable', OLD.id, OLD.state
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.state <> 'draft' AND (
        NEW.content IS DISTINCT FROM OLD.content
        OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
        OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.interview_id IS DISTINCT FROM OLD.interview_id
        OR NEW.snapshot IS DISTINCT FROM OLD.snapshot
    ) THEN
        RAISE EXCEPTION 'the text of interview-report version % was sent and cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

LETTER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cases_letter_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.sent_on IS NULL OR {DEFINER_PURGE} THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'letter % was sent and is never deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.sent_on IS NOT NULL AND (
        (NEW.investigation_id, NEW.kind, NEW.recipient_id, NEW.recipient_name, NEW.interview_id,
         NEW.method_id, NEW.subject, NEW.body, NEW.drafted_at, NEW.sent_on, NEW.delivery)
        IS DISTINCT FROM
        (OLD.investigation_id, OLD.kind, OLD.recipient_id, OLD.recipient_name, OLD.interview_id,
         OLD.method_id, OLD.subject, OLD.body, OLD.drafted_at, OLD.sent_on, OLD.delivery)
        OR (NEW.sent_by_id IS DISTINCT FROM OLD.sent_by_id AND NEW.sent_by_id IS NOT NULL)
        OR (NEW.drafted_by_id IS DISTINCT FROM OLD.drafted_by_id AND NEW.drafted_by_id IS NOT NULL)
    ) THEN
        RAISE EXCEPTION 'letter % was sent and is frozen', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_letter_guard ON cases_letter;
CREATE TRIGGER cases_letter_guard BEFORE UPDATE OR DELETE ON cases_letter
    FOR EACH ROW EXECUTE FUNCTION cases_letter_guard();
"""

PURGE_FUNCTION = """
CREATE OR REPLACE FUNCTION cases_purge_closed_cases(
    p_category text, p_cutoff date, p_run_by integer, p_case_ids bigint[]
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_held integer[];
    v_cutoff_at timestamptz;
    v_wanted bigint[];
    v_allowed integer;
    v_interviews bigint[];
    v_record_id bigint;
BEGIN
    -- Not a SET clause: a role without superuser rights may not attach a custom parameter
    -- to a function. Only the owner passes the triggers with it on (they check current_user),
    -- so the runtime role gains nothing by setting it itself.
    PERFORM set_config('vik.definer_purge', 'on', true);
    IF p_category NOT IN ('cases.closed_no_violation', 'cases.closed_violation') THEN
        RAISE EXCEPTION 'cases_purge_closed_cases does not purge %', p_category
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM vik_retention_check(p_category, p_cutoff);
    v_wanted := ARRAY(SELECT DISTINCT unnest(coalesce(p_case_ids, '{}')));
    IF cardinality(v_wanted) = 0 THEN
        PERFORM set_config('vik.definer_purge', 'off', true);
        RETURN NULL;
    END IF;
    v_held := vik_retention_held(p_category);
    v_cutoff_at := p_cutoff::timestamp AT TIME ZONE 'Europe/Amsterdam';
    SELECT count(*) INTO v_allowed FROM cases_case c
    WHERE c.id = ANY (v_wanted)
      AND c.status = 'closed' AND c.closed_at < v_cutoff_at
      AND EXISTS (SELECT 1 FROM cases_investigation i WHERE i.case_id = c.id AND i.dereliction)
          = (p_category = 'cases.closed_violation')
      AND NOT EXISTS (SELECT 1 FROM cases_linereferral r
                      WHERE r.case_id = c.id AND r.conversation_held_on IS NULL)
      AND NOT EXISTS (SELECT 1 FROM cases_investigationcomplaint q
                      WHERE q.case_id = c.id AND q.answered_on IS NULL)
      AND NOT EXISTS (SELECT 1 FROM cases_caseparty x
                      WHERE x.case_id = c.id AND x.employee_id = ANY (v_held))
      AND NOT EXISTS (SELECT 1 FROM cases_reporteridentity x
                      WHERE x.case_id = c.id AND x.employee_id = ANY (v_held))
      AND NOT EXISTS (SELECT 1 FROM cases_linereferral x
                      WHERE x.case_id = c.id AND x.employee_id = ANY (v_held))
      AND NOT EXISTS (SELECT 1 FROM cases_interview x
                      WHERE x.investigation_id = c.id AND x.interviewee_id = ANY (v_held))
      AND NOT EXISTS (SELECT 1 FROM cases_documentrequest x
                      WHERE x.investigation_id = c.id AND x.requested_from_id = ANY (v_held))
      AND NOT EXISTS (SELECT 1 FROM cases_letter x
                      WHERE x.investigation_id = c.id AND x.recipient_id = ANY (v_held));
    IF v_allowed <> cardinality(v_wanted) THEN
        RAISE EXCEPTION 'retention of %: % of % cases may not be purged yet', p_category,
            cardinality(v_wanted) - v_allowed, cardinality(v_wanted)
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    v_interviews := ARRAY(
        SELECT DISTINCT id FROM cases_historicalinterview WHERE investigation_id = ANY (v_wanted)
        UNION SELECT id FROM cases_interview WHERE investigation_id = ANY (v_wanted));
    DELETE FROM cases_journalentry WHERE investigation_id = ANY (v_wanted);
    DELETE FROM cases_assignmentextension WHERE investigation_id = ANY (v_wanted);
    DELETE FROM cases_telecomstagedecision WHERE method_id IN (
        SELECT id FROM cases_investigationmethod WHERE investigation_id = ANY (v_wanted));
    DELETE FROM cases_interviewreportversion WHERE interview_id = ANY (v_interviews);
    DELETE FROM cases_historicalinterviewreportversion WHERE interview_id = ANY (v_interviews);
    DELETE FROM cases_letter WHERE investigation_id = ANY (v_wanted);
    DELETE FROM cases_historicalletter WHERE investigation_id = ANY (v_wanted);
    INSERT INTO transparency_purgerecord (category, cutoff, purged, outcome, ran_at, run_by_id, note)
    VALUES (p_category, p_cutoff, cardinality(v_wanted), 'purged', now(), p_run_by, '')
    RETURNING id INTO v_record_id;
    PERFORM set_config('vik.definer_purge', 'off', true);
    RETURN v_record_id;
END;
$$;
REVOKE EXECUTE ON FUNCTION cases_purge_closed_cases(text, date, integer, bigint[]) FROM PUBLIC;
"""

def seal_sent_versions(apps, schema_editor):
    """Give versions already sent their snapshot and seal, from the interview as it stands."""
    from cases.integrity import interview_snapshot, version_seal

    version_model = apps.get_model("cases", "InterviewReportVersion")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE cases_interviewreportversion "
            "DISABLE TRIGGER cases_interviewreportversion_guard",
            params=None,
        )
    versions = version_model.objects.exclude(state="draft").select_related(
        "interview__investigation__case",
        "interview__lead_investigator",
        "interview__second_investigator",
    )
    for version in versions:
        interview = version.interview
        version.snapshot = interview_snapshot(
            interview, case_reference=interview.investigation.case.reference
        )
        version_model.objects.filter(pk=version.pk).update(
            snapshot=version.snapshot, seal=version_seal(version)
        )
    if postgres:
        schema_editor.execute(
            "ALTER TABLE cases_interviewreportversion "
            "ENABLE TRIGGER cases_interviewreportversion_guard",
            params=None,
        )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the % signs in RAISE are not placeholders.
    for sql in (APPEND_ONLY_FUNCTION, VERSION_FUNCTION, LETTER_FUNCTION, PURGE_FUNCTION):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    schema_editor.execute("DROP TRIGGER IF EXISTS cases_letter_guard ON cases_letter", params=None)
    for function in (
        "cases_letter_guard()",
        "cases_purge_closed_cases(text, date, integer, bigint[])",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}", params=None)
    # Back to the trigger functions of 0002 (with their session flag).
    previous = import_module("cases.migrations.0002_append_only_and_immutable")
    schema_editor.execute(previous.APPEND_ONLY_FUNCTION, params=None)
    schema_editor.execute(previous.VERSION_FUNCTION, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_forwarded_signals'),
        ('vik', '0009_access_log_hash_chain'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalinterviewreportversion',
            name='seal',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='seal (SHA-256)'),
        ),
        migrations.AddField(
            model_name='historicalinterviewreportversion',
            name='snapshot',
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name='the interview as printed'),
        ),
        migrations.AddField(
            model_name='interviewreportversion',
            name='seal',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='seal (SHA-256)'),
        ),
        migrations.AddField(
            model_name='interviewreportversion',
            name='snapshot',
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name='the interview as printed'),
        ),
        migrations.AlterField(
            model_name='assignmentextension',
            name='investigation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='extensions', to='cases.investigation', verbose_name='investigation'),
        ),
        migrations.AlterField(
            model_name='journalentry',
            name='investigation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='journal', to='cases.investigation', verbose_name='investigation'),
        ),
        migrations.AlterField(
            model_name='telecomstagedecision',
            name='method',
            field=models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='stage_decisions', to='cases.investigationmethod', verbose_name='method'),
        ),
        migrations.RunPython(install, uninstall),
        migrations.RunPython(seal_sent_versions, migrations.RunPython.noop),
    ]
