"""The due-process protocol as code: each step's condition, and the checks that enforce it.

The services call the ``require_*`` functions before they act, so a step cannot be skipped
from a view, a command, a task or the shell alike. The same predicates build the checklist
on the case page, so what the page says and what the services enforce cannot drift apart.
Messages are written for the person at the keyboard: what is missing and what to do first.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    FINAL_STATES,
    CaseParty,
    CaseStatus,
    Interview,
    IntervieweeRole,
    InterviewStatus,
    Investigation,
    LetterKind,
    MethodKind,
    OutcomeRoute,
)


def _concerned_ids(investigation: Investigation) -> set[int]:
    return set(
        investigation.case.parties.filter(role=CaseParty.Role.CONCERNED).values_list(
            "employee_id", flat=True
        )
    )


def _concerned_parties(investigation: Investigation) -> list[CaseParty]:
    """The case's persons concerned, with their employee."""
    return list(
        investigation.case.parties.filter(role=CaseParty.Role.CONCERNED).select_related("employee")
    )


def subject_notification_date(
    investigation: Investigation, *, concerned_ids: Collection[int] | None = None
) -> datetime.date | None:
    """When the last person concerned was informed in writing; None while anyone is not.

    Every person concerned needs their own sent notification letter. ``concerned_ids``: the
    persons concerned, when the caller has just read them (the case page).
    """
    concerned = set(concerned_ids) if concerned_ids is not None else _concerned_ids(investigation)
    if not concerned:
        return None
    sent: dict[int, datetime.date] = {}
    for employee_id, sent_on in investigation.letters.filter(
        kind=LetterKind.NOTIFICATION, sent_on__isnull=False, recipient_id__in=concerned
    ).values_list("recipient_id", "sent_on"):
        if sent_on is not None and employee_id is not None:
            sent[employee_id] = min(sent_on, sent.get(employee_id, sent_on))
    if set(sent) != concerned:
        return None
    return max(sent.values())


def held_interviews(investigation: Investigation) -> list[Interview]:
    """The interviews held, with their report versions (one query for the versions)."""
    return list(
        investigation.interviews.filter(status=InterviewStatus.HELD).prefetch_related("versions")
    )


def unfinished_interview_reports(
    investigation: Investigation, *, held: Sequence[Interview] | None = None
) -> list[str]:
    """Interviews held whose report has not reached an end state.

    ``held``: the interviews held with their versions prefetched, when the caller has them.
    """
    names = []
    for interview in held if held is not None else held_interviews(investigation):
        states = {version.state for version in interview.versions.all()}
        if not states & FINAL_STATES:
            names.append(interview.interviewee_name)
    return names


def open_telecom_notices(investigation: Investigation) -> list[str]:
    """Telecommunication examined but not ended, or the person not yet told afterwards."""
    return [
        str(method.get_kind_display())
        for method in investigation.methods.filter(started_on__isnull=False)
        if method.is_telecom and (method.ended_on is None or method.subject_informed_on is None)
    ]


def refusals_not_reported(
    investigation: Investigation, *, concerned_ids: Collection[int] | None = None
) -> list[str]:
    """Employees asked to cooperate who refused, whose manager has not been told yet.

    Protocol 3.7: the refusal of an employee asked to cooperate (not the person concerned,
    who may refuse insofar as it would incriminate them) is reported to their manager.
    """
    concerned = set(concerned_ids) if concerned_ids is not None else _concerned_ids(investigation)
    names = [
        interview.interviewee_name
        for interview in investigation.interviews.filter(
            status=InterviewStatus.REFUSED,
            interviewee__isnull=False,
            manager_informed_on__isnull=True,
        ).exclude(role=IntervieweeRole.PERSON_CONCERNED)
    ]
    names += [
        request.requested_from_name
        for request in investigation.document_requests.filter(
            refused_on__isnull=False, requested_from__isnull=False, manager_informed_on__isnull=True
        ).exclude(requested_from_id__in=concerned)
    ]
    return names


def outcome_letters_missing(
    investigation: Investigation, *, concerned: Sequence[CaseParty] | None = None
) -> list[str]:
    """The persons concerned who have not been sent the outcome letter.

    ``concerned``: their parties with the employee, when the caller has just read them.
    """
    if concerned is None:
        concerned = _concerned_parties(investigation)
    informed = set(
        investigation.letters.filter(kind=LetterKind.OUTCOME, sent_on__isnull=False).values_list(
            "recipient_id", flat=True
        )
    )
    return [p.employee.full_name for p in concerned if p.employee_id not in informed]


