"""The end of an investigation: findings, hearing, report, outcome, disciplinary route, closing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Case,
    CaseParty,
    CaseStatus,
    DeadlineKind,
    DisciplinaryProcedure,
    Hearing,
    HearingForm,
    InvestigationComplaint,
    OutcomeRoute,
    Punishment,
)
from cases.protocol import require_ready_for_hearing, require_ready_to_close, require_status
from cases.selectors import commissioners_of
from cases.services._base import (
    Acting,
    actor,
    case_url,
    investigation_of,
    journal,
    lock_case,
    meet_deadline,
    open_deadline,
    require_not_future,
    system_text,
    tell,
)
from cases.services.intake import refer_to_line
from cases.services.reports import queue_report_render
from vik.history import stamp
from vik.models import ClassificationStage, ViolationKind
from vik.typology.services import record_step_kinds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@transaction.atomic
def save_findings(*, case: Case, findings: str, conclusion: str, acting_user: AnyUser) -> Case:
    """The investigators write down the findings and conclusion (until the report is handed in)."""
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.INVESTIGATING, CaseStatus.HEARING)
    investigation.findings = findings.strip()
    investigation.conclusion = conclusion.strip()
    stamp(investigation, acting_user=acting_user, reason="findings").save(
        update_fields=["findings", "conclusion"]
    )
    return case


@transaction.atomic
def offer_hearing(
    *,
    case: Case,
    offered_on: datetime.date,
    scheduled_at: datetime.datetime | None = None,
    location: str = "",
    acting_user: AnyUser,
) -> Hearing:
    """Offer the person concerned the hearing (wederhoor) on all findings.

    Only when the gathering is complete: findings written, interviews held and their reports
    in an end state, document requests settled, telecommunication ended and told. A date,
    time and place for an oral hearing (both or neither) go into the invitation letter and
    the calendar file.
    """
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.INVESTIGATING)
    require_ready_for_hearing(investigation)
    require_not_future(offered_on, gettext_lazy("The date"))
    if (scheduled_at is None) != (not location.strip()):
        raise ValidationError(
            _("Give both the date and time and the place of the hearing, or neither."),
            code="plan",
        )
    if scheduled_at is not None and timezone.localdate(scheduled_at) < offered_on:
        raise ValidationError(_("The hearing cannot take place before it is offered."))
    hearing = Hearing(
        investigation=investigation,
        offered_on=offered_on,
        offered_by=actor(acting_user),
        scheduled_at=scheduled_at,
        location=location.strip(),
    )
    stamp(hearing, acting_user=acting_user, reason="hearing offered").save()
    case.status = CaseStatus.HEARING
    stamp(case, acting_user=acting_user, reason="hearing offered").save(update_fields=["status"])
    journal(
        investigation,
        gettext_lazy("The person concerned was offered the hearing on the findings on %(date)s."),
        author=actor(acting_user),
        date=offered_on.strftime("%d-%m-%Y"),
    )
    return hearing


@transaction.atomic
def record_hearing(
    *,
    case: Case,
    held_on: datetime.date,
    form: HearingForm,
    counsel_present: bool | None,
    findings_made_available: bool,
    reaction: str,
    acting_user: AnyUser,
) -> Hearing:
    """Record the reaction of the person concerned (or that they declined to respond)."""
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.HEARING)
    hearing = Hearing.objects.select_for_update().get(pk=investigation.pk)
    if hearing.is_recorded:
        raise ValidationError(_("The hearing has already been recorded."))
    require_not_future(held_on, gettext_lazy("The date"))
    if held_on < hearing.offered_on:
        raise ValidationError(_("The hearing cannot precede the offer."))
    form = HearingForm(form)
    if form != HearingForm.DECLINED:
        if not findings_made_available:
            raise ValidationError(
                _("All findings are made available to the person concerned at the hearing."),
                code="findings_not_available",
            )
        if not reaction.strip():
            raise ValidationError(_("Record the reaction."), code="no_reaction")
    hearing.held_on = held_on
    hearing.form = form
    hearing.counsel_present = counsel_present
    hearing.findings_made_available = findings_made_available
    hearing.reaction = reaction.strip()
    stamp(hearing, acting_user=acting_user, reason="hearing recorded").save()
    journal(
        investigation,
        gettext_lazy("Hearing recorded (%(form)s)."),
        author=actor(acting_user),
        form=form.label,
    )
    return hearing


@transaction.atomic
def submit_report(*, case: Case, acting_user: AnyUser) -> Case:
    """Hand the report and the hearing to the commissioner, who then decides the outcome."""
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.HEARING)
    hearing = getattr(investigation, "hearing", None)
    if hearing is None or not hearing.is_recorded:
        raise ValidationError(_("Record the hearing first."), code="no_hearing")
    if not investigation.conclusion.strip():
        raise ValidationError(_("Write the conclusion first."), code="no_conclusion")
    investigation.report_submitted_at = timezone.now()
    stamp(investigation, acting_user=acting_user, reason="report submitted").save(
        update_fields=["report_submitted_at"]
    )
    case.status = CaseStatus.DECISION
    stamp(case, acting_user=acting_user, reason="report submitted").save(update_fields=["status"])
    journal(
        investigation,
        gettext_lazy("Report and hearing handed to the commissioner."),
        author=actor(acting_user),
    )
    tell(
        commissioners_of(case),
        gettext_lazy("The report of investigation %(reference)s awaits your decision"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    # The report as handed over is a document on record: rendered once, in the background,
    # and offered to the commissioner (and the investigators) for download.
    queue_report_render(case, acting_user=acting_user, is_handover=True)
    return case


@transaction.atomic
def decide_outcome(
    *,
    case: Case,
    dereliction: bool | None,
    route: OutcomeRoute,
    rationale: str,
    line_instruction: str = "",
    kinds: Iterable[ViolationKind] | None = None,
    acting_user: AnyUser,
) -> Case:
    """The commissioner decides: dereliction of duty or not, and the route that follows.

    ``kinds`` are the kinds of integrity violation found (the shared typology; those recorded
    at triage are kept beside them); without them the outcome counts as "not yet classified".
    """
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.DECISION)
    if investigation.outcome_decided_at is not None:
        raise ValidationError(_("The outcome has already been decided."))
    route = OutcomeRoute(route)
    if not rationale.strip():
        raise ValidationError(_("Give the rationale."), code="no_rationale")
    if route == OutcomeRoute.DISCIPLINARY and dereliction is not True:
        raise ValidationError(
            _("The disciplinary route follows only a finding of dereliction of duty."),
            code="no_dereliction",
        )
    if route == OutcomeRoute.LINE and not line_instruction.strip():
        raise ValidationError(_("Write down what the team chief is to discuss."))
    investigation.dereliction = dereliction
    investigation.outcome_route = route
    investigation.outcome_rationale = rationale.strip()
    investigation.outcome_decided_at = timezone.now()
    investigation.outcome_decided_by = actor(acting_user)
    stamp(investigation, acting_user=acting_user, reason="outcome decided").save()
    record_step_kinds(
        subject=case,
        kinds=kinds,
        stage=ClassificationStage.OUTCOME,
        acting_user=acting_user,
        reason="outcome decided",
    )
    if route == OutcomeRoute.LINE:
        refer_to_line(
            case=case,
            employees=[p.employee for p in case.parties.filter(role=CaseParty.Role.CONCERNED)],
            instruction=line_instruction,
            acting_user=acting_user,
        )
    journal(
        investigation,
        gettext_lazy("Outcome decided: %(dereliction)s; %(route)s."),
        author=actor(acting_user),
        dereliction=system_text(
            gettext_lazy("dereliction of duty")
            if dereliction
            else gettext_lazy("no dereliction of duty")
            if dereliction is False
            else gettext_lazy("no judgement on dereliction of duty")
        ),
        route=route.label,
    )
    return case


def _procedure(case: Case, acting_user: AnyUser) -> tuple[Case, DisciplinaryProcedure | None]:
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    if investigation.outcome_route != OutcomeRoute.DISCIPLINARY:
        raise ValidationError(_("The outcome does not follow the disciplinary route."))
    return case, DisciplinaryProcedure.objects.select_for_update().filter(
        pk=investigation.pk
    ).first()


@transaction.atomic
def intend_punishment(
    *,
    case: Case,
    punishment: Punishment,
    intended_on: datetime.date,
    reasons: str,
    acting_user: AnyUser,
) -> DisciplinaryProcedure:
    """Step 1: the intended decision, made known to the employee, who may respond."""
    case, procedure = _procedure(case, acting_user)
    if procedure is not None:
        raise ValidationError(_("The intended decision has already been recorded."))
    if not punishment.is_active:
        raise ValidationError(_("This punishment is no longer in use."))
    if not reasons.strip():
        raise ValidationError(_("Give the reasons."))
    require_not_future(intended_on, gettext_lazy("The date"))
    procedure = DisciplinaryProcedure(
        investigation=case.investigation,
        intended_punishment=punishment,
        intended_on=intended_on,
        intended_reasons=reasons.strip(),
    )
    stamp(procedure, acting_user=acting_user, reason="intended decision").save()
    journal(
        case.investigation,
        gettext_lazy("Intended disciplinary decision: %(punishment)s."),
        author=actor(acting_user),
        punishment=punishment.name,
    )
    return procedure


@transaction.atomic
def record_disciplinary_response(
    *, case: Case, response_on: datetime.date, response: str, acting_user: AnyUser
) -> DisciplinaryProcedure:
    """Step 2: the employee's response to the intended decision (or that none came)."""
    case, procedure = _procedure(case, acting_user)
    if procedure is None:
        raise ValidationError(_("Record the intended decision first."))
    if procedure.response_on is not None:
        raise ValidationError(_("The response has already been recorded."))
    if not response.strip():
        raise ValidationError(
            _("Record the response, or that the employee did not respond within the term.")
        )
    require_not_future(response_on, gettext_lazy("The date"))
    if response_on < procedure.intended_on:
        raise ValidationError(_("A response cannot precede the intended decision."))
    procedure.response_on = response_on
    procedure.response = response.strip()
    stamp(procedure, acting_user=acting_user, reason="response").save()
    journal(
        case.investigation,
        gettext_lazy("The employee's response to the intended decision was recorded."),
        author=actor(acting_user),
    )
    return procedure


