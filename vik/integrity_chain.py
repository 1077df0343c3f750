"""The access log's hash chain: verified every night, the result kept and reported.

Every access-log entry carries its position (``chain_seq``), the hash of the entry before it
(``chain_prev``) and its own hash (``chain_hash``), all computed by the database when the row
is inserted (``vik/migrations/0009_access_log_hash_chain``). The runtime role cannot update
or delete entries at all; the chain is there for those who can — a database superuser or the
owner — so that what they change shows:

* an entry whose fields were changed no longer matches its own hash;
* a deleted entry leaves a gap in the positions that no purge record explains (the retention
  function records each run of entries it removes, with the hashes at both ends, in
  ``vik_accesslogpurgedrange``);
* deleting the newest entries is found against the head the previous check recorded.

Someone with those rights who knows all this could still rewrite the whole chain from the
entry they changed onwards. The head of every check is therefore also written to the
application log, which is shipped off the database server: a rewritten chain no longer ends
in the head that was logged (docs/architecture.md, "Integrity guarantees").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from vik.integrity import GENESIS
from vik.models import AccessLogChainCheck, AccessLogEntry, AccessLogPurgedRange

logger = logging.getLogger("vik.integrity")

BATCH = 5000
MAX_PROBLEMS = 50  # enough to act on; the first ones locate the tampering


@dataclass
class _Walk:
    """The state of one pass along the chain."""

    ranges: dict[int, AccessLogPurgedRange]
    last_seq: int = 0
    last_hash: str = GENESIS
    entries: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, kind: str, **details: Any) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"kind": kind, **details})

    def step_over_purges(self, seq: int) -> bool:
        """Follow the purged ranges from just after the last entry up to ``seq``.

        False (and a problem noted) when entries are missing that no purge removed.
        """
        while self.last_seq + 1 < seq:
            purged = self.ranges.get(self.last_seq + 1)
            if purged is None or purged.first_prev != self.last_hash or purged.last_seq >= seq:
                self.problem("missing", after_seq=self.last_seq, before_seq=seq)
                return False
            self.last_seq, self.last_hash = purged.last_seq, purged.last_hash
        return True


def verify_chain() -> AccessLogChainCheck:
    """Walk the whole chain in order, record the result, and alarm when it is broken.

    PostgreSQL only (the demo on SQLite has no chain): there the check records nothing and
    returns an unsaved, passing result. Reads in batches along the ``chain_seq`` index, and
    lets the database recompute each entry's hash with the very function the trigger used.
    """
    if connection.vendor != "postgresql":
        return AccessLogChainCheck(ok=True)
    walk = _Walk(ranges={r.first_seq: r for r in AccessLogPurgedRange.objects.all()})
    table = AccessLogEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Entries added while the walk runs are for the next check.
        cursor.execute(f"SELECT max(chain_seq) FROM {table}")  # noqa: S608
        end = cursor.fetchone()[0] or 0
        cursor.execute(f"SELECT count(*) FROM {table} WHERE chain_seq IS NULL")  # noqa: S608
        unchained = cursor.fetchone()[0]
        if unchained:
            walk.problem("unchained", entries=unchained)
        after = 0
        while True:
            cursor.execute(
                f"SELECT e.id, e.chain_seq, e.chain_prev, e.chain_hash, "  # noqa: S608
                f"vik_access_log_entry_hash(e) FROM {table} e "
                "WHERE e.chain_seq > %s AND e.chain_seq <= %s ORDER BY e.chain_seq LIMIT %s",
                [after, end, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            for entry_id, seq, prev, stored, recomputed in rows:
                walk.entries += 1
                if stored != recomputed:
                    walk.problem("changed", seq=seq, id=entry_id)
                if walk.step_over_purges(seq) and prev != walk.last_hash:
                    walk.problem("broken_link", seq=seq, id=entry_id)
                walk.last_seq, walk.last_hash = seq, stored
            after = rows[-1][1]
    # A purge may have removed the newest entries too: step over ranges past the last one.
    while (purged := walk.ranges.get(walk.last_seq + 1)) is not None:
        if purged.first_prev != walk.last_hash:
            walk.problem("missing", after_seq=walk.last_seq, before_seq=None)
            break
        walk.last_seq, walk.last_hash = purged.last_seq, purged.last_hash
    previous = AccessLogChainCheck.objects.exclude(head_seq=None).order_by("-checked_at", "-id")
    last_check = previous.first()
    if (
        last_check is not None
        and last_check.head_seq is not None
        and last_check.head_seq > walk.last_seq
    ):
        walk.problem("truncated", head_seq=last_check.head_seq, now_seq=walk.last_seq)
    check = AccessLogChainCheck.objects.create(
        ok=not walk.problems,
        entries=walk.entries,
        head_seq=walk.last_seq or None,
        head_hash=walk.last_hash if walk.last_seq else "",
        problems=walk.problems,
    )
    # The witness outside the database: a rewritten chain no longer ends in this head.
    logger.log(
        logging.INFO if check.ok else logging.ERROR,
        "access-log chain check ok=%s entries=%s head_seq=%s head_hash=%s",
        check.ok,
        check.entries,
        check.head_seq,
        check.head_hash,
    )
    if not check.ok:
        _alarm(check)
    return check


def _alarm(check: AccessLogChainCheck) -> None:
    from vik.services import raise_integrity_alarm

    first = check.problems[0] if check.problems else {}
    with translation.override(settings.LANGUAGE_CODE):
        raise_integrity_alarm(
            subject=_("Integrity check failed: the access log's hash chain is broken"),
            body=_(
                "The nightly check found %(count)s problem(s) in the access log, the first: "
                "%(first)s. Entries were changed or removed outside VIK. See "
                "docs/operations.md (integrity alarms)."
            )
            % {"count": len(check.problems), "first": first},
            url=reverse("vik:access_log"),
            object_type="vik.accesslogchaincheck",
            object_id=str(check.pk),
            acting_user=None,
        )
