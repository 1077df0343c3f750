"""The investigation: investigators, the written assignment, the journal, methods, letters, documents."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import letters as letter_texts
from cases.models import (
    TELECOM_METHODS,
    AssignmentExtension,
    Case,
    CaseParty,
    CaseStatus,
    ConsentDecision,
    DeadlineKind,
    DeliveryMethod,
    DocumentRequest,
    Evidence,
    Hearing,
    Interview,
    InterviewStatus,
    Investigation,
    InvestigationKind,
    InvestigationMethod,
    InvestigatorAssignment,
    JournalEntry,
    Letter,
    LetterKind,
    MethodKind,
    SearchPresence,
    TelecomStage,
    TelecomStageDecision,
)
from cases.permissions import grant_case, revoke_case
from cases.protocol import (
    require_assignment_issued,
    require_counsellor_informed,
    require_ready_to_gather,
    require_status,
)
from cases.selectors import (
    active_investigators,
    commissioners_of,
    eligible_investigators,
    team_chiefs_of,
)
from cases.services._base import (
    Acting,
    actor,
    case_url,
    investigation_of,
    journal,
    list_party,
    lock_case,
    meet_deadline,
    open_deadline,
    require_not_future,
    system_text,
    tell,
)
from cases.uploads import check_upload
from vik import services as core
from vik.history import stamp
from vik.workdays import add_working_days

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.core.files.uploadedfile import UploadedFile

    from vik.models import Employee

    AnyUser = User | AnonymousUser

INVESTIGATION_END_KEY = "investigation:end"
DOCUMENTS_TERM_WORKING_DAYS = 5
OPEN_STATUSES = (CaseStatus.COMMISSIONED, CaseStatus.INVESTIGATING, CaseStatus.HEARING)


# --- Investigators ----------------------------------------------------------------------


@transaction.atomic
def assign_investigator(
    *, case: Case, user: User, reason: str = "", acting_user: AnyUser
) -> InvestigatorAssignment:
    """The commissioner assigns an investigator: the record and the per-case grant together.

    Only investigators whose unit grant covers the case, and who are not excluded from it
    (a party, the reporter, or conflicted with them), can be assigned.
    """
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    require_status(investigation, *OPEN_STATUSES)
    if not eligible_investigators(case).filter(pk=user.pk).exists():
        raise ValidationError(
            _(
                "%(name)s cannot be assigned: not an investigator for this unit, or involved "
                "in the case or conflicted with someone in it."
            )
            % {"name": user.get_full_name() or user.get_username()},
            code="not_eligible",
        )
    existing = investigation.investigator_assignments.filter(user=user, ended_at__isnull=True)
    if existing.exists():
        raise ValidationError(_("This investigator is already assigned."), code="assigned")
    assignment = InvestigatorAssignment(
        investigation=investigation,
        user=user,
        assigned_by=actor(acting_user),
        reason=reason.strip(),
    )
    stamp(assignment, acting_user=acting_user, reason=reason or "assigned").save()
    grant_case(user=user, case=case)
    journal(
        investigation,
        gettext_lazy("Investigator %(name)s assigned."),
        author=actor(acting_user),
        name=user.get_full_name() or user.get_username(),
    )
    tell(
        [user],
        gettext_lazy("You have been assigned to investigation %(reference)s"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return assignment


@transaction.atomic
def end_investigator_assignment(
    *, assignment: InvestigatorAssignment, reason: str, acting_user: AnyUser
) -> InvestigatorAssignment:
    """The commissioner ends an assignment; the investigator loses sight of the case at once."""
    case = lock_case(assignment.investigation.case, user=acting_user, acting=Acting.COMMISSIONER)
    assignment = InvestigatorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        return assignment
    if not reason.strip():
        raise ValidationError(_("Give a reason."), code="no_reason")
    assignment.ended_at = timezone.now()
    stamp(assignment, acting_user=acting_user, reason=reason).save(update_fields=["ended_at"])
    revoke_case(user=assignment.user, case=case)
    journal(
        assignment.investigation,
        gettext_lazy("Assignment of investigator %(name)s ended: %(reason)s"),
        author=actor(acting_user),
        name=assignment.user.get_full_name() or assignment.user.get_username(),
        reason=reason.strip(),
    )
    return assignment


# --- The written assignment --------------------------------------------------------------


@transaction.atomic
def save_assignment(
    *,
    case: Case,
    reason: str,
    objective: str,
    research_questions: str,
    employer_powers_consent: bool,
    planned_methods: str,
    reporting_arrangements: str,
    expected_duration_days: int | None,
    prosecutor_consulted_on: datetime.date | None = None,
    acting_user: AnyUser,
) -> Case:
    """The commissioner drafts the written assignment. Once issued, only extensions change it."""
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    if investigation.assignment_issued:
        raise ValidationError(
            _("The assignment has been issued; record an extension of scope or time instead."),
            code="issued",
        )
    investigation.reason = reason.strip()
    investigation.objective = objective.strip()
    investigation.research_questions = research_questions.strip()
    investigation.employer_powers_consent = employer_powers_consent
    investigation.planned_methods = planned_methods.strip()
    investigation.reporting_arrangements = reporting_arrangements.strip()
    investigation.expected_duration_days = expected_duration_days
    investigation.prosecutor_consulted_on = prosecutor_consulted_on
    stamp(investigation, acting_user=acting_user, reason="assignment drafted").save()
    return case


@transaction.atomic
def issue_assignment(*, case: Case, acting_user: AnyUser) -> Case:
    """Issue the written assignment: the investigation starts.

    It must state the reason, objective, research questions, consent to use the employer's
    powers, methods, reporting arrangements and expected duration; an investigator must be
    assigned; a criminal investigation needs the public prosecutor consulted.
    """
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.COMMISSIONED)
    missing = [
        str(label)
        for label, value in [
            (gettext_lazy("reason"), investigation.reason),
            (gettext_lazy("objective"), investigation.objective),
            (gettext_lazy("research questions"), investigation.research_questions),
            (gettext_lazy("methods"), investigation.planned_methods),
            (gettext_lazy("reporting arrangements"), investigation.reporting_arrangements),
            (gettext_lazy("expected duration"), investigation.expected_duration_days),
        ]
        if not value
    ]
    if missing:
        raise ValidationError(
            _("The assignment is incomplete: %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    if not investigation.employer_powers_consent:
        raise ValidationError(
            _("The assignment must record consent to use the employer's investigative powers."),
            code="no_powers_consent",
        )
    if (
        investigation.kind == InvestigationKind.CRIMINAL
        and investigation.prosecutor_consulted_on is None
    ):
        raise ValidationError(
            _("A criminal investigation is discussed with the public prosecutor first."),
            code="prosecutor",
        )
    if not active_investigators(investigation).exists():
        raise ValidationError(_("Assign an investigator first."), code="no_investigator")
    now = timezone.now()
    investigation.assignment_issued_at = now
    investigation.assignment_issued_by = actor(acting_user)
    investigation.due_on = add_working_days(
        timezone.localdate(now), investigation.expected_duration_days or 0
    )
    stamp(investigation, acting_user=acting_user, reason="assignment issued").save()
    case.status = CaseStatus.INVESTIGATING
    stamp(case, acting_user=acting_user, reason="assignment issued").save(update_fields=["status"])
    open_deadline(
        case,
        kind=DeadlineKind.INVESTIGATION_END,
        key=INVESTIGATION_END_KEY,
        label=system_text(gettext_lazy("Expected end of the investigation")),
        due_on=investigation.due_on,
        acting_user=acting_user,
    )
    journal(
        investigation,
        gettext_lazy("Written assignment issued; expected end %(date)s."),
        author=actor(acting_user),
        date=investigation.due_on.strftime("%d-%m-%Y"),
    )
    tell(
        active_investigators(investigation),
        gettext_lazy("The assignment for investigation %(reference)s has been issued"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return case


@transaction.atomic
def extend_assignment(
    *,
    case: Case,
    kind: AssignmentExtension.Kind,
    description: str,
    extra_working_days: int | None = None,
    acting_user: AnyUser,
) -> AssignmentExtension:
    """Record an extension of scope or time in writing; an extension of time moves the end."""
    case = lock_case(case, user=acting_user, acting=Acting.COMMISSIONER)
    investigation = investigation_of(case)
    require_assignment_issued(investigation)
    require_status(investigation, CaseStatus.INVESTIGATING, CaseStatus.HEARING)
    if not description.strip():
        raise ValidationError(_("Describe the extension and its reason."), code="no_description")
    new_due_on = None
    if kind == AssignmentExtension.Kind.TIME:
        if not extra_working_days:
            raise ValidationError(_("Give the number of extra working days."), code="no_days")
        assert investigation.due_on is not None  # noqa: S101 - set when the assignment was issued
        new_due_on = add_working_days(investigation.due_on, extra_working_days)
        investigation.due_on = new_due_on
        stamp(investigation, acting_user=acting_user, reason="extension of time").save(
            update_fields=["due_on"]
        )
        open_deadline(
            case,
            kind=DeadlineKind.INVESTIGATION_END,
            key=INVESTIGATION_END_KEY,
            label=system_text(gettext_lazy("Expected end of the investigation")),
            due_on=new_due_on,
            acting_user=acting_user,
        )
    extension = AssignmentExtension(
        investigation=investigation,
        kind=kind,
        description=description.strip(),
        extra_working_days=extra_working_days if kind == AssignmentExtension.Kind.TIME else None,
        new_due_on=new_due_on,
        decided_by=actor(acting_user),
    )
    extension.save()
    journal(
        investigation,
        gettext_lazy("%(kind)s recorded: %(description)s"),
        author=actor(acting_user),
        kind=AssignmentExtension.Kind(kind).label,
        description=description.strip(),
    )
    return extension


@transaction.atomic
def record_counsellor_informed(
    *, case: Case, on: datetime.date, note: str = "", acting_user: AnyUser
) -> Case:
    """The confidential counsellor is informed when the investigation starts."""
    case = lock_case(case, user=acting_user, acting=Acting.CASE_STAFF)
    investigation = investigation_of(case)
    require_status(investigation, *OPEN_STATUSES)
    if investigation.counsellor_informed_on is not None:
        raise ValidationError(_("This has already been recorded."), code="recorded")
    require_not_future(on, gettext_lazy("The date"))
    if on < timezone.localdate(case.triaged_at or case.received_at):
        raise ValidationError(_("The counsellor cannot have been informed before the triage."))
    investigation.counsellor_informed_on = on
    investigation.counsellor_informed_by = actor(acting_user)
    stamp(investigation, acting_user=acting_user, reason="counsellor informed").save()
    journal(
        investigation,
        gettext_lazy("Confidential counsellor informed of the investigation on %(date)s. %(note)s"),
        author=actor(acting_user),
        date=on.strftime("%d-%m-%Y"),
        note=note.strip(),
    )
    return case


@transaction.atomic
def add_journal_entry(*, case: Case, text: str, acting_user: AnyUser) -> JournalEntry:
    """Write a line in the journal (investigators and the commissioner). Append-only."""
    case = lock_case(case, user=acting_user, acting=Acting.CASE_STAFF)
    investigation = investigation_of(case)
    if not text.strip():
        raise ValidationError(_("The entry is empty."), code="empty")
    entry = JournalEntry(investigation=investigation, author=actor(acting_user), text=text.strip())
    entry.save()
    return entry


# --- Methods register --------------------------------------------------------------------


@transaction.atomic
def propose_method(
    *,
    case: Case,
    kind: MethodKind,
    description: str,
    proportionality: str,
    subsidiarity: str,
    covert: bool = False,
    suspected_telecom_misuse: str = "",
    outside_working_time: bool = False,
    outside_working_time_reason: str = "",
    acting_user: AnyUser,
) -> InvestigationMethod:
    """An investigator proposes a method with its justification; the commissioner decides.

    Telecommunication is examined only when misuse of telecommunication facilities is
    suspected, and for no other purpose (protocol 4.4): the proposal says which misuse.
    Observation covers the person's working time; outside it only with a reason, e.g.
    suspected incompatible side activities (protocol 4.2).
    """
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_assignment_issued(investigation)
    require_status(investigation, CaseStatus.INVESTIGATING)
    kind = MethodKind(kind)
    if not (description.strip() and proportionality.strip() and subsidiarity.strip()):
        raise ValidationError(
            _("Describe the method and justify its proportionality and subsidiarity."),
            code="no_justification",
        )
    if kind in TELECOM_METHODS and not suspected_telecom_misuse.strip():
        raise ValidationError(
            _(
                "Telecommunication is examined only when misuse of telecommunication facilities "
                "(telephone, e-mail, internet, social media) is suspected, and for no other "
                "purpose. Describe the suspected misuse."
            ),
            code="no_telecom_misuse",
        )
    outside = kind == MethodKind.OBSERVATION and outside_working_time
    if outside and not outside_working_time_reason.strip():
        raise ValidationError(
            _(
                "Observation covers the person's working time. Observing outside it needs a "
                "reason, such as suspected incompatible side activities."
            ),
            code="outside_working_time",
        )
    method = InvestigationMethod(
        investigation=investigation,
        kind=kind,
        description=description.strip(),
        proportionality=proportionality.strip(),
        subsidiarity=subsidiarity.strip(),
        covert=covert,
        suspected_telecom_misuse=suspected_telecom_misuse.strip()
        if kind in TELECOM_METHODS
        else "",
        outside_working_time=outside,
        outside_working_time_reason=outside_working_time_reason.strip() if outside else "",
        proposed_by=actor(acting_user),
    )
    stamp(method, acting_user=acting_user, reason="method proposed").save()
    journal(
        investigation,
        gettext_lazy("Method proposed: %(method)s."),
        author=actor(acting_user),
        method=MethodKind(kind).label,
    )
    tell(
        commissioners_of(case),
        gettext_lazy("A method in %(reference)s awaits your consent"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return method


def _locked_method(
    method: InvestigationMethod, *, acting_user: AnyUser, acting: Acting
) -> InvestigationMethod:
    lock_case(method.investigation.case, user=acting_user, acting=acting)
    return InvestigationMethod.objects.select_for_update().get(pk=method.pk)


@transaction.atomic
def record_method_notices(
    *,
    method: InvestigationMethod,
    works_council_chair_informed_on: datetime.date | None,
    works_council_chair_name: str = "",
    dpa_notified_on: datetime.date | None = None,
    prior_notice_on: datetime.date | None = None,
    prior_notice_how: str = "",
    acting_user: AnyUser,
) -> InvestigationMethod:
    """Record the works-council chair's knowledge, the prior notice to the DPA, and — for
    telecommunication — when and how the employee was told beforehand that it can be examined."""
    method = _locked_method(method, acting_user=acting_user, acting=Acting.CASE_STAFF)
    if method.decision != ConsentDecision.PENDING:
        raise ValidationError(_("Notices are recorded before the commissioner decides."))
    for day in (works_council_chair_informed_on, dpa_notified_on, prior_notice_on):
        if day is not None:
            require_not_future(day, gettext_lazy("The date"))
    if works_council_chair_informed_on and not works_council_chair_name.strip():
        raise ValidationError(_("Name the works-council chair who was informed."))
    if prior_notice_on and not prior_notice_how.strip():
        raise ValidationError(
            _(
                "Say how the employee was told in advance (e.g. the signed e-mail and internet code)."
            )
        )
    method.works_council_chair_informed_on = works_council_chair_informed_on
    method.works_council_chair_name = works_council_chair_name.strip()
    method.dpa_notified_on = dpa_notified_on
    if method.is_telecom:
        method.prior_notice_on = prior_notice_on
        method.prior_notice_how = prior_notice_how.strip() if prior_notice_on else ""
    stamp(method, acting_user=acting_user, reason="notices recorded").save()
    return method


@transaction.atomic
def decide_method(
    *, method: InvestigationMethod, consent: bool, note: str = "", acting_user: AnyUser
) -> InvestigationMethod:
    """The commissioner consents to a method or refuses it.

    Observation and a search of the work environment need the works-council chair's
    knowledge first; a covert method needs the prior notice to the data-protection authority.
    """
    method = _locked_method(method, acting_user=acting_user, acting=Acting.COMMISSIONER)
    if method.decision != ConsentDecision.PENDING:
        raise ValidationError(_("This method has already been decided."), code="decided")
    if consent:
        if method.needs_works_council and method.works_council_chair_informed_on is None:
            raise ValidationError(
                _(
                    "Observation and searching the work environment need the works-council "
                    "chair's knowledge first. Record when the chair was informed."
                ),
                code="works_council",
            )
        if method.covert and method.dpa_notified_on is None:
            raise ValidationError(
                _("A covert method needs prior notice to the data-protection authority."),
                code="dpa",
            )
        if method.is_telecom and method.prior_notice_on is None:
            raise ValidationError(
                _(
                    "Telecommunication may be examined only if the employee was told in "
                    "advance that it can be (the requirement of knowability). Record when and "
                    "how they were told first."
                ),
                code="no_prior_notice",
            )
    elif not note.strip():
        raise ValidationError(_("Give the reason for refusing."), code="no_reason")
    method.decision = ConsentDecision.GRANTED if consent else ConsentDecision.REFUSED
    method.decision_note = note.strip()
    method.decided_by = actor(acting_user)
    method.decided_at = timezone.now()
    stamp(method, acting_user=acting_user, reason=method.decision).save()
    journal(
        method.investigation,
        gettext_lazy("Commissioner's decision on %(method)s: %(decision)s. %(note)s"),
        author=actor(acting_user),
        method=method.get_kind_display(),
        decision=ConsentDecision(method.decision).label,
        note=note.strip(),
    )
    return method


@transaction.atomic
def decide_telecom_stage(
    *,
    method: InvestigationMethod,
    stage: int,
    justification: str,
    later_start_justification: str = "",
    acting_user: AnyUser,
) -> TelecomStageDecision:
    """The commissioner decides to examine telecommunication at a further stage.

    Stages only go up. The first decision may start beyond stage 1 only with a separate
    justification (e.g. concrete indications of racist texts: start at the language scan).
    """
    method = _locked_method(method, acting_user=acting_user, acting=Acting.COMMISSIONER)
    if not method.is_staged:
        raise ValidationError(_("Only e-mail, messaging and social media are examined in stages."))
    if method.decision != ConsentDecision.GRANTED:
        raise ValidationError(_("The commissioner consents to the method first."))
    if method.ended_on is not None:
        raise ValidationError(_("The examination has ended."))
    stage = TelecomStage(stage)
    if not justification.strip():
        raise ValidationError(
            _("Weigh the person's privacy against the investigation's interest."),
            code="no_justification",
        )
    current = method.stage_decisions.order_by("-stage").first()
    if current is not None and stage <= current.stage:
        raise ValidationError(
            _("The examination is already at stage %(stage)s; a decision can only go further.")
            % {"stage": current.stage},
            code="not_further",
        )
    if current is None and stage > TelecomStage.VOLUME and not later_start_justification.strip():
        raise ValidationError(
            _("Starting beyond stage 1 needs its own justification."), code="later_start"
        )
    decision = TelecomStageDecision(
        method=method,
        stage=stage,
        justification=justification.strip(),
        later_start_justification=later_start_justification.strip() if current is None else "",
        decided_by=actor(acting_user),
    )
    decision.save()
    journal(
        method.investigation,
        gettext_lazy("Telecommunication examined at stage %(stage)s: %(justification)s"),
        author=actor(acting_user),
        stage=stage.label,
        justification=justification.strip(),
    )
    return decision


@transaction.atomic
def start_method(
    *,
    method: InvestigationMethod,
    on: datetime.date,
    presence: SearchPresence | str = "",
    presence_note: str = "",
    acting_user: AnyUser,
) -> InvestigationMethod:
    """An investigator starts using a method: only with consent, and staged ones at a stage.

    A search of the work environment takes place as far as possible in the presence of the
    person concerned, who was invited in writing (protocol 4.3): the sent invitation is
    required, and whether they were present (or declined, or stayed away without good
    reason — then the search may go ahead) is recorded.
    """
    method = _locked_method(method, acting_user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = method.investigation
    require_counsellor_informed(investigation)
    if method.decision != ConsentDecision.GRANTED:
        raise ValidationError(
            _("A method is used only after the commissioner's consent."), code="no_consent"
        )
    if method.is_staged and not method.stage_decisions.exists():
        raise ValidationError(
            _("The commissioner decides at which stage the examination starts."), code="no_stage"
        )
    if method.started_on is not None:
        raise ValidationError(_("This method has already started."))
    require_not_future(on, gettext_lazy("The start date"))
    if method.is_workplace_search:
        invited_on = (
            method.letters.filter(kind=LetterKind.SEARCH_INVITATION, sent_on__isnull=False)
            .order_by("sent_on")
            .values_list("sent_on", flat=True)
            .first()
        )
        if invited_on is None:
            raise ValidationError(
                _(
                    "The person concerned is invited in writing to be present at the search. "
                    "Draft and send the invitation first."
                ),
                code="no_search_invitation",
            )
        if on < invited_on:
            raise ValidationError(_("The search cannot precede its written invitation."))
        if presence not in SearchPresence.values:
            raise ValidationError(
                _(
                    "Record whether the person concerned was present. If they had a good reason "
                    "to stay away, agree on another time instead of searching."
                ),
                code="no_presence",
            )
        method.search_presence = presence
        method.search_presence_note = presence_note.strip()
    method.started_on = on
    stamp(method, acting_user=acting_user, reason="started").save()
    journal(
        investigation,
        gettext_lazy("Method started: %(method)s."),
        author=actor(acting_user),
        method=method.get_kind_display(),
    )
    return method


@transaction.atomic
def end_method(
    *, method: InvestigationMethod, on: datetime.date, acting_user: AnyUser
) -> InvestigationMethod:
    """An investigator ends a method; telecommunication is then told to the person concerned."""
    method = _locked_method(method, acting_user=acting_user, acting=Acting.INVESTIGATOR)
    if method.started_on is None or method.ended_on is not None:
        raise ValidationError(_("Only a running method can end."))
    require_not_future(on, gettext_lazy("The end date"))
    if on < method.started_on:
        raise ValidationError(_("A method cannot end before it started."))
    method.ended_on = on
    stamp(method, acting_user=acting_user, reason="ended").save(update_fields=["ended_on"])
    journal(
        method.investigation,
        gettext_lazy("Method ended: %(method)s."),
        author=actor(acting_user),
        method=method.get_kind_display(),
    )
    return method


# --- Letters ---------------------------------------------------------------------------


def _check_letter(
    kind: LetterKind,
    investigation: Investigation,
    *,
    recipient: Employee | None,
    interview: Interview | None,
    method: InvestigationMethod | None,
) -> None:
    """Whether a letter of ``kind`` may be drafted now, about these objects."""
    concerned_ids = set(
        investigation.case.parties.filter(role=CaseParty.Role.CONCERNED).values_list(
            "employee_id", flat=True
        )
    )
    to_concerned = {
        LetterKind.NOTIFICATION,
        LetterKind.TELECOM_NOTICE,
        LetterKind.SEARCH_INVITATION,
        LetterKind.HEARING_INVITATION,
        LetterKind.OUTCOME,
    }
    about_interview = {LetterKind.INVITATION, LetterKind.RECORDING_DESTROYED}
    if kind in to_concerned and (recipient is None or recipient.pk not in concerned_ids):
        raise ValidationError(_("This letter goes to a person concerned."), code="not_concerned")
    if kind in about_interview and (
        interview is None or interview.investigation_id != investigation.pk
    ):
        raise ValidationError(_("Choose the interview this letter is about."), code="interview")
    if (
        kind == LetterKind.INVITATION
        and interview is not None
        and interview.status != InterviewStatus.SCHEDULED
    ):
        raise ValidationError(_("Only a scheduled interview gets an invitation."))
    if (
        kind == LetterKind.RECORDING_DESTROYED
        and interview is not None
        and interview.recording_destroyed_on is None
    ):
        raise ValidationError(_("Record the destruction of the recording first."))
    if kind == LetterKind.TELECOM_NOTICE and (
        method is None or method.investigation_id != investigation.pk or not method.is_telecom
    ):
        raise ValidationError(_("Choose the examination of telecommunication."))
    if kind == LetterKind.TELECOM_NOTICE and method is not None and method.ended_on is None:
        raise ValidationError(
            _("The person is told afterwards: end the examination first."),
            code="telecom_running",
        )
    if kind == LetterKind.OUTCOME and investigation.outcome_decided_at is None:
        raise ValidationError(_("The outcome has not been decided yet."), code="no_outcome")
    if kind == LetterKind.SEARCH_INVITATION and (
        method is None
        or method.investigation_id != investigation.pk
        or not method.is_workplace_search
        or method.started_on is not None
    ):
        raise ValidationError(
            _("Choose the search of the work environment that has not taken place yet."),
            code="search",
        )
    if kind == LetterKind.HEARING_INVITATION:
        hearing = Hearing.objects.filter(pk=investigation.pk).first()
        if hearing is None or hearing.scheduled_at is None or not hearing.location:
            raise ValidationError(
                _("Offer the hearing with a date, time and place first."), code="no_hearing"
            )
        if hearing.is_recorded:
            raise ValidationError(_("The hearing has already been recorded."), code="held")


@transaction.atomic
def draft_letter(
    *,
    case: Case,
    kind: LetterKind,
    recipient: Employee | None = None,
    recipient_name: str = "",
    interview: Interview | None = None,
    method: InvestigationMethod | None = None,
    acting_user: AnyUser,
) -> Letter:
    """Draft a letter from its standard text; it counts for the protocol once it is sent."""
    case = lock_case(case, user=acting_user, acting=Acting.CASE_STAFF)
    investigation = investigation_of(case)
    kind = LetterKind(kind)
    # Judge the objects as they are now, not as the caller last loaded them.
    if interview is not None:
        interview = Interview.objects.get(pk=interview.pk)
    if method is not None:
        method = InvestigationMethod.objects.get(pk=method.pk)
    _check_letter(kind, investigation, recipient=recipient, interview=interview, method=method)
    if kind in {LetterKind.INVITATION, LetterKind.RECORDING_DESTROYED} and interview is not None:
        recipient, recipient_name = interview.interviewee, interview.interviewee_name
    if recipient is not None:
        recipient_name = recipient.full_name
    if not recipient_name.strip():
        raise ValidationError(_("Name the recipient."))
    subject, body = letter_texts.draft(
        kind=kind,
        investigation=investigation,
        recipient_name=recipient_name,
        interview=interview,
        method=method,
    )
    letter = Letter(
        investigation=investigation,
        kind=kind,
        recipient=recipient,
        recipient_name=recipient_name.strip(),
        interview=interview,
        method=method
        if kind in {LetterKind.TELECOM_NOTICE, LetterKind.SEARCH_INVITATION}
        else None,
        subject=subject,
        body=body,
        drafted_by=actor(acting_user),
    )
    stamp(letter, acting_user=acting_user, reason="drafted").save()
    return letter


@transaction.atomic
def update_letter(*, letter: Letter, subject: str, body: str, acting_user: AnyUser) -> Letter:
    """Adjust a drafted letter. A sent letter is on record and cannot change."""
    lock_case(letter.investigation.case, user=acting_user, acting=Acting.CASE_STAFF)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.sent_on is not None:
        raise ValidationError(_("A sent letter cannot be changed."), code="sent")
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A letter needs a subject and a text."))
    letter.subject, letter.body = subject.strip(), body.strip()
    stamp(letter, acting_user=acting_user, reason="edited").save()
    return letter


@transaction.atomic
def mark_letter_sent(
    *,
    letter: Letter,
    sent_on: datetime.date,
    delivery: DeliveryMethod,
    subject: str | None = None,
    body: str | None = None,
    acting_user: AnyUser,
) -> Letter:
    """Record that a letter was sent; the protocol steps that hang on it follow.

    ``subject`` and ``body``, when given, are the letter as it went out: they are saved in
    the same step, so the letter on record is the final text even if the last edits were
    never saved as a draft.
    """
    case = lock_case(letter.investigation.case, user=acting_user, acting=Acting.CASE_STAFF)
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("interview", "method")
        .get(pk=letter.pk)
    )
    if letter.sent_on is not None:
        raise ValidationError(_("This letter has already been sent."), code="sent")
    # Recorded after the fact is normal (a letter printed and posted, recorded later); the
    # history trail shows when it was recorded.
    require_not_future(sent_on, gettext_lazy("The date of sending"))
    if subject is not None or body is not None:
        final_subject = (letter.subject if subject is None else subject).strip()
        final_body = (letter.body if body is None else body).strip()
        if not final_subject or not final_body:
            raise ValidationError(_("A letter needs a subject and a text."))
        letter.subject, letter.body = final_subject, final_body
    letter.sent_on = sent_on
    letter.delivery = delivery
    letter.sent_by = actor(acting_user)
    stamp(letter, acting_user=acting_user, reason="sent").save()
    investigation = letter.investigation
    if letter.kind == LetterKind.TELECOM_NOTICE and letter.method is not None:
        method = InvestigationMethod.objects.select_for_update().get(pk=letter.method.pk)
        method.subject_informed_on = sent_on
        stamp(method, acting_user=acting_user, reason="person told afterwards").save(
            update_fields=["subject_informed_on"]
        )
    if letter.kind == LetterKind.RECORDING_DESTROYED and letter.interview is not None:
        meet_deadline(
            case,
            key=f"interview:{letter.interview.pk}:recording",
            on=sent_on,
            acting_user=acting_user,
        )
    journal(
        investigation,
        gettext_lazy("Letter sent to %(recipient)s on %(date)s: %(kind)s."),
        author=actor(acting_user),
        recipient=letter.recipient_name,
        date=sent_on.strftime("%d-%m-%Y"),
        kind=LetterKind(letter.kind).label,
    )
    return letter


# --- Refusals to cooperate ---------------------------------------------------------------------


def report_refusal_to_manager(
    case: Case,
    employee: Employee,
    *,
    investigation: Investigation,
    on: datetime.date,
    acting_user: AnyUser,
) -> tuple[datetime.date | None, str]:
    """Report an employee's refusal to cooperate to their own manager (protocol 3.7).

    Inside the caller's transaction. The team chiefs of the employee's team get a message
    in VIK naming the employee and the case reference — nothing of what the case is about.
    Returns the date and the names; ``(None, "")`` when no team chief is known in VIK, which
    the journal notes: the investigators then inform the manager in writing and record it.
    """
    chiefs = list(team_chiefs_of(employee, case))
    if not chiefs:
        journal(
            investigation,
            gettext_lazy(
                "No team chief of %(name)s is known in VIK: inform their manager of the refusal "
                "in writing and record it."
            ),
            author=actor(acting_user),
            name=employee.full_name,
        )
        return None, ""
    for chief in chiefs:
        core.notify(
            recipient=chief,
            subject=system_text(gettext_lazy("Refusal to cooperate with an investigation")),
            body=system_text(
                gettext_lazy(
                    "%(name)s (%(number)s), an employee of your team, refused on %(date)s to "
                    "cooperate with investigation %(reference)s. The protocol for integrity "
                    "investigations requires that you are told; the refusal may lead to a "
                    "measure under the employment rules. VIK gives no details of the "
                    "investigation."
                ),
                name=employee.full_name,
                number=employee.personnel_number,
                date=on.strftime("%d-%m-%Y"),
                reference=case.reference,
            ),
            acting_user=acting_user,
        )
    names = ", ".join(chief.get_full_name() or chief.get_username() for chief in chiefs)
    journal(
        investigation,
        gettext_lazy("The refusal of %(name)s was reported to their manager (%(managers)s)."),
        author=actor(acting_user),
        name=employee.full_name,
        managers=names,
    )
    return timezone.localdate(), names[:300]


@transaction.atomic
def record_refusal_reported(
    *,
    refusal: Interview | DocumentRequest,
    on: datetime.date,
    manager: str,
    acting_user: AnyUser,
) -> Interview | DocumentRequest:
    """Record that a witness's refusal was reported to their manager outside VIK (in writing)."""
    lock_case(refusal.investigation.case, user=acting_user, acting=Acting.INVESTIGATOR)
    model = type(refusal)
    refusal = model.objects.select_for_update().get(pk=refusal.pk)
    refused = (
        refusal.status == InterviewStatus.REFUSED
        if isinstance(refusal, Interview)
        else refusal.refused_on is not None
    )
    if not refused:
        raise ValidationError(_("Nothing was refused here."), code="not_refused")
    if refusal.manager_informed_on is not None:
        raise ValidationError(_("This has already been recorded."), code="recorded")
    if not manager.strip():
        raise ValidationError(_("Name the manager who was told."))
    require_not_future(on, gettext_lazy("The date"))
    refusal.manager_informed_on = on
    refusal.manager_informed = manager.strip()[:300]
    stamp(refusal, acting_user=acting_user, reason="refusal reported to the manager").save()
    name = (
        refusal.interviewee_name if isinstance(refusal, Interview) else refusal.requested_from_name
    )
    journal(
        refusal.investigation,
        gettext_lazy("The refusal of %(name)s was reported to their manager (%(managers)s)."),
        author=actor(acting_user),
        name=name,
        managers=manager.strip(),
    )
    return refusal


