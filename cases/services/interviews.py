"""Interviews and interview reports: scheduling, holding, versions and their end states."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    FINAL_STATES,
    Case,
    CaseParty,
    CaseStatus,
    DeadlineKind,
    Interview,
    IntervieweeRole,
    InterviewReportVersion,
    InterviewStatus,
    LetterKind,
    VersionState,
)
from cases.protocol import require_ready_to_gather, require_status
from cases.selectors import active_investigators, commissioners_of
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
from cases.services.investigation import report_refusal_to_manager
from vik.history import stamp
from vik.workdays import add_working_days

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from vik.models import Employee

    AnyUser = User | AnonymousUser

COMMENTS_TERM_WORKING_DAYS = 5


def _report_key(interview: Interview) -> str:
    return f"interview:{interview.pk}:report"


def _comments_key(version: InterviewReportVersion) -> str:
    return f"interview:{version.interview_id}:v{version.number}:comments"


def _locked_interview(interview: Interview, *, acting_user: AnyUser) -> tuple[Case, Interview]:
    case = lock_case(interview.investigation.case, user=acting_user, acting=Acting.INVESTIGATOR)
    return case, Interview.objects.select_for_update().get(pk=interview.pk)


@transaction.atomic
def schedule_interview(
    *,
    case: Case,
    role: IntervieweeRole,
    interviewee: Employee | None,
    interviewee_name: str = "",
    scheduled_at: datetime.datetime,
    location: str,
    expected_duration_minutes: int,
    nature_and_purpose: str,
    lead_investigator: User,
    second_investigator: User,
    is_recorded: bool = True,
    acting_user: AnyUser,
) -> Interview:
    """Schedule an interview, conducted by two investigators of this investigation.

    Asking anyone for information comes after the written assignment, the confidential
    counsellor and — above all — after the person concerned has been informed in writing:
    the service refuses otherwise, whoever calls it.
    """
    case = lock_case(case, user=acting_user, acting=Acting.INVESTIGATOR)
    investigation = investigation_of(case)
    require_status(investigation, CaseStatus.INVESTIGATING)
    require_ready_to_gather(investigation, on=timezone.localdate(scheduled_at))
    role = IntervieweeRole(role)
    if lead_investigator.pk == second_investigator.pk:
        raise ValidationError(
            _("An interview is conducted by two different investigators."), code="two_needed"
        )
    assigned = set(active_investigators(investigation).values_list("pk", flat=True))
    if not {lead_investigator.pk, second_investigator.pk} <= assigned:
        raise ValidationError(
            _("Both investigators must be assigned to this investigation."), code="not_assigned"
        )
    concerned = set(
        case.parties.filter(role=CaseParty.Role.CONCERNED).values_list("employee_id", flat=True)
    )
    if role == IntervieweeRole.PERSON_CONCERNED:
        if interviewee is None or interviewee.pk not in concerned:
            raise ValidationError(_("Choose the person concerned."), code="not_concerned")
    elif role == IntervieweeRole.INTERNAL_WITNESS:
        if interviewee is None:
            raise ValidationError(_("Give the witness's personnel number."), code="no_witness")
        if interviewee.pk in concerned:
            raise ValidationError(_("The person concerned is not a witness in their own case."))
    elif role == IntervieweeRole.EXTERNAL_WITNESS:
        interviewee = None
    name = interviewee.full_name if interviewee is not None else interviewee_name.strip()
    if not name:
        raise ValidationError(_("Name the interviewee."), code="no_name")
    if not (location.strip() and nature_and_purpose.strip()) or expected_duration_minutes <= 0:
        raise ValidationError(
            _("Give the location, the nature and purpose, and the expected duration."),
            code="incomplete",
        )
    interview = Interview(
        investigation=investigation,
        role=role,
        interviewee=interviewee,
        interviewee_name=name,
        scheduled_at=scheduled_at,
        location=location.strip(),
        expected_duration_minutes=expected_duration_minutes,
        nature_and_purpose=nature_and_purpose.strip(),
        lead_investigator=lead_investigator,
        second_investigator=second_investigator,
        is_recorded=is_recorded,
        created_by=actor(acting_user),
    )
    stamp(interview, acting_user=acting_user, reason="scheduled").save()
    if interviewee is not None and role != IntervieweeRole.PERSON_CONCERNED:
        # Heard as a witness: from now on they may not see the case, whatever their role.
        list_party(case, interviewee, CaseParty.Role.WITNESS, acting_user=acting_user)
    journal(
        investigation,
        gettext_lazy("Interview with %(name)s (%(role)s) scheduled for %(when)s."),
        author=actor(acting_user),
        name=name,
        role=role.label,
        when=timezone.localtime(scheduled_at).strftime("%d-%m-%Y %H:%M"),
    )
    return interview


@transaction.atomic
def record_interview_held(
    *,
    interview: Interview,
    held_at: datetime.datetime,
    counsel_present: bool,
    counsel_name: str = "",
    recording_retain_until: datetime.date | None = None,
    acting_user: AnyUser,
) -> Interview:
    """Record that the interview took place; the report is due within 5 days.

    The interviewee must have been invited in writing (the invitation letter sent).
    """
    case, interview = _locked_interview(interview, acting_user=acting_user)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("This interview is no longer scheduled."), code="not_scheduled")
    require_not_future(held_at, gettext_lazy("The time of the interview"))
    if not interview.letters.filter(kind=LetterKind.INVITATION, sent_on__isnull=False).exists():
        raise ValidationError(
            _(
                "The interviewee was not invited in writing: record the sent invitation letter "
                "(nature, purpose, duration, counsel, recording) first."
            ),
            code="not_invited",
        )
    invited_on = interview.letters.filter(kind=LetterKind.INVITATION).aggregate(
        first=Max("sent_on")
    )["first"]
    if invited_on and timezone.localdate(held_at) < invited_on:
        raise ValidationError(_("The interview cannot precede its invitation."))
    if interview.is_recorded and recording_retain_until is None:
        raise ValidationError(
            _("Say until when the recording is kept; it is destroyed afterwards."),
            code="retention",
        )
    if counsel_present and not counsel_name.strip():
        raise ValidationError(_("Name the counsel who was present."))
    interview.status = InterviewStatus.HELD
    interview.held_at = held_at
    interview.counsel_present = counsel_present
    interview.counsel_name = counsel_name.strip()
    interview.recording_retain_until = recording_retain_until if interview.is_recorded else None
    stamp(interview, acting_user=acting_user, reason="held").save()
    assert interview.report_due_on is not None  # noqa: S101 - held_at was just set
    open_deadline(
        case,
        kind=DeadlineKind.INTERVIEW_REPORT,
        key=_report_key(interview),
        label=system_text(
            gettext_lazy("Report of the interview with %(name)s"), name=interview.interviewee_name
        ),
        due_on=interview.report_due_on,
        acting_user=acting_user,
    )
    if interview.recording_retain_until is not None:
        open_deadline(
            case,
            kind=DeadlineKind.RECORDING_RETENTION,
            key=f"interview:{interview.pk}:recording",
            label=system_text(
                gettext_lazy("Destroy the recording of the interview with %(name)s"),
                name=interview.interviewee_name,
            ),
            due_on=interview.recording_retain_until,
            acting_user=acting_user,
        )
    journal(
        interview.investigation,
        gettext_lazy("Interview with %(name)s held (counsel present: %(counsel)s)."),
        author=actor(acting_user),
        name=interview.interviewee_name,
        counsel=system_text(gettext_lazy("yes") if counsel_present else gettext_lazy("no")),
    )
    return interview


@transaction.atomic
def record_interview_refused(
    *, interview: Interview, reason: str, acting_user: AnyUser
) -> Interview:
    """The interviewee refused to cooperate: reported to the commissioner and in the report.

    The person concerned may refuse insofar as they would incriminate themself; witnesses
    are not obliged to cooperate. An employee's refusal is also reported to their own
    manager (protocol 3.7): the team chiefs of their team get a message.
    """
    case, interview = _locked_interview(interview, acting_user=acting_user)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("This interview is no longer scheduled."), code="not_scheduled")
    if not reason.strip():
        raise ValidationError(_("Record what the interviewee said."))
    interview.status = InterviewStatus.REFUSED
    interview.refusal_reason = reason.strip()
    if interview.interviewee is not None and interview.role != IntervieweeRole.PERSON_CONCERNED:
        # An employee asked to cooperate (an "intern betrokkene"): their manager is told too.
        interview.manager_informed_on, interview.manager_informed = report_refusal_to_manager(
            case,
            interview.interviewee,
            investigation=interview.investigation,
            on=timezone.localdate(),
            acting_user=acting_user,
        )
    stamp(interview, acting_user=acting_user, reason="refused").save()
    journal(
        interview.investigation,
        gettext_lazy("%(name)s refused to cooperate in the interview: %(reason)s"),
        author=actor(acting_user),
        name=interview.interviewee_name,
        reason=reason.strip(),
    )
    tell(
        commissioners_of(case),
        gettext_lazy("An interviewee in %(reference)s refused to cooperate"),
        url=case_url(case),
        acting_user=acting_user,
        reference=case.reference,
    )
    return interview


@transaction.atomic
def cancel_interview(*, interview: Interview, reason: str, acting_user: AnyUser) -> Interview:
    """Call off a scheduled interview, with the reason in the journal."""
    _case, interview = _locked_interview(interview, acting_user=acting_user)
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(_("This interview is no longer scheduled."), code="not_scheduled")
    if not reason.strip():
        raise ValidationError(_("Give a reason."))
    interview.status = InterviewStatus.CANCELLED
    stamp(interview, acting_user=acting_user, reason=reason).save(update_fields=["status"])
    journal(
        interview.investigation,
        gettext_lazy("Interview with %(name)s cancelled: %(reason)s"),
        author=actor(acting_user),
        name=interview.interviewee_name,
        reason=reason.strip(),
    )
    return interview


@transaction.atomic
def record_recording_destroyed(
    *, interview: Interview, on: datetime.date, acting_user: AnyUser
) -> Interview:
    """Record the destruction of the recording; the interviewee is then told by letter."""
    _case, interview = _locked_interview(interview, acting_user=acting_user)
    if not interview.is_recorded or interview.status != InterviewStatus.HELD:
        raise ValidationError(_("There is no recording of this interview."))
    if interview.recording_destroyed_on is not None:
        raise ValidationError(_("The destruction has already been recorded."))
    require_not_future(on, gettext_lazy("The date of destruction"))
    assert interview.held_at is not None  # noqa: S101 - status is HELD
    if on < timezone.localdate(interview.held_at):
        raise ValidationError(_("A recording cannot be destroyed before the interview."))
    interview.recording_destroyed_on = on
    stamp(interview, acting_user=acting_user, reason="recording destroyed").save(
        update_fields=["recording_destroyed_on"]
    )
    journal(
        interview.investigation,
        gettext_lazy("Recording of the interview with %(name)s destroyed on %(date)s."),
        author=actor(acting_user),
        name=interview.interviewee_name,
        date=on.strftime("%d-%m-%Y"),
    )
    return interview


# --- Report versions ----------------------------------------------------------------------


def _locked_version(
    version: InterviewReportVersion, *, acting_user: AnyUser
) -> tuple[Case, InterviewReportVersion]:
    case = lock_case(
        version.interview.investigation.case, user=acting_user, acting=Acting.INVESTIGATOR
    )
    return case, (
        InterviewReportVersion.objects.select_for_update(of=("self",))
        .select_related("interview", "interview__investigation__case")
        .get(pk=version.pk)
    )


@transaction.atomic
def create_report_version(
    *, interview: Interview, content: str, acting_user: AnyUser
) -> InterviewReportVersion:
    """Write the first version of a report, or the next one after accepted comments."""
    _case, interview = _locked_interview(interview, acting_user=acting_user)
    if interview.status != InterviewStatus.HELD:
        raise ValidationError(_("A report is written after the interview was held."))
    latest = interview.versions.order_by("-number").first()
    if latest is not None:
        if latest.state in FINAL_STATES:
            raise ValidationError(
                _("The report has reached its end state; no further version is possible.")
            )
        if latest.state != VersionState.SUPERSEDED:
            raise ValidationError(
                _("A new version follows only from comments that were accepted."),
                code="open_version",
            )
    if not content.strip():
        raise ValidationError(_("The report is empty."))
    version = InterviewReportVersion(
        interview=interview,
        number=(latest.number + 1) if latest else 1,
        content=content.strip(),
        created_by=actor(acting_user),
    )
    stamp(version, acting_user=acting_user, reason="version written").save()
    return version


@transaction.atomic
def update_report_version(
    *, version: InterviewReportVersion, content: str, acting_user: AnyUser
) -> InterviewReportVersion:
    """Edit a draft. Once sent, a version's text is fixed."""
    _case, version = _locked_version(version, acting_user=acting_user)
    if not version.is_editable:
        raise ValidationError(
            _("This version was sent; its text can no longer change."), code="not_draft"
        )
    if not content.strip():
        raise ValidationError(_("The report is empty."))
    version.content = content.strip()
    stamp(version, acting_user=acting_user, reason="draft edited").save(update_fields=["content"])
    return version


