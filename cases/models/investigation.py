"""The investigation: the written assignment, investigators, journal, methods, letters, documents."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.base import AppendOnlyModel, AppendOnlyQuerySet
from cases.models.reports import Case


class InvestigationKind(models.TextChoices):
    EXPLORATORY = "exploratory", _("Exploratory investigation")
    DISCIPLINARY = "disciplinary", _("Disciplinary investigation")
    CRIMINAL = "criminal", _("Criminal investigation")


class OutcomeRoute(models.TextChoices):
    DISCIPLINARY = "disciplinary", _("Disciplinary route")
    LINE = "line", _("Back to the line (conversation by the team chief)")
    NONE = "none", _("No further measure")


class Investigation(models.Model):
    """An internal investigation: the part of a case after triage decided to investigate.

    Shares its primary key with the :class:`Case`. Holds the written assignment (opdracht)
    with the fields the protocol requires, the confidential counsellor's notification, the
    findings and conclusion, and the commissioner's outcome. The protocol's order is enforced
    by :mod:`cases.services`, never by this model alone.
    """

    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="investigation",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InvestigationKind.choices)

    # The written assignment (opdracht).
    reason = models.TextField(_("reason"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    research_questions = models.TextField(
        _("research questions"), blank=True, help_text=_("One question per line.")
    )
    employer_powers_consent = models.BooleanField(
        _("the commissioner consents to the use of the employer's investigative powers"),
        default=False,
    )
    planned_methods = models.TextField(_("methods"), blank=True)
    reporting_arrangements = models.TextField(
        _("reporting arrangements (interim reports)"), blank=True
    )
    expected_duration_days = models.PositiveSmallIntegerField(
        _("expected duration (working days)"), null=True, blank=True
    )
    assignment_issued_at = models.DateTimeField(_("assignment issued at"), null=True, blank=True)
    assignment_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignment issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("expected end"), null=True, blank=True)
    prosecutor_consulted_on = models.DateField(
        _("public prosecutor consulted on"), null=True, blank=True
    )

    counsellor_informed_on = models.DateField(
        _("confidential counsellor informed on"), null=True, blank=True
    )
    counsellor_informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor informed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    findings = models.TextField(_("findings"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    report_submitted_at = models.DateTimeField(
        _("report handed to the commissioner at"), null=True, blank=True
    )
    report_provided_to_subject_on = models.DateField(
        _("report given to the person concerned on"), null=True, blank=True
    )

    dereliction = models.BooleanField(_("dereliction of duty (plichtsverzuim)"), null=True)
    outcome_route = models.CharField(
        _("route"), max_length=16, choices=OutcomeRoute.choices, blank=True
    )
    outcome_rationale = models.TextField(_("rationale"), blank=True)
    outcome_decided_at = models.DateTimeField(_("outcome decided at"), null=True, blank=True)
    outcome_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignment_issued_at__isnull=True)
                | models.Q(employer_powers_consent=True),
                name="investigation_issued_needs_powers_consent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.case)

    @property
    def research_question_list(self) -> list[str]:
        return [line.strip() for line in self.research_questions.splitlines() if line.strip()]

    @property
    def assignment_issued(self) -> bool:
        return self.assignment_issued_at is not None


class InvestigatorAssignment(models.Model):
    """An investigator assigned to an investigation: the record of the per-case grant.

    Written together with the guardian permission (``cases.investigate_case``) by the
    services only, like the core's ``RoleAssignment``.
    """

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="investigator_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigator"),
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investigator assignment")
        verbose_name_plural = _("investigator assignments")
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="investigator_assignment_active_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.investigation} – {self.user}"


class AssignmentExtension(AppendOnlyModel):
    """A written extension of an investigation's scope or time, decided by the commissioner.

    Append-only: an extension is a decision on record, never edited afterwards.
    """

    class Kind(models.TextChoices):
        SCOPE = "scope", _("Extension of scope")
        TIME = "time", _("Extension of time")

    # DO_NOTHING: the runtime role may not delete these rows; the retention function
    # ``cases_purge_closed_cases`` removes them before the investigation goes.
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.DO_NOTHING,
        related_name="extensions",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    description = models.TextField(_("description and reason"))
    extra_working_days = models.PositiveSmallIntegerField(
        _("extra working days"), null=True, blank=True
    )
    new_due_on = models.DateField(_("new expected end"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension of the assignment")
        verbose_name_plural = _("extensions of the assignment")
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.investigation} – {self.get_kind_display()}"


class JournalEntry(AppendOnlyModel):
    """One line of the investigation's journal: timestamped, by author, append-only.

    The journal is itself a history, so it carries no history table; a PostgreSQL trigger
    refuses UPDATE and DELETE on top of the model's guards. Entries written by services
    (``is_automatic``) record each protocol step as it happens.
    """

    # DO_NOTHING: removed by the retention function ``cases_purge_closed_cases`` only.
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.DO_NOTHING,
        related_name="journal",
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("entry"))
    is_automatic = models.BooleanField(_("recorded by the system"), default=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"{self.written_at:%Y-%m-%d %H:%M} {self.text[:40]}"


class MethodKind(models.TextChoices):
    DOCUMENT_STUDY = "document_study", _("Study of documents and records")
    SYSTEM_LOGS = "system_logs", _("Logged use of police information systems")
    OBSERVATION = "observation", _("Observation")
    WORKPLACE_SEARCH = "workplace_search", _("Search of the work environment")
    TELECOM_MESSAGES = "telecom_messages", _("E-mail, messaging and social media (six stages)")
    INTERNET_USE = "internet_use", _("Internet use")
    PHONE_RECORDS = "phone_records", _("Call records (never listening in)")
    OTHER = "other", _("Other method")


# Methods that need the works-council chair's knowledge before they may be used.
WORKS_COUNCIL_METHODS = frozenset({MethodKind.OBSERVATION, MethodKind.WORKPLACE_SEARCH})
# Examination of telecommunication: the person concerned is told afterwards.
TELECOM_METHODS = frozenset(
    {MethodKind.TELECOM_MESSAGES, MethodKind.INTERNET_USE, MethodKind.PHONE_RECORDS}
)


class SearchPresence(models.TextChoices):
    """Whether the person concerned attended the search of their work environment."""

    PRESENT = "present", _("Present")
    DECLINED = "declined", _("Said they did not wish to be present")
    ABSENT = "absent", _("Stayed away at the agreed time without good reason")


class ConsentDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting the commissioner")
    GRANTED = "granted", _("Consent given")
    REFUSED = "refused", _("Consent refused")


class InvestigationMethod(models.Model):
    """One investigative method in the methods register.

    Each method carries its proportionality and subsidiarity justification and the
    commissioner's consent; observation and workplace searches also record the works-council
    chair's knowledge, covert methods the prior notice to the data-protection authority, and
    telecommunication the six-stage decisions (:class:`TelecomStageDecision`) and when the
    person concerned was told afterwards.
    """

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="methods",
    )
    kind = models.CharField(_("method"), max_length=24, choices=MethodKind.choices)
    description = models.TextField(_("what exactly, and why"))
    proportionality = models.TextField(
        _("proportionality"), help_text=_("Is the means in reasonable proportion to the aim?")
    )
    subsidiarity = models.TextField(
        _("subsidiarity"),
        help_text=_("Why no less intrusive method achieves the aim."),
    )
    covert = models.BooleanField(_("covert"), default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decision = models.CharField(
        _("commissioner's consent"),
        max_length=8,
        choices=ConsentDecision.choices,
        default=ConsentDecision.PENDING,
    )
    decision_note = models.TextField(_("commissioner's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    works_council_chair_informed_on = models.DateField(
        _("works-council chair informed on"), null=True, blank=True
    )
    works_council_chair_name = models.CharField(
        _("works-council chair"), max_length=200, blank=True
    )
    dpa_notified_on = models.DateField(
        _("data-protection authority notified on"), null=True, blank=True
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    subject_informed_on = models.DateField(
        _("person concerned told afterwards on"), null=True, blank=True
    )
    # Telecommunication (protocol 4.4): only when misuse of telecommunication facilities is
    # suspected, and only if the employee was told beforehand that it can be examined.
    suspected_telecom_misuse = models.TextField(
        _("suspected misuse of telecommunication facilities"), blank=True
    )
    prior_notice_on = models.DateField(
        _("employee told in advance that telecommunication can be examined, on"),
        null=True,
        blank=True,
    )
    prior_notice_how = models.CharField(
        _("how the employee was told in advance"), max_length=300, blank=True
    )
    # Observation (protocol 4.2): in principle during working time only.
    outside_working_time = models.BooleanField(_("also outside working time"), default=False)
    outside_working_time_reason = models.TextField(
        _("why observation outside working time is needed"), blank=True
    )
    # Search of the work environment (protocol 4.3): invited in writing to be present.
    search_presence = models.CharField(
        _("presence of the person concerned at the search"),
        max_length=16,
        choices=SearchPresence.choices,
        blank=True,
    )
    search_presence_note = models.TextField(_("note on presence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("investigative method")
        verbose_name_plural = _("investigative methods")
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        return f"{self.investigation} – {self.get_kind_display()}"

    @property
    def needs_works_council(self) -> bool:
        return self.kind in WORKS_COUNCIL_METHODS

    @property
    def is_telecom(self) -> bool:
        return self.kind in TELECOM_METHODS

    @property
    def is_staged(self) -> bool:
        return self.kind == MethodKind.TELECOM_MESSAGES

    @property
    def is_observation(self) -> bool:
        return self.kind == MethodKind.OBSERVATION

    @property
    def is_workplace_search(self) -> bool:
        return self.kind == MethodKind.WORKPLACE_SEARCH


class TelecomStage(models.IntegerChoices):
    """The six escalating stages of examining e-mail, messaging and social media."""

    VOLUME = 1, _("1 · Volume")
    ATTACHMENTS = 2, _("2 · Attachments")
    TEXT = 3, _("3 · Text scan (subject lines)")
    IMAGE = 4, _("4 · Image scan")
    LANGUAGE = 5, _("5 · Language scan")
    CONTENT = 6, _("6 · Content")


class TelecomStageDecision(AppendOnlyModel):
    """The commissioner's decision to examine telecommunication at a further stage.

    Each step weighs the person's privacy against the investigation's interest
    (``justification``). Starting later than stage 1 needs its own justification
    (e.g. concrete indications of racist texts: start at the language scan). Append-only.
    """

    # DO_NOTHING: removed by the retention function ``cases_purge_closed_cases`` only.
    method = models.ForeignKey(
        InvestigationMethod,
        verbose_name=_("method"),
        on_delete=models.DO_NOTHING,
        related_name="stage_decisions",
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=TelecomStage.choices)
    justification = models.TextField(_("weighing of privacy against the investigation's interest"))
    later_start_justification = models.TextField(
        _("why the examination starts at this stage"), blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("telecommunication stage decision")
        verbose_name_plural = _("telecommunication stage decisions")
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(fields=["method", "stage"], name="telecom_stage_unique"),
            models.CheckConstraint(
                condition=models.Q(stage__gte=1, stage__lte=6), name="telecom_stage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} – {self.get_stage_display()}"


class LetterKind(models.TextChoices):
    NOTIFICATION = "notification", _("Notification of the person concerned")
    INVITATION = "invitation", _("Interview invitation")
    TELECOM_NOTICE = "telecom_notice", _("Notice of the examination of telecommunication")
    RECORDING_DESTROYED = "recording_destroyed", _("Notice of destruction of the recording")
    SEARCH_INVITATION = "search_invitation", _("Invitation to attend the search of the workplace")
    HEARING_INVITATION = "hearing_invitation", _("Invitation to the hearing (wederhoor)")
    OUTCOME = "outcome", _("Outcome of the investigation")


class DeliveryMethod(models.TextChoices):
    BY_HAND = "by_hand", _("Handed over in person")
    POST = "post", _("By post")
    REGISTERED_POST = "registered_post", _("By registered post")
    INTERNAL_MAIL = "internal_mail", _("By internal mail")


class Letter(models.Model):
    """A letter of the investigation: drafted from a template, then sent and recorded.

    The body is generated from the case when the letter is drafted and may be adjusted
    until it is sent; from then on it is the letter on record and cannot change: the model
    refuses, and on PostgreSQL a trigger without any bypass refuses every change to a sent
    letter (the runtime role cannot delete letters at all; retention removes them through
    ``cases_purge_closed_cases``). A protocol step such as "the person concerned was informed in writing" counts
    only once the letter has a ``sent_on`` date.
    """

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="letters",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=LetterKind.choices)
    recipient = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("recipient (employee)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    interview = models.ForeignKey(
        "cases.Interview",
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    method = models.ForeignKey(
        InvestigationMethod,
        verbose_name=_("method"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["drafted_at", "id"]
        indexes = [models.Index(fields=["investigation", "kind"], name="letter_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.recipient_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and not self._state.adding:
            stored = Letter.objects.filter(pk=self.pk).values("sent_on", "body", "subject").first()
            if (
                stored
                and stored["sent_on"]
                and (stored["body"] != self.body or stored["subject"] != self.subject)
            ):
                raise PermissionError("A sent letter cannot be changed.")
        super().save(*args, **kwargs)


class DocumentRequest(models.Model):
    """A request to hand over documents or goods, due within 5 working days of agreement.

    A refusal is reported to the commissioner and appears in the investigation report.
    """

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="document_requests",
    )
    requested_from = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("requested from (employee)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_from_name = models.CharField(_("requested from"), max_length=200)
    description = models.TextField(_("documents or goods requested"))
    requested_on = models.DateField(_("requested and agreed on"))
    due_on = models.DateField(_("due on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason given for the refusal"), blank=True)
    manager_informed_on = models.DateField(
        _("refusal reported to their manager on"), null=True, blank=True
    )
    manager_informed = models.CharField(
        _("manager the refusal was reported to"), max_length=300, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request for documents")
        verbose_name_plural = _("requests for documents")
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_on__isnull=True) | models.Q(refused_on__isnull=True),
                name="document_request_received_or_refused",
            )
        ]

    def __str__(self) -> str:
        return f"{self.investigation} – {self.requested_from_name}"

    @property
    def is_open(self) -> bool:
        return self.received_on is None and self.refused_on is None


def evidence_path(instance: Evidence, filename: str) -> str:
    """Private storage path: the case and a random name; the original name stays in the DB."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"cases/{instance.investigation_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A document or piece of evidence received, stored privately (never a public URL).

    Served only by a view that goes through the case's visible-to selector and writes the
    access log. Type and size are checked on upload (:mod:`cases.uploads`); the SHA-256
    fixes what was received.
    """

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    document_request = models.ForeignKey(
        DocumentRequest,
        verbose_name=_("in answer to request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.TextField(_("description"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
