"""Imports of reference data and access logs; each records its own :class:`ImportBatch`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from monitoring.imports.access_log import AccessLogReport, ProgressCallback, import_access_log
from monitoring.imports.reference import import_reference
from monitoring.models import ImportBatch, ProtocolChange
from monitoring.services._common import real_user
from monitoring.services.consent import require_in_protocol
from monitoring.services.matching import accept_new_matching_key, verify_matching_key
from vik.csvio import ImportReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def import_reference_data(
    *, directory: Path, acting_user: AnyUser | None, new_matching_key: bool = False
) -> tuple[ImportReport, ImportBatch]:
    """Upsert the reference files of a directory (see :mod:`monitoring.imports.reference`).

    Refused under a matching key other than the recorded one
    (:func:`~monitoring.services.matching.verify_matching_key`), unless
    ``new_matching_key``: the operator re-imports all reference data under a new key, which
    is then recorded as the key in force.
    """
    require_in_protocol(ProtocolChange.Kind.NEW_DATA_SOURCE, ImportBatch.Kind.REFERENCE)
    if not directory.is_dir():
        raise ValidationError(f"{directory} is not a directory")
    if new_matching_key:
        # A new key with only part of the data would leave the rest hashed under the old
        # one: the silent mismatch the record exists to prevent.
        missing = [
            name
            for name in ("employees.csv", "subjects.csv")
            if not (directory / name).is_file() and not (directory / f"{name}.gz").is_file()
        ]
        if missing:
            raise ValidationError(
                "A new matching key needs all reference data in one import; missing: "
                + ", ".join(missing)
            )
        accept_new_matching_key(acting_user=acting_user)
    else:
        verify_matching_key(acting_user=acting_user, purpose="import van referentiegegevens")
    return import_reference(directory=directory, acting_user=real_user(acting_user))


def import_access_logs(
    *, paths: list[Path], acting_user: AnyUser | None, progress: ProgressCallback | None = None
) -> AccessLogReport:
    """Import access-event files (see :mod:`monitoring.imports.access_log`)."""
    require_in_protocol(ProtocolChange.Kind.NEW_DATA_SOURCE, ImportBatch.Kind.ACCESS_LOG)
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise ValidationError(f"not a file: {', '.join(missing)}")
    return import_access_log(paths=paths, acting_user=acting_user, progress=progress)
