"""Models of prevention and advice (seed 002: "Preventie en advies verbindt").

Teams ask for sessions (:class:`SessionRequest`) that prevention coordinators plan with
presenters from their network (:class:`Presenter`) and record afterwards, with the
participants' anonymous evaluation (:class:`SessionEvaluationCode`,
:class:`SessionEvaluationResponse`). Anyone may ask for advice (:class:`AdviceRequest`).
A commissioner asks for the after-discussion of a closed investigation
(:class:`AfterDiscussion`); its anonymised lesson, once approved, joins the dilemma library
(:class:`Dilemma`). Coordinators mark rising kinds of violation as trends to act on
(:class:`TrendMark`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from vik.evaluations import AnonymousEvaluationResponse, Rating
from vik.models import Employee, Unit, ViolationClassification, ViolationKind


class PreventionSettings(models.Model):
    """The working agreements of prevention and advice (one row, kept by the administrator).

    The first-answer term is the department's own agreement, not law: configurable, with
    history, like the other apps' terms.
    """

    first_answer_working_days = models.PositiveSmallIntegerField(
        _("first answer within (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How soon a session request, advice question or after-discussion is answered."),
    )
    reminder_working_days_before = models.PositiveSmallIntegerField(
        _("reminder (working days before the term ends)"),
        default=2,
        validators=[MaxValueValidator(20)],
    )
    evaluation_open_days = models.PositiveSmallIntegerField(
        _("evaluation open for (days after the session)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prevention settings")
        verbose_name_plural = _("prevention settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="prevention_settings_one_row")
        ]

    def __str__(self) -> str:
        return str(_("Prevention settings"))

    @classmethod
    def load(cls) -> PreventionSettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class Presenter(models.Model):
    """Someone who gives sessions: a VIK colleague or someone from the network.

    Seed 002's network: confidential counsellors, Politie voor iedereen, spiritual care, the
    Politieacademie, ... Kept per unit by its coordinators; switched off rather than removed,
    so past sessions keep their presenters.
    """

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(
        _("organisation or network"),
        max_length=200,
        blank=True,
        help_text=_("For example: VIK Amsterdam, confidential counsellors, Politieacademie."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("available"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class SessionKind(models.TextChoices):
    INTEGRITY = "integrity", _("Integrity session")
    CODE_OF_CONDUCT = "code_of_conduct", _("Code-of-conduct session")
    DILEMMA_TRAINING = "dilemma_training", _("Dilemma training")
    FILM = "film", _("Film and conversation (“Rauw”)")
    AFTER_DISCUSSION = "after_discussion", _("After-discussion of an investigation")
    OTHER = "other", _("Other")


class SessionRequest(models.Model):
    """A team's request for a session, and the record of the session that follows.

    Requested by a team chief, or by any employee for their own team. The coordinators of
    the team's unit answer within the first-answer term: accept (then plan: date, place,
    presenters) or decline with a reason; the requester is told at each step. After the
    session the coordinator records what was done, the attendance (a number, never names)
    and the follow-up, and hands out single-use codes for the anonymous evaluation.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted, to be planned")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.PLANNED)
    CLOSED_STATUSES = (Status.HELD, Status.DECLINED, Status.WITHDRAWN)

    kind = models.CharField(_("kind of session"), max_length=24, choices=SessionKind.choices)
    kind_other = models.CharField(_("other, namely"), max_length=200, blank=True)
    team = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester = models.ForeignKey(
        Employee,
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prevention_session_requests",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    learning_questions = models.TextField(
        _("learning questions"),
        help_text=_("What should the team know or be able to do afterwards?"),
    )
    prompt = models.TextField(
        _("what prompted the request"),
        blank=True,
        help_text=_("For example: questions in the team, a recent event, a new team. No names."),
    )
    prompt_kind = models.ForeignKey(
        ViolationKind,
        verbose_name=_("kind of violation it is about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    preferred_from = models.DateField(_("preferably from"), null=True, blank=True)
    preferred_until = models.DateField(_("preferably until"), null=True, blank=True)
    preferred_note = models.CharField(
        _("preferred days and times"),
        max_length=300,
        blank=True,
        help_text=_("For example: Tuesday mornings, during the team meeting."),
    )
    group_size = models.PositiveSmallIntegerField(
        _("group size"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    answer_due_on = models.DateField(_("first answer due on"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The deadline a reminder was sent for (claimed with a conditional update).
    reminded_for = models.DateField(_("reminded for"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    planned_start = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    presenters = models.ManyToManyField(
        Presenter, verbose_name=_("presenters"), blank=True, related_name="sessions"
    )

    held_on = models.DateField(_("held on"), null=True, blank=True)
    what_was_done = models.TextField(_("what was done"), blank=True)
    attendance = models.PositiveSmallIntegerField(
        _("attendance"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
        help_text=_("A number, never names."),
    )
    follow_up = models.TextField(_("follow-up agreed"), blank=True)
    # When the request ended (held, declined, withdrawn): its retention runs from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    after_discussion = models.ForeignKey(
        "prevention.AfterDiscussion",
        verbose_name=_("after-discussion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )

    history = HistoricalRecords(m2m_fields=[presenters])

    class Meta:
        verbose_name = _("session request")
        verbose_name_plural = _("session requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status"], name="prevention_session_team_idx"),
            models.Index(fields=["status", "answer_due_on"], name="prevention_session_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="held")
                | models.Q(held_on__isnull=False, attendance__isnull=False),
                name="prevention_session_held_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="prevention_session_declined_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"SES-{timezone.localdate(self.submitted_at):%Y}-{self.pk:05d}"

    @property
    def kind_label(self) -> str:
        if self.kind == SessionKind.OTHER and self.kind_other:
            return self.kind_other
        return str(self.get_kind_display())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def awaits_first_answer(self) -> bool:
        return self.status == self.Status.SUBMITTED


class SessionEvaluationCode(models.Model):
    """A single-use code for one participant to evaluate a session anonymously.

    As many codes as the attendance, handed out on slips at the end of the session. A code
    knows its session and whether it was used — not by whom (nobody signs in with it as
    a person's invitation) and not what was answered. No history: a history row would
    timestamp the moment of answering.
    """

    session = models.ForeignKey(
        SessionRequest,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="evaluation_codes",
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    answered = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("evaluation code")
        verbose_name_plural = _("evaluation codes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.code


class SessionEvaluationResponse(AnonymousEvaluationResponse):
    """Anonymous answers of one participant (see :mod:`vik.evaluations`).

    Linked to the session only, so totals per session can be shown from five answers on;
    the unit and quarter are those of the session. When a session's record is purged its
    answers stay, without the link, in the unit's and quarter's totals.
    """

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class Length(models.TextChoices):
        TOO_SHORT = "too_short", _("Too short")
        RIGHT = "right", _("About right")
        TOO_LONG = "too_long", _("Too long")

    session = models.ForeignKey(
        SessionRequest,
        verbose_name=_("session"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    q1_overall = models.PositiveSmallIntegerField(
        _("How did you experience the session as a whole?"), choices=Rating.choices
    )
    q2_presenters = models.PositiveSmallIntegerField(
        _("How did you experience the presenter(s)?"), choices=Rating.choices
    )
    q3_useful = models.PositiveSmallIntegerField(
        _("How useful is the session for your daily work?"), choices=Rating.choices
    )
    q4_speak_freely = models.CharField(
        _("Could you speak freely during the session?"), max_length=8, choices=Choice.choices
    )
    q5_length = models.CharField(
        _("What did you think of the length of the session?"),
        max_length=16,
        choices=Length.choices,
    )
    q6_takeaway = models.TextField(_("What do you take away from the session?"), blank=True)
    q7_missing = models.TextField(_("What did you miss?"), blank=True)
    q8_tips = models.TextField(_("Tips for the presenters"), blank=True)

    RATING_FIELDS = ("q1_overall", "q2_presenters", "q3_useful")
    CHOICE_FIELDS = ("q4_speak_freely", "q5_length")
    TEXT_FIELDS = ("q6_takeaway", "q7_missing", "q8_tips")

    class Meta:
        verbose_name = _("session evaluation")
        verbose_name_plural = _("session evaluations")
        indexes = [models.Index(fields=["unit", "year", "quarter"], name="prevention_eval_idx")]


class AdviceKind(models.TextChoices):
    CASE = "case", _("A dilemma in a concrete situation")
    POLICY = "policy", _("A policy question")
    LEADERSHIP = "leadership", _("Moral deliberation or ethical leadership")


class AdviceRequest(models.Model):
    """A question to prevention and advice, handled like a small case.

    Assigned to a coordinator of the asker's unit, answered in writing within the
    first-answer term, then closed. Only the coordinators of that unit see it; the asker
    sees their own question and the answer.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting a coordinator")
        ASSIGNED = "assigned", _("Being answered")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.SUBMITTED, Status.ASSIGNED, Status.ANSWERED)

    asker = models.ForeignKey(
        Employee,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="prevention_advice_requests",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of question"), max_length=16, choices=AdviceKind.choices)
    subject = models.CharField(pgettext_lazy("advice question", "subject"), max_length=200)
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    answer_due_on = models.DateField(_("answer due on"))
    reminded_for = models.DateField(_("reminded for"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advice question")
        verbose_name_plural = _("advice questions")
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["status", "answer_due_on"], name="prevention_advice_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "assigned"])
                | (~models.Q(answer="") & models.Q(answered_at__isnull=False)),
                name="prevention_advice_answered_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.subject}"

    @property
    def reference(self) -> str:
        return f"ADV-{timezone.localdate(self.asked_at):%Y}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AdviceRequestViolationKind(ViolationClassification):
    """The kinds of violation an advice question turned out to be about.

    The first concrete classification model of the shared typology, and the pattern the
    other apps follow: a direct foreign key named ``subject``.
    """

    subject = models.ForeignKey(
        AdviceRequest,
        verbose_name=_("advice question"),
        on_delete=models.CASCADE,
        related_name="violation_kinds",
    )

    class Meta(ViolationClassification.Meta):
        verbose_name = _("kind of violation of an advice question")
        verbose_name_plural = _("kinds of violation of advice questions")


class AfterDiscussion(models.Model):
    """The commissioner's request to discuss a closed investigation with the team.

    Points at the case for the commissioner's sake (the link is emptied when the case's
    retention ends). The coordinators of the case's unit see the commissioner's ``brief``
    and the team, never the case file. The coordinator accepts (and may plan the session
    with the team) and writes the anonymised lesson, a :class:`Dilemma` that the commissioner
    approves before anyone else sees it.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting a coordinator")
        ACCEPTED = "accepted", _("Lesson being written")
        COMPLETED = "completed", _("Lesson approved")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit of the case: its prevention coordinators take the request."),
    )
    team = models.ForeignKey(
        Unit,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team where it happened, to discuss it with."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commissioner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    brief = models.TextField(
        _("brief for the coordinator"),
        help_text=_(
            "What happened and what the team can learn from it, as far as the coordinator "
            "needs to know. It stays between you and the coordinators."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    answer_due_on = models.DateField(_("first answer due on"))
    reminded_for = models.DateField(_("reminded for"), null=True, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # When the lesson was approved or the request declined: retention runs from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("after-discussion")
        verbose_name_plural = _("after-discussions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=~models.Q(status="declined"),
                name="prevention_one_after_discussion_per_case",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"NAB-{timezone.localdate(self.requested_at):%Y}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ACCEPTED)


class Dilemma(models.Model):
    """A dilemma in the library: a situation, the questions to ask yourself, the rules.

    Written by coordinators as library material (seed 002's dilemma pages show the form), or
    a lesson from a closed investigation: what happened, the dilemma, the rule and what was
    decided — without names, identifying dates or the case reference — published only once
    the commissioner approved it. Published dilemmas are for every employee to read.
    """

    class Source(models.TextChoices):
        LIBRARY = "library", _("Dilemma for sessions")
        LESSON = "lesson", _("Lesson from a closed investigation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting the commissioner's approval")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(
        _("situation"), help_text=_("What happens, told so that a reader recognises it.")
    )
    questions = models.TextField(
        _("questions to ask yourself"),
        help_text=_("One question per line, e.g. “Is it lawful?”, “Would I tell my chief?”"),
    )
    rules = models.TextField(
        _("rules that apply"), blank=True, help_text=_("Code of conduct, instructions, law.")
    )
    decision = models.TextField(
        _("what was decided"),
        blank=True,
        help_text=_("For a lesson: what the outcome was, in general terms."),
    )
    kinds = models.ManyToManyField(
        ViolationKind, verbose_name=_("kinds of violation"), blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    after_discussion = models.OneToOneField(
        AfterDiscussion,
        verbose_name=_("after-discussion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lesson",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose coordinators keep this dilemma."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("commissioner's remarks"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[kinds])

    class Meta:
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemmas")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["status", "source"], name="prevention_dilemma_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="prevention_dilemma_published_at",
            ),
            models.CheckConstraint(
                condition=models.Q(source="lesson")
                | models.Q(status__in=["draft", "published", "withdrawn"]),
                name="prevention_dilemma_approval_only_for_lessons",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def is_lesson(self) -> bool:
        return self.source == self.Source.LESSON

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class TrendMark(models.Model):
    """A kind of violation a coordinator saw rising in a unit, marked as a trend to act on.

    Seed 002: spotting trends that threaten the integrity of a whole unit ("large-scale use
    of WhatsApp to share police information"). Open marks stand on the coordinator's
    worklist until they are closed with what was done.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To act on")
        CLOSED = "closed", _("Acted on")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        ViolationKind,
        verbose_name=_("kind of violation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    note = models.TextField(_("what is rising, and what to do"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("marked at"), default=timezone.now)
    action_taken = models.TextField(_("what was done"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trend to act on")
        verbose_name_plural = _("trends to act on")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.unit} · {self.quarter_label}"

    @property
    def quarter_label(self) -> str:
        from vik.transparency.registry import Quarter

        return str(Quarter(self.year, self.quarter).label)