@transaction.atomic
def decide_punishment(
    *,
    case: Case,
    punishment: Punishment | None,
    decided_on: datetime.date,
    reasons: str,
    acting_user: AnyUser,
) -> DisciplinaryProcedure:
    """Step 3: the decision, after the response — never heavier than what was intended.

    The employee responded to the intended punishment; a heavier one would need a new
    intended decision so that they can respond to that too. ``punishment=None``: none after all.
    """
    case, procedure = _procedure(case, acting_user)
    if procedure is None or procedure.response_on is None:
        raise ValidationError(
            _("The employee responds to the intended decision before the decision is taken."),
            code="no_response",
        )
    if procedure.decided_on is not None:
        raise ValidationError(_("The decision has already been taken."))
    if punishment is not None and punishment.severity > procedure.intended_punishment.severity:
        raise ValidationError(
            _(
                "The decision cannot be heavier than the intended decision the employee "
                "responded to."
            ),
            code="heavier",
        )
    if not reasons.strip():
        raise ValidationError(_("Give the reasons."))
    require_not_future(decided_on, gettext_lazy("The date"))
    if decided_on < procedure.response_on:
        raise ValidationError(_("The decision cannot precede the response."))
    procedure.decided_punishment = punishment
    procedure.no_punishment = punishment is None
    procedure.decided_on = decided_on
    procedure.decision_reasons = reasons.strip()
    stamp(procedure, acting_user=acting_user, reason="decision").save()
    journal(
        case.investigation,
        gettext_lazy("Disciplinary decision: %(punishment)s."),
        author=actor(acting_user),
        punishment=punishment.name if punishment else system_text(gettext_lazy("no punishment")),
    )
    return procedure


