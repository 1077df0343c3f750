"""Retention categories and their default periods: the table in ``docs/privacy.md``.

Each app registers the categories it owns, with the function that purges them, in its
transparency provider. The categories below belong to apps that have not registered them
yet; they stand in with the period agreed in the protocol, so the administrator can set
them now and the works council can read them, and purging starts the day the owning app
registers a purge function under the same key. A test keeps ``docs/privacy.md`` and
:func:`retention_table_markdown` in step.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vik.transparency.registry import RetentionCategory, get_registry

PLANNED_CATEGORIES: tuple[RetentionCategory, ...] = (
    RetentionCategory(
        key="cases.closed_no_violation",
        label=_("Closed investigations without dereliction of duty"),
        default_months=12,
        rationale=_(
            "The employee was cleared or the matter went back to the line. Twelve months "
            "after closing covers a complaint about the investigation (6 weeks) and any "
            "objection or appeal; after that the file must not count against the employee."
        ),
    ),
    RetentionCategory(
        key="cases.closed_violation",
        label=_("Closed investigations with dereliction of duty"),
        default_months=60,
        rationale=_(
            "A disciplinary decision was taken. Five years after the decision became final, "
            "covering objection, court proceedings and the weighing of a repeat offence; "
            "to be confirmed against the police archive selection list."
        ),
    ),
    RetentionCategory(
        key="complaints.closed",
        label=_("Handled citizens' complaints"),
        default_months=60,
        rationale=_(
            "Five years after the decision: the National Ombudsman's term, yearly reporting "
            "and learning across the unit; the customary term for complaint files."
        ),
    ),
    RetentionCategory(
        key="screening.dossiers",
        label=_("Screening dossiers"),
        default_months=96,
        rationale=_(
            "A screening stays relevant until the periodic re-screening replaces it: at most "
            "eight years, the longer of the two intervals by function."
        ),
    ),
)


def retention_table_markdown() -> str:
    """The retention table for ``docs/privacy.md`` (between the ``retention`` markers)."""
    rows = [
        "| category | key | default | rationale |",
        "|---|---|---|---|",
    ]
    with translation.override("en"):  # the documentation is in English
        for category in get_registry().retention_categories():
            months = category.default_months
            period = (
                f"{months // 12} years" if months % 12 == 0 and months >= 24 else f"{months} months"
            )
            rows.append(
                f"| {category.label} | `{category.key}` | {period} | {category.rationale} |"
            )
    return "\n".join(rows)