@transaction.atomic
def send_report_version(
    *, version: InterviewReportVersion, sent_on: datetime.date, acting_user: AnyUser
) -> InterviewReportVersion:
    """Send a version to the interviewee for signature: its text and hash are fixed.

    The interviewee may return comments within 5 working days.
    """
    case, version = _locked_version(version, acting_user=acting_user)
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("Only a draft can be sent."), code="not_draft")
    require_not_future(sent_on, gettext_lazy("The date of sending"))
    interview = version.interview
    assert interview.held_at is not None  # noqa: S101 - versions exist only for held interviews
    if sent_on < timezone.localdate(interview.held_at):
        raise ValidationError(_("A report cannot be sent before the interview."))
    version.state = VersionState.SENT
    version.sent_on = sent_on
    version.comments_due_on = add_working_days(sent_on, COMMENTS_TERM_WORKING_DAYS)
    version.content_hash = version.compute_hash()
    stamp(version, acting_user=acting_user, reason="sent for signature").save()
    if version.number == 1:
        meet_deadline(case, key=_report_key(interview), on=sent_on, acting_user=acting_user)
    open_deadline(
        case,
        kind=DeadlineKind.INTERVIEWEE_COMMENTS,
        key=_comments_key(version),
        label=system_text(
            gettext_lazy("Comments of %(name)s on version %(number)s"),
            name=interview.interviewee_name,
            number=version.number,
        ),
        due_on=version.comments_due_on,
        acting_user=acting_user,
    )
    journal(
        interview.investigation,
        gettext_lazy(
            "Version %(number)s of the report of the interview with %(name)s sent for "
            "signature (SHA-256 %(hash)s); comments due %(date)s."
        ),
        author=actor(acting_user),
        number=version.number,
        name=interview.interviewee_name,
        hash=version.content_hash[:16],
        date=version.comments_due_on.strftime("%d-%m-%Y"),
    )
    return version


