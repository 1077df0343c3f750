"""Writes of the screening app. Keyword-only arguments, an explicit ``acting_user``, one
transaction each, and a history row naming who did it and why (:func:`vik.history.stamp`).

Actions on an existing dossier re-read it through :func:`dossiers_visible_to` inside the
transaction (locked), so a grant revoked or a conflict declared a moment ago takes effect
even if the page was opened before.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import rules
from screening.models import (
    ContinuousScreeningHit,
    EvaluationInvitation,
    EvaluationResponse,
    ScreeningDossier,
    ScreeningPolicy,
    SelfReport,
)
from screening.selectors import (
    dossiers_visible_to,
    evaluation_invitations_visible_to,
    screening_officers_for,
)
from vik.evaluations import claim_once
from vik.history import stamp
from vik.models import ClassificationStage, Employee, ViolationKind
from vik.roles import Capability, UnitScope
from vik.selectors import employee_ids_in_scope, employee_of, has_capability
from vik.services import notify
from vik.typology.services import record_step_kinds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

TASK_REASON = "Herhalingsonderzoek automatisch geopend"
# How a report registered from a dossier names its source at VIK's intake.
INTAKE_SOURCE = "screening.dossier"
OPEN_STATUSES = (ScreeningDossier.Status.NEW, ScreeningDossier.Status.IN_PROGRESS)


# --- Policy ---------------------------------------------------------------------------


@transaction.atomic
def save_policy(
    *, policy: ScreeningPolicy, acting_user: AnyUser | None, reason: str
) -> ScreeningPolicy:
    """Create or change a re-screening policy (validated; the history names who and why).

    Dossiers already open keep their due date: a policy change applies from the next
    re-screening on, as a change in the law would.
    """
    policy.full_clean()
    stamp(policy, acting_user=acting_user, reason=reason).save()
    return policy


# --- Helpers --------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(day: datetime.date, label: str) -> None:
    if day > _today():
        raise ValidationError(_("%(label)s cannot be in the future.") % {"label": label})


def _require_screening_scope(acting_user: AnyUser, employee: Employee) -> None:
    """The acting officer must screen the employee's unit (and not be them or conflicted)."""
    if not has_capability(acting_user, Capability.HANDLE_SCREENING):
        raise PermissionDenied
    in_scope = employee_ids_in_scope(user=acting_user, scopes=UnitScope.SCREEN).filter(
        id=employee.pk
    )
    if not in_scope.exists():
        raise PermissionDenied


def _locked_dossier(dossier: ScreeningDossier, acting_user: AnyUser) -> ScreeningDossier:
    """Re-read the dossier through the officer's selector, locked for this transaction."""
    try:
        return (
            dossiers_visible_to(user=acting_user).select_for_update(of=("self",)).get(pk=dossier.pk)
        )
    except ScreeningDossier.DoesNotExist:
        raise PermissionDenied from None


def _require_open_and_assigned(dossier: ScreeningDossier, acting_user: AnyUser) -> None:
    if not dossier.is_open:
        raise ValidationError(_("This dossier is closed."))
    if dossier.assigned_to_id != acting_user.pk:
        raise ValidationError(
            _("Take this dossier on first: it is not assigned to you.")
            if dossier.assigned_to_id is None
            else _("This dossier is assigned to %(officer)s. Take it over first if you must.")
            % {"officer": dossier.assigned_to}
        )


def _dossier_url(dossier: ScreeningDossier) -> str:
    return reverse("screening:dossier_detail", kwargs={"pk": dossier.pk})


def _notify_officers(
    *, employee: Employee, subject: str, body: str, url: str, acting_user: AnyUser | None
) -> int:
    """Tell the screening officers of the employee's unit; no details leave VIK."""
    sent = 0
    for officer in screening_officers_for(employee=employee):
        if acting_user is not None and officer.pk == acting_user.pk:
            continue
        notify(recipient=officer, subject=subject, body=body, url=url, acting_user=acting_user)
        sent += 1
    return sent


# --- Opening dossiers -----------------------------------------------------------------


