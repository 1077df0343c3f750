"""The complaints app's transparency provider (see ``vik.transparency.registry``).

It contributes

* two measures over disjoint populations — complaints *received*, each counted once under
  its main theme (the first of its themes in the order of the uniform classification), and
  complaints *closed*, by how they ended (the judgement, for a decision). Counted by the
  unit complained about, mapped to its police unit;
* for the employee complained about, the complaints about them once they know of them —
  when they were offered a hearing, or when the complaint is closed — for "Mijn gegevens"
  and the export of a data-access request. The complainant's identity is never part of it;
* the disclosure category "complaints about you" and which of those complaints are closed;
* the retention of handled complaints, with the complainant's contact details, hearings,
  the decision and every history row.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count as CountOf
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import (
    ComplainantContact,
    ComplainedEmployee,
    Complaint,
    ComplaintTheme,
    ComplaintViolationKind,
    Decision,
    Hearing,
)
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

DISCLOSURE_CATEGORY = "complaints.about_me"
OBJECT_TYPE = Complaint._meta.label_lower  # as the access log names a complaint
SECTION = _("Complaints")
UNCLASSIFIED = "unclassified"


def _ref(complaint_id: int) -> ObjectRef:
    return ObjectRef(OBJECT_TYPE, str(complaint_id))


# --- Measures -------------------------------------------------------------------------


def theme_categories() -> list[Category]:
    """Every theme ever used (inactive ones too: past quarters keep their columns)."""
    return [Category(theme.code, theme.name) for theme in ComplaintTheme.objects.all()] + [
        Category(UNCLASSIFIED, _("Not classified"))
    ]


def count_received(quarter: Quarter) -> list[Count]:
    """Complaints received in the quarter, by unit and main theme (one theme each)."""
    main_theme = (
        ComplaintTheme.objects.filter(complaints=OuterRef("pk"))
        .order_by("order", "name")
        .values("code")[:1]
    )
    rows = (
        Complaint.objects.filter(received_on__gte=quarter.start, received_on__lt=quarter.end)
        .annotate(theme=Subquery(main_theme))
        .order_by()  # the default ordering would split the groups
        .values_list("unit_id", "theme")
        .annotate(n=CountOf("id"))
    )
    return [Count(unit_id, theme or UNCLASSIFIED, n) for unit_id, theme, n in rows]


def closure_categories() -> list[Category]:
    categories = [Category("resolved", Complaint.Closure.RESOLVED_INFORMALLY.label)]
    categories += [Category(f"decided_{value}", label) for value, label in Decision.Outcome.choices]
    categories += [
        Category(Complaint.Closure.NOT_TAKEN_UP.value, Complaint.Closure.NOT_TAKEN_UP.label),
        Category(Complaint.Closure.WITHDRAWN.value, Complaint.Closure.WITHDRAWN.label),
    ]
    return categories


def count_closed(quarter: Quarter) -> list[Count]:
    """Complaints closed in the quarter, by unit and how they ended."""
    rows = (
        Complaint.objects.filter(
            phase=Complaint.Phase.CLOSED, closed_on__gte=quarter.start, closed_on__lt=quarter.end
        )
        .order_by()
        .values_list("unit_id", "closure", "decision__outcome")
        .annotate(n=CountOf("id"))
    )
    return [
        Count(unit_id, f"decided_{outcome}" if closure == Complaint.Closure.DECIDED else closure, n)
        for unit_id, closure, outcome, n in rows
    ]


# --- Own data -------------------------------------------------------------------------


def _known_to(employee: Employee) -> Q:
    """Complaints the employee knows of: offered a hearing in it, or it is closed."""
    return Q(complained_employees__employee=employee) & (
        Q(phase=Complaint.Phase.CLOSED) | Q(hearings__employee=employee)
    )


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """The complaints about the employee that they know of; never who complained."""
    if request.deferrals.covers(DISCLOSURE_CATEGORY):
        return []
    employee = request.employee
    full = request.audience is Audience.ACCESS_REQUEST
    complaints = (
        Complaint.objects.filter(_known_to(employee))
        .distinct()
        .select_related("unit", "decision")
        .prefetch_related("themes")
        .order_by("-received_on", "-id")
    )
    if full:
        complaints = complaints.prefetch_related("violation_kinds__kind")
    items = []
    for complaint in complaints:
        ref = _ref(complaint.pk)
        if request.deferrals.covers(DISCLOSURE_CATEGORY, ref):
            continue
        decision: Decision | None = getattr(complaint, "decision", None)
        fields = [
            OwnDataField("reference", pgettext_lazy("complaint", "Reference"), complaint.reference),
            OwnDataField("received_on", _("Received on"), complaint.received_on),
            OwnDataField("conduct_on", _("Date of the conduct"), complaint.conduct_on),
            OwnDataField("unit", _("Unit"), str(complaint.unit)),
            OwnDataField(
                "themes", _("Themes"), ", ".join(str(theme) for theme in complaint.themes.all())
            ),
            OwnDataField("phase", _("Phase"), complaint.get_phase_display()),
            OwnDataField("closure", _("Closed as"), complaint.get_closure_display()),
            OwnDataField(
                "judgement", _("Judgement"), decision.get_outcome_display() if decision else ""
            ),
            OwnDataField(
                "decided_on",
                pgettext_lazy("complaint", "Decided on"),
                decision.decided_on if decision else None,
            ),
        ]
        if full:
            # The export is complete about the employee, never about the complainant.
            own_hearing = complaint.hearings.filter(employee=employee).first()
            fields += [
                OwnDataField("summary", _("What the complaint is about"), complaint.summary),
                OwnDataField("reasons", _("Reasons"), decision.reasoning if decision else ""),
                OwnDataField("measures", _("Measures"), decision.measures if decision else ""),
                OwnDataField(
                    "hearing_report",
                    _("Report of your hearing"),
                    own_hearing.report if own_hearing else "",
                ),
                OwnDataField(
                    "violation_kinds",
                    _("Kinds of violation recorded"),
                    ", ".join(str(row.kind) for row in complaint.violation_kinds.all()),
                ),
            ]
        items.append(
            OwnDataItem(
                title=complaint.reference,
                date=complaint.received_on,
                object_ref=ref,
                fields=tuple(fields),
            )
        )
    return [
        OwnDataSection(
            key="complaints.about_me",
            category=DISCLOSURE_CATEGORY,
            title=_("Complaints about you"),
            description=_(
                "Citizens' complaints that name you, from the moment you were offered a "
                "hearing or the complaint was closed. Kept five years after the decision. "
                "Who complained is not shown."
            ),
            items=tuple(items),
            order=50,
        )
    ]


def closed_matters(employee: Employee, refs: Collection[ObjectRef]) -> set[ObjectRef]:
    """Which of the given complaints about ``employee`` are closed."""
    ids = [int(ref.object_id) for ref in refs if ref.object_type == OBJECT_TYPE]
    closed = (
        Complaint.objects.filter(
            pk__in=ids, phase=Complaint.Phase.CLOSED, complained_employees__employee=employee
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    return {_ref(pk) for pk in closed}


# --- Retention ------------------------------------------------------------------------


def purge_complaints(request: PurgeRequest) -> int:
    """Remove complaints closed before the cutoff, with everything that belongs to them.

    A complaint naming an employee under a legal hold is kept. The deletes themselves would
    add "deleted" history rows holding the data, so every history row of the complaint,
    its contact details, the named employees, the hearings and the decision goes as well.
    """
    held = ComplainedEmployee.objects.filter(employee_id__in=request.held_employee_ids)
    expired = list(
        Complaint.objects.filter(phase=Complaint.Phase.CLOSED, closed_on__lt=request.cutoff)
        .exclude(pk__in=held.values("complaint_id"))
        .values_list("pk", flat=True)
    )
    if not expired:
        return 0
    Complaint.objects.filter(pk__in=expired).delete()  # cascades to every part
    for model in (ComplainantContact, ComplainedEmployee, Hearing, Decision):
        model.history.filter(complaint_id__in=expired).delete()
    ComplaintViolationKind.history.filter(subject_id__in=expired).delete()
    # The themes' history rows hang off the complaint's history rows and go with them.
    Complaint.history.filter(id__in=expired).delete()
    return len(expired)


PROVIDER = Provider(
    app_label="complaints",
    measures=(
        Measure(
            key="complaints.received_by_theme",
            population="complaints.received",
            section=SECTION,
            title=_("Complaints received, by theme"),
            description=_(
                "Citizens' complaints by the unit complained about and the quarter they were "
                "received, each under its main theme of the uniform classification."
            ),
            categories=theme_categories,
            count=count_received,
            order=50,
        ),
        Measure(
            key="complaints.closed",
            population="complaints.closed",
            section=SECTION,
            title=_("Complaints closed, by outcome"),
            description=_(
                "Resolved informally, decided (by judgement), not taken up or withdrawn, by "
                "the unit complained about and the quarter the complaint was closed."
            ),
            categories=closure_categories,
            count=count_closed,
            order=51,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=DISCLOSURE_CATEGORY,
            label=_("Complaints about you"),
            description=_("Citizens' complaints that name the employee."),
            object_types=(OBJECT_TYPE,),
        ),
    ),
    own_data=own_data,
    closed_matters=closed_matters,
    retention=(
        RetentionCategory(
            key="complaints.closed",
            label=_("Handled citizens' complaints"),
            default_months=60,
            rationale=_(
                "Five years after the decision: the National Ombudsman's term, yearly "
                "reporting and learning across the unit; the customary term for complaint "
                "files."
            ),
            purge=purge_complaints,
        ),
    ),
)