@transaction.atomic
def record_receipt(
    *,
    case: Case,
    signed_on: datetime.date | None,
    refusal_reason: str = "",
    acting_user: AnyUser,
) -> DisciplinaryProcedure:
    """Step 4: the employee signs a receipt for the decision (or the refusal is recorded)."""
    case, procedure = _procedure(case, acting_user)
    if procedure is None or procedure.decided_on is None:
        raise ValidationError(_("Take the decision first."))
    if procedure.is_complete:
        raise ValidationError(_("The receipt has already been recorded."))
    if signed_on is None and not refusal_reason.strip():
        raise ValidationError(_("Record the date of the receipt, or why it was not signed."))
    if signed_on is not None:
        require_not_future(signed_on, gettext_lazy("The date"))
        if signed_on < procedure.decided_on:
            raise ValidationError(_("A receipt cannot precede the decision."))
    procedure.receipt_signed_on = signed_on
    procedure.receipt_refusal_reason = "" if signed_on else refusal_reason.strip()
    stamp(procedure, acting_user=acting_user, reason="receipt").save()
    journal(
        case.investigation,
        gettext_lazy("Receipt for the disciplinary decision recorded."),
        author=actor(acting_user),
    )
    return procedure


@transaction.atomic
def record_report_provided(*, case: Case, on: datetime.date, acting_user: AnyUser) -> Case:
    """The person concerned receives the investigation report from the commissioner."""
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    if investigation.report_submitted_at is None:
        raise ValidationError(_("The report has not been handed to the commissioner yet."))
    require_not_future(on, gettext_lazy("The date"))
    if on < timezone.localdate(investigation.report_submitted_at):
        raise ValidationError(_("The report cannot be provided before it was handed in."))
    investigation.report_provided_to_subject_on = on
    stamp(investigation, acting_user=acting_user, reason="report provided").save(
        update_fields=["report_provided_to_subject_on"]
    )
    journal(
        investigation,
        gettext_lazy("The person concerned received the investigation report on %(date)s."),
        author=actor(acting_user),
        date=on.strftime("%d-%m-%Y"),
    )
    return case


