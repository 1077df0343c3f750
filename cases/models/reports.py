"""Reports (meldingen): intake from every channel, the people involved, triage."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vik.models.conversations import PlannedConversation
from vik.workdays import add_months


class Channel(models.TextChoices):
    """How a report reached VIK. Other apps register through these channels too."""

    MONITORING_SIGNAL = "monitoring_signal", _("Escalated monitoring signal")
    TEAM_CHIEF = "team_chief", _("Referral by a team chief")
    INTERNAL = "internal", _("Internal report")
    EXTERNAL = "external", _("External report (citizen)")
    WHISTLEBLOWER = "whistleblower", _("Whistleblower report (suspected wrongdoing)")
    SCREENING_HIT = "screening_hit", _("Continuous-screening hit")
    ANONYMOUS = "anonymous", _("Anonymous report")


class TriageDecision(models.TextChoices):
    """What the head of VIK decides about a report, with recorded reasons."""

    NO_ACTION = "no_action", _("No action")
    LINE = "line", _("Back to the line (conversation by the team chief)")
    EXPLORATORY = "exploratory", _("Exploratory investigation")
    DISCIPLINARY = "disciplinary", _("Disciplinary investigation")
    CRIMINAL = "criminal", _("Criminal investigation")
    RIJKSRECHERCHE = "rijksrecherche", _("Referral to the Rijksrecherche")
    PROSECUTOR = "prosecutor", _("Referral to the public prosecutor")
    NATIONAL_TEAM = "national_team", _("Handed to a national team")


# Decisions that start an investigation by this VIK department.
INVESTIGATION_DECISIONS = frozenset(
    {TriageDecision.EXPLORATORY, TriageDecision.DISCIPLINARY, TriageDecision.CRIMINAL}
)
# Decisions that hand the matter to someone outside the department.
REFERRAL_DECISIONS = frozenset(
    {TriageDecision.RIJKSRECHERCHE, TriageDecision.PROSECUTOR, TriageDecision.NATIONAL_TEAM}
)


class CaseStatus(models.TextChoices):
    """Where a case stands. Only services move it on, each step after its protocol checks."""

    REGISTERED = "registered", _("Awaiting triage")
    WITH_LINE = "with_line", _("Referred back to the line")
    COMMISSIONED = "commissioned", _("Awaiting the written assignment")
    INVESTIGATING = "investigating", _("Under investigation")
    HEARING = "hearing", _("Hearing (wederhoor)")
    DECISION = "decision", _("Awaiting the outcome")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    """A report (melding) and everything that follows from it: a casus or zaak.

    A case starts at intake from any channel. The head of VIK of ``unit`` is its commissioner
    (opdrachtgever): they triage it and, when it becomes an investigation, write the
    assignment and decide the outcome. ``source_reference`` points at where the report came
    from in another app (e.g. ``monitoring.signal:42``) as plain text, so this app does not
    depend on the others. The reporter's identity is *not* here: see :class:`ReporterIdentity`.

    Who sees a case is decided by :func:`cases.selectors.cases_visible_to` only.
    """

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    unit = models.ForeignKey(
        "vik.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("The unit whose head of VIK is the commissioner of this case."),
    )
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=100,
        blank=True,
        help_text=_("Where the report came from, e.g. a signal or screening reference."),
    )
    summary = models.TextField(_("summary of the report"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )

    # Whistleblower reports (Wet bescherming klokkenluiders): acknowledgement and feedback.
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    feedback_given_on = models.DateField(_("feedback given on"), null=True, blank=True)

    triage_decision = models.CharField(
        _("triage decision"), max_length=16, choices=TriageDecision.choices, blank=True
    )
    triage_reasons = models.TextField(_("reasons"), blank=True)
    # The Rijksrecherche criteria are answered one by one at triage (TriageCriterionAnswer).
    # A "yes" sends the report there, unless the head of VIK records why not: the exception.
    rijksrecherche_exception = models.TextField(
        _("reasoned exception to the Rijksrecherche criteria"), blank=True
    )
    referral_reference = models.CharField(
        _("reference at the receiving party"), max_length=100, blank=True
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        permissions = [("investigate_case", _("Investigate this case (assigned investigator)"))]
        indexes = [
            models.Index(fields=["unit", "status"], name="case_unit_status_idx"),
            models.Index(fields=["status", "received_at"], name="case_status_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(triage_decision="", triaged_at__isnull=True)
                | (~models.Q(triage_decision="") & models.Q(triaged_at__isnull=False)),
                name="case_triage_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_whistleblower_report(self) -> bool:
        return self.channel == Channel.WHISTLEBLOWER

    @property
    def received_on(self) -> datetime.date:
        return timezone.localdate(self.received_at)

    @property
    def acknowledgement_due_on(self) -> datetime.date:
        """Whistleblower reports are acknowledged within 7 days."""
        return self.received_on + datetime.timedelta(days=7)

    @property
    def feedback_due_on(self) -> datetime.date:
        """Whistleblowers hear what was done with their report within 3 months."""
        return add_months(self.received_on, 3)

    @property
    def rijksrecherche_criteria_met(self) -> bool:
        """Whether triage answered any Rijksrecherche criterion with yes."""
        return self.criterion_answers.filter(applies=True).exists()

    @property
    def is_investigation(self) -> bool:
        return self.triage_decision in INVESTIGATION_DECISIONS

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseParty(models.Model):
    """An employee involved in a case: the person concerned, named in the intake, or heard.

    Everyone listed here is excluded from seeing the case whatever their role (a conflict
    the case itself creates), on top of the core's self- and conflict exclusion.
    """

    class Role(models.TextChoices):
        CONCERNED = "concerned", _("Person concerned")
        NAMED = "named", _("Named in the report")
        WITNESS = "witness", _("Witness")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties"
    )
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="case_parties",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party to a case")
        verbose_name_plural = _("parties to cases")
        ordering = ["role", "employee__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "employee"], name="case_party_unique"),
        ]
        indexes = [models.Index(fields=["employee", "case"], name="case_party_employee_idx")]

    def __str__(self) -> str:
        return f"{self.case} – {self.employee} ({self.get_role_display()})"


class ReporterIdentity(models.Model):
    """Who made a report, kept apart from the case itself.

    Only the commissioner may see it (each look is logged as a *reveal* with a reason), and
    it appears in no document unless the reporter consented to disclosure
    (``consent_to_disclose``). A reporter who is an employee is also excluded from seeing
    the case — without being listed among its parties, which the investigators see.
    """

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reporter_identity"
    )
    name = models.CharField(_("name"), max_length=200)
    contact = models.TextField(_("contact details"), blank=True)
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_to_disclose = models.BooleanField(
        _("consents to disclosure of their identity"), default=False
    )
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporter's identity")
        verbose_name_plural = _("reporters' identities")

    def __str__(self) -> str:
        return str(_("Reporter of %(case)s") % {"case": self.case})


class CaseSequence(models.Model):
    """The last case number issued per unit and year (AM-2026-0007). A counter, no history."""

    unit_code = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}-{self.year}: {self.last_number}"


class LineReferral(PlannedConversation):
    """A matter sent back to the line: the team chief holds a conversation with the employee.

    This is all a team chief sees of a case: the employee, what to discuss (written by the
    commissioner for the team chief, without the reporter or other parties), when the
    conversation is planned and the invitation sent (:class:`~vik.models.PlannedConversation`),
    and their own record of the conversation.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="line_referrals"
    )
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="line_referrals",
    )
    instruction = models.TextField(_("what to discuss"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    conversation_held_on = models.DateField(_("conversation held on"), null=True, blank=True)
    conversation_summary = models.TextField(_("summary of the conversation"), blank=True)
    agreements = models.TextField(_("agreements made"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral to the line")
        verbose_name_plural = _("referrals to the line")
        ordering = ["conversation_held_on", "-referred_at"]

    def __str__(self) -> str:
        return str(_("Referral %(case)s") % {"case": self.case})

    @property
    def is_open(self) -> bool:
        return self.conversation_held_on is None


class InvestigationComplaint(models.Model):
    """A complaint about how an investigation was done, answered in writing within 6 weeks.

    Complaints go to the commissioner; the investigators whose work is complained about do
    not see them (see :func:`cases.selectors.complaints_visible_to`).
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="complaints"
    )
    received_on = models.DateField(_("received on"))
    complainant = models.CharField(_("complainant"), max_length=200)
    summary = models.TextField(_("the complaint"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_summary = models.TextField(_("summary of the answer"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint about an investigation")
        verbose_name_plural = _("complaints about investigations")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return str(_("Complaint about %(case)s") % {"case": self.case})

    @property
    def due_on(self) -> datetime.date:
        """Answered in writing within six weeks of receipt (protocol, art. 7)."""
        return self.received_on + datetime.timedelta(weeks=6)


class ReporterNotice(models.Model):
    """What the reporter was told, and when: recorded once, then on record.

    A whistleblower's report is acknowledged within 7 days (the text names the Landelijk
    Meldpunt Misstanden and the reporter's other options) and gets feedback within 3 months.
    Other reporters are told that their report was taken up and, at the end, how it ended —
    in words that never name the person concerned or tip off a covert investigation (the
    services check when each notice may be given). Only the commissioner sees these.
    """

    class Kind(models.TextChoices):
        WB_ACKNOWLEDGEMENT = "wb_ack", _("Acknowledgement to the whistleblower (7 days)")
        WB_FEEDBACK = "wb_feedback", _("Feedback to the whistleblower (3 months)")
        TAKEN_UP = "taken_up", _("The report was taken up")
        OUTCOME = "outcome", _("How the report ended")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reporter_notices"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("what the reporter was told"))
    sent_on = models.DateField(_("told on"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice to the reporter")
        verbose_name_plural = _("notices to the reporter")
        ordering = ["sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="reporter_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} – {self.get_kind_display()}"


class ForwardedSignal(models.Model):
    """A protective-monitoring signal forwarded to the commissioner of an open case.

    While a matter about an employee is with VIK, monitoring may not ask the team chief for
    a conversation or tell the employee anything (that would tip off a covert investigation);
    the analyst forwards the signal to the case's commissioner instead. The commissioner
    attaches it to the case or, once the case is closed, sends it back to monitoring. The
    reference is plain text (``monitoring.signal:42``): cases never imports monitoring.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the commissioner")
        ATTACHED = "attached", _("Attached to the case")
        RETURNED = "returned", _("Sent back to protective monitoring")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="forwarded_signals"
    )
    source_reference = models.CharField(_("signal"), max_length=100)
    summary = models.TextField(_("the analyst's summary"))
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField(_("note with the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signal forwarded by protective monitoring")
        verbose_name_plural = _("signals forwarded by protective monitoring")
        ordering = ["-forwarded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source_reference"], name="forwarded_signal_once_per_case"
            )
        ]

    def __str__(self) -> str:
        from vik.names import source

        # "Signaal 27", as every page names a signal; the commissioner's decision page shows it.
        return f"{self.case}: {source(self.source_reference).label}"
