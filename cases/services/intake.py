"""Intake and triage: reports from every channel, the reporter's identity, the head's decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import django.dispatch
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    INVESTIGATION_DECISIONS,
    Case,
    CaseParty,
    CaseSequence,
    CaseStatus,
    Channel,
    DeadlineKind,
    ForwardedSignal,
    Investigation,
    InvestigationKind,
    LineReferral,
    ReporterIdentity,
    RijksrechercheCriterion,
    TriageCriterionAnswer,
    TriageDecision,
)
from cases.selectors import commissioners_of, line_referrals_visible_to, team_chiefs_of
from cases.services._base import (
    Acting,
    actor,
    case_url,
    journal,
    list_party,
    lock_case,
    open_deadline,
    require_not_future,
    system_text,
    tell,
)
from cases.services.reporter import WB_ACK_KEY, WB_FEEDBACK_KEY
from vik.history import stamp
from vik.models import ClassificationStage, Employee, Unit, ViolationKind
from vik.typology.services import record_step_kinds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ReporterDetails:
    """Who made a report. Stored apart from the case (see ``ReporterIdentity``)."""

    name: str
    contact: str = ""
    employee: Employee | None = None
    consent_to_disclose: bool = False


def _next_reference(unit: Unit, year: int) -> str:
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(
        unit_code=unit.code, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{unit.code}-{year}-{sequence.last_number:04d}"


@transaction.atomic
def register_report(
    *,
    channel: Channel | str,
    summary: str,
    concerned_employees: Iterable[Employee],
    named_employees: Iterable[Employee] = (),
    reporter_identity: ReporterDetails | None = None,
    source_reference: str = "",
    received_at: datetime.datetime | None = None,
    unit: Unit | None = None,
    acting_user: AnyUser | None,
) -> Case:
    """Register a report (melding) from any channel; the intake every app uses.

    The commissioner is the head of VIK of ``unit`` — by default the unit of the first
    person concerned. Everyone concerned or named is listed on the case and so can never see
    it, and neither can an employee who reported it. Whistleblower reports start their
    7-day acknowledgement and 3-month feedback terms. A report nobody could act on as
    commissioner (every head of VIK of the unit involved or conflicted, no deputy) is refused
    with ``no_commissioner``, naming the unit to appoint a deputy for (see
    :func:`require_commissioner`). The caller decides whether its user may
    report (views check ``register_reports``; other apps register on their own authority,
    with ``source_reference`` pointing back at their object, e.g. ``monitoring.signal:42``).
    """
    channel = Channel(channel)
    summary = summary.strip()
    if not summary:
        raise ValidationError(_("Describe what was reported."), code="no_summary")
    concerned = list(dict.fromkeys(concerned_employees))
    named = [employee for employee in dict.fromkeys(named_employees) if employee not in concerned]
    if channel == Channel.ANONYMOUS and reporter_identity is not None:
        raise ValidationError(
            _("An anonymous report has no reporter identity."), code="anonymous_with_identity"
        )
    if unit is None:
        if not concerned:
            raise ValidationError(
                _("Name the person concerned, or the unit the report is about."), code="no_unit"
            )
        unit = concerned[0].unit
    received_at = received_at or timezone.now()
    require_not_future(received_at, gettext_lazy("The date of receipt"))

    case = Case(
        reference=_next_reference(unit, timezone.localdate(received_at).year),
        unit=unit,
        channel=channel,
        source_reference=source_reference[:100],
        summary=summary,
        received_at=received_at,
        registered_by=actor(acting_user),
    )
    stamp(case, acting_user=acting_user, reason="intake").save()
    for employee in concerned:
        list_party(case, employee, CaseParty.Role.CONCERNED, acting_user=acting_user)
    for employee in named:
        list_party(case, employee, CaseParty.Role.NAMED, acting_user=acting_user)
    if reporter_identity is not None:
        identity = ReporterIdentity(
            case=case,
            name=reporter_identity.name.strip(),
            contact=reporter_identity.contact.strip(),
            employee=reporter_identity.employee,
            consent_to_disclose=reporter_identity.consent_to_disclose,
            consent_recorded_on=timezone.localdate()
            if reporter_identity.consent_to_disclose
            else None,
        )
        stamp(identity, acting_user=acting_user, reason="intake").save()
    require_commissioner(case)
    if channel == Channel.WHISTLEBLOWER:
        open_deadline(
            case,
            kind=DeadlineKind.WHISTLEBLOWER_ACK,
            key=WB_ACK_KEY,
            label=system_text(gettext_lazy("Acknowledge the report to the whistleblower")),
            due_on=case.acknowledgement_due_on,
            acting_user=acting_user,
        )
        open_deadline(
            case,
            kind=DeadlineKind.WHISTLEBLOWER_FEEDBACK,
            key=WB_FEEDBACK_KEY,
            label=system_text(gettext_lazy("Feedback to the whistleblower")),
            due_on=case.feedback_due_on,
            acting_user=acting_user,
        )
    tell(
        commissioners_of(case),
        gettext_lazy("New report %(reference)s awaits triage"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return case


def require_commissioner(case: Case) -> None:
    """Somebody must be able to act as the case's commissioner, or the case is refused.

    When every head of VIK of the unit is involved in the report (or conflicted), and no
    deputy commissioner is appointed, the report would reach nobody: say whom to appoint.
    """
    if commissioners_of(case).exists():
        return
    top = (
        Unit.objects.filter(
            descendant_links__descendant_id=case.unit_id, parent__isnull=True
        ).first()
        or case.unit
    )
    raise ValidationError(
        _(
            "No head of VIK can act as commissioner for this report: every head of VIK for "
            "%(unit)s is involved in it or has a conflict of interest with someone in it. Ask "
            "the functional administrator to appoint a deputy commissioner for %(top)s "
            "(Administration → Deputy commissioners): a head of VIK of another unit who is not "
            "involved. Then register the report again."
        )
        % {"unit": case.unit, "top": top},
        code="no_commissioner",
    )


@transaction.atomic
def add_party(
    *, case: Case, employee: Employee, role: CaseParty.Role, acting_user: AnyUser
) -> Case:
    """Name another person concerned or involved (the commissioner); they lose sight of the case.

    Refused when it would leave the case without anyone who can act as its commissioner.
    """
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    if not case.is_open:
        raise ValidationError(_("The case is closed."), code="closed")
    if not list_party(case, employee, role, acting_user=acting_user):
        raise ValidationError(_("This employee is already listed on the case."), code="listed")
    require_commissioner(case)
    if hasattr(case, "investigation"):
        journal(
            case.investigation,
            gettext_lazy("%(name)s added to the case as “%(role)s”."),
            author=actor(acting_user),
            name=employee.full_name,
            role=CaseParty.Role(role).label,
        )
    return case


@transaction.atomic
def record_reporter_consent(
    *, case: Case, consent_to_disclose: bool, acting_user: AnyUser
) -> ReporterIdentity:
    """Record whether the reporter consents to their identity being disclosed."""
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    identity = ReporterIdentity.objects.filter(case=case).first()
    if identity is None:
        raise ValidationError(_("This report has no known reporter."))
    identity.consent_to_disclose = consent_to_disclose
    identity.consent_recorded_on = timezone.localdate()
    stamp(identity, acting_user=acting_user, reason="reporter consent").save()
    return identity


def active_criteria() -> list[RijksrechercheCriterion]:
    """The Rijksrecherche criteria triage asks, in their order."""
    return list(RijksrechercheCriterion.objects.filter(is_active=True))


@transaction.atomic
def triage_report(
    *,
    case: Case,
    decision: TriageDecision | str,
    reasons: str,
    criteria: Mapping[str, bool],
    rijksrecherche_exception: str = "",
    referral_reference: str = "",
    line_instruction: str = "",
    kinds: Iterable[ViolationKind] | None = None,
    acting_user: AnyUser,
) -> Case:
    """The commissioner's triage, with reasons and an answer to every Rijksrecherche criterion.

    ``kinds`` are the kinds of integrity violation the report is about (the shared typology,
    kept next to those recorded at the outcome); without them it counts as "not yet classified".

    ``criteria`` answers each active :class:`RijksrechercheCriterion` (by code) with yes or
    no. A yes makes the report the Rijksrecherche's: only that referral is possible, unless
    the head of VIK records a reasoned exception (``rijksrecherche_exception``), which the
    journal, the case and the yearly figures keep. An investigation needs an identified
    person concerned; back to the line needs what the team chief is to discuss, and reaches
    only the team chiefs of those concerned.
    """
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    decision = TriageDecision(decision)
    if case.status != CaseStatus.REGISTERED:
        raise ValidationError(_("This report has already been triaged."), code="triaged")
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError(_("Record the reasons for the decision."), code="no_reasons")
    asked = active_criteria()
    unanswered = [c.question for c in asked if c.code not in criteria]
    if unanswered:
        raise ValidationError(
            _("Answer every Rijksrecherche criterion with yes or no: %(criteria)s.")
            % {"criteria": "; ".join(unanswered)},
            code="criteria_unanswered",
        )
    met = [c for c in asked if criteria[c.code]]
    exception = rijksrecherche_exception.strip()
    if not met or decision == TriageDecision.RIJKSRECHERCHE:
        exception = ""  # nothing to depart from
    if met and decision != TriageDecision.RIJKSRECHERCHE and not exception:
        raise ValidationError(
            _(
                "This report meets a Rijksrecherche criterion (%(criteria)s): refer it to the "
                "Rijksrecherche, or record your reasoned exception."
            )
            % {"criteria": "; ".join(c.question for c in met)},
            code="rijksrecherche_required",
        )
    concerned = [p.employee for p in case.parties.filter(role=CaseParty.Role.CONCERNED)]
    if decision in INVESTIGATION_DECISIONS | {TriageDecision.LINE} and not concerned:
        raise ValidationError(
            _("Identify the person concerned first: add them to the case."),
            code="no_person_concerned",
        )
    if decision == TriageDecision.LINE and not line_instruction.strip():
        raise ValidationError(
            _("Write down what the team chief is to discuss with the employee."),
            code="no_instruction",
        )

    case.triage_decision = decision
    case.triage_reasons = reasons
    case.rijksrecherche_exception = exception
    case.referral_reference = referral_reference.strip()
    case.triaged_at = timezone.now()
    case.triaged_by = actor(acting_user)
    if decision in INVESTIGATION_DECISIONS:
        case.status = CaseStatus.COMMISSIONED
    elif decision == TriageDecision.LINE:
        case.status = CaseStatus.WITH_LINE
    else:
        case.status = CaseStatus.CLOSED
        case.closed_at = case.triaged_at
    stamp(case, acting_user=acting_user, reason=f"triage: {decision.value}").save()
    record_step_kinds(
        subject=case,
        kinds=kinds,
        stage=ClassificationStage.TRIAGE,
        acting_user=acting_user,
        reason="triage",
    )
    for criterion in asked:
        answer = TriageCriterionAnswer(
            case=case, criterion=criterion, applies=bool(criteria[criterion.code])
        )
        stamp(answer, acting_user=acting_user, reason="triage").save()

    if decision in INVESTIGATION_DECISIONS:
        investigation = Investigation(case=case, kind=InvestigationKind(decision.value))
        stamp(investigation, acting_user=acting_user, reason="triage").save()
        journal(
            investigation,
            gettext_lazy("Triage: %(decision)s. Reasons: %(reasons)s"),
            author=actor(acting_user),
            decision=decision.label,
            reasons=reasons,
        )
        if exception:
            journal(
                investigation,
                gettext_lazy(
                    "Exception to the Rijksrecherche criteria (%(criteria)s): %(exception)s"
                ),
                author=actor(acting_user),
                criteria="; ".join(c.question for c in met),
                exception=exception,
            )
    elif decision == TriageDecision.LINE:
        refer_to_line(
            case=case, employees=concerned, instruction=line_instruction, acting_user=acting_user
        )
    return case


def refer_to_line(
    *, case: Case, employees: Iterable[Employee], instruction: str, acting_user: AnyUser
) -> list[LineReferral]:
    """Send the matter back to the team chiefs of ``employees`` (inside a caller's transaction)."""
    referrals = []
    for employee in employees:
        referral = LineReferral(
            case=case,
            employee=employee,
            instruction=instruction.strip(),
            referred_by=actor(acting_user),
        )
        stamp(referral, acting_user=acting_user, reason="referral to the line").save()
        referrals.append(referral)
        tell(
            team_chiefs_of(employee, case),
            gettext_lazy("A matter was referred to you for a conversation (%(reference)s)"),
            url=reverse("cases:referral_detail", args=[referral.pk]),
            acting_user=acting_user,
            reference=case.reference,
        )
    return referrals


@transaction.atomic
def record_line_conversation(
    *,
    referral: LineReferral,
    held_on: datetime.date,
    summary: str,
    agreements: str = "",
    acting_user: AnyUser,
) -> LineReferral:
    """The team chief records the conversation; the case closes when every one is held."""
    referral = (
        line_referrals_visible_to(user=acting_user)
        .select_for_update(of=("self",))
        .get(pk=referral.pk)
    )
    if referral.conversation_held_on is not None:
        raise ValidationError(_("This conversation has already been recorded."))
    if not summary.strip():
        raise ValidationError(_("Summarise the conversation."))
    require_not_future(held_on, gettext_lazy("The date of the conversation"))
    if held_on < timezone.localdate(referral.referred_at):
        raise ValidationError(_("The conversation cannot precede the referral."))
    referral.conversation_held_on = held_on
    referral.conversation_summary = summary.strip()
    referral.agreements = agreements.strip()
    referral.recorded_by = actor(acting_user)
    stamp(referral, acting_user=acting_user, reason="conversation recorded").save()

    case = Case.objects.select_for_update().get(pk=referral.case_id)
    if (
        case.status == CaseStatus.WITH_LINE
        and not case.line_referrals.filter(conversation_held_on__isnull=True).exists()
    ):
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        stamp(case, acting_user=acting_user, reason="line conversation held").save()
    tell(
        commissioners_of(case),
        gettext_lazy("The team chief recorded the conversation (%(reference)s)"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return referral


# --- signals forwarded by protective monitoring -----------------------------------------

# Monitoring listens: a signal sent back returns to its review queue (cases never imports it).
forwarded_signal_returned = (
    django.dispatch.Signal()
)  # sender=ForwardedSignal, reference=, acting_user=


@transaction.atomic
def forward_signal_to_case(
    *, case: Case, source_reference: str, summary: str, acting_user: AnyUser
) -> ForwardedSignal:
    """Protective monitoring forwards a signal to the commissioner of an open case.

    Called by monitoring (not by a person on a case page): the analyst cannot see the case,
    only that a matter about the employee is open. The commissioners are told that a signal
    waits, without its content; an investigation's journal records its arrival.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The matter is closed: the signal can be reviewed as usual."))
    summary = summary.strip()
    if not summary:
        raise ValidationError(_("Write a summary for the commissioner."), code="no_summary")
    forwarded, created = ForwardedSignal.objects.get_or_create(
        case=case,
        source_reference=source_reference,
        defaults={"summary": summary, "forwarded_by": actor(acting_user)},
    )
    if not created:
        if forwarded.decision != ForwardedSignal.Decision.RETURNED:
            return forwarded  # forwarded twice (a double click): once is enough
        forwarded.summary = summary
        forwarded.decision = ForwardedSignal.Decision.PENDING
        forwarded.decided_at = None
        forwarded.decided_by = None
        forwarded.forwarded_at = timezone.now()
    stamp(forwarded, acting_user=acting_user, reason="signaal doorgestuurd").save()
    investigation = getattr(case, "investigation", None)
    if investigation is not None:
        journal(
            investigation,
            gettext_lazy("A protective-monitoring signal was forwarded to the commissioner."),
            author=acting_user,
        )
    tell(
        commissioners_of(case),
        gettext_lazy("A protective-monitoring signal awaits you (%(reference)s)"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return forwarded


def _forwarded_for_commissioner(
    forwarded: ForwardedSignal, acting_user: AnyUser
) -> ForwardedSignal:
    case = lock_case(forwarded.case, user=acting_user, acting=Acting.COMMISSIONER)
    locked = ForwardedSignal.objects.select_for_update().get(pk=forwarded.pk, case=case)
    if locked.decision != ForwardedSignal.Decision.PENDING:
        raise ValidationError(_("This signal has already been dealt with."), code="decided")
    return locked


@transaction.atomic
def attach_forwarded_signal(
    *, forwarded: ForwardedSignal, note: str, acting_user: AnyUser
) -> ForwardedSignal:
    """The commissioner attaches the forwarded signal to the case (it stays out of the
    monitoring queue; the analyst's summary becomes part of the case file)."""
    forwarded = _forwarded_for_commissioner(forwarded, acting_user)
    forwarded.decision = ForwardedSignal.Decision.ATTACHED
    forwarded.decision_note = note.strip()
    forwarded.decided_by = actor(acting_user)
    forwarded.decided_at = timezone.now()
    stamp(forwarded, acting_user=acting_user, reason="signaal bij de zaak gevoegd").save()
    investigation = getattr(forwarded.case, "investigation", None)
    if investigation is not None:
        journal(
            investigation,
            gettext_lazy("The forwarded protective-monitoring signal was attached to the case."),
            author=acting_user,
        )
    return forwarded


@transaction.atomic
def return_forwarded_signal(
    *, forwarded: ForwardedSignal, note: str, acting_user: AnyUser
) -> ForwardedSignal:
    """Once the case is closed, the commissioner sends the signal back to monitoring,
    where it is reviewed as usual (a conversation with the team chief is possible again)."""
    forwarded = _forwarded_for_commissioner(forwarded, acting_user)
    if forwarded.case.status != CaseStatus.CLOSED:
        raise ValidationError(
            _("Send the signal back once the case is closed; until then, attach it or wait."),
            code="case_open",
        )
    note = note.strip()
    if not note:
        raise ValidationError(_("Say why the signal goes back."), code="no_note")
    forwarded.decision = ForwardedSignal.Decision.RETURNED
    forwarded.decision_note = note
    forwarded.decided_by = actor(acting_user)
    forwarded.decided_at = timezone.now()
    stamp(forwarded, acting_user=acting_user, reason="signaal teruggestuurd").save()
    forwarded_signal_returned.send(
        sender=ForwardedSignal, reference=forwarded.source_reference, acting_user=acting_user
    )
    return forwarded