@transaction.atomic
def close_case(*, case: Case, acting_user: AnyUser) -> Case:
    """Close an investigation once the outcome has reached the person concerned."""
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.DECISION)
    require_ready_to_close(investigation)
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    stamp(case, acting_user=acting_user, reason="closed").save(
        update_fields=["status", "closed_at"]
    )
    journal(investigation, gettext_lazy("Case closed."), author=actor(acting_user))
    return case


# --- Complaints about the investigation -------------------------------------------------


@transaction.atomic
def register_complaint(
    *,
    case: Case,
    received_on: datetime.date,
    complainant: str,
    summary: str,
    acting_user: AnyUser,
) -> InvestigationComplaint:
    """A complaint about how the investigation was done: answered in writing within 6 weeks."""
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    if not case.is_investigation:
        raise ValidationError(_("Complaints about an investigation need an investigation."))
    if not (complainant.strip() and summary.strip()):
        raise ValidationError(_("Name the complainant and summarise the complaint."))
    require_not_future(received_on, gettext_lazy("The date of receipt"))
    complaint = InvestigationComplaint(
        case=case,
        received_on=received_on,
        complainant=complainant.strip(),
        summary=summary.strip(),
        registered_by=actor(acting_user),
    )
    stamp(complaint, acting_user=acting_user, reason="complaint").save()
    open_deadline(
        case,
        kind=DeadlineKind.COMPLAINT_ANSWER,
        key=f"complaint:{complaint.pk}",
        label=system_text(
            gettext_lazy("Answer the complaint of %(name)s"), name=complaint.complainant
        ),
        due_on=complaint.due_on,
        acting_user=acting_user,
    )
    return complaint


@transaction.atomic
def answer_complaint(
    *,
    complaint: InvestigationComplaint,
    answered_on: datetime.date,
    answer_summary: str,
    acting_user: AnyUser,
) -> InvestigationComplaint:
    """Record the written answer to a complaint, which meets its 6-week term."""
    case = lock_case(complaint.case, user=acting_user, acting=Acting.COMMISSIONER)
    complaint = InvestigationComplaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.answered_on is not None:
        raise ValidationError(_("The complaint has already been answered."))
    if not answer_summary.strip():
        raise ValidationError(_("Summarise the answer."))
    require_not_future(answered_on, gettext_lazy("The date"))
    if answered_on < complaint.received_on:
        raise ValidationError(_("An answer cannot precede the complaint."))
    complaint.answered_on = answered_on
    complaint.answer_summary = answer_summary.strip()
    stamp(complaint, acting_user=acting_user, reason="answered").save()
    meet_deadline(case, key=f"complaint:{complaint.pk}", on=answered_on, acting_user=acting_user)
    return complaint