@transaction.atomic
def open_dossier(
    *,
    employee: Employee,
    kind: ScreeningDossier.Kind,
    acting_user: AnyUser | None,
    reason: str,
    opened_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
) -> ScreeningDossier:
    """Open an initial screening or a re-screening for ``employee``.

    Hits and self-reports have their own services (they carry their own record). A
    re-screening is due when the policy says, unless ``due_on`` is given; an initial
    screening after the working agreement's term. An employee has at most one open
    re-screening (also enforced by a database constraint the daily task relies on).
    """
    if kind not in ScreeningDossier.FULL_SCREENING_KINDS:
        raise ValidationError(
            _("Continuous-screening notifications and self-reports are registered separately.")
        )
    if acting_user is not None:
        _require_screening_scope(acting_user, employee)
    opened_on = opened_on or _today()
    _not_in_future(opened_on, _("The opening date"))
    if kind == ScreeningDossier.Kind.PERIODIC:
        existing = ScreeningDossier.objects.filter(
            employee=employee, kind=kind, status__in=OPEN_STATUSES
        ).first()
        if existing is not None:
            raise ValidationError(
                _("%(employee)s already has an open re-screening (%(reference)s).")
                % {"employee": employee.full_name, "reference": existing.reference}
            )
        if due_on is None:
            terms = rules.policy_for(employee)
            due_on = rules.next_due_on(rules.last_screened_on(employee), terms)
    if due_on is None:
        due_on = rules.handling_term(ScreeningDossier.Kind.INITIAL, opened_on)
    dossier = ScreeningDossier(employee=employee, kind=kind, opened_on=opened_on, due_on=due_on)
    stamp(dossier, acting_user=acting_user, reason=reason).save()
    return dossier


def open_due_rescreenings(*, today: datetime.date | None = None) -> list[int]:
    """Open a re-screening dossier for every employee whose lead time has begun. Idempotent.

    Run daily by Celery beat. Employees who have left, who already have an open
    re-screening, or of whom nothing is known (no screening, no employment start) are
    skipped. Each dossier is opened in its own transaction, and the unique constraint on
    open re-screenings makes a concurrent second run harmless: it simply opens nothing.
    """
    today = today or _today()
    per_function, default = rules.policies_by_function()
    last_passed = (
        ScreeningDossier.objects.filter(rules.PASSED_SCREENING, employee=OuterRef("pk"))
        .values("employee")
        .annotate(latest=Max("closed_on"))
        .values("latest")
    )
    open_periodic = ScreeningDossier.objects.filter(
        employee=OuterRef("pk"),
        kind=ScreeningDossier.Kind.PERIODIC,
        status__in=OPEN_STATUSES,
    )
    candidates = (
        Employee.objects.exclude(employment_end__lt=today)
        .exclude(Exists(open_periodic))
        .annotate(last_passed=Subquery(last_passed))
        .only("id", "function_id", "employment_start")
    )
    opened: list[int] = []
    for employee in candidates.iterator(chunk_size=2000):
        terms = per_function.get(employee.function_id, default) if employee.function_id else default
        due = rules.next_due_on(employee.last_passed or employee.employment_start, terms)
        if due is None or rules.opens_on(due, terms) > today:
            continue
        try:
            with transaction.atomic():
                dossier = ScreeningDossier(
                    employee_id=employee.pk,
                    kind=ScreeningDossier.Kind.PERIODIC,
                    opened_on=today,
                    due_on=due,
                )
                stamp(dossier, acting_user=None, reason=TASK_REASON).save()
        except IntegrityError:
            continue  # opened meanwhile by a concurrent run or an officer: nothing to do
        opened.append(dossier.pk)
    return opened


@transaction.atomic
def register_hit(
    *,
    employee: Employee,
    received_on: datetime.date,
    source_reference: str,
    reported_by: str,
    offence: str,
    acting_user: AnyUser,
) -> ScreeningDossier:
    """Register a continuous-screening notification and open its dossier.

    The screening officers of the employee's unit are told that there is a new notification
    — without a name or any detail; they open the dossier in VIK to see it.
    """
    _require_screening_scope(acting_user, employee)
    _not_in_future(received_on, _("The date of receipt"))
    source_reference = source_reference.strip()
    if not source_reference:
        raise ValidationError(_("Give the number of the notification."))
    if ContinuousScreeningHit.objects.filter(source_reference=source_reference).exists():
        raise ValidationError(_("This notification number is already registered."))
    dossier = ScreeningDossier(
        employee=employee,
        kind=ScreeningDossier.Kind.CONTINUOUS_HIT,
        opened_on=received_on,
        due_on=rules.handling_term(ScreeningDossier.Kind.CONTINUOUS_HIT, received_on),
    )
    stamp(dossier, acting_user=acting_user, reason="Melding continue screening").save()
    hit = ContinuousScreeningHit(
        dossier=dossier,
        received_on=received_on,
        source_reference=source_reference,
        reported_by=reported_by.strip(),
        offence=offence.strip(),
        registered_by=acting_user if acting_user.is_authenticated else None,
    )
    stamp(hit, acting_user=acting_user, reason="Melding continue screening").save()
    _notify_officers(
        employee=employee,
        subject=_("New continuous-screening notification"),
        body=_("A continuous-screening notification was registered for your unit."),
        url=_dossier_url(dossier),
        acting_user=acting_user,
    )
    return dossier


