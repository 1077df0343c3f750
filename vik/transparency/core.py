"""The shared core's transparency provider: the access log and the employee record.

Built in rather than discovered: the core's ``vik/transparency.py`` would be this app's
package (see :mod:`vik.transparency.registry`). It contributes

* two measures: looks at personal data by role, and identity reveals by part of the system
  (disjoint populations: a reveal is counted by the second only);
* the employee record and, for the export, who looked at the employee's data;
* the disclosure categories "who looked at your data" and "your employee record";
* the retention of the access log itself, through ``vik.services.purge_access_log`` — the
  only delete the append-only log allows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count as CountOf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role
from vik.transparency.registry import (
    Audience,
    Category,
    Count,
    DisclosureCategory,
    Measure,
    OwnDataField,
    OwnDataItem,
    OwnDataRequest,
    OwnDataSection,
    Provider,
    PurgeRequest,
    Quarter,
    RetentionCategory,
)

ACCESS_LOG_CATEGORY = "vik.access_log"
EMPLOYEE_RECORD_CATEGORY = "vik.employee_record"
NO_ROLE = ""
OTHER_PART = "other"
# The parts of VIK, by app label, in menu order.
PARTS = ("vik", "monitoring", "cases", "screening", "complaints", "prevention", "transparency")


def part_of(object_type: str) -> str:
    """The part of VIK an access-log object type belongs to (its app label)."""
    label = object_type.partition(".")[0]
    return label if label in PARTS and apps.is_installed(_app_name(label)) else OTHER_PART


def _app_name(label: str) -> str:
    return "vik.transparency" if label == "transparency" else label


def part_categories() -> list[Category]:
    parts = [
        Category(label, apps.get_app_config(label).verbose_name)
        for label in PARTS
        if apps.is_installed(_app_name(label))
    ]
    return [*parts, Category(OTHER_PART, pgettext_lazy("part of VIK", "Other"))]


def part_label(key: str) -> str:
    return str(next((c.label for c in part_categories() if c.key == key), key))


def role_categories() -> list[Category]:
    return [
        *(Category(role.value, role.label) for role in Role),
        Category(NO_ROLE, _("No role (automatic processing)")),
    ]


def count_looks(quarter: Quarter) -> list[Count]:
    """Entries other than identity reveals, by the employee's unit and the actor's role."""
    rows = (
        AccessLogEntry.objects.filter(
            occurred_at__gte=quarter.start_at, occurred_at__lt=quarter.end_at
        )
        .exclude(action=AccessAction.REVEAL)
        .order_by()  # the default ordering would split the groups
        .values_list("employee__unit_id", "actor_role")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, role, n) for unit_id, role, n in rows]


def count_reveals(quarter: Quarter) -> list[Count]:
    """Identity reveals, by the employee's unit and the part of VIK they happened in."""
    rows = (
        AccessLogEntry.objects.filter(
            occurred_at__gte=quarter.start_at,
            occurred_at__lt=quarter.end_at,
            action=AccessAction.REVEAL,
        )
        .order_by()
        .values_list("employee__unit_id", "object_type")
        .annotate(n=CountOf("id"))
    )
    totals: Counter[tuple[int | None, str]] = Counter()
    for unit_id, object_type, n in rows:
        totals[(unit_id, part_of(object_type))] += n
    return [Count(unit_id, part, n) for (unit_id, part), n in totals.items()]


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """The employee record; for the export also who looked at the employee's data."""
    from vik.transparency.selectors import describe_accesses, disclosed_access_log

    employee = request.employee
    sections = []
    if not request.deferrals.covers(EMPLOYEE_RECORD_CATEGORY):
        sections.append(
            OwnDataSection(
                key="vik.employee_record",
                category=EMPLOYEE_RECORD_CATEGORY,
                title=_("Your employee record"),
                description=_(
                    "Copied from the HR administration so that VIK knows who works where. "
                    "Your home address is not kept here."
                ),
                items=(
                    OwnDataItem(
                        title=employee.full_name,
                        fields=(
                            OwnDataField(
                                "personnel_number", _("Personnel number"), employee.personnel_number
                            ),
                            OwnDataField("first_name", _("First name"), employee.first_name),
                            OwnDataField("last_name", _("Last name"), employee.last_name),
                            OwnDataField("unit", _("Unit"), str(employee.unit)),
                            OwnDataField("team", _("Team"), str(employee.team or "")),
                            OwnDataField("function", _("Function"), str(employee.function or "")),
                            OwnDataField("email", _("Work e-mail"), employee.email),
                            OwnDataField(
                                "employment_start", _("Employment start"), employee.employment_start
                            ),
                            OwnDataField(
                                "employment_end", _("Employment end"), employee.employment_end
                            ),
                        ),
                    ),
                ),
                order=10,
            )
        )
    if request.audience is Audience.ACCESS_REQUEST:
        entries = disclosed_access_log(employee=employee, deferrals=request.deferrals)
        looks = describe_accesses(list(entries), employee=employee)
        sections.append(
            OwnDataSection(
                key="vik.access_log",
                category=ACCESS_LOG_CATEGORY,
                title=_("Who looked at your data"),
                description=_(
                    "Every look at your data in VIK is logged: when, under which role, what "
                    "and why. Names are given as the privacy officer's settings allow."
                ),
                items=tuple(
                    OwnDataItem(
                        title=look.role_label,
                        date=look.occurred_at,
                        fields=(
                            OwnDataField("when", _("When"), look.occurred_at),
                            OwnDataField("role", _("Role"), look.role_label),
                            OwnDataField("name", _("Name"), look.name or ""),
                            OwnDataField("action", _("Action"), look.action_label),
                            OwnDataField("part", _("Part of VIK"), look.part_label),
                            OwnDataField("purpose", _("Purpose"), look.purpose or ""),
                        ),
                    )
                    for look in looks
                ),
                empty_text=_("Nobody looked at your data in VIK."),
                order=900,
            )
        )
    return sections


