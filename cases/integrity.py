"""The seal of an interview report: what the signed PDF prints cannot change unnoticed.

When a version is sent for signature, what the report prints about the interview (the case
reference, who was heard and as what, when, where, the investigators, counsel, recording,
nature and purpose) is copied into the version's ``snapshot``. Its ``seal`` is a SHA-256 over
the content hash, that snapshot and every field of the version the PDF prints (state, dates,
the interviewee's reaction, the refusal reason); it is renewed at every step until the
version is frozen (signed, not agreed, refused to sign, superseded), after which the
database refuses any change to the row to everybody but its owner.

Before every render of a sent version (the interview report, and the investigation report
that quotes the final versions) both the content hash and the seal are computed again. A
mismatch means somebody with the database owner's rights changed the row past the
application: no PDF is made, the user sees a clear error page, and the privacy officers get
an alarm (a notification, a security-log warning and an access-log entry).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cases.models import Interview, InterviewReportVersion


CONTENT_HASH = "the content hash"
SEAL = "the seal"


class IntegrityBreachError(Exception):
    """A sent interview-report version no longer matches its content hash or its seal."""

    def __init__(self, version: InterviewReportVersion, what: str) -> None:
        super().__init__(f"interview-report version {version.pk}: {what} does not match")
        self.version = version
        self.what = what


def _full_name(user: Any) -> str:
    """As ``User.get_full_name`` (or the user name), also for migration-state models."""
    if user is None:
        return ""
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.username


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def interview_snapshot(interview: Interview, *, case_reference: str) -> dict[str, Any]:
    """What the interview report prints about the interview, as plain JSON values."""
    return {
        "case_reference": case_reference,
        "interviewee_name": interview.interviewee_name,
        "role": interview.role,
        "moment": _iso(interview.held_at or interview.scheduled_at),
        "location": interview.location,
        "investigators": [
            _full_name(interview.lead_investigator),
            _full_name(interview.second_investigator),
        ],
        "counsel_present": interview.counsel_present,
        "counsel_name": interview.counsel_name,
        "is_recorded": interview.is_recorded,
        "nature_and_purpose": interview.nature_and_purpose,
    }


def version_seal(version: Any) -> str:
    """SHA-256 over everything the PDF of a sent version prints, in a canonical form."""
    canonical = json.dumps(
        {
            "interview_id": version.interview_id,
            "number": version.number,
            "content": version.content,
            "content_hash": version.content_hash,
            "snapshot": version.snapshot,
            "state": version.state,
            "sent_on": _iso(version.sent_on),
            "comments_due_on": _iso(version.comments_due_on),
            "responded_on": _iso(version.responded_on),
            "interviewee_comments": version.interviewee_comments,
            "comments_decision_note": version.comments_decision_note,
            "signed_on": _iso(version.signed_on),
            "refusal_reason": version.refusal_reason,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify_version(version: InterviewReportVersion) -> None:
    """Raise :class:`IntegrityBreachError` when a sent version was changed past VIK.

    A draft has neither hash nor seal yet: it is still meant to change.
    """
    from cases.models import VersionState

    if version.state == VersionState.DRAFT:
        return
    if not version.content_hash or version.content_hash != version.compute_hash():
        raise IntegrityBreachError(version, CONTENT_HASH)
    if not version.seal or not version.snapshot or version.seal != version.compute_seal():
        raise IntegrityBreachError(version, SEAL)


def raise_alarm(breach: IntegrityBreachError, *, acting_user: Any) -> None:
    """Tell the privacy officers, the security log and the access log about a breach."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from vik.services import raise_integrity_alarm

    version = breach.version
    interview = version.interview
    case = interview.investigation.case
    what = CONTENT_HASH if breach.what == CONTENT_HASH else SEAL
    with translation.override(settings.LANGUAGE_CODE):  # the officers' language, not the user's
        raise_integrity_alarm(
            subject=_("Integrity check failed: interview report %(reference)s version %(number)s")
            % {"reference": case.reference, "number": version.number},
            body=_(
                "The stored version no longer matches %(what)s: it was changed outside VIK. "
                "No PDF was made. Compare the version with its history and the database's own "
                "logs, and see docs/operations.md (integrity alarms)."
            )
            % {"what": _("its content hash") if what == CONTENT_HASH else _("its seal")},
            url=reverse("cases:case_detail", args=[case.pk]),
            obj=version,
            employee=interview.interviewee_id,
            acting_user=acting_user,
        )