@transaction.atomic
def submit_self_report(
    *,
    category: SelfReport.Category,
    occurred_on: datetime.date,
    description: str,
    acting_user: AnyUser,
) -> SelfReport:
    """The employee reports a change under the duty to report; a dossier opens for it."""
    if not has_capability(acting_user, Capability.USE_SELF_SERVICE):
        raise PermissionDenied
    employee = employee_of(acting_user)
    if employee is None:
        raise ValidationError(_("Your account is not linked to an employee record."))
    if category not in SelfReport.Category.values:
        raise ValidationError(_("Choose one of the categories."))
    _not_in_future(occurred_on, _("The date of the change"))
    description = description.strip()
    if len(description) < 10:
        raise ValidationError(_("Describe the change in a sentence or two."))
    now = timezone.now()
    dossier = ScreeningDossier(
        employee=employee,
        kind=ScreeningDossier.Kind.SELF_REPORT,
        opened_on=timezone.localdate(now),
        due_on=rules.handling_term(ScreeningDossier.Kind.SELF_REPORT, timezone.localdate(now)),
    )
    stamp(dossier, acting_user=acting_user, reason="Melding meldplicht").save()
    report = SelfReport(
        employee=employee,
        dossier=dossier,
        category=category,
        occurred_on=occurred_on,
        description=description,
        submitted_at=now,
    )
    stamp(report, acting_user=acting_user, reason="Melding meldplicht").save()
    _notify_officers(
        employee=employee,
        subject=_("New self-report"),
        body=_("An employee of your unit submitted a report under the duty to report."),
        url=_dossier_url(dossier),
        acting_user=acting_user,
    )
    return report


# --- Working on a dossier -------------------------------------------------------------


@transaction.atomic
def take_dossier(*, dossier: ScreeningDossier, acting_user: AnyUser) -> ScreeningDossier:
    """The acting officer takes the dossier on (or over from a colleague, e.g. during leave)."""
    dossier = _locked_dossier(dossier, acting_user)
    if not dossier.is_open:
        raise ValidationError(_("This dossier is closed."))
    if dossier.assigned_to_id == acting_user.pk:
        return dossier
    previous = dossier.assigned_to
    dossier.assigned_to = acting_user  # type: ignore[assignment]
    dossier.status = ScreeningDossier.Status.IN_PROGRESS
    reason = f"Overgenomen van {previous}" if previous else "In behandeling genomen"
    stamp(dossier, acting_user=acting_user, reason=reason).save()
    return dossier


@transaction.atomic
def record_interview(
    *,
    dossier: ScreeningDossier,
    held_on: datetime.date,
    notes: str = "",
    acting_user: AnyUser,
) -> ScreeningDossier:
    """Record that the screening interview was held, with the officer's notes of it.

    After the interview of an initial screening or re-screening the employee is invited to
    evaluate it (the 11 questions); their answers are stored anonymously. The notes are the
    officers' working record (part of an access request's export, never of the evaluation).
    """
    dossier = _locked_dossier(dossier, acting_user)
    _require_open_and_assigned(dossier, acting_user)
    _not_in_future(held_on, _("The date of the interview"))
    if held_on < dossier.opened_on:
        raise ValidationError(_("The interview cannot precede the opening of the dossier."))
    dossier.interview_held_on = held_on
    dossier.interview_notes = notes.strip()
    stamp(dossier, acting_user=acting_user, reason="Screeningsgesprek gehouden").save()
    if (
        dossier.kind in ScreeningDossier.FULL_SCREENING_KINDS
        and not EvaluationInvitation.objects.filter(dossier=dossier).exists()
    ):
        invitation = EvaluationInvitation(dossier=dossier, created_on=_today())
        stamp(invitation, acting_user=acting_user, reason="Uitnodiging evaluatie").save()
        if dossier.employee.user is not None:
            notify(
                recipient=dossier.employee.user,
                subject=_("How was your screening interview?"),
                body=_(
                    "You are invited to evaluate your screening interview: 11 short "
                    "questions. Your answers are stored anonymously."
                ),
                url=reverse("screening:evaluation_create", kwargs={"pk": invitation.pk}),
                acting_user=acting_user,
            )
    return dossier


