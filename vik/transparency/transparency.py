"""The transparency app's own provider: access requests and disclosure deferrals.

Discovered like any app's (``<app>/transparency.py``). The works council sees how the
employees' rights are honoured — requests answered in time, and how often disclosure was
deferred — and the employee sees their own requests. Deferrals are never shown to the
employee concerned; that is their purpose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from vik.models import Employee
from vik.transparency.models import AccessRequest, DisclosureDeferral
from vik.transparency.registry import (
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
    get_registry,
)

ACCESS_REQUEST_CATEGORY = "transparency.access_requests"
ACCESS_REQUEST_TYPE = "transparency.accessrequest"


def count_answered_requests(quarter: Quarter) -> list[Count]:
    """Requests answered in the quarter: in time, in the extended term, or late."""
    answered = AccessRequest.objects.filter(
        completed_at__gte=quarter.start_at, completed_at__lt=quarter.end_at
    ).select_related("employee")
    totals: Counter[tuple[int, str]] = Counter()
    for request in answered.only("employee__unit_id", "due_on", "extended_due_on", "completed_at"):
        if not request.answered_in_time:
            outcome = "late"
        elif request.extended_due_on is not None:
            outcome = "extended"
        else:
            outcome = "in_time"
        totals[(request.employee.unit_id, outcome)] += 1
    return [Count(unit_id, outcome, n) for (unit_id, outcome), n in totals.items()]


def deferral_categories() -> list[Category]:
    return [Category(c.key, c.label) for c in get_registry().disclosure_categories()]


def count_deferrals(quarter: Quarter) -> list[Count]:
    """Deferrals registered in the quarter, by the category deferred."""
    rows = DisclosureDeferral.objects.filter(
        created_at__gte=quarter.start_at, created_at__lt=quarter.end_at
    ).values_list("employee__unit_id", "category")
    known = {c.key for c in deferral_categories()}
    totals = Counter((unit_id, category) for unit_id, category in rows if category in known)
    return [Count(unit_id, category, n) for (unit_id, category), n in totals.items()]


def own_data(request: OwnDataRequest) -> list[OwnDataSection]:
    """The employee's own requests for access."""
    if request.deferrals.covers(ACCESS_REQUEST_CATEGORY):
        return []
    requests = AccessRequest.objects.filter(employee=request.employee).order_by("-received_on")
    return [
        OwnDataSection(
            key=ACCESS_REQUEST_CATEGORY,
            category=ACCESS_REQUEST_CATEGORY,
            title=_("Your requests for access"),
            description=_(
                "Kept to show that your request was answered, and when; removed two years "
                "after the answer."
            ),
            items=tuple(
                OwnDataItem(
                    title=_("Request for access"),
                    date=access_request.received_on,
                    object_ref=ObjectRef(ACCESS_REQUEST_TYPE, str(access_request.pk)),
                    fields=(
                        OwnDataField("received_on", _("Received on"), access_request.received_on),
                        OwnDataField("due_on", _("Answer due"), access_request.deadline),
                        OwnDataField("question", _("Question"), access_request.note),
                        OwnDataField("answered_at", _("Answered at"), access_request.completed_at),
                    ),
                )
                for access_request in requests
            ),
            empty_text=_("You have not asked for a copy of your data."),
            order=800,
        )
    ]


def closed_matters(employee: Employee, refs: Collection[ObjectRef]) -> set[ObjectRef]:
    """A request is a closed matter once it has been answered."""
    ids = [ref.object_id for ref in refs if ref.object_type == ACCESS_REQUEST_TYPE]
    answered = AccessRequest.objects.filter(
        employee=employee, pk__in=[i for i in ids if i.isdigit()], completed_at__isnull=False
    ).values_list("pk", flat=True)
    return {ObjectRef(ACCESS_REQUEST_TYPE, str(pk)) for pk in answered}


def purge_access_requests(request: PurgeRequest) -> int:
    """Answered requests (with their export) past the cutoff, and their history rows."""
    expired = AccessRequest.objects.filter(completed_at__lt=request.cutoff_at).exclude(
        employee_id__in=request.held_employee_ids
    )
    ids = list(expired.values_list("pk", flat=True))
    AccessRequest.objects.filter(pk__in=ids).delete()
    # The history trail holds the question and the dates too, and the delete just added a
    # row of its own: all of it goes with the request.
    AccessRequest.history.filter(id__in=ids).delete()
    return len(ids)


def purge_deferrals(request: PurgeRequest) -> int:
    """Ended deferrals past the cutoff, and their history rows."""
    expired = DisclosureDeferral.objects.filter(lifted_at__lt=request.cutoff_at).exclude(
        employee_id__in=request.held_employee_ids
    )
    ids = list(expired.values_list("pk", flat=True))
    DisclosureDeferral.objects.filter(pk__in=ids).delete()
    DisclosureDeferral.history.filter(id__in=ids).delete()
    return len(ids)


PROVIDER = Provider(
    app_label="transparency",
    measures=(
        Measure(
            key="transparency.access_requests",
            population="transparency.access_requests.answered",
            section=_("Employees' rights"),
            title=_("Requests for access answered"),
            description=_(
                "Requests for a copy of one's data (GDPR art. 15) answered in the quarter: "
                "within a month, within the extended term, or late."
            ),
            categories=(
                Category("in_time", _("Within one month")),
                Category("extended", _("Within the extended term")),
                Category("late", _("Late")),
            ),
            count=count_answered_requests,
            order=50,
        ),
        Measure(
            key="transparency.deferrals",
            population="transparency.deferrals.registered",
            section=_("Employees' rights"),
            title=_("Disclosure deferred during covert investigations"),
            description=_(
                "How often a commissioner deferred showing an employee part of their data, "
                "by what was deferred."
            ),
            categories=deferral_categories,
            count=count_deferrals,
            order=51,
        ),
    ),
    disclosure_categories=(
        DisclosureCategory(
            key=ACCESS_REQUEST_CATEGORY,
            label=_("Requests for access"),
            object_types=(ACCESS_REQUEST_TYPE,),
        ),
    ),
    own_data=own_data,
    closed_matters=closed_matters,
    retention=(
        RetentionCategory(
            key="transparency.access_requests",
            label=_("Answered requests for access, with the copy provided"),
            default_months=24,
            rationale=_(
                "Evidence that the request was answered, and what was provided, for a "
                "complaint to the data-protection authority; two years after the answer."
            ),
            purge=purge_access_requests,
        ),
        RetentionCategory(
            key="transparency.disclosure_deferrals",
            label=_("Ended disclosure deferrals"),
            default_months=60,
            rationale=_(
                "A deferral explains why looks at an employee's data were hidden for a time, "
                "so it is kept as long as the access log it explains: five years after it ended."
            ),
            purge=purge_deferrals,
        ),
    ),
)