# --- Checks ---------------------------------------------------------------------------


def require_assignment_issued(investigation: Investigation) -> None:
    """The investigation starts with the issued written assignment."""
    if not investigation.assignment_issued:
        raise ValidationError(
            _(
                "The written assignment has not been issued yet. The commissioner issues it "
                "before the investigation starts."
            ),
            code="assignment_not_issued",
        )


def require_counsellor_informed(investigation: Investigation) -> None:
    """The confidential counsellor hears that the investigation has started."""
    if investigation.counsellor_informed_on is None:
        raise ValidationError(
            _(
                "The confidential counsellor has not been informed that the investigation has "
                "started. Record that first."
            ),
            code="counsellor_not_informed",
        )


def require_subject_notified(investigation: Investigation, *, before: datetime.date) -> None:
    """The person concerned is informed in writing before anyone is asked for information."""
    notified_on = subject_notification_date(investigation)
    if notified_on is None:
        raise ValidationError(
            _(
                "The person concerned has not been informed in writing yet. Record the sent "
                "notification letter before asking anyone for information."
            ),
            code="subject_not_notified",
        )
    if before < notified_on:
        raise ValidationError(
            _(
                "The person concerned was informed in writing on %(date)s. Nobody may be asked "
                "for information before that date."
            )
            % {"date": notified_on.strftime("%d-%m-%Y")},
            code="before_subject_notified",
        )


def require_ready_to_gather(investigation: Investigation, *, on: datetime.date) -> None:
    """Before an interview or a request for information: every step that must come first."""
    require_assignment_issued(investigation)
    require_counsellor_informed(investigation)
    require_subject_notified(investigation, before=on)


def require_status(investigation: Investigation, *statuses: CaseStatus) -> None:
    """The step belongs to one of these stages of the case."""
    if investigation.case.status not in statuses:
        raise ValidationError(
            _("This is not possible while the case is “%(status)s”.")
            % {"status": investigation.case.get_status_display()},
            code="wrong_status",
        )


def require_ready_for_hearing(investigation: Investigation) -> None:
    """Everything gathered and settled before the person concerned responds to the findings."""
    problems: list[str] = []
    if not investigation.findings.strip():
        problems.append(_("write down the findings"))
    if investigation.interviews.filter(status=InterviewStatus.SCHEDULED).exists():
        problems.append(_("hold, or cancel, the interviews still scheduled"))
    if unfinished := unfinished_interview_reports(investigation):
        problems.append(
            _("bring the interview reports to an end state (%(names)s)")
            % {"names": ", ".join(unfinished)}
        )
    if investigation.document_requests.filter(
        received_on__isnull=True, refused_on__isnull=True
    ).exists():
        problems.append(_("settle the open requests for documents"))
    if telecom := open_telecom_notices(investigation):
        problems.append(
            _(
                "end the examination of telecommunication and tell the person concerned (%(methods)s)"
            )
            % {"methods": ", ".join(telecom)}
        )
    if refusals := refusals_not_reported(investigation):
        problems.append(
            _("report the refusal to cooperate of %(names)s to their manager")
            % {"names": ", ".join(refusals)}
        )
    if problems:
        raise ValidationError(
            _("The hearing cannot be offered yet. First: %(todo)s.")
            % {"todo": "; ".join(problems)},
            code="not_ready_for_hearing",
        )


def require_ready_to_close(investigation: Investigation) -> None:
    """The outcome and the report have reached the person concerned."""
    problems: list[str] = []
    if investigation.outcome_decided_at is None:
        problems.append(_("decide the outcome"))
    if investigation.outcome_route == OutcomeRoute.DISCIPLINARY:
        procedure = getattr(investigation, "disciplinary", None)
        if procedure is None or not procedure.is_complete:
            problems.append(_("complete the disciplinary route, including the receipt"))
    if missing := outcome_letters_missing(investigation):
        problems.append(_("send the outcome letter to %(names)s") % {"names": ", ".join(missing)})
    if investigation.report_provided_to_subject_on is None:
        problems.append(_("record that the person concerned received the report"))
    if problems:
        raise ValidationError(
            _("The case cannot be closed yet. First: %(todo)s.") % {"todo": "; ".join(problems)},
            code="not_ready_to_close",
        )


# --- The checklist on the case page ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str | Promise
    done: bool
    detail: str = ""


