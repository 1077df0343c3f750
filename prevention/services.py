"""Writes of prevention and advice. Keyword-only arguments, an explicit ``acting_user``, one
transaction each, and a history row naming who did it and why (:func:`vik.history.stamp`).

Actions on an existing object re-read it through the acting user's selector inside the
transaction (locked), so a grant revoked or a conflict declared a moment ago takes effect
even if the page was opened before. Messages to people say only that there is news, with a
link; the content stays inside VIK.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prevention import rules, selectors
from prevention.models import (
    AdviceKind,
    AdviceRequest,
    AfterDiscussion,
    Dilemma,
    Presenter,
    SessionEvaluationCode,
    SessionEvaluationResponse,
    SessionKind,
    SessionRequest,
    TrendMark,
)
from vik.evaluations import claim_once
from vik.history import stamp
from vik.models import ClassificationStage, Unit, UnitAncestry, ViolationKind
from vik.roles import Capability, UnitScope
from vik.selectors import employee_of, has_capability, unit_ids_in_scope
from vik.services import notify
from vik.typology.services import record_violation_kinds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

C = Capability
# Single-use evaluation codes: no 0/O, 1/I/L, so a code read from a slip is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _today() -> datetime.date:
    return timezone.localdate()


def _require(user: AnyUser, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied


def _locked[M: Model](queryset: QuerySet[M], obj: M) -> M:
    """Re-read ``obj`` through the acting user's selector, locked for this transaction."""
    try:
        return queryset.select_for_update(of=("self",)).get(pk=obj.pk)
    except ObjectDoesNotExist:
        raise PermissionDenied from None