def purge_access_log_entries(request: PurgeRequest) -> Any:
    """Remove access-log entries older than the cutoff, through the core's one delete.

    Entries about employees under a legal hold stay. The database function writes the purge
    record itself (the runtime role may not delete from the log): returns that record.
    """
    from vik.services import purge_access_log

    run_by = (
        get_user_model().objects.filter(pk=request.run_by_id).first()
        if request.run_by_id is not None
        else None
    )
    return purge_access_log(
        cutoff=request.cutoff, keep_employee_ids=request.held_employee_ids, acting_user=run_by
    )


PROVIDER = Provider(
    app_label="vik",
    measures=(
        Measure(
            key="vik.access_log_by_role",
            population="vik.access_log.looks",
            section=_("Access log"),
            title=_("Looks at personal data, by role"),
            description=_(
                "Entries in VIK's own access log — views, searches, exports and printouts of "
                "employees' data — by the unit of the employee concerned and the role under "
                "which the user looked. Identity reveals are counted separately."
            ),
            categories=role_categories,
            count=count_looks,
            unattributed=_("Not about one employee"),
            order=10,
        ),
        Measure(
            key="vik.identity_reveals",
            population="vik.access_log.reveals",
            section=_("Access log"),
            title=_("Identity reveals, by part of VIK"),
            description=_(
                "How often the name behind a pseudonym was revealed, always with a written "
                "reason, by the unit of the employee concerned."
            ),
            categories=part_categories,
            count=count_reveals,
            unattributed=_("Not about one employee"),
            order=11,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=ACCESS_LOG_CATEGORY,
            label=_("Who looked at your data"),
            description=_(
                "Deferring this hides every look at the employee's data from their overview."
            ),
        ),
        DisclosureCategory(
            key=EMPLOYEE_RECORD_CATEGORY,
            label=_("Employee record and directory look-ups"),
            description=_("Looks at the employee's record in the directory."),
            object_types=("vik.employee",),
        ),
    ),
    own_data=own_data,
    retention=(
        RetentionCategory(
            key="vik.access_log",
            label=_("VIK's own access log"),
            default_months=60,
            rationale=_(
                "Who looked at whose data in VIK. NEN 7513 keeps such logs for years, not "
                "months: misuse often surfaces late (the pilot's mole looked for two years), "
                "the employee must be able to see who looked, and the yearly logging control "
                "covers the past year. Five years, then removed."
            ),
            purge=purge_access_log_entries,
        ),
    ),
)
