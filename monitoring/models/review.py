"""The human side of Protective Monitoring: revealing who is behind a pseudonym, and the
follow-up conversation a team chief holds with the employee.

An analyst works on pseudonymised signals. Seeing the name behind a pseudonym is an act of
its own (:class:`IdentityReveal`): a written reason, an entry in the access log, and — when
the administrator switches on ``review.four_eyes_reveal`` — a second analyst's approval. A
signal that needs a conversation becomes a :class:`FollowUp` for the team chief of the
employee's team, with a plain-language summary and a deadline in working days; the chief's
record of the conversation closes the signal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from vik.models.conversations import PlannedConversation
from vik.models.typology import ViolationClassification


class IdentityReveal(models.Model):
    """One analyst's request to see the name behind a signal's pseudonym, and its fate.

    The name is shown only to ``requested_by``, and only once the request is approved
    (at once without four eyes; by a second analyst with it). The moment the name is first
    shown is ``revealed_at``; that is when the access log gets its ``reveal`` entry, with
    the category and the reason as its purpose. An escalation reveals the name at the
    latest: the service then records an approved reveal in the category
    :attr:`ReasonCategory.ESCALATION`, with the escalation as its reason.

    ``reason_category`` says what kind of reason it was, so that the annual logging report
    can count reveals by reason (docs/privacy.md, section 8); the written ``reason`` says
    what exactly.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting a second analyst")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class ReasonCategory(models.TextChoices):
        """Why a name is needed, as counted in the annual logging report."""

        FOLLOW_UP = "follow_up", _("Prepare a follow-up conversation with the team chief")
        WORK_REASON = (
            "work_reason",
            _("Verify a work reason with the line (roster or assignment unclear)"),
        )
        DATA_ERROR = "data_error", _("Check a suspected data error (wrong person or account)")
        SERIOUS = "serious_suspicion", _("Serious suspicion: refer to case intake")
        ESCALATION = "escalation", _("Automatic at escalation")
        OTHER = "other", _("Other")

    signal = models.ForeignKey(
        "monitoring.Signal",
        verbose_name=_("signal"),
        on_delete=models.CASCADE,
        related_name="reveals",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reason_category = models.CharField(
        _("kind of reason"), max_length=24, choices=ReasonCategory.choices
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    four_eyes = models.BooleanField(_("second analyst required"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    revealed_at = models.DateTimeField(_("name first shown at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A second analyst approves, never the one who asked.
            models.CheckConstraint(
                condition=models.Q(four_eyes=False)
                | models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("requested_by")),
                name="identity_reveal_four_eyes",
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested") | models.Q(decided_at__isnull=False),
                name="identity_reveal_decided_at",
            ),
            # Every reveal is counted under a kind of reason in the annual logging report.
            models.CheckConstraint(
                condition=~models.Q(reason_category=""), name="identity_reveal_reason_category"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="identity_reveal_status_idx")]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.requested_by_id} {self.status}"


class FollowUp(PlannedConversation):
    """A conversation the team chief holds with the employee about a signal, and its record.

    Created when the analyst escalates (with ``summary``: what was found and when, in plain
    language, for the chief — not the analyst's workspace) and due within a number of
    working days (``review.followup_working_days``, Dutch public holidays respected). The
    chief records the date, who was present, the employee's account, the outcome and the
    agreed actions; a referral for investigation registers a case intake (``case``). Before
    that the chief plans it and invites the employee (:class:`~vik.models.PlannedConversation`).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("To be held")
        RECORDED = "recorded", _("Recorded")

    class Outcome(models.TextChoices):
        EXPLAINED = "explained", _("Explained — no further action")
        UNINTENDED = "unintended_awareness", _("Unintended — awareness given")
        REFER = "refer_investigation", _("Refer to VIK for investigation")

    # Outcomes that point at something, and so get kinds of violation of the shared typology.
    CLASSIFIED_OUTCOMES = (Outcome.UNINTENDED, Outcome.REFER)

    signal = models.OneToOneField(
        "monitoring.Signal",
        verbose_name=_("signal"),
        on_delete=models.PROTECT,
        related_name="followup",
    )
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="monitoring_followups",
    )
    team = models.ForeignKey(
        "vik.Unit",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team whose chief holds the conversation."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    summary = models.TextField(
        _("summary for the team chief"),
        help_text=_("What was found and when, in plain language."),
    )
    due_on = models.DateField(_("to be held by"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    # The conversation record.
    held_on = models.DateField(pgettext_lazy("conversation", "held on"), null=True, blank=True)
    present = models.TextField(pgettext_lazy("attendance", "present"), blank=True)
    employee_account = models.TextField(_("the employee's account"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case intake"),
        null=True,
        blank=True,
        # A case outlives the signal's own retention; when the case's retention ends, the
        # link goes and monitoring's retention removes the signal (monitoring/transparency.py).
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up conversation")
        verbose_name_plural = _("follow-up conversations")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open")
                | (
                    models.Q(held_on__isnull=False, recorded_at__isnull=False)
                    & ~models.Q(outcome="")
                ),
                name="followup_recorded_complete",
            ),
        ]
        indexes = [models.Index(fields=["employee", "status"], name="followup_employee_idx")]

    def __str__(self) -> str:
        return f"{self.signal_id} {self.due_on} {self.status}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class FollowUpViolationKind(ViolationClassification):
    """A kind of integrity violation a recorded conversation points at (the shared typology).

    Recorded by the team chief with an outcome that points at something (unintended use,
    referral to VIK); "explained" has nothing to classify.
    """

    subject = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up conversation"),
        on_delete=models.CASCADE,
        related_name="violation_kinds",
    )

    class Meta(ViolationClassification.Meta):
        verbose_name = _("kind of violation of a follow-up conversation")
        verbose_name_plural = _("kinds of violation of follow-up conversations")


class EmployeeNotice(models.Model):
    """A message to the employee about a signal, sent after the protocol's delay.

    The union's condition: every end of a signal about an employee — a dismissal ("no
    blame") included — and every reveal of their name is told to them actively, in VIK and
    by an e-mail that a message waits, ``review.employee_notice_delay_days`` later. While a
    matter about them is with VIK, or disclosure is deferred, the notice waits. Its text is
    written when it is sent, so it tells the result as it then stands, and never names the
    analyst.
    """

    class Kind(models.TextChoices):
        DISMISSED = "dismissed", _("Signal dismissed")
        REVEALED = "revealed", _("Name revealed to an analyst")

    signal = models.ForeignKey(
        "monitoring.Signal",
        verbose_name=_("signal"),
        on_delete=models.CASCADE,
        related_name="employee_notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reveal = models.ForeignKey(
        IdentityReveal,
        verbose_name=_("reveal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="employee_notices",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered = models.BooleanField(
        _("delivered"),
        default=False,
        help_text=_("False when the employee has no active account: they see it in My data."),
    )

    class Meta:
        verbose_name = _("notice to the employee")
        verbose_name_plural = _("notices to the employee")
        indexes = [
            models.Index(
                fields=["due_at"],
                name="employee_notice_pending",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.signal_id}"