def _require_response_date(version: InterviewReportVersion, on: datetime.date) -> None:
    require_not_future(on, gettext_lazy("The date"))
    if version.sent_on is None or on < version.sent_on:
        raise ValidationError(_("The interviewee cannot respond before the report was sent."))


@transaction.atomic
def record_version_signed(
    *,
    version: InterviewReportVersion,
    signed_on: datetime.date,
    every_page_initialled: bool,
    acting_user: AnyUser,
) -> InterviewReportVersion:
    """End state 1: agreed, signed by both sides and every page initialled. Immutable after."""
    case, version = _locked_version(version, acting_user=acting_user)
    if version.state != VersionState.SENT:
        raise ValidationError(_("Only a version with the interviewee can be signed."))
    if not every_page_initialled:
        raise ValidationError(
            _("Both sides initial every page of a signed report."), code="initials"
        )
    _require_response_date(version, signed_on)
    version.state = VersionState.SIGNED
    version.signed_on = signed_on
    version.responded_on = signed_on
    stamp(version, acting_user=acting_user, reason="signed").save()
    meet_deadline(case, key=_comments_key(version), on=signed_on, acting_user=acting_user)
    journal(
        version.interview.investigation,
        gettext_lazy(
            "Report of the interview with %(name)s, version %(number)s, signed by both and "
            "initialled on every page."
        ),
        author=actor(acting_user),
        name=version.interview.interviewee_name,
        number=version.number,
    )
    return version


