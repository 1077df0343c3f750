"""The screening app's transparency provider (see ``vik.transparency.registry``).

It contributes

* three measures over disjoint populations — dossiers *opened* (initial screenings,
  re-screenings and continuous-screening notifications, by kind), *self-reports* (by
  category; each opens a dossier, counted here only), and dossiers *closed* (by outcome);
* the employee's own screening — status, dossiers and self-reports — for "Mijn gegevens"
  and the export of a data-access request; an open continuous-screening dossier is left out
  until it is closed, as on the employee's own screening page;
* the disclosure category "screening" and which of its dossiers are closed;
* the retention of closed screening dossiers, with their notifications, self-reports and
  history rows. The anonymous evaluation answers hold no personal data and are kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Count as CountOf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from screening.models import (
    ContinuousScreeningHit,
    EvaluationInvitation,
    ScreeningDossier,
    ScreeningViolationKind,
    SelfReport,
)
from screening.selectors import screening_status_of
from vik.models import Employee
from vik.transparency.registry import (
    Audience,
    Category,
    Count,
    DisclosureCategory,
    Measure,
    ObjectRef,
    OwnDataField,
    OwnDataItem,
    OwnDataRequest,
    OwnDataSection,
    Provider,
    PurgeRequest,
    Quarter,
    RetentionCategory,
)

DISCLOSURE_CATEGORY = "screening.dossiers"
OBJECT_TYPE = ScreeningDossier._meta.label_lower  # as the access log names a dossier
SECTION = _("Screening")
# Self-reports are counted by their own measure, so every event is counted once.
OPENED_KINDS = (
    ScreeningDossier.Kind.INITIAL,
    ScreeningDossier.Kind.PERIODIC,
    ScreeningDossier.Kind.CONTINUOUS_HIT,
)


def _ref(dossier_id: int) -> ObjectRef:
    return ObjectRef(OBJECT_TYPE, str(dossier_id))


# --- Measures -------------------------------------------------------------------------


def count_opened(quarter: Quarter) -> list[Count]:
    """Dossiers opened in the quarter, by the employee's unit and the kind of dossier."""
    rows = (
        ScreeningDossier.objects.filter(
            kind__in=OPENED_KINDS, opened_on__gte=quarter.start, opened_on__lt=quarter.end
        )
        .order_by()  # the default ordering would split the groups
        .values_list("employee__unit_id", "kind")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, kind, n) for unit_id, kind, n in rows]


def count_self_reports(quarter: Quarter) -> list[Count]:
    """Self-reports submitted in the quarter, by the employee's unit and category."""
    rows = (
        SelfReport.objects.filter(
            submitted_at__gte=quarter.start_at, submitted_at__lt=quarter.end_at
        )
        .order_by()
        .values_list("employee__unit_id", "category")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, category, n) for unit_id, category, n in rows]


def count_closed(quarter: Quarter) -> list[Count]:
    """Dossiers closed in the quarter, by the employee's unit and the outcome."""
    rows = (
        ScreeningDossier.objects.filter(
            status=ScreeningDossier.Status.CLOSED,
            closed_on__gte=quarter.start,
            closed_on__lt=quarter.end,
        )
        .order_by()
        .values_list("employee__unit_id", "outcome")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, outcome, n) for unit_id, outcome, n in rows]


def _categories(
    choices: Iterable[tuple[str, Any]], keep: tuple[str, ...] | None = None
) -> list[Category]:
    return [Category(value, label) for value, label in choices if keep is None or value in keep]


