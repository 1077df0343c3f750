"""The matching key in force: recorded once, checked before every import and detection run.

Stored hashes (:mod:`monitoring.matching`) compare only with hashes made under the same
``VIK_MATCHING_KEY``. Work under another key does not fail; it finds nothing — no relative,
no neighbour, no surname — and says nothing. These services make that mismatch loud: the key
in force is recorded (:class:`~monitoring.models.MatchingKeyRecord`), and imports of
reference data and detection runs refuse to work under another key until an operator
accepts the new one together with a full re-import of the reference data
(docs/monitoring.md, "Key handling").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from monitoring.matching import key_fingerprint
from monitoring.models import MatchingKeyRecord
from monitoring.services._common import real_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

KEY_MISMATCH = (
    "VIK_MATCHING_KEY is not the key the stored names and addresses were hashed with "
    "(recorded {recorded}); detection under it would find no relative, neighbour or surname. "
    "Restore the key, or re-import all reference data with "
    "'manage.py import_reference DIR --new-matching-key' (docs/monitoring.md, Key handling)."
)


def verify_matching_key(*, acting_user: AnyUser | None, purpose: str) -> MatchingKeyRecord:
    """Refuse (``ValidationError``) when the matching key differs from the recorded one.

    Where none is recorded yet — a new installation, or the first import or run after the
    upgrade that introduced the record — the key in force is recorded, with ``purpose`` as
    the reason: from then on it is the key the stored hashes belong to.
    """
    current = key_fingerprint()
    latest = MatchingKeyRecord.objects.first()  # ordered newest first
    if latest is None:
        with transaction.atomic():
            return MatchingKeyRecord.objects.create(
                fingerprint=current,
                recorded_by=real_user(acting_user),
                reason=f"Eerste gebruik: {purpose}",
            )
    if latest.fingerprint != current:
        raise ValidationError(
            KEY_MISMATCH.format(recorded=f"{latest.recorded_at:%Y-%m-%d %H:%M} UTC"),
            code="matching_key_mismatch",
        )
    return latest


def accept_new_matching_key(*, acting_user: AnyUser | None) -> MatchingKeyRecord:
    """Record the matching key in force as the one the stored hashes belong to.

    Only right together with a re-import of *all* reference data under that key (employees,
    subjects, relations): the hashes of anything not re-imported stay those of the old key.
    A no-op when the key is already the recorded one.
    """
    current = key_fingerprint()
    latest = MatchingKeyRecord.objects.first()
    if latest is not None and latest.fingerprint == current:
        return latest
    with transaction.atomic():
        return MatchingKeyRecord.objects.create(
            fingerprint=current,
            recorded_by=real_user(acting_user),
            reason="Nieuwe sleutel aanvaard bij herimport van de referentiegegevens",
        )