@transaction.atomic
def record_version_comments(
    *,
    version: InterviewReportVersion,
    responded_on: datetime.date,
    comments: str,
    acting_user: AnyUser,
) -> InterviewReportVersion:
    """The interviewee returned written comments; the investigators then accept or not."""
    case, version = _locked_version(version, acting_user=acting_user)
    if version.state != VersionState.SENT:
        raise ValidationError(_("Only a version with the interviewee can get comments."))
    if not comments.strip():
        raise ValidationError(_("Record the comments."))
    _require_response_date(version, responded_on)
    version.state = VersionState.COMMENTED
    version.responded_on = responded_on
    version.interviewee_comments = comments.strip()
    stamp(version, acting_user=acting_user, reason="comments received").save()
    meet_deadline(case, key=_comments_key(version), on=responded_on, acting_user=acting_user)
    assert version.comments_due_on is not None  # noqa: S101 - set when sent
    late = responded_on > version.comments_due_on
    journal(
        version.interview.investigation,
        gettext_lazy("%(name)s returned comments on version %(number)s%(late)s."),
        author=actor(acting_user),
        name=version.interview.interviewee_name,
        number=version.number,
        late=system_text(gettext_lazy(" (after the term of 5 working days)")) if late else "",
    )
    return version


@transaction.atomic
def accept_version_comments(
    *,
    version: InterviewReportVersion,
    note: str,
    new_content: str,
    acting_user: AnyUser,
) -> InterviewReportVersion:
    """Comments accepted: this version is superseded by a new one, which goes for signature."""
    _case, version = _locked_version(version, acting_user=acting_user)
    if version.state != VersionState.COMMENTED:
        raise ValidationError(_("There are no comments to accept."))
    if not new_content.strip():
        raise ValidationError(_("The new version is empty."))
    if new_content.strip() == version.content:
        raise ValidationError(_("Work the accepted comments into the new version."))
    version.state = VersionState.SUPERSEDED
    version.comments_decision_note = note.strip()
    stamp(version, acting_user=acting_user, reason="comments accepted").save()
    journal(
        version.interview.investigation,
        gettext_lazy("Comments on version %(number)s accepted; a new version follows."),
        author=actor(acting_user),
        number=version.number,
    )
    return create_report_version(
        interview=version.interview, content=new_content, acting_user=acting_user
    )


