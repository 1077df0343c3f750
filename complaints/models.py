"""Models of the complaints app: citizens' complaints about police conduct.

The procedure follows the Politiewet 2012 (art. 67–72), the police complaints regulation and
chapter 9 of the Awb as far as those apply: a handler who was not involved in the conduct;
an informal phase (a conversation, mediation) that often resolves the complaint; else a
formal handling in which both the complainant and the person complained about are offered a
hearing, of which a report is made; optionally the advice of the complaints committee; and
a written, reasoned decision that names the National Ombudsman and the term to go there.
The terms are in :mod:`complaints.rules`.

The complainant's contact details live in their own table (:class:`ComplainantContact`):
only the complaint's handler ever sees them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from vik.models import Employee, Unit, ViolationClassification


class ComplaintTheme(models.Model):
    """One class of the uniform complaint classification (bejegening, geweldgebruik, …).

    Kept as data so the classification can follow the national one without a code change;
    a theme that is no longer used is deactivated, never deleted, so old complaints and
    the yearly figures keep their classification.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint theme")
        verbose_name_plural = _("complaint themes")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    """A citizen's complaint about the conduct of the police (of a unit, possibly of people).

    ``deadline`` is derived data — the date by which the decision is due after every
    extension — kept in a column so the deadline overview and the reminder task can sort and
    filter on it; only :func:`complaints.services` write it, through
    :func:`complaints.rules.decision_deadline`.
    """

    class Channel(models.TextChoices):
        WEB_FORM = "web_form", _("Web form")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Telephone")
        COUNTER = "counter", _("At a police station")
        OMBUDSMAN = "ombudsman", _("Forwarded by the National Ombudsman")

    class Phase(models.TextChoices):
        INTAKE = "intake", _("Intake")
        INFORMAL = "informal", _("Informal resolution")
        FORMAL = "formal", _("Formal handling")
        COMMITTEE = "committee", _("With the complaints committee")
        CLOSED = "closed", _("Closed")

    class Closure(models.TextChoices):
        RESOLVED_INFORMALLY = "resolved", _("Resolved informally")
        DECIDED = "decided", pgettext_lazy("complaint", "Decided")
        NOT_TAKEN_UP = "not_taken_up", _("Not taken up")
        WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")

    class InformalOutcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved to the complainant's satisfaction")
        NOT_RESOLVED = "not_resolved", _("Not resolved: formal handling")

    OPEN_PHASES = (Phase.INTAKE, Phase.INFORMAL, Phase.FORMAL, Phase.COMMITTEE)

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit complained about"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_on = models.DateField(_("received on"))
    conduct_on = models.DateField(_("date of the conduct"))
    location = models.CharField(_("place of the conduct"), max_length=200, blank=True)
    channel = models.CharField(_("received by"), max_length=16, choices=Channel.choices)
    summary = models.TextField(_("what the complaint is about"))
    themes = models.ManyToManyField(
        ComplaintTheme, verbose_name=_("themes"), related_name="complaints"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complaint handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler_assigned_on = models.DateField(_("handler assigned on"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.INTAKE)

    # Informal resolution (bemiddeling): recorded because most complaints end here.
    informal_started_on = models.DateField(
        _("informal resolution started on"), null=True, blank=True
    )
    informal_outcome = models.CharField(
        _("outcome of the informal resolution"),
        max_length=16,
        choices=InformalOutcome.choices,
        blank=True,
    )
    informal_note = models.TextField(_("how it went"), blank=True)
    informal_finished_on = models.DateField(
        _("informal resolution ended on"), null=True, blank=True
    )

    formal_started_on = models.DateField(_("formal handling started on"), null=True, blank=True)
    committee_requested_on = models.DateField(
        _("complaints committee asked for advice on"), null=True, blank=True
    )
    committee_advice_on = models.DateField(
        _("committee's advice received on"), null=True, blank=True
    )
    committee_advice = models.TextField(_("committee's advice"), blank=True)

    # Terms (see complaints.rules): the statutory extension, then only with written consent.
    extended_on = models.DateField(_("term extended on"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    consent_received_on = models.DateField(
        _("complainant's written consent received on"), null=True, blank=True
    )
    consent_deadline = models.DateField(
        _("deadline agreed with the complainant"), null=True, blank=True
    )
    consent_note = models.TextField(_("what the complainant agreed to"), blank=True)
    deadline = models.DateField(_("decision due by"))
    reminded_for_deadline = models.DateField(
        _("reminder sent for deadline"), null=True, blank=True, editable=False
    )

    closure = models.CharField(_("closed as"), max_length=16, choices=Closure.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why it was not taken up, or was withdrawn.")
    )

    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["phase", "deadline"], name="complaint_open_deadline_idx"),
            models.Index(fields=["unit", "received_on"], name="complaint_unit_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conduct_on__lte=models.F("received_on")),
                name="complaint_conduct_before_receipt",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(phase="closed", closed_on__isnull=False) & ~models.Q(closure="")
                )
                | (~models.Q(phase="closed") & models.Q(closed_on__isnull=True, closure="")),
                name="complaint_closed_has_closure",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_deadline__isnull=True)
                | models.Q(consent_received_on__isnull=False),
                name="complaint_consent_is_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"KL-{self.received_on:%Y}-{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.phase != self.Phase.CLOSED


class ComplainantContact(models.Model):
    """How to reach the complainant. Stored apart from the complaint on purpose.

    A citizen's name and address are needed to hear them and to send the decision, and by
    nobody else: only the handler assigned to the complaint sees them, and every look is
    in the access log. Statistics and overviews never join this table.
    """

    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="contact",
    )
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complainant's contact details")
        verbose_name_plural = _("complainants' contact details")

    def __str__(self) -> str:
        return self.name


class ComplainedEmployee(models.Model):
    """An employee the complaint is about (optional: often the officer is not known).

    The person complained about is heard, and gets a copy of the decision
    (``copy_sent_on``), as the procedure requires.
    """

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="complained_employees",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    copy_sent_on = models.DateField(_("copy of the decision sent on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee complained about")
        verbose_name_plural = _("employees complained about")
        ordering = ["employee__last_name", "employee__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "employee"], name="complained_employee_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.employee)


class Hearing(models.Model):
    """The hearing offered to one party: the complainant or an employee complained about.

    Both are offered the opportunity to be heard, and a report is made of every hearing.
    Hearing the complainant may be dispensed with only when the complaint is manifestly
    unfounded (otherwise the complainant declines, or does not answer the offer).
    """

    class Party(models.TextChoices):
        COMPLAINANT = "complainant", _("Complainant")
        EMPLOYEE = "employee", _("Employee complained about")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        HELD = "held", _("Held")
        DECLINED = "declined", _("Declined or no answer")
        WAIVED = "waived", _("Dispensed with: complaint manifestly unfounded")

    CONCLUDED = (Status.HELD, Status.DECLINED, Status.WAIVED)

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="hearings"
    )
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_on = models.DateField(_("offered on"))
    scheduled_at = models.DateTimeField(
        pgettext_lazy("complaint", "hearing planned at"), null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OFFERED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    report = models.TextField(_("report of the hearing"), blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Why declined or dispensed with."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("complaint", "hearing")
        verbose_name_plural = pgettext_lazy("complaint", "hearings")
        ordering = ["party", "offered_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party="complainant", employee__isnull=True)
                | models.Q(party="employee", employee__isnull=False),
                name="hearing_party_matches_employee",
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(party="complainant"),
                name="hearing_one_per_complainant",
            ),
            models.UniqueConstraint(
                fields=["complaint", "employee"],
                condition=models.Q(party="employee"),
                name="hearing_one_per_employee",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held")
                | (models.Q(held_on__isnull=False) & ~models.Q(report="")),
                name="hearing_held_has_report",
            ),
        ]

    def __str__(self) -> str:
        who = self.employee.full_name if self.employee is not None else self.get_party_display()
        return f"{who}: {self.get_status_display()}"

    @property
    def is_concluded(self) -> bool:
        return self.status in self.CONCLUDED


class Decision(models.Model):
    """The written, reasoned decision on a complaint, sent to the complainant.

    Where it departs from the complaints committee's advice, it says why (Awb 9:15(3)).
    The letter names the National Ombudsman and the term to go there.
    """

    class Outcome(models.TextChoices):
        FOUNDED = "founded", _("Founded")
        PARTLY_FOUNDED = "partly_founded", _("Partly founded")
        UNFOUNDED = "unfounded", _("Unfounded")
        NO_JUDGEMENT = "no_judgement", _("No judgement possible")

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("judgement"), max_length=16, choices=Outcome.choices)
    reasoning = models.TextField(_("reasons"))
    measures = models.TextField(
        _("measures"), blank=True, help_text=_("What the police will do, or has done, about it.")
    )
    departs_from_advice = models.BooleanField(
        _("departs from the committee's advice"), default=False
    )
    departure_reason = models.TextField(_("why the decision departs from the advice"), blank=True)
    decided_on = models.DateField(pgettext_lazy("complaint", "decided on"))
    letter_sent_on = models.DateField(
        _("decision letter sent to the complainant on"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("complaint", "decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(departs_from_advice=False) | ~models.Q(departure_reason=""),
                name="decision_departure_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint}: {self.get_outcome_display()}"


class ComplaintViolationKind(ViolationClassification):
    """A kind of integrity violation a complaint is about (the shared typology).

    Recorded with the uniform classification's themes, next to them and not instead: the
    themes are the complaints' national figures, the kinds feed prevention's trends.
    """

    subject = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="violation_kinds",
    )

    class Meta(ViolationClassification.Meta):
        verbose_name = _("kind of violation of a complaint")
        verbose_name_plural = _("kinds of violation of complaints")
