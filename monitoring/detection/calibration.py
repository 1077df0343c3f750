"""Onboarding calibration: what detection *would* flag on a department's first delivery.

A dry run (``detect --dry-run``) plans and computes a run exactly as detection does, but its
signals phase only counts: per unit and window it sums, **per function**, how many employees
would get a signal and with which indicators, and where the evidence of those indicators
was opened — inside an incident of the employee's own region, on a subject of their region,
or elsewhere. No signal is created or changed. The derived per-day rows are written as in any
run (they are a cache of what the events say).

From those figures :func:`proposals` suggests the scope rules that would explain them, for a
person to accept or reject: a function whose staff would often be flagged for personal
links, bursts or repeated access, where most of those look-ups were made inside incidents
of their region, probably has regional need to know (intake, analysts, an operations room);
one whose staff often open far regions' files may have national need to know. Everything is
aggregated by function: no employee is named or counted alone (functions with fewer than
``MIN_GROUP`` employees are shown together).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from monitoring.detection.context import incident_regions_for, subjects_for
from monitoring.indicators import IndicatorCode

MIN_GROUP = 5  # fewer employees in a function are shown together, never on their own
# Indicators a regional scope rule can explain (look-ups of the own region) ...
REGIONAL_EXPLAINS = (
    IndicatorCode.COLLEAGUE_LOOKUP.value,
    IndicatorCode.RELATIVE.value,
    IndicatorCode.NEIGHBOUR.value,
    IndicatorCode.CELEBRITY_BURST.value,
    IndicatorCode.REPEATED_UNEXPLAINED.value,
)
# ... and a national one (files of other regions).
NATIONAL_EXPLAINS = (IndicatorCode.OUT_OF_REGION_INCIDENT.value,)
PROPOSE_SHARE = 0.1  # of a function's staff flagged for such indicators
# Personal links are explained by scope only through an incident within it, never by the
# region of the person alone.
PERSONAL = {
    IndicatorCode.COLLEAGUE_LOOKUP.value,
    IndicatorCode.RELATIVE.value,
    IndicatorCode.NEIGHBOUR.value,
}
PROPOSE_WITHIN = 0.8  # of those look-ups made within the scope the rule would give


def summarise_window(
    *,
    fired: dict[int, list[Any]],
    employees: dict[int, tuple[Any, ...]],
    regions: dict[int, str],
    weights: dict[str, Decimal],
    min_score: Decimal,
    score: Any,
) -> dict[str, Any]:
    """The figures of one unit and window, per function (JSON-able; ids as strings)."""
    functions: dict[str, dict[str, Any]] = defaultdict(_empty)
    for row in employees.values():
        functions[str(row[4] or "")]["staff"] += 1
    subject_refs = {
        evidence.subject_ref
        for items in fired.values()
        for item in items
        for evidence in item.evidence
        if evidence.subject_ref
    }
    subjects = subjects_for(subject_refs)
    incident_refs = {e.incident_ref for items in fired.values() for i in items for e in i.evidence}
    incident_refs |= {ref for info in subjects.values() if info for ref in info.incidents}
    incident_regions = incident_regions_for({ref for ref in incident_refs if ref})
    for employee_id, items in fired.items():
        items = [item for item in items if item.evidence]
        total = sum(
            (score(weights[item.code], item.severity, item.occurrences) for item in items),
            Decimal(0),
        )
        if not items or total < min_score:
            continue
        figures = functions[str(employees[employee_id][4] or "")]
        figures["signalled"] += 1
        codes = {item.code for item in items}
        figures["regional"] += bool(codes & set(REGIONAL_EXPLAINS))
        figures["national"] += bool(codes & set(NATIONAL_EXPLAINS))
        region = regions.get(employee_id, "")
        for item in items:
            code = item.code
            figures["flagged"][code] = figures["flagged"].get(code, 0) + 1
            where = figures["where"].setdefault(code, [0, 0, 0])  # incident, subject, all
            for evidence in item.evidence:
                where[2] += 1
                info = subjects.get(evidence.subject_ref) if evidence.subject_ref else None
                in_incident = bool(region) and (
                    incident_regions.get(evidence.incident_ref) == region
                    or (
                        info is not None
                        and any(incident_regions.get(ref) == region for ref in info.incidents)
                    )
                )
                if in_incident:
                    where[0] += 1
                elif info is not None and region and info.region == region:
                    where[1] += 1
    return dict(functions)


def _empty() -> dict[str, Any]:
    return {"staff": 0, "signalled": 0, "regional": 0, "national": 0, "flagged": {}, "where": {}}


def merge(summaries: list[dict[str, Any]], *, windows_per_unit: int) -> dict[str, Any]:
    """Add up the per-window summaries of a run (staff counted once per unit)."""
    total: dict[str, dict[str, Any]] = defaultdict(_empty)
    for summary in summaries:
        for function, figures in summary.items():
            target = total[function]
            target["staff"] += figures["staff"] / max(windows_per_unit, 1)
            for key in ("signalled", "regional", "national"):
                target[key] += figures.get(key, 0)
            for code, count in figures["flagged"].items():
                target["flagged"][code] = target["flagged"].get(code, 0) + count
            for code, counts in figures["where"].items():
                where = target["where"].setdefault(code, [0, 0, 0])
                for index in range(3):
                    where[index] += counts[index]
    for figures in total.values():
        figures["staff"] = round(figures["staff"])
    return dict(total)


def per_thousand(count: float, staff: int, days: int) -> float:
    """Employees per 1,000 per two weeks."""
    if not staff or not days:
        return 0.0
    return round(1000 * count / staff * 14 / days, 1)


def proposals(
    figures: dict[str, dict[str, Any]],
    *,
    scoped: set[str],
    national: set[str],
) -> list[dict[str, Any]]:
    """Scope rules that would explain most of what a function's staff would be flagged for.

    ``scoped`` and ``national`` are the function ids that already have such a rule.
    """
    found = []
    for function, row in figures.items():
        staff = row["staff"]
        if not function or staff < MIN_GROUP:
            continue
        for scope, codes, index, already in (
            ("regional", REGIONAL_EXPLAINS, 0, scoped | national),
            ("national", NATIONAL_EXPLAINS, None, national),
        ):
            if function in already:
                continue
            flagged = row.get(scope, 0)
            events = sum(row["where"].get(code, [0, 0, 0])[2] for code in codes)
            if index is None:
                within = events  # a file of another region: national scope explains it
            else:
                within = sum(
                    row["where"].get(code, [0, 0, 0])[0]
                    + (0 if code in PERSONAL else row["where"].get(code, [0, 0, 0])[1])
                    for code in codes
                )
            share = flagged / staff
            if share >= PROPOSE_SHARE and events and within / events >= PROPOSE_WITHIN:
                found.append(
                    {
                        "function": function,
                        "scope": scope,
                        "staff": staff,
                        "flagged": flagged,
                        "share": round(100 * share),
                        "events": events,
                        "within": round(100 * within / events),
                        "codes": [code for code in codes if row["flagged"].get(code)],
                    }
                )
    return found
