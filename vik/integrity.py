"""What the application's own database role may never change: the integrity registry.

The runtime role (``vik_app`` in docs/deployment.md) gets its grants from
``scripts/db-roles.sql`` and from nowhere else. This module is the list that script must
follow; ``tests/vik/test_integrity.py`` reads the script and fails when a table below is not
revoked there (or the script revokes a table that is not here), so a new append-only table
cannot be forgotten.

Three kinds of protection:

* ``APPEND_ONLY``: the runtime role may read and insert, never update or delete. Rows leave
  only through a retention function (``SECURITY DEFINER``, owned by the migration role),
  which checks the retention rules itself and writes the purge record.
* ``NO_DELETE``: the runtime role may update (a draft is still a draft), never delete. Which
  rows may still change is decided by a trigger without any bypass: the runtime role does not
  own the table, so it can neither disable the trigger nor drop it.
* every history table (django-simple-history, ``%historical%``): no update. History rows are
  inserted and, at the end of retention, deleted with their object; never rewritten.

The retention functions are listed in ``DEFINER_FUNCTIONS``; the script grants the runtime
role EXECUTE on exactly these (the migrations revoke it from PUBLIC).

Everything here is PostgreSQL. The one-command demo on SQLite has no roles: there the
models' own guards and the Python retention checks apply.
"""

from __future__ import annotations

APPEND_ONLY: tuple[str, ...] = (
    "vik_accesslogentry",  # the access log itself (NEN 7513)
    "vik_accesslogpurgedrange",  # what retention removed from the access log's hash chain
    "vik_accesslogchaincheck",  # the nightly checks of the chain
    "transparency_purgerecord",  # the evidence that retention is carried out
    "cases_journalentry",  # the investigation's journal
    "cases_assignmentextension",  # extensions of an assignment
    "cases_telecomstagedecision",  # decisions to go to the next telecommunication stage
    "monitoring_retentionrun",  # what monitoring's retention removed
    "monitoring_heldaccessevent",  # access events kept for a legal hold (the hold store)
    "monitoring_councildecision",  # the works council's decisions on protocol changes
)

NO_DELETE: tuple[str, ...] = (
    "cases_interviewreportversion",  # signed and closed versions are immutable (trigger)
    "cases_letter",  # a sent letter is frozen (trigger)
)

# The SECURITY DEFINER functions the runtime role may execute, with their argument types.
DEFINER_FUNCTIONS: tuple[str, ...] = (
    "vik_purge_access_log(date, integer, integer[])",
    "cases_purge_closed_cases(text, date, integer, bigint[])",
    "monitoring_create_day_partition(date, timestamp with time zone, timestamp with time zone)",
    "monitoring_drop_day_partition(date)",
    "monitoring_purge_held_events()",
)

# The ordinary functions the runtime role needs too (triggers call them; the chain check
# recomputes hashes with the same function the trigger used).
INVOKER_FUNCTIONS: tuple[str, ...] = ("vik_access_log_entry_hash(vik_accesslogentry)",)

# The advisory lock that orders the access log's hash chain (shared with the purge function).
CHAIN_LOCK = 0x56494B43  # "VIKC"
# The "previous hash" of the very first entry of the chain.
GENESIS = "0" * 64


def protected_tables() -> set[str]:
    """Every table whose UPDATE or DELETE the runtime role must not have."""
    return set(APPEND_ONLY) | set(NO_DELETE)


ROLE_SCRIPT = "scripts/db-roles.sql"


def role_script_sql(*, app_role: str, dbname: str) -> str:
    """``scripts/db-roles.sql`` with psql's variables filled in, to run through a cursor.

    The same text psql runs (``-v app_role=…``; ``DBNAME`` is psql's own variable): the
    tests and the production-mode suite apply the very grants docs/deployment.md prescribes.
    """
    from django.conf import settings

    def identifier(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    text = (settings.BASE_DIR / ROLE_SCRIPT).read_text(encoding="utf-8")
    return (
        text.replace(':"DBNAME"', identifier(dbname))
        .replace(':"app_role"', identifier(app_role))
        .replace(":'app_role'", literal(app_role))
    )
