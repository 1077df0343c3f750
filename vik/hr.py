"""HR synchronisation: import an HR delivery and offboard whoever has left.

A delivery is a directory with any of these exchange files (each may be gzipped):

* ``units.csv`` — ``code,name,parent_code,kind,region``
* ``functions.csv`` — ``code,name`` (functions named in ``employees.csv`` but not here are
  created with their code as name, as before)
* ``employees.csv`` — ``employee_id,first_name,last_name,unit_code,team_code,function,
  home_postcode,home_house_number,start_date,end_date`` (``end_date``: the last working day)

The units and employees go through the core's importer (:func:`vik.imports.import_organisation`),
so the command, the Celery task, the API and Protective Monitoring's reference import all
read them the same way. Then every employee whose employment has ended loses every role,
their account and their sessions (:func:`vik.account_services.offboard_leavers`).
Idempotent: importing the same delivery again changes nothing and writes no history.
Each run is recorded as an :class:`~vik.models.OrganisationImport` with its refused rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from vik.account_services import offboard_leavers
from vik.csvio import CsvHeaderError, ImportReport, open_text, read_csv
from vik.imports import import_organisation
from vik.models import Function, OrganisationImport, OrganisationImportRejection

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

FUNCTION_COLUMNS = ("code", "name")
DELIVERY_FILES = ("units", "functions", "employees")


def find_file(directory: Path, stem: str) -> Path | None:
    for candidate in (directory / f"{stem}.csv", directory / f"{stem}.csv.gz"):
        if candidate.exists():
            return candidate
    return None


def import_hr_delivery(
    *, directory: Path, acting_user: AnyUser | None, source: str = ""
) -> OrganisationImport:
    """Import the HR files of ``directory``, then offboard the leavers; returns the record.

    Each file is imported in its own transaction (bad rows never cost good ones); the record
    is written first, so a run that fails half-way is recorded as failed with its message.
    """
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    run = OrganisationImport.objects.create(
        source=(source or str(directory))[:500], acting_user=user
    )
    report = ImportReport()
    try:
        if functions := find_file(directory, "functions"):
            report.merge(import_functions(path=functions, acting_user=acting_user))
        report.merge(import_organisation(directory=directory, acting_user=user))
        leavers = offboard_leavers(
            today=timezone.localdate(), acting_user=acting_user, source=f"HR-import {run.pk}"
        )
    except Exception as error:
        run.status = OrganisationImport.Status.FAILED
        run.message = str(error)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    OrganisationImportRejection.objects.bulk_create(
        [
            OrganisationImportRejection(
                run=run,
                file=rejection.file[:255],
                line=rejection.line,
                reason=rejection.reason[:500],
            )
            for rejection in report.rejections
        ],
        batch_size=2000,
    )
    run.created = report.created
    run.updated = report.updated
    run.unchanged = report.unchanged
    run.rejected = report.rejected
    run.offboarded = len(leavers)
    run.status = OrganisationImport.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def import_functions(*, path: Path, acting_user: AnyUser | None) -> ImportReport:
    """Upsert functions by code from ``functions.csv`` (with history; idempotent)."""
    report = ImportReport()
    reason = f"Import {path.name}"
    wanted: dict[str, str] = {}
    with open_text(path) as stream:
        try:
            for row in read_csv(stream, required=FUNCTION_COLUMNS):
                values = row.values
                if values is None:
                    report.reject(path.name, row.line, row.problem)
                elif not values["code"] or not values["name"]:
                    report.reject(path.name, row.line, "code and name are required")
                elif len(values["code"]) > 64 or len(values["name"]) > 200:
                    report.reject(path.name, row.line, "code or name too long (64 / 200)")
                else:
                    wanted[values["code"]] = values["name"]
        except CsvHeaderError as error:
            report.reject(path.name, 1, str(error))
            return report
        except UnicodeDecodeError:
            report.reject(path.name, 1, "the file is not UTF-8")
            return report
    existing = {function.code: function for function in Function.objects.filter(code__in=wanted)}
    to_create = [
        Function(code=code, name=name) for code, name in wanted.items() if code not in existing
    ]
    to_update = []
    for code, name in wanted.items():
        function = existing.get(code)
        if function is None:
            continue
        if function.name != name:
            function.name = name
            to_update.append(function)
        else:
            report.unchanged += 1
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    if to_create:
        bulk_create_with_history(
            to_create, Function, default_user=user, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update, Function, ["name"], default_user=user, default_change_reason=reason
        )
    report.created += len(to_create)
    report.updated += len(to_update)
    return report
