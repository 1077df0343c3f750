"""Models of the screening app: policy, dossiers, continuous-screening hits, self-reports
(meldplicht) and the anonymous evaluation of screening interviews.

Since 1 January 2023 every police employee is re-screened periodically (every 5 or 8 years,
depending on the function), is screened continuously (a notification reaches their unit
when they are suspected of a crime anywhere in the country), and must report relevant
changes in their situation themselves (the duty to report). The screening officer's unit
of work for each of these is a :class:`ScreeningDossier`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from vik.models import Employee, Function, Unit, ViolationClassification


class ScreeningPolicy(models.Model):
    """How often the holders of a function are re-screened, and how early the dossier opens.

    The law sets the interval per function (5 or 8 years); which function gets which is a
    policy decision that changes over time, so it is data the administrator edits (with
    history). Exactly one row is the *default*, used for functions without their own row.
    """

    function = models.OneToOneField(
        Function,
        verbose_name=_("function"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="screening_policy",
        help_text=_("Leave empty for the default policy."),
    )
    is_default = models.BooleanField(
        _("default policy"),
        default=False,
        help_text=_("Applies to every function that has no policy of its own."),
    )
    interval_years = models.PositiveSmallIntegerField(
        _("re-screening interval (years)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("By law every 5 or 8 years, depending on the function."),
    )
    lead_time_months = models.PositiveSmallIntegerField(
        _("lead time (months)"),
        default=3,
        validators=[MaxValueValidator(24)],
        help_text=_("The re-screening dossier opens this many months before it is due."),
    )
    note = models.TextField(
        _("rationale"), blank=True, help_text=_("Why this function has this interval.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening policy")
        verbose_name_plural = _("screening policies")
        ordering = ["-is_default", "function__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_default=True, function__isnull=True)
                | models.Q(is_default=False, function__isnull=False),
                name="screening_policy_default_xor_function",
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="screening_policy_one_default",
            ),
        ]

    def __str__(self) -> str:
        target = _("default") if self.is_default else str(self.function)
        return ngettext(
            "%(target)s: every %(years)d year",
            "%(target)s: every %(years)d years",
            self.interval_years,
        ) % {"target": target, "years": self.interval_years}

    def clean(self) -> None:
        if self.is_default and self.function_id is not None:
            raise ValidationError(_("The default policy applies to no particular function."))
        if not self.is_default and self.function_id is None:
            raise ValidationError(
                {"function": _("Choose a function, or make this the default policy.")}
            )


class ScreeningDossier(models.Model):
    """One screening of one employee: the screening officer's unit of work.

    Opened at appointment (initial), when a re-screening falls due (periodic, opened by the
    daily task), when continuous screening reports a suspicion (hit), or when the employee
    reports a change themselves (self-report). It ends with an outcome and its reasons.
    A completed initial or periodic screening with a passing outcome restarts the clock for
    the next re-screening.
    """

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial screening")
        PERIODIC = "periodic", _("Periodic re-screening")
        CONTINUOUS_HIT = "continuous_hit", _("Continuous-screening notification")
        SELF_REPORT = "self_report", _("Self-report (duty to report)")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", pgettext_lazy("screening", "Closed")

    class Outcome(models.TextChoices):
        NO_CONCERNS = "no_concerns", _("No concerns")
        AGREEMENTS = "agreements", _("No objection, with agreements")
        REFERRED = "referred", _("Referred for an integrity investigation")
        OBJECTION = "objection", _("Objection: screening not passed")
        LAPSED = "lapsed", _("Lapsed (for example: employment ended)")

    # Outcomes after which the employee counts as screened (the re-screening clock restarts).
    PASSING_OUTCOMES = (Outcome.NO_CONCERNS, Outcome.AGREEMENTS)
    # Kinds that screen the whole person, as opposed to assessing one event.
    FULL_SCREENING_KINDS = (Kind.INITIAL, Kind.PERIODIC)
    # Outcomes that point at something, and so get kinds of violation of the shared typology;
    # "no concerns" and "lapsed" have nothing to classify.
    CLASSIFIED_OUTCOMES = (Outcome.AGREEMENTS, Outcome.REFERRED, Outcome.OBJECTION)

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="screening_dossiers",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(
        _("due on"),
        help_text=_("For a re-screening: the date it is due. Otherwise: the handling term."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screening officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interview_held_on = models.DateField(_("screening interview held on"), null=True, blank=True)
    interview_notes = models.TextField(
        _("notes of the screening interview"),
        blank=True,
        help_text=_("What was discussed and agreed. Seen by the screening officers only."),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reasons for the outcome"), blank=True)
    closed_on = models.DateField(pgettext_lazy("screening", "closed on"), null=True, blank=True)
    referral_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("report to VIK's intake"),
        null=True,
        blank=True,
        # The case has its own retention; when it goes, the link goes (the dossier stays).
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Registered when the dossier was closed as referred for an integrity investigation."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening dossier")
        verbose_name_plural = _("screening dossiers")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="screening_open_due_idx"),
            models.Index(fields=["employee", "kind", "closed_on"], name="screening_employee_idx"),
        ]
        constraints = [
            # The daily task relies on this: a second open re-screening cannot exist.
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(kind="periodic") & ~models.Q(status="closed"),
                name="screening_one_open_periodic",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_on__isnull=False) & ~models.Q(outcome="")
                )
                | (~models.Q(status="closed") & models.Q(closed_on__isnull=True, outcome="")),
                name="screening_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"SCR-{self.opened_on:%Y}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class ContinuousScreeningHit(models.Model):
    """A continuous-screening notification: the employee is registered as a suspect.

    The notification comes from the national police systems to the employee's own unit,
    wherever in the country the suspicion was recorded. It holds criminal-law data (GDPR
    art. 10), so it is kept only inside its dossier and shown only to the screening officers
    of the employee's unit.
    """

    dossier = models.OneToOneField(
        ScreeningDossier,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="hit",
    )
    received_on = models.DateField(_("notification received on"))
    source_reference = models.CharField(
        _("notification number"),
        max_length=64,
        help_text=_("The number of the notification in the national system."),
    )
    reported_by = models.CharField(
        _("unit that recorded the suspicion"),
        max_length=200,
        help_text=_("For example: Eenheid Rotterdam, Landelijke Eenheid."),
    )
    offence = models.CharField(
        _("suspected offence"),
        max_length=300,
        help_text=_("As described in the notification."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("continuous-screening notification")
        verbose_name_plural = _("continuous-screening notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["source_reference"], name="screening_hit_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return self.source_reference


class SelfReport(models.Model):
    """A change the employee reports under the duty to report (meldplicht).

    Submitted by the employee in the self-service pages; it opens a dossier for the
    screening officers of their unit. "In most cases reporting has no consequences — by
    reporting you can prevent unpleasant ones" (the police's own guidance).
    """

    class Category(models.TextChoices):
        CIVIL_STATUS = "civil_status", _("Change in civil status")
        JUDICIAL = "judicial", _("Judicial and police data")
        ADDICTION = "addiction", _("Addiction or dependency")
        FINANCES = "finances", _("Relevant change in financial situation")
        SIDE_ACTIVITIES = "side_activities", _("New paid or unpaid side activities")
        SOCIAL_MEDIA = "social_media", _("Social media and online activities")
        OTHER = "other", _("Other change that may affect my integrity or reliability")

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="screening_self_reports",
    )
    dossier = models.OneToOneField(
        ScreeningDossier,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="self_report",
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    occurred_on = models.DateField(_("date of the change"))
    description = models.TextField(_("description"))
    submitted_at = models.DateTimeField(_("submitted at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.submitted_at:%Y-%m-%d})"


class EvaluationInvitation(models.Model):
    """The employee's invitation to evaluate a screening interview.

    It knows whom it was for and whether it was used — never what was answered: the answers
    (:class:`EvaluationResponse`) carry no link back to it, to the dossier or to the person.
    """

    dossier = models.OneToOneField(
        ScreeningDossier,
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitation",
    )
    created_on = models.DateField(_("invited on"))
    answered = models.BooleanField(_("answered"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")

    def __str__(self) -> str:
        return f"{self.dossier.reference}"


class EvaluationResponse(models.Model):
    """Anonymous answers to the 11 evaluation questions after a screening interview.

    Deliberately without a foreign key to the invitation, dossier or employee, without a
    timestamp finer than the quarter, with a random primary key (so insertion order cannot
    be matched against the invitations), and without a history trail (a history row would
    timestamp the answer). Only aggregates over at least
    :data:`screening.statistics.MINIMUM_GROUP` responses are ever shown.
    """

    class Rating(models.IntegerChoices):
        VERY_POOR = 1, _("Very poor")
        POOR = 2, _("Poor")
        NEUTRAL = 3, _("Neutral")
        GOOD = 4, _("Good")
        VERY_GOOD = 5, _("Very good")

    class TimeTaken(models.TextChoices):
        TOO_SHORT = "too_short", _("Too short")
        RIGHT = "right", _("About right")
        TOO_LONG = "too_long", _("Too long")

    class Picture(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # The questions of the police's own evaluation form, in its order.
    q1_overall = models.PositiveSmallIntegerField(
        _("How did you experience the screening in general?"), choices=Rating.choices
    )
    q2_investigator = models.PositiveSmallIntegerField(
        _("How did you experience the investigator?"), choices=Rating.choices
    )
    q3_time = models.CharField(
        _("What did you think of the time taken for the interview?"),
        max_length=16,
        choices=TimeTaken.choices,
    )
    q4_picture = models.CharField(
        _(
            "Do you feel the investigator was able to get a good picture of your risks and "
            "vulnerabilities?"
        ),
        max_length=8,
        choices=Picture.choices,
    )
    q5_unpleasant = models.TextField(
        _("Were there parts of the interview you found unpleasant, and why?"), blank=True
    )
    q6_topics = models.PositiveSmallIntegerField(
        _("What did you think of the topics of the screening interview?"),
        choices=Rating.choices,
    )
    q7_valuable = models.TextField(_("Which aspect did you find most valuable?"), blank=True)
    q8_superfluous = models.TextField(
        _("Could some topics have been left out, in your opinion? Which?"), blank=True
    )
    q9_unclear = models.TextField(
        _("Were there questions in the interview you could not place?"), blank=True
    )
    q10_missing = models.TextField(
        _("Were there questions you missed in the interview?"), blank=True
    )
    q11_tips = models.TextField(
        _("Do you have tips for improving the screening interview?"), blank=True
    )

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        indexes = [models.Index(fields=["unit", "year", "quarter"], name="screening_eval_idx")]

    RATING_FIELDS = ("q1_overall", "q2_investigator", "q6_topics")
    CHOICE_FIELDS = ("q3_time", "q4_picture")
    TEXT_FIELDS = (
        "q5_unpleasant",
        "q7_valuable",
        "q8_superfluous",
        "q9_unclear",
        "q10_missing",
        "q11_tips",
    )

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class ScreeningViolationKind(ViolationClassification):
    """A kind of integrity violation a screening outcome points at (the shared typology).

    Recorded when a dossier closes with agreements, a referral or an objection.
    """

    subject = models.ForeignKey(
        ScreeningDossier,
        verbose_name=_("screening dossier"),
        on_delete=models.CASCADE,
        related_name="violation_kinds",
    )

    class Meta(ViolationClassification.Meta):
        verbose_name = _("kind of violation of a screening outcome")
        verbose_name_plural = _("kinds of violation of screening outcomes")