@transaction.atomic
def close_dossier(
    *,
    dossier: ScreeningDossier,
    outcome: ScreeningDossier.Outcome,
    reason: str,
    acting_user: AnyUser,
    closed_on: datetime.date | None = None,
    intake_summary: str = "",
    kinds: Iterable[ViolationKind] | None = None,
) -> ScreeningDossier:
    """Close the dossier with its outcome and the reasons for it.

    An outcome that points at something (agreements, referral, objection) records the
    ``kinds`` of integrity violation of the shared typology; without them it counts as "not
    yet classified". The other outcomes take none.

    A full screening cannot pass without the screening interview. The employee is told
    that there is news about their screening (the outcome is shown in VIK, not mailed).

    Closed as *referred for an integrity investigation*, the dossier registers a report with
    VIK's intake (:func:`cases.services.register_report`, channel ``screening_hit``) in the
    same transaction: the report says only what the officer wrote for intake
    (``intake_summary``) and refers to the dossier — no notification, offence or reasons.
    Intake refusing it (e.g. nobody can act as commissioner) leaves the dossier open.
    """
    dossier = _locked_dossier(dossier, acting_user)
    _require_open_and_assigned(dossier, acting_user)
    closed_on = closed_on or _today()
    _not_in_future(closed_on, _("The closing date"))
    if closed_on < dossier.opened_on:
        raise ValidationError(_("A dossier cannot close before it opened."))
    if outcome not in ScreeningDossier.Outcome.values:
        raise ValidationError(_("Choose one of the outcomes."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reasons for the outcome."))
    if (
        dossier.kind in ScreeningDossier.FULL_SCREENING_KINDS
        and outcome != ScreeningDossier.Outcome.LAPSED
        and dossier.interview_held_on is None
    ):
        raise ValidationError(
            _(
                "A screening cannot be completed without the screening interview. Record "
                "the interview first, or close the dossier as lapsed."
            )
        )
    intake_summary = intake_summary.strip()
    if outcome == ScreeningDossier.Outcome.REFERRED and not intake_summary:
        raise ValidationError(
            _(
                "Write what VIK's intake needs to know: only that text goes with the report, "
                "nothing else from the screening."
            ),
            code="no_intake_summary",
        )
    dossier.status = ScreeningDossier.Status.CLOSED
    dossier.outcome = outcome
    dossier.outcome_reason = reason
    dossier.closed_on = closed_on
    if outcome == ScreeningDossier.Outcome.REFERRED:
        dossier.referral_case = _register_with_intake(
            dossier, summary=intake_summary, acting_user=acting_user
        )
    stamp(dossier, acting_user=acting_user, reason="Afgerond").save()
    record_step_kinds(
        subject=dossier,
        kinds=kinds,
        stage=ClassificationStage.OUTCOME,
        acting_user=acting_user,
        reason="Afgerond",
        applies=outcome in ScreeningDossier.CLASSIFIED_OUTCOMES,
    )
    if dossier.employee.user is not None and outcome != ScreeningDossier.Outcome.LAPSED:
        notify(
            recipient=dossier.employee.user,
            subject=_("News about your screening"),
            body=_("A screening dossier about you has been completed. See My screening."),
            url=reverse("screening:my_screening"),
            acting_user=acting_user,
        )
    return dossier


def _register_with_intake(dossier: ScreeningDossier, *, summary: str, acting_user: AnyUser) -> Any:
    """Register the referral as a report with VIK's intake (the cases app's own service)."""
    from cases.models import Channel
    from cases.services import register_report

    return register_report(
        channel=Channel.SCREENING_HIT,
        summary=summary,
        concerned_employees=[dossier.employee],
        source_reference=f"{INTAKE_SOURCE}:{dossier.reference}",
        acting_user=acting_user,
    )


# --- The evaluation -------------------------------------------------------------------


@transaction.atomic
def submit_evaluation(
    *, invitation: EvaluationInvitation, answers: dict[str, Any], acting_user: AnyUser
) -> None:
    """Store the employee's evaluation anonymously; an invitation can be used once.

    The invitation is claimed with a conditional update — on purpose without a history row,
    which would timestamp the moment of answering and so help link answer to person. The
    response keeps only the unit and the quarter of the interview.
    """
    try:
        invitation = evaluation_invitations_visible_to(user=acting_user).get(pk=invitation.pk)
    except EvaluationInvitation.DoesNotExist:
        raise PermissionDenied from None
    if not claim_once(EvaluationInvitation.objects.filter(pk=invitation.pk)):
        raise ValidationError(_("This evaluation has already been answered. Thank you!"))
    allowed = {f.name for f in EvaluationResponse._meta.fields if f.name.startswith("q")}
    unknown = set(answers) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown questions: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    interview = invitation.dossier.interview_held_on or _today()
    response = EvaluationResponse(
        unit_id=invitation.dossier.employee.unit_id,
        year=interview.year,
        quarter=(interview.month - 1) // 3 + 1,
        **answers,
    )
    response.full_clean()
    response.save()