# --- Documents and evidence ------------------------------------------------------------------


@transaction.atomic
def request_documents(
    *,
    case: Case,
    requested_from: Employee | None,
    requested_from_name: str = "",
    description: str,
    requested_on: datetime.date,
    acting_user: AnyUser,
) -> DocumentRequest:
    """Ask someone to hand over documents or goods (due within 5 working days).

    A request for information: only after the person concerned was informed in writing.
    """
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.INVESTIGATING)
    require_not_future(requested_on, gettext_lazy("The date of the request"))
    require_ready_to_gather(investigation, on=requested_on)
    name = requested_from.full_name if requested_from is not None else requested_from_name.strip()
    if not name or not description.strip():
        raise ValidationError(_("Say what is requested and from whom."))
    request = DocumentRequest(
        investigation=investigation,
        requested_from=requested_from,
        requested_from_name=name,
        description=description.strip(),
        requested_on=requested_on,
        due_on=add_working_days(requested_on, DOCUMENTS_TERM_WORKING_DAYS),
        requested_by=actor(acting_user),
    )
    stamp(request, acting_user=acting_user, reason="documents requested").save()
    if requested_from is not None:
        list_party(case, requested_from, CaseParty.Role.WITNESS, acting_user=acting_user)
    open_deadline(
        case,
        kind=DeadlineKind.DOCUMENTS,
        key=f"documents:{request.pk}",
        label=system_text(gettext_lazy("Documents from %(name)s"), name=name),
        due_on=request.due_on,
        acting_user=acting_user,
    )
    journal(
        investigation,
        gettext_lazy("Documents requested from %(name)s, due %(date)s: %(description)s"),
        author=actor(acting_user),
        name=name,
        date=request.due_on.strftime("%d-%m-%Y"),
        description=description.strip(),
    )
    return request


