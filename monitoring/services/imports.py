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
from vik.csvio import ImportReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def import_reference_data(
    *, directory: Path, acting_user: AnyUser | None
) -> tuple[ImportReport, ImportBatch]:
    """Upsert the reference files of a directory (see :mod:`monitoring.imports.reference`)."""
    require_in_protocol(ProtocolChange.Kind.NEW_DATA_SOURCE, ImportBatch.Kind.REFERENCE)
    if not directory.is_dir():
        raise ValidationError(f"{directory} is not a directory")
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
