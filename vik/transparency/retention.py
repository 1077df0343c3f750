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
        key="monitoring.access_events",
        label=_("Imported access events of the police systems"),
        default_months=6,
        rationale=_(
            "The audit-log events that detection reads. Seed 003 sets 1 to 6 months for such "
            "data; six months lets detection see slow patterns (the same person looked up on "
            "many days) and no longer. Evidence of a signal is kept with the signal."
        ),
    ),
    RetentionCategory(
        key="monitoring.dismissed_signals",
        label=_("Dismissed monitoring signals"),
        default_months=6,
        rationale=_(
            "A dismissed signal had a logical explanation. It is kept six months after the "
            "decision, so a repeat is recognised and the employee can still see it in their "
            "overview, then removed: it must not follow the employee around."
        ),
    ),
    RetentionCategory(
        key="monitoring.conversation_records",
        label=_("Follow-up conversation records"),
        default_months=12,
        rationale=_(
            "The team chief's record of the conversation and what was agreed. Twelve months "
            "after the conversation: long enough to see whether the agreement held, short "
            "enough that unintended behaviour, once corrected, is forgotten."
        ),
    ),
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