@transaction.atomic
def record_documents_received(
    *, request: DocumentRequest, on: datetime.date, acting_user: AnyUser
) -> DocumentRequest:
    """The documents came in; the 5-working-day term is met."""
    case = lock_case(request.investigation.case, user=acting_user, acting=Acting.INVESTIGATOR)
    request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("This request has been settled."))
    require_not_future(on, gettext_lazy("The date of receipt"))
    if on < request.requested_on:
        raise ValidationError(_("Documents cannot arrive before they were requested."))
    request.received_on = on
    stamp(request, acting_user=acting_user, reason="received").save(update_fields=["received_on"])
    meet_deadline(case, key=f"documents:{request.pk}", on=on, acting_user=acting_user)
    journal(
        request.investigation,
        gettext_lazy("Documents received from %(name)s."),
        author=actor(acting_user),
        name=request.requested_from_name,
    )
    return request


@transaction.atomic
def record_documents_refused(
    *, request: DocumentRequest, on: datetime.date, reason: str, acting_user: AnyUser
) -> DocumentRequest:
    """A refusal is reported to the commissioner and appears in the report."""
    case = lock_case(request.investigation.case, user=acting_user, acting=Acting.INVESTIGATOR)
    request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(_("This request has been settled."))
    require_not_future(on, gettext_lazy("The date of the refusal"))
    request.refused_on = on
    request.refusal_reason = reason.strip()
    if (
        request.requested_from is not None
        and not case.parties.filter(
            employee=request.requested_from, role=CaseParty.Role.CONCERNED
        ).exists()
    ):
        request.manager_informed_on, request.manager_informed = report_refusal_to_manager(
            case,
            request.requested_from,
            investigation=request.investigation,
            on=on,
            acting_user=acting_user,
        )
    stamp(request, acting_user=acting_user, reason="refused").save()
    meet_deadline(case, key=f"documents:{request.pk}", on=on, acting_user=acting_user)
    journal(
        request.investigation,
        gettext_lazy("%(name)s refused to hand over documents: %(reason)s"),
        author=actor(acting_user),
        name=request.requested_from_name,
        reason=reason.strip() or "–",
    )
    tell(
        commissioners_of(case),
        gettext_lazy("A request for documents in %(reference)s was refused"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return request


@transaction.atomic
def add_evidence(
    *,
    case: Case,
    upload: UploadedFile,
    description: str,
    document_request: DocumentRequest | None = None,
    acting_user: AnyUser,
) -> Evidence:
    """Store a received document privately, after checking its type and size."""
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_assignment_issued(investigation)
    if document_request is not None and document_request.investigation_id != investigation.pk:
        raise ValidationError(_("That request belongs to another investigation."))
    checked = check_upload(upload)
    if not description.strip():
        raise ValidationError(_("Describe what the file is."))
    evidence = Evidence(
        investigation=investigation,
        document_request=document_request,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip(),
        uploaded_by=actor(acting_user),
    )
    evidence.file.save(checked.original_name, upload, save=False)
    # The file is written before its row. If saving the row fails, remove the file again; a
    # file left by a later rollback has no row and can never be served.
    try:
        stamp(evidence, acting_user=acting_user, reason="evidence added").save()
        journal(
            investigation,
            gettext_lazy("Evidence added: %(name)s (SHA-256 %(hash)s)."),
            author=actor(acting_user),
            name=checked.original_name,
            hash=checked.sha256[:16],
        )
    except BaseException:
        evidence.file.delete(save=False)
        raise
    return evidence