def _account(user: AnyUser) -> User:
    """The signed-in account acting (services are never called anonymously)."""
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def _text(value: str, message: str, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError(message)
    return value


def _tell(
    recipients: Iterable[User], *, subject: str, url: str, acting_user: AnyUser | None
) -> int:
    """A message without details to each recipient (never to the one who acted)."""
    sent = 0
    for recipient in recipients:
        if acting_user is not None and recipient.pk == acting_user.pk:
            continue
        notify(recipient=recipient, subject=subject, url=url, acting_user=acting_user)
        sent += 1
    return sent


def _root_unit_id(unit_id: int) -> int:
    """The top-level unit (eenheid) a unit belongs to."""
    root = (
        UnitAncestry.objects.filter(descendant_id=unit_id, ancestor__parent__isnull=True)
        .values_list("ancestor_id", flat=True)
        .first()
    )
    return root or unit_id


def _session_url(request: SessionRequest) -> str:
    return reverse("prevention:session_detail", kwargs={"pk": request.pk})


def _advice_url(request: AdviceRequest) -> str:
    return reverse("prevention:advice_detail", kwargs={"pk": request.pk})


def _after_discussion_url(after_discussion: AfterDiscussion) -> str:
    return reverse("prevention:after_discussion_detail", kwargs={"pk": after_discussion.pk})


# --- Session requests -----------------------------------------------------------------


@transaction.atomic
def request_session(
    *,
    kind: SessionKind | str,
    team: Unit,
    learning_questions: str,
    acting_user: AnyUser,
    kind_other: str = "",
    prompt: str = "",
    prompt_kind: ViolationKind | None = None,
    preferred_from: datetime.date | None = None,
    preferred_until: datetime.date | None = None,
    preferred_note: str = "",
    group_size: int | None = None,
    location: str = "",
    duration_minutes: int | None = None,
) -> SessionRequest:
    """A team chief (or an employee, for their own team) asks for a session.

    The coordinators of the team's unit are told there is a new request; the first answer
    is due within the working-day term.
    """
    _require(acting_user, C.USE_PREVENTION)
    if not selectors.requestable_teams(user=acting_user).filter(pk=team.pk).exists():
        raise ValidationError(_("You can ask for a session for your own team or a team you lead."))
    kind = SessionKind(kind)
    if kind == SessionKind.AFTER_DISCUSSION:
        raise ValidationError(
            _("An after-discussion of an investigation is asked for by the commissioner.")
        )
    kind_other = kind_other.strip()
    if kind == SessionKind.OTHER and not kind_other:
        raise ValidationError(_("Say what kind of session you have in mind."))
    if preferred_from and preferred_until and preferred_until < preferred_from:
        raise ValidationError(_("The preferred period ends before it starts."))
    if preferred_from and preferred_from < _today():
        raise ValidationError(_("The preferred period cannot start in the past."))
    if prompt_kind is not None and not prompt_kind.is_active:
        raise ValidationError(_("This kind of violation is no longer in use."))
    request = SessionRequest(
        kind=kind,
        kind_other=kind_other if kind == SessionKind.OTHER else "",
        team=team,
        requested_by=_account(acting_user),
        requester=employee_of(acting_user),
        learning_questions=_text(
            learning_questions, _("Write down what the team wants to learn."), minimum=10
        ),
        prompt=prompt.strip(),
        prompt_kind=prompt_kind,
        preferred_from=preferred_from,
        preferred_until=preferred_until,
        preferred_note=preferred_note.strip(),
        group_size=group_size,
        location=location.strip(),
        duration_minutes=duration_minutes,
        answer_due_on=rules.first_answer_due(),
    )
    request.full_clean()
    stamp(request, acting_user=acting_user, reason="Sessie aangevraagd").save()
    _tell(
        selectors.coordinators_for(unit=team, employee=request.requester),
        subject=_("New session request"),
        url=_session_url(request),
        acting_user=acting_user,
    )
    return request


def _handled_session(request: SessionRequest, acting_user: AnyUser) -> SessionRequest:
    _require(acting_user, C.COORDINATE_PREVENTION)
    return _locked(selectors.coordinated_session_requests(user=acting_user), request)


def _tell_requester(request: SessionRequest, subject: str, acting_user: AnyUser) -> None:
    _tell(
        [request.requested_by],
        subject=subject,
        url=_session_url(request),
        acting_user=acting_user,
    )


@transaction.atomic
def accept_session_request(*, request: SessionRequest, acting_user: AnyUser) -> SessionRequest:
    """The coordinator accepts the request (the first answer) and takes it on."""
    request = _handled_session(request, acting_user)
    if request.status != SessionRequest.Status.SUBMITTED:
        raise ValidationError(_("This request has already been answered."))
    request.status = SessionRequest.Status.ACCEPTED
    request.coordinator = acting_user  # type: ignore[assignment]
    request.answered_at = timezone.now()
    stamp(request, acting_user=acting_user, reason="Aanvraag geaccepteerd").save()
    _tell_requester(request, _("Your session request was accepted"), acting_user)
    return request


@transaction.atomic
def decline_session_request(
    *, request: SessionRequest, reason: str, acting_user: AnyUser
) -> SessionRequest:
    """The coordinator declines the request, with the reason the requester will read."""
    request = _handled_session(request, acting_user)
    if request.status not in (SessionRequest.Status.SUBMITTED, SessionRequest.Status.ACCEPTED):
        raise ValidationError(_("Only a request that is not yet planned can be declined."))
    request.decline_reason = _text(reason, _("Give the reason for declining."), minimum=5)
    request.status = SessionRequest.Status.DECLINED
    request.coordinator = request.coordinator or acting_user  # type: ignore[assignment]
    request.answered_at = request.answered_at or timezone.now()
    request.closed_at = timezone.now()
    stamp(request, acting_user=acting_user, reason="Aanvraag afgewezen").save()
    _tell_requester(request, _("Your session request was declined"), acting_user)
    return request


@transaction.atomic
def plan_session(
    *,
    request: SessionRequest,
    planned_start: datetime.datetime,
    place: str,
    presenters: Iterable[Presenter],
    acting_user: AnyUser,
) -> SessionRequest:
    """Plan (or re-plan) the session: date and time, place, presenters from the list.

    Planning a request that was not yet answered accepts it at the same time.
    """
    request = _handled_session(request, acting_user)
    open_statuses = (
        SessionRequest.Status.SUBMITTED,
        SessionRequest.Status.ACCEPTED,
        SessionRequest.Status.PLANNED,
    )
    if request.status not in open_statuses:
        raise ValidationError(_("Only an open request can be planned."))
    chosen = list(presenters)
    if not chosen:
        raise ValidationError(_("Choose at least one presenter."))
    allowed = selectors.presenters_visible_to(user=acting_user).filter(is_active=True)
    if allowed.filter(pk__in=[p.pk for p in chosen]).count() != len({p.pk for p in chosen}):
        raise ValidationError(_("Choose presenters from your unit's list."))
    replanned = request.status == SessionRequest.Status.PLANNED
    request.planned_start = planned_start
    request.place = _text(place, _("Say where the session takes place."))
    request.status = SessionRequest.Status.PLANNED
    request.coordinator = request.coordinator or acting_user  # type: ignore[assignment]
    request.answered_at = request.answered_at or timezone.now()
    stamp(
        request, acting_user=acting_user, reason="Sessie verzet" if replanned else "Sessie gepland"
    ).save()
    request.presenters.set(chosen)
    _tell_requester(
        request,
        _("Your session was moved") if replanned else _("Your session is planned"),
        acting_user,
    )
    return request


@transaction.atomic
def record_session(
    *,
    request: SessionRequest,
    held_on: datetime.date,
    what_was_done: str,
    attendance: int,
    follow_up: str,
    acting_user: AnyUser,
) -> SessionRequest:
    """Record the session afterwards; one single-use evaluation code per participant.

    Attendance is a number, never names. The codes are handed out on slips; whoever types
    one in answers the evaluation once, anonymously.
    """
    request = _handled_session(request, acting_user)
    if request.status != SessionRequest.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be recorded."))
    if held_on > _today():
        raise ValidationError(_("A session cannot be recorded before it was held."))
    if request.planned_start and held_on < timezone.localdate(
        request.planned_start
    ) - datetime.timedelta(days=60):
        raise ValidationError(_("The date is long before the planned date; check it."))
    if not 0 <= attendance <= 500:
        raise ValidationError(_("Give the number of participants (0 to 500)."))
    request.held_on = held_on
    request.what_was_done = _text(what_was_done, _("Describe what was done."), minimum=10)
    request.attendance = attendance
    request.follow_up = follow_up.strip()
    request.status = SessionRequest.Status.HELD
    request.closed_at = timezone.now()
    stamp(request, acting_user=acting_user, reason="Sessie vastgelegd").save()
    _create_codes(request, attendance)
    _tell_requester(request, _("The record of your session is ready"), acting_user)
    return request


def _create_codes(request: SessionRequest, number: int) -> None:
    made = 0
    while made < number:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                SessionEvaluationCode.objects.create(session=request, code=code)
        except IntegrityError:
            continue  # the same code twice: draw again
        made += 1


@transaction.atomic
def withdraw_session_request(*, request: SessionRequest, acting_user: AnyUser) -> SessionRequest:
    """The requester withdraws a request that has not been held."""
    _require(acting_user, C.USE_PREVENTION)
    request = _locked(SessionRequest.objects.filter(requested_by_id=acting_user.pk), request)
    if not request.is_open:
        raise ValidationError(_("This request is no longer open."))
    request.status = SessionRequest.Status.WITHDRAWN
    request.closed_at = timezone.now()
    stamp(request, acting_user=acting_user, reason="Aanvraag ingetrokken").save()
    if request.coordinator is not None:
        _tell(
            [request.coordinator],
            subject=_("A session request was withdrawn"),
            url=_session_url(request),
            acting_user=acting_user,
        )
    return request


def normalise_code(code: str) -> str:
    """A code as typed (lower case, spaces, a dash) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@transaction.atomic
def submit_session_evaluation(*, code: str, answers: dict[str, Any], acting_user: AnyUser) -> None:
    """Store a participant's evaluation anonymously; each code can be used once.

    The code is claimed with :func:`vik.evaluations.claim_once` (no history row); the
    answers keep the session, its unit and quarter — and nothing about who answered.
    """
    _require(acting_user, C.USE_PREVENTION)
    unknown = _("This code is unknown, has been used, or is no longer valid.")
    entry = (
        SessionEvaluationCode.objects.select_related("session")
        .filter(code=normalise_code(code), session__status=SessionRequest.Status.HELD)
        .first()
    )
    if entry is None or entry.answered:
        raise ValidationError(unknown)
    session = entry.session
    assert session.held_on is not None  # noqa: S101 - a held session has its date
    if _today() > rules.evaluation_closes_on(session.held_on):
        raise ValidationError(unknown)
    allowed = (
        set(SessionEvaluationResponse.RATING_FIELDS)
        | set(SessionEvaluationResponse.CHOICE_FIELDS)
        | set(SessionEvaluationResponse.TEXT_FIELDS)
    )
    if set(answers) - allowed:
        raise ValidationError(
            _("Unknown questions: %(names)s") % {"names": ", ".join(sorted(set(answers) - allowed))}
        )
    if not claim_once(SessionEvaluationCode.objects.filter(pk=entry.pk)):
        raise ValidationError(unknown)
    response = SessionEvaluationResponse(
        session=session,
        unit_id=_root_unit_id(session.team_id),
        year=session.held_on.year,
        quarter=(session.held_on.month - 1) // 3 + 1,
        **answers,
    )
    response.full_clean()
    response.save()


# --- Advice ---------------------------------------------------------------------------


@transaction.atomic
def ask_advice(
    *, kind: AdviceKind | str, subject: str, question: str, acting_user: AnyUser
) -> AdviceRequest:
    """Anyone asks prevention and advice a question; the coordinators of their unit are told."""
    _require(acting_user, C.USE_PREVENTION)
    employee = employee_of(acting_user)
    if employee is None:
        raise ValidationError(_("Your account is not linked to an employee record."))
    request = AdviceRequest(
        asker=employee,
        asked_by=_account(acting_user),
        kind=AdviceKind(kind),
        subject=_text(subject, _("Give your question a short subject.")),
        question=_text(question, _("Describe your question in a few sentences."), minimum=20),
        answer_due_on=rules.first_answer_due(),
    )
    request.full_clean()
    stamp(request, acting_user=acting_user, reason="Adviesvraag gesteld").save()
    unit = employee.team or employee.unit
    _tell(
        selectors.coordinators_for(unit=unit, employee=employee),
        subject=_("New advice question"),
        url=_advice_url(request),
        acting_user=acting_user,
    )
    return request


def _handled_advice(request: AdviceRequest, acting_user: AnyUser) -> AdviceRequest:
    _require(acting_user, C.COORDINATE_PREVENTION)
    return _locked(selectors.coordinated_advice_requests(user=acting_user), request)


@transaction.atomic
def take_advice_request(*, request: AdviceRequest, acting_user: AnyUser) -> AdviceRequest:
    """A coordinator takes the question on (or over from a colleague)."""
    request = _handled_advice(request, acting_user)
    if request.status not in (AdviceRequest.Status.SUBMITTED, AdviceRequest.Status.ASSIGNED):
        raise ValidationError(_("This question has already been answered."))
    if request.assigned_to_id == acting_user.pk:
        return request
    previous = request.assigned_to
    request.assigned_to = acting_user  # type: ignore[assignment]
    request.status = AdviceRequest.Status.ASSIGNED
    reason = f"Overgenomen van {previous}" if previous else "In behandeling genomen"
    stamp(request, acting_user=acting_user, reason=reason).save()
    return request


@transaction.atomic
def answer_advice_request(
    *,
    request: AdviceRequest,
    answer: str,
    kinds: Iterable[ViolationKind],
    acting_user: AnyUser,
) -> AdviceRequest:
    """The assigned coordinator answers in writing, with the kinds of violation it is about."""
    request = _handled_advice(request, acting_user)
    if request.status != AdviceRequest.Status.ASSIGNED:
        raise ValidationError(_("Take the question on first."))
    if request.assigned_to_id != acting_user.pk:
        raise ValidationError(_("This question is assigned to a colleague. Take it over first."))
    request.answer = _text(answer, _("Write the answer."), minimum=20)
    request.answered_at = timezone.now()
    request.status = AdviceRequest.Status.ANSWERED
    stamp(request, acting_user=acting_user, reason="Adviesvraag beantwoord").save()
    record_violation_kinds(
        subject=request,
        kinds=kinds,
        stage=ClassificationStage.OUTCOME,
        acting_user=acting_user,
        reason="Adviesvraag beantwoord",
    )
    _tell(
        [request.asked_by],
        subject=_("Your advice question was answered"),
        url=_advice_url(request),
        acting_user=acting_user,
    )
    return request


@transaction.atomic
def close_advice_request(*, request: AdviceRequest, acting_user: AnyUser) -> AdviceRequest:
    """Close an answered question (after any follow-up)."""
    request = _handled_advice(request, acting_user)
    if request.status != AdviceRequest.Status.ANSWERED:
        raise ValidationError(_("Only an answered question can be closed."))
    request.status = AdviceRequest.Status.CLOSED
    request.closed_at = timezone.now()
    stamp(request, acting_user=acting_user, reason="Adviesvraag gesloten").save()
    return request


# --- After-discussions and lessons ------------------------------------------------------

AFTER_DISCUSSION_QUESTIONS = gettext_lazy(
    "After-discussion of a closed investigation with the team: what happened, which "
    "dilemma lay under it, what the rule is, and what the team takes from it."
)


@transaction.atomic
def request_after_discussion(
    *, case_id: int, team: Unit, brief: str, acting_user: AnyUser
) -> AfterDiscussion:
    """The commissioner asks for the after-discussion of a closed investigation with a team.

    Only for an investigation they commissioned that is closed; the coordinators of the
    case's unit are told (anyone who may not see the case — a party, a conflict — is not).
    """
    from cases.selectors import closed_investigations_as_commissioner, users_excluded_from

    _require(acting_user, C.APPROVE_LESSONS)
    case = closed_investigations_as_commissioner(user=acting_user).filter(pk=case_id).first()
    if case is None:
        raise PermissionDenied
    in_unit = UnitAncestry.objects.filter(ancestor_id=case.unit_id, descendant_id=team.pk)
    if not in_unit.exists():
        raise ValidationError(_("Choose a team within the unit of the investigation."))
    if (
        AfterDiscussion.objects.filter(case_id=case.pk)
        .exclude(status=AfterDiscussion.Status.DECLINED)
        .exists()
    ):
        raise ValidationError(_("An after-discussion of this investigation was already asked for."))
    after_discussion = AfterDiscussion(
        case_id=case.pk,
        unit_id=case.unit_id,
        team=team,
        requested_by=_account(acting_user),
        brief=_text(brief, _("Write a brief for the coordinator."), minimum=20),
        answer_due_on=rules.first_answer_due(),
    )
    stamp(after_discussion, acting_user=acting_user, reason="Nabespreking gevraagd").save()
    excluded = users_excluded_from(case)
    _tell(
        selectors.coordinators_for(unit=case.unit).exclude(id__in=excluded),
        subject=_("An after-discussion of an investigation was asked for"),
        url=_after_discussion_url(after_discussion),
        acting_user=acting_user,
    )
    return after_discussion


def _handled_after_discussion(
    after_discussion: AfterDiscussion, acting_user: AnyUser
) -> AfterDiscussion:
    _require(acting_user, C.COORDINATE_PREVENTION)
    return _locked(selectors.coordinated_after_discussions(user=acting_user), after_discussion)


def _tell_commissioner(
    after_discussion: AfterDiscussion, subject: str, acting_user: AnyUser
) -> None:
    _tell(
        [after_discussion.requested_by],
        subject=subject,
        url=_after_discussion_url(after_discussion),
        acting_user=acting_user,
    )


@transaction.atomic
def accept_after_discussion(
    *, after_discussion: AfterDiscussion, acting_user: AnyUser
) -> AfterDiscussion:
    """The coordinator takes the after-discussion on; the session with the team is opened.

    The session (kind "after-discussion") is then planned and recorded like any other.
    """
    after_discussion = _handled_after_discussion(after_discussion, acting_user)
    if after_discussion.status != AfterDiscussion.Status.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    after_discussion.status = AfterDiscussion.Status.ACCEPTED
    after_discussion.coordinator = acting_user  # type: ignore[assignment]
    after_discussion.answered_at = timezone.now()
    stamp(after_discussion, acting_user=acting_user, reason="Nabespreking aangenomen").save()
    session = SessionRequest(
        kind=SessionKind.AFTER_DISCUSSION,
        team=after_discussion.team,
        requested_by=after_discussion.requested_by,
        requester=employee_of(after_discussion.requested_by),
        learning_questions=str(AFTER_DISCUSSION_QUESTIONS),
        status=SessionRequest.Status.ACCEPTED,
        answer_due_on=after_discussion.answer_due_on,
        answered_at=after_discussion.answered_at,
        coordinator=_account(acting_user),
        after_discussion=after_discussion,
    )
    stamp(session, acting_user=acting_user, reason="Nabespreking aangenomen").save()
    _tell_commissioner(after_discussion, _("The after-discussion was accepted"), acting_user)
    return after_discussion


@transaction.atomic
def decline_after_discussion(
    *, after_discussion: AfterDiscussion, reason: str, acting_user: AnyUser
) -> AfterDiscussion:
    """The coordinator declines, with the reason the commissioner will read."""
    after_discussion = _handled_after_discussion(after_discussion, acting_user)
    if after_discussion.status != AfterDiscussion.Status.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    after_discussion.decline_reason = _text(reason, _("Give the reason for declining."), 5)
    after_discussion.status = AfterDiscussion.Status.DECLINED
    after_discussion.coordinator = acting_user  # type: ignore[assignment]
    after_discussion.answered_at = timezone.now()
    after_discussion.closed_at = after_discussion.answered_at
    stamp(after_discussion, acting_user=acting_user, reason="Nabespreking afgewezen").save()
    _tell_commissioner(after_discussion, _("The after-discussion was declined"), acting_user)
    return after_discussion


def lesson_passages(lesson: Dilemma) -> list[rules.Passage]:
    """What in a lesson would identify its case (see :func:`rules.identifying_passages`)."""
    from cases.selectors import identifying_terms

    after_discussion = lesson.after_discussion
    case_terms = (
        identifying_terms(after_discussion.case_id)
        if after_discussion is not None and after_discussion.case_id
        else set()
    )
    texts = [lesson.title, lesson.situation, lesson.questions, lesson.rules, lesson.decision]
    return rules.identifying_passages(texts, case_terms)


def _refuse_identifying(lesson: Dilemma) -> None:
    passages = lesson_passages(lesson)
    if passages:
        raise ValidationError(
            [
                _("The lesson contains “%(text)s”: %(reason)s. Remove it.")
                % {"text": passage.text, "reason": passage.reason}
                for passage in passages
            ]
        )


@transaction.atomic
def save_lesson(
    *,
    after_discussion: AfterDiscussion,
    title: str,
    situation: str,
    questions: str,
    rules_text: str,
    decision: str,
    kinds: Iterable[ViolationKind],
    acting_user: AnyUser,
) -> Dilemma:
    """The coordinator writes (or rewrites) the anonymised lesson; it stays a draft."""
    after_discussion = _handled_after_discussion(after_discussion, acting_user)
    if after_discussion.status != AfterDiscussion.Status.ACCEPTED:
        raise ValidationError(_("Accept the after-discussion before writing its lesson."))
    lesson = Dilemma.objects.select_for_update().filter(after_discussion=after_discussion).first()
    if lesson is None:
        lesson = Dilemma(
            source=Dilemma.Source.LESSON,
            after_discussion=after_discussion,
            unit_id=after_discussion.unit_id,
            created_by=_account(acting_user),
        )
    elif lesson.status not in (Dilemma.Status.DRAFT, Dilemma.Status.RETURNED):
        raise ValidationError(_("The lesson is with the commissioner or published already."))
    _fill(lesson, title=title, situation=situation, questions=questions, rules=rules_text)
    lesson.decision = decision.strip()
    stamp(lesson, acting_user=acting_user, reason="Les geschreven").save()
    _set_kinds(lesson, kinds)
    return lesson


def _fill(dilemma: Dilemma, *, title: str, situation: str, questions: str, rules: str) -> None:
    dilemma.title = _text(title, _("Give the dilemma a title."))
    dilemma.situation = _text(situation, _("Describe the situation."), minimum=20)
    dilemma.questions = _text(questions, _("Write at least one question to ask yourself."))
    dilemma.rules = rules.strip()


def _set_kinds(dilemma: Dilemma, kinds: Iterable[ViolationKind]) -> None:
    chosen = list(kinds)
    inactive = [k for k in chosen if not k.is_active and not dilemma.kinds.filter(pk=k.pk).exists()]
    if inactive:
        raise ValidationError(_("This kind of violation is no longer in use."))
    dilemma.kinds.set(chosen)


@transaction.atomic
def submit_lesson(*, lesson: Dilemma, acting_user: AnyUser) -> Dilemma:
    """Send the lesson to the commissioner for approval — refused while it identifies the case."""
    _require(acting_user, C.COORDINATE_PREVENTION)
    lesson = _locked(
        Dilemma.objects.filter(
            source=Dilemma.Source.LESSON,
            after_discussion__in=selectors.coordinated_after_discussions(user=acting_user).values(
                "id"
            ),
        ),
        lesson,
    )
    if lesson.status not in (Dilemma.Status.DRAFT, Dilemma.Status.RETURNED):
        raise ValidationError(_("The lesson is with the commissioner or published already."))
    _refuse_identifying(lesson)
    lesson.status = Dilemma.Status.SUBMITTED
    lesson.submitted_at = timezone.now()
    stamp(lesson, acting_user=acting_user, reason="Les ter goedkeuring aangeboden").save()
    assert lesson.after_discussion is not None  # noqa: S101 - a lesson has its after-discussion
    _tell_commissioner(lesson.after_discussion, _("A lesson awaits your approval"), acting_user)
    return lesson


def _reviewed_lesson(lesson: Dilemma, acting_user: AnyUser) -> Dilemma:
    _require(acting_user, C.APPROVE_LESSONS)
    lesson = _locked(selectors.lessons_awaiting_approval(user=acting_user), lesson)
    return lesson


@transaction.atomic
def approve_lesson(*, lesson: Dilemma, acting_user: AnyUser) -> Dilemma:
    """The commissioner approves the lesson: it joins the library for every employee.

    Checked once more against the case's names, numbers and references: an approved
    lesson never carries them, whoever wrote or changed it.
    """
    lesson = _reviewed_lesson(lesson, acting_user)
    _refuse_identifying(lesson)
    now = timezone.now()
    lesson.status = Dilemma.Status.PUBLISHED
    lesson.reviewed_by = acting_user  # type: ignore[assignment]
    lesson.reviewed_at = now
    lesson.published_at = now
    stamp(lesson, acting_user=acting_user, reason="Les goedgekeurd").save()
    after_discussion = lesson.after_discussion
    assert after_discussion is not None  # noqa: S101
    after_discussion.status = AfterDiscussion.Status.COMPLETED
    after_discussion.closed_at = now
    stamp(after_discussion, acting_user=acting_user, reason="Les goedgekeurd").save()
    if after_discussion.coordinator is not None:
        _tell(
            [after_discussion.coordinator],
            subject=_("The lesson was approved and published"),
            url=reverse("prevention:dilemma_detail", kwargs={"pk": lesson.pk}),
            acting_user=acting_user,
        )
    return lesson


@transaction.atomic
def return_lesson(*, lesson: Dilemma, remarks: str, acting_user: AnyUser) -> Dilemma:
    """The commissioner sends the lesson back with remarks."""
    lesson = _reviewed_lesson(lesson, acting_user)
    lesson.review_note = _text(remarks, _("Say what should change."), minimum=5)
    lesson.status = Dilemma.Status.RETURNED
    lesson.reviewed_by = acting_user  # type: ignore[assignment]
    lesson.reviewed_at = timezone.now()
    stamp(lesson, acting_user=acting_user, reason="Les teruggestuurd").save()
    after_discussion = lesson.after_discussion
    assert after_discussion is not None  # noqa: S101
    if after_discussion.coordinator is not None:
        _tell(
            [after_discussion.coordinator],
            subject=_("The commissioner returned the lesson with remarks"),
            url=_after_discussion_url(after_discussion),
            acting_user=acting_user,
        )
    return lesson


# --- The dilemma library ------------------------------------------------------------------


@transaction.atomic
def save_dilemma(
    *,
    dilemma: Dilemma | None,
    title: str,
    situation: str,
    questions: str,
    rules_text: str,
    kinds: Iterable[ViolationKind],
    unit: Unit,
    publish: bool,
    acting_user: AnyUser,
) -> Dilemma:
    """A coordinator writes or edits a library dilemma, and publishes it or keeps a draft.

    Lessons are not edited here: their text is what the commissioner approved.
    """
    _require(acting_user, C.COORDINATE_PREVENTION)
    if not _coordinates(acting_user, unit):
        raise ValidationError(_("Choose a unit you coordinate."))
    if dilemma is None:
        dilemma = Dilemma(source=Dilemma.Source.LIBRARY, created_by=_account(acting_user))
    else:
        dilemma = _locked(
            selectors.dilemmas_visible_to(user=acting_user).filter(
                source=Dilemma.Source.LIBRARY, unit_id__in=_coordinated(acting_user)
            ),
            dilemma,
        )
    _fill(dilemma, title=title, situation=situation, questions=questions, rules=rules_text)
    dilemma.unit = unit
    if publish and dilemma.status != Dilemma.Status.PUBLISHED:
        dilemma.status = Dilemma.Status.PUBLISHED
        dilemma.published_at = timezone.now()
    elif not publish and dilemma.status == Dilemma.Status.PUBLISHED:
        dilemma.status = Dilemma.Status.DRAFT
    stamp(dilemma, acting_user=acting_user, reason="Dilemma opgeslagen").save()
    _set_kinds(dilemma, kinds)
    return dilemma


def _coordinated(user: AnyUser) -> QuerySet[Any]:
    return unit_ids_in_scope(user=user, scopes=UnitScope.PREVENT)


def _coordinates(user: AnyUser, unit: Unit) -> bool:
    return Unit.objects.filter(pk=unit.pk, id__in=_coordinated(user)).exists()


@transaction.atomic
def withdraw_dilemma(*, dilemma: Dilemma, reason: str, acting_user: AnyUser) -> Dilemma:
    """Take a published dilemma or lesson out of the library (kept, with its history)."""
    _require(acting_user, C.COORDINATE_PREVENTION)
    dilemma = _locked(
        selectors.dilemmas_visible_to(user=acting_user).filter(
            Q(unit_id__in=_coordinated(acting_user))
            | Q(
                after_discussion__in=selectors.coordinated_after_discussions(
                    user=acting_user
                ).values("id")
            )
        ),
        dilemma,
    )
    if dilemma.status != Dilemma.Status.PUBLISHED:
        raise ValidationError(_("Only a published dilemma can be withdrawn."))
    dilemma.status = Dilemma.Status.WITHDRAWN
    stamp(
        dilemma,
        acting_user=acting_user,
        reason=_text(reason, _("Say why it is withdrawn."), minimum=5),
    ).save()
    return dilemma


# --- Presenters and trends ----------------------------------------------------------------


@transaction.atomic
def save_presenter(
    *,
    presenter: Presenter | None,
    name: str,
    organisation: str,
    email: str,
    unit: Unit,
    is_active: bool,
    acting_user: AnyUser,
) -> Presenter:
    """Add someone to the unit's list of presenters, or change their entry."""
    _require(acting_user, C.COORDINATE_PREVENTION)
    if not _coordinates(acting_user, unit):
        raise ValidationError(_("Choose a unit you coordinate."))
    if presenter is None:
        presenter = Presenter()
    else:
        presenter = _locked(selectors.presenters_visible_to(user=acting_user), presenter)
    presenter.name = _text(name, _("Give the presenter's name."))
    presenter.organisation = organisation.strip()
    presenter.email = email.strip()
    presenter.unit = unit
    presenter.is_active = is_active
    presenter.full_clean()
    stamp(presenter, acting_user=acting_user, reason="Presentator opgeslagen").save()
    return presenter


@transaction.atomic
def mark_trend(
    *,
    unit: Unit,
    kind: ViolationKind,
    year: int,
    quarter: int,
    note: str,
    acting_user: AnyUser,
) -> TrendMark:
    """Mark a rising kind of violation in a unit as a trend to act on (it joins the worklist)."""
    _require(acting_user, C.COORDINATE_PREVENTION)
    if not selectors.trend_units(user=acting_user).filter(pk=unit.pk).exists():
        raise ValidationError(_("Choose a unit you coordinate (not a single team)."))
    if not 1 <= quarter <= 4:
        raise ValidationError(_("Choose a quarter."))
    if kind.is_unclassified:
        raise ValidationError(_("Choose a kind of violation, not “not yet classified”."))
    mark = TrendMark(
        unit=unit,
        kind=kind,
        year=year,
        quarter=quarter,
        note=_text(note, _("Say what is rising and what you intend to do."), minimum=10),
        created_by=_account(acting_user),
    )
    mark.full_clean()
    stamp(mark, acting_user=acting_user, reason="Trend gemarkeerd").save()
    return mark


@transaction.atomic
def close_trend(*, mark: TrendMark, action_taken: str, acting_user: AnyUser) -> TrendMark:
    """Close a trend mark with what was done about it."""
    _require(acting_user, C.COORDINATE_PREVENTION)
    mark = _locked(selectors.trend_marks_visible_to(user=acting_user), mark)
    if mark.status != TrendMark.Status.OPEN:
        raise ValidationError(_("This trend has been acted on already."))
    mark.action_taken = _text(action_taken, _("Say what was done."), minimum=10)
    mark.status = TrendMark.Status.CLOSED
    mark.closed_at = timezone.now()
    stamp(mark, acting_user=acting_user, reason="Trend afgehandeld").save()
    return mark


# --- Reminders ----------------------------------------------------------------------------


def send_first_answer_reminders(*, today: datetime.date | None = None) -> int:
    """Remind coordinators of first answers due soon or overdue. Idempotent.

    One reminder per object per term: each is claimed with a conditional update of
    ``reminded_for``, so a second run sends nothing. The message says only that an answer
    is due; the request is behind the link.
    """
    today = today or _today()
    horizon = rules.reminder_horizon(today)
    sent = 0
    due = Q(answer_due_on__lte=horizon) & (
        Q(reminded_for__isnull=True) | ~Q(reminded_for=F("answer_due_on"))
    )
    for pk in list(
        SessionRequest.objects.filter(due, status=SessionRequest.Status.SUBMITTED).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            if not _claim(SessionRequest.objects.filter(pk=pk)):
                continue
            request = SessionRequest.objects.select_related("team", "requester").get(pk=pk)
            sent += _tell(
                selectors.coordinators_for(unit=request.team, employee=request.requester),
                subject=_reminder_subject(request.answer_due_on, today, _("a session request")),
                url=_session_url(request),
                acting_user=None,
            )
    open_advice = [AdviceRequest.Status.SUBMITTED, AdviceRequest.Status.ASSIGNED]
    for pk in list(
        AdviceRequest.objects.filter(due, status__in=open_advice).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            if not _claim(AdviceRequest.objects.filter(pk=pk)):
                continue
            advice = AdviceRequest.objects.select_related("asker", "assigned_to").get(pk=pk)
            recipients = (
                [advice.assigned_to]
                if advice.assigned_to is not None
                else selectors.coordinators_for(
                    unit=advice.asker.team or advice.asker.unit, employee=advice.asker
                )
            )
            sent += _tell(
                recipients,
                subject=_reminder_subject(advice.answer_due_on, today, _("an advice question")),
                url=_advice_url(advice),
                acting_user=None,
            )
    for pk in list(
        AfterDiscussion.objects.filter(due, status=AfterDiscussion.Status.REQUESTED).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            if not _claim(AfterDiscussion.objects.filter(pk=pk)):
                continue
            after_discussion = AfterDiscussion.objects.select_related("unit").get(pk=pk)
            sent += _tell(
                _after_discussion_coordinators(after_discussion),
                subject=_reminder_subject(
                    after_discussion.answer_due_on, today, _("an after-discussion")
                ),
                url=_after_discussion_url(after_discussion),
                acting_user=None,
            )
    return sent


def _after_discussion_coordinators(after_discussion: AfterDiscussion) -> QuerySet[User]:
    from cases.selectors import users_excluded_from

    coordinators = selectors.coordinators_for(unit=after_discussion.unit)
    if after_discussion.case is not None:
        coordinators = coordinators.exclude(id__in=users_excluded_from(after_discussion.case))
    return coordinators


def _claim(queryset: QuerySet[Any]) -> bool:
    return bool(
        queryset.filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("answer_due_on"))).update(
            reminded_for=F("answer_due_on")
        )
    )


def _reminder_subject(due_on: datetime.date, today: datetime.date, what: str) -> str:
    if due_on < today:
        return _("The term for answering %(what)s has passed") % {"what": what}
    return _("The term for answering %(what)s ends soon") % {"what": what}
