"""Retention categories and their default periods: the table in ``docs/privacy.md``.

Each app registers the categories it owns, with the function that purges them, in its
transparency provider. The categories below belong to apps that have not registered them
yet; they stand in with the period agreed in the protocol, so the administrator can set
them now and the works council can read them, and purging starts the day the owning app
registers a purge function under the same key. A test keeps ``docs/privacy.md`` and
:func:`retention_table_markdown` in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vik.transparency.registry import RetentionCategory, get_registry, retention_category

if TYPE_CHECKING:
    from vik.transparency.models import RetentionPolicy

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


# The union's conditions (seed 003): access events and what rests on them are kept "1 to 6
# months". The categories capped at that, also enforced by a database constraint on
# ``transparency_retentionpolicy`` (``retention_period_within_cap``); a test keeps this
# tuple and the registry's ``max_months`` in step.
SHORT_RETENTION_MONTHS = 6
SHORT_RETENTION_CATEGORIES: tuple[str, ...] = (
    "monitoring.access_events",
    "monitoring.dismissed_signals",
)


def max_retention_months(category: str) -> int:
    """The longest period that may be set for ``category`` (600 months when not capped)."""
    try:
        return get_registry().retention_category(category).max_months
    except KeyError:
        return SHORT_RETENTION_MONTHS if category in SHORT_RETENTION_CATEGORIES else 600


def validate_retention_period(category: str, months: int | None) -> None:
    """Refuse a period outside 1 to the category's maximum, with the reason.

    The one check behind the model's ``clean()``, the administrator's form and the service
    that saves a policy (``set_retention_policy``). A longer period is not a matter of
    consent: the union's conditions set the maximum.
    """
    if months is None:
        return
    maximum = max_retention_months(category)
    if months < 1:
        raise ValidationError(
            {"period_months": _("A retention period is at least one month.")}, code="too_short"
        )
    if months > maximum:
        raise ValidationError(
            {
                "period_months": _(
                    "At most %(maximum)s months: the protocol agreed with the unions keeps "
                    "this data for 1 to %(maximum)s months, no longer."
                )
                % {"maximum": maximum}
            },
            code="too_long",
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
            if category.follows:
                period = f"with `{category.follows}`"
            elif category.max_months < 600:
                period += f" (at most {category.max_months})"
            rows.append(
                f"| {category.label} | `{category.key}` | {period} | {category.rationale} |"
            )
    return "\n".join(rows)


def retention_period(category: str) -> tuple[int, RetentionPolicy | None]:
    """The months a category is kept (the administrator's setting, else the default).

    Here, not in the services: the importers ask it at the start of every import, and the
    services module brings the statistical protection (NumPy) along.
    """
    from vik.transparency.models import RetentionPolicy

    policy = RetentionPolicy.objects.filter(category=category).first()
    if policy is not None:
        return policy.period_months, policy
    return retention_category(category).default_months, None