# --- Own data -------------------------------------------------------------------------


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """The employee's screening: status, dossiers (with outcome) and self-reports."""
    if request.deferrals.covers(DISCLOSURE_CATEGORY):
        return []
    status = screening_status_of(employee=request.employee)
    full = request.audience is Audience.ACCESS_REQUEST
    items = [
        OwnDataItem(
            title=_("Your screening status"),
            fields=(
                OwnDataField("function", _("Function"), str(request.employee.function or "")),
                OwnDataField(
                    "interval_years", _("Re-screening interval (years)"), status.interval_years
                ),
                OwnDataField("last_screened_on", _("Last screened"), status.last_screened_on),
                OwnDataField("next_due_on", _("Next re-screening"), status.next_due_on),
            ),
        )
    ]
    for dossier in status.open_dossiers + status.closed_dossiers:
        ref = _ref(dossier.pk)
        if request.deferrals.covers(DISCLOSURE_CATEGORY, ref):
            continue
        fields = [
            OwnDataField("kind", _("Kind"), dossier.get_kind_display()),
            OwnDataField("status", _("Status"), dossier.get_status_display()),
            OwnDataField("opened_on", _("Opened on"), dossier.opened_on),
            OwnDataField("closed_on", pgettext_lazy("screening", "Closed on"), dossier.closed_on),
            OwnDataField("outcome", _("Outcome"), dossier.get_outcome_display()),
        ]
        report = getattr(dossier, "self_report", None)
        if report is not None:
            fields.append(
                OwnDataField("category", _("What you reported"), report.get_category_display())
            )
        if full:
            # The export is complete: the officer's reasons and the employee's own words.
            fields.append(OwnDataField("reasons", _("Reasons"), dossier.outcome_reason))
            if dossier.outcome in ScreeningDossier.CLASSIFIED_OUTCOMES:
                fields.append(
                    OwnDataField(
                        "violation_kinds",
                        _("Kinds of violation recorded"),
                        ", ".join(str(row.kind) for row in dossier.violation_kinds.all()),
                    )
                )
            if dossier.interview_notes:
                fields.append(
                    OwnDataField(
                        "interview_notes",
                        _("Notes of the screening interview"),
                        dossier.interview_notes,
                    )
                )
            if report is not None:
                fields.append(OwnDataField("description", _("Description"), report.description))
        items.append(
            OwnDataItem(
                title=dossier.get_kind_display(),
                date=dossier.opened_on,
                object_ref=ref,
                fields=tuple(fields),
            )
        )
    return [
        OwnDataSection(
            key="screening.dossiers",
            category=DISCLOSURE_CATEGORY,
            title=_("Your screening"),
            description=_(
                "Screenings at appointment and every 5 or 8 years, continuous-screening "
                "notifications once handled, and your reports under the duty to report. "
                "Kept until the next re-screening replaces them."
            ),
            items=tuple(items),
            order=40,
        )
    ]


def closed_matters(employee: Employee, refs: Collection[ObjectRef]) -> set[ObjectRef]:
    """Which of the given dossiers of ``employee`` are closed."""
    ids = [int(ref.object_id) for ref in refs if ref.object_type == OBJECT_TYPE]
    closed = ScreeningDossier.objects.filter(
        employee=employee, pk__in=ids, status=ScreeningDossier.Status.CLOSED
    ).values_list("pk", flat=True)
    return {_ref(pk) for pk in closed}


# --- Retention ------------------------------------------------------------------------


def purge_dossiers(request: PurgeRequest) -> int:
    """Remove closed dossiers closed before the cutoff, with their parts and history.

    Dossiers of employees under a legal hold are kept. The deletes of the rows themselves
    would add "deleted" history rows holding the data, so those go as well.
    """
    expired = list(
        ScreeningDossier.objects.filter(
            status=ScreeningDossier.Status.CLOSED, closed_on__lt=request.cutoff
        )
        .exclude(employee_id__in=request.held_employee_ids)
        .values_list("pk", flat=True)
    )
    if not expired:
        return 0
    ScreeningDossier.objects.filter(pk__in=expired).delete()  # cascades to hit, report, invitation
    for model in (ContinuousScreeningHit, SelfReport, EvaluationInvitation):
        model.history.filter(dossier_id__in=expired).delete()
    ScreeningViolationKind.history.filter(subject_id__in=expired).delete()
    ScreeningDossier.history.filter(id__in=expired).delete()
    return len(expired)


PROVIDER = Provider(
    app_label="screening",
    measures=(
        Measure(
            key="screening.dossiers_opened",
            population="screening.dossiers_opened",
            section=SECTION,
            title=_("Screenings opened, by kind"),
            description=_(
                "Screenings at appointment, periodic re-screenings and continuous-screening "
                "notifications, by the unit of the employee and the quarter they were opened. "
                "Self-reports are counted separately."
            ),
            categories=lambda: _categories(ScreeningDossier.Kind.choices, OPENED_KINDS),
            count=count_opened,
            order=40,
        ),
        Measure(
            key="screening.self_reports",
            population="screening.self_reports",
            section=SECTION,
            title=_("Reports under the duty to report, by category"),
            description=_("Changes employees reported themselves, by unit and quarter."),
            categories=lambda: _categories(SelfReport.Category.choices),
            count=count_self_reports,
            order=41,
        ),
        Measure(
            key="screening.dossiers_closed",
            population="screening.dossiers_closed",
            section=SECTION,
            title=_("Screening dossiers closed, by outcome"),
            description=_(
                "Every kind of screening dossier, by the unit of the employee and the quarter "
                "it was closed."
            ),
            categories=lambda: _categories(ScreeningDossier.Outcome.choices),
            count=count_closed,
            order=42,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=DISCLOSURE_CATEGORY,
            label=_("Screening"),
            description=_("Screening dossiers, continuous-screening notifications, self-reports."),
            object_types=(OBJECT_TYPE,),
        ),
    ),
    own_data=own_data,
    closed_matters=closed_matters,
    retention=(
        RetentionCategory(
            key="screening.dossiers",
            label=_("Screening dossiers"),
            default_months=96,
            rationale=_(
                "A screening stays relevant until the periodic re-screening replaces it: at "
                "most eight years, the longer of the two intervals by function."
            ),
            purge=purge_dossiers,
        ),
    ),
)
