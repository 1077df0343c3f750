"""Import of ``relations.csv``: the relations of employees that HR knows, as keyed hashes.

An optional file of the exchange format::

    employee_id,relation,last_name,postcode,house_number

one row per relation as HR records it — emergency contacts, declared partners, family named
in a declaration of interests. ``relation`` is one of ``partner``, ``parent``, ``child``,
``sibling``, ``family``, ``emergency_contact``, ``interest``, ``other``. The name and address
are never stored: only keyed hashes of the normalised surname and address, exactly as for
subjects and employees' homes (:mod:`monitoring.matching`).

The file is authoritative per employee: a relation stored earlier for an employee who has
rows in this file, but that the file no longer lists, is removed (with a history row).
Employees without rows are not touched, so HR may deliver part of the workforce. Re-importing
the same file changes nothing; every bad row is reported with its line and reason.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from monitoring.matching import address_hashes, surname_hash
from monitoring.models import EmployeeRelation
from vik.csvio import CsvHeaderError, ImportReport, open_text, read_csv
from vik.history import stamp
from vik.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RELATION_COLUMNS = ("employee_id", "relation", "last_name", "postcode", "house_number")
_KINDS = {kind.value for kind in EmployeeRelation.Kind}
REASON = "Import {file}"

Key = tuple[str, str, str]  # kind, surname hash, address hash


@transaction.atomic
def import_relations(*, path: Path, acting_user: User | None) -> ImportReport:
    """Upsert the relations in ``path``; per employee listed, the file is the whole truth."""
    report = ImportReport()
    reason = REASON.format(file=path.name)
    employees = dict(Employee.objects.values_list("personnel_number", "id"))
    wanted: dict[int, dict[Key, tuple[str, str]]] = defaultdict(dict)
    with open_text(path) as stream:
        try:
            for row in read_csv(stream, required=RELATION_COLUMNS):
                if row.values is None:
                    report.reject(path.name, row.line, row.problem)
                    continue
                values = row.values
                number = values["employee_id"]
                problem = ""
                if not number:
                    problem = "employee_id is required"
                elif number not in employees:
                    problem = f"unknown employee {number!r}"
                elif values["relation"] not in _KINDS:
                    problem = (
                        f"unknown relation {values['relation']!r} "
                        f"(expected one of {', '.join(sorted(_KINDS))})"
                    )
                hashes = address_hashes(values["postcode"], values["house_number"])
                surname = surname_hash(values["last_name"])
                if not problem and not surname and not hashes.address:
                    problem = (
                        "give the relation's last name or a full address (postcode and number)"
                    )
                if problem:
                    report.reject(path.name, row.line, problem)
                    continue
                key = (values["relation"], surname, hashes.address)
                wanted[employees[number]][key] = (hashes.street, hashes.area)
        except CsvHeaderError as error:
            report.reject(path.name, 1, str(error))
        except UnicodeDecodeError as error:
            report.reject(path.name, 0, f"the file is not valid UTF-8: {error.reason}")
    stored: dict[int, dict[Key, EmployeeRelation]] = defaultdict(dict)
    for stored_row in EmployeeRelation.objects.filter(employee_id__in=list(wanted)):
        stored[stored_row.employee_id][
            (stored_row.kind, stored_row.surname_hash, stored_row.address_hash)
        ] = stored_row
    created: list[EmployeeRelation] = []
    for employee_id, relations in wanted.items():
        existing = stored.get(employee_id, {})
        for key, (street, area) in relations.items():
            relation: EmployeeRelation | None = existing.pop(key, None)
            if relation is None:
                created.append(
                    EmployeeRelation(
                        employee_id=employee_id,
                        kind=key[0],
                        surname_hash=key[1],
                        address_hash=key[2],
                        street_hash=street,
                        area_hash=area,
                    )
                )
            elif (relation.street_hash, relation.area_hash) != (street, area):
                relation.street_hash, relation.area_hash = street, area
                stamp(relation, acting_user=acting_user, reason=reason).save()
                report.updated += 1
            else:
                report.unchanged += 1
        for gone in existing.values():  # no longer listed by HR for this employee
            stamp(gone, acting_user=acting_user, reason=reason).delete()
            report.updated += 1
    if created:
        bulk_create_with_history(
            created,
            EmployeeRelation,
            batch_size=2000,
            default_user=acting_user,
            default_change_reason=reason,
        )
    report.created += len(created)
    return report