def method_conditions(investigation: Investigation) -> list[Step]:
    """The conditions of seed 004 on the special methods in use, one step per method.

    Telecommunication only on suspected misuse of telecommunication facilities, and only if
    the employee was told in advance that it can be examined (4.4); a search of the workplace
    with a written invitation and a record of the person's presence (4.3); observation within
    working time unless a reason is recorded (4.2).
    """
    steps: list[Step] = []
    methods = investigation.methods.exclude(decision="refused").prefetch_related("letters")
    for method in methods:
        if method.is_telecom:
            steps.append(
                Step(
                    gettext_lazy(
                        "%(method)s: misuse of telecommunication suspected, employee told in advance"
                    )
                    % {"method": method.get_kind_display()},
                    bool(method.suspected_telecom_misuse) and method.prior_notice_on is not None,
                    _date(method.prior_notice_on),
                )
            )
        elif method.kind == MethodKind.WORKPLACE_SEARCH:
            invited = [
                letter.sent_on
                for letter in method.letters.all()
                if letter.kind == LetterKind.SEARCH_INVITATION and letter.sent_on
            ]
            steps.append(
                Step(
                    gettext_lazy("Search of the workplace: invited in writing, presence recorded"),
                    bool(invited) and bool(method.search_presence),
                    method.get_search_presence_display() if method.search_presence else "",
                )
            )
        elif method.kind == MethodKind.OBSERVATION:
            steps.append(
                Step(
                    gettext_lazy("Observation limited to working time")
                    if not method.outside_working_time
                    else gettext_lazy("Observation outside working time, with its reason"),
                    not method.outside_working_time or bool(method.outside_working_time_reason),
                )
            )
    return steps


def checklist(
    investigation: Investigation, *, concerned: Sequence[CaseParty] | None = None
) -> list[Step]:
    """The protocol's steps and whether each is done, in the order the protocol sets.

    ``concerned``: the case's persons concerned with their employee, when the page has them
    already; the same predicates as the services', read once each.
    """
    if concerned is None:
        concerned = _concerned_parties(investigation)
    concerned_ids = {party.employee_id for party in concerned}
    notified_on = subject_notification_date(investigation, concerned_ids=concerned_ids)
    hearing = getattr(investigation, "hearing", None)
    refusals = refusals_not_reported(investigation, concerned_ids=concerned_ids)
    held = held_interviews(investigation)
    has_refusals = (
        bool(refusals)
        or investigation.interviews.filter(status=InterviewStatus.REFUSED).exists()
        or investigation.document_requests.filter(refused_on__isnull=False).exists()
    )
    return [
        Step(
            gettext_lazy("Written assignment issued"),
            investigation.assignment_issued,
            _date(investigation.assignment_issued_at),
        ),
        Step(
            gettext_lazy("Confidential counsellor informed"),
            investigation.counsellor_informed_on is not None,
            _date(investigation.counsellor_informed_on),
        ),
        Step(
            gettext_lazy("Person concerned informed in writing"),
            notified_on is not None,
            _date(notified_on),
        ),
        *method_conditions(investigation),
        Step(
            gettext_lazy("Interview reports in an end state"),
            bool(held) and not unfinished_interview_reports(investigation, held=held),
        ),
        *(
            [
                Step(
                    gettext_lazy(
                        "Refusals to cooperate reported to the commissioner and the manager"
                    ),
                    not refusals,
                    ", ".join(refusals),
                )
            ]
            if has_refusals
            else []
        ),
        *(
            [
                Step(
                    gettext_lazy("Invitation to the hearing sent"),
                    investigation.letters.filter(
                        kind=LetterKind.HEARING_INVITATION, sent_on__isnull=False
                    ).exists(),
                )
            ]
            if hearing is not None and hearing.scheduled_at is not None
            else []
        ),
        Step(
            gettext_lazy("Hearing (wederhoor) held"),
            bool(hearing and hearing.is_recorded),
            _date(hearing.held_on if hearing else None),
        ),
        Step(
            gettext_lazy("Report handed to the commissioner"),
            investigation.report_submitted_at is not None,
            _date(investigation.report_submitted_at),
        ),
        Step(
            gettext_lazy("Outcome decided"),
            investigation.outcome_decided_at is not None,
            _date(investigation.outcome_decided_at),
        ),
        Step(
            gettext_lazy("Person concerned received the report and the outcome"),
            investigation.report_provided_to_subject_on is not None
            and not outcome_letters_missing(investigation, concerned=concerned),
            _date(investigation.report_provided_to_subject_on),
        ),
    ]


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localdate(value)
    return value.strftime("%d-%m-%Y")
