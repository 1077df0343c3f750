"""The screening rules as plain functions: which policy applies, when a re-screening is due.

Kept apart from services and selectors because both need them, as does the daily task; none
of them writes anything.

Legal basis: the amended screening rules for the police in force since 1 January 2023
(periodic re-screening every 5 or 8 years by function, continuous screening, the duty to
report). The handling terms for hits and self-reports are the department's own working
agreements, not statutory terms.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q

from screening.models import ScreeningDossier, ScreeningPolicy
from vik.models import Employee
from vik.workdays import add_months, add_working_days

# Used only if the administrator somehow removed the default policy: the longer statutory
# interval, so nobody is re-screened sooner than the law requires.
FALLBACK_INTERVAL_YEARS = 8
FALLBACK_LEAD_TIME_MONTHS = 3

# Working agreements of the Centraal Loket Screening (working days from registration).
HIT_ASSESSMENT_WORKING_DAYS = 10
SELF_REPORT_ASSESSMENT_WORKING_DAYS = 20
INITIAL_SCREENING_WORKING_DAYS = 40


@dataclass(frozen=True)
class PolicyTerms:
    """The interval and lead time that apply to one employee."""

    interval_years: int
    lead_time_months: int
    is_default: bool


def policies_by_function() -> tuple[dict[int, PolicyTerms], PolicyTerms]:
    """All policies in one query: per function id, plus the default."""
    default = PolicyTerms(FALLBACK_INTERVAL_YEARS, FALLBACK_LEAD_TIME_MONTHS, is_default=True)
    per_function: dict[int, PolicyTerms] = {}
    for policy in ScreeningPolicy.objects.all():
        terms = PolicyTerms(policy.interval_years, policy.lead_time_months, policy.is_default)
        if policy.is_default:
            default = terms
        elif policy.function_id is not None:
            per_function[policy.function_id] = terms
    return per_function, default


def policy_for(employee: Employee) -> PolicyTerms:
    """The policy for the employee's function, or the default policy."""
    per_function, default = policies_by_function()
    if employee.function_id is None:
        return default
    return per_function.get(employee.function_id, default)


# Completed full screenings with a passing outcome: the ones that restart the clock.
PASSED_SCREENING = Q(
    kind__in=ScreeningDossier.FULL_SCREENING_KINDS,
    status=ScreeningDossier.Status.CLOSED,
    outcome__in=ScreeningDossier.PASSING_OUTCOMES,
)


def last_screened_on(employee: Employee) -> datetime.date | None:
    """When the employee last passed a full screening; else their employment start.

    Everyone hired by the police was screened at appointment, so without a recorded
    screening the employment start is the best evidence of the last one.
    """
    latest = employee.screening_dossiers.filter(PASSED_SCREENING).aggregate(
        latest=Max("closed_on")
    )["latest"]
    return latest or employee.employment_start


def next_due_on(last_screened: datetime.date | None, terms: PolicyTerms) -> datetime.date | None:
    """The date the next re-screening is due (``None`` when nothing is known)."""
    if last_screened is None:
        return None
    return add_months(last_screened, 12 * terms.interval_years)


def opens_on(due: datetime.date, terms: PolicyTerms) -> datetime.date:
    """The date the re-screening dossier opens: the lead time before it is due."""
    return add_months(due, -terms.lead_time_months)


def handling_term(kind: ScreeningDossier.Kind, start: datetime.date) -> datetime.date:
    """The working agreement's due date for a dossier that is not a re-screening."""
    days = {
        ScreeningDossier.Kind.CONTINUOUS_HIT: HIT_ASSESSMENT_WORKING_DAYS,
        ScreeningDossier.Kind.SELF_REPORT: SELF_REPORT_ASSESSMENT_WORKING_DAYS,
        ScreeningDossier.Kind.INITIAL: INITIAL_SCREENING_WORKING_DAYS,
    }.get(kind)
    if days is None:
        raise ValueError(f"{kind} dossiers are due when the re-screening is, not after a term")
    return add_working_days(start, days)