@transaction.atomic
def record_version_not_agreed(
    *,
    version: InterviewReportVersion,
    note: str,
    reaction: str = "",
    responded_on: datetime.date | None = None,
    acting_user: AnyUser,
) -> InterviewReportVersion:
    """End state 2: no agreement. The report goes into the file unsigned, with the reaction."""
    case, version = _locked_version(version, acting_user=acting_user)
    if version.state == VersionState.SENT:
        if not reaction.strip() or responded_on is None:
            raise ValidationError(
                _("Record the interviewee's reaction and when it was received."),
                code="no_reaction",
            )
        _require_response_date(version, responded_on)
        version.interviewee_comments = reaction.strip()
        version.responded_on = responded_on
        meet_deadline(case, key=_comments_key(version), on=responded_on, acting_user=acting_user)
    elif version.state != VersionState.COMMENTED:
        raise ValidationError(_("Only a version with the interviewee can end without agreement."))
    if not note.strip():
        raise ValidationError(_("Say why the investigators cannot agree with the comments."))
    version.state = VersionState.NOT_AGREED
    version.comments_decision_note = note.strip()
    stamp(version, acting_user=acting_user, reason="not agreed").save()
    journal(
        version.interview.investigation,
        gettext_lazy(
            "No agreement on the report of the interview with %(name)s (version %(number)s): "
            "filed unsigned with the interviewee's reaction."
        ),
        author=actor(acting_user),
        name=version.interview.interviewee_name,
        number=version.number,
    )
    return version


@transaction.atomic
def record_version_refused_to_sign(
    *,
    version: InterviewReportVersion,
    responded_on: datetime.date,
    reason: str,
    acting_user: AnyUser,
) -> InterviewReportVersion:
    """End state 3: the interviewee agrees with the content but refuses to sign (reason kept)."""
    case, version = _locked_version(version, acting_user=acting_user)
    if version.state != VersionState.SENT:
        raise ValidationError(_("Only a version with the interviewee can be refused."))
    if not reason.strip():
        raise ValidationError(_("Record the reason for refusing to sign."), code="no_reason")
    _require_response_date(version, responded_on)
    version.state = VersionState.REFUSED_TO_SIGN
    version.responded_on = responded_on
    version.refusal_reason = reason.strip()
    stamp(version, acting_user=acting_user, reason="refused to sign").save()
    meet_deadline(case, key=_comments_key(version), on=responded_on, acting_user=acting_user)
    journal(
        version.interview.investigation,
        gettext_lazy(
            "%(name)s agrees with the report (version %(number)s) but refused to sign: %(reason)s"
        ),
        author=actor(acting_user),
        name=version.interview.interviewee_name,
        number=version.number,
        reason=reason.strip(),
    )
    return version
